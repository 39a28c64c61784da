/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP internals shared by esp_out.c, esp_in.c, esp_sa.c and esp_lcore.c:
 * the per-lcore working state, the per-SA ops, the per-packet scratch of a
 * burst. Not for users of esp.h.
 */
#ifndef XFRMGW_ESP_ESP_PRIV_H
#define XFRMGW_ESP_ESP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/udp.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "cryptoapi/crypto.h"
#include "esp/esp.h"
#include "esp/ipsec_burst.h"
#include "sa/lifetime.h"
#include "sa/sa.h"
#include "sa/sa_crypto.h"
#include "sa/xfrm_type.h"

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

/* Packets handled together; longer bursts are cut into pieces of this size. */
#define ESP_BURST	32u
/* Bytes of one preallocated AEAD request (struct + driver scratch). */
#define ESP_REQ_SIZE	4096u
/*
 * Distance between two request slots: one cache line more than a page, so
 * the request headers of a burst fall into different L1 sets instead of all
 * into one (a 4 KiB stride maps every slot to the same set).
 */
#define ESP_REQ_STRIDE	(ESP_REQ_SIZE + 64u)
/* Largest explicit IV (AES-CBC) and ICV (HMAC-SHA-512-256) on the wire. */
#define ESP_MAX_IV	16u
#define ESP_MAX_ICV	32u
/* DRBG output kept per lcore for CBC IVs (refilled in one call). */
#define ESP_RND_POOL	512u
/* Outer TTL / hop limit of tunnel mode (IPDEFTTL, RFC 1700 / 8200 default). */
#define ESP_OUTER_TTL	64u

#define ESP_HDR_LEN	8u	/* SPI + sequence number (RFC 4303 2) */
#define ESP_TRL_LEN	2u	/* pad length + next header */
#define ESP_UDP_LEN	8u	/* RFC 3948 2.1 */
#define ESP_NH_IPV4	4u	/* IP-in-IP, RFC 2003 */
#define ESP_NH_IPV6	41u
#define ESP_NH_NONE	59u	/* TFC dummy packet, RFC 4303 2.6 */
#define ESP_DROP_OK	0xffu	/* per-packet status: not dropped */

/*
 * The burst functions esp_sa_init chooses from (sa->ops, struct
 * xfrm_state_ops, points into a static table of them): xfrm_burst_fn,
 * whose void * is the struct esp_lcore.
 */

/* How the explicit IV is made (decided per SA). */
enum esp_ivgen {
	ESP_IV_NONE = 0,	/* NULL encryption: no IV */
	ESP_IV_COUNTER,		/* IV = 64-bit sequence number: unique per SA */
	ESP_IV_RANDOM,		/* DRBG output (CBC needs unpredictable IVs) */
	ESP_IV_KINDS
};

/* Mode x outer family, the first index of the function tables. */
enum esp_mf {
	ESP_MF_TUN4 = 0,	/* tunnel, outer IPv4 (inner either) */
	ESP_MF_TUN6,
	ESP_MF_TRS4,		/* transport over IPv4 */
	ESP_MF_TRS6,		/* transport over IPv6 (extension headers kept) */
	ESP_MF_KINDS
};

/* [mode x family][natt][esn][ivgen] and [mode x family][natt][esn]. */
extern const xfrm_burst_fn esp_out_fns[ESP_MF_KINDS][2][2][ESP_IV_KINDS];
extern const xfrm_burst_fn esp_in_fns[ESP_MF_KINDS][2][2];

/* Scratch of one packet during a burst. */
struct esp_pkt {
	struct xsg sg;
	uint64_t seq;		/* full (ESN) sequence number */
	uint32_t hi_be;		/* ESN high bits, network order, one AAD run */
	uint16_t l3len;		/* IP header (+ extension headers) before UDP/ESP */
	uint16_t esp_off;	/* offset of the ESP header */
	uint16_t nh_off;	/* transport v6: offset of the next-header byte to patch */
	uint8_t status;		/* ESP_DROP_OK or enum esp_drop */
	uint8_t inner_ver;	/* outbound: 4 or 6 */
	uint8_t outer_tos;	/* inbound: outer DSCP/ECN, for decapsulation */
	uint8_t nh;		/* inbound: the trailer's next header */
	uint8_t padlen;		/* inbound: the trailer's pad length */
	uint32_t plen;		/* inbound: ESP payload bytes (IV..ICV); outbound: inner bytes */
	uint32_t acct;		/* bytes counted against the SA's byte lifetime */
	int err;		/* crypto result */
	struct esp_lcore *lc;	/* owner, for asynchronous completions */
	uint8_t iv[ESP_MAX_IV] __attribute__((aligned(8)));
	struct xsg_ent ents[XSG_MAX_ENTS];
};

struct esp_lcore {
	struct rte_mempool *pool;	/* segments for headers/trailers */
	struct crypto_rng *rng;		/* per-lcore stdrng for CBC IVs */
	uint16_t rnd_left;
	uint16_t ip_id;			/* outer IPv4 identification */
	unsigned int inflight;		/* async requests not yet completed */
	struct esp_stats stats;
	uint8_t rnd[ESP_RND_POOL];
	struct esp_pkt pkt[ESP_BURST];
	struct aead_request *req[ESP_BURST];
	uint8_t reqmem[ESP_BURST][ESP_REQ_STRIDE] __attribute__((aligned(64)));
};

/* mbuf dynamic field holding a packet's drop reason (esp_lcore.c). */
extern int esp_reason_off;

static inline void esp_set_reason(struct rte_mbuf *m, uint8_t reason)
{
	ipsec_set_reason(m, esp_reason_off, reason);
}

IPSEC_BURST_FITS(ESP_BURST, ESP_DROP_OK, ESP_MF_TUN4, ESP_MF_TUN6, ESP_MF_TRS4, ESP_MF_TRS6);

/* esp_type's ops over the functions of esp.h (esp_lcore.c). */
void *esp_type_lcore_create(struct rte_mempool *pool, int socket_id);
void esp_type_lcore_free(void *lc);
const char *esp_type_drop_name(unsigned int reason);
unsigned int esp_type_mbuf_reason(const struct rte_mbuf *m);
const uint64_t *esp_type_lcore_drops(void *lc);

/* Fill n random bytes from the lcore's DRBG pool. 0 or a crypto error. */
int esp_lcore_random(struct esp_lcore *lc, uint8_t *dst, unsigned int n);

/* Mapping hook (esp_natt.c): compare the source with the SA, report a change. */
void esp_natt_check_mapping(struct xfrm_sa *sa, const struct rte_mbuf *m, uint16_t l3len,
			    uint64_t now);

/*
 * Test hook: when set, called once each time a burst starts waiting for
 * asynchronous completions, i.e. with requests in flight (tests delete the
 * SA there). NULL outside tests.
 */
extern void (*esp_async_wait_hook)(void *arg);
extern void *esp_async_wait_arg;

/* Completion of an asynchronous request: data is its struct esp_pkt. */
void esp_req_done(void *data, int err);

/*
 * Submit the prepared requests of a burst (those with status OK), drive
 * asynchronous completions until every one is back, set pkt->err.
 * decrypt selects the direction.
 */
void esp_crypto_run(struct esp_lcore *lc, struct xfrm_sa *sa, uint16_t n, bool decrypt);

/*
 * Lifetime accounting (sa/lifetime.h) of the chunk's packets with status
 * OK, p->acct bytes each, in one update of the SA's counters: a packet the
 * SA may not carry gets ESP_DROP_HARD_LIMIT.
 */
static inline void esp_lft_account(struct esp_lcore *lc, struct xfrm_sa *sa, uint16_t n,
				   uint64_t now)
{
	sa_lifetime_account_burst(sa, &lc->pkt[0].status, &lc->pkt[0].acct, sizeof(lc->pkt[0]), n,
				  now, ESP_DROP_OK, ESP_DROP_HARD_LIMIT);
}

/* Process up to ESP_BURST packets, leaving each one's verdict in lc->pkt[i].status. */
typedef void (*esp_chunk_fn)(struct esp_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[],
			     uint16_t n);

/*
 * Run fn over mb[] in pieces of ESP_BURST and move the bad packets behind
 * the good ones, keeping order, counting each under its reason (and the
 * good ones' packets/bytes under in or out). Returns the number of good ones.
 */
uint16_t esp_run_burst(struct esp_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[],
		       uint16_t n, esp_chunk_fn fn, bool inbound);

#endif
