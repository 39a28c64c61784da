/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-lcore ESP working state: preallocated requests and scatterlists, the
 * DRBG for CBC IVs, counters; the burst runner that moves bad packets behind
 * the good ones, and the crypto submit/complete loop shared by both
 * directions.
 */
#include <string.h>

#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>
#include <rte_pause.h>

#include "esp/esp_priv.h"

int esp_reason_off = -1;

static const char *const drop_names[ESP_DROP_MAX] = {
	[ESP_DROP_TRUNCATED] = "truncated",
	[ESP_DROP_BAD_LENGTH] = "bad_length",
	[ESP_DROP_SA_STATE] = "sa_state",
	[ESP_DROP_SEQ_ZERO] = "seq_zero",
	[ESP_DROP_REPLAY] = "replay",
	[ESP_DROP_REPLAY_WINDOW] = "replay_window",
	[ESP_DROP_AUTH] = "auth",
	[ESP_DROP_PADDING] = "padding",
	[ESP_DROP_NEXT_HEADER] = "next_header",
	[ESP_DROP_DUMMY] = "dummy",
	[ESP_DROP_NATT_KEEPALIVE] = "natt_keepalive",
	[ESP_DROP_SEQ_OVERFLOW] = "seq_overflow",
	[ESP_DROP_HARD_LIMIT] = "hard_limit",
	[ESP_DROP_NO_ROOM] = "no_room",
	[ESP_DROP_CRYPTO] = "crypto",
	[ESP_DROP_BAD_INNER] = "bad_inner",
	[ESP_DROP_WRONG_SPI] = "wrong_spi",
	[ESP_DROP_BAD_OUTER] = "bad_outer",
	[ESP_DROP_NATT_IKE] = "natt_ike",
	[ESP_DROP_ECN] = "ecn",
	[ESP_DROP_UDP_CSUM] = "udp_csum",
};

const char *esp_drop_name(enum esp_drop reason)
{
	return (unsigned int)reason < ESP_DROP_MAX ? drop_names[reason] : "unknown";
}

enum esp_drop esp_mbuf_reason(const struct rte_mbuf *m)
{
	return (enum esp_drop)ipsec_mbuf_reason(m, esp_reason_off, ESP_DROP_MAX);
}

struct esp_lcore *esp_lcore_create(struct rte_mempool *pool, int socket_id)
{
	struct esp_lcore *lc;
	unsigned int i;

	lc = ipsec_lcore_alloc("esp_lcore", sizeof(*lc), pool, socket_id, "xfrmgw_esp_reason",
			       &esp_reason_off);
	if (!lc)
		return NULL;
	lc->pool = pool;
	if (crypto_alloc_rng(&lc->rng, "stdrng", 0, 0))
		goto fail;
	if (crypto_rng_reset(lc->rng, NULL, 0))	/* seeds from the entropy sources */
		goto fail_rng;
	for (i = 0; i < ESP_BURST; i++) {
		lc->req[i] = (struct aead_request *)lc->reqmem[i];
		lc->pkt[i].lc = lc;
	}
	return lc;

fail_rng:
	crypto_free_rng(lc->rng);
fail:
	rte_free(lc);
	return NULL;
}

void esp_lcore_free(struct esp_lcore *lc)
{
	if (!lc)
		return;
	crypto_free_rng(lc->rng);
	/* Requests held per-packet AAD copies and key-dependent scratch. */
	ipsec_lcore_wipe_free(lc, sizeof(*lc));
}

struct esp_stats *esp_lcore_stats(struct esp_lcore *lc)
{
	return &lc->stats;
}

/* ---- the same, as esp_type's ops (sa/xfrm_type.h) ---- */

void *esp_type_lcore_create(struct rte_mempool *pool, int socket_id)
{
	return esp_lcore_create(pool, socket_id);
}

void esp_type_lcore_free(void *lc)
{
	esp_lcore_free(lc);
}

const char *esp_type_drop_name(unsigned int reason)
{
	return esp_drop_name((enum esp_drop)reason);
}

unsigned int esp_type_mbuf_reason(const struct rte_mbuf *m)
{
	return esp_mbuf_reason(m);
}

const uint64_t *esp_type_lcore_drops(void *lc)
{
	return ((struct esp_lcore *)lc)->stats.drop;
}

int esp_lcore_random(struct esp_lcore *lc, uint8_t *dst, unsigned int n)
{
	if (unlikely(lc->rnd_left < n)) {
		int rc = crypto_rng_get_bytes(lc->rng, lc->rnd, ESP_RND_POOL);

		if (unlikely(rc))
			return rc;
		lc->rnd_left = ESP_RND_POOL;
	}
	lc->rnd_left -= n;
	memcpy(dst, lc->rnd + lc->rnd_left, n);
	crypto_wipe(lc->rnd + lc->rnd_left, n);	/* an IV is used once */
	return 0;
}

void esp_req_done(void *data, int err)
{
	struct esp_pkt *p = data;

	p->err = err;
}

void (*esp_async_wait_hook)(void *arg);
void *esp_async_wait_arg;

/* Poll an asynchronous transform until none of the n packets is pending. */
static void esp_crypto_wait(struct esp_lcore *lc, struct crypto_aead *tfm, uint16_t n)
{
	if (unlikely(esp_async_wait_hook))
		esp_async_wait_hook(esp_async_wait_arg);
	for (;;) {
		uint16_t i, pending = 0;

		for (i = 0; i < n; i++)
			pending += lc->pkt[i].status == ESP_DROP_OK && lc->pkt[i].err == -EINPROGRESS;
		if (!pending)
			return;
		if (!crypto_aead_poll(tfm, ESP_BURST))
			rte_pause();
	}
}

void esp_crypto_run(struct esp_lcore *lc, struct xfrm_sa *sa, uint16_t n, bool decrypt)
{
	struct crypto_aead *tfm = sa->crypto->aead;
	struct aead_request *r[ESP_BURST];
	struct esp_pkt *map[ESP_BURST];
	uint16_t i, cnt = 0, done = 0;
	bool async = false;

	for (i = 0; i < n; i++) {
		if (lc->pkt[i].status != ESP_DROP_OK)
			continue;
		lc->pkt[i].err = -EINPROGRESS;
		map[cnt] = &lc->pkt[i];
		r[cnt++] = lc->req[i];
	}
	while (done < cnt) {
		uint16_t k = decrypt ? crypto_aead_decrypt_burst(tfm, r + done, cnt - done) :
				       crypto_aead_encrypt_burst(tfm, r + done, cnt - done);

		for (i = done; i < done + k; i++) {
			if (r[i]->err == -EINPROGRESS)
				async = true;	/* unless the completion already ran */
			else if (map[i]->err == -EINPROGRESS)
				map[i]->err = r[i]->err;
		}
		done += k;
		if (k == 0 || async) {
			/* Device queue full or requests in flight: drive completions. */
			esp_crypto_wait(lc, tfm, n);
			async = true;
		}
	}
	if (!async)
		return;
	/*
	 * The SA may have expired or been deleted while the device worked
	 * (OpenBSD esp_input_cb looks it up again): re-check before touching
	 * the packets. The caller holds the SA (RCU read side or reference).
	 */
	if (unlikely(!sa_is_valid(sa) || sa->crypto == NULL || sa->crypto->aead != tfm))
		for (i = 0; i < n; i++)
			if (lc->pkt[i].status == ESP_DROP_OK)
				lc->pkt[i].status = ESP_DROP_SA_STATE;
}

uint16_t esp_run_burst(struct esp_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[],
		       uint16_t n, esp_chunk_fn fn, bool inbound)
{
	const struct ipsec_tally t = {
		.packets = inbound ? &lc->stats.in_packets : &lc->stats.out_packets,
		.bytes = inbound ? &lc->stats.in_bytes : &lc->stats.out_bytes,
		.drop = lc->stats.drop,
		.reason_off = esp_reason_off,
	};
	uint16_t i = 0, good = 0;

	while (i < n) {
		uint16_t c = RTE_MIN((uint16_t)(n - i), (uint16_t)ESP_BURST);
		uint16_t g;

		fn(lc, sa, mb + i, c);
		g = ipsec_sort_chunk(mb + i, c, &lc->pkt[0].status, sizeof(lc->pkt[0]), &t);
		good = ipsec_merge_chunk(mb, good, i, g);
		i += c;
	}
	return good;
}
