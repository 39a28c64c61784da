/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ChaCha20 stream cipher (RFC 8439 section 2.3, 2.4), "chacha20-generic".
 *
 * The 16-byte IV is the initial state words 12..15 as the kernel's chacha20
 * takes them: a 32-bit little-endian block counter, then the 96-bit nonce.
 * After a request the counter in the IV is advanced past the last block used,
 * so a request of whole blocks can be continued by the next one.
 *
 * Only additions, rotations and XORs on 32-bit words: constant time.
 */
#include <string.h>

#include "algapi.h"

#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#define CHACHA_KEY_SIZE		32
#define CHACHA_IV_SIZE		16
#define CHACHA_BLOCK_SIZE	64
#define CHACHA_ROUNDS		20

struct chacha_ctx {
	uint32_t key[8];
};

static inline uint32_t rotl32(uint32_t v, int n)
{
	return (v << n) | (v >> (32 - n));
}

/* RFC 8439 2.1: the quarter round on four words of the state. */
#define QUARTERROUND(x, a, b, c, d)                                           \
	do {                                                                  \
		x[a] += x[b]; x[d] = rotl32(x[d] ^ x[a], 16);                 \
		x[c] += x[d]; x[b] = rotl32(x[b] ^ x[c], 12);                 \
		x[a] += x[b]; x[d] = rotl32(x[d] ^ x[a], 8);                  \
		x[c] += x[d]; x[b] = rotl32(x[b] ^ x[c], 7);                  \
	} while (0)

/* RFC 8439 2.3: 20 rounds (10 column + diagonal pairs), then add the input. */
static void chacha_block(const uint32_t state[16], uint32_t out[16])
{
	uint32_t x[16];
	int i;

	memcpy(x, state, sizeof(x));
	for (i = 0; i < CHACHA_ROUNDS; i += 2) {
		QUARTERROUND(x, 0, 4, 8, 12);
		QUARTERROUND(x, 1, 5, 9, 13);
		QUARTERROUND(x, 2, 6, 10, 14);
		QUARTERROUND(x, 3, 7, 11, 15);
		QUARTERROUND(x, 0, 5, 10, 15);
		QUARTERROUND(x, 1, 6, 11, 12);
		QUARTERROUND(x, 2, 7, 8, 13);
		QUARTERROUND(x, 3, 4, 9, 14);
	}
	for (i = 0; i < 16; i++)
		out[i] = x[i] + state[i];
}

/* RFC 8439 2.3: constants, key, counter, nonce. */
static void chacha_init_state(uint32_t state[16], const struct chacha_ctx *ctx,
			      const uint8_t iv[CHACHA_IV_SIZE])
{
	/* "expand 32-byte k" */
	state[0] = 0x61707865;
	state[1] = 0x3320646e;
	state[2] = 0x79622d32;
	state[3] = 0x6b206574;
	memcpy(&state[4], ctx->key, sizeof(ctx->key));
	for (int i = 0; i < 4; i++)
		state[12 + i] = get_le32(iv + 4 * i);
}

/* XOR len (<= 64) bytes of the next keystream block; advance the counter. */
static void chacha_xor_block(uint32_t state[16], uint32_t ks[16], uint8_t *dst,
			     const uint8_t *src, uint32_t len)
{
	uint32_t i;

	chacha_block(state, ks);
	state[12]++;
	if (len == CHACHA_BLOCK_SIZE) {
		for (i = 0; i < 16; i++)
			put_le32(dst + 4 * i, get_le32(src + 4 * i) ^ ks[i]);
		return;
	}
	for (i = 0; i < len; i++)
		dst[i] = src[i] ^ (uint8_t)(ks[i / 4] >> (8 * (i % 4)));
}

/* RFC 8439 2.4: encryption and decryption are the same keystream XOR. */
static int chacha_crypt(struct skcipher_request *req)
{
	const struct chacha_ctx *ctx = crypto_skcipher_ctx(req->tfm);
	struct xsg_walk walk;
	uint32_t state[16], ks[16];
	uint32_t n;

	chacha_init_state(state, ctx, req->iv);
	xsg_walk_init(&walk, req->dst, req->dst_off, req->src, req->src_off, req->cryptlen,
		      CHACHA_BLOCK_SIZE);
	while ((n = xsg_walk_next(&walk)) != 0) {
		for (uint32_t off = 0; off < n; off += CHACHA_BLOCK_SIZE) {
			uint32_t len = n - off < CHACHA_BLOCK_SIZE ? n - off : CHACHA_BLOCK_SIZE;

			chacha_xor_block(state, ks, walk.dst + off, walk.src + off, len);
		}
		xsg_walk_done(&walk);
	}
	put_le32(req->iv, state[12]);
	crypto_wipe(state, sizeof(state));
	crypto_wipe(ks, sizeof(ks));
	crypto_wipe(walk.bounce, sizeof(walk.bounce));
	return 0;
}

static int chacha_setkey(struct crypto_skcipher *tfm, const uint8_t *key, unsigned int keylen)
{
	struct chacha_ctx *ctx = crypto_skcipher_ctx(tfm);

	if (unlikely(keylen != CHACHA_KEY_SIZE))
		return -EINVAL;
	for (int i = 0; i < 8; i++)
		ctx->key[i] = get_le32(key + 4 * i);
	return 0;
}

static struct skcipher_alg chacha_alg = {
	.min_keysize = CHACHA_KEY_SIZE,
	.max_keysize = CHACHA_KEY_SIZE,
	.ivsize = CHACHA_IV_SIZE,
	.chunksize = CHACHA_BLOCK_SIZE,
	.setkey = chacha_setkey,
	.encrypt = chacha_crypt,
	.decrypt = chacha_crypt,
	.base = {
		.cra_name = "chacha20",
		.cra_driver_name = "chacha20-generic",
		.cra_module = "generic",
		.cra_priority = 100,
		.cra_blocksize = 1,
		.cra_ctxsize = sizeof(struct chacha_ctx),
	},
};

static int chacha_mod_init(void)
{
	return crypto_register_skcipher(&chacha_alg);
}

static void chacha_mod_exit(void)
{
	crypto_unregister_alg(&chacha_alg.base);
}

CRYPTO_MODULE(chacha20_generic, CRYPTO_MODULE_PRIMITIVE, chacha_mod_init, chacha_mod_exit)
