/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SA bundles: a policy's template list applied in order outbound and
 * checked inbound, as XFRM does (xfrm_tmpl_resolve / xfrm_policy_ok).
 *
 * Templates are in XFRM order: tmpl[0] is applied first outbound (the
 * innermost header), tmpl[n-1] last (the outermost). "ESP then AH" gives
 * IP | AH | ESP | ... on the wire (RFC 4301 4.3's AH-over-ESP bundle).
 * Inbound the outermost header is checked against tmpl[n-1] first and each
 * SA removes its header before the next template is checked; a template
 * marked optional may be absent (XFRM's tmpl->optional, for IPComp), a
 * required one that is absent refuses the packet under its own counter.
 *
 * The bundle lives in sa/ beside the policy resolution that produces its
 * SA lists (policy_out.c): it applies SAs of any protocol through their
 * type (xfrm_type.h) and knows neither ESP's nor AH's code, so neither
 * protocol owns it and both reach it without depending on each other.
 */
#ifndef XFRMGW_SA_BUNDLE_H
#define XFRMGW_SA_BUNDLE_H

#include <stdbool.h>
#include <stdint.h>

#include "sa/sa.h"
#include "sa/xfrm_type.h"

#define BUNDLE_MAX 4	/* the kernel allows XFRM_MAX_DEPTH (6); ESP+AH need 2 */

/* One template of a policy (struct xfrm_user_tmpl, the parts a bundle checks). */
struct bundle_tmpl {
	uint8_t proto;		/* IPPROTO_ESP or IPPROTO_AH */
	uint8_t mode;		/* XFRM_MODE_TRANSPORT or XFRM_MODE_TUNNEL */
	bool optional;		/* may be absent inbound / unresolved outbound */
	uint32_t reqid;		/* 0: any */
};

struct bundle {
	uint8_t n;
	struct bundle_tmpl tmpl[BUNDLE_MAX];
	struct xfrm_sa *sa[BUNDLE_MAX];	/* the SA of each template (NULL: optional, none) */
};

/* Why the bundle itself refused a packet (ESP/AH reasons are in their stats). */
enum bundle_drop {
	BUNDLE_DROP_MISSING_AH = 0,	/* an AH template required, packet has no AH there */
	BUNDLE_DROP_MISSING_ESP,	/* an ESP template required, packet has no ESP there */
	BUNDLE_DROP_WRONG_SA,		/* right protocol, SPI of another SA */
	BUNDLE_DROP_MALFORMED,		/* IP header unreadable */
	BUNDLE_DROP_ESP,		/* refused by the ESP stage (see esp_stats) */
	BUNDLE_DROP_AH,			/* refused by the AH stage (see ah_stats) */
	BUNDLE_DROP_MAX
};

struct bundle_stats {
	uint64_t in_packets, out_packets;
	uint64_t drop[BUNDLE_DROP_MAX];
};

const char *bundle_drop_name(enum bundle_drop reason);

/* One per thread: the per-lcore states of the types it drives (not owned). */
struct bundle_lcore {
	const struct xfrm_lcore *xl;
	struct bundle_stats stats;
};

/*
 * Fill b from n templates and their SAs, checking each SA against its
 * template (protocol, mode, reqid when set) and that its ops are chosen
 * (sa->ops, by its type's init_state). 0, or -EINVAL with *why set.
 */
int bundle_init(struct bundle *b, const struct bundle_tmpl *tmpl, struct xfrm_sa *const *sa,
		unsigned int n, const char **why);

/*
 * Apply the templates in order to plain packets. Returns the good count;
 * refused packets follow them (reason: xfrm_mbuf_reason with the stage's SA).
 */
uint16_t bundle_outbound(struct bundle_lcore *bl, const struct bundle *b, struct rte_mbuf *mb[],
			 uint16_t n);

/*
 * Check and remove the bundle's headers from packets received for it,
 * outermost template first. Returns the good count (decapsulated, in their
 * original order); refused packets follow them.
 */
uint16_t bundle_inbound(struct bundle_lcore *bl, const struct bundle *b, struct rte_mbuf *mb[],
			uint16_t n);

#endif
