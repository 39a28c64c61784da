/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The security association database (RFC 4301 4.4.2).
 *
 * Two lock-free indexes for the data path, both DPDK rte_hash tables in
 * RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF mode with the integrated RCU
 * (rte_hash_rcu_qsbr_add), each entry the head of a short RCU chain:
 *  - inbound, by (daddr, SPI, proto, family), the chain told apart by mark
 *    and if_id as the kernel's xfrm_state_lookup() does;
 *  - outbound, by the template (saddr, daddr, reqid, proto, mode, family),
 *    the chain told apart by mark, if_id (and SPI when the template has one)
 *    as the kernel's xfrm_state_find() does.
 * Larval SAs are in the indexes once they have an SPI (ALLOCSPI; an
 * ACQUIRE's larval SA has none unless its template names one), so
 * lookups for packets must still check sa_is_valid().
 *
 * Every other function is control plane: serialised by the SAD's mutex,
 * never called from a registered RCU reader. Errors follow the kernel's
 * xfrm_state_add/update/delete so the netlink layer can return them as is.
 */
#ifndef XFRMGW_SA_SAD_H
#define XFRMGW_SA_SAD_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/xfrm.h>

#include "sa/lifetime.h"
#include "sa/rcu.h"
#include "sa/sa.h"

struct sad;

#define SAD_DEFAULT_MAX (1u << 20)
#define SAD_FIRST_CAPACITY 4096u

struct sad_config {
	const char *name;		/* unique per process (rte_hash names) */
	uint32_t max_sa;		/* most SAs; 0: SAD_DEFAULT_MAX. The tables start
					 * at SAD_FIRST_CAPACITY and double as SAs come
					 * (one copy, readers switch at once). */
	int socket_id;			/* NUMA socket for the tables; SOCKET_ID_ANY */
	struct sa_rcu *rcu;		/* required: readers' RCU domain */
	uint64_t (*clock)(void);	/* seconds; NULL: CLOCK_REALTIME */
};

struct sad *sad_create(const struct sad_config *cfg);

/* Deletes every SA (no events), waits for readers, frees the tables. */
void sad_destroy(struct sad *sad);

/* The SAD's clock (seconds), for sa_lifetime_account()'s now. */
uint64_t sad_now(const struct sad *sad);

/* ---- data path (RCU readers: no reference is taken) ---- */

/*
 * Inbound SA for a received ESP/AH packet: spi in network order, mark of
 * the packet; if_id 0 matches an SA of any if_id (the kernel's xfrm_input
 * looks SAs up without one), non-zero only that one. The SA is returned in
 * any state; check sa_is_valid(). NULL if none.
 */
struct xfrm_sa *sad_lookup_in(const struct sad *sad, const xfrm_address_t *daddr,
			      uint16_t family, uint32_t spi, uint8_t proto,
			      uint32_t mark, uint32_t if_id);

struct sad_in_key {
	xfrm_address_t daddr;
	uint32_t spi;			/* network order */
	uint16_t family;
	uint8_t proto;
	uint32_t mark;
	uint32_t if_id;
};

/* Up to SAD_BURST_MAX keys at once (rte_hash bulk lookup); out[i] or NULL. */
#define SAD_BURST_MAX 64
void sad_lookup_in_burst(const struct sad *sad, const struct sad_in_key *keys,
			 unsigned int n, struct xfrm_sa **out);

/* An outbound policy template resolved for one flow. */
struct sad_out_key {
	xfrm_address_t saddr;		/* resolved: tunnel endpoints or the flow's */
	xfrm_address_t daddr;
	uint32_t reqid;
	uint16_t family;
	uint8_t proto;			/* IPPROTO_ESP / IPPROTO_AH */
	uint8_t mode;			/* XFRM_MODE_* */
	uint32_t spi;			/* 0: any; else only that SA (network order) */
	uint32_t mark;
	uint32_t if_id;
};

/*
 * The VALID SA to use for an outbound template, NULL if none (then the
 * caller sends an XFRM_MSG_ACQUIRE). Among several (a rekey in progress),
 * the one not soft-expired, then the most recently added, as the kernel's
 * xfrm_state_look_at().
 */
struct xfrm_sa *sad_lookup_out(const struct sad *sad, const struct sad_out_key *key);

/* ---- control plane ---- */

/*
 * NEWSA (xfrm_state_add): insert a built SA, state -> VALID, add_time set.
 * The SAD takes its own reference; the caller keeps its own and puts it.
 * If a larval SA of ALLOCSPI holds the same (daddr, SPI, proto), this is
 * -EEXIST as in the kernel (UPDSA completes larval SAs). Otherwise the
 * larval SA this one answers is deleted (no event), as the kernel's: the
 * larval SA whose seq is sa->seq (when non-zero) with the same proto and
 * daddr, else an SPI-less larval SA of sa's template (family, mode, reqid,
 * proto, daddr, saddr, mark, if_id).
 * Errors: -EEXIST, -EINVAL (family not AF_INET/AF_INET6, SPI 0 for ESP/AH),
 * -ENOSPC (table full), -ENOMEM.
 */
int sad_add(struct sad *sad, struct xfrm_sa *sa);

/*
 * UPDSA (xfrm_state_update). Locates the SA by (daddr, SPI, proto, family,
 * mark, if_id):
 *  - not found: -ESRCH;
 *  - larval (ACQ): sa replaces it (sa enters the SAD as VALID, the larval
 *    is deleted);
 *  - VALID: the existing SA is updated in place from sa: encapsulation
 *    ports/address (its type must not change, nor may it appear or vanish:
 *    -EINVAL), care-of address, lifetimes (soft state cleared), output mark
 *    and if_id when given; keys and algorithms are not changed; sa itself is
 *    not inserted;
 *  - any other state: -EINVAL.
 * *result (may be NULL) gets a reference to the SA now in the SAD.
 */
int sad_update(struct sad *sad, struct xfrm_sa *sa, struct xfrm_sa **result);

/*
 * GETSA/DELSA lookups (xfrm_user_state_lookup): mark is the request's
 * XFRMA_MARK value & mask. *out gets a reference. -ESRCH if none.
 */
int sad_get(struct sad *sad, const xfrm_address_t *daddr, uint16_t family, uint32_t spi,
	    uint8_t proto, uint32_t mark, uint32_t if_id, struct xfrm_sa **out);

/*
 * DELSA: unlink; readers may still see it until their next quiescent
 * state, after which the SAD's reference is dropped. *deleted (may be NULL)
 * gets a reference for the notification. -ESRCH if none.
 */
int sad_delete(struct sad *sad, const xfrm_address_t *daddr, uint16_t family, uint32_t spi,
	       uint8_t proto, uint32_t mark, uint32_t if_id, struct xfrm_sa **deleted);

/* Delete an SA known by pointer (e.g. from sad_get). -ESRCH if already gone. */
int sad_delete_sa(struct sad *sad, struct xfrm_sa *sa);

/*
 * XFRM_MSG_EXPIRE from userspace (xfrm_add_sa_expire): raise the event on
 * a VALID SA now; the callback runs before this returns; hard also deletes.
 * -ESRCH if not in the SAD, -EINVAL if not VALID.
 */
int sad_expire(struct sad *sad, struct xfrm_sa *sa, bool hard);

/*
 * FLUSHSA: delete every SA whose proto matches (IPSEC_PROTO_ANY: ESP, AH
 * and IPComp; else that protocol). No events. Returns how many were deleted.
 */
unsigned int sad_flush(struct sad *sad, uint8_t proto);

/*
 * ACQUIRE (the kernel's xfrm_state_find() when no SA serves an outbound
 * template): decide whether to ask the IKE daemon, and remember that it
 * was asked with a larval SA.
 *  - a VALID SA serves req->key now: -EEXIST, nothing to send;
 *  - a larval (ACQ) SA for the template exists (same family, addresses,
 *    reqid, proto, mode, mark and if_id; and SPI when the template names
 *    one), from an earlier ACQUIRE or an ALLOCSPI: -EINPROGRESS, nothing
 *    to send: one ACQUIRE per larval SA, as the kernel;
 *  - else a larval SA is created and *out gets a reference to it: state
 *    ACQ, SPI the template's (usually 0, then it is in no hash index),
 *    selector the flow, seq req->seq, hard_add_expires_seconds =
 *    XFRM_ACQ_EXPIRES; the caller sends XFRM_MSG_ACQUIRE with that seq.
 *    ALLOCSPI quoting seq gives it an SPI, NEWSA for the template (or
 *    quoting seq) replaces it, UPDSA on its SPI completes it; if none comes
 *    it expires hard (an XFRM_MSG_EXPIRE through the event callback, as
 *    the kernel's acquire timeout). Errors: -EINVAL (bad family or
 *    proto), -ENOSPC, -ENOMEM.
 * A caller whose ACQUIRE reached nobody deletes the larval SA again
 * (sad_delete_sa), as the kernel keeps none when km_query() fails.
 */
struct sad_acquire_req {
	struct sad_out_key key;		/* the template resolved for the flow */
	struct xfrm_selector sel;	/* the flow */
	struct xfrm_mark mark;		/* the policy's mark, given to the larval SA */
	uint32_t seq;			/* the ACQUIRE's sequence number, not 0 */
};
int sad_acquire(struct sad *sad, const struct sad_acquire_req *req, struct xfrm_sa **out);

/* Number of larval (ACQ) SAs, with or without an SPI (tests, stats). */
unsigned int sad_larval_count(struct sad *sad);

/*
 * ALLOCSPI (xfrm_alloc_userspi). The larval SA is, in order: the larval SA
 * whose seq is req->info.seq (an ACQUIRE's, when non-zero) and daddr
 * matches; else the larval SA for (mode, reqid, proto, daddr, saddr, mark,
 * if_id); else a new one (state ACQ, hard_add_expires = XFRM_ACQ_EXPIRES).
 * If it has no SPI yet it gets a random unused SPI in [req->min, req->max]
 * (host order in the request), unique for (daddr, proto, family); min ==
 * max asks for exactly that SPI. *out gets a reference to the larval SA
 * (its id.spi is the answer). Errors: -EINVAL (min > max, proto not
 * ESP/AH/IPComp, bad family), -ENOENT (no free SPI in the range; *msg
 * says so), -ENOSPC, -ENOMEM.
 */
int sad_alloc_spi(struct sad *sad, const struct xfrm_userspi_info *req,
		  const struct xfrm_mark *mark, uint32_t if_id,
		  struct xfrm_sa **out, const char **msg);

/*
 * Async events (XFRM_MSG_NEWAE to XFRMNLGRP_AEVENTS), the kernel's
 * xfrm_replay_notify() and replay timer, evaluated by the control thread
 * at each tick (the data path only counts: sa->replay->top inbound,
 * sa->oseq outbound). now: tenths of a second on any monotonic clock.
 * For each VALID SA, against the counters at its last event:
 *  - XFRM_AE_CR when either counter moved by replay_maxdiff or more
 *    (replay_maxdiff 0: never);
 *  - XFRM_AE_CE when its timer (replay_maxage tenths, 0: none) is due and
 *    a counter moved; if none moved, the timer stops (deferred) and the
 *    next movement, however small, is told at once as XFRM_AE_CE.
 * Each event takes the counters as the new reference and restarts the
 * timer. cb(arg, sa, flags) runs without the SAD lock, with a reference
 * held for the call. One event per SA per call at most: the tick is the
 * rate limit (the kernel may send one every replay_maxdiff packets).
 * Returns how many events were delivered.
 */
unsigned int sad_aevent_tick(struct sad *sad, uint64_t now,
			     void (*cb)(void *arg, struct xfrm_sa *sa, uint32_t flags),
			     void *arg);

/*
 * NEWAE from user space replaced the counters (an HA sync): take them as
 * the reference of the next event, as the kernel copies replay to preplay.
 */
void sad_aevent_sync(struct sad *sad, struct xfrm_sa *sa);

/*
 * Dumps (GETSA with NLM_F_DUMP), resumable across netlink messages as the
 * kernel's xfrm_state_walk: the cursor is a marker in the SAD's list, so
 * SAs added or deleted between calls do not disturb it. Zero the cursor
 * (or sad_cursor_init) before the first call.
 */
struct sad_cursor {
	struct sa_list_node marker;
	uint8_t proto;			/* filter: IPSEC_PROTO_ANY or 0 for all */
	bool linked;			/* marker is in the list */
	bool done;
	const struct xfrm_address_filter *filter; /* XFRMA_ADDRESS_FILTER or NULL */
};

void sad_cursor_init(struct sad_cursor *c, uint8_t proto,
		     const struct xfrm_address_filter *filter);

/*
 * Call cb(sa, arg) for each SA after the cursor, in insertion order. If cb
 * returns non-zero (say, the message is full), the walk stops *before* that
 * SA, which is passed again by the next call. Returns 1 when stopped by cb
 * (more to come), 0 when complete (the cursor is then unlinked and done).
 * The callback must not modify the SAD.
 */
int sad_walk(struct sad *sad, struct sad_cursor *c,
	     int (*cb)(struct xfrm_sa *sa, void *arg), void *arg);

/* Abandon a walk before it completed (netlink dump done callback). */
void sad_cursor_done(struct sad *sad, struct sad_cursor *c);

/* GETSADINFO: SA count; hash buckets in use / maximum, as the kernel reports. */
struct sad_info {
	uint32_t sadcnt;
	uint32_t sadhcnt;
	uint32_t sadhmcnt;
};
void sad_get_info(struct sad *sad, struct sad_info *info);

#endif
