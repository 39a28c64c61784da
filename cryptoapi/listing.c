/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The algorithm listing, in the format of the kernel's /proc/crypto: the
 * lines every algorithm has, then its type's own (alg_type.c).
 */
#include <string.h>

#include "alg_type.h"
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
	const struct crypto_type *ty;

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

	ty = crypto_type_of(alg->cra_type);
	if (!ty) {
		i->type = "unknown";
		return;
	}
	i->type = ty->name;
	ty->info(alg, i);
}

void crypto_show_alg(FILE *f, const struct crypto_alg *alg)
{
	const struct crypto_type *ty;
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
	ty = crypto_type_of(alg->cra_type);
	if (ty)
		ty->show(f, &i);
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
