/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ChaCha20-Poly1305 AEAD templates:
 *  rfc7539(chacha20,poly1305)     RFC 8439 2.8: key 32, IV 12 (the nonce)
 *  rfc7539esp(chacha20,poly1305)  RFC 7634: key 36 = key || salt, IV 8; the
 *                                 nonce is salt || IV, and the last 8 bytes
 *                                 of the associated data are the explicit IV
 *                                 (authenticated by ESP, not by Poly1305)
 * One worker serves both. The children are whichever chacha20 skcipher and
 * poly1305 shash win the lookup; the one-time Poly1305 key is the first 32
 * bytes of keystream block 0 and the text is encrypted from block 1.
 */
#include <string.h>

#include "algapi.h"

#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#define CHACHA_KEY_SIZE		32
#define CHACHA_IV_SIZE		16
#define CHACHAPOLY_NONCE_SIZE	12
#define ESP_SALT_SIZE		4
#define ESP_IV_SIZE		8
#define POLY1305_KEY_SIZE	32
#define POLY1305_TAG_SIZE	16

/* The two templates differ in the salt length. */
struct chachapoly_tmpl {
	struct crypto_inst_template tmpl;	/* first: cra_tmpl points here */
	unsigned int saltlen;	/* 0: rfc7539, 4: rfc7539esp */
};

/* The children first, in spawn order (crypto_inst_init_children). */
struct chachapoly_ctx {
	struct crypto_skcipher *chacha;
	struct crypto_shash *poly;
	unsigned int saltlen;
	uint8_t salt[ESP_SALT_SIZE];
	uint32_t skreq_off;	/* child requests inside our request context */
	uint32_t desc_off;
};

/* Per-request scratch; the child skcipher request and shash_desc follow. */
struct chachapoly_req {
	uint8_t iv[CHACHA_IV_SIZE];		/* le32 counter || nonce */
	uint8_t polykey[POLY1305_KEY_SIZE];
	uint8_t tag[POLY1305_TAG_SIZE];
	uint8_t tag_in[POLY1305_TAG_SIZE];
	struct xsg_ent key_ent;
	struct xsg key_sg;
};

#define ALIGN16(x) (((x) + 15u) & ~15u)

static inline unsigned int chachapoly_saltlen(const struct crypto_alg *inst)
{
	return ((const struct chachapoly_tmpl *)(const void *)inst->cra_tmpl)->saltlen;
}

static inline struct skcipher_request *chachapoly_skreq(const struct chachapoly_ctx *ctx,
							struct chachapoly_req *rctx)
{
	return (struct skcipher_request *)((uint8_t *)rctx + ctx->skreq_off);
}

static inline struct shash_desc *chachapoly_desc(const struct chachapoly_ctx *ctx,
						 struct chachapoly_req *rctx)
{
	return (struct shash_desc *)((uint8_t *)rctx + ctx->desc_off);
}

/* Run the chacha20 child over [off, off + len) from src to dst, from block ctr. */
static int chachapoly_stream(struct chachapoly_ctx *ctx, struct chachapoly_req *rctx,
			     const struct xsg *src, uint32_t soff, const struct xsg *dst,
			     uint32_t doff, uint32_t len, uint32_t ctr)
{
	struct skcipher_request *skreq = chachapoly_skreq(ctx, rctx);

	put_le32(rctx->iv, ctr);
	skcipher_request_init(skreq, ctx->chacha);
	skcipher_request_set_crypt(skreq, src, soff, dst, doff, len, rctx->iv);
	return crypto_skcipher_encrypt(skreq);
}

/* RFC 8439 2.6: the one-time key is keystream block 0, first 32 bytes. */
static int chachapoly_polykey(struct chachapoly_ctx *ctx, struct chachapoly_req *rctx)
{
	memset(rctx->polykey, 0, sizeof(rctx->polykey));
	xsg_init(&rctx->key_sg, &rctx->key_ent, 1);
	xsg_add(&rctx->key_sg, rctx->polykey, sizeof(rctx->polykey));
	return chachapoly_stream(ctx, rctx, &rctx->key_sg, 0, &rctx->key_sg, 0,
				 sizeof(rctx->polykey), 0);
}

/* Zero bytes that bring len up to a multiple of 16. */
static int chachapoly_pad16(struct shash_desc *desc, uint32_t len)
{
	static const uint8_t zeros[16];

	return len % 16 ? crypto_shash_update(desc, zeros, 16 - len % 16) : 0;
}

/*
 * RFC 8439 2.8: tag = Poly1305(otk, AAD || pad16 || C || pad16 ||
 * le64(len(AAD)) || le64(len(C))). AAD is at aoff in asg, C at coff in csg.
 */
static int chachapoly_mac(struct chachapoly_ctx *ctx, struct chachapoly_req *rctx,
			  const struct xsg *asg, uint32_t aoff, uint32_t alen,
			  const struct xsg *csg, uint32_t coff, uint32_t clen)
{
	struct shash_desc *desc = chachapoly_desc(ctx, rctx);
	uint8_t lens[16];

	put_le64(lens, alen);
	put_le64(lens + 8, clen);
	return crypto_shash_init(desc) ?:
	       crypto_shash_update(desc, rctx->polykey, sizeof(rctx->polykey)) ?:
	       crypto_shash_update_sg(desc, asg, aoff, alen) ?:
	       chachapoly_pad16(desc, alen) ?:
	       crypto_shash_update_sg(desc, csg, coff, clen) ?:
	       chachapoly_pad16(desc, clen) ?:
	       crypto_shash_update(desc, lens, sizeof(lens)) ?:
	       crypto_shash_final(desc, rctx->tag);
}

/* The shared worker: encrypt-then-MAC, or verify-then-decrypt. */
static int chachapoly_crypt(struct aead_request *req, bool enc)
{
	struct crypto_aead *tfm = req->tfm;
	struct chachapoly_ctx *ctx = crypto_aead_ctx(tfm);
	struct chachapoly_req *rctx = aead_request_ctx(req);
	uint32_t alen = req->assoclen, textlen = req->cryptlen;
	uint32_t aoff = req->src_off, soff = req->src_off + req->assoclen;
	uint32_t doff = req->dst_off + req->assoclen;
	int rc;

	chachapoly_desc(ctx, rctx)->tfm = ctx->poly;
	if (ctx->saltlen) {
		/* RFC 7634 / kernel rule: the explicit IV ends the associated data. */
		if (unlikely(alen < ESP_IV_SIZE))
			return -EINVAL;
		alen -= ESP_IV_SIZE;
		memcpy(rctx->iv + 4, ctx->salt, ESP_SALT_SIZE);
		memcpy(rctx->iv + 4 + ESP_SALT_SIZE, req->iv, ESP_IV_SIZE);
	} else {
		memcpy(rctx->iv + 4, req->iv, CHACHAPOLY_NONCE_SIZE);
	}
	if (!enc)
		textlen -= POLY1305_TAG_SIZE;

	rc = chachapoly_polykey(ctx, rctx);
	if (unlikely(rc))
		goto out;
	if (enc) {
		aead_copy_assoc(req);
		rc = chachapoly_stream(ctx, rctx, req->src, soff, req->dst, doff, textlen, 1) ?:
		     chachapoly_mac(ctx, rctx, req->src, aoff, alen, req->dst, doff, textlen);
		if (unlikely(rc))
			goto out;
		xsg_copy_from_buf(req->dst, doff + textlen, rctx->tag, POLY1305_TAG_SIZE);
		goto out;
	}

	rc = chachapoly_mac(ctx, rctx, req->src, aoff, alen, req->src, soff, textlen);
	if (unlikely(rc))
		goto out;
	xsg_copy_to_buf(rctx->tag_in, req->src, soff + textlen, POLY1305_TAG_SIZE);
	if (unlikely(crypto_memneq(rctx->tag, rctx->tag_in, POLY1305_TAG_SIZE))) {
		rc = -EBADMSG;
		goto out;
	}
	aead_copy_assoc(req);
	rc = chachapoly_stream(ctx, rctx, req->src, soff, req->dst, doff, textlen, 1);
out:
	crypto_wipe(rctx->polykey, sizeof(rctx->polykey));
	crypto_wipe(rctx->tag, sizeof(rctx->tag));
	shash_desc_zero(chachapoly_desc(ctx, rctx));
	return rc;
}

static int chachapoly_encrypt(struct aead_request *req)
{
	return chachapoly_crypt(req, true);
}

static int chachapoly_decrypt(struct aead_request *req)
{
	return chachapoly_crypt(req, false);
}

static int chachapoly_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen)
{
	struct chachapoly_ctx *ctx = crypto_aead_ctx(tfm);

	if (unlikely(keylen != CHACHA_KEY_SIZE + ctx->saltlen))
		return -EINVAL;
	memcpy(ctx->salt, key + CHACHA_KEY_SIZE, ctx->saltlen);
	return crypto_skcipher_setkey(ctx->chacha, key, CHACHA_KEY_SIZE);
}

/* Poly1305 tags are not truncated (RFC 8439 2.8, RFC 7634 2). */
static int chachapoly_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == POLY1305_TAG_SIZE ? 0 : -EINVAL;
}

static int chachapoly_init(struct crypto_aead *tfm)
{
	struct chachapoly_ctx *ctx = crypto_aead_ctx(tfm);
	struct crypto_alg *inst = tfm->base.alg;
	int rc;

	ctx->saltlen = chachapoly_saltlen(inst);
	rc = crypto_inst_init_children(&tfm->base);
	if (rc)
		return rc;
	ctx->skreq_off = ALIGN16(sizeof(struct chachapoly_req));
	ctx->desc_off = ALIGN16(ctx->skreq_off + crypto_skcipher_reqsize(ctx->chacha));
	tfm->reqsize = ctx->desc_off + crypto_shash_descsize(ctx->poly);
	return 0;
}

/* The children must be what the construction is defined over. */
static int chachapoly_check(struct crypto_alg *base)
{
	struct crypto_alg *chacha = base->cra_spawns[0], *poly = base->cra_spawns[1];
	struct skcipher_alg *c = container_of_alg(chacha, struct skcipher_alg);
	struct shash_alg *p = container_of_alg(poly, struct shash_alg);

	if (strcmp(chacha->cra_name, "chacha20") || c->ivsize != CHACHA_IV_SIZE ||
	    chacha->cra_blocksize != 1)
		return -EINVAL;
	if (strcmp(poly->cra_name, "poly1305") || p->digestsize != POLY1305_TAG_SIZE ||
	    p->max_keysize)
		return -EINVAL;
	return 0;
}

/* Key and IV sizes of the variant; the priority is the children's mean. */
static int chachapoly_fill(struct crypto_alg *base)
{
	struct aead_alg *inst = container_of_alg(base, struct aead_alg);
	unsigned int saltlen = chachapoly_saltlen(base);

	inst->min_keysize = CHACHA_KEY_SIZE + saltlen;
	inst->max_keysize = CHACHA_KEY_SIZE + saltlen;
	inst->ivsize = saltlen ? ESP_IV_SIZE : CHACHAPOLY_NONCE_SIZE;
	inst->chunksize = container_of_alg(base->cra_spawns[0], struct skcipher_alg)->chunksize;
	base->cra_priority = (base->cra_spawns[0]->cra_priority +
			      base->cra_spawns[1]->cra_priority) / 2;
	return 0;
}

static const struct aead_alg chachapoly_alg = {
	.maxauthsize = POLY1305_TAG_SIZE,
	.init = chachapoly_init,
	.exit = crypto_inst_exit_aead,
	.setkey = chachapoly_setkey,
	.setauthsize = chachapoly_setauthsize,
	.encrypt = chachapoly_encrypt,
	.decrypt = chachapoly_decrypt,
	.base = {
		.cra_blocksize = 1,
		.cra_ctxsize = sizeof(struct chachapoly_ctx),
	},
};

/* Synchronous children only: the worker chains them in one call. */
static const struct crypto_inst_spec chachapoly_spec = {
	.type = CRYPTO_ALG_TYPE_AEAD,
	.alg = &chachapoly_alg,
	.spawns = {
		{ .type = CRYPTO_ALG_TYPE_SKCIPHER, .mask = CRYPTO_ALG_ASYNC },
		{ .type = CRYPTO_ALG_TYPE_SHASH, .mask = CRYPTO_ALG_ASYNC },
	},
	.check = chachapoly_check,
	.fill = chachapoly_fill,
};

static struct chachapoly_tmpl chachapoly_tmpls[] = {
	{ .tmpl = CRYPTO_INST_TEMPLATE("rfc7539", &chachapoly_spec), .saltlen = 0 },
	{ .tmpl = CRYPTO_INST_TEMPLATE("rfc7539esp", &chachapoly_spec), .saltlen = ESP_SALT_SIZE },
};

CRYPTO_TEMPLATE_MODULE(chachapoly, &chachapoly_tmpls[0].tmpl.base,
		       &chachapoly_tmpls[1].tmpl.base)
