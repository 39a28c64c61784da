/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals shared by the intel-ipsec-mb driver files (overview in
 * ipsecmb.c): constants, this thread's manager and bounce buffer, running
 * one job, AES key schedules and HMAC pad states (the authenc() driver
 * reuses both), and the helper building an AEAD table entry.
 */
#ifndef XFRMGW_CRYPTOAPI_HW_IPSECMB_H
#define XFRMGW_CRYPTOAPI_HW_IPSECMB_H

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

/* ---- per-thread manager and bounce buffer (ipsecmb_mgr.c) ---- */

struct imb_thread {
	IMB_MGR *mgr;
	IMB_MGR *mgr_sha;	/* SSE manager with SHA-NI, for single HMAC jobs */
	uint8_t *bounce;
	size_t bounce_len;
};

/* This thread's state, NULL until its first operation. */
extern __thread struct imb_thread *imb_tls;

/* First use on this thread: allocate and initialise a manager. */
struct imb_thread *imb_thread_new(void);
/* Free this thread's state now (module exit; other threads free theirs at exit). */
void imb_thread_release(void);

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
uint8_t *imb_bounce(size_t len);

/* Pointer to len bytes at off, gathered into the bounce buffer when chained. */
static inline const uint8_t *imb_linear(const struct xsg *sg, uint32_t off, uint32_t len)
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

/* Zero len bytes of a list (unverified plaintext after a failed tag check). */
static inline void imb_sg_zero(const struct xsg *sg, uint32_t off, uint32_t len)
{
	struct xsg_iter it;
	uint8_t *p;
	uint32_t n;

	xsg_iter_init(&it, sg, off, len);
	while ((n = xsg_iter_next(&it, &p, UINT32_MAX)) != 0)
		crypto_wipe(p, n);
}

/* Run one job to completion (the queue is empty outside bursts). */
int imb_run_job(IMB_MGR *m);

static inline IMB_JOB *imb_job(IMB_MGR *m)
{
	IMB_JOB *j = IMB_GET_NEXT_JOB(m);

	memset(j, 0, sizeof(*j));
	j->cipher_mode = IMB_CIPHER_NULL;
	j->hash_alg = IMB_AUTH_NULL;
	j->chain_order = IMB_ORDER_CIPHER_HASH;
	j->cipher_direction = IMB_DIR_ENCRYPT;
	return j;
}

/* ---- AES key schedules (ipsecmb_cipher.c) ---- */

struct imb_aes_key {
	uint8_t enc[16 * 15] __attribute__((aligned(16)));
	uint8_t dec[16 * 15] __attribute__((aligned(16)));
	uint32_t keylen;
};

int imb_aes_expand(struct imb_aes_key *k, const uint8_t *key, unsigned int keylen);

/* One AES job over len contiguous bytes (CBC or CTR), run to completion. */
static inline int imb_cipher_job(IMB_MGR *m, const struct imb_aes_key *k,
				 IMB_CIPHER_MODE mode, bool enc, uint8_t *dst,
				 const uint8_t *src, uint32_t len, const uint8_t *iv)
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

/* ---- HMAC pad states (ipsecmb_hash.c) ---- */

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

enum { SHA1_I, SHA224_I, SHA256_I, SHA384_I, SHA512_I };

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

/* RFC 2104 2: pad states of key for the hash imb_shas[idx] (SHA1_I, ...). */
int imb_hmac_setkey_common(struct imb_hmac_key *k, int idx, const uint8_t *key,
			   unsigned int keylen);

/* ---- AEAD table entries (gcm, chachapoly, authenc) ---- */

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


#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- registration of each family, all or none (ipsecmb.c calls them in order) ---- */

int imb_register_skciphers(void);
void imb_unregister_skciphers(void);
int imb_register_shashes(void);
void imb_unregister_shashes(void);
int imb_register_gcm(void);
void imb_unregister_gcm(void);
int imb_register_chachapoly(void);
void imb_unregister_chachapoly(void);
int imb_register_authenc(void);
void imb_unregister_authenc(void);

#endif
