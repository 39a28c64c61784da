/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dataplane/gw/frag.c: pre-encryption fragmentation (sizes, offsets, MF,
 * copied options, DF), reassembly of out-of-order IPv4 and IPv6 fragments.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <rte_cycles.h>
#include <rte_ip.h>

#include "dataplane/gw/frag.h"
#include "gw_test_env.h"

static struct rte_mempool *pool;

static struct rte_mbuf *packet4(unsigned int total, unsigned int ihl, uint16_t ff)
{
	uint8_t b[4000];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)b;

	for (unsigned int i = 0; i < total; i++)
		b[i] = (uint8_t)(i * 7);
	memset(ip, 0, ihl * 4);
	ip->version_ihl = (uint8_t)(0x40 | ihl);
	ip->total_length = htons((uint16_t)total);
	ip->packet_id = htons(0x1234);
	ip->fragment_offset = htons(ff);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	inet_pton(AF_INET, "10.1.0.2", &ip->src_addr);
	inet_pton(AF_INET, "10.2.0.2", &ip->dst_addr);
	if (ihl == 7) {
		/* RFC 791: security-ish option with the copied flag, then a not-copied one */
		b[20] = 0x82; b[21] = 4; b[22] = 0xaa; b[23] = 0xbb;
		b[24] = 0x07; b[25] = 3; b[26] = 4; b[27] = 0;
	}
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return gw_test_mbuf(pool, b, total);
}

static void test_sizes(void **state)
{
	struct rte_mbuf *m = packet4(1500, 5, 0), *f[GW_FRAG_MAX];
	uint8_t orig[1500];
	unsigned int covered = 0;
	int n;

	(void)state;
	memcpy(orig, rte_pktmbuf_mtod(m, uint8_t *), 1500);
	n = gw_frag4(m, 576, pool, f, GW_FRAG_MAX);
	/* 1480 payload bytes in (576 - 20) & ~7 = 552-byte pieces: 552 + 552 + 376 */
	assert_int_equal(n, 3);
	for (int i = 0; i < n; i++) {
		const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(f[i], const struct rte_ipv4_hdr *);
		uint16_t ff = ntohs(ip->fragment_offset), len = ntohs(ip->total_length);

		assert_true(len <= 576);
		assert_int_equal(rte_pktmbuf_pkt_len(f[i]), len);
		assert_int_equal(rte_ipv4_cksum(ip), 0);
		assert_int_equal((ff & RTE_IPV4_HDR_OFFSET_MASK) * 8, covered);
		assert_int_equal(!!(ff & RTE_IPV4_HDR_MF_FLAG), i < n - 1);
		assert_int_equal(ip->packet_id, htons(0x1234));
		assert_memory_equal(rte_pktmbuf_mtod_offset(f[i], uint8_t *, 20), orig + 20 + covered,
				    len - 20u);
		covered += len - 20u;
		rte_pktmbuf_free(f[i]);
	}
	assert_int_equal(covered, 1480);
}

static void test_options_and_df(void **state)
{
	struct rte_mbuf *m = packet4(1000, 7, 0), *f[GW_FRAG_MAX];
	int n;

	(void)state;
	n = gw_frag4(m, 600, pool, f, GW_FRAG_MAX);
	assert_int_equal(n, 2);
	/* first fragment keeps every option; the next only the copied one (RFC 791 3.1) */
	assert_int_equal(rte_pktmbuf_mtod(f[0], uint8_t *)[0], 0x47);
	assert_int_equal(rte_pktmbuf_mtod(f[1], uint8_t *)[0], 0x46);
	assert_int_equal(rte_pktmbuf_mtod(f[1], uint8_t *)[20], 0x82);
	assert_int_equal(rte_pktmbuf_mtod(f[1], uint8_t *)[23], 0xbb);
	rte_pktmbuf_free(f[0]);
	rte_pktmbuf_free(f[1]);
	m = packet4(1000, 5, RTE_IPV4_HDR_DF_FLAG);
	assert_int_equal(gw_frag4(m, 600, pool, f, GW_FRAG_MAX), -EMSGSIZE);
	assert_int_equal(gw_frag4(m, 20, pool, f, GW_FRAG_MAX), -EMSGSIZE);
	rte_pktmbuf_free(m);
	m = packet4(1000, 5, 0);
	assert_int_equal(gw_frag4(m, 600, pool, f, 1), -ENOBUFS);	/* room for one only */
	rte_pktmbuf_free(m);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

static void test_reassembly_v4_out_of_order(void **state)
{
	struct gw_reasm *r = gw_reasm_create(64, rte_get_tsc_hz() * 5, 0);
	struct rte_mbuf *m = packet4(2000, 5, 0), *f[GW_FRAG_MAX], *whole = NULL;
	uint8_t orig[2000];
	int n, dropped;

	(void)state;
	memcpy(orig, rte_pktmbuf_mtod(m, uint8_t *), 2000);
	n = gw_frag4(m, 600, pool, f, GW_FRAG_MAX);
	assert_int_equal(n, 4);
	for (int i = n - 1; i >= 0; i--) {	/* last piece first */
		whole = gw_reasm4(r, f[i], rte_rdtsc(), &dropped);
		assert_int_equal(dropped, 0);
		if (i)
			assert_null(whole);
	}
	assert_non_null(whole);
	assert_int_equal(rte_pktmbuf_pkt_len(whole), 2000);
	assert_int_equal(rte_ipv4_cksum(rte_pktmbuf_mtod(whole, struct rte_ipv4_hdr *)), 0);
	{
		uint8_t buf[2000];
		const void *p = rte_pktmbuf_read(whole, 20, 1980, buf);

		assert_memory_equal(p, orig + 20, 1980);
	}
	rte_pktmbuf_free(whole);
	gw_reasm_free(r);
}

/* IPv6 fragments made by hand (RFC 8200 4.5): 2 x 1232 + 536 payload bytes. */
static void test_reassembly_v6(void **state)
{
	struct gw_reasm *r = gw_reasm_create(64, rte_get_tsc_hz() * 5, 0);
	static const unsigned int off[3] = { 0, 1232, 2464 }, len[3] = { 1232, 1232, 536 };
	struct rte_mbuf *whole = NULL;
	int dropped;

	(void)state;
	for (int k = 2; k >= 0; k--) {
		int i = (k + 1) % 3;	/* order 0, 2, 1 */
		uint8_t b[1400] = { 0 };
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)b;

		ip->vtc_flow = htonl(6u << 28);
		ip->payload_len = htons((uint16_t)(8 + len[i]));
		ip->proto = IPPROTO_FRAGMENT;
		ip->hop_limits = 64;
		inet_pton(AF_INET6, "2001:db8::2", ip->src_addr);
		inet_pton(AF_INET6, "2001:db8::1", ip->dst_addr);
		b[40] = IPPROTO_UDP;
		b[42] = (uint8_t)(off[i] >> 8);
		b[43] = (uint8_t)((off[i] & 0xf8) | (i < 2 ? 1 : 0));
		b[47] = 0x42;	/* identification */
		for (unsigned int j = 0; j < len[i]; j++)
			b[48 + j] = (uint8_t)(off[i] + j);
		whole = gw_reasm6(r, gw_test_mbuf(pool, b, 48 + len[i]), rte_rdtsc(), &dropped);
		assert_int_equal(dropped, 0);
	}
	assert_non_null(whole);
	assert_int_equal(rte_pktmbuf_pkt_len(whole), 40 + 3000);
	assert_int_equal(rte_pktmbuf_mtod(whole, struct rte_ipv6_hdr *)->proto, IPPROTO_UDP);
	rte_pktmbuf_free(whole);
	gw_reasm_free(r);
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_options_and_df),
		cmocka_unit_test(test_reassembly_v4_out_of_order),
		cmocka_unit_test(test_reassembly_v6),
	};

	pool = gw_test_eal("test_gw_frag");
	if (!pool)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
