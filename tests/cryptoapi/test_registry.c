/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Registry rules: validation, duplicate names, priority selection, exact
 * driver names, self-test gating, batch rollback, -EBUSY while in use,
 * template instances taking their child's priority, internal/hardware/dead
 * filtering and fastest selection. Uses toy algorithms registered by the
 * test itself so each rule is checked in isolation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cryptoapi/alg_type.h"
#include "cryptoapi/algapi.h"
#include "cryptoapi/listing.h"
#include "cryptoapi/testmgr.h"

/* ---- a toy 16-byte "cipher": XOR with the key ---- */

struct xor_ctx {
	uint8_t key[16];
};

static int xor_setkey(struct crypto_cipher *tfm, const uint8_t *key, unsigned int keylen)
{
	struct xor_ctx *ctx = crypto_cipher_ctx(tfm);

	for (unsigned int i = 0; i < 16; i++)
		ctx->key[i] = key[i % keylen];
	return 0;
}

static void xor_crypt(struct crypto_cipher *tfm, uint8_t *dst, const uint8_t *src)
{
	struct xor_ctx *ctx = crypto_cipher_ctx(tfm);

	for (int i = 0; i < 16; i++)
		dst[i] = src[i] ^ ctx->key[i];
}

#define TOY(nm, drv, prio)                                                    \
	{                                                                     \
		.min_keysize = 1, .max_keysize = 16, .setkey = xor_setkey,    \
		.encrypt = xor_crypt, .decrypt = xor_crypt,                   \
		.base = { .cra_name = nm, .cra_driver_name = drv,             \
			  .cra_module = "test", .cra_priority = prio,         \
			  .cra_blocksize = 16,                                \
			  .cra_ctxsize = sizeof(struct xor_ctx) },            \
	}

/* Self-test for the toy names: drivers whose name contains "bad" fail. */
static int toy_test(struct crypto_alg *alg, char *msg, size_t len)
{
	if (strstr(alg->cra_driver_name, "bad")) {
		snprintf(msg, len, "deliberately failing test driver");
		return -EBADMSG;
	}
	return 0;
}

static const struct cipher_testvec toy_vec[] = {
	{ .source = "toy: XOR with key 01", .key = "01",
	  .ptext = "00000000000000000000000000000000",
	  .ctext = "01010101010101010101010101010101" },
};

static const struct alg_test_desc toy_tests[] = {
	{ .alg = "xtest", .test = toy_test, .vecs = TESTVECS(cipher, toy_vec) },
	{ .alg = "xbatch", .test = toy_test },
	{ .alg = "xwrap(xtest)", .test = toy_test },
};

static int setup(void **state)
{
	(void)state;
	crypto_set_log(NULL);
	if (crypto_init())
		return -1;
	return crypto_register_tests(toy_tests, 3);
}

static int teardown(void **state)
{
	(void)state;
	crypto_unregister_tests(toy_tests);
	crypto_exit();
	return 0;
}

static void quiet_log(int level, const char *msg)
{
	(void)level;
	(void)msg;
}

/* ---- validation ---- */

static void test_validation(void **state)
{
	struct cipher_alg bad;
	const struct cipher_alg good = TOY("xval", "xval-1", 100);

	(void)state;
	crypto_set_log(quiet_log);

	bad = good;
	bad.base.cra_name[0] = '\0';
	assert_int_equal(crypto_register_cipher(&bad), -EINVAL);

	bad = good;
	bad.base.cra_driver_name[0] = '\0';
	assert_int_equal(crypto_register_cipher(&bad), -EINVAL);

	bad = good;
	bad.base.cra_module[0] = '\0';
	assert_int_equal(crypto_register_cipher(&bad), -EINVAL);

	bad = good;
	memset(bad.base.cra_name, 'a', sizeof(bad.base.cra_name));	/* unterminated */
	assert_int_equal(crypto_register_cipher(&bad), -EINVAL);

	bad = good;
	bad.base.cra_blocksize = 0;
	assert_int_equal(crypto_register_cipher(&bad), -EINVAL);

	bad = good;
	bad.base.cra_flags = CRYPTO_ALG_TESTED;	/* registry-owned flag */
	assert_int_equal(crypto_register_cipher(&bad), -EINVAL);

	bad = good;
	bad.base.cra_flags = 0x80000000u;	/* unknown flag */
	assert_int_equal(crypto_register_cipher(&bad), -EINVAL);

	bad = good;
	bad.base.cra_priority = -1;
	assert_int_equal(crypto_register_cipher(&bad), -EINVAL);

	bad = good;
	bad.min_keysize = 32;
	bad.max_keysize = 16;
	assert_int_equal(crypto_register_cipher(&bad), -EINVAL);

	bad = good;
	bad.encrypt = NULL;
	assert_int_equal(crypto_register_cipher(&bad), -EINVAL);

	crypto_set_log(NULL);
	/* Nothing of it reached the registry. */
	assert_false(crypto_has_alg("xval", CRYPTO_ALG_TYPE_CIPHER, 0));
}

static void test_validation_typed(void **state)
{
	struct aead_alg a = {
		.ivsize = 64,	/* too large */
		.maxauthsize = 16,
		.base = { .cra_name = "xa", .cra_driver_name = "xa-1", .cra_module = "test",
			  .cra_priority = 1, .cra_blocksize = 1 },
	};
	struct shash_alg h = {
		.digestsize = 16,
		.descsize = SHASH_DESC_MAX_SIZE + 1,	/* too large */
		.base = { .cra_name = "xh", .cra_driver_name = "xh-1", .cra_module = "test",
			  .cra_priority = 1, .cra_blocksize = 1 },
	};

	(void)state;
	crypto_set_log(quiet_log);
	assert_int_equal(crypto_register_aead(&a), -EINVAL);	/* also no ops */
	assert_int_equal(crypto_register_shash(&h), -EINVAL);
	crypto_set_log(NULL);
}

/* ---- selection ---- */

static struct cipher_alg sel[] = {
	TOY("xtest", "xtest-lo", 100),
	TOY("xtest", "xtest-hi", 300),
	TOY("xtest", "xtest-bad", 900),	/* fails its self-test */
	TOY("xtest", "xtest-mid", 200),
};

static void test_priority_and_exact(void **state)
{
	struct crypto_cipher *tfm;
	struct crypto_alg *alg;

	(void)state;
	crypto_set_log(quiet_log);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(crypto_register_cipher(&sel[i]), 0);
	crypto_set_log(NULL);

	/* Self-test gating: listed, flagged dead, never selected. */
	assert_true(sel[2].base.cra_flags & CRYPTO_ALG_DEAD);
	assert_false(sel[2].base.cra_flags & CRYPTO_ALG_TESTED);
	assert_true(sel[1].base.cra_flags & CRYPTO_ALG_TESTED);

	/* Generic name: highest-priority tested driver. */
	assert_int_equal(crypto_alloc_cipher(&tfm, "xtest", 0, 0), 0);
	assert_string_equal(crypto_tfm_alg_driver_name(&tfm->base), "xtest-hi");
	crypto_free_cipher(tfm);

	/* Exact driver name wins even at lower priority. */
	assert_int_equal(crypto_alloc_cipher(&tfm, "xtest-lo", 0, 0), 0);
	assert_string_equal(crypto_tfm_alg_driver_name(&tfm->base), "xtest-lo");
	crypto_free_cipher(tfm);

	/* A failed driver cannot be had even by exact name. */
	assert_int_equal(crypto_alloc_cipher(&tfm, "xtest-bad", 0, 0), -ELIBBAD);

	/* Unknown names and wrong types. */
	assert_int_equal(crypto_alloc_cipher(&tfm, "no-such-alg", 0, 0), -ENOENT);
	assert_int_equal(crypto_alloc_aead((struct crypto_aead **)&tfm, "xtest", 0, 0), -ENOENT);

	/* Duplicate driver name. */
	{
		struct cipher_alg dup = TOY("xtest", "xtest-lo", 100);

		assert_int_equal(crypto_register_cipher(&dup), -EEXIST);
	}

	/* Hardware only: none of these is hardware. */
	assert_int_equal(crypto_alg_lookup(&alg, "xtest", CRYPTO_ALG_TYPE_CIPHER,
					   CRYPTO_ALG_HARDWARE, CRYPTO_ALG_HARDWARE), -ENOENT);
	/* Software only (mask HARDWARE, type 0) finds the best software one. */
	assert_int_equal(crypto_alg_lookup(&alg, "xtest", CRYPTO_ALG_TYPE_CIPHER, 0,
					   CRYPTO_ALG_HARDWARE), 0);
	assert_string_equal(alg->cra_driver_name, "xtest-hi");
	crypto_alg_put(alg);
}

static void test_fastest(void **state)
{
	struct crypto_alg *alg;
	uint32_t save[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		save[i] = sel[i].base.cra_perf_mbps;
	sel[0].base.cra_perf_mbps = 5000;	/* lowest priority, fastest */
	sel[1].base.cra_perf_mbps = 1000;
	sel[2].base.cra_perf_mbps = 9000;	/* dead: never */
	sel[3].base.cra_perf_mbps = 0;		/* unmeasured ranks last */
	assert_int_equal(crypto_alg_lookup(&alg, "xtest", CRYPTO_ALG_TYPE_CIPHER,
					   CRYPTO_SELECT_FASTEST, 0), 0);
	assert_string_equal(alg->cra_driver_name, "xtest-lo");
	crypto_alg_put(alg);
	/* Without the modifier, priority rules. */
	assert_int_equal(crypto_alg_lookup(&alg, "xtest", CRYPTO_ALG_TYPE_CIPHER, 0, 0), 0);
	assert_string_equal(alg->cra_driver_name, "xtest-hi");
	crypto_alg_put(alg);
	for (int i = 0; i < 4; i++)
		sel[i].base.cra_perf_mbps = save[i];
}

static void test_busy_and_dead(void **state)
{
	struct crypto_cipher *tfm, *tfm2;
	uint8_t in[16] = { 0 }, out[16];

	(void)state;
	assert_int_equal(crypto_alloc_cipher(&tfm, "xtest", 0, 0), 0);
	assert_string_equal(crypto_tfm_alg_driver_name(&tfm->base), "xtest-hi");
	assert_int_equal(atomic_load(&sel[1].base.cra_refcnt), 2);

	/* In use: cannot go. */
	assert_int_equal(crypto_unregister_alg(&sel[1].base), -EBUSY);

	/* Device gone: the next allocation falls back, the old tfm still works. */
	crypto_alg_mark_dead(&sel[1].base);
	assert_int_equal(crypto_alloc_cipher(&tfm2, "xtest", 0, 0), 0);
	assert_string_equal(crypto_tfm_alg_driver_name(&tfm2->base), "xtest-mid");
	assert_int_equal(crypto_cipher_setkey(tfm, (const uint8_t *)"\x05", 1), 0);
	crypto_cipher_encrypt_one(tfm, out, in);
	assert_int_equal(out[7], 5);
	crypto_free_cipher(tfm2);

	crypto_free_cipher(tfm);
	assert_int_equal(atomic_load(&sel[1].base.cra_refcnt), 1);
	assert_int_equal(crypto_unregister_alg(&sel[1].base), 0);
	assert_int_equal(crypto_unregister_alg(&sel[1].base), -ENOENT);
}

/* ---- batch rollback ---- */

static void test_batch_rollback(void **state)
{
	struct cipher_alg batch[3] = {
		TOY("xbatch", "xbatch-1", 100),
		TOY("xbatch", "xbatch-2", 100),
		TOY("xbatch", "xbatch-3", 100),
	};

	(void)state;
	batch[2].base.cra_blocksize = 0;	/* invalid: the whole batch must fail */
	crypto_set_log(quiet_log);
	assert_int_equal(crypto_register_ciphers(batch, 3), -EINVAL);
	crypto_set_log(NULL);
	assert_false(crypto_has_alg("xbatch", CRYPTO_ALG_TYPE_CIPHER, 0));
	assert_false(crypto_has_alg("xbatch-1", CRYPTO_ALG_TYPE_CIPHER, 0));

	batch[2].base.cra_blocksize = 16;
	assert_int_equal(crypto_register_ciphers(batch, 3), 0);
	assert_true(crypto_has_alg("xbatch-2", CRYPTO_ALG_TYPE_CIPHER, 0));
	crypto_unregister_ciphers(batch, 3);
	assert_false(crypto_has_alg("xbatch", CRYPTO_ALG_TYPE_CIPHER, 0));
}

/* ---- templates ---- */

/* xwrap(C): a cipher instance that just forwards to its child. */
struct xwrap_ctx {
	struct crypto_cipher *child;
};

static int xwrap_init_count;

static int xwrap_init(struct crypto_cipher *tfm)
{
	struct xwrap_ctx *ctx = crypto_cipher_ctx(tfm);

	xwrap_init_count++;
	return crypto_spawn_cipher(&ctx->child, tfm->base.alg->cra_spawns[0]);
}

static void xwrap_exit(struct crypto_cipher *tfm)
{
	struct xwrap_ctx *ctx = crypto_cipher_ctx(tfm);

	crypto_free_cipher(ctx->child);
}

static int xwrap_setkey(struct crypto_cipher *tfm, const uint8_t *key, unsigned int keylen)
{
	struct xwrap_ctx *ctx = crypto_cipher_ctx(tfm);

	return crypto_cipher_setkey(ctx->child, key, keylen);
}

static void xwrap_enc(struct crypto_cipher *tfm, uint8_t *dst, const uint8_t *src)
{
	struct xwrap_ctx *ctx = crypto_cipher_ctx(tfm);

	crypto_cipher_encrypt_one(ctx->child, dst, src);
}

static void xwrap_destroy(struct crypto_alg *alg)
{
	free(container_of_alg(alg, struct cipher_alg));
}

static int xwrap_create(struct crypto_template *tmpl, const char *const *args, int nargs)
{
	struct cipher_alg *inst, *child;
	int rc;

	if (nargs != 1)
		return -EINVAL;
	inst = calloc(1, sizeof(*inst));
	if (!inst)
		return -ENOMEM;
	rc = crypto_grab_spawn(&inst->base, 0, args[0], CRYPTO_ALG_TYPE_CIPHER, 0, 0);
	if (rc)
		goto err;
	child = container_of_alg(inst->base.cra_spawns[0], struct cipher_alg);
	rc = crypto_inst_setname(&inst->base, "xwrap");
	if (rc)
		goto err;
	strcpy(inst->base.cra_module, "test");
	inst->base.cra_priority = child->base.cra_priority;
	inst->base.cra_blocksize = child->base.cra_blocksize;
	inst->base.cra_ctxsize = sizeof(struct xwrap_ctx);
	inst->base.cra_destroy = xwrap_destroy;
	inst->min_keysize = child->min_keysize;
	inst->max_keysize = child->max_keysize;
	inst->init = xwrap_init;
	inst->exit = xwrap_exit;
	inst->setkey = xwrap_setkey;
	inst->encrypt = xwrap_enc;
	inst->decrypt = xwrap_enc;
	rc = crypto_register_instance(tmpl, &inst->base, CRYPTO_ALG_TYPE_CIPHER);
	if (rc)
		goto err;
	return 0;
err:
	crypto_drop_spawns(&inst->base);
	free(inst);
	return rc;
}

static struct crypto_template xwrap_tmpl = { .name = "xwrap", .create = xwrap_create };

static void test_template_instance(void **state)
{
	struct cipher_alg hi = TOY("xtest", "xtest-top", 500);
	struct crypto_cipher *tfm;
	struct crypto_alg *alg;

	(void)state;
	assert_int_equal(crypto_register_template(&xwrap_tmpl), 0);
	assert_int_equal(crypto_register_template(&xwrap_tmpl), -EEXIST);

	/* First use instantiates over the best child, with its priority. */
	assert_int_equal(crypto_alloc_cipher(&tfm, "xwrap(xtest)", 0, 0), 0);
	alg = tfm->base.alg;
	assert_string_equal(alg->cra_name, "xwrap(xtest)");
	assert_string_equal(alg->cra_driver_name, "xwrap(xtest-hi)");
	assert_int_equal(alg->cra_priority, 300);
	assert_true(alg->cra_flags & CRYPTO_ALG_INSTANCE);
	assert_int_equal(crypto_cipher_setkey(tfm, (const uint8_t *)"\x07", 1), 0);
	crypto_free_cipher(tfm);

	/* A better child appears: the next lookup builds and picks a new instance. */
	assert_int_equal(crypto_register_cipher(&hi), 0);
	assert_int_equal(crypto_alloc_cipher(&tfm, "xwrap(xtest)", 0, 0), 0);
	assert_string_equal(crypto_tfm_alg_driver_name(&tfm->base), "xwrap(xtest-top)");
	assert_int_equal(tfm->base.alg->cra_priority, 500);

	/* Asking for the instance over a named driver. */
	{
		struct crypto_cipher *t2;

		assert_int_equal(crypto_alloc_cipher(&t2, "xwrap(xtest-lo)", 0, 0), 0);
		assert_string_equal(crypto_tfm_alg_driver_name(&t2->base), "xwrap(xtest-lo)");
		crypto_free_cipher(t2);
	}

	/* The child is held by the instance that is in use. */
	assert_int_equal(crypto_unregister_alg(&hi.base), -EBUSY);
	crypto_free_cipher(tfm);
	/* Unused instances go away with their child. */
	assert_int_equal(crypto_unregister_alg(&hi.base), 0);
	assert_int_equal(crypto_alloc_cipher(&tfm, "xwrap(xtest-top)", 0, 0), -ENOENT);

	/* Malformed template names. */
	assert_int_equal(crypto_alloc_cipher(&tfm, "xwrap(", 0, 0), -ENOENT);
	assert_int_equal(crypto_alloc_cipher(&tfm, "xwrap()", 0, 0), -ENOENT);
	assert_int_equal(crypto_alloc_cipher(&tfm, "xwrap(xtest))", 0, 0), -ENOENT);
	assert_int_equal(crypto_alloc_cipher(&tfm, "nosuch(xtest)", 0, 0), -ENOENT);
	assert_int_equal(crypto_alloc_cipher(&tfm, "xwrap(nosuch)", 0, 0), -ENOENT);

	crypto_unregister_template(&xwrap_tmpl);
	assert_true(xwrap_init_count >= 1);
}

static void test_cleanup_toys(void **state)
{
	(void)state;
	for (size_t i = 0; i < 4; i++)
		crypto_unregister_alg(&sel[i].base);
	assert_false(crypto_has_alg("xtest", CRYPTO_ALG_TYPE_CIPHER, 0));
}

/* ---- internal algorithms ---- */

static void test_internal(void **state)
{
	struct cipher_alg in = TOY("xint", "xint-1", 100);
	const struct alg_test_desc d[] = { { .alg = "xint", .test = toy_test } };
	struct crypto_alg *alg;

	(void)state;
	in.base.cra_flags = CRYPTO_ALG_INTERNAL;
	assert_int_equal(crypto_register_tests(d, 1), 0);
	assert_int_equal(crypto_register_cipher(&in), 0);
	assert_int_equal(crypto_alg_lookup(&alg, "xint", CRYPTO_ALG_TYPE_CIPHER, 0, 0), -ENOENT);
	assert_int_equal(crypto_alg_lookup(&alg, "xint", CRYPTO_ALG_TYPE_CIPHER,
					   CRYPTO_ALG_INTERNAL, CRYPTO_ALG_INTERNAL), 0);
	crypto_alg_put(alg);
	assert_int_equal(crypto_unregister_alg(&in.base), 0);
	crypto_unregister_tests(d);
}

/* ---- no vectors: never selectable ---- */

static void test_untested_not_selectable(void **state)
{
	struct cipher_alg nv = TOY("xnovec", "xnovec-1", 100);
	struct crypto_cipher *tfm;
	char buf[4096];
	FILE *f;

	(void)state;
	crypto_set_log(quiet_log);
	assert_int_equal(crypto_register_cipher(&nv), 0);
	crypto_set_log(NULL);
	assert_int_equal(nv.base.cra_selftest, -ENOENT);
	assert_int_equal(crypto_alloc_cipher(&tfm, "xnovec", 0, 0), -ELIBBAD);

	/* The listing says so. */
	f = fmemopen(buf, sizeof(buf), "w");
	crypto_show_alg(f, &nv.base);
	fclose(f);
	assert_non_null(strstr(buf, "driver       : xnovec-1\n"));
	assert_non_null(strstr(buf, "selftest     : failed\n"));
	assert_non_null(strstr(buf, "type         : cipher\n"));
	assert_non_null(strstr(buf, "min keysize  : 1\n"));
	assert_int_equal(crypto_unregister_alg(&nv.base), 0);
}

/* ---- keys required before use ---- */

static void test_authenc_key_blob(void **state)
{
	uint8_t blob[64];
	struct authenc_keys k;
	int n;

	(void)state;
	n = crypto_authenc_buildkey(blob, sizeof(blob), (const uint8_t *)"AAAAAAAAAAAAAAAAAAAA", 20,
				    (const uint8_t *)"EEEEEEEEEEEEEEEE", 16);
	assert_int_equal(n, 8 + 20 + 16);
	assert_int_equal(crypto_authenc_extractkeys(&k, blob, n), 0);
	assert_int_equal(k.authkeylen, 20);
	assert_int_equal(k.enckeylen, 16);
	assert_int_equal(k.authkey[0], 'A');
	assert_int_equal(k.enckey[0], 'E');
	/* enckeylen larger than what follows */
	blob[7] = 0x40;
	assert_int_equal(crypto_authenc_extractkeys(&k, blob, n), -EINVAL);
	assert_int_equal(crypto_authenc_extractkeys(&k, blob, 4), -EINVAL);
	assert_int_equal(crypto_authenc_buildkey(blob, 10, blob, 20, blob, 16), -ENOSPC);
}

static void test_memneq(void **state)
{
	uint8_t a[16] = { 1, 2, 3 }, b[16] = { 1, 2, 3 };

	(void)state;
	assert_int_equal(crypto_memneq(a, b, 16), 0);
	b[15] = 1;
	assert_int_not_equal(crypto_memneq(a, b, 16), 0);
	crypto_wipe(a, sizeof(a));
	for (int i = 0; i < 16; i++)
		assert_int_equal(a[i], 0);
}

/*
 * The per-type table: every type of the enum has a complete entry whose
 * layout matches its structs, nothing outside the enum has one, and a
 * transform of one type cannot be spawned from an algorithm of another.
 */
static void test_type_table(void **state)
{
	static const struct {
		enum crypto_alg_type type;
		const char *name;
		size_t alg_base, tfm_base;
	} want[] = {
		{ CRYPTO_ALG_TYPE_CIPHER, "cipher", offsetof(struct cipher_alg, base),
		  offsetof(struct crypto_cipher, base) },
		{ CRYPTO_ALG_TYPE_SKCIPHER, "skcipher", offsetof(struct skcipher_alg, base),
		  offsetof(struct crypto_skcipher, base) },
		{ CRYPTO_ALG_TYPE_AEAD, "aead", offsetof(struct aead_alg, base),
		  offsetof(struct crypto_aead, base) },
		{ CRYPTO_ALG_TYPE_SHASH, "shash", offsetof(struct shash_alg, base),
		  offsetof(struct crypto_shash, base) },
		{ CRYPTO_ALG_TYPE_RNG, "rng", offsetof(struct rng_alg, base),
		  offsetof(struct crypto_rng, base) },
	};
	struct crypto_cipher *cipher;
	struct crypto_aead *aead;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct crypto_type *ty = crypto_type_of(want[i].type);

		assert_non_null(ty);
		assert_string_equal(ty->name, want[i].name);
		assert_int_equal(ty->alg_base, want[i].alg_base);
		assert_int_equal(ty->tfm_base, want[i].tfm_base);
		assert_true(ty->alg_size > ty->alg_base);
		assert_non_null(ty->check);
		assert_non_null(ty->init_tfm);
		assert_non_null(ty->exit_tfm);
		assert_non_null(ty->info);
		assert_non_null(ty->show);
		assert_non_null(ty->selftest);
		/* measured types have both hooks, the others neither */
		assert_true(!ty->perf_prepare == !ty->perf_release);
	}
	assert_null(crypto_type_of(0));
	assert_null(crypto_type_of(CRYPTO_ALG_TYPE_RNG + 1));

	assert_int_equal(crypto_alloc_cipher(&cipher, "aes", 0, 0), 0);
	assert_int_equal(crypto_spawn_aead(&aead, cipher->base.alg), -EINVAL);
	crypto_free_cipher(cipher);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_validation_typed),
		cmocka_unit_test(test_priority_and_exact),
		cmocka_unit_test(test_fastest),
		cmocka_unit_test(test_template_instance),
		cmocka_unit_test(test_busy_and_dead),
		cmocka_unit_test(test_cleanup_toys),
		cmocka_unit_test(test_batch_rollback),
		cmocka_unit_test(test_internal),
		cmocka_unit_test(test_untested_not_selectable),
		cmocka_unit_test(test_authenc_key_blob),
		cmocka_unit_test(test_memneq),
		cmocka_unit_test(test_type_table),
	};

	return cmocka_run_group_tests_name("cryptoapi_registry", tests, setup, teardown);
}
