/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared set-up of the sa/ suites: EAL without hugepages (--no-shconf: DPDK
 * 22.11 refuses --in-memory together with --no-huge), a fake clock.
 */
#ifndef XFRMGW_TESTS_SA_ENV_H
#define XFRMGW_TESTS_SA_ENV_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_log.h>

static inline int sa_test_eal_init(const char *prefix)
{
	char *argv[] = {
		(char *)"sa_test", (char *)"--no-huge", (char *)"--no-shconf", (char *)"--no-pci",
		(char *)"--file-prefix", (char *)prefix, (char *)"-l", (char *)"0",
		(char *)"--log-level", (char *)"lib.*:error", (char *)"--no-telemetry",
	};

	return rte_eal_init(sizeof(argv) / sizeof(argv[0]), argv) < 0 ? -1 : 0;
}

/* Test clock, seconds. */
static uint64_t sa_test_time = 1000;

static inline uint64_t sa_test_clock(void)
{
	return sa_test_time;
}

static inline xfrm_address_t sa_test_v4(const char *s)
{
	xfrm_address_t a;

	memset(&a, 0, sizeof(a));
	inet_pton(AF_INET, s, &a.a4);
	return a;
}

static inline xfrm_address_t sa_test_v6(const char *s)
{
	xfrm_address_t a;

	memset(&a, 0, sizeof(a));
	inet_pton(AF_INET6, s, &a.a6);
	return a;
}

#endif
