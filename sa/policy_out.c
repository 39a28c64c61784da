/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Outbound resolution (RFC 4301 5.1; see policy_path.h): policy, then its
 * template list to SAs.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "sa/policy_path.h"

/* The SAD key of template t: the current endpoints, unless t carries its own. */
static void out_key(const struct xfrm_policy *pol, const struct xfrm_user_tmpl *t,
		    const xfrm_address_t *saddr, const xfrm_address_t *daddr, uint16_t family,
		    struct sad_out_key *k)
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
	/* xfrm_state_find looks SAs up with the policy's mark and interface */
	k->mark = pol->mark.v & pol->mark.m;
	k->if_id = pol->if_id;
}

/* Templates -> SAs, innermost first (xfrm_tmpl_resolve). */
static enum policy_verdict resolve_tmpls(const struct sad *sad, const struct xfrm_policy *pol,
					 const struct spd_flow *f, struct policy_out *o)
{
	xfrm_address_t saddr = f->saddr, daddr = f->daddr;
	uint16_t family = f->family;
	struct sad_out_key k;

	o->bundle.n = 0;
	for (unsigned int i = 0; i < pol->ntmpl; i++) {
		const struct xfrm_user_tmpl *t = &pol->tmpl[i];
		struct xfrm_sa *sa;

		out_key(pol, t, &saddr, &daddr, family, &k);
		sa = sad_lookup_out(sad, &k);
		if (!sa || !sa->ops) {
			if (t->optional)
				continue;
			o->missing = t;
			o->missing_key = k;
			return PV_ACQUIRE;
		}
		o->bundle.sa[o->bundle.n++] = sa;
		saddr = k.saddr;
		daddr = k.daddr;
		family = k.family;
	}
	return o->bundle.n ? PV_BUNDLE : PV_PASS;
}

enum policy_verdict policy_resolve_out_flow(const struct spd *spd, const struct sad *sad,
					    const struct spd_flow *f, uint64_t now,
					    struct policy_out *o)
{
	struct xfrm_policy *pol = spd_lookup(spd, XFRM_POLICY_OUT, f);

	o->pol = pol;
	o->flow = *f;
	o->bundle.n = 0;
	o->missing = NULL;
	if (!pol)
		return spd_get_default(spd, XFRM_POLICY_OUT) == XFRM_USERPOLICY_BLOCK ?
		       PV_DEFAULT_BLOCK : PV_PASS;
	spd_policy_used(pol, now);
	if (pol->action == XFRM_POLICY_BLOCK)
		return PV_BLOCK;
	return resolve_tmpls(sad, pol, f, o);
}

enum policy_verdict policy_resolve_out(const struct spd *spd, const struct sad *sad,
				       const struct rte_mbuf *m, uint32_t off,
				       const struct policy_ctx *ctx, struct policy_out *o)
{
	struct flow_hdrs h;
	struct spd_flow f, r;
	struct xfrm_policy *rp;
	enum policy_verdict v;

	if (flow_parse(m, off, &f, &h) != FLOW_OK) {
		memset(o, 0, sizeof(*o));
		return PV_MALFORMED;
	}
	f.mark = ctx->mark;
	f.if_id = ctx->if_id;
	if (ctx->host && policy_bypass(&f, true, true)) {
		memset(o, 0, sizeof(*o));
		o->flow = f;
		return PV_PASS;
	}
	v = policy_resolve_out_flow(spd, sad, &f, ctx->now, o);
	if (!ctx->icmp_local || (v != PV_PASS && v != PV_BLOCK && v != PV_DEFAULT_BLOCK) ||
	    (f.proto != IPPROTO_ICMP && f.proto != IPPROTO_ICMPV6) || h.later_fragment ||
	    !flow_icmp_quoted_reverse(m, off + h.l4, f.family, &r))
		return v;
	/* RFC 4301 6.2: an error about a protected packet goes back the way it came */
	r.mark = ctx->mark;
	r.if_id = ctx->if_id;
	rp = spd_lookup(spd, XFRM_POLICY_OUT, &r);
	if (!rp || !(rp->flags & XFRM_POLICY_ICMP))
		return v;
	return policy_resolve_out_flow(spd, sad, &r, ctx->now, o);
}
