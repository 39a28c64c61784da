/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctr(C): counter mode (NIST SP 800-38A 6.5) with the whole counter block
 * incremented as one big-endian integer; any length, the last block may be
 * partial. The request IV becomes the next counter block.
 *
 * rfc3686(ctr(C)): AES-CTR for ESP (RFC 3686). The key carries a 4-byte
 * nonce after the cipher key; the counter block is nonce || IV || 1 (4.).
 */
#include <string.h>

#include "algapi.h"

#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* Keystream blocks produced per batch: enough to amortise the loop. */
#define CTR_BATCH 8

/* Made by crypto_inst_init_skcipher(): the child comes first. */
struct ctr_ctx {
	struct crypto_cipher *child;
};

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

/* The child first, as in ctr_ctx. */
struct rfc3686_ctx {
	struct crypto_skcipher *child;
	uint8_t nonce[RFC3686_NONCE_SIZE];
};

/* Request scratch: the counter block, then the child's request. */
struct rfc3686_req {
	uint8_t ctrblk[RFC3686_BLOCK];
	struct skcipher_request sub;	/* followed by the child's scratch */
};

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

static const struct skcipher_alg ctr_alg = {
	.init = crypto_inst_init_skcipher,
	.exit = crypto_inst_exit_skcipher,
	.setkey = crypto_inst_skcipher_setkey,
	.encrypt = ctr_crypt,
	.decrypt = ctr_crypt,
	.base = {
		.cra_module = "generic",
		.cra_blocksize = 1,
		.cra_ctxsize = sizeof(struct ctr_ctx),
	},
};

static int ctr_fill(struct crypto_alg *base)
{
	struct skcipher_alg *inst = container_of_alg(base, struct skcipher_alg);
	uint32_t bs = base->cra_spawns[0]->cra_blocksize;

	/* A counter narrower than 4 bytes would wrap after a few blocks. */
	if (bs < 4)
		return -EINVAL;
	crypto_inst_keysizes(base->cra_spawns[0], 0, &inst->min_keysize, &inst->max_keysize);
	inst->ivsize = bs;
	inst->chunksize = bs;
	return 0;
}

static const struct skcipher_alg rfc3686_alg = {
	.ivsize = RFC3686_IV_SIZE,
	.init = crypto_inst_init_skcipher,
	.exit = crypto_inst_exit_skcipher,
	.setkey = rfc3686_setkey,
	.encrypt = rfc3686_crypt,
	.decrypt = rfc3686_crypt,
	.base = {
		.cra_module = "generic",
		.cra_blocksize = 1,
		.cra_ctxsize = sizeof(struct rfc3686_ctx),
	},
};

static int rfc3686_fill(struct crypto_alg *base)
{
	struct skcipher_alg *inst = container_of_alg(base, struct skcipher_alg);
	struct skcipher_alg *child = container_of_alg(base->cra_spawns[0], struct skcipher_alg);

	/* Only a stream counter mode over a 16-byte block fits RFC 3686. */
	if (child->ivsize != RFC3686_BLOCK || child->base.cra_blocksize != 1)
		return -EINVAL;
	if (child->reqsize > 4096 - sizeof(struct rfc3686_req))
		return -EINVAL;
	crypto_inst_keysizes(&child->base, RFC3686_NONCE_SIZE, &inst->min_keysize,
			     &inst->max_keysize);
	inst->chunksize = child->chunksize;
	inst->reqsize = sizeof(struct rfc3686_req) + child->reqsize;
	return 0;
}

/* Synchronous children only: the modes call them inline. */
static const struct crypto_inst_spec ctr_spec = {
	.type = CRYPTO_ALG_TYPE_SKCIPHER,
	.alg = &ctr_alg,
	.spawns = { { .type = CRYPTO_ALG_TYPE_CIPHER, .mask = CRYPTO_ALG_ASYNC } },
	.fill = ctr_fill,
};

static const struct crypto_inst_spec rfc3686_spec = {
	.type = CRYPTO_ALG_TYPE_SKCIPHER,
	.alg = &rfc3686_alg,
	.spawns = { { .type = CRYPTO_ALG_TYPE_SKCIPHER, .mask = CRYPTO_ALG_ASYNC } },
	.fill = rfc3686_fill,
};

static struct crypto_inst_template ctr_tmpl = CRYPTO_INST_TEMPLATE("ctr", &ctr_spec);
static struct crypto_inst_template rfc3686_tmpl = CRYPTO_INST_TEMPLATE("rfc3686", &rfc3686_spec);

CRYPTO_TEMPLATE_MODULE(ctr, &ctr_tmpl.base, &rfc3686_tmpl.base)
