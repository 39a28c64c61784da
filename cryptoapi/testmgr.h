/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Self-test manager: known-answer vectors by generic algorithm name.
 *
 * Vectors are hex strings (whitespace allowed) so each row can be checked
 * against its printed source. Every row names its source. A row with an
 * expected error (setkey_err, setauthsize_err, decrypt_err) is a negative
 * vector and must fail exactly that way.
 */
#ifndef XFRMGW_CRYPTOAPI_TESTMGR_H
#define XFRMGW_CRYPTOAPI_TESTMGR_H

#include "algapi.h"

/* cipher (ECB over whole blocks) and skcipher vectors */
struct cipher_testvec {
	const char *source;
	const char *key;
	const char *iv;		/* skcipher only; NULL when ivsize is 0 */
	const char *iv_out;	/* optional: expected chaining value after encrypt */
	const char *ptext;
	const char *ctext;
	int setkey_err;		/* negative vector: setkey must return this */
};

/* shash vectors: digest(key?, ptext) == digest */
struct hash_testvec {
	const char *source;
	const char *key;	/* NULL for unkeyed */
	const char *ptext;
	const char *digest;	/* may be truncated: compare this many bytes */
	unsigned int repeat;	/* ptext fed this many times (0 = once) */
	int setkey_err;
	bool wrong;		/* negative vector: digest must NOT match */
};

/* aead vectors: ctext includes the ICV of authsize bytes */
struct aead_testvec {
	const char *source;
	const char *key;
	const char *iv;
	const char *assoc;
	const char *ptext;
	const char *ctext;
	unsigned int authsize;	/* 0: the algorithm's maximum */
	int setkey_err;
	int setauthsize_err;
	int decrypt_err;	/* negative vector: decrypt(ctext) must return this */
};

/*
 * rng vectors are checked by a test function of the rng's own module; the
 * generic shape covers deterministic generators:
 *   reset(entropy || nonce || pers); generate(add_a) discarded;
 *   generate(add_b) == output
 */
struct rng_testvec {
	const char *source;
	const char *entropy;
	const char *nonce;
	const char *pers;
	const char *add_a;
	const char *add_b;
	const char *output;
};

struct alg_test_desc {
	const char *alg;	/* generic name, or driver name for a private test */
	/* custom test (e.g. health checks of a non-deterministic rng): 0 pass */
	int (*test)(struct crypto_alg *alg, char *msg, size_t msglen);
	struct {
		const struct cipher_testvec *cipher;
		const struct hash_testvec *hash;
		const struct aead_testvec *aead;
		const struct rng_testvec *rng;
		unsigned int count;
	} vecs;
};

#define TESTVECS(kind, arr) { .kind = (arr), .count = sizeof(arr) / sizeof((arr)[0]) }

/* Add a table of test descriptions (called from a CRYPTO_MODULE_VECTORS init). */
int crypto_register_tests(const struct alg_test_desc *descs, unsigned int n);
void crypto_unregister_tests(const struct alg_test_desc *descs);

/*
 * Run the self-test for alg. Returns 0 on pass, -ENOENT when no test exists
 * for its name (the algorithm then stays unselectable), another -errno on
 * failure with a reason in msg.
 */
int alg_test(struct crypto_alg *alg, char *msg, size_t msglen);

/* Parse hex (whitespace ignored) into buf; returns length or -EINVAL/-ENOSPC. */
int crypto_hex2bin(uint8_t *buf, size_t buflen, const char *hex);

#endif
