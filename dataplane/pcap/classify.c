/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which way a packet goes, as the gateway decides it (dataplane/gw/ipsec.c):
 *  1. ESP, AH, or ESP in UDP on a NAT-T port of one of our SAs, whose SA is
 *     found by (daddr, SPI, proto): inbound (RFC 4301 5.2);
 *  2. else the SPD's out direction: block -> drop, allow -> the template
 *     list resolved to SAs, innermost first (RFC 4301 5.1), a missing one
 *     -> "no SA (acquire)";
 *  3. else unchanged.
 * A packet that came out of an SA is only tried against inbound SAs again
 * (nested SAs); it is delivered, never sent back through the SPD.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "dataplane/pcap/pcap_mode.h"
#include "esp/esp.h"
#include "sa/sad.h"
#include "sa/spd.h"

#define IPV6_HLEN	40
#define UDP_HLEN	8
#define MAX_EXT_HDRS	8

/* What the IP header says about the payload. */
struct l3 {
	uint16_t family;
	uint8_t proto;		/* upper-layer protocol */
	bool fragment;		/* a fragment: not a whole ESP/AH packet */
	bool later_fragment;	/* offset > 0: no transport header at all */
	uint32_t l4;		/* offset of the upper-layer header */
	xfrm_address_t daddr;
};

/* IPv6 extension headers that may come before ESP/AH (RFC 8200 4.1). */
static int walk_ext6(const struct rte_mbuf *m, struct l3 *h)
{
	uint8_t buf[8];
	const uint8_t *e;

	for (int i = 0; i < MAX_EXT_HDRS; i++) {
		switch (h->proto) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			e = rte_pktmbuf_read(m, h->l4, 2, buf);
			if (!e)
				return -1;
			h->proto = e[0];
			h->l4 += (e[1] + 1u) * 8;
			break;
		case IPPROTO_FRAGMENT:
			e = rte_pktmbuf_read(m, h->l4, 8, buf);
			if (!e)
				return -1;
			h->proto = e[0];
			h->l4 += 8;
			h->fragment = true;
			h->later_fragment = ((e[2] << 8 | e[3]) & 0xfff8) != 0;
			return 0;
		default:
			return 0;
		}
	}
	return -1;
}

static int parse_l3(const struct rte_mbuf *m, struct l3 *h)
{
	uint8_t buf[IPV6_HLEN];
	const uint8_t *ip = rte_pktmbuf_read(m, 0, 20, buf);

	memset(h, 0, sizeof(*h));
	if (!ip)
		return -1;
	if (ip[0] >> 4 == 4) {
		h->family = AF_INET;
		h->proto = ip[9];
		h->l4 = (ip[0] & 0xfu) * 4u;
		h->fragment = ((ip[6] << 8 | ip[7]) & 0x3fff) != 0;	/* MF or offset */
		h->later_fragment = ((ip[6] << 8 | ip[7]) & 0x1fff) != 0;
		memcpy(&h->daddr.a4, ip + 16, 4);
		return h->l4 >= 20 ? 0 : -1;
	}
	ip = rte_pktmbuf_read(m, 0, IPV6_HLEN, buf);
	if (!ip || ip[0] >> 4 != 6)
		return -1;
	h->family = AF_INET6;
	h->proto = ip[6];
	h->l4 = IPV6_HLEN;
	memcpy(h->daddr.a6, ip + 24, 16);
	return walk_ext6(m, h);
}

/*
 * The SPD's view of a packet (the gateway's gw_flow_of), read with
 * rte_pktmbuf_read() so that headers split across segments are fine.
 */
void xpc_flow_of(const struct rte_mbuf *m, struct spd_flow *f)
{
	uint8_t buf[16];
	const uint8_t *l4, *src;
	struct l3 h;

	memset(f, 0, sizeof(*f));
	if (parse_l3(m, &h))
		return;
	f->family = h.family;
	f->daddr = h.daddr;
	f->proto = h.proto;
	src = rte_pktmbuf_read(m, h.family == AF_INET ? 12 : 8, sa_addr_len(h.family), buf);
	if (src)
		memcpy(&f->saddr, src, sa_addr_len(h.family));
	if (h.later_fragment)
		return;	/* ports are in the first fragment only */
	switch (h.proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
		l4 = rte_pktmbuf_read(m, h.l4, 4, buf);
		if (l4) {
			memcpy(&f->sport, l4, 2);
			memcpy(&f->dport, l4 + 2, 2);
		}
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* XFRM carries ICMP type and code in the port fields */
		l4 = rte_pktmbuf_read(m, h.l4, 2, buf);
		if (l4) {
			f->sport = htons(l4[0]);
			f->dport = htons(l4[1]);
		}
		break;
	}
}

/* Is (daddr, dport) where one of our SAs receives ESP in UDP? */
static bool natt_port(const struct xpc_db *db, const struct l3 *h, uint16_t dport)
{
	for (unsigned int i = 0; i < db->nnatt; i++) {
		const struct xpc_natt_port *p = &db->natt[i];

		if (p->port == dport && p->family == h->family &&
		    !memcmp(&p->daddr, &h->daddr, sa_addr_len(h->family)))
			return true;
	}
	return false;
}

enum in_verdict { IN_NONE, IN_SA, IN_DONE };

/* The SPI of an ESP/AH/ESP-in-UDP packet, or a verdict on the packet. */
static enum in_verdict inbound_spi(struct xpc_ctx *x, struct xpc_pkt *p, const struct l3 *h,
				   bool decapsulated, uint8_t *proto, bool *natt, uint32_t *spi)
{
	uint8_t buf[UDP_HLEN];
	const uint8_t *u;
	uint16_t dport;

	*natt = false;
	*proto = h->proto;
	switch (h->proto) {
	case IPPROTO_ESP:	/* SPI: first word (RFC 4303 2.1) */
	case IPPROTO_AH:	/* SPI: second word (RFC 4302 2.4) */
		u = rte_pktmbuf_read(p->m, h->l4 + (h->proto == IPPROTO_AH ? 4 : 0), 4, buf);
		if (!u)
			goto truncated;
		memcpy(spi, u, 4);
		return IN_SA;
	case IPPROTO_UDP:
		u = rte_pktmbuf_read(p->m, h->l4, UDP_HLEN, buf);
		if (!u)
			return IN_NONE;
		memcpy(&dport, u + 2, 2);
		if (!natt_port(x->db, h, dport))
			return IN_NONE;
		break;
	default:
		return IN_NONE;
	}
	/* what came out of an SA is delivered unless it is ESP for another SA */
	/* RFC 3948 2.2, 2.3: ESP, IKE (non-ESP marker) or a keepalive */
	switch (esp_natt_classify(p->m, spi)) {
	case ESP_NATT_ESP:
		x->cnt->natt_esp++;
		*natt = true;
		*proto = IPPROTO_ESP;
		return IN_SA;
	case ESP_NATT_IKE:
		if (decapsulated)
			return IN_NONE;
		xpc_pass(x, p, XPC_PASS_NATT_IKE);
		return IN_DONE;
	case ESP_NATT_KEEPALIVE:
		if (decapsulated)
			return IN_NONE;
		xpc_drop(x, p, XPC_DROP_NATT_KEEPALIVE);
		return IN_DONE;
	default:
		goto truncated;
	}

truncated:
	if (decapsulated)
		return IN_NONE;
	xpc_drop(x, p, XPC_DROP_TRUNCATED);
	return IN_DONE;
}

/* Step 1. IN_NONE: not for one of our SAs. */
static enum in_verdict classify_inbound(struct xpc_ctx *x, struct xpc_pkt *p, const struct l3 *h,
					bool decapsulated)
{
	enum in_verdict v;
	struct xfrm_sa *sa;
	uint32_t spi = 0;
	uint8_t proto;
	bool natt;

	if (h->fragment)
		return IN_NONE;
	v = inbound_spi(x, p, h, decapsulated, &proto, &natt, &spi);
	if (v != IN_SA)
		return v;
	sa = sad_lookup_in(x->db->sad, &h->daddr, h->family, spi, proto, 0, 0);
	if (!sa) {
		x->cnt->unknown_spi++;
		return IN_NONE;
	}
	if (!sa_is_valid(sa) || sa->has_encap != natt || !sa->ops) {
		xpc_drop(x, p, XPC_DROP_NO_SA);
		return IN_DONE;
	}
	if (p->depth >= XPC_MAX_STAGES) {
		xpc_drop(x, p, XPC_DROP_TOO_DEEP);
		return IN_DONE;
	}
	p->dir = XPC_IN;
	p->sa[0] = sa;
	p->stage = 0;
	p->nstage = 1;
	p->fate = XPC_RUN;
	return IN_SA;
}

/* The SAD key of template t, the flow's addresses unless t is a tunnel. */
static void out_key(const struct xfrm_user_tmpl *t, const xfrm_address_t *saddr,
		    const xfrm_address_t *daddr, uint16_t family, struct sad_out_key *k)
{
	memset(k, 0, sizeof(*k));
	if (t->mode == XFRM_MODE_TUNNEL || t->mode == XFRM_MODE_BEET) {
		k->saddr = t->saddr;
		k->daddr = t->id.daddr;
		k->family = t->family;
	} else {
		k->saddr = *saddr;
		k->daddr = *daddr;
		k->family = family;
	}
	k->reqid = t->reqid;
	k->proto = t->id.proto;
	k->mode = t->mode;
	k->spi = t->id.spi;
}

/*
 * Templates -> SAs, innermost first (xfrm_tmpl_resolve): a tunnel template
 * moves the endpoints for the templates after it; an optional template
 * without SA is skipped. false if a required one has no SA.
 */
static bool resolve_bundle(struct xpc_ctx *x, const struct xfrm_policy *pol,
			   const struct spd_flow *f, struct xpc_pkt *p)
{
	xfrm_address_t saddr = f->saddr, daddr = f->daddr;
	uint16_t family = f->family;
	struct sad_out_key k;

	p->nstage = 0;
	for (unsigned int i = 0; i < pol->ntmpl && i < XPC_MAX_STAGES; i++) {
		const struct xfrm_user_tmpl *t = &pol->tmpl[i];
		struct xfrm_sa *sa;

		out_key(t, &saddr, &daddr, family, &k);
		sa = sad_lookup_out(x->db->sad, &k);
		if (!sa || !sa->ops) {
			if (t->optional)
				continue;
			return false;
		}
		p->sa[p->nstage++] = sa;
		saddr = k.saddr;
		daddr = k.daddr;
		family = k.family;
	}
	return true;
}

/* Step 2. */
static void classify_outbound(struct xpc_ctx *x, struct xpc_pkt *p)
{
	struct xfrm_policy *pol;
	struct spd_flow f;

	xpc_flow_of(p->m, &f);
	pol = spd_lookup(x->db->spd, XFRM_POLICY_OUT, &f);
	if (!pol) {
		xpc_pass(x, p, XPC_PASS_NO_POLICY);
		return;
	}
	spd_policy_used(pol, x->now);
	if (pol->action == XFRM_POLICY_BLOCK) {
		xpc_drop(x, p, XPC_DROP_POLICY_BLOCK);
		return;
	}
	if (!resolve_bundle(x, pol, &f, p)) {
		xpc_drop(x, p, XPC_DROP_ACQUIRE);
		return;
	}
	if (!p->nstage) {
		xpc_pass(x, p, XPC_PASS_BYPASS);
		return;
	}
	p->dir = XPC_OUT;
	p->stage = 0;
	p->fate = XPC_RUN;
}

void xpc_classify(struct xpc_ctx *x, struct xpc_pkt *p, bool decapsulated)
{
	struct l3 h;

	if (parse_l3(p->m, &h)) {
		if (decapsulated)
			p->fate = XPC_DONE_DECAP;	/* esp/ checked the IP header */
		else
			xpc_drop(x, p, XPC_DROP_MALFORMED);
		return;
	}
	switch (classify_inbound(x, p, &h, decapsulated)) {
	case IN_SA:
	case IN_DONE:
		return;
	case IN_NONE:
		break;
	}
	if (decapsulated)
		p->fate = XPC_DONE_DECAP;
	else
		classify_outbound(x, p);
}

void xpc_drop(struct xpc_ctx *x, struct xpc_pkt *p, enum xpc_drop why)
{
	x->cnt->drop[why]++;
	p->fate = XPC_DONE_DROP;
}

void xpc_pass(struct xpc_ctx *x, struct xpc_pkt *p, enum xpc_pass why)
{
	x->cnt->passed[why]++;
	p->fate = XPC_DONE_PASS;
}
