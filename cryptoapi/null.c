/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NULL algorithms (RFC 2410): "cipher_null" (a one-byte block cipher that
 * copies), "ecb(cipher_null)" (the skcipher XFRM's "cipher_null" maps to)
 * and "digest_null" (an empty digest). They exist so ESP with NULL
 * encryption and AH/ESP test setups take the ordinary transform paths.
 * RFC 2410 section 2: NULL has no key and no IV; a non-empty key is refused.
 */
#include <string.h>

#include "algapi.h"

/* ---- cipher_null ---- */

static int null_cipher_setkey(struct crypto_cipher *tfm, const uint8_t *key, unsigned int keylen)
{
	(void)tfm;
	(void)key;
	return keylen ? -EINVAL : 0;
}

static void null_cipher_crypt(struct crypto_cipher *tfm, uint8_t *dst, const uint8_t *src)
{
	(void)tfm;
	*dst = *src;
}

static struct cipher_alg null_cipher = {
	.min_keysize = 0,
	.max_keysize = 0,
	.setkey = null_cipher_setkey,
	.encrypt = null_cipher_crypt,
	.decrypt = null_cipher_crypt,
	.base = {
		.cra_name = "cipher_null",
		.cra_driver_name = "cipher_null-generic",
		.cra_module = "generic",
		.cra_priority = 100,
		.cra_blocksize = 1,
	},
};

/* ---- ecb(cipher_null) ---- */

static int null_skcipher_setkey(struct crypto_skcipher *tfm, const uint8_t *key,
				unsigned int keylen)
{
	(void)tfm;
	(void)key;
	return keylen ? -EINVAL : 0;
}

/* RFC 2410 section 2: the output is the input. Out of place, copy it. */
static int null_skcipher_crypt(struct skcipher_request *req)
{
	if (!xsg_same(req->src, req->dst) || req->src_off != req->dst_off)
		xsg_copy(req->dst, req->dst_off, req->src, req->src_off, req->cryptlen);
	return 0;
}

static struct skcipher_alg null_skcipher = {
	.min_keysize = 0,
	.max_keysize = 0,
	.ivsize = 0,
	.setkey = null_skcipher_setkey,
	.encrypt = null_skcipher_crypt,
	.decrypt = null_skcipher_crypt,
	.base = {
		.cra_name = "ecb(cipher_null)",
		.cra_driver_name = "ecb-cipher_null",
		.cra_module = "generic",
		.cra_priority = 100,
		.cra_blocksize = 1,
	},
};

/* ---- digest_null ---- */

static int null_digest_init(struct shash_desc *desc)
{
	(void)desc;
	return 0;
}

static int null_digest_update(struct shash_desc *desc, const uint8_t *data, size_t len)
{
	(void)desc;
	(void)data;
	(void)len;
	return 0;
}

static int null_digest_final(struct shash_desc *desc, uint8_t *out)
{
	(void)desc;
	(void)out;
	return 0;
}

static struct shash_alg null_digest = {
	.digestsize = 0,
	.descsize = 0,
	.init = null_digest_init,
	.update = null_digest_update,
	.final = null_digest_final,
	.base = {
		.cra_name = "digest_null",
		.cra_driver_name = "digest_null-generic",
		.cra_module = "generic",
		.cra_priority = 100,
		.cra_blocksize = 1,
	},
};

static int null_mod_init(void)
{
	int rc = crypto_register_cipher(&null_cipher);

	if (rc)
		return rc;
	rc = crypto_register_skcipher(&null_skcipher);
	if (rc)
		goto out_cipher;
	rc = crypto_register_shash(&null_digest);
	if (rc)
		goto out_skcipher;
	return 0;

out_skcipher:
	crypto_unregister_alg(&null_skcipher.base);
out_cipher:
	crypto_unregister_alg(&null_cipher.base);
	return rc;
}

static void null_mod_exit(void)
{
	crypto_unregister_alg(&null_digest.base);
	crypto_unregister_alg(&null_skcipher.base);
	crypto_unregister_alg(&null_cipher.base);
}

CRYPTO_MODULE(null_generic, CRYPTO_MODULE_PRIMITIVE, null_mod_init, null_mod_exit)
