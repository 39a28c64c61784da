/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Chained rte_mbuf requests give byte-for-byte the results of flat ones:
 * for every registered synchronous AEAD and skcipher driver, random keys,
 * IVs, associated data and texts are run flat and through mbuf chains of 1..8
 * segments split at odd boundaries, in place and out of place; the chained
 * ciphertext must decrypt back, and a flipped ICV bit must be refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <rte_eal.h>
#include <rte_mbuf.h>

#include "cryptoapi/algapi.h"
#include "cryptoapi/listing.h"

#define MAXLEN 2100
#define SEGROOM 2048

struct fixture {
	struct rte_mempool *pool;
	unsigned int seed;
};

static int setup(void **state)
{
	static struct fixture f = { .seed = 20261122 };
	char *argv[] = { "test_mbuf_chain", "--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
			 "--file-prefix", "test_mbuf_chain", "-l", "0", "--log-level", "lib.*:error" };

	if (rte_eal_init(sizeof(argv) / sizeof(argv[0]), argv) < 0)
		return -1;
	f.pool = rte_pktmbuf_pool_create("chain_pool", 512, 0, 0, SEGROOM + RTE_PKTMBUF_HEADROOM, 0);
	if (!f.pool || crypto_init())
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	crypto_exit();
	rte_mempool_free(f->pool);
	rte_eal_cleanup();
	return 0;
}

static void fill_random(struct fixture *f, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rand_r(&f->seed);
}

/* nseg segments with odd random lengths; the last absorbs the rest. */
static struct rte_mbuf *chain_from(struct fixture *f, const uint8_t *data, uint32_t len,
				   int nseg)
{
	struct rte_mbuf *head = NULL;
	uint32_t off = 0;

	for (int i = 0; i < nseg; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(f->pool);
		uint32_t seg = len - off;
		uint8_t *p;

		assert_non_null(m);
		if (i < nseg - 1 && seg > 1) {
			seg = 1 + (uint32_t)rand_r(&f->seed) % (seg < 300 ? seg : 300);
			seg |= 1;	/* odd boundaries */
			if (seg > len - off)
				seg = len - off;
		}
		assert_true(seg <= SEGROOM);
		p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)seg);
		assert_true(seg == 0 || p != NULL);
		if (seg)
			memcpy(p, data + off, seg);
		off += seg;
		if (!head)
			head = m;
		else
			assert_int_equal(rte_pktmbuf_chain(head, m), 0);
	}
	assert_int_equal(off, len);
	return head;
}

static void chain_read(struct rte_mbuf *m, uint8_t *out, uint32_t len)
{
	XSG_DECLARE(sg, XSG_MAX_ENTS);

	assert_int_equal(xsg_add_mbuf(&sg, m, 0, len), 0);
	xsg_copy_to_buf(out, &sg, 0, len);
}

/* ---- keys: find a length (or authenc blob) the driver accepts ---- */

static int try_keys_aead(struct fixture *f, struct crypto_aead *tfm)
{
	static const unsigned int plain[] = { 16, 32, 20, 36, 24, 28 };
	static const unsigned int alen[] = { 20, 32, 16, 48, 64 };
	static const unsigned int elen[] = { 16, 32, 20, 24, 36, 0 };
	uint8_t key[128], a[64], e[64];
	int n;

	fill_random(f, key, sizeof(key));
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (crypto_aead_setkey(tfm, key, plain[i]) == 0)
			return 0;
	fill_random(f, a, sizeof(a));
	fill_random(f, e, sizeof(e));
	for (size_t i = 0; i < sizeof(alen) / sizeof(alen[0]); i++)
		for (size_t j = 0; j < sizeof(elen) / sizeof(elen[0]); j++) {
			n = crypto_authenc_buildkey(key, sizeof(key), a, alen[i], e, elen[j]);
			if (n > 0 && crypto_aead_setkey(tfm, key, n) == 0)
				return 0;
		}
	return -1;
}

/* ---- aead ---- */

struct bufs {
	uint8_t in[MAXLEN], ref[MAXLEN], out[MAXLEN], iv[32], iv2[32];
};

static int aead_flat(struct crypto_aead *tfm, uint8_t *buf, uint32_t alen, uint32_t clen,
		     uint8_t *iv, bool enc)
{
	struct aead_request *req = aead_request_alloc(tfm);
	XSG_DECLARE(sg, 1);
	int rc;

	xsg_set_buf(&sg, buf, alen + clen + (enc ? crypto_aead_authsize(tfm) : 0));
	aead_request_set_crypt(req, &sg, 0, &sg, 0, clen, iv);
	aead_request_set_ad(req, alen);
	rc = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	aead_request_free(req);
	return rc;
}

static int check_aead(struct fixture *f, const struct crypto_alg *alg, struct bufs *b)
{
	static const uint32_t assoc_try[] = { 16, 20, 8, 0, 13, 24 };
	struct crypto_aead *tfm;
	uint32_t alen = 0, as;
	unsigned int ivs;
	int rc, cases = 0;

	rc = crypto_alloc_aead(&tfm, alg->cra_driver_name, 0, 0);
	assert_int_equal(rc, 0);
	if (try_keys_aead(f, tfm)) {
		print_error("%s: no key length accepted\n", alg->cra_driver_name);
		fail();
	}
	as = crypto_aead_authsize(tfm);
	ivs = crypto_aead_ivsize(tfm);

	/* The first associated-data length the algorithm accepts. */
	for (size_t i = 0; i < sizeof(assoc_try) / sizeof(assoc_try[0]); i++) {
		fill_random(f, b->ref, 64);
		fill_random(f, b->iv, ivs);
		if (aead_flat(tfm, b->ref, assoc_try[i], 32, b->iv, true) == 0) {
			alen = assoc_try[i];
			break;
		}
		if (i == sizeof(assoc_try) / sizeof(assoc_try[0]) - 1) {
			print_error("%s: no associated data length accepted\n", alg->cra_driver_name);
			fail();
		}
	}

	for (int iter = 0; iter < 24; iter++) {
		uint32_t bs = crypto_aead_blocksize(tfm);
		uint32_t plen = (uint32_t)rand_r(&f->seed) % 1500;
		int nseg = 1 + iter % 8;
		bool oop = iter & 1;
		struct rte_mbuf *src, *dst = NULL;
		struct aead_request *req;
		XSG_DECLARE(ssg, XSG_MAX_ENTS);
		XSG_DECLARE(dsg, XSG_MAX_ENTS);
		uint32_t total;

		if (bs > 1)
			plen -= plen % bs;
		total = alen + plen + as;
		fill_random(f, b->in, alen + plen);
		fill_random(f, b->iv, ivs);

		/* Flat reference. */
		memcpy(b->ref, b->in, alen + plen);
		memcpy(b->iv2, b->iv, ivs);
		rc = aead_flat(tfm, b->ref, alen, plen, b->iv2, true);
		if (rc) {
			print_error("%s: flat encrypt of %u bytes: %d\n", alg->cra_driver_name, plen, rc);
			fail();
		}

		/* The same through a chain: room for the ICV in the last segment. */
		memcpy(b->out, b->in, alen + plen);
		memset(b->out + alen + plen, 0, as);
		src = chain_from(f, b->out, total, nseg);
		assert_int_equal(xsg_add_mbuf(&ssg, src, 0, oop ? alen + plen : total), 0);
		if (oop) {
			memset(b->out, 0, total);
			dst = chain_from(f, b->out, total, 9 - nseg);
			assert_int_equal(xsg_add_mbuf(&dsg, dst, 0, total), 0);
		}
		req = aead_request_alloc(tfm);
		memcpy(b->iv2, b->iv, ivs);
		aead_request_set_crypt(req, &ssg, 0, oop ? &dsg : &ssg, 0, plen, b->iv2);
		aead_request_set_ad(req, alen);
		rc = crypto_aead_encrypt(req);
		if (rc) {
			print_error("%s: chained encrypt (%d segs, %s, assoc %u, len %u): %d\n",
				    alg->cra_driver_name, nseg, oop ? "oop" : "in place", alen, plen, rc);
			fail();
		}
		chain_read(oop ? dst : src, b->out, total);
		if (memcmp(b->out, b->ref, total)) {
			uint32_t d = 0;

			while (d < total && b->out[d] == b->ref[d])
				d++;
			print_error("%s: chained (%d segs, %s) differs from flat, assoc %u len %u "
				    "icv %u, first difference at byte %u\n", alg->cra_driver_name, nseg,
				    oop ? "oop" : "in place", alen, plen, as, d);
			fail();
		}

		/* Decrypt the chained ciphertext in place on the chain that holds it. */
		{
			struct rte_mbuf *c = oop ? dst : src;
			XSG_DECLARE(csg, XSG_MAX_ENTS);

			assert_int_equal(xsg_add_mbuf(&csg, c, 0, total), 0);
			memcpy(b->iv2, b->iv, ivs);
			aead_request_set_crypt(req, &csg, 0, &csg, 0, plen + as, b->iv2);
			rc = crypto_aead_decrypt(req);
			if (rc) {
				print_error("%s: decrypt of the chained ciphertext (%d segs, %s, "
					    "assoc %u, len %u): %d\n", alg->cra_driver_name, nseg,
					    oop ? "oop" : "in place", alen, plen, rc);
				fail();
			}
			chain_read(c, b->out, alen + plen);
			assert_memory_equal(b->out, b->in, alen + plen);

			/* Re-encrypt, flip one ICV bit: refused. */
			if (as) {
				memcpy(b->iv2, b->iv, ivs);
				aead_request_set_crypt(req, &csg, 0, &csg, 0, plen, b->iv2);
				assert_int_equal(crypto_aead_encrypt(req), 0);
				/* the last ICV byte (the chain may end in empty segments) */
				csg.ent[csg.nents - 1].addr[csg.ent[csg.nents - 1].len - 1] ^= 0x80;
				memcpy(b->iv2, b->iv, ivs);
				aead_request_set_crypt(req, &csg, 0, &csg, 0, plen + as, b->iv2);
				assert_int_equal(crypto_aead_decrypt(req), -EBADMSG);
			}
		}
		aead_request_free(req);
		rte_pktmbuf_free(src);
		rte_pktmbuf_free(dst);
		cases++;
	}
	crypto_free_aead(tfm);
	return cases;
}

/* ---- skcipher ---- */

static int check_skcipher(struct fixture *f, const struct crypto_alg *alg, struct bufs *b)
{
	static const unsigned int klen[] = { 16, 32, 20, 24, 36, 0 };
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	unsigned int ivs, bs;
	uint8_t key[64];
	int cases = 0;
	size_t k;

	assert_int_equal(crypto_alloc_skcipher(&tfm, alg->cra_driver_name, 0, 0), 0);
	fill_random(f, key, sizeof(key));
	for (k = 0; k < sizeof(klen) / sizeof(klen[0]); k++)
		if (crypto_skcipher_setkey(tfm, key, klen[k]) == 0)
			break;
	if (k == sizeof(klen) / sizeof(klen[0])) {
		print_error("%s: no key length accepted\n", alg->cra_driver_name);
		fail();
	}
	ivs = crypto_skcipher_ivsize(tfm);
	bs = crypto_skcipher_blocksize(tfm);
	req = skcipher_request_alloc(tfm);
	for (int iter = 0; iter < 24; iter++) {
		uint32_t len = (uint32_t)rand_r(&f->seed) % 1500;
		int nseg = 1 + iter % 8;
		bool oop = iter & 1;
		struct rte_mbuf *src, *dst = NULL;
		XSG_DECLARE(flat, 1);
		XSG_DECLARE(ssg, XSG_MAX_ENTS);
		XSG_DECLARE(dsg, XSG_MAX_ENTS);

		len -= len % bs;
		fill_random(f, b->in, len);
		fill_random(f, b->iv, ivs);
		memcpy(b->ref, b->in, len);
		memcpy(b->iv2, b->iv, ivs);
		xsg_set_buf(&flat, b->ref, len);
		skcipher_request_set_crypt(req, &flat, 0, &flat, 0, len, b->iv2);
		assert_int_equal(crypto_skcipher_encrypt(req), 0);

		src = chain_from(f, b->in, len, nseg);
		assert_int_equal(xsg_add_mbuf(&ssg, src, 0, len), 0);
		if (oop) {
			memset(b->out, 0, len);
			dst = chain_from(f, b->out, len, 9 - nseg);
			assert_int_equal(xsg_add_mbuf(&dsg, dst, 0, len), 0);
		}
		memcpy(b->iv2, b->iv, ivs);
		skcipher_request_set_crypt(req, &ssg, 0, oop ? &dsg : &ssg, 0, len, b->iv2);
		assert_int_equal(crypto_skcipher_encrypt(req), 0);
		chain_read(oop ? dst : src, b->out, len);
		if (memcmp(b->out, b->ref, len)) {
			print_error("%s: chained (%d segs) differs from flat, len %u\n",
				    alg->cra_driver_name, nseg, len);
			fail();
		}
		memcpy(b->iv2, b->iv, ivs);
		skcipher_request_set_crypt(req, oop ? &dsg : &ssg, 0, oop ? &dsg : &ssg, 0, len, b->iv2);
		assert_int_equal(crypto_skcipher_decrypt(req), 0);
		chain_read(oop ? dst : src, b->out, len);
		assert_memory_equal(b->out, b->in, len);
		rte_pktmbuf_free(src);
		rte_pktmbuf_free(dst);
		cases++;
	}
	skcipher_request_free(req);
	crypto_free_skcipher(tfm);
	return cases;
}

/* ---- every driver ---- */

struct collect {
	char names[256][CRYPTO_MAX_ALG_NAME];
	enum crypto_alg_type type[256];
	int n;
};

static int collect_one(const struct crypto_alg *alg, void *arg)
{
	struct collect *c = arg;

	if ((alg->cra_type != CRYPTO_ALG_TYPE_AEAD && alg->cra_type != CRYPTO_ALG_TYPE_SKCIPHER) ||
	    !(alg->cra_flags & CRYPTO_ALG_TESTED) ||
	    (alg->cra_flags & (CRYPTO_ALG_DEAD | CRYPTO_ALG_INTERNAL | CRYPTO_ALG_ASYNC)) ||
	    c->n == 256)
		return 0;
	snprintf(c->names[c->n], CRYPTO_MAX_ALG_NAME, "%s", alg->cra_driver_name);
	c->type[c->n++] = alg->cra_type;
	return 0;
}

/* Instantiate the compositions ESP uses so they are in the registry. */
static const char *const esp_names[] = {
	"rfc4106(gcm(aes))", "rfc4543(gcm(aes))", "rfc7539esp(chacha20,poly1305)",
	"authenc(hmac(sha1),cbc(aes))", "authenc(hmac(sha256),cbc(aes))",
	"authenc(hmac(sha512),cbc(aes))", "authencesn(hmac(sha256),cbc(aes))",
	"authenc(hmac(sha256),rfc3686(ctr(aes)))", "authenc(xcbc(aes),cbc(aes))",
	"authenc(hmac(sha256),ecb(cipher_null))",
};

static void test_every_driver(void **state)
{
	struct fixture *f = *state;
	struct collect *c = calloc(1, sizeof(*c));
	struct bufs *b = calloc(1, sizeof(*b));
	int cases = 0, algs = 0, missing = 0;

	for (size_t i = 0; i < sizeof(esp_names) / sizeof(esp_names[0]); i++) {
		if (!crypto_has_alg(esp_names[i], CRYPTO_ALG_TYPE_AEAD, 0)) {
			print_error("ESP composition %s is not available\n", esp_names[i]);
			missing++;
		}
	}
	crypto_alg_foreach(collect_one, c);
	for (int i = 0; i < c->n; i++) {
		struct crypto_alg *alg;

		/* Look up again: the foreach callback must not allocate. */
		if (crypto_alg_lookup(&alg, c->names[i], c->type[i], 0, 0))
			continue;
		cases += c->type[i] == CRYPTO_ALG_TYPE_AEAD ? check_aead(f, alg, b)
							     : check_skcipher(f, alg, b);
		algs++;
		crypto_alg_put(alg);
	}
	print_message("chained vs flat: %d drivers, %d cases\n", algs, cases);
	free(c);
	free(b);
	assert_int_equal(missing, 0);
	assert_true(algs > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_driver),
	};

	return cmocka_run_group_tests_name("cryptoapi_mbuf_chain", tests, setup, teardown);
}
