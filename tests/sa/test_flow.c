/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * flow.h: packet to SPD flow. Each row names the rule it checks (RFC
 * section or the kernel function whose result we reproduce) and is run on
 * the packet in one segment, behind a link-header prefix, split at every
 * byte offset into two segments, and cut into 1-, 3- and 7-byte segments,
 * so no header is read differently when it straddles segments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <netinet/in.h>

#include <rte_mbuf.h>

#include "sa/flow.h"
#include "tests/sa/flow_pkt.h"

#define SRC4 "192.0.2.1"
#define DST4 "198.51.100.2"
#define SRC6 "2001:db8::1"
#define DST6 "2001:db8:ffff::2"
#define LINK_PREFIX 14

#ifndef IPPROTO_MH
#define IPPROTO_MH 135
#endif

/*
 * Packets as recipes: each header's Next Header is the following step's
 * protocol (No Next Header after the last). R(KIND, a, b) writes one step;
 * a and b are its a[0] and a[1].
 */

enum step_kind {
	S_END = 0,
	S_IP4,		/* a: flags/fragment word, b: option words (IHL 5 + b) */
	S_IP6,
	S_HBH,		/* a: Hdr Ext Len */
	S_DST,		/* a: Hdr Ext Len */
	S_RT,		/* a: Hdr Ext Len, b: Segments Left */
	S_FRAG,		/* a: offset (8-octet units), b: M flag */
	S_UDP,		/* a, b: ports */
	S_TCP,
	S_SCTP,
	S_ICMP,		/* a: type, b: code */
	S_ICMP6,
	S_GRE,		/* K bit, key a << 16 | b */
	S_GRE_CSUM,	/* C and K bits */
	S_GRE_NOKEY,
	S_MH,		/* a: MH type */
	S_ESP,
	S_AH,
	S_CUT,		/* drop a bytes from the end */
	S_SET,		/* byte a of the packet := b */
};

struct step {
	uint8_t k;
	uint16_t a[2];	/* the kind's arguments */
};

static uint8_t step_proto(uint8_t k)
{
	static const uint8_t p[] = {
		[S_IP4] = IPPROTO_IPIP, [S_IP6] = IPPROTO_IPV6, [S_HBH] = IPPROTO_HOPOPTS,
		[S_DST] = IPPROTO_DSTOPTS, [S_RT] = IPPROTO_ROUTING, [S_FRAG] = IPPROTO_FRAGMENT,
		[S_UDP] = IPPROTO_UDP, [S_TCP] = IPPROTO_TCP, [S_SCTP] = IPPROTO_SCTP,
		[S_ICMP] = IPPROTO_ICMP, [S_ICMP6] = IPPROTO_ICMPV6, [S_GRE] = IPPROTO_GRE,
		[S_GRE_CSUM] = IPPROTO_GRE, [S_GRE_NOKEY] = IPPROTO_GRE, [S_MH] = IPPROTO_MH,
		[S_ESP] = IPPROTO_ESP, [S_AH] = IPPROTO_AH,
	};

	if (k == S_END || k == S_CUT || k == S_SET)
		return IPPROTO_NONE;
	return p[k];
}

static void gre(struct pkt *p, uint8_t flags, uint32_t key)
{
	uint8_t *h = pkt_put(p, flags & 0x80 ? 12 : flags & 0x20 ? 8 : 4);
	uint8_t *k = h + (flags & 0x80 ? 8 : 4);

	h[0] = flags;
	pkt_be16(h + 2, 0x0800);
	if (flags & 0x20) {
		pkt_be16(k, (uint16_t)(key >> 16));
		pkt_be16(k + 2, (uint16_t)key);
	}
}

static void build(struct pkt *p, const struct step *s)
{
	p->len = 0;
	for (; s->k != S_END; s++) {
		uint8_t nh = step_proto(s[1].k);
		uint8_t *h;

		switch (s->k) {
		case S_IP4:
			pkt_ip4(p, nh, SRC4, DST4, s->a[0]);
			p->b[p->len - 20] = (uint8_t)(0x45 + s->a[1]);
			memset(pkt_put(p, 4u * s->a[1]), 1, 4u * s->a[1]);	/* NOP options */
			break;
		case S_IP6:
			pkt_ip6(p, nh, SRC6, DST6);
			break;
		case S_HBH:
		case S_DST:
			pkt_ext6(p, nh, (uint8_t)s->a[0], 0);
			break;
		case S_RT:
			pkt_ext6(p, nh, (uint8_t)s->a[0], (uint8_t)s->a[1]);
			break;
		case S_FRAG:
			pkt_frag6(p, nh, s->a[0], s->a[1]);
			break;
		case S_UDP:
			pkt_udp(p, s->a[0], s->a[1], 8);
			break;
		case S_TCP:
			pkt_tcp(p, s->a[0], s->a[1]);
			break;
		case S_SCTP:
			h = pkt_put(p, 12);
			pkt_be16(h, s->a[0]);
			pkt_be16(h + 2, s->a[1]);
			break;
		case S_ICMP:
		case S_ICMP6:
			pkt_icmp(p, (uint8_t)s->a[0], (uint8_t)s->a[1]);
			break;
		case S_GRE:
			gre(p, 0x20, (uint32_t)s->a[0] << 16 | s->a[1]);
			break;
		case S_GRE_CSUM:
			gre(p, 0xa0, (uint32_t)s->a[0] << 16 | s->a[1]);
			break;
		case S_GRE_NOKEY:
			gre(p, 0x00, 0);
			break;
		case S_MH:	/* RFC 6275 6.1.1: proto, len, type, reserved, checksum */
			h = pkt_put(p, 8);
			h[0] = IPPROTO_NONE;
			h[2] = (uint8_t)s->a[0];
			break;
		case S_ESP:
			h = pkt_put(p, 16);
			h[3] = 0x77;
			break;
		case S_AH:
			h = pkt_put(p, 24);
			h[0] = nh;
			h[1] = 4;	/* RFC 4302 2.2: 32-bit words minus 2 */
			h[7] = 0x66;
			break;
		case S_CUT:
			p->len -= s->a[0];
			break;
		case S_SET:
			p->b[s->a[0]] = (uint8_t)s->a[1];
			break;
		}
	}
}

/* ---- flow_parse ---- */

struct want {
	enum flow_status st;
	uint16_t family;
	uint8_t proto;
	uint16_t sport, dport;	/* host order */
	bool frag, later, rt_left;
	uint32_t l4;		/* checked when FLOW_OK */
};

struct parse_row {
	const char *src;
	struct step steps[24];
	struct want w;
};

#define R(kind, ...) { .k = S_##kind, .a = { __VA_ARGS__ } }
#define DST15 R(DST, 0), R(DST, 0), R(DST, 0), R(DST, 0), R(DST, 0), R(DST, 0), R(DST, 0), \
	      R(DST, 0), R(DST, 0), R(DST, 0), R(DST, 0), R(DST, 0), R(DST, 0), R(DST, 0), R(DST, 0)

static const struct parse_row parse_rows[] = {
	{ "RFC 9293 3.1 / RFC 4301 4.4.1.1: IPv4 TCP ports",
	  { R(IP4), R(TCP, 1234, 443) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_TCP,
	    .sport = 1234, .dport = 443, .l4 = 20 } },
	{ "RFC 768: IPv4 UDP ports",
	  { R(IP4), R(UDP, 5000, 53) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_UDP,
	    .sport = 5000, .dport = 53, .l4 = 20 } },
	{ "RFC 9260 3.1: SCTP ports",
	  { R(IP4), R(SCTP, 2905, 2906) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_SCTP,
	    .sport = 2905, .dport = 2906, .l4 = 20 } },
	{ "RFC 4301 4.4.1.1: ICMP type in sport, code in dport",
	  { R(IP4), R(ICMP, 3, 4) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_ICMP,
	    .sport = 3, .dport = 4, .l4 = 20 } },
	{ "RFC 2890 2.1 (xfrm gre_key): GRE key, high half sport, low half dport",
	  { R(IP4), R(GRE, 0x1234, 0x5678) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_GRE,
	    .sport = 0x1234, .dport = 0x5678, .l4 = 20 } },
	{ "RFC 2784 2.1 + RFC 2890 2: the key follows the checksum word",
	  { R(IP4), R(GRE_CSUM, 0xdead, 0xbeef) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_GRE,
	    .sport = 0xdead, .dport = 0xbeef, .l4 = 20 } },
	{ "RFC 2784 2: GRE without K bit: no key, ports 0",
	  { R(IP4), R(GRE_NOKEY) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_GRE, .l4 = 20 } },
	{ "RFC 791 3.1: IHL 7 (options) before UDP",
	  { R(IP4, 0, 2), R(UDP, 7, 9) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_UDP,
	    .sport = 7, .dport = 9, .l4 = 28 } },
	{ "RFC 791 3.1: DF alone is not a fragment",
	  { R(IP4, 0x4000), R(UDP, 7, 9) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_UDP,
	    .sport = 7, .dport = 9, .l4 = 20 } },
	{ "RFC 4301 7: IPv4 first fragment (MF, offset 0) carries the ports",
	  { R(IP4, 0x2000), R(UDP, 4000, 4001) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_UDP,
	    .sport = 4000, .dport = 4001, .frag = true, .l4 = 20 } },
	{ "RFC 4301 7: IPv4 later fragment (MF, offset 185): ports 0",
	  { R(IP4, 0x2000 | 185), R(UDP, 4000, 4001) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_UDP,
	    .frag = true, .later = true, .l4 = 20 } },
	{ "RFC 4301 7: IPv4 last fragment (offset, no MF): ports 0",
	  { R(IP4, 16), R(TCP, 80, 81) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_TCP,
	    .frag = true, .later = true, .l4 = 20 } },
	{ "RFC 4303 2: ESP ends the parse, l4 at the ESP header",
	  { R(IP4), R(ESP) },
	  { .st = FLOW_OK, .family = AF_INET, .proto = IPPROTO_ESP, .l4 = 20 } },

	{ "RFC 8200 3: IPv6 UDP",
	  { R(IP6), R(UDP, 546, 547) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_UDP,
	    .sport = 546, .dport = 547, .l4 = 40 } },
	{ "RFC 4443 2.1: ICMPv6 type/code",
	  { R(IP6), R(ICMP6, 128, 0) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_ICMPV6,
	    .sport = 128, .dport = 0, .l4 = 40 } },
	{ "RFC 6275 6.1.1: MH type in sport",
	  { R(IP6), R(DST, 0), R(MH, 5) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_MH,
	    .sport = 5, .dport = 0, .l4 = 48 } },
	{ "RFC 8200 4.3: Hop-by-Hop then UDP",
	  { R(IP6), R(HBH, 0), R(UDP, 1, 2) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_UDP,
	    .sport = 1, .dport = 2, .l4 = 48 } },
	{ "RFC 8200 4.6: Destination Options (Hdr Ext Len 2) then TCP",
	  { R(IP6), R(DST, 2), R(TCP, 3, 4) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_TCP,
	    .sport = 3, .dport = 4, .l4 = 64 } },
	{ "RFC 8200 4.4: Routing, Segments Left 0",
	  { R(IP6), R(RT, 2, 0), R(UDP, 5, 6) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_UDP,
	    .sport = 5, .dport = 6, .l4 = 64 } },
	{ "RFC 8200 4.4: Routing, Segments Left 3: routing_left",
	  { R(IP6), R(RT, 2, 3), R(UDP, 5, 6) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_UDP,
	    .sport = 5, .dport = 6, .rt_left = true, .l4 = 64 } },
	{ "RFC 8200 4.5 / RFC 4301 7: first fragment before UDP: ports read",
	  { R(IP6), R(FRAG, 0, 1), R(UDP, 500, 4500) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_UDP,
	    .sport = 500, .dport = 4500, .frag = true, .l4 = 48 } },
	{ "RFC 6946 4: an atomic fragment (offset 0, no M) is a whole packet",
	  { R(IP6), R(FRAG, 0, 0), R(UDP, 500, 4500) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_UDP,
	    .sport = 500, .dport = 4500, .l4 = 48 } },
	{ "RFC 8200 4.5 / RFC 4301 7: later fragment before UDP: ports 0",
	  { R(IP6), R(FRAG, 100, 1), R(UDP, 500, 4500) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_UDP,
	    .frag = true, .later = true, .l4 = 48 } },
	{ "RFC 8200 4.1 order: HBH, DstOpts, Routing (left 1), first Fragment, DstOpts, UDP",
	  { R(IP6), R(HBH, 0), R(DST, 1), R(RT, 2, 1), R(FRAG, 0, 1), R(DST, 0), R(UDP, 9, 10) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_UDP,
	    .sport = 9, .dport = 10, .frag = true, .rt_left = true, .l4 = 104 } },
	{ "RFC 8200 4.1 order: HBH, Routing (left 0), later Fragment, UDP",
	  { R(IP6), R(HBH, 1), R(RT, 0, 0), R(FRAG, 7, 0), R(UDP, 9, 10) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_UDP,
	    .frag = true, .later = true, .l4 = 72 } },
	{ "RFC 8200 4.5 (__skb_flow_dissect): a later fragment's data is no header, the walk stops",
	  { R(IP6), R(FRAG, 50, 1), R(DST, 0), R(ESP) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_DSTOPTS,
	    .frag = true, .later = true, .l4 = 48 } },
	{ "RFC 4303 / flow.h: ESP after Hop-by-Hop ends the walk",
	  { R(IP6), R(HBH, 0), R(ESP) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_ESP, .l4 = 48 } },
	{ "RFC 4302 / flow.h: AH ends the walk (what follows is not read)",
	  { R(IP6), R(DST, 0), R(AH), R(UDP, 1, 2) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_AH, .l4 = 48 } },
	{ "RFC 8200 4.7: No Next Header",
	  { R(IP6), R(DST, 0) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_NONE, .l4 = 48 } },
	{ "flow.h FLOW_MAX_EXT: 16 extension headers are read",
	  { R(IP6), R(HBH, 0), DST15, R(UDP, 11, 12) },
	  { .st = FLOW_OK, .family = AF_INET6, .proto = IPPROTO_UDP,
	    .sport = 11, .dport = 12, .l4 = 168 } },
	{ "flow.h FLOW_MAX_EXT: a 17th extension header is FLOW_BAD_CHAIN",
	  { R(IP6), R(HBH, 0), DST15, R(DST, 0), R(UDP, 11, 12) },
	  { .st = FLOW_BAD_CHAIN, .family = AF_INET6, .proto = IPPROTO_DSTOPTS } },
	{ "RFC 8200 4.1: Hop-by-Hop only right after the IPv6 header",
	  { R(IP6), R(DST, 0), R(HBH, 0), R(UDP, 1, 2) },
	  { .st = FLOW_BAD_CHAIN, .family = AF_INET6, .proto = IPPROTO_HOPOPTS } },
	{ "RFC 8200 4: chain cut inside an extension header's first 8 bytes",
	  { R(IP6), R(HBH, 0), R(DST, 0), R(UDP, 1, 2), R(CUT, 12) },
	  { .st = FLOW_BAD_CHAIN, .family = AF_INET6, .proto = IPPROTO_DSTOPTS } },
	{ "RFC 8200 4: chain cut inside a DstOpts longer than 8 bytes",
	  { R(IP6), R(DST, 3), R(UDP, 1, 2), R(CUT, 24) },
	  { .st = FLOW_BAD_CHAIN, .family = AF_INET6, .proto = IPPROTO_UDP } },
	{ "RFC 8200 4.5: Fragment header cut short",
	  { R(IP6), R(RT, 0, 0), R(FRAG, 0, 1), R(UDP, 1, 2), R(CUT, 12) },
	  { .st = FLOW_BAD_CHAIN, .family = AF_INET6, .proto = IPPROTO_FRAGMENT } },
	{ "flow.h FLOW_NOT_IP: IPv6 header of 39 bytes",
	  { R(IP6), R(CUT, 1) },
	  { .st = FLOW_NOT_IP } },
	{ "flow.h FLOW_NOT_IP: IPv4 header of 19 bytes",
	  { R(IP4), R(CUT, 1) },
	  { .st = FLOW_NOT_IP } },
	{ "RFC 791 3.1: IHL 4 is below the minimum",
	  { R(IP4), R(UDP, 1, 2), R(SET, 0, 0x44) },
	  { .st = FLOW_NOT_IP } },
	{ "RFC 791 3.1: IHL 15 (60 bytes) in a 28-byte packet is a short header",
	  { R(IP4), R(UDP, 1, 2), R(SET, 0, 0x4f) },
	  { .st = FLOW_NOT_IP } },
	{ "flow.h FLOW_NOT_IP: version 5",
	  { R(IP4), R(UDP, 1, 2), R(SET, 0, 0x55) },
	  { .st = FLOW_NOT_IP } },
	{ "flow.h FLOW_NOT_IP: empty packet",
	  { R(END) },
	  { .st = FLOW_NOT_IP } },
};

typedef bool (*layout_check)(const void *row, const struct pkt *p, struct rte_mbuf *m,
			     uint32_t off, const char *how);

/* One layout of a parse row: the row's answer, addresses too (not for FLOW_NOT_IP). */
static bool check_parse(const void *row, const struct pkt *p, struct rte_mbuf *m, uint32_t off,
			const char *how)
{
	const struct parse_row *r = row;
	const struct want *w = &r->w;
	struct spd_flow f;
	struct flow_hdrs h;
	enum flow_status st;
	xfrm_address_t s, d;

	memset(&f, 0xa5, sizeof(f));
	memset(&h, 0xa5, sizeof(h));
	st = flow_parse(m, off, &f, &h);
	if (st != w->st || f.family != w->family || h.family != w->family ||
	    (w->st != FLOW_NOT_IP && (f.proto != w->proto || h.proto != w->proto)) ||
	    f.sport != htons(w->sport) || f.dport != htons(w->dport) ||
	    f.mark || f.if_id || f.ifindex ||
	    (w->st == FLOW_OK && (h.fragment != w->frag || h.later_fragment != w->later ||
				  h.routing_left != w->rt_left || h.l4 != w->l4))) {
		print_error("%s [%s, %u bytes]: st %d proto %u ports %u/%u frag %d/%d rt %d "
			    "l4 %u\n",
			    r->src, how, p->len, st, f.proto, ntohs(f.sport), ntohs(f.dport),
			    h.fragment, h.later_fragment, h.routing_left, h.l4);
		return false;
	}
	if (w->st == FLOW_NOT_IP)
		return true;
	/* the addresses, also on FLOW_BAD_CHAIN (flow.h) */
	s = w->family == AF_INET ? sa_test_v4(SRC4) : sa_test_v6(SRC6);
	d = w->family == AF_INET ? sa_test_v4(DST4) : sa_test_v6(DST6);
	if (memcmp(&f.saddr, &s, sizeof(s)) || memcmp(&f.daddr, &d, sizeof(d))) {
		print_error("%s [%s]: addresses\n", r->src, how);
		return false;
	}
	return true;
}

/* Every segment layout of p gives the row's answer; returns how many did not. */
static unsigned int for_each_layout(struct rte_mempool *pool, const struct pkt *p,
				    layout_check check, const void *row)
{
	static const uint32_t seglens[] = { 1, 3, 7 };
	unsigned int bad = 0;
	struct rte_mbuf *m;
	char how[48];

	m = pkt_mbuf(pool, p, 0, 0, 0);
	assert_non_null(m);
	bad += !check(row, p, m, 0, "one segment");
	rte_pktmbuf_free(m);
	m = pkt_mbuf(pool, p, LINK_PREFIX, LINK_PREFIX, 0);
	assert_non_null(m);
	bad += !check(row, p, m, LINK_PREFIX, "behind a link header segment");
	rte_pktmbuf_free(m);
	for (uint32_t cut = 1; cut < p->len; cut++) {
		m = pkt_mbuf(pool, p, LINK_PREFIX, LINK_PREFIX + cut, 0);
		assert_non_null(m);
		assert_int_equal(m->nb_segs, 2);
		snprintf(how, sizeof(how), "split at %u", cut);
		bad += !check(row, p, m, LINK_PREFIX, how);
		rte_pktmbuf_free(m);
	}
	for (unsigned int i = 0; i < RTE_DIM(seglens); i++) {
		m = pkt_mbuf(pool, p, LINK_PREFIX, 0, seglens[i]);
		assert_non_null(m);
		snprintf(how, sizeof(how), "%u-byte segments", seglens[i]);
		bad += !check(row, p, m, LINK_PREFIX, how);
		rte_pktmbuf_free(m);
	}
	return bad;
}

static void test_parse_table(void **state)
{
	struct rte_mempool *pool = *state;
	struct pkt p;
	unsigned int bad = 0;

	for (unsigned int i = 0; i < RTE_DIM(parse_rows); i++) {
		build(&p, parse_rows[i].steps);
		bad += for_each_layout(pool, &p, check_parse, &parse_rows[i]);
	}
	assert_int_equal(bad, 0);
	/* nothing leaked by the layouts */
	assert_int_equal(rte_mempool_in_use_count(pool), 0);
}

/* f and h may each be NULL (flow.h). */
static void test_parse_null_outputs(void **state)
{
	struct rte_mempool *pool = *state;
	static const struct step s[] = { R(IP6), R(HBH, 0), R(UDP, 1, 2), R(END) };
	struct pkt p;
	struct rte_mbuf *m;
	struct spd_flow f;
	struct flow_hdrs h;

	build(&p, s);
	m = pkt_mbuf(pool, &p, 0, 0, 0);
	assert_non_null(m);
	assert_int_equal(flow_parse(m, 0, NULL, NULL), FLOW_OK);
	assert_int_equal(flow_parse(m, 0, &f, NULL), FLOW_OK);
	assert_int_equal(f.dport, htons(2));
	assert_int_equal(flow_parse(m, 0, NULL, &h), FLOW_OK);
	assert_int_equal(h.l4, 48);
	/* an offset past the packet is no IP packet */
	assert_int_equal(flow_parse(m, p.len, &f, &h), FLOW_NOT_IP);
	rte_pktmbuf_free(m);
}

/* ---- flow_icmp_quoted_reverse ---- */

struct quote_row {
	const char *src;
	bool v6;		/* outer and ICMP family */
	uint8_t type, code;	/* the ICMP message */
	struct step quoted[6];	/* the packet it quotes (SRC -> DST) */
	bool ok;
	uint8_t proto;
	uint16_t sport, dport;	/* of the reversed flow, host order */
};

static const struct quote_row quote_rows[] = {
	{ "RFC 792 type 3 / RFC 4301 6.2: quoted UDP, reversed",
	  false, 3, 3, { R(IP4), R(UDP, 1234, 53) }, true, IPPROTO_UDP, 53, 1234 },
	{ "RFC 792 type 11: quoted TCP, reversed",
	  false, 11, 0, { R(IP4), R(TCP, 40000, 22) }, true, IPPROTO_TCP, 22, 40000 },
	{ "RFC 792 type 12: parameter problem quoting UDP",
	  false, 12, 0, { R(IP4), R(UDP, 1, 2) }, true, IPPROTO_UDP, 2, 1 },
	{ "RFC 792 type 4: source quench",
	  false, 4, 0, { R(IP4), R(UDP, 1, 2) }, true, IPPROTO_UDP, 2, 1 },
	{ "RFC 792 type 5: redirect",
	  false, 5, 1, { R(IP4), R(UDP, 1, 2) }, true, IPPROTO_UDP, 2, 1 },
	{ "kernel decode_session4 (reverse): a quoted ICMP echo keeps type/code in place",
	  false, 11, 0, { R(IP4), R(ICMP, 8, 0) }, true, IPPROTO_ICMP, 8, 0 },
	{ "kernel decode_session4 (reverse): a quoted GRE key is not swapped",
	  false, 3, 4, { R(IP4), R(GRE, 0x1111, 0x2222) }, true, IPPROTO_GRE, 0x1111, 0x2222 },
	{ "RFC 4443 3.2: Packet Too Big quoting TCP after a DstOpts header",
	  true, 2, 0, { R(IP6), R(DST, 0), R(TCP, 443, 50000) }, true, IPPROTO_TCP, 50000, 443 },
	{ "RFC 4443 3.1: Destination Unreachable quoting UDP",
	  true, 1, 4, { R(IP6), R(UDP, 7, 8) }, true, IPPROTO_UDP, 8, 7 },
	{ "kernel decode_session6 (reverse): a quoted ICMPv6 echo keeps type/code in place",
	  true, 3, 0, { R(IP6), R(ICMP6, 128, 0) }, true, IPPROTO_ICMPV6, 128, 0 },
	{ "RFC 792: echo request (type 8) quotes nothing",
	  false, 8, 0, { R(IP4), R(UDP, 1, 2) }, .ok = false },
	{ "RFC 4443 4.1: echo request (type 128) quotes nothing",
	  true, 128, 0, { R(IP6), R(UDP, 1, 2) }, .ok = false },
	{ "RFC 792: quoted IP header cut short",
	  false, 3, 1, { R(IP4), R(UDP, 1, 2), R(CUT, 18) }, .ok = false },
	{ "RFC 4443: quoted extension chain cut short",
	  true, 1, 0, { R(IP6), R(DST, 2), R(UDP, 1, 2), R(CUT, 24) }, .ok = false },
	{ "family mismatch: ICMPv4 error quoting an IPv6 packet",
	  false, 3, 0, { R(IP6), R(UDP, 1, 2) }, .ok = false },
};

#define ERR_SRC4 "203.0.113.9"
#define ERR_SRC6 "2001:db8:eeee::9"

static void build_quote(struct pkt *p, const struct quote_row *r, uint32_t *l4)
{
	struct pkt q;

	build(&q, r->quoted);
	p->len = 0;
	/* the error goes back to the quoted packet's source */
	if (r->v6)
		pkt_ip6(p, IPPROTO_ICMPV6, ERR_SRC6, SRC6);
	else
		pkt_ip4(p, IPPROTO_ICMP, ERR_SRC4, SRC4, 0);
	*l4 = p->len;
	pkt_icmp(p, r->type, r->code);
	memcpy(pkt_put(p, q.len), q.b, q.len);
}

static bool check_quote(const void *row, const struct pkt *p, struct rte_mbuf *m, uint32_t off,
			const char *how)
{
	const struct quote_row *r = row;
	uint32_t l4 = r->v6 ? 40 : 20;
	struct spd_flow f;
	bool ok;
	xfrm_address_t s, d;

	memset(&f, 0xa5, sizeof(f));
	ok = flow_icmp_quoted_reverse(m, off + l4, r->v6 ? AF_INET6 : AF_INET, &f);
	if (ok != r->ok || (ok && (f.proto != r->proto || f.sport != htons(r->sport) ||
				   f.dport != htons(r->dport)))) {
		print_error("%s [%s, %u bytes]: %d proto %u ports %u/%u\n", r->src, how, p->len, ok,
			    f.proto, ntohs(f.sport), ntohs(f.dport));
		return false;
	}
	if (!ok)
		return true;
	/* reversed: the quoted destination is the source */
	s = r->v6 ? sa_test_v6(DST6) : sa_test_v4(DST4);
	d = r->v6 ? sa_test_v6(SRC6) : sa_test_v4(SRC4);
	if (f.family != (r->v6 ? AF_INET6 : AF_INET) || memcmp(&f.saddr, &s, sizeof(s)) ||
	    memcmp(&f.daddr, &d, sizeof(d)) || f.mark || f.if_id) {
		print_error("%s [%s]: family, addresses, mark or if_id\n", r->src, how);
		return false;
	}
	return true;
}

static void test_icmp_quoted_reverse(void **state)
{
	struct rte_mempool *pool = *state;
	struct pkt p;
	uint32_t l4;
	unsigned int bad = 0;

	for (unsigned int i = 0; i < RTE_DIM(quote_rows); i++) {
		build_quote(&p, &quote_rows[i], &l4);
		assert_int_equal(l4, quote_rows[i].v6 ? 40 : 20);
		bad += for_each_layout(pool, &p, check_quote, &quote_rows[i]);
	}
	assert_int_equal(bad, 0);
}

/* ---- flow_natt_classify ---- */

struct natt_row {
	const char *src;
	uint16_t ulen;		/* the UDP Length field */
	uint8_t payload[12];
	uint8_t plen;		/* payload bytes present */
	uint8_t trailer;	/* bytes after the datagram (link padding) */
	enum flow_natt want;
	uint32_t spi;		/* host order, FLOW_NATT_ESP */
};

static const struct natt_row natt_rows[] = {
	{ "RFC 3948 2.2: an ESP header (SPI, sequence number) follows UDP", 8 + 12,
	  { 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 1, 0xaa, 0xbb, 0xcc, 0xdd }, 12, 0,
	  FLOW_NATT_ESP, 0x01020304 },
	{ "RFC 3948 2.2: ESP header only (SPI and sequence number)", 8 + 8,
	  { 0, 0, 0x10, 0, 0, 0, 0, 9 }, 8, 0, FLOW_NATT_ESP, 0x1000 },
	{ "RFC 3948 2.2: non-ESP marker then IKE", 8 + 12,
	  { 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44 }, 12, 0, .want = FLOW_NATT_IKE },
	{ "RFC 3948 2.2: non-ESP marker alone", 8 + 4, { 0, 0, 0, 0 }, 4, 0,
	  .want = FLOW_NATT_IKE },
	{ "RFC 3948 2.3: NAT-keepalive, one 0xFF octet", 8 + 1, { 0xff }, 1, 0,
	  .want = FLOW_NATT_KEEPALIVE },
	{ "RFC 3948 2.3: NAT-keepalive in a frame padded by the link", 8 + 1, { 0xff }, 1, 17,
	  .want = FLOW_NATT_KEEPALIVE },
	{ "RFC 3948 2.3: one octet other than 0xFF", 8 + 1, { 0xfe }, 1, 0,
	  .want = FLOW_NATT_NONE },
	{ "RFC 3948 2.2: two octets are neither marker nor ESP", 8 + 2, { 1, 2 }, 2, 0,
	  .want = FLOW_NATT_NONE },
	{ "RFC 3948 2.2: SPI without sequence number", 8 + 4, { 0, 0, 1, 0 }, 4, 0,
	  .want = FLOW_NATT_NONE },
	{ "RFC 768: UDP Length below 8", 7, { 0 }, 0, 0, .want = FLOW_NATT_NONE },
	{ "RFC 768: UDP Length past the packet", 8 + 20, { 1, 2, 3, 4, 5, 6, 7, 8 }, 8, 0,
	  .want = FLOW_NATT_NONE },
	{ "RFC 768: UDP header alone (no payload)", 8, { 0 }, 0, 0, .want = FLOW_NATT_NONE },
};

static void build_natt(struct pkt *p, const struct natt_row *r)
{
	p->len = 0;
	pkt_ip4(p, IPPROTO_UDP, SRC4, DST4, 0);
	pkt_udp(p, 4500, 4500, r->ulen);
	memcpy(pkt_put(p, r->plen), r->payload, r->plen);
	pkt_put(p, r->trailer);
}

static bool check_natt(const void *row, const struct pkt *p, struct rte_mbuf *m, uint32_t off,
		       const char *how)
{
	const struct natt_row *r = row;
	uint32_t spi = 0xfefefefe;
	enum flow_natt got = flow_natt_classify(m, off + 20, &spi);

	if (got != r->want || (got == FLOW_NATT_ESP && spi != htonl(r->spi))) {
		print_error("%s [%s, %u bytes]: %d spi %08x\n", r->src, how, p->len, got,
			    ntohl(spi));
		return false;
	}
	/* *spi only written for ESP */
	return got == FLOW_NATT_ESP || spi == 0xfefefefe;
}

static void test_natt_classify(void **state)
{
	struct rte_mempool *pool = *state;
	struct pkt p;
	unsigned int bad = 0;

	for (unsigned int i = 0; i < RTE_DIM(natt_rows); i++) {
		build_natt(&p, &natt_rows[i]);
		bad += for_each_layout(pool, &p, check_natt, &natt_rows[i]);
	}
	/* a UDP header cut short */
	{
		struct natt_row r = { "UDP header cut short", 8 + 1, { 0xff }, 1, 0,
				      .want = FLOW_NATT_NONE };

		build_natt(&p, &r);
		p.len = 20 + 6;
		bad += for_each_layout(pool, &p, check_natt, &r);
	}
	assert_int_equal(bad, 0);
}

static int group_setup(void **state)
{
	return pkt_group_setup(state, "test_flow", 2047);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_null_outputs),
		cmocka_unit_test(test_icmp_quoted_reverse),
		cmocka_unit_test(test_natt_classify),
	};

	return cmocka_run_group_tests_name("flow", tests, group_setup, pkt_group_teardown);
}
