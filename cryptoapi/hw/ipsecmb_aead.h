/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one-run fast path shared by the GCM and ChaCha20-Poly1305 drivers:
 * finding text || ICV in one run of a list, gathering split associated data
 * (ESN) on the stack, comparing tags and wiping small stack objects without
 * a call, and the macro that builds the entry points and bursts around an
 * always-inlined request function. Everything here is static inline so it
 * is compiled into each driver's hot loop with no call.
 */
#ifndef XFRMGW_CRYPTOAPI_HW_IPSECMB_AEAD_H
#define XFRMGW_CRYPTOAPI_HW_IPSECMB_AEAD_H

#include "ipsecmb.h"

/* Associated data gathered on the stack when it spans runs (ESN: 3 runs). */
#define IMB_AAD_GATHER 32
/* A fast path declines: take the scatterlist path. Never an error code. */
#define IMB_SLOW 1

/*
 * Zero a small stack object. The empty asm that may read it keeps the stores
 * (the same guarantee as crypto_wipe, without a call for 16..96 bytes).
 */
static inline void imb_wipe_small(void *p, size_t len)
{
	memset(p, 0, len);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

/* Constant-time tag comparison, word-wise for the usual 16-byte ICV. */
static inline int imb_tag_neq(const uint8_t *a, const uint8_t *b, uint32_t len)
{
	uint64_t a0, a1, b0, b1;

	if (len != 16)
		return crypto_memneq(a, b, len);
	memcpy(&a0, a, 8);
	memcpy(&a1, a + 8, 8);
	memcpy(&b0, b, 8);
	memcpy(&b1, b + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) != 0;
}

/*
 * Pointer to [off, off + len) when it lies in one run of sg, else NULL. Lists
 * on the data path are short before the text: one run for a flat buffer or a
 * one-segment mbuf, three for ESP with ESN.
 */
static inline uint8_t *imb_run(const struct xsg *sg, uint32_t off, uint32_t len)
{
	const struct xsg_ent *e = sg->ent, *end = e + sg->nents;

	for (; e < end; e++) {
		if (off < e->len)
			return len <= e->len - off ? e->addr + off : NULL;
		off -= e->len;
	}
	return NULL;
}

/* A few bytes without a call: ESP's pieces are 4-byte fields. */
static inline void imb_copy_small(uint8_t *d, const uint8_t *s, uint32_t n)
{
	for (; n >= 8; n -= 8, d += 8, s += 8)
		memcpy(d, s, 8);
	if (n >= 4) {
		memcpy(d, s, 4);
		n -= 4;
		d += 4;
		s += 4;
	}
	while (n--)
		*d++ = *s++;
}

/* Copy len bytes at off into buf; false if the list ends first. */
static inline bool imb_gather(uint8_t *buf, const struct xsg *sg, uint32_t off, uint32_t len)
{
	const struct xsg_ent *e = sg->ent, *end = e + sg->nents;

	for (; e < end && off >= e->len; e++)
		off -= e->len;
	for (; e < end && len; e++) {
		uint32_t n = e->len - off < len ? e->len - off : len;

		imb_copy_small(buf, e->addr + off, n);
		buf += n;
		len -= n;
		off = 0;
	}
	return len == 0;
}

/* The associated data as one pointer: in its run, or gathered into buf. */
static inline const uint8_t *imb_aad(const struct xsg *sg, uint32_t off, uint32_t len,
				     uint8_t *buf)
{
	static const uint8_t none[1];
	const uint8_t *p;

	if (len == 0)
		return none;
	p = imb_run(sg, off, len);
	if (likely(p))
		return p;
	if (len <= IMB_AAD_GATHER && imb_gather(buf, sg, off, len))
		return buf;
	return NULL;
}

static inline bool imb_in_place(const struct aead_request *req)
{
	return req->src == req->dst && req->src_off == req->dst_off;
}


/*
 * Entry points and bursts per kind and direction. A burst is a loop over the
 * inlined request path: GCM jobs would run one at a time in the library as
 * well, so there is nothing to gain from the job queue here.
 */
#define IMB_AEAD_OPS(fn, crypt, arg)                                          \
	static int fn##_encrypt(struct aead_request *req)                     \
	{                                                                     \
		return crypt(req, arg, true);                                 \
	}                                                                     \
	static int fn##_decrypt(struct aead_request *req)                     \
	{                                                                     \
		return crypt(req, arg, false);                                \
	}                                                                     \
	static uint16_t fn##_encrypt_burst(struct crypto_aead *tfm,           \
					   struct aead_request **reqs, uint16_t n) \
	{                                                                     \
		(void)tfm;                                                    \
		for (uint16_t i = 0; i < n; i++)                              \
			reqs[i]->err = crypt(reqs[i], arg, true);             \
		return n;                                                     \
	}                                                                     \
	static uint16_t fn##_decrypt_burst(struct crypto_aead *tfm,           \
					   struct aead_request **reqs, uint16_t n) \
	{                                                                     \
		(void)tfm;                                                    \
		for (uint16_t i = 0; i < n; i++)                              \
			reqs[i]->err = crypt(reqs[i], arg, false);            \
		return n;                                                     \
	}


#endif
