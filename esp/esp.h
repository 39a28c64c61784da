/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP (RFC 4303) over rte_mbuf chains: the burst API the gateway, the
 * offline pcap mode and the benchmarks call.
 *
 * Packets handed to ESP start at the IP header (L2 already stripped: the
 * mbuf's data offset points at the outer IPv4/IPv6 header on inbound, at the
 * inner/plain IP header on outbound). Every call works on packets of one SA;
 * the caller groups a burst by SA. Functions return the number of good
 * packets, which are at the front of mb[] in their original order; the bad
 * ones are moved behind them, each counted under its own reason in the
 * lcore's esp_stats, and left for the caller to free.
 *
 * The functions are chosen once per SA (esp_sa_init): mode (tunnel/
 * transport) x outer/inner family x crypto kind (combined AEAD, authenc,
 * authencesn) x NAT-T, so a burst costs one indirect call.
 */
#ifndef XFRMGW_ESP_ESP_H
#define XFRMGW_ESP_ESP_H

#include <stdint.h>

#include "sa/sa.h"

struct rte_mbuf;
struct rte_mempool;

/* Why a packet was dropped; each has its own counter. */
enum esp_drop {
	ESP_DROP_TRUNCATED = 0,	/* shorter than the headers, IV and ICV need */
	ESP_DROP_BAD_LENGTH,	/* ciphertext not a multiple of the block size */
	ESP_DROP_SA_STATE,	/* SA larval, expired or being deleted */
	ESP_DROP_SEQ_ZERO,	/* sequence number 0 */
	ESP_DROP_REPLAY,	/* already received */
	ESP_DROP_REPLAY_WINDOW,	/* below the window */
	ESP_DROP_AUTH,		/* ICV did not verify */
	ESP_DROP_PADDING,	/* padding bytes not 1, 2, 3... or pad length too long */
	ESP_DROP_NEXT_HEADER,	/* next header not what the mode allows */
	ESP_DROP_DUMMY,		/* TFC dummy packet (next header 59): silent */
	ESP_DROP_NATT_KEEPALIVE,/* NAT-keepalive (0xFF) on UDP 4500: silent */
	ESP_DROP_SEQ_OVERFLOW,	/* outbound sequence space exhausted */
	ESP_DROP_HARD_LIMIT,	/* hard byte/packet lifetime reached */
	ESP_DROP_NO_ROOM,	/* no headroom/tailroom and no mbuf for a new segment */
	ESP_DROP_CRYPTO,	/* crypto error other than ICV mismatch */
	ESP_DROP_BAD_INNER,	/* inner packet malformed (length, version) */
	ESP_DROP_MAX
};

/* Per-lcore counters (no atomics: one writer). */
struct esp_stats {
	uint64_t in_packets, in_bytes;
	uint64_t out_packets, out_bytes;
	uint64_t drop[ESP_DROP_MAX];
};

/* Names of the drop reasons, for telemetry and xfrmgw-ctl ("auth", "replay", ...). */
const char *esp_drop_name(enum esp_drop reason);

/*
 * Per-lcore working state: preallocated crypto requests and scatterlists,
 * the pool for trailer segments, the counters. One per thread that calls
 * the burst functions.
 */
struct esp_lcore;

struct esp_lcore *esp_lcore_create(struct rte_mempool *pool, int socket_id);
void esp_lcore_free(struct esp_lcore *lc);
struct esp_stats *esp_lcore_stats(struct esp_lcore *lc);

/*
 * Choose the SA's packet functions from its mode, family, crypto binding
 * (sa->crypto must be bound) and encapsulation. 0, or -EINVAL/-ENOTSUP with
 * a reason when the combination is not supported.
 */
int esp_sa_init(struct xfrm_sa *sa);

/* Encapsulate plain IP packets for sa (outbound). */
uint16_t esp_outbound(struct esp_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[], uint16_t n);

/*
 * Decapsulate ESP packets of sa (inbound; the SA was found by SPI). For UDP
 * encapsulation the UDP header is still in front of the ESP header. On
 * return the good packets hold the inner IP packet (tunnel) or the
 * reconstructed IP packet (transport).
 */
uint16_t esp_inbound(struct esp_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[], uint16_t n);

#endif
