/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replay window allocation and conversion to and from the kernel's XFRM
 * representation. The per-packet functions are inline in replay.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cryptoapi/crypto.h"
#include "sa/replay.h"

/* Words for a window of W bits: a power of two holding W + 64 bits (RFC 6479). */
static uint32_t replay_words(uint32_t window)
{
	uint32_t need = (window + 63) / 64 + 1, n = 1;

	while (n < need)
		n <<= 1;
	return n;
}

size_t sa_replay_size(uint32_t window)
{
	return sizeof(struct sa_replay) + replay_words(window) * sizeof(uint64_t);
}

struct sa_replay *sa_replay_alloc(uint32_t window, bool esn, uint64_t top)
{
	struct sa_replay *r;

	if (window > SA_REPLAY_MAX_WINDOW)
		return NULL;
	r = calloc(1, sa_replay_size(window));
	if (!r)
		return NULL;
	r->window = window;
	r->wmask = replay_words(window) - 1;
	r->esn = esn;
	r->top = top;
	return r;
}

void sa_replay_free(struct sa_replay *r)
{
	if (!r)
		return;
	crypto_wipe(r, sa_replay_size(r->window));
	free(r);
}

static bool replay_has(const struct sa_replay *r, uint64_t s)
{
	return r->bmp[(s >> 6) & r->wmask] & (1ull << (s & 63));
}

static void replay_set(struct sa_replay *r, uint64_t s)
{
	r->bmp[(s >> 6) & r->wmask] |= 1ull << (s & 63);
}

/* Sequence numbers the window covers: (top - W, top], never 0. */
static uint64_t replay_bottom(const struct sa_replay *r)
{
	return r->top >= r->window ? r->top - r->window + 1 : 1;
}

size_t sa_replay_esn_size(uint32_t window)
{
	return sizeof(struct xfrm_replay_state_esn) + (window + 31) / 32 * sizeof(uint32_t);
}

/* The kernel keeps sequence number s at bit (s - 1) % replay_window. */
static uint32_t esn_bit(uint64_t s, uint32_t window)
{
	return (uint32_t)(s - 1) % window;
}

void sa_replay_export_esn(const struct sa_replay *r, struct xfrm_replay_state_esn *out)
{
	out->replay_window = r->window;
	out->bmp_len = (r->window + 31) / 32;
	out->seq = (uint32_t)r->top;
	out->seq_hi = (uint32_t)(r->top >> 32);
	memset(out->bmp, 0, out->bmp_len * sizeof(uint32_t));
	if (!r->window)
		return;
	for (uint64_t s = replay_bottom(r); s <= r->top; s++) {
		if (replay_has(r, s)) {
			uint32_t b = esn_bit(s, r->window);

			out->bmp[b / 32] |= 1u << (b % 32);
		}
	}
}

int sa_replay_import_esn(struct sa_replay *r, const struct xfrm_replay_state_esn *in)
{
	if (in->replay_window != r->window || in->bmp_len * 32 < r->window)
		return -EINVAL;
	memset(r->bmp, 0, (r->wmask + 1) * sizeof(uint64_t));
	r->top = (uint64_t)in->seq_hi << 32 | in->seq;
	if (!r->window)
		return 0;
	for (uint64_t s = replay_bottom(r); s <= r->top; s++) {
		uint32_t b = esn_bit(s, r->window);

		if (in->bmp[b / 32] & (1u << (b % 32)))
			replay_set(r, s);
	}
	return 0;
}

void sa_replay_export_legacy(const struct sa_replay *r, struct xfrm_replay_state *out)
{
	out->seq = (uint32_t)r->top;
	out->bitmap = 0;
	for (uint32_t i = 0; i < 32 && i < r->window && i < r->top; i++)
		if (replay_has(r, r->top - i))
			out->bitmap |= 1u << i;
}

void sa_replay_import_legacy(struct sa_replay *r, const struct xfrm_replay_state *in)
{
	memset(r->bmp, 0, (r->wmask + 1) * sizeof(uint64_t));
	r->top = in->seq;
	for (uint32_t i = 0; i < 32 && i < r->window && i < r->top; i++)
		if (in->bitmap & (1u << i))
			replay_set(r, r->top - i);
}
