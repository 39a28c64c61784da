/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SA and policy lifetimes (RFC 4301 4.4.2.1 "SA lifetime"; the kernel's
 * xfrm_lifetime_cfg): soft and hard limits on bytes, packets, seconds since
 * add and seconds since first use.
 *
 * The data path counts each packet with sa_lifetime_account(); crossing a
 * limit only sets a bit in sa->ev_raised (each bit once: events fire exactly
 * once). A hard limit also makes the SA EXPIRED, so the next packets are
 * refused. The control thread calls sad_tick()/spd_tick() periodically
 * (once a second is what the kernel's timers give); the tick checks the
 * time limits, delivers the raised events through the registered callback
 * and deletes hard-expired SAs and policies, as the kernel does after its
 * XFRM_MSG_EXPIRE / XFRM_MSG_POLEXPIRE. Callbacks therefore always run on
 * the control thread, without the SAD/SPD lock held.
 *
 * Larval SAs from ALLOCSPI carry hard_add_expires_seconds =
 * XFRM_ACQ_EXPIRES, so an SPI never completed by UPDSA expires (hard) after
 * 30 s, as the kernel's acquire timeout.
 */
#ifndef XFRMGW_SA_LIFETIME_H
#define XFRMGW_SA_LIFETIME_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sa/sa.h"

struct xfrm_policy;
struct sad;
struct spd;

/*
 * Events for the control plane (netlink multicasts them as XFRM_MSG_EXPIRE
 * with hard set or not, and XFRM_MSG_POLEXPIRE). The object is valid for the
 * duration of the call (the tick holds a reference); take one with
 * sa_hold()/policy_hold() to keep it. After a hard event the object is
 * removed from its database (no separate delete notification, as the
 * kernel).
 */
struct sa_event_ops {
	void (*sa_expire)(void *arg, struct xfrm_sa *sa, bool hard);
	void (*policy_expire)(void *arg, struct xfrm_policy *pol, bool hard);
};

void sad_set_event_ops(struct sad *sad, const struct sa_event_ops *ops, void *arg);
void spd_set_event_ops(struct spd *spd, const struct sa_event_ops *ops, void *arg);

/*
 * Control thread, periodically: check time limits against the database's
 * clock, deliver raised events, delete hard-expired entries, run deferred
 * RCU frees. Returns the number of events delivered.
 */
unsigned int sad_tick(struct sad *sad);
unsigned int spd_tick(struct spd *spd);

/*
 * Raise an event on an SA from any thread (used by the data path for
 * sequence number overflow, and by the lifetime checks). Returns true if
 * this call raised it (it had not been raised before). A hard event makes
 * the SA EXPIRED at once.
 */
static inline bool sa_lifetime_raise(struct xfrm_sa *sa, uint32_t ev)
{
	uint32_t old = __atomic_fetch_or(&sa->ev_raised, ev, __ATOMIC_ACQ_REL);

	if (ev & SA_EV_HARD) {
		uint8_t valid = SA_STATE_VALID;

		__atomic_compare_exchange_n(&sa->state, &valid, SA_STATE_EXPIRED, false,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	}
	return (old & ev) != ev;
}

/*
 * Data path, once per packet on this SA (after decryption inbound, before
 * encryption outbound, as the kernel's xfrm_state_check_expire): count the
 * packet, set use_time on first use (now: seconds on the SAD's clock).
 * Returns 0, or -EKEYEXPIRED when the SA may not carry this packet: it is
 * not VALID, or a hard limit had been reached before it (a hard limit of N
 * packets lets exactly N through; the packet that crosses a byte limit
 * still goes, as in the kernel). Reaching a soft or hard limit raises the
 * event (once).
 */
static inline int sa_lifetime_account(struct xfrm_sa *sa, uint32_t bytes, uint64_t now)
{
	const struct xfrm_lifetime_cfg *l = &sa->lft;
	uint64_t pk, by, old_by;

	if (unlikely(sa_state_get(sa) != SA_STATE_VALID))
		return -EKEYEXPIRED;
	if (unlikely(__atomic_load_n(&sa->curlft.use_time, __ATOMIC_RELAXED) == 0))
		__atomic_store_n(&sa->curlft.use_time, now, __ATOMIC_RELAXED);
	pk = __atomic_add_fetch(&sa->curlft.packets, 1, __ATOMIC_RELAXED);
	old_by = __atomic_fetch_add(&sa->curlft.bytes, bytes, __ATOMIC_RELAXED);
	by = old_by + bytes;
	if (unlikely(pk > l->hard_packet_limit || old_by >= l->hard_byte_limit)) {
		sa_lifetime_raise(sa, SA_EV_HARD);
		return -EKEYEXPIRED;
	}
	if (unlikely(pk >= l->hard_packet_limit || by >= l->hard_byte_limit))
		sa_lifetime_raise(sa, SA_EV_HARD);
	else if (unlikely(pk >= l->soft_packet_limit || by >= l->soft_byte_limit))
		if (!(__atomic_load_n(&sa->ev_raised, __ATOMIC_RELAXED) & SA_EV_SOFT))
			sa_lifetime_raise(sa, SA_EV_SOFT);
	return 0;
}

/* Entry i of a per-packet scratch array. */
#define SA_LFT_STATUS(status, stride, i)	((status)[(size_t)(i) * (stride)])
#define SA_LFT_ACCT(acct, stride, i)	\
	(*(const uint32_t *)((const uint8_t *)(acct) + (size_t)(i) * (stride)))

/* The burst reached a limit (pk0, by0: the counters before it): packet by packet. */
void sa_lifetime_burst_limits(struct xfrm_sa *sa, uint8_t *status, const uint32_t *acct,
			      size_t stride, uint16_t n, uint8_t ok, uint8_t refused,
			      uint64_t pk0, uint64_t by0);

/*
 * sa_lifetime_account() for the packets of a burst at once: one update of
 * the SA's counters instead of one per packet, with the outcome per packet
 * that the per-packet calls in packet order would give (a packet the SA
 * may not carry is refused; soft and hard events raised once).
 *
 * The packets are entries of a protocol's per-packet scratch array, stride
 * bytes apart: entry i's verdict is the byte at status + i * stride, its
 * bytes for the byte lifetime the uint32_t at acct + i * stride. Entries
 * whose verdict is not ok are skipped; a refused one gets refused (the
 * protocol's "hard limit" reason). now: seconds, for use_time.
 *
 * The common case, no limit reached by the burst, costs two atomic adds
 * and one compare; only a burst that reaches a limit goes packet by packet.
 * Inline, so each protocol's constant stride and verdicts fold into its
 * burst code.
 */
static inline __attribute__((always_inline)) void
sa_lifetime_account_burst(struct xfrm_sa *sa, uint8_t *status, const uint32_t *acct,
			  size_t stride, uint16_t n, uint64_t now, uint8_t ok, uint8_t refused)
{
	const struct xfrm_lifetime_cfg *l = &sa->lft;
	uint64_t k = 0, bytes = 0, pk0, by0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		if (SA_LFT_STATUS(status, stride, i) != ok)
			continue;
		k++;
		bytes += SA_LFT_ACCT(acct, stride, i);
	}
	if (unlikely(!k))
		return;
	if (unlikely(sa_state_get(sa) != SA_STATE_VALID)) {
		for (i = 0; i < n; i++)
			if (SA_LFT_STATUS(status, stride, i) == ok)
				SA_LFT_STATUS(status, stride, i) = refused;
		return;
	}
	if (unlikely(__atomic_load_n(&sa->curlft.use_time, __ATOMIC_RELAXED) == 0))
		__atomic_store_n(&sa->curlft.use_time, now, __ATOMIC_RELAXED);
	pk0 = __atomic_fetch_add(&sa->curlft.packets, k, __ATOMIC_RELAXED);
	by0 = __atomic_fetch_add(&sa->curlft.bytes, bytes, __ATOMIC_RELAXED);
	/* No packet of the burst reaches any limit: nothing else to do. */
	if (likely(pk0 + k < l->soft_packet_limit && pk0 + k < l->hard_packet_limit &&
		   by0 + bytes < l->soft_byte_limit && by0 + bytes < l->hard_byte_limit))
		return;
	sa_lifetime_burst_limits(sa, status, acct, stride, n, ok, refused, pk0, by0);
}

/*
 * Take back the counts of packets the burst accounting counted but that
 * the SA did not carry after all (refused later in the same burst because
 * the SA expired, e.g. when its sequence numbers ran out).
 */
static inline void sa_lifetime_unaccount(struct xfrm_sa *sa, uint64_t packets, uint64_t bytes)
{
	__atomic_sub_fetch(&sa->curlft.packets, packets, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&sa->curlft.bytes, bytes, __ATOMIC_RELAXED);
}

/* Seconds for the accounting's now: the SAD's clock, or CLOCK_REALTIME outside a SAD. */
uint64_t sa_lifetime_now(const struct xfrm_sa *sa);

/*
 * Time limits of an SA at time now (seconds): which events are due.
 * Add limits count from curlft.add_time, use limits from the first use
 * (an unused SA's use clock has not started), as the kernel's
 * xfrm_timer_handler. Returns a mask of SA_EV_*.
 */
uint32_t sa_lifetime_due(const struct xfrm_sa *sa, uint64_t now);

#endif
