/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Poly1305 one-time authenticator (RFC 8439 section 2.5), "poly1305-generic".
 *
 * An unkeyed shash: the first 32 bytes fed are the one-time key r || s, the
 * rest is the message. A per-message key (the AEAD derives one per packet)
 * therefore needs no setkey, and the whole state lives in the shash_desc.
 *
 * The accumulator and r are held in five 26-bit limbs, so every product fits
 * a 64-bit word; there are no secret-dependent branches or indices.
 */
#include <string.h>

#include "algapi.h"

#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#define POLY1305_KEY_SIZE	32
#define POLY1305_BLOCK_SIZE	16
#define POLY1305_DIGEST_SIZE	16
#define LIMB_MASK		0x3ffffffu

struct poly1305_state {
	uint32_t r[5];		/* clamped r, 26-bit limbs */
	uint32_t s5[4];		/* 5 * r[1..4], for the reduction mod 2^130 - 5 */
	uint32_t h[5];		/* accumulator */
	uint32_t pad[4];	/* s, the second key half */
	uint8_t buf[POLY1305_KEY_SIZE];	/* key bytes, then a partial block */
	uint32_t buflen;
	bool keyed;
};

/* Split 16 little-endian bytes into five 26-bit limbs. */
static inline void load_limbs(uint32_t l[5], uint32_t w0, uint32_t w1, uint32_t w2,
			      uint32_t w3)
{
	l[0] = w0 & LIMB_MASK;
	l[1] = ((w0 >> 26) | (w1 << 6)) & LIMB_MASK;
	l[2] = ((w1 >> 20) | (w2 << 12)) & LIMB_MASK;
	l[3] = ((w2 >> 14) | (w3 << 18)) & LIMB_MASK;
	l[4] = w3 >> 8;
}

/* RFC 8439 2.5: r is clamped, s is kept as the final addend. */
static void poly1305_setkey_state(struct poly1305_state *st, const uint8_t key[32])
{
	load_limbs(st->r, get_le32(key) & 0x0fffffff, get_le32(key + 4) & 0x0ffffffc,
		   get_le32(key + 8) & 0x0ffffffc, get_le32(key + 12) & 0x0ffffffc);
	for (int i = 0; i < 4; i++) {
		st->s5[i] = st->r[i + 1] * 5;
		st->pad[i] = get_le32(key + 16 + 4 * i);
	}
	memset(st->h, 0, sizeof(st->h));
	st->keyed = true;
}

/*
 * h = (h + m) * r mod 2^130 - 5 for each 16-byte block; hibit is 2^128 as
 * limb-4 bit 24 for whole blocks, 0 for the padded final block.
 */
static void poly1305_blocks(struct poly1305_state *st, const uint8_t *m, size_t nblocks,
			    uint32_t hibit)
{
	const uint32_t r0 = st->r[0], r1 = st->r[1], r2 = st->r[2], r3 = st->r[3], r4 = st->r[4];
	const uint32_t s1 = st->s5[0], s2 = st->s5[1], s3 = st->s5[2], s4 = st->s5[3];
	uint32_t h0 = st->h[0], h1 = st->h[1], h2 = st->h[2], h3 = st->h[3], h4 = st->h[4];
	uint64_t d0, d1, d2, d3, d4, c;
	uint32_t ml[5];

	while (nblocks--) {
		load_limbs(ml, get_le32(m), get_le32(m + 4), get_le32(m + 8), get_le32(m + 12));
		h0 += ml[0];
		h1 += ml[1];
		h2 += ml[2];
		h3 += ml[3];
		h4 += ml[4] | hibit;

		/* Limb products of weight 2^130 and above fold back times 5. */
		d0 = (uint64_t)h0 * r0 + (uint64_t)h1 * s4 + (uint64_t)h2 * s3 +
		     (uint64_t)h3 * s2 + (uint64_t)h4 * s1;
		d1 = (uint64_t)h0 * r1 + (uint64_t)h1 * r0 + (uint64_t)h2 * s4 +
		     (uint64_t)h3 * s3 + (uint64_t)h4 * s2;
		d2 = (uint64_t)h0 * r2 + (uint64_t)h1 * r1 + (uint64_t)h2 * r0 +
		     (uint64_t)h3 * s4 + (uint64_t)h4 * s3;
		d3 = (uint64_t)h0 * r3 + (uint64_t)h1 * r2 + (uint64_t)h2 * r1 +
		     (uint64_t)h3 * r0 + (uint64_t)h4 * s4;
		d4 = (uint64_t)h0 * r4 + (uint64_t)h1 * r3 + (uint64_t)h2 * r2 +
		     (uint64_t)h3 * r1 + (uint64_t)h4 * r0;

		/* Partial carry: limbs back to about 26 bits. */
		c = d0 >> 26; h0 = (uint32_t)d0 & LIMB_MASK; d1 += c;
		c = d1 >> 26; h1 = (uint32_t)d1 & LIMB_MASK; d2 += c;
		c = d2 >> 26; h2 = (uint32_t)d2 & LIMB_MASK; d3 += c;
		c = d3 >> 26; h3 = (uint32_t)d3 & LIMB_MASK; d4 += c;
		c = d4 >> 26; h4 = (uint32_t)d4 & LIMB_MASK;
		c = h0 + c * 5;
		h0 = (uint32_t)c & LIMB_MASK;
		h1 += (uint32_t)(c >> 26);

		m += POLY1305_BLOCK_SIZE;
	}
	st->h[0] = h0; st->h[1] = h1; st->h[2] = h2; st->h[3] = h3; st->h[4] = h4;
}

/* One full carry pass; the carry out of limb 4 re-enters limb 0 times 5. */
static void poly1305_carry(uint32_t h[5])
{
	uint32_t c;

	for (int i = 0; i < 4; i++) {
		c = h[i] >> 26;
		h[i] &= LIMB_MASK;
		h[i + 1] += c;
	}
	c = h[4] >> 26;
	h[4] &= LIMB_MASK;
	h[0] += c * 5;
}

/* RFC 8439 2.5: tag = ((h mod p) + s) mod 2^128. */
static void poly1305_emit(struct poly1305_state *st, uint8_t out[16])
{
	uint32_t h[5], g[5], mask, c;
	uint64_t f;

	memcpy(h, st->h, sizeof(h));
	/* Two passes leave every limb below 2^26 and h below 2^130. */
	poly1305_carry(h);
	poly1305_carry(h);

	/* g = h - p = h + 5 - 2^130; keep g when it did not borrow. */
	c = 5;
	for (int i = 0; i < 4; i++) {
		g[i] = h[i] + c;
		c = g[i] >> 26;
		g[i] &= LIMB_MASK;
	}
	g[4] = h[4] + c - (1u << 26);
	mask = (g[4] >> 31) - 1;	/* all ones when h >= p */
	for (int i = 0; i < 5; i++)
		h[i] = (h[i] & ~mask) | (g[i] & mask);

	/* Back to four 32-bit words (mod 2^128), then add s. */
	f = (uint64_t)(h[0] | (h[1] << 26)) + st->pad[0];
	put_le32(out, (uint32_t)f);
	f = (uint64_t)((h[1] >> 6) | (h[2] << 20)) + st->pad[1] + (f >> 32);
	put_le32(out + 4, (uint32_t)f);
	f = (uint64_t)((h[2] >> 12) | (h[3] << 14)) + st->pad[2] + (f >> 32);
	put_le32(out + 8, (uint32_t)f);
	f = (uint64_t)((h[3] >> 18) | (h[4] << 8)) + st->pad[3] + (f >> 32);
	put_le32(out + 12, (uint32_t)f);

	crypto_wipe(h, sizeof(h));
	crypto_wipe(g, sizeof(g));
}

static int poly1305_init(struct shash_desc *desc)
{
	struct poly1305_state *st = shash_desc_ctx(desc);

	memset(st, 0, sizeof(*st));
	return 0;
}

/* Gather the 32 key bytes; returns how many bytes of data were taken. */
static size_t poly1305_take_key(struct poly1305_state *st, const uint8_t *data, size_t len)
{
	size_t n = POLY1305_KEY_SIZE - st->buflen;

	if (n > len)
		n = len;
	memcpy(st->buf + st->buflen, data, n);
	st->buflen += n;
	if (st->buflen == POLY1305_KEY_SIZE) {
		poly1305_setkey_state(st, st->buf);
		crypto_wipe(st->buf, sizeof(st->buf));
		st->buflen = 0;
	}
	return n;
}

static int poly1305_update(struct shash_desc *desc, const uint8_t *data, size_t len)
{
	struct poly1305_state *st = shash_desc_ctx(desc);
	size_t n;

	if (!st->keyed) {
		n = poly1305_take_key(st, data, len);
		if (!st->keyed)
			return 0;
		data += n;
		len -= n;
	}
	if (st->buflen) {
		n = POLY1305_BLOCK_SIZE - st->buflen;
		if (n > len)
			n = len;
		memcpy(st->buf + st->buflen, data, n);
		st->buflen += n;
		data += n;
		len -= n;
		if (st->buflen < POLY1305_BLOCK_SIZE)
			return 0;
		poly1305_blocks(st, st->buf, 1, 1u << 24);
		st->buflen = 0;
	}
	if (len >= POLY1305_BLOCK_SIZE) {
		n = len / POLY1305_BLOCK_SIZE;
		poly1305_blocks(st, data, n, 1u << 24);
		data += n * POLY1305_BLOCK_SIZE;
		len -= n * POLY1305_BLOCK_SIZE;
	}
	if (len) {
		memcpy(st->buf, data, len);
		st->buflen = len;
	}
	return 0;
}

static int poly1305_final(struct shash_desc *desc, uint8_t *out)
{
	struct poly1305_state *st = shash_desc_ctx(desc);
	int rc = 0;

	if (unlikely(!st->keyed)) {
		rc = -ENOKEY;	/* fewer than 32 bytes: no one-time key */
		goto out;
	}
	if (st->buflen) {
		/* RFC 8439 2.5.1: a short last block gets a 0x01 byte, then zeros. */
		st->buf[st->buflen] = 1;
		memset(st->buf + st->buflen + 1, 0, POLY1305_BLOCK_SIZE - st->buflen - 1);
		poly1305_blocks(st, st->buf, 1, 0);
	}
	poly1305_emit(st, out);
out:
	crypto_wipe(st, sizeof(*st));
	return rc;
}

static struct shash_alg poly1305_alg = {
	.digestsize = POLY1305_DIGEST_SIZE,
	.descsize = sizeof(struct poly1305_state),
	.init = poly1305_init,
	.update = poly1305_update,
	.final = poly1305_final,
	.base = {
		.cra_name = "poly1305",
		.cra_driver_name = "poly1305-generic",
		.cra_module = "generic",
		.cra_priority = 100,
		.cra_blocksize = POLY1305_BLOCK_SIZE,
	},
};

static int poly1305_mod_init(void)
{
	return crypto_register_shash(&poly1305_alg);
}

static void poly1305_mod_exit(void)
{
	crypto_unregister_alg(&poly1305_alg.base);
}

CRYPTO_MODULE(poly1305_generic, CRYPTO_MODULE_PRIMITIVE, poly1305_mod_init, poly1305_mod_exit)
