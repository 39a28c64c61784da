/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw crypto API: the interface for users of transforms.
 *
 * Algorithms register under a generic name ("gcm(aes)") and a unique driver
 * name ("gcm-aes-ipsecmb") with a priority. A user allocates a transform by
 * name: an exact driver name selects that driver, a generic name selects the
 * highest-priority driver that passed its self-test. Templates ("rfc4106(%s)")
 * are instantiated on first use.
 *
 * Control-plane calls (alloc/free/setkey) may allocate and take the registry
 * lock. Data-path calls (encrypt/decrypt/digest on a preallocated request) do
 * neither.
 *
 * Threads: once its key is set, a transform may be used by several threads
 * at once; all per-operation state lives in the request (or shash_desc),
 * which belongs to one thread. setkey/setauthsize must not race with use.
 */
#ifndef XFRMGW_CRYPTOAPI_CRYPTO_H
#define XFRMGW_CRYPTOAPI_CRYPTO_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sg.h"

#define CRYPTO_MAX_ALG_NAME 128

/* Algorithm types. */
enum crypto_alg_type {
	CRYPTO_ALG_TYPE_CIPHER = 1,	/* single block cipher */
	CRYPTO_ALG_TYPE_SKCIPHER,	/* modes over scatterlists */
	CRYPTO_ALG_TYPE_AEAD,
	CRYPTO_ALG_TYPE_SHASH,		/* digests and keyed digests */
	CRYPTO_ALG_TYPE_RNG,
};

/* Algorithm flags (cra_flags). TESTED and DEAD are set by the registry. */
#define CRYPTO_ALG_TESTED	0x0001u	/* self-test passed: selectable */
#define CRYPTO_ALG_INTERNAL	0x0002u	/* building block, only on request */
#define CRYPTO_ALG_ASYNC	0x0004u	/* may return -EINPROGRESS */
#define CRYPTO_ALG_HARDWARE	0x0008u	/* runs on a device */
#define CRYPTO_ALG_DEAD		0x0010u	/* self-test failed or device gone */
#define CRYPTO_ALG_INSTANCE	0x0020u	/* created by a template */
#define CRYPTO_ALG_REGISTRY_FLAGS (CRYPTO_ALG_TESTED | CRYPTO_ALG_DEAD | CRYPTO_ALG_INSTANCE)

/*
 * Selection modifiers, passed in the `type` argument of the alloc calls.
 * They are not algorithm flags.
 *  CRYPTO_SELECT_FASTEST: among tested candidates prefer the highest
 *   throughput measured at registration (cra_perf_mbps), priority breaks ties
 *   and unmeasured candidates rank below measured ones.
 */
#define CRYPTO_SELECT_FASTEST	0x10000u

/* Flags on a transform. */
#define CRYPTO_TFM_NEED_KEY	0x1u

struct crypto_alg;

/* Common part of every transform; the driver's context follows it. */
struct crypto_tfm {
	struct crypto_alg *alg;
	uint32_t crt_flags;
	uint32_t ctxsize;
	void *__ctx[] __attribute__((aligned(64)));
};

static inline void *crypto_tfm_ctx(struct crypto_tfm *tfm)
{
	return tfm->__ctx;
}

struct crypto_cipher {
	struct crypto_tfm base;
};

struct crypto_skcipher {
	uint32_t reqsize;
	struct crypto_tfm base;
};

struct crypto_aead {
	uint32_t authsize;
	uint32_t reqsize;
	struct crypto_tfm base;
};

struct crypto_shash {
	uint32_t descsize;
	struct crypto_tfm base;
};

struct crypto_rng {
	struct crypto_tfm base;
};

/* Completion for asynchronous requests: err is 0, -EBADMSG, ... */
typedef void (*crypto_completion_t)(void *data, int err);

/*
 * skcipher request: cryptlen bytes from src to dst (same list for in place),
 * iv is read and updated to the chaining value for the next request.
 */
struct skcipher_request {
	struct crypto_skcipher *tfm;
	const struct xsg *src;
	const struct xsg *dst;
	uint32_t src_off;	/* logical offset into src where data starts */
	uint32_t dst_off;
	uint32_t cryptlen;
	uint8_t *iv;
	crypto_completion_t complete;
	void *data;
	int err;
	void *__ctx[] __attribute__((aligned(16)));
};

/*
 * AEAD request, with the layout of the kernel's AEAD interface:
 *  src at src_off: assoclen bytes of associated data, then cryptlen bytes
 *  (plaintext on encrypt; ciphertext || ICV on decrypt);
 *  dst at dst_off: the same layout; on encrypt the ICV (authsize bytes) is
 *  written after the ciphertext. Out of place, the associated data is copied
 *  to dst as well. Decrypt returns -EBADMSG when the ICV does not verify; the
 *  comparison is constant time and no plaintext is trusted then.
 * The ESP templates (rfc4106, rfc4543, rfc7539esp) follow the kernel rule
 * that the last 8 bytes of the associated data are the explicit IV.
 */
struct aead_request {
	struct crypto_aead *tfm;
	const struct xsg *src;
	const struct xsg *dst;
	uint32_t src_off;
	uint32_t dst_off;
	uint32_t assoclen;
	uint32_t cryptlen;
	uint8_t *iv;
	crypto_completion_t complete;
	void *data;
	int err;
	void *__ctx[] __attribute__((aligned(16)));
};

/* Hash state: the driver's state follows. */
struct shash_desc {
	struct crypto_shash *tfm;
	void *__ctx[] __attribute__((aligned(16)));
};

static inline void *skcipher_request_ctx(struct skcipher_request *req) { return req->__ctx; }
static inline void *aead_request_ctx(struct aead_request *req) { return req->__ctx; }
static inline void *shash_desc_ctx(struct shash_desc *desc) { return desc->__ctx; }

/* ---- lifetime of the API ---- */

/* Registers every built-in algorithm and template and runs their self-tests. */
int crypto_init(void);
void crypto_exit(void);

/* ---- transforms (control plane) ---- */

/*
 * type/mask select on algorithm flags as in the kernel: an algorithm matches
 * when (cra_flags & mask) == (type & mask). Internal algorithms match only
 * when CRYPTO_ALG_INTERNAL is in both. Errors: -ENOENT (no such algorithm),
 * -ELIBBAD (only candidates that failed their self-test), -EINVAL, -ENOMEM.
 */
int crypto_alloc_cipher(struct crypto_cipher **out, const char *name, uint32_t type, uint32_t mask);
int crypto_alloc_skcipher(struct crypto_skcipher **out, const char *name, uint32_t type, uint32_t mask);
int crypto_alloc_aead(struct crypto_aead **out, const char *name, uint32_t type, uint32_t mask);
int crypto_alloc_shash(struct crypto_shash **out, const char *name, uint32_t type, uint32_t mask);
int crypto_alloc_rng(struct crypto_rng **out, const char *name, uint32_t type, uint32_t mask);

/* Free a transform: the driver's exit runs, the context (keys) is zeroed. */
void crypto_free_cipher(struct crypto_cipher *tfm);
void crypto_free_skcipher(struct crypto_skcipher *tfm);
void crypto_free_aead(struct crypto_aead *tfm);
void crypto_free_shash(struct crypto_shash *tfm);
void crypto_free_rng(struct crypto_rng *tfm);

/* Does an algorithm of this type and name exist (tested)? Instantiates templates. */
bool crypto_has_alg(const char *name, enum crypto_alg_type type, uint32_t mask);

const char *crypto_tfm_alg_name(const struct crypto_tfm *tfm);
const char *crypto_tfm_alg_driver_name(const struct crypto_tfm *tfm);

/* ---- single block cipher ---- */
int crypto_cipher_setkey(struct crypto_cipher *tfm, const uint8_t *key, unsigned int keylen);
void crypto_cipher_encrypt_one(struct crypto_cipher *tfm, uint8_t *dst, const uint8_t *src);
void crypto_cipher_decrypt_one(struct crypto_cipher *tfm, uint8_t *dst, const uint8_t *src);
unsigned int crypto_cipher_blocksize(const struct crypto_cipher *tfm);

/* ---- skcipher ---- */
int crypto_skcipher_setkey(struct crypto_skcipher *tfm, const uint8_t *key, unsigned int keylen);
unsigned int crypto_skcipher_ivsize(const struct crypto_skcipher *tfm);
unsigned int crypto_skcipher_blocksize(const struct crypto_skcipher *tfm);
/* Size of a request for this transform, driver scratch included. */
size_t crypto_skcipher_reqsize(const struct crypto_skcipher *tfm);
struct skcipher_request *skcipher_request_alloc(struct crypto_skcipher *tfm);
/* Prepare caller-provided memory of crypto_skcipher_reqsize() bytes. */
void skcipher_request_init(struct skcipher_request *req, struct crypto_skcipher *tfm);
void skcipher_request_free(struct skcipher_request *req);
static inline void skcipher_request_set_crypt(struct skcipher_request *req,
					      const struct xsg *src, uint32_t src_off,
					      const struct xsg *dst, uint32_t dst_off,
					      uint32_t cryptlen, uint8_t *iv)
{
	req->src = src;
	req->src_off = src_off;
	req->dst = dst;
	req->dst_off = dst_off;
	req->cryptlen = cryptlen;
	req->iv = iv;
}
static inline void skcipher_request_set_callback(struct skcipher_request *req,
						 crypto_completion_t fn, void *data)
{
	req->complete = fn;
	req->data = data;
}
int crypto_skcipher_encrypt(struct skcipher_request *req);
int crypto_skcipher_decrypt(struct skcipher_request *req);

/* ---- aead ---- */
int crypto_aead_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen);
int crypto_aead_setauthsize(struct crypto_aead *tfm, unsigned int authsize);
unsigned int crypto_aead_ivsize(const struct crypto_aead *tfm);
unsigned int crypto_aead_maxauthsize(const struct crypto_aead *tfm);
unsigned int crypto_aead_blocksize(const struct crypto_aead *tfm);
static inline unsigned int crypto_aead_authsize(const struct crypto_aead *tfm)
{
	return tfm->authsize;
}
size_t crypto_aead_reqsize(const struct crypto_aead *tfm);
struct aead_request *aead_request_alloc(struct crypto_aead *tfm);
void aead_request_init(struct aead_request *req, struct crypto_aead *tfm);
void aead_request_free(struct aead_request *req);
static inline void aead_request_set_crypt(struct aead_request *req,
					  const struct xsg *src, uint32_t src_off,
					  const struct xsg *dst, uint32_t dst_off,
					  uint32_t cryptlen, uint8_t *iv)
{
	req->src = src;
	req->src_off = src_off;
	req->dst = dst;
	req->dst_off = dst_off;
	req->cryptlen = cryptlen;
	req->iv = iv;
}
static inline void aead_request_set_ad(struct aead_request *req, uint32_t assoclen)
{
	req->assoclen = assoclen;
}
static inline void aead_request_set_callback(struct aead_request *req,
					     crypto_completion_t fn, void *data)
{
	req->complete = fn;
	req->data = data;
}
/* 0 when done, -EINPROGRESS when the completion will be called, else an error. */
int crypto_aead_encrypt(struct aead_request *req);
int crypto_aead_decrypt(struct aead_request *req);
/*
 * Burst forms: every request gets its err set (or -EINPROGRESS and a later
 * completion). Returns how many requests were accepted, in order; the rest
 * were not touched (e.g. a device queue was full) and may be resubmitted.
 */
uint16_t crypto_aead_encrypt_burst(struct crypto_aead *tfm, struct aead_request **reqs, uint16_t n);
uint16_t crypto_aead_decrypt_burst(struct crypto_aead *tfm, struct aead_request **reqs, uint16_t n);
/*
 * Drive completions of an asynchronous transform: runs up to max completion
 * callbacks and returns how many ran. 0 for synchronous transforms.
 */
unsigned int crypto_aead_poll(struct crypto_aead *tfm, unsigned int max);

/* ---- shash ---- */
int crypto_shash_setkey(struct crypto_shash *tfm, const uint8_t *key, unsigned int keylen);
unsigned int crypto_shash_digestsize(const struct crypto_shash *tfm);
unsigned int crypto_shash_blocksize(const struct crypto_shash *tfm);
static inline size_t crypto_shash_descsize(const struct crypto_shash *tfm)
{
	return sizeof(struct shash_desc) + tfm->descsize;
}
/* Declare a hash state on the stack (max state of any built-in hash). */
#define SHASH_DESC_MAX_SIZE 512
#define SHASH_DESC_ON_STACK(name, tfm_)                                       \
	union {                                                               \
		struct shash_desc d;                                          \
		uint8_t b[sizeof(struct shash_desc) + SHASH_DESC_MAX_SIZE];   \
	} name##_u __attribute__((aligned(64)));                              \
	struct shash_desc *name = &name##_u.d;                                \
	name->tfm = (tfm_)
int crypto_shash_init(struct shash_desc *desc);
int crypto_shash_update(struct shash_desc *desc, const uint8_t *data, size_t len);
int crypto_shash_final(struct shash_desc *desc, uint8_t *out);
int crypto_shash_digest(struct shash_desc *desc, const uint8_t *data, size_t len, uint8_t *out);
/* Feed bytes [off, off + len) of a scatterlist. */
int crypto_shash_update_sg(struct shash_desc *desc, const struct xsg *sg, uint32_t off, uint32_t len);
/* Wipe a hash state (it may hold keyed material). */
void shash_desc_zero(struct shash_desc *desc);

/* ---- rng ---- */
int crypto_rng_reset(struct crypto_rng *tfm, const uint8_t *seed, unsigned int slen);
int crypto_rng_generate(struct crypto_rng *tfm, const uint8_t *addtl, unsigned int alen,
			uint8_t *dst, unsigned int dlen);
static inline int crypto_rng_get_bytes(struct crypto_rng *tfm, uint8_t *dst, unsigned int dlen)
{
	return crypto_rng_generate(tfm, NULL, 0, dst, dlen);
}
/* The process-wide default generator ("stdrng"), created by crypto_init(). */
int crypto_get_random_bytes(uint8_t *dst, unsigned int dlen);

/* ---- utilities ---- */
/* Constant-time comparison: 0 when equal. */
int crypto_memneq(const void *a, const void *b, size_t len);
/* Zero memory in a way the compiler cannot elide. */
void crypto_wipe(void *p, size_t len);

#endif
