/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The inbound policy check (RFC 4301 5.2 steps 3b and 4; see policy_path.h).
 */
#include <string.h>

#include <rte_mbuf.h>

#include "sa/policy_path.h"

static const char *const verdict_names[PV_MAX] = {
	[PV_PASS] = "pass",
	[PV_BUNDLE] = "bundle",
	[PV_BLOCK] = "policy_block",
	[PV_DEFAULT_BLOCK] = "policy_default_block",
	[PV_CLEARTEXT] = "policy_cleartext",
	[PV_TEMPLATES] = "policy_templates",
	[PV_SELECTOR] = "policy_mismatch",
	[PV_NO_POLICY_TUNNEL] = "policy_none_tunnel",
	[PV_ACQUIRE] = "no_sa_acquire",
	[PV_MALFORMED] = "malformed_headers",
};

const char *policy_verdict_name(enum policy_verdict v)
{
	return (unsigned int)v < PV_MAX && verdict_names[v] ? verdict_names[v] : "unknown";
}

static bool addr_any(const xfrm_address_t *a)
{
	static const xfrm_address_t zero;

	return !memcmp(a, &zero, sizeof(zero));
}

/* Template endpoints against the SA's, an unset template address matching any. */
static bool tmpl_addrs_ok(const struct xfrm_user_tmpl *t, const struct xfrm_sa *sa)
{
	return (addr_any(&t->id.daddr) || !memcmp(&t->id.daddr, &sa->id.daddr, sizeof(sa->id.daddr))) &&
	       (addr_any(&t->saddr) || !memcmp(&t->saddr, &sa->saddr, sizeof(sa->saddr)));
}

/*
 * Does SA sa satisfy template t (xfrm_state_ok)? Protocol, SPI and reqid
 * when the template names them, mode, tunnel endpoints, and the interface
 * the packet came on. The template's algorithm masks are not compared:
 * iproute2 and IKE daemons set them all.
 */
static bool tmpl_ok(const struct xfrm_user_tmpl *t, const struct xfrm_sa *sa, uint32_t if_id)
{
	return sa->id.proto == t->id.proto && (!t->id.spi || t->id.spi == sa->id.spi) &&
	       (!t->reqid || t->reqid == sa->reqid) && sa->mode == t->mode &&
	       (sa->mode == XFRM_MODE_TRANSPORT || tmpl_addrs_ok(t, sa)) &&
	       (!if_id || if_id == sa->if_id);
}

/*
 * xfrm_policy_ok: where the search for the next template continues in sp
 * (from start), or -1 when required template t is not there. An optional
 * transport template is not looked for; a non-transport SA that t does not
 * name stops the search.
 */
static int tmpl_find(const struct xfrm_user_tmpl *t, const struct secpath *sp, int start,
		     uint32_t if_id)
{
	if (t->optional && t->mode == XFRM_MODE_TRANSPORT)
		return start;
	for (int i = start; i < sp->n; i++) {
		if (tmpl_ok(t, sp->sa[i], if_id))
			return i + 1;
		if (sp->sa[i]->mode != XFRM_MODE_TRANSPORT)
			break;
	}
	return t->optional ? start : -1;
}

static bool has_tunnel_from(const struct secpath *sp, int k)
{
	for (int i = k; i < sp->n; i++)
		if (sp->sa[i]->mode != XFRM_MODE_TRANSPORT)
			return true;
	return false;
}

/* RFC 4301 5.2 step 4: inside the selector of each SA (when it has one for this family). */
static bool selectors_ok(const struct secpath *sp, const struct spd_flow *f)
{
	for (unsigned int i = 0; i < sp->n; i++) {
		const struct xfrm_sa *sa = sp->sa[i];

		if (sa->sel.family && sa->sel.family == f->family &&
		    !spd_selector_match(&sa->sel, f))
			return false;
	}
	return true;
}

/* Steps 2 and 3 of policy_check_in for flow f. */
static enum policy_verdict check_policy(const struct spd *spd, uint8_t dir, const struct spd_flow *f,
					const struct secpath *sp, uint64_t now,
					struct xfrm_policy **out)
{
	struct xfrm_policy *pol = spd_lookup(spd, dir, f);
	int k = 0;

	*out = pol;
	if (!pol) {
		if (spd_get_default(spd, dir) == XFRM_USERPOLICY_BLOCK)
			return PV_DEFAULT_BLOCK;
		return has_tunnel_from(sp, 0) ? PV_NO_POLICY_TUNNEL : PV_PASS;
	}
	spd_policy_used(pol, now);
	if (pol->action == XFRM_POLICY_BLOCK)
		return PV_BLOCK;
	/* the outermost template (tmpl[n-1]) against the first SA removed */
	for (int i = (int)pol->ntmpl - 1; i >= 0 && k >= 0; i--)
		k = tmpl_find(&pol->tmpl[i], sp, k, f->if_id);
	if (k < 0 || has_tunnel_from(sp, k))
		return sp->n ? PV_TEMPLATES : PV_CLEARTEXT;
	return PV_PASS;
}

enum policy_verdict policy_check_in_flow(const struct spd *spd, uint8_t dir,
					 const struct spd_flow *f, const struct secpath *sp,
					 uint64_t now, struct xfrm_policy **pol)
{
	struct xfrm_policy *p = NULL;
	enum policy_verdict v = PV_SELECTOR;

	if (selectors_ok(sp, f))
		v = check_policy(spd, dir, f, sp, now, &p);
	if (pol)
		*pol = p;
	return v;
}

enum policy_verdict policy_check_in(const struct spd *spd, uint8_t dir, const struct rte_mbuf *m,
				    uint32_t off, const struct policy_ctx *ctx,
				    const struct secpath *sp, struct xfrm_policy **pol)
{
	struct flow_hdrs h;
	struct spd_flow f, r;
	enum policy_verdict v;

	if (pol)
		*pol = NULL;
	if (flow_parse(m, off, &f, &h) != FLOW_OK)
		return PV_MALFORMED;
	f.mark = ctx->mark;
	f.if_id = ctx->if_id;
	if (!sp->n && policy_bypass(&f, false, dir == XFRM_POLICY_IN))
		return PV_PASS;
	v = policy_check_in_flow(spd, dir, &f, sp, ctx->now, pol);
	if (v == PV_PASS || !sp->n ||
	    !(sp->sa[sp->n - 1]->flags & XFRM_STATE_ICMP) ||
	    (f.proto != IPPROTO_ICMP && f.proto != IPPROTO_ICMPV6) || h.later_fragment)
		return v;
	/* RFC 4301 6.2: an ICMP error about a packet this SA protects */
	if (!flow_icmp_quoted_reverse(m, off + h.l4, f.family, &r))
		return v;
	r.mark = ctx->mark;
	r.if_id = ctx->if_id;
	return policy_check_in_flow(spd, dir, &r, sp, ctx->now, pol);
}
