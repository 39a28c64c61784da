/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-lcore AH working state and the burst runner that moves bad packets
 * behind the good ones, counting each under its reason.
 */
#include <string.h>
#include <time.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>

#include "ah/ah_priv.h"
#include "sa/sad.h"

int ah_reason_off = -1;

static const char *const drop_names[AH_DROP_MAX] = {
	[AH_DROP_TRUNCATED] = "truncated",
	[AH_DROP_BAD_LENGTH] = "bad_length",
	[AH_DROP_SA_STATE] = "sa_state",
	[AH_DROP_SEQ_ZERO] = "seq_zero",
	[AH_DROP_REPLAY] = "replay",
	[AH_DROP_REPLAY_WINDOW] = "replay_window",
	[AH_DROP_AUTH] = "auth",
	[AH_DROP_NEXT_HEADER] = "next_header",
	[AH_DROP_SEQ_OVERFLOW] = "seq_overflow",
	[AH_DROP_HARD_LIMIT] = "hard_limit",
	[AH_DROP_NO_ROOM] = "no_room",
	[AH_DROP_CRYPTO] = "crypto",
	[AH_DROP_BAD_INNER] = "bad_inner",
	[AH_DROP_WRONG_SPI] = "wrong_spi",
	[AH_DROP_BAD_OUTER] = "bad_outer",
	[AH_DROP_BAD_OPTIONS] = "bad_options",
};

const char *ah_drop_name(enum ah_drop reason)
{
	return (unsigned int)reason < AH_DROP_MAX ? drop_names[reason] : "unknown";
}

enum ah_drop ah_mbuf_reason(const struct rte_mbuf *m)
{
	if (ah_reason_off < 0)
		return AH_DROP_MAX;
	return (enum ah_drop)*RTE_MBUF_DYNFIELD(m, ah_reason_off, const uint8_t *);
}

static int reason_field_register(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "xfrmgw_ah_reason",
		.size = sizeof(uint8_t),
		.align = __alignof__(uint8_t),
	};
	int off = rte_mbuf_dynfield_register(&desc);

	if (off < 0)
		return -rte_errno;
	__atomic_store_n(&ah_reason_off, off, __ATOMIC_RELEASE);
	return 0;
}

struct ah_lcore *ah_lcore_create(struct rte_mempool *pool, int socket_id)
{
	struct ah_lcore *lc;

	if (!pool || reason_field_register())
		return NULL;
	lc = rte_zmalloc_socket("ah_lcore", sizeof(*lc), 64, socket_id);
	if (!lc)
		return NULL;
	lc->pool = pool;
	return lc;
}

void ah_lcore_free(struct ah_lcore *lc)
{
	if (!lc)
		return;
	/* Digest state, requests and header copies may hold keyed material. */
	crypto_wipe(lc, sizeof(*lc));
	rte_free(lc);
}

struct ah_stats *ah_lcore_stats(struct ah_lcore *lc)
{
	return &lc->stats;
}

uint64_t ah_now(const struct xfrm_sa *sa)
{
	struct timespec ts;

	if (sa->sad)
		return sad_now(sa->sad);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec;
}

/* Move the bad packets of mb[0..n) behind the good ones; returns the good count. */
static uint16_t ah_sort_chunk(struct ah_lcore *lc, struct rte_mbuf *mb[], uint16_t n,
			      bool inbound)
{
	struct rte_mbuf *bad[AH_BURST];
	uint16_t i, g = 0, b = 0;

	for (i = 0; i < n; i++) {
		uint8_t st = lc->pkt[i].status;

		if (likely(st == AH_DROP_OK)) {
			if (inbound) {
				lc->stats.in_packets++;
				lc->stats.in_bytes += mb[i]->pkt_len;
			} else {
				lc->stats.out_packets++;
				lc->stats.out_bytes += mb[i]->pkt_len;
			}
			mb[g++] = mb[i];
			continue;
		}
		lc->stats.drop[st]++;
		ah_set_reason(mb[i], st);
		bad[b++] = mb[i];
	}
	memcpy(mb + g, bad, b * sizeof(bad[0]));
	return g;
}

uint16_t ah_run_burst(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[],
		      uint16_t n, ah_chunk_fn fn, bool inbound)
{
	struct rte_mbuf *tmp[AH_BURST];
	uint16_t i = 0, good = 0;

	while (i < n) {
		uint16_t c = RTE_MIN((uint16_t)(n - i), (uint16_t)AH_BURST);
		uint16_t g;

		fn(lc, sa, mb + i, c);
		g = ah_sort_chunk(lc, mb + i, c, inbound);
		/* [good | bad so far | this chunk's good | its bad]: rotate the middle. */
		if (g && i != good) {
			memcpy(tmp, mb + i, g * sizeof(tmp[0]));
			memmove(mb + good + g, mb + good, (size_t)(i - good) * sizeof(mb[0]));
			memcpy(mb + good, tmp, g * sizeof(tmp[0]));
		}
		good += g;
		i += c;
	}
	ah_icv_wipe(lc);
	return good;
}
