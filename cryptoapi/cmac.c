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
#include <string.h>

#include "algapi.h"

#define CMAC_MAX_BLOCK 16

struct cmac_ctx {
	struct crypto_cipher *child;	/* first (crypto_inst_init_children); keyed with K */
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
	crypto_fill_block(st->buf, &st->buflen, bs, &data, &len);
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

	ctx->bs = tfm->base.alg->cra_blocksize;	/* the cipher's */
	return crypto_inst_init_children(&tfm->base);
}

/* Rb is defined for 64- and 128-bit blocks only (section 5.3). */
static int cmac_check(struct crypto_alg *base)
{
	uint32_t bs = base->cra_spawns[0]->cra_blocksize;

	return bs == 8 || bs == 16 ? 0 : -EINVAL;
}

/* The digest is one block; the child's key sizes (its setkey decides). */
static int cmac_fill(struct crypto_alg *base)
{
	struct shash_alg *inst = container_of_alg(base, struct shash_alg);
	const struct cipher_alg *c = container_of_alg(base->cra_spawns[0], struct cipher_alg);

	inst->digestsize = base->cra_blocksize;
	inst->min_keysize = c->min_keysize;
	inst->max_keysize = c->max_keysize ? c->max_keysize : 1024;
	return 0;
}

static const struct shash_alg cmac_alg = {
	.descsize = sizeof(struct cmac_state),
	.init_tfm = cmac_init_tfm,
	.exit_tfm = crypto_inst_exit_shash,
	.setkey = cmac_setkey,
	.init = cmac_init,
	.update = cmac_update,
	.final = cmac_final,
	.base.cra_ctxsize = sizeof(struct cmac_ctx),
};

static const struct crypto_inst_spec cmac_spec = {
	.type = CRYPTO_ALG_TYPE_SHASH,
	.alg = &cmac_alg,
	.spawns = { { .type = CRYPTO_ALG_TYPE_CIPHER } },
	.check = cmac_check,
	.fill = cmac_fill,
};

static struct crypto_inst_template cmac_tmpl = CRYPTO_INST_TEMPLATE("cmac", &cmac_spec);

CRYPTO_TEMPLATE_MODULE(cmac, &cmac_tmpl.base)
