/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared set-up of the dataplane/gw suites: EAL without hugepages or PCI
 * (its own --file-prefix), a small mempool, frames from bytes.
 */
#ifndef XFRMGW_TESTS_DATAPLANE_GW_TEST_ENV_H
#define XFRMGW_TESTS_DATAPLANE_GW_TEST_ENV_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

static inline struct rte_mempool *gw_test_eal(const char *name)
{
	char prefix[64];
	char *argv[] = {
		(char *)name, (char *)"--no-huge", (char *)"--no-shconf", (char *)"--no-pci",
		(char *)"-m", (char *)"128", (char *)"--file-prefix", prefix, (char *)"-l",
		(char *)"0", (char *)"--log-level", (char *)"lib.*:error", (char *)"--no-telemetry",
	};

	snprintf(prefix, sizeof(prefix), "%s-%d", name, (int)getpid());
	if (rte_eal_init(sizeof(argv) / sizeof(argv[0]), argv) < 0)
		return NULL;
	return rte_pktmbuf_pool_create("gw_test", 1024, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
}

/* An mbuf holding len bytes of data. */
static inline struct rte_mbuf *gw_test_mbuf(struct rte_mempool *pool, const void *data, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	char *p = m ? rte_pktmbuf_append(m, (uint16_t)len) : NULL;

	if (!p) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(p, data, len);
	return m;
}

#endif
