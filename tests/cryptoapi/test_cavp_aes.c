/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NIST CAVP response files through the crypto API: AES-CBC (CBCGFSbox,
 * KeySbox, VarKey, VarTxt, MMT), AES-CTR (the RFC 3686 vectors shipped next
 * to them) and AES-GCM (gcmEncryptExtIV, gcmDecrypt; 96-bit IVs), each record
 * run flat in place and through scattered chains out of place. Minimum record
 * counts make sure a parse error cannot pass for success.
 *
 * Also prints (information only, no assertion) the throughput of the generic
 * gcm(aes) at 64 and 1420 bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cmocka.h>

#include "cryptoapi/algapi.h"
#include "cryptoapi/listing.h"
#include "cryptoapi/testmgr.h"
#include "tests/lib/crypto_fixture.h"

#define MAX_FIELD 1024		/* largest hex field, in bytes */
#define MAX_RUNS 24
#define RUN_GAP 8
#define GAP_BYTE 0x5a

/* ---- a small .rsp reader ---- */

struct field {
	uint8_t b[MAX_FIELD];
	int len;		/* -1: absent */
};

/* One record: the bracketed section parameters and the key = value lines. */
struct rsp_rec {
	bool decrypt_section;	/* [DECRYPT] in the CBC/CTR files */
	unsigned int ivlen_bits, taglen_bits;
	struct field key, iv, pt, ct, aad, tag;
	bool fail;		/* gcmDecrypt: the record must not verify */
	bool any;
};

struct rsp_file {
	FILE *f;
	struct rsp_rec rec;
	unsigned int line;
	const char *path;
};

static void rec_clear(struct rsp_rec *r)
{
	r->key.len = r->iv.len = r->pt.len = r->ct.len = r->aad.len = r->tag.len = -1;
	r->fail = false;
	r->any = false;
}

static int rsp_open(struct rsp_file *rf, const char *path)
{
	memset(rf, 0, sizeof(*rf));
	rf->f = fopen(path, "r");
	rf->path = path;
	rec_clear(&rf->rec);
	return rf->f ? 0 : -errno;
}

static void rsp_close(struct rsp_file *rf)
{
	if (rf->f)
		fclose(rf->f);
}

static struct field *rec_field(struct rsp_rec *r, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{ "KEY", offsetof(struct rsp_rec, key) },
		{ "IV", offsetof(struct rsp_rec, iv) },
		{ "PLAINTEXT", offsetof(struct rsp_rec, pt) },
		{ "PT", offsetof(struct rsp_rec, pt) },
		{ "CIPHERTEXT", offsetof(struct rsp_rec, ct) },
		{ "CT", offsetof(struct rsp_rec, ct) },
		{ "AAD", offsetof(struct rsp_rec, aad) },
		{ "TAG", offsetof(struct rsp_rec, tag) },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcasecmp(map[i].name, name) == 0)
			return (struct field *)(void *)((char *)r + map[i].off);
	return NULL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* "[Name = 96]" parameters and "[ENCRYPT]"/"[DECRYPT]" sections. */
static void rsp_bracket(struct rsp_rec *r, char *s)
{
	unsigned int v;

	if (strcmp(s, "[ENCRYPT]") == 0)
		r->decrypt_section = false;
	else if (strcmp(s, "[DECRYPT]") == 0)
		r->decrypt_section = true;
	else if (sscanf(s, "[IVlen = %u]", &v) == 1)
		r->ivlen_bits = v;
	else if (sscanf(s, "[Taglen = %u]", &v) == 1)
		r->taglen_bits = v;
}

/*
 * Next complete record (a blank line or EOF ends one). Returns 1 with a
 * record, 0 at the end, -EINVAL on a malformed line.
 */
static int rsp_next(struct rsp_file *rf)
{
	struct rsp_rec *r = &rf->rec;
	char line[4 * MAX_FIELD];

	rec_clear(r);
	while (fgets(line, sizeof(line), rf->f)) {
		char *s = trim(line), *eq;
		struct field *fd;

		rf->line++;
		if (*s == '#')
			continue;
		if (*s == '\0') {
			if (r->any)
				return 1;
			continue;
		}
		if (*s == '[') {
			rsp_bracket(r, s);
			continue;
		}
		if (strcmp(s, "FAIL") == 0) {
			r->fail = true;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq)
			return -EINVAL;
		*eq = '\0';
		s = trim(s);
		if (strcasecmp(s, "COUNT") == 0) {
			r->any = true;
			continue;
		}
		fd = rec_field(r, s);
		if (!fd)
			continue;
		fd->len = crypto_hex2bin(fd->b, sizeof(fd->b), trim(eq + 1));
		if (fd->len < 0)
			return -EINVAL;
	}
	return r->any ? 1 : 0;
}

/* ---- flat and scattered buffers ---- */

/* Runs of odd lengths with guard gaps between them. */
static const uint32_t run_pattern[] = { 1, 15, 3, 17, 7, 29, 2, 16, 5, 31, 11, 64 };

struct sbuf {
	uint8_t *mem;
	size_t memlen;
	struct xsg_ent ents[MAX_RUNS];
	struct xsg sg;
};

static void sbuf_make(struct sbuf *b, uint32_t cap, bool chained, int shift)
{
	uint32_t off = 0, pos = RUN_GAP;
	int i = 0;

	b->memlen = cap + RUN_GAP * (MAX_RUNS + 2);
	b->mem = malloc(b->memlen);
	assert_non_null(b->mem);
	memset(b->mem, GAP_BYTE, b->memlen);
	xsg_init(&b->sg, b->ents, MAX_RUNS);
	while (off < cap) {
		uint32_t run = cap - off;
		uint32_t want = run_pattern[(i + shift) % (sizeof(run_pattern) / sizeof(run_pattern[0]))];

		if (chained && i < MAX_RUNS - 1 && want < run)
			run = want;
		assert_int_equal(xsg_add(&b->sg, b->mem + pos, run), 0);
		pos += run + RUN_GAP;
		off += run;
		i++;
	}
}

static bool sbuf_gaps_ok(const struct sbuf *b)
{
	const uint8_t *p = b->mem;

	for (uint16_t i = 0; i < b->sg.nents; i++) {
		for (; p < b->sg.ent[i].addr; p++)
			if (*p != GAP_BYTE)
				return false;
		p = b->sg.ent[i].addr + b->sg.ent[i].len;
	}
	for (; p < b->mem + b->memlen; p++)
		if (*p != GAP_BYTE)
			return false;
	return true;
}

static void sbuf_free(struct sbuf *b)
{
	free(b->mem);
}

static const char *cavp_dir(void)
{
	const char *d = getenv("CAVP_DIR");

	return d ? d : "/usr/lib/python3/dist-packages/cryptography_vectors";
}

/* ---- skcipher records (CBC, CTR) ---- */

struct sk_counts {
	unsigned int records, ops;
};

/* One direction, one layout: chained layouts run out of place. */
static void sk_run(struct crypto_skcipher *tfm, struct skcipher_request *req,
		   const struct field *in, const struct field *want, const struct field *iv,
		   bool enc, bool chained, const uint8_t *iv_after, const char *where)
{
	uint32_t len = (uint32_t)in->len;
	struct sbuf s, d;
	uint8_t ivbuf[32], out[MAX_FIELD];
	int rc;

	sbuf_make(&s, len, chained, 0);
	if (chained)
		sbuf_make(&d, len, true, 5);
	xsg_copy_from_buf(&s.sg, 0, in->b, len);
	memcpy(ivbuf, iv->b, iv->len);
	skcipher_request_init(req, tfm);
	skcipher_request_set_crypt(req, &s.sg, 0, chained ? &d.sg : &s.sg, 0, len, ivbuf);
	rc = enc ? crypto_skcipher_encrypt(req) : crypto_skcipher_decrypt(req);
	if (rc)
		print_error("%s: %s returned %d\n", where, enc ? "encrypt" : "decrypt", rc);
	assert_int_equal(rc, 0);
	xsg_copy_to_buf(out, chained ? &d.sg : &s.sg, 0, len);
	if (memcmp(out, want->b, len))
		print_error("%s: %s mismatch (%s)\n", where, enc ? "encrypt" : "decrypt",
			    chained ? "chained" : "flat");
	assert_memory_equal(out, want->b, len);
	if (iv_after)
		assert_memory_equal(ivbuf, iv_after, iv->len);
	assert_true(sbuf_gaps_ok(&s));
	if (chained) {
		assert_true(sbuf_gaps_ok(&d));
		sbuf_free(&d);
	}
	sbuf_free(&s);
}

static void sk_file(const char *alg, const char *rel, bool cbc, struct sk_counts *cnt)
{
	char path[512], where[600];
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	struct rsp_file rf;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", cavp_dir(), rel);
	rc = rsp_open(&rf, path);
	if (rc)
		print_error("cannot open %s: %s\n", path, strerror(-rc));
	assert_int_equal(rc, 0);
	assert_int_equal(crypto_alloc_skcipher(&tfm, alg, 0, 0), 0);
	req = skcipher_request_alloc(tfm);
	assert_non_null(req);
	while ((rc = rsp_next(&rf)) == 1) {
		struct rsp_rec *r = &rf.rec;
		const uint8_t *iv_after;

		snprintf(where, sizeof(where), "%s line %u", path, rf.line);
		assert_true(r->key.len > 0 && r->iv.len == 16 && r->pt.len >= 0 &&
			    r->pt.len == r->ct.len);
		assert_int_equal(crypto_skcipher_setkey(tfm, r->key.b, r->key.len), 0);
		/* CBC leaves the last ciphertext block as the next IV. */
		iv_after = cbc && r->ct.len ? r->ct.b + r->ct.len - 16 : NULL;
		for (int chained = 0; chained < 2; chained++) {
			if (!r->decrypt_section)
				sk_run(tfm, req, &r->pt, &r->ct, &r->iv, true, chained, iv_after,
				       where);
			sk_run(tfm, req, &r->ct, &r->pt, &r->iv, false, chained, iv_after, where);
			cnt->ops += r->decrypt_section ? 1 : 2;
		}
		cnt->records++;
	}
	assert_int_equal(rc, 0);
	skcipher_request_free(req);
	crypto_free_skcipher(tfm);
	rsp_close(&rf);
}

/* The best driver for the name, then our generic template over aes-generic. */
static const char *const sk_names[2][2] = {
	{ "cbc(aes)", "ctr(aes)" },
	{ "cbc(aes-generic)", "ctr(aes-generic)" },
};

static void test_cbc_aes(void **state)
{
	static const char *const kinds[] = { "GFSbox", "KeySbox", "VarKey", "VarTxt", "MMT" };
	static const int bits[] = { 128, 192, 256 };
	struct sk_counts cnt = { 0 };
	char rel[128];

	(void)state;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (size_t b = 0; b < 3; b++) {
			snprintf(rel, sizeof(rel), "ciphers/AES/CBC/CBC%s%d.rsp", kinds[k], bits[b]);
			for (int i = 0; i < 2; i++)
				sk_file(sk_names[i][0], rel, true, &cnt);
		}
	}
	print_message("cbc(aes): %u CAVP records, %u operations\n", cnt.records, cnt.ops);
	/* 15 files with [ENCRYPT] and [DECRYPT] (2138 records), two drivers. */
	assert_true(cnt.records >= 2 * 2100);
}

/* The CTR directory holds RFC 3686 6's nine vectors with whole counter blocks. */
static void test_ctr_aes(void **state)
{
	static const char *const files[] = {
		"ciphers/AES/CTR/aes-128-ctr.txt",
		"ciphers/AES/CTR/aes-192-ctr.txt",
		"ciphers/AES/CTR/aes-256-ctr.txt",
	};
	struct sk_counts cnt = { 0 };

	(void)state;
	for (size_t i = 0; i < 3; i++)
		for (int k = 0; k < 2; k++)
			sk_file(sk_names[k][1], files[i], false, &cnt);
	print_message("ctr(aes): %u records, %u operations\n", cnt.records, cnt.ops);
	assert_int_equal(cnt.records, 2 * 9);
}

/* ---- GCM records ---- */

struct gcm_counts {
	unsigned int records, ops, fail_records, skipped_iv, skipped_tag;
};

static void gcm_run(struct crypto_aead *tfm, struct aead_request *req, const struct rsp_rec *r,
		    bool enc, bool chained, int expect, const char *where)
{
	uint32_t alen = r->aad.len, plen = r->pt.len < 0 ? 0 : r->pt.len;
	uint32_t tlen = r->tag.len, clen = r->ct.len;
	uint32_t inlen = enc ? plen : clen + tlen, outlen = enc ? clen + tlen : plen;
	uint32_t cap = alen + (inlen > outlen ? inlen : outlen);
	uint8_t iv[12], out[2 * MAX_FIELD + 16];
	struct sbuf s, d;
	int rc;

	sbuf_make(&s, cap, chained, 2);
	if (chained)
		sbuf_make(&d, cap, true, 7);
	xsg_copy_from_buf(&s.sg, 0, r->aad.b, alen);
	if (enc) {
		xsg_copy_from_buf(&s.sg, alen, r->pt.b, plen);
	} else {
		xsg_copy_from_buf(&s.sg, alen, r->ct.b, clen);
		xsg_copy_from_buf(&s.sg, alen + clen, r->tag.b, tlen);
	}
	memcpy(iv, r->iv.b, sizeof(iv));
	aead_request_init(req, tfm);
	aead_request_set_crypt(req, &s.sg, 0, chained ? &d.sg : &s.sg, 0, inlen, iv);
	aead_request_set_ad(req, alen);
	rc = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	if (rc != expect)
		print_error("%s: %s (%s) returned %d, expected %d\n", where,
			    enc ? "encrypt" : "decrypt", chained ? "chained" : "flat", rc, expect);
	assert_int_equal(rc, expect);
	if (!rc) {
		xsg_copy_to_buf(out, chained ? &d.sg : &s.sg, 0, alen + outlen);
		assert_memory_equal(out, r->aad.b, alen);
		if (enc) {
			assert_memory_equal(out + alen, r->ct.b, clen);
			assert_memory_equal(out + alen + clen, r->tag.b, tlen);
		} else {
			assert_memory_equal(out + alen, r->pt.b, plen);
		}
	}
	assert_true(sbuf_gaps_ok(&s));
	if (chained) {
		assert_true(sbuf_gaps_ok(&d));
		sbuf_free(&d);
	}
	sbuf_free(&s);
}

static void gcm_file(struct crypto_aead *tfm, struct aead_request *req, const char *rel,
		     bool decrypt_file, struct gcm_counts *cnt)
{
	char path[512], where[600];
	struct rsp_file rf;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", cavp_dir(), rel);
	rc = rsp_open(&rf, path);
	if (rc)
		print_error("cannot open %s: %s\n", path, strerror(-rc));
	assert_int_equal(rc, 0);
	while ((rc = rsp_next(&rf)) == 1) {
		struct rsp_rec *r = &rf.rec;

		if (r->ivlen_bits != 96) {
			cnt->skipped_iv++;
			continue;
		}
		snprintf(where, sizeof(where), "%s line %u", path, rf.line);
		assert_true(r->key.len > 0 && r->iv.len == 12 && r->aad.len >= 0 &&
			    r->ct.len >= 0 && r->tag.len * 8 == (int)r->taglen_bits);
		assert_true(r->fail || r->pt.len == r->ct.len);
		assert_int_equal(crypto_aead_setkey(tfm, r->key.b, r->key.len), 0);
		if (crypto_aead_setauthsize(tfm, r->tag.len)) {
			cnt->skipped_tag++;
			continue;
		}
		for (int chained = 0; chained < 2; chained++) {
			if (!decrypt_file) {
				gcm_run(tfm, req, r, true, chained, 0, where);
				cnt->ops++;
			}
			gcm_run(tfm, req, r, false, chained, r->fail ? -EBADMSG : 0, where);
			cnt->ops++;
		}
		cnt->records++;
		cnt->fail_records += r->fail;
	}
	assert_int_equal(rc, 0);
	rsp_close(&rf);
}

static void gcm_driver(const char *name, struct gcm_counts *cnt)
{
	static const int bits[] = { 128, 192, 256 };
	struct crypto_aead *tfm;
	struct aead_request *req;
	char rel[128];

	assert_int_equal(crypto_alloc_aead(&tfm, name, 0, 0), 0);
	req = aead_request_alloc(tfm);
	assert_non_null(req);
	print_message("%s: driver %s\n", name, crypto_tfm_alg_driver_name(&tfm->base));
	for (int dec = 0; dec < 2; dec++) {
		for (size_t b = 0; b < 3; b++) {
			snprintf(rel, sizeof(rel), "ciphers/AES/GCM/%s%d.rsp",
				 dec ? "gcmDecrypt" : "gcmEncryptExtIV", bits[b]);
			gcm_file(tfm, req, rel, dec, cnt);
		}
	}
	aead_request_free(req);
	crypto_free_aead(tfm);
}

static void test_gcm_aes(void **state)
{
	static const char *const names[] = { "gcm(aes)", "gcm(aes-generic)" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct gcm_counts cnt = { 0 };

		gcm_driver(names[i], &cnt);
		print_message("%s: %u records with 96-bit IVs (%u must fail), %u operations; "
			      "skipped: %u other IV lengths, %u unsupported tag lengths\n",
			      names[i], cnt.records, cnt.fail_records, cnt.ops, cnt.skipped_iv,
			      cnt.skipped_tag);
		/* 6 files x 2625 records with 96-bit IVs; gcmDecrypt has FAIL records. */
		assert_true(cnt.records >= 15000);
		assert_true(cnt.fail_records >= 1000);
		assert_int_equal(cnt.skipped_tag, 0);
	}
}

/*
 * Every mode instance the ESP paths use exists and passed its self-test: the
 * best one for each generic name, and the generic templates over aes-generic
 * by driver name (an accelerated driver would otherwise hide them).
 */
static void test_mode_instances(void **state)
{
	static const struct {
		const char *name;
		enum crypto_alg_type type;
	} names[] = {
		{ "cbc(aes)", CRYPTO_ALG_TYPE_SKCIPHER },
		{ "ctr(aes)", CRYPTO_ALG_TYPE_SKCIPHER },
		{ "rfc3686(ctr(aes))", CRYPTO_ALG_TYPE_SKCIPHER },
		{ "gcm(aes)", CRYPTO_ALG_TYPE_AEAD },
		{ "rfc4106(gcm(aes))", CRYPTO_ALG_TYPE_AEAD },
		{ "rfc4543(gcm(aes))", CRYPTO_ALG_TYPE_AEAD },
		{ "ghash-generic", CRYPTO_ALG_TYPE_SHASH },
		{ "cbc(aes-generic)", CRYPTO_ALG_TYPE_SKCIPHER },
		{ "ctr(aes-generic)", CRYPTO_ALG_TYPE_SKCIPHER },
		{ "rfc3686(ctr(aes-generic))", CRYPTO_ALG_TYPE_SKCIPHER },
		{ "gcm(aes-generic)", CRYPTO_ALG_TYPE_AEAD },
		{ "rfc4106(gcm(aes-generic))", CRYPTO_ALG_TYPE_AEAD },
		{ "rfc4543(gcm(aes-generic))", CRYPTO_ALG_TYPE_AEAD },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct crypto_alg *alg;
		int rc = crypto_alg_lookup(&alg, names[i].name, names[i].type, 0, 0);

		if (rc)
			print_error("%s: lookup returned %d\n", names[i].name, rc);
		assert_int_equal(rc, 0);
		assert_true(alg->cra_flags & CRYPTO_ALG_TESTED);
		print_message("%s -> %s (priority %d)\n", names[i].name, alg->cra_driver_name,
			      alg->cra_priority);
		crypto_alg_put(alg);
	}
}

/* Our templates over any child (e.g. rfc4106 over an accelerated gcm) pass too. */
static int check_instance(const struct crypto_alg *alg, void *arg)
{
	int *failed = arg;

	if (alg->cra_flags & CRYPTO_ALG_INSTANCE)
		*failed += crypto_test_alg_unpassed(alg);
	return 0;
}

static void test_instances_pass(void **state)
{
	int failed = 0;

	(void)state;
	crypto_alg_foreach(check_instance, &failed);
	assert_int_equal(failed, 0);
}

/* ---- edges the vector tables cannot express ---- */

static int sk_flat(struct crypto_skcipher *tfm, uint8_t *buf, uint32_t len, uint8_t *iv, bool enc)
{
	struct skcipher_request *req = skcipher_request_alloc(tfm);
	XSG_DECLARE(sg, 1);
	int rc;

	assert_non_null(req);
	xsg_set_buf(&sg, buf, len ? len : 1);
	skcipher_request_set_crypt(req, &sg, 0, &sg, 0, len, iv);
	rc = enc ? crypto_skcipher_encrypt(req) : crypto_skcipher_decrypt(req);
	skcipher_request_free(req);
	return rc;
}

/* SP 800-38A F.2.1 / F.5.1 split over two requests chain through req->iv. */
static void test_mode_chaining(void **state)
{
	static const char *const names[] = { "cbc(aes-generic)", "ctr(aes-generic)" };
	uint8_t key[16], p[64], whole[64], split[64], iv[16], iv0[16];

	(void)state;
	assert_int_equal(crypto_hex2bin(key, 16, "2b7e151628aed2a6abf7158809cf4f3c"), 16);
	assert_int_equal(crypto_hex2bin(p, 64,
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"), 64);
	for (int m = 0; m < 2; m++) {
		struct crypto_skcipher *tfm;

		assert_int_equal(crypto_alloc_skcipher(&tfm, names[m], 0, 0), 0);
		assert_int_equal(crypto_skcipher_setkey(tfm, key, 16), 0);
		assert_int_equal(crypto_hex2bin(iv0, 16, m ? "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
							   : "000102030405060708090a0b0c0d0e0f"), 16);
		memcpy(whole, p, 64);
		memcpy(iv, iv0, 16);
		assert_int_equal(sk_flat(tfm, whole, 64, iv, true), 0);
		memcpy(split, p, 64);
		memcpy(iv, iv0, 16);
		assert_int_equal(sk_flat(tfm, split, 16, iv, true), 0);
		assert_int_equal(sk_flat(tfm, split + 16, 48, iv, true), 0);
		assert_memory_equal(split, whole, 64);
		memcpy(iv, iv0, 16);
		assert_int_equal(sk_flat(tfm, split, 48, iv, false), 0);
		assert_int_equal(sk_flat(tfm, split + 48, 16, iv, false), 0);
		assert_memory_equal(split, p, 64);
		/* CBC takes whole blocks only; CTR any length. */
		assert_int_equal(sk_flat(tfm, split, 17, iv, true), m ? 0 : -EINVAL);
		assert_int_equal(sk_flat(tfm, split, 0, iv, true), 0);
		crypto_free_skcipher(tfm);
	}
}

/*
 * gcm: a forged tag releases no plaintext (out of place, the destination
 * keeps its old bytes); ESP forms refuse associated data that is not
 * SPI || [ESN high] || seq || IV.
 */
static void test_gcm_refusals(void **state)
{
	static const char *const esp[] = { "rfc4106(gcm(aes-generic))", "rfc4543(gcm(aes-generic))" };
	uint8_t key[20] = { 0 }, iv[12] = { 0 }, src[16 + 64 + 16], dst[sizeof(src)], keep[sizeof(src)];
	struct crypto_aead *tfm;
	struct aead_request *req;
	XSG_DECLARE(ssg, 1);
	XSG_DECLARE(dsg, 1);

	(void)state;
	memset(src, 0x11, sizeof(src));
	memset(dst, 0xee, sizeof(dst));
	memcpy(keep, dst, sizeof(dst));
	xsg_set_buf(&ssg, src, sizeof(src));
	xsg_set_buf(&dsg, dst, sizeof(dst));

	assert_int_equal(crypto_alloc_aead(&tfm, "gcm(aes-generic)", 0, 0), 0);
	assert_int_equal(crypto_aead_setkey(tfm, key, 16), 0);
	req = aead_request_alloc(tfm);
	assert_non_null(req);
	aead_request_set_crypt(req, &ssg, 0, &ssg, 0, 64, iv);
	aead_request_set_ad(req, 16);
	assert_int_equal(crypto_aead_encrypt(req), 0);
	src[16 + 64] ^= 0x01;
	aead_request_set_crypt(req, &ssg, 0, &dsg, 0, 64 + 16, iv);
	assert_int_equal(crypto_aead_decrypt(req), -EBADMSG);
	assert_memory_equal(dst + 16, keep + 16, 64);
	src[16 + 64] ^= 0x01;
	assert_int_equal(crypto_aead_decrypt(req), 0);
	aead_request_free(req);
	crypto_free_aead(tfm);

	for (int i = 0; i < 2; i++) {
		static const uint32_t bad_assoc[] = { 0, 8, 12, 15, 24 };

		assert_int_equal(crypto_alloc_aead(&tfm, esp[i], 0, 0), 0);
		assert_int_equal(crypto_aead_setkey(tfm, key, 20), 0);
		req = aead_request_alloc(tfm);
		assert_non_null(req);
		for (size_t k = 0; k < sizeof(bad_assoc) / sizeof(bad_assoc[0]); k++) {
			aead_request_set_crypt(req, &ssg, 0, &ssg, 0, 32, iv);
			aead_request_set_ad(req, bad_assoc[k]);
			assert_int_equal(crypto_aead_encrypt(req), -EINVAL);
			assert_int_equal(crypto_aead_decrypt(req), -EINVAL);
		}
		aead_request_free(req);
		crypto_free_aead(tfm);
	}
}

/* ---- information only: generic AES-128-GCM throughput ---- */

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* In-place encryption, 8 bytes of AAD (an ESP header), for about 0.3 s. */
static double gcm_mbps(struct crypto_aead *tfm, uint32_t len)
{
	static uint8_t buf[8 + 2048 + 16];
	struct aead_request *req = aead_request_alloc(tfm);
	uint8_t iv[12] = { 0 };
	unsigned long ops = 0;
	double t0, t;
	XSG_DECLARE(sg, 1);

	assert_non_null(req);
	xsg_set_buf(&sg, buf, 8 + len + 16);
	aead_request_set_crypt(req, &sg, 0, &sg, 0, len, iv);
	aead_request_set_ad(req, 8);
	t0 = now_sec();
	do {
		for (int i = 0; i < 256; i++)
			assert_int_equal(crypto_aead_encrypt(req), 0);
		ops += 256;
		t = now_sec() - t0;
	} while (t < 0.3);
	aead_request_free(req);
	return (double)ops * len / t / 1e6;
}

static void test_gcm_generic_throughput(void **state)
{
	static const uint8_t key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct crypto_aead *tfm;

	(void)state;
	assert_int_equal(crypto_alloc_aead(&tfm, "gcm(aes-generic)", 0, 0), 0);
	assert_int_equal(crypto_aead_setkey(tfm, key, sizeof(key)), 0);
	print_message("%s AES-128-GCM encrypt, in place, 8-byte AAD: 64 B: %.1f MB/s, "
		      "1420 B: %.1f MB/s (information only)\n",
		      crypto_tfm_alg_driver_name(&tfm->base), gcm_mbps(tfm, 64), gcm_mbps(tfm, 1420));
	crypto_free_aead(tfm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode_instances),
		cmocka_unit_test(test_instances_pass),
		cmocka_unit_test(test_cbc_aes),
		cmocka_unit_test(test_ctr_aes),
		cmocka_unit_test(test_gcm_aes),
		cmocka_unit_test(test_mode_chaining),
		cmocka_unit_test(test_gcm_refusals),
		cmocka_unit_test(test_gcm_generic_throughput),
	};

	return cmocka_run_group_tests_name("cryptoapi_cavp_aes", tests, crypto_test_setup,
					   crypto_test_teardown);
}
