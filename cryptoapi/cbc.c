/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cbc(C): cipher block chaining (NIST SP 800-38A 6.2) over any single-block
 * cipher, as ESP uses it (RFC 3602). The request IV is replaced by the last
 * ciphertext block so that consecutive requests chain.
 */
#include <stdlib.h>
#include <string.h>

#include "algapi.h"

#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

struct cbc_ctx {
	struct crypto_cipher *child;
};

static int cbc_init(struct crypto_skcipher *tfm)
{
	struct cbc_ctx *ctx = crypto_skcipher_ctx(tfm);

	return crypto_spawn_cipher(&ctx->child, tfm->base.alg->cra_spawns[0]);
}

static void cbc_exit(struct crypto_skcipher *tfm)
{
	struct cbc_ctx *ctx = crypto_skcipher_ctx(tfm);

	crypto_free_cipher(ctx->child);
}

static int cbc_setkey(struct crypto_skcipher *tfm, const uint8_t *key, unsigned int keylen)
{
	struct cbc_ctx *ctx = crypto_skcipher_ctx(tfm);

	return crypto_cipher_setkey(ctx->child, key, keylen);
}

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

static void cbc_destroy(struct crypto_alg *alg)
{
	free(container_of_alg(alg, struct skcipher_alg));
}

static int cbc_create(struct crypto_template *tmpl, const char *const *args, int nargs)
{
	struct skcipher_alg *inst;
	struct cipher_alg *c;
	int rc;

	if (nargs != 1)
		return -EINVAL;
	inst = calloc(1, sizeof(*inst));
	if (!inst)
		return -ENOMEM;
	rc = crypto_grab_spawn(&inst->base, 0, args[0], CRYPTO_ALG_TYPE_CIPHER, 0, 0);
	if (rc)
		goto err_free;
	rc = crypto_inst_setname(&inst->base, tmpl->name);
	if (rc)
		goto err_drop;
	c = container_of_alg(inst->base.cra_spawns[0], struct cipher_alg);
	inst->min_keysize = c->min_keysize;
	inst->max_keysize = c->max_keysize;
	inst->ivsize = c->base.cra_blocksize;
	inst->init = cbc_init;
	inst->exit = cbc_exit;
	inst->setkey = cbc_setkey;
	inst->encrypt = cbc_encrypt;
	inst->decrypt = cbc_decrypt;
	strcpy(inst->base.cra_module, "generic");
	inst->base.cra_priority = c->base.cra_priority;
	inst->base.cra_blocksize = c->base.cra_blocksize;
	inst->base.cra_ctxsize = sizeof(struct cbc_ctx);
	inst->base.cra_destroy = cbc_destroy;
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

static struct crypto_template cbc_tmpl = {
	.name = "cbc",
	.create = cbc_create,
};

static int cbc_mod_init(void)
{
	return crypto_register_template(&cbc_tmpl);
}

static void cbc_mod_exit(void)
{
	crypto_unregister_template(&cbc_tmpl);
}

CRYPTO_MODULE(cbc, CRYPTO_MODULE_TEMPLATE, cbc_mod_init, cbc_mod_exit)
