/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AES block cipher (FIPS 197), "aes-generic": the block primitive comes from
 * OpenSSL libcrypto's AES_* calls; modes are built by our templates.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/aes.h>

#include "algapi.h"

struct aes_ctx {
	AES_KEY enc;
	AES_KEY dec;
};

static int aes_setkey(struct crypto_cipher *tfm, const uint8_t *key, unsigned int keylen)
{
	struct aes_ctx *ctx = crypto_cipher_ctx(tfm);

	if (keylen != 16 && keylen != 24 && keylen != 32)
		return -EINVAL;
	if (AES_set_encrypt_key(key, (int)keylen * 8, &ctx->enc) ||
	    AES_set_decrypt_key(key, (int)keylen * 8, &ctx->dec))
		return -EINVAL;
	return 0;
}

static void aes_encrypt(struct crypto_cipher *tfm, uint8_t *dst, const uint8_t *src)
{
	struct aes_ctx *ctx = crypto_cipher_ctx(tfm);

	AES_encrypt(src, dst, &ctx->enc);
}

static void aes_decrypt(struct crypto_cipher *tfm, uint8_t *dst, const uint8_t *src)
{
	struct aes_ctx *ctx = crypto_cipher_ctx(tfm);

	AES_decrypt(src, dst, &ctx->dec);
}

static struct cipher_alg aes_alg = {
	.min_keysize = 16,
	.max_keysize = 32,
	.setkey = aes_setkey,
	.encrypt = aes_encrypt,
	.decrypt = aes_decrypt,
	.base = {
		.cra_name = "aes",
		.cra_driver_name = "aes-generic",
		.cra_module = "generic",
		.cra_priority = 100,
		.cra_blocksize = 16,
		.cra_ctxsize = sizeof(struct aes_ctx),
	},
};

static int aes_mod_init(void)
{
	return crypto_register_cipher(&aes_alg);
}

static void aes_mod_exit(void)
{
	crypto_unregister_alg(&aes_alg.base);
}

CRYPTO_MODULE(aes_generic, CRYPTO_MODULE_PRIMITIVE, aes_mod_init, aes_mod_exit)
