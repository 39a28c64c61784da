/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dataplane/gw/neigh.c: resolution, the per-next-hop queue and its limit,
 * probes and failure (RFC 4861 7.3.3 timers, MAX_MULTICAST_SOLICIT 3),
 * REACHABLE -> STALE, table full. Time is a fake tsc with hz = 1000.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dataplane/gw/neigh.h"
#include "gw_test_env.h"

static struct rte_mempool *pool;

static const uint8_t mac1[6] = { 2, 0, 0, 0, 0, 0x11 };

static struct gw_neigh_table *table(unsigned int size, unsigned int qmax)
{
	struct gw_neigh_params p = {
		.size = size, .qmax = qmax, .hz = 1000, .reachable = 30000, .retrans = 1000,
		.max_probes = 3,
	};

	return gw_neigh_create(&p);
}

static uint32_t v4(const char *s)
{
	uint32_t a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static unsigned int probes;

static void count_probe(void *arg, const struct gw_neigh *n)
{
	(void)arg;
	(void)n;
	probes++;
}

static void test_resolve_then_send(void **state)
{
	struct gw_neigh_table *t = table(64, 4);
	uint32_t a = v4("10.0.0.2");
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool), *out[GW_NEIGH_QMAX];
	uint8_t mac[6];
	bool probe;

	(void)state;
	/* unknown: queued, first probe at once */
	assert_int_equal(gw_neigh_resolve(t, 0, AF_INET, (uint8_t *)&a, 100, m, mac, &probe),
			 GW_NEIGH_QUEUED);
	assert_true(probe);
	/* the answer hands the waiting packet back */
	assert_int_equal(gw_neigh_confirm(t, 0, AF_INET, (uint8_t *)&a, mac1, 150, false, out), 1);
	assert_ptr_equal(out[0], m);
	rte_pktmbuf_free(m);
	/* now known: send */
	m = rte_pktmbuf_alloc(pool);
	assert_int_equal(gw_neigh_resolve(t, 0, AF_INET, (uint8_t *)&a, 200, m, mac, &probe),
			 GW_NEIGH_SEND);
	assert_false(probe);
	assert_memory_equal(mac, mac1, 6);
	/* another port, same address: a different neighbour */
	assert_null(gw_neigh_lookup(t, 1, AF_INET, (uint8_t *)&a));
	rte_pktmbuf_free(m);
	gw_neigh_free(t);
}

static void test_queue_limit(void **state)
{
	struct gw_neigh_table *t = table(64, 2);
	uint8_t a6[16], mac[6];
	struct rte_mbuf *m[3];
	bool probe;

	(void)state;
	inet_pton(AF_INET6, "2001:db8::5", a6);
	for (int i = 0; i < 3; i++)
		m[i] = rte_pktmbuf_alloc(pool);
	assert_int_equal(gw_neigh_resolve(t, 0, AF_INET6, a6, 1, m[0], mac, &probe), GW_NEIGH_QUEUED);
	assert_true(probe);
	assert_int_equal(gw_neigh_resolve(t, 0, AF_INET6, a6, 2, m[1], mac, &probe), GW_NEIGH_QUEUED);
	assert_false(probe);	/* within retrans: no second probe */
	assert_int_equal(gw_neigh_resolve(t, 0, AF_INET6, a6, 3, m[2], mac, &probe),
			 GW_NEIGH_DROP_QUEUE);
	rte_pktmbuf_free(m[2]);
	gw_neigh_free(t);	/* frees the two held */
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

static void test_failure_and_expiry(void **state)
{
	struct gw_neigh_table *t = table(64, 4);
	uint32_t a = v4("10.0.0.3"), b = v4("10.0.0.4");
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool), *failed[8], *out[GW_NEIGH_QMAX];
	uint8_t mac[6];
	bool probe;

	(void)state;
	probes = 0;
	gw_neigh_resolve(t, 0, AF_INET, (uint8_t *)&a, 1000, m, mac, &probe);
	assert_int_equal(gw_neigh_timer(t, 1500, count_probe, NULL, failed, 8), 0);
	assert_int_equal(probes, 0);				/* not yet retrans */
	assert_int_equal(gw_neigh_timer(t, 2000, count_probe, NULL, failed, 8), 0);
	assert_int_equal(gw_neigh_timer(t, 3000, count_probe, NULL, failed, 8), 0);
	assert_int_equal(probes, 2);				/* probes 2 and 3 */
	assert_int_equal(gw_neigh_timer(t, 4000, count_probe, NULL, failed, 8), 1);
	assert_ptr_equal(failed[0], m);				/* back for ICMP unreachable */
	rte_pktmbuf_free(m);
	m = rte_pktmbuf_alloc(pool);
	assert_int_equal(gw_neigh_resolve(t, 0, AF_INET, (uint8_t *)&a, 4100, m, mac, &probe),
			 GW_NEIGH_DROP_FAILED);
	/* after retrans a new packet tries again */
	assert_int_equal(gw_neigh_resolve(t, 0, AF_INET, (uint8_t *)&a, 5100, m, mac, &probe),
			 GW_NEIGH_QUEUED);
	assert_true(probe);
	/* REACHABLE -> STALE after 30 s: still sent, with a refresh probe */
	gw_neigh_confirm(t, 0, AF_INET, (uint8_t *)&b, mac1, 10000, true, out);
	assert_int_equal(gw_neigh_lookup(t, 0, AF_INET, (uint8_t *)&b)->state, GW_NEIGH_REACHABLE);
	gw_neigh_timer(t, 40001, NULL, NULL, failed, 8);
	assert_int_equal(gw_neigh_lookup(t, 0, AF_INET, (uint8_t *)&b)->state, GW_NEIGH_STALE);
	{
		struct rte_mbuf *m2 = rte_pktmbuf_alloc(pool);

		assert_int_equal(gw_neigh_resolve(t, 0, AF_INET, (uint8_t *)&b, 40002, m2, mac,
						  &probe), GW_NEIGH_SEND);
		assert_true(probe);
		rte_pktmbuf_free(m2);
	}
	gw_neigh_free(t);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

static void test_table_full(void **state)
{
	struct gw_neigh_table *t = table(16, 1);	/* 16 slots, 12 usable */
	struct rte_mbuf *out[GW_NEIGH_QMAX];
	unsigned int made = 0;

	(void)state;
	for (uint32_t i = 1; i <= 20; i++) {
		uint32_t a = htonl(0x0a000000 + i);

		gw_neigh_confirm(t, 0, AF_INET, (uint8_t *)&a, mac1, 1, true, out);
		made += gw_neigh_lookup(t, 0, AF_INET, (uint8_t *)&a) != NULL;
	}
	assert_int_equal(made, 12);
	gw_neigh_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_then_send),
		cmocka_unit_test(test_queue_limit),
		cmocka_unit_test(test_failure_and_expiry),
		cmocka_unit_test(test_table_full),
	};

	pool = gw_test_eal("test_gw_neigh");
	if (!pool)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
