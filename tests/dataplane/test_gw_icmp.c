/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dataplane/gw/icmp.c: the token bucket, the frag-needed / packet-too-big
 * MTU fields (RFC 1191 4, RFC 4443 3.2), quoting limits (RFC 1812
 * 4.3.2.3, RFC 4443 2.4 c), checksums, and when no error may be sent.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <rte_ip.h>

#include "dataplane/gw/icmp.h"
#include "gw_test_env.h"

static struct rte_mempool *pool;

static void test_ratelimit(void **state)
{
	struct gw_ratelimit rl;
	unsigned int ok = 0;

	(void)state;
	gw_ratelimit_init(&rl, 100, 10, 1000, 0);	/* 100/s, burst 10, hz 1000 */
	for (int i = 0; i < 50; i++)
		ok += gw_ratelimit_take(&rl, 0);
	assert_int_equal(ok, 10);			/* the burst */
	assert_false(gw_ratelimit_take(&rl, 9));	/* 0.9 token */
	assert_true(gw_ratelimit_take(&rl, 10));	/* one per 10 ms */
	ok = 0;
	for (uint64_t t = 11; t <= 1010; t++)		/* one second more */
		ok += gw_ratelimit_take(&rl, t);
	assert_int_equal(ok, 100);
	gw_ratelimit_init(&rl, 0, 1, 1000, 0);		/* rate 0: one, then never */
	assert_true(gw_ratelimit_take(&rl, 0));
	assert_false(gw_ratelimit_take(&rl, 100000));
}

/* An IPv4/UDP packet of total bytes, DF as asked. */
static struct rte_mbuf *udp4(unsigned int total, bool df, uint8_t proto, uint8_t first)
{
	uint8_t b[2000] = { 0 };
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)b;

	ip->version_ihl = 0x45;
	ip->total_length = htons((uint16_t)total);
	ip->fragment_offset = htons(df ? RTE_IPV4_HDR_DF_FLAG : 0);
	ip->time_to_live = 9;
	ip->next_proto_id = proto;
	inet_pton(AF_INET, "10.1.0.2", &ip->src_addr);
	inet_pton(AF_INET, "10.2.0.2", &ip->dst_addr);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	b[20] = first;
	return gw_test_mbuf(pool, b, total);
}

static void test_frag_needed(void **state)
{
	struct rte_mbuf *o = udp4(1400, true, IPPROTO_UDP, 0), *e;
	const struct rte_ipv4_hdr *ip;
	const uint8_t *icmp;
	uint32_t src;

	(void)state;
	inet_pton(AF_INET, "10.1.0.1", &src);
	e = gw_icmp4_error(pool, o, GW_ICMP_UNREACH, GW_ICMP_UNREACH_NEEDFRAG, 1358, src);
	assert_non_null(e);
	ip = rte_pktmbuf_mtod(e, const struct rte_ipv4_hdr *);
	assert_int_equal(rte_pktmbuf_pkt_len(e), GW_ICMP4_MAX_LEN);	/* quoted up to 576 */
	assert_int_equal(ntohs(ip->total_length), GW_ICMP4_MAX_LEN);
	assert_int_equal(rte_ipv4_cksum(ip), 0);
	assert_int_equal(ip->src_addr, src);
	assert_memory_equal(&ip->dst_addr, rte_pktmbuf_mtod_offset(o, uint8_t *, 12), 4);
	icmp = (const uint8_t *)(ip + 1);
	assert_int_equal(icmp[0], 3);
	assert_int_equal(icmp[1], 4);
	assert_int_equal(icmp[6] << 8 | icmp[7], 1358);			/* next-hop MTU */
	assert_int_equal((uint16_t)~rte_raw_cksum(icmp, GW_ICMP4_MAX_LEN - 20), 0);
	assert_memory_equal(icmp + 8, rte_pktmbuf_mtod(o, uint8_t *), GW_ICMP4_MAX_LEN - 28);
	rte_pktmbuf_free(e);
	rte_pktmbuf_free(o);
}

static void test_no_error_about_errors(void **state)
{
	struct rte_mbuf *err = udp4(60, false, IPPROTO_ICMP, 3);	/* an unreachable */
	struct rte_mbuf *echo = udp4(60, false, IPPROTO_ICMP, 8);	/* an echo request */

	(void)state;
	assert_false(gw_icmp4_may_answer(err));
	assert_true(gw_icmp4_may_answer(echo));
	assert_null(gw_icmp4_error(pool, err, GW_ICMP_TIMXCEED, 0, 0, 0));
	rte_pktmbuf_free(err);
	rte_pktmbuf_free(echo);
}

static void test_packet_too_big(void **state)
{
	uint8_t b[1500] = { 0 }, src[16];
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)b;
	struct rte_mbuf *o, *e;
	const struct rte_ipv6_hdr *eip;
	const uint8_t *icmp;

	(void)state;
	ip->vtc_flow = htonl(6u << 28);
	ip->payload_len = htons(1500 - 40);
	ip->proto = IPPROTO_UDP;
	ip->hop_limits = 9;
	inet_pton(AF_INET6, "2001:db8:1::2", ip->src_addr);
	inet_pton(AF_INET6, "2001:db8:2::2", ip->dst_addr);
	inet_pton(AF_INET6, "2001:db8:1::1", src);
	o = gw_test_mbuf(pool, b, sizeof(b));
	e = gw_icmp6_error(pool, o, GW_ICMP6_PKT_TOO_BIG, 0, 1280, src);
	assert_non_null(e);
	eip = rte_pktmbuf_mtod(e, const struct rte_ipv6_hdr *);
	assert_int_equal(rte_pktmbuf_pkt_len(e), GW_ICMP6_MAX_LEN);
	icmp = (const uint8_t *)(eip + 1);
	assert_int_equal(icmp[0], 2);
	assert_int_equal(icmp[4] << 24 | icmp[5] << 16 | icmp[6] << 8 | icmp[7], 1280);
	assert_int_equal(rte_ipv6_udptcp_cksum_verify(eip, icmp), 0);
	assert_memory_equal(eip->dst_addr, ip->src_addr, 16);
	rte_pktmbuf_free(e);
	/* RFC 4443 2.4 e.3: multicast destination only for packet too big */
	inet_pton(AF_INET6, "ff05::2", rte_pktmbuf_mtod_offset(o, uint8_t *, 24));
	assert_null(gw_icmp6_error(pool, o, GW_ICMP6_TIME_EXCEEDED, 0, 0, src));
	e = gw_icmp6_error(pool, o, GW_ICMP6_PKT_TOO_BIG, 0, 1400, src);
	assert_non_null(e);
	rte_pktmbuf_free(e);
	rte_pktmbuf_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratelimit),
		cmocka_unit_test(test_frag_needed),
		cmocka_unit_test(test_no_error_about_errors),
		cmocka_unit_test(test_packet_too_big),
	};

	pool = gw_test_eal("test_gw_icmp");
	if (!pool)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
