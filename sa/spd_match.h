/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SPD's data-path index (internal to sa/): tuple-space search.
 *
 * Policies of one direction and family are grouped by shape: what their
 * selector, mark and if_id let through unmasked (prefix lengths, proto or
 * any, port masks, ifindex or any, mark mask). Within a shape, a flow can
 * match only the policies whose masked key equals the flow's key masked the
 * same way: one exact-match rte_hash per direction and family maps (shape,
 * masked key) to a chain of policies sorted by (priority, insertion
 * position), and grows by doubling (sa/table.h). A lookup
 * probes the shapes in order of their lowest priority and stops as soon as
 * the best policy found ranks before every policy of the shapes left.
 *
 * Publication is by generation: each change links or unlinks at once, but
 * stamps the policy with the generation it starts or stops being visible
 * in (born / died). A reader loads one view (the shapes and a generation)
 * and only sees policies with born <= gen < died, so spd_publish() makes a
 * whole batch of changes visible with one pointer store, and a policy
 * unlinked stays in the chains until every reader that could still see it
 * has passed a quiescent state (then it is reaped). See docs/SPD.md.
 */
#ifndef XFRMGW_SA_SPD_MATCH_H
#define XFRMGW_SA_SPD_MATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "sa/spd.h"
#include "sa/table.h"

struct rte_hash;
struct spd;

/* Key: shape id, 5 words of ports/proto/marks/ids, then the masked addresses. */
#define SPD_KEY_FIXED_WORDS 6
#define SPD_KEY_WORDS (SPD_KEY_FIXED_WORDS + 8)

struct spd_shape {
	/* ---- read by the data path (fixed at creation) ---- */
	uint32_t id;			/* first key word: unique in its table */
	uint32_t smask[4], dmask[4];	/* address masks, network order */
	uint32_t port_mask;		/* sport mask | dport mask << 16, network order */
	uint32_t mark_m;
	uint8_t has_proto, has_ifindex;
	uint8_t key_words;		/* 8 (IPv4) or 14 (IPv6) */
	/* ---- control plane ---- */
	uint8_t plen_s, plen_d;
	uint32_t npol;			/* policies in the chains (also unpublished or dying) */
	uint32_t minprio;		/* lower bound of their priorities */
	struct spd_shape *next;		/* shapes of one table */
};

/* What readers of one direction and family see: immutable once published. */
struct spd_view {
	uint64_t gen;
	uint32_t n;
	struct spd_view_shape {
		struct spd_shape *shape;
		uint32_t minprio;
	} s[];				/* by minprio */
};

/* One direction and family. */
struct spd_match {
	struct spd_view *view;		/* RCU-published; NULL: nothing published */
	struct sa_table tab;		/* (shape, masked key) -> chain head; grows */
	uint32_t shape_ids;		/* last shape id given */
	struct spd_shape *shapes;	/* control plane */
	uint32_t nshapes;
	bool dirty;			/* view must be rebuilt at the next publish */
};

/* Policies whose unlinking was published, waiting for a grace period. */
struct spd_reap {
	struct spd_reap *next;
	struct xfrm_policy *list;	/* through dying_next */
	uint32_t ready;			/* set (atomic) by the RCU callback */
	struct spd *spd;
};

/* Can this policy ever match a packet (the data path knows MAIN only)? */
bool spd_match_eligible(const struct xfrm_policy *pol);

/* Control plane, spd->lock held. */
int spd_match_link(struct spd *spd, struct xfrm_policy *pol);
void spd_match_unlink(struct spd *spd, struct xfrm_policy *pol);
int spd_match_publish(struct spd *spd);
void spd_match_reap(struct spd *spd);
/* Teardown: no reader left, lock not needed. */
void spd_match_destroy(struct spd *spd);

#endif
