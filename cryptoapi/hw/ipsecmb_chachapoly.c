/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * intel-ipsec-mb rfc7539(chacha20,poly1305) and rfc7539esp(...): three
 * library calls for a request in one run (ipsecmb_aead.h), else updates
 * piece by piece over the lists.
 */
#include "ipsecmb_aead.h"

/* The key and, resolved at setkey, the library's entry points. */
struct imb_chachapoly_ctx {
	uint8_t key[CHACHA_KEY_SIZE] __attribute__((aligned(16)));
	uint8_t salt[ESP_SALT_SIZE];
	chacha_poly_init_t init;
	chacha_poly_enc_dec_update_t enc_update;
	chacha_poly_enc_dec_update_t dec_update;
	chacha_poly_finalize_t final;
};

static int imb_chachapoly_fns(struct imb_chachapoly_ctx *ctx)
{
	IMB_MGR *m = imb_mgr();

	if (unlikely(!m))
		return -ENOMEM;
	ctx->init = m->chacha20_poly1305_init;
	ctx->enc_update = m->chacha20_poly1305_enc_update;
	ctx->dec_update = m->chacha20_poly1305_dec_update;
	ctx->final = m->chacha20_poly1305_finalize;
	return 0;
}

static int imb_chachapoly_setkey(struct crypto_aead *tfm, const uint8_t *key,
				 unsigned int keylen)
{
	struct imb_chachapoly_ctx *ctx = crypto_aead_ctx(tfm);

	if (unlikely(keylen != CHACHA_KEY_SIZE))
		return -EINVAL;
	memcpy(ctx->key, key, CHACHA_KEY_SIZE);
	return imb_chachapoly_fns(ctx);
}

/* RFC 7634 2: the ESP form appends a 4-byte salt to the key. */
static int imb_chachapoly_esp_setkey(struct crypto_aead *tfm, const uint8_t *key,
				     unsigned int keylen)
{
	struct imb_chachapoly_ctx *ctx = crypto_aead_ctx(tfm);

	if (unlikely(keylen != CHACHA_KEY_SIZE + ESP_SALT_SIZE))
		return -EINVAL;
	memcpy(ctx->key, key, CHACHA_KEY_SIZE);
	memcpy(ctx->salt, key + CHACHA_KEY_SIZE, ESP_SALT_SIZE);
	return imb_chachapoly_fns(ctx);
}

/* RFC 8439 2.8: a 16-byte tag. */
static int imb_chachapoly_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == POLY1305_TAG ? 0 : -EINVAL;
}

/*
 * RFC 8439 2.8 with text || ICV in one run of src and of dst: three library
 * calls, the tag written in place or checked against the received ICV.
 * IMB_SLOW when the request does not fit.
 */
static inline __attribute__((always_inline)) int
imb_chachapoly_fast(struct aead_request *req, const struct imb_chachapoly_ctx *ctx,
		    const uint8_t *nonce, uint32_t aadlen, uint32_t textlen, bool enc)
{
	uint32_t span = textlen + POLY1305_TAG;
	uint8_t *src = imb_run(req->src, req->src_off + req->assoclen, span), *dst = src;
	uint8_t abuf[IMB_AAD_GATHER], tag[POLY1305_TAG], icv[POLY1305_TAG];
	struct chacha20_poly1305_context_data c;
	const uint8_t *aad;
	int rc = 0;

	if (unlikely(!src))
		return IMB_SLOW;
	if (unlikely(!imb_in_place(req)) &&
	    !(dst = imb_run(req->dst, req->dst_off + req->assoclen, enc ? span : textlen)))
		return IMB_SLOW;
	aad = imb_aad(req->src, req->src_off, aadlen, abuf);
	if (unlikely(!aad))
		return IMB_SLOW;
	if (!enc)
		memcpy(icv, src + textlen, POLY1305_TAG);
	ctx->init(ctx->key, &c, nonce, aad, aadlen);
	if (unlikely(dst != src))
		aead_copy_assoc(req);
	(enc ? ctx->enc_update : ctx->dec_update)(ctx->key, &c, dst, src, textlen);
	ctx->final(&c, enc ? dst + textlen : tag, POLY1305_TAG);
	if (!enc) {
		if (unlikely(imb_tag_neq(tag, icv, POLY1305_TAG))) {
			crypto_wipe(dst, textlen);
			rc = -EBADMSG;
		}
		imb_wipe_small(tag, sizeof(tag));
	}
	imb_wipe_small(&c, sizeof(c));
	return rc;
}

/* Requests whose text or ICV spans runs: update piece by piece. */
static __attribute__((noinline)) int
imb_chachapoly_slow(struct aead_request *req, const struct imb_chachapoly_ctx *ctx,
		    const uint8_t *nonce, uint32_t aadlen, uint32_t textlen, bool enc)
{
	chacha_poly_enc_dec_update_t update = enc ? ctx->enc_update : ctx->dec_update;
	uint32_t icv_off = req->assoclen + textlen;
	struct chacha20_poly1305_context_data cctx;
	uint8_t tag[POLY1305_TAG], icv[POLY1305_TAG];
	const uint8_t *aad;
	struct xsg_walk w;
	uint32_t n;
	int rc = 0;

	aad = imb_linear(req->src, req->src_off, aadlen);
	if (unlikely(!aad))
		return -EMSGSIZE;
	if (!enc)
		xsg_copy_to_buf(icv, req->src, req->src_off + icv_off, POLY1305_TAG);
	ctx->init(ctx->key, &cctx, nonce, aad, aadlen);
	aead_copy_assoc(req);
	xsg_walk_init(&w, req->dst, req->dst_off + req->assoclen, req->src,
		      req->src_off + req->assoclen, textlen, 1);
	while ((n = xsg_walk_next(&w)) != 0) {
		update(ctx->key, &cctx, w.dst, w.src, n);
		xsg_walk_done(&w);
	}
	ctx->final(&cctx, tag, POLY1305_TAG);
	if (enc) {
		xsg_copy_from_buf(req->dst, req->dst_off + icv_off, tag, POLY1305_TAG);
	} else if (unlikely(crypto_memneq(tag, icv, POLY1305_TAG))) {
		imb_sg_zero(req->dst, req->dst_off + req->assoclen, textlen);
		rc = -EBADMSG;
	}
	crypto_wipe(&cctx, sizeof(cctx));
	crypto_wipe(tag, sizeof(tag));
	return rc;
}

static inline __attribute__((always_inline)) int
imb_chachapoly_crypt(struct aead_request *req, bool esp, bool enc)
{
	const struct imb_chachapoly_ctx *ctx = crypto_aead_ctx(req->tfm);
	uint32_t aadlen = req->assoclen;
	uint32_t textlen = enc ? req->cryptlen : req->cryptlen - POLY1305_TAG;
	uint8_t nonce[12];
	int rc;

	if (esp) {
		/* RFC 7634 2 / kernel rule: the explicit IV ends the associated data. */
		if (unlikely(aadlen < ESP_IV_SIZE))
			return -EINVAL;
		aadlen -= ESP_IV_SIZE;
		memcpy(nonce, ctx->salt, ESP_SALT_SIZE);
		memcpy(nonce + ESP_SALT_SIZE, req->iv, ESP_IV_SIZE);
	} else {
		memcpy(nonce, req->iv, 12);
	}
	rc = imb_chachapoly_fast(req, ctx, nonce, aadlen, textlen, enc);
	if (likely(rc != IMB_SLOW))
		return rc;
	return imb_chachapoly_slow(req, ctx, nonce, aadlen, textlen, enc);
}

IMB_AEAD_OPS(imb_rfc7539, imb_chachapoly_crypt, false)
IMB_AEAD_OPS(imb_rfc7539esp, imb_chachapoly_crypt, true)

static struct aead_alg imb_chachapoly_aeads[] = {
	IMB_AEAD("rfc7539(chacha20,poly1305)", "rfc7539-chacha20-poly1305-ipsecmb", 1, 12, 16,
		 struct imb_chachapoly_ctx, 0, imb_chachapoly_setkey, imb_chachapoly_setauthsize,
		 imb_rfc7539_encrypt, imb_rfc7539_decrypt, imb_rfc7539_encrypt_burst,
		 imb_rfc7539_decrypt_burst),
	IMB_AEAD("rfc7539esp(chacha20,poly1305)", "rfc7539esp-chacha20-poly1305-ipsecmb", 1, 8,
		 16, struct imb_chachapoly_ctx, 0, imb_chachapoly_esp_setkey,
		 imb_chachapoly_setauthsize, imb_rfc7539esp_encrypt, imb_rfc7539esp_decrypt,
		 imb_rfc7539esp_encrypt_burst, imb_rfc7539esp_decrypt_burst),
};

int imb_register_chachapoly(void)
{
	return crypto_register_aeads(imb_chachapoly_aeads, ARRAY_LEN(imb_chachapoly_aeads));
}

void imb_unregister_chachapoly(void)
{
	crypto_unregister_aeads(imb_chachapoly_aeads, ARRAY_LEN(imb_chachapoly_aeads));
}
