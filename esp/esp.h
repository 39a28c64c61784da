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
#include "sa/xfrm_type.h"

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
	ESP_DROP_WRONG_SPI,	/* SPI is not this SA's (caller grouped it wrongly) */
	ESP_DROP_BAD_OUTER,	/* outer header malformed, or not ESP/UDP-ESP */
	ESP_DROP_NATT_IKE,	/* non-ESP marker on UDP 4500: IKE, for the exception path */
	ESP_DROP_ECN,		/* CE on the outer header, Not-ECT inner (RFC 6040 4.2) */
	ESP_DROP_UDP_CSUM,	/* NAT-T UDP checksum wrong, or zero over IPv6 (RFC 8200 8.1) */
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
 * Why a packet behind the good ones was set aside (valid after a burst call
 * for mb[ret..n-1]; kept in an mbuf dynamic field registered by
 * esp_lcore_create). ESP_DROP_NATT_IKE packets are not errors: hand them to
 * the exception path unchanged. Silent reasons (DUMMY, NATT_KEEPALIVE) are
 * counted but deserve no log line.
 */
enum esp_drop esp_mbuf_reason(const struct rte_mbuf *m);

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
 *
 * Per SA the choice covers: mode (tunnel/transport) x outer family x UDP
 * encapsulation x ESN x IV generation (counter IV for GCM, GMAC, CTR and
 * ChaCha20-Poly1305, RFC 4106 3.1 / RFC 3686 3.1 / RFC 7634 2; DRBG-random
 * for CBC, RFC 3602 2.3; none for NULL encryption). BEET mode, a counter
 * IV on a non-ESN SA whose sequence number may wrap
 * (XFRM_SA_XFLAG_OSEQ_MAY_WRAP: the IV would repeat) and transforms whose
 * request needs more than ESP_REQ_SIZE bytes are refused (-ENOTSUP).
 * Sets sa->type = &esp_type; sa->ops points at a static table: nothing
 * to free.
 */
int esp_sa_init(struct xfrm_sa *sa);

/* As esp_sa_init(); *why (if not NULL) gets a constant reason on error. */
int esp_sa_init_msg(struct xfrm_sa *sa, const char **why);

/*
 * ESP as a packet type (sa/xfrm_type.h): register it in a process that
 * carries packets; its init_state is esp_sa_init_msg().
 */
extern const struct xfrm_type esp_type;

/* Encapsulate plain IP packets for sa (outbound). */
uint16_t esp_outbound(struct esp_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[], uint16_t n);

/*
 * Decapsulate ESP packets of sa (inbound; the SA was found by SPI). For UDP
 * encapsulation the UDP header is still in front of the ESP header. On
 * return the good packets hold the inner IP packet (tunnel) or the
 * reconstructed IP packet (transport).
 */
uint16_t esp_inbound(struct esp_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[], uint16_t n);

/*
 * Tunnel mode headers (RFC 4301 5.1.2, RFC 6040), per SA flag; the kernel's
 * xfrm4/xfrm6 tunnel mode does the same unless said otherwise:
 *  outer DSCP   inner DSCP copied; 0 with XFRM_SA_XFLAG_DONT_ENCAP_DSCP
 *  outer ECN    RFC 6040 4.1 normal mode: inner ECN, CE sent as ECT(0);
 *               Not-ECT with XFRM_STATE_NOECN (compatibility mode)
 *  outer DF     inner IPv4 DF copied, set for inner IPv6; clear with
 *               XFRM_STATE_NOPMTUDISC
 *  outer TTL    ESP_OUTER_TTL (64: the kernel's default route hop limit);
 *               the inner TTL is neither copied nor decremented
 *  flow label   outer IPv6 copies an inner IPv6 flow label, else 0
 *  decap DSCP   inner kept; outer DSCP copied with XFRM_STATE_DECAP_DSCP
 *  decap ECN    RFC 6040 4.2 Figure 4 in full: outer CE marks an ECN-capable
 *               inner CE, outer ECT(1) turns inner ECT(0) into ECT(1), and
 *               outer CE over a Not-ECT inner drops the packet (ESP_DROP_ECN).
 *               The kernel only copies CE and forwards the Not-ECT/CE case
 *               unmarked; RFC 6040 says drop. XFRM_STATE_NOECN: the outer ECN
 *               is ignored (inner unchanged), as in the kernel.
 *
 * TFC dummy packets (RFC 4303 2.6, next header 59) are discarded silently
 * on input (ESP_DROP_DUMMY) and never generated: XFRM has no attribute
 * that asks for them (the kernel never sends any), so there is no API for
 * it. TFC padding of real packets follows XFRMA_TFCPAD.
 *
 * NAT-T (RFC 3948) input checks the UDP checksum when there is one: over
 * IPv4 a zero checksum is accepted (RFC 768, RFC 3948 2.1 sends zero), a
 * non-zero one must verify, as the kernel's UDP input does before its ESP
 * encapsulation hook. Over IPv6 a zero checksum is dropped (RFC 8200 8.1):
 * the RFC 6935/6936 zero-checksum exception is for tunnel protocols that
 * enable it per port, and neither RFC 3948 nor the kernel's ESP-in-UDP
 * socket does. A NIC that verified the checksum (RTE_MBUF_F_RX_L4_CKSUM_GOOD
 * or _BAD) saves the pass over the packet. Drops count as ESP_DROP_UDP_CSUM.
 *
 * Transport mode with NAT-T fixes the inner TCP/UDP checksum that the NAT
 * broke (RFC 3948 3.1.2): with the peer's original address known
 * (XFRMA_ENCAP encap_oa, the NAT-OA) the checksum is updated incrementally
 * for the source address (RFC 1624); XFRM carries one original address, so
 * the destination is taken as unchanged. Without it a UDP/IPv4 checksum is
 * set to zero (RFC 3948 3.1.2 step 3); TCP and UDP/IPv6 checksums are
 * recomputed over the packet as received (step 2: ESP's ICV already
 * protected the payload). Non-first IPv4 fragments are left alone, and so
 * is a first fragment's TCP checksum without an original address. The
 * kernel instead marks such packets CHECKSUM_UNNECESSARY for its own stack;
 * ours go on to the host through the exception path, which checks.
 */

/*
 * Crypto may be synchronous or asynchronous (a cryptodev transform returns
 * -EINPROGRESS): a burst submits every request, drives completions with
 * crypto_aead_poll() until all came back, then re-validates the SA (still
 * VALID, same SPI: OpenBSD esp_input_cb's check) before it touches the
 * packets again. If the SA died meanwhile the packets drop as SA_STATE.
 */

/* ---- NAT traversal (RFC 3948) ---- */

/* What a UDP datagram to the NAT-T port carries (RFC 3948 2.2, 2.3). */
enum esp_natt_class {
	ESP_NATT_ESP = 0,	/* ESP: *spi set, look the SA up, then esp_inbound() */
	ESP_NATT_IKE,		/* non-ESP marker (4 zero bytes): IKE, exception path */
	ESP_NATT_KEEPALIVE,	/* one byte 0xFF: absorb (free) it */
	ESP_NATT_NOT_UDP,	/* not UDP, or malformed: not NAT-T at all */
};

/*
 * Classify a packet that starts at its IPv4/IPv6 header and carries UDP
 * (the caller matched the destination port, 4500 by default). *spi (network
 * order) is set for ESP_NATT_ESP. Reads headers only; never modifies m.
 */
enum esp_natt_class esp_natt_classify(const struct rte_mbuf *m, uint32_t *spi);

/*
 * XFRM_MSG_MAPPING (RFC 3948 / kernel km_new_mapping): an authenticated
 * UDP-encapsulated packet came from an address or port other than the SA's.
 * sa/ has no mapping event, so esp/ keeps this hook. It runs on the data
 * path lcore: it must be cheap and thread safe (queue the event for the
 * control thread). addr/port (network order) are the new peer's. With
 * sa->mtimer_thresh set, at most one event per SA per that many seconds
 * unless the port changes again (the kernel's mapping_maxage).
 */
typedef void (*esp_mapping_fn)(void *arg, struct xfrm_sa *sa, const xfrm_address_t *addr,
			       uint16_t port);
void esp_set_mapping_hook(esp_mapping_fn fn, void *arg);

#endif
