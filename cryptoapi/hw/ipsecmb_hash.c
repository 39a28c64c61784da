/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * intel-ipsec-mb shash drivers: hmac(sha1/224/256/384/512), xcbc(aes),
 * cmac(aes). digest() is one job; the streaming init/update/final calls
 * continue from pad states / subkeys precomputed at setkey with libcrypto's
 * block functions, because the library offers no incremental HMAC or CMAC.
 * The HMAC pad states serve authenc() too.
 */
#include "ipsecmb.h"

/* ---- HMAC pad states (RFC 2104 2) ---- */

#define SHA_GLUE(fn, CTX, INIT, UPDATE, FINAL)                                \
	static int fn##_ginit(void *c) { return INIT((CTX *)c); }             \
	static int fn##_gupdate(void *c, const void *p, size_t n) { return UPDATE((CTX *)c, p, n); } \
	static int fn##_gfinal(uint8_t *o, void *c) { return FINAL(o, (CTX *)c); }

SHA_GLUE(sha1, SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final)
SHA_GLUE(sha224, SHA256_CTX, SHA224_Init, SHA224_Update, SHA224_Final)
SHA_GLUE(sha256, SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final)
SHA_GLUE(sha384, SHA512_CTX, SHA384_Init, SHA384_Update, SHA384_Final)
SHA_GLUE(sha512, SHA512_CTX, SHA512_Init, SHA512_Update, SHA512_Final)

#define IMB_SHA_DESC(fn, ALG, CTX, ds, bs)                                    \
	{ .hmac_alg = ALG, .digestsize = ds, .blocksize = bs, .statesize = sizeof(CTX), \
	  .shani = bs == 64,                                                  \
	  .init = fn##_ginit, .update = fn##_gupdate, .final = fn##_gfinal }

static const struct imb_sha imb_shas[] = {
	[SHA1_I] = IMB_SHA_DESC(sha1, IMB_AUTH_HMAC_SHA_1, SHA_CTX, 20, 64),
	[SHA224_I] = IMB_SHA_DESC(sha224, IMB_AUTH_HMAC_SHA_224, SHA256_CTX, 28, 64),
	[SHA256_I] = IMB_SHA_DESC(sha256, IMB_AUTH_HMAC_SHA_256, SHA256_CTX, 32, 64),
	[SHA384_I] = IMB_SHA_DESC(sha384, IMB_AUTH_HMAC_SHA_384, SHA512_CTX, 48, 128),
	[SHA512_I] = IMB_SHA_DESC(sha512, IMB_AUTH_HMAC_SHA_512, SHA512_CTX, 64, 128),
};

static void imb_one_block(IMB_MGR *m, int idx, const uint8_t *blk, uint8_t *out)
{
	switch (idx) {
	case SHA1_I: IMB_SHA1_ONE_BLOCK(m, blk, out); break;
	case SHA224_I: IMB_SHA224_ONE_BLOCK(m, blk, out); break;
	case SHA256_I: IMB_SHA256_ONE_BLOCK(m, blk, out); break;
	case SHA384_I: IMB_SHA384_ONE_BLOCK(m, blk, out); break;
	default: IMB_SHA512_ONE_BLOCK(m, blk, out); break;
	}
}

/* Finish an inner state into the HMAC value (RFC 2104 2, step 5 onwards). */
static int imb_hmac_finish(const struct imb_hmac_key *k, union sha_state *st, uint8_t *out)
{
	const struct imb_sha *sha = k->sha;
	uint8_t inner[MAX_DIGEST];
	int ok;

	ok = sha->final(inner, st);
	*st = k->ostate;
	ok = ok && sha->update(st, inner, sha->digestsize) && sha->final(out, st);
	crypto_wipe(inner, sizeof(inner));
	crypto_wipe(st, sizeof(*st));
	return ok ? 0 : -EINVAL;
}

int imb_hmac_setkey_common(struct imb_hmac_key *k, int idx, const uint8_t *key,
				  unsigned int keylen)
{
	const struct imb_sha *sha = &imb_shas[idx];
	uint8_t blk[128], kh[MAX_DIGEST];
	IMB_MGR *m = imb_mgr();
	union sha_state st;
	int rc = -EINVAL;

	if (unlikely(!m))
		return -ENOMEM;
	k->sha = sha;
	/* RFC 2104 3: keys longer than a block are hashed first. */
	if (keylen > sha->blocksize) {
		if (!sha->init(&st) || !sha->update(&st, key, keylen) || !sha->final(kh, &st))
			goto out;
		key = kh;
		keylen = sha->digestsize;
	}
	for (int pad = 0; pad < 2; pad++) {
		union sha_state *s = pad ? &k->ostate : &k->istate;

		memset(blk, pad ? 0x5c : 0x36, sha->blocksize);
		for (unsigned int i = 0; i < keylen; i++)
			blk[i] ^= key[i];
		imb_one_block(m, idx, blk, pad ? k->opad : k->ipad);
		if (!sha->init(s) || !sha->update(s, blk, sha->blocksize))
			goto out;
	}
	st = k->istate;
	rc = imb_hmac_finish(k, &st, k->empty_mac);
out:
	crypto_wipe(blk, sizeof(blk));
	crypto_wipe(kh, sizeof(kh));
	crypto_wipe(&st, sizeof(st));
	return rc;
}

/* One HMAC job over len > 0 contiguous bytes; the full digest goes to out. */
static int imb_hmac_job(IMB_MGR *m, const struct imb_hmac_key *k, const uint8_t *p,
			uint32_t len, uint8_t *out)
{
	IMB_JOB *j = imb_job(m);

	j->hash_alg = k->sha->hmac_alg;
	j->src = p;
	j->msg_len_to_hash_in_bytes = len;
	j->auth_tag_output = out;
	j->auth_tag_output_len_in_bytes = k->sha->digestsize;
	j->u.HMAC._hashed_auth_key_xor_ipad = k->ipad;
	j->u.HMAC._hashed_auth_key_xor_opad = k->opad;
	return imb_run_job(m);
}

/* ---- hmac(sha*) shash ---- */

struct imb_hmac_tfm {
	struct imb_hmac_key k;
};

#define IMB_HMAC_SETKEY(fn, idx)                                              \
	static int fn(struct crypto_shash *tfm, const uint8_t *key, unsigned int keylen) \
	{                                                                     \
		struct imb_hmac_tfm *ctx = crypto_shash_ctx(tfm);             \
		return imb_hmac_setkey_common(&ctx->k, idx, key, keylen);     \
	}

IMB_HMAC_SETKEY(imb_hmac_sha1_setkey, SHA1_I)
IMB_HMAC_SETKEY(imb_hmac_sha224_setkey, SHA224_I)
IMB_HMAC_SETKEY(imb_hmac_sha256_setkey, SHA256_I)
IMB_HMAC_SETKEY(imb_hmac_sha384_setkey, SHA384_I)
IMB_HMAC_SETKEY(imb_hmac_sha512_setkey, SHA512_I)

static int imb_hmac_init(struct shash_desc *desc)
{
	const struct imb_hmac_tfm *ctx = crypto_shash_ctx(desc->tfm);
	union sha_state *st = shash_desc_ctx(desc);

	*st = ctx->k.istate;
	return 0;
}

static int imb_hmac_update(struct shash_desc *desc, const uint8_t *data, size_t len)
{
	const struct imb_hmac_tfm *ctx = crypto_shash_ctx(desc->tfm);

	return ctx->k.sha->update(shash_desc_ctx(desc), data, len) ? 0 : -EINVAL;
}

static int imb_hmac_final(struct shash_desc *desc, uint8_t *out)
{
	const struct imb_hmac_tfm *ctx = crypto_shash_ctx(desc->tfm);

	return imb_hmac_finish(&ctx->k, shash_desc_ctx(desc), out);
}

static int imb_hmac_digest(struct shash_desc *desc, const uint8_t *data, size_t len,
			   uint8_t *out)
{
	const struct imb_hmac_tfm *ctx = crypto_shash_ctx(desc->tfm);
	IMB_MGR *m;

	if (unlikely(len == 0)) {
		memcpy(out, ctx->k.empty_mac, ctx->k.sha->digestsize);
		return 0;
	}
	if (unlikely(len > UINT32_MAX / 2 || !(m = imb_mgr_sha(ctx->k.sha->shani))))
		return imb_hmac_init(desc) ?: imb_hmac_update(desc, data, len) ?:
		       imb_hmac_final(desc, out);
	return imb_hmac_job(m, &ctx->k, data, (uint32_t)len, out);
}

#define IMB_HMAC_ALG(name_, drv_, ds, bs, setkey_)                            \
	{                                                                     \
		.digestsize = (ds),                                           \
		.descsize = sizeof(union sha_state),                          \
		.min_keysize = 0,                                             \
		.max_keysize = 1024,                                          \
		.setkey = setkey_,                                            \
		.init = imb_hmac_init,                                        \
		.update = imb_hmac_update,                                    \
		.final = imb_hmac_final,                                      \
		.digest = imb_hmac_digest,                                    \
		.base = {                                                     \
			.cra_name = name_,                                    \
			.cra_driver_name = drv_,                              \
			.cra_module = IMB_MODULE,                             \
			.cra_priority = IMB_PRIORITY,                         \
			.cra_blocksize = (bs),                                \
			.cra_ctxsize = sizeof(struct imb_hmac_tfm),           \
		},                                                            \
	}

/* ---- xcbc(aes) (RFC 3566) and cmac(aes) (SP 800-38B) shash ---- */

struct imb_mac_tfm {
	/* jobs */
	uint8_t k1_exp[16 * 15] __attribute__((aligned(16)));	/* xcbc K1 / cmac key */
	uint8_t sk1[AES_BLOCK] __attribute__((aligned(16)));	/* xcbc K2 / cmac K1 */
	uint8_t sk2[AES_BLOCK] __attribute__((aligned(16)));	/* xcbc K3 / cmac K2 */
	uint32_t keylen;
	bool xcbc;
	/* streaming */
	AES_KEY aes;
};

struct imb_mac_state {
	uint8_t x[AES_BLOCK];	/* running CBC-MAC */
	uint8_t buf[AES_BLOCK];	/* last, possibly complete, block */
	uint32_t buflen;
};

/* SP 800-38B 6.1: multiply by x in GF(2^128). */
static void gf128_dbl(uint8_t *out, const uint8_t *in)
{
	uint8_t carry = in[0] >> 7;

	for (int i = 0; i < AES_BLOCK - 1; i++)
		out[i] = (uint8_t)(in[i] << 1 | in[i + 1] >> 7);
	out[AES_BLOCK - 1] = (uint8_t)(in[AES_BLOCK - 1] << 1) ^ (carry ? 0x87 : 0);
}

static int imb_xcbc_setkey(struct crypto_shash *tfm, const uint8_t *key, unsigned int keylen)
{
	struct imb_mac_tfm *ctx = crypto_shash_ctx(tfm);
	IMB_MGR *m = imb_mgr();
	uint8_t k1[AES_BLOCK], c[AES_BLOCK];
	AES_KEY kk;

	if (unlikely(keylen != 16))
		return -EINVAL;
	if (unlikely(!m))
		return -ENOMEM;
	ctx->xcbc = true;
	ctx->keylen = 16;
	IMB_AES_XCBC_KEYEXP(m, key, ctx->k1_exp, ctx->sk1, ctx->sk2);
	/* RFC 3566 4: K1 = E(K, 0x01..), used for the streaming path. */
	AES_set_encrypt_key(key, 128, &kk);
	memset(c, 0x01, sizeof(c));
	AES_encrypt(c, k1, &kk);
	AES_set_encrypt_key(k1, 128, &ctx->aes);
	crypto_wipe(&kk, sizeof(kk));
	crypto_wipe(k1, sizeof(k1));
	return 0;
}

static int imb_cmac_setkey(struct crypto_shash *tfm, const uint8_t *key, unsigned int keylen)
{
	struct imb_mac_tfm *ctx = crypto_shash_ctx(tfm);
	uint8_t l[AES_BLOCK] = { 0 };
	struct imb_aes_key k;
	int rc = 0;

	if (unlikely(keylen != 16 && keylen != 24 && keylen != 32))
		return -EINVAL;
	ctx->xcbc = false;
	ctx->keylen = keylen;
	if (AES_set_encrypt_key(key, (int)keylen * 8, &ctx->aes))
		return -EINVAL;
	/* SP 800-38B 6.1: K1 = dbl(E(K, 0)), K2 = dbl(K1). */
	AES_encrypt(l, l, &ctx->aes);
	gf128_dbl(ctx->sk1, l);
	gf128_dbl(ctx->sk2, ctx->sk1);
	crypto_wipe(l, sizeof(l));
	/* The library has CMAC jobs for AES-128 and AES-256 only. */
	if (keylen != 24) {
		rc = imb_aes_expand(&k, key, keylen);
		memcpy(ctx->k1_exp, k.enc, sizeof(ctx->k1_exp));
		crypto_wipe(&k, sizeof(k));
	}
	return rc;
}

static int imb_mac_init(struct shash_desc *desc)
{
	memset(shash_desc_ctx(desc), 0, sizeof(struct imb_mac_state));
	return 0;
}

static int imb_mac_update(struct shash_desc *desc, const uint8_t *p, size_t len)
{
	const struct imb_mac_tfm *ctx = crypto_shash_ctx(desc->tfm);
	struct imb_mac_state *s = shash_desc_ctx(desc);

	while (len) {
		uint32_t n;

		/* Keep the last block back: final() treats it specially. */
		if (s->buflen == AES_BLOCK) {
			crypto_xor(s->x, s->buf, AES_BLOCK);
			AES_encrypt(s->x, s->x, &ctx->aes);
			s->buflen = 0;
		}
		n = AES_BLOCK - s->buflen;
		if (n > len)
			n = (uint32_t)len;
		memcpy(s->buf + s->buflen, p, n);
		s->buflen += n;
		p += n;
		len -= n;
	}
	return 0;
}

static int imb_mac_final(struct shash_desc *desc, uint8_t *out)
{
	const struct imb_mac_tfm *ctx = crypto_shash_ctx(desc->tfm);
	struct imb_mac_state *s = shash_desc_ctx(desc);

	/* RFC 3566 4 (c)/(d), SP 800-38B 6.2: complete block or 10* padding. */
	if (s->buflen == AES_BLOCK) {
		crypto_xor(s->buf, ctx->sk1, AES_BLOCK);
	} else {
		memset(s->buf + s->buflen, 0, AES_BLOCK - s->buflen);
		s->buf[s->buflen] = 0x80;
		crypto_xor(s->buf, ctx->sk2, AES_BLOCK);
	}
	crypto_xor(s->x, s->buf, AES_BLOCK);
	AES_encrypt(s->x, out, &ctx->aes);
	crypto_wipe(s, sizeof(*s));
	return 0;
}

/*
 * RFC 3566 4 as CBC jobs (the library's XCBC job yields 96-bit tags only):
 * CBC-MAC of all blocks but the last under K1 (ciphertext into the bounce
 * buffer), then the last block XOR K2/K3 encrypted with that chaining value.
 */
static int imb_xcbc_digest(IMB_MGR *m, const struct imb_mac_tfm *ctx, const uint8_t *p,
			   uint32_t len, uint8_t *out)
{
	static const uint8_t zero_iv[AES_BLOCK];
	uint32_t head = (len - 1) / AES_BLOCK * AES_BLOCK, tail = len - head;
	struct imb_aes_key k;
	const uint8_t *iv = zero_iv;
	uint8_t last[AES_BLOCK];
	int rc = 0;

	memcpy(k.enc, ctx->k1_exp, sizeof(k.enc));
	k.keylen = 16;
	memcpy(k.dec, ctx->k1_exp, sizeof(k.dec));
	if (head) {
		uint8_t *scratch = imb_bounce(head);

		if (unlikely(!scratch)) {
			rc = -EMSGSIZE;
			goto out;
		}
		rc = imb_cipher_job(m, &k, IMB_CIPHER_CBC, true, scratch, p, head, zero_iv);
		if (unlikely(rc))
			goto out;
		iv = scratch + head - AES_BLOCK;
	}
	memset(last, 0, sizeof(last));
	memcpy(last, p + head, tail);
	if (tail == AES_BLOCK) {
		crypto_xor(last, ctx->sk1, AES_BLOCK);
	} else {
		last[tail] = 0x80;
		crypto_xor(last, ctx->sk2, AES_BLOCK);
	}
	rc = imb_cipher_job(m, &k, IMB_CIPHER_CBC, true, out, last, AES_BLOCK, iv);
out:
	crypto_wipe(&k, sizeof(k));
	crypto_wipe(last, sizeof(last));
	return rc;
}

static int imb_mac_digest(struct shash_desc *desc, const uint8_t *p, size_t len, uint8_t *out)
{
	const struct imb_mac_tfm *ctx = crypto_shash_ctx(desc->tfm);
	IMB_MGR *m;
	IMB_JOB *j;

	if (len == 0 || len > UINT32_MAX / 16 || ctx->keylen == 24 || !(m = imb_mgr()))
		return imb_mac_init(desc) ?: imb_mac_update(desc, p, len) ?:
		       imb_mac_final(desc, out);
	if (ctx->xcbc)
		return imb_xcbc_digest(m, ctx, p, (uint32_t)len, out);
	/* SP 800-38B: one CMAC job (AES-128 or AES-256). */
	j = imb_job(m);
	j->src = p;
	j->msg_len_to_hash_in_bytes = len;
	j->auth_tag_output = out;
	j->auth_tag_output_len_in_bytes = AES_BLOCK;
	j->hash_alg = ctx->keylen == 16 ? IMB_AUTH_AES_CMAC : IMB_AUTH_AES_CMAC_256;
	j->u.CMAC._key_expanded = ctx->k1_exp;
	j->u.CMAC._skey1 = ctx->sk1;
	j->u.CMAC._skey2 = ctx->sk2;
	return imb_run_job(m);
}

#define IMB_MAC_ALG(name_, drv_, min_, max_, setkey_)                         \
	{                                                                     \
		.digestsize = AES_BLOCK,                                      \
		.descsize = sizeof(struct imb_mac_state),                     \
		.min_keysize = (min_),                                        \
		.max_keysize = (max_),                                        \
		.setkey = setkey_,                                            \
		.init = imb_mac_init,                                         \
		.update = imb_mac_update,                                     \
		.final = imb_mac_final,                                       \
		.digest = imb_mac_digest,                                     \
		.base = {                                                     \
			.cra_name = name_,                                    \
			.cra_driver_name = drv_,                              \
			.cra_module = IMB_MODULE,                             \
			.cra_priority = IMB_PRIORITY,                         \
			.cra_blocksize = AES_BLOCK,                           \
			.cra_ctxsize = sizeof(struct imb_mac_tfm),            \
		},                                                            \
	}

static struct shash_alg imb_shashes[] = {
	IMB_HMAC_ALG("hmac(sha1)", "hmac-sha1-ipsecmb", 20, 64, imb_hmac_sha1_setkey),
	IMB_HMAC_ALG("hmac(sha224)", "hmac-sha224-ipsecmb", 28, 64, imb_hmac_sha224_setkey),
	IMB_HMAC_ALG("hmac(sha256)", "hmac-sha256-ipsecmb", 32, 64, imb_hmac_sha256_setkey),
	IMB_HMAC_ALG("hmac(sha384)", "hmac-sha384-ipsecmb", 48, 128, imb_hmac_sha384_setkey),
	IMB_HMAC_ALG("hmac(sha512)", "hmac-sha512-ipsecmb", 64, 128, imb_hmac_sha512_setkey),
	IMB_MAC_ALG("xcbc(aes)", "xcbc-aes-ipsecmb", 16, 16, imb_xcbc_setkey),
	IMB_MAC_ALG("cmac(aes)", "cmac-aes-ipsecmb", 16, 32, imb_cmac_setkey),
};

int imb_register_shashes(void)
{
	return crypto_register_shashes(imb_shashes, ARRAY_LEN(imb_shashes));
}

void imb_unregister_shashes(void)
{
	crypto_unregister_shashes(imb_shashes, ARRAY_LEN(imb_shashes));
}
