/* SPDX-License-Identifier: BSD-3-Clause */
/* Direct intel-ipsec-mb and OpenSSL EVP calls, the baseline of `xfrmgw-bench crypto`. */
#include <stdlib.h>
#include <string.h>

#include <intel-ipsec-mb.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "cryptoapi/algapi.h"
#include "crypto_raw.h"

enum raw_kind { RAW_GCM, RAW_GMAC, RAW_CHACHA, RAW_AUTHENC };

struct raw_ref {
	enum raw_kind kind;
	bool imb;
	unsigned int authsize;
	uint8_t salt[4];
	unsigned int aeskeylen;
	/* intel-ipsec-mb */
	IMB_MGR *mgr;
	struct gcm_key_data gkey __attribute__((aligned(64)));
	uint8_t ckey[32];
	/* OpenSSL */
	EVP_CIPHER_CTX *ctx;
	EVP_MAC_CTX *mac;
};

static int raw_kind_of(const char *alg, enum raw_kind *k)
{
	if (!strcmp(alg, "rfc4106(gcm(aes))"))
		*k = RAW_GCM;
	else if (!strcmp(alg, "rfc4543(gcm(aes))"))
		*k = RAW_GMAC;
	else if (!strcmp(alg, "rfc7539esp(chacha20,poly1305)"))
		*k = RAW_CHACHA;
	else if (!strncmp(alg, "authenc(hmac(", 13) && strstr(alg, "cbc(aes)"))
		*k = RAW_AUTHENC;
	else
		return -1;
	return 0;
}

static int raw_imb_init(struct raw_ref *r, const uint8_t *key)
{
	IMB_ARCH arch;

	r->mgr = alloc_mb_mgr(0);
	if (!r->mgr)
		return -1;
	init_mb_mgr_auto(r->mgr, &arch);
	if (r->kind == RAW_CHACHA) {
		memcpy(r->ckey, key, 32);
		return 0;
	}
	if (r->aeskeylen == 16)
		IMB_AES128_GCM_PRE(r->mgr, key, &r->gkey);
	else if (r->aeskeylen == 32)
		IMB_AES256_GCM_PRE(r->mgr, key, &r->gkey);
	else
		return -1;
	return 0;
}

static const EVP_CIPHER *raw_evp_cipher(const struct raw_ref *r)
{
	if (r->kind == RAW_CHACHA)
		return EVP_chacha20_poly1305();
	if (r->kind == RAW_AUTHENC)
		return r->aeskeylen == 16 ? EVP_aes_128_cbc() : r->aeskeylen == 24 ?
		       EVP_aes_192_cbc() : EVP_aes_256_cbc();
	return r->aeskeylen == 16 ? EVP_aes_128_gcm() : r->aeskeylen == 24 ?
	       EVP_aes_192_gcm() : EVP_aes_256_gcm();
}

static int raw_evp_init(struct raw_ref *r, const char *alg, const uint8_t *key, unsigned int keylen)
{
	struct authenc_keys k = { 0 };
	const uint8_t *ckey = key;

	if (r->kind == RAW_AUTHENC) {
		char md[16];
		const char *p = alg + strlen("authenc(hmac(");
		size_t n = strcspn(p, ")");
		OSSL_PARAM params[2];
		EVP_MAC *mac;

		if (crypto_authenc_extractkeys(&k, key, keylen) || n >= sizeof(md))
			return -1;
		memcpy(md, p, n);
		md[n] = '\0';
		mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
		r->mac = mac ? EVP_MAC_CTX_new(mac) : NULL;
		EVP_MAC_free(mac);
		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, md, 0);
		params[1] = OSSL_PARAM_construct_end();
		if (!r->mac || !EVP_MAC_init(r->mac, k.authkey, k.authkeylen, params))
			return -1;
		ckey = k.enckey;
		r->aeskeylen = k.enckeylen;
	}
	r->ctx = EVP_CIPHER_CTX_new();
	if (!r->ctx || !EVP_EncryptInit_ex(r->ctx, raw_evp_cipher(r), NULL, ckey, NULL))
		return -1;
	EVP_CIPHER_CTX_set_padding(r->ctx, 0);
	return 0;
}

struct raw_ref *raw_ref_new(const char *lib, const char *alg, const uint8_t *key,
			    unsigned int keylen, unsigned int authsize)
{
	struct raw_ref *r = calloc(1, sizeof(*r));
	int rc;

	if (!r || raw_kind_of(alg, &r->kind))
		goto fail;
	r->imb = !strcmp(lib, "ipsecmb");
	r->authsize = authsize;
	if (r->kind != RAW_AUTHENC) {
		if (keylen < 4)
			goto fail;
		memcpy(r->salt, key + keylen - 4, 4);
		r->aeskeylen = keylen - 4;
	}
	if (r->imb)
		rc = r->kind == RAW_AUTHENC ? -1 : raw_imb_init(r, key);
	else
		rc = raw_evp_init(r, alg, key, keylen);
	if (rc)
		goto fail;
	return r;
fail:
	raw_ref_free(r);
	return NULL;
}

static void raw_imb_encrypt(struct raw_ref *r, uint8_t *buf, uint32_t alen, uint32_t len,
			    const uint8_t *nonce)
{
	uint8_t *text = buf + alen, *tag = text + len;

	if (r->kind == RAW_CHACHA) {
		struct chacha20_poly1305_context_data ctx;

		IMB_CHACHA20_POLY1305_INIT(r->mgr, r->ckey, &ctx, nonce, buf, alen - 8);
		IMB_CHACHA20_POLY1305_ENC_UPDATE(r->mgr, r->ckey, &ctx, text, text, len);
		IMB_CHACHA20_POLY1305_ENC_FINALIZE(r->mgr, &ctx, tag, r->authsize);
		return;
	}
	{
		struct gcm_context_data ctx;
		/* RFC 4543 3.5: everything is AAD, nothing is encrypted. */
		uint64_t aadl = r->kind == RAW_GMAC ? alen + len : alen - 8;
		uint64_t tl = r->kind == RAW_GMAC ? 0 : len;

		if (r->aeskeylen == 16)
			IMB_AES128_GCM_ENC(r->mgr, &r->gkey, &ctx, text, text, tl, nonce, buf, aadl,
					   tag, r->authsize);
		else
			IMB_AES256_GCM_ENC(r->mgr, &r->gkey, &ctx, text, text, tl, nonce, buf, aadl,
					   tag, r->authsize);
	}
}

static void raw_evp_encrypt(struct raw_ref *r, uint8_t *buf, uint32_t alen, uint32_t len,
			    const uint8_t *nonce)
{
	uint8_t *text = buf + alen, *tag = text + len, full[64];
	int n;

	if (r->kind == RAW_AUTHENC) {
		size_t ml;

		EVP_EncryptInit_ex(r->ctx, NULL, NULL, NULL, nonce);
		EVP_EncryptUpdate(r->ctx, text, &n, text, (int)len);
		EVP_EncryptFinal_ex(r->ctx, text + n, &n);
		EVP_MAC_init(r->mac, NULL, 0, NULL);
		EVP_MAC_update(r->mac, buf, alen + len);
		EVP_MAC_final(r->mac, full, &ml, sizeof(full));
		memcpy(tag, full, r->authsize);
		return;
	}
	EVP_EncryptInit_ex(r->ctx, NULL, NULL, NULL, nonce);
	if (r->kind == RAW_GMAC) {
		EVP_EncryptUpdate(r->ctx, NULL, &n, buf, (int)(alen + len));
	} else {
		EVP_EncryptUpdate(r->ctx, NULL, &n, buf, (int)(alen - 8));
		EVP_EncryptUpdate(r->ctx, text, &n, text, (int)len);
	}
	EVP_EncryptFinal_ex(r->ctx, full, &n);
	EVP_CIPHER_CTX_ctrl(r->ctx, EVP_CTRL_AEAD_GET_TAG, (int)r->authsize, tag);
}

void raw_ref_encrypt(struct raw_ref *r, uint8_t *buf, uint32_t alen, uint32_t len,
		     const uint8_t *iv)
{
	uint8_t nonce[16];

	if (r->kind == RAW_AUTHENC) {
		memcpy(nonce, iv, 16);
	} else {
		/* RFC 4106 4 / RFC 7634 2: salt || explicit IV */
		memcpy(nonce, r->salt, 4);
		memcpy(nonce + 4, iv, 8);
	}
	if (r->imb)
		raw_imb_encrypt(r, buf, alen, len, nonce);
	else
		raw_evp_encrypt(r, buf, alen, len, nonce);
}

void raw_ref_free(struct raw_ref *r)
{
	if (!r)
		return;
	if (r->mgr)
		free_mb_mgr(r->mgr);
	EVP_CIPHER_CTX_free(r->ctx);
	EVP_MAC_CTX_free(r->mac);
	crypto_wipe(r, sizeof(*r));
	free(r);
}
