/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Listing of registered algorithms: /proc/crypto text and an iterator for the
 * netlink algorithm query and xfrmgw-ctl.
 */
#ifndef XFRMGW_CRYPTOAPI_LISTING_H
#define XFRMGW_CRYPTOAPI_LISTING_H

#include <stdio.h>

#include "algapi.h"

/*
 * Call fn for every registered algorithm in registration order, under the
 * registry lock (fn must not register or unregister). Stops early and
 * returns fn's value when it is non-zero.
 */
int crypto_alg_foreach(int (*fn)(const struct crypto_alg *alg, void *arg), void *arg);

/* Type-specific figures of an algorithm, as the listing prints them. */
struct crypto_alg_info {
	const char *type;	/* "aead", "skcipher", "cipher", "shash", "rng" */
	uint32_t blocksize;
	uint32_t min_keysize, max_keysize;
	uint32_t ivsize;
	uint32_t maxauthsize;	/* aead */
	uint32_t digestsize;	/* shash */
	uint32_t seedsize;	/* rng */
	uint32_t chunksize;
	bool async;
	bool internal;
	bool hardware;
	const char *selftest;	/* "passed", "failed", "unknown" */
};
void crypto_alg_info(const struct crypto_alg *alg, struct crypto_alg_info *info);

/* One algorithm in /proc/crypto format, followed by an empty line. */
void crypto_show_alg(FILE *f, const struct crypto_alg *alg);
/* Every algorithm. */
void crypto_show_all(FILE *f);

#endif
