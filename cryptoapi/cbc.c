/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cbc(C): cipher block chaining (NIST SP 800-38A 6.2) over any single-block
 * cipher, as ESP uses it (RFC 3602). The request IV is replaced by the last
 * ciphertext block so that consecutive requests chain.
 */
#include <string.h>

#include "algapi.h"

#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* Made by crypto_inst_init_skcipher(): the child comes first. */
struct cbc_ctx {
	struct crypto_cipher *child;
};

/* C_i = E(P_i ^ C_{i-1}), C_0 = IV */
static void cbc_encrypt_run(struct cipher_alg *c, struct crypto_cipher *child, uint8_t *dst,
			    const uint8_t *src, uint32_t n, uint32_t bs, uint8_t *chain)
{
	uint8_t x[XSG_WALK_MAX_BLOCK];

	for (uint32_t k = 0; k < n; k += bs) {
		crypto_xor_cpy(x, src + k, chain, bs);
		c->encrypt(child, dst + k, x);
		memcpy(chain, dst + k, bs);
	}
}

/* P_i = D(C_i) ^ C_{i-1}; C_i is saved first because dst may be src. */
static void cbc_decrypt_run(struct cipher_alg *c, struct crypto_cipher *child, uint8_t *dst,
			    const uint8_t *src, uint32_t n, uint32_t bs, uint8_t *chain)
{
	uint8_t x[XSG_WALK_MAX_BLOCK], saved[XSG_WALK_MAX_BLOCK];

	for (uint32_t k = 0; k < n; k += bs) {
		memcpy(saved, src + k, bs);
		c->decrypt(child, x, saved);
		crypto_xor_cpy(dst + k, x, chain, bs);
		memcpy(chain, saved, bs);
	}
}

static int cbc_crypt(struct skcipher_request *req, bool enc)
{
	struct cbc_ctx *ctx = crypto_skcipher_ctx(req->tfm);
	struct cipher_alg *c = crypto_cipher_alg(ctx->child);
	uint32_t bs = c->base.cra_blocksize, n;
	uint8_t chain[XSG_WALK_MAX_BLOCK];
	struct xsg_walk w;

	if (unlikely(req->cryptlen % bs))
		return -EINVAL;
	memcpy(chain, req->iv, bs);
	xsg_walk_init(&w, req->dst, req->dst_off, req->src, req->src_off, req->cryptlen, bs);
	while ((n = xsg_walk_next(&w)) != 0) {
		if (enc)
			cbc_encrypt_run(c, ctx->child, w.dst, w.src, n, bs, chain);
		else
			cbc_decrypt_run(c, ctx->child, w.dst, w.src, n, bs, chain);
		xsg_walk_done(&w);
	}
	memcpy(req->iv, chain, bs);
	return 0;
}

static int cbc_encrypt(struct skcipher_request *req)
{
	return cbc_crypt(req, true);
}

static int cbc_decrypt(struct skcipher_request *req)
{
	return cbc_crypt(req, false);
}

static const struct skcipher_alg cbc_alg = {
	.init = crypto_inst_init_skcipher,
	.exit = crypto_inst_exit_skcipher,
	.setkey = crypto_inst_skcipher_setkey,
	.encrypt = cbc_encrypt,
	.decrypt = cbc_decrypt,
	.base = {
		.cra_module = "generic",
		.cra_ctxsize = sizeof(struct cbc_ctx),
	},
};

/* The cipher's key sizes; the IV is one block. */
static int cbc_fill(struct crypto_alg *base)
{
	struct skcipher_alg *inst = container_of_alg(base, struct skcipher_alg);

	crypto_inst_keysizes(base->cra_spawns[0], 0, &inst->min_keysize, &inst->max_keysize);
	inst->ivsize = base->cra_blocksize;
	return 0;
}

static const struct crypto_inst_spec cbc_spec = {
	.type = CRYPTO_ALG_TYPE_SKCIPHER,
	.alg = &cbc_alg,
	.spawns = { { .type = CRYPTO_ALG_TYPE_CIPHER } },
	.fill = cbc_fill,
};

static struct crypto_inst_template cbc_tmpl = CRYPTO_INST_TEMPLATE("cbc", &cbc_spec);

CRYPTO_TEMPLATE_MODULE(cbc, &cbc_tmpl.base)
