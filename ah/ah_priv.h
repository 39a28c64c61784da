/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AH internals shared by ah_out.c, ah_in.c, ah_icv.c, ah_sa.c and
 * ah_lcore.c: per-lcore state, per-SA ops, per-packet scratch. Not for
 * users of ah.h.
 *
 * mbuf chain surgery and IPv6 extension-header walking are the generic
 * helpers of esp/esp_mbuf.h and esp/esp_hdr.h (static inline, no ESP
 * state): one implementation for both protocols.
 */
#ifndef XFRMGW_AH_AH_PRIV_H
#define XFRMGW_AH_AH_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "ah/ah.h"
#include "cryptoapi/crypto.h"
#include "esp/ipsec_burst.h"
#include "sa/lifetime.h"
#include "sa/sa.h"
#include "sa/sa_crypto.h"
#include "sa/xfrm_type.h"

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

#define AH_BURST	32u
#define AH_REQ_SIZE	4096u	/* one preallocated AEAD request (GMAC) */
#define AH_FIXED_LEN	12u	/* next header .. sequence number (RFC 4302 2) */
#define AH_MAX_ICV	32u	/* HMAC-SHA-512-256; GMAC: 8-byte IV + 16-byte tag */
#define AH_MAX_HDR	(AH_FIXED_LEN + AH_MAX_ICV + 4u)	/* with padding */
#define AH_MAX_L3	512u	/* IP header and extension headers before AH */
#define AH_GMAC_IV	8u	/* RFC 4543 3.1 */
#define AH_GMAC_TAG	16u	/* RFC 4543 3.4 */
#define AH_OUTER_TTL	64u
#define AH_NH_IPV4	4u
#define AH_NH_IPV6	41u
#define AH_DROP_OK	0xffu


/* Mode x outer family. */
enum ah_mf {
	AH_MF_TUN4 = 0,
	AH_MF_TUN6,
	AH_MF_TRS4,
	AH_MF_TRS6,
	AH_MF_KINDS
};

/* The ICV engine, decided per SA. */
enum ah_engine {
	AH_ENG_SHASH = 0,	/* keyed digest, truncated (RFC 2404, 4868, 3566, 4494) */
	AH_ENG_GMAC,		/* RFC 4543 4: IV || tag in the ICV field */
	AH_ENG_KINDS
};

/*
 * [mode x family][esn][engine], indexed by ah_sa_init; the void * of
 * xfrm_burst_fn is the struct ah_lcore.
 */
extern const xfrm_burst_fn ah_out_fns[AH_MF_KINDS][2][AH_ENG_KINDS];
extern const xfrm_burst_fn ah_in_fns[AH_MF_KINDS][2][AH_ENG_KINDS];

/* Scratch of one packet during a burst. */
struct ah_pkt {
	struct xsg sg;
	uint64_t seq;		/* full (ESN) sequence number */
	uint32_t hi_be;		/* ESN high bits, network order, appended to the ICV input */
	uint16_t l3len;		/* IP header and extension headers before AH */
	uint16_t ah_len;	/* AH header with ICV and padding */
	uint16_t nh_off;	/* IPv6: offset of the next-header byte naming AH */
	uint8_t status;		/* AH_DROP_OK or enum ah_drop */
	uint8_t inner_ver;	/* outbound: 4 or 6 */
	uint8_t outer_tos;	/* inbound: outer DSCP/ECN */
	uint8_t nh;		/* next header carried in AH */
	uint32_t plen;		/* bytes protected (inner packet / payload) */
	uint32_t acct;		/* bytes counted against the SA's byte lifetime */
	int err;		/* asynchronous completion result */
	uint8_t icv[AH_MAX_ICV] __attribute__((aligned(8)));	/* received / computed */
	uint8_t iv[AH_GMAC_IV] __attribute__((aligned(8)));
	/* Copy of the IP header(s) and AH header as the ICV sees them. */
	uint8_t hdr[AH_MAX_L3 + AH_MAX_HDR] __attribute__((aligned(8)));
	struct xsg_ent ents[XSG_MAX_ENTS];
};

struct ah_lcore {
	struct rte_mempool *pool;
	uint16_t ip_id;			/* outer IPv4 identification */
	struct ah_stats stats;
	struct ah_pkt pkt[AH_BURST];
	uint8_t digest[64] __attribute__((aligned(16)));	/* full digest before truncation */
	uint8_t desc[sizeof(struct shash_desc) + SHASH_DESC_MAX_SIZE] __attribute__((aligned(64)));
	uint8_t reqmem[AH_REQ_SIZE] __attribute__((aligned(64)));	/* GMAC request */
};

extern int ah_reason_off;

static inline void ah_set_reason(struct rte_mbuf *m, uint8_t reason)
{
	ipsec_set_reason(m, ah_reason_off, reason);
}

IPSEC_BURST_FITS(AH_BURST, AH_DROP_OK, AH_MF_TUN4, AH_MF_TUN6, AH_MF_TRS4, AH_MF_TRS6);

/* ah_type's ops over the functions of ah.h (ah_lcore.c). */
void *ah_type_lcore_create(struct rte_mempool *pool, int socket_id);
void ah_type_lcore_free(void *lc);
const char *ah_type_drop_name(unsigned int reason);
const char *ah_type_drop_key(unsigned int reason);
unsigned int ah_type_mbuf_reason(const struct rte_mbuf *m);
const uint64_t *ah_type_lcore_drops(void *lc);

/*
 * Lifetime accounting (sa/lifetime.h) of the chunk's packets with status
 * OK, p->acct bytes each: a packet the SA may not carry gets
 * AH_DROP_HARD_LIMIT.
 */
static inline void ah_lft_account(struct ah_lcore *lc, struct xfrm_sa *sa, uint16_t n,
				  uint64_t now)
{
	sa_lifetime_account_burst(sa, &lc->pkt[0].status, &lc->pkt[0].acct, sizeof(lc->pkt[0]), n,
				  now, AH_DROP_OK, AH_DROP_HARD_LIMIT);
}

/*
 * AH header bytes for this SA: 12 + ICV field (GMAC: IV and tag, RFC 4543
 * 4), padded to 64 bits, or 32 bits over IPv4 with align4 (RFC 4302 2.6).
 */
static inline uint16_t ah_len_for(const struct xfrm_sa *sa, bool v6, bool align4)
{
	unsigned int len = AH_FIXED_LEN + sa->crypto->iv_len + sa->crypto->icv_len;
	unsigned int a = (v6 || !align4) ? 8u : 4u;

	return (uint16_t)((len + a - 1) & ~(a - 1));
}

/* ---- ah_icv.c: RFC 4302 3.3.3.1 and the ICV computation ---- */

/*
 * Zero the mutable fields of a copy of an IPv4 header with its options
 * (hl bytes): TOS, flags and fragment offset, TTL, checksum, and every
 * option not listed immutable in RFC 4302 A.1. out: with loose or strict
 * source routing the destination becomes the route's last address (what
 * the receiver sees). 0, or -EINVAL on malformed options.
 */
int ah_icv_zero_ip4(uint8_t *h, uint32_t hl, bool out);

/*
 * Same for a copy of an IPv6 header and the extension headers before AH
 * (len bytes, first next-header in the base header): traffic class, flow
 * label, hop limit; option data of Hop-by-Hop/Destination options with the
 * change bit (RFC 8200 4.2); out: a type 0/2 Routing header reordered as the
 * final destination sees it (RFC 4302 3.3.3.1.2.2). 0, or -EINVAL on
 * malformed headers or a Routing header we cannot predict.
 */
int ah_icv_zero_ip6(uint8_t *h, uint32_t len, bool out);

/*
 * Compute the ICV of packet m whose AH header starts at p->l3len: p->hdr
 * holds the zeroed copy of the first l3len + ah_len bytes (ICV zeroed, GMAC
 * IV kept); the payload follows in m. Outbound writes the ICV into p->icv;
 * inbound compares it with p->icv (constant time) and returns -EBADMSG on
 * mismatch. Other errors from the crypto API.
 */
int ah_icv_compute(struct ah_lcore *lc, struct xfrm_sa *sa, struct ah_pkt *p,
		   struct rte_mbuf *m, enum ah_engine eng, bool esn, bool verify);

/* Wipe the lcore's digest state after a burst (it held keyed state). */
void ah_icv_wipe(struct ah_lcore *lc);

/* ---- ah_lcore.c: burst runner ---- */

typedef void (*ah_chunk_fn)(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[],
			    uint16_t n);

uint16_t ah_run_burst(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[],
		      uint16_t n, ah_chunk_fn fn, bool inbound);

#endif
