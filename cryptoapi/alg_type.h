/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-type frontends. Everything the registry, the templates, the listing,
 * the self-tests and the throughput measurement need to know about one
 * algorithm type (cipher, skcipher, aead, shash, rng) sits in one const
 * entry of the table in alg_type.c. Code outside the typed user API never
 * switches on cra_type: it asks crypto_type_of() and calls the entry, so a
 * new type is one entry (and the hooks it names), not a case in every file.
 */
#ifndef XFRMGW_CRYPTOAPI_ALG_TYPE_H
#define XFRMGW_CRYPTOAPI_ALG_TYPE_H

#include <stdio.h>

#include "algapi.h"

struct crypto_alg_info;		/* listing.h */
struct alg_test_desc;		/* testmgr.h */
struct alg_test_ctx;		/* testmgr.c: failure message and vector buffers */
struct crypto_perf_op;		/* perf.c: one measured operation */

struct crypto_type {
	const char *name;	/* as the listing prints it: "aead" */

	/*
	 * Layout: the typed algorithm (struct aead_alg) embeds its crypto_alg
	 * at alg_base; the typed transform (struct crypto_aead) embeds its
	 * crypto_tfm at tfm_base, and the driver context follows the tfm.
	 */
	size_t alg_size;
	size_t alg_base;
	size_t tfm_base;

	/* Registration: refuse a malformed algorithm (may fill defaults). */
	int (*check)(struct crypto_alg *alg);

	/*
	 * A new transform: set the typed fields from the algorithm and run its
	 * init op. exit_tfm runs the exit op before the memory goes.
	 */
	int (*init_tfm)(struct crypto_tfm *tfm);
	void (*exit_tfm)(struct crypto_tfm *tfm);

	/* Listing: the typed figures, and the lines after "type". */
	void (*info)(const struct crypto_alg *alg, struct crypto_alg_info *info);
	void (*show)(FILE *f, const struct crypto_alg_info *info);

	/* Known-answer test over the desc's vectors (-ENOENT: none of this type). */
	int (*selftest)(struct crypto_alg *alg, const struct alg_test_desc *d,
			struct alg_test_ctx *t);

	/* Throughput: make a keyed transform and request, and free them. NULL: not measured. */
	int (*perf_prepare)(struct crypto_alg *alg, struct crypto_perf_op *op);
	void (*perf_release)(struct crypto_perf_op *op);
};

/* The entry of a type, NULL for a value outside the enum. */
const struct crypto_type *crypto_type_of(enum crypto_alg_type type);

/* The typed transform (struct crypto_aead, ...) whose crypto_tfm is ptr. */
#define container_of_tfm(ptr, type) \
	((type *)(void *)((char *)(ptr) - offsetof(type, base)))

/* The typed algorithm that holds alg (struct cipher_alg *, ...). */
static inline void *crypto_type_alg(const struct crypto_type *ty, const struct crypto_alg *alg)
{
	return (char *)alg - ty->alg_base;
}

/*
 * Transforms of any type (api.c). crypto_spawn_tfm checks alg is of type,
 * allocates the typed transform with the driver context, takes a reference
 * on alg and runs the type's init; *out is the typed transform
 * (struct crypto_aead *, ...). crypto_free_tfm undoes it from the tfm.
 */
int crypto_spawn_tfm(void **out, struct crypto_alg *alg, enum crypto_alg_type type);
void crypto_free_tfm(struct crypto_tfm *tfm);

/* Refuse a registration: logs why, naming the driver; returns -EINVAL. */
int crypto_alg_reject(const struct crypto_alg *alg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The self-test runners (testmgr.c). */
int alg_test_cipher(struct crypto_alg *alg, const struct alg_test_desc *d,
		    struct alg_test_ctx *t);
int alg_test_skcipher(struct crypto_alg *alg, const struct alg_test_desc *d,
		      struct alg_test_ctx *t);
int alg_test_aead(struct crypto_alg *alg, const struct alg_test_desc *d, struct alg_test_ctx *t);
int alg_test_hash(struct crypto_alg *alg, const struct alg_test_desc *d, struct alg_test_ctx *t);
int alg_test_rng(struct crypto_alg *alg, const struct alg_test_desc *d, struct alg_test_ctx *t);

/* The throughput hooks (perf.c). */
int crypto_perf_prepare_skcipher(struct crypto_alg *alg, struct crypto_perf_op *op);
void crypto_perf_release_skcipher(struct crypto_perf_op *op);
int crypto_perf_prepare_aead(struct crypto_alg *alg, struct crypto_perf_op *op);
void crypto_perf_release_aead(struct crypto_perf_op *op);
int crypto_perf_prepare_shash(struct crypto_alg *alg, struct crypto_perf_op *op);
void crypto_perf_release_shash(struct crypto_perf_op *op);

#endif
