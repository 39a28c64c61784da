/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Anti-replay window and sequence numbers (RFC 4303 3.4.3, 3.3.3 and
 * Appendix A; RFC 4302 3.4.3).
 *
 * The inbound window is the bitmap of RFC 6479: an array of 64-bit words
 * whose size is a power of two and holds at least W + 64 bits. Sequence
 * number s lives at bit (s & 63) of word (s >> 6) & mask. Moving the window
 * forward clears whole words (at most the array) and never shifts bits, so
 * the cost per packet does not grow with W. Any W from 1 to
 * SA_REPLAY_MAX_WINDOW works; W = 0 disables the check (as the kernel does).
 *
 * Inbound use is in two steps, as RFC 4303 3.4.3 orders it:
 *
 *	rc = sa_replay_check(r, seq_lo, &seq);	(before the ICV is verified)
 *	... verify ICV, using seq >> 32 as the ESN high bits ...
 *	rc = sa_replay_advance(r, seq);		(only if the ICV verified)
 *
 * The window moves only in sa_replay_advance(), so a forged packet cannot
 * move it. advance() checks again, so a duplicate that raced between the
 * two calls is still caught.
 *
 * Threads: a window is written by one thread at a time (the lcore that owns
 * the inbound SA, or callers serialise). Readers of the counters for GETSA
 * may see a slightly stale value, never a torn one (64-bit stores).
 */
#ifndef XFRMGW_SA_REPLAY_H
#define XFRMGW_SA_REPLAY_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/xfrm.h>

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

/* Largest window accepted (bits); the kernel's ESN attribute allows less. */
#define SA_REPLAY_MAX_WINDOW	(1u << 20)

struct sa_replay {
	uint64_t top;		/* highest authenticated sequence number */
	uint32_t window;	/* W: how far below top a packet may be */
	uint32_t wmask;		/* words in bmp - 1 (words is a power of 2) */
	bool esn;		/* 64-bit sequence numbers, 32 on the wire */
	uint64_t bmp[];		/* RFC 6479 bitmap */
};

/*
 * Allocate a window of W bits. esn: infer the high 32 bits (RFC 4303 A.2).
 * top: initial highest sequence number (0 for a new SA). NULL on bad W
 * (> SA_REPLAY_MAX_WINDOW) or no memory.
 */
struct sa_replay *sa_replay_alloc(uint32_t window, bool esn, uint64_t top);
void sa_replay_free(struct sa_replay *r);

/* Bytes of the allocation for a window of W bits (for the SA's footprint). */
size_t sa_replay_size(uint32_t window);

/*
 * Import/export the kernel's view for NEWSA/UPDSA and GETSA.
 * ESN form (XFRMA_REPLAY_ESN_VAL): bit (s - 1) % replay_window of bmp[] is
 * sequence number s, for s in (seq - replay_window, seq], as the kernel keeps
 * it. export_esn fills seq, seq_hi, replay_window, bmp_len and bmp; out must
 * hold bmp_len = DIV_ROUND_UP(window, 32) words (see sa_replay_esn_size()).
 * It leaves oseq/oseq_hi to the caller. Legacy form (XFRMA_REPLAY_VAL): bit i
 * of bitmap is top - i, for i < 32.
 */
size_t sa_replay_esn_size(uint32_t window);
void sa_replay_export_esn(const struct sa_replay *r, struct xfrm_replay_state_esn *out);
void sa_replay_export_legacy(const struct sa_replay *r, struct xfrm_replay_state *out);
/* 0, or -EINVAL when bmp_len/replay_window do not fit this window. */
int sa_replay_import_esn(struct sa_replay *r, const struct xfrm_replay_state_esn *in);
void sa_replay_import_legacy(struct sa_replay *r, const struct xfrm_replay_state *in);

/*
 * RFC 4303 A.2.2: the high 32 bits of a received sequence number, given the
 * low 32 bits on the wire and the current window. Case A (the window lies in
 * one 2^32 subspace) and case B (it spans two). Returns false when the
 * number would lie before sequence number 0 (cannot be valid).
 */
static inline bool sa_replay_infer_hi(const struct sa_replay *r, uint32_t seq_lo, uint32_t *hi)
{
	uint32_t tl = (uint32_t)r->top, th = (uint32_t)(r->top >> 32);
	uint32_t w = r->window ? r->window : (1u << 31);
	uint32_t bottom = tl - w + 1;	/* may wrap: that is case B */

	if (likely(tl >= w - 1)) {
		*hi = seq_lo >= bottom ? th : th + 1;
		return true;
	}
	if (seq_lo >= bottom) {
		if (unlikely(th == 0))
			return false;
		*hi = th - 1;
		return true;
	}
	*hi = th;
	return true;
}

/*
 * Before ICV verification: is seq_lo new and inside the window? On 0 the
 * full 64-bit number (the ESN one, else seq_lo) is in *seq, for the ICV and
 * for sa_replay_advance(). Errors:
 *  -EINVAL   sequence number 0 (never sent, RFC 4303 3.3.3)
 *  -ERANGE   below the window (kernel counts these as stats.replay_window)
 *  -EALREADY already received (stats.replay)
 */
static inline int sa_replay_check(const struct sa_replay *r, uint32_t seq_lo, uint64_t *seq)
{
	uint64_t s = seq_lo;
	uint32_t hi = 0;

	*seq = s;
	if (r->esn) {
		if (unlikely(!sa_replay_infer_hi(r, seq_lo, &hi)))
			return -ERANGE;
		s |= (uint64_t)hi << 32;
	}
	*seq = s;
	if (unlikely(s == 0))
		return -EINVAL;
	if (r->window == 0 || s > r->top)
		return 0;
	if (unlikely(r->top - s >= r->window))
		return -ERANGE;
	if (unlikely(r->bmp[(s >> 6) & r->wmask] & (1ull << (s & 63))))
		return -EALREADY;
	return 0;
}

/*
 * After the ICV verified: record seq (from sa_replay_check) and move the
 * window if seq is the new top (RFC 6479 section 2: clear the words that
 * the window slides over, never shift). Same errors as the check.
 */
static inline int sa_replay_advance(struct sa_replay *r, uint64_t s)
{
	uint64_t bit = 1ull << (s & 63);
	uint64_t idx = s >> 6;

	if (unlikely(s == 0))
		return -EINVAL;
	if (r->window == 0) {
		if (s > r->top)
			r->top = s;
		return 0;
	}
	if (s > r->top) {
		uint64_t cur = r->top >> 6;
		uint64_t n = idx - cur;

		if (n > (uint64_t)r->wmask + 1)
			n = (uint64_t)r->wmask + 1;
		while (n--)
			r->bmp[(++cur) & r->wmask] = 0;
		r->top = s;
	} else {
		if (unlikely(r->top - s >= r->window))
			return -ERANGE;
		if (unlikely(r->bmp[idx & r->wmask] & bit))
			return -EALREADY;
	}
	r->bmp[idx & r->wmask] |= bit;
	return 0;
}

/*
 * Outbound sequence number (RFC 4303 3.3.3): the next number after *oseq,
 * taken atomically so several lcores may send on one SA. Without ESN the
 * counter must not pass 2^32 - 1, with ESN not 2^64 - 1; then -EOVERFLOW and
 * the SA must be expired (the caller raises a hard expiry). may_wrap
 * (XFRM_SA_XFLAG_OSEQ_MAY_WRAP) lets a non-ESN counter wrap as the kernel
 * allows on request. The low 32 bits go on the wire; ESN high bits go into
 * the ICV only.
 */
static inline int sa_seq_next(uint64_t *oseq, bool esn, bool may_wrap, uint64_t *out)
{
	uint64_t n = __atomic_add_fetch(oseq, 1, __ATOMIC_RELAXED);

	if (unlikely(!esn && n > UINT32_MAX)) {
		if (!may_wrap)
			return -EOVERFLOW;
		n &= UINT32_MAX;
	}
	if (unlikely(n == 0 && !may_wrap))
		return -EOVERFLOW;
	*out = n;
	return 0;
}

#endif
