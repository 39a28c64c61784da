/* SPDX-License-Identifier: BSD-3-Clause */
/* Registry internals shared by api.c, template.c, module.c and listing.c. */
#ifndef XFRMGW_CRYPTOAPI_INTERNAL_H
#define XFRMGW_CRYPTOAPI_INTERNAL_H

#include <pthread.h>

#include "algapi.h"

#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)                            \
	for ((var) = TAILQ_FIRST(head);                                       \
	     (var) && ((tvar) = TAILQ_NEXT(var, field), 1); (var) = (tvar))
#endif

TAILQ_HEAD(crypto_alg_list, crypto_alg);
TAILQ_HEAD(crypto_template_list, crypto_template);

extern struct crypto_alg_list crypto_alg_list;
extern struct crypto_template_list crypto_template_list;

/* Recursive: template instantiation looks children up while registering. */
void crypto_registry_lock(void);
void crypto_registry_unlock(void);

/* Instantiate a "tmpl(args)" name; 0 or -EEXIST when an instance exists. */
int crypto_instantiate(const char *name, int depth);
/* Remove every template instance nobody uses (at exit, or to free a child). */
void crypto_remove_unused_instances(void);
/* Unlink and destroy one instance (registry lock held, refcnt == 1). */
void crypto_destroy_instance(struct crypto_alg *inst);

/*
 * Throughput of a freshly tested algorithm on representative sizes, in MB/s
 * (0 when not measured). Used by CRYPTO_SELECT_FASTEST and the listing.
 */
uint32_t crypto_perf_measure(struct crypto_alg *alg);

/* Default rng for crypto_get_random_bytes(). */
int crypto_default_rng_init(void);
void crypto_default_rng_exit(void);

#endif
