/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw crypto API: the interface for algorithm implementations, templates
 * and drivers.
 */
#ifndef XFRMGW_CRYPTOAPI_ALGAPI_H
#define XFRMGW_CRYPTOAPI_ALGAPI_H

#include <stdatomic.h>
#include <string.h>
#include <sys/queue.h>

#include "crypto.h"

#define CRYPTO_MAX_SPAWNS 3
#define CRYPTO_MAX_MODULE_NAME 32

struct crypto_template;

/*
 * Fields every algorithm has. Implementations fill the cra_* fields marked
 * (impl); the registry owns the rest.
 */
struct crypto_alg {
	char cra_name[CRYPTO_MAX_ALG_NAME];		/* (impl) generic name */
	char cra_driver_name[CRYPTO_MAX_ALG_NAME];	/* (impl) unique */
	char cra_module[CRYPTO_MAX_MODULE_NAME];	/* (impl) "generic", "ipsecmb", ... */
	int cra_priority;				/* (impl) */
	uint32_t cra_flags;				/* (impl) INTERNAL/ASYNC/HARDWARE */
	enum crypto_alg_type cra_type;			/* set by the typed register calls */
	uint32_t cra_blocksize;				/* (impl) 1 for stream modes */
	uint32_t cra_ctxsize;				/* (impl) per-transform context */

	/* Throughput measured at registration (MB/s, 0 = not measured). */
	uint32_t cra_perf_mbps;

	/* Registry state. */
	atomic_int cra_refcnt;		/* 1 for the registry + 1 per user */
	int cra_selftest;		/* 0 passed, -errno failed, 1 not run */
	char cra_selftest_msg[96];	/* why a self-test failed */
	TAILQ_ENTRY(crypto_alg) cra_list;

	/* Template instances: children held, and how to free the instance. */
	struct crypto_template *cra_tmpl;
	struct crypto_alg *cra_spawns[CRYPTO_MAX_SPAWNS];
	void (*cra_destroy)(struct crypto_alg *alg);
};

struct cipher_alg {
	uint32_t min_keysize;
	uint32_t max_keysize;
	int (*init)(struct crypto_cipher *tfm);		/* optional */
	void (*exit)(struct crypto_cipher *tfm);	/* optional */
	int (*setkey)(struct crypto_cipher *tfm, const uint8_t *key, unsigned int keylen);
	void (*encrypt)(struct crypto_cipher *tfm, uint8_t *dst, const uint8_t *src);
	void (*decrypt)(struct crypto_cipher *tfm, uint8_t *dst, const uint8_t *src);
	struct crypto_alg base;
};

struct skcipher_alg {
	uint32_t min_keysize;
	uint32_t max_keysize;
	uint32_t ivsize;
	uint32_t chunksize;	/* 16 for CTR even though blocksize is 1 */
	uint32_t reqsize;	/* driver scratch after the request */
	int (*init)(struct crypto_skcipher *tfm);
	void (*exit)(struct crypto_skcipher *tfm);
	int (*setkey)(struct crypto_skcipher *tfm, const uint8_t *key, unsigned int keylen);
	int (*encrypt)(struct skcipher_request *req);
	int (*decrypt)(struct skcipher_request *req);
	struct crypto_alg base;
};

struct aead_alg {
	uint32_t min_keysize;	/* bounds checked before setkey (0/0: setkey decides) */
	uint32_t max_keysize;
	uint32_t ivsize;
	uint32_t maxauthsize;
	uint32_t chunksize;
	uint32_t reqsize;
	int (*init)(struct crypto_aead *tfm);
	void (*exit)(struct crypto_aead *tfm);
	int (*setkey)(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen);
	int (*setauthsize)(struct crypto_aead *tfm, unsigned int authsize); /* NULL: any <= max */
	int (*encrypt)(struct aead_request *req);
	int (*decrypt)(struct aead_request *req);
	/* Optional burst forms (default: loop over encrypt/decrypt). */
	uint16_t (*encrypt_burst)(struct crypto_aead *tfm, struct aead_request **reqs, uint16_t n);
	uint16_t (*decrypt_burst)(struct crypto_aead *tfm, struct aead_request **reqs, uint16_t n);
	/* Optional: asynchronous drivers deliver completions here. */
	unsigned int (*poll)(struct crypto_aead *tfm, unsigned int max);
	struct crypto_alg base;
};

struct shash_alg {
	uint32_t digestsize;
	uint32_t descsize;	/* state size; must be <= SHASH_DESC_MAX_SIZE */
	uint32_t min_keysize;	/* 0/0 for unkeyed digests */
	uint32_t max_keysize;
	int (*init_tfm)(struct crypto_shash *tfm);
	void (*exit_tfm)(struct crypto_shash *tfm);
	int (*setkey)(struct crypto_shash *tfm, const uint8_t *key, unsigned int keylen);
	int (*init)(struct shash_desc *desc);
	int (*update)(struct shash_desc *desc, const uint8_t *data, size_t len);
	int (*final)(struct shash_desc *desc, uint8_t *out);
	int (*digest)(struct shash_desc *desc, const uint8_t *data, size_t len, uint8_t *out); /* optional */
	struct crypto_alg base;
};

struct rng_alg {
	uint32_t seedsize;
	int (*init)(struct crypto_rng *tfm);
	void (*exit)(struct crypto_rng *tfm);
	int (*seed)(struct crypto_rng *tfm, const uint8_t *seed, unsigned int slen);
	int (*generate)(struct crypto_rng *tfm, const uint8_t *addtl, unsigned int alen,
			uint8_t *dst, unsigned int dlen);
	struct crypto_alg base;
};

#define container_of_alg(ptr, type) \
	((type *)(void *)((char *)(ptr) - offsetof(type, base)))

static inline struct cipher_alg *crypto_cipher_alg(const struct crypto_cipher *tfm)
{ return container_of_alg(tfm->base.alg, struct cipher_alg); }
static inline struct skcipher_alg *crypto_skcipher_alg(const struct crypto_skcipher *tfm)
{ return container_of_alg(tfm->base.alg, struct skcipher_alg); }
static inline struct aead_alg *crypto_aead_alg(const struct crypto_aead *tfm)
{ return container_of_alg(tfm->base.alg, struct aead_alg); }
static inline struct shash_alg *crypto_shash_alg(const struct crypto_shash *tfm)
{ return container_of_alg(tfm->base.alg, struct shash_alg); }
static inline struct rng_alg *crypto_rng_alg(const struct crypto_rng *tfm)
{ return container_of_alg(tfm->base.alg, struct rng_alg); }

static inline void *crypto_cipher_ctx(struct crypto_cipher *tfm) { return tfm->base.__ctx; }
static inline void *crypto_skcipher_ctx(struct crypto_skcipher *tfm) { return tfm->base.__ctx; }
static inline void *crypto_aead_ctx(struct crypto_aead *tfm) { return tfm->base.__ctx; }
static inline void *crypto_shash_ctx(struct crypto_shash *tfm) { return tfm->base.__ctx; }
static inline void *crypto_rng_ctx(struct crypto_rng *tfm) { return tfm->base.__ctx; }

/*
 * Registration. Every field is validated (a clear message is logged through
 * crypto_log and -EINVAL returned); a duplicate driver name is -EEXIST. The
 * self-test runs during registration: an algorithm whose test fails stays
 * listed (selftest: failed) but is never selected. The batch forms register
 * all or none.
 */
int crypto_register_cipher(struct cipher_alg *alg);
int crypto_register_skcipher(struct skcipher_alg *alg);
int crypto_register_aead(struct aead_alg *alg);
int crypto_register_shash(struct shash_alg *alg);
int crypto_register_rng(struct rng_alg *alg);
int crypto_register_ciphers(struct cipher_alg *algs, int n);
int crypto_register_skciphers(struct skcipher_alg *algs, int n);
int crypto_register_aeads(struct aead_alg *algs, int n);
int crypto_register_shashes(struct shash_alg *algs, int n);
int crypto_register_rngs(struct rng_alg *algs, int n);

/* -EBUSY while a transform (or a template instance in use) holds it. */
int crypto_unregister_alg(struct crypto_alg *alg);
void crypto_unregister_ciphers(struct cipher_alg *algs, int n);
void crypto_unregister_skciphers(struct skcipher_alg *algs, int n);
void crypto_unregister_aeads(struct aead_alg *algs, int n);
void crypto_unregister_shashes(struct shash_alg *algs, int n);
void crypto_unregister_rngs(struct rng_alg *algs, int n);

/* Mark an algorithm unusable (device gone): no new transforms select it. */
void crypto_alg_mark_dead(struct crypto_alg *alg);

/* ---- templates ---- */

/*
 * A template builds an instance from the names of its arguments:
 * "authenc(hmac(sha256),cbc(aes))" calls the "authenc" template's create()
 * with args {"hmac(sha256)", "cbc(aes)"}. create() allocates the typed
 * algorithm, grabs its children with crypto_grab_spawn() (which resolves and
 * instantiates them), names it with crypto_inst_setname(), sets cra_destroy
 * and calls crypto_register_instance(). On any failure create() releases what
 * it grabbed with crypto_drop_spawns() and frees its memory. Most templates
 * let crypto_inst_create() (below) do all of that.
 */
struct crypto_template {
	const char *name;
	int (*create)(struct crypto_template *tmpl, const char *const *args, int nargs);
	TAILQ_ENTRY(crypto_template) list;
};

int crypto_register_template(struct crypto_template *tmpl);
void crypto_unregister_template(struct crypto_template *tmpl);

/*
 * Resolve name (generic or driver) to the best tested algorithm of the given
 * type and take a reference in inst->cra_spawns[slot].
 */
int crypto_grab_spawn(struct crypto_alg *inst, int slot, const char *name,
		      enum crypto_alg_type type, uint32_t type_flags, uint32_t mask);
void crypto_drop_spawns(struct crypto_alg *inst);
/*
 * Name an instance "tmpl(child0[,child1])" after its spawns' names and driver
 * names. -ENAMETOOLONG if a name does not fit.
 */
int crypto_inst_setname(struct crypto_alg *inst, const char *tmpl_name);
/* Registers an instance (inst->cra_tmpl = tmpl); -EEXIST if already there. */
int crypto_register_instance(struct crypto_template *tmpl, struct crypto_alg *inst,
			     enum crypto_alg_type type);

/* Transforms built directly from a spawned algorithm (no name lookup). */
int crypto_spawn_cipher(struct crypto_cipher **out, struct crypto_alg *alg);
int crypto_spawn_skcipher(struct crypto_skcipher **out, struct crypto_alg *alg);
int crypto_spawn_aead(struct crypto_aead **out, struct crypto_alg *alg);
int crypto_spawn_shash(struct crypto_shash **out, struct crypto_alg *alg);
int crypto_spawn_rng(struct crypto_rng **out, struct crypto_alg *alg);

/*
 * The steps every instance takes, written once (template.c). A template
 * describes its instances with a crypto_inst_spec and its create() is
 *   return crypto_inst_create(tmpl, &spec, args, nargs);
 * (or it is a crypto_inst_template, below), which
 *  - allocates the typed algorithm and copies spec->alg into it (the ops and
 *    whatever does not depend on the children, including base.cra_ctxsize),
 *  - grabs one spawn per argument, of the type and with the mask given
 *    (-EINVAL when nargs does not match),
 *  - runs spec->check (refuse unsuitable children), names the instance
 *    "tmpl(children)" and then grabs the spawns with a fixed name (they are
 *    not part of the instance name),
 *  - takes cra_priority, and cra_module and cra_blocksize unless spec->alg
 *    sets them, from spawn spec->lead,
 *  - runs spec->fill (child-dependent fields, priority overrides; may refuse),
 *  - registers the instance; on any failure it drops the spawns and frees it.
 * inst->cra_tmpl is set before check and fill run, so a template that wraps
 * its crypto_template in a larger struct can find its variant there (also
 * from a transform: tfm->base.alg->cra_tmpl).
 */
struct crypto_spawn_spec {
	enum crypto_alg_type type;	/* 0 ends the list */
	uint32_t mask;			/* e.g. CRYPTO_ALG_ASYNC: synchronous children only */
	const char *name;		/* NULL: the next argument; else a fixed child */
};

struct crypto_inst_spec {
	enum crypto_alg_type type;	/* of the instance */
	const void *alg;		/* prototype: struct skcipher_alg, aead_alg, ... */
	int lead;			/* spawn giving priority, module and blocksize */
	struct crypto_spawn_spec spawns[CRYPTO_MAX_SPAWNS];
	int (*check)(struct crypto_alg *inst);	/* optional, before naming */
	int (*fill)(struct crypto_alg *inst);	/* optional, after naming */
};

int crypto_inst_create(struct crypto_template *tmpl, const struct crypto_inst_spec *spec,
		       const char *const *args, int nargs);

/*
 * A template whose create() is crypto_inst_create() with its spec:
 *   static struct crypto_inst_template cbc_tmpl = CRYPTO_INST_TEMPLATE("cbc", &cbc_spec);
 * A template with parameters of its own (a variant) embeds this first.
 */
struct crypto_inst_template {
	struct crypto_template base;
	const struct crypto_inst_spec *spec;
};

int crypto_inst_template_create(struct crypto_template *tmpl, const char *const *args,
				int nargs);

#define CRYPTO_INST_TEMPLATE(tmpl_name, inst_spec)                             \
	{ .base = { .name = (tmpl_name), .create = crypto_inst_template_create }, \
	  .spec = (inst_spec) }

/*
 * A child's key sizes (of any type) plus extra bytes the template appends
 * (a salt or nonce); a child with no key bounds (0/0, its setkey decides)
 * gives 0/0.
 */
void crypto_inst_keysizes(const struct crypto_alg *child, uint32_t extra, uint32_t *min,
			  uint32_t *max);

/*
 * Child transforms of an instance's transform. The transform context starts
 * with one pointer per spawn, in spawn order, each of the spawn's transform
 * type (struct crypto_cipher *, struct crypto_shash *, ...). init makes them
 * all (none on failure); exit frees them in reverse order. The typed forms
 * serve directly as the instance's init/exit ops.
 */
int crypto_inst_init_children(struct crypto_tfm *tfm);
void crypto_inst_exit_children(struct crypto_tfm *tfm);
int crypto_inst_init_skcipher(struct crypto_skcipher *tfm);
void crypto_inst_exit_skcipher(struct crypto_skcipher *tfm);
int crypto_inst_init_aead(struct crypto_aead *tfm);
void crypto_inst_exit_aead(struct crypto_aead *tfm);
int crypto_inst_init_shash(struct crypto_shash *tfm);
void crypto_inst_exit_shash(struct crypto_shash *tfm);
/* setkey of an skcipher instance whose key is its one cipher child's key. */
int crypto_inst_skcipher_setkey(struct crypto_skcipher *tfm, const uint8_t *key,
				unsigned int keylen);

/* Register templates in order, all or none; unregister in reverse order. */
int crypto_register_templates(struct crypto_template *const *tmpls, int n);
void crypto_unregister_templates(struct crypto_template *const *tmpls, int n);

/* Lookup with a reference taken (release with crypto_alg_put). */
int crypto_alg_lookup(struct crypto_alg **out, const char *name,
		      enum crypto_alg_type type, uint32_t type_flags, uint32_t mask);
void crypto_alg_get(struct crypto_alg *alg);
void crypto_alg_put(struct crypto_alg *alg);

/* ---- modules: built-in registration units ---- */

/*
 * Each implementation file declares its init/exit pair once:
 *   CRYPTO_MODULE(aes_generic, CRYPTO_MODULE_PRIMITIVE, aes_init, aes_exit);
 * crypto_init() runs inits by level (vectors, primitives, templates,
 * drivers) and crypto_exit() runs exits in reverse.
 */
enum crypto_module_level {
	CRYPTO_MODULE_VECTORS = 0,	/* test vector tables */
	CRYPTO_MODULE_PRIMITIVE,	/* aes, sha*, chacha20, ghash, ... */
	CRYPTO_MODULE_TEMPLATE,		/* cbc, gcm, authenc, ... */
	CRYPTO_MODULE_DRIVER,		/* accelerated and hardware drivers */
	CRYPTO_MODULE_RNG,		/* the default rng, once hash/cipher exist */
	CRYPTO_MODULE_NLEVELS
};

struct crypto_module {
	const char *name;
	enum crypto_module_level level;
	int (*init)(void);
	void (*exit)(void);
	struct crypto_module *next;
	bool loaded;
};

void crypto_module_add(struct crypto_module *mod);

/* A template module: registers the templates listed (all or none). */
#define CRYPTO_TEMPLATE_MODULE(id, ...)                                        \
	static struct crypto_template *const crypto_tmpls_##id[] = { __VA_ARGS__ }; \
	static int crypto_tmpls_init_##id(void)                                \
	{                                                                     \
		return crypto_register_templates(crypto_tmpls_##id,            \
			(int)(sizeof(crypto_tmpls_##id) / sizeof(crypto_tmpls_##id[0]))); \
	}                                                                     \
	static void crypto_tmpls_exit_##id(void)                               \
	{                                                                     \
		crypto_unregister_templates(crypto_tmpls_##id,                 \
			(int)(sizeof(crypto_tmpls_##id) / sizeof(crypto_tmpls_##id[0]))); \
	}                                                                     \
	CRYPTO_MODULE(id, CRYPTO_MODULE_TEMPLATE, crypto_tmpls_init_##id,      \
		      crypto_tmpls_exit_##id)

#define CRYPTO_MODULE(id, lvl, initfn, exitfn)                                \
	static struct crypto_module crypto_module_##id = {                     \
		.name = #id, .level = (lvl), .init = (initfn), .exit = (exitfn), \
	};                                                                    \
	__attribute__((constructor)) static void crypto_module_ctor_##id(void) \
	{                                                                     \
		crypto_module_add(&crypto_module_##id);                       \
	}

/* Skip driver modules whose name is listed (comma separated) in the
 * XFRMGW_CRYPTO_DISABLE environment variable, e.g. "ipsecmb,openssl". */

/* ---- logging ---- */
void crypto_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define CRYPTO_LOG_ERR 3
#define CRYPTO_LOG_WARNING 4
#define CRYPTO_LOG_INFO 6
#define CRYPTO_LOG_DEBUG 7
/* Where log lines go (default: stderr for ERR/WARNING only). */
void crypto_set_log(void (*fn)(int level, const char *msg));

/* ---- helpers for implementations ---- */

/* Copy the associated data to dst for out-of-place AEAD requests. */
void aead_copy_assoc(struct aead_request *req);

/* Complete a request: calls the completion if one is set (async drivers). */
static inline void aead_request_complete(struct aead_request *req, int err)
{
	req->err = err;
	if (req->complete)
		req->complete(req->data, err);
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}
static inline uint64_t get_be64(const uint8_t *p)
{
	return ((uint64_t)get_be32(p) << 32) | get_be32(p + 4);
}
static inline void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, (uint32_t)v);
}
static inline uint32_t get_le32(const uint8_t *p)
{
	return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}
static inline void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}
static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, v >> 32);
}
/*
 * Top up a buffer of *buflen (< bs or == bs) bytes towards one block of bs
 * from the input, which is advanced past what was taken. True when full.
 */
static inline bool crypto_fill_block(uint8_t *buf, uint32_t *buflen, uint32_t bs,
				     const uint8_t **data, size_t *len)
{
	size_t n = bs - *buflen;

	if (n > *len)
		n = *len;
	memcpy(buf + *buflen, *data, n);
	*buflen += (uint32_t)n;
	*data += n;
	*len -= n;
	return *buflen == bs;
}

static inline void crypto_xor(uint8_t *dst, const uint8_t *src, size_t len)
{
	for (size_t i = 0; i < len; i++)
		dst[i] ^= src[i];
}
static inline void crypto_xor_cpy(uint8_t *dst, const uint8_t *a, const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		dst[i] = a[i] ^ b[i];
}

/*
 * Keys for authenc()/authencesn(), encoded as in the kernel's
 * crypto_authenc_keys: a 4-byte rtattr (len 8, type 1) and a big-endian
 * 32-bit encryption key length, then the authentication key, then the
 * encryption key.
 */
struct authenc_keys {
	const uint8_t *authkey;
	const uint8_t *enckey;
	unsigned int authkeylen;
	unsigned int enckeylen;
};
int crypto_authenc_extractkeys(struct authenc_keys *keys, const uint8_t *key, unsigned int keylen);
/* Build such a key blob; returns its length or -ENOSPC. */
int crypto_authenc_buildkey(uint8_t *out, size_t outlen, const uint8_t *authkey,
			    unsigned int authkeylen, const uint8_t *enckey, unsigned int enckeylen);

#endif
