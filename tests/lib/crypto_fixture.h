/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CMocka group fixtures and checks shared by the crypto API suites.
 */
#ifndef XFRMGW_TESTS_LIB_CRYPTO_FIXTURE_H
#define XFRMGW_TESTS_LIB_CRYPTO_FIXTURE_H

struct crypto_alg;

/* Group setup: crypto_init() (registration and self-tests); teardown: crypto_exit(). */
int crypto_test_setup(void **state);
int crypto_test_teardown(void **state);

/*
 * 1 (and a line on stderr naming it) when alg has not passed its
 * self-test or is dead; else 0.
 */
int crypto_test_alg_unpassed(const struct crypto_alg *alg);

#endif
