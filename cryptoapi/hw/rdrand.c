/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hardware random source: rng "hwrng", driver "rdrand", on x86-64 CPUs with
 * RDRAND (CPUID.01H:ECX bit 30). RDSEED (CPUID.(EAX=07H,ECX=0):EBX bit 18),
 * which returns conditioned entropy rather than DRBG output, is preferred
 * when present, since this source only seeds the software DRBG.
 *
 * Both instructions report success in the carry flag. Intel's DRNG guide:
 * RDRAND may fail transiently and is retried up to 10 times; RDSEED fails
 * more often under load and is retried after a pause. A source that still
 * fails returns -EIO; the DRBG then seeds from getrandom() alone.
 *
 * No known answers exist for it, so its self-test is a set of health checks
 * in the spirit of SP 800-90B section 4.4 on a sample of its output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cryptoapi/algapi.h"
#include "cryptoapi/testmgr.h"

#if defined(__x86_64__)
#include <cpuid.h>

#define RDRAND_RETRIES 10
#define RDSEED_RETRIES 100

static bool have_rdseed;
static bool registered;

static inline bool rdrand64(uint64_t *v)
{
	unsigned char ok;

	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

static inline bool rdseed64(uint64_t *v)
{
	unsigned char ok;

	__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

static bool hw_word(uint64_t *v)
{
	if (have_rdseed) {
		for (int i = 0; i < RDSEED_RETRIES; i++) {
			if (rdseed64(v))
				return true;
			__builtin_ia32_pause();
		}
		/* Entropy exhausted for now: the on-chip DRBG output will do. */
	}
	for (int i = 0; i < RDRAND_RETRIES; i++)
		if (rdrand64(v))
			return true;
	return false;
}

/*
 * Fill buf from the device. Two equal consecutive 64-bit words mean a
 * stuck source (SP 800-90B 4.4.1 with a cutoff of 2 at 64 bits): -EIO.
 */
static int hw_fill(uint8_t *buf, size_t len)
{
	uint64_t v = 0, prev = 0;
	bool first = true;
	int rc = 0;

	while (len) {
		size_t n = len < sizeof(v) ? len : sizeof(v);

		if (!hw_word(&v) || (!first && v == prev)) {
			rc = -EIO;
			break;
		}
		memcpy(buf, &v, n);
		prev = v;
		first = false;
		buf += n;
		len -= n;
	}
	crypto_wipe(&v, sizeof(v));
	crypto_wipe(&prev, sizeof(prev));
	return rc;
}

static bool cpu_has_rdrand(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_RDRND);
}

static bool cpu_has_rdseed(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_RDSEED);
}

#else	/* not x86-64: no device */

static bool have_rdseed;
static bool registered;

static int hw_fill(uint8_t *buf, size_t len)
{
	(void)buf;
	(void)len;
	return -ENODEV;
}

static bool cpu_has_rdrand(void)
{
	return false;
}

static bool cpu_has_rdseed(void)
{
	return false;
}

#endif

/* ---- rng_alg ---- */

static int rdrand_seed(struct crypto_rng *tfm, const uint8_t *seed, unsigned int slen)
{
	/* A hardware source takes no seed; accepting one keeps reset() generic. */
	(void)tfm;
	(void)seed;
	(void)slen;
	return 0;
}

static int rdrand_generate(struct crypto_rng *tfm, const uint8_t *addtl, unsigned int alen,
			   uint8_t *dst, unsigned int dlen)
{
	(void)tfm;
	(void)addtl;
	(void)alen;
	if (dlen && !dst)
		return -EINVAL;
	return hw_fill(dst, dlen);
}

static struct rng_alg rdrand_alg = {
	.seedsize = 0,
	.seed = rdrand_seed,
	.generate = rdrand_generate,
	.base = {
		.cra_name = "hwrng",
		.cra_driver_name = "rdrand",
		.cra_module = "rdrand",
		.cra_priority = 300,
		.cra_flags = CRYPTO_ALG_HARDWARE,
		.cra_blocksize = 1,
	},
};

/* ---- health test (the self-test) ---- */

/*
 * Sample 4096 bytes and check, with false-alarm rates below 2^-40 for a
 * source of full entropy (H = 8 bits per byte):
 *  - no 64-bit word appears twice (a constant or cycling source);
 *  - repetition count (90B 4.4.1): no byte value 6 times in a row
 *    (C = 1 + ceil(40 / 8));
 *  - adaptive proportion (90B 4.4.2): in each 512-byte window the first
 *    byte's value occurs fewer than 20 times (binomial cutoff for p = 1/256).
 */
#define HEALTH_BYTES 4096
#define HEALTH_WORDS (HEALTH_BYTES / 8)
#define RCT_CUTOFF 6
#define APT_WINDOW 512
#define APT_CUTOFF 20

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static const char *health_check(uint8_t *s)
{
	uint64_t w[HEALTH_WORDS];
	const char *why = NULL;
	unsigned int run = 1;

	for (unsigned int i = 1; i < HEALTH_BYTES; i++) {
		run = s[i] == s[i - 1] ? run + 1 : 1;
		if (run >= RCT_CUTOFF)
			return "repetition count test failed";
	}
	for (unsigned int start = 0; start < HEALTH_BYTES; start += APT_WINDOW) {
		unsigned int count = 0;

		for (unsigned int i = start; i < start + APT_WINDOW; i++)
			count += s[i] == s[start];
		if (count >= APT_CUTOFF)
			return "adaptive proportion test failed";
	}
	memcpy(w, s, sizeof(w));
	qsort(w, HEALTH_WORDS, sizeof(w[0]), cmp_u64);
	for (unsigned int i = 1; i < HEALTH_WORDS && !why; i++)
		if (w[i] == w[i - 1])
			why = "a 64-bit word repeated in the sample";
	crypto_wipe(w, sizeof(w));
	return why;
}

static int rdrand_health_test(struct crypto_alg *alg, char *msg, size_t msglen)
{
	uint8_t *sample = malloc(HEALTH_BYTES);
	const char *why;
	int rc;

	(void)alg;
	if (!sample)
		return -ENOMEM;
	rc = hw_fill(sample, HEALTH_BYTES);
	why = rc ? "the device failed to deliver" : health_check(sample);
	if (why) {
		snprintf(msg, msglen, "%s (%s)", why, have_rdseed ? "rdseed" : "rdrand");
		rc = rc ?: -EIO;
	}
	crypto_wipe(sample, HEALTH_BYTES);
	free(sample);
	return rc;
}

static const struct alg_test_desc rdrand_tests[] = {
	{ .alg = "rdrand", .test = rdrand_health_test },
};

static int rdrand_mod_init(void)
{
	int rc;

	if (!cpu_has_rdrand())
		return 0;	/* nothing to offer; not an error */
	have_rdseed = cpu_has_rdseed();
	rc = crypto_register_tests(rdrand_tests, 1);
	if (rc)
		return rc;
	rc = crypto_register_rng(&rdrand_alg);
	if (rc) {
		crypto_unregister_tests(rdrand_tests);
		return rc;
	}
	registered = true;
	return 0;
}

static void rdrand_mod_exit(void)
{
	if (!registered)
		return;
	registered = false;
	crypto_unregister_alg(&rdrand_alg.base);
	crypto_unregister_tests(rdrand_tests);
}

CRYPTO_MODULE(rdrand, CRYPTO_MODULE_DRIVER, rdrand_mod_init, rdrand_mod_exit)
