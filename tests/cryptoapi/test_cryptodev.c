/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK cryptodev driver: asynchronous AEAD transforms over the crypto_aesni_mb
 * and crypto_openssl vdevs (crypto_null offers no AEAD we register).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <rte_cryptodev.h>
#include <rte_eal.h>
#include <rte_mbuf.h>

#include "cryptoapi/algapi.h"
#include "cryptoapi/hw/cryptodev.h"
#include "cryptoapi/listing.h"

#define QP_DEPTH 64
#define MAXBUF 4200

struct fixture {
	struct rte_mempool *mbufs;
	unsigned int seed;
};

/* ---- helpers ---- */

static void fill_random(unsigned int *seed, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rand_r(seed);
}

static bool alg_listed(const char *driver, uint32_t *flags)
{
	struct crypto_alg *alg;

	/* Dead or untested algorithms do not resolve: look at the listing too. */
	if (crypto_alg_lookup(&alg, driver, CRYPTO_ALG_TYPE_AEAD, 0, 0) == 0) {
		*flags = alg->cra_flags;
		crypto_alg_put(alg);
		return true;
	}
	return false;
}

struct find_arg {
	const char *suffix;
	int n;
};

static int count_suffix(const struct crypto_alg *alg, void *arg)
{
	struct find_arg *f = arg;
	size_t a = strlen(alg->cra_driver_name), b = strlen(f->suffix);

	if (a > b && strcmp(alg->cra_driver_name + a - b, f->suffix) == 0)
		f->n++;
	return 0;
}

static uint8_t dev_id_of(const char *name)
{
	int id = rte_cryptodev_get_dev_id(name);

	assert_true(id >= 0);
	return (uint8_t)id;
}

/* A key for the algorithm: ESP salt included, authenc keys as a blob. */
static unsigned int make_key(const char *name, unsigned int *seed, uint8_t *key, unsigned int aeskey)
{
	uint8_t a[64], e[32];
	int n;

	if (strncmp(name, "authenc(", 8) == 0) {
		unsigned int alen = strstr(name, "sha1") ? 20 : strstr(name, "sha256") ? 32 : 48;

		fill_random(seed, a, alen);
		fill_random(seed, e, aeskey);
		n = crypto_authenc_buildkey(key, 128, a, alen, e, aeskey);
		assert_true(n > 0);
		return (unsigned int)n;
	}
	if (strstr(name, "chacha20")) {
		fill_random(seed, key, 36);
		return strstr(name, "esp") ? 36 : 32;
	}
	fill_random(seed, key, aeskey + 4);
	return strncmp(name, "rfc4", 4) == 0 ? aeskey + 4 : aeskey;
}

static unsigned int assoc_len(const char *name)
{
	if (strncmp(name, "authenc(", 8) == 0)
		return 8 + 16;	/* SPI || seq || CBC IV */
	return 8 + 8;		/* SPI || seq || explicit IV */
}

static unsigned int text_len(const char *name, unsigned int len)
{
	return strncmp(name, "authenc(", 8) == 0 ? (len + 15) & ~15u : len;
}

static int alloc_keyed(struct crypto_aead **tfm, const char *name, uint32_t type, uint32_t mask,
		       const uint8_t *key, unsigned int klen, unsigned int authsize)
{
	int rc = crypto_alloc_aead(tfm, name, type, mask);

	if (rc)
		return rc;
	rc = crypto_aead_setkey(*tfm, key, klen);
	if (!rc)
		rc = crypto_aead_setauthsize(*tfm, authsize);
	if (rc) {
		crypto_free_aead(*tfm);
		*tfm = NULL;
	}
	return rc;
}

/* Run one request to completion (polling an async transform). */
static int run(struct aead_request *req, bool enc)
{
	int rc = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	time_t t0 = time(NULL);

	while (rc == -EINPROGRESS && req->err == -EINPROGRESS) {
		crypto_aead_poll(req->tfm, 8);
		assert_true(time(NULL) - t0 < 5);
	}
	return rc == -EINPROGRESS ? req->err : rc;
}

/* Layouts of the request's memory. */
enum layout { FLAT, CHAIN, MBUF };

struct buf {
	uint8_t flat[MAXBUF + 64];
	uint8_t pieces[MAXBUF + 512];
	struct rte_mbuf *m;
	struct xsg_ent ents[XSG_MAX_ENTS];
	struct xsg sg;
};

static void buf_make(struct fixture *fx, struct buf *b, enum layout lay, const uint8_t *data,
		     uint32_t len)
{
	static const uint32_t cuts[] = { 3, 17, 1, 33, 8, 250, 5 };
	uint32_t off = 0, pos = 0;
	int i = 0;

	xsg_init(&b->sg, b->ents, XSG_MAX_ENTS);
	b->m = NULL;
	switch (lay) {
	case FLAT:
		assert_int_equal(xsg_add(&b->sg, b->flat, len), 0);
		break;
	case CHAIN:
		while (off < len) {
			/* At most 12 runs: the driver takes up to 16. */
			uint32_t run = i < 11 ? cuts[i % 7] : len - off;

			i++;
			if (run > len - off)
				run = len - off;
			assert_int_equal(xsg_add(&b->sg, b->pieces + pos, run), 0);
			pos += run + 7;	/* gaps between runs */
			off += run;
		}
		break;
	case MBUF: {
		/* A real segment chain: segments of 100, 300, 700 ... bytes. */
		struct rte_mbuf *tail = NULL;

		while (off < len) {
			struct rte_mbuf *m = rte_pktmbuf_alloc(fx->mbufs);
			uint32_t run = 100 + 200 * (uint32_t)i++;

			assert_non_null(m);
			if (run > len - off)
				run = len - off;
			assert_non_null(rte_pktmbuf_append(m, (uint16_t)run));
			if (!b->m) {
				b->m = m;
			} else {
				assert_int_equal(rte_pktmbuf_chain(b->m, m), 0);
			}
			tail = m;
			off += run;
		}
		(void)tail;
		assert_int_equal(xsg_add_mbuf(&b->sg, b->m, 0, len), 0);
		break;
	}
	}
	xsg_copy_from_buf(&b->sg, 0, data, len);
}

static void buf_free(struct buf *b)
{
	rte_pktmbuf_free(b->m);
	b->m = NULL;
}

/* ---- fixture ---- */

static int group_setup(void **state)
{
	static char *argv[] = {
		"test_cryptodev", "--no-huge", "--no-shconf", "--no-pci", "--file-prefix",
		"test_cryptodev", "-l", "0", "--log-level", "3", "--vdev", "crypto_aesni_mb",
		"--vdev", "crypto_openssl", "--vdev", "crypto_null",
	};
	struct crypto_cryptodev_conf conf = { .qp_depth = QP_DEPTH };
	static struct fixture fx;

	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])), argv) < 0)
		return -1;
	/* Small queue pairs so that the queue-full path is reachable. */
	crypto_cryptodev_probe(&conf);
	if (crypto_init())
		return -1;
	fx.mbufs = rte_pktmbuf_pool_create("test_mbufs", 4096, 0, 0, 2048, 0);
	fx.seed = 12345;
	*state = &fx;
	return fx.mbufs ? 0 : -1;
}

static int group_teardown(void **state)
{
	struct fixture *fx = *state;

	crypto_exit();
	rte_mempool_free(fx->mbufs);
	rte_eal_cleanup();
	return 0;
}

/* ---- probe ---- */

static const char *const aesni_algs[] = {
	"gcm-aes-crypto_aesni_mb",
	"rfc4106-gcm-aes-crypto_aesni_mb",
	"rfc7539-chacha20-poly1305-crypto_aesni_mb",
	"rfc7539esp-chacha20-poly1305-crypto_aesni_mb",
};

static void test_probe_registers_async_algs(void **state)
{
	struct find_arg null_dev = { .suffix = "-crypto_null" };
	struct find_arg openssl_dev = { .suffix = "-crypto_openssl" };
	uint32_t flags = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(aesni_algs) / sizeof(aesni_algs[0]); i++) {
		if (!alg_listed(aesni_algs[i], &flags))
			print_error("%s: not registered or failed its self-test\n", aesni_algs[i]);
		assert_true(alg_listed(aesni_algs[i], &flags));
		assert_true(flags & CRYPTO_ALG_ASYNC);
		assert_true(flags & CRYPTO_ALG_TESTED);
		assert_false(flags & CRYPTO_ALG_HARDWARE);
	}
	/*
	 * The null device has no AEAD the kernel names; the openssl PMD's GCM
	 * has 16-byte tags only (RFC 4106 needs 8 and 12 too) and chained
	 * auth ops are hardware-only: neither registers anything.
	 */
	crypto_alg_foreach(count_suffix, &null_dev);
	assert_int_equal(null_dev.n, 0);
	crypto_alg_foreach(count_suffix, &openssl_dev);
	assert_int_equal(openssl_dev.n, 0);
	/* Probing again finds nothing new. */
	assert_int_equal(crypto_cryptodev_probe(NULL), 0);
}

static void test_async_ranks_below_sync(void **state)
{
	struct crypto_aead *tfm;

	(void)state;
	/* Software devices must not displace a synchronous implementation. */
	if (crypto_alloc_aead(&tfm, "rfc4106(gcm(aes))", 0, CRYPTO_ALG_ASYNC) != 0)
		skip();
	crypto_free_aead(tfm);
	assert_int_equal(crypto_alloc_aead(&tfm, "rfc4106(gcm(aes))", 0, 0), 0);
	assert_false(tfm->base.alg->cra_flags & CRYPTO_ALG_ASYNC);
	crypto_free_aead(tfm);
}

/* ---- results equal the synchronous reference ---- */

struct case_def {
	const char *name;
	unsigned int aeskey;
	unsigned int authsize;
};

static const struct case_def cases[] = {
	{ "rfc4106(gcm(aes))", 16, 16 },
	{ "rfc4106(gcm(aes))", 32, 16 },
	{ "rfc4106(gcm(aes))", 16, 8 },
	{ "rfc4106(gcm(aes))", 24, 12 },
	{ "rfc7539esp(chacha20,poly1305)", 32, 16 },
	/* Registered on hardware devices only; skipped here. */
	{ "rfc4543(gcm(aes))", 16, 16 },
	{ "authenc(hmac(sha256),cbc(aes))", 16, 16 },
	{ "authenc(hmac(sha1),cbc(aes))", 32, 12 },
};

static const char *const devices[] = { "crypto_aesni_mb", "crypto_openssl" };

/* Driver name of a case on a device, e.g. "rfc4106-gcm-aes-crypto_aesni_mb". */
static void driver_name(char *out, size_t n, const char *generic, const char *dev)
{
	char stem[96];
	size_t k = 0;

	for (const char *p = generic; *p && k < sizeof(stem) - 1; p++) {
		if (*p == ')')
			continue;
		stem[k++] = (*p == '(' || *p == ',') ? '-' : *p;
	}
	stem[k] = '\0';
	snprintf(out, n, "%s-%s", stem, dev);
}

static void check_equal_to_reference(struct fixture *fx, const struct case_def *c,
				     const char *drv, struct crypto_aead *ref, const uint8_t *key,
				     unsigned int klen, uint32_t len, enum layout lay)
{
	static struct buf b1, b2;
	static uint8_t in[MAXBUF], want[MAXBUF], got[MAXBUF];
	uint32_t alen = assoc_len(c->name), tlen = text_len(c->name, len);
	uint32_t total = alen + tlen + c->authsize;
	struct crypto_aead *tfm;
	struct aead_request *req, *rreq;
	uint8_t iv[16], iv2[16];

	assert_int_equal(alloc_keyed(&tfm, drv, 0, 0, key, klen, c->authsize), 0);
	fill_random(&fx->seed, in, alen + tlen);
	fill_random(&fx->seed, iv, sizeof(iv));
	memcpy(in + alen - crypto_aead_ivsize(tfm), iv, crypto_aead_ivsize(tfm));

	/* Reference: flat, synchronous. */
	rreq = aead_request_alloc(ref);
	buf_make(fx, &b1, FLAT, in, total);
	memcpy(iv2, iv, sizeof(iv));
	aead_request_set_crypt(rreq, &b1.sg, 0, &b1.sg, 0, tlen, iv2);
	aead_request_set_ad(rreq, alen);
	assert_int_equal(run(rreq, true), 0);
	xsg_copy_to_buf(want, &b1.sg, 0, total);

	/* The async driver over the layout under test. */
	req = aead_request_alloc(tfm);
	buf_make(fx, &b2, lay, in, total);
	memcpy(iv2, iv, sizeof(iv));
	aead_request_set_crypt(req, &b2.sg, 0, &b2.sg, 0, tlen, iv2);
	aead_request_set_ad(req, alen);
	assert_int_equal(run(req, true), 0);
	xsg_copy_to_buf(got, &b2.sg, 0, total);
	if (memcmp(got, want, total))
		print_error("%s len %u layout %d: encryption differs from reference\n", drv, len, lay);
	assert_memory_equal(got, want, total);

	/* And back. */
	memcpy(iv2, iv, sizeof(iv));
	aead_request_set_crypt(req, &b2.sg, 0, &b2.sg, 0, tlen + c->authsize, iv2);
	assert_int_equal(run(req, false), 0);
	xsg_copy_to_buf(got, &b2.sg, 0, alen + tlen);
	assert_memory_equal(got, in, alen + tlen);

	buf_free(&b1);
	buf_free(&b2);
	aead_request_free(req);
	aead_request_free(rreq);
	crypto_free_aead(tfm);
}

static void test_equal_to_sync_reference(void **state)
{
	static const uint32_t lens[] = { 0, 1, 16, 63, 64, 255, 1420, 4000 };
	static const enum layout lays[] = { FLAT, CHAIN, MBUF };
	struct fixture *fx = *state;
	int compared = 0;

	for (size_t ci = 0; ci < sizeof(cases) / sizeof(cases[0]); ci++) {
		const struct case_def *c = &cases[ci];
		uint8_t key[160];
		unsigned int klen = make_key(c->name, &fx->seed, key, c->aeskey);
		struct crypto_aead *ref;

		/* The best synchronous implementation is the reference. */
		if (alloc_keyed(&ref, c->name, 0, CRYPTO_ALG_ASYNC, key, klen, c->authsize)) {
			print_message("no synchronous %s to compare with\n", c->name);
			continue;
		}
		for (size_t di = 0; di < 2; di++) {
			char drv[CRYPTO_MAX_ALG_NAME];
			uint32_t flags;

			driver_name(drv, sizeof(drv), c->name, devices[di]);
			if (!alg_listed(drv, &flags))
				continue;
			for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++)
				for (size_t k = 0; k < 3; k++)
					check_equal_to_reference(fx, c, drv, ref, key, klen, lens[li],
								 lays[k]);
			compared++;
		}
		crypto_free_aead(ref);
	}
	if (compared == 0)
		skip();
}

/* ---- bursts, tampering, queue full ---- */

struct done_rec {
	int calls;
	int err;
};

static void on_done(void *data, int err)
{
	struct done_rec *d = data;

	d->calls++;
	d->err = err;
}

struct burst {
	struct aead_request *req[32];
	struct done_rec rec[32];
	uint8_t data[32][512];
	uint8_t iv[32][8];
	struct xsg_ent ents[32][1];
	struct xsg sg[32];
};

static void burst_init(struct burst *b, struct crypto_aead *tfm, unsigned int *seed, uint32_t len,
		       bool enc)
{
	for (int i = 0; i < 32; i++) {
		if (!b->req[i])
			b->req[i] = aead_request_alloc(tfm);
		if (enc) {
			fill_random(seed, b->data[i], sizeof(b->data[i]));
			fill_random(seed, b->iv[i], 8);
			memcpy(b->data[i] + 8, b->iv[i], 8);
		}
		xsg_init(&b->sg[i], b->ents[i], 1);
		xsg_add(&b->sg[i], b->data[i], 16 + len + 16);
		aead_request_set_crypt(b->req[i], &b->sg[i], 0, &b->sg[i], 0, enc ? len : len + 16,
				       b->iv[i]);
		aead_request_set_ad(b->req[i], 16);
		aead_request_set_callback(b->req[i], on_done, &b->rec[i]);
		b->rec[i].calls = 0;
		b->rec[i].err = 1;
	}
}

static void burst_wait(struct crypto_aead *tfm, struct burst *b, int n)
{
	time_t t0 = time(NULL);
	int pending;

	do {
		crypto_aead_poll(tfm, 32);
		pending = 0;
		for (int i = 0; i < n; i++)
			pending += b->rec[i].calls == 0;
		assert_true(time(NULL) - t0 < 5);
	} while (pending);
}

static void burst_free(struct burst *b)
{
	for (int i = 0; i < 32; i++) {
		aead_request_free(b->req[i]);
		b->req[i] = NULL;
	}
}

static struct crypto_aead *gcm_tfm(const char *drv, unsigned int *seed)
{
	struct crypto_aead *tfm;
	uint8_t key[20];

	fill_random(seed, key, sizeof(key));
	assert_int_equal(alloc_keyed(&tfm, drv, 0, 0, key, sizeof(key), 16), 0);
	return tfm;
}

static void test_burst_of_32_completes_each(void **state)
{
	struct fixture *fx = *state;
	static struct burst b;
	static uint8_t plain[32][512];
	struct crypto_aead *tfm = gcm_tfm("rfc4106-gcm-aes-crypto_aesni_mb", &fx->seed);

	burst_init(&b, tfm, &fx->seed, 300, true);
	for (int i = 0; i < 32; i++)
		memcpy(plain[i], b.data[i], sizeof(plain[i]));
	assert_int_equal(crypto_aead_encrypt_burst(tfm, b.req, 32), 32);
	burst_wait(tfm, &b, 32);
	for (int i = 0; i < 32; i++) {
		assert_int_equal(b.rec[i].calls, 1);
		assert_int_equal(b.rec[i].err, 0);
		assert_int_equal(b.req[i]->err, 0);
	}
	/* Nothing more to deliver. */
	assert_int_equal(crypto_aead_poll(tfm, 32), 0);

	/* Decrypt the burst, with request 5's tag tampered with. */
	burst_init(&b, tfm, &fx->seed, 300, false);
	b.data[5][16 + 300 + 3] ^= 0x40;
	assert_int_equal(crypto_aead_decrypt_burst(tfm, b.req, 32), 32);
	burst_wait(tfm, &b, 32);
	for (int i = 0; i < 32; i++) {
		assert_int_equal(b.rec[i].calls, 1);
		if (i == 5) {
			assert_int_equal(b.rec[i].err, -EBADMSG);
			continue;
		}
		assert_int_equal(b.rec[i].err, 0);
		assert_memory_equal(b.data[i], plain[i], 16 + 300);
	}
	burst_free(&b);
	crypto_free_aead(tfm);
}

static void test_tampered_tag_each_alg(void **state)
{
	struct fixture *fx = *state;

	for (size_t ci = 0; ci < sizeof(cases) / sizeof(cases[0]); ci++) {
		const struct case_def *c = &cases[ci];
		uint32_t alen = assoc_len(c->name), tlen = text_len(c->name, 200);
		char drv[CRYPTO_MAX_ALG_NAME];
		uint8_t key[160], iv[16], data[512];
		struct crypto_aead *tfm;
		struct aead_request *req;
		struct done_rec rec = { 0 };
		unsigned int klen = make_key(c->name, &fx->seed, key, c->aeskey);
		struct xsg_ent ent;
		struct xsg sg;
		uint32_t flags;

		driver_name(drv, sizeof(drv), c->name, "crypto_aesni_mb");
		if (!alg_listed(drv, &flags))
			continue;
		assert_int_equal(alloc_keyed(&tfm, drv, 0, 0, key, klen, c->authsize), 0);
		req = aead_request_alloc(tfm);
		fill_random(&fx->seed, data, sizeof(data));
		fill_random(&fx->seed, iv, sizeof(iv));
		xsg_init(&sg, &ent, 1);
		xsg_add(&sg, data, alen + tlen + c->authsize);
		aead_request_set_crypt(req, &sg, 0, &sg, 0, tlen, iv);
		aead_request_set_ad(req, alen);
		aead_request_set_callback(req, on_done, &rec);
		assert_int_equal(run(req, true), 0);
		assert_int_equal(rec.calls, 1);
		data[alen + tlen] ^= 1;	/* first ICV byte */
		aead_request_set_crypt(req, &sg, 0, &sg, 0, tlen + c->authsize, iv);
		assert_int_equal(run(req, false), -EBADMSG);
		assert_int_equal(rec.calls, 2);
		assert_int_equal(rec.err, -EBADMSG);
		aead_request_free(req);
		crypto_free_aead(tfm);
	}
}

static void test_queue_full_accepts_fewer(void **state)
{
	struct fixture *fx = *state;
	static struct burst b[4];
	struct crypto_aead *tfm = gcm_tfm("rfc4106-gcm-aes-crypto_aesni_mb", &fx->seed);
	uint16_t acc[4], total = 0;

	/* QP_DEPTH requests fit; the rest of four bursts of 32 must be refused. */
	for (int k = 0; k < 4; k++) {
		burst_init(&b[k], tfm, &fx->seed, 64, true);
		acc[k] = crypto_aead_encrypt_burst(tfm, b[k].req, 32);
		total += acc[k];
	}
	/* A device ring of QP_DEPTH descriptors may hold one less. */
	assert_true(total <= QP_DEPTH && total >= QP_DEPTH - 1);
	assert_true(acc[3] < 32);
	/* Refused requests are untouched and not completed. */
	for (int i = acc[3]; i < 32; i++)
		assert_int_equal(b[3].rec[i].calls, 0);
	for (int k = 0; k < 4; k++)
		burst_wait(tfm, &b[k], acc[k]);
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 32; i++)
			assert_int_equal(b[k].rec[i].calls, i < acc[k] ? 1 : 0);
	/* After the drain the refused ones go through. */
	assert_int_equal(crypto_aead_encrypt_burst(tfm, b[3].req + acc[3], 32 - acc[3]),
			 32 - acc[3]);
	burst_wait(tfm, &b[3], 32);
	for (int k = 0; k < 4; k++)
		burst_free(&b[k]);
	crypto_free_aead(tfm);
}

static void test_bad_request_is_an_error(void **state)
{
	struct fixture *fx = *state;
	struct crypto_aead *tfm = gcm_tfm("rfc4106-gcm-aes-crypto_aesni_mb", &fx->seed);
	struct aead_request *req = aead_request_alloc(tfm);
	uint8_t data[128] = { 0 }, iv[8] = { 0 };
	struct xsg_ent ent;
	struct xsg sg;

	xsg_init(&sg, &ent, 1);
	xsg_add(&sg, data, sizeof(data));
	/* RFC 4106 5: the associated data is SPI || seq [|| seq_hi] || IV. */
	aead_request_set_crypt(req, &sg, 0, &sg, 0, 32, iv);
	aead_request_set_ad(req, 13);
	assert_int_equal(crypto_aead_encrypt(req), -EINVAL);
	aead_request_free(req);
	crypto_free_aead(tfm);
}

/* ---- a device that goes away ---- */

static void test_too_many_runs_is_an_error(void **state)
{
	struct fixture *fx = *state;
	struct crypto_aead *tfm = gcm_tfm("rfc4106-gcm-aes-crypto_aesni_mb", &fx->seed);
	struct aead_request *req = aead_request_alloc(tfm);
	static uint8_t data[40][8];
	uint8_t iv[8] = { 0 };
	XSG_DECLARE(sg, 40);

	for (int i = 0; i < 40; i++)
		xsg_add(&sg, data[i], 8);
	aead_request_set_crypt(req, &sg, 0, &sg, 0, 320 - 16 - 16, iv);
	aead_request_set_ad(req, 16);
	assert_int_equal(crypto_aead_encrypt(req), -EMSGSIZE);
	aead_request_free(req);
	crypto_free_aead(tfm);
}

static void test_remove_unmanaged_device(void **state)
{
	(void)state;
	/* The openssl and null devices carry no algorithm of ours. */
	assert_int_equal(crypto_cryptodev_remove(dev_id_of("crypto_openssl")), -ENODEV);
	assert_int_equal(crypto_cryptodev_remove(RTE_CRYPTO_MAX_DEVS - 1), -ENODEV);
}

static void test_device_stop_fails_in_flight_and_falls_back(void **state)
{
	struct fixture *fx = *state;
	static struct burst b;
	const char *drv = "rfc4106-gcm-aes-crypto_aesni_mb";
	struct crypto_aead *tfm = gcm_tfm(drv, &fx->seed), *next;

	burst_init(&b, tfm, &fx->seed, 256, true);
	assert_int_equal(crypto_aead_encrypt_burst(tfm, b.req, 32), 32);

	/* Stopped behind the driver's back, with requests queued. */
	rte_cryptodev_stop(dev_id_of("crypto_aesni_mb"));
	burst_wait(tfm, &b, 32);
	for (int i = 0; i < 32; i++) {
		assert_int_equal(b.rec[i].calls, 1);
		assert_true(b.rec[i].err == 0 || b.rec[i].err == -ENODEV);
	}
	/* New requests on the old transform fail at once. */
	burst_init(&b, tfm, &fx->seed, 256, true);
	assert_int_equal(crypto_aead_encrypt(b.req[0]), -ENODEV);
	burst_free(&b);

	/* The driver is dead: the generic name resolves to another implementation. */
	assert_int_equal(crypto_alloc_aead(&next, drv, 0, 0), -ELIBBAD);
	if (crypto_alloc_aead(&next, "rfc4106(gcm(aes))", 0, 0) == 0) {
		assert_string_not_equal(crypto_tfm_alg_driver_name(&next->base), drv);
		crypto_free_aead(next);
	}
	crypto_free_aead(tfm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_registers_async_algs),
		cmocka_unit_test(test_async_ranks_below_sync),
		cmocka_unit_test(test_equal_to_sync_reference),
		cmocka_unit_test(test_burst_of_32_completes_each),
		cmocka_unit_test(test_tampered_tag_each_alg),
		cmocka_unit_test(test_queue_full_accepts_fewer),
		cmocka_unit_test(test_bad_request_is_an_error),
		cmocka_unit_test(test_too_many_runs_is_an_error),
		cmocka_unit_test(test_remove_unmanaged_device),
		/* This one takes the device away: last. */
		cmocka_unit_test(test_device_stop_fails_in_flight_and_falls_back),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
