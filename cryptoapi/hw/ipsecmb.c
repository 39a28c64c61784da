/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * intel-ipsec-mb drivers ("*-ipsecmb", module "ipsecmb").
 *
 * The library picks its code path (SSE, AVX, AVX2, AVX-512 with VAES and
 * VPCLMULQDQ) from the CPU at run time: init_mb_mgr_auto() chooses, and the
 * choice is logged once at load.
 *
 * Threads: an IMB_MGR is not thread-safe, so every thread gets its own,
 * created on its first operation (or setkey) and freed when the thread exits.
 * Transforms hold only expanded keys, so one keyed transform serves several
 * threads at once. The same per-thread state holds a bounce buffer for the
 * job-API algorithms when a chained request must be made contiguous; it grows
 * to the largest such request seen (up to IMB_BOUNCE_MAX) and is then reused,
 * so steady-state operations never allocate.
 *
 * Scatter-gather: GCM and ChaCha20-Poly1305 take a fast path when text and
 * ICV lie in one run of the list (a flat buffer, a one-segment mbuf, the last
 * run of an ESN list): one GCM call, or ChaCha's three, with the library entry
 * points resolved at setkey, the ICV read and written in place and split
 * associated data (ESN) gathered on the stack. Other requests use the same
 * calls piece by piece over the lists (no copy). CBC and CTR submit one job
 * per contiguous run (xsg_walk). authenc() needs the associated data and the
 * text in one buffer (a single cipher+HMAC job): a chained request goes
 * through the bounce buffer.
 *
 * The shash drivers (hmac, xcbc, cmac) compute digest() in one job; the
 * streaming init/update/final calls continue from pad states / subkeys
 * precomputed at setkey with libcrypto's block functions, because the library
 * offers no incremental HMAC or CMAC.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NO_COMPAT_IMB_API_053 /* its short names clash with libcrypto */
#include <intel-ipsec-mb.h>
#include <openssl/aes.h>
#include <openssl/sha.h>

#include "cryptoapi/algapi.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define IMB_PRIORITY 300
#define IMB_MODULE "ipsecmb"
#define AES_BLOCK 16
#define GCM_IV_SIZE 12
#define ESP_SALT_SIZE 4
#define ESP_IV_SIZE 8
#define CHACHA_KEY_SIZE 32
#define POLY1305_TAG 16
#define IMB_BOUNCE_MAX (16u << 20)
#define MAX_DIGEST 64

/* ---- per-thread manager and bounce buffer ---- */

struct imb_thread {
	IMB_MGR *mgr;
	IMB_MGR *mgr_sha;	/* SSE manager with SHA-NI, for single HMAC jobs */
	uint8_t *bounce;
	size_t bounce_len;
};

static __thread struct imb_thread *imb_tls;
static pthread_key_t imb_key;
static pthread_once_t imb_key_once = PTHREAD_ONCE_INIT;
static IMB_ARCH imb_arch;

static void imb_thread_free(void *p)
{
	struct imb_thread *t = p;

	if (!t)
		return;
	if (t->mgr_sha != t->mgr)
		free_mb_mgr(t->mgr_sha);
	free_mb_mgr(t->mgr);
	if (t->bounce) {
		crypto_wipe(t->bounce, t->bounce_len);
		free(t->bounce);
	}
	free(t);
}

static void imb_key_create(void)
{
	pthread_key_create(&imb_key, imb_thread_free);
}

/* First use on this thread: allocate and initialise a manager. */
static struct imb_thread *imb_thread_new(void)
{
	struct imb_thread *t;

	pthread_once(&imb_key_once, imb_key_create);
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->mgr = alloc_mb_mgr(0);
	if (!t->mgr) {
		free(t);
		return NULL;
	}
	init_mb_mgr_auto(t->mgr, NULL);
	t->mgr_sha = t->mgr;
	if (t->mgr->used_arch == IMB_ARCH_NONE || imb_get_errno(t->mgr)) {
		imb_thread_free(t);
		return NULL;
	}
	/*
	 * One HMAC at a time on the wide multi-buffer lanes waits for a flush;
	 * the SSE code path hashes a single buffer with SHA-NI instead.
	 */
	if (t->mgr->features & IMB_FEATURE_SHANI) {
		IMB_MGR *s = alloc_mb_mgr(0);

		if (s) {
			init_mb_mgr_sse(s);
			if (imb_get_errno(s) == 0)
				t->mgr_sha = s;
			else
				free_mb_mgr(s);
		}
	}
	pthread_setspecific(imb_key, t);
	imb_tls = t;
	return t;
}

static inline IMB_MGR *imb_mgr(void)
{
	struct imb_thread *t = imb_tls;

	if (unlikely(!t) && !(t = imb_thread_new()))
		return NULL;
	return t->mgr;
}

/* The manager for one HMAC job run to completion on its own. */
static inline IMB_MGR *imb_mgr_sha(bool shani)
{
	struct imb_thread *t = imb_tls;

	if (unlikely(!t) && !(t = imb_thread_new()))
		return NULL;
	return shani ? t->mgr_sha : t->mgr;
}

/* This thread's bounce buffer, grown to at least len bytes. */
static uint8_t *imb_bounce(size_t len)
{
	struct imb_thread *t = imb_tls;
	uint8_t *p;

	if (unlikely(!t) && !(t = imb_thread_new()))
		return NULL;
	if (likely(len <= t->bounce_len))
		return t->bounce;
	if (len > IMB_BOUNCE_MAX)
		return NULL;
	len = (len + 4095) & ~(size_t)4095;
	p = aligned_alloc(64, len);
	if (!p)
		return NULL;
	if (t->bounce) {
		crypto_wipe(t->bounce, t->bounce_len);
		free(t->bounce);
	}
	t->bounce = p;
	t->bounce_len = len;
	return p;
}

/* Run one job to completion (the queue is empty outside bursts). */
static int imb_run_job(IMB_MGR *m)
{
	IMB_JOB *j = IMB_SUBMIT_JOB(m);

	if (!j)
		j = IMB_FLUSH_JOB(m);
	if (unlikely(!j || j->status != IMB_STATUS_COMPLETED))
		return -EINVAL;
	return 0;
}

static IMB_JOB *imb_job(IMB_MGR *m)
{
	IMB_JOB *j = IMB_GET_NEXT_JOB(m);

	memset(j, 0, sizeof(*j));
	j->cipher_mode = IMB_CIPHER_NULL;
	j->hash_alg = IMB_AUTH_NULL;
	j->chain_order = IMB_ORDER_CIPHER_HASH;
	j->cipher_direction = IMB_DIR_ENCRYPT;
	return j;
}

/* Zero len bytes of a list (unverified plaintext after a failed tag check). */
static void xsg_zero(const struct xsg *sg, uint32_t off, uint32_t len)
{
	struct xsg_iter it;
	uint8_t *p;
	uint32_t n;

	xsg_iter_init(&it, sg, off, len);
	while ((n = xsg_iter_next(&it, &p, UINT32_MAX)) != 0)
		crypto_wipe(p, n);
}

/* ---- AES key schedules ---- */

struct imb_aes_key {
	uint8_t enc[16 * 15] __attribute__((aligned(16)));
	uint8_t dec[16 * 15] __attribute__((aligned(16)));
	uint32_t keylen;
};

static int imb_aes_expand(struct imb_aes_key *k, const uint8_t *key, unsigned int keylen)
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

/* ---- cbc(aes), ctr(aes), rfc3686(ctr(aes)) ---- */

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

static int imb_cipher_job(IMB_MGR *m, const struct imb_aes_key *k, IMB_CIPHER_MODE mode,
			  bool enc, uint8_t *dst, const uint8_t *src, uint32_t len,
			  const uint8_t *iv)
{
	IMB_JOB *j = imb_job(m);

	j->cipher_mode = mode;
	j->cipher_direction = enc ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
	j->chain_order = enc ? IMB_ORDER_CIPHER_HASH : IMB_ORDER_HASH_CIPHER;
	j->enc_keys = k->enc;
	j->dec_keys = k->dec;
	j->key_len_in_bytes = k->keylen;
	j->src = src;
	j->dst = dst;
	j->msg_len_to_cipher_in_bytes = len;
	j->iv = iv;
	j->iv_len_in_bytes = AES_BLOCK;
	return imb_run_job(m);
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

/* ---- gcm(aes), rfc4106(gcm(aes)), rfc4543(gcm(aes)) ---- */

enum gcm_kind { GCM_PLAIN, GCM_RFC4106, GCM_RFC4543 };

/*
 * A keyed GCM transform: the hash-key tables and, resolved once at setkey for
 * the key size, the library's entry points. These functions take no manager
 * (it only dispatches to them), so the data path needs no per-thread lookup.
 */
struct imb_gcm_ctx {
	struct gcm_key_data key;
	aes_gcm_enc_dec_t enc;		/* one call: AAD, text, tag */
	aes_gcm_enc_dec_t dec;
	aes_gcm_init_var_iv_t init;	/* piece by piece over lists */
	aes_gcm_enc_dec_update_t enc_update;
	aes_gcm_enc_dec_update_t dec_update;
	aes_gcm_enc_dec_finalize_t enc_final;
	aes_gcm_enc_dec_finalize_t dec_final;
	uint32_t keylen;
	uint8_t salt[ESP_SALT_SIZE];
};

/* Associated data gathered on the stack when it spans runs (ESN: 3 runs). */
#define IMB_AAD_GATHER 32
/* imb_gcm_fast() declines: take the scatterlist path. Never an error code. */
#define IMB_SLOW 1

static int imb_gcm_expand(struct imb_gcm_ctx *ctx, const uint8_t *key, unsigned int keylen)
{
	IMB_MGR *m = imb_mgr();

	if (unlikely(!m))
		return -ENOMEM;
	switch (keylen) {
	case 16:
		IMB_AES128_GCM_PRE(m, key, &ctx->key);
		ctx->enc = m->gcm128_enc;
		ctx->dec = m->gcm128_dec;
		ctx->init = m->gcm128_init_var_iv;
		ctx->enc_update = m->gcm128_enc_update;
		ctx->dec_update = m->gcm128_dec_update;
		ctx->enc_final = m->gcm128_enc_finalize;
		ctx->dec_final = m->gcm128_dec_finalize;
		break;
	case 24:
		IMB_AES192_GCM_PRE(m, key, &ctx->key);
		ctx->enc = m->gcm192_enc;
		ctx->dec = m->gcm192_dec;
		ctx->init = m->gcm192_init_var_iv;
		ctx->enc_update = m->gcm192_enc_update;
		ctx->dec_update = m->gcm192_dec_update;
		ctx->enc_final = m->gcm192_enc_finalize;
		ctx->dec_final = m->gcm192_dec_finalize;
		break;
	case 32:
		IMB_AES256_GCM_PRE(m, key, &ctx->key);
		ctx->enc = m->gcm256_enc;
		ctx->dec = m->gcm256_dec;
		ctx->init = m->gcm256_init_var_iv;
		ctx->enc_update = m->gcm256_enc_update;
		ctx->dec_update = m->gcm256_dec_update;
		ctx->enc_final = m->gcm256_enc_finalize;
		ctx->dec_final = m->gcm256_dec_finalize;
		break;
	default:
		return -EINVAL;
	}
	ctx->keylen = keylen;
	return 0;
}

static int imb_gcm_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen)
{
	return imb_gcm_expand(crypto_aead_ctx(tfm), key, keylen);
}

/* RFC 4106 8.1 / RFC 4543 3.2: the key material ends in a 4-byte salt. */
static int imb_gcm_esp_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen)
{
	struct imb_gcm_ctx *ctx = crypto_aead_ctx(tfm);

	if (unlikely(keylen < ESP_SALT_SIZE))
		return -EINVAL;
	memcpy(ctx->salt, key + keylen - ESP_SALT_SIZE, ESP_SALT_SIZE);
	return imb_gcm_expand(ctx, key, keylen - ESP_SALT_SIZE);
}

/* SP 800-38D 5.2.1.2: tags of 4, 8 and 12..16 bytes. */
static int imb_gcm_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == 4 || authsize == 8 || (authsize >= 12 && authsize <= 16) ? 0 : -EINVAL;
}

/* RFC 4106 5: ICVs of 8, 12 or 16 bytes. */
static int imb_rfc4106_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == 8 || authsize == 12 || authsize == 16 ? 0 : -EINVAL;
}

/* RFC 4543 3.3: a 16-byte ICV. */
static int imb_rfc4543_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == 16 ? 0 : -EINVAL;
}

/* Pointer to len bytes at off, gathered into the bounce buffer when chained. */
static const uint8_t *imb_linear(const struct xsg *sg, uint32_t off, uint32_t len)
{
	uint8_t *p = xsg_contig(sg, off, len);
	static const uint8_t empty[1];

	if (len == 0)
		return empty;
	if (p)
		return p;
	p = imb_bounce(len);
	if (p)
		xsg_copy_to_buf(p, sg, off, len);
	return p;
}

/* ---- GCM fast path: the request's text in one run ---- */

/*
 * Zero a small stack object. The empty asm that may read it keeps the stores
 * (the same guarantee as crypto_wipe, without a call for 16..96 bytes).
 */
static inline void imb_wipe_small(void *p, size_t len)
{
	memset(p, 0, len);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

/* Constant-time tag comparison, word-wise for the usual 16-byte ICV. */
static inline int imb_tag_neq(const uint8_t *a, const uint8_t *b, uint32_t len)
{
	uint64_t a0, a1, b0, b1;

	if (len != 16)
		return crypto_memneq(a, b, len);
	memcpy(&a0, a, 8);
	memcpy(&a1, a + 8, 8);
	memcpy(&b0, b, 8);
	memcpy(&b1, b + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) != 0;
}

/*
 * Pointer to [off, off + len) when it lies in one run of sg, else NULL. Lists
 * on the data path are short before the text: one run for a flat buffer or a
 * one-segment mbuf, three for ESP with ESN.
 */
static inline uint8_t *imb_run(const struct xsg *sg, uint32_t off, uint32_t len)
{
	const struct xsg_ent *e = sg->ent, *end = e + sg->nents;

	for (; e < end; e++) {
		if (off < e->len)
			return len <= e->len - off ? e->addr + off : NULL;
		off -= e->len;
	}
	return NULL;
}

/* A few bytes without a call: ESP's pieces are 4-byte fields. */
static inline void imb_copy_small(uint8_t *d, const uint8_t *s, uint32_t n)
{
	for (; n >= 8; n -= 8, d += 8, s += 8)
		memcpy(d, s, 8);
	if (n >= 4) {
		memcpy(d, s, 4);
		n -= 4;
		d += 4;
		s += 4;
	}
	while (n--)
		*d++ = *s++;
}

/* Copy len bytes at off into buf; false if the list ends first. */
static inline bool imb_gather(uint8_t *buf, const struct xsg *sg, uint32_t off, uint32_t len)
{
	const struct xsg_ent *e = sg->ent, *end = e + sg->nents;

	for (; e < end && off >= e->len; e++)
		off -= e->len;
	for (; e < end && len; e++) {
		uint32_t n = e->len - off < len ? e->len - off : len;

		imb_copy_small(buf, e->addr + off, n);
		buf += n;
		len -= n;
		off = 0;
	}
	return len == 0;
}

/* The associated data as one pointer: in its run, or gathered into buf. */
static inline const uint8_t *imb_aad(const struct xsg *sg, uint32_t off, uint32_t len,
				     uint8_t *buf)
{
	static const uint8_t none[1];
	const uint8_t *p;

	if (len == 0)
		return none;
	p = imb_run(sg, off, len);
	if (likely(p))
		return p;
	if (len <= IMB_AAD_GATHER && imb_gather(buf, sg, off, len))
		return buf;
	return NULL;
}

static inline bool imb_in_place(const struct aead_request *req)
{
	return req->src == req->dst && req->src_off == req->dst_off;
}

/*
 * SP 800-38D 7.1/7.2 in one library call when text || ICV is one run in src
 * and in dst: the tag is written in place (encrypt) or checked against the
 * received ICV (decrypt). IMB_SLOW when the request does not fit.
 */
static inline __attribute__((always_inline)) int
imb_gcm_fast(struct aead_request *req, const struct imb_gcm_ctx *ctx, const uint8_t *iv,
	     uint32_t aadlen, uint32_t textlen, bool enc)
{
	uint32_t authsize = req->tfm->authsize, span = textlen + authsize;
	uint8_t *src = imb_run(req->src, req->src_off + req->assoclen, span), *dst = src;
	uint8_t abuf[IMB_AAD_GATHER], tag[16], icv[16];
	struct gcm_context_data g;
	const uint8_t *aad;
	int rc = 0;

	if (unlikely(!src))
		return IMB_SLOW;
	/* Out of place, dst holds the ICV on encrypt only. */
	if (unlikely(!imb_in_place(req)) &&
	    !(dst = imb_run(req->dst, req->dst_off + req->assoclen, enc ? span : textlen)))
		return IMB_SLOW;
	aad = imb_aad(req->src, req->src_off, aadlen, abuf);
	if (unlikely(!aad))
		return IMB_SLOW;
	if (unlikely(dst != src))
		aead_copy_assoc(req);
	if (enc) {
		ctx->enc(&ctx->key, &g, dst, src, textlen, iv, aad, aadlen, dst + textlen, authsize);
	} else {
		memcpy(icv, src + textlen, authsize);
		ctx->dec(&ctx->key, &g, dst, src, textlen, iv, aad, aadlen, tag, authsize);
		if (unlikely(imb_tag_neq(tag, icv, authsize))) {
			crypto_wipe(dst, textlen);
			rc = -EBADMSG;
		}
		imb_wipe_small(tag, sizeof(tag));
	}
	imb_wipe_small(&g, sizeof(g));
	return rc;
}

/*
 * RFC 4543 3: GMAC over SPI || seq || IV || payload in one call when that and
 * the ICV are one run; the payload is left as it is (copied out of place).
 */
static inline __attribute__((always_inline)) int
imb_gmac_fast(struct aead_request *req, const struct imb_gcm_ctx *ctx, const uint8_t *iv,
	      uint32_t textlen, bool enc)
{
	uint32_t authsize = req->tfm->authsize;
	uint32_t alen = req->assoclen + textlen, span = alen + authsize;
	uint8_t *src = imb_run(req->src, req->src_off, span), *dst = src;
	struct gcm_context_data g;
	uint8_t tag[16], icv[16];
	int rc = 0;

	if (unlikely(!src))
		return IMB_SLOW;
	if (unlikely(!imb_in_place(req)) &&
	    !(dst = imb_run(req->dst, req->dst_off, enc ? span : alen)))
		return IMB_SLOW;
	if (!enc)
		memcpy(icv, src + alen, authsize);
	if (unlikely(dst != src))
		memmove(dst, src, alen);
	/* Nothing to encrypt; the AAD is dst, which now holds the data. */
	ctx->enc(&ctx->key, &g, dst + alen, dst + alen, 0, iv, dst, alen, enc ? dst + alen : tag,
		 authsize);
	if (!enc) {
		if (unlikely(imb_tag_neq(tag, icv, authsize))) {
			crypto_wipe(dst + req->assoclen, textlen);
			rc = -EBADMSG;
		}
		imb_wipe_small(tag, sizeof(tag));
	}
	imb_wipe_small(&g, sizeof(g));
	return rc;
}

/* ---- GCM over scatterlists ---- */

/*
 * GCM over the lists: aadlen bytes of associated data at the start of src,
 * textlen bytes of text after assoclen, updated piece by piece.
 */
static int imb_gcm_run(struct aead_request *req, const struct imb_gcm_ctx *ctx,
		       const uint8_t *iv, uint32_t aadlen, uint32_t textlen, bool enc,
		       uint8_t *tag)
{
	aes_gcm_enc_dec_update_t update = enc ? ctx->enc_update : ctx->dec_update;
	struct gcm_context_data gctx;
	const uint8_t *aad;
	struct xsg_walk w;
	uint32_t n;

	aad = imb_linear(req->src, req->src_off, aadlen);
	if (unlikely(!aad))
		return -EMSGSIZE;
	ctx->init(&ctx->key, &gctx, iv, GCM_IV_SIZE, aad, aadlen);
	xsg_walk_init(&w, req->dst, req->dst_off + req->assoclen, req->src,
		      req->src_off + req->assoclen, textlen, 1);
	while ((n = xsg_walk_next(&w)) != 0) {
		update(&ctx->key, &gctx, w.dst, w.src, n);
		xsg_walk_done(&w);
	}
	(enc ? ctx->enc_final : ctx->dec_final)(&ctx->key, &gctx, tag, 16);
	crypto_wipe(&gctx, sizeof(gctx));
	return 0;
}

/* RFC 4543 3: GMAC authenticates everything and encrypts nothing. */
static int imb_gmac_run(struct aead_request *req, const struct imb_gcm_ctx *ctx,
			const uint8_t *iv, uint32_t textlen, uint8_t *tag)
{
	struct gcm_context_data gctx;
	const uint8_t *aad;
	uint32_t alen = req->assoclen + textlen;

	aad = imb_linear(req->src, req->src_off, alen);
	if (unlikely(!aad))
		return -EMSGSIZE;
	ctx->init(&ctx->key, &gctx, iv, GCM_IV_SIZE, aad, alen);
	ctx->enc_final(&ctx->key, &gctx, tag, 16);
	crypto_wipe(&gctx, sizeof(gctx));
	if (textlen)
		xsg_copy(req->dst, req->dst_off + req->assoclen, req->src,
			 req->src_off + req->assoclen, textlen);
	return 0;
}

/* Requests whose text or ICV spans runs: walk the lists, tag on the stack. */
static __attribute__((noinline)) int
imb_gcm_slow(struct aead_request *req, const struct imb_gcm_ctx *ctx, const uint8_t *iv,
	     uint32_t aadlen, uint32_t textlen, enum gcm_kind kind, bool enc)
{
	uint32_t authsize = req->tfm->authsize, icv_off = req->assoclen + textlen;
	uint8_t tag[16], icv[16];
	int rc;

	if (!enc)
		xsg_copy_to_buf(icv, req->src, req->src_off + icv_off, authsize);
	aead_copy_assoc(req);
	if (kind == GCM_RFC4543)
		rc = imb_gmac_run(req, ctx, iv, textlen, tag);
	else
		rc = imb_gcm_run(req, ctx, iv, aadlen, textlen, enc, tag);
	if (unlikely(rc))
		goto out;
	if (enc) {
		xsg_copy_from_buf(req->dst, req->dst_off + icv_off, tag, authsize);
	} else if (unlikely(crypto_memneq(tag, icv, authsize))) {
		xsg_zero(req->dst, req->dst_off + req->assoclen, textlen);
		rc = -EBADMSG;
	}
out:
	crypto_wipe(tag, sizeof(tag));
	return rc;
}

/*
 * One request. Inlined with constant kind and direction into each entry
 * point and burst loop, so the fast path has no branches on either.
 */
static inline __attribute__((always_inline)) int
imb_gcm_crypt(struct aead_request *req, enum gcm_kind kind, bool enc)
{
	const struct imb_gcm_ctx *ctx = crypto_aead_ctx(req->tfm);
	uint32_t aadlen = req->assoclen;
	uint32_t textlen = enc ? req->cryptlen : req->cryptlen - req->tfm->authsize;
	uint8_t iv[GCM_IV_SIZE];
	int rc;

	if (kind == GCM_PLAIN) {
		memcpy(iv, req->iv, GCM_IV_SIZE);
	} else {
		/* RFC 4106 4 / kernel rule: the explicit IV ends the associated data. */
		if (unlikely(req->assoclen < ESP_IV_SIZE))
			return -EINVAL;
		memcpy(iv, ctx->salt, ESP_SALT_SIZE);
		memcpy(iv + ESP_SALT_SIZE, req->iv, ESP_IV_SIZE);
		if (kind == GCM_RFC4106)
			aadlen -= ESP_IV_SIZE;
	}
	if (kind == GCM_RFC4543)
		rc = imb_gmac_fast(req, ctx, iv, textlen, enc);
	else
		rc = imb_gcm_fast(req, ctx, iv, aadlen, textlen, enc);
	if (likely(rc != IMB_SLOW))
		return rc;
	return imb_gcm_slow(req, ctx, iv, aadlen, textlen, kind, enc);
}

/*
 * Entry points and bursts per kind and direction. A burst is a loop over the
 * inlined request path: GCM jobs would run one at a time in the library as
 * well, so there is nothing to gain from the job queue here.
 */
#define IMB_AEAD_OPS(fn, crypt, arg)                                          \
	static int fn##_encrypt(struct aead_request *req)                     \
	{                                                                     \
		return crypt(req, arg, true);                                 \
	}                                                                     \
	static int fn##_decrypt(struct aead_request *req)                     \
	{                                                                     \
		return crypt(req, arg, false);                                \
	}                                                                     \
	static uint16_t fn##_encrypt_burst(struct crypto_aead *tfm,           \
					   struct aead_request **reqs, uint16_t n) \
	{                                                                     \
		(void)tfm;                                                    \
		for (uint16_t i = 0; i < n; i++)                              \
			reqs[i]->err = crypt(reqs[i], arg, true);             \
		return n;                                                     \
	}                                                                     \
	static uint16_t fn##_decrypt_burst(struct crypto_aead *tfm,           \
					   struct aead_request **reqs, uint16_t n) \
	{                                                                     \
		(void)tfm;                                                    \
		for (uint16_t i = 0; i < n; i++)                              \
			reqs[i]->err = crypt(reqs[i], arg, false);            \
		return n;                                                     \
	}

IMB_AEAD_OPS(imb_gcm, imb_gcm_crypt, GCM_PLAIN)
IMB_AEAD_OPS(imb_rfc4106, imb_gcm_crypt, GCM_RFC4106)
IMB_AEAD_OPS(imb_rfc4543, imb_gcm_crypt, GCM_RFC4543)

/* ---- rfc7539(chacha20,poly1305), rfc7539esp(chacha20,poly1305) ---- */

/* The key and, resolved at setkey, the library's entry points. */
struct imb_chachapoly_ctx {
	uint8_t key[CHACHA_KEY_SIZE] __attribute__((aligned(16)));
	uint8_t salt[ESP_SALT_SIZE];
	chacha_poly_init_t init;
	chacha_poly_enc_dec_update_t enc_update;
	chacha_poly_enc_dec_update_t dec_update;
	chacha_poly_finalize_t final;
};

static int imb_chachapoly_fns(struct imb_chachapoly_ctx *ctx)
{
	IMB_MGR *m = imb_mgr();

	if (unlikely(!m))
		return -ENOMEM;
	ctx->init = m->chacha20_poly1305_init;
	ctx->enc_update = m->chacha20_poly1305_enc_update;
	ctx->dec_update = m->chacha20_poly1305_dec_update;
	ctx->final = m->chacha20_poly1305_finalize;
	return 0;
}

static int imb_chachapoly_setkey(struct crypto_aead *tfm, const uint8_t *key,
				 unsigned int keylen)
{
	struct imb_chachapoly_ctx *ctx = crypto_aead_ctx(tfm);

	if (unlikely(keylen != CHACHA_KEY_SIZE))
		return -EINVAL;
	memcpy(ctx->key, key, CHACHA_KEY_SIZE);
	return imb_chachapoly_fns(ctx);
}

/* RFC 7634 2: the ESP form appends a 4-byte salt to the key. */
static int imb_chachapoly_esp_setkey(struct crypto_aead *tfm, const uint8_t *key,
				     unsigned int keylen)
{
	struct imb_chachapoly_ctx *ctx = crypto_aead_ctx(tfm);

	if (unlikely(keylen != CHACHA_KEY_SIZE + ESP_SALT_SIZE))
		return -EINVAL;
	memcpy(ctx->key, key, CHACHA_KEY_SIZE);
	memcpy(ctx->salt, key + CHACHA_KEY_SIZE, ESP_SALT_SIZE);
	return imb_chachapoly_fns(ctx);
}

/* RFC 8439 2.8: a 16-byte tag. */
static int imb_chachapoly_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	return authsize == POLY1305_TAG ? 0 : -EINVAL;
}

/*
 * RFC 8439 2.8 with text || ICV in one run of src and of dst: three library
 * calls, the tag written in place or checked against the received ICV.
 * IMB_SLOW when the request does not fit.
 */
static inline __attribute__((always_inline)) int
imb_chachapoly_fast(struct aead_request *req, const struct imb_chachapoly_ctx *ctx,
		    const uint8_t *nonce, uint32_t aadlen, uint32_t textlen, bool enc)
{
	uint32_t span = textlen + POLY1305_TAG;
	uint8_t *src = imb_run(req->src, req->src_off + req->assoclen, span), *dst = src;
	uint8_t abuf[IMB_AAD_GATHER], tag[POLY1305_TAG], icv[POLY1305_TAG];
	struct chacha20_poly1305_context_data c;
	const uint8_t *aad;
	int rc = 0;

	if (unlikely(!src))
		return IMB_SLOW;
	if (unlikely(!imb_in_place(req)) &&
	    !(dst = imb_run(req->dst, req->dst_off + req->assoclen, enc ? span : textlen)))
		return IMB_SLOW;
	aad = imb_aad(req->src, req->src_off, aadlen, abuf);
	if (unlikely(!aad))
		return IMB_SLOW;
	if (!enc)
		memcpy(icv, src + textlen, POLY1305_TAG);
	ctx->init(ctx->key, &c, nonce, aad, aadlen);
	if (unlikely(dst != src))
		aead_copy_assoc(req);
	(enc ? ctx->enc_update : ctx->dec_update)(ctx->key, &c, dst, src, textlen);
	ctx->final(&c, enc ? dst + textlen : tag, POLY1305_TAG);
	if (!enc) {
		if (unlikely(imb_tag_neq(tag, icv, POLY1305_TAG))) {
			crypto_wipe(dst, textlen);
			rc = -EBADMSG;
		}
		imb_wipe_small(tag, sizeof(tag));
	}
	imb_wipe_small(&c, sizeof(c));
	return rc;
}

/* Requests whose text or ICV spans runs: update piece by piece. */
static __attribute__((noinline)) int
imb_chachapoly_slow(struct aead_request *req, const struct imb_chachapoly_ctx *ctx,
		    const uint8_t *nonce, uint32_t aadlen, uint32_t textlen, bool enc)
{
	chacha_poly_enc_dec_update_t update = enc ? ctx->enc_update : ctx->dec_update;
	uint32_t icv_off = req->assoclen + textlen;
	struct chacha20_poly1305_context_data cctx;
	uint8_t tag[POLY1305_TAG], icv[POLY1305_TAG];
	const uint8_t *aad;
	struct xsg_walk w;
	uint32_t n;
	int rc = 0;

	aad = imb_linear(req->src, req->src_off, aadlen);
	if (unlikely(!aad))
		return -EMSGSIZE;
	if (!enc)
		xsg_copy_to_buf(icv, req->src, req->src_off + icv_off, POLY1305_TAG);
	ctx->init(ctx->key, &cctx, nonce, aad, aadlen);
	aead_copy_assoc(req);
	xsg_walk_init(&w, req->dst, req->dst_off + req->assoclen, req->src,
		      req->src_off + req->assoclen, textlen, 1);
	while ((n = xsg_walk_next(&w)) != 0) {
		update(ctx->key, &cctx, w.dst, w.src, n);
		xsg_walk_done(&w);
	}
	ctx->final(&cctx, tag, POLY1305_TAG);
	if (enc) {
		xsg_copy_from_buf(req->dst, req->dst_off + icv_off, tag, POLY1305_TAG);
	} else if (unlikely(crypto_memneq(tag, icv, POLY1305_TAG))) {
		xsg_zero(req->dst, req->dst_off + req->assoclen, textlen);
		rc = -EBADMSG;
	}
	crypto_wipe(&cctx, sizeof(cctx));
	crypto_wipe(tag, sizeof(tag));
	return rc;
}

static inline __attribute__((always_inline)) int
imb_chachapoly_crypt(struct aead_request *req, bool esp, bool enc)
{
	const struct imb_chachapoly_ctx *ctx = crypto_aead_ctx(req->tfm);
	uint32_t aadlen = req->assoclen;
	uint32_t textlen = enc ? req->cryptlen : req->cryptlen - POLY1305_TAG;
	uint8_t nonce[12];
	int rc;

	if (esp) {
		/* RFC 7634 2 / kernel rule: the explicit IV ends the associated data. */
		if (unlikely(aadlen < ESP_IV_SIZE))
			return -EINVAL;
		aadlen -= ESP_IV_SIZE;
		memcpy(nonce, ctx->salt, ESP_SALT_SIZE);
		memcpy(nonce + ESP_SALT_SIZE, req->iv, ESP_IV_SIZE);
	} else {
		memcpy(nonce, req->iv, 12);
	}
	rc = imb_chachapoly_fast(req, ctx, nonce, aadlen, textlen, enc);
	if (likely(rc != IMB_SLOW))
		return rc;
	return imb_chachapoly_slow(req, ctx, nonce, aadlen, textlen, enc);
}

IMB_AEAD_OPS(imb_rfc7539, imb_chachapoly_crypt, false)
IMB_AEAD_OPS(imb_rfc7539esp, imb_chachapoly_crypt, true)

/* ---- HMAC pad states (RFC 2104 2) ---- */

struct imb_sha {
	IMB_HASH_ALG hmac_alg;
	uint32_t digestsize;
	uint32_t blocksize;
	uint32_t statesize;	/* libcrypto context size */
	bool shani;		/* SHA-NI covers it: single jobs go to the SSE manager */
	/* libcrypto streaming over the same pads */
	int (*init)(void *c);
	int (*update)(void *c, const void *p, size_t n);
	int (*final)(uint8_t *out, void *c);
};

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

enum { SHA1_I, SHA224_I, SHA256_I, SHA384_I, SHA512_I };

static const struct imb_sha imb_shas[] = {
	[SHA1_I] = IMB_SHA_DESC(sha1, IMB_AUTH_HMAC_SHA_1, SHA_CTX, 20, 64),
	[SHA224_I] = IMB_SHA_DESC(sha224, IMB_AUTH_HMAC_SHA_224, SHA256_CTX, 28, 64),
	[SHA256_I] = IMB_SHA_DESC(sha256, IMB_AUTH_HMAC_SHA_256, SHA256_CTX, 32, 64),
	[SHA384_I] = IMB_SHA_DESC(sha384, IMB_AUTH_HMAC_SHA_384, SHA512_CTX, 48, 128),
	[SHA512_I] = IMB_SHA_DESC(sha512, IMB_AUTH_HMAC_SHA_512, SHA512_CTX, 64, 128),
};

union sha_state {
	SHA_CTX s1;
	SHA256_CTX s256;
	SHA512_CTX s512;
};

struct imb_hmac_key {
	/* for jobs: the library's digests of key ^ ipad and key ^ opad */
	uint8_t ipad[MAX_DIGEST] __attribute__((aligned(16)));
	uint8_t opad[MAX_DIGEST] __attribute__((aligned(16)));
	/* for streaming: libcrypto states after the same blocks */
	union sha_state istate;
	union sha_state ostate;
	uint8_t empty_mac[MAX_DIGEST];	/* the library refuses empty messages */
	const struct imb_sha *sha;
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

static int imb_hmac_setkey_common(struct imb_hmac_key *k, int idx, const uint8_t *key,
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

/* ---- authenc(hmac(sha*),cbc(aes)): one cipher+HMAC job ---- */

struct imb_authenc_ctx {
	struct imb_aes_key aes;
	struct imb_hmac_key hmac;
};

/* Per request: the computed tag and the received ICV. */
struct imb_authenc_req {
	uint8_t tag[MAX_DIGEST];
	uint8_t icv[MAX_DIGEST];
};

static int imb_authenc_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen,
			      int idx)
{
	struct imb_authenc_ctx *ctx = crypto_aead_ctx(tfm);
	struct authenc_keys keys;
	int rc = crypto_authenc_extractkeys(&keys, key, keylen);

	if (unlikely(rc))
		return -EINVAL;
	rc = imb_aes_expand(&ctx->aes, keys.enckey, keys.enckeylen);
	if (!rc)
		rc = imb_hmac_setkey_common(&ctx->hmac, idx, keys.authkey, keys.authkeylen);
	return rc;
}

#define IMB_AUTHENC_SETKEY(fn, idx)                                           \
	static int fn(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen) \
	{                                                                     \
		return imb_authenc_setkey(tfm, key, keylen, idx);             \
	}

IMB_AUTHENC_SETKEY(imb_authenc_sha1_setkey, SHA1_I)
IMB_AUTHENC_SETKEY(imb_authenc_sha256_setkey, SHA256_I)
IMB_AUTHENC_SETKEY(imb_authenc_sha384_setkey, SHA384_I)
IMB_AUTHENC_SETKEY(imb_authenc_sha512_setkey, SHA512_I)

/*
 * Fill a job over one contiguous buffer buf = AD || text (in place).
 * Encrypt: CBC then HMAC over AD || ciphertext; decrypt: HMAC then CBC.
 */
static void imb_authenc_fill(IMB_JOB *j, const struct imb_authenc_ctx *ctx,
			     struct aead_request *req, uint8_t *buf, uint32_t textlen,
			     bool enc, uint8_t *tag)
{
	uint32_t hashlen = req->assoclen + textlen;

	j->cipher_mode = textlen ? IMB_CIPHER_CBC : IMB_CIPHER_NULL;
	j->cipher_direction = enc ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
	j->chain_order = enc ? IMB_ORDER_CIPHER_HASH : IMB_ORDER_HASH_CIPHER;
	j->enc_keys = ctx->aes.enc;
	j->dec_keys = ctx->aes.dec;
	j->key_len_in_bytes = ctx->aes.keylen;
	j->src = buf;
	j->dst = buf + req->assoclen;
	j->cipher_start_src_offset_in_bytes = req->assoclen;
	j->msg_len_to_cipher_in_bytes = textlen;
	j->iv = req->iv;
	j->iv_len_in_bytes = AES_BLOCK;
	j->hash_alg = hashlen ? ctx->hmac.sha->hmac_alg : IMB_AUTH_NULL;
	j->hash_start_src_offset_in_bytes = 0;
	j->msg_len_to_hash_in_bytes = hashlen;
	j->auth_tag_output = tag;
	j->auth_tag_output_len_in_bytes = ctx->hmac.sha->digestsize;
	j->u.HMAC._hashed_auth_key_xor_ipad = ctx->hmac.ipad;
	j->u.HMAC._hashed_auth_key_xor_opad = ctx->hmac.opad;
	j->user_data = req;
}

/*
 * Where the job runs: dst itself when AD || text || ICV is contiguous there
 * (out of place, the source is first copied over), else the bounce buffer.
 */
static uint8_t *imb_authenc_buf(struct aead_request *req, uint32_t inlen, uint32_t outlen,
				bool *bounced)
{
	uint32_t span = req->assoclen + (inlen > outlen ? inlen : outlen);
	uint8_t *d = xsg_contig(req->dst, req->dst_off, span);
	uint8_t *s;

	*bounced = false;
	if (likely(d)) {
		s = xsg_contig(req->src, req->src_off, req->assoclen + inlen);
		if (s != d)
			xsg_copy(req->dst, req->dst_off, req->src, req->src_off,
				 req->assoclen + inlen);
		return d;
	}
	s = imb_bounce(span);
	if (unlikely(!s))
		return NULL;
	xsg_copy_to_buf(s, req->src, req->src_off, req->assoclen + inlen);
	*bounced = true;
	return s;
}

/* Finish a completed job: place or check the ICV; copy back a bounce. */
static int imb_authenc_done(struct aead_request *req, uint8_t *buf, bool bounced,
			    uint32_t textlen, bool enc, const uint8_t *tag, int status)
{
	struct imb_authenc_ctx *ctx = crypto_aead_ctx(req->tfm);
	struct imb_authenc_req *rctx = aead_request_ctx(req);
	uint32_t authsize = req->tfm->authsize, end = req->assoclen + textlen;
	int rc = status;

	if (req->assoclen + textlen == 0)
		tag = ctx->hmac.empty_mac;
	if (unlikely(rc))
		goto out;
	if (enc) {
		memcpy(buf + end, tag, authsize);
		if (bounced)
			xsg_copy_from_buf(req->dst, req->dst_off, buf, end + authsize);
	} else if (unlikely(crypto_memneq(tag, rctx->icv, authsize))) {
		rc = -EBADMSG;
		crypto_wipe(buf + req->assoclen, textlen);
		if (!bounced)
			goto out;
	} else if (bounced) {
		xsg_copy_from_buf(req->dst, req->dst_off, buf, end);
	}
out:
	crypto_wipe(rctx->tag, sizeof(rctx->tag));
	return rc;
}

/* Prepare one request: sizes checked, buffer chosen, ICV saved. */
static uint8_t *imb_authenc_prep(struct aead_request *req, bool enc, uint32_t *textlen,
				 bool *bounced, int *err)
{
	struct imb_authenc_req *rctx = aead_request_ctx(req);
	uint32_t authsize = req->tfm->authsize;
	uint8_t *buf;

	*textlen = enc ? req->cryptlen : req->cryptlen - authsize;
	if (unlikely(*textlen % AES_BLOCK)) {
		*err = -EINVAL;
		return NULL;
	}
	if (!enc)
		xsg_copy_to_buf(rctx->icv, req->src, req->src_off + req->assoclen + *textlen,
				authsize);
	buf = imb_authenc_buf(req, enc ? req->cryptlen : *textlen,
			      enc ? req->cryptlen + authsize : *textlen, bounced);
	*err = buf ? 0 : -EMSGSIZE;
	return buf;
}

static int imb_authenc_crypt(struct aead_request *req, bool enc)
{
	struct imb_authenc_ctx *ctx = crypto_aead_ctx(req->tfm);
	struct imb_authenc_req *rctx = aead_request_ctx(req);
	IMB_MGR *m = imb_mgr_sha(ctx->hmac.sha->shani);
	uint32_t textlen;
	bool bounced;
	uint8_t *buf;
	int rc;

	if (unlikely(!m))
		return -ENOMEM;
	buf = imb_authenc_prep(req, enc, &textlen, &bounced, &rc);
	if (unlikely(!buf))
		return rc;
	/* An empty message has nothing to cipher and a tag fixed at setkey. */
	if (likely(req->assoclen + textlen)) {
		imb_authenc_fill(imb_job(m), ctx, req, buf, textlen, enc, rctx->tag);
		rc = imb_run_job(m);
	}
	return imb_authenc_done(req, buf, bounced, textlen, enc, rctx->tag, rc);
}

static int imb_authenc_encrypt(struct aead_request *req)
{
	return imb_authenc_crypt(req, true);
}

static int imb_authenc_decrypt(struct aead_request *req)
{
	return imb_authenc_crypt(req, false);
}

static void imb_authenc_complete(IMB_JOB *j, bool enc)
{
	struct aead_request *req = j->user_data;
	uint32_t textlen = j->msg_len_to_cipher_in_bytes;
	uint8_t *buf = (uint8_t *)(uintptr_t)j->src;
	int st = j->status == IMB_STATUS_COMPLETED ? 0 : -EINVAL;

	req->err = imb_authenc_done(req, buf, false, textlen, enc, j->auth_tag_output, st);
}

/*
 * Burst: contiguous requests go to the manager as jobs (the multi-buffer
 * lanes fill up across packets); chained ones run one by one afterwards.
 */
static uint16_t imb_authenc_burst(struct crypto_aead *tfm, struct aead_request **reqs,
				  uint16_t n, bool enc)
{
	struct imb_authenc_ctx *ctx = crypto_aead_ctx(tfm);
	IMB_MGR *m = imb_mgr();
	uint16_t i, later = 0;
	IMB_JOB *j;

	if (unlikely(!m)) {
		for (i = 0; i < n; i++)
			reqs[i]->err = -ENOMEM;
		return n;
	}
	for (i = 0; i < n; i++) {
		struct aead_request *req = reqs[i];
		uint32_t authsize = tfm->authsize;
		uint32_t textlen = enc ? req->cryptlen : req->cryptlen - authsize;
		uint32_t span = req->assoclen + (enc ? req->cryptlen + authsize : textlen);
		uint8_t *buf;
		bool bounced;
		int rc;

		/* Jobs run in place on a contiguous dst; the rest wait for the sync path. */
		if (!xsg_contig(req->dst, req->dst_off, span) || req->assoclen + textlen == 0 ||
		    textlen % AES_BLOCK) {
			req->err = 1;
			later++;
			continue;
		}
		buf = imb_authenc_prep(req, enc, &textlen, &bounced, &rc);
		req->err = 0;
		imb_authenc_fill(imb_job(m), ctx, req, buf, textlen, enc,
				 ((struct imb_authenc_req *)aead_request_ctx(req))->tag);
		for (j = IMB_SUBMIT_JOB(m); j; j = IMB_GET_COMPLETED_JOB(m))
			imb_authenc_complete(j, enc);
	}
	while ((j = IMB_FLUSH_JOB(m)) != NULL) {
		imb_authenc_complete(j, enc);
		while ((j = IMB_GET_COMPLETED_JOB(m)) != NULL)
			imb_authenc_complete(j, enc);
	}
	for (i = 0; later && i < n; i++) {
		if (reqs[i]->err != 1)
			continue;
		reqs[i]->err = imb_authenc_crypt(reqs[i], enc);
		later--;
	}
	return n;
}

static uint16_t imb_authenc_encrypt_burst(struct crypto_aead *tfm, struct aead_request **reqs,
					  uint16_t n)
{
	return imb_authenc_burst(tfm, reqs, n, true);
}

static uint16_t imb_authenc_decrypt_burst(struct crypto_aead *tfm, struct aead_request **reqs,
					  uint16_t n)
{
	return imb_authenc_burst(tfm, reqs, n, false);
}

/* ---- AEAD table ---- */

#define IMB_AEAD(name_, drv_, bs_, iv_, auth_, ctx_, rsz_, setkey_, setauth_, enc_, dec_, \
		 encb_, decb_)                                                \
	{                                                                     \
		.ivsize = (iv_),                                              \
		.maxauthsize = (auth_),                                       \
		.reqsize = (rsz_),                                            \
		.setkey = setkey_,                                            \
		.setauthsize = setauth_,                                      \
		.encrypt = enc_,                                              \
		.decrypt = dec_,                                              \
		.encrypt_burst = encb_,                                       \
		.decrypt_burst = decb_,                                       \
		.base = {                                                     \
			.cra_name = name_,                                    \
			.cra_driver_name = drv_,                              \
			.cra_module = IMB_MODULE,                             \
			.cra_priority = IMB_PRIORITY,                         \
			.cra_blocksize = (bs_),                               \
			.cra_ctxsize = sizeof(ctx_),                          \
		},                                                            \
	}

#define IMB_AUTHENC(sha, ds, setkey_)                                         \
	IMB_AEAD("authenc(hmac(" sha "),cbc(aes))", "authenc-hmac-" sha "-cbc-aes-ipsecmb", \
		 16, 16, ds, struct imb_authenc_ctx, sizeof(struct imb_authenc_req), setkey_, \
		 NULL, imb_authenc_encrypt, imb_authenc_decrypt, imb_authenc_encrypt_burst, \
		 imb_authenc_decrypt_burst)

static struct aead_alg imb_aeads[] = {
	IMB_AEAD("gcm(aes)", "gcm-aes-ipsecmb", 1, 12, 16, struct imb_gcm_ctx, 0,
		 imb_gcm_setkey, imb_gcm_setauthsize, imb_gcm_encrypt, imb_gcm_decrypt,
		 imb_gcm_encrypt_burst, imb_gcm_decrypt_burst),
	IMB_AEAD("rfc4106(gcm(aes))", "rfc4106-gcm-aes-ipsecmb", 1, 8, 16, struct imb_gcm_ctx, 0,
		 imb_gcm_esp_setkey, imb_rfc4106_setauthsize, imb_rfc4106_encrypt,
		 imb_rfc4106_decrypt, imb_rfc4106_encrypt_burst, imb_rfc4106_decrypt_burst),
	IMB_AEAD("rfc4543(gcm(aes))", "rfc4543-gcm-aes-ipsecmb", 1, 8, 16, struct imb_gcm_ctx, 0,
		 imb_gcm_esp_setkey, imb_rfc4543_setauthsize, imb_rfc4543_encrypt,
		 imb_rfc4543_decrypt, imb_rfc4543_encrypt_burst, imb_rfc4543_decrypt_burst),
	IMB_AEAD("rfc7539(chacha20,poly1305)", "rfc7539-chacha20-poly1305-ipsecmb", 1, 12, 16,
		 struct imb_chachapoly_ctx, 0, imb_chachapoly_setkey, imb_chachapoly_setauthsize,
		 imb_rfc7539_encrypt, imb_rfc7539_decrypt, imb_rfc7539_encrypt_burst,
		 imb_rfc7539_decrypt_burst),
	IMB_AEAD("rfc7539esp(chacha20,poly1305)", "rfc7539esp-chacha20-poly1305-ipsecmb", 1, 8,
		 16, struct imb_chachapoly_ctx, 0, imb_chachapoly_esp_setkey,
		 imb_chachapoly_setauthsize, imb_rfc7539esp_encrypt, imb_rfc7539esp_decrypt,
		 imb_rfc7539esp_encrypt_burst, imb_rfc7539esp_decrypt_burst),
	IMB_AUTHENC("sha1", 20, imb_authenc_sha1_setkey),
	IMB_AUTHENC("sha256", 32, imb_authenc_sha256_setkey),
	IMB_AUTHENC("sha384", 48, imb_authenc_sha384_setkey),
	IMB_AUTHENC("sha512", 64, imb_authenc_sha512_setkey),
};

#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *imb_arch_name(IMB_ARCH a)
{
	switch (a) {
	case IMB_ARCH_NOAESNI: return "no-aesni";
	case IMB_ARCH_SSE: return "sse";
	case IMB_ARCH_AVX: return "avx";
	case IMB_ARCH_AVX2: return "avx2";
	case IMB_ARCH_AVX512: return "avx512";
	default: return "none";
	}
}

/* The architecture the library picks on this CPU (for logs and tests). */
const char *ipsecmb_arch(void);
const char *ipsecmb_arch(void)
{
	return imb_arch_name(imb_arch);
}

static int imb_probe(void)
{
	IMB_MGR *m = alloc_mb_mgr(0);
	uint64_t f;

	if (!m)
		return -ENOMEM;
	init_mb_mgr_auto(m, &imb_arch);
	f = m->features;
	free_mb_mgr(m);
	if (imb_arch == IMB_ARCH_NONE || imb_arch == IMB_ARCH_NOAESNI)
		return -ENODEV;	/* no AES-NI: the generic code is as good */
	crypto_log(CRYPTO_LOG_INFO, "crypto: ipsecmb: intel-ipsec-mb %s, arch %s%s%s",
		   imb_get_version_str(), imb_arch_name(imb_arch),
		   (f & IMB_FEATURE_VAES) ? " +vaes" : "",
		   (f & IMB_FEATURE_VPCLMULQDQ) ? " +vpclmulqdq" : "");
	return 0;
}

static int imb_mod_init(void)
{
	int rc = imb_probe();

	if (rc)
		return rc;
	rc = crypto_register_skciphers(imb_skciphers, ARRAY_LEN(imb_skciphers));
	if (rc)
		return rc;
	rc = crypto_register_shashes(imb_shashes, ARRAY_LEN(imb_shashes));
	if (rc)
		goto out_skciphers;
	rc = crypto_register_aeads(imb_aeads, ARRAY_LEN(imb_aeads));
	if (rc)
		goto out_shashes;
	return 0;
out_shashes:
	crypto_unregister_shashes(imb_shashes, ARRAY_LEN(imb_shashes));
out_skciphers:
	crypto_unregister_skciphers(imb_skciphers, ARRAY_LEN(imb_skciphers));
	return rc;
}

static void imb_mod_exit(void)
{
	crypto_unregister_aeads(imb_aeads, ARRAY_LEN(imb_aeads));
	crypto_unregister_shashes(imb_shashes, ARRAY_LEN(imb_shashes));
	crypto_unregister_skciphers(imb_skciphers, ARRAY_LEN(imb_skciphers));
	/* This thread's manager; other threads free theirs when they exit. */
	if (imb_tls) {
		pthread_setspecific(imb_key, NULL);
		imb_thread_free(imb_tls);
		imb_tls = NULL;
	}
}

CRYPTO_MODULE(ipsecmb, CRYPTO_MODULE_DRIVER, imb_mod_init, imb_mod_exit)
