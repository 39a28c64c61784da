/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-bench traffic: mbufs from a pool through outbound then inbound ESP,
 * round after round, on one or more lcores. Every implementation is a "pair"
 * (outbound SA + inbound SA with the same keys and SPI) behind the same two
 * burst calls, so the loop, the packets and the core are shared:
 *
 *   raw     intel-ipsec-mb called directly on the ESP payload (the limit)
 *   xfrmgw  esp_outbound() / esp_inbound() over sa/ SAs (the product)
 *   peer    DPDK rte_ipsec with a crypto_aesni_mb session, CPU crypto or
 *           lookaside, as ipsec-secgw drives it (ipsec_peer.c)
 *
 * Outbound turns plain IPv4 packets into tunnel-mode ESP; inbound turns them
 * back, so the next round starts from the same plain packets and the
 * sequence numbers advance as on a real link (the replay window is live).
 */
#ifndef XFRMGW_BENCH_TRAFFIC_H
#define XFRMGW_BENCH_TRAFFIC_H

#include <stdbool.h>
#include <stdint.h>

struct rte_mbuf;
struct rte_mempool;

/* The subcommand (bench/main.c's table). */
int bench_traffic_main(int argc, char **argv);

#define TR_BURST	32u
#define TR_MAX_LCORES	8u
#define TR_MAX_MIX	12u

/* Outer tunnel endpoints and the SPI every implementation uses. */
#define TR_SPI		0x00b3e400u
#define TR_OUTER_SRC	"198.51.100.1"
#define TR_OUTER_DST	"198.51.100.2"

/* One algorithm, in XFRM terms (the peer maps it to cryptodev xforms). */
struct tr_alg {
	const char *label;
	const char *aead;	/* XFRMA_ALG_AEAD name, or NULL */
	const char *enc;	/* XFRMA_ALG_CRYPT name, or NULL */
	const char *auth;	/* XFRMA_ALG_AUTH_TRUNC name, or NULL */
	unsigned int enckey;	/* AEAD: key bytes including the 4-byte salt */
	unsigned int authkey;
	unsigned int icv_bits;	/* AEAD ICV or auth truncation */
	unsigned int block;	/* ESP payload alignment (RFC 4303 2.4) */
	unsigned int ivlen;	/* explicit IV bytes on the wire */
};

/* Keys of an algorithm: deterministic bytes, the same for every implementation. */
void tr_alg_keys(const struct tr_alg *a, uint8_t *enckey, uint8_t *authkey);

/* A packet size, or a mix repeated over the packets (IMIX 7:4:1). */
struct tr_size {
	const char *label;
	uint16_t len[TR_MAX_MIX];	/* inner IPv4 packet bytes, cycled */
	unsigned int n;
};

double tr_size_mean(const struct tr_size *s);

/* ESP payload bytes (inner packet + padding + trailer) of an inner packet. */
static inline uint32_t tr_esp_text(const struct tr_alg *a, uint32_t len)
{
	uint32_t b = a->block < 4 ? 4 : a->block;

	return (len + 2 + b - 1) / b * b;
}

/* ---- implementations ---- */

enum tr_impl { TR_RAW = 0, TR_XFRMGW, TR_PEER_CPU, TR_PEER_LKSD, TR_IMPLS };

extern const char *const tr_impl_name[TR_IMPLS];

/*
 * A pair: setup for an algorithm (pair index idx: SPI = TR_SPI + idx), then
 * bursts. out/in return the good packets, at the front of mb[], bad ones
 * behind them (left for the caller). lcore_init runs once on each lcore
 * before its first burst (per-thread state); ctx is per lcore.
 */
struct tr_ops {
	void *(*lcore_init)(unsigned int lcore_idx, struct rte_mempool *pool);
	void (*lcore_fini)(void *ctx);
	void *(*pair_new)(const struct tr_alg *a, unsigned int idx, const char **why);
	void (*pair_free)(void *pair);
	/* Another inbound SA for a shared outbound one (one-SA scaling); may be NULL. */
	void *(*pair_clone_in)(void *pair, const char **why);
	uint16_t (*out)(void *ctx, void *pair, struct rte_mbuf *mb[], uint16_t n);
	uint16_t (*in)(void *ctx, void *pair, struct rte_mbuf *mb[], uint16_t n);
	/* Which driver does the work (for the report); may be NULL. */
	const char *(*driver)(void *pair);
};

extern const struct tr_ops tr_raw_ops;
extern const struct tr_ops tr_xfrmgw_ops;
extern const struct tr_ops tr_peer_cpu_ops;
extern const struct tr_ops tr_peer_lksd_ops;

/* xfrmgw: force the AEAD driver of new SAs (NULL: the registry's choice). */
void tr_xfrmgw_set_driver(const char *driver);

/*
 * The peer's cryptodev: a crypto_aesni_mb vdev created after crypto_init()
 * (so the crypto API's own cryptodev backend leaves it alone), nqp queue
 * pairs. 0 or -errno with *why set; tr_peer_fini() releases it.
 */
int tr_peer_init(unsigned int nqp, const char **why);
void tr_peer_fini(void);
bool tr_peer_cpu_crypto(void);

/* Does the peer take this algorithm? (rte_ipsec + aesni_mb) */
bool tr_peer_supports(const struct tr_alg *a);
bool tr_raw_supports(const struct tr_alg *a);

/* ---- packets ---- */

/* A plain inner IPv4/UDP packet of len bytes, fresh from pool (NULL: none). */
struct rte_mbuf *tr_packet(struct rte_mempool *pool, uint16_t len, unsigned int flow);

/* Outer IPv4 header checksum, for the peer (ipsec-secgw computes it in software). */
void tr_ipv4_cksum(struct rte_mbuf *m);

#endif
