/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ChaCha20-Poly1305 against the public record files shipped with
 * python3-cryptography-vectors ($CAVP_DIR/ciphers/ChaCha20Poly1305/):
 * boringssl.txt (RFC 8439 2.8.2 and BoringSSL's set) and openssl.txt
 * (RFC 8439 A.5 and OpenSSL's evpciph.txt, with a failing-tag record).
 * Every record with a 12-byte nonce goes through rfc7539(chacha20,poly1305)
 * over a flat buffer and over chained scatterlists (in place and out of
 * place); every record is also replayed through rfc7539esp(chacha20,poly1305)
 * with the nonce split into salt || explicit IV as RFC 7634 does. Each test
 * runs twice: on the implementation that wins the lookup (an accelerated
 * driver when one is registered) and on our template over the generic
 * chacha20 and poly1305.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "cryptoapi/crypto.h"
#include "cryptoapi/testmgr.h"
#include "tests/lib/crypto_fixture.h"

#define MAX_FIELD 2048
#define TAG_LEN 16
#define GUARD 0x5a

struct record {
	uint8_t key[64], nonce[16], ad[MAX_FIELD], pt[MAX_FIELD], ct[MAX_FIELD], tag[TAG_LEN];
	int klen, nlen, alen, plen, clen, taglen;
	bool must_fail;
	unsigned int line;
};

/* Which implementation a test runs: the best by priority, or our template. */
struct impl {
	const char *aead_name;
	const char *esp_name;
	bool verify_first;	/* promises dst text untouched on a bad tag */
};

static const struct impl best = {
	"rfc7539(chacha20,poly1305)", "rfc7539esp(chacha20,poly1305)", false,
};
static const struct impl generic = {
	"rfc7539(chacha20-generic,poly1305-generic)",
	"rfc7539esp(chacha20-generic,poly1305-generic)", true,
};

struct fixture {
	const struct impl *impl;
	struct crypto_aead *aead;
	struct crypto_aead *esp;
	struct aead_request *req;
	struct aead_request *esp_req;
	unsigned int records, failing, esp_records;
};

/* ---- record files ---- */

static const char *cavp_path(const char *file, char *buf, size_t len)
{
	const char *dir = getenv("CAVP_DIR");

	if (!dir)
		dir = "/usr/lib/python3/dist-packages/cryptography_vectors";
	snprintf(buf, len, "%s/ciphers/ChaCha20Poly1305/%s", dir, file);
	return buf;
}

/* A value is hex, or a "quoted" ASCII string (boringssl.txt uses both). */
static int parse_value(uint8_t *out, size_t outlen, const char *v)
{
	size_t n;

	if (*v == '"') {
		const char *end = strrchr(v + 1, '"');

		if (!end)
			return -EINVAL;
		n = (size_t)(end - v - 1);
		if (n > outlen)
			return -ENOSPC;
		memcpy(out, v + 1, n);
		return (int)n;
	}
	return crypto_hex2bin(out, outlen, v);
}

static void strip(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* Fill r from one "Name = value" line; names of both files are accepted. */
static int record_field(struct record *r, const char *name, const char *v)
{
	if (!strcasecmp(name, "KEY"))
		return (r->klen = parse_value(r->key, sizeof(r->key), v));
	if (!strcasecmp(name, "NONCE") || !strcasecmp(name, "IV"))
		return (r->nlen = parse_value(r->nonce, sizeof(r->nonce), v));
	if (!strcasecmp(name, "AD") || !strcasecmp(name, "AAD"))
		return (r->alen = parse_value(r->ad, sizeof(r->ad), v));
	if (!strcasecmp(name, "IN") || !strcasecmp(name, "Plaintext"))
		return (r->plen = parse_value(r->pt, sizeof(r->pt), v));
	if (!strcasecmp(name, "CT") || !strcasecmp(name, "Ciphertext"))
		return (r->clen = parse_value(r->ct, sizeof(r->ct), v));
	if (!strcasecmp(name, "TAG"))
		return (r->taglen = parse_value(r->tag, sizeof(r->tag), v));
	if (!strcasecmp(name, "Result"))
		r->must_fail = true;	/* CIPHERFINAL_ERROR: the tag must not verify */
	return 0;
}

typedef void (*record_fn)(struct fixture *f, const struct record *r);

/* Call fn for every complete record of the file; returns the number seen. */
static unsigned int for_each_record(struct fixture *f, const char *file, record_fn fn)
{
	char path[512], line[8192];
	struct record *r = calloc(1, sizeof(*r));
	unsigned int n = 0, lineno = 0;
	bool open_rec = false;
	FILE *fp;

	assert_non_null(r);
	fp = fopen(cavp_path(file, path, sizeof(path)), "r");
	if (!fp)
		fail_msg("cannot open %s", path);
	for (;;) {
		char *got = fgets(line, sizeof(line), fp), *eq;

		lineno++;
		if (got)
			strip(line);
		if (!got || !strncasecmp(line, "COUNT", 5)) {
			if (open_rec && r->klen > 0 && r->taglen == TAG_LEN) {
				fn(f, r);
				n++;
			}
			if (!got)
				break;
			memset(r, 0, sizeof(*r));
			r->line = lineno;
			open_rec = true;
			continue;
		}
		if (!line[0] || line[0] == '#' || !(eq = strchr(line, '=')))
			continue;
		*eq = '\0';
		strip(line);
		eq++;
		while (*eq == ' ')
			eq++;
		if (record_field(r, line, eq) < 0)
			fail_msg("%s:%u: bad value for %s", file, lineno, line);
	}
	fclose(fp);
	free(r);
	return n;
}

/* ---- scatterlists ---- */

/* A buffer as runs of varying lengths in separate allocations. */
struct chain {
	struct xsg_ent ents[XSG_MAX_ENTS];
	struct xsg sg;
	uint8_t *mem[XSG_MAX_ENTS];
};

static const uint32_t run_lens[] = { 1, 7, 64, 13, 3, 16, 31, 2, 65, 5, 17, 128, 9 };

static void chain_make(struct chain *c, uint32_t len, bool flat, unsigned int seed)
{
	uint32_t off = 0;
	unsigned int i = 0;

	xsg_init(&c->sg, c->ents, XSG_MAX_ENTS);
	memset(c->mem, 0, sizeof(c->mem));
	while (off < len || i == 0) {
		uint32_t run = flat ? len : run_lens[(i + seed) % 13];

		if (run > len - off || i == XSG_MAX_ENTS - 1)
			run = len - off;
		c->mem[i] = malloc(run ? run : 1);
		assert_non_null(c->mem[i]);
		memset(c->mem[i], GUARD, run ? run : 1);
		assert_int_equal(xsg_add(&c->sg, c->mem[i], run), 0);
		off += run;
		i++;
		if (run == 0)
			break;
	}
}

static void chain_free(struct chain *c)
{
	for (unsigned int i = 0; i < XSG_MAX_ENTS; i++)
		free(c->mem[i]);
}

/* ---- one record through one AEAD, one layout ---- */

struct op {
	const uint8_t *key;
	unsigned int klen;
	uint8_t iv[12];
	const uint8_t *ad;
	uint32_t alen;
};

enum layout { FLAT, FLAT_OOP, CHAIN, CHAIN_OOP, NLAYOUTS };

static void run_layout(struct crypto_aead *tfm, struct aead_request *req, const struct op *op,
		       const struct record *r, enum layout layout, unsigned int seed,
		       bool verify_first)
{
	bool oop = layout == FLAT_OOP || layout == CHAIN_OOP;
	bool flat = layout == FLAT || layout == FLAT_OOP;
	uint32_t textlen = (uint32_t)r->clen, total = op->alen + textlen + TAG_LEN;
	uint8_t *want = malloc(total), *got = malloc(total);
	struct chain s, d;
	uint8_t iv[12];
	int rc;

	assert_non_null(want);
	assert_non_null(got);
	memcpy(want, op->ad, op->alen);
	memcpy(want + op->alen, r->ct, textlen);
	memcpy(want + op->alen + textlen, r->tag, TAG_LEN);
	chain_make(&s, total, flat, seed);
	if (oop)
		chain_make(&d, total, flat, seed + 5);

	if (!r->must_fail) {
		/* Encrypt: associated data || plaintext -> || ciphertext || tag. */
		xsg_copy_from_buf(&s.sg, 0, op->ad, op->alen);
		xsg_copy_from_buf(&s.sg, op->alen, r->pt, r->plen);
		memcpy(iv, op->iv, sizeof(iv));
		aead_request_init(req, tfm);
		aead_request_set_crypt(req, &s.sg, 0, oop ? &d.sg : &s.sg, 0, r->plen, iv);
		aead_request_set_ad(req, op->alen);
		assert_int_equal(crypto_aead_encrypt(req), 0);
		xsg_copy_to_buf(got, oop ? &d.sg : &s.sg, 0, total);
		if (memcmp(got, want, total))
			fail_msg("line %u: encryption differs (layout %d)", r->line, layout);
	}

	/* Decrypt the record's ciphertext || tag. */
	xsg_copy_from_buf(&s.sg, 0, want, total);
	if (oop)
		for (uint16_t i = 0; i < d.sg.nents; i++)
			memset(d.sg.ent[i].addr, GUARD, d.sg.ent[i].len);
	memcpy(iv, op->iv, sizeof(iv));
	aead_request_init(req, tfm);
	aead_request_set_crypt(req, &s.sg, 0, oop ? &d.sg : &s.sg, 0, textlen + TAG_LEN, iv);
	aead_request_set_ad(req, op->alen);
	rc = crypto_aead_decrypt(req);
	if (r->must_fail) {
		if (rc != -EBADMSG)
			fail_msg("line %u: failing record returned %d (layout %d)", r->line, rc, layout);
	} else {
		if (rc)
			fail_msg("line %u: decrypt returned %d (layout %d)", r->line, rc, layout);
		xsg_copy_to_buf(got, oop ? &d.sg : &s.sg, op->alen, textlen);
		if (memcmp(got, r->pt, textlen))
			fail_msg("line %u: decryption differs (layout %d)", r->line, layout);

		/* The same with one tag bit flipped: -EBADMSG, nothing written. */
		want[total - 1 - seed % TAG_LEN] ^= (uint8_t)(1u << (seed % 8));
		xsg_copy_from_buf(&s.sg, 0, want, total);
		if (oop)
			for (uint16_t i = 0; i < d.sg.nents; i++)
				memset(d.sg.ent[i].addr, GUARD, d.sg.ent[i].len);
		memcpy(iv, op->iv, sizeof(iv));
		rc = crypto_aead_decrypt(req);
		if (rc != -EBADMSG)
			fail_msg("line %u: corrupted tag returned %d (layout %d)", r->line, rc, layout);
		if (oop && verify_first) {
			/* No plaintext may reach dst (the associated data may). */
			xsg_copy_to_buf(got, &d.sg, op->alen, textlen);
			for (uint32_t k = 0; k < textlen; k++)
				if (got[k] != GUARD)
					fail_msg("line %u: plaintext released on a bad tag (layout %d)",
						 r->line, layout);
		}
	}
	if (oop)
		chain_free(&d);
	chain_free(&s);
	free(want);
	free(got);
}

static void run_record(const struct fixture *f, struct crypto_aead *tfm,
		       struct aead_request *req, const struct op *op, const struct record *r)
{
	assert_int_equal(crypto_aead_setkey(tfm, op->key, op->klen), 0);
	for (int layout = 0; layout < NLAYOUTS; layout++)
		run_layout(tfm, req, op, r, (enum layout)layout, r->line, f->impl->verify_first);
}

/* rfc7539: key 32, nonce 12 as the IV. */
static void rfc7539_record(struct fixture *f, const struct record *r)
{
	struct op op = { .key = r->key, .klen = (unsigned)r->klen, .ad = r->ad,
			 .alen = (uint32_t)r->alen };

	if (r->nlen != 12)
		return;
	assert_int_equal(r->klen, 32);
	assert_int_equal(r->plen, r->must_fail ? r->plen : r->clen);
	memcpy(op.iv, r->nonce, 12);
	run_record(f, f->aead, f->req, &op, r);
	f->records++;
	f->failing += r->must_fail;
}

/* rfc7539esp: key 32 || salt = nonce[0..3], IV = nonce[4..11] ending the AD. */
static void rfc7539esp_record(struct fixture *f, const struct record *r)
{
	uint8_t key[36], *ad = malloc(r->alen + 8);
	struct op op = { .key = key, .klen = 36, .ad = ad, .alen = (uint32_t)r->alen + 8 };

	assert_non_null(ad);
	if (r->nlen != 12) {
		free(ad);
		return;
	}
	memcpy(key, r->key, 32);
	memcpy(key + 32, r->nonce, 4);
	memcpy(op.iv, r->nonce + 4, 8);
	memcpy(ad, r->ad, r->alen);
	memcpy(ad + r->alen, r->nonce + 4, 8);
	run_record(f, f->esp, f->esp_req, &op, r);
	f->esp_records++;
	free(ad);
}

/* ---- tests ---- */

static void test_boringssl(void **state)
{
	struct fixture *f = *state;
	unsigned int seen;

	f->records = f->failing = 0;
	seen = for_each_record(f, "boringssl.txt", rfc7539_record);

	print_message("boringssl.txt: %u records, %u through rfc7539\n", seen, f->records);
	assert_true(seen >= 66);
	assert_true(f->records >= 66);
}

static void test_openssl(void **state)
{
	struct fixture *f = *state;
	unsigned int seen;

	f->records = f->failing = 0;
	seen = for_each_record(f, "openssl.txt", rfc7539_record);

	print_message("openssl.txt: %u records, %u through rfc7539, %u failing-tag\n", seen,
		      f->records, f->failing);
	assert_true(seen >= 5);
	assert_true(f->records >= 5);
	assert_true(f->failing >= 1);
}

static void test_esp_split_nonce(void **state)
{
	struct fixture *f = *state;

	for_each_record(f, "boringssl.txt", rfc7539esp_record);
	for_each_record(f, "openssl.txt", rfc7539esp_record);
	print_message("rfc7539esp: %u records\n", f->esp_records);
	assert_true(f->esp_records >= 71);
}

/* Bad parameters get errors, not crashes. */
static void test_bad_input(void **state)
{
	struct fixture *f = *state;
	uint8_t key[36] = { 0 }, buf[64] = { 0 }, iv[12] = { 0 };
	XSG_DECLARE(sg, 1);

	assert_int_equal(crypto_aead_setkey(f->aead, key, 31), -EINVAL);
	assert_int_equal(crypto_aead_setkey(f->aead, key, 36), -EINVAL);
	assert_int_equal(crypto_aead_setkey(f->esp, key, 32), -EINVAL);
	assert_int_equal(crypto_aead_setauthsize(f->aead, 8), -EINVAL);
	assert_int_equal(crypto_aead_setkey(f->aead, key, 32), 0);
	assert_int_equal(crypto_aead_setkey(f->esp, key, 36), 0);
	xsg_set_buf(&sg, buf, sizeof(buf));

	/* Ciphertext shorter than the tag. */
	aead_request_init(f->req, f->aead);
	aead_request_set_crypt(f->req, &sg, 0, &sg, 0, 15, iv);
	aead_request_set_ad(f->req, 0);
	assert_int_equal(crypto_aead_decrypt(f->req), -EINVAL);
	/* ESP associated data shorter than the explicit IV. */
	aead_request_init(f->esp_req, f->esp);
	aead_request_set_crypt(f->esp_req, &sg, 0, &sg, 0, 16, iv);
	aead_request_set_ad(f->esp_req, 4);
	assert_int_equal(crypto_aead_encrypt(f->esp_req), -EINVAL);
	/* Request beyond the buffer. */
	aead_request_set_crypt(f->req, &sg, 0, &sg, 0, 60, iv);
	assert_int_equal(crypto_aead_encrypt(f->req), -EINVAL);
}

/* state comes in as the struct impl to run and leaves as the fixture. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->impl = *state;
	*state = f;
	if (crypto_alloc_aead(&f->aead, f->impl->aead_name, 0, 0) ||
	    crypto_alloc_aead(&f->esp, f->impl->esp_name, 0, 0))
		return -1;
	print_message("%s: %s (%u MB/s measured at registration)\n", f->impl->aead_name,
		      crypto_tfm_alg_driver_name(&f->aead->base), f->aead->base.alg->cra_perf_mbps);
	f->req = aead_request_alloc(f->aead);
	f->esp_req = aead_request_alloc(f->esp);
	return f->req && f->esp_req ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	aead_request_free(f->req);
	aead_request_free(f->esp_req);
	crypto_free_aead(f->aead);
	crypto_free_aead(f->esp);
	free(f);
	return 0;
}

#define IMPL_TEST(fn, impl) \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, (void *)&(impl))

int main(void)
{
	const struct CMUnitTest tests[] = {
		IMPL_TEST(test_boringssl, best),
		IMPL_TEST(test_openssl, best),
		IMPL_TEST(test_esp_split_nonce, best),
		IMPL_TEST(test_bad_input, best),
		IMPL_TEST(test_boringssl, generic),
		IMPL_TEST(test_openssl, generic),
		IMPL_TEST(test_esp_split_nonce, generic),
		IMPL_TEST(test_bad_input, generic),
	};

	return cmocka_run_group_tests_name("cryptoapi_chachapoly", tests, crypto_test_setup,
					   crypto_test_teardown);
}
