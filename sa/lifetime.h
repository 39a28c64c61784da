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

/*
 * Time limits of an SA at time now (seconds): which events are due.
 * Add limits count from curlft.add_time, use limits from the first use
 * (an unused SA's use clock has not started), as the kernel's
 * xfrm_timer_handler. Returns a mask of SA_EV_*.
 */
uint32_t sa_lifetime_due(const struct xfrm_sa *sa, uint64_t now);

#endif
