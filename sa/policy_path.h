/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the SPD decides for a packet, in one place for every path that
 * carries packets (the gateway's workers, xfrmgw-pcap): the inbound check
 * of RFC 4301 5.2 (XFRM's __xfrm_policy_check) and the outbound resolution
 * of RFC 4301 5.1 (xfrm_lookup: policy, templates, SAs). The callers only
 * say where the packet is, which mark it carries and which XFRM interface
 * (if_id) it came on or is routed into; the packet is parsed by flow.h's
 * parser here, so two paths cannot see one packet differently.
 *
 * Default policies (Linux 5.16 XFRM_MSG_SETDEFAULT) are the SPD's
 * (spd_get_default): a packet that matches no policy of a direction whose
 * default is block is refused.
 */
#ifndef XFRMGW_SA_POLICY_PATH_H
#define XFRMGW_SA_POLICY_PATH_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <rte_byteorder.h>

#include "sa/flow.h"
#include "sa/sad.h"
#include "sa/spd.h"

struct rte_mbuf;

/* The SAs a packet went through (inbound: outermost first) or will (outbound: innermost first). */
struct secpath {
	uint8_t n;
	struct xfrm_sa *sa[XFRM_MAX_DEPTH];
};

enum policy_verdict {
	PV_PASS = 0,		/* in: accepted; out: no IPsec (no policy, or no template) */
	PV_BUNDLE,		/* out: apply the SAs of the result, innermost first */
	PV_BLOCK,		/* the matching policy's action is block */
	PV_DEFAULT_BLOCK,	/* no policy matched, the direction's default is block */
	PV_CLEARTEXT,		/* in: arrived in clear, its policy wants IPsec */
	PV_TEMPLATES,		/* in: the SAs it came through are not what its policy wants */
	PV_SELECTOR,		/* in: outside the selector of an SA it came through */
	PV_NO_POLICY_TUNNEL,	/* in: no policy, but it came out of a tunnel-mode SA */
	PV_ACQUIRE,		/* out: a required template has no SA yet */
	PV_MALFORMED,		/* the headers cannot be parsed (flow.h FLOW_BAD_CHAIN) */
	PV_MAX
};

/* A name for counters and logs ("policy_block", ...). */
const char *policy_verdict_name(enum policy_verdict v);

/* The receiving context of a packet. */
struct policy_ctx {
	uint32_t mark;		/* the packet's mark (after an SA's SET_MARK, inbound) */
	uint32_t if_id;		/* XFRM interface it came on / is routed into; 0: none */
	uint64_t now;		/* seconds, for policy use_time */
	bool icmp_local;	/* out: an ICMP error the gateway itself sends */
	bool host;		/* out: sent by the host's own stack (its IKE bypasses) */
};

/*
 * RFC 4301 5.2 / XFRM's inbound policy check for the IP packet at offset
 * off of m, in direction dir (XFRM_POLICY_IN for us, XFRM_POLICY_FWD
 * forwarded), that came through the SAs of sp (n 0: cleartext):
 *  1. the packet is inside the selector of every SA of sp (PV_SELECTOR);
 *  2. the first policy of dir matching the flow, the context's mark and
 *     if_id; none: PV_DEFAULT_BLOCK when dir's default is block, else
 *     PV_NO_POLICY_TUNNEL when an SA of sp was tunnel mode, else PV_PASS;
 *  3. block: PV_BLOCK; allow: its templates against sp as the kernel's
 *     xfrm_policy_ok (outermost template first, optional ones may be
 *     absent, transport SAs no template names may sit between; nothing
 *     but transport SAs may be left) -> PV_PASS, or PV_CLEARTEXT (sp
 *     empty) / PV_TEMPLATES;
 * Cleartext (sp empty) that policy_bypass() exempts passes first: IKE to
 * one of our addresses when dir is in, ND always.
 *  4. an ICMP error refused by 2-3 that came out of an SA with
 *     XFRM_STATE_ICMP is checked again as the reverse of the packet it
 *     quotes (RFC 4301 6.2; the kernel's icmp_rcv).
 * *pol (may be NULL) gets the policy that decided, or NULL.
 */
enum policy_verdict policy_check_in(const struct spd *spd, uint8_t dir, const struct rte_mbuf *m,
				    uint32_t off, const struct policy_ctx *ctx,
				    const struct secpath *sp, struct xfrm_policy **pol);

/* The same for a flow already parsed (step 4 not applied). */
enum policy_verdict policy_check_in_flow(const struct spd *spd, uint8_t dir,
					 const struct spd_flow *f, const struct secpath *sp,
					 uint64_t now, struct xfrm_policy **pol);

/* What policy_resolve_out found. */
struct policy_out {
	struct xfrm_policy *pol;	/* the out policy, NULL: none matched */
	struct spd_flow flow;		/* the flow it matched (reversed for icmp_local) */
	struct secpath bundle;		/* PV_BUNDLE: SAs innermost first */
	/* PV_ACQUIRE: the first required template without SA, and its SAD key */
	const struct xfrm_user_tmpl *missing;
	struct sad_out_key missing_key;
};

/*
 * RFC 4301 5.1 / xfrm_lookup for the IP packet at offset off of m: the
 * first out policy matching its flow, mark and if_id; its templates to
 * SAs in order (xfrm_tmpl_resolve: a tunnel template moves the endpoints
 * the next ones are looked up with; SAs found by the policy's mark and
 * if_id; an optional template without SA is skipped). With ctx->icmp_local,
 * an ICMP error that would leave without IPsec is tried again as the
 * reverse of the packet it quotes, and takes that policy only if it has
 * XFRM_POLICY_ICMP (the kernel's icmp_route_lookup). With ctx->host, what
 * policy_bypass() exempts passes before any lookup.
 * Returns PV_PASS (o->pol NULL: no policy; else a policy without
 * templates), PV_BUNDLE, PV_BLOCK, PV_DEFAULT_BLOCK, PV_ACQUIRE or
 * PV_MALFORMED.
 */
enum policy_verdict policy_resolve_out(const struct spd *spd, const struct sad *sad,
				       const struct rte_mbuf *m, uint32_t off,
				       const struct policy_ctx *ctx, struct policy_out *o);

/* The same for a parsed flow (mark and if_id taken from f). */
enum policy_verdict policy_resolve_out_flow(const struct spd *spd, const struct sad *sad,
					    const struct spd_flow *f, uint64_t now,
					    struct policy_out *o);

/*
 * IKE and Neighbour Discovery pass the SPD both ways: an IKE daemon puts a
 * bypass policy on its own sockets (IP_XFRM_POLICY), which the kernel
 * consults before the SPD; a data path sees no sockets, so it exempts what
 * they carry: UDP 500/4500 from (out) or to (in) one of our addresses, and
 * ND (RFC 4861, ICMPv6 133-137), without which no link works. ours: the
 * flow's local address (saddr out, daddr in) is one of ours.
 */
static inline bool policy_bypass(const struct spd_flow *f, bool out, bool ours)
{
	uint16_t port = out ? f->sport : f->dport;
	uint8_t type = (uint8_t)rte_be_to_cpu_16(f->sport);

	if (f->family == AF_INET6 && f->proto == IPPROTO_ICMPV6 && type >= 133 && type <= 137)
		return true;
	return ours && f->proto == IPPROTO_UDP &&
	       (port == RTE_BE16(500) || port == RTE_BE16(4500));
}

/* XFRM's SET_MARK on a mark (xfrm_smark_get). */
static inline uint32_t policy_smark(const struct xfrm_sa *sa, uint32_t mark)
{
	if (sa->smark.v || sa->smark.m)
		return (sa->smark.v & sa->smark.m) | (mark & ~sa->smark.m);
	return mark;
}

#endif
