/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Galois/Counter Mode (NIST SP 800-38D) and its ESP forms.
 *
 *  ghash            the universal hash of SP 800-38D 6.4, keyed with H;
 *                   constant time (no table indexed by secret data)
 *  gcm(C)           AEAD over a 16-byte block cipher, 12-byte IV
 *  rfc4106(gcm(C))  ESP AES-GCM (RFC 4106): key || 4-byte salt, 8-byte IV
 *  rfc4543(gcm(C))  ESP AES-GMAC (RFC 4543): authentication only
 *
 * The ESP templates wrap whichever gcm(C) is best, so an accelerated gcm
 * lifts them too. As in the kernel, their associated data ends with the
 * 8-byte explicit IV (assoclen 16 or 20); rfc4106 leaves it out of the GHASH
 * input (RFC 4106 5), rfc4543 authenticates it with everything else
 * (RFC 4543 3.3).
 */
#include <string.h>

#include "algapi.h"

#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#define GCM_BLOCK 16
#define GCM_IV_SIZE 12

/* ---- carry-less multiplication without secret-dependent memory access ---- */

/*
 * A 64x64 carry-less product from ordinary integer products: each operand is
 * split into five parts whose set bits are five positions apart. An integer
 * product of two parts adds at most 13 one-bit terms per position, which fits
 * in the four zero bits before the next position of the same residue, so no
 * carry reaches a bit that is kept; masking keeps the parity (the XOR).
 */
#define CLMUL_PARTS 5

static const uint64_t part_mask[CLMUL_PARTS] = {
	0x1084210842108421ull, 0x2108421084210842ull, 0x4210842108421084ull,
	0x8421084210842108ull, 0x0842108421084210ull,
};

struct u128w {
	uint64_t hi, lo;
};

/* An operand split into its parts once (H is reused for every block). */
struct clmul_op {
	uint64_t p[CLMUL_PARTS];
};

static inline void clmul_split(struct clmul_op *op, uint64_t y)
{
	for (int i = 0; i < CLMUL_PARTS; i++)
		op->p[i] = y & part_mask[i];
}

#if defined(__SIZEOF_INT128__) && !defined(GHASH_NO_INT128)
typedef unsigned __int128 u128;

#define MUL(a, b) ((u128)(a) * (b))
/* Keep the bits of class k in the 128-bit product (64 + q is in class q + 4). */
#define KEEP(z, k) \
	((z) & ((u128)part_mask[((k) + 1) % CLMUL_PARTS] << 64 | part_mask[k]))

static inline struct u128w clmul64(uint64_t x, const struct clmul_op *op)
{
	const uint64_t x0 = x & part_mask[0], x1 = x & part_mask[1], x2 = x & part_mask[2];
	const uint64_t x3 = x & part_mask[3], x4 = x & part_mask[4];
	const uint64_t *y = op->p;
	u128 z0, z1, z2, z3, z4, r;

	/* Class k collects the products of parts i and j with i + j = k mod 5. */
	z0 = MUL(x0, y[0]) ^ MUL(x1, y[4]) ^ MUL(x2, y[3]) ^ MUL(x3, y[2]) ^ MUL(x4, y[1]);
	z1 = MUL(x0, y[1]) ^ MUL(x1, y[0]) ^ MUL(x2, y[4]) ^ MUL(x3, y[3]) ^ MUL(x4, y[2]);
	z2 = MUL(x0, y[2]) ^ MUL(x1, y[1]) ^ MUL(x2, y[0]) ^ MUL(x3, y[4]) ^ MUL(x4, y[3]);
	z3 = MUL(x0, y[3]) ^ MUL(x1, y[2]) ^ MUL(x2, y[1]) ^ MUL(x3, y[0]) ^ MUL(x4, y[4]);
	z4 = MUL(x0, y[4]) ^ MUL(x1, y[3]) ^ MUL(x2, y[2]) ^ MUL(x3, y[1]) ^ MUL(x4, y[0]);
	r = KEEP(z0, 0) | KEEP(z1, 1) | KEEP(z2, 2) | KEEP(z3, 3) | KEEP(z4, 4);
	return (struct u128w){ .hi = (uint64_t)(r >> 64), .lo = (uint64_t)r };
}
#undef MUL
#undef KEEP
#else
/*
 * Without a 128-bit integer type: 32x32 products with four parts (at most
 * eight terms per position, below the four-bit spacing), combined by
 * Karatsuba into 64x64.
 */
static inline uint64_t clmul32(uint32_t x, uint32_t y)
{
	static const uint32_t m[4] = { 0x11111111u, 0x22222222u, 0x44444444u, 0x88888888u };
	uint64_t z[4], r = 0;

	for (int k = 0; k < 4; k++) {
		z[k] = 0;
		for (int i = 0; i < 4; i++)
			z[k] ^= (uint64_t)(x & m[i]) * (y & m[(k - i + 4) % 4]);
		r |= z[k] & ((uint64_t)m[k] << 32 | m[k]);
	}
	return r;
}

static inline struct u128w clmul64(uint64_t x, const struct clmul_op *yop)
{
	uint64_t y = 0, hh, ll, mid;

	for (int i = 0; i < CLMUL_PARTS; i++)
		y |= yop->p[i];
	hh = clmul32(x >> 32, y >> 32);
	ll = clmul32((uint32_t)x, (uint32_t)y);
	mid = clmul32((uint32_t)(x >> 32) ^ (uint32_t)x, (uint32_t)(y >> 32) ^ (uint32_t)y) ^ hh ^ ll;
	return (struct u128w){ .hi = hh ^ (mid >> 32), .lo = ll ^ (mid << 32) };
}
#endif

/* ---- GF(2^128) as GHASH defines it (SP 800-38D 6.3) ---- */

/*
 * Blocks are held as two big-endian words: bit 0 of the block (the x^0
 * coefficient) is the top bit of hi. H is kept split for the three Karatsuba
 * products.
 */
struct ghash_key {
	struct clmul_op h_hi, h_lo, h_mid;
};

static void ghash_key_init(struct ghash_key *k, const uint8_t h[GCM_BLOCK])
{
	uint64_t hi = get_be64(h), lo = get_be64(h + 8);

	clmul_split(&k->h_hi, hi);
	clmul_split(&k->h_lo, lo);
	clmul_split(&k->h_mid, hi ^ lo);
}

/* x = x * H mod x^128 + x^7 + x^2 + x + 1, in the bit-reflected order. */
static inline void gf128_mul_h(uint64_t x[2], const struct ghash_key *k)
{
	struct u128w hh = clmul64(x[0], &k->h_hi);
	struct u128w ll = clmul64(x[1], &k->h_lo);
	struct u128w mm = clmul64(x[0] ^ x[1], &k->h_mid);
	uint64_t z0, z1, z2, z3;

	mm.hi ^= hh.hi ^ ll.hi;
	mm.lo ^= hh.lo ^ ll.lo;
	z0 = hh.hi;
	z1 = hh.lo ^ mm.hi;
	z2 = ll.hi ^ mm.lo;
	z3 = ll.lo;
	/* Reflected operands give a product one bit short of 256: realign. */
	z0 = z0 << 1 | z1 >> 63;
	z1 = z1 << 1 | z2 >> 63;
	z2 = z2 << 1 | z3 >> 63;
	z3 <<= 1;
	/* Fold z2:z3 (the x^128..x^255 terms) back: x^128 = x^7 + x^2 + x + 1. */
	z2 ^= z3 << 63 ^ z3 << 62 ^ z3 << 57;
	z0 ^= z2 ^ z2 >> 1 ^ z2 >> 2 ^ z2 >> 7;
	z1 ^= z3 ^ z3 >> 1 ^ z3 >> 2 ^ z3 >> 7 ^ z2 << 63 ^ z2 << 62 ^ z2 << 57;
	x[0] = z0;
	x[1] = z1;
}

static void ghash_blocks(uint64_t acc[2], const struct ghash_key *k, const uint8_t *p,
			 size_t nblocks)
{
	for (; nblocks; nblocks--, p += GCM_BLOCK) {
		acc[0] ^= get_be64(p);
		acc[1] ^= get_be64(p + 8);
		gf128_mul_h(acc, k);
	}
}

/* ---- shash "ghash" ---- */

struct ghash_state {
	uint64_t acc[2];
	uint8_t buf[GCM_BLOCK];
	uint32_t buflen;
};

static int ghash_setkey(struct crypto_shash *tfm, const uint8_t *key, unsigned int keylen)
{
	if (unlikely(keylen != GCM_BLOCK))
		return -EINVAL;
	ghash_key_init(crypto_shash_ctx(tfm), key);
	return 0;
}

static int ghash_init(struct shash_desc *desc)
{
	memset(shash_desc_ctx(desc), 0, sizeof(struct ghash_state));
	return 0;
}

static int ghash_update(struct shash_desc *desc, const uint8_t *data, size_t len)
{
	const struct ghash_key *k = crypto_shash_ctx(desc->tfm);
	struct ghash_state *s = shash_desc_ctx(desc);

	if (s->buflen) {
		if (!crypto_fill_block(s->buf, &s->buflen, GCM_BLOCK, &data, &len))
			return 0;
		ghash_blocks(s->acc, k, s->buf, 1);
		s->buflen = 0;
	}
	ghash_blocks(s->acc, k, data, len / GCM_BLOCK);
	data += len & ~(size_t)(GCM_BLOCK - 1);
	len &= GCM_BLOCK - 1;
	memcpy(s->buf, data, len);
	s->buflen = len;
	return 0;
}

/* A trailing partial block is zero-padded (SP 800-38D 7.1 step 5). */
static int ghash_final(struct shash_desc *desc, uint8_t *out)
{
	const struct ghash_key *k = crypto_shash_ctx(desc->tfm);
	struct ghash_state *s = shash_desc_ctx(desc);

	if (s->buflen) {
		memset(s->buf + s->buflen, 0, GCM_BLOCK - s->buflen);
		ghash_blocks(s->acc, k, s->buf, 1);
	}
	put_be64(out, s->acc[0]);
	put_be64(out + 8, s->acc[1]);
	crypto_wipe(s, sizeof(*s));
	return 0;
}

static struct shash_alg ghash_alg = {
	.digestsize = GCM_BLOCK,
	.descsize = sizeof(struct ghash_state),
	.min_keysize = GCM_BLOCK,
	.max_keysize = GCM_BLOCK,
	.setkey = ghash_setkey,
	.init = ghash_init,
	.update = ghash_update,
	.final = ghash_final,
	.base = {
		.cra_name = "ghash",
		.cra_driver_name = "ghash-generic",
		.cra_module = "generic",
		.cra_priority = 100,
		.cra_blocksize = GCM_BLOCK,
		.cra_ctxsize = sizeof(struct ghash_key),
	},
};

/* ---- gcm(C) ---- */

/* Counter blocks encrypted per batch, to amortise the loop overhead. */
#define GCM_BATCH 8

/* The children first, in spawn order (crypto_inst_init_aead). */
struct gcm_ctx {
	struct crypto_cipher *cipher;
	struct crypto_shash *ghash;
};

/* Request scratch: everything per operation, wiped when it is done. */
struct gcm_req {
	uint8_t j0[GCM_BLOCK];
	uint8_t ks[GCM_BATCH * GCM_BLOCK];
	uint8_t tag[GCM_BLOCK];
	uint8_t icv[GCM_BLOCK];
	uint32_t ctr;
	struct shash_desc desc;		/* followed by the ghash state */
};

/* SP 800-38D 7.1 step 1: H = CIPH_K(0^128). */
static int gcm_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen)
{
	struct gcm_ctx *ctx = crypto_aead_ctx(tfm);
	uint8_t h[GCM_BLOCK] = { 0 };
	int rc;

	rc = crypto_cipher_setkey(ctx->cipher, key, keylen);
	if (unlikely(rc))
		return rc;
	crypto_cipher_encrypt_one(ctx->cipher, h, h);
	rc = crypto_shash_setkey(ctx->ghash, h, sizeof(h));
	crypto_wipe(h, sizeof(h));
	return rc;
}

/* SP 800-38D 5.2.1.2: tag lengths 128, 120, 112, 104, 96, and 64 or 32. */
static int gcm_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	(void)tfm;
	if (authsize == 4 || authsize == 8 || (authsize >= 12 && authsize <= 16))
		return 0;
	return -EINVAL;
}

static inline void xor_words(uint8_t *dst, const uint8_t *a, const uint8_t *b, uint32_t n)
{
	uint32_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;

		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		x ^= y;
		memcpy(dst + i, &x, 8);
	}
	for (; i < n; i++)
		dst[i] = a[i] ^ b[i];
}

/* GCTR (SP 800-38D 6.5) on one contiguous piece; counter after J0 in r->ctr. */
static void gcm_ctr_run(struct gcm_ctx *ctx, struct gcm_req *r, uint8_t *dst,
			const uint8_t *src, uint32_t n, struct shash_desc *hash_out)
{
	struct cipher_alg *c = crypto_cipher_alg(ctx->cipher);
	uint8_t cb[GCM_BLOCK];

	memcpy(cb, r->j0, GCM_IV_SIZE);
	while (n) {
		uint32_t chunk = n < sizeof(r->ks) ? n : sizeof(r->ks);

		for (uint32_t k = 0; k < chunk; k += GCM_BLOCK) {
			put_be32(cb + GCM_IV_SIZE, ++r->ctr);	/* inc32 */
			c->encrypt(ctx->cipher, r->ks + k, cb);
		}
		xor_words(dst, src, r->ks, chunk);
		if (hash_out)
			crypto_shash_update(hash_out, dst, chunk);
		dst += chunk;
		src += chunk;
		n -= chunk;
	}
}

/* GCTR over [off, off + len) from src to dst; hash the output when asked. */
static void gcm_ctr_sg(struct gcm_ctx *ctx, struct gcm_req *r, struct aead_request *req,
		       uint32_t len, bool hash_output)
{
	struct xsg_walk w;
	uint32_t n;

	xsg_walk_init(&w, req->dst, req->dst_off + req->assoclen, req->src,
		      req->src_off + req->assoclen, len, GCM_BLOCK);
	while ((n = xsg_walk_next(&w)) != 0) {
		gcm_ctr_run(ctx, r, w.dst, w.src, n, hash_output ? &r->desc : NULL);
		xsg_walk_done(&w);
	}
}

static const uint8_t gcm_zeros[GCM_BLOCK];

/* Feed a range of a list to GHASH, zero-padded to a whole block. */
static int gcm_hash_sg(struct shash_desc *d, const struct xsg *sg, uint32_t off, uint32_t len)
{
	int rc = crypto_shash_update_sg(d, sg, off, len);

	if (!rc && (len % GCM_BLOCK))
		rc = crypto_shash_update(d, gcm_zeros, GCM_BLOCK - len % GCM_BLOCK);
	return rc;
}

/* SP 800-38D 7.1 step 2 (96-bit IV): J0 = IV || 0^31 || 1; GHASH starts. */
static int gcm_start(struct gcm_ctx *ctx, struct gcm_req *r, const uint8_t *iv)
{
	memcpy(r->j0, iv, GCM_IV_SIZE);
	put_be32(r->j0 + GCM_IV_SIZE, 1);
	r->ctr = 1;
	r->desc.tfm = ctx->ghash;
	return crypto_shash_init(&r->desc);
}

/* Steps 5-6: S = GHASH(A || pad || C || pad || [len(A)]64 || [len(C)]64); T = E(J0) ^ S. */
static int gcm_finish_tag(struct gcm_ctx *ctx, struct gcm_req *r, uint32_t alen, uint32_t clen)
{
	uint8_t lens[GCM_BLOCK];
	int rc;

	put_be64(lens, (uint64_t)alen * 8);
	put_be64(lens + 8, (uint64_t)clen * 8);
	rc = crypto_shash_update(&r->desc, lens, sizeof(lens)) ?:
	     crypto_shash_final(&r->desc, r->tag);
	if (rc)
		return rc;
	crypto_cipher_encrypt_one(ctx->cipher, r->ks, r->j0);
	crypto_xor(r->tag, r->ks, GCM_BLOCK);
	return 0;
}

static void gcm_req_wipe(struct gcm_req *r)
{
	crypto_wipe(r->ks, sizeof(r->ks));
	crypto_wipe(r->tag, sizeof(r->tag));
	shash_desc_zero(&r->desc);
}

static int gcm_encrypt(struct aead_request *req)
{
	struct crypto_aead *tfm = req->tfm;
	struct gcm_ctx *ctx = crypto_aead_ctx(tfm);
	struct gcm_req *r = aead_request_ctx(req);
	int rc;

	rc = gcm_start(ctx, r, req->iv) ?:
	     gcm_hash_sg(&r->desc, req->src, req->src_off, req->assoclen);
	if (unlikely(rc))
		goto out;
	aead_copy_assoc(req);
	gcm_ctr_sg(ctx, r, req, req->cryptlen, true);
	if (req->cryptlen % GCM_BLOCK)
		crypto_shash_update(&r->desc, gcm_zeros, GCM_BLOCK - req->cryptlen % GCM_BLOCK);
	rc = gcm_finish_tag(ctx, r, req->assoclen, req->cryptlen);
	if (unlikely(rc))
		goto out;
	xsg_copy_from_buf(req->dst, req->dst_off + req->assoclen + req->cryptlen, r->tag,
			  tfm->authsize);
out:
	gcm_req_wipe(r);
	return rc;
}

/* SP 800-38D 7.2: the tag is checked before any plaintext is produced. */
static int gcm_decrypt(struct aead_request *req)
{
	struct crypto_aead *tfm = req->tfm;
	struct gcm_ctx *ctx = crypto_aead_ctx(tfm);
	struct gcm_req *r = aead_request_ctx(req);
	uint32_t clen = req->cryptlen - tfm->authsize;
	int rc;

	rc = gcm_start(ctx, r, req->iv) ?:
	     gcm_hash_sg(&r->desc, req->src, req->src_off, req->assoclen) ?:
	     gcm_hash_sg(&r->desc, req->src, req->src_off + req->assoclen, clen) ?:
	     gcm_finish_tag(ctx, r, req->assoclen, clen);
	if (unlikely(rc))
		goto out;
	xsg_copy_to_buf(r->icv, req->src, req->src_off + req->assoclen + clen, tfm->authsize);
	if (unlikely(crypto_memneq(r->tag, r->icv, tfm->authsize))) {
		rc = -EBADMSG;
		goto out;
	}
	aead_copy_assoc(req);
	gcm_ctr_sg(ctx, r, req, clen, false);
out:
	gcm_req_wipe(r);
	return rc;
}

/* ---- rfc4106(gcm(C)) and rfc4543(gcm(C)) ---- */

#define ESP_SALT_SIZE 4
#define ESP_IV_SIZE 8

struct gcm_esp_variant;

struct gcm_esp_ctx {
	struct crypto_aead *child;	/* first (crypto_inst_init_children) */
	const struct gcm_esp_variant *v;
	uint8_t salt[ESP_SALT_SIZE];
};

/* Request scratch: nonce, the AAD without the IV, the child's view of the lists. */
struct gcm_esp_req {
	uint8_t iv[GCM_IV_SIZE];
	uint8_t aad[12];		/* SPI || [ESN high] || sequence number */
	struct xsg src, dst;
	struct xsg_ent src_ents[XSG_MAX_ENTS + 1];
	struct xsg_ent dst_ents[XSG_MAX_ENTS + 1];
	struct aead_request sub;	/* followed by the child's scratch */
};

/* The template of each ESP form, with what differs between them. */
struct gcm_esp_variant {
	struct crypto_inst_template tmpl;
	int (*setauthsize)(struct crypto_aead *tfm, unsigned int authsize);
	/* Point the child request at the GCM inputs this form defines. */
	int (*prepare)(struct aead_request *req, struct gcm_esp_req *r, bool enc);
};

static inline const struct gcm_esp_variant *to_esp_variant(const struct crypto_alg *inst)
{
	return (const struct gcm_esp_variant *)(const void *)((const char *)inst->cra_tmpl -
		offsetof(struct gcm_esp_variant, tmpl.base));
}

static int gcm_esp_init_tfm(struct crypto_aead *tfm)
{
	struct gcm_esp_ctx *ctx = crypto_aead_ctx(tfm);

	ctx->v = to_esp_variant(tfm->base.alg);
	return crypto_inst_init_children(&tfm->base);
}

/* RFC 4106 8.1 / RFC 4543 8: the last four octets of the key are the salt. */
static int gcm_esp_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen)
{
	struct gcm_esp_ctx *ctx = crypto_aead_ctx(tfm);

	if (unlikely(keylen < ESP_SALT_SIZE))
		return -EINVAL;
	keylen -= ESP_SALT_SIZE;
	memcpy(ctx->salt, key + keylen, ESP_SALT_SIZE);
	return crypto_aead_setkey(ctx->child, key, keylen);
}

/* RFC 4106 8: ICVs of 8, 12 and 16 octets. */
static int rfc4106_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	struct gcm_esp_ctx *ctx = crypto_aead_ctx(tfm);

	if (authsize != 8 && authsize != 12 && authsize != 16)
		return -EINVAL;
	return crypto_aead_setauthsize(ctx->child, authsize);
}

/* RFC 4543 3.4: the ICV is 16 octets. */
static int rfc4543_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	struct gcm_esp_ctx *ctx = crypto_aead_ctx(tfm);

	if (authsize != 16)
		return -EINVAL;
	return crypto_aead_setauthsize(ctx->child, authsize);
}

/* Append the runs of [off, off + len) of a list to another. */
static int xsg_add_range(struct xsg *out, const struct xsg *sg, uint32_t off, uint32_t len)
{
	struct xsg_iter it;
	uint8_t *p;
	uint32_t n;

	xsg_iter_init(&it, sg, off, len);
	while ((n = xsg_iter_next(&it, &p, UINT32_MAX)) != 0)
		if (unlikely(xsg_add(out, p, n)))
			return -EINVAL;	/* more runs than an ESP packet has */
	return 0;
}

/*
 * RFC 4106 5: AAD = SPI || [ESN high] || sequence number; the IV that ends
 * the associated data is not part of it. The child sees a list made of a copy
 * of that AAD followed by the payload.
 */
static int rfc4106_prepare(struct aead_request *req, struct gcm_esp_req *r, bool enc)
{
	uint32_t aadlen = req->assoclen - ESP_IV_SIZE;
	uint32_t outlen = enc ? req->cryptlen + req->tfm->authsize :
				req->cryptlen - req->tfm->authsize;
	bool in_place = xsg_same(req->src, req->dst) && req->src_off == req->dst_off;
	int rc;

	xsg_copy_to_buf(r->aad, req->src, req->src_off, aadlen);
	xsg_init(&r->src, r->src_ents, XSG_MAX_ENTS + 1);
	/* In place the child writes the ICV after the text: cover it too. */
	rc = xsg_add(&r->src, r->aad, aadlen) ?:
	     xsg_add_range(&r->src, req->src, req->src_off + req->assoclen,
			   in_place && enc ? outlen : req->cryptlen);
	if (rc)
		return rc;
	if (!in_place) {
		xsg_init(&r->dst, r->dst_ents, XSG_MAX_ENTS + 1);
		rc = xsg_add(&r->dst, r->aad, aadlen) ?:
		     xsg_add_range(&r->dst, req->dst, req->dst_off + req->assoclen, outlen);
		if (rc)
			return rc;
		aead_copy_assoc(req);
	}
	aead_request_set_crypt(&r->sub, &r->src, 0, in_place ? &r->src : &r->dst, 0,
			       req->cryptlen, r->iv);
	aead_request_set_ad(&r->sub, aadlen);
	return 0;
}

/*
 * RFC 4543 3.3/5: everything is AAD (SPI, [ESN high], sequence number, IV,
 * payload) and the text to encrypt is empty; the child copies the payload as
 * associated data.
 */
static int rfc4543_prepare(struct aead_request *req, struct gcm_esp_req *r, bool enc)
{
	uint32_t icv = enc ? 0 : req->tfm->authsize;

	aead_request_set_crypt(&r->sub, req->src, req->src_off, req->dst, req->dst_off, icv,
			       r->iv);
	aead_request_set_ad(&r->sub, req->assoclen + req->cryptlen - icv);
	return 0;
}

/* One worker for both forms: nonce = salt || IV (RFC 4106 4), then the child. */
static int gcm_esp_crypt(struct aead_request *req, bool enc)
{
	struct gcm_esp_ctx *ctx = crypto_aead_ctx(req->tfm);
	struct gcm_esp_req *r = aead_request_ctx(req);
	int rc;

	if (unlikely(req->assoclen != 16 && req->assoclen != 20))
		return -EINVAL;
	memcpy(r->iv, ctx->salt, ESP_SALT_SIZE);
	memcpy(r->iv + ESP_SALT_SIZE, req->iv, ESP_IV_SIZE);
	aead_request_init(&r->sub, ctx->child);
	rc = ctx->v->prepare(req, r, enc);
	if (!rc)
		rc = enc ? crypto_aead_encrypt(&r->sub) : crypto_aead_decrypt(&r->sub);
	crypto_wipe(r->aad, sizeof(r->aad));
	return rc;
}

static int gcm_esp_encrypt(struct aead_request *req)
{
	return gcm_esp_crypt(req, true);
}

static int gcm_esp_decrypt(struct aead_request *req)
{
	return gcm_esp_crypt(req, false);
}

/* ---- instance creation ---- */

static const struct aead_alg gcm_alg = {
	.ivsize = GCM_IV_SIZE,
	.maxauthsize = GCM_BLOCK,
	.chunksize = GCM_BLOCK,
	.init = crypto_inst_init_aead,
	.exit = crypto_inst_exit_aead,
	.setkey = gcm_setkey,
	.setauthsize = gcm_setauthsize,
	.encrypt = gcm_encrypt,
	.decrypt = gcm_decrypt,
	.base = {
		.cra_module = "generic",
		.cra_blocksize = 1,
		.cra_ctxsize = sizeof(struct gcm_ctx),
	},
};

static int gcm_fill(struct crypto_alg *base)
{
	struct aead_alg *inst = container_of_alg(base, struct aead_alg);
	struct cipher_alg *c = container_of_alg(base->cra_spawns[0], struct cipher_alg);
	struct shash_alg *h = container_of_alg(base->cra_spawns[1], struct shash_alg);

	if (c->base.cra_blocksize != GCM_BLOCK || h->digestsize != GCM_BLOCK)
		return -EINVAL;
	crypto_inst_keysizes(&c->base, 0, &inst->min_keysize, &inst->max_keysize);
	inst->reqsize = sizeof(struct gcm_req) + h->descsize;
	if (h->base.cra_priority > base->cra_priority)
		base->cra_priority = h->base.cra_priority;
	return 0;
}

/* Named after the cipher alone ("gcm(aes)"): ghash is a fixed child. */
static const struct crypto_inst_spec gcm_spec = {
	.type = CRYPTO_ALG_TYPE_AEAD,
	.alg = &gcm_alg,
	.spawns = {
		{ .type = CRYPTO_ALG_TYPE_CIPHER },
		{ .type = CRYPTO_ALG_TYPE_SHASH, .name = "ghash" },
	},
	.fill = gcm_fill,
};

static const struct aead_alg gcm_esp_alg = {
	.ivsize = ESP_IV_SIZE,
	.maxauthsize = GCM_BLOCK,
	.init = gcm_esp_init_tfm,
	.exit = crypto_inst_exit_aead,
	.setkey = gcm_esp_setkey,
	.encrypt = gcm_esp_encrypt,
	.decrypt = gcm_esp_decrypt,
	.base = {
		.cra_module = "generic",
		.cra_blocksize = 1,
		.cra_ctxsize = sizeof(struct gcm_esp_ctx),
	},
};

static int gcm_esp_fill(struct crypto_alg *base)
{
	struct aead_alg *inst = container_of_alg(base, struct aead_alg);
	struct aead_alg *child = container_of_alg(base->cra_spawns[0], struct aead_alg);

	if (child->ivsize != GCM_IV_SIZE || child->maxauthsize != GCM_BLOCK ||
	    strncmp(child->base.cra_name, "gcm(", 4) != 0)
		return -EINVAL;
	if (child->reqsize > 4096 - sizeof(struct gcm_esp_req))
		return -EINVAL;
	crypto_inst_keysizes(&child->base, ESP_SALT_SIZE, &inst->min_keysize,
			     &inst->max_keysize);
	inst->chunksize = child->chunksize;
	inst->reqsize = sizeof(struct gcm_esp_req) + child->reqsize;
	inst->setauthsize = to_esp_variant(base)->setauthsize;
	return 0;
}

/* Synchronous children only: the child request completes inline. */
static const struct crypto_inst_spec gcm_esp_spec = {
	.type = CRYPTO_ALG_TYPE_AEAD,
	.alg = &gcm_esp_alg,
	.spawns = { { .type = CRYPTO_ALG_TYPE_AEAD, .mask = CRYPTO_ALG_ASYNC } },
	.fill = gcm_esp_fill,
};

static struct crypto_inst_template gcm_tmpl = CRYPTO_INST_TEMPLATE("gcm", &gcm_spec);

/* One spec for rfc4106 and rfc4543: only the variant differs. */
static struct gcm_esp_variant rfc4106_variant = {
	.tmpl = CRYPTO_INST_TEMPLATE("rfc4106", &gcm_esp_spec),
	.setauthsize = rfc4106_setauthsize,
	.prepare = rfc4106_prepare,
};

static struct gcm_esp_variant rfc4543_variant = {
	.tmpl = CRYPTO_INST_TEMPLATE("rfc4543", &gcm_esp_spec),
	.setauthsize = rfc4543_setauthsize,
	.prepare = rfc4543_prepare,
};

static int ghash_mod_init(void)
{
	return crypto_register_shash(&ghash_alg);
}

static void ghash_mod_exit(void)
{
	crypto_unregister_alg(&ghash_alg.base);
}

CRYPTO_MODULE(ghash_generic, CRYPTO_MODULE_PRIMITIVE, ghash_mod_init, ghash_mod_exit)
CRYPTO_TEMPLATE_MODULE(gcm, &gcm_tmpl.base, &rfc4106_variant.tmpl.base,
		       &rfc4543_variant.tmpl.base)
