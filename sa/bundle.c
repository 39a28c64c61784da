/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SA bundles (bundle.h): templates applied in order outbound, checked from
 * the outermost inbound, each stage one burst call through the SA's type.
 */
#include <string.h>

#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "sa/bundle.h"
#include "sa/flow.h"

#ifndef unlikely
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

#define BUNDLE_BURST 32u

static const char *const drop_names[BUNDLE_DROP_MAX] = {
	[BUNDLE_DROP_MISSING_AH] = "missing_ah",
	[BUNDLE_DROP_MISSING_ESP] = "missing_esp",
	[BUNDLE_DROP_WRONG_SA] = "wrong_sa",
	[BUNDLE_DROP_MALFORMED] = "malformed",
	[BUNDLE_DROP_ESP] = "esp",
	[BUNDLE_DROP_AH] = "ah",
};

const char *bundle_drop_name(enum bundle_drop reason)
{
	return (unsigned int)reason < BUNDLE_DROP_MAX ? drop_names[reason] : "unknown";
}

static void set_why(const char **why, const char *s)
{
	if (why)
		*why = s;
}

int bundle_init(struct bundle *b, const struct bundle_tmpl *tmpl, struct xfrm_sa *const *sa,
		unsigned int n, const char **why)
{
	unsigned int i;

	if (n == 0 || n > BUNDLE_MAX) {
		set_why(why, "a bundle has 1 to BUNDLE_MAX templates");
		return -EINVAL;
	}
	memset(b, 0, sizeof(*b));
	for (i = 0; i < n; i++) {
		const struct bundle_tmpl *t = &tmpl[i];
		const struct xfrm_sa *s = sa[i];

		if (t->proto != IPPROTO_ESP && t->proto != IPPROTO_AH) {
			set_why(why, "template protocol must be ESP or AH");
			return -EINVAL;
		}
		if (!s) {
			if (!t->optional) {
				set_why(why, "required template without an SA");
				return -EINVAL;
			}
			continue;
		}
		if (s->id.proto != t->proto || s->mode != t->mode ||
		    (t->reqid && s->reqid != t->reqid)) {
			set_why(why, "SA does not match its template (proto, mode or reqid)");
			return -EINVAL;
		}
		if (!s->ops) {
			set_why(why, "SA has no packet functions (its type's init_state)");
			return -EINVAL;
		}
	}
	b->n = (uint8_t)n;
	memcpy(b->tmpl, tmpl, n * sizeof(*tmpl));
	memcpy(b->sa, sa, n * sizeof(*sa));
	return 0;
}

uint16_t bundle_outbound(struct bundle_lcore *bl, const struct bundle *b, struct rte_mbuf *mb[],
			 uint16_t n)
{
	uint16_t good = n;

	/* tmpl[0] first: each stage's refused packets stay behind the good ones. */
	for (unsigned int k = 0; k < b->n && good; k++) {
		struct xfrm_sa *sa = b->sa[k];
		uint16_t g;

		if (!sa)
			continue;	/* optional template without an SA */
		g = xfrm_output(bl->xl, sa, mb, good);
		bl->stats.drop[sa->id.proto == IPPROTO_AH ? BUNDLE_DROP_AH : BUNDLE_DROP_ESP] +=
			good - g;
		good = g;
	}
	bl->stats.out_packets += good;
	return good;
}

/*
 * The first IPsec header of a packet: protocol and SPI (network order),
 * found by the shared parser (sa/flow.h: IPv6 extension headers stepped
 * over as RFC 8200 4.1). -1 when the packet cannot be read, else 0 (proto
 * 0 when there is no ESP/AH).
 */
static int bundle_peek(const struct rte_mbuf *m, uint8_t *proto, uint32_t *spi)
{
	struct flow_hdrs h;
	const uint8_t *s;
	uint8_t buf[4];

	if (flow_parse(m, 0, NULL, &h) != FLOW_OK)
		return -1;
	*proto = 0;
	/* a later fragment carries data, not the header its protocol names */
	if (h.later_fragment || (h.proto != IPPROTO_ESP && h.proto != IPPROTO_AH))
		return 0;
	/* RFC 4303 2.1: SPI first; RFC 4302 2: after 4 bytes. */
	s = rte_pktmbuf_read(m, h.l4 + (h.proto == IPPROTO_AH ? 4 : 0), 4, buf);
	if (!s)
		return -1;
	memcpy(spi, s, 4);
	*proto = h.proto;
	return 0;
}

/* Does the packet's outermost IPsec header belong to this template's SA? */
static int bundle_match(const struct bundle *b, unsigned int k, const struct rte_mbuf *m)
{
	const struct xfrm_sa *sa = b->sa[k];
	uint8_t proto;
	uint32_t spi = 0;

	if (bundle_peek(m, &proto, &spi))
		return BUNDLE_DROP_MALFORMED;
	if (proto != b->tmpl[k].proto)
		return b->tmpl[k].proto == IPPROTO_AH ? BUNDLE_DROP_MISSING_AH :
							BUNDLE_DROP_MISSING_ESP;
	if (!sa || spi != sa->id.spi)
		return BUNDLE_DROP_WRONG_SA;
	return -1;
}

/*
 * One inbound stage over cur[0..*cnt): packets that match template k go
 * through its SA; those that do not are refused, or passed on when the
 * template is optional. Survivors stay in cur in their order; refused ones
 * are appended to bad.
 */
static void bundle_in_stage(struct bundle_lcore *bl, const struct bundle *b, unsigned int k,
			    struct rte_mbuf **cur, uint16_t *cnt, struct rte_mbuf **bad,
			    uint16_t *nbad)
{
	struct rte_mbuf *sel[BUNDLE_BURST];
	bool chosen[BUNDLE_BURST];
	uint16_t i, ns = 0, g = 0, keep = 0, gi = 0;

	for (i = 0; i < *cnt; i++) {
		int r = bundle_match(b, k, cur[i]);

		chosen[i] = r < 0;
		if (r < 0) {
			sel[ns++] = cur[i];
		} else if (!b->tmpl[k].optional || r == BUNDLE_DROP_MALFORMED) {
			bl->stats.drop[r]++;
			chosen[i] = true;	/* treated as refused below */
		}
	}
	if (ns)
		g = xfrm_input(bl->xl, b->sa[k], sel, ns);
	bl->stats.drop[b->tmpl[k].proto == IPPROTO_AH ? BUNDLE_DROP_AH : BUNDLE_DROP_ESP] += ns - g;
	/* Inbound never replaces a head mbuf: match survivors by pointer, in order. */
	for (i = 0; i < *cnt; i++) {
		if (!chosen[i] || (gi < g && sel[gi] == cur[i])) {
			if (chosen[i])
				gi++;
			cur[keep++] = cur[i];
		} else {
			bad[(*nbad)++] = cur[i];
		}
	}
	*cnt = keep;
}

uint16_t bundle_inbound(struct bundle_lcore *bl, const struct bundle *b, struct rte_mbuf *mb[],
			uint16_t n)
{
	struct rte_mbuf *cur[BUNDLE_BURST], *bad[BUNDLE_BURST];
	uint16_t done = 0, good = 0;

	while (done < n) {
		uint16_t c = (uint16_t)RTE_MIN((unsigned int)(n - done), BUNDLE_BURST);
		uint16_t cnt = c, nbad = 0;

		memcpy(cur, mb + done, c * sizeof(cur[0]));
		for (int k = b->n - 1; k >= 0 && cnt; k--)
			bundle_in_stage(bl, b, (unsigned int)k, cur, &cnt, bad, &nbad);
		/* [good | bad so far | chunk] -> [good | chunk's good | bad so far | chunk's bad] */
		memmove(mb + good + cnt, mb + good, (size_t)(done - good) * sizeof(mb[0]));
		memcpy(mb + good, cur, cnt * sizeof(cur[0]));
		memcpy(mb + done + cnt, bad, nbad * sizeof(bad[0]));
		good += cnt;
		done += c;
	}
	bl->stats.in_packets += good;
	return good;
}
