/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The security policy database (RFC 4301 4.4.1), with XFRM's semantics.
 *
 * A policy is a selector (source/destination prefixes, protocol, ports with
 * masks, ifindex; ICMP/ICMPv6 type and code travel in the sport/dport fields
 * as XFRM carries them), a direction (XFRM_POLICY_IN/OUT/FWD), mark and
 * if_id, a priority, an action (ALLOW/BLOCK) and, for ALLOW, a bundle of up
 * to XFRM_MAX_DEPTH templates.
 *
 * Data-path lookup returns the first policy matching a flow by priority
 * (lower value first), then insertion order, as the kernel. It is a
 * tuple-space search (sa/spd_match.h, docs/SPD.md): policies grouped by
 * the shape of their selector, one lock-free rte_hash per shape. A change
 * costs O(1) hash operations plus a walk of the few policies sharing its
 * exact key; spd_publish() makes every change since the last publish
 * visible at once (one pointer store per direction and family). The
 * netlink server calls it when its socket is drained, and spd_tick() too.
 *
 * The data path sees the rule set of the last publish, whole: a new policy
 * is seen, and a deleted, replaced or flushed one stops answering, when the
 * SPD is next published. So UPDPOLICY, DELPOLICY + NEWPOLICY and
 * FLUSHPOLICY + re-adds within one burst switch atomically for readers: a
 * flow gets the old policy or the new one, never no policy (which would
 * send it in clear text). If a publish fails (no memory), the previous
 * rule set stays in use and the next publish retries.
 *
 * Control-plane functions are serialised by the SPD's mutex; errors follow
 * the kernel's xfrm_policy_insert/byid/bysel (EEXIST, ENOENT, EINVAL).
 */
#ifndef XFRMGW_SA_SPD_H
#define XFRMGW_SA_SPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/xfrm.h>

#include "sa/lifetime.h"
#include "sa/rcu.h"
#include "sa/sa.h"

/* Templates per policy (the kernel's XFRM_MAX_DEPTH, not in the uapi). */
#ifndef XFRM_MAX_DEPTH
#define XFRM_MAX_DEPTH 6
#endif

struct spd;

struct policy_lifetime_cur {
	uint64_t bytes;
	uint64_t packets;
	uint64_t add_time;
	uint64_t use_time;	/* last use (data path, relaxed), kernel meaning */
};

struct xfrm_policy {
	/* ---- as XFRM gives it (struct xfrm_userpolicy_info + attributes) ---- */
	struct xfrm_selector sel;
	struct xfrm_lifetime_cfg lft;
	struct policy_lifetime_cur curlft;
	uint32_t priority;		/* lower wins */
	uint32_t index;			/* kernel-style: dir in the low 3 bits */
	uint8_t dir;			/* XFRM_POLICY_IN / OUT / FWD */
	uint8_t action;			/* XFRM_POLICY_ALLOW / BLOCK */
	uint8_t flags;			/* XFRM_POLICY_LOCALOK, ICMP */
	uint8_t share;
	uint8_t type;			/* XFRMA_POLICY_TYPE: MAIN (default) or SUB */
	uint8_t ntmpl;
	struct xfrm_mark mark;		/* matches when (flow mark & m) == v */
	uint32_t if_id;
	struct xfrm_user_tmpl tmpl[XFRM_MAX_DEPTH]; /* XFRMA_TMPL, outermost last */
	struct xfrm_user_sec_ctx *sec_ctx; /* opaque copy, or NULL */
	size_t sec_ctx_len;
	void *priv;			/* free for the data path (e.g. a bundle cache) */

	/* ---- bookkeeping ---- */
	uint8_t dead;			/* unlinked from the control plane (atomic);
					 * lookups may return it until republished */
	uint32_t ev_delivered;		/* SA_EV_SOFT / SA_EV_HARD delivered */
	uint32_t refcnt;		/* atomic */
	uint64_t pos;			/* insertion order, ties of priority */
	uint32_t id_hash;
	struct xfrm_policy *id_next;	/* control-plane hash by identity */
	struct xfrm_policy *idx_next;	/* control-plane hash by index */
	struct sa_list_node all;
	struct spd *spd;

	/* ---- data-path index (sa/spd_match.c) ---- */
	struct xfrm_policy *dp_next;	/* chain of one key, by (priority, pos); RCU */
	struct spd_shape *dp_shape;	/* NULL: not in the data path */
	uint64_t born, died;		/* visible in views of generation [born, died) */
	struct xfrm_policy *dying_next;	/* unlinked, awaiting its grace period */
};

/* Zeroed policy, refcnt 1, lifetimes XFRM_INF, type MAIN. NULL on no memory. */
struct xfrm_policy *policy_alloc(void);

/* Fixed part from NEWPOLICY/UPDPOLICY (curlft ignored). */
void policy_set_info(struct xfrm_policy *pol, const struct xfrm_userpolicy_info *p);
/* Back, for GETPOLICY/dumps/events (curlft current). */
void policy_get_info(const struct xfrm_policy *pol, struct xfrm_userpolicy_info *p);

/* XFRMA_TMPL: n <= XFRM_MAX_DEPTH, else -EINVAL. */
int policy_set_tmpls(struct xfrm_policy *pol, const struct xfrm_user_tmpl *t, unsigned int n);
/* XFRMA_SEC_CTX copy (len = whole attribute). 0 / -EINVAL / -ENOMEM. */
int policy_set_sec_ctx(struct xfrm_policy *pol, const struct xfrm_user_sec_ctx *ctx, size_t len);

static inline void policy_hold(struct xfrm_policy *pol)
{
	__atomic_add_fetch(&pol->refcnt, 1, __ATOMIC_RELAXED);
}
void policy_put(struct xfrm_policy *pol);

struct spd_config {
	const char *name;		/* unique per process */
	uint32_t max_rules;		/* per direction and family; 0: 1 << 20 */
	int socket_id;
	struct sa_rcu *rcu;		/* required */
	uint64_t (*clock)(void);	/* seconds; NULL: CLOCK_REALTIME */
};

struct spd *spd_create(const struct spd_config *cfg);
void spd_destroy(struct spd *spd);

/* ---- control plane ---- */

/*
 * NEWPOLICY (excl) / UPDPOLICY (!excl), xfrm_policy_insert: a policy with
 * the same dir, type, selector, mark (v and m), if_id and security context
 * is the same policy: excl -> -EEXIST; else it is replaced and the new
 * policy takes its index and its place in insertion order. Otherwise the
 * index is pol->index when non-zero and free (it must carry dir in its low
 * 3 bits, else -EINVAL), else a fresh one, generated as the kernel does
 * (a counter stepping by 8, ORed with dir). The SPD takes its own
 * reference; *replaced (may be NULL) gets one to the old policy.
 * Errors: -EEXIST, -EINVAL (dir >= XFRM_POLICY_MAX, action, family of the
 * selector, prefix length, template count), -ENOSPC, -ENOMEM.
 */
int spd_insert(struct spd *spd, struct xfrm_policy *pol, bool excl,
	       struct xfrm_policy **replaced);

/* How GETPOLICY/DELPOLICY name a policy (struct xfrm_userpolicy_id + attrs). */
struct spd_id {
	uint8_t dir;
	uint8_t type;			/* XFRM_POLICY_TYPE_MAIN unless XFRMA_POLICY_TYPE */
	uint32_t index;			/* non-zero: by index, else by selector */
	struct xfrm_selector sel;
	struct xfrm_mark mark;
	uint32_t if_id;
	const struct xfrm_user_sec_ctx *sec_ctx; /* NULL: none */
	size_t sec_ctx_len;
};

/*
 * Find (GETPOLICY) or find and unlink (DELPOLICY). *out gets a reference.
 * -ENOENT if none (an index whose low bits are not dir finds none), -EINVAL
 * for dir >= XFRM_POLICY_MAX.
 */
int spd_get(struct spd *spd, const struct spd_id *id, struct xfrm_policy **out);
int spd_delete(struct spd *spd, const struct spd_id *id, struct xfrm_policy **out);

/* Delete a policy known by pointer. -ENOENT if already gone. */
int spd_delete_policy(struct spd *spd, struct xfrm_policy *pol);

/* FLUSHPOLICY: delete all policies of this type; returns how many. */
unsigned int spd_flush(struct spd *spd, uint8_t type);

/*
 * XFRM_MSG_POLEXPIRE from userspace: raise on pol now (callback runs before
 * return); hard also deletes. -ENOENT if not in the SPD.
 */
int spd_expire(struct spd *spd, struct xfrm_policy *pol, bool hard);

/* Dump cursor: as sad_cursor (marker in the list, insertion order). */
struct spd_cursor {
	struct sa_list_node marker;
	bool linked;
	bool done;
	uint8_t type;			/* filter: policies of this type */
	bool any_type;			/* no type filter */
};
void spd_cursor_init(struct spd_cursor *c);
int spd_walk(struct spd *spd, struct spd_cursor *c,
	     int (*cb)(struct xfrm_policy *pol, void *arg), void *arg);
void spd_cursor_done(struct spd *spd, struct spd_cursor *c);

/* GETSPDINFO / NEWSPDINFO. Socket policies are not supported: their counts are 0. */
struct spd_info {
	uint32_t incnt, outcnt, fwdcnt;
	uint32_t inscnt, outscnt, fwdscnt;
	uint32_t spdhcnt, spdhmcnt;
	struct xfrmu_spdhthresh hthresh4, hthresh6; /* stored as given */
};
void spd_get_info(struct spd *spd, struct spd_info *info);
/* NEWSPDINFO: lbits/rbits <= 32 (v4) / 128 (v6), else -EINVAL. NULL: unchanged. */
int spd_set_hthresh(struct spd *spd, const struct xfrmu_spdhthresh *v4,
		    const struct xfrmu_spdhthresh *v6);

/*
 * Default policies (XFRM_MSG_SETDEFAULT/GETDEFAULT, Linux 5.16): what
 * happens to a packet that matches no policy of dir. XFRM_USERPOLICY_BLOCK
 * refuses it; XFRM_USERPOLICY_ACCEPT (the initial value) lets it pass.
 * spd_set_default ignores values other than BLOCK and ACCEPT (as the
 * kernel leaves that direction unchanged); -EINVAL for dir >= 3. Readers
 * see a change at once (an atomic byte).
 */
int spd_set_default(struct spd *spd, uint8_t dir, uint8_t action);
uint8_t spd_get_default(const struct spd *spd, uint8_t dir);

/*
 * RCU-publish every change since the last publish, at once. O(shapes) of
 * the directions/families that changed. 0 or -ENOMEM (the old rule set
 * stays published then).
 */
int spd_publish(struct spd *spd);

/* ---- data path ---- */

/* A flow as XFRM's selectors see it (struct flowi, reduced). */
struct spd_flow {
	xfrm_address_t saddr;
	xfrm_address_t daddr;
	uint16_t family;
	uint8_t proto;			/* 0: none */
	uint16_t sport;			/* network order; ICMP: type */
	uint16_t dport;			/* network order; ICMP: code */
	uint32_t ifindex;
	uint32_t mark;
	uint32_t if_id;
};

/*
 * The first policy (priority, then insertion order) of direction dir whose
 * selector, mark and if_id match the flow, in the last published rule set
 * (possibly a policy unlinked since, whose successor is not published yet);
 * NULL if none. Only MAIN-type policies. RCU reader: no reference taken, the
 * policy stays valid until the reader's next quiescent state.
 */
struct xfrm_policy *spd_lookup(const struct spd *spd, uint8_t dir, const struct spd_flow *f);

/* The same for n flows of one family (n <= SPD_BURST_MAX). */
#define SPD_BURST_MAX 64
void spd_lookup_burst(const struct spd *spd, uint8_t dir, uint16_t family,
		      const struct spd_flow *flows, unsigned int n, struct xfrm_policy **out);

/* xfrm_selector_match: does the flow match the selector? (also control plane) */
bool spd_selector_match(const struct xfrm_selector *sel, const struct spd_flow *f);

/* Data path: note that pol was used at now (seconds), for use lifetimes. */
static inline void spd_policy_used(struct xfrm_policy *pol, uint64_t now)
{
	if (__atomic_load_n(&pol->curlft.use_time, __ATOMIC_RELAXED) != now)
		__atomic_store_n(&pol->curlft.use_time, now, __ATOMIC_RELAXED);
}

/* Time limits of a policy at now: mask of SA_EV_* due (kernel xfrm_policy_timer). */
uint32_t policy_lifetime_due(const struct xfrm_policy *pol, uint64_t now);

#endif
