/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-type frontend table (alg_type.h): for each algorithm type, what a
 * registration must satisfy, how a transform is set up and torn down, what
 * the listing prints, and which self-test runner and throughput hooks serve
 * it. The runners and hooks live with their concern (testmgr.c, perf.c);
 * this file says which belongs to which type.
 */
#include <stdio.h>

#include "alg_type.h"
#include "internal.h"
#include "listing.h"

/* ---- checks common to the typed ones ---- */

static int check_keysizes(const struct crypto_alg *alg, uint32_t min, uint32_t max)
{
	if (min > max)
		return crypto_alg_reject(alg, "min key size %u > max key size %u", min, max);
	if (max > 1024)
		return crypto_alg_reject(alg, "max key size %u over 1024", max);
	return 0;
}

static void show_async(FILE *f, const struct crypto_alg_info *i)
{
	fprintf(f, "async        : %s\n", i->async ? "yes" : "no");
}

static void show_keysizes(FILE *f, const struct crypto_alg_info *i)
{
	fprintf(f, "min keysize  : %u\n", i->min_keysize);
	fprintf(f, "max keysize  : %u\n", i->max_keysize);
}

/* ---- cipher: one block at a time ---- */

static int cipher_check(struct crypto_alg *alg)
{
	struct cipher_alg *a = container_of_alg(alg, struct cipher_alg);

	if (check_keysizes(alg, a->min_keysize, a->max_keysize))
		return -EINVAL;
	if (!a->setkey || !a->encrypt || !a->decrypt)
		return crypto_alg_reject(alg, "cipher without setkey/encrypt/decrypt");
	if (alg->cra_blocksize > XSG_WALK_MAX_BLOCK)
		return crypto_alg_reject(alg, "cipher block size %u over %u", alg->cra_blocksize,
					 XSG_WALK_MAX_BLOCK);
	return 0;
}

static int cipher_init_tfm(struct crypto_tfm *base)
{
	struct crypto_cipher *tfm = container_of_tfm(base, struct crypto_cipher);
	struct cipher_alg *a = crypto_cipher_alg(tfm);

	base->crt_flags = CRYPTO_TFM_NEED_KEY;
	return a->init ? a->init(tfm) : 0;
}

static void cipher_exit_tfm(struct crypto_tfm *base)
{
	struct crypto_cipher *tfm = container_of_tfm(base, struct crypto_cipher);

	if (crypto_cipher_alg(tfm)->exit)
		crypto_cipher_alg(tfm)->exit(tfm);
}

static void cipher_info(const struct crypto_alg *alg, struct crypto_alg_info *i)
{
	const struct cipher_alg *a = container_of_alg(alg, const struct cipher_alg);

	i->min_keysize = a->min_keysize;
	i->max_keysize = a->max_keysize;
}

static void cipher_show(FILE *f, const struct crypto_alg_info *i)
{
	fprintf(f, "blocksize    : %u\n", i->blocksize);
	show_keysizes(f, i);
}

/* ---- skcipher: modes over scatterlists ---- */

static int skcipher_check(struct crypto_alg *alg)
{
	struct skcipher_alg *a = container_of_alg(alg, struct skcipher_alg);

	if (check_keysizes(alg, a->min_keysize, a->max_keysize))
		return -EINVAL;
	if (!a->setkey || !a->encrypt || !a->decrypt)
		return crypto_alg_reject(alg, "skcipher without setkey/encrypt/decrypt");
	if (a->ivsize > 32)
		return crypto_alg_reject(alg, "iv size %u over 32", a->ivsize);
	if (a->chunksize == 0)
		a->chunksize = alg->cra_blocksize;
	if (a->chunksize > XSG_WALK_MAX_BLOCK || alg->cra_blocksize > XSG_WALK_MAX_BLOCK)
		return crypto_alg_reject(alg, "chunk/block size over %u", XSG_WALK_MAX_BLOCK);
	if (a->reqsize > 4096)
		return crypto_alg_reject(alg, "request size %u over 4096", a->reqsize);
	return 0;
}

static int skcipher_init_tfm(struct crypto_tfm *base)
{
	struct crypto_skcipher *tfm = container_of_tfm(base, struct crypto_skcipher);
	struct skcipher_alg *a = crypto_skcipher_alg(tfm);

	tfm->reqsize = a->reqsize;
	if (a->max_keysize)
		base->crt_flags = CRYPTO_TFM_NEED_KEY;
	return a->init ? a->init(tfm) : 0;
}

static void skcipher_exit_tfm(struct crypto_tfm *base)
{
	struct crypto_skcipher *tfm = container_of_tfm(base, struct crypto_skcipher);

	if (crypto_skcipher_alg(tfm)->exit)
		crypto_skcipher_alg(tfm)->exit(tfm);
}

static void skcipher_info(const struct crypto_alg *alg, struct crypto_alg_info *i)
{
	const struct skcipher_alg *a = container_of_alg(alg, const struct skcipher_alg);

	i->min_keysize = a->min_keysize;
	i->max_keysize = a->max_keysize;
	i->ivsize = a->ivsize;
	i->chunksize = a->chunksize;
}

static void skcipher_show(FILE *f, const struct crypto_alg_info *i)
{
	show_async(f, i);
	fprintf(f, "blocksize    : %u\n", i->blocksize);
	show_keysizes(f, i);
	fprintf(f, "ivsize       : %u\n", i->ivsize);
	fprintf(f, "chunksize    : %u\n", i->chunksize);
	fprintf(f, "walksize     : %u\n", i->chunksize);
}

/* ---- aead ---- */

static int aead_check(struct crypto_alg *alg)
{
	struct aead_alg *a = container_of_alg(alg, struct aead_alg);

	if (check_keysizes(alg, a->min_keysize, a->max_keysize))
		return -EINVAL;
	if (!a->setkey || !a->encrypt || !a->decrypt)
		return crypto_alg_reject(alg, "aead without setkey/encrypt/decrypt");
	if (a->ivsize > 32)
		return crypto_alg_reject(alg, "iv size %u over 32", a->ivsize);
	if (a->maxauthsize > 64)
		return crypto_alg_reject(alg, "max auth size %u over 64", a->maxauthsize);
	if (a->chunksize == 0)
		a->chunksize = alg->cra_blocksize;
	if (a->reqsize > 4096)
		return crypto_alg_reject(alg, "request size %u over 4096", a->reqsize);
	if (a->poll && !(alg->cra_flags & CRYPTO_ALG_ASYNC))
		return crypto_alg_reject(alg, "poll without the async flag");
	return 0;
}

static int aead_init_tfm(struct crypto_tfm *base)
{
	struct crypto_aead *tfm = container_of_tfm(base, struct crypto_aead);
	struct aead_alg *a = crypto_aead_alg(tfm);

	tfm->authsize = a->maxauthsize;
	tfm->reqsize = a->reqsize;
	base->crt_flags = CRYPTO_TFM_NEED_KEY;
	return a->init ? a->init(tfm) : 0;
}

static void aead_exit_tfm(struct crypto_tfm *base)
{
	struct crypto_aead *tfm = container_of_tfm(base, struct crypto_aead);

	if (crypto_aead_alg(tfm)->exit)
		crypto_aead_alg(tfm)->exit(tfm);
}

static void aead_info(const struct crypto_alg *alg, struct crypto_alg_info *i)
{
	const struct aead_alg *a = container_of_alg(alg, const struct aead_alg);

	i->min_keysize = a->min_keysize;
	i->max_keysize = a->max_keysize;
	i->ivsize = a->ivsize;
	i->maxauthsize = a->maxauthsize;
	i->chunksize = a->chunksize;
}

static void aead_show(FILE *f, const struct crypto_alg_info *i)
{
	show_async(f, i);
	fprintf(f, "blocksize    : %u\n", i->blocksize);
	fprintf(f, "ivsize       : %u\n", i->ivsize);
	fprintf(f, "maxauthsize  : %u\n", i->maxauthsize);
	fprintf(f, "geniv        : <none>\n");
}

/* ---- shash: digests and keyed digests ---- */

static int shash_check(struct crypto_alg *alg)
{
	struct shash_alg *a = container_of_alg(alg, struct shash_alg);

	if (check_keysizes(alg, a->min_keysize, a->max_keysize))
		return -EINVAL;
	if (!a->init || !a->update || !a->final)
		return crypto_alg_reject(alg, "shash without init/update/final");
	if (a->digestsize > 64)
		return crypto_alg_reject(alg, "digest size %u over 64", a->digestsize);
	if (a->descsize > SHASH_DESC_MAX_SIZE)
		return crypto_alg_reject(alg, "state size %u over %u", a->descsize,
					 SHASH_DESC_MAX_SIZE);
	if (a->max_keysize && !a->setkey)
		return crypto_alg_reject(alg, "key sizes given but no setkey");
	if (alg->cra_flags & CRYPTO_ALG_ASYNC)
		return crypto_alg_reject(alg, "shash cannot be async");
	return 0;
}

static int shash_init_tfm(struct crypto_tfm *base)
{
	struct crypto_shash *tfm = container_of_tfm(base, struct crypto_shash);
	struct shash_alg *a = crypto_shash_alg(tfm);

	tfm->descsize = a->descsize;
	if (a->setkey && a->max_keysize)
		base->crt_flags = CRYPTO_TFM_NEED_KEY;
	return a->init_tfm ? a->init_tfm(tfm) : 0;
}

static void shash_exit_tfm(struct crypto_tfm *base)
{
	struct crypto_shash *tfm = container_of_tfm(base, struct crypto_shash);

	if (crypto_shash_alg(tfm)->exit_tfm)
		crypto_shash_alg(tfm)->exit_tfm(tfm);
}

static void shash_info(const struct crypto_alg *alg, struct crypto_alg_info *i)
{
	const struct shash_alg *a = container_of_alg(alg, const struct shash_alg);

	i->digestsize = a->digestsize;
	i->min_keysize = a->min_keysize;
	i->max_keysize = a->max_keysize;
}

static void shash_show(FILE *f, const struct crypto_alg_info *i)
{
	fprintf(f, "blocksize    : %u\n", i->blocksize);
	fprintf(f, "digestsize   : %u\n", i->digestsize);
}

/* ---- rng ---- */

static int rng_check(struct crypto_alg *alg)
{
	struct rng_alg *a = container_of_alg(alg, struct rng_alg);

	if (!a->generate || !a->seed)
		return crypto_alg_reject(alg, "rng without seed/generate");
	if (a->seedsize > 1024)
		return crypto_alg_reject(alg, "seed size %u over 1024", a->seedsize);
	return 0;
}

static int rng_init_tfm(struct crypto_tfm *base)
{
	struct crypto_rng *tfm = container_of_tfm(base, struct crypto_rng);
	struct rng_alg *a = crypto_rng_alg(tfm);

	return a->init ? a->init(tfm) : 0;
}

static void rng_exit_tfm(struct crypto_tfm *base)
{
	struct crypto_rng *tfm = container_of_tfm(base, struct crypto_rng);

	if (crypto_rng_alg(tfm)->exit)
		crypto_rng_alg(tfm)->exit(tfm);
}

static void rng_info(const struct crypto_alg *alg, struct crypto_alg_info *i)
{
	i->seedsize = container_of_alg(alg, const struct rng_alg)->seedsize;
}

static void rng_show(FILE *f, const struct crypto_alg_info *i)
{
	fprintf(f, "seedsize     : %u\n", i->seedsize);
}

/* ---- the table ---- */

#define TYPE_LAYOUT(ALG, TFM)                                                 \
	.alg_size = sizeof(ALG), .alg_base = offsetof(ALG, base),             \
	.tfm_base = offsetof(TFM, base)

static const struct crypto_type crypto_types[] = {
	[CRYPTO_ALG_TYPE_CIPHER] = {
		.name = "cipher",
		TYPE_LAYOUT(struct cipher_alg, struct crypto_cipher),
		.check = cipher_check,
		.init_tfm = cipher_init_tfm,
		.exit_tfm = cipher_exit_tfm,
		.info = cipher_info,
		.show = cipher_show,
		.selftest = alg_test_cipher,
	},
	[CRYPTO_ALG_TYPE_SKCIPHER] = {
		.name = "skcipher",
		TYPE_LAYOUT(struct skcipher_alg, struct crypto_skcipher),
		.check = skcipher_check,
		.init_tfm = skcipher_init_tfm,
		.exit_tfm = skcipher_exit_tfm,
		.info = skcipher_info,
		.show = skcipher_show,
		.selftest = alg_test_skcipher,
		.perf_prepare = crypto_perf_prepare_skcipher,
		.perf_release = crypto_perf_release_skcipher,
	},
	[CRYPTO_ALG_TYPE_AEAD] = {
		.name = "aead",
		TYPE_LAYOUT(struct aead_alg, struct crypto_aead),
		.check = aead_check,
		.init_tfm = aead_init_tfm,
		.exit_tfm = aead_exit_tfm,
		.info = aead_info,
		.show = aead_show,
		.selftest = alg_test_aead,
		.perf_prepare = crypto_perf_prepare_aead,
		.perf_release = crypto_perf_release_aead,
	},
	[CRYPTO_ALG_TYPE_SHASH] = {
		.name = "shash",
		TYPE_LAYOUT(struct shash_alg, struct crypto_shash),
		.check = shash_check,
		.init_tfm = shash_init_tfm,
		.exit_tfm = shash_exit_tfm,
		.info = shash_info,
		.show = shash_show,
		.selftest = alg_test_hash,
		.perf_prepare = crypto_perf_prepare_shash,
		.perf_release = crypto_perf_release_shash,
	},
	[CRYPTO_ALG_TYPE_RNG] = {
		.name = "rng",
		TYPE_LAYOUT(struct rng_alg, struct crypto_rng),
		.check = rng_check,
		.init_tfm = rng_init_tfm,
		.exit_tfm = rng_exit_tfm,
		.info = rng_info,
		.show = rng_show,
		.selftest = alg_test_rng,
	},
};

const struct crypto_type *crypto_type_of(enum crypto_alg_type type)
{
	if ((unsigned int)type >= sizeof(crypto_types) / sizeof(crypto_types[0]) ||
	    !crypto_types[type].name)
		return NULL;
	return &crypto_types[type];
}
