/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-lcore AH working state and the burst runner that moves bad packets
 * behind the good ones, counting each under its reason.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>

#include "ah/ah_priv.h"

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
	return (enum ah_drop)ipsec_mbuf_reason(m, ah_reason_off, AH_DROP_MAX);
}

struct ah_lcore *ah_lcore_create(struct rte_mempool *pool, int socket_id)
{
	struct ah_lcore *lc;

	lc = ipsec_lcore_alloc("ah_lcore", sizeof(*lc), pool, socket_id, "xfrmgw_ah_reason",
			       &ah_reason_off);
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
	ipsec_lcore_wipe_free(lc, sizeof(*lc));
}

struct ah_stats *ah_lcore_stats(struct ah_lcore *lc)
{
	return &lc->stats;
}

/* ---- the same, as ah_type's ops (sa/xfrm_type.h) ---- */

void *ah_type_lcore_create(struct rte_mempool *pool, int socket_id)
{
	return ah_lcore_create(pool, socket_id);
}

void ah_type_lcore_free(void *lc)
{
	ah_lcore_free(lc);
}

const char *ah_type_drop_name(unsigned int reason)
{
	return ah_drop_name((enum ah_drop)reason);
}

/* "ah_" + the name: AH's reasons beside ESP's in one dictionary. */
static char drop_keys[AH_DROP_MAX][32];
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

static void drop_keys_fill(void)
{
	for (unsigned int i = 0; i < AH_DROP_MAX; i++)
		snprintf(drop_keys[i], sizeof(drop_keys[i]), "ah_%s", drop_names[i]);
}

const char *ah_type_drop_key(unsigned int reason)
{
	if (reason >= AH_DROP_MAX)
		return "ah_unknown";
	pthread_once(&keys_once, drop_keys_fill);
	return drop_keys[reason];
}

unsigned int ah_type_mbuf_reason(const struct rte_mbuf *m)
{
	return ah_mbuf_reason(m);
}

const uint64_t *ah_type_lcore_drops(void *lc)
{
	return ((struct ah_lcore *)lc)->stats.drop;
}

uint16_t ah_run_burst(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[],
		      uint16_t n, ah_chunk_fn fn, bool inbound)
{
	const struct ipsec_tally t = {
		.packets = inbound ? &lc->stats.in_packets : &lc->stats.out_packets,
		.bytes = inbound ? &lc->stats.in_bytes : &lc->stats.out_bytes,
		.drop = lc->stats.drop,
		.reason_off = ah_reason_off,
	};
	uint16_t i = 0, good = 0;

	while (i < n) {
		uint16_t c = RTE_MIN((uint16_t)(n - i), (uint16_t)AH_BURST);
		uint16_t g;

		fn(lc, sa, mb + i, c);
		g = ipsec_sort_chunk(mb + i, c, &lc->pkt[0].status, sizeof(lc->pkt[0]), &t);
		good = ipsec_merge_chunk(mb, good, i, g);
		i += c;
	}
	ah_icv_wipe(lc);
	return good;
}
