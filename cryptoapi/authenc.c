/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Encrypt-then-MAC AEAD templates over a keyed shash A and an skcipher E:
 *  authenc(A,E)     ICV = A(assoc || ciphertext), truncated to authsize
 *  authencesn(A,E)  RFC 4303 2.2.1 / App. A (extended sequence numbers): the
 *                   associated data is SPI || seq_hi || seq_lo [|| rest] and
 *                   ICV = A(SPI || seq_lo || rest || ciphertext || seq_hi),
 *                   so the high bits are authenticated but not sent
 * Keys are the kernel's authenc blob (crypto_authenc_extractkeys). ESP puts
 * the IV at the end of the associated data, so the IV is authenticated too.
 * Decrypt verifies the ICV (constant time) before it decrypts anything.
 * The associated data reaches dst unchanged. Per-request state (the child
 * skcipher request, the shash state, ICVs) lives in the request context.
 */
#include <string.h>

#include "algapi.h"

#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#define AUTHENC_MAX_ICV	64
#define ESN_SPI_OFF	0	/* SPI(4) || seq_hi(4) || seq_lo(4) */
#define ESN_HI_OFF	4
#define ESN_LO_OFF	8
#define ESN_MIN_ASSOC	12

/* The two templates differ in the ESN flag. */
struct authenc_tmpl {
	struct crypto_inst_template tmpl;	/* first: cra_tmpl points here */
	bool esn;
};

/* The children first, in spawn order (crypto_inst_init_children). */
struct authenc_ctx {
	struct crypto_shash *auth;
	struct crypto_skcipher *enc;
	bool esn;
	bool auth_keyed;	/* A takes a key (digest_null does not) */
	uint32_t skreq_off;	/* child request and hash state in our request ctx */
	uint32_t desc_off;
};

struct authenc_req {
	uint8_t icv[AUTHENC_MAX_ICV];
	uint8_t icv_in[AUTHENC_MAX_ICV];
};

#define ALIGN16(x) (((x) + 15u) & ~15u)

static inline struct skcipher_request *authenc_skreq(const struct authenc_ctx *ctx,
						     struct authenc_req *rctx)
{
	return (struct skcipher_request *)((uint8_t *)rctx + ctx->skreq_off);
}

static inline struct shash_desc *authenc_desc(const struct authenc_ctx *ctx,
					      struct authenc_req *rctx)
{
	return (struct shash_desc *)((uint8_t *)rctx + ctx->desc_off);
}

/* Feed the associated data as authenc or authencesn order it. */
static int authenc_hash_assoc(const struct authenc_ctx *ctx, struct shash_desc *desc,
			      const struct xsg *sg, uint32_t off, uint32_t assoclen)
{
	if (!ctx->esn)
		return crypto_shash_update_sg(desc, sg, off, assoclen);
	/* RFC 4303 2.2.1: SPI, then seq_lo and what follows; seq_hi goes last. */
	return crypto_shash_update_sg(desc, sg, off + ESN_SPI_OFF, 4) ?:
	       crypto_shash_update_sg(desc, sg, off + ESN_LO_OFF, assoclen - ESN_LO_OFF);
}

/* ICV over the associated data and textlen bytes of ciphertext, all in sg. */
static int authenc_icv(const struct authenc_ctx *ctx, struct authenc_req *rctx,
		       const struct xsg *sg, uint32_t off, uint32_t assoclen, uint32_t textlen)
{
	struct shash_desc *desc = authenc_desc(ctx, rctx);
	int rc;

	rc = crypto_shash_init(desc) ?:
	     authenc_hash_assoc(ctx, desc, sg, off, assoclen) ?:
	     crypto_shash_update_sg(desc, sg, off + assoclen, textlen);
	if (!rc && ctx->esn)
		rc = crypto_shash_update_sg(desc, sg, off + ESN_HI_OFF, 4);
	return rc ?: crypto_shash_final(desc, rctx->icv);
}

static int authenc_cipher(const struct authenc_ctx *ctx, struct authenc_req *rctx,
			  struct aead_request *req, uint32_t textlen, bool enc)
{
	struct skcipher_request *skreq = authenc_skreq(ctx, rctx);

	skcipher_request_init(skreq, ctx->enc);
	skcipher_request_set_crypt(skreq, req->src, req->src_off + req->assoclen, req->dst,
				   req->dst_off + req->assoclen, textlen, req->iv);
	return enc ? crypto_skcipher_encrypt(skreq) : crypto_skcipher_decrypt(skreq);
}

static int authenc_encrypt(struct aead_request *req)
{
	struct crypto_aead *tfm = req->tfm;
	const struct authenc_ctx *ctx = crypto_aead_ctx(tfm);
	struct authenc_req *rctx = aead_request_ctx(req);
	uint32_t authsize = crypto_aead_authsize(tfm);
	int rc;

	authenc_desc(ctx, rctx)->tfm = ctx->auth;
	if (unlikely(ctx->esn && req->assoclen < ESN_MIN_ASSOC))
		return -EINVAL;
	aead_copy_assoc(req);
	rc = authenc_cipher(ctx, rctx, req, req->cryptlen, true) ?:
	     authenc_icv(ctx, rctx, req->dst, req->dst_off, req->assoclen, req->cryptlen);
	if (unlikely(rc))
		goto out;
	xsg_copy_from_buf(req->dst, req->dst_off + req->assoclen + req->cryptlen, rctx->icv,
			  authsize);
out:
	shash_desc_zero(authenc_desc(ctx, rctx));
	crypto_wipe(rctx->icv, sizeof(rctx->icv));
	return rc;
}

static int authenc_decrypt(struct aead_request *req)
{
	struct crypto_aead *tfm = req->tfm;
	const struct authenc_ctx *ctx = crypto_aead_ctx(tfm);
	struct authenc_req *rctx = aead_request_ctx(req);
	uint32_t authsize = crypto_aead_authsize(tfm);
	uint32_t textlen = req->cryptlen - authsize;
	int rc;

	authenc_desc(ctx, rctx)->tfm = ctx->auth;
	if (unlikely(ctx->esn && req->assoclen < ESN_MIN_ASSOC))
		return -EINVAL;
	rc = authenc_icv(ctx, rctx, req->src, req->src_off, req->assoclen, textlen);
	if (unlikely(rc))
		goto out;
	xsg_copy_to_buf(rctx->icv_in, req->src, req->src_off + req->assoclen + textlen, authsize);
	if (unlikely(crypto_memneq(rctx->icv, rctx->icv_in, authsize))) {
		rc = -EBADMSG;
		goto out;
	}
	aead_copy_assoc(req);
	rc = authenc_cipher(ctx, rctx, req, textlen, false);
out:
	shash_desc_zero(authenc_desc(ctx, rctx));
	crypto_wipe(rctx->icv, sizeof(rctx->icv));
	return rc;
}

static int authenc_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen)
{
	struct authenc_ctx *ctx = crypto_aead_ctx(tfm);
	struct authenc_keys keys;
	int rc;

	rc = crypto_authenc_extractkeys(&keys, key, keylen);
	if (unlikely(rc))
		goto out;
	if (ctx->auth_keyed)
		rc = crypto_shash_setkey(ctx->auth, keys.authkey, keys.authkeylen);
	else if (keys.authkeylen)
		rc = -EINVAL;	/* an unkeyed A (digest_null) takes no key */
	if (unlikely(rc))
		goto out;
	rc = crypto_skcipher_setkey(ctx->enc, keys.enckey, keys.enckeylen);
out:
	crypto_wipe(&keys, sizeof(keys));
	return rc ? -EINVAL : 0;
}

static int authenc_init(struct crypto_aead *tfm)
{
	struct authenc_ctx *ctx = crypto_aead_ctx(tfm);
	struct crypto_alg *inst = tfm->base.alg;
	int rc;

	ctx->esn = ((const struct authenc_tmpl *)(const void *)inst->cra_tmpl)->esn;
	ctx->auth_keyed = container_of_alg(inst->cra_spawns[0], struct shash_alg)->setkey != NULL;
	rc = crypto_inst_init_children(&tfm->base);
	if (rc)
		return rc;
	ctx->skreq_off = ALIGN16(sizeof(struct authenc_req));
	ctx->desc_off = ALIGN16(ctx->skreq_off + crypto_skcipher_reqsize(ctx->enc));
	tfm->reqsize = ctx->desc_off + crypto_shash_descsize(ctx->auth);
	return 0;
}

static int authenc_fill(struct crypto_alg *base)
{
	struct aead_alg *inst = container_of_alg(base, struct aead_alg);
	struct shash_alg *auth = container_of_alg(base->cra_spawns[0], struct shash_alg);
	struct skcipher_alg *enc = container_of_alg(base->cra_spawns[1], struct skcipher_alg);

	if (auth->digestsize > AUTHENC_MAX_ICV)
		return -EINVAL;
	inst->ivsize = enc->ivsize;
	inst->maxauthsize = auth->digestsize;
	inst->chunksize = enc->chunksize;
	return 0;
}

static const struct aead_alg authenc_alg = {
	.init = authenc_init,
	.exit = crypto_inst_exit_aead,
	.setkey = authenc_setkey,
	.encrypt = authenc_encrypt,
	.decrypt = authenc_decrypt,
	.base.cra_ctxsize = sizeof(struct authenc_ctx),
};

/*
 * Synchronous children only: the worker chains them in one call. The cipher
 * decides module, block size and priority: authenc over a faster E outranks
 * one over generic E.
 */
static const struct crypto_inst_spec authenc_spec = {
	.type = CRYPTO_ALG_TYPE_AEAD,
	.alg = &authenc_alg,
	.lead = 1,
	.spawns = {
		{ .type = CRYPTO_ALG_TYPE_SHASH, .mask = CRYPTO_ALG_ASYNC },
		{ .type = CRYPTO_ALG_TYPE_SKCIPHER, .mask = CRYPTO_ALG_ASYNC },
	},
	.fill = authenc_fill,
};

static struct authenc_tmpl authenc_tmpls[] = {
	{ .tmpl = CRYPTO_INST_TEMPLATE("authenc", &authenc_spec), .esn = false },
	{ .tmpl = CRYPTO_INST_TEMPLATE("authencesn", &authenc_spec), .esn = true },
};

CRYPTO_TEMPLATE_MODULE(authenc, &authenc_tmpls[0].tmpl.base, &authenc_tmpls[1].tmpl.base)
