/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dataplane/gw/classify.c: which path a frame takes (table-driven).
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <rte_ip.h>

#include "dataplane/config.h"
#include "dataplane/gw/classify.h"
#include "dataplane/gw/route.h"
#include "gw_test_env.h"

static struct rte_mempool *pool;
static struct gw_routes *routes;
static const uint8_t our[6] = { 2, 0, 0, 0, 0, 1 };

enum { V4, V6 };

struct row {
	const char *what;
	int ver;
	const char *dst;
	uint8_t proto;
	uint16_t dport;		/* UDP */
	uint32_t first_word;	/* after the UDP header (marker or SPI) */
	uint16_t ff;		/* IPv4 fragment field */
	bool other_mac, bad_cksum;
	enum gw_class want;
	bool natt;
};

static const struct row rows[] = {
	{ "ESP to us", V4, "192.0.2.1", IPPROTO_ESP, 0, 0, 0, false, false, GW_CL_IPSEC, false },
	{ "AH to us", V4, "192.0.2.1", IPPROTO_AH, 0, 0, 0, false, false, GW_CL_IPSEC, false },
	{ "NAT-T ESP", V4, "192.0.2.1", IPPROTO_UDP, 4500, 0x1234, 0, false, false, GW_CL_IPSEC, true },
	{ "IKE behind the non-ESP marker", V4, "192.0.2.1", IPPROTO_UDP, 4500, 0, 0, false, false,
	  GW_CL_HOST, false },
	{ "IKE on 500", V4, "192.0.2.1", IPPROTO_UDP, 500, 7, 0, false, false, GW_CL_HOST, false },
	{ "ping to us", V4, "192.0.2.1", IPPROTO_ICMP, 0, 0, 0, false, false, GW_CL_HOST, false },
	{ "fragment to us", V4, "192.0.2.1", IPPROTO_ESP, 0, 0, RTE_IPV4_HDR_MF_FLAG, false, false,
	  GW_CL_REASM, false },
	{ "transit", V4, "198.51.100.7", IPPROTO_UDP, 4500, 1, 0, false, false, GW_CL_FORWARD, false },
	{ "broadcast", V4, "255.255.255.255", IPPROTO_UDP, 67, 0, 0, false, false, GW_CL_HOST, false },
	{ "other MAC", V4, "192.0.2.1", IPPROTO_ESP, 0, 0, 0, true, false, GW_CL_NOT_OURS, false },
	{ "bad checksum", V4, "192.0.2.1", IPPROTO_ESP, 0, 0, 0, false, true, GW_CL_MALFORMED, false },
	{ "ESP to us (v6)", V6, "2001:db8::1", IPPROTO_ESP, 0, 0, 0, false, false, GW_CL_IPSEC, false },
	{ "v6 fragment to us", V6, "2001:db8::1", IPPROTO_FRAGMENT, 0, 0, 0, false, false,
	  GW_CL_REASM, false },
	/* RFC 8200 4.1: ESP after a Destination Options header is still ESP for us */
	{ "ESP after DstOpts to us (v6)", V6, "2001:db8::1", IPPROTO_DSTOPTS, 0, 0, 0, false,
	  false, GW_CL_IPSEC, false },
	{ "v6 transit", V6, "2001:db8:9::1", IPPROTO_TCP, 0, 0, 0, false, false, GW_CL_FORWARD, false },
	{ "v6 link-local transit", V6, "fe80::9", IPPROTO_TCP, 0, 0, 0, false, false, GW_CL_NOT_OURS,
	  false },
	{ "v6 multicast", V6, "ff02::1", IPPROTO_UDP, 0, 0, 0, false, false, GW_CL_HOST, false },
};

static struct rte_mbuf *frame(const struct row *r)
{
	uint8_t b[200] = { 0 };
	unsigned int l4, total = 100;
	uint32_t fw = htonl(r->first_word);

	memcpy(b, r->other_mac ? (const uint8_t[6]){ 2, 9, 9, 9, 9, 9 } : our, 6);
	b[6] = 2;
	b[11] = 7;
	if (r->ver == V4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(b + 14);

		b[12] = 0x08;
		ip->version_ihl = 0x45;
		ip->total_length = htons((uint16_t)total);
		ip->fragment_offset = htons(r->ff);
		ip->time_to_live = 5;
		ip->next_proto_id = r->proto;
		inet_pton(AF_INET, "203.0.113.5", &ip->src_addr);
		inet_pton(AF_INET, r->dst, &ip->dst_addr);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		if (r->bad_cksum)
			ip->hdr_checksum ^= 1;
		l4 = 14 + 20;
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(b + 14);

		b[12] = 0x86;
		b[13] = 0xdd;
		ip->vtc_flow = htonl(6u << 28);
		ip->payload_len = htons((uint16_t)(total - 40));
		ip->proto = r->proto;
		ip->hop_limits = 5;
		inet_pton(AF_INET6, "2001:db8:5::5", ip->src_addr);
		inet_pton(AF_INET6, r->dst, ip->dst_addr);
		l4 = 14 + 40;
	}
	if (r->ver == V6 && (r->proto == IPPROTO_FRAGMENT || r->proto == IPPROTO_DSTOPTS)) {
		/* RFC 8200 4.5/4.6: one 8-byte extension header, ESP or UDP after it */
		b[l4] = r->proto == IPPROTO_DSTOPTS ? IPPROTO_ESP : IPPROTO_UDP;
		b[l4 + 3] = r->proto == IPPROTO_FRAGMENT ? 1 : 0;	/* M flag, offset 0 */
		l4 += 8;
	}
	if (r->proto == IPPROTO_UDP) {
		b[l4 + 2] = (uint8_t)(r->dport >> 8);
		b[l4 + 3] = (uint8_t)r->dport;
		b[l4 + 5] = (uint8_t)(total - (l4 - 14));
		memcpy(b + l4 + 8, &fw, 4);
	}
	return gw_test_mbuf(pool, b, 14 + total + 4);	/* with Ethernet padding */
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct rte_mbuf *m = frame(&rows[i]);
		struct gw_cls c;
		enum gw_class k = gw_classify(routes, 0, our, m, &c);

		if (k != rows[i].want)
			fail_msg("%s: class %d, expected %d", rows[i].what, k, rows[i].want);
		assert_int_equal(c.natt, rows[i].natt);
		if (k == GW_CL_IPSEC || k == GW_CL_FORWARD)
			assert_int_equal(rte_pktmbuf_pkt_len(m), 14 + 100);	/* padding trimmed */
		rte_pktmbuf_free(m);
	}
}

static void test_arp_and_nd(void **state)
{
	uint8_t arp[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 2, 0x08, 0x06 };
	uint8_t ns[86] = { 0x33, 0x33, 0xff, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x86, 0xdd, 0x60 };
	struct rte_mbuf *m;
	struct gw_cls c;

	(void)state;
	m = gw_test_mbuf(pool, arp, sizeof(arp));
	assert_int_equal(gw_classify(routes, 0, our, m, &c), GW_CL_ARP);
	rte_pktmbuf_free(m);
	ns[19] = 32;				/* payload length */
	ns[20] = IPPROTO_ICMPV6;
	ns[21] = 255;
	inet_pton(AF_INET6, "ff02::1:ff00:1", ns + 38);
	ns[54] = 135;
	m = gw_test_mbuf(pool, ns, sizeof(ns));
	assert_int_equal(gw_classify(routes, 0, our, m, &c), GW_CL_ND);
	rte_pktmbuf_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_arp_and_nd),
	};
	static struct xgw_config cfg;
	char err[256];

	pool = gw_test_eal("test_gw_classify");
	if (!pool || xgw_config_parse("c.conf", "port wan net_null0\naddress wan 192.0.2.1/24\n"
				      "address wan 2001:db8::1/64\n", &cfg, err, sizeof(err)))
		return 1;
	routes = gw_routes_build(&cfg, NULL, err, sizeof(err));
	if (!routes)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
