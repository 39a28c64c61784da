/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every record of the NIST CAVP SHA files (SHA1/SHA2 Short and Long Msg),
 * the RFC 2202/4231 HMAC files and the SP 800-38B CMAC files under
 * $CAVP_DIR, run through the crypto API: as one flat digest, and fed
 * through a chained scatterlist cut at odd boundaries. A missing file
 * fails, and so does a file with fewer records than it is known to hold,
 * so a parser fault cannot pass silently.
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
#include "cryptoapi/testmgr.h"
#include "tests/lib/crypto_fixture.h"

#define DEFAULT_CAVP_DIR "/usr/lib/python3/dist-packages/cryptography_vectors"

/* Which fields of a record hold what, per file family. */
struct rec_format {
	const char *first;	/* field that starts a record */
	const char *key;	/* NULL: unkeyed */
	const char *msg;
	const char *digest;
	const char *len;	/* message length in bits, NULL: from msg */
};

static const struct rec_format fmt_sha = { "Len", NULL, "Msg", "MD", "Len" };
static const struct rec_format fmt_hmac = { "Len", "Key", "Msg", "MD", NULL };
static const struct rec_format fmt_cmac = { "COUNT", "KEY", "MESSAGE", "OUTPUT", NULL };

struct cavp_file {
	const char *path;	/* under CAVP_DIR */
	const char *alg;	/* the best implementation */
	const char *generic;	/* our generic code, by driver name */
	const struct rec_format *fmt;
	unsigned int min_records;
};

static const struct cavp_file files[] = {
	{ "hashes/SHA1/SHA1ShortMsg.rsp", "sha1", "sha1-generic", &fmt_sha, 65 },
	{ "hashes/SHA1/SHA1LongMsg.rsp", "sha1", "sha1-generic", &fmt_sha, 64 },
	{ "hashes/SHA2/SHA224ShortMsg.rsp", "sha224", "sha224-generic", &fmt_sha, 65 },
	{ "hashes/SHA2/SHA224LongMsg.rsp", "sha224", "sha224-generic", &fmt_sha, 64 },
	{ "hashes/SHA2/SHA256ShortMsg.rsp", "sha256", "sha256-generic", &fmt_sha, 65 },
	{ "hashes/SHA2/SHA256LongMsg.rsp", "sha256", "sha256-generic", &fmt_sha, 64 },
	{ "hashes/SHA2/SHA384ShortMsg.rsp", "sha384", "sha384-generic", &fmt_sha, 129 },
	{ "hashes/SHA2/SHA384LongMsg.rsp", "sha384", "sha384-generic", &fmt_sha, 128 },
	{ "hashes/SHA2/SHA512ShortMsg.rsp", "sha512", "sha512-generic", &fmt_sha, 129 },
	{ "hashes/SHA2/SHA512LongMsg.rsp", "sha512", "sha512-generic", &fmt_sha, 128 },
	{ "HMAC/rfc-2202-sha1.txt", "hmac(sha1)", "hmac(sha1-generic)", &fmt_hmac, 7 },
	{ "HMAC/rfc-4231-sha224.txt", "hmac(sha224)", "hmac(sha224-generic)", &fmt_hmac, 6 },
	{ "HMAC/rfc-4231-sha256.txt", "hmac(sha256)", "hmac(sha256-generic)", &fmt_hmac, 6 },
	{ "HMAC/rfc-4231-sha384.txt", "hmac(sha384)", "hmac(sha384-generic)", &fmt_hmac, 6 },
	{ "HMAC/rfc-4231-sha512.txt", "hmac(sha512)", "hmac(sha512-generic)", &fmt_hmac, 6 },
	{ "CMAC/nist-800-38b-aes128.txt", "cmac(aes)", "cmac(aes-generic)", &fmt_cmac, 4 },
	{ "CMAC/nist-800-38b-aes192.txt", "cmac(aes)", "cmac(aes-generic)", &fmt_cmac, 4 },
	{ "CMAC/nist-800-38b-aes256.txt", "cmac(aes)", "cmac(aes-generic)", &fmt_cmac, 4 },
};

/* One record's fields as hex strings (owned by the record). */
struct record {
	char *key, *msg, *digest;
	long bits;	/* -1 when the format has no length field */
	unsigned int line;
};

static void record_clear(struct record *r)
{
	free(r->key);
	free(r->msg);
	free(r->digest);
	memset(r, 0, sizeof(*r));
	r->bits = -1;
}

/* Binary of a hex field; *len gets its length. Fails the test on bad hex. */
static uint8_t *unhex(const char *hex, size_t *len)
{
	size_t cap = hex ? strlen(hex) / 2 + 1 : 1;
	uint8_t *buf = malloc(cap);
	int n;

	assert_non_null(buf);
	n = crypto_hex2bin(buf, cap, hex ? hex : "");
	assert_true(n >= 0);
	*len = (size_t)n;
	return buf;
}

/*
 * Feed msg through an xsg whose runs have odd lengths and sit apart in
 * memory (never block aligned), then the tail as one run.
 */
static void digest_chained(struct crypto_shash *tfm, const uint8_t *msg, size_t len,
			   uint8_t *out)
{
	static const uint32_t cuts[] = { 1, 63, 7, 65, 2, 129, 13, 31, 3, 64, 17 };
	struct xsg_ent ents[XSG_MAX_ENTS];
	uint8_t *mem = malloc(len + XSG_MAX_ENTS * 8 + 1);
	struct xsg sg;
	size_t off = 0, pos = 0;

	assert_non_null(mem);
	xsg_init(&sg, ents, XSG_MAX_ENTS);
	for (unsigned int i = 0; off < len; i++) {
		size_t run = len - off;

		if (sg.nents < XSG_MAX_ENTS - 1 && cuts[i % 11] < run)
			run = cuts[i % 11];
		memcpy(mem + pos, msg + off, run);
		assert_int_equal(xsg_add(&sg, mem + pos, (uint32_t)run), 0);
		off += run;
		pos += run + 5;	/* a gap between runs */
	}
	{
		SHASH_DESC_ON_STACK(desc, tfm);

		assert_int_equal(crypto_shash_init(desc), 0);
		assert_int_equal(crypto_shash_update_sg(desc, &sg, 0, (uint32_t)len), 0);
		assert_int_equal(crypto_shash_final(desc, out), 0);
		shash_desc_zero(desc);
	}
	free(mem);
}

static void run_record(struct crypto_shash *tfm, const struct cavp_file *f,
		       const struct record *r)
{
	size_t klen, mlen, dlen;
	uint8_t *key = unhex(r->key, &klen), *msg = unhex(r->msg, &mlen);
	uint8_t *want = unhex(r->digest, &dlen);
	uint8_t flat[64], chained[64];

	/* SHA files write the empty message as "00" with Len = 0. */
	if (r->bits >= 0) {
		assert_true(r->bits % 8 == 0 && (size_t)r->bits / 8 <= mlen);
		mlen = (size_t)r->bits / 8;
	}
	assert_true(dlen > 0 && dlen <= crypto_shash_digestsize(tfm));
	if (f->fmt->key)
		assert_int_equal(crypto_shash_setkey(tfm, key, (unsigned int)klen), 0);
	{
		SHASH_DESC_ON_STACK(desc, tfm);

		assert_int_equal(crypto_shash_digest(desc, msg, mlen, flat), 0);
		shash_desc_zero(desc);
	}
	digest_chained(tfm, msg, mlen, chained);
	if (memcmp(flat, want, dlen) || memcmp(chained, want, dlen))
		fail_msg("%s line %u (%s): %s digest mismatch", f->path, r->line,
			 crypto_tfm_alg_driver_name(&tfm->base),
			 memcmp(flat, want, dlen) ? "flat" : "chained");
	free(key);
	free(msg);
	free(want);
}

/* "Name = value" -> name and value (value may be empty); false otherwise. */
static bool split_line(char *line, char **name, char **value)
{
	char *eq = strstr(line, " =");
	char *end;

	if (!eq || line[0] == '#' || line[0] == '[')
		return false;
	*eq = '\0';
	*name = line;
	*value = eq + 2;
	while (**value == ' ')
		(*value)++;
	end = *value + strlen(*value);
	while (end > *value && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		*--end = '\0';
	return true;
}

static const char *cavp_dir(void)
{
	const char *dir = getenv("CAVP_DIR");

	return dir && dir[0] ? dir : DEFAULT_CAVP_DIR;
}

/* Run one file through the named algorithm; returns the records checked. */
static unsigned int run_file(const struct cavp_file *f, const char *alg, char *drv, size_t drvlen)
{
	const struct rec_format *fmt = f->fmt;
	struct crypto_shash *tfm;
	struct record r = { .bits = -1 };
	unsigned int count = 0, lineno = 0;
	char path[512], *line = NULL, *name, *value;
	size_t cap = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", cavp_dir(), f->path);
	fp = fopen(path, "r");
	if (!fp)
		fail_msg("%s: cannot open (install python3-cryptography-vectors)", path);
	if (crypto_alloc_shash(&tfm, alg, 0, 0) != 0)
		fail_msg("%s: cannot allocate %s", f->path, alg);
	snprintf(drv, drvlen, "%s", crypto_tfm_alg_driver_name(&tfm->base));
	while (getline(&line, &cap, fp) >= 0) {
		lineno++;
		if (!split_line(line, &name, &value))
			continue;
		if (strcmp(name, fmt->first) == 0) {
			if (r.digest) {
				run_record(tfm, f, &r);
				count++;
			}
			record_clear(&r);
			r.line = lineno;
		}
		if (fmt->len && strcmp(name, fmt->len) == 0)
			r.bits = strtol(value, NULL, 10);
		else if (fmt->key && strcmp(name, fmt->key) == 0)
			r.key = strdup(value);
		else if (strcmp(name, fmt->msg) == 0)
			r.msg = strdup(value);
		else if (strcmp(name, fmt->digest) == 0)
			r.digest = strdup(value);
	}
	if (r.digest) {
		run_record(tfm, f, &r);
		count++;
	}
	record_clear(&r);
	free(line);
	fclose(fp);
	crypto_free_shash(tfm);
	return count;
}

static void test_cavp_files(void **state)
{
	unsigned int total = 0, want = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *names[] = { files[i].alg, files[i].generic };

		for (size_t k = 0; k < 2; k++) {
			char drv[CRYPTO_MAX_ALG_NAME];
			unsigned int n = run_file(&files[i], names[k], drv, sizeof(drv));

			print_message("%-30s %-22s %4u records\n", files[i].path, drv, n);
			if (n < files[i].min_records)
				fail_msg("%s: %u records, expected at least %u", files[i].path,
					 n, files[i].min_records);
			total += n;
			want += files[i].min_records;
		}
	}
	print_message("%u records in all\n", total);
	assert_true(total >= want && want >= 2 * 940);
}

/* The keyed digests and NULL algorithms this work adds are selectable. */
static void test_mac_algs_tested(void **state)
{
	static const struct {
		const char *name;
		enum crypto_alg_type type;
	} names[] = {
		{ "hmac(sha1)", CRYPTO_ALG_TYPE_SHASH }, { "hmac(sha224)", CRYPTO_ALG_TYPE_SHASH },
		{ "hmac(sha256)", CRYPTO_ALG_TYPE_SHASH }, { "hmac(sha384)", CRYPTO_ALG_TYPE_SHASH },
		{ "hmac(sha512)", CRYPTO_ALG_TYPE_SHASH }, { "xcbc(aes)", CRYPTO_ALG_TYPE_SHASH },
		{ "cmac(aes)", CRYPTO_ALG_TYPE_SHASH }, { "digest_null", CRYPTO_ALG_TYPE_SHASH },
		{ "cipher_null", CRYPTO_ALG_TYPE_CIPHER },
		{ "ecb(cipher_null)", CRYPTO_ALG_TYPE_SKCIPHER },
		/* our templates over the generic children, whatever else is faster */
		{ "hmac(sha1-generic)", CRYPTO_ALG_TYPE_SHASH },
		{ "hmac(sha512-generic)", CRYPTO_ALG_TYPE_SHASH },
		{ "xcbc(aes-generic)", CRYPTO_ALG_TYPE_SHASH },
		{ "cmac(aes-generic)", CRYPTO_ALG_TYPE_SHASH },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct crypto_alg *alg;
		int rc = crypto_alg_lookup(&alg, names[i].name, names[i].type, 0, 0);

		if (rc)
			fail_msg("%s: lookup returned %d", names[i].name, rc);
		assert_true(alg->cra_flags & CRYPTO_ALG_TESTED);
		assert_int_equal(alg->cra_selftest, 0);
		crypto_alg_put(alg);
	}
}

/*
 * hmac(H) is named after its child and inherits its priority; the generic
 * name selects the best of it and any accelerated hmac.
 */
static void test_hmac_instance_naming(void **state)
{
	struct crypto_shash *tfm, *child, *best;

	(void)state;
	assert_int_equal(crypto_alloc_shash(&tfm, "hmac(sha256-generic)", 0, 0), 0);
	assert_int_equal(crypto_alloc_shash(&child, "sha256-generic", 0, 0), 0);
	assert_int_equal(crypto_alloc_shash(&best, "hmac(sha256)", 0, 0), 0);
	assert_string_equal(crypto_tfm_alg_name(&tfm->base), "hmac(sha256)");
	assert_string_equal(crypto_tfm_alg_driver_name(&tfm->base), "hmac(sha256-generic)");
	assert_int_equal(tfm->base.alg->cra_priority, child->base.alg->cra_priority);
	assert_true(tfm->base.alg->cra_spawns[0] == child->base.alg);
	assert_true(best->base.alg->cra_priority >= tfm->base.alg->cra_priority);
	assert_int_equal(crypto_shash_digestsize(tfm), 32);
	assert_int_equal(crypto_shash_blocksize(tfm), 64);
	crypto_free_shash(best);
	crypto_free_shash(child);
	crypto_free_shash(tfm);
}

/* Keyed digests refuse to run before a key is set, and bad keys clearly. */
static void test_keys(void **state)
{
	static const uint8_t k32[32], k17[17];
	struct crypto_shash *tfm;
	uint8_t out[64];

	(void)state;
	assert_int_equal(crypto_alloc_shash(&tfm, "hmac(sha1-generic)", 0, 0), 0);
	{
		SHASH_DESC_ON_STACK(desc, tfm);

		assert_int_equal(crypto_shash_digest(desc, k32, 4, out), -ENOKEY);
		assert_int_equal(crypto_shash_setkey(tfm, k32, 0), 0);	/* RFC 2104 allows it */
		assert_int_equal(crypto_shash_digest(desc, k32, 4, out), 0);
		shash_desc_zero(desc);
	}
	crypto_free_shash(tfm);

	assert_int_equal(crypto_alloc_shash(&tfm, "xcbc(aes-generic)", 0, 0), 0);
	assert_int_equal(crypto_shash_setkey(tfm, k32, 32), -EINVAL);
	assert_int_equal(crypto_shash_setkey(tfm, k32, 16), 0);
	crypto_free_shash(tfm);

	assert_int_equal(crypto_alloc_shash(&tfm, "cmac(aes-generic)", 0, 0), 0);
	assert_int_equal(crypto_shash_setkey(tfm, k17, 17), -EINVAL);
	assert_int_equal(crypto_shash_setkey(tfm, k32, 24), 0);
	crypto_free_shash(tfm);

	/* Children that cannot be wrapped are refused, not crashed on. */
	assert_int_not_equal(crypto_alloc_shash(&tfm, "hmac(digest_null)", 0, 0), 0);
	assert_int_not_equal(crypto_alloc_shash(&tfm, "hmac(hmac(sha1))", 0, 0), 0);
	assert_int_not_equal(crypto_alloc_shash(&tfm, "cmac(cipher_null)", 0, 0), 0);
	assert_int_not_equal(crypto_alloc_shash(&tfm, "xcbc(sha256)", 0, 0), 0);
	assert_int_not_equal(crypto_alloc_shash(&tfm, "hmac(sha256,sha1)", 0, 0), 0);
}

/* Byte-at-a-time updates equal one update (the MACs' last-block buffering). */
static void test_incremental(void **state)
{
	static const char *const names[] = {
		"hmac(sha384)", "xcbc(aes)", "cmac(aes)",
		"hmac(sha384-generic)", "xcbc(aes-generic)", "cmac(aes-generic)",
	};
	uint8_t key[16], msg[100], one[64], inc[64];

	(void)state;
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7);
	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		struct crypto_shash *tfm;

		assert_int_equal(crypto_alloc_shash(&tfm, names[n], 0, 0), 0);
		assert_int_equal(crypto_shash_setkey(tfm, key, sizeof(key)), 0);
		for (size_t len = 0; len <= sizeof(msg); len += 16 + len % 3) {
			SHASH_DESC_ON_STACK(desc, tfm);

			assert_int_equal(crypto_shash_digest(desc, msg, len, one), 0);
			assert_int_equal(crypto_shash_init(desc), 0);
			for (size_t k = 0; k < len; k++)
				assert_int_equal(crypto_shash_update(desc, msg + k, 1), 0);
			assert_int_equal(crypto_shash_update(desc, msg, 0), 0);
			assert_int_equal(crypto_shash_final(desc, inc), 0);
			assert_memory_equal(one, inc, crypto_shash_digestsize(tfm));
			shash_desc_zero(desc);
		}
		crypto_free_shash(tfm);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac_algs_tested),
		cmocka_unit_test(test_hmac_instance_naming),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_cavp_files),
	};

	return cmocka_run_group_tests_name("cryptoapi_cavp_hash", tests, crypto_test_setup,
					   crypto_test_teardown);
}
