/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xcbc(C): AES-XCBC-MAC (RFC 3566) over a 128-bit block cipher C.
 *
 * The 128-bit key K yields three keys (RFC 3566 section 4):
 *   K1 = E(K, 0x01..01), K2 = E(K, 0x02..02), K3 = E(K, 0x03..03)
 * Blocks are CBC-chained under K1; the last block is XORed with K2 when it
 * is complete, or padded with 10* and XORed with K3 when it is not. The
 * digest is the full 128 bits; ESP (AES-XCBC-MAC-96) truncates it itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algapi.h"

#define XCBC_BLOCK 16
#define XCBC_KEYSIZE 16	/* RFC 3566 section 4: 128-bit keys only */

struct xcbc_inst {
	struct shash_alg alg;
};

struct xcbc_ctx {
	struct crypto_cipher *child;	/* keyed with K1 */
	uint8_t k2[XCBC_BLOCK];
	uint8_t k3[XCBC_BLOCK];
};

/* Hash state: the chaining value E and the not yet processed last block. */
struct xcbc_state {
	uint8_t e[XCBC_BLOCK];
	uint8_t buf[XCBC_BLOCK];
	uint32_t buflen;	/* 0..16: a full block waits until more data comes */
};

static int xcbc_setkey(struct crypto_shash *tfm, const uint8_t *key, unsigned int keylen)
{
	struct xcbc_ctx *ctx = crypto_shash_ctx(tfm);
	uint8_t consts[3][XCBC_BLOCK], k1[XCBC_BLOCK];
	int rc;

	if (keylen != XCBC_KEYSIZE)
		return -EINVAL;
	rc = crypto_cipher_setkey(ctx->child, key, keylen);
	if (rc)
		return rc;
	/* RFC 3566 section 4 step (1): derive K1, K2, K3 under K. */
	for (int i = 0; i < 3; i++)
		memset(consts[i], i + 1, XCBC_BLOCK);
	crypto_cipher_encrypt_one(ctx->child, k1, consts[0]);
	crypto_cipher_encrypt_one(ctx->child, ctx->k2, consts[1]);
	crypto_cipher_encrypt_one(ctx->child, ctx->k3, consts[2]);
	rc = crypto_cipher_setkey(ctx->child, k1, XCBC_BLOCK);
	crypto_wipe(k1, sizeof(k1));
	return rc;
}

static int xcbc_init(struct shash_desc *desc)
{
	struct xcbc_state *st = shash_desc_ctx(desc);

	memset(st, 0, sizeof(*st));
	return 0;
}

/* E = E(K1, M[i] ^ E): section 4 step (3). */
static inline void xcbc_chain(struct crypto_cipher *child, uint8_t *e, const uint8_t *m)
{
	crypto_xor(e, m, XCBC_BLOCK);
	crypto_cipher_encrypt_one(child, e, e);
}

static int xcbc_update(struct shash_desc *desc, const uint8_t *data, size_t len)
{
	struct xcbc_ctx *ctx = crypto_shash_ctx(desc->tfm);
	struct xcbc_state *st = shash_desc_ctx(desc);

	if (!len)
		return 0;
	/* Fill the pending block; it is chained only once more data follows. */
	if (st->buflen < XCBC_BLOCK) {
		size_t n = XCBC_BLOCK - st->buflen;

		if (n > len)
			n = len;
		memcpy(st->buf + st->buflen, data, n);
		st->buflen += n;
		data += n;
		len -= n;
	}
	if (!len)
		return 0;
	xcbc_chain(ctx->child, st->e, st->buf);
	/* Whole blocks straight from the input, keeping the last one back. */
	for (; len > XCBC_BLOCK; data += XCBC_BLOCK, len -= XCBC_BLOCK)
		xcbc_chain(ctx->child, st->e, data);
	memcpy(st->buf, data, len);
	st->buflen = len;
	return 0;
}

static int xcbc_final(struct shash_desc *desc, uint8_t *out)
{
	struct xcbc_ctx *ctx = crypto_shash_ctx(desc->tfm);
	struct xcbc_state *st = shash_desc_ctx(desc);

	/* Section 4 step (4): a full last block takes K2, a padded one K3. */
	if (st->buflen == XCBC_BLOCK) {
		crypto_xor(st->buf, ctx->k2, XCBC_BLOCK);
	} else {
		st->buf[st->buflen] = 0x80;
		memset(st->buf + st->buflen + 1, 0, XCBC_BLOCK - st->buflen - 1);
		crypto_xor(st->buf, ctx->k3, XCBC_BLOCK);
	}
	xcbc_chain(ctx->child, st->e, st->buf);
	memcpy(out, st->e, XCBC_BLOCK);
	crypto_wipe(st, sizeof(*st));
	return 0;
}

static int xcbc_init_tfm(struct crypto_shash *tfm)
{
	struct xcbc_ctx *ctx = crypto_shash_ctx(tfm);

	return crypto_spawn_cipher(&ctx->child, tfm->base.alg->cra_spawns[0]);
}

static void xcbc_exit_tfm(struct crypto_shash *tfm)
{
	struct xcbc_ctx *ctx = crypto_shash_ctx(tfm);

	crypto_free_cipher(ctx->child);
}

static void xcbc_destroy(struct crypto_alg *alg)
{
	free((struct xcbc_inst *)(void *)container_of_alg(alg, struct shash_alg));
}

static int xcbc_create(struct crypto_template *tmpl, const char *const *args, int nargs)
{
	struct xcbc_inst *inst;
	struct crypto_alg *base, *child;
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
	/* The constants and the padding of RFC 3566 are defined for 128-bit blocks. */
	rc = child->cra_blocksize == XCBC_BLOCK ? crypto_inst_setname(base, tmpl->name) : -EINVAL;
	if (rc)
		goto out_drop;

	snprintf(base->cra_module, sizeof(base->cra_module), "%s", child->cra_module);
	base->cra_priority = child->cra_priority;
	base->cra_blocksize = XCBC_BLOCK;
	base->cra_ctxsize = sizeof(struct xcbc_ctx);
	base->cra_destroy = xcbc_destroy;
	inst->alg.digestsize = XCBC_BLOCK;
	inst->alg.descsize = sizeof(struct xcbc_state);
	inst->alg.min_keysize = XCBC_KEYSIZE;
	inst->alg.max_keysize = XCBC_KEYSIZE;
	inst->alg.init_tfm = xcbc_init_tfm;
	inst->alg.exit_tfm = xcbc_exit_tfm;
	inst->alg.setkey = xcbc_setkey;
	inst->alg.init = xcbc_init;
	inst->alg.update = xcbc_update;
	inst->alg.final = xcbc_final;

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

static struct crypto_template xcbc_tmpl = {
	.name = "xcbc",
	.create = xcbc_create,
};

static int xcbc_mod_init(void)
{
	return crypto_register_template(&xcbc_tmpl);
}

static void xcbc_mod_exit(void)
{
	crypto_unregister_template(&xcbc_tmpl);
}

CRYPTO_MODULE(xcbc, CRYPTO_MODULE_TEMPLATE, xcbc_mod_init, xcbc_mod_exit)
