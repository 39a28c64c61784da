/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Self-test manager. Every known-answer vector is run through several
 * scatterlist layouts (flat, and chains of up to 8 runs split at odd
 * boundaries with guard bytes between them), in place and out of place.
 * Every AEAD vector is also replayed with a corrupted ICV, which must fail
 * with -EBADMSG.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alg_type.h"
#include "internal.h"
#include "testmgr.h"

struct test_table {
	const struct alg_test_desc *descs;
	unsigned int n;
	struct test_table *next;
};

static struct test_table *tables;
static pthread_mutex_t tables_lock = PTHREAD_MUTEX_INITIALIZER;

int crypto_register_tests(const struct alg_test_desc *descs, unsigned int n)
{
	struct test_table *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->descs = descs;
	t->n = n;
	pthread_mutex_lock(&tables_lock);
	t->next = tables;
	tables = t;
	pthread_mutex_unlock(&tables_lock);
	return 0;
}

void crypto_unregister_tests(const struct alg_test_desc *descs)
{
	pthread_mutex_lock(&tables_lock);
	for (struct test_table **pp = &tables; *pp; pp = &(*pp)->next) {
		if ((*pp)->descs == descs) {
			struct test_table *t = *pp;

			*pp = t->next;
			free(t);
			break;
		}
	}
	pthread_mutex_unlock(&tables_lock);
}

static const struct alg_test_desc *find_desc(const char *name)
{
	const struct alg_test_desc *d = NULL;

	pthread_mutex_lock(&tables_lock);
	for (struct test_table *t = tables; t && !d; t = t->next)
		for (unsigned int i = 0; i < t->n; i++)
			if (strcmp(t->descs[i].alg, name) == 0) {
				d = &t->descs[i];
				break;
			}
	pthread_mutex_unlock(&tables_lock);
	return d;
}

int crypto_hex2bin(uint8_t *buf, size_t buflen, const char *hex)
{
	size_t n = 0;
	int hi = -1;

	if (!hex)
		return 0;
	for (const char *p = hex; *p; p++) {
		int v;

		if (*p == ' ' || *p == '\n' || *p == '\t')
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			v = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			v = *p - 'A' + 10;
		else
			return -EINVAL;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= buflen)
			return -ENOSPC;
		buf[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -EINVAL;
}

/* ---- failure reporting ---- */

struct alg_test_ctx {
	char *msg;
	size_t msglen;
	struct vbufs *v;	/* the parsed vector, reused row after row */
};

static int fail(struct alg_test_ctx *t, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct alg_test_ctx *t, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, t->msglen, fmt, ap);
	va_end(ap);
	return rc ? rc : -EBADMSG;
}

/* ---- test buffers with scatterlist layouts ---- */

#define MAX_VEC 8192
#define GUARD 16
#define GUARD_BYTE 0xa5
#define NLAYOUTS 4

/* Run lengths for chained layouts: odd boundaries, never block aligned. */
static const uint32_t split_a[] = { 1, 15, 3, 17, 7, 29, 2 };
static const uint32_t split_b[] = { 13, 1, 5, 31, 9, 4, 19 };

struct tbuf {
	uint8_t *mem;
	size_t memlen;
	struct xsg_ent ents[8];
	struct xsg sg;
};

/* Lay out cap bytes as runs separated by guard bytes; copy data in. */
static int tbuf_make(struct tbuf *b, const uint8_t *data, uint32_t len, uint32_t cap,
		     int pattern)
{
	const uint32_t *split = pattern == 1 ? split_a : split_b;
	uint32_t off = 0, pos = GUARD;
	int i = 0;

	b->memlen = cap + GUARD * 10;
	b->mem = malloc(b->memlen);
	if (!b->mem)
		return -ENOMEM;
	memset(b->mem, GUARD_BYTE, b->memlen);
	xsg_init(&b->sg, b->ents, 8);
	while (off < cap) {
		uint32_t run = cap - off;

		if (pattern != 0 && i < 7 && split[i] < run)
			run = split[i];
		xsg_add(&b->sg, b->mem + pos, run);
		pos += run + GUARD;
		off += run;
		i++;
	}
	if (len)
		xsg_copy_from_buf(&b->sg, 0, data, len);
	return 0;
}

static bool tbuf_guards_ok(const struct tbuf *b)
{
	/* Everything outside the runs must still hold the guard byte. */
	uint8_t *p = b->mem;

	for (uint16_t i = 0; i < b->sg.nents; i++) {
		for (; p < b->sg.ent[i].addr; p++)
			if (*p != GUARD_BYTE)
				return false;
		p = b->sg.ent[i].addr + b->sg.ent[i].len;
	}
	for (; p < b->mem + b->memlen; p++)
		if (*p != GUARD_BYTE)
			return false;
	return true;
}

static void tbuf_free(struct tbuf *b)
{
	free(b->mem);
	b->mem = NULL;
}

/* layout: 0 flat in place, 1 flat out of place, 2 chain in place, 3 chains out of place */
static const char *layout_name[NLAYOUTS] = { "flat", "flat/oop", "chain", "chain/oop" };

struct vbufs {
	uint8_t key[1024], iv[64], iv2[64], a[MAX_VEC], p[MAX_VEC], c[MAX_VEC], out[MAX_VEC];
	int klen, ivlen, alen, plen, clen;
};

static int parse(struct alg_test_ctx *t, uint8_t *buf, size_t len, const char *hex, int *out,
		 const char *what, const char *src)
{
	int n = crypto_hex2bin(buf, len, hex);

	if (n < 0)
		return fail(t, -EINVAL, "bad %s hex in vector %s", what, src);
	*out = n;
	return 0;
}

/* ---- cipher (single block, ECB over the text) ---- */

int alg_test_cipher(struct crypto_alg *alg, const struct alg_test_desc *d,
	            struct alg_test_ctx *t)
{
	struct vbufs *v = t->v;
	struct crypto_cipher *tfm;
	uint32_t bs = alg->cra_blocksize;
	int rc;

	if (!d->vecs.cipher)
		return -ENOENT;
	rc = crypto_spawn_cipher(&tfm, alg);
	if (rc)
		return fail(t, rc, "cannot allocate transform");
	for (unsigned int i = 0; i < d->vecs.count; i++) {
		const struct cipher_testvec *tv = &d->vecs.cipher[i];

		if ((rc = parse(t, v->key, sizeof(v->key), tv->key, &v->klen, "key", tv->source)) ||
		    (rc = parse(t, v->p, sizeof(v->p), tv->ptext, &v->plen, "ptext", tv->source)) ||
		    (rc = parse(t, v->c, sizeof(v->c), tv->ctext, &v->clen, "ctext", tv->source)))
			break;
		rc = crypto_cipher_setkey(tfm, v->key, v->klen);
		if (rc != tv->setkey_err) {
			rc = fail(t, -EBADMSG, "%s: setkey returned %d, expected %d", tv->source, rc,
				  tv->setkey_err);
			break;
		}
		rc = 0;
		if (tv->setkey_err)
			continue;
		if (v->plen != v->clen || v->plen % bs) {
			rc = fail(t, -EINVAL, "%s: text not whole blocks", tv->source);
			break;
		}
		for (int k = 0; k < v->plen; k += bs)
			crypto_cipher_encrypt_one(tfm, v->out + k, v->p + k);
		if (memcmp(v->out, v->c, v->clen)) {
			rc = fail(t, -EBADMSG, "%s: encryption mismatch", tv->source);
			break;
		}
		for (int k = 0; k < v->clen; k += bs)
			crypto_cipher_decrypt_one(tfm, v->out + k, v->c + k);
		if (memcmp(v->out, v->p, v->plen)) {
			rc = fail(t, -EBADMSG, "%s: decryption mismatch", tv->source);
			break;
		}
	}
	crypto_free_cipher(tfm);
	return rc;
}

/* ---- skcipher ---- */

static int skcipher_one(struct crypto_skcipher *tfm, const struct cipher_testvec *tv,
			struct vbufs *v, int layout, bool enc, struct alg_test_ctx *t)
{
	const uint8_t *in = enc ? v->p : v->c, *want = enc ? v->c : v->p;
	uint32_t len = (uint32_t)v->plen;
	struct tbuf sb, db;
	struct skcipher_request *req = skcipher_request_alloc(tfm);
	bool oop = layout & 1;
	int rc;

	if (!req)
		return fail(t, -ENOMEM, "no memory");
	rc = tbuf_make(&sb, in, len, len, layout >= 2 ? 1 : 0);
	if (rc)
		goto out_req;
	if (oop && (rc = tbuf_make(&db, NULL, 0, len, layout >= 2 ? 2 : 0)))
		goto out_sb;
	memcpy(v->iv2, v->iv, v->ivlen);
	skcipher_request_set_crypt(req, &sb.sg, 0, oop ? &db.sg : &sb.sg, 0, len, v->iv2);
	rc = enc ? crypto_skcipher_encrypt(req) : crypto_skcipher_decrypt(req);
	if (rc) {
		rc = fail(t, rc, "%s: %s (%s) returned %d", tv->source, enc ? "encrypt" : "decrypt",
			  layout_name[layout], rc);
		goto out_db;
	}
	xsg_copy_to_buf(v->out, oop ? &db.sg : &sb.sg, 0, len);
	if (memcmp(v->out, want, len))
		rc = fail(t, -EBADMSG, "%s: %s mismatch (%s)", tv->source,
			  enc ? "encryption" : "decryption", layout_name[layout]);
	else if (!tbuf_guards_ok(&sb) || (oop && !tbuf_guards_ok(&db)))
		rc = fail(t, -EBADMSG, "%s: wrote outside the buffer (%s)", tv->source,
			  layout_name[layout]);
	else if (enc && tv->iv_out) {
		uint8_t ivo[64];
		int n = crypto_hex2bin(ivo, sizeof(ivo), tv->iv_out);

		if (n != v->ivlen || memcmp(ivo, v->iv2, n))
			rc = fail(t, -EBADMSG, "%s: output IV mismatch (%s)", tv->source,
				  layout_name[layout]);
	}
out_db:
	if (oop)
		tbuf_free(&db);
out_sb:
	tbuf_free(&sb);
out_req:
	skcipher_request_free(req);
	return rc;
}

int alg_test_skcipher(struct crypto_alg *alg, const struct alg_test_desc *d,
	              struct alg_test_ctx *t)
{
	struct vbufs *v = t->v;
	struct crypto_skcipher *tfm;
	int rc;

	if (!d->vecs.cipher)
		return -ENOENT;
	rc = crypto_spawn_skcipher(&tfm, alg);
	if (rc)
		return fail(t, rc, "cannot allocate transform");
	for (unsigned int i = 0; i < d->vecs.count && !rc; i++) {
		const struct cipher_testvec *tv = &d->vecs.cipher[i];

		if ((rc = parse(t, v->key, sizeof(v->key), tv->key, &v->klen, "key", tv->source)) ||
		    (rc = parse(t, v->iv, sizeof(v->iv), tv->iv, &v->ivlen, "iv", tv->source)) ||
		    (rc = parse(t, v->p, sizeof(v->p), tv->ptext, &v->plen, "ptext", tv->source)) ||
		    (rc = parse(t, v->c, sizeof(v->c), tv->ctext, &v->clen, "ctext", tv->source)))
			break;
		rc = crypto_skcipher_setkey(tfm, v->key, v->klen);
		if (rc != tv->setkey_err) {
			rc = fail(t, -EBADMSG, "%s: setkey returned %d, expected %d", tv->source, rc,
				  tv->setkey_err);
			break;
		}
		rc = 0;
		if (tv->setkey_err)
			continue;
		if (v->plen != v->clen || (unsigned)v->ivlen != crypto_skcipher_ivsize(tfm)) {
			rc = fail(t, -EINVAL, "%s: vector lengths do not fit the algorithm", tv->source);
			break;
		}
		for (int layout = 0; layout < NLAYOUTS && !rc; layout++)
			rc = skcipher_one(tfm, tv, v, layout, true, t) ?:
			     skcipher_one(tfm, tv, v, layout, false, t);
	}
	crypto_free_skcipher(tfm);
	return rc;
}

/* ---- aead ---- */

/*
 * Asynchronous drivers return -EINPROGRESS and complete through
 * crypto_aead_poll(): drive completions until this request is done, for at
 * most a few seconds.
 */
static int aead_wait(struct crypto_aead *tfm, struct aead_request *req)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (req->err == -EINPROGRESS) {
		if (crypto_aead_poll(tfm, 1))
			continue;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 5)
			return -ETIMEDOUT;
	}
	return req->err;
}

static int aead_one(struct crypto_aead *tfm, const struct aead_testvec *tv, struct vbufs *v,
		    int layout, int op, struct alg_test_ctx *t)
{
	/* op 0: encrypt, 1: decrypt, 2: decrypt with a corrupted ICV */
	uint32_t alen = v->alen, plen = v->plen, clen = v->clen;
	uint32_t inlen = op ? clen : plen, outlen = op ? plen : clen;
	const uint8_t *in = op ? v->c : v->p;
	struct aead_request *req = aead_request_alloc(tfm);
	struct tbuf sb, db;
	bool oop = layout & 1;
	uint32_t cap = alen + (inlen > outlen ? inlen : outlen);
	int expect = op == 2 ? -EBADMSG : op == 1 ? tv->decrypt_err : 0;
	uint8_t *tmp;
	int rc;

	if (!req)
		return fail(t, -ENOMEM, "no memory");
	tmp = malloc(cap ? cap : 1);
	if (!tmp) {
		aead_request_free(req);
		return fail(t, -ENOMEM, "no memory");
	}
	memcpy(tmp, v->a, alen);
	memcpy(tmp + alen, in, inlen);
	if (op == 2)
		tmp[alen + inlen - 1] ^= 0x01;	/* last ICV byte */
	rc = tbuf_make(&sb, tmp, alen + inlen, cap, layout >= 2 ? 1 : 0);
	if (rc)
		goto out;
	if (oop && (rc = tbuf_make(&db, NULL, 0, cap, layout >= 2 ? 2 : 0)))
		goto out_sb;
	memcpy(v->iv2, v->iv, v->ivlen);
	aead_request_set_crypt(req, &sb.sg, 0, oop ? &db.sg : &sb.sg, 0, inlen, v->iv2);
	aead_request_set_ad(req, alen);
	rc = op ? crypto_aead_decrypt(req) : crypto_aead_encrypt(req);
	if (rc == -EINPROGRESS)
		rc = aead_wait(tfm, req);
	if (rc != expect) {
		rc = fail(t, -EBADMSG, "%s: %s (%s) returned %d, expected %d", tv->source,
			  op == 0 ? "encrypt" : op == 1 ? "decrypt" : "decrypt of corrupted ICV",
			  layout_name[layout], rc, expect);
		goto out_db;
	}
	rc = 0;
	if (expect)
		goto out_db;
	xsg_copy_to_buf(tmp, oop ? &db.sg : &sb.sg, 0, alen + outlen);
	if (memcmp(tmp, v->a, alen))
		rc = fail(t, -EBADMSG, "%s: associated data not in destination (%s)", tv->source,
			  layout_name[layout]);
	else if (memcmp(tmp + alen, op ? v->p : v->c, outlen))
		rc = fail(t, -EBADMSG, "%s: %s mismatch (%s)", tv->source,
			  op ? "decryption" : "encryption", layout_name[layout]);
	else if (!tbuf_guards_ok(&sb) || (oop && !tbuf_guards_ok(&db)))
		rc = fail(t, -EBADMSG, "%s: wrote outside the buffer (%s)", tv->source,
			  layout_name[layout]);
out_db:
	if (oop)
		tbuf_free(&db);
out_sb:
	tbuf_free(&sb);
out:
	free(tmp);
	aead_request_free(req);
	return rc;
}

int alg_test_aead(struct crypto_alg *alg, const struct alg_test_desc *d,
	          struct alg_test_ctx *t)
{
	struct vbufs *v = t->v;
	struct crypto_aead *tfm;
	int rc;

	if (!d->vecs.aead)
		return -ENOENT;
	rc = crypto_spawn_aead(&tfm, alg);
	if (rc)
		return fail(t, rc, "cannot allocate transform");
	for (unsigned int i = 0; i < d->vecs.count && !rc; i++) {
		const struct aead_testvec *tv = &d->vecs.aead[i];
		unsigned int authsize;

		if ((rc = parse(t, v->key, sizeof(v->key), tv->key, &v->klen, "key", tv->source)) ||
		    (rc = parse(t, v->iv, sizeof(v->iv), tv->iv, &v->ivlen, "iv", tv->source)) ||
		    (rc = parse(t, v->a, sizeof(v->a), tv->assoc, &v->alen, "assoc", tv->source)) ||
		    (rc = parse(t, v->p, sizeof(v->p), tv->ptext, &v->plen, "ptext", tv->source)) ||
		    (rc = parse(t, v->c, sizeof(v->c), tv->ctext, &v->clen, "ctext", tv->source)))
			break;
		rc = crypto_aead_setkey(tfm, v->key, v->klen);
		if (rc != tv->setkey_err) {
			rc = fail(t, -EBADMSG, "%s: setkey returned %d, expected %d", tv->source, rc,
				  tv->setkey_err);
			break;
		}
		rc = 0;
		if (tv->setkey_err)
			continue;
		authsize = tv->authsize ? tv->authsize : crypto_aead_maxauthsize(tfm);
		rc = crypto_aead_setauthsize(tfm, authsize);
		if (rc != tv->setauthsize_err) {
			rc = fail(t, -EBADMSG, "%s: setauthsize(%u) returned %d, expected %d",
				  tv->source, authsize, rc, tv->setauthsize_err);
			break;
		}
		rc = 0;
		if (tv->setauthsize_err)
			continue;
		if ((unsigned)v->ivlen != crypto_aead_ivsize(tfm) ||
		    (!tv->decrypt_err && (unsigned)v->clen != v->plen + authsize)) {
			rc = fail(t, -EINVAL, "%s: vector lengths do not fit the algorithm", tv->source);
			break;
		}
		for (int layout = 0; layout < NLAYOUTS && !rc; layout++) {
			if (tv->decrypt_err) {
				/* Negative vector: only decryption, which must fail. */
				rc = aead_one(tfm, tv, v, layout, 1, t);
				continue;
			}
			rc = aead_one(tfm, tv, v, layout, 0, t) ?: aead_one(tfm, tv, v, layout, 1, t);
			if (!rc && authsize)
				rc = aead_one(tfm, tv, v, layout, 2, t);
		}
	}
	crypto_free_aead(tfm);
	return rc;
}

/* ---- shash ---- */

int alg_test_hash(struct crypto_alg *alg, const struct alg_test_desc *d,
	          struct alg_test_ctx *t)
{
	struct vbufs *v = t->v;
	struct crypto_shash *tfm;
	int rc;

	if (!d->vecs.hash)
		return -ENOENT;
	rc = crypto_spawn_shash(&tfm, alg);
	if (rc)
		return fail(t, rc, "cannot allocate transform");
	for (unsigned int i = 0; i < d->vecs.count && !rc; i++) {
		const struct hash_testvec *tv = &d->vecs.hash[i];
		unsigned int reps = tv->repeat ? tv->repeat : 1;
		uint8_t out[64], out2[64];
		int dlen = 0;
		struct tbuf sb;

		if ((rc = parse(t, v->key, sizeof(v->key), tv->key, &v->klen, "key", tv->source)) ||
		    (rc = parse(t, v->p, sizeof(v->p), tv->ptext, &v->plen, "ptext", tv->source)) ||
		    (rc = parse(t, v->c, sizeof(v->c), tv->digest, &dlen, "digest", tv->source)))
			break;
		if (tv->key) {
			rc = crypto_shash_setkey(tfm, v->key, v->klen);
			if (rc != tv->setkey_err) {
				rc = fail(t, -EBADMSG, "%s: setkey returned %d, expected %d",
					  tv->source, rc, tv->setkey_err);
				break;
			}
			rc = 0;
			if (tv->setkey_err)
				continue;
		}
		if ((unsigned)dlen > crypto_shash_digestsize(tfm)) {
			rc = fail(t, -EINVAL, "%s: digest longer than the algorithm's", tv->source);
			break;
		}
		{
			SHASH_DESC_ON_STACK(desc, tfm);

			if (reps == 1) {
				rc = crypto_shash_digest(desc, v->p, v->plen, out);
			} else {
				rc = crypto_shash_init(desc);
				for (unsigned int r = 0; r < reps && !rc; r++)
					rc = crypto_shash_update(desc, v->p, v->plen);
				rc = rc ?: crypto_shash_final(desc, out);
			}
			/* The same through a chained scatterlist, piece by piece. */
			if (!rc && reps == 1 && !(rc = tbuf_make(&sb, v->p, v->plen, v->plen, 1))) {
				rc = crypto_shash_init(desc) ?:
				     crypto_shash_update_sg(desc, &sb.sg, 0, v->plen) ?:
				     crypto_shash_final(desc, out2);
				tbuf_free(&sb);
				if (!rc && memcmp(out, out2, dlen))
					rc = fail(t, -EBADMSG, "%s: chained digest differs from flat",
						  tv->source);
			}
			shash_desc_zero(desc);
		}
		if (rc) {
			if (rc != -EBADMSG)
				rc = fail(t, rc, "%s: digest returned %d", tv->source, rc);
			break;
		}
		if (!tv->wrong && memcmp(out, v->c, dlen))
			rc = fail(t, -EBADMSG, "%s: digest mismatch", tv->source);
		else if (tv->wrong && !memcmp(out, v->c, dlen))
			rc = fail(t, -EBADMSG, "%s: negative vector matched", tv->source);
	}
	crypto_free_shash(tfm);
	return rc;
}

/* ---- rng (deterministic generators) ---- */

int alg_test_rng(struct crypto_alg *alg, const struct alg_test_desc *d, struct alg_test_ctx *t)
{
	struct crypto_rng *tfm;
	int rc;

	if (!d->vecs.rng)
		return -ENOENT;
	/* Spawned from alg itself: it is not tested yet, so no lookup finds it. */
	rc = crypto_spawn_rng(&tfm, alg);
	if (rc)
		return fail(t, rc, "rng init failed");
	for (unsigned int i = 0; i < d->vecs.count && !rc; i++) {
		const struct rng_testvec *tv = &d->vecs.rng[i];
		uint8_t seed[512], add[256], want[512], got[512];
		int n1, n2, n3, alen, olen;

		n1 = crypto_hex2bin(seed, sizeof(seed), tv->entropy);
		n2 = n1 < 0 ? -1 : crypto_hex2bin(seed + n1, sizeof(seed) - n1, tv->nonce);
		n3 = n2 < 0 ? -1 : crypto_hex2bin(seed + n1 + n2, sizeof(seed) - n1 - n2, tv->pers);
		olen = crypto_hex2bin(want, sizeof(want), tv->output);
		if (n3 < 0 || olen <= 0) {
			rc = fail(t, -EINVAL, "%s: bad vector", tv->source);
			break;
		}
		rc = crypto_rng_reset(tfm, seed, n1 + n2 + n3);
		if (!rc) {
			alen = crypto_hex2bin(add, sizeof(add), tv->add_a);
			rc = alen < 0 ? -EINVAL : crypto_rng_generate(tfm, add, alen, got, olen);
		}
		if (!rc) {
			alen = crypto_hex2bin(add, sizeof(add), tv->add_b);
			rc = alen < 0 ? -EINVAL : crypto_rng_generate(tfm, add, alen, got, olen);
		}
		if (rc)
			rc = fail(t, rc, "%s: rng returned %d", tv->source, rc);
		else if (memcmp(got, want, olen))
			rc = fail(t, -EBADMSG, "%s: output mismatch", tv->source);
		crypto_wipe(seed, sizeof(seed));
	}
	crypto_free_rng(tfm);
	return rc;
}

int alg_test(struct crypto_alg *alg, char *msg, size_t msglen)
{
	const struct alg_test_desc *d = find_desc(alg->cra_driver_name);
	struct alg_test_ctx t = { .msg = msg, .msglen = msglen };
	const struct crypto_type *ty;
	struct vbufs *v;
	int rc;

	if (!d)
		d = find_desc(alg->cra_name);
	if (!d) {
		snprintf(msg, msglen, "no self-test for %s", alg->cra_name);
		return -ENOENT;
	}
	if (d->test) {
		rc = d->test(alg, msg, msglen);
		if (rc || !d->vecs.count)
			return rc;
	}
	v = malloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	t.v = v;
	ty = crypto_type_of(alg->cra_type);
	rc = ty ? ty->selftest(alg, d, &t) : -EINVAL;
	if (rc == -ENOENT && !msg[0])
		snprintf(msg, msglen, "no vectors of the right type for %s", alg->cra_name);
	crypto_wipe(v, sizeof(*v));
	free(v);
	return rc;
}
