/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * authenc(A,E) and authencesn(A,E) against the same construction composed by
 * hand from the skcipher E and the shash A through our API, on random keys
 * and inputs over flat and chained scatterlists, in place and out of place.
 * Each check runs on the implementation that wins the lookup and on our
 * template's instance when another driver wins.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cryptoapi/algapi.h"
#include "cryptoapi/listing.h"
#include "tests/lib/crypto_fixture.h"

#define MAX_TEXT 1024
#define MAX_ASSOC 64
#define GUARD 0xa5
#define ROUNDS 24

/* ---- deterministic random inputs (reproducible failures) ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

/* ---- chained buffers ---- */

struct chain {
	struct xsg_ent ents[XSG_MAX_ENTS];
	struct xsg sg;
	uint8_t *mem[XSG_MAX_ENTS];
};

/* Flat, or runs of random 1..40 bytes in separate allocations. */
static void chain_make(struct chain *c, uint32_t len, bool flat)
{
	uint32_t off = 0;
	unsigned int i = 0;

	xsg_init(&c->sg, c->ents, XSG_MAX_ENTS);
	memset(c->mem, 0, sizeof(c->mem));
	do {
		uint32_t run = flat ? len : 1 + rnd() % 40;

		if (run > len - off || i == XSG_MAX_ENTS - 1)
			run = len - off;
		c->mem[i] = malloc(run + 1);
		assert_non_null(c->mem[i]);
		memset(c->mem[i], GUARD, run + 1);
		assert_int_equal(xsg_add(&c->sg, c->mem[i], run), 0);
		off += run;
		i++;
	} while (off < len);
}

static void chain_free(struct chain *c)
{
	for (unsigned int i = 0; i < XSG_MAX_ENTS; i++)
		free(c->mem[i]);
}

/* ---- the implementations to test ---- */

struct find_ctx {
	const char *name;
	const char *tmpl;
	struct crypto_alg *found;
};

static int find_instance(const struct crypto_alg *alg, void *arg)
{
	struct find_ctx *fc = arg;

	if (!(alg->cra_flags & CRYPTO_ALG_INSTANCE) || !alg->cra_tmpl ||
	    strcmp(alg->cra_tmpl->name, fc->tmpl) || strcmp(alg->cra_name, fc->name))
		return 0;
	fc->found = (struct crypto_alg *)alg;
	crypto_alg_get(fc->found);
	return 1;
}

/*
 * tfms[0]: the lookup's winner; tfms[1]: our template's instance when the
 * winner is another driver (NULL otherwise).
 */
static void alloc_impls(struct crypto_aead *tfms[2], const char *name, const char *tmpl)
{
	struct find_ctx fc = { .name = name, .tmpl = tmpl };
	int rc = crypto_alloc_aead(&tfms[0], name, 0, 0);

	if (rc)
		fail_msg("%s: allocation failed: %d", name, rc);
	tfms[1] = NULL;
	if (tfms[0]->base.alg->cra_tmpl &&
	    !strcmp(tfms[0]->base.alg->cra_tmpl->name, tmpl))
		return;
	crypto_alg_foreach(find_instance, &fc);
	if (!fc.found)
		fail_msg("%s: no %s instance next to %s", name, tmpl,
			 crypto_tfm_alg_driver_name(&tfms[0]->base));
	rc = crypto_spawn_aead(&tfms[1], fc.found);
	crypto_alg_put(fc.found);
	assert_int_equal(rc, 0);
	print_message("%s: %s (%u MB/s) and %s (%u MB/s)\n", name,
		      crypto_tfm_alg_driver_name(&tfms[0]->base), tfms[0]->base.alg->cra_perf_mbps,
		      crypto_tfm_alg_driver_name(&tfms[1]->base), tfms[1]->base.alg->cra_perf_mbps);
}

static void free_impls(struct crypto_aead *tfms[2])
{
	crypto_free_aead(tfms[0]);
	crypto_free_aead(tfms[1]);
}

/* ---- the reference: E then A, composed by hand ---- */

struct combo {
	const char *auth;	/* shash A */
	const char *enc;	/* skcipher E */
	unsigned int authkeylen, enckeylen;
};

struct ref {
	struct crypto_shash *auth;
	struct crypto_skcipher *enc;
	struct skcipher_request *req;
};

static void ref_alloc(struct ref *r, const struct combo *c)
{
	assert_int_equal(crypto_alloc_shash(&r->auth, c->auth, 0, 0), 0);
	assert_int_equal(crypto_alloc_skcipher(&r->enc, c->enc, 0, 0), 0);
	r->req = skcipher_request_alloc(r->enc);
	assert_non_null(r->req);
}

static void ref_free(struct ref *r)
{
	skcipher_request_free(r->req);
	crypto_free_skcipher(r->enc);
	crypto_free_shash(r->auth);
}

/* out = assoc || E(text) || A(icv_in)[0..authsize) */
static void ref_encrypt(struct ref *r, const uint8_t *assoc, uint32_t alen, const uint8_t *text,
			uint32_t tlen, uint8_t *iv, unsigned int authsize, bool esn, uint8_t *out)
{
	uint8_t digest[64];
	XSG_DECLARE(sg, 1);
	SHASH_DESC_ON_STACK(desc, r->auth);

	memcpy(out, assoc, alen);
	memcpy(out + alen, text, tlen);
	xsg_set_buf(&sg, out + alen, tlen);
	skcipher_request_set_crypt(r->req, &sg, 0, &sg, 0, tlen, iv);
	assert_int_equal(crypto_skcipher_encrypt(r->req), 0);
	assert_int_equal(crypto_shash_init(desc), 0);
	if (esn) {
		/* RFC 4303 2.2.1: SPI || seq_lo || rest || ciphertext || seq_hi */
		crypto_shash_update(desc, assoc, 4);
		crypto_shash_update(desc, assoc + 8, alen - 8);
		crypto_shash_update(desc, out + alen, tlen);
		crypto_shash_update(desc, assoc + 4, 4);
	} else {
		crypto_shash_update(desc, out, alen + tlen);
	}
	assert_int_equal(crypto_shash_final(desc, digest), 0);
	memcpy(out + alen + tlen, digest, authsize);
	shash_desc_zero(desc);
}

/* ---- one AEAD operation over a layout ---- */

struct io {
	const uint8_t *in;
	uint32_t inlen;		/* assoc + text (+ ICV on decrypt) */
	uint32_t outlen;
	uint32_t alen;
	uint8_t *out;		/* outlen bytes gathered from dst */
};

static int aead_run(struct crypto_aead *tfm, struct io *io, const uint8_t *iv0, unsigned int ivlen,
		    bool enc, int layout)
{
	bool oop = layout & 1, flat = layout < 2;
	uint32_t cap = io->inlen > io->outlen ? io->inlen : io->outlen;
	struct aead_request *req = aead_request_alloc(tfm);
	struct chain s, d;
	uint8_t iv[32];
	int rc;

	assert_non_null(req);
	chain_make(&s, cap, flat);
	xsg_copy_from_buf(&s.sg, 0, io->in, io->inlen);
	if (oop)
		chain_make(&d, cap, flat);
	memcpy(iv, iv0, ivlen);
	aead_request_set_crypt(req, &s.sg, 0, oop ? &d.sg : &s.sg, 0,
			       io->inlen - io->alen, iv);
	aead_request_set_ad(req, io->alen);
	rc = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	xsg_copy_to_buf(io->out, oop ? &d.sg : &s.sg, 0, io->outlen);
	if (oop)
		chain_free(&d);
	chain_free(&s);
	aead_request_free(req);
	return rc;
}

static int setkey_blob(struct crypto_aead *tfm, const uint8_t *ak, unsigned int aklen,
		       const uint8_t *ek, unsigned int eklen)
{
	uint8_t blob[256];
	int n = crypto_authenc_buildkey(blob, sizeof(blob), ak, aklen, ek, eklen);

	assert_true(n > 0);
	return crypto_aead_setkey(tfm, blob, (unsigned int)n);
}

/* One random round on one transform, over every layout. */
static void check_round(struct crypto_aead *tfm, struct ref *ref, const struct combo *c,
			const char *name, int round, bool esn)
{
	unsigned int ivlen = crypto_aead_ivsize(tfm), bs = crypto_aead_blocksize(tfm);
	unsigned int maxauth = crypto_aead_maxauthsize(tfm);
	uint8_t ak[128], ek[64], iv[32], iv2[32];
	uint8_t plain[MAX_ASSOC + MAX_TEXT], want[MAX_ASSOC + MAX_TEXT + 64];
	uint8_t got[MAX_ASSOC + MAX_TEXT + 64];
	uint32_t tlen = rnd() % (MAX_TEXT / bs) * bs;
	uint32_t alen = esn ? 12 + ivlen : (round & 1 ? 8 + ivlen : rnd() % MAX_ASSOC);
	unsigned int authsize = round == 0 || !maxauth ? maxauth : rnd() % (maxauth + 1);
	struct io io;

	rnd_bytes(ak, c->authkeylen);
	rnd_bytes(ek, c->enckeylen);
	rnd_bytes(iv, ivlen);
	rnd_bytes(plain, alen + tlen);
	assert_int_equal(setkey_blob(tfm, ak, c->authkeylen, ek, c->enckeylen), 0);
	assert_int_equal(crypto_aead_setauthsize(tfm, authsize), 0);
	if (c->authkeylen)
		assert_int_equal(crypto_shash_setkey(ref->auth, ak, c->authkeylen), 0);
	assert_int_equal(crypto_skcipher_setkey(ref->enc, ek, c->enckeylen), 0);
	memcpy(iv2, iv, ivlen);
	ref_encrypt(ref, plain, alen, plain + alen, tlen, iv2, authsize, esn, want);

	for (int layout = 0; layout < 4; layout++) {
		io = (struct io){ .in = plain, .inlen = alen + tlen, .alen = alen,
				  .outlen = alen + tlen + authsize, .out = got };
		assert_int_equal(aead_run(tfm, &io, iv, ivlen, true, layout), 0);
		if (memcmp(got, want, io.outlen))
			fail_msg("%s (%s): round %d layout %d (assoc %u, text %u, icv %u): "
				 "differs from E then A", name,
				 crypto_tfm_alg_driver_name(&tfm->base), round, layout, alen, tlen,
				 authsize);
		/* And back. */
		io = (struct io){ .in = want, .inlen = alen + tlen + authsize, .alen = alen,
				  .outlen = alen + tlen, .out = got };
		assert_int_equal(aead_run(tfm, &io, iv, ivlen, false, layout), 0);
		assert_memory_equal(got, plain, alen + tlen);
	}
}

/* Random rounds: the template must equal the hand-made composition. */
static void check_combo(const struct combo *c, const char *tmpl, bool esn)
{
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *tfms[2];
	struct ref ref;

	snprintf(name, sizeof(name), "%s(%s,%s)", tmpl, c->auth, c->enc);
	alloc_impls(tfms, name, tmpl);
	ref_alloc(&ref, c);
	for (int t = 0; t < 2 && tfms[t]; t++) {
		struct crypto_aead *tfm = tfms[t];

		assert_int_equal(crypto_aead_maxauthsize(tfm), crypto_shash_digestsize(ref.auth));
		assert_int_equal(crypto_aead_ivsize(tfm), crypto_skcipher_ivsize(ref.enc));
		for (int round = 0; round < ROUNDS; round++)
			check_round(tfm, &ref, c, name, round, esn);
	}
	ref_free(&ref);
	free_impls(tfms);
}

static const struct combo combos[] = {
	{ "hmac(sha256)", "cbc(aes)", 32, 16 },
	{ "hmac(sha1)", "cbc(aes)", 20, 32 },
	{ "hmac(sha384)", "cbc(aes)", 48, 24 },
	{ "hmac(sha512)", "cbc(aes)", 64, 32 },
	{ "hmac(sha256)", "rfc3686(ctr(aes))", 32, 20 },
	{ "hmac(sha512)", "rfc3686(ctr(aes))", 64, 36 },
	{ "xcbc(aes)", "cbc(aes)", 16, 16 },
	{ "cmac(aes)", "cbc(aes)", 16, 16 },
	{ "hmac(sha256)", "ecb(cipher_null)", 32, 0 },
	{ "digest_null", "cbc(aes)", 0, 16 },
};

static void test_authenc_equals_composition(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(combos) / sizeof(combos[0]); i++)
		check_combo(&combos[i], "authenc", false);
}

static void test_authencesn_equals_composition(void **state)
{
	(void)state;
	check_combo(&combos[0], "authencesn", true);
	check_combo(&combos[1], "authencesn", true);
	check_combo(&combos[4], "authencesn", true);
}

/* ---- authencesn: seq_hi is authenticated, not transmitted ---- */

static void esn_one(struct crypto_aead *tfm)
{
	enum { IVLEN = 16, ALEN = 12 + IVLEN, TLEN = 64, ICV = 16 };
	uint8_t ak[32], ek[16], iv[IVLEN], assoc[ALEN], text[TLEN];
	uint8_t c1[ALEN + TLEN + ICV], c2[ALEN + TLEN + ICV], out[ALEN + TLEN + ICV];
	struct io io;

	rnd_bytes(ak, sizeof(ak));
	rnd_bytes(ek, sizeof(ek));
	rnd_bytes(iv, sizeof(iv));
	rnd_bytes(text, sizeof(text));
	/* SPI || seq_hi || seq_lo || IV */
	memcpy(assoc, "\x00\x00\x43\x21\x00\x00\x00\x02\x00\x00\x00\x01", 12);
	memcpy(assoc + 12, iv, IVLEN);
	assert_int_equal(setkey_blob(tfm, ak, sizeof(ak), ek, sizeof(ek)), 0);
	assert_int_equal(crypto_aead_setauthsize(tfm, ICV), 0);

	memcpy(out, assoc, ALEN);
	memcpy(out + ALEN, text, TLEN);
	for (int layout = 0; layout < 4; layout++) {
		io = (struct io){ .in = out, .inlen = ALEN + TLEN, .alen = ALEN,
				  .outlen = sizeof(c1), .out = c1 };
		assert_int_equal(aead_run(tfm, &io, iv, IVLEN, true, layout), 0);
		/* The associated data reaches dst unchanged. */
		assert_memory_equal(c1, assoc, ALEN);
	}

	/* Another seq_hi: same ciphertext, another ICV. */
	out[7] = 0x03;
	io = (struct io){ .in = out, .inlen = ALEN + TLEN, .alen = ALEN, .outlen = sizeof(c2),
			  .out = c2 };
	assert_int_equal(aead_run(tfm, &io, iv, IVLEN, true, 3), 0);
	assert_memory_equal(c1 + ALEN, c2 + ALEN, TLEN);
	assert_memory_not_equal(c1 + ALEN + TLEN, c2 + ALEN + TLEN, ICV);
	assert_int_equal(c2[7], 0x03);

	/* Decrypting the first packet under the other seq_hi fails. */
	c1[7] = 0x03;
	for (int layout = 0; layout < 4; layout++) {
		io = (struct io){ .in = c1, .inlen = sizeof(c1), .alen = ALEN,
				  .outlen = ALEN + TLEN, .out = out };
		assert_int_equal(aead_run(tfm, &io, iv, IVLEN, false, layout), -EBADMSG);
	}
	/* Under its own seq_hi it decrypts, and dst keeps the associated data. */
	c1[7] = 0x02;
	for (int layout = 0; layout < 4; layout++) {
		io = (struct io){ .in = c1, .inlen = sizeof(c1), .alen = ALEN,
				  .outlen = ALEN + TLEN, .out = out };
		assert_int_equal(aead_run(tfm, &io, iv, IVLEN, false, layout), 0);
		assert_memory_equal(out, assoc, ALEN);
		assert_memory_equal(out + ALEN, text, TLEN);
	}
	/* Shorter than SPI || seq_hi || seq_lo: refused. */
	io = (struct io){ .in = c1, .inlen = 8 + TLEN + ICV, .alen = 8, .outlen = 8 + TLEN,
			  .out = out };
	assert_int_equal(aead_run(tfm, &io, iv, IVLEN, false, 0), -EINVAL);
}

static void test_esn_high_bits(void **state)
{
	struct crypto_aead *tfms[2];

	(void)state;
	alloc_impls(tfms, "authencesn(hmac(sha256),cbc(aes))", "authencesn");
	for (int t = 0; t < 2 && tfms[t]; t++)
		esn_one(tfms[t]);
	free_impls(tfms);
}

/* ---- verification before decryption ---- */

static void test_bad_icv_releases_nothing(void **state)
{
	enum { IVLEN = 16, ALEN = 8 + IVLEN, TLEN = 48, ICV = 16 };
	uint8_t ak[32], ek[16], iv[IVLEN], pkt[ALEN + TLEN + ICV], out[ALEN + TLEN];
	struct crypto_aead *tfms[2];
	struct io io;

	(void)state;
	alloc_impls(tfms, "authenc(hmac(sha256),cbc(aes))", "authenc");
	/* Our template only: it promises no plaintext on a bad ICV. */
	struct crypto_aead *tfm = tfms[1] ? tfms[1] : tfms[0];

	rnd_bytes(ak, sizeof(ak));
	rnd_bytes(ek, sizeof(ek));
	rnd_bytes(iv, sizeof(iv));
	rnd_bytes(pkt, ALEN + TLEN);
	assert_int_equal(setkey_blob(tfm, ak, sizeof(ak), ek, sizeof(ek)), 0);
	assert_int_equal(crypto_aead_setauthsize(tfm, ICV), 0);
	io = (struct io){ .in = pkt, .inlen = ALEN + TLEN, .alen = ALEN,
			  .outlen = sizeof(pkt), .out = pkt };
	assert_int_equal(aead_run(tfm, &io, iv, IVLEN, true, 0), 0);
	pkt[sizeof(pkt) - 1] ^= 0x80;
	for (int layout = 1; layout < 4; layout += 2) {
		io = (struct io){ .in = pkt, .inlen = sizeof(pkt), .alen = ALEN,
				  .outlen = sizeof(out), .out = out };
		assert_int_equal(aead_run(tfm, &io, iv, IVLEN, false, layout), -EBADMSG);
		for (unsigned int k = ALEN; k < sizeof(out); k++)
			assert_int_equal(out[k], GUARD);
	}
	free_impls(tfms);
}

/* ---- key blobs ---- */

static void bad_keys_one(struct crypto_aead *tfm)
{
	uint8_t ak[32] = { 1 }, ek[32] = { 2 }, blob[128], buf[64] = { 0 }, iv[16] = { 0 };
	int n = crypto_authenc_buildkey(blob, sizeof(blob), ak, 32, ek, 16);
	struct aead_request *req;
	XSG_DECLARE(sg, 1);

	assert_int_equal(n, 8 + 32 + 16);
	assert_int_equal(crypto_aead_setkey(tfm, blob, n), 0);
	/* Shorter than the header. */
	assert_int_equal(crypto_aead_setkey(tfm, blob, 7), -EINVAL);
	assert_int_equal(crypto_aead_setkey(tfm, blob, 0), -EINVAL);
	/* rtattr type and length. */
	blob[2] ^= 3;
	assert_int_equal(crypto_aead_setkey(tfm, blob, n), -EINVAL);
	blob[2] ^= 3;
	blob[0] = 12;
	assert_int_equal(crypto_aead_setkey(tfm, blob, n), -EINVAL);
	blob[0] = 8;
	/* Encryption key longer than what follows. */
	put_be32(blob + 4, 49);
	assert_int_equal(crypto_aead_setkey(tfm, blob, n), -EINVAL);
	/* An AES key of 20 bytes; of 0 bytes. */
	n = crypto_authenc_buildkey(blob, sizeof(blob), ak, 32, ek, 20);
	assert_int_equal(crypto_aead_setkey(tfm, blob, n), -EINVAL);
	n = crypto_authenc_buildkey(blob, sizeof(blob), ak, 32, ek, 0);
	assert_int_equal(crypto_aead_setkey(tfm, blob, n), -EINVAL);
	/* After a refused key the transform has none. */
	req = aead_request_alloc(tfm);
	assert_non_null(req);
	xsg_set_buf(&sg, buf, sizeof(buf));
	aead_request_set_crypt(req, &sg, 0, &sg, 0, 16, iv);
	aead_request_set_ad(req, 0);
	assert_int_equal(crypto_aead_encrypt(req), -ENOKEY);
	aead_request_free(req);
	/* ICV longer than the digest. */
	assert_int_equal(crypto_aead_setauthsize(tfm, 33), -EINVAL);

}

/* digest_null takes no key; NULL encryption takes none either (RFC 2410 2). */
static void null_keys_one(struct crypto_aead *dnull, struct crypto_aead *enull)
{
	uint8_t ak[32] = { 1 }, ek[16] = { 2 }, blob[128];
	int n;

	n = crypto_authenc_buildkey(blob, sizeof(blob), ak, 0, ek, 16);
	assert_int_equal(crypto_aead_setkey(dnull, blob, n), 0);
	n = crypto_authenc_buildkey(blob, sizeof(blob), ak, 4, ek, 16);
	assert_int_equal(crypto_aead_setkey(dnull, blob, n), -EINVAL);
	n = crypto_authenc_buildkey(blob, sizeof(blob), ak, 32, ek, 0);
	assert_int_equal(crypto_aead_setkey(enull, blob, n), 0);
	n = crypto_authenc_buildkey(blob, sizeof(blob), ak, 32, ek, 16);
	assert_int_equal(crypto_aead_setkey(enull, blob, n), -EINVAL);
}

static void test_bad_key_blobs(void **state)
{
	struct crypto_aead *tfms[2], *dnull[2], *enull[2];

	(void)state;
	alloc_impls(tfms, "authenc(hmac(sha256),cbc(aes))", "authenc");
	alloc_impls(dnull, "authenc(digest_null,cbc(aes))", "authenc");
	alloc_impls(enull, "authenc(hmac(sha256),ecb(cipher_null))", "authenc");
	for (int t = 0; t < 2; t++) {
		if (tfms[t])
			bad_keys_one(tfms[t]);
		if (dnull[t] || enull[t])
			null_keys_one(dnull[t] ? dnull[t] : dnull[0], enull[t] ? enull[t] : enull[0]);
	}
	free_impls(enull);
	free_impls(dnull);
	free_impls(tfms);
}

/*
 * Every A x E pair ESP can ask for exists, for both templates, and passed its
 * self-test (our instance too when a driver wins the lookup).
 */
static void test_names_selftested(void **state)
{
	static const char *const auths[] = {
		"hmac(sha1)", "hmac(sha256)", "hmac(sha384)", "hmac(sha512)",
		"xcbc(aes)", "cmac(aes)", "digest_null",
	};
	static const char *const encs[] = { "cbc(aes)", "rfc3686(ctr(aes))", "ecb(cipher_null)" };
	static const char *const tmpls[] = { "authenc", "authencesn" };
	unsigned int n = 0;

	(void)state;
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < sizeof(auths) / sizeof(auths[0]); i++)
			for (size_t j = 0; j < sizeof(encs) / sizeof(encs[0]); j++) {
				char name[CRYPTO_MAX_ALG_NAME];
				struct crypto_aead *tfms[2];

				/* RFC 4303 3.2: not both NULL; ESN implies integrity. */
				if (!strcmp(auths[i], "digest_null") &&
				    (k == 1 || !strcmp(encs[j], "ecb(cipher_null)")))
					continue;
				snprintf(name, sizeof(name), "%s(%s,%s)", tmpls[k], auths[i], encs[j]);
				alloc_impls(tfms, name, tmpls[k]);
				for (int t = 0; t < 2 && tfms[t]; t++) {
					const struct crypto_alg *alg = tfms[t]->base.alg;

					if (alg->cra_selftest != 0)
						fail_msg("%s: self-test %d: %s", alg->cra_driver_name,
							 alg->cra_selftest, alg->cra_selftest_msg);
				}
				free_impls(tfms);
				n++;
			}
	assert_int_equal(n, 38);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_selftested),
		cmocka_unit_test(test_authenc_equals_composition),
		cmocka_unit_test(test_authencesn_equals_composition),
		cmocka_unit_test(test_esn_high_bits),
		cmocka_unit_test(test_bad_icv_releases_nothing),
		cmocka_unit_test(test_bad_key_blobs),
	};

	return cmocka_run_group_tests_name("cryptoapi_authenc", tests, crypto_test_setup,
					   crypto_test_teardown);
}
