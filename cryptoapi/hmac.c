/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hmac(H): keyed digest over any unkeyed shash H (RFC 2104).
 *
 *   HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m))
 *
 * setkey() runs the child over one block of K0 ^ ipad and of K0 ^ opad and
 * keeps both child states in the transform, so init() is a copy and a
 * digest costs no key-dependent work. The instance takes the child's
 * priority, so hmac over a faster child wins without special code.
 */
#include <string.h>

#include "algapi.h"

#define HMAC_IPAD 0x36
#define HMAC_OPAD 0x5c
#define HMAC_MAX_BLOCK 256	/* cra_blocksize limit of the registry */

/*
 * Transform context: the child transform (first, for
 * crypto_inst_init_children), then the child's state after the inner pad
 * block and after the outer pad block (statesize bytes each).
 */
struct hmac_ctx {
	struct crypto_shash *child;
	uint32_t statesize;
	uint8_t pads[] __attribute__((aligned(16)));
};

/* Our hash state is a whole child shash_desc (its tfm pointer + state). */
static inline struct shash_desc *hmac_child_desc(struct shash_desc *desc)
{
	return shash_desc_ctx(desc);
}

static inline uint8_t *hmac_ipad_state(struct hmac_ctx *ctx)
{
	return ctx->pads;
}

static inline uint8_t *hmac_opad_state(struct hmac_ctx *ctx)
{
	return ctx->pads + ctx->statesize;
}

/* Child state after absorbing one block of K0 ^ pad (RFC 2104 steps 2-3, 5-6). */
static int hmac_pad_state(struct crypto_shash *child, const uint8_t *k0, unsigned int bs,
			  uint8_t pad, uint8_t *state)
{
	uint8_t block[HMAC_MAX_BLOCK];
	SHASH_DESC_ON_STACK(cdesc, child);
	int rc;

	for (unsigned int i = 0; i < bs; i++)
		block[i] = k0[i] ^ pad;
	rc = crypto_shash_init(cdesc) ?: crypto_shash_update(cdesc, block, bs);
	if (!rc)
		memcpy(state, shash_desc_ctx(cdesc), child->descsize);
	shash_desc_zero(cdesc);
	crypto_wipe(block, bs);
	return rc;
}

static int hmac_setkey(struct crypto_shash *tfm, const uint8_t *key, unsigned int keylen)
{
	struct hmac_ctx *ctx = crypto_shash_ctx(tfm);
	struct crypto_shash *child = ctx->child;
	unsigned int bs = crypto_shash_blocksize(child);
	uint8_t k0[HMAC_MAX_BLOCK] = { 0 };
	int rc = 0;

	/* RFC 2104 section 2: keys longer than B are hashed first, then padded. */
	if (keylen > bs) {
		SHASH_DESC_ON_STACK(cdesc, child);

		rc = crypto_shash_digest(cdesc, key, keylen, k0);
		shash_desc_zero(cdesc);
	} else if (keylen) {
		memcpy(k0, key, keylen);
	}
	if (!rc)
		rc = hmac_pad_state(child, k0, bs, HMAC_IPAD, hmac_ipad_state(ctx)) ?:
		     hmac_pad_state(child, k0, bs, HMAC_OPAD, hmac_opad_state(ctx));
	crypto_wipe(k0, sizeof(k0));
	return rc;
}

static int hmac_init(struct shash_desc *desc)
{
	struct hmac_ctx *ctx = crypto_shash_ctx(desc->tfm);
	struct shash_desc *cdesc = hmac_child_desc(desc);

	cdesc->tfm = ctx->child;
	memcpy(shash_desc_ctx(cdesc), hmac_ipad_state(ctx), ctx->statesize);
	return 0;
}

static int hmac_update(struct shash_desc *desc, const uint8_t *data, size_t len)
{
	return crypto_shash_update(hmac_child_desc(desc), data, len);
}

static int hmac_final(struct shash_desc *desc, uint8_t *out)
{
	struct hmac_ctx *ctx = crypto_shash_ctx(desc->tfm);
	struct shash_desc *cdesc = hmac_child_desc(desc);
	unsigned int ds = crypto_shash_digestsize(ctx->child);
	uint8_t inner[64];
	int rc;

	/* Inner digest, then the outer hash over it from the opad state. */
	rc = crypto_shash_final(cdesc, inner);
	if (!rc) {
		memcpy(shash_desc_ctx(cdesc), hmac_opad_state(ctx), ctx->statesize);
		rc = crypto_shash_update(cdesc, inner, ds) ?: crypto_shash_final(cdesc, out);
	}
	crypto_wipe(inner, sizeof(inner));
	return rc;
}

static int hmac_init_tfm(struct crypto_shash *tfm)
{
	struct hmac_ctx *ctx = crypto_shash_ctx(tfm);
	int rc = crypto_inst_init_children(&tfm->base);

	if (!rc)
		ctx->statesize = ctx->child->descsize;
	return rc;
}

/* A child hmac can wrap: unkeyed, with a digest that fits in one block. */
static int hmac_check(struct crypto_alg *base)
{
	const struct shash_alg *c = container_of_alg(base->cra_spawns[0], struct shash_alg);
	uint32_t bs = c->base.cra_blocksize;

	if (c->max_keysize || c->setkey)
		return -EINVAL;
	if (c->digestsize == 0 || c->digestsize > 64 || c->digestsize > bs)
		return -EINVAL;
	if (bs > HMAC_MAX_BLOCK)
		return -EINVAL;
	if (sizeof(struct shash_desc) + c->descsize > SHASH_DESC_MAX_SIZE)
		return -EINVAL;
	return 0;
}

/* Our state is a child shash_desc; the context holds two child states. */
static int hmac_fill(struct crypto_alg *base)
{
	struct shash_alg *inst = container_of_alg(base, struct shash_alg);
	const struct shash_alg *c = container_of_alg(base->cra_spawns[0], struct shash_alg);

	inst->digestsize = c->digestsize;
	inst->descsize = sizeof(struct shash_desc) + c->descsize;
	base->cra_ctxsize = sizeof(struct hmac_ctx) + 2 * ((c->descsize + 15) & ~15u);
	return 0;
}

static const struct shash_alg hmac_alg = {
	.min_keysize = 0,
	.max_keysize = 1024,
	.init_tfm = hmac_init_tfm,
	.exit_tfm = crypto_inst_exit_shash,	/* the pads are in the wiped context */
	.setkey = hmac_setkey,
	.init = hmac_init,
	.update = hmac_update,
	.final = hmac_final,
};

static const struct crypto_inst_spec hmac_spec = {
	.type = CRYPTO_ALG_TYPE_SHASH,
	.alg = &hmac_alg,
	.spawns = { { .type = CRYPTO_ALG_TYPE_SHASH } },
	.check = hmac_check,
	.fill = hmac_fill,
};

static struct crypto_inst_template hmac_tmpl = CRYPTO_INST_TEMPLATE("hmac", &hmac_spec);

CRYPTO_TEMPLATE_MODULE(hmac, &hmac_tmpl.base)
