/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-bench traffic, the raw crypto limit: intel-ipsec-mb called
 * directly for the same AEAD, same key, same packets, same lengths as ESP
 * would use (RFC 4303 2: AAD = SPI || sequence number, 8-byte explicit IV,
 * payload = inner packet + padding + trailer, 16-byte ICV), and nothing
 * else: no headers, no sequence numbers, no replay window, no lifetimes.
 *
 * The AAD and IV sit in the headroom just before the inner packet and the
 * ICV after the padded payload, as ESP lays them out, so decryption gives the
 * plain packet back unchanged for the next round.
 */
#include <stdlib.h>
#include <string.h>

#include <intel-ipsec-mb.h>
#include <rte_mbuf.h>

#include "cryptoapi/crypto.h"
#include "traffic.h"

enum raw_kind { RAW_GCM128, RAW_GCM256, RAW_CHACHA };

struct raw_pair {
	enum raw_kind kind;
	uint8_t salt[4];
	uint8_t ckey[32];
	uint64_t iv;
	const struct tr_alg *alg;
	struct gcm_key_data gkey __attribute__((aligned(64)));
};

static int raw_kind_of(const struct tr_alg *a, enum raw_kind *k)
{
	if (!a->aead || a->icv_bits != 128)
		return -1;
	if (!strcmp(a->aead, "rfc4106(gcm(aes))") && (a->enckey == 20 || a->enckey == 36))
		*k = a->enckey == 20 ? RAW_GCM128 : RAW_GCM256;
	else if (!strcmp(a->aead, "rfc7539esp(chacha20,poly1305)") && a->enckey == 36)
		*k = RAW_CHACHA;
	else
		return -1;
	return 0;
}

bool tr_raw_supports(const struct tr_alg *a)
{
	enum raw_kind k;

	return raw_kind_of(a, &k) == 0;
}

static void *raw_lcore_init(unsigned int lcore_idx, struct rte_mempool *pool)
{
	IMB_MGR *mgr = alloc_mb_mgr(0);

	(void)lcore_idx;
	(void)pool;
	if (mgr)
		init_mb_mgr_auto(mgr, NULL);
	return mgr;
}

static void raw_lcore_fini(void *ctx)
{
	if (ctx)
		free_mb_mgr(ctx);
}

static void *raw_pair_new(const struct tr_alg *a, unsigned int idx, const char **why)
{
	struct raw_pair *p;
	uint8_t ek[64], ak[64];
	IMB_MGR *mgr;

	(void)idx;
	p = aligned_alloc(64, (sizeof(*p) + 63) & ~(size_t)63);
	mgr = alloc_mb_mgr(0);
	if (!p || !mgr || raw_kind_of(a, &p->kind)) {
		*why = p && mgr ? "no direct intel-ipsec-mb call for this algorithm" : "no memory";
		free(p);
		if (mgr)
			free_mb_mgr(mgr);
		return NULL;
	}
	init_mb_mgr_auto(mgr, NULL);
	tr_alg_keys(a, ek, ak);
	p->alg = a;
	p->iv = 1;
	memcpy(p->salt, ek + a->enckey - 4, 4);
	if (p->kind == RAW_GCM128)
		IMB_AES128_GCM_PRE(mgr, ek, &p->gkey);
	else if (p->kind == RAW_GCM256)
		IMB_AES256_GCM_PRE(mgr, ek, &p->gkey);
	else
		memcpy(p->ckey, ek, 32);
	free_mb_mgr(mgr);
	crypto_wipe(ek, sizeof(ek));
	crypto_wipe(ak, sizeof(ak));
	return p;
}

static void raw_pair_free(void *pair)
{
	if (!pair)
		return;
	crypto_wipe(pair, sizeof(struct raw_pair));
	free(pair);
}

/* The ESP-shaped region of a plain packet: aad | iv | text | icv. */
struct raw_view {
	uint8_t *aad, *text, *icv;
	uint32_t len;
	uint8_t nonce[12];
};

static void raw_view(struct raw_pair *p, struct rte_mbuf *m, struct raw_view *v)
{
	v->text = rte_pktmbuf_mtod(m, uint8_t *);
	v->aad = v->text - 16;
	v->len = tr_esp_text(p->alg, m->pkt_len);
	v->icv = v->text + v->len;
	memcpy(v->nonce, p->salt, 4);		/* RFC 4106 4: salt || IV */
	memcpy(v->nonce + 4, v->aad + 8, 8);
}

static uint16_t raw_out(void *ctx, void *pair, struct rte_mbuf *mb[], uint16_t n)
{
	struct raw_pair *p = pair;
	IMB_MGR *mgr = ctx;

	for (uint16_t i = 0; i < n; i++) {
		struct raw_view v;
		uint8_t *aad = rte_pktmbuf_mtod(mb[i], uint8_t *) - 16;
		uint64_t iv = p->iv++;

		memset(aad, 0, 8);
		memcpy(aad + 8, &iv, 8);
		raw_view(p, mb[i], &v);
		if (p->kind == RAW_GCM128) {
			struct gcm_context_data g;

			IMB_AES128_GCM_ENC(mgr, &p->gkey, &g, v.text, v.text, v.len, v.nonce,
					   v.aad, 8, v.icv, 16);
		} else if (p->kind == RAW_GCM256) {
			struct gcm_context_data g;

			IMB_AES256_GCM_ENC(mgr, &p->gkey, &g, v.text, v.text, v.len, v.nonce,
					   v.aad, 8, v.icv, 16);
		} else {
			struct chacha20_poly1305_context_data c;

			IMB_CHACHA20_POLY1305_INIT(mgr, p->ckey, &c, v.nonce, v.aad, 8);
			IMB_CHACHA20_POLY1305_ENC_UPDATE(mgr, p->ckey, &c, v.text, v.text, v.len);
			IMB_CHACHA20_POLY1305_ENC_FINALIZE(mgr, &c, v.icv, 16);
		}
	}
	return n;
}

static uint16_t raw_in(void *ctx, void *pair, struct rte_mbuf *mb[], uint16_t n)
{
	struct raw_pair *p = pair;
	IMB_MGR *mgr = ctx;
	struct rte_mbuf *bad[TR_BURST * 8];
	uint16_t good = 0, nbad = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct raw_view v;
		uint8_t tag[16];

		raw_view(p, mb[i], &v);
		if (p->kind == RAW_GCM128) {
			struct gcm_context_data g;

			IMB_AES128_GCM_DEC(mgr, &p->gkey, &g, v.text, v.text, v.len, v.nonce,
					   v.aad, 8, tag, 16);
		} else if (p->kind == RAW_GCM256) {
			struct gcm_context_data g;

			IMB_AES256_GCM_DEC(mgr, &p->gkey, &g, v.text, v.text, v.len, v.nonce,
					   v.aad, 8, tag, 16);
		} else {
			struct chacha20_poly1305_context_data c;

			IMB_CHACHA20_POLY1305_INIT(mgr, p->ckey, &c, v.nonce, v.aad, 8);
			IMB_CHACHA20_POLY1305_DEC_UPDATE(mgr, p->ckey, &c, v.text, v.text, v.len);
			IMB_CHACHA20_POLY1305_DEC_FINALIZE(mgr, &c, tag, 16);
		}
		/* A bad tag would be a bench bug; count it as a drop all the same. */
		if (likely(!crypto_memneq(tag, v.icv, 16) || nbad == RTE_DIM(bad)))
			mb[good++] = mb[i];
		else
			bad[nbad++] = mb[i];
	}
	memcpy(mb + good, bad, nbad * sizeof(bad[0]));
	return good;
}

static const char *raw_driver(void *pair)
{
	(void)pair;
	return "intel-ipsec-mb " IMB_VERSION_STR;
}

const struct tr_ops tr_raw_ops = {
	.lcore_init = raw_lcore_init,
	.lcore_fini = raw_lcore_fini,
	.pair_new = raw_pair_new,
	.pair_free = raw_pair_free,
	.out = raw_out,
	.in = raw_in,
	.driver = raw_driver,
};
