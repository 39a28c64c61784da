/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Random generators: "stdrng" (HMAC_DRBG SHA-256) is registered, tested and
 * selected; the default generator works; instances and processes never share
 * a stream; the deterministic mode reproduces NIST CAVP answers; bad requests
 * fail cleanly; the hardware source is listed when the CPU has RDRAND.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "cryptoapi/algapi.h"
#include "cryptoapi/listing.h"
#include "cryptoapi/testmgr.h"
#include "tests/lib/crypto_fixture.h"

#define KAT_LEN 128

/*
 * NIST CAVP drbgvectors_no_reseed HMAC_DRBG.rsp [SHA-256]
 * [PersonalizationStringLen = 256] [AdditionalInputLen = 256] COUNT = 0
 */
static const char kat_entropy_nonce_pers[] =
	"5d3286bc53a258a53ba781e2c4dcd79a790e43bbe0e89fb3eed39086be34174b"
	"c5422294b7318952ace7055ab7570abf"
	"2dba094d008e150d51c4135bb2f03dcde9cbf3468a12908a1b025c120c985b9d";
static const char kat_add_a[] = "793a7ef8f6f0482beac542bb785c10f8b7b406a4de92667ab168ecc2cf7573c6";
static const char kat_add_b[] = "2238cdb4e23d629fe0c2a83dd8d5144ce1a6229ef41dabe2a99ff722e510b530";
static const char kat_output[] =
	"d04678198ae7e1aeb435b45291458ffde0891560748b43330eaf866b5a6385e7"
	"4c6fa5a5a44bdb284d436e98d244018d6acedcdfa2e9f499d8089e4db86ae89a"
	"6ab2d19cb705e2f048f97fb597f04106a1fa6a1416ad3d859118e079a0c319eb"
	"95686f4cbcce3b5101c7a0b010ef029c4ef6d06cdfac97efb9773891688c37cf";

struct kat {
	uint8_t seed[80], add_a[32], add_b[32], output[KAT_LEN];
	int slen;
};

static void kat_load(struct kat *k)
{
	k->slen = crypto_hex2bin(k->seed, sizeof(k->seed), kat_entropy_nonce_pers);
	assert_int_equal(k->slen, 80);
	assert_int_equal(crypto_hex2bin(k->add_a, 32, kat_add_a), 32);
	assert_int_equal(crypto_hex2bin(k->add_b, 32, kat_add_b), 32);
	assert_int_equal(crypto_hex2bin(k->output, KAT_LEN, kat_output), KAT_LEN);
}

/* reset(seed); generate(add_a) discarded; generate(add_b) into out. */
static void kat_run(struct crypto_rng *rng, const struct kat *k, uint8_t *out)
{
	assert_int_equal(crypto_rng_reset(rng, k->seed, k->slen), 0);
	assert_int_equal(crypto_rng_generate(rng, k->add_a, 32, out, KAT_LEN), 0);
	assert_int_equal(crypto_rng_generate(rng, k->add_b, 32, out, KAT_LEN), 0);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

static void test_stdrng_selected(void **state)
{
	static const char *const drivers[] = { "drbg_nopr_hmac_sha256", "drbg_pr_hmac_sha256" };
	struct crypto_rng *rng;

	(void)state;
	assert_int_equal(crypto_alloc_rng(&rng, "stdrng", 0, 0), 0);
	assert_string_equal(crypto_tfm_alg_name(&rng->base), "stdrng");
	assert_string_equal(crypto_tfm_alg_driver_name(&rng->base), "drbg_nopr_hmac_sha256");
	crypto_free_rng(rng);
	for (size_t i = 0; i < 2; i++) {
		struct crypto_alg *alg;

		assert_int_equal(crypto_alg_lookup(&alg, drivers[i], CRYPTO_ALG_TYPE_RNG, 0, 0), 0);
		assert_true(alg->cra_flags & CRYPTO_ALG_TESTED);
		assert_int_equal(alg->cra_selftest, 0);
		crypto_alg_put(alg);
	}
}

static void test_default_rng(void **state)
{
	uint8_t a[64], b[64];

	(void)state;
	assert_int_equal(crypto_get_random_bytes(a, sizeof(a)), 0);
	assert_int_equal(crypto_get_random_bytes(b, sizeof(b)), 0);
	assert_false(all_zero(a, sizeof(a)));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(crypto_get_random_bytes(a, 0), 0);
}

static void test_instances_differ(void **state)
{
	struct crypto_rng *r1, *r2;
	uint8_t a[48], b[48];

	(void)state;
	assert_int_equal(crypto_alloc_rng(&r1, "stdrng", 0, 0), 0);
	assert_int_equal(crypto_alloc_rng(&r2, "stdrng", 0, 0), 0);
	assert_int_equal(crypto_rng_reset(r1, NULL, 0), 0);
	/* r2 is never reset: it must seed itself on first use. */
	assert_int_equal(crypto_rng_get_bytes(r1, a, sizeof(a)), 0);
	assert_int_equal(crypto_rng_get_bytes(r2, b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	/* Re-instantiating from the system gives a new stream. */
	assert_int_equal(crypto_rng_reset(r1, NULL, 0), 0);
	assert_int_equal(crypto_rng_get_bytes(r1, b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	crypto_free_rng(r1);
	crypto_free_rng(r2);
}

static void test_deterministic_kat(void **state)
{
	struct crypto_rng *rng;
	struct kat k;
	uint8_t out[KAT_LEN];

	(void)state;
	kat_load(&k);
	assert_int_equal(crypto_alloc_rng(&rng, "stdrng", 0, 0), 0);
	kat_run(rng, &k, out);
	assert_memory_equal(out, k.output, KAT_LEN);
	/* After other use, a reset reproduces it again. */
	assert_int_equal(crypto_rng_get_bytes(rng, out, 17), 0);
	kat_run(rng, &k, out);
	assert_memory_equal(out, k.output, KAT_LEN);
	crypto_free_rng(rng);
}

/* Prediction resistance: the same seed never gives the known answer. */
static void test_pr_variant(void **state)
{
	struct crypto_rng *rng;
	struct kat k;
	uint8_t out[KAT_LEN];

	(void)state;
	kat_load(&k);
	assert_int_equal(crypto_alloc_rng(&rng, "drbg_pr_hmac_sha256", 0, 0), 0);
	kat_run(rng, &k, out);
	assert_memory_not_equal(out, k.output, KAT_LEN);
	crypto_free_rng(rng);
}

static void test_request_limits(void **state)
{
	struct crypto_rng *rng;
	uint8_t *buf = malloc(65537);

	(void)state;
	assert_non_null(buf);
	assert_int_equal(crypto_alloc_rng(&rng, "stdrng", 0, 0), 0);
	/* SP 800-90A table 2: at most 2^19 bits per request. */
	assert_int_equal(crypto_rng_get_bytes(rng, buf, 65536), 0);
	assert_int_equal(crypto_rng_get_bytes(rng, buf, 65537), -EINVAL);
	assert_int_equal(crypto_rng_get_bytes(rng, NULL, 16), -EINVAL);
	assert_int_equal(crypto_rng_generate(rng, NULL, 4, buf, 16), -EINVAL);
	assert_int_equal(crypto_rng_reset(rng, NULL, 5), -EINVAL);
	assert_int_equal(crypto_get_random_bytes(buf, 65537), -EINVAL);
	/* Still usable after refused requests. */
	assert_int_equal(crypto_rng_get_bytes(rng, buf, 32), 0);
	crypto_free_rng(rng);
	free(buf);
}

/* Output of rng (or of the default generator when rng is NULL) in a child. */
static void child_bytes(struct crypto_rng *rng, uint8_t *out, size_t len)
{
	int fds[2], status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		uint8_t buf[64];
		int rc = rng ? crypto_rng_get_bytes(rng, buf, len) :
			       crypto_get_random_bytes(buf, len);

		close(fds[0]);
		if (rc || write(fds[1], buf, len) != (ssize_t)len)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], out, len), (ssize_t)len);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_fork_reseeds(void **state)
{
	struct crypto_rng *rng;
	struct kat k;
	uint8_t parent[32], child[32], out[KAT_LEN];

	(void)state;
	kat_load(&k);
	/* A deterministic state, identical in both processes after fork(). */
	assert_int_equal(crypto_alloc_rng(&rng, "stdrng", 0, 0), 0);
	kat_run(rng, &k, out);
	child_bytes(rng, child, sizeof(child));
	assert_int_equal(crypto_rng_get_bytes(rng, parent, sizeof(parent)), 0);
	assert_memory_not_equal(parent, child, sizeof(parent));
	/* The parent's stream went on untouched by the child. */
	kat_run(rng, &k, out);
	assert_int_equal(crypto_rng_get_bytes(rng, child, sizeof(child)), 0);
	assert_memory_equal(parent, child, sizeof(parent));
	crypto_free_rng(rng);

	/* The default generator too. */
	child_bytes(NULL, child, sizeof(child));
	assert_int_equal(crypto_get_random_bytes(parent, sizeof(parent)), 0);
	assert_memory_not_equal(parent, child, sizeof(parent));
}

static bool cpu_has_rdrand(void)
{
#if defined(__x86_64__)
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_RDRND);
#else
	return false;
#endif
}

static void test_hwrng(void **state)
{
	struct crypto_alg *alg;
	struct crypto_alg_info info;
	struct crypto_rng *rng;
	uint8_t a[40], b[40];
	int rc;

	(void)state;
	rc = crypto_alg_lookup(&alg, "hwrng", CRYPTO_ALG_TYPE_RNG, 0, 0);
	if (!cpu_has_rdrand() || (getenv("XFRMGW_CRYPTO_DISABLE") &&
				   strstr(getenv("XFRMGW_CRYPTO_DISABLE"), "rdrand"))) {
		if (rc == 0)
			crypto_alg_put(alg);
		skip();
	}
	assert_int_equal(rc, 0);
	assert_string_equal(alg->cra_driver_name, "rdrand");
	assert_true(alg->cra_flags & CRYPTO_ALG_HARDWARE);
	crypto_alg_info(alg, &info);
	assert_true(info.hardware);
	assert_string_equal(info.selftest, "passed");
	crypto_alg_put(alg);

	/* It delivers, including a tail shorter than a 64-bit word. */
	assert_int_equal(crypto_alloc_rng(&rng, "hwrng", 0, 0), 0);
	assert_int_equal(crypto_rng_get_bytes(rng, a, 37), 0);
	assert_int_equal(crypto_rng_get_bytes(rng, b, 37), 0);
	assert_memory_not_equal(a, b, 37);
	crypto_free_rng(rng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stdrng_selected),
		cmocka_unit_test(test_default_rng),
		cmocka_unit_test(test_instances_differ),
		cmocka_unit_test(test_deterministic_kat),
		cmocka_unit_test(test_pr_variant),
		cmocka_unit_test(test_request_limits),
		cmocka_unit_test(test_fork_reseeds),
		cmocka_unit_test(test_hwrng),
	};

	return cmocka_run_group_tests_name("cryptoapi_rng", tests, crypto_test_setup,
					   crypto_test_teardown);
}
