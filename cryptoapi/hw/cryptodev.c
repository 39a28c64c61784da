/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK cryptodev driver: AEAD transforms executed by a lookaside device
 * (QAT in production; crypto_aesni_mb and crypto_openssl vdevs here).
 *
 * One algorithm per (capability, device). A transform owns device sessions
 * (encrypt and decrypt, one pair per associated-data length the device must
 * know in advance). A request is staged in a slot of the calling thread's
 * queue pair: IV, associated data and (when the ICV straddles runs) the ICV
 * live in the slot, which is in DPDK memory so that a device can DMA them.
 * The data itself is described without copying, either as a raw-data-path
 * scatter list (devices with RTE_CRYPTODEV_FF_SYM_RAW_DP) or as a chain of
 * mbufs with the request's runs attached as external buffers. Out-of-place
 * requests are copied to the destination first and run in place there.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cryptodev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_spinlock.h>

#include "cryptoapi/algapi.h"
#include "cryptoapi/hw/cryptodev.h"

#define CDEV_BURST	32u
#define CDEV_AAD_MAX	256	/* associated data staged per request */
#define CDEV_KEY_MAX	288	/* authenc blob: rtattr + HMAC key + AES key */
#define CDEV_MAX_SESS	8	/* distinct associated-data lengths per transform */
#define CDEV_IV_OFFSET	(sizeof(struct rte_crypto_op) + sizeof(struct rte_crypto_sym_op))
#define CDEV_MAX_ALGS	16
#define CDEV_MAX_SEGS	16	/* runs per request (aesni_mb's SGL limit) */

/* ---- what a device can be asked to do ---- */

enum cdev_kind {
	CDEV_AEAD,	/* one AEAD xform: GCM, ChaCha20-Poly1305 */
	CDEV_GMAC,	/* one auth xform: RFC 4543, nothing encrypted */
	CDEV_CHAIN,	/* cipher then auth (encrypt-then-MAC, authenc) */
};

struct cdev_def {
	const char *name;	/* generic name */
	const char *stem;	/* driver name = stem-<device> */
	enum cdev_kind kind;
	int algo;		/* AEAD: aead algo; GMAC: auth algo; CHAIN: auth algo */
	int cipher;		/* CHAIN: cipher algo */
	uint8_t saltlen;	/* ESP forms: the key ends in a nonce salt */
	uint8_t ivsize;
	uint8_t maxauthsize;
	uint8_t blocksize;
	uint8_t esp;		/* 1: assoc is SPI||seq[||seq_hi]||IV (16 or 20 bytes), 2: assoc >= 8 ends in IV */
	uint64_t authsizes;	/* bit n: ICV of n bytes allowed */
};

/* Allowed ICV lengths: bit n-1 set when n bytes are allowed. */
#define BIT(n) (1ull << ((n) - 1))
#define BITS_UPTO(n) (~0ull >> (64 - (n)))

static const struct cdev_def cdev_defs[] = {
	/* GCM, NIST SP 800-38D 5.2.1.2: tags of 4, 8 and 12..16 bytes */
	{ "gcm(aes)", "gcm-aes", CDEV_AEAD, RTE_CRYPTO_AEAD_AES_GCM, 0, 0, 12, 16, 1, 0,
	  BIT(4) | BIT(8) | BIT(12) | BIT(13) | BIT(14) | BIT(15) | BIT(16) },
	/* RFC 4106 8.1: ICV of 8, 12 or 16 bytes; 4-byte salt ends the key */
	{ "rfc4106(gcm(aes))", "rfc4106-gcm-aes", CDEV_AEAD, RTE_CRYPTO_AEAD_AES_GCM, 0, 4, 8, 16,
	  1, 1, BIT(8) | BIT(12) | BIT(16) },
	/* RFC 4543 3.5: 16-byte ICV, AAD = SPI || seq || IV || payload */
	{ "rfc4543(gcm(aes))", "rfc4543-gcm-aes", CDEV_GMAC, RTE_CRYPTO_AUTH_AES_GMAC, 0, 4, 8, 16,
	  1, 1, BIT(16) },
	/* RFC 8439 2.8 */
	{ "rfc7539(chacha20,poly1305)", "rfc7539-chacha20-poly1305", CDEV_AEAD,
	  RTE_CRYPTO_AEAD_CHACHA20_POLY1305, 0, 0, 12, 16, 1, 0, BIT(16) },
	/* RFC 7634 2-3: 4-byte salt, 8-byte IV, AAD without the IV */
	{ "rfc7539esp(chacha20,poly1305)", "rfc7539esp-chacha20-poly1305", CDEV_AEAD,
	  RTE_CRYPTO_AEAD_CHACHA20_POLY1305, 0, 4, 8, 16, 1, 2, BIT(16) },
	/* authenc: HMAC (RFC 2104) over assoc || ciphertext, truncated as asked */
	{ "authenc(hmac(sha1),cbc(aes))", "authenc-hmac-sha1-cbc-aes", CDEV_CHAIN,
	  RTE_CRYPTO_AUTH_SHA1_HMAC, RTE_CRYPTO_CIPHER_AES_CBC, 0, 16, 20, 16, 0, BITS_UPTO(20) },
	{ "authenc(hmac(sha256),cbc(aes))", "authenc-hmac-sha256-cbc-aes", CDEV_CHAIN,
	  RTE_CRYPTO_AUTH_SHA256_HMAC, RTE_CRYPTO_CIPHER_AES_CBC, 0, 16, 32, 16, 0, BITS_UPTO(32) },
	{ "authenc(hmac(sha384),cbc(aes))", "authenc-hmac-sha384-cbc-aes", CDEV_CHAIN,
	  RTE_CRYPTO_AUTH_SHA384_HMAC, RTE_CRYPTO_CIPHER_AES_CBC, 0, 16, 48, 16, 0, BITS_UPTO(48) },
	{ "authenc(hmac(sha512),cbc(aes))", "authenc-hmac-sha512-cbc-aes", CDEV_CHAIN,
	  RTE_CRYPTO_AUTH_SHA512_HMAC, RTE_CRYPTO_CIPHER_AES_CBC, 0, 16, 64, 16, 0, BITS_UPTO(64) },
};

/* ---- devices, queue pairs, slots ---- */

struct cdev_slot {
	struct aead_request *req;
	struct rte_crypto_op *op;	/* mbuf path */
	struct rte_mbuf *m;		/* chain over the request's runs */
	struct rte_crypto_vec *vec;	/* raw path: XSG_MAX_ENTS entries */
	rte_iova_t iova;		/* of this slot */
	uint32_t digest_off;		/* where a staged ICV goes back (encrypt) */
	uint16_t idx;
	bool in_flight;
	bool digest_staged;
	bool enc;
	struct rte_mbuf_ext_shared_info shinfo;
	uint8_t iv[16] __rte_aligned(16);	/* raw path */
	uint8_t digest[64] __rte_aligned(16);
	uint8_t aad[CDEV_AAD_MAX] __rte_aligned(16);
} __rte_cache_aligned;

/* After the sym op: the IV the device reads, and the way back to the slot. */
struct cdev_op_priv {
	uint8_t iv[16];
	struct cdev_slot *slot;
};

struct cdev_dev;

struct cdev_qp {
	rte_spinlock_t lock;
	struct cdev_dev *dev;
	uint16_t id;
	uint32_t nslots;
	uint32_t nfree;
	uint16_t *freelist;
	struct cdev_slot *slots;
	struct rte_crypto_raw_dp_ctx *raw;	/* raw path */
	void *raw_sess;
	bool raw_ready;
} __rte_cache_aligned;

struct cdev_alg {
	struct aead_alg alg;
	struct cdev_dev *dev;
	const struct cdev_def *def;
	const struct rte_cryptodev_symmetric_capability *cap;	/* AEAD or GMAC or auth */
	const struct rte_cryptodev_symmetric_capability *ccap;	/* CHAIN cipher */
	bool registered;
};

struct cdev_dev {
	uint8_t id;
	char name[RTE_CRYPTODEV_NAME_MAX_LEN];
	struct rte_cryptodev_info info;
	bool hw;
	bool raw;
	bool started;
	atomic_bool dead;
	uint16_t nqp;
	struct cdev_qp *qps;
	struct rte_mempool *sess_pool;
	struct rte_mempool *op_pool;
	struct rte_mempool *mbuf_pool;
	int nalgs;
	struct cdev_alg algs[CDEV_MAX_ALGS];
};

/* Transform context: device sessions keyed by associated-data length. */
struct cdev_sess {
	uint16_t aadlen;
	void *s[2];	/* [0] encrypt, [1] decrypt */
};

struct cdev_ctx {
	pthread_mutex_t lock;	/* creation of sessions for new lengths */
	atomic_uint nsess;
	struct cdev_sess sess[CDEV_MAX_SESS];
	uint8_t key[CDEV_KEY_MAX];
	uint32_t keylen;
	uint8_t salt[4];
	bool keyed;
};

static struct cdev_dev *cdev_devs[RTE_CRYPTO_MAX_DEVS];
static struct crypto_cryptodev_conf cdev_conf;
static bool cdev_module_loaded;
static pthread_mutex_t cdev_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint cdev_thread_next;
static __thread int cdev_thread_idx = -1;

static inline struct cdev_alg *cdev_alg_of(const struct crypto_aead *tfm)
{
	return container_of(tfm->base.alg, struct cdev_alg, alg.base);
}

static bool range_ok(const struct rte_crypto_param_range *r, uint32_t v)
{
	if (v < r->min || v > r->max)
		return false;
	return r->increment == 0 ? v == r->min || v == r->max : (v - r->min) % r->increment == 0;
}

static inline rte_iova_t cdev_iova(const struct cdev_dev *d, const void *va)
{
	/* Software devices only read virtual addresses. */
	return d->hw ? rte_mem_virt2iova(va) : (rte_iova_t)(uintptr_t)va;
}

static void cdev_mark_dead(struct cdev_dev *d, const char *why)
{
	if (atomic_exchange(&d->dead, true))
		return;
	crypto_log(CRYPTO_LOG_WARNING, "cryptodev: %s out of service (%s); its algorithms are dead",
		   d->name, why);
	for (int i = 0; i < d->nalgs; i++)
		if (d->algs[i].registered)
			crypto_alg_mark_dead(&d->algs[i].alg.base);
}

/* ---- sessions ---- */

static void cdev_fill_xforms(struct rte_crypto_sym_xform x[2], const struct cdev_alg *ca,
			     const struct cdev_ctx *ctx, unsigned int authsize, uint16_t aadlen,
			     bool enc, uint8_t *keybuf)
{
	const struct cdev_def *def = ca->def;

	memset(x, 0, 2 * sizeof(*x));
	if (def->kind == CDEV_AEAD) {
		x[0].type = RTE_CRYPTO_SYM_XFORM_AEAD;
		x[0].aead.op = enc ? RTE_CRYPTO_AEAD_OP_ENCRYPT : RTE_CRYPTO_AEAD_OP_DECRYPT;
		x[0].aead.algo = def->algo;
		x[0].aead.key.data = ctx->key;
		x[0].aead.key.length = ctx->keylen - def->saltlen;
		x[0].aead.iv.offset = CDEV_IV_OFFSET;
		x[0].aead.iv.length = 12;
		x[0].aead.digest_length = authsize;
		x[0].aead.aad_length = aadlen;
		return;
	}
	if (def->kind == CDEV_GMAC) {
		x[0].type = RTE_CRYPTO_SYM_XFORM_AUTH;
		x[0].auth.op = enc ? RTE_CRYPTO_AUTH_OP_GENERATE : RTE_CRYPTO_AUTH_OP_VERIFY;
		x[0].auth.algo = def->algo;
		x[0].auth.key.data = ctx->key;
		x[0].auth.key.length = ctx->keylen - def->saltlen;
		x[0].auth.iv.offset = CDEV_IV_OFFSET;
		x[0].auth.iv.length = 12;
		x[0].auth.digest_length = authsize;
		return;
	}
	/* authenc: keys were validated at setkey; keybuf holds the AES key. */
	{
		struct authenc_keys k;
		struct rte_crypto_sym_xform *c, *a;

		crypto_authenc_extractkeys(&k, ctx->key, ctx->keylen);
		memcpy(keybuf, k.enckey, k.enckeylen);
		/* Encrypt-then-MAC: encrypt = cipher then auth; decrypt = verify then decipher. */
		c = enc ? &x[0] : &x[1];
		a = enc ? &x[1] : &x[0];
		c->type = RTE_CRYPTO_SYM_XFORM_CIPHER;
		c->cipher.op = enc ? RTE_CRYPTO_CIPHER_OP_ENCRYPT : RTE_CRYPTO_CIPHER_OP_DECRYPT;
		c->cipher.algo = def->cipher;
		c->cipher.key.data = keybuf;
		c->cipher.key.length = k.enckeylen;
		c->cipher.iv.offset = CDEV_IV_OFFSET;
		c->cipher.iv.length = 16;
		a->type = RTE_CRYPTO_SYM_XFORM_AUTH;
		a->auth.op = enc ? RTE_CRYPTO_AUTH_OP_GENERATE : RTE_CRYPTO_AUTH_OP_VERIFY;
		a->auth.algo = def->algo;
		a->auth.key.data = k.authkey;
		a->auth.key.length = k.authkeylen;
		a->auth.digest_length = authsize;
		x[0].next = &x[1];
	}
}

static void cdev_sess_free_all(struct cdev_ctx *ctx, struct cdev_dev *d)
{
	unsigned int n = atomic_load(&ctx->nsess);

	for (unsigned int i = 0; i < n; i++)
		for (int k = 0; k < 2; k++)
			if (ctx->sess[i].s[k])
				rte_cryptodev_sym_session_free(d->id, ctx->sess[i].s[k]);
	memset(ctx->sess, 0, sizeof(ctx->sess));
	atomic_store(&ctx->nsess, 0);
}

/* Create the encrypt/decrypt pair for one associated-data length (ctx->lock held). */
static int cdev_sess_add(struct crypto_aead *tfm, uint16_t aadlen)
{
	struct cdev_ctx *ctx = crypto_aead_ctx(tfm);
	struct cdev_alg *ca = cdev_alg_of(tfm);
	unsigned int n = atomic_load(&ctx->nsess);
	struct rte_crypto_sym_xform x[2];
	uint8_t keybuf[64];
	struct cdev_sess *s;
	int rc = 0;

	if (n >= CDEV_MAX_SESS)
		return -ENOSPC;
	s = &ctx->sess[n];
	s->aadlen = aadlen;
	for (int k = 0; k < 2; k++) {
		cdev_fill_xforms(x, ca, ctx, tfm->authsize, aadlen, k == 0, keybuf);
		s->s[k] = rte_cryptodev_sym_session_create(ca->dev->id, x, ca->dev->sess_pool);
		if (!s->s[k]) {
			rc = rte_errno == ENOMEM ? -ENOMEM : rte_errno == ENOTSUP ? -EINVAL : -EIO;
			break;
		}
	}
	crypto_wipe(keybuf, sizeof(keybuf));
	crypto_wipe(x, sizeof(x));
	if (rc) {
		for (int k = 0; k < 2; k++)
			if (s->s[k])
				rte_cryptodev_sym_session_free(ca->dev->id, s->s[k]);
		memset(s, 0, sizeof(*s));
		return rc;
	}
	atomic_store_explicit(&ctx->nsess, n + 1, memory_order_release);
	return 0;
}

/* Session for a request: found lock-free; a new length is created once. */
static void *cdev_sess_get(struct crypto_aead *tfm, uint16_t aadlen, bool enc)
{
	struct cdev_ctx *ctx = crypto_aead_ctx(tfm);
	unsigned int n = atomic_load_explicit(&ctx->nsess, memory_order_acquire);
	void *sess = NULL;

	for (unsigned int i = 0; i < n; i++)
		if (ctx->sess[i].aadlen == aadlen)
			return ctx->sess[i].s[enc ? 0 : 1];
	pthread_mutex_lock(&ctx->lock);
	n = atomic_load(&ctx->nsess);
	for (unsigned int i = 0; i < n && !sess; i++)
		if (ctx->sess[i].aadlen == aadlen)
			sess = ctx->sess[i].s[enc ? 0 : 1];
	if (!sess && cdev_sess_add(tfm, aadlen) == 0)
		sess = ctx->sess[n].s[enc ? 0 : 1];
	pthread_mutex_unlock(&ctx->lock);
	return sess;
}

/* The lengths ESP uses are created up front so that the data path never has to. */
static int cdev_sess_rebuild(struct crypto_aead *tfm)
{
	struct cdev_ctx *ctx = crypto_aead_ctx(tfm);
	struct cdev_alg *ca = cdev_alg_of(tfm);
	int rc = 0;

	pthread_mutex_lock(&ctx->lock);
	cdev_sess_free_all(ctx, ca->dev);
	if (ca->def->kind != CDEV_AEAD)
		rc = cdev_sess_add(tfm, 0);
	else if (ca->def->esp)
		rc = cdev_sess_add(tfm, 8) ?: cdev_sess_add(tfm, 12);	/* SPI||seq[||seq_hi] */
	pthread_mutex_unlock(&ctx->lock);
	return rc;
}

/* ---- transform ops ---- */

static int cdev_init_tfm(struct crypto_aead *tfm)
{
	struct cdev_ctx *ctx = crypto_aead_ctx(tfm);

	pthread_mutex_init(&ctx->lock, NULL);
	atomic_init(&ctx->nsess, 0);
	return 0;
}

static void cdev_exit_tfm(struct crypto_aead *tfm)
{
	struct cdev_ctx *ctx = crypto_aead_ctx(tfm);

	cdev_sess_free_all(ctx, cdev_alg_of(tfm)->dev);
	pthread_mutex_destroy(&ctx->lock);
}

static int cdev_check_keys(const struct cdev_alg *ca, const uint8_t *key, unsigned int keylen)
{
	const struct cdev_def *def = ca->def;
	struct authenc_keys k;

	if (keylen > CDEV_KEY_MAX)
		return -EINVAL;
	if (def->kind == CDEV_AEAD)
		return keylen >= def->saltlen && range_ok(&ca->cap->aead.key_size, keylen - def->saltlen) ?
		       0 : -EINVAL;
	if (def->kind == CDEV_GMAC)
		return keylen >= def->saltlen && range_ok(&ca->cap->auth.key_size, keylen - def->saltlen) ?
		       0 : -EINVAL;
	if (crypto_authenc_extractkeys(&k, key, keylen))
		return -EINVAL;
	if (!range_ok(&ca->ccap->cipher.key_size, k.enckeylen) || k.enckeylen > 64 ||
	    !range_ok(&ca->cap->auth.key_size, k.authkeylen))
		return -EINVAL;
	return 0;
}

static int cdev_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen)
{
	struct cdev_ctx *ctx = crypto_aead_ctx(tfm);
	struct cdev_alg *ca = cdev_alg_of(tfm);
	int rc = cdev_check_keys(ca, key, keylen);

	if (rc)
		return rc;
	if (atomic_load(&ca->dev->dead))
		return -ENODEV;
	crypto_wipe(ctx->key, sizeof(ctx->key));
	memcpy(ctx->key, key, keylen);
	ctx->keylen = keylen;
	if (ca->def->saltlen)
		memcpy(ctx->salt, key + keylen - ca->def->saltlen, ca->def->saltlen);
	ctx->keyed = true;
	rc = cdev_sess_rebuild(tfm);
	if (rc) {
		crypto_wipe(ctx->key, sizeof(ctx->key));
		ctx->keyed = false;
	}
	return rc;
}

static int cdev_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	struct cdev_alg *ca = cdev_alg_of(tfm);
	const struct rte_crypto_param_range *r = ca->def->kind == CDEV_AEAD ?
		&ca->cap->aead.digest_size : &ca->cap->auth.digest_size;
	struct cdev_ctx *ctx = crypto_aead_ctx(tfm);
	unsigned int old = tfm->authsize;
	int rc;

	if (authsize == 0 || authsize > 64 || !(ca->def->authsizes & BIT(authsize)) || !range_ok(r, authsize))
		return -EINVAL;
	if (!ctx->keyed || authsize == old)
		return 0;
	/* Sessions carry the ICV length: rebuild them with the new one. */
	tfm->authsize = authsize;
	rc = cdev_sess_rebuild(tfm);
	tfm->authsize = old;
	return rc;
}

/* ---- staging a request ---- */

struct cdev_layout {
	void *sess;
	uint32_t assoclen;	/* bytes before the text in the data */
	uint32_t aadlen;	/* AEAD: associated data staged in the slot */
	uint32_t textlen;	/* bytes encrypted or decrypted */
	uint32_t authsize;
	bool enc;
};

static int cdev_layout(struct aead_request *req, bool enc, struct cdev_layout *l)
{
	struct crypto_aead *tfm = req->tfm;
	const struct cdev_def *def = cdev_alg_of(tfm)->def;
	struct cdev_ctx *ctx = crypto_aead_ctx(tfm);

	if (unlikely(!ctx->keyed))
		return -ENOKEY;
	l->enc = enc;
	l->authsize = tfm->authsize;
	l->assoclen = req->assoclen;
	l->textlen = enc ? req->cryptlen : req->cryptlen - tfm->authsize;
	l->aadlen = def->kind == CDEV_AEAD ? req->assoclen : 0;
	if (def->esp == 1 && req->assoclen != 16 && req->assoclen != 20)
		return -EINVAL;
	if (def->esp == 2 && req->assoclen < 8)
		return -EINVAL;
	if (def->esp && def->kind == CDEV_AEAD)
		l->aadlen -= 8;	/* the IV ends the assoc and is not authenticated */
	if (unlikely(l->aadlen > CDEV_AAD_MAX))
		return -EINVAL;
	if (def->kind == CDEV_CHAIN && (l->textlen & 15))
		return -EINVAL;	/* CBC works on whole blocks */
	if ((uint64_t)l->assoclen + l->textlen > UINT16_MAX * 4u)
		return -EINVAL;
	l->sess = cdev_sess_get(tfm, (uint16_t)l->aadlen, enc);
	return l->sess ? 0 : -ENOMEM;
}

static void cdev_fill_iv(uint8_t *iv, const struct aead_request *req)
{
	const struct cdev_alg *ca = cdev_alg_of(req->tfm);
	const struct cdev_ctx *ctx = crypto_aead_ctx(req->tfm);
	const struct cdev_def *def = ca->def;

	/* RFC 4106 4 / RFC 7634 2: nonce = salt || explicit IV */
	memcpy(iv, ctx->salt, def->saltlen);
	memcpy(iv + def->saltlen, req->iv, def->ivsize);
}

static inline rte_iova_t cdev_slot_iova(const struct cdev_slot *s, const void *field)
{
	return s->iova + (rte_iova_t)((const uint8_t *)field - (const uint8_t *)s);
}

/* Stage AAD and ICV in the slot; returns the ICV's address and sets its IOVA. */
static uint8_t *cdev_stage(struct cdev_dev *d, struct cdev_slot *s, struct aead_request *req,
			   const struct cdev_layout *l, rte_iova_t *digest_iova)
{
	uint32_t doff = req->dst_off + l->assoclen + l->textlen;
	uint8_t *dig = xsg_contig(req->dst, doff, l->authsize);

	if (l->aadlen)
		xsg_copy_to_buf(s->aad, req->dst, req->dst_off, l->aadlen);
	s->digest_staged = !dig;
	s->digest_off = doff;
	if (!dig) {
		dig = s->digest;
		xsg_copy_to_buf(dig, req->dst, doff, l->authsize);
		/*
		 * Encrypt: some PMDs (aesni_mb on chains) write the ICV right after
		 * the authenticated bytes in the chain and ignore digest.data. Stage
		 * the complement of what the chain holds there, so that afterwards
		 * an unchanged staging area means the ICV is already in place.
		 */
		if (l->enc)
			for (uint32_t i = 0; i < l->authsize; i++)
				dig[i] ^= 0xff;
		*digest_iova = cdev_slot_iova(s, dig);
	} else {
		*digest_iova = cdev_iova(d, dig);
	}
	return dig;
}

/* mbuf chain over [dst_off, dst_off + len) of the destination, runs attached as external buffers. */
static int cdev_build_chain(struct cdev_dev *d, struct cdev_slot *s, const struct xsg *sg,
			    uint32_t off, uint32_t len)
{
	struct rte_mbuf *head = NULL, *tail = NULL;
	struct xsg_iter it;
	uint16_t nseg = 0;
	uint8_t *p;
	uint32_t n;

	s->shinfo.refcnt = 1;
	xsg_iter_init(&it, sg, off, len);
	do {
		struct rte_mbuf *m = rte_pktmbuf_alloc(d->mbuf_pool);

		n = xsg_iter_next(&it, &p, UINT16_MAX);
		if (unlikely(!m))
			goto nomem;
		if (unlikely(nseg == CDEV_MAX_SEGS)) {
			rte_pktmbuf_free(m);
			if (head)
				rte_pktmbuf_free(head);
			return -EMSGSIZE;
		}
		if (n) {
			rte_iova_t iova = cdev_iova(d, p);

			if (unlikely(iova == RTE_BAD_IOVA)) {
				rte_pktmbuf_free(m);
				if (head)
					rte_pktmbuf_free(head);
				return -EFAULT;
			}
			rte_pktmbuf_attach_extbuf(m, p, iova, (uint16_t)n, &s->shinfo);
			m->data_len = (uint16_t)n;
			nseg++;
		}
		if (!head) {
			head = m;
		} else {
			tail->next = m;
			head->nb_segs++;
		}
		tail = m;
		head->pkt_len += n;
	} while (n && it.left);
	/* One reference per attached segment; detaching the last calls the no-op free. */
	s->shinfo.refcnt = nseg ? nseg : 1;
	s->m = head;
	return 0;
nomem:
	if (head) {
		s->shinfo.refcnt = nseg ? nseg : 1;
		rte_pktmbuf_free(head);
	}
	return -ENOSPC;
}

static void cdev_extbuf_free(void *addr, void *opaque)
{
	/* The runs belong to the request's owner. */
	(void)addr;
	(void)opaque;
}

static int cdev_prepare_op(struct cdev_dev *d, struct cdev_slot *s, struct aead_request *req,
			   const struct cdev_layout *l)
{
	const struct cdev_def *def = cdev_alg_of(req->tfm)->def;
	struct rte_crypto_op *op = s->op;
	struct rte_crypto_sym_op *sym = op->sym;
	struct cdev_op_priv *priv = rte_crypto_op_ctod_offset(op, struct cdev_op_priv *,
							      CDEV_IV_OFFSET);
	rte_iova_t diova;
	uint8_t *dig;
	int rc;

	/* The ICV's place is part of the chain: some PMDs linearise and write it there. */
	rc = cdev_build_chain(d, s, req->dst, req->dst_off, l->assoclen + l->textlen + l->authsize);
	if (rc)
		return rc;
	__rte_crypto_op_reset(op, RTE_CRYPTO_OP_TYPE_SYMMETRIC);
	rte_crypto_op_attach_sym_session(op, l->sess);
	sym->m_src = s->m;
	cdev_fill_iv(priv->iv, req);
	dig = cdev_stage(d, s, req, l, &diova);
	switch (def->kind) {
	case CDEV_AEAD:
		sym->aead.data.offset = l->assoclen;
		sym->aead.data.length = l->textlen;
		sym->aead.digest.data = dig;
		sym->aead.digest.phys_addr = diova;
		sym->aead.aad.data = s->aad;
		sym->aead.aad.phys_addr = cdev_slot_iova(s, s->aad);
		break;
	case CDEV_GMAC:
		sym->auth.data.offset = 0;
		sym->auth.data.length = l->assoclen + l->textlen;
		sym->auth.digest.data = dig;
		sym->auth.digest.phys_addr = diova;
		break;
	case CDEV_CHAIN:
		sym->cipher.data.offset = l->assoclen;
		sym->cipher.data.length = l->textlen;
		sym->auth.data.offset = 0;
		sym->auth.data.length = l->assoclen + l->textlen;
		sym->auth.digest.data = dig;
		sym->auth.digest.phys_addr = diova;
		break;
	}
	return 0;
}

static void cdev_slot_release(struct cdev_qp *qp, struct cdev_slot *s)
{
	if (s->m) {
		rte_pktmbuf_free(s->m);
		s->m = NULL;
	}
	s->req = NULL;
	s->in_flight = false;
	qp->freelist[qp->nfree++] = s->idx;
}

/* Did the device write the staged ICV (rather than the one in the chain)? */
static bool cdev_staged_icv_written(const struct cdev_slot *s, const struct aead_request *req)
{
	uint8_t now[64];
	bool written = false;

	xsg_copy_to_buf(now, req->dst, s->digest_off, req->tfm->authsize);
	for (uint32_t i = 0; i < req->tfm->authsize; i++)
		written |= (uint8_t)(s->digest[i] ^ now[i]) != 0xff;
	return written;
}

/* Result of a finished slot: ICV copied back, resources returned. */
static int cdev_slot_finish(struct cdev_qp *qp, struct cdev_slot *s, int err)
{
	struct aead_request *req = s->req;

	if (!err && s->enc && s->digest_staged && cdev_staged_icv_written(s, req))
		xsg_copy_from_buf(req->dst, s->digest_off, s->digest, req->tfm->authsize);
	cdev_slot_release(qp, s);
	return err;
}

static int cdev_status_err(uint8_t status)
{
	switch (status) {
	case RTE_CRYPTO_OP_STATUS_SUCCESS:
		return 0;
	case RTE_CRYPTO_OP_STATUS_AUTH_FAILED:
		return -EBADMSG;
	case RTE_CRYPTO_OP_STATUS_INVALID_ARGS:
	case RTE_CRYPTO_OP_STATUS_INVALID_SESSION:
		return -EINVAL;
	default:
		return -EIO;
	}
}

/* ---- queue pairs ---- */

static inline struct cdev_qp *cdev_my_qp(struct cdev_dev *d)
{
	if (unlikely(cdev_thread_idx < 0)) {
		unsigned int lcore = rte_lcore_id();

		/* EAL lcores by index, other threads after them in order of arrival. */
		cdev_thread_idx = lcore != LCORE_ID_ANY ? rte_lcore_index((int)lcore) :
				  (int)(RTE_MAX_LCORE + atomic_fetch_add(&cdev_thread_next, 1));
	}
	return &d->qps[cdev_thread_idx % d->nqp];
}

/* Fail every request still in flight on a dead device's queue pair. */
static unsigned int cdev_qp_fail_all(struct cdev_qp *qp, struct aead_request **done, int *err,
				     unsigned int max)
{
	unsigned int n = 0;

	for (uint32_t i = 0; i < qp->nslots && n < max; i++) {
		struct cdev_slot *s = &qp->slots[i];

		if (!s->in_flight)
			continue;
		done[n] = s->req;
		err[n++] = -ENODEV;
		/* The device may still own the op: keep the slot out of circulation. */
		s->in_flight = false;
		s->req = NULL;
	}
	return n;
}

static unsigned int cdev_dequeue_mbuf(struct cdev_qp *qp, struct aead_request **done, int *err,
				      unsigned int max)
{
	struct rte_crypto_op *ops[CDEV_BURST];
	unsigned int n = 0;
	uint16_t k;

	rte_errno = 0;
	k = rte_cryptodev_dequeue_burst(qp->dev->id, qp->id, ops, RTE_MIN(max, CDEV_BURST));
	for (uint16_t i = 0; i < k; i++) {
		struct cdev_op_priv *priv = rte_crypto_op_ctod_offset(ops[i], struct cdev_op_priv *,
								      CDEV_IV_OFFSET);
		struct cdev_slot *s = priv->slot;

		if (unlikely(!s->in_flight))
			continue;	/* already failed when the device died */
		done[n] = s->req;
		err[n] = cdev_slot_finish(qp, s, cdev_status_err(ops[i]->status));
		n++;
	}
	if (k == 0 && rte_errno == ENOTSUP)
		cdev_mark_dead(qp->dev, "dequeue refused: device stopped");
	return n;
}

static unsigned int cdev_dequeue_raw(struct cdev_qp *qp, struct aead_request **done, int *err,
				     unsigned int max)
{
	unsigned int n = 0, k = 0;

	while (n < max) {
		enum rte_crypto_op_status ost = RTE_CRYPTO_OP_STATUS_ERROR;
		int st = 0;
		struct cdev_slot *s = rte_cryptodev_raw_dequeue(qp->raw, &st, &ost);

		if (!s) {
			if (st < 0)
				cdev_mark_dead(qp->dev, "raw dequeue failed");
			break;
		}
		k++;
		if (!s->in_flight)
			continue;	/* already failed when the device died */
		done[n] = s->req;
		err[n++] = cdev_slot_finish(qp, s, cdev_status_err(ost));
	}
	if (k)
		rte_cryptodev_raw_dequeue_done(qp->raw, k);
	return n;
}

/* ---- raw data path ---- */

/* Returns 1 (queued, flushed), 0 (queued, needs enqueue_done) or -errno. */
static int cdev_raw_enqueue_one(struct cdev_dev *d, struct cdev_qp *qp, struct cdev_slot *s,
				struct aead_request *req, const struct cdev_layout *l)
{
	const struct cdev_def *def = cdev_alg_of(req->tfm)->def;
	union rte_cryptodev_session_ctx sc = { .crypto_sess = l->sess };
	union rte_crypto_sym_ofs ofs = { .raw = 0 };
	struct rte_crypto_va_iova_ptr iv, dig, aad = { 0 };
	struct xsg_iter it;
	uint16_t nvec = 0;
	uint8_t *p;
	uint32_t n;

	if (qp->raw_sess != l->sess) {
		if (rte_cryptodev_configure_raw_dp_ctx(d->id, qp->id, qp->raw,
						       RTE_CRYPTO_OP_WITH_SESSION, sc, qp->raw_ready))
			return -EIO;
		qp->raw_sess = l->sess;
		qp->raw_ready = 1;
	}
	xsg_iter_init(&it, req->dst, req->dst_off, l->assoclen + l->textlen);
	while ((n = xsg_iter_next(&it, &p, UINT32_MAX)) != 0) {
		if (nvec == CDEV_MAX_SEGS)
			return -EMSGSIZE;
		s->vec[nvec].base = p;
		s->vec[nvec].iova = cdev_iova(d, p);
		s->vec[nvec].len = n;
		s->vec[nvec].tot_len = n;
		nvec++;
	}
	cdev_fill_iv(s->iv, req);
	iv.va = s->iv;
	iv.iova = cdev_slot_iova(s, s->iv);
	dig.va = cdev_stage(d, s, req, l, &dig.iova);
	if (def->kind == CDEV_AEAD) {
		aad.va = s->aad;
		aad.iova = cdev_slot_iova(s, s->aad);
	}
	if (def->kind != CDEV_GMAC)
		ofs.ofs.cipher.head = l->assoclen;
	return rte_cryptodev_raw_enqueue(qp->raw, s->vec, nvec, ofs, &iv, &dig, &aad, s);
}

/* ---- submission ---- */

/*
 * Stage one request in a free slot of qp. Returns 0 (staged; *op set on the
 * mbuf path), -ENOSPC when the queue pair is full, or the request's error.
 */
static int cdev_stage_one(struct cdev_dev *d, struct cdev_qp *qp, struct aead_request *req,
			  bool enc, struct rte_crypto_op **op, bool *need_done)
{
	struct cdev_layout l;
	struct cdev_slot *s;
	int rc;

	if (qp->nfree == 0)
		return -ENOSPC;
	rc = cdev_layout(req, enc, &l);
	if (rc)
		return rc;
	s = &qp->slots[qp->freelist[qp->nfree - 1]];
	/* Out of place: the input moves to the destination, which is then processed in place. */
	if (!xsg_same(req->src, req->dst) || req->src_off != req->dst_off)
		xsg_copy(req->dst, req->dst_off, req->src, req->src_off,
			 req->assoclen + req->cryptlen);
	s->req = req;
	s->enc = enc;
	if (d->raw) {
		rc = cdev_raw_enqueue_one(d, qp, s, req, &l);
		if (rc == -EBUSY || rc == -ENOSPC || rc == -EAGAIN)
			rc = -ENOSPC;
		if (rc >= 0)
			*need_done |= rc == 0;
		rc = rc > 0 ? 0 : rc;
	} else {
		rc = cdev_prepare_op(d, s, req, &l);
		*op = s->op;
	}
	if (rc) {
		s->req = NULL;
		return rc;
	}
	qp->nfree--;
	s->in_flight = true;
	req->err = -EINPROGRESS;
	return 0;
}

/* Hand staged ops to the device; unaccepted ones are unstaged. Returns accepted. */
static uint16_t cdev_flush(struct cdev_dev *d, struct cdev_qp *qp, struct rte_crypto_op **ops,
			   uint16_t k, bool need_done, bool *refused)
{
	uint16_t acc;

	*refused = false;
	if (d->raw) {
		if (need_done && rte_cryptodev_raw_enqueue_done(qp->raw, k) < 0)
			*refused = true;
		return k;
	}
	if (k == 0)
		return 0;
	rte_errno = 0;
	acc = rte_cryptodev_enqueue_burst(d->id, qp->id, ops, k);
	for (uint16_t i = acc; i < k; i++) {
		struct cdev_op_priv *priv = rte_crypto_op_ctod_offset(ops[i], struct cdev_op_priv *,
								      CDEV_IV_OFFSET);

		priv->slot->req->err = 0;
		cdev_slot_release(qp, priv->slot);
	}
	*refused = acc < k && rte_errno != 0;
	return acc;
}

static uint16_t cdev_submit(struct crypto_aead *tfm, struct aead_request **reqs, uint16_t n,
			    bool enc)
{
	struct cdev_dev *d = cdev_alg_of(tfm)->dev;
	struct rte_crypto_op *ops[CDEV_BURST];
	bool refused = false;
	struct cdev_qp *qp;
	uint16_t done = 0;

	if (unlikely(atomic_load(&d->dead)))
		goto dead;
	qp = cdev_my_qp(d);
	rte_spinlock_lock(&qp->lock);
	while (done < n) {
		uint16_t want = (uint16_t)RTE_MIN((unsigned int)(n - done), CDEV_BURST), k, acc;
		bool need_done = false;
		int rc = 0;

		for (k = 0; k < want; k++) {
			rc = cdev_stage_one(d, qp, reqs[done + k], enc, &ops[k], &need_done);
			if (rc)
				break;
		}
		if (k == 0 && rc && rc != -ENOSPC) {
			/* A bad request at the head: it is done, with its error. */
			reqs[done++]->err = rc;
			continue;
		}
		acc = cdev_flush(d, qp, ops, k, need_done, &refused);
		done += acc;
		if (refused || rc == -ENOSPC || acc < k)
			break;
	}
	rte_spinlock_unlock(&qp->lock);
	if (!refused)
		return done;
	cdev_mark_dead(d, "enqueue refused");
dead:
	/* Nothing will ever take these: they are done, with -ENODEV. */
	for (uint16_t i = done; i < n; i++)
		reqs[i]->err = -ENODEV;
	return n;
}

static uint16_t cdev_encrypt_burst(struct crypto_aead *tfm, struct aead_request **reqs, uint16_t n)
{
	return cdev_submit(tfm, reqs, n, true);
}

static uint16_t cdev_decrypt_burst(struct crypto_aead *tfm, struct aead_request **reqs, uint16_t n)
{
	return cdev_submit(tfm, reqs, n, false);
}

static int cdev_one(struct aead_request *req, bool enc)
{
	if (cdev_submit(req->tfm, &req, 1, enc) == 0)
		return -EBUSY;
	return req->err;
}

static int cdev_encrypt(struct aead_request *req)
{
	return cdev_one(req, true);
}

static int cdev_decrypt(struct aead_request *req)
{
	return cdev_one(req, false);
}

/*
 * Completions of the calling thread's queue pair on this transform's device
 * (for every transform on it). Callbacks run without the queue-pair lock, so
 * they may submit again.
 */
static unsigned int cdev_poll(struct crypto_aead *tfm, unsigned int max)
{
	struct cdev_dev *d = cdev_alg_of(tfm)->dev;
	struct cdev_qp *qp = cdev_my_qp(d);
	struct aead_request *done[CDEV_BURST];
	int err[CDEV_BURST];
	unsigned int total = 0;

	while (total < max) {
		unsigned int want = RTE_MIN(max - total, CDEV_BURST), n;

		rte_spinlock_lock(&qp->lock);
		n = d->raw ? cdev_dequeue_raw(qp, done, err, want) :
			     cdev_dequeue_mbuf(qp, done, err, want);
		if (n == 0 && atomic_load(&d->dead))
			n = cdev_qp_fail_all(qp, done, err, want);
		rte_spinlock_unlock(&qp->lock);
		for (unsigned int i = 0; i < n; i++)
			aead_request_complete(done[i], err[i]);
		total += n;
		if (n < want)
			break;
	}
	return total;
}

/* ---- device setup ---- */

static const struct rte_cryptodev_symmetric_capability *
cdev_find_cap(const struct rte_cryptodev_info *info, enum rte_crypto_sym_xform_type type, int algo)
{
	for (const struct rte_cryptodev_capabilities *c = info->capabilities;
	     c->op != RTE_CRYPTO_OP_TYPE_UNDEFINED; c++) {
		const struct rte_cryptodev_symmetric_capability *s = &c->sym;

		if (c->op != RTE_CRYPTO_OP_TYPE_SYMMETRIC || s->xform_type != type)
			continue;
		if ((type == RTE_CRYPTO_SYM_XFORM_AEAD && (int)s->aead.algo == algo) ||
		    (type == RTE_CRYPTO_SYM_XFORM_AUTH && (int)s->auth.algo == algo) ||
		    (type == RTE_CRYPTO_SYM_XFORM_CIPHER && (int)s->cipher.algo == algo))
			return s;
	}
	return NULL;
}

/* Can the device run this definition as the kernel defines it? */
static bool cdev_def_supported(struct cdev_dev *d, const struct cdev_def *def, struct cdev_alg *ca)
{
	const struct rte_cryptodev_symmetric_capability *cap = NULL, *ccap = NULL;
	uint32_t maxdig = 0;

	switch (def->kind) {
	case CDEV_AEAD:
		cap = cdev_find_cap(&d->info, RTE_CRYPTO_SYM_XFORM_AEAD, def->algo);
		if (!cap || !range_ok(&cap->aead.iv_size, 12))
			return false;
		if (def->esp && (!range_ok(&cap->aead.aad_size, 8) || !range_ok(&cap->aead.aad_size, 12)))
			return false;
		maxdig = cap->aead.digest_size.max;
		break;
	case CDEV_GMAC:
		/*
		 * Auth-only and chained ops over segment chains are wrong on the
		 * DPDK 22.11 software PMDs (aesni_mb misplaces the ICV when it
		 * straddles segments, openssl differs out of place): hardware only.
		 */
		if (!d->hw)
			return false;
		cap = cdev_find_cap(&d->info, RTE_CRYPTO_SYM_XFORM_AUTH, def->algo);
		if (!cap || !range_ok(&cap->auth.iv_size, 12))
			return false;
		maxdig = cap->auth.digest_size.max;
		break;
	case CDEV_CHAIN:
		if (!d->hw)
			return false;
		cap = cdev_find_cap(&d->info, RTE_CRYPTO_SYM_XFORM_AUTH, def->algo);
		ccap = cdev_find_cap(&d->info, RTE_CRYPTO_SYM_XFORM_CIPHER, def->cipher);
		if (!cap || !ccap || !(d->info.feature_flags & RTE_CRYPTODEV_FF_SYM_OPERATION_CHAINING))
			return false;
		maxdig = cap->auth.digest_size.max;
		break;
	}
	/* Every ICV length the algorithm defines, or it would fail vectors the kernel passes. */
	for (unsigned int sz = 1; sz <= 64; sz++) {
		const struct rte_crypto_param_range *r = def->kind == CDEV_AEAD ?
			&cap->aead.digest_size : &cap->auth.digest_size;

		if ((def->authsizes & BIT(sz)) && sz <= def->maxauthsize && !range_ok(r, sz))
			return false;
	}
	ca->cap = cap;
	ca->ccap = ccap;
	ca->alg.maxauthsize = RTE_MIN(maxdig, (uint32_t)def->maxauthsize);
	return ca->alg.maxauthsize > 0;
}

static void cdev_fill_alg(struct cdev_dev *d, const struct cdev_def *def, struct cdev_alg *ca)
{
	struct aead_alg *a = &ca->alg;
	int prio = d->hw ? cdev_conf.priority_hw : cdev_conf.priority_sw;

	ca->dev = d;
	ca->def = def;
	a->ivsize = def->ivsize;
	a->reqsize = 0;
	a->init = cdev_init_tfm;
	a->exit = cdev_exit_tfm;
	a->setkey = cdev_setkey;
	a->setauthsize = cdev_setauthsize;
	a->encrypt = cdev_encrypt;
	a->decrypt = cdev_decrypt;
	a->encrypt_burst = cdev_encrypt_burst;
	a->decrypt_burst = cdev_decrypt_burst;
	a->poll = cdev_poll;
	snprintf(a->base.cra_name, sizeof(a->base.cra_name), "%s", def->name);
	snprintf(a->base.cra_driver_name, sizeof(a->base.cra_driver_name), "%s-%s", def->stem,
		 d->name);
	snprintf(a->base.cra_module, sizeof(a->base.cra_module), "cryptodev");
	a->base.cra_priority = prio;
	a->base.cra_flags = CRYPTO_ALG_ASYNC | (d->hw ? CRYPTO_ALG_HARDWARE : 0);
	a->base.cra_blocksize = def->blocksize;
	a->base.cra_ctxsize = sizeof(struct cdev_ctx);
}

static void cdev_event(uint8_t dev_id, enum rte_cryptodev_event_type event, void *arg)
{
	struct cdev_dev *d = arg;

	(void)dev_id;
	if (event == RTE_CRYPTODEV_EVENT_ERROR)
		cdev_mark_dead(d, "device error event");
}

static void cdev_qps_free(struct cdev_dev *d)
{
	if (!d->qps)
		return;
	for (uint16_t q = 0; q < d->nqp; q++) {
		struct cdev_qp *qp = &d->qps[q];

		if (qp->slots) {
			for (uint32_t i = 0; i < qp->nslots; i++) {
				if (qp->slots[i].m)
					rte_pktmbuf_free(qp->slots[i].m);
				rte_crypto_op_free(qp->slots[i].op);
				rte_free(qp->slots[i].vec);
			}
			rte_free(qp->slots);
		}
		rte_free(qp->freelist);
		rte_free(qp->raw);
	}
	rte_free(d->qps);
	d->qps = NULL;
}

static int cdev_qp_setup(struct cdev_dev *d, struct cdev_qp *qp, uint16_t id, int socket)
{
	uint32_t n = cdev_conf.qp_depth;

	rte_spinlock_init(&qp->lock);
	qp->dev = d;
	qp->id = id;
	qp->slots = rte_zmalloc_socket("cdev_slots", sizeof(*qp->slots) * n, RTE_CACHE_LINE_SIZE,
				       socket);
	qp->freelist = rte_zmalloc_socket("cdev_free", sizeof(*qp->freelist) * n, 0, socket);
	if (!qp->slots || !qp->freelist)
		return -ENOMEM;
	qp->nslots = n;
	for (uint32_t i = 0; i < n; i++) {
		struct cdev_slot *s = &qp->slots[i];

		s->idx = (uint16_t)i;
		s->iova = rte_malloc_virt2iova(qp->slots) + i * sizeof(*s);
		s->shinfo.free_cb = cdev_extbuf_free;
		if (d->raw) {
			s->vec = rte_zmalloc_socket("cdev_vec", sizeof(*s->vec) * XSG_MAX_ENTS, 0, socket);
			if (!s->vec)
				return -ENOMEM;
		} else {
			struct cdev_op_priv *priv;

			s->op = rte_crypto_op_alloc(d->op_pool, RTE_CRYPTO_OP_TYPE_SYMMETRIC);
			if (!s->op)
				return -ENOMEM;
			priv = rte_crypto_op_ctod_offset(s->op, struct cdev_op_priv *, CDEV_IV_OFFSET);
			priv->slot = s;
		}
		qp->freelist[qp->nfree++] = (uint16_t)(n - 1 - i);
	}
	if (d->raw) {
		int sz = rte_cryptodev_get_raw_dp_ctx_size(d->id);

		if (sz <= 0)
			return -ENOTSUP;
		qp->raw = rte_zmalloc_socket("cdev_raw", sz, RTE_CACHE_LINE_SIZE, socket);
		if (!qp->raw)
			return -ENOMEM;
	}
	return 0;
}

static int cdev_pools(struct cdev_dev *d, int socket)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	uint32_t nops = d->nqp * cdev_conf.qp_depth;

	snprintf(name, sizeof(name), "xcdS%u", d->id);
	d->sess_pool = rte_cryptodev_sym_session_pool_create(name, cdev_conf.sessions,
		rte_cryptodev_sym_get_private_session_size(d->id), 0, 0, socket);
	if (!d->sess_pool)
		return -ENOMEM;
	if (d->raw)
		return 0;
	snprintf(name, sizeof(name), "xcdO%u", d->id);
	d->op_pool = rte_crypto_op_pool_create(name, RTE_CRYPTO_OP_TYPE_SYMMETRIC, nops, 0,
					       sizeof(struct cdev_op_priv), socket);
	snprintf(name, sizeof(name), "xcdM%u", d->id);
	/* Data-room-less mbufs; a request needs one per run (ESP: a handful). */
	d->mbuf_pool = rte_pktmbuf_pool_create(name, RTE_MAX(nops * 4, 1024u), 0, 0, 0, socket);
	return d->op_pool && d->mbuf_pool ? 0 : -ENOMEM;
}

static void cdev_dev_free(struct cdev_dev *d)
{
	if (d->started) {
		rte_cryptodev_callback_unregister(d->id, RTE_CRYPTODEV_EVENT_ERROR, cdev_event, d);
		rte_cryptodev_stop(d->id);
	}
	cdev_qps_free(d);
	rte_mempool_free(d->mbuf_pool);
	rte_mempool_free(d->op_pool);
	rte_mempool_free(d->sess_pool);
	rte_free(d);
}

static int cdev_dev_setup(uint8_t id, struct cdev_dev **out)
{
	int socket = rte_cryptodev_socket_id(id);
	struct rte_cryptodev_config conf = { 0 };
	struct rte_cryptodev_qp_conf qconf = { 0 };
	struct cdev_dev *d;
	int rc;

	if (socket < 0)
		socket = SOCKET_ID_ANY;
	d = rte_zmalloc("cdev_dev", sizeof(*d), RTE_CACHE_LINE_SIZE);
	if (!d)
		return -ENOMEM;
	d->id = id;
	snprintf(d->name, sizeof(d->name), "%s", rte_cryptodev_name_get(id));
	rte_cryptodev_info_get(id, &d->info);
	d->hw = d->info.feature_flags & RTE_CRYPTODEV_FF_HW_ACCELERATED;
	d->raw = d->info.feature_flags & RTE_CRYPTODEV_FF_SYM_RAW_DP;
	if (getenv("XFRMGW_CRYPTODEV_NO_RAW"))
		d->raw = false;
	atomic_init(&d->dead, false);

	for (size_t i = 0; i < RTE_DIM(cdev_defs) && d->nalgs < CDEV_MAX_ALGS; i++) {
		memset(&d->algs[d->nalgs], 0, sizeof(d->algs[0]));
		if (cdev_def_supported(d, &cdev_defs[i], &d->algs[d->nalgs]))
			cdev_fill_alg(d, &cdev_defs[i], &d->algs[d->nalgs++]);
	}
	/* Requests are chains of runs: without in-place SGL there is nothing we can do. */
	if (d->nalgs == 0 || !(d->info.feature_flags & RTE_CRYPTODEV_FF_IN_PLACE_SGL)) {
		rte_free(d);
		return 0;
	}
	d->nqp = RTE_MIN(d->info.max_nb_queue_pairs, cdev_conf.max_qps);
	if (d->nqp == 0)
		d->nqp = 1;
	conf.socket_id = socket;
	conf.nb_queue_pairs = d->nqp;
	conf.ff_disable = RTE_CRYPTODEV_FF_ASYMMETRIC_CRYPTO | RTE_CRYPTODEV_FF_SECURITY;
	rc = cdev_pools(d, socket);
	if (!rc && rte_cryptodev_configure(id, &conf))
		rc = -EIO;
	if (!rc) {
		d->qps = rte_zmalloc("cdev_qps", sizeof(*d->qps) * d->nqp, RTE_CACHE_LINE_SIZE);
		rc = d->qps ? 0 : -ENOMEM;
	}
	qconf.nb_descriptors = cdev_conf.qp_depth;
	qconf.mp_session = d->sess_pool;
	for (uint16_t q = 0; !rc && q < d->nqp; q++) {
		rc = cdev_qp_setup(d, &d->qps[q], q, socket);
		if (!rc && rte_cryptodev_queue_pair_setup(id, q, &qconf, socket))
			rc = -EIO;
	}
	if (!rc && rte_cryptodev_start(id))
		rc = -EIO;
	if (rc) {
		crypto_log(CRYPTO_LOG_WARNING, "cryptodev: cannot set up %s: %s", d->name,
			   strerror(-rc));
		cdev_dev_free(d);
		return rc;
	}
	d->started = true;
	rte_cryptodev_callback_register(id, RTE_CRYPTODEV_EVENT_ERROR, cdev_event, d);
	*out = d;
	return 1;
}

static void cdev_conf_defaults(struct crypto_cryptodev_conf *c)
{
	if (!c->max_qps)
		c->max_qps = RTE_MAX(rte_lcore_count(), 1u);
	if (!c->qp_depth)
		c->qp_depth = 1024;
	if (c->qp_depth > UINT16_MAX)
		c->qp_depth = UINT16_MAX;
	if (!c->sessions)
		c->sessions = 2048;
	if (!c->priority_sw)
		c->priority_sw = 50;
	if (!c->priority_hw)
		c->priority_hw = 600;
}

static int cdev_probe_locked(void)
{
	int found = 0;

	/* Before rte_eal_init() there are no lcores and no devices. */
	if (rte_lcore_count() == 0 || rte_cryptodev_count() == 0)
		return 0;
	cdev_conf_defaults(&cdev_conf);
	for (unsigned int id = 0; id < RTE_CRYPTO_MAX_DEVS; id++) {
		struct cdev_dev *d = NULL;
		int rc;

		if (cdev_devs[id] || !rte_cryptodev_is_valid_dev(id))
			continue;
		rc = cdev_dev_setup((uint8_t)id, &d);
		if (rc <= 0)
			continue;
		cdev_devs[id] = d;
		found++;
		for (int i = 0; i < d->nalgs; i++) {
			rc = crypto_register_aead(&d->algs[i].alg);
			if (rc)
				crypto_log(CRYPTO_LOG_WARNING, "cryptodev: %s not registered: %s",
					   d->algs[i].alg.base.cra_driver_name, strerror(-rc));
			else
				d->algs[i].registered = true;
		}
	}
	return found;
}

int crypto_cryptodev_probe(const struct crypto_cryptodev_conf *conf)
{
	int rc = 0;

	pthread_mutex_lock(&cdev_lock);
	if (conf)
		cdev_conf = *conf;
	if (cdev_module_loaded)
		rc = cdev_probe_locked();
	pthread_mutex_unlock(&cdev_lock);
	return rc;
}

int crypto_cryptodev_remove(uint8_t dev_id)
{
	struct cdev_dev *d;

	pthread_mutex_lock(&cdev_lock);
	d = dev_id < RTE_CRYPTO_MAX_DEVS ? cdev_devs[dev_id] : NULL;
	if (!d) {
		pthread_mutex_unlock(&cdev_lock);
		return -ENODEV;
	}
	cdev_mark_dead(d, "removed");
	/* Pollers complete what the device finished and fail the rest with -ENODEV. */
	rte_cryptodev_stop(dev_id);
	pthread_mutex_unlock(&cdev_lock);
	return 0;
}

/* ---- module ---- */

static int cdev_mod_init(void)
{
	int rc;

	pthread_mutex_lock(&cdev_lock);
	cdev_module_loaded = true;
	rc = cdev_probe_locked();
	pthread_mutex_unlock(&cdev_lock);
	return rc < 0 ? rc : 0;
}

static void cdev_mod_exit(void)
{
	pthread_mutex_lock(&cdev_lock);
	cdev_module_loaded = false;
	for (unsigned int id = 0; id < RTE_CRYPTO_MAX_DEVS; id++) {
		struct cdev_dev *d = cdev_devs[id];
		bool busy = false;

		if (!d)
			continue;
		for (int i = 0; i < d->nalgs; i++) {
			if (d->algs[i].registered && crypto_unregister_alg(&d->algs[i].alg.base) == -EBUSY)
				busy = true;
			else
				d->algs[i].registered = false;
		}
		if (busy) {
			/* Transforms still hold it: keep the device, mark it unusable. */
			crypto_log(CRYPTO_LOG_WARNING, "cryptodev: %s still in use at exit", d->name);
			cdev_mark_dead(d, "crypto_exit with transforms alive");
			continue;
		}
		cdev_devs[id] = NULL;
		cdev_dev_free(d);
	}
	pthread_mutex_unlock(&cdev_lock);
}

CRYPTO_MODULE(cryptodev, CRYPTO_MODULE_DRIVER, cdev_mod_init, cdev_mod_exit)
