/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AH (RFC 4302) over rte_mbuf chains: the burst API, shaped like esp.h.
 *
 * Packets start at the IP header (L2 stripped): the outer IPv4/IPv6 header
 * inbound, the plain IP packet outbound. Every call works on packets of one
 * SA. Functions return the number of good packets, at the front of mb[] in
 * their original order; the bad ones are moved behind them, each counted
 * under its own reason in the lcore's ah_stats and left for the caller to
 * free.
 *
 * The ICV covers the IP header with its mutable fields zeroed (RFC 4302
 * 3.3.3.1: IPv4 TOS, flags, fragment offset, TTL, checksum and mutable
 * options; IPv6 traffic class, flow label, hop limit and the data of options
 * whose type has the change bit; a Routing header as the receiver will see
 * it), the AH header with its ICV zeroed, the payload, and with ESN the high
 * 32 bits of the sequence number appended (RFC 4302 2.5.1, not on the wire).
 *
 * Integrity algorithms: the SA's keyed digest (sa_crypto.h: hmac(sha1),
 * hmac(sha256), hmac(sha384), hmac(sha512), xcbc(aes), cmac(aes)), or
 * AES-GMAC (RFC 4543 4) given as XFRMA_ALG_AEAD "rfc4543(gcm(aes))" alone
 * (ICV 128 bits, key || 4-byte salt). Both are bound by sa_crypto_bind():
 * the keyed digest as an shash (SA_CRYPTO_AH), GMAC as the rfc4543 AEAD
 * (SA_CRYPTO_AEAD, icv_len 16, iv_len 8) driven with the whole ICV input as
 * associated data and nothing to encrypt.
 *
 * Header alignment as XFRM does (Linux ah4/ah6): IPv6 always 64 bits; IPv4
 * 64 bits by default and 32 bits (RFC 4302 2.6's minimum) with
 * XFRM_STATE_ALIGN4. Inbound IPv4 accepts either padding.
 */
#ifndef XFRMGW_AH_AH_H
#define XFRMGW_AH_AH_H

#include <stddef.h>
#include <stdint.h>

#include "sa/sa.h"
#include "sa/xfrm_type.h"

struct rte_mbuf;
struct rte_mempool;

/* Why a packet was dropped; each has its own counter. */
enum ah_drop {
	AH_DROP_TRUNCATED = 0,	/* shorter than the IP and AH headers need */
	AH_DROP_BAD_LENGTH,	/* AH payload length not what the SA's ICV gives */
	AH_DROP_SA_STATE,	/* SA larval, expired or being deleted */
	AH_DROP_SEQ_ZERO,	/* sequence number 0 */
	AH_DROP_REPLAY,		/* already received */
	AH_DROP_REPLAY_WINDOW,	/* below the window */
	AH_DROP_AUTH,		/* ICV did not verify */
	AH_DROP_NEXT_HEADER,	/* tunnel mode: next header not IPv4/IPv6 */
	AH_DROP_SEQ_OVERFLOW,	/* outbound sequence space exhausted */
	AH_DROP_HARD_LIMIT,	/* hard byte/packet lifetime reached */
	AH_DROP_NO_ROOM,	/* no headroom and no mbuf for the header */
	AH_DROP_CRYPTO,		/* crypto error other than ICV mismatch */
	AH_DROP_BAD_INNER,	/* packet to protect / decapsulated packet malformed */
	AH_DROP_WRONG_SPI,	/* SPI is not this SA's */
	AH_DROP_BAD_OUTER,	/* outer header malformed, a fragment, or not AH */
	AH_DROP_BAD_OPTIONS,	/* IPv4 options / IPv6 extension headers malformed */
	AH_DROP_MAX
};

/* Per-lcore counters (one writer, no atomics). */
struct ah_stats {
	uint64_t in_packets, in_bytes;
	uint64_t out_packets, out_bytes;
	uint64_t drop[AH_DROP_MAX];
};

/* Names of the drop reasons ("auth", "replay", ...). */
const char *ah_drop_name(enum ah_drop reason);

/* Reason of a packet set aside by the last burst call (mb[ret..n-1]). */
enum ah_drop ah_mbuf_reason(const struct rte_mbuf *m);

/* Per-lcore working state: requests, header scratch, counters. */
struct ah_lcore;

struct ah_lcore *ah_lcore_create(struct rte_mempool *pool, int socket_id);
void ah_lcore_free(struct ah_lcore *lc);
struct ah_stats *ah_lcore_stats(struct ah_lcore *lc);

/*
 * Choose the SA's packet functions from its mode, family, ESN flag and ICV
 * engine (keyed digest or GMAC). sa->crypto must be bound by
 * sa_crypto_bind(), which calls this through its per-SA hook in the gateway
 * (dataplane/xform.c). 0, or -EINVAL / -ENOTSUP with *why (if not NULL) set
 * to a constant reason. BEET mode, UDP encapsulation (RFC 3948 is ESP only),
 * ICVs longer than AH_MAX_ICV and a GMAC binding other than ICV 16 / IV 8
 * are refused. Sets sa->type = &ah_type; sa->ops points into a static table.
 */
int ah_sa_init_msg(struct xfrm_sa *sa, const char **why);
int ah_sa_init(struct xfrm_sa *sa);

/*
 * AH as a packet type (sa/xfrm_type.h); its init_state is ah_sa_init_msg(),
 * its drop keys are the names with "ah_" in front ("ah_auth"), apart from
 * ESP's in a shared dictionary.
 */
extern const struct xfrm_type ah_type;

/* Bytes of the AH header (with ICV and padding) this SA sends. */
unsigned int ah_hdr_len(const struct xfrm_sa *sa);

/* Add AH to plain IP packets of sa (outbound). */
uint16_t ah_outbound(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[], uint16_t n);

/*
 * Verify and remove AH from packets of sa (inbound; found by SPI). On
 * return the good packets hold the inner IP packet (tunnel) or the IP packet
 * without AH (transport).
 */
uint16_t ah_inbound(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[], uint16_t n);

/*
 * GMAC transforms may be asynchronous (cryptodev): each request is driven
 * to completion with crypto_aead_poll(), then the SA is re-checked (still
 * VALID with the same transform) before the packet is touched again.
 */

#endif
