/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Throughput measurement at registration, for CRYPTO_SELECT_FASTEST and the
 * listing.
 *
 * A freshly self-tested aead, skcipher or shash runs on a random key over a
 * packet mix: equal numbers of 64-byte and 1420-byte operations (a small
 * packet and a full-size ESP payload), in place on flat buffers, for about
 * PERF_BUDGET_NS after one untimed warm-up of each size (which also lets a
 * driver create its per-thread state). The figure is bytes over time in the
 * best of PERF_WINDOWS windows, in MB/s (10^6 bytes per second). Internal
 * and asynchronous algorithms are not measured. Once PERF_TOTAL_NS has been
 * spent in this process (startup cost: every program calls crypto_init()),
 * later candidates get one short window each.
 *
 * XFRMGW_CRYPTO_NO_PERF=1 turns measurement off.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "alg_type.h"
#include "internal.h"

#define PERF_SMALL 64
#define PERF_LARGE 1420
#define PERF_ASSOC 16		/* ESP header + IV, enough for the rfc4106 family */
#define PERF_BUDGET_NS 2000000ull	/* per algorithm */
#define PERF_WINDOWS 5
#define PERF_TOTAL_NS 250000000ull	/* per process */
#define PERF_BUF 1536	/* assoc + the large size + an ICV, a multiple of 64 */

static uint64_t perf_spent_ns;	/* time spent measuring in this process */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool perf_disabled(void)
{
	const char *e = getenv("XFRMGW_CRYPTO_NO_PERF");

	return e && e[0] && strcmp(e, "0") != 0;
}

/* One operation of the measured kind on len bytes: bytes processed or -errno. */
struct crypto_perf_op {
	int (*run)(struct crypto_perf_op *op, uint32_t len);
	void *tfm;
	void *req;
	uint8_t *buf;
	uint8_t iv[32];
	struct xsg_ent ent[1];
	struct xsg sg;
};

static int run_aead(struct crypto_perf_op *op, uint32_t len)
{
	struct aead_request *req = op->req;

	len -= len % crypto_aead_blocksize(op->tfm);	/* authenc(.., cbc) */
	aead_request_set_crypt(req, &op->sg, 0, &op->sg, 0, len, op->iv);
	aead_request_set_ad(req, PERF_ASSOC);
	return crypto_aead_encrypt(req) ?: (int)len;
}

static int run_skcipher(struct crypto_perf_op *op, uint32_t len)
{
	struct skcipher_request *req = op->req;

	/* Block modes need whole blocks: round down (64 and 1420 -> 1408). */
	len -= len % crypto_skcipher_blocksize(op->tfm);
	skcipher_request_set_crypt(req, &op->sg, 0, &op->sg, 0, len, op->iv);
	return crypto_skcipher_encrypt(req) ?: (int)len;
}

static int run_shash(struct crypto_perf_op *op, uint32_t len)
{
	uint8_t out[64];
	SHASH_DESC_ON_STACK(desc, (struct crypto_shash *)op->tfm);
	int rc = crypto_shash_digest(desc, op->buf, len, out);

	shash_desc_zero(desc);
	return rc ?: (int)len;
}

/*
 * Find a key length the algorithm accepts: its maximum, its minimum, then
 * common ones; authenc() takes a key blob (auth key, then cipher key).
 */
static int perf_setkey(struct crypto_alg *alg, void *tfm,
		       int (*setkey)(void *tfm, const uint8_t *key, unsigned int len),
		       uint32_t min, uint32_t max)
{
	static const unsigned int common[] = { 16, 32, 20, 36, 24, 28, 40, 64 };
	uint8_t key[160], blob[256];
	int rc = -EINVAL;

	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
		return -EIO;
	if (strncmp(alg->cra_name, "authenc", 7) == 0) {
		static const unsigned int enc[] = { 16, 32, 0, 20, 8, 24 };

		for (size_t i = 0; rc && i < sizeof(enc) / sizeof(enc[0]); i++) {
			int n = crypto_authenc_buildkey(blob, sizeof(blob), key, 32, key + 64, enc[i]);

			rc = n < 0 ? n : setkey(tfm, blob, (unsigned int)n);
		}
		crypto_wipe(blob, sizeof(blob));
	} else if (max) {
		rc = setkey(tfm, key, max);
		if (rc)
			rc = setkey(tfm, key, min);
		for (size_t i = 0; rc && i < sizeof(common) / sizeof(common[0]); i++)
			if (common[i] >= min && common[i] <= max)
				rc = setkey(tfm, key, common[i]);
	} else if (setkey) {
		for (size_t i = 0; rc && i < sizeof(common) / sizeof(common[0]); i++)
			rc = setkey(tfm, key, common[i]);
	} else {
		rc = 0;
	}
	crypto_wipe(key, sizeof(key));
	return rc;
}

static int aead_setkey_cb(void *tfm, const uint8_t *k, unsigned int n)
{
	return crypto_aead_setkey(tfm, k, n);
}

static int skcipher_setkey_cb(void *tfm, const uint8_t *k, unsigned int n)
{
	return crypto_skcipher_setkey(tfm, k, n);
}

static int shash_setkey_cb(void *tfm, const uint8_t *k, unsigned int n)
{
	return crypto_shash_setkey(tfm, k, n);
}

/*
 * The type hooks (alg_type.c): allocate a keyed transform and a request, 0
 * when ready to run; release takes what prepare left, even half-made.
 */
int crypto_perf_prepare_aead(struct crypto_alg *alg, struct crypto_perf_op *op)
{
	struct aead_alg *a = container_of_alg(alg, struct aead_alg);
	int rc = crypto_spawn_aead((struct crypto_aead **)&op->tfm, alg);

	if (rc)
		return rc;
	op->run = run_aead;
	rc = perf_setkey(alg, op->tfm, aead_setkey_cb, a->min_keysize, a->max_keysize);
	if (rc)
		return rc;
	op->req = aead_request_alloc(op->tfm);
	return op->req ? 0 : -ENOMEM;
}

void crypto_perf_release_aead(struct crypto_perf_op *op)
{
	aead_request_free(op->req);
	crypto_free_aead(op->tfm);
}

int crypto_perf_prepare_skcipher(struct crypto_alg *alg, struct crypto_perf_op *op)
{
	struct skcipher_alg *a = container_of_alg(alg, struct skcipher_alg);
	int rc = crypto_spawn_skcipher((struct crypto_skcipher **)&op->tfm, alg);

	if (rc)
		return rc;
	op->run = run_skcipher;
	rc = perf_setkey(alg, op->tfm, skcipher_setkey_cb, a->min_keysize, a->max_keysize);
	if (rc)
		return rc;
	op->req = skcipher_request_alloc(op->tfm);
	return op->req ? 0 : -ENOMEM;
}

void crypto_perf_release_skcipher(struct crypto_perf_op *op)
{
	skcipher_request_free(op->req);
	crypto_free_skcipher(op->tfm);
}

int crypto_perf_prepare_shash(struct crypto_alg *alg, struct crypto_perf_op *op)
{
	struct shash_alg *a = container_of_alg(alg, struct shash_alg);
	int rc = crypto_spawn_shash((struct crypto_shash **)&op->tfm, alg);

	if (rc)
		return rc;
	op->run = run_shash;
	if (a->setkey && a->max_keysize) {
		rc = perf_setkey(alg, op->tfm, shash_setkey_cb, a->min_keysize, a->max_keysize);
		if (rc)
			return rc;
	}
	op->req = op;	/* no request object */
	return 0;
}

void crypto_perf_release_shash(struct crypto_perf_op *op)
{
	crypto_free_shash(op->tfm);
}

/*
 * Pairs of (64, 1420) operations in PERF_WINDOWS short windows; the best
 * window counts, so a preemption on a busy machine does not sink the figure.
 */
static uint32_t perf_run(struct crypto_perf_op *op, int windows, uint64_t window_ns)
{
	uint32_t best = 0;

	if (op->run(op, PERF_SMALL) <= 0 || op->run(op, PERF_LARGE) <= 0)
		return 0;	/* warm-up, and a check that it works at all */
	for (int win = 0; win < windows; win++) {
		uint64_t bytes = 0, t0 = now_ns(), t1;

		do {
			for (int i = 0; i < 2; i++) {
				int a = op->run(op, PERF_SMALL), b = op->run(op, PERF_LARGE);

				if (a <= 0 || b <= 0)
					return 0;
				bytes += (uint64_t)a + (uint64_t)b;
			}
			t1 = now_ns();
		} while (t1 - t0 < window_ns);
		/* bytes per ns * 1000 = MB/s */
		if (bytes * 1000 / (t1 - t0) > best)
			best = (uint32_t)(bytes * 1000 / (t1 - t0));
	}
	return best;
}

uint32_t crypto_perf_measure(struct crypto_alg *alg)
{
	const struct crypto_type *ty = crypto_type_of(alg->cra_type);
	struct crypto_perf_op op;
	uint64_t start;
	uint32_t mbps = 0;

	if (perf_disabled() || (alg->cra_flags & (CRYPTO_ALG_INTERNAL | CRYPTO_ALG_ASYNC)))
		return 0;
	if (!ty || !ty->perf_prepare)
		return 0;
	start = now_ns();
	memset(&op, 0, sizeof(op));
	op.buf = aligned_alloc(64, PERF_BUF);
	if (!op.buf)
		return 0;
	memset(op.buf, 0x5a, PERF_BUF);
	xsg_init(&op.sg, op.ent, 1);
	xsg_add(&op.sg, op.buf, PERF_BUF);
	if (ty->perf_prepare(alg, &op) == 0) {
		/*
		 * Past the process budget (a slow build, many drivers) every
		 * candidate still gets a figure, from one short window: coarse,
		 * but "fastest" never compares a figure with nothing.
		 */
		if (__atomic_load_n(&perf_spent_ns, __ATOMIC_RELAXED) > PERF_TOTAL_NS)
			mbps = perf_run(&op, 1, PERF_BUDGET_NS / PERF_WINDOWS / 4);
		else
			mbps = perf_run(&op, PERF_WINDOWS, PERF_BUDGET_NS / PERF_WINDOWS);
	}
	ty->perf_release(&op);
	free(op.buf);
	__atomic_add_fetch(&perf_spent_ns, now_ns() - start, __ATOMIC_RELAXED);
	return mbps;
}
