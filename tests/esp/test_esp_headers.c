/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP header rules, table driven; each row names the RFC 6040 table entry
 * or the kernel behaviour (xfrm4/xfrm6 tunnel mode) it checks:
 *  - tunnel encapsulation: outer DSCP/ECN (XFRM_SA_XFLAG_DONT_ENCAP_DSCP,
 *    XFRM_STATE_NOECN), DF (XFRM_STATE_NOPMTUDISC), TTL / hop limit, flow
 *    label, for IPv4 and IPv6 inner and outer;
 *  - tunnel decapsulation: all 16 entries of RFC 6040 4.2 Figure 4, with
 *    and without XFRM_STATE_NOECN, and XFRM_STATE_DECAP_DSCP;
 *  - NAT-T UDP checksum on input (IPv4: zero accepted; IPv6: zero dropped;
 *    wrong dropped; NIC verdict honoured);
 *  - RFC 3948 3.1.2 inner TCP/UDP checksum fix in transport mode, with and
 *    without NAT-OA, over chains.
 * Checksums are verified with this file's own RFC 1071 sum, not the one
 * under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "esp/esp.h"
#include "sa/sa_crypto.h"
#include "tests/esp/esp_test_util.h"

#define KEY "aead rfc4106(gcm(aes)) 0x000102030405060708090a0b0c0d0e0f10111213 128\n"
#define TUN4 "spi 0x2000\nsrc 192.0.2.1\ndst 192.0.2.2\nmode tunnel\n" KEY
#define TUN6 "spi 0x2000\nsrc 2001:db8::1\ndst 2001:db8::2\nmode tunnel\n" KEY

static int setup(void **state)
{
	static struct esp_test_fx f;

	if (esp_test_fx_init(&f, "test_esp_headers", "esp_hdr_test", 2047))
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	esp_test_fx_fini(*state);
	return 0;
}

static struct xfrm_sa *sa_make(const char *base, const char *extra)
{
	char text[1024], err[256] = "";
	struct xfrm_sa *sa;

	snprintf(text, sizeof(text), "%s%s", base, extra);
	sa = esp_test_sa_build(text, err, sizeof(err));
	if (!sa)
		fail_msg("SA: %s", err);
	return sa;
}

/* ---- an independent RFC 1071 checksum ---- */

static uint32_t sum16(const uint8_t *b, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* Pseudo-header + L4 sum of a flat IP packet (no IPv6 extension headers), folded. */
static uint16_t l4_sum(const uint8_t *pkt, size_t len)
{
	bool v6 = pkt[0] >> 4 == 6;
	size_t hl = v6 ? 40 : (size_t)(pkt[0] & 15) * 4;
	uint8_t proto = v6 ? pkt[6] : pkt[9];
	uint32_t s = sum16(pkt + (v6 ? 8 : 12), v6 ? 32 : 8) + proto + (uint32_t)(len - hl);

	return fold(s + sum16(pkt + hl, len - hl));
}

/* Write the L4 checksum of a flat packet (its checksum field must be 0). */
static void l4_fill(uint8_t *pkt, size_t len)
{
	bool v6 = pkt[0] >> 4 == 6;
	size_t hl = v6 ? 40 : (size_t)(pkt[0] & 15) * 4;
	uint8_t proto = v6 ? pkt[6] : pkt[9];
	size_t off = hl + (proto == IPPROTO_TCP ? 16 : 6);
	uint16_t ck = (uint16_t)~l4_sum(pkt, len);

	if (proto == IPPROTO_UDP && ck == 0)
		ck = 0xffff;
	pkt[off] = (uint8_t)(ck >> 8);
	pkt[off + 1] = (uint8_t)ck;
}

static bool ip4_hdr_ok(const uint8_t *pkt)
{
	return fold(sum16(pkt, (size_t)(pkt[0] & 15) * 4)) == 0xffff;
}

/* ---- inner packets ---- */

struct inner {
	int ver;		/* 4 or 6 */
	uint8_t tos;		/* TOS / traffic class */
	int df;			/* IPv4 DF */
	uint8_t ttl;		/* TTL / hop limit */
	uint32_t flow;		/* IPv6 flow label */
	uint8_t proto;		/* IPPROTO_UDP or IPPROTO_TCP */
	const char *src, *dst;
	uint32_t len;
};

/* A plain IPv4/IPv6 TCP or UDP packet with a correct L4 checksum; returns its length. */
static uint32_t inner_build(const struct inner *in, uint8_t *b)
{
	uint32_t len = in->len, hl = in->ver == 4 ? 20 : 40;

	memset(b, 0, len);
	for (uint32_t i = hl + 20; i < len; i++)
		b[i] = (uint8_t)(i * 13 + 5);
	if (in->ver == 4) {
		struct rte_ipv4_hdr *h = (struct rte_ipv4_hdr *)b;

		h->version_ihl = RTE_IPV4_VHL_DEF;
		h->type_of_service = in->tos;
		h->total_length = rte_cpu_to_be_16((uint16_t)len);
		h->packet_id = rte_cpu_to_be_16(0x1234);
		h->fragment_offset = in->df ? rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG) : 0;
		h->time_to_live = in->ttl;
		h->next_proto_id = in->proto;
		inet_pton(AF_INET, in->src ? in->src : "10.0.0.1", &h->src_addr);
		inet_pton(AF_INET, in->dst ? in->dst : "10.0.0.2", &h->dst_addr);
		h->hdr_checksum = rte_ipv4_cksum(h);
	} else {
		struct rte_ipv6_hdr *h = (struct rte_ipv6_hdr *)b;

		h->vtc_flow = rte_cpu_to_be_32(6u << 28 | (uint32_t)in->tos << 20 | in->flow);
		h->payload_len = rte_cpu_to_be_16((uint16_t)(len - 40));
		h->proto = in->proto;
		h->hop_limits = in->ttl;
		inet_pton(AF_INET6, in->src ? in->src : "2001:db8:1::1", h->src_addr);
		inet_pton(AF_INET6, in->dst ? in->dst : "2001:db8:2::2", h->dst_addr);
	}
	b[hl] = 0x30;	/* ports */
	b[hl + 1] = 0x39;
	b[hl + 2] = 0x27;
	b[hl + 3] = 0x0f;
	if (in->proto == IPPROTO_UDP) {
		b[hl + 4] = (uint8_t)((len - hl) >> 8);
		b[hl + 5] = (uint8_t)(len - hl);
	} else {
		b[hl + 12] = 0x50;	/* data offset 5 */
		b[hl + 13] = 0x10;	/* ACK */
	}
	l4_fill(b, len);
	return len;
}

static uint8_t tos_of(const uint8_t *ip)
{
	return ip[0] >> 4 == 4 ? ip[1] : (uint8_t)((ip[0] << 4) | (ip[1] >> 4));
}

static void set_outer_tos(uint8_t *ip, uint8_t tos)
{
	if (ip[0] >> 4 == 4) {
		ip[1] = tos;
		ip[10] = ip[11] = 0;
		memcpy(ip + 10, &(uint16_t){ rte_ipv4_cksum((struct rte_ipv4_hdr *)ip) }, 2);
	} else {
		ip[0] = (uint8_t)(0x60 | tos >> 4);
		ip[1] = (uint8_t)((ip[1] & 0x0f) | (tos << 4));
	}
}

/* Encapsulate one inner packet; returns the ESP packet's length in out. */
static int seal(struct esp_test_fx *f, struct xfrm_sa *sa, const uint8_t *b, uint32_t len,
		unsigned int segs, uint8_t *out)
{
	struct rte_mbuf *m = esp_test_mbuf(f->pool, b, len, segs, 0);
	int n;

	assert_non_null(m);
	if (esp_outbound(f->lc, sa, &m, 1) != 1)
		fail_msg("outbound dropped: %s", esp_drop_name(esp_mbuf_reason(m)));
	n = esp_test_flat(m, out, 4096);
	rte_pktmbuf_free(m);
	return n;
}

/* Decapsulate; returns the length of the result, or -(reason + 1). */
static int open1(struct esp_test_fx *f, struct xfrm_sa *sa, const uint8_t *b, uint32_t len,
		 unsigned int segs, uint64_t ol_flags, uint8_t *out)
{
	struct rte_mbuf *m = esp_test_mbuf(f->pool, b, len, segs, 0);
	int n;

	assert_non_null(m);
	m->ol_flags |= ol_flags;
	if (esp_inbound(f->lc, sa, &m, 1) != 1)
		n = -(int)esp_mbuf_reason(m) - 1;
	else
		n = esp_test_flat(m, out, 4096);
	rte_pktmbuf_free(m);
	return n;
}

/* ---- tunnel encapsulation ---- */

static const struct encap_row {
	const char *what;
	const char *flags;	/* SA "flags" words, "" for none */
	int inner_ver;
	uint8_t tos;		/* inner DSCP|ECN */
	uint8_t want;		/* outer DSCP|ECN */
} encap_rows[] = {
	{ "RFC 6040 4.1 normal mode: Not-ECT -> Not-ECT", "", 4, 0x00, 0x00 },
	{ "RFC 6040 4.1 normal mode: ECT(0) -> ECT(0)", "", 4, 0x02, 0x02 },
	{ "RFC 6040 4.1 normal mode: ECT(1) -> ECT(1)", "", 6, 0x01, 0x01 },
	{ "RFC 6040 4.1 normal mode: CE -> ECT(0)", "", 4, 0x03, 0x02 },
	{ "RFC 6040 4.1 normal mode: CE -> ECT(0), inner IPv6", "", 6, 0x03, 0x02 },
	{ "RFC 4301 5.1.2.1 / kernel: DSCP copied", "", 4, 0xb8 | 0x01, 0xb8 | 0x01 },
	{ "RFC 4301 5.1.2.1 / kernel: DSCP copied, CE -> ECT(0)", "", 6, 0xb8 | 0x03, 0xb8 | 0x02 },
	{ "kernel XFRM_SA_XFLAG_DONT_ENCAP_DSCP: DSCP 0, ECN kept", "dont_encap_dscp", 4, 0xb8 | 0x02, 0x02 },
	{ "kernel XFRM_SA_XFLAG_DONT_ENCAP_DSCP: DSCP 0, CE -> ECT(0)", "dont_encap_dscp", 6, 0x28 | 0x03, 0x02 },
	{ "RFC 6040 4.1 compatibility mode (XFRM_STATE_NOECN): Not-ECT", "noecn", 4, 0xb8 | 0x03, 0xb8 },
	{ "RFC 6040 4.1 compatibility mode (XFRM_STATE_NOECN): Not-ECT, IPv6", "noecn", 6, 0x28 | 0x01, 0x28 },
	{ "kernel NOECN + DONT_ENCAP_DSCP: all zero", "noecn dont_encap_dscp", 4, 0xbb, 0x00 },
};

static void test_encap_tos(void **state)
{
	struct esp_test_fx *f = *state;
	uint8_t in[512], out[4096];
	char extra[128];

	for (size_t r = 0; r < sizeof(encap_rows) / sizeof(encap_rows[0]); r++) {
		const struct encap_row *row = &encap_rows[r];

		for (int outer = 4; outer <= 6; outer += 2) {
			struct inner p = { .ver = row->inner_ver, .tos = row->tos, .ttl = 9,
					   .proto = IPPROTO_UDP, .len = 120 };
			struct xfrm_sa *sa;
			uint32_t len = inner_build(&p, in);

			snprintf(extra, sizeof(extra), "flags %s\n", row->flags);
			sa = sa_make(outer == 4 ? TUN4 : TUN6, row->flags[0] ? extra : "");
			assert_true(seal(f, sa, in, len, 2, out) > 0);
			if (tos_of(out) != row->want)
				fail_msg("%s (outer IPv%d): outer tos 0x%02x, want 0x%02x", row->what,
					 outer, tos_of(out), row->want);
			sa_put(sa);
		}
	}
}

static const struct df_row {
	const char *what;
	const char *flags;
	int inner_ver;
	int inner_df;
	int want_df;
} df_rows[] = {
	{ "kernel xfrm4 tunnel: inner DF copied (set)", "", 4, 1, 1 },
	{ "kernel xfrm4 tunnel: inner DF copied (clear)", "", 4, 0, 0 },
	{ "kernel xfrm4 tunnel: inner IPv6 -> DF", "", 6, 0, 1 },
	{ "kernel XFRM_STATE_NOPMTUDISC: DF clear over inner DF", "nopmtudisc", 4, 1, 0 },
	{ "kernel XFRM_STATE_NOPMTUDISC: DF clear over inner IPv6", "nopmtudisc", 6, 0, 0 },
};

static void test_encap_df_ttl_flow(void **state)
{
	struct esp_test_fx *f = *state;
	uint8_t in[512], out[4096];
	char extra[128];

	for (size_t r = 0; r < sizeof(df_rows) / sizeof(df_rows[0]); r++) {
		const struct df_row *row = &df_rows[r];
		struct inner p = { .ver = row->inner_ver, .df = row->inner_df, .ttl = 200,
				   .proto = IPPROTO_TCP, .len = 100 };
		uint32_t len = inner_build(&p, in);
		struct xfrm_sa *sa;
		int df;

		snprintf(extra, sizeof(extra), "flags %s\n", row->flags);
		sa = sa_make(TUN4, row->flags[0] ? extra : "");
		assert_true(seal(f, sa, in, len, 1, out) > 0);
		df = !!(out[6] & 0x40);
		if (df != row->want_df)
			fail_msg("%s: DF %d, want %d", row->what, df, row->want_df);
		assert_true(ip4_hdr_ok(out));
		sa_put(sa);
	}

	/* Kernel: outer TTL / hop limit is the route's default (64), whatever the inner. */
	static const uint8_t ttls[] = { 1, 64, 255 };
	for (int outer = 4; outer <= 6; outer += 2)
		for (int iv = 4; iv <= 6; iv += 2)
			for (size_t t = 0; t < sizeof(ttls); t++) {
				struct inner p = { .ver = iv, .ttl = ttls[t], .proto = IPPROTO_UDP,
						   .flow = 0xabcde, .len = 90 };
				uint32_t len = inner_build(&p, in);
				struct xfrm_sa *sa = sa_make(outer == 4 ? TUN4 : TUN6, "");
				uint8_t got;

				assert_true(seal(f, sa, in, len, 3, out) > 0);
				got = outer == 4 ? out[8] : out[7];
				if (got != 64)
					fail_msg("outer IPv%d, inner IPv%d TTL %u: outer TTL %u, want 64",
						 outer, iv, ttls[t], got);
				if (outer == 6) {
					/* Kernel xfrm6 tunnel: inner IPv6 flow label copied, else 0. */
					uint32_t fl = ((uint32_t)(out[1] & 0x0f) << 16) |
						      (uint32_t)out[2] << 8 | out[3];

					assert_int_equal(fl, iv == 6 ? 0xabcde : 0);
				}
				sa_put(sa);
			}
}

/* ---- tunnel decapsulation: RFC 6040 4.2 Figure 4 ---- */

#define DROP 0xff
static const char *const ecn_name[4] = { "Not-ECT", "ECT(1)", "ECT(0)", "CE" };

/* Figure 4, [inner][outer] (ECN codepoints: Not-ECT 0, ECT(1) 1, ECT(0) 2, CE 3). */
static const uint8_t fig4[4][4] = {
	/* outer:  Not-ECT  ECT(1)  ECT(0)  CE */
	[0] = { 0, 0, 0, DROP },	/* inner Not-ECT: (!!!) rows forwarded Not-ECT; CE dropped */
	[1] = { 1, 1, 1, 3 },		/* inner ECT(1) */
	[2] = { 2, 1, 2, 3 },		/* inner ECT(0): outer ECT(1) gives ECT(1) */
	[3] = { 3, 3, 3, 3 },		/* inner CE */
};

static void decap_case(struct esp_test_fx *f, int outer, int iv, const char *flags,
		       uint8_t inner_tos, uint8_t outer_tos, int want, const char *what)
{
	uint8_t in[512], pkt[4096], out[4096];
	struct inner p = { .ver = iv, .tos = inner_tos, .ttl = 33, .proto = IPPROTO_UDP,
			   .len = 140 };
	uint32_t len = inner_build(&p, in);
	char extra[128];
	struct xfrm_sa *sa;
	uint64_t before = esp_lcore_stats(f->lc)->drop[ESP_DROP_ECN];
	int n;

	snprintf(extra, sizeof(extra), "flags %s\n", flags);
	sa = sa_make(outer == 4 ? TUN4 : TUN6, flags[0] ? extra : "");
	n = seal(f, sa, in, len, 1, pkt);
	set_outer_tos(pkt, outer_tos);
	n = open1(f, sa, pkt, (uint32_t)n, 1 + (inner_tos & 3), 0, out);
	if (want == DROP) {
		if (n != -(int)ESP_DROP_ECN - 1)
			fail_msg("%s: not dropped (%d)", what, n);
		assert_int_equal(esp_lcore_stats(f->lc)->drop[ESP_DROP_ECN], before + 1);
	} else {
		if (n != (int)len)
			fail_msg("%s: dropped or wrong length (%d)", what, n);
		if (tos_of(out) != want)
			fail_msg("%s (outer IPv%d inner IPv%d): inner 0x%02x, want 0x%02x", what,
				 outer, iv, tos_of(out), want);
		/* Only the traffic class changed (and the IPv4 header checksum, still valid). */
		if (iv == 4) {
			assert_true(ip4_hdr_ok(out));
			assert_memory_equal(out + 2, in + 2, 8);
			assert_memory_equal(out + 12, in + 12, len - 12);
		} else {
			assert_int_equal(out[1] & 0x0f, in[1] & 0x0f);
			assert_memory_equal(out + 2, in + 2, len - 2);
		}
	}
	sa_put(sa);
}

static void test_decap_ecn(void **state)
{
	struct esp_test_fx *f = *state;
	char what[160];

	for (int outer = 4; outer <= 6; outer += 2)
		for (int iv = 4; iv <= 6; iv += 2)
			for (int i = 0; i < 4; i++)
				for (int o = 0; o < 4; o++) {
					uint8_t dscp = 0x28;

					snprintf(what, sizeof(what),
						 "RFC 6040 4.2 Fig. 4: inner %s, outer %s",
						 ecn_name[i], ecn_name[o]);
					decap_case(f, outer, iv, "", (uint8_t)(dscp | i),
						   (uint8_t)(0xb8 | o),
						   fig4[i][o] == DROP ? DROP : (dscp | fig4[i][o]), what);
					/* Kernel: NOECN leaves the inner ECN alone, drops nothing. */
					snprintf(what, sizeof(what),
						 "kernel XFRM_STATE_NOECN: inner %s, outer %s unchanged",
						 ecn_name[i], ecn_name[o]);
					decap_case(f, outer, iv, "noecn", (uint8_t)(dscp | i),
						   (uint8_t)(0xb8 | o), dscp | i, what);
				}
}

static const struct dscp_row {
	const char *what;
	const char *flags;
	uint8_t inner, outer, want;
} dscp_rows[] = {
	{ "RFC 4301 5.1.2.1 / kernel: inner DSCP kept", "", 0xb8, 0x28, 0xb8 },
	{ "kernel XFRM_STATE_DECAP_DSCP: outer DSCP copied", "decap_dscp", 0xb8, 0x28, 0x28 },
	{ "kernel DECAP_DSCP + RFC 6040 Fig. 4 ECT(0)/CE -> CE", "decap_dscp", 0xba, 0x2b, 0x2b },
	{ "kernel DECAP_DSCP + NOECN: DSCP copied, ECN kept", "decap_dscp noecn", 0xba, 0x2b, 0x2a },
	{ "kernel DECAP_DSCP: outer DSCP 0 copied", "decap_dscp", 0xb9, 0x00, 0x01 },
};

static void test_decap_dscp(void **state)
{
	struct esp_test_fx *f = *state;

	for (size_t r = 0; r < sizeof(dscp_rows) / sizeof(dscp_rows[0]); r++)
		for (int outer = 4; outer <= 6; outer += 2)
			for (int iv = 4; iv <= 6; iv += 2)
				decap_case(f, outer, iv, dscp_rows[r].flags, dscp_rows[r].inner,
					   dscp_rows[r].outer, dscp_rows[r].want, dscp_rows[r].what);
}

/* ---- NAT-T UDP checksum on input ---- */

/* Offset of the UDP checksum in a flat outer packet. */
static uint32_t udp_ck_off(const uint8_t *pkt)
{
	return (pkt[0] >> 4 == 4 ? (uint32_t)(pkt[0] & 15) * 4 : 40) + 6;
}

static void test_natt_udp_csum(void **state)
{
	struct esp_test_fx *f = *state;
	uint8_t in[512], pkt[4096], b[4096], out[4096];
	struct inner p = { .ver = 4, .ttl = 20, .proto = IPPROTO_UDP, .len = 301 };
	uint32_t len = inner_build(&p, in);

	for (int outer = 4; outer <= 6; outer += 2) {
		struct xfrm_sa *sa = sa_make(outer == 4 ? TUN4 : TUN6, "encap 4500 4500\n");
		int n = seal(f, sa, in, len, 4, pkt);
		uint32_t ck = udp_ck_off(pkt);
		uint16_t good = (uint16_t)(pkt[ck] << 8 | pkt[ck + 1]);

		/* RFC 3948 2.1: zero over IPv4; RFC 8200 8.1: computed over IPv6. */
		if (outer == 4) {
			assert_int_equal(good, 0);
		} else {
			assert_int_not_equal(good, 0);
			assert_int_equal(l4_sum(pkt, (size_t)n), 0xffff);
		}
		for (unsigned int segs = 1; segs <= 7; segs += 3) {
			struct {
				const char *what;
				int ck;			/* -1: computed, -2: computed and broken, else value */
				uint64_t ol;
				int want;		/* ESP_DROP_MAX: accepted */
			} rows[] = {
				{ "as sent", -3, 0, ESP_DROP_MAX },
				{ "RFC 768: zero over IPv4 accepted, RFC 8200 8.1: dropped over IPv6", 0,
				  0, outer == 4 ? ESP_DROP_MAX : ESP_DROP_UDP_CSUM },
				{ "RFC 768 / RFC 8200 8.1: a computed checksum verifies", -1, 0,
				  ESP_DROP_MAX },
				{ "kernel udp input: a wrong checksum is dropped", -2, 0,
				  ESP_DROP_UDP_CSUM },
				{ "NIC said good: trusted", -2, RTE_MBUF_F_RX_L4_CKSUM_GOOD,
				  ESP_DROP_MAX },
				{ "NIC said bad: dropped", -1, RTE_MBUF_F_RX_L4_CKSUM_BAD,
				  ESP_DROP_UDP_CSUM },
				{ "zero over IPv6 even if the NIC said good", 0,
				  RTE_MBUF_F_RX_L4_CKSUM_GOOD,
				  outer == 4 ? ESP_DROP_MAX : ESP_DROP_UDP_CSUM },
			};

			for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
				int got;

				memcpy(b, pkt, (size_t)n);
				if (rows[r].ck != -3) {
					b[ck] = b[ck + 1] = 0;
					if (rows[r].ck < 0) {
						uint16_t c = (uint16_t)~l4_sum(b, (size_t)n);

						if (c == 0)
							c = 0xffff;
						if (rows[r].ck == -2)
							c ^= 0x0100;
						b[ck] = (uint8_t)(c >> 8);
						b[ck + 1] = (uint8_t)c;
					}
				}
				sa->replay->top = 0;
				memset(sa->replay->bmp, 0, sizeof(uint64_t));
				got = open1(f, sa, b, (uint32_t)n, segs, rows[r].ol, out);
				got = got >= 0 ? ESP_DROP_MAX : -got - 1;
				if (got != rows[r].want)
					fail_msg("outer IPv%d, %u segs, %s: got %s", outer, segs,
						 rows[r].what,
						 got == ESP_DROP_MAX ? "accepted" :
						 esp_drop_name((enum esp_drop)got));
			}
		}
		sa_put(sa);
	}
}

/* ---- RFC 3948 3.1.2: transport mode inner checksum ---- */

static const struct trs_row {
	const char *what;
	int fam;
	uint8_t proto;
	const char *oa;		/* NAT-OA (the peer's original address), or NULL */
	bool want_zero;		/* UDP checksum set to zero */
} trs_rows[] = {
	{ "RFC 3948 3.1.2 step 1: UDP/IPv4, NAT-OA, incremental", 4, IPPROTO_UDP, "10.9.0.5", false },
	{ "RFC 3948 3.1.2 step 1: TCP/IPv4, NAT-OA, incremental", 4, IPPROTO_TCP, "10.9.0.5", false },
	{ "RFC 3948 3.1.2 step 3: UDP/IPv4 without NAT-OA: zero", 4, IPPROTO_UDP, NULL, true },
	{ "RFC 3948 3.1.2 step 2: TCP/IPv4 without NAT-OA: recomputed", 4, IPPROTO_TCP, NULL, false },
	{ "RFC 3948 3.1.2 step 1: UDP/IPv6, NAT-OA, incremental", 6, IPPROTO_UDP, "fd00::5", false },
	{ "RFC 3948 3.1.2 step 1: TCP/IPv6, NAT-OA, incremental", 6, IPPROTO_TCP, "fd00::5", false },
	{ "RFC 3948 3.1.2 step 2: UDP/IPv6 without NAT-OA: recomputed", 6, IPPROTO_UDP, NULL, false },
	{ "RFC 3948 3.1.2 step 2: TCP/IPv6 without NAT-OA: recomputed", 6, IPPROTO_TCP, NULL, false },
};

/*
 * The peer (private address oa, or a stand-in) sends a transport mode packet
 * whose L4 checksum covers its own address; the NAT rewrites the source to
 * the public address; our inbound SA (peer = public address) decapsulates.
 */
static void test_natt_transport_csum(void **state)
{
	struct esp_test_fx *f = *state;
	uint8_t in[2048], pkt[4096], out[4096];
	char sa_out[512], sa_in[512];

	for (size_t r = 0; r < sizeof(trs_rows) / sizeof(trs_rows[0]); r++) {
		const struct trs_row *row = &trs_rows[r];
		bool v6 = row->fam == 6;
		const char *priv = row->oa ? row->oa : (v6 ? "fd00::77" : "10.9.0.77");
		const char *pub = v6 ? "2001:db8:99::7" : "198.51.100.7";
		const char *us = v6 ? "2001:db8::2" : "192.0.2.2";

		snprintf(sa_out, sizeof(sa_out),
			 "spi 0x3000\nsrc %s\ndst %s\nmode transport\n" KEY "encap 4500 4500\n",
			 priv, us);
		snprintf(sa_in, sizeof(sa_in),
			 "spi 0x3000\nsrc %s\ndst %s\nmode transport\n" KEY "encap 4500 4500 %s\n",
			 pub, us, row->oa ? row->oa : "");
		for (uint32_t size = 61; size <= 1401; size += 670) {
			struct inner p = { .ver = row->fam, .ttl = 40, .proto = row->proto,
					   .src = priv, .dst = us, .len = size };
			uint32_t len = inner_build(&p, in);
			struct xfrm_sa *o = sa_make(sa_out, ""), *i = sa_make(sa_in, "");
			uint32_t hl = v6 ? 40 : 20, ck = hl + (row->proto == IPPROTO_TCP ? 16 : 6);
			int n;

			n = seal(f, o, in, len, 3, pkt);
			/* The NAT: new source, IPv4 header checksum fixed, outer UDP checksum
			 * left 0 over IPv4 and recomputed over IPv6 (a NAT66 would fix it). */
			if (v6) {
				uint32_t uck = udp_ck_off(pkt);

				inet_pton(AF_INET6, pub, pkt + 8);
				pkt[uck] = pkt[uck + 1] = 0;
				l4_fill(pkt, (size_t)n);
			} else {
				inet_pton(AF_INET, pub, pkt + 12);
				set_outer_tos(pkt, pkt[1]);
			}
			n = open1(f, i, pkt, (uint32_t)n, 2 + size % 5, 0, out);
			if (n != (int)len)
				fail_msg("%s, %u bytes: %s", row->what, size,
					 n < 0 ? esp_drop_name((enum esp_drop)(-n - 1)) : "wrong length");
			if (row->want_zero) {
				assert_int_equal(out[ck] | out[ck + 1], 0);
			} else if (l4_sum(out, len) != 0xffff) {
				fail_msg("%s, %u bytes: inner checksum does not verify", row->what,
					 size);
			}
			/* Nothing else changed but the source address. */
			assert_memory_equal(out + ck + 2, in + ck + 2, len - ck - 2);
			sa_put(o);
			sa_put(i);
		}
	}
}

/* Every mbuf taken in the suite went back. */
static void test_no_leak(void **state)
{
	struct esp_test_fx *f = *state;

	assert_int_equal(rte_mempool_in_use_count(f->pool), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encap_tos),
		cmocka_unit_test(test_encap_df_ttl_flow),
		cmocka_unit_test(test_decap_ecn),
		cmocka_unit_test(test_decap_dscp),
		cmocka_unit_test(test_natt_udp_csum),
		cmocka_unit_test(test_natt_transport_csum),
		cmocka_unit_test(test_no_leak),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
