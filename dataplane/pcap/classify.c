/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which way a packet goes, as the gateway decides it: every policy decision
 * is sa/policy_path.h's, the code the gateway's workers run.
 *  1. ESP, AH, or ESP in UDP on a NAT-T port of one of our SAs, whose SA is
 *     found by (daddr, SPI, proto): inbound (RFC 4301 5.2);
 *  2. else (cleartext, or what came out of its last SA) the inbound check:
 *     the in policies for our addresses, fwd for the others, with the SAs
 *     it came through; refused -> dropped under the verdict's reason;
 *  3. cleartext for one of our addresses is then passed (the gateway
 *     delivers it to its host); other cleartext goes to the SPD's out
 *     direction: block -> drop, allow -> the template list resolved to SAs,
 *     innermost first (RFC 4301 5.1), a missing one -> "no SA (acquire)";
 *     no policy -> unchanged.
 * A packet that came out of an SA is only tried against inbound SAs again
 * (nested SAs); it is delivered, never sent back through the SPD.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "dataplane/pcap/pcap_mode.h"
#include "sa/flow.h"
#include "sa/policy_path.h"
#include "sa/sad.h"
#include "sa/spd.h"

/* The SPD's verdicts (sa/policy_path.h) as this mode's drop reasons. */
static const uint8_t verdict_drop[PV_MAX] = {
	[PV_BLOCK] = XPC_DROP_POLICY_BLOCK,
	[PV_DEFAULT_BLOCK] = XPC_DROP_POLICY_DEFAULT_BLOCK,
	[PV_CLEARTEXT] = XPC_DROP_POLICY_CLEARTEXT,
	[PV_TEMPLATES] = XPC_DROP_POLICY_TEMPLATES,
	[PV_SELECTOR] = XPC_DROP_POLICY_MISMATCH,
	[PV_NO_POLICY_TUNNEL] = XPC_DROP_POLICY_NONE_TUNNEL,
	[PV_ACQUIRE] = XPC_DROP_ACQUIRE,
	[PV_MALFORMED] = XPC_DROP_BAD_EXT_HDRS,
};

void xpc_flow_of(const struct rte_mbuf *m, struct spd_flow *f)
{
	flow_parse(m, 0, f, NULL);
}

/* Is addr one of "our" addresses (--local, or derived from the policies)? */
static bool is_local(const struct xpc_db *db, uint16_t family, const xfrm_address_t *addr)
{
	for (unsigned int i = 0; i < db->nlocal; i++)
		if (db->local[i].family == family &&
		    !memcmp(&db->local[i].addr, addr, sa_addr_len(family)))
			return true;
	return false;
}

/* Is (daddr, dport) where one of our SAs receives ESP in UDP? */
static bool natt_port(const struct xpc_db *db, uint16_t family, const xfrm_address_t *daddr,
		      uint16_t dport)
{
	for (unsigned int i = 0; i < db->nnatt; i++) {
		const struct xpc_natt_port *p = &db->natt[i];

		if (p->port == dport && p->family == family &&
		    !memcmp(&p->daddr, daddr, sa_addr_len(family)))
			return true;
	}
	return false;
}

enum in_verdict { IN_NONE, IN_SA, IN_DONE };

/* The SPI of an ESP/AH/ESP-in-UDP packet, or a verdict on the packet. */
static enum in_verdict inbound_spi(struct xpc_ctx *x, struct xpc_pkt *p, const struct flow_hdrs *h,
				   const struct spd_flow *f, bool decapsulated, uint8_t *proto,
				   bool *natt, uint32_t *spi)
{
	uint8_t buf[4];
	const uint8_t *u;

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
		if (!natt_port(x->db, f->family, &f->daddr, f->dport))
			return IN_NONE;
		break;
	default:
		return IN_NONE;
	}
	/* RFC 3948 2.2, 2.3: ESP, IKE (non-ESP marker) or a keepalive */
	switch (flow_natt_classify(p->m, h->l4, spi)) {
	case FLOW_NATT_ESP:
		x->cnt->natt_esp++;
		*natt = true;
		*proto = IPPROTO_ESP;
		return IN_SA;
	case FLOW_NATT_IKE:
		if (decapsulated)
			return IN_NONE;
		xpc_pass(x, p, XPC_PASS_NATT_IKE);
		return IN_DONE;
	case FLOW_NATT_KEEPALIVE:
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
static enum in_verdict classify_inbound(struct xpc_ctx *x, struct xpc_pkt *p,
					const struct flow_hdrs *h, const struct spd_flow *f,
					bool decapsulated)
{
	enum in_verdict v;
	struct xfrm_sa *sa;
	uint32_t spi = 0;
	uint8_t proto;
	bool natt;

	/*
	 * A fragment is reassembled first; a Routing header with segments left
	 * sends the packet on before anything after it is read (RFC 8200 4.4):
	 * the gateway gives both to its host, never to ESP/AH.
	 */
	if (h->fragment || h->routing_left)
		return IN_NONE;
	v = inbound_spi(x, p, h, f, decapsulated, &proto, &natt, &spi);
	if (v != IN_SA)
		return v;
	sa = sad_lookup_in(x->db->sad, &f->daddr, f->family, spi, proto, p->mark, 0);
	if (!sa) {
		x->cnt->unknown_spi++;
		/* for us without an SA: dropped, as the gateway and xfrm_input do */
		if (is_local(x->db, f->family, &f->daddr)) {
			xpc_drop(x, p, XPC_DROP_NO_SA);
			return IN_DONE;
		}
		return IN_NONE;	/* transit ESP/AH: cleartext to us */
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

/*
 * The inbound check (RFC 4301 5.2) of a packet that is not (or no longer)
 * ESP/AH for us: in for our addresses, fwd for others. false: dropped.
 */
static bool check_in(struct xpc_ctx *x, struct xpc_pkt *p, const struct spd_flow *f)
{
	struct policy_ctx ctx = { .mark = p->mark, .now = x->now };
	bool local = is_local(x->db, f->family, &f->daddr);
	enum policy_verdict v;

	if (p->sp.n)
		ctx.if_id = p->sp.sa[p->sp.n - 1]->if_id;
	v = policy_check_in(x->db->spd, local ? XFRM_POLICY_IN : XFRM_POLICY_FWD, p->m, 0, &ctx,
			    &p->sp, NULL);
	if (v == PV_PASS)
		return true;
	xpc_drop(x, p, (enum xpc_drop)verdict_drop[v]);
	return false;
}

/* Step 2: the SPD's out direction. */
static void classify_outbound(struct xpc_ctx *x, struct xpc_pkt *p)
{
	struct policy_ctx ctx = { .mark = p->mark, .now = x->now };
	struct policy_out o;
	enum policy_verdict v = policy_resolve_out(x->db->spd, x->db->sad, p->m, 0, &ctx, &o);

	switch (v) {
	case PV_PASS:
		xpc_pass(x, p, o.pol ? XPC_PASS_BYPASS : XPC_PASS_NO_POLICY);
		return;
	case PV_BUNDLE:
		break;
	default:
		xpc_drop(x, p, (enum xpc_drop)verdict_drop[v]);
		return;
	}
	if (o.bundle.n > XPC_MAX_STAGES) {
		xpc_drop(x, p, XPC_DROP_TOO_DEEP);
		return;
	}
	memcpy(p->sa, o.bundle.sa, o.bundle.n * sizeof(p->sa[0]));
	p->nstage = o.bundle.n;
	p->dir = XPC_OUT;
	p->stage = 0;
	p->fate = XPC_RUN;
}

void xpc_classify(struct xpc_ctx *x, struct xpc_pkt *p, bool decapsulated)
{
	struct flow_hdrs h;
	struct spd_flow f;

	switch (flow_parse(p->m, 0, &f, &h)) {
	case FLOW_OK:
		break;
	case FLOW_BAD_CHAIN:
		xpc_drop(x, p, XPC_DROP_BAD_EXT_HDRS);
		return;
	default:
		xpc_drop(x, p, XPC_DROP_MALFORMED);
		return;
	}
	switch (classify_inbound(x, p, &h, &f, decapsulated)) {
	case IN_SA:
	case IN_DONE:
		return;
	case IN_NONE:
		break;
	}
	/* cleartext, or what came out of its last SA: the in/fwd check */
	if (!check_in(x, p, &f))
		return;
	if (decapsulated)
		p->fate = XPC_DONE_DECAP;
	else if (is_local(x->db, f.family, &f.daddr))
		xpc_pass(x, p, XPC_PASS_LOCAL);
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
