/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctr(C): counter mode (NIST SP 800-38A 6.5) with the whole counter block
 * incremented as one big-endian integer; any length, the last block may be
 * partial. The request IV becomes the next counter block.
 *
 * rfc3686(ctr(C)): AES-CTR for ESP (RFC 3686). The key carries a 4-byte
 * nonce after the cipher key; the counter block is nonce || IV || 1 (4.).
 */
#include <stdlib.h>
#include <string.h>

#include "algapi.h"

#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* Keystream blocks produced per batch: enough to amortise the loop. */
#define CTR_BATCH 8

struct ctr_ctx {
	struct crypto_cipher *child;
};

static int ctr_init(struct crypto_skcipher *tfm)
{
	struct ctr_ctx *ctx = crypto_skcipher_ctx(tfm);

	return crypto_spawn_cipher(&ctx->child, tfm->base.alg->cra_spawns[0]);
}

static void ctr_exit(struct crypto_skcipher *tfm)
{
	struct ctr_ctx *ctx = crypto_skcipher_ctx(tfm);

	crypto_free_cipher(ctx->child);
}

static int ctr_setkey(struct crypto_skcipher *tfm, const uint8_t *key, unsigned int keylen)
{
	struct ctr_ctx *ctx = crypto_skcipher_ctx(tfm);

	return crypto_cipher_setkey(ctx->child, key, keylen);
}

/* The counter block as one big-endian integer, plus one (SP 800-38A B.1). */
static inline void ctr_inc(uint8_t *ctr, uint32_t bs)
{
	unsigned int carry = 1;

	for (uint32_t i = bs; i-- > 0;) {
		carry += ctr[i];
		ctr[i] = (uint8_t)carry;
		carry >>= 8;
	}
}

/* XOR n bytes with the keystream, CTR_BATCH blocks at a time. */
static void ctr_run(struct cipher_alg *c, struct crypto_cipher *child, uint8_t *dst,
		    const uint8_t *src, uint32_t n, uint32_t bs, uint8_t *ctr, uint8_t *ks)
{
	while (n) {
		uint32_t chunk = n < CTR_BATCH * bs ? n : CTR_BATCH * bs;

		for (uint32_t k = 0; k < chunk; k += bs) {
			c->encrypt(child, ks + k, ctr);
			ctr_inc(ctr, bs);
		}
		crypto_xor_cpy(dst, src, ks, chunk);
		dst += chunk;
		src += chunk;
		n -= chunk;
	}
}

static int ctr_crypt(struct skcipher_request *req)
{
	struct ctr_ctx *ctx = crypto_skcipher_ctx(req->tfm);
	struct cipher_alg *c = crypto_cipher_alg(ctx->child);
	uint32_t bs = c->base.cra_blocksize, n;
	uint8_t ctr[XSG_WALK_MAX_BLOCK];
	uint8_t ks[CTR_BATCH * XSG_WALK_MAX_BLOCK];
	struct xsg_walk w;

	memcpy(ctr, req->iv, bs);
	xsg_walk_init(&w, req->dst, req->dst_off, req->src, req->src_off, req->cryptlen, bs);
	while ((n = xsg_walk_next(&w)) != 0) {
		ctr_run(c, ctx->child, w.dst, w.src, n, bs, ctr, ks);
		xsg_walk_done(&w);
	}
	memcpy(req->iv, ctr, bs);
	crypto_wipe(ks, sizeof(ks));
	crypto_wipe(w.bounce, sizeof(w.bounce));
	return 0;
}

/* ---- rfc3686(ctr(C)) ---- */

#define RFC3686_NONCE_SIZE 4
#define RFC3686_IV_SIZE 8
#define RFC3686_BLOCK 16

struct rfc3686_ctx {
	struct crypto_skcipher *child;
	uint8_t nonce[RFC3686_NONCE_SIZE];
};

/* Request scratch: the counter block, then the child's request. */
struct rfc3686_req {
	uint8_t ctrblk[RFC3686_BLOCK];
	struct skcipher_request sub;	/* followed by the child's scratch */
};

static int rfc3686_init(struct crypto_skcipher *tfm)
{
	struct rfc3686_ctx *ctx = crypto_skcipher_ctx(tfm);

	return crypto_spawn_skcipher(&ctx->child, tfm->base.alg->cra_spawns[0]);
}

static void rfc3686_exit(struct crypto_skcipher *tfm)
{
	struct rfc3686_ctx *ctx = crypto_skcipher_ctx(tfm);

	crypto_free_skcipher(ctx->child);
}

/* RFC 3686 5.1: the last four octets of the keying material are the nonce. */
static int rfc3686_setkey(struct crypto_skcipher *tfm, const uint8_t *key, unsigned int keylen)
{
	struct rfc3686_ctx *ctx = crypto_skcipher_ctx(tfm);

	if (unlikely(keylen < RFC3686_NONCE_SIZE))
		return -EINVAL;
	keylen -= RFC3686_NONCE_SIZE;
	memcpy(ctx->nonce, key + keylen, RFC3686_NONCE_SIZE);
	return crypto_skcipher_setkey(ctx->child, key, keylen);
}

static int rfc3686_crypt(struct skcipher_request *req)
{
	struct rfc3686_ctx *ctx = crypto_skcipher_ctx(req->tfm);
	struct rfc3686_req *rctx = skcipher_request_ctx(req);
	struct skcipher_request *sub = &rctx->sub;
	int rc;

	/* RFC 3686 4: nonce || IV || block counter starting at one */
	memcpy(rctx->ctrblk, ctx->nonce, RFC3686_NONCE_SIZE);
	memcpy(rctx->ctrblk + RFC3686_NONCE_SIZE, req->iv, RFC3686_IV_SIZE);
	put_be32(rctx->ctrblk + RFC3686_NONCE_SIZE + RFC3686_IV_SIZE, 1);

	skcipher_request_init(sub, ctx->child);
	skcipher_request_set_crypt(sub, req->src, req->src_off, req->dst, req->dst_off,
				   req->cryptlen, rctx->ctrblk);
	rc = crypto_skcipher_encrypt(sub);
	crypto_wipe(rctx->ctrblk, sizeof(rctx->ctrblk));
	return rc;
}

/* ---- instances ---- */

static void ctr_destroy(struct crypto_alg *alg)
{
	free(container_of_alg(alg, struct skcipher_alg));
}

static int ctr_fill(struct skcipher_alg *inst)
{
	struct cipher_alg *c = container_of_alg(inst->base.cra_spawns[0], struct cipher_alg);
	uint32_t bs = c->base.cra_blocksize;

	/* A counter narrower than 4 bytes would wrap after a few blocks. */
	if (bs < 4)
		return -EINVAL;
	inst->min_keysize = c->min_keysize;
	inst->max_keysize = c->max_keysize;
	inst->ivsize = bs;
	inst->chunksize = bs;
	inst->init = ctr_init;
	inst->exit = ctr_exit;
	inst->setkey = ctr_setkey;
	inst->encrypt = ctr_crypt;
	inst->decrypt = ctr_crypt;
	inst->base.cra_priority = c->base.cra_priority;
	inst->base.cra_ctxsize = sizeof(struct ctr_ctx);
	return 0;
}

static int rfc3686_fill(struct skcipher_alg *inst)
{
	struct skcipher_alg *child = container_of_alg(inst->base.cra_spawns[0],
						      struct skcipher_alg);

	/* Only a stream counter mode over a 16-byte block fits RFC 3686. */
	if (child->ivsize != RFC3686_BLOCK || child->base.cra_blocksize != 1)
		return -EINVAL;
	if (child->reqsize > 4096 - sizeof(struct rfc3686_req))
		return -EINVAL;
	inst->min_keysize = child->min_keysize + RFC3686_NONCE_SIZE;
	inst->max_keysize = child->max_keysize + RFC3686_NONCE_SIZE;
	if (!child->max_keysize)
		inst->min_keysize = inst->max_keysize = 0;
	inst->ivsize = RFC3686_IV_SIZE;
	inst->chunksize = child->chunksize;
	inst->reqsize = sizeof(struct rfc3686_req) + child->reqsize;
	inst->init = rfc3686_init;
	inst->exit = rfc3686_exit;
	inst->setkey = rfc3686_setkey;
	inst->encrypt = rfc3686_crypt;
	inst->decrypt = rfc3686_crypt;
	inst->base.cra_priority = child->base.cra_priority;
	inst->base.cra_ctxsize = sizeof(struct rfc3686_ctx);
	return 0;
}

/* Shared by both templates: grab the child, let fill() shape the instance. */
static int ctr_create_common(struct crypto_template *tmpl, const char *const *args, int nargs,
			     enum crypto_alg_type child_type, int (*fill)(struct skcipher_alg *))
{
	struct skcipher_alg *inst;
	int rc;

	if (nargs != 1)
		return -EINVAL;
	inst = calloc(1, sizeof(*inst));
	if (!inst)
		return -ENOMEM;
	/* Synchronous children only: the modes call them inline. */
	rc = crypto_grab_spawn(&inst->base, 0, args[0], child_type, 0, CRYPTO_ALG_ASYNC);
	if (rc)
		goto err_free;
	rc = crypto_inst_setname(&inst->base, tmpl->name) ?: fill(inst);
	if (rc)
		goto err_drop;
	strcpy(inst->base.cra_module, "generic");
	inst->base.cra_blocksize = 1;
	inst->base.cra_destroy = ctr_destroy;
	rc = crypto_register_instance(tmpl, &inst->base, CRYPTO_ALG_TYPE_SKCIPHER);
	if (rc)
		goto err_drop;
	return 0;

err_drop:
	crypto_drop_spawns(&inst->base);
err_free:
	free(inst);
	return rc;
}

static int ctr_create(struct crypto_template *tmpl, const char *const *args, int nargs)
{
	return ctr_create_common(tmpl, args, nargs, CRYPTO_ALG_TYPE_CIPHER, ctr_fill);
}

static int rfc3686_create(struct crypto_template *tmpl, const char *const *args, int nargs)
{
	return ctr_create_common(tmpl, args, nargs, CRYPTO_ALG_TYPE_SKCIPHER, rfc3686_fill);
}

static struct crypto_template ctr_tmpls[] = {
	{ .name = "ctr", .create = ctr_create },
	{ .name = "rfc3686", .create = rfc3686_create },
};

static int ctr_mod_init(void)
{
	int rc = crypto_register_template(&ctr_tmpls[0]);

	if (rc)
		return rc;
	rc = crypto_register_template(&ctr_tmpls[1]);
	if (rc)
		crypto_unregister_template(&ctr_tmpls[0]);
	return rc;
}

static void ctr_mod_exit(void)
{
	crypto_unregister_template(&ctr_tmpls[1]);
	crypto_unregister_template(&ctr_tmpls[0]);
}

CRYPTO_MODULE(ctr, CRYPTO_MODULE_TEMPLATE, ctr_mod_init, ctr_mod_exit)
