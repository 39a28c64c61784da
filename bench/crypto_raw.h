/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Raw library calls for the crypto benchmark: the same ESP-shaped in-place
 * encryption done directly with intel-ipsec-mb or OpenSSL EVP, to price the
 * crypto API's overhead.
 */
#ifndef XFRMGW_BENCH_CRYPTO_RAW_H
#define XFRMGW_BENCH_CRYPTO_RAW_H

#include <stdint.h>

struct raw_ref;

/*
 * lib is "ipsecmb" or "openssl"; alg, key and authsize as for the crypto API
 * (ESP salt at the end of the key, authenc keys as the rtattr blob). NULL
 * when the library has no direct call for the algorithm.
 */
struct raw_ref *raw_ref_new(const char *lib, const char *alg, const uint8_t *key,
			    unsigned int keylen, unsigned int authsize);
/* buf = assoc (alen bytes, ending in the IV for ESP forms) | text (len) | ICV */
void raw_ref_encrypt(struct raw_ref *r, uint8_t *buf, uint32_t alen, uint32_t len,
		     const uint8_t *iv);
void raw_ref_free(struct raw_ref *r);

#endif
