/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Algorithm registry: registration with validation and self-test gating,
 * lookup by driver or generic name, reference counting, transforms.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alg_type.h"
#include "internal.h"
#include "testmgr.h"

struct crypto_alg_list crypto_alg_list = TAILQ_HEAD_INITIALIZER(crypto_alg_list);

static pthread_mutex_t registry_mutex;
static pthread_once_t registry_once = PTHREAD_ONCE_INIT;

static void registry_mutex_init(void)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&registry_mutex, &a);
	pthread_mutexattr_destroy(&a);
}

void crypto_registry_lock(void)
{
	pthread_once(&registry_once, registry_mutex_init);
	pthread_mutex_lock(&registry_mutex);
}

void crypto_registry_unlock(void)
{
	pthread_mutex_unlock(&registry_mutex);
}

void crypto_alg_get(struct crypto_alg *alg)
{
	atomic_fetch_add(&alg->cra_refcnt, 1);
}

void crypto_alg_put(struct crypto_alg *alg)
{
	atomic_fetch_sub(&alg->cra_refcnt, 1);
}

/* ---- validation ---- */

static bool name_ok(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	return n > 0 && n < max;
}

int crypto_alg_reject(const struct crypto_alg *alg, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	crypto_log(CRYPTO_LOG_ERR, "crypto: refusing %.*s: %s", CRYPTO_MAX_ALG_NAME - 1,
		   alg->cra_driver_name[0] ? alg->cra_driver_name : "(unnamed)", why);
	return -EINVAL;
}

static int check_alg_common(const struct crypto_alg *alg)
{
	if (!name_ok(alg->cra_name, sizeof(alg->cra_name)))
		return crypto_alg_reject(alg, "cra_name empty or not terminated");
	if (!name_ok(alg->cra_driver_name, sizeof(alg->cra_driver_name)))
		return crypto_alg_reject(alg, "cra_driver_name empty or not terminated");
	if (!name_ok(alg->cra_module, sizeof(alg->cra_module)))
		return crypto_alg_reject(alg, "cra_module empty or not terminated");
	if (alg->cra_priority < 0 || alg->cra_priority > 100000)
		return crypto_alg_reject(alg, "priority %d outside 0..100000", alg->cra_priority);
	if (alg->cra_flags & ~(CRYPTO_ALG_INTERNAL | CRYPTO_ALG_ASYNC | CRYPTO_ALG_HARDWARE |
			       CRYPTO_ALG_INSTANCE))
		return crypto_alg_reject(alg, "unknown or registry-owned flags 0x%x",
					 alg->cra_flags);
	if (alg->cra_blocksize == 0 || alg->cra_blocksize > 256)
		return crypto_alg_reject(alg, "block size %u outside 1..256", alg->cra_blocksize);
	if (alg->cra_ctxsize > 1u << 20)
		return crypto_alg_reject(alg, "context size %u over 1 MiB", alg->cra_ctxsize);
	return 0;
}

/* ---- registration ---- */

static struct crypto_alg *find_driver_locked(const char *driver)
{
	struct crypto_alg *q;

	TAILQ_FOREACH(q, &crypto_alg_list, cra_list)
		if (strcmp(q->cra_driver_name, driver) == 0)
			return q;
	return NULL;
}

static void run_selftest(struct crypto_alg *alg)
{
	char msg[sizeof(alg->cra_selftest_msg)] = "";
	int rc = alg_test(alg, msg, sizeof(msg));

	crypto_registry_lock();
	alg->cra_selftest = rc;
	snprintf(alg->cra_selftest_msg, sizeof(alg->cra_selftest_msg), "%s", msg);
	if (rc == 0) {
		alg->cra_flags |= CRYPTO_ALG_TESTED;
		crypto_registry_unlock();
		/* Measured outside the lock: it runs the algorithm for a while. */
		alg->cra_perf_mbps = crypto_perf_measure(alg);
		crypto_registry_lock();
	} else {
		alg->cra_flags |= CRYPTO_ALG_DEAD;
		crypto_log(CRYPTO_LOG_WARNING, "crypto: %s (%s) failed its self-test: %s",
			   alg->cra_driver_name, alg->cra_name, msg[0] ? msg : strerror(-rc));
	}
	crypto_registry_unlock();
}

static int register_alg(struct crypto_alg *alg, enum crypto_alg_type type)
{
	int rc = check_alg_common(alg);

	if (rc)
		return rc;
	alg->cra_type = type;
	crypto_registry_lock();
	if (find_driver_locked(alg->cra_driver_name)) {
		crypto_registry_unlock();
		return -EEXIST;
	}
	alg->cra_flags &= ~(CRYPTO_ALG_TESTED | CRYPTO_ALG_DEAD);
	atomic_store(&alg->cra_refcnt, 1);
	alg->cra_selftest = 1;
	alg->cra_selftest_msg[0] = '\0';
	TAILQ_INSERT_TAIL(&crypto_alg_list, alg, cra_list);
	crypto_registry_unlock();

	run_selftest(alg);
	return 0;
}

/* The type's checks first (they fill defaults), then the common ones. */
static int register_typed(struct crypto_alg *alg, enum crypto_alg_type type)
{
	const struct crypto_type *ty = crypto_type_of(type);
	int rc;

	if (!ty)
		return -EINVAL;
	rc = ty->check(alg);
	if (rc)
		return rc;
	return register_alg(alg, type);
}

int crypto_register_cipher(struct cipher_alg *alg)
{
	return register_typed(&alg->base, CRYPTO_ALG_TYPE_CIPHER);
}

int crypto_register_skcipher(struct skcipher_alg *alg)
{
	return register_typed(&alg->base, CRYPTO_ALG_TYPE_SKCIPHER);
}

int crypto_register_aead(struct aead_alg *alg)
{
	return register_typed(&alg->base, CRYPTO_ALG_TYPE_AEAD);
}

int crypto_register_shash(struct shash_alg *alg)
{
	return register_typed(&alg->base, CRYPTO_ALG_TYPE_SHASH);
}

int crypto_register_rng(struct rng_alg *alg)
{
	return register_typed(&alg->base, CRYPTO_ALG_TYPE_RNG);
}

int crypto_register_instance(struct crypto_template *tmpl, struct crypto_alg *inst,
			     enum crypto_alg_type type)
{
	const struct crypto_type *ty = crypto_type_of(type);
	int rc;

	inst->cra_tmpl = tmpl;
	inst->cra_flags |= CRYPTO_ALG_INSTANCE;
	if (!ty)
		return -EINVAL;
	rc = ty->check(inst);
	if (rc)
		return rc;
	if (!inst->cra_destroy)
		return crypto_alg_reject(inst, "instance without cra_destroy");
	return register_alg(inst, type);
}

/*
 * Batch registration: all or nothing. The typed array is walked by stride
 * because each element embeds its crypto_alg at a different offset.
 */
#define DEFINE_BATCH(kind, T, reg)                                            \
	int crypto_register_##kind(T *algs, int n)                            \
	{                                                                     \
		int i, rc;                                                    \
		for (i = 0; i < n; i++) {                                     \
			rc = reg(&algs[i]);                                   \
			if (rc)                                               \
				goto rollback;                                \
		}                                                             \
		return 0;                                                     \
	rollback:                                                             \
		crypto_log(CRYPTO_LOG_ERR, "crypto: batch registration failed at %s: %s", \
			   algs[i].base.cra_driver_name, strerror(-rc));      \
		while (--i >= 0)                                              \
			crypto_unregister_alg(&algs[i].base);                 \
		return rc;                                                    \
	}                                                                     \
	void crypto_unregister_##kind(T *algs, int n)                         \
	{                                                                     \
		for (int i = n - 1; i >= 0; i--)                              \
			crypto_unregister_alg(&algs[i].base);                 \
	}

DEFINE_BATCH(ciphers, struct cipher_alg, crypto_register_cipher)
DEFINE_BATCH(skciphers, struct skcipher_alg, crypto_register_skcipher)
DEFINE_BATCH(aeads, struct aead_alg, crypto_register_aead)
DEFINE_BATCH(shashes, struct shash_alg, crypto_register_shash)
DEFINE_BATCH(rngs, struct rng_alg, crypto_register_rng)

static bool alg_registered_locked(const struct crypto_alg *alg)
{
	const struct crypto_alg *q;

	TAILQ_FOREACH(q, &crypto_alg_list, cra_list)
		if (q == alg)
			return true;
	return false;
}

int crypto_unregister_alg(struct crypto_alg *alg)
{
	crypto_registry_lock();
	if (!alg_registered_locked(alg)) {
		crypto_registry_unlock();
		return -ENOENT;
	}
	if (atomic_load(&alg->cra_refcnt) > 1)
		crypto_remove_unused_instances();
	if (atomic_load(&alg->cra_refcnt) > 1) {
		crypto_registry_unlock();
		return -EBUSY;
	}
	TAILQ_REMOVE(&crypto_alg_list, alg, cra_list);
	atomic_store(&alg->cra_refcnt, 0);
	alg->cra_flags &= ~(CRYPTO_ALG_TESTED | CRYPTO_ALG_DEAD);
	crypto_registry_unlock();
	return 0;
}

void crypto_alg_mark_dead(struct crypto_alg *alg)
{
	crypto_registry_lock();
	alg->cra_flags |= CRYPTO_ALG_DEAD;
	crypto_registry_unlock();
}

/* ---- lookup ---- */

static bool flags_match(const struct crypto_alg *q, enum crypto_alg_type type,
			uint32_t type_flags, uint32_t mask)
{
	uint32_t t = type_flags & ~CRYPTO_SELECT_FASTEST;

	if (q->cra_type != type)
		return false;
	/* Internal building blocks only when asked for explicitly. */
	if ((q->cra_flags & CRYPTO_ALG_INTERNAL) &&
	    !(t & mask & CRYPTO_ALG_INTERNAL))
		return false;
	return (q->cra_flags & mask) == (t & mask);
}

static bool better(const struct crypto_alg *q, const struct crypto_alg *best, bool fastest)
{
	if (!best)
		return true;
	if (fastest && q->cra_perf_mbps != best->cra_perf_mbps)
		return q->cra_perf_mbps > best->cra_perf_mbps;
	return q->cra_priority > best->cra_priority;
}

/* Best usable match; *seen_failed tells whether a dead candidate exists. */
static struct crypto_alg *find_locked(const char *name, enum crypto_alg_type type,
				      uint32_t type_flags, uint32_t mask, bool *seen_failed)
{
	bool fastest = type_flags & CRYPTO_SELECT_FASTEST;
	struct crypto_alg *q, *best = NULL;
	bool exact = false;

	TAILQ_FOREACH(q, &crypto_alg_list, cra_list) {
		bool is_driver = strcmp(q->cra_driver_name, name) == 0;

		if (!is_driver && strcmp(q->cra_name, name) != 0)
			continue;
		if (!flags_match(q, type, type_flags, mask))
			continue;
		if (!(q->cra_flags & CRYPTO_ALG_TESTED) || (q->cra_flags & CRYPTO_ALG_DEAD)) {
			*seen_failed = true;
			continue;
		}
		if (is_driver) {
			/* An exact driver name wins over any generic match. */
			best = q;
			exact = true;
		} else if (!exact && better(q, best, fastest)) {
			best = q;
		}
	}
	return best;
}

static int lookup(struct crypto_alg **out, const char *name, enum crypto_alg_type type,
		  uint32_t type_flags, uint32_t mask, int depth)
{
	struct crypto_alg *alg;
	bool seen_failed = false;
	int rc = 0;

	if (!name || !name_ok(name, CRYPTO_MAX_ALG_NAME))
		return -EINVAL;
	if (depth > 8)
		return -ELOOP;

	crypto_registry_lock();
	/* Exact driver names never instantiate anything. */
	alg = find_locked(name, type, type_flags, mask, &seen_failed);
	if (alg && strcmp(alg->cra_driver_name, name) == 0)
		goto found;
	/* A template name: make sure the instance over the best children exists. */
	if (strchr(name, '(')) {
		rc = crypto_instantiate(name, depth + 1);
		if (rc == -EEXIST)
			rc = 0;
		seen_failed = false;
		alg = find_locked(name, type, type_flags, mask, &seen_failed);
	}
	if (!alg) {
		crypto_registry_unlock();
		if (seen_failed)
			return -ELIBBAD;
		return rc && rc != -ENOENT ? rc : -ENOENT;
	}
found:
	crypto_alg_get(alg);
	crypto_registry_unlock();
	*out = alg;
	return 0;
}

int crypto_alg_lookup(struct crypto_alg **out, const char *name, enum crypto_alg_type type,
		      uint32_t type_flags, uint32_t mask)
{
	return lookup(out, name, type, type_flags, mask, 0);
}

int crypto_grab_spawn(struct crypto_alg *inst, int slot, const char *name,
		      enum crypto_alg_type type, uint32_t type_flags, uint32_t mask)
{
	struct crypto_alg *alg;
	int rc;

	if (slot < 0 || slot >= CRYPTO_MAX_SPAWNS || inst->cra_spawns[slot])
		return -EINVAL;
	rc = lookup(&alg, name, type, type_flags, mask, 1);
	if (rc)
		return rc;
	inst->cra_spawns[slot] = alg;
	return 0;
}

void crypto_drop_spawns(struct crypto_alg *inst)
{
	for (int i = 0; i < CRYPTO_MAX_SPAWNS; i++) {
		if (inst->cra_spawns[i]) {
			crypto_alg_put(inst->cra_spawns[i]);
			inst->cra_spawns[i] = NULL;
		}
	}
}

bool crypto_has_alg(const char *name, enum crypto_alg_type type, uint32_t mask)
{
	struct crypto_alg *alg;

	if (lookup(&alg, name, type, 0, mask, 0))
		return false;
	crypto_alg_put(alg);
	return true;
}

/* ---- transforms ---- */

static void *tfm_create(struct crypto_alg *alg, size_t front)
{
	size_t size = front + sizeof(struct crypto_tfm) + alg->cra_ctxsize;
	struct crypto_tfm *tfm;
	void *mem;

	size = (size + 63) & ~(size_t)63;
	mem = aligned_alloc(64, size);
	if (!mem)
		return NULL;
	memset(mem, 0, size);
	tfm = (struct crypto_tfm *)((char *)mem + front);
	tfm->alg = alg;
	tfm->ctxsize = alg->cra_ctxsize;
	return mem;
}

static void tfm_destroy(void *mem, struct crypto_tfm *tfm, size_t front)
{
	struct crypto_alg *alg = tfm->alg;

	crypto_wipe(mem, front + sizeof(*tfm) + tfm->ctxsize);
	free(mem);
	crypto_alg_put(alg);
}

int crypto_spawn_tfm(void **out, struct crypto_alg *alg, enum crypto_alg_type type)
{
	const struct crypto_type *ty = crypto_type_of(type);
	struct crypto_tfm *tfm;
	void *mem;
	int rc;

	if (!ty || alg->cra_type != type)
		return -EINVAL;
	crypto_alg_get(alg);
	mem = tfm_create(alg, ty->tfm_base);
	if (!mem) {
		crypto_alg_put(alg);
		return -ENOMEM;
	}
	tfm = (struct crypto_tfm *)(void *)((char *)mem + ty->tfm_base);
	rc = ty->init_tfm(tfm);
	if (rc) {
		/* The algorithm's init failed: its exit is not run. */
		tfm_destroy(mem, tfm, ty->tfm_base);
		return rc;
	}
	*out = mem;
	return 0;
}

void crypto_free_tfm(struct crypto_tfm *tfm)
{
	const struct crypto_type *ty = crypto_type_of(tfm->alg->cra_type);

	ty->exit_tfm(tfm);
	tfm_destroy((char *)tfm - ty->tfm_base, tfm, ty->tfm_base);
}

/*
 * The typed forms: spawn from an algorithm in hand, allocate by name, free.
 * Each is the generic one with the type fixed.
 */
#define DEFINE_TFM(kind, T, TYPE)                                             \
	int crypto_spawn_##kind(T **out, struct crypto_alg *alg)               \
	{                                                                     \
		void *tfm;                                                    \
		int rc = crypto_spawn_tfm(&tfm, alg, TYPE);                   \
		if (rc == 0)                                                  \
			*out = tfm;                                           \
		return rc;                                                    \
	}                                                                     \
	int crypto_alloc_##kind(T **out, const char *name, uint32_t type, uint32_t mask) \
	{                                                                     \
		struct crypto_alg *alg;                                       \
		int rc = crypto_alg_lookup(&alg, name, TYPE, type, mask);      \
		if (rc)                                                       \
			return rc;                                            \
		rc = crypto_spawn_##kind(out, alg);                           \
		crypto_alg_put(alg);                                          \
		return rc;                                                    \
	}                                                                     \
	void crypto_free_##kind(T *tfm)                                        \
	{                                                                     \
		if (tfm)                                                      \
			crypto_free_tfm(&tfm->base);                          \
	}

DEFINE_TFM(cipher, struct crypto_cipher, CRYPTO_ALG_TYPE_CIPHER)
DEFINE_TFM(skcipher, struct crypto_skcipher, CRYPTO_ALG_TYPE_SKCIPHER)
DEFINE_TFM(aead, struct crypto_aead, CRYPTO_ALG_TYPE_AEAD)
DEFINE_TFM(shash, struct crypto_shash, CRYPTO_ALG_TYPE_SHASH)
DEFINE_TFM(rng, struct crypto_rng, CRYPTO_ALG_TYPE_RNG)

const char *crypto_tfm_alg_name(const struct crypto_tfm *tfm)
{
	return tfm->alg->cra_name;
}

const char *crypto_tfm_alg_driver_name(const struct crypto_tfm *tfm)
{
	return tfm->alg->cra_driver_name;
}

static int keylen_ok(uint32_t min, uint32_t max, unsigned int keylen)
{
	if (min == 0 && max == 0)
		return 0;
	return keylen < min || keylen > max ? -EINVAL : 0;
}

/* ---- cipher ---- */

int crypto_cipher_setkey(struct crypto_cipher *tfm, const uint8_t *key, unsigned int keylen)
{
	struct cipher_alg *a = crypto_cipher_alg(tfm);
	int rc = keylen_ok(a->min_keysize, a->max_keysize, keylen) ?: a->setkey(tfm, key, keylen);

	if (rc)
		tfm->base.crt_flags |= CRYPTO_TFM_NEED_KEY;
	else
		tfm->base.crt_flags &= ~CRYPTO_TFM_NEED_KEY;
	return rc;
}

void crypto_cipher_encrypt_one(struct crypto_cipher *tfm, uint8_t *dst, const uint8_t *src)
{
	crypto_cipher_alg(tfm)->encrypt(tfm, dst, src);
}

void crypto_cipher_decrypt_one(struct crypto_cipher *tfm, uint8_t *dst, const uint8_t *src)
{
	crypto_cipher_alg(tfm)->decrypt(tfm, dst, src);
}

unsigned int crypto_cipher_blocksize(const struct crypto_cipher *tfm)
{
	return tfm->base.alg->cra_blocksize;
}

/* ---- skcipher ---- */

int crypto_skcipher_setkey(struct crypto_skcipher *tfm, const uint8_t *key, unsigned int keylen)
{
	struct skcipher_alg *a = crypto_skcipher_alg(tfm);
	int rc = keylen_ok(a->min_keysize, a->max_keysize, keylen) ?: a->setkey(tfm, key, keylen);

	if (rc)
		tfm->base.crt_flags |= CRYPTO_TFM_NEED_KEY;
	else
		tfm->base.crt_flags &= ~CRYPTO_TFM_NEED_KEY;
	return rc;
}

unsigned int crypto_skcipher_ivsize(const struct crypto_skcipher *tfm)
{
	return crypto_skcipher_alg(tfm)->ivsize;
}

unsigned int crypto_skcipher_blocksize(const struct crypto_skcipher *tfm)
{
	return tfm->base.alg->cra_blocksize;
}

size_t crypto_skcipher_reqsize(const struct crypto_skcipher *tfm)
{
	return sizeof(struct skcipher_request) + tfm->reqsize;
}

void skcipher_request_init(struct skcipher_request *req, struct crypto_skcipher *tfm)
{
	memset(req, 0, sizeof(*req));
	req->tfm = tfm;
}

struct skcipher_request *skcipher_request_alloc(struct crypto_skcipher *tfm)
{
	size_t size = (crypto_skcipher_reqsize(tfm) + 63) & ~(size_t)63;
	struct skcipher_request *req = aligned_alloc(64, size);

	if (req) {
		memset(req, 0, size);
		req->tfm = tfm;
	}
	return req;
}

void skcipher_request_free(struct skcipher_request *req)
{
	if (!req)
		return;
	crypto_wipe(req, crypto_skcipher_reqsize(req->tfm));
	free(req);
}

static int skcipher_check(struct skcipher_request *req)
{
	struct crypto_skcipher *tfm = req->tfm;

	if (tfm->base.crt_flags & CRYPTO_TFM_NEED_KEY)
		return -ENOKEY;
	if ((uint64_t)req->src_off + req->cryptlen > req->src->total ||
	    (uint64_t)req->dst_off + req->cryptlen > req->dst->total)
		return -EINVAL;
	return 0;
}

int crypto_skcipher_encrypt(struct skcipher_request *req)
{
	return skcipher_check(req) ?: crypto_skcipher_alg(req->tfm)->encrypt(req);
}

int crypto_skcipher_decrypt(struct skcipher_request *req)
{
	return skcipher_check(req) ?: crypto_skcipher_alg(req->tfm)->decrypt(req);
}

/* ---- aead ---- */

int crypto_aead_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen)
{
	struct aead_alg *a = crypto_aead_alg(tfm);
	int rc = keylen_ok(a->min_keysize, a->max_keysize, keylen) ?: a->setkey(tfm, key, keylen);

	if (rc)
		tfm->base.crt_flags |= CRYPTO_TFM_NEED_KEY;
	else
		tfm->base.crt_flags &= ~CRYPTO_TFM_NEED_KEY;
	return rc;
}

int crypto_aead_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	struct aead_alg *a = crypto_aead_alg(tfm);
	int rc;

	if (authsize > a->maxauthsize)
		return -EINVAL;
	if (a->setauthsize && (rc = a->setauthsize(tfm, authsize)) != 0)
		return rc;
	tfm->authsize = authsize;
	return 0;
}

unsigned int crypto_aead_ivsize(const struct crypto_aead *tfm)
{
	return crypto_aead_alg(tfm)->ivsize;
}

unsigned int crypto_aead_maxauthsize(const struct crypto_aead *tfm)
{
	return crypto_aead_alg(tfm)->maxauthsize;
}

unsigned int crypto_aead_blocksize(const struct crypto_aead *tfm)
{
	return tfm->base.alg->cra_blocksize;
}

size_t crypto_aead_reqsize(const struct crypto_aead *tfm)
{
	return sizeof(struct aead_request) + tfm->reqsize;
}

void aead_request_init(struct aead_request *req, struct crypto_aead *tfm)
{
	memset(req, 0, sizeof(*req));
	req->tfm = tfm;
}

struct aead_request *aead_request_alloc(struct crypto_aead *tfm)
{
	size_t size = (crypto_aead_reqsize(tfm) + 63) & ~(size_t)63;
	struct aead_request *req = aligned_alloc(64, size);

	if (req) {
		memset(req, 0, size);
		req->tfm = tfm;
	}
	return req;
}

void aead_request_free(struct aead_request *req)
{
	if (!req)
		return;
	crypto_wipe(req, crypto_aead_reqsize(req->tfm));
	free(req);
}

static int aead_check(struct aead_request *req, bool decrypt)
{
	struct crypto_aead *tfm = req->tfm;
	uint64_t in = (uint64_t)req->assoclen + req->cryptlen;
	uint64_t out = in;

	if (tfm->base.crt_flags & CRYPTO_TFM_NEED_KEY)
		return -ENOKEY;
	if (decrypt) {
		if (req->cryptlen < tfm->authsize)
			return -EINVAL;
		out -= tfm->authsize;
	} else {
		out += tfm->authsize;
	}
	if (req->src_off + in > req->src->total || req->dst_off + out > req->dst->total)
		return -EINVAL;
	return 0;
}

int crypto_aead_encrypt(struct aead_request *req)
{
	return aead_check(req, false) ?: crypto_aead_alg(req->tfm)->encrypt(req);
}

int crypto_aead_decrypt(struct aead_request *req)
{
	return aead_check(req, true) ?: crypto_aead_alg(req->tfm)->decrypt(req);
}

static uint16_t aead_burst(struct crypto_aead *tfm, struct aead_request **reqs, uint16_t n,
			   bool decrypt)
{
	struct aead_alg *a = crypto_aead_alg(tfm);
	uint16_t (*burst)(struct crypto_aead *, struct aead_request **, uint16_t) =
		decrypt ? a->decrypt_burst : a->encrypt_burst;
	int (*one)(struct aead_request *) = decrypt ? a->decrypt : a->encrypt;
	uint16_t i;

	if (burst) {
		/* The driver's burst sees well-formed requests only; a burst with
		 * a malformed one takes the per-request path below. */
		for (i = 0; i < n; i++)
			if (aead_check(reqs[i], decrypt))
				break;
		if (i == n)
			return burst(tfm, reqs, n);
	}
	for (i = 0; i < n; i++) {
		int rc = aead_check(reqs[i], decrypt) ?: one(reqs[i]);

		if (rc == -EBUSY || rc == -ENOSPC)
			break;
		reqs[i]->err = rc;
	}
	return i;
}

uint16_t crypto_aead_encrypt_burst(struct crypto_aead *tfm, struct aead_request **reqs, uint16_t n)
{
	return aead_burst(tfm, reqs, n, false);
}

uint16_t crypto_aead_decrypt_burst(struct crypto_aead *tfm, struct aead_request **reqs, uint16_t n)
{
	return aead_burst(tfm, reqs, n, true);
}

unsigned int crypto_aead_poll(struct crypto_aead *tfm, unsigned int max)
{
	struct aead_alg *a = crypto_aead_alg(tfm);

	return a->poll ? a->poll(tfm, max) : 0;
}

void aead_copy_assoc(struct aead_request *req)
{
	if (req->assoclen && !(req->src == req->dst && req->src_off == req->dst_off))
		xsg_copy(req->dst, req->dst_off, req->src, req->src_off, req->assoclen);
}

/* ---- shash ---- */

int crypto_shash_setkey(struct crypto_shash *tfm, const uint8_t *key, unsigned int keylen)
{
	struct shash_alg *a = crypto_shash_alg(tfm);
	int rc;

	if (!a->setkey)
		return -ENOSYS;
	rc = keylen_ok(a->min_keysize, a->max_keysize, keylen) ?: a->setkey(tfm, key, keylen);
	if (rc)
		tfm->base.crt_flags |= CRYPTO_TFM_NEED_KEY;
	else
		tfm->base.crt_flags &= ~CRYPTO_TFM_NEED_KEY;
	return rc;
}

unsigned int crypto_shash_digestsize(const struct crypto_shash *tfm)
{
	return crypto_shash_alg(tfm)->digestsize;
}

unsigned int crypto_shash_blocksize(const struct crypto_shash *tfm)
{
	return tfm->base.alg->cra_blocksize;
}

int crypto_shash_init(struct shash_desc *desc)
{
	if (desc->tfm->base.crt_flags & CRYPTO_TFM_NEED_KEY)
		return -ENOKEY;
	return crypto_shash_alg(desc->tfm)->init(desc);
}

int crypto_shash_update(struct shash_desc *desc, const uint8_t *data, size_t len)
{
	return crypto_shash_alg(desc->tfm)->update(desc, data, len);
}

int crypto_shash_final(struct shash_desc *desc, uint8_t *out)
{
	return crypto_shash_alg(desc->tfm)->final(desc, out);
}

int crypto_shash_digest(struct shash_desc *desc, const uint8_t *data, size_t len, uint8_t *out)
{
	struct shash_alg *a = crypto_shash_alg(desc->tfm);

	if (desc->tfm->base.crt_flags & CRYPTO_TFM_NEED_KEY)
		return -ENOKEY;
	if (a->digest)
		return a->digest(desc, data, len, out);
	return a->init(desc) ?: a->update(desc, data, len) ?: a->final(desc, out);
}

int crypto_shash_update_sg(struct shash_desc *desc, const struct xsg *sg, uint32_t off, uint32_t len)
{
	struct shash_alg *a = crypto_shash_alg(desc->tfm);
	struct xsg_iter it;
	uint8_t *p;
	uint32_t n;
	int rc;

	xsg_iter_init(&it, sg, off, len);
	while ((n = xsg_iter_next(&it, &p, UINT32_MAX)) != 0)
		if ((rc = a->update(desc, p, n)) != 0)
			return rc;
	return 0;
}

void shash_desc_zero(struct shash_desc *desc)
{
	crypto_wipe(shash_desc_ctx(desc), desc->tfm->descsize);
}

/* ---- rng ---- */

int crypto_rng_reset(struct crypto_rng *tfm, const uint8_t *seed, unsigned int slen)
{
	return crypto_rng_alg(tfm)->seed(tfm, seed, slen);
}

int crypto_rng_generate(struct crypto_rng *tfm, const uint8_t *addtl, unsigned int alen,
			uint8_t *dst, unsigned int dlen)
{
	return crypto_rng_alg(tfm)->generate(tfm, addtl, alen, dst, dlen);
}
