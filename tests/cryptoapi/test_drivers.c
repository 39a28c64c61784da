/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Accelerated drivers against the generic implementations, and driver
 * selection.
 *
 * Differential: every algorithm name with more than one tested driver; each
 * non-generic driver (allocated by its exact driver name) against the generic
 * one on random keys, IVs, associated data and texts of 0..9000 bytes, laid
 * out flat, as scatterlists of 1..8 runs split at odd places, and as real
 * rte_mbuf chains; in place and out of place; encrypt and decrypt; a corrupted
 * ICV or ciphertext must give -EBADMSG.
 *
 * Selection: priority, exact names, CRYPTO_SELECT_FASTEST, hardware-only
 * requests, dead drivers, a driver that fails its self-test, and
 * XFRMGW_CRYPTO_DISABLE (checked in a child process, since crypto_init runs
 * once per process).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_eal.h>
#include <rte_mbuf.h>

#include "cryptoapi/algapi.h"
#include "cryptoapi/internal.h"
#include "cryptoapi/listing.h"

#define MAXTEXT 9000
#define MAXBUF (MAXTEXT + 256)
#define MAXDRV 96

const char *ipsecmb_arch(void);

/* Lengths every AEAD and skcipher is tried on, then a few random ones. */
static const uint32_t lengths[] = { 0, 1, 15, 16, 17, 63, 64, 1420, 1500, 4096, 9000 };
#define NRANDOM_LEN 3

struct fixture {
	uint64_t rng;
	struct rte_mempool *pool;
	/* a: input, b/c: buffers under test, ref: reference output, out: read back */
	uint8_t a[MAXBUF], b[MAXBUF], c[MAXBUF], ref[MAXBUF], out[MAXBUF];
};

/* ---- deterministic pseudo-random bytes (xorshift64*), seed printed ---- */

static uint64_t rnd(struct fixture *f)
{
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd_below(struct fixture *f, uint32_t n)
{
	return n ? (uint32_t)(rnd(f) % n) : 0;
}

static void fill(struct fixture *f, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd(f);
}

/* ---- layouts ---- */

enum layout { L_FLAT, L_SPLIT, L_MBUF, NLAYOUTS };
static const char *const layout_name[] = { "flat", "split", "mbuf" };

struct holder {
	struct xsg_ent ents[XSG_MAX_ENTS];
	struct xsg sg;
	struct rte_mbuf *m;
	uint8_t *flat;	/* where the bytes are when not in an mbuf */
	uint32_t len;
};

/* Describe len bytes (copied from data) in the given layout. */
static void holder_make(struct fixture *f, struct holder *h, enum layout l, uint8_t *flat,
			const uint8_t *data, uint32_t len)
{
	xsg_init(&h->sg, h->ents, XSG_MAX_ENTS);
	h->m = NULL;
	h->flat = flat;
	h->len = len;
	if (flat != data)
		memcpy(flat, data, len);
	if (l == L_FLAT || len == 0) {
		xsg_add(&h->sg, flat, len);
		return;
	}
	if (l == L_SPLIT) {
		uint32_t nseg = 1 + rnd_below(f, 8), off = 0;

		for (uint32_t i = 0; i + 1 < nseg && off < len; i++) {
			uint32_t run = (1 + rnd_below(f, len - off < 40 ? len - off : 40)) | 1;

			if (run > len - off)
				run = len - off;
			assert_int_equal(xsg_add(&h->sg, flat + off, run), 0);
			off += run;
		}
		if (off < len)
			assert_int_equal(xsg_add(&h->sg, flat + off, len - off), 0);
		return;
	}
	/* rte_mbuf chain: 1..8 segments (more when one would overflow) */
	{
		uint32_t nseg = 1 + rnd_below(f, 8), off = 0, room = 2000;

		if ((len + room - 1) / room > nseg)
			nseg = (len + room - 1) / room;
		for (uint32_t i = 0; i < nseg; i++) {
			struct rte_mbuf *s = rte_pktmbuf_alloc(f->pool);
			uint32_t left = len - off, segs_left = nseg - i, n;
			uint8_t *p;

			assert_non_null(s);
			n = segs_left == 1 ? left : (left / segs_left) + rnd_below(f, 7);
			if (n > left)
				n = left;
			if (n > room)
				n = room;
			p = (uint8_t *)rte_pktmbuf_append(s, (uint16_t)n);
			assert_true(n == 0 || p);
			memcpy(p, data + off, n);
			off += n;
			if (!h->m)
				h->m = s;
			else
				assert_int_equal(rte_pktmbuf_chain(h->m, s), 0);
		}
		assert_int_equal(off, len);
		assert_int_equal(xsg_add_mbuf(&h->sg, h->m, 0, len), 0);
	}
}

/* Bytes back into a flat buffer, and release. */
static void holder_read(struct holder *h, uint8_t *out)
{
	xsg_copy_to_buf(out, &h->sg, 0, h->len);
}

static void holder_free(struct holder *h)
{
	rte_pktmbuf_free(h->m);
	h->m = NULL;
}

/* ---- reference names: the same construction over generic leaves ---- */

/* "authenc(hmac(sha1),cbc(aes))" -> "authenc(hmac(sha1-generic),cbc(aes-generic))" */
static void generic_name(const char *name, char *out, size_t outlen)
{
	size_t o = 0;

	for (const char *p = name; *p && o + 10 < outlen;) {
		size_t n = strcspn(p, "(),");

		memcpy(out + o, p, n);
		o += n;
		p += n;
		if (n && *p != '(') {
			memcpy(out + o, "-generic", 8);
			o += 8;
		}
		if (*p)
			out[o++] = *p++;
	}
	out[o] = '\0';
}

static bool is_accel(const struct crypto_alg *a)
{
	return strcmp(a->cra_module, "ipsecmb") == 0 || strcmp(a->cra_module, "openssl") == 0;
}

/*
 * A comparison proves something only when two implementations take part: the
 * accelerated driver under test and a generic one, not the same algorithm
 * found twice. Otherwise it fails, naming the algorithm.
 */
static void assert_two_impls(const char *name, const struct crypto_tfm *acc,
			     const struct crypto_tfm *ref)
{
	if (acc->alg != ref->alg && is_accel(acc->alg) && !is_accel(ref->alg))
		return;
	print_error("%s: %s compared with %s: %s\n", name, crypto_tfm_alg_driver_name(acc),
		    crypto_tfm_alg_driver_name(ref),
		    acc->alg == ref->alg ? "fewer than two implementations took part"
					 : "the reference is not the generic implementation");
	fail();
}

/* ---- collecting the drivers to compare ---- */

struct drv {
	char name[CRYPTO_MAX_ALG_NAME];
	char driver[CRYPTO_MAX_ALG_NAME];
	enum crypto_alg_type type;
};

struct drv_list {
	struct drv d[MAXDRV];
	int n;
};

static int collect(const struct crypto_alg *a, void *arg)
{
	struct drv_list *l = arg;

	if (!is_accel(a) || !(a->cra_flags & CRYPTO_ALG_TESTED) || (a->cra_flags & CRYPTO_ALG_DEAD))
		return 0;
	if (l->n == MAXDRV)
		return 0;
	snprintf(l->d[l->n].name, sizeof(l->d[0].name), "%s", a->cra_name);
	snprintf(l->d[l->n].driver, sizeof(l->d[0].driver), "%s", a->cra_driver_name);
	l->d[l->n].type = a->cra_type;
	l->n++;
	return 0;
}

/* ---- keys ---- */

static bool is_authenc(const char *name)
{
	return strncmp(name, "authenc", 7) == 0;
}

static bool is_esp(const char *name)
{
	return strncmp(name, "rfc4106", 7) == 0 || strncmp(name, "rfc4543", 7) == 0 ||
	       strncmp(name, "rfc7539esp", 10) == 0;
}

/* A random key that both transforms accept: its length, or -1. */
static int aead_keys(struct fixture *f, const char *name, struct crypto_aead *x,
		     struct crypto_aead *y)
{
	static const unsigned int plain[] = { 16, 24, 32, 20, 28, 36 };
	static const unsigned int alen[] = { 20, 32, 48, 64, 13, 100 };
	uint8_t key[256], a[128], e[32];
	unsigned int start = rnd_below(f, 6);

	fill(f, key, sizeof(key));
	fill(f, a, sizeof(a));
	fill(f, e, sizeof(e));
	for (unsigned int k = 0; k < 6; k++) {
		unsigned int i = (start + k) % 6;
		int n = (int)plain[i];

		if (is_authenc(name)) {
			static const unsigned int elen[] = { 16, 24, 32 };

			n = crypto_authenc_buildkey(key, sizeof(key), a, alen[i], e,
						    elen[rnd_below(f, 3)]);
			if (n < 0)
				continue;
		}
		if (crypto_aead_setkey(x, key, n) == 0) {
			assert_int_equal(crypto_aead_setkey(y, key, n), 0);
			return n;
		}
	}
	return -1;
}

/* ---- AEAD ---- */

struct aead_pair {
	const char *name;
	struct crypto_aead *acc, *ref;
	struct aead_request *racc, *rref;
};

/* One length, one layout pair: compare encryption, decryption, tampering. */
static void aead_case(struct fixture *f, struct aead_pair *p, uint32_t alen, uint32_t len,
		      enum layout ls, enum layout ld, bool oop)
{
	uint32_t as = crypto_aead_authsize(p->acc), ivs = crypto_aead_ivsize(p->acc);
	uint32_t ctlen = alen + len + as;
	uint8_t iv[32], iv2[32], ivr[32];
	struct holder hs, hd;
	XSG_DECLARE(rsg, 1);
	int rc;

	fill(f, iv, sizeof(iv));
	fill(f, f->a, alen + len);
	memset(f->a + alen + len, 0, as);

	/* reference: flat, in place */
	memcpy(f->ref, f->a, ctlen);
	xsg_set_buf(&rsg, f->ref, ctlen);
	memcpy(ivr, iv, ivs);
	aead_request_set_crypt(p->rref, &rsg, 0, &rsg, 0, len, ivr);
	aead_request_set_ad(p->rref, alen);
	assert_int_equal(crypto_aead_encrypt(p->rref), 0);

	/* driver: the layout under test */
	holder_make(f, &hs, ls, f->b, f->a, ctlen);
	if (oop) {
		memset(f->c, 0xee, ctlen);
		holder_make(f, &hd, ld, f->c, f->c, ctlen);
	}
	memcpy(iv2, iv, ivs);
	aead_request_set_crypt(p->racc, &hs.sg, 0, oop ? &hd.sg : &hs.sg, 0, len, iv2);
	aead_request_set_ad(p->racc, alen);
	rc = crypto_aead_encrypt(p->racc);
	if (rc)
		print_error("%s: encrypt %u+%u (%s%s) = %d\n", crypto_tfm_alg_driver_name(&p->acc->base),
			    alen, len, layout_name[ls], oop ? ",oop" : "", rc);
	assert_int_equal(rc, 0);
	holder_read(oop ? &hd : &hs, f->out);
	if (memcmp(f->out, f->ref, ctlen)) {
		print_error("%s: encryption differs from %s, assoc %u len %u (%s%s)\n",
			    crypto_tfm_alg_driver_name(&p->acc->base),
			    crypto_tfm_alg_driver_name(&p->ref->base), alen, len, layout_name[ls],
			    oop ? ",oop" : "");
		fail();
	}
	holder_free(&hs);
	if (oop)
		holder_free(&hd);

	/* t 0: decrypt the reference ciphertext; 1: corrupt ICV; 2: corrupt text */
	for (int t = 0; t < 3; t++) {
		uint32_t outlen = alen + len;

		if ((t == 1 && !as) || (t == 2 && !len))
			continue;
		memcpy(f->b, f->ref, ctlen);
		if (t == 1)
			f->b[ctlen - 1 - rnd_below(f, as)] ^= (uint8_t)(1u << rnd_below(f, 8));
		if (t == 2)
			f->b[alen + rnd_below(f, len)] ^= 0x01;
		holder_make(f, &hs, ls, f->b, f->b, ctlen);
		if (oop) {
			memset(f->c, 0xdd, outlen);
			holder_make(f, &hd, ld, f->c, f->c, outlen);
		}
		memcpy(iv2, iv, ivs);
		aead_request_set_crypt(p->racc, &hs.sg, 0, oop ? &hd.sg : &hs.sg, 0, len + as, iv2);
		aead_request_set_ad(p->racc, alen);
		rc = crypto_aead_decrypt(p->racc);
		if (t == 0) {
			if (rc)
				print_error("%s: decrypt %u+%u (%s%s) = %d\n",
					    crypto_tfm_alg_driver_name(&p->acc->base), alen, len,
					    layout_name[ls], oop ? ",oop" : "", rc);
			assert_int_equal(rc, 0);
			holder_read(oop ? &hd : &hs, f->out);
			if (memcmp(f->out, f->a, outlen)) {
				print_error("%s: decryption wrong, assoc %u len %u (%s%s)\n",
					    crypto_tfm_alg_driver_name(&p->acc->base), alen, len,
					    layout_name[ls], oop ? ",oop" : "");
				fail();
			}
		} else if (rc != -EBADMSG) {
			print_error("%s: tampered %s accepted (%d), assoc %u len %u\n",
				    crypto_tfm_alg_driver_name(&p->acc->base),
				    t == 1 ? "ICV" : "ciphertext", rc, alen, len);
			fail();
		}
		holder_free(&hs);
		if (oop)
			holder_free(&hd);
	}
}

static void aead_decrypt_check(struct fixture *f, struct aead_pair *p, uint32_t alen,
			       uint32_t len)
{
	/* Round trip through the driver alone, flat: plaintext comes back. */
	uint32_t as = crypto_aead_authsize(p->acc), ivs = crypto_aead_ivsize(p->acc);
	uint8_t iv[32], iv2[32];
	XSG_DECLARE(sg, 1);

	fill(f, iv, sizeof(iv));
	fill(f, f->a, alen + len);
	memcpy(f->b, f->a, alen + len);
	xsg_set_buf(&sg, f->b, alen + len + as);
	memcpy(iv2, iv, ivs);
	aead_request_set_crypt(p->racc, &sg, 0, &sg, 0, len, iv2);
	aead_request_set_ad(p->racc, alen);
	assert_int_equal(crypto_aead_encrypt(p->racc), 0);
	memcpy(iv2, iv, ivs);
	aead_request_set_crypt(p->racc, &sg, 0, &sg, 0, len + as, iv2);
	assert_int_equal(crypto_aead_decrypt(p->racc), 0);
	assert_memory_equal(f->b, f->a, alen + len);
}

static uint32_t pick_len(struct fixture *f, unsigned int i, uint32_t bs)
{
	uint32_t len = i < sizeof(lengths) / sizeof(lengths[0]) ? lengths[i]
								: rnd_below(f, MAXTEXT + 1);

	return len - len % bs;
}

static int aead_compare(struct fixture *f, const struct drv *d, const char *refname)
{
	struct aead_pair p = { .name = d->name };
	int rc, cases = 0;
	uint32_t bs;

	assert_int_equal(crypto_alloc_aead(&p.acc, d->driver, 0, 0), 0);
	rc = crypto_alloc_aead(&p.ref, refname, 0, 0);
	if (rc) {
		crypto_free_aead(p.acc);
		return rc;
	}
	assert_two_impls(d->name, &p.acc->base, &p.ref->base);
	assert_true(aead_keys(f, d->name, p.acc, p.ref) > 0);
	p.racc = aead_request_alloc(p.acc);
	p.rref = aead_request_alloc(p.ref);
	bs = crypto_aead_blocksize(p.acc);
	for (int pass = 0; pass < 2; pass++) {
		/* pass 1: a shorter ICV where the algorithm allows one */
		unsigned int as = pass ? 12 : crypto_aead_maxauthsize(p.acc);

		if (crypto_aead_setauthsize(p.acc, as) || crypto_aead_setauthsize(p.ref, as))
			continue;
		for (unsigned int i = 0; i < sizeof(lengths) / sizeof(lengths[0]) + NRANDOM_LEN; i++) {
			uint32_t len = pick_len(f, i, bs);
			uint32_t alen = is_esp(d->name) ? (rnd(f) & 1 ? 16 : 20) : rnd_below(f, 40);

			for (int l = 0; l < NLAYOUTS; l++) {
				aead_case(f, &p, alen, len, l, (l + i) % NLAYOUTS, false);
				aead_case(f, &p, alen, len, l, (l + i + 1) % NLAYOUTS, true);
				cases += 2;
			}
			aead_decrypt_check(f, &p, alen, len);
		}
	}
	aead_request_free(p.racc);
	aead_request_free(p.rref);
	crypto_free_aead(p.acc);
	crypto_free_aead(p.ref);
	return cases;
}

/* ---- skcipher ---- */

static int skcipher_compare(struct fixture *f, const struct drv *d, const char *refname)
{
	struct crypto_skcipher *acc, *ref;
	struct skcipher_request *racc, *rref;
	static const unsigned int klens[] = { 16, 24, 32, 20, 28, 36 };
	uint8_t key[64], iv[32], iva[32], ivr[32];
	uint32_t bs, ivs;
	int rc, cases = 0;
	bool keyed = false;

	assert_int_equal(crypto_alloc_skcipher(&acc, d->driver, 0, 0), 0);
	rc = crypto_alloc_skcipher(&ref, refname, 0, 0);
	if (rc) {
		crypto_free_skcipher(acc);
		return rc;
	}
	assert_two_impls(d->name, &acc->base, &ref->base);
	fill(f, key, sizeof(key));
	for (unsigned int k = 0, s = rnd_below(f, 6); k < 6 && !keyed; k++) {
		unsigned int kl = klens[(s + k) % 6];

		if (crypto_skcipher_setkey(acc, key, kl) == 0) {
			assert_int_equal(crypto_skcipher_setkey(ref, key, kl), 0);
			keyed = true;
		}
	}
	assert_true(keyed);
	racc = skcipher_request_alloc(acc);
	rref = skcipher_request_alloc(ref);
	bs = crypto_skcipher_blocksize(acc);
	ivs = crypto_skcipher_ivsize(acc);
	for (unsigned int i = 0; i < sizeof(lengths) / sizeof(lengths[0]) + NRANDOM_LEN; i++) {
		uint32_t len = pick_len(f, i, bs);

		for (int l = 0; l < NLAYOUTS; l++)
			for (int oop = 0; oop < 2; oop++)
				for (int enc = 0; enc < 2; enc++) {
					struct holder hs, hd;
					XSG_DECLARE(rsg, 1);

					fill(f, iv, sizeof(iv));
					/* an IV near a 32-bit counter wrap now and then */
					if (rnd_below(f, 4) == 0 && ivs == 16)
						memset(iv + 12, 0xff, 3);
					fill(f, f->a, len);
					memcpy(f->ref, f->a, len);
					xsg_set_buf(&rsg, f->ref, len);
					memcpy(ivr, iv, ivs);
					skcipher_request_set_crypt(rref, &rsg, 0, &rsg, 0, len, ivr);
					assert_int_equal(enc ? crypto_skcipher_encrypt(rref)
							     : crypto_skcipher_decrypt(rref), 0);
					holder_make(f, &hs, l, f->b, f->a, len);
					if (oop)
						holder_make(f, &hd, (l + 1) % NLAYOUTS, f->c, f->c, len);
					memcpy(iva, iv, ivs);
					skcipher_request_set_crypt(racc, &hs.sg, 0, oop ? &hd.sg : &hs.sg,
								   0, len, iva);
					assert_int_equal(enc ? crypto_skcipher_encrypt(racc)
							     : crypto_skcipher_decrypt(racc), 0);
					holder_read(oop ? &hd : &hs, f->out);
					if (memcmp(f->out, f->ref, len) || memcmp(iva, ivr, ivs)) {
						print_error("%s: %s differs from %s, len %u (%s%s)%s\n",
							    d->driver, enc ? "encryption" : "decryption",
							    refname, len, layout_name[l], oop ? ",oop" : "",
							    memcmp(iva, ivr, ivs) ? " (output IV)" : "");
						fail();
					}
					holder_free(&hs);
					if (oop)
						holder_free(&hd);
					cases++;
				}
	}
	skcipher_request_free(racc);
	skcipher_request_free(rref);
	crypto_free_skcipher(acc);
	crypto_free_skcipher(ref);
	return cases;
}

/* ---- shash ---- */

static int shash_compare(struct fixture *f, const struct drv *d, const char *refname)
{
	static const unsigned int klens[] = { 16, 20, 24, 32, 64, 131, 0 };
	struct crypto_shash *acc, *ref;
	uint8_t key[160], da[64], dr[64], ds[64];
	int rc, cases = 0;

	assert_int_equal(crypto_alloc_shash(&acc, d->driver, 0, 0), 0);
	rc = crypto_alloc_shash(&ref, refname, 0, 0);
	if (rc) {
		crypto_free_shash(acc);
		return rc;
	}
	assert_two_impls(d->name, &acc->base, &ref->base);
	for (unsigned int k = 0; k < sizeof(klens) / sizeof(klens[0]); k++) {
		fill(f, key, sizeof(key));
		if (crypto_shash_setkey(acc, key, klens[k]) != 0)
			continue;
		assert_int_equal(crypto_shash_setkey(ref, key, klens[k]), 0);
		for (unsigned int i = 0; i < sizeof(lengths) / sizeof(lengths[0]) + NRANDOM_LEN; i++) {
			uint32_t len = pick_len(f, i, 1), dsz = crypto_shash_digestsize(acc);
			SHASH_DESC_ON_STACK(da_d, acc);
			SHASH_DESC_ON_STACK(dr_d, ref);
			struct holder h;

			fill(f, f->a, len);
			assert_int_equal(crypto_shash_digest(da_d, f->a, len, da), 0);
			assert_int_equal(crypto_shash_digest(dr_d, f->a, len, dr), 0);
			/* streaming over a split list or an mbuf chain */
			holder_make(f, &h, 1 + (int)rnd_below(f, 2), f->b, f->a, len);
			assert_int_equal(crypto_shash_init(da_d), 0);
			assert_int_equal(crypto_shash_update_sg(da_d, &h.sg, 0, len), 0);
			assert_int_equal(crypto_shash_final(da_d, ds), 0);
			holder_free(&h);
			if (memcmp(da, dr, dsz) || memcmp(ds, dr, dsz)) {
				print_error("%s: digest differs from %s, key %u len %u (%s)\n",
					    d->driver, refname, klens[k], len,
					    memcmp(da, dr, dsz) ? "one-shot" : "streaming");
				fail();
			}
			cases++;
		}
	}
	crypto_free_shash(acc);
	crypto_free_shash(ref);
	return cases;
}

/* ---- the differential test ---- */

static void test_differential(void **state)
{
	struct fixture *f = *state;
	struct drv_list *l = calloc(1, sizeof(*l));
	int compared = 0, alone = 0;

	assert_non_null(l);
	crypto_alg_foreach(collect, l);
	assert_true(l->n > 0);
	for (int i = 0; i < l->n; i++) {
		char ref[CRYPTO_MAX_ALG_NAME + 64];
		int cases;

		generic_name(l->d[i].name, ref, sizeof(ref));
		switch (l->d[i].type) {
		case CRYPTO_ALG_TYPE_AEAD:
			cases = aead_compare(f, &l->d[i], ref);
			break;
		case CRYPTO_ALG_TYPE_SKCIPHER:
			cases = skcipher_compare(f, &l->d[i], ref);
			break;
		case CRYPTO_ALG_TYPE_SHASH:
			cases = shash_compare(f, &l->d[i], ref);
			break;
		default:
			cases = -ENOENT;
		}
		if (cases <= 0) {	/* not compared with anything: a failure, not a skip */
			print_error("%s: %s alone, no comparison with %s (%d): fewer than two "
				    "implementations took part\n", l->d[i].name, l->d[i].driver, ref,
				    cases);
			alone++;
			continue;
		}
		print_message("  %-40s vs %-45s %5d cases\n", l->d[i].driver, ref, cases);
		compared++;
	}
	free(l);
	assert_int_equal(alone, 0);
	assert_true(compared > 0);
}

/* ---- bursts: the job queue against one-by-one generic results ---- */

#define NBURST 24

static void burst_one(struct fixture *f, const char *drv, const char *ref, unsigned int klen)
{
	struct crypto_aead *acc, *gen;
	struct aead_request *r[NBURST], *g;
	struct holder h[NBURST];
	uint8_t *buf[NBURST], *orig[NBURST], *want[NBURST], key[128], iv[NBURST][16], ivg[16];
	uint32_t alen = 16, len[NBURST], as;
	XSG_DECLARE(gsg, 1);

	assert_int_equal(crypto_alloc_aead(&acc, drv, 0, 0), 0);
	assert_int_equal(crypto_alloc_aead(&gen, ref, 0, 0), 0);
	assert_two_impls(ref, &acc->base, &gen->base);
	fill(f, key, sizeof(key));
	if (klen == 0)	/* authenc: a key blob */
		klen = (unsigned int)crypto_authenc_buildkey(f->out, sizeof(f->out), key, 20,
							     key + 32, 16);
	else
		memcpy(f->out, key, klen);
	assert_int_equal(crypto_aead_setkey(acc, f->out, klen), 0);
	assert_int_equal(crypto_aead_setkey(gen, f->out, klen), 0);
	as = crypto_aead_authsize(acc);
	g = aead_request_alloc(gen);
	for (int i = 0; i < NBURST; i++) {
		uint32_t total;

		len[i] = pick_len(f, (unsigned int)i % 14, crypto_aead_blocksize(acc));
		total = alen + len[i] + as;
		buf[i] = malloc(total);
		orig[i] = malloc(total);
		want[i] = malloc(total);
		assert_true(buf[i] && orig[i] && want[i]);
		fill(f, orig[i], total);
		fill(f, iv[i], sizeof(iv[i]));
		/* the reference, one request at a time */
		memcpy(want[i], orig[i], total);
		xsg_set_buf(&gsg, want[i], total);
		memcpy(ivg, iv[i], sizeof(ivg));
		aead_request_set_crypt(g, &gsg, 0, &gsg, 0, len[i], ivg);
		aead_request_set_ad(g, alen);
		assert_int_equal(crypto_aead_encrypt(g), 0);
		/* every third request chained: it leaves the job queue for the slow path */
		holder_make(f, &h[i], i % 3 == 2 ? L_SPLIT : L_FLAT, buf[i], orig[i], total);
		r[i] = aead_request_alloc(acc);
		aead_request_set_crypt(r[i], &h[i].sg, 0, &h[i].sg, 0, len[i], iv[i]);
		aead_request_set_ad(r[i], alen);
	}
	assert_int_equal(crypto_aead_encrypt_burst(acc, r, NBURST), NBURST);
	for (int i = 0; i < NBURST; i++) {
		assert_int_equal(r[i]->err, 0);
		if (memcmp(buf[i], want[i], alen + len[i] + as)) {
			print_error("%s: burst request %d (len %u) differs\n", drv, i, len[i]);
			fail();
		}
		aead_request_set_crypt(r[i], &h[i].sg, 0, &h[i].sg, 0, len[i] + as, iv[i]);
		if (i % 5 == 1)
			buf[i][alen + len[i] + as - 1] ^= 0x10;	/* a corrupted ICV */
	}
	assert_int_equal(crypto_aead_decrypt_burst(acc, r, NBURST), NBURST);
	for (int i = 0; i < NBURST; i++) {
		assert_int_equal(r[i]->err, i % 5 == 1 ? -EBADMSG : 0);
		if (i % 5 != 1)
			assert_memory_equal(buf[i], orig[i], alen + len[i]);
		aead_request_free(r[i]);
		holder_free(&h[i]);
		free(buf[i]);
		free(orig[i]);
		free(want[i]);
	}
	aead_request_free(g);
	crypto_free_aead(acc);
	crypto_free_aead(gen);
}

static void test_burst(void **state)
{
	struct fixture *f = *state;

	burst_one(f, "authenc-hmac-sha1-cbc-aes-ipsecmb", "authenc(hmac(sha1-generic),cbc(aes-generic))", 0);
	burst_one(f, "rfc4106-gcm-aes-ipsecmb", "rfc4106(gcm(aes-generic))", 20);
}

/* ---- selection ---- */

static void expect_driver_aead(const char *name, uint32_t type, const char *want)
{
	struct crypto_aead *t;

	assert_int_equal(crypto_alloc_aead(&t, name, type, 0), 0);
	if (strcmp(crypto_tfm_alg_driver_name(&t->base), want))
		print_error("%s selected %s, expected %s\n", name,
			    crypto_tfm_alg_driver_name(&t->base), want);
	assert_string_equal(crypto_tfm_alg_driver_name(&t->base), want);
	crypto_free_aead(t);
}

static void test_priority_and_exact(void **state)
{
	struct crypto_skcipher *s;
	struct crypto_shash *h;

	(void)state;
	print_message("  ipsecmb arch: %s\n", ipsecmb_arch());
	expect_driver_aead("gcm(aes)", 0, "gcm-aes-ipsecmb");
	expect_driver_aead("rfc4106(gcm(aes))", 0, "rfc4106-gcm-aes-ipsecmb");
	expect_driver_aead("gcm-aes-openssl", 0, "gcm-aes-openssl");
	expect_driver_aead("authenc(hmac(sha256),cbc(aes))", 0, "authenc-hmac-sha256-cbc-aes-ipsecmb");
	assert_int_equal(crypto_alloc_skcipher(&s, "cbc(aes)", 0, 0), 0);
	assert_string_equal(crypto_tfm_alg_driver_name(&s->base), "cbc-aes-ipsecmb");
	crypto_free_skcipher(s);
	assert_int_equal(crypto_alloc_shash(&h, "hmac-sha1-openssl", 0, 0), 0);
	assert_string_equal(crypto_tfm_alg_driver_name(&h->base), "hmac-sha1-openssl");
	crypto_free_shash(h);
}

struct fastest {
	const char *name;
	const struct crypto_alg *best;
};

static int find_fastest(const struct crypto_alg *a, void *arg)
{
	struct fastest *fs = arg;

	if (strcmp(a->cra_name, fs->name) || !(a->cra_flags & CRYPTO_ALG_TESTED) ||
	    (a->cra_flags & (CRYPTO_ALG_DEAD | CRYPTO_ALG_INTERNAL)))
		return 0;
	if (!fs->best || a->cra_perf_mbps > fs->best->cra_perf_mbps ||
	    (a->cra_perf_mbps == fs->best->cra_perf_mbps &&
	     a->cra_priority > fs->best->cra_priority))
		fs->best = a;
	return 0;
}

static void test_select_fastest(void **state)
{
	static const char *const names[] = { "gcm(aes)", "rfc7539(chacha20,poly1305)",
					      "authenc(hmac(sha1),cbc(aes))" };
	struct crypto_alg *alg;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct fastest fs = { .name = names[i] };
		struct crypto_aead *t;

		/* instantiate the generic template too, so it is a candidate */
		assert_int_equal(crypto_alloc_aead(&t, names[i], 0, 0), 0);
		crypto_free_aead(t);
		crypto_alg_foreach(find_fastest, &fs);
		assert_non_null(fs.best);
		assert_true(fs.best->cra_perf_mbps > 0);	/* measurement ran */
		assert_int_equal(crypto_alloc_aead(&t, names[i], CRYPTO_SELECT_FASTEST, 0), 0);
		print_message("  fastest %-32s %-40s %u MB/s\n", names[i],
			      crypto_tfm_alg_driver_name(&t->base), t->base.alg->cra_perf_mbps);
		assert_ptr_equal(t->base.alg, fs.best);
		crypto_free_aead(t);
	}
	/* XFRMGW_CRYPTO_NO_PERF turns the measurement off (figures > 0 above show
	 * it on; a direct call may also return 0 once the process budget is spent). */
	assert_int_equal(crypto_alg_lookup(&alg, "gcm-aes-ipsecmb", CRYPTO_ALG_TYPE_AEAD, 0, 0), 0);
	setenv("XFRMGW_CRYPTO_NO_PERF", "1", 1);
	assert_int_equal(crypto_perf_measure(alg), 0);
	unsetenv("XFRMGW_CRYPTO_NO_PERF");
	crypto_alg_put(alg);
}

static void test_hardware_only(void **state)
{
	struct crypto_aead *t = NULL;
	struct crypto_shash *h = NULL;

	(void)state;
	/* Only software provides these here: asking for hardware finds none. */
	assert_int_equal(crypto_alloc_aead(&t, "rfc7539(chacha20,poly1305)", CRYPTO_ALG_HARDWARE,
					   CRYPTO_ALG_HARDWARE), -ENOENT);
	assert_int_equal(crypto_alloc_shash(&h, "hmac(sha512)", CRYPTO_ALG_HARDWARE,
					    CRYPTO_ALG_HARDWARE), -ENOENT);
}

/* A cbc(aes) that gets every block wrong: its self-test must fail. */
static int broken_setkey(struct crypto_skcipher *tfm, const uint8_t *key, unsigned int keylen)
{
	(void)tfm;
	(void)key;
	return keylen == 16 || keylen == 24 || keylen == 32 ? 0 : -EINVAL;
}

static int broken_crypt(struct skcipher_request *req)
{
	xsg_copy(req->dst, req->dst_off, req->src, req->src_off, req->cryptlen);
	return 0;
}

static struct skcipher_alg broken_alg = {
	.min_keysize = 16,
	.max_keysize = 32,
	.ivsize = 16,
	.setkey = broken_setkey,
	.encrypt = broken_crypt,
	.decrypt = broken_crypt,
	.base = {
		.cra_name = "cbc(aes)",
		.cra_driver_name = "cbc-aes-broken-test",
		.cra_module = "test",
		.cra_priority = 5000,
		.cra_blocksize = 16,
	},
};

static void test_broken_driver(void **state)
{
	struct crypto_skcipher *s;
	struct crypto_alg_info info;

	(void)state;
	assert_int_equal(crypto_register_skcipher(&broken_alg), 0);
	crypto_alg_info(&broken_alg.base, &info);
	assert_string_equal(info.selftest, "failed");
	assert_true(broken_alg.base.cra_flags & CRYPTO_ALG_DEAD);
	assert_int_equal(crypto_alloc_skcipher(&s, "cbc(aes)", 0, 0), 0);
	assert_string_not_equal(crypto_tfm_alg_driver_name(&s->base), "cbc-aes-broken-test");
	crypto_free_skcipher(s);
	assert_int_equal(crypto_alloc_skcipher(&s, "cbc(aes)", CRYPTO_SELECT_FASTEST, 0), 0);
	assert_string_not_equal(crypto_tfm_alg_driver_name(&s->base), "cbc-aes-broken-test");
	crypto_free_skcipher(s);
	assert_int_equal(crypto_alloc_skcipher(&s, "cbc-aes-broken-test", 0, 0), -ELIBBAD);
	assert_int_equal(crypto_unregister_alg(&broken_alg.base), 0);
}

/* Last: marks gcm-aes-ipsecmb dead for the rest of the process. */
static void test_mark_dead(void **state)
{
	struct fixture *f = *state;
	struct crypto_aead *old, *next;
	struct aead_request *r1, *r2;
	uint8_t key[16], iv[12], iv2[12];
	XSG_DECLARE(s1, 1);
	XSG_DECLARE(s2, 1);

	assert_int_equal(crypto_alloc_aead(&old, "gcm(aes)", 0, 0), 0);
	assert_string_equal(crypto_tfm_alg_driver_name(&old->base), "gcm-aes-ipsecmb");
	fill(f, key, sizeof(key));
	fill(f, iv, sizeof(iv));
	assert_int_equal(crypto_aead_setkey(old, key, sizeof(key)), 0);
	crypto_alg_mark_dead(old->base.alg);

	assert_int_equal(crypto_alloc_aead(&next, "gcm(aes)", 0, 0), 0);
	assert_string_equal(crypto_tfm_alg_driver_name(&next->base), "gcm-aes-openssl");
	assert_int_equal(crypto_aead_setkey(next, key, sizeof(key)), 0);

	/* The existing transform keeps working, and agrees with the fallback. */
	fill(f, f->a, 1420 + 16);
	memcpy(f->b, f->a, 1420 + 16);
	xsg_set_buf(&s1, f->a, 1420 + 16 + 16);
	xsg_set_buf(&s2, f->b, 1420 + 16 + 16);
	r1 = aead_request_alloc(old);
	r2 = aead_request_alloc(next);
	memcpy(iv2, iv, sizeof(iv));
	aead_request_set_crypt(r1, &s1, 0, &s1, 0, 1420, iv);
	aead_request_set_ad(r1, 16);
	aead_request_set_crypt(r2, &s2, 0, &s2, 0, 1420, iv2);
	aead_request_set_ad(r2, 16);
	assert_int_equal(crypto_aead_encrypt(r1), 0);
	assert_int_equal(crypto_aead_encrypt(r2), 0);
	assert_memory_equal(f->a, f->b, 1420 + 32);
	aead_request_free(r1);
	aead_request_free(r2);
	crypto_free_aead(old);
	crypto_free_aead(next);
}

/* ---- XFRMGW_CRYPTO_DISABLE, in a child process ---- */

static int count_accel(const struct crypto_alg *a, void *arg)
{
	if (is_accel(a))
		(*(int *)arg)++;
	return 0;
}

static int child_disable_check(void)
{
	int n = 0;

	if (crypto_init())
		return 2;
	crypto_alg_foreach(count_accel, &n);
	crypto_exit();
	return n == 0 ? 0 : 1;
}

static void test_disable_env(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "test_drivers", "--disable-check", NULL };

		setenv("XFRMGW_CRYPTO_DISABLE", "ipsecmb,openssl", 1);
		setenv("XFRMGW_CRYPTO_NO_PERF", "1", 1);
		execv("/proc/self/exe", argv);
		_exit(3);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* ---- fixture ---- */

static int setup(void **state)
{
	/* --in-memory cannot go with --no-huge in DPDK 22.11 (legacy memory):
	 * --no-shconf keeps the process file-less instead. */
	static char *eal_args[] = { "test_drivers", "--no-huge", "--no-shconf", "--no-pci",
				    "--file-prefix", "test_drivers", "-l", "0", "--no-telemetry", "--log-level", "lib.*:error" };
	struct fixture *f = calloc(1, sizeof(*f));
	const char *seed = getenv("TEST_SEED");

	if (!f)
		return -1;
	f->rng = seed ? strtoull(seed, NULL, 0) : 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	print_message("  seed 0x%llx (TEST_SEED to replay)\n", (unsigned long long)f->rng);
	if (rte_eal_init(sizeof(eal_args) / sizeof(eal_args[0]), eal_args) < 0)
		return -1;
	f->pool = rte_pktmbuf_pool_create("td_pool", 256, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM,
					  SOCKET_ID_ANY);
	if (!f->pool || crypto_init())
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (!f)
		return 0;
	crypto_exit();
	rte_mempool_free(f->pool);
	rte_eal_cleanup();
	free(f);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_differential),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_priority_and_exact),
		cmocka_unit_test(test_select_fastest),
		cmocka_unit_test(test_hardware_only),
		cmocka_unit_test(test_broken_driver),
		cmocka_unit_test(test_disable_env),
		cmocka_unit_test(test_mark_dead),
	};

	if (argc > 1 && strcmp(argv[1], "--disable-check") == 0)
		return child_disable_check();
	return cmocka_run_group_tests_name("cryptoapi_drivers", tests, setup, teardown);
}
