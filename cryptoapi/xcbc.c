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
#include <string.h>

#include "algapi.h"

#define XCBC_BLOCK 16
#define XCBC_KEYSIZE 16	/* RFC 3566 section 4: 128-bit keys only */

struct xcbc_ctx {
	struct crypto_cipher *child;	/* first (crypto_inst_init_shash); keyed with K1 */
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
	crypto_fill_block(st->buf, &st->buflen, XCBC_BLOCK, &data, &len);
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

/* The constants and the padding of RFC 3566 are defined for 128-bit blocks. */
static int xcbc_check(struct crypto_alg *base)
{
	return base->cra_spawns[0]->cra_blocksize == XCBC_BLOCK ? 0 : -EINVAL;
}

static const struct shash_alg xcbc_alg = {
	.digestsize = XCBC_BLOCK,
	.descsize = sizeof(struct xcbc_state),
	.min_keysize = XCBC_KEYSIZE,
	.max_keysize = XCBC_KEYSIZE,
	.init_tfm = crypto_inst_init_shash,
	.exit_tfm = crypto_inst_exit_shash,
	.setkey = xcbc_setkey,
	.init = xcbc_init,
	.update = xcbc_update,
	.final = xcbc_final,
	.base = {
		.cra_blocksize = XCBC_BLOCK,
		.cra_ctxsize = sizeof(struct xcbc_ctx),
	},
};

static const struct crypto_inst_spec xcbc_spec = {
	.type = CRYPTO_ALG_TYPE_SHASH,
	.alg = &xcbc_alg,
	.spawns = { { .type = CRYPTO_ALG_TYPE_CIPHER } },
	.check = xcbc_check,
};

static struct crypto_inst_template xcbc_tmpl = CRYPTO_INST_TEMPLATE("xcbc", &xcbc_spec);

CRYPTO_TEMPLATE_MODULE(xcbc, &xcbc_tmpl.base)
