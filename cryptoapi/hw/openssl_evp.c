/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenSSL 3 EVP drivers ("*-openssl", module "openssl").
 *
 * EVP_CIPHER_CTX and EVP_MAC_CTX are stateful, so a transform cannot share
 * one between threads. Each thread takes a small slot number (0..EVP_SLOTS-1)
 * on its first operation and gives it back when it exits; a transform keeps
 * one lazily created, already keyed context per slot and direction. After
 * that warm-up an operation allocates nothing: it only sets the IV and runs.
 * A thread beyond EVP_SLOTS gets no slot and pays a context allocation per
 * operation (correct, slower). setkey drops the per-slot contexts (setkey
 * must not race with use, as for every transform).
 *
 * Scatter-gather: the EVP update calls take the lists run by run (xsg_walk),
 * so chains need no copy. HMAC's streaming init/update/final continue from
 * pad states precomputed with libcrypto's SHA calls; digest() is one EVP_MAC
 * pass over the slot's keyed context.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "cryptoapi/algapi.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define EVP_PRIORITY 200
#define EVP_MODULE "openssl"
#define EVP_SLOTS 64
#define AES_BLOCK 16
#define ESP_SALT_SIZE 4
#define ESP_IV_SIZE 8
#define MAX_DIGEST 64
#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- thread slots ---- */

static __thread int evp_slot_id = -1;
static uint64_t evp_slot_map;
static pthread_mutex_t evp_slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t evp_slot_key;
static pthread_once_t evp_slot_once = PTHREAD_ONCE_INIT;

static void evp_slot_release(void *v)
{
	int slot = (int)(intptr_t)v - 1;

	pthread_mutex_lock(&evp_slot_lock);
	evp_slot_map &= ~(1ull << slot);
	pthread_mutex_unlock(&evp_slot_lock);
}

static void evp_slot_key_create(void)
{
	pthread_key_create(&evp_slot_key, evp_slot_release);
}

/* This thread's slot, or -1 when all are taken. */
static inline int evp_slot(void)
{
	int slot = evp_slot_id;

	if (likely(slot >= 0))
		return slot;
	pthread_once(&evp_slot_once, evp_slot_key_create);
	pthread_mutex_lock(&evp_slot_lock);
	if (~evp_slot_map) {
		slot = __builtin_ctzll(~evp_slot_map);
		evp_slot_map |= 1ull << slot;
	}
	pthread_mutex_unlock(&evp_slot_lock);
	if (slot >= 0) {
		pthread_setspecific(evp_slot_key, (void *)(intptr_t)(slot + 1));
		evp_slot_id = slot;
	}
	return slot;
}

/* ---- ciphers: per-slot keyed contexts ---- */

enum evp_kind { K_CBC, K_CTR, K_RFC3686, K_GCM, K_RFC4106, K_RFC4543, K_CHACHAPOLY,
		K_RFC7539ESP, K_NKINDS };

/* Fetched at load: [kind][key size index 0/1/2 = 128/192/256]. */
static EVP_CIPHER *evp_ciphers[K_NKINDS][3];

struct evp_ctx {
	const EVP_CIPHER *cipher;
	EVP_CIPHER_CTX *slot[2][EVP_SLOTS];	/* [decrypt][slot] */
	uint8_t key[32];
	uint32_t keylen;
	uint8_t salt[ESP_SALT_SIZE];	/* rfc3686 nonce, rfc4106/4543/7539esp salt */
	enum evp_kind kind;
};

static void evp_drop_slots(struct evp_ctx *ctx)
{
	for (int d = 0; d < 2; d++)
		for (int i = 0; i < EVP_SLOTS; i++) {
			EVP_CIPHER_CTX_free(ctx->slot[d][i]);
			ctx->slot[d][i] = NULL;
		}
}

static EVP_CIPHER_CTX *evp_new_ctx(const struct evp_ctx *ctx, bool enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	if (!c)
		return NULL;
	if (EVP_CipherInit_ex2(c, ctx->cipher, ctx->key, NULL, enc, NULL) != 1) {
		EVP_CIPHER_CTX_free(c);
		return NULL;
	}
	EVP_CIPHER_CTX_set_padding(c, 0);
	return c;
}

/* The calling thread's keyed context; *tmp is set when it must be freed. */
static EVP_CIPHER_CTX *evp_get(struct evp_ctx *ctx, bool enc, bool *tmp)
{
	int slot = evp_slot();
	EVP_CIPHER_CTX *c;

	*tmp = slot < 0;
	if (unlikely(slot < 0))
		return evp_new_ctx(ctx, enc);
	c = ctx->slot[!enc][slot];
	if (unlikely(!c))
		c = ctx->slot[!enc][slot] = evp_new_ctx(ctx, enc);
	return c;
}

static void evp_put(EVP_CIPHER_CTX *c, bool tmp)
{
	if (unlikely(tmp))
		EVP_CIPHER_CTX_free(c);
}

static int evp_setkey_kind(struct evp_ctx *ctx, enum evp_kind kind, const uint8_t *key,
			   unsigned int keylen)
{
	int idx;

	/* The salt / nonce (RFC 3686 5.1, RFC 4106 8.1, RFC 7634 2) ends the key. */
	if (kind == K_RFC3686 || kind == K_RFC4106 || kind == K_RFC4543 || kind == K_RFC7539ESP) {
		if (unlikely(keylen < ESP_SALT_SIZE))
			return -EINVAL;
		keylen -= ESP_SALT_SIZE;
		memcpy(ctx->salt, key + keylen, ESP_SALT_SIZE);
	}
	if (kind == K_CHACHAPOLY || kind == K_RFC7539ESP)
		idx = keylen == 32 ? 0 : -1;
	else
		idx = keylen == 16 ? 0 : keylen == 24 ? 1 : keylen == 32 ? 2 : -1;
	if (unlikely(idx < 0 || !evp_ciphers[kind][idx]))
		return -EINVAL;
	evp_drop_slots(ctx);
	ctx->kind = kind;
	ctx->cipher = evp_ciphers[kind][idx];
	memcpy(ctx->key, key, keylen);
	ctx->keylen = keylen;
	return 0;
}

/* Run the EVP update over [soff, +len) of src into [doff, +len) of dst. */
static int evp_walk(EVP_CIPHER_CTX *c, const struct xsg *dst, uint32_t doff,
		    const struct xsg *src, uint32_t soff, uint32_t len, uint32_t bsize)
{
	struct xsg_walk w;
	uint32_t n;
	int outl, rc = 0;

	xsg_walk_init(&w, dst, doff, src, soff, len, bsize);
	while ((n = xsg_walk_next(&w)) != 0) {
		if (unlikely(EVP_CipherUpdate(c, w.dst, &outl, w.src, (int)n) != 1 ||
			     (uint32_t)outl != n)) {
			rc = -EINVAL;
			break;
		}
		xsg_walk_done(&w);
	}
	crypto_wipe(w.bounce, sizeof(w.bounce));
	return rc;
}

/* ---- cbc(aes), ctr(aes), rfc3686(ctr(aes)) ---- */

#define EVP_SK_SETKEY(fn, kind)                                               \
	static int fn(struct crypto_skcipher *tfm, const uint8_t *key, unsigned int keylen) \
	{                                                                     \
		return evp_setkey_kind(crypto_skcipher_ctx(tfm), kind, key, keylen); \
	}

EVP_SK_SETKEY(evp_cbc_setkey, K_CBC)
EVP_SK_SETKEY(evp_ctr_setkey, K_CTR)
EVP_SK_SETKEY(evp_rfc3686_setkey, K_RFC3686)

static void evp_skcipher_exit(struct crypto_skcipher *tfm)
{
	evp_drop_slots(crypto_skcipher_ctx(tfm));
}

/* The 128-bit big-endian counter plus n (SP 800-38A B.1). */
static void ctr_add(uint8_t *ctr, uint64_t n)
{
	for (int i = AES_BLOCK - 1; i >= 0 && n; i--) {
		n += ctr[i];
		ctr[i] = (uint8_t)n;
		n >>= 8;
	}
}

static int evp_skcipher_crypt(struct skcipher_request *req, bool enc)
{
	struct evp_ctx *ctx = crypto_skcipher_ctx(req->tfm);
	uint8_t iv[AES_BLOCK], next[AES_BLOCK];
	uint32_t len = req->cryptlen;
	EVP_CIPHER_CTX *c;
	bool tmp;
	int rc;

	if (ctx->kind == K_CBC && unlikely(len % AES_BLOCK))
		return -EINVAL;
	if (ctx->kind == K_RFC3686) {
		/* RFC 3686 4: nonce || IV || be32(1); CTR mode always encrypts. */
		memcpy(iv, ctx->salt, 4);
		memcpy(iv + 4, req->iv, 8);
		put_be32(iv + 12, 1);
	} else {
		memcpy(iv, req->iv, AES_BLOCK);
	}
	if (ctx->kind != K_CBC)
		enc = true;
	if (unlikely(len == 0))
		return 0;
	c = evp_get(ctx, enc, &tmp);
	if (unlikely(!c))
		return -ENOMEM;
	if (ctx->kind == K_CBC && !enc)
		xsg_copy_to_buf(next, req->src, req->src_off + len - AES_BLOCK, AES_BLOCK);
	rc = EVP_CipherInit_ex2(c, NULL, NULL, iv, -1, NULL) == 1 ? 0 : -EINVAL;
	if (likely(!rc))
		rc = evp_walk(c, req->dst, req->dst_off, req->src, req->src_off, len, AES_BLOCK);
	evp_put(c, tmp);
	if (unlikely(rc))
		return rc;
	/* Chaining value for the next request (SP 800-38A 6.2, 6.5). */
	if (ctx->kind == K_CBC && enc)
		xsg_copy_to_buf(req->iv, req->dst, req->dst_off + len - AES_BLOCK, AES_BLOCK);
	else if (ctx->kind == K_CBC)
		memcpy(req->iv, next, AES_BLOCK);
	else if (ctx->kind == K_CTR)
		ctr_add(req->iv, (len + AES_BLOCK - 1) / AES_BLOCK);
	return 0;
}

static int evp_skcipher_encrypt(struct skcipher_request *req)
{
	return evp_skcipher_crypt(req, true);
}

static int evp_skcipher_decrypt(struct skcipher_request *req)
{
	return evp_skcipher_crypt(req, false);
}

#define EVP_SKCIPHER(name_, drv_, bs_, min_, max_, iv_, setkey_)              \
	{                                                                     \
		.min_keysize = (min_),                                        \
		.max_keysize = (max_),                                        \
		.ivsize = (iv_),                                              \
		.chunksize = AES_BLOCK,                                       \
		.exit = evp_skcipher_exit,                                    \
		.setkey = setkey_,                                            \
		.encrypt = evp_skcipher_encrypt,                              \
		.decrypt = evp_skcipher_decrypt,                              \
		.base = {                                                     \
			.cra_name = name_,                                    \
			.cra_driver_name = drv_,                              \
			.cra_module = EVP_MODULE,                             \
			.cra_priority = EVP_PRIORITY,                         \
			.cra_blocksize = (bs_),                               \
			.cra_ctxsize = sizeof(struct evp_ctx),                \
		},                                                            \
	}

static struct skcipher_alg evp_skciphers[] = {
	EVP_SKCIPHER("cbc(aes)", "cbc-aes-openssl", 16, 16, 32, 16, evp_cbc_setkey),
	EVP_SKCIPHER("ctr(aes)", "ctr-aes-openssl", 1, 16, 32, 16, evp_ctr_setkey),
	EVP_SKCIPHER("rfc3686(ctr(aes))", "rfc3686-ctr-aes-openssl", 1, 20, 36, 8,
		     evp_rfc3686_setkey),
};

/* ---- gcm(aes), rfc4106, rfc4543, rfc7539, rfc7539esp ---- */

#define EVP_AEAD_SETKEY(fn, kind)                                             \
	static int fn(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen) \
	{                                                                     \
		return evp_setkey_kind(crypto_aead_ctx(tfm), kind, key, keylen); \
	}

EVP_AEAD_SETKEY(evp_gcm_setkey, K_GCM)
EVP_AEAD_SETKEY(evp_rfc4106_setkey, K_RFC4106)
EVP_AEAD_SETKEY(evp_rfc4543_setkey, K_RFC4543)
EVP_AEAD_SETKEY(evp_rfc7539_setkey, K_CHACHAPOLY)
EVP_AEAD_SETKEY(evp_rfc7539esp_setkey, K_RFC7539ESP)

static void evp_aead_exit(struct crypto_aead *tfm)
{
	evp_drop_slots(crypto_aead_ctx(tfm));
}

/* SP 800-38D 5.2.1.2 */
static int evp_gcm_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == 4 || authsize == 8 || (authsize >= 12 && authsize <= 16) ? 0 : -EINVAL;
}

/* RFC 4106 5 */
static int evp_rfc4106_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == 8 || authsize == 12 || authsize == 16 ? 0 : -EINVAL;
}

/* RFC 4543 3.3, RFC 8439 2.8: 16 bytes */
static int evp_tag16_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == 16 ? 0 : -EINVAL;
}

/* Feed [off, +len) of a list as associated data. */
static int evp_aad(EVP_CIPHER_CTX *c, const struct xsg *sg, uint32_t off, uint32_t len)
{
	struct xsg_iter it;
	uint8_t *p;
	uint32_t n;
	int outl;

	xsg_iter_init(&it, sg, off, len);
	while ((n = xsg_iter_next(&it, &p, INT32_MAX)) != 0)
		if (unlikely(EVP_CipherUpdate(c, NULL, &outl, p, (int)n) != 1))
			return -EINVAL;
	return 0;
}

static void xsg_zero(const struct xsg *sg, uint32_t off, uint32_t len)
{
	struct xsg_iter it;
	uint8_t *p;
	uint32_t n;

	xsg_iter_init(&it, sg, off, len);
	while ((n = xsg_iter_next(&it, &p, UINT32_MAX)) != 0)
		crypto_wipe(p, n);
}

static int evp_aead_run(struct aead_request *req, struct evp_ctx *ctx, EVP_CIPHER_CTX *c,
			bool enc, uint32_t textlen)
{
	uint32_t authsize = req->tfm->authsize, aadlen = req->assoclen;
	uint32_t toff = req->assoclen;
	uint8_t nonce[12], tag[16], fin[16];
	int outl, rc;

	switch (ctx->kind) {
	case K_GCM:
	case K_CHACHAPOLY:
		memcpy(nonce, req->iv, 12);
		break;
	default:
		/* RFC 4106 4, RFC 4543 3.1, RFC 7634 2: salt || explicit IV, and
		 * the explicit IV ends the associated data. */
		if (unlikely(req->assoclen < ESP_IV_SIZE))
			return -EINVAL;
		memcpy(nonce, ctx->salt, ESP_SALT_SIZE);
		memcpy(nonce + ESP_SALT_SIZE, req->iv, ESP_IV_SIZE);
		if (ctx->kind != K_RFC4543)
			aadlen -= ESP_IV_SIZE;
	}
	if (EVP_CipherInit_ex2(c, NULL, NULL, nonce, -1, NULL) != 1)
		return -EINVAL;
	if (!enc) {
		xsg_copy_to_buf(tag, req->src, req->src_off + toff + textlen, authsize);
		if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)authsize, tag) != 1)
			return -EINVAL;
	}
	aead_copy_assoc(req);
	if (ctx->kind == K_RFC4543) {
		/* RFC 4543 3: everything is authenticated, nothing encrypted. */
		rc = evp_aad(c, req->src, req->src_off, aadlen + textlen);
		if (!rc && textlen)
			xsg_copy(req->dst, req->dst_off + toff, req->src, req->src_off + toff,
				 textlen);
	} else {
		rc = evp_aad(c, req->src, req->src_off, aadlen) ?:
		     evp_walk(c, req->dst, req->dst_off + toff, req->src, req->src_off + toff,
			      textlen, 1);
	}
	if (unlikely(rc))
		return rc;
	if (EVP_CipherFinal_ex(c, fin, &outl) != 1)
		return enc ? -EINVAL : -EBADMSG;
	if (enc) {
		if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, tag) != 1)
			return -EINVAL;
		xsg_copy_from_buf(req->dst, req->dst_off + toff + textlen, tag, authsize);
		crypto_wipe(tag, sizeof(tag));
	}
	return 0;
}

static int evp_aead_crypt(struct aead_request *req, bool enc)
{
	struct evp_ctx *ctx = crypto_aead_ctx(req->tfm);
	uint32_t textlen = enc ? req->cryptlen : req->cryptlen - req->tfm->authsize;
	EVP_CIPHER_CTX *c;
	bool tmp;
	int rc;

	c = evp_get(ctx, enc, &tmp);
	if (unlikely(!c))
		return -ENOMEM;
	rc = evp_aead_run(req, ctx, c, enc, textlen);
	evp_put(c, tmp);
	/* No unverified plaintext is left behind. */
	if (unlikely(rc == -EBADMSG) && ctx->kind != K_RFC4543)
		xsg_zero(req->dst, req->dst_off + req->assoclen, textlen);
	return rc;
}

static int evp_aead_encrypt(struct aead_request *req)
{
	return evp_aead_crypt(req, true);
}

static int evp_aead_decrypt(struct aead_request *req)
{
	return evp_aead_crypt(req, false);
}

#define EVP_AEAD(name_, drv_, iv_, setkey_, setauth_)                         \
	{                                                                     \
		.ivsize = (iv_),                                              \
		.maxauthsize = 16,                                            \
		.exit = evp_aead_exit,                                        \
		.setkey = setkey_,                                            \
		.setauthsize = setauth_,                                      \
		.encrypt = evp_aead_encrypt,                                  \
		.decrypt = evp_aead_decrypt,                                  \
		.base = {                                                     \
			.cra_name = name_,                                    \
			.cra_driver_name = drv_,                              \
			.cra_module = EVP_MODULE,                             \
			.cra_priority = EVP_PRIORITY,                         \
			.cra_blocksize = 1,                                   \
			.cra_ctxsize = sizeof(struct evp_ctx),                \
		},                                                            \
	}

static struct aead_alg evp_aeads[] = {
	EVP_AEAD("gcm(aes)", "gcm-aes-openssl", 12, evp_gcm_setkey, evp_gcm_setauthsize),
	EVP_AEAD("rfc4106(gcm(aes))", "rfc4106-gcm-aes-openssl", 8, evp_rfc4106_setkey,
		 evp_rfc4106_setauthsize),
	EVP_AEAD("rfc4543(gcm(aes))", "rfc4543-gcm-aes-openssl", 8, evp_rfc4543_setkey,
		 evp_tag16_setauthsize),
	EVP_AEAD("rfc7539(chacha20,poly1305)", "rfc7539-chacha20-poly1305-openssl", 12,
		 evp_rfc7539_setkey, evp_tag16_setauthsize),
	EVP_AEAD("rfc7539esp(chacha20,poly1305)", "rfc7539esp-chacha20-poly1305-openssl", 8,
		 evp_rfc7539esp_setkey, evp_tag16_setauthsize),
};

/* ---- hmac(sha*) ---- */

static EVP_MAC *evp_hmac;

struct evp_sha {
	const char *md;		/* OpenSSL digest name */
	uint32_t digestsize, blocksize;
	int (*init)(void *c);
	int (*update)(void *c, const void *p, size_t n);
	int (*final)(uint8_t *out, void *c);
};

#define SHA_GLUE(fn, CTX, INIT, UPDATE, FINAL)                                \
	static int fn##_ginit(void *c) { return INIT((CTX *)c); }             \
	static int fn##_gupdate(void *c, const void *p, size_t n) { return UPDATE((CTX *)c, p, n); } \
	static int fn##_gfinal(uint8_t *o, void *c) { return FINAL(o, (CTX *)c); }

SHA_GLUE(sha1, SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final)
SHA_GLUE(sha256, SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final)
SHA_GLUE(sha384, SHA512_CTX, SHA384_Init, SHA384_Update, SHA384_Final)
SHA_GLUE(sha512, SHA512_CTX, SHA512_Init, SHA512_Update, SHA512_Final)

#define EVP_SHA(fn, name, ds, bs)                                             \
	{ .md = name, .digestsize = ds, .blocksize = bs, .init = fn##_ginit,  \
	  .update = fn##_gupdate, .final = fn##_gfinal }

static const struct evp_sha evp_shas[] = {
	EVP_SHA(sha1, "SHA1", 20, 64),
	EVP_SHA(sha256, "SHA2-256", 32, 64),
	EVP_SHA(sha384, "SHA2-384", 48, 128),
	EVP_SHA(sha512, "SHA2-512", 64, 128),
};

union sha_state {
	SHA_CTX s1;
	SHA256_CTX s256;
	SHA512_CTX s512;
};

struct evp_hmac_ctx {
	const struct evp_sha *sha;
	EVP_MAC_CTX *slot[EVP_SLOTS];
	uint8_t key[128];	/* <= one block (RFC 2104 3: longer keys are hashed) */
	uint32_t keylen;
	union sha_state istate, ostate;
};

static void evp_hmac_drop(struct evp_hmac_ctx *ctx)
{
	for (int i = 0; i < EVP_SLOTS; i++) {
		EVP_MAC_CTX_free(ctx->slot[i]);
		ctx->slot[i] = NULL;
	}
}

static void evp_hmac_exit(struct crypto_shash *tfm)
{
	evp_hmac_drop(crypto_shash_ctx(tfm));
}

static int evp_hmac_setkey_idx(struct crypto_shash *tfm, const uint8_t *key,
			       unsigned int keylen, int idx)
{
	struct evp_hmac_ctx *ctx = crypto_shash_ctx(tfm);
	const struct evp_sha *sha = &evp_shas[idx];
	uint8_t blk[128];
	union sha_state st;
	int rc = -EINVAL;

	evp_hmac_drop(ctx);
	ctx->sha = sha;
	if (keylen > sha->blocksize) {
		if (!sha->init(&st) || !sha->update(&st, key, keylen) || !sha->final(ctx->key, &st))
			goto out;
		keylen = sha->digestsize;
	} else {
		memcpy(ctx->key, key, keylen);
	}
	ctx->keylen = keylen;
	/* RFC 2104 2: inner and outer states after key ^ ipad, key ^ opad. */
	for (int pad = 0; pad < 2; pad++) {
		union sha_state *s = pad ? &ctx->ostate : &ctx->istate;

		memset(blk, pad ? 0x5c : 0x36, sha->blocksize);
		crypto_xor(blk, ctx->key, keylen);
		if (!sha->init(s) || !sha->update(s, blk, sha->blocksize))
			goto out;
	}
	rc = 0;
out:
	crypto_wipe(blk, sizeof(blk));
	crypto_wipe(&st, sizeof(st));
	return rc;
}

#define EVP_HMAC_SETKEY(fn, idx)                                              \
	static int fn(struct crypto_shash *tfm, const uint8_t *key, unsigned int keylen) \
	{                                                                     \
		return evp_hmac_setkey_idx(tfm, key, keylen, idx);            \
	}

EVP_HMAC_SETKEY(evp_hmac_sha1_setkey, 0)
EVP_HMAC_SETKEY(evp_hmac_sha256_setkey, 1)
EVP_HMAC_SETKEY(evp_hmac_sha384_setkey, 2)
EVP_HMAC_SETKEY(evp_hmac_sha512_setkey, 3)

static int evp_hmac_init(struct shash_desc *desc)
{
	const struct evp_hmac_ctx *ctx = crypto_shash_ctx(desc->tfm);

	*(union sha_state *)shash_desc_ctx(desc) = ctx->istate;
	return 0;
}

static int evp_hmac_update(struct shash_desc *desc, const uint8_t *p, size_t len)
{
	const struct evp_hmac_ctx *ctx = crypto_shash_ctx(desc->tfm);

	return ctx->sha->update(shash_desc_ctx(desc), p, len) ? 0 : -EINVAL;
}

static int evp_hmac_final(struct shash_desc *desc, uint8_t *out)
{
	const struct evp_hmac_ctx *ctx = crypto_shash_ctx(desc->tfm);
	const struct evp_sha *sha = ctx->sha;
	union sha_state *st = shash_desc_ctx(desc);
	uint8_t inner[MAX_DIGEST];
	int ok;

	ok = sha->final(inner, st);
	*st = ctx->ostate;
	ok = ok && sha->update(st, inner, sha->digestsize) && sha->final(out, st);
	crypto_wipe(inner, sizeof(inner));
	crypto_wipe(st, sizeof(*st));
	return ok ? 0 : -EINVAL;
}

static EVP_MAC_CTX *evp_hmac_new(const struct evp_hmac_ctx *ctx)
{
	OSSL_PARAM params[2];
	EVP_MAC_CTX *m = EVP_MAC_CTX_new(evp_hmac);

	if (!m)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)ctx->sha->md, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(m, ctx->key, ctx->keylen, params) != 1) {
		EVP_MAC_CTX_free(m);
		return NULL;
	}
	return m;
}

static int evp_hmac_digest(struct shash_desc *desc, const uint8_t *p, size_t len, uint8_t *out)
{
	struct evp_hmac_ctx *ctx = crypto_shash_ctx(desc->tfm);
	int slot = evp_slot();
	EVP_MAC_CTX *m;
	size_t outl;
	int rc = 0;

	if (unlikely(slot < 0))
		m = evp_hmac_new(ctx);
	else if (unlikely(!(m = ctx->slot[slot])))
		m = ctx->slot[slot] = evp_hmac_new(ctx);
	else if (EVP_MAC_init(m, NULL, 0, NULL) != 1)	/* same key, fresh state */
		rc = -EINVAL;
	if (unlikely(!m))
		return -ENOMEM;
	if (!rc && (EVP_MAC_update(m, p, len) != 1 ||
		    EVP_MAC_final(m, out, &outl, ctx->sha->digestsize) != 1))
		rc = -EINVAL;
	if (unlikely(slot < 0))
		EVP_MAC_CTX_free(m);
	return rc;
}

#define EVP_HMAC_ALG(name_, drv_, ds, bs, setkey_)                            \
	{                                                                     \
		.digestsize = (ds),                                           \
		.descsize = sizeof(union sha_state),                          \
		.min_keysize = 0,                                             \
		.max_keysize = 1024,                                          \
		.exit_tfm = evp_hmac_exit,                                    \
		.setkey = setkey_,                                            \
		.init = evp_hmac_init,                                        \
		.update = evp_hmac_update,                                    \
		.final = evp_hmac_final,                                      \
		.digest = evp_hmac_digest,                                    \
		.base = {                                                     \
			.cra_name = name_,                                    \
			.cra_driver_name = drv_,                              \
			.cra_module = EVP_MODULE,                             \
			.cra_priority = EVP_PRIORITY,                         \
			.cra_blocksize = (bs),                                \
			.cra_ctxsize = sizeof(struct evp_hmac_ctx),           \
		},                                                            \
	}

static struct shash_alg evp_shashes[] = {
	EVP_HMAC_ALG("hmac(sha1)", "hmac-sha1-openssl", 20, 64, evp_hmac_sha1_setkey),
	EVP_HMAC_ALG("hmac(sha256)", "hmac-sha256-openssl", 32, 64, evp_hmac_sha256_setkey),
	EVP_HMAC_ALG("hmac(sha384)", "hmac-sha384-openssl", 48, 128, evp_hmac_sha384_setkey),
	EVP_HMAC_ALG("hmac(sha512)", "hmac-sha512-openssl", 64, 128, evp_hmac_sha512_setkey),
};

/* ---- module ---- */

static const char *const evp_cipher_names[K_NKINDS][3] = {
	[K_CBC] = { "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" },
	[K_CTR] = { "AES-128-CTR", "AES-192-CTR", "AES-256-CTR" },
	[K_RFC3686] = { "AES-128-CTR", "AES-192-CTR", "AES-256-CTR" },
	[K_GCM] = { "AES-128-GCM", "AES-192-GCM", "AES-256-GCM" },
	[K_RFC4106] = { "AES-128-GCM", "AES-192-GCM", "AES-256-GCM" },
	[K_RFC4543] = { "AES-128-GCM", "AES-192-GCM", "AES-256-GCM" },
	[K_CHACHAPOLY] = { "ChaCha20-Poly1305" },
	[K_RFC7539ESP] = { "ChaCha20-Poly1305" },
};

static void evp_free_fetched(void)
{
	for (int k = 0; k < K_NKINDS; k++)
		for (int i = 0; i < 3; i++) {
			EVP_CIPHER_free(evp_ciphers[k][i]);
			evp_ciphers[k][i] = NULL;
		}
	EVP_MAC_free(evp_hmac);
	evp_hmac = NULL;
}

static int evp_fetch_all(void)
{
	for (int k = 0; k < K_NKINDS; k++)
		for (int i = 0; i < 3; i++)
			if (evp_cipher_names[k][i] &&
			    !(evp_ciphers[k][i] = EVP_CIPHER_fetch(NULL, evp_cipher_names[k][i], NULL)))
				return -ENOENT;
	evp_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	return evp_hmac ? 0 : -ENOENT;
}

static int evp_mod_init(void)
{
	int rc = evp_fetch_all();

	if (rc)
		goto out_fetch;
	rc = crypto_register_skciphers(evp_skciphers, ARRAY_LEN(evp_skciphers));
	if (rc)
		goto out_fetch;
	rc = crypto_register_aeads(evp_aeads, ARRAY_LEN(evp_aeads));
	if (rc)
		goto out_skciphers;
	rc = crypto_register_shashes(evp_shashes, ARRAY_LEN(evp_shashes));
	if (rc)
		goto out_aeads;
	return 0;
out_aeads:
	crypto_unregister_aeads(evp_aeads, ARRAY_LEN(evp_aeads));
out_skciphers:
	crypto_unregister_skciphers(evp_skciphers, ARRAY_LEN(evp_skciphers));
out_fetch:
	evp_free_fetched();
	return rc;
}

static void evp_mod_exit(void)
{
	crypto_unregister_shashes(evp_shashes, ARRAY_LEN(evp_shashes));
	crypto_unregister_aeads(evp_aeads, ARRAY_LEN(evp_aeads));
	crypto_unregister_skciphers(evp_skciphers, ARRAY_LEN(evp_skciphers));
	evp_free_fetched();
}

CRYPTO_MODULE(openssl, CRYPTO_MODULE_DRIVER, evp_mod_init, evp_mod_exit)
