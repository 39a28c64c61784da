/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SHA-1 and SHA-2 digests (FIPS 180-4), "sha*-generic": the compression
 * functions come from OpenSSL libcrypto's low-level SHA calls. The states
 * are plain structs, so hmac() can copy precomputed pad states.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include "algapi.h"

#define SHA_OPS(fn, CTX, INIT, UPDATE, FINAL)                                 \
	static int fn##_init(struct shash_desc *d)                            \
	{                                                                     \
		return INIT((CTX *)shash_desc_ctx(d)) == 1 ? 0 : -EINVAL;     \
	}                                                                     \
	static int fn##_update(struct shash_desc *d, const uint8_t *p, size_t n) \
	{                                                                     \
		return UPDATE((CTX *)shash_desc_ctx(d), p, n) == 1 ? 0 : -EINVAL; \
	}                                                                     \
	static int fn##_final(struct shash_desc *d, uint8_t *out)             \
	{                                                                     \
		return FINAL(out, (CTX *)shash_desc_ctx(d)) == 1 ? 0 : -EINVAL; \
	}

SHA_OPS(sha1, SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final)
SHA_OPS(sha224, SHA256_CTX, SHA224_Init, SHA224_Update, SHA224_Final)
SHA_OPS(sha256, SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final)
SHA_OPS(sha384, SHA512_CTX, SHA384_Init, SHA384_Update, SHA384_Final)
SHA_OPS(sha512, SHA512_CTX, SHA512_Init, SHA512_Update, SHA512_Final)

#define SHA_ALG(fn, name, CTX, dsize, bsize)                                  \
	{                                                                     \
		.digestsize = (dsize),                                        \
		.descsize = sizeof(CTX),                                      \
		.init = fn##_init,                                            \
		.update = fn##_update,                                        \
		.final = fn##_final,                                          \
		.base = {                                                     \
			.cra_name = name,                                     \
			.cra_driver_name = name "-generic",                   \
			.cra_module = "generic",                              \
			.cra_priority = 100,                                  \
			.cra_blocksize = (bsize),                             \
		},                                                            \
	}

static struct shash_alg sha_algs[] = {
	SHA_ALG(sha1, "sha1", SHA_CTX, 20, 64),
	SHA_ALG(sha224, "sha224", SHA256_CTX, 28, 64),
	SHA_ALG(sha256, "sha256", SHA256_CTX, 32, 64),
	SHA_ALG(sha384, "sha384", SHA512_CTX, 48, 128),
	SHA_ALG(sha512, "sha512", SHA512_CTX, 64, 128),
};

static int sha_mod_init(void)
{
	return crypto_register_shashes(sha_algs, sizeof(sha_algs) / sizeof(sha_algs[0]));
}

static void sha_mod_exit(void)
{
	crypto_unregister_shashes(sha_algs, sizeof(sha_algs) / sizeof(sha_algs[0]));
}

CRYPTO_MODULE(sha_generic, CRYPTO_MODULE_PRIMITIVE, sha_mod_init, sha_mod_exit)
