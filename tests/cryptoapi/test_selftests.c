/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every built-in algorithm and every template instance the ESP/AH paths use
 * must register and pass its known-answer self-test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cryptoapi/algapi.h"
#include "cryptoapi/listing.h"
#include "tests/lib/crypto_fixture.h"

static int check_one(const struct crypto_alg *alg, void *arg)
{
	int *failed = arg;

	*failed += crypto_test_alg_unpassed(alg);
	return 0;
}

static void test_all_registered_pass(void **state)
{
	int failed = 0;

	(void)state;
	crypto_alg_foreach(check_one, &failed);
	assert_int_equal(failed, 0);
}

/* Names the ESP and AH paths allocate (XFRM names as the kernel knows them). */
static const struct {
	const char *name;
	enum crypto_alg_type type;
} wanted[] = {
	{ "aes", CRYPTO_ALG_TYPE_CIPHER },
	{ "sha1", CRYPTO_ALG_TYPE_SHASH },
	{ "sha224", CRYPTO_ALG_TYPE_SHASH },
	{ "sha256", CRYPTO_ALG_TYPE_SHASH },
	{ "sha384", CRYPTO_ALG_TYPE_SHASH },
	{ "sha512", CRYPTO_ALG_TYPE_SHASH },
};

static void test_wanted_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		struct crypto_alg *alg;
		int rc = crypto_alg_lookup(&alg, wanted[i].name, wanted[i].type, 0, 0);

		if (rc)
			print_error("%s: lookup failed: %d\n", wanted[i].name, rc);
		assert_int_equal(rc, 0);
		assert_true(alg->cra_flags & CRYPTO_ALG_TESTED);
		crypto_alg_put(alg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_registered_pass),
		cmocka_unit_test(test_wanted_names),
	};

	return cmocka_run_group_tests_name("cryptoapi_selftests", tests, crypto_test_setup,
					   crypto_test_teardown);
}
