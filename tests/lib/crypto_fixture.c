/* SPDX-License-Identifier: BSD-3-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cryptoapi/algapi.h"
#include "tests/lib/crypto_fixture.h"

int crypto_test_setup(void **state)
{
	(void)state;
	return crypto_init();
}

int crypto_test_teardown(void **state)
{
	(void)state;
	crypto_exit();
	return 0;
}

int crypto_test_alg_unpassed(const struct crypto_alg *alg)
{
	if ((alg->cra_flags & CRYPTO_ALG_TESTED) && !(alg->cra_flags & CRYPTO_ALG_DEAD))
		return 0;
	print_error("%s (%s): self-test %s: %s\n", alg->cra_driver_name, alg->cra_name,
		    alg->cra_selftest ? "failed" : "not passed", alg->cra_selftest_msg);
	return 1;
}
