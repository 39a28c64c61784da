/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmac(C): CMAC (NIST SP 800-38B, RFC 4493 for AES) over a block cipher C
 * with 64- or 128-bit blocks.
 *
 * Subkeys (SP 800-38B section 6.1): L = E(K, 0^b); K1 = dbl(L);
 * K2 = dbl(K1), where dbl shifts left by one bit and XORs Rb into the last
 * byte when the top bit fell out. Blocks are CBC-chained under K; the last
 * block takes K1 when complete, else it is padded with 10* and takes K2.
 * The digest is the full block; CMAC-96 (RFC 4494) is the user's truncation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algapi.h"

#define CMAC_MAX_BLOCK 16

struct cmac_inst {
	struct shash_alg alg;
};

struct cmac_ctx {
	struct crypto_cipher *child;	/* keyed with K */
	uint32_t bs;
	uint8_t k1[CMAC_MAX_BLOCK];
	uint8_t k2[CMAC_MAX_BLOCK];
};

/* Hash state: the chaining value and the not yet processed last block. */
struct cmac_state {
	uint8_t c[CMAC_MAX_BLOCK];
	uint8_t buf[CMAC_MAX_BLOCK];
	uint32_t buflen;	/* 0..bs: a full block waits until more data comes */
};

/* SP 800-38B section 5.3: Rb for 64- and 128-bit blocks. */
static uint8_t cmac_rb(uint32_t bs)
{
	return bs == 16 ? 0x87 : 0x1b;
}

/* out = in << 1, XOR Rb when the most significant bit was set (constant time). */
static void cmac_dbl(uint8_t *out, const uint8_t *in, uint32_t bs)
{
	uint8_t msb_mask = (uint8_t)-(in[0] >> 7);

	for (uint32_t i = 0; i < bs - 1; i++)
		out[i] = (uint8_t)(in[i] << 1 | in[i + 1] >> 7);
	out[bs - 1] = (uint8_t)(in[bs - 1] << 1) ^ (cmac_rb(bs) & msb_mask);
}

static int cmac_setkey(struct crypto_shash *tfm, const uint8_t *key, unsigned int keylen)
{
	struct cmac_ctx *ctx = crypto_shash_ctx(tfm);
	uint8_t l[CMAC_MAX_BLOCK] = { 0 };
	int rc = crypto_cipher_setkey(ctx->child, key, keylen);

	if (rc)
		return rc;
	/* Section 6.1 steps 1-3. */
	crypto_cipher_encrypt_one(ctx->child, l, l);
	cmac_dbl(ctx->k1, l, ctx->bs);
	cmac_dbl(ctx->k2, ctx->k1, ctx->bs);
	crypto_wipe(l, sizeof(l));
	return 0;
}

static int cmac_init(struct shash_desc *desc)
{
	struct cmac_state *st = shash_desc_ctx(desc);

	memset(st, 0, sizeof(*st));
	return 0;
}

/* C = E(K, C ^ M): section 6.2 step 6. */
static inline void cmac_chain(const struct cmac_ctx *ctx, uint8_t *c, const uint8_t *m)
{
	crypto_xor(c, m, ctx->bs);
	crypto_cipher_encrypt_one(ctx->child, c, c);
}

static int cmac_update(struct shash_desc *desc, const uint8_t *data, size_t len)
{
	struct cmac_ctx *ctx = crypto_shash_ctx(desc->tfm);
	struct cmac_state *st = shash_desc_ctx(desc);
	uint32_t bs = ctx->bs;

	if (!len)
		return 0;
	/* Fill the pending block; it is chained only once more data follows. */
	if (st->buflen < bs) {
		size_t n = bs - st->buflen;

		if (n > len)
			n = len;
		memcpy(st->buf + st->buflen, data, n);
		st->buflen += n;
		data += n;
		len -= n;
	}
	if (!len)
		return 0;
	cmac_chain(ctx, st->c, st->buf);
	/* Whole blocks straight from the input, keeping the last one back. */
	for (; len > bs; data += bs, len -= bs)
		cmac_chain(ctx, st->c, data);
	memcpy(st->buf, data, len);
	st->buflen = len;
	return 0;
}

static int cmac_final(struct shash_desc *desc, uint8_t *out)
{
	struct cmac_ctx *ctx = crypto_shash_ctx(desc->tfm);
	struct cmac_state *st = shash_desc_ctx(desc);
	uint32_t bs = ctx->bs;

	/* Section 6.2 steps 3-4: a complete last block takes K1, a padded one K2. */
	if (st->buflen == bs) {
		crypto_xor(st->buf, ctx->k1, bs);
	} else {
		st->buf[st->buflen] = 0x80;
		memset(st->buf + st->buflen + 1, 0, bs - st->buflen - 1);
		crypto_xor(st->buf, ctx->k2, bs);
	}
	cmac_chain(ctx, st->c, st->buf);
	memcpy(out, st->c, bs);
	crypto_wipe(st, sizeof(*st));
	return 0;
}

static int cmac_init_tfm(struct crypto_shash *tfm)
{
	struct cmac_ctx *ctx = crypto_shash_ctx(tfm);
	struct crypto_alg *child = tfm->base.alg->cra_spawns[0];

	ctx->bs = child->cra_blocksize;
	return crypto_spawn_cipher(&ctx->child, child);
}

static void cmac_exit_tfm(struct crypto_shash *tfm)
{
	struct cmac_ctx *ctx = crypto_shash_ctx(tfm);

	crypto_free_cipher(ctx->child);
}

static void cmac_destroy(struct crypto_alg *alg)
{
	free((struct cmac_inst *)(void *)container_of_alg(alg, struct shash_alg));
}

static int cmac_create(struct crypto_template *tmpl, const char *const *args, int nargs)
{
	struct cmac_inst *inst;
	struct crypto_alg *base, *child;
	struct cipher_alg *calg;
	int rc;

	if (nargs != 1)
		return -EINVAL;
	inst = calloc(1, sizeof(*inst));
	if (!inst)
		return -ENOMEM;
	base = &inst->alg.base;
	rc = crypto_grab_spawn(base, 0, args[0], CRYPTO_ALG_TYPE_CIPHER, 0, 0);
	if (rc)
		goto out_free;
	child = base->cra_spawns[0];
	calg = container_of_alg(child, struct cipher_alg);
	/* Rb is defined for 64- and 128-bit blocks only (section 5.3). */
	rc = child->cra_blocksize == 8 || child->cra_blocksize == 16 ?
	     crypto_inst_setname(base, tmpl->name) : -EINVAL;
	if (rc)
		goto out_drop;

	snprintf(base->cra_module, sizeof(base->cra_module), "%s", child->cra_module);
	base->cra_priority = child->cra_priority;
	base->cra_blocksize = child->cra_blocksize;
	base->cra_ctxsize = sizeof(struct cmac_ctx);
	base->cra_destroy = cmac_destroy;
	inst->alg.digestsize = child->cra_blocksize;
	inst->alg.descsize = sizeof(struct cmac_state);
	/* The child's key sizes; its setkey still decides (AES: 16, 24 or 32). */
	inst->alg.min_keysize = calg->min_keysize;
	inst->alg.max_keysize = calg->max_keysize ? calg->max_keysize : 1024;
	inst->alg.init_tfm = cmac_init_tfm;
	inst->alg.exit_tfm = cmac_exit_tfm;
	inst->alg.setkey = cmac_setkey;
	inst->alg.init = cmac_init;
	inst->alg.update = cmac_update;
	inst->alg.final = cmac_final;

	rc = crypto_register_instance(tmpl, base, CRYPTO_ALG_TYPE_SHASH);
	if (rc)
		goto out_drop;
	return 0;

out_drop:
	crypto_drop_spawns(base);
out_free:
	free(inst);
	return rc;
}

static struct crypto_template cmac_tmpl = {
	.name = "cmac",
	.create = cmac_create,
};

static int cmac_mod_init(void)
{
	return crypto_register_template(&cmac_tmpl);
}

static void cmac_mod_exit(void)
{
	crypto_unregister_template(&cmac_tmpl);
}

CRYPTO_MODULE(cmac, CRYPTO_MODULE_TEMPLATE, cmac_mod_init, cmac_mod_exit)
