/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * intel-ipsec-mb skciphers: cbc(aes), ctr(aes), rfc3686(ctr(aes)), one job
 * per contiguous run of the lists (xsg_walk), and the AES key schedule they
 * share with authenc().
 */
#include "ipsecmb.h"

int imb_aes_expand(struct imb_aes_key *k, const uint8_t *key, unsigned int keylen)
{
	IMB_MGR *m = imb_mgr();

	if (unlikely(!m))
		return -ENOMEM;
	switch (keylen) {
	case 16:
		IMB_AES_KEYEXP_128(m, key, k->enc, k->dec);
		break;
	case 24:
		IMB_AES_KEYEXP_192(m, key, k->enc, k->dec);
		break;
	case 32:
		IMB_AES_KEYEXP_256(m, key, k->enc, k->dec);
		break;
	default:
		return -EINVAL;
	}
	k->keylen = keylen;
	return 0;
}

struct imb_skcipher_ctx {
	struct imb_aes_key key;
	uint8_t nonce[4];	/* rfc3686 */
};

static int imb_aes_setkey(struct crypto_skcipher *tfm, const uint8_t *key, unsigned int keylen)
{
	struct imb_skcipher_ctx *ctx = crypto_skcipher_ctx(tfm);

	return imb_aes_expand(&ctx->key, key, keylen);
}

static int imb_rfc3686_setkey(struct crypto_skcipher *tfm, const uint8_t *key,
			      unsigned int keylen)
{
	struct imb_skcipher_ctx *ctx = crypto_skcipher_ctx(tfm);

	/* RFC 3686 5.1: the key material ends in a 4-byte nonce. */
	if (unlikely(keylen < 4))
		return -EINVAL;
	memcpy(ctx->nonce, key + keylen - 4, 4);
	return imb_aes_expand(&ctx->key, key, keylen - 4);
}

/* SP 800-38A 6.2: CBC; the IV becomes the last ciphertext block. */
static int imb_cbc_crypt(struct skcipher_request *req, bool enc)
{
	struct imb_skcipher_ctx *ctx = crypto_skcipher_ctx(req->tfm);
	IMB_MGR *m = imb_mgr();
	uint8_t iv[AES_BLOCK], next[AES_BLOCK];
	struct xsg_walk w;
	uint32_t n;
	int rc = 0;

	if (unlikely(req->cryptlen % AES_BLOCK))
		return -EINVAL;
	if (unlikely(!m))
		return -ENOMEM;
	memcpy(iv, req->iv, AES_BLOCK);
	xsg_walk_init(&w, req->dst, req->dst_off, req->src, req->src_off, req->cryptlen,
		      AES_BLOCK);
	while ((n = xsg_walk_next(&w)) != 0) {
		if (!enc)
			memcpy(next, w.src + n - AES_BLOCK, AES_BLOCK);
		rc = imb_cipher_job(m, &ctx->key, IMB_CIPHER_CBC, enc, w.dst, w.src, n, iv);
		if (unlikely(rc))
			break;
		memcpy(iv, enc ? w.dst + n - AES_BLOCK : next, AES_BLOCK);
		xsg_walk_done(&w);
	}
	if (likely(!rc))
		memcpy(req->iv, iv, AES_BLOCK);
	crypto_wipe(w.bounce, sizeof(w.bounce));
	return rc;
}

static int imb_cbc_encrypt(struct skcipher_request *req)
{
	return imb_cbc_crypt(req, true);
}

static int imb_cbc_decrypt(struct skcipher_request *req)
{
	return imb_cbc_crypt(req, false);
}

/* The counter block as one 128-bit big-endian integer, plus n. */
static void ctr_add(uint8_t *ctr, uint64_t n)
{
	for (int i = AES_BLOCK - 1; i >= 0 && n; i--) {
		n += ctr[i];
		ctr[i] = (uint8_t)n;
		n >>= 8;
	}
}

/*
 * XOR n bytes with the keystream from ctr, advancing ctr. The library counts
 * in the low 32 bits only, so a run is split where those bits wrap.
 */
static int imb_ctr_run(IMB_MGR *m, const struct imb_aes_key *k, uint8_t *dst,
		       const uint8_t *src, uint32_t n, uint8_t *ctr)
{
	while (n) {
		uint64_t before_wrap = (1ull << 32) - get_be32(ctr + 12);
		uint64_t blocks = ((uint64_t)n + AES_BLOCK - 1) / AES_BLOCK;
		uint32_t len = n;
		int rc;

		if (blocks > before_wrap) {
			blocks = before_wrap;
			len = (uint32_t)(blocks * AES_BLOCK);
		}
		rc = imb_cipher_job(m, k, IMB_CIPHER_CNTR, true, dst, src, len, ctr);
		if (unlikely(rc))
			return rc;
		ctr_add(ctr, blocks);
		dst += len;
		src += len;
		n -= len;
	}
	return 0;
}

static int imb_ctr_walk(struct skcipher_request *req, uint8_t *ctr)
{
	struct imb_skcipher_ctx *ctx = crypto_skcipher_ctx(req->tfm);
	IMB_MGR *m = imb_mgr();
	struct xsg_walk w;
	uint32_t n;
	int rc = 0;

	if (unlikely(!m))
		return -ENOMEM;
	xsg_walk_init(&w, req->dst, req->dst_off, req->src, req->src_off, req->cryptlen,
		      AES_BLOCK);
	while ((n = xsg_walk_next(&w)) != 0) {
		rc = imb_ctr_run(m, &ctx->key, w.dst, w.src, n, ctr);
		if (unlikely(rc))
			break;
		xsg_walk_done(&w);
	}
	crypto_wipe(w.bounce, sizeof(w.bounce));
	return rc;
}

/* SP 800-38A 6.5: the IV becomes the counter after the last (partial) block. */
static int imb_ctr_crypt(struct skcipher_request *req)
{
	uint8_t ctr[AES_BLOCK];
	int rc;

	memcpy(ctr, req->iv, AES_BLOCK);
	rc = imb_ctr_walk(req, ctr);
	if (likely(!rc))
		memcpy(req->iv, ctr, AES_BLOCK);
	return rc;
}

/* RFC 3686 4: counter block = nonce || IV || be32(1); the IV is not updated. */
static int imb_rfc3686_crypt(struct skcipher_request *req)
{
	struct imb_skcipher_ctx *ctx = crypto_skcipher_ctx(req->tfm);
	uint8_t ctr[AES_BLOCK];

	memcpy(ctr, ctx->nonce, 4);
	memcpy(ctr + 4, req->iv, 8);
	put_be32(ctr + 12, 1);
	return imb_ctr_walk(req, ctr);
}

#define IMB_SKCIPHER(name_, drv_, bs_, min_, max_, iv_, chunk_, setkey_, enc_, dec_) \
	{                                                                     \
		.min_keysize = (min_),                                        \
		.max_keysize = (max_),                                        \
		.ivsize = (iv_),                                              \
		.chunksize = (chunk_),                                        \
		.setkey = setkey_,                                            \
		.encrypt = enc_,                                              \
		.decrypt = dec_,                                              \
		.base = {                                                     \
			.cra_name = name_,                                    \
			.cra_driver_name = drv_,                              \
			.cra_module = IMB_MODULE,                             \
			.cra_priority = IMB_PRIORITY,                         \
			.cra_blocksize = (bs_),                               \
			.cra_ctxsize = sizeof(struct imb_skcipher_ctx),       \
		},                                                            \
	}

static struct skcipher_alg imb_skciphers[] = {
	IMB_SKCIPHER("cbc(aes)", "cbc-aes-ipsecmb", 16, 16, 32, 16, 16, imb_aes_setkey,
		     imb_cbc_encrypt, imb_cbc_decrypt),
	IMB_SKCIPHER("ctr(aes)", "ctr-aes-ipsecmb", 1, 16, 32, 16, 16, imb_aes_setkey,
		     imb_ctr_crypt, imb_ctr_crypt),
	IMB_SKCIPHER("rfc3686(ctr(aes))", "rfc3686-ctr-aes-ipsecmb", 1, 20, 36, 8, 16,
		     imb_rfc3686_setkey, imb_rfc3686_crypt, imb_rfc3686_crypt),
};

int imb_register_skciphers(void)
{
	return crypto_register_skciphers(imb_skciphers, ARRAY_LEN(imb_skciphers));
}

void imb_unregister_skciphers(void)
{
	crypto_unregister_skciphers(imb_skciphers, ARRAY_LEN(imb_skciphers));
}
