/* SPDX-License-Identifier: BSD-3-Clause */
/* The algorithm listing, in the format of the kernel's /proc/crypto. */
#include <string.h>

#include "internal.h"
#include "listing.h"

int crypto_alg_foreach(int (*fn)(const struct crypto_alg *alg, void *arg), void *arg)
{
	const struct crypto_alg *q;
	int rc = 0;

	crypto_registry_lock();
	TAILQ_FOREACH(q, &crypto_alg_list, cra_list)
		if ((rc = fn(q, arg)) != 0)
			break;
	crypto_registry_unlock();
	return rc;
}

void crypto_alg_info(const struct crypto_alg *alg, struct crypto_alg_info *i)
{
	memset(i, 0, sizeof(*i));
	i->blocksize = alg->cra_blocksize;
	i->async = alg->cra_flags & CRYPTO_ALG_ASYNC;
	i->internal = alg->cra_flags & CRYPTO_ALG_INTERNAL;
	i->hardware = alg->cra_flags & CRYPTO_ALG_HARDWARE;
	if (alg->cra_flags & CRYPTO_ALG_DEAD)
		i->selftest = "failed";
	else if (alg->cra_flags & CRYPTO_ALG_TESTED)
		i->selftest = "passed";
	else
		i->selftest = "unknown";

	switch (alg->cra_type) {
	case CRYPTO_ALG_TYPE_CIPHER: {
		const struct cipher_alg *a = container_of_alg(alg, const struct cipher_alg);

		i->type = "cipher";
		i->min_keysize = a->min_keysize;
		i->max_keysize = a->max_keysize;
		break;
	}
	case CRYPTO_ALG_TYPE_SKCIPHER: {
		const struct skcipher_alg *a = container_of_alg(alg, const struct skcipher_alg);

		i->type = "skcipher";
		i->min_keysize = a->min_keysize;
		i->max_keysize = a->max_keysize;
		i->ivsize = a->ivsize;
		i->chunksize = a->chunksize;
		break;
	}
	case CRYPTO_ALG_TYPE_AEAD: {
		const struct aead_alg *a = container_of_alg(alg, const struct aead_alg);

		i->type = "aead";
		i->min_keysize = a->min_keysize;
		i->max_keysize = a->max_keysize;
		i->ivsize = a->ivsize;
		i->maxauthsize = a->maxauthsize;
		i->chunksize = a->chunksize;
		break;
	}
	case CRYPTO_ALG_TYPE_SHASH: {
		const struct shash_alg *a = container_of_alg(alg, const struct shash_alg);

		i->type = "shash";
		i->digestsize = a->digestsize;
		i->min_keysize = a->min_keysize;
		i->max_keysize = a->max_keysize;
		break;
	}
	case CRYPTO_ALG_TYPE_RNG: {
		const struct rng_alg *a = container_of_alg(alg, const struct rng_alg);

		i->type = "rng";
		i->seedsize = a->seedsize;
		break;
	}
	default:
		i->type = "unknown";
	}
}

void crypto_show_alg(FILE *f, const struct crypto_alg *alg)
{
	struct crypto_alg_info i;

	crypto_alg_info(alg, &i);
	fprintf(f, "name         : %s\n", alg->cra_name);
	fprintf(f, "driver       : %s\n", alg->cra_driver_name);
	fprintf(f, "module       : %s\n", alg->cra_module);
	fprintf(f, "priority     : %d\n", alg->cra_priority);
	fprintf(f, "refcnt       : %d\n", atomic_load(&alg->cra_refcnt));
	fprintf(f, "selftest     : %s\n", i.selftest);
	fprintf(f, "internal     : %s\n", i.internal ? "yes" : "no");
	if (alg->cra_perf_mbps)
		fprintf(f, "throughput   : %u MB/s\n", alg->cra_perf_mbps);
	fprintf(f, "type         : %s\n", i.type);
	switch (alg->cra_type) {
	case CRYPTO_ALG_TYPE_CIPHER:
		fprintf(f, "blocksize    : %u\n", i.blocksize);
		fprintf(f, "min keysize  : %u\n", i.min_keysize);
		fprintf(f, "max keysize  : %u\n", i.max_keysize);
		break;
	case CRYPTO_ALG_TYPE_SKCIPHER:
		fprintf(f, "async        : %s\n", i.async ? "yes" : "no");
		fprintf(f, "blocksize    : %u\n", i.blocksize);
		fprintf(f, "min keysize  : %u\n", i.min_keysize);
		fprintf(f, "max keysize  : %u\n", i.max_keysize);
		fprintf(f, "ivsize       : %u\n", i.ivsize);
		fprintf(f, "chunksize    : %u\n", i.chunksize);
		fprintf(f, "walksize     : %u\n", i.chunksize);
		break;
	case CRYPTO_ALG_TYPE_AEAD:
		fprintf(f, "async        : %s\n", i.async ? "yes" : "no");
		fprintf(f, "blocksize    : %u\n", i.blocksize);
		fprintf(f, "ivsize       : %u\n", i.ivsize);
		fprintf(f, "maxauthsize  : %u\n", i.maxauthsize);
		fprintf(f, "geniv        : <none>\n");
		break;
	case CRYPTO_ALG_TYPE_SHASH:
		fprintf(f, "blocksize    : %u\n", i.blocksize);
		fprintf(f, "digestsize   : %u\n", i.digestsize);
		break;
	case CRYPTO_ALG_TYPE_RNG:
		fprintf(f, "seedsize     : %u\n", i.seedsize);
		break;
	default:
		break;
	}
	if (alg->cra_flags & CRYPTO_ALG_DEAD && alg->cra_selftest_msg[0])
		fprintf(f, "failure      : %s\n", alg->cra_selftest_msg);
	fputc('\n', f);
}

static int show_one(const struct crypto_alg *alg, void *arg)
{
	crypto_show_alg(arg, alg);
	return 0;
}

void crypto_show_all(FILE *f)
{
	crypto_alg_foreach(show_one, f);
}
