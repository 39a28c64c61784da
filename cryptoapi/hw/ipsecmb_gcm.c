/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * intel-ipsec-mb gcm(aes), rfc4106(gcm(aes)), rfc4543(gcm(aes)). A request
 * whose text and ICV lie in one run takes one library call (ipsecmb_aead.h);
 * others are updated piece by piece over the lists, with no copy.
 */
#include "ipsecmb_aead.h"

enum gcm_kind { GCM_PLAIN, GCM_RFC4106, GCM_RFC4543 };

/*
 * A keyed GCM transform: the hash-key tables and, resolved once at setkey for
 * the key size, the library's entry points. These functions take no manager
 * (it only dispatches to them), so the data path needs no per-thread lookup.
 */
struct imb_gcm_ctx {
	struct gcm_key_data key;
	aes_gcm_enc_dec_t enc;		/* one call: AAD, text, tag */
	aes_gcm_enc_dec_t dec;
	aes_gcm_init_var_iv_t init;	/* piece by piece over lists */
	aes_gcm_enc_dec_update_t enc_update;
	aes_gcm_enc_dec_update_t dec_update;
	aes_gcm_enc_dec_finalize_t enc_final;
	aes_gcm_enc_dec_finalize_t dec_final;
	uint32_t keylen;
	uint8_t salt[ESP_SALT_SIZE];
};

static int imb_gcm_expand(struct imb_gcm_ctx *ctx, const uint8_t *key, unsigned int keylen)
{
	IMB_MGR *m = imb_mgr();

	if (unlikely(!m))
		return -ENOMEM;
	switch (keylen) {
	case 16:
		IMB_AES128_GCM_PRE(m, key, &ctx->key);
		ctx->enc = m->gcm128_enc;
		ctx->dec = m->gcm128_dec;
		ctx->init = m->gcm128_init_var_iv;
		ctx->enc_update = m->gcm128_enc_update;
		ctx->dec_update = m->gcm128_dec_update;
		ctx->enc_final = m->gcm128_enc_finalize;
		ctx->dec_final = m->gcm128_dec_finalize;
		break;
	case 24:
		IMB_AES192_GCM_PRE(m, key, &ctx->key);
		ctx->enc = m->gcm192_enc;
		ctx->dec = m->gcm192_dec;
		ctx->init = m->gcm192_init_var_iv;
		ctx->enc_update = m->gcm192_enc_update;
		ctx->dec_update = m->gcm192_dec_update;
		ctx->enc_final = m->gcm192_enc_finalize;
		ctx->dec_final = m->gcm192_dec_finalize;
		break;
	case 32:
		IMB_AES256_GCM_PRE(m, key, &ctx->key);
		ctx->enc = m->gcm256_enc;
		ctx->dec = m->gcm256_dec;
		ctx->init = m->gcm256_init_var_iv;
		ctx->enc_update = m->gcm256_enc_update;
		ctx->dec_update = m->gcm256_dec_update;
		ctx->enc_final = m->gcm256_enc_finalize;
		ctx->dec_final = m->gcm256_dec_finalize;
		break;
	default:
		return -EINVAL;
	}
	ctx->keylen = keylen;
	return 0;
}

static int imb_gcm_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen)
{
	return imb_gcm_expand(crypto_aead_ctx(tfm), key, keylen);
}

/* RFC 4106 8.1 / RFC 4543 3.2: the key material ends in a 4-byte salt. */
static int imb_gcm_esp_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen)
{
	struct imb_gcm_ctx *ctx = crypto_aead_ctx(tfm);

	if (unlikely(keylen < ESP_SALT_SIZE))
		return -EINVAL;
	memcpy(ctx->salt, key + keylen - ESP_SALT_SIZE, ESP_SALT_SIZE);
	return imb_gcm_expand(ctx, key, keylen - ESP_SALT_SIZE);
}

/* SP 800-38D 5.2.1.2: tags of 4, 8 and 12..16 bytes. */
static int imb_gcm_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == 4 || authsize == 8 || (authsize >= 12 && authsize <= 16) ? 0 : -EINVAL;
}

/* RFC 4106 5: ICVs of 8, 12 or 16 bytes. */
static int imb_rfc4106_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == 8 || authsize == 12 || authsize == 16 ? 0 : -EINVAL;
}

/* RFC 4543 3.3: a 16-byte ICV. */
static int imb_rfc4543_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == 16 ? 0 : -EINVAL;
}

/* ---- GCM fast path: the request's text in one run ---- */

/*
 * SP 800-38D 7.1/7.2 in one library call when text || ICV is one run in src
 * and in dst: the tag is written in place (encrypt) or checked against the
 * received ICV (decrypt). IMB_SLOW when the request does not fit.
 */
static inline __attribute__((always_inline)) int
imb_gcm_fast(struct aead_request *req, const struct imb_gcm_ctx *ctx, const uint8_t *iv,
	     uint32_t aadlen, uint32_t textlen, bool enc)
{
	uint32_t authsize = req->tfm->authsize, span = textlen + authsize;
	uint8_t *src = imb_run(req->src, req->src_off + req->assoclen, span), *dst = src;
	uint8_t abuf[IMB_AAD_GATHER], tag[16], icv[16];
	struct gcm_context_data g;
	const uint8_t *aad;
	int rc = 0;

	if (unlikely(!src))
		return IMB_SLOW;
	/* Out of place, dst holds the ICV on encrypt only. */
	if (unlikely(!imb_in_place(req)) &&
	    !(dst = imb_run(req->dst, req->dst_off + req->assoclen, enc ? span : textlen)))
		return IMB_SLOW;
	aad = imb_aad(req->src, req->src_off, aadlen, abuf);
	if (unlikely(!aad))
		return IMB_SLOW;
	if (unlikely(dst != src))
		aead_copy_assoc(req);
	if (enc) {
		ctx->enc(&ctx->key, &g, dst, src, textlen, iv, aad, aadlen, dst + textlen, authsize);
	} else {
		memcpy(icv, src + textlen, authsize);
		ctx->dec(&ctx->key, &g, dst, src, textlen, iv, aad, aadlen, tag, authsize);
		if (unlikely(imb_tag_neq(tag, icv, authsize))) {
			crypto_wipe(dst, textlen);
			rc = -EBADMSG;
		}
		imb_wipe_small(tag, sizeof(tag));
	}
	imb_wipe_small(&g, sizeof(g));
	return rc;
}

/*
 * RFC 4543 3: GMAC over SPI || seq || IV || payload in one call when that and
 * the ICV are one run; the payload is left as it is (copied out of place).
 */
static inline __attribute__((always_inline)) int
imb_gmac_fast(struct aead_request *req, const struct imb_gcm_ctx *ctx, const uint8_t *iv,
	      uint32_t textlen, bool enc)
{
	uint32_t authsize = req->tfm->authsize;
	uint32_t alen = req->assoclen + textlen, span = alen + authsize;
	uint8_t *src = imb_run(req->src, req->src_off, span), *dst = src;
	struct gcm_context_data g;
	uint8_t tag[16], icv[16];
	int rc = 0;

	if (unlikely(!src))
		return IMB_SLOW;
	if (unlikely(!imb_in_place(req)) &&
	    !(dst = imb_run(req->dst, req->dst_off, enc ? span : alen)))
		return IMB_SLOW;
	if (!enc)
		memcpy(icv, src + alen, authsize);
	if (unlikely(dst != src))
		memmove(dst, src, alen);
	/* Nothing to encrypt; the AAD is dst, which now holds the data. */
	ctx->enc(&ctx->key, &g, dst + alen, dst + alen, 0, iv, dst, alen, enc ? dst + alen : tag,
		 authsize);
	if (!enc) {
		if (unlikely(imb_tag_neq(tag, icv, authsize))) {
			crypto_wipe(dst + req->assoclen, textlen);
			rc = -EBADMSG;
		}
		imb_wipe_small(tag, sizeof(tag));
	}
	imb_wipe_small(&g, sizeof(g));
	return rc;
}

/* ---- GCM over scatterlists ---- */

/*
 * GCM over the lists: aadlen bytes of associated data at the start of src,
 * textlen bytes of text after assoclen, updated piece by piece.
 */
static int imb_gcm_run(struct aead_request *req, const struct imb_gcm_ctx *ctx,
		       const uint8_t *iv, uint32_t aadlen, uint32_t textlen, bool enc,
		       uint8_t *tag)
{
	aes_gcm_enc_dec_update_t update = enc ? ctx->enc_update : ctx->dec_update;
	struct gcm_context_data gctx;
	const uint8_t *aad;
	struct xsg_walk w;
	uint32_t n;

	aad = imb_linear(req->src, req->src_off, aadlen);
	if (unlikely(!aad))
		return -EMSGSIZE;
	ctx->init(&ctx->key, &gctx, iv, GCM_IV_SIZE, aad, aadlen);
	xsg_walk_init(&w, req->dst, req->dst_off + req->assoclen, req->src,
		      req->src_off + req->assoclen, textlen, 1);
	while ((n = xsg_walk_next(&w)) != 0) {
		update(&ctx->key, &gctx, w.dst, w.src, n);
		xsg_walk_done(&w);
	}
	(enc ? ctx->enc_final : ctx->dec_final)(&ctx->key, &gctx, tag, 16);
	crypto_wipe(&gctx, sizeof(gctx));
	return 0;
}

/* RFC 4543 3: GMAC authenticates everything and encrypts nothing. */
static int imb_gmac_run(struct aead_request *req, const struct imb_gcm_ctx *ctx,
			const uint8_t *iv, uint32_t textlen, uint8_t *tag)
{
	struct gcm_context_data gctx;
	const uint8_t *aad;
	uint32_t alen = req->assoclen + textlen;

	aad = imb_linear(req->src, req->src_off, alen);
	if (unlikely(!aad))
		return -EMSGSIZE;
	ctx->init(&ctx->key, &gctx, iv, GCM_IV_SIZE, aad, alen);
	ctx->enc_final(&ctx->key, &gctx, tag, 16);
	crypto_wipe(&gctx, sizeof(gctx));
	if (textlen)
		xsg_copy(req->dst, req->dst_off + req->assoclen, req->src,
			 req->src_off + req->assoclen, textlen);
	return 0;
}

/* Requests whose text or ICV spans runs: walk the lists, tag on the stack. */
static __attribute__((noinline)) int
imb_gcm_slow(struct aead_request *req, const struct imb_gcm_ctx *ctx, const uint8_t *iv,
	     uint32_t aadlen, uint32_t textlen, enum gcm_kind kind, bool enc)
{
	uint32_t authsize = req->tfm->authsize, icv_off = req->assoclen + textlen;
	uint8_t tag[16], icv[16];
	int rc;

	if (!enc)
		xsg_copy_to_buf(icv, req->src, req->src_off + icv_off, authsize);
	aead_copy_assoc(req);
	if (kind == GCM_RFC4543)
		rc = imb_gmac_run(req, ctx, iv, textlen, tag);
	else
		rc = imb_gcm_run(req, ctx, iv, aadlen, textlen, enc, tag);
	if (unlikely(rc))
		goto out;
	if (enc) {
		xsg_copy_from_buf(req->dst, req->dst_off + icv_off, tag, authsize);
	} else if (unlikely(crypto_memneq(tag, icv, authsize))) {
		imb_sg_zero(req->dst, req->dst_off + req->assoclen, textlen);
		rc = -EBADMSG;
	}
out:
	crypto_wipe(tag, sizeof(tag));
	return rc;
}

/*
 * One request. Inlined with constant kind and direction into each entry
 * point and burst loop, so the fast path has no branches on either.
 */
static inline __attribute__((always_inline)) int
imb_gcm_crypt(struct aead_request *req, enum gcm_kind kind, bool enc)
{
	const struct imb_gcm_ctx *ctx = crypto_aead_ctx(req->tfm);
	uint32_t aadlen = req->assoclen;
	uint32_t textlen = enc ? req->cryptlen : req->cryptlen - req->tfm->authsize;
	uint8_t iv[GCM_IV_SIZE];
	int rc;

	if (kind == GCM_PLAIN) {
		memcpy(iv, req->iv, GCM_IV_SIZE);
	} else {
		/* RFC 4106 4 / kernel rule: the explicit IV ends the associated data. */
		if (unlikely(req->assoclen < ESP_IV_SIZE))
			return -EINVAL;
		memcpy(iv, ctx->salt, ESP_SALT_SIZE);
		memcpy(iv + ESP_SALT_SIZE, req->iv, ESP_IV_SIZE);
		if (kind == GCM_RFC4106)
			aadlen -= ESP_IV_SIZE;
	}
	if (kind == GCM_RFC4543)
		rc = imb_gmac_fast(req, ctx, iv, textlen, enc);
	else
		rc = imb_gcm_fast(req, ctx, iv, aadlen, textlen, enc);
	if (likely(rc != IMB_SLOW))
		return rc;
	return imb_gcm_slow(req, ctx, iv, aadlen, textlen, kind, enc);
}

IMB_AEAD_OPS(imb_gcm, imb_gcm_crypt, GCM_PLAIN)
IMB_AEAD_OPS(imb_rfc4106, imb_gcm_crypt, GCM_RFC4106)
IMB_AEAD_OPS(imb_rfc4543, imb_gcm_crypt, GCM_RFC4543)

static struct aead_alg imb_gcm_aeads[] = {
	IMB_AEAD("gcm(aes)", "gcm-aes-ipsecmb", 1, 12, 16, struct imb_gcm_ctx, 0,
		 imb_gcm_setkey, imb_gcm_setauthsize, imb_gcm_encrypt, imb_gcm_decrypt,
		 imb_gcm_encrypt_burst, imb_gcm_decrypt_burst),
	IMB_AEAD("rfc4106(gcm(aes))", "rfc4106-gcm-aes-ipsecmb", 1, 8, 16, struct imb_gcm_ctx, 0,
		 imb_gcm_esp_setkey, imb_rfc4106_setauthsize, imb_rfc4106_encrypt,
		 imb_rfc4106_decrypt, imb_rfc4106_encrypt_burst, imb_rfc4106_decrypt_burst),
	IMB_AEAD("rfc4543(gcm(aes))", "rfc4543-gcm-aes-ipsecmb", 1, 8, 16, struct imb_gcm_ctx, 0,
		 imb_gcm_esp_setkey, imb_rfc4543_setauthsize, imb_rfc4543_encrypt,
		 imb_rfc4543_decrypt, imb_rfc4543_encrypt_burst, imb_rfc4543_decrypt_burst),
};

int imb_register_gcm(void)
{
	return crypto_register_aeads(imb_gcm_aeads, ARRAY_LEN(imb_gcm_aeads));
}

void imb_unregister_gcm(void)
{
	crypto_unregister_aeads(imb_gcm_aeads, ARRAY_LEN(imb_gcm_aeads));
}
