/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared ESP steps for both directions: the AEAD scatterlist and request
 * (associated data layout of RFC 4303 2.2.1 / App. A), ECN and DSCP (RFC
 * 6040, RFC 4301 5.1.2), IPv6 extension header walking (RFC 8200 4.1).
 */
#ifndef XFRMGW_ESP_ESP_HDR_H
#define XFRMGW_ESP_ESP_HDR_H

#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "esp/esp_mbuf.h"
#include "esp/esp_priv.h"

#define ECN_MASK	0x03u
#define ECN_NOT_ECT	0x00u
#define ECN_ECT1	0x01u
#define ECN_ECT0	0x02u
#define ECN_CE		0x03u

/* A run of the list, written in place (no call, no zero-length check). */
static inline void esp_sg_ent(struct xsg_ent *e, uint8_t *addr, uint32_t len)
{
	e->addr = addr;
	e->len = len;
}

/*
 * The AEAD's view of an ESP packet whose header starts at esp_off and whose
 * ICV ends the packet: associated data SPI || [seq_hi] || seq_lo || IV, then
 * text, then the ICV. With ESN the high bits are a 4-byte run of their own
 * between SPI and seq_lo (no bytes move). Returns the assoclen, or < 0.
 *
 * A one-segment packet (the common case) gets its one or three runs written
 * directly: the same list xsg_add_mbuf() would build, without its walk.
 */
static inline int esp_sg_build(struct esp_pkt *p, struct rte_mbuf *m, uint32_t esp_off,
			       uint32_t len, bool esn, unsigned int iv_len)
{
	uint32_t assoc = ESP_HDR_LEN + (esn ? 4 : 0) + iv_len;

	p->sg.ent = p->ents;
	p->sg.max = XSG_MAX_ENTS;
	if (esn)
		p->hi_be = rte_cpu_to_be_32((uint32_t)(p->seq >> 32));
	if (likely(m->nb_segs == 1 && len > 4 && esp_off + len <= m->data_len)) {
		uint8_t *h = rte_pktmbuf_mtod_offset(m, uint8_t *, esp_off);

		if (!esn) {
			esp_sg_ent(&p->ents[0], h, len);
			p->sg.nents = 1;
		} else {
			esp_sg_ent(&p->ents[0], h, 4);
			esp_sg_ent(&p->ents[1], (uint8_t *)&p->hi_be, 4);
			esp_sg_ent(&p->ents[2], h + 4, len - 4);
			p->sg.nents = 3;
		}
		p->sg.total = len + (esn ? 4 : 0);
		return (int)assoc;
	}
	p->sg.nents = 0;
	p->sg.total = 0;
	if (!esn)
		return xsg_add_mbuf(&p->sg, m, esp_off, len) ?: (int)assoc;
	return xsg_add_mbuf(&p->sg, m, esp_off, 4) ?:
	       xsg_add(&p->sg, &p->hi_be, 4) ?:
	       xsg_add_mbuf(&p->sg, m, esp_off + 4, len - 4) ?:
	       (int)assoc;
}

/*
 * RFC 4303 2.4: bytes that bring len up to a multiple of the SA's block
 * size (0 when aligned). Every cipher's alignment is a power of two (4,
 * 8, 16) and takes a mask; a division only for any other.
 */
static inline uint32_t esp_pad_len(uint32_t len, uint32_t bs)
{
	if (likely((bs & (bs - 1)) == 0))
		return -len & (bs - 1);
	return (bs - len % bs) % bs;
}

/* An explicit IV (8 bytes for every counter mode, 16 for CBC) without a libc call. */
static inline void esp_iv_copy(uint8_t *dst, const uint8_t *src, unsigned int len)
{
	if (likely(len == 8)) {
		memcpy(dst, src, 8);
	} else if (len == 16) {
		memcpy(dst, src, 16);
	} else {
		memcpy(dst, src, len);
	}
}

/*
 * One in-place request over p->sg; completions land in p->err (esp_req_done).
 * The slot is (re)initialised only when it last served another transform:
 * every other field of the request is set here, and the driver's scratch
 * after it is the driver's own either way.
 */
static inline struct aead_request *esp_req_set(struct esp_lcore *lc, unsigned int i,
					       struct crypto_aead *tfm, uint32_t assoclen,
					       uint32_t cryptlen)
{
	struct aead_request *req = lc->req[i];
	struct esp_pkt *p = &lc->pkt[i];

	if (unlikely(req->tfm != tfm))
		aead_request_init(req, tfm);
	aead_request_set_crypt(req, &p->sg, 0, &p->sg, 0, cryptlen, p->iv);
	aead_request_set_ad(req, assoclen);
	aead_request_set_callback(req, esp_req_done, p);
	return req;
}

/* RFC 6040 4.1 (normal mode): outer ECN = inner, except CE is sent as ECT(0). */
static inline uint8_t esp_ecn_encap(uint8_t inner_tos)
{
	uint8_t ecn = inner_tos & ECN_MASK;

	return ecn == ECN_CE ? ECN_ECT0 : ecn;
}

/*
 * Outer DSCP/ECN for tunnel mode from the inner traffic class: DSCP copied
 * unless XFRM_SA_XFLAG_DONT_ENCAP_DSCP (RFC 4301 5.1.2.1), ECN per RFC 6040
 * unless XFRM_STATE_NOECN, which sends Not-ECT.
 */
static inline uint8_t esp_outer_tos(const struct xfrm_sa *sa, uint8_t inner_tos)
{
	uint8_t dscp = (sa->extra_flags & XFRM_SA_XFLAG_DONT_ENCAP_DSCP) ? 0 : inner_tos & ~ECN_MASK;
	uint8_t ecn = (sa->flags & XFRM_STATE_NOECN) ? 0 : esp_ecn_encap(inner_tos);

	return dscp | ecn;
}

/*
 * RFC 6040 4.2 Figure 4: the ECN field leaving the decapsulator, from the
 * arriving inner and outer fields; -1: drop (Not-ECT inner, CE outer).
 */
static inline int esp_ecn_decap(uint8_t outer_tos, uint8_t inner_tos)
{
	uint8_t o = outer_tos & ECN_MASK, i = inner_tos & ECN_MASK;

	if (i == ECN_NOT_ECT)
		return o == ECN_CE ? -1 : (int)ECN_NOT_ECT;
	if (o == ECN_CE)
		return (int)ECN_CE;
	if (o == ECN_ECT1 && i == ECN_ECT0)
		return (int)ECN_ECT1;
	return i;
}

/*
 * Inner traffic class after decapsulation into *tos (esp.h: DSCP kept or,
 * with XFRM_STATE_DECAP_DSCP, the outer's; ECN per RFC 6040 4.2 unless
 * XFRM_STATE_NOECN). ESP_DROP_OK or ESP_DROP_ECN.
 */
static inline uint8_t esp_decap_tos(const struct xfrm_sa *sa, uint8_t outer_tos, uint8_t *tos)
{
	uint8_t t = *tos;

	if (!(sa->flags & XFRM_STATE_NOECN)) {
		int ecn = esp_ecn_decap(outer_tos, t);

		if (unlikely(ecn < 0))
			return ESP_DROP_ECN;
		t = (uint8_t)((t & ~ECN_MASK) | (uint8_t)ecn);
	}
	if (sa->flags & XFRM_STATE_DECAP_DSCP)
		t = (outer_tos & ~ECN_MASK) | (t & ECN_MASK);
	*tos = t;
	return ESP_DROP_OK;
}

/*
 * As esp_decap_tos() for callers that cannot drop (AH's tunnel mode uses
 * it): the Not-ECT inner under a CE outer is forwarded unchanged, as the
 * kernel does.
 */
static inline uint8_t esp_inner_tos(const struct xfrm_sa *sa, uint8_t outer_tos, uint8_t inner_tos)
{
	uint8_t t = inner_tos;

	if (esp_decap_tos(sa, outer_tos, &t) != ESP_DROP_OK)
		t = (sa->flags & XFRM_STATE_DECAP_DSCP) ?
		    (uint8_t)((outer_tos & ~ECN_MASK) | (inner_tos & ECN_MASK)) : inner_tos;
	return t;
}

static inline uint8_t esp_ip6_tc(const struct rte_ipv6_hdr *h)
{
	return (uint8_t)(rte_be_to_cpu_32(h->vtc_flow) >> 20);
}

static inline void esp_ip6_set_tc(struct rte_ipv6_hdr *h, uint8_t tc)
{
	uint32_t v = rte_be_to_cpu_32(h->vtc_flow);

	h->vtc_flow = rte_cpu_to_be_32((v & 0xf00fffffu) | (uint32_t)tc << 20);
}

/* Fold a 32-bit one's complement sum to 16 bits. */
static inline uint16_t esp_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * One's complement sum (in memory byte order, unfolded) of the TCP/UDP
 * pseudo-header: RFC 768 / RFC 793 over IPv4, RFC 8200 8.1 over IPv6.
 * l3 is the IP header; at the final destination its addresses are the
 * ones the sender used.
 */
static inline uint32_t esp_pseudo_sum(const void *l3, bool v6, uint32_t l4len, uint8_t proto)
{
	uint32_t sum;

	if (v6)
		sum = rte_raw_cksum(((const struct rte_ipv6_hdr *)l3)->src_addr, 32);
	else
		sum = rte_raw_cksum(&((const struct rte_ipv4_hdr *)l3)->src_addr, 8);
	return sum + rte_cpu_to_be_16((uint16_t)(l4len >> 16)) +
	       rte_cpu_to_be_16((uint16_t)l4len) + rte_cpu_to_be_16(proto);
}

/*
 * One's complement sum of len bytes at off of a chain, folded; -1 when the
 * chain is shorter. A segment that starts at an odd offset of the run has
 * its sum byte-swapped (RFC 1071 2(B)). Not rte_raw_cksum_mbuf: DPDK 22.11
 * truncates the unfolded sum of such a segment to 16 bits before swapping.
 */
static inline int esp_mbuf_sum(const struct rte_mbuf *m, uint32_t off, uint32_t len,
			       uint16_t *out)
{
	uint32_t sum = 0, done = 0;

	for (; m && done < len; m = m->next) {
		uint32_t k;
		uint16_t s;

		if (off >= m->data_len) {
			off -= m->data_len;
			continue;
		}
		k = RTE_MIN(len - done, (uint32_t)m->data_len - off);
		s = rte_raw_cksum(rte_pktmbuf_mtod_offset(m, const uint8_t *, off), k);
		sum += (done & 1) ? rte_bswap16(s) : s;
		done += k;
		off = 0;
	}
	if (unlikely(done < len))
		return -1;
	*out = esp_csum_fold(sum);
	return 0;
}

/*
 * Sum of the pseudo-header and the l4len bytes at l4off of m (checksum
 * field included), folded: 0xffff when the checksum verifies. 0 when the
 * bytes cannot be read.
 */
static inline uint16_t esp_l4_sum(const struct rte_mbuf *m, bool v6, uint32_t l4off,
				  uint32_t l4len, uint8_t proto)
{
	uint16_t raw;

	if (unlikely(esp_mbuf_sum(m, l4off, l4len, &raw)))
		return 0;
	return esp_csum_fold(esp_pseudo_sum(rte_pktmbuf_mtod(m, const void *), v6, l4len, proto) +
			     raw);
}

/*
 * IPv4 header with its checksum recomputed (RFC 791 3.1, RFC 1071). A
 * 20-byte header is summed as five 32-bit words and folded: the same value
 * rte_ipv4_cksum() gives (a ones' complement sum that is not zero has one
 * representative in 1..0xffff), without its 16-bit loop.
 */
static inline void esp_ip4_csum(struct rte_ipv4_hdr *h)
{
	h->hdr_checksum = 0;
	if (likely(h->version_ihl == RTE_IPV4_VHL_DEF)) {
		const uint8_t *b = (const uint8_t *)h;
		uint32_t w[5];
		uint64_t sum;

		memcpy(w, b, sizeof(w));
		sum = (uint64_t)w[0] + w[1] + w[2] + w[3] + w[4];
		sum = (sum & 0xffffffffu) + (sum >> 32);
		sum = (sum & 0xffffffffu) + (sum >> 32);
		h->hdr_checksum = (uint16_t)~esp_csum_fold((uint32_t)sum);
		return;
	}
	h->hdr_checksum = rte_ipv4_cksum(h);
}

/* RFC 8200 4.1: the extension headers that precede ESP in transport mode. */
static inline bool esp_ip6_is_ext(uint8_t nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_DSTOPTS ||
	       nh == IPPROTO_FRAGMENT;
}

/*
 * Walk the IPv6 extension headers of m (pulled up into the head as the
 * walk goes). Outbound (stop_proto < 0): stop before the first header that
 * belongs inside ESP: Hop-by-Hop, Routing and Destination Options before
 * any Routing header stay in front (RFC 4303 3.1.1, as Linux
 * ip6_find_1stfragopt places them); a Fragment header or Destination
 * Options after Routing go inside. Inbound (stop_proto = IPPROTO_ESP or
 * IPPROTO_UDP): stop there. Sets *l3len and *nh_off (offset of the
 * next-header byte that names what follows). 0 or -EINVAL.
 */
static inline int esp_ip6_walk(struct rte_mbuf *m, int stop_proto, uint16_t *l3len,
			       uint16_t *nh_off)
{
	uint32_t off = sizeof(struct rte_ipv6_hdr), nho = 6;
	uint8_t nh = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *)->proto;
	unsigned int guard = 0;
	bool routing = false;

	while (nh != stop_proto && esp_ip6_is_ext(nh) && guard++ < 8) {
		const uint8_t *e;
		uint32_t elen;

		if (stop_proto < 0 && (nh == IPPROTO_FRAGMENT || (nh == IPPROTO_DSTOPTS && routing)))
			break;
		routing |= nh == IPPROTO_ROUTING;
		if (esp_mbuf_pullup(m, off + 2))
			return -EINVAL;
		e = rte_pktmbuf_mtod_offset(m, const uint8_t *, off);
		elen = nh == IPPROTO_FRAGMENT ? 8 : ((uint32_t)e[1] + 1) * 8;
		if (esp_mbuf_pullup(m, off + elen))
			return -EINVAL;
		e = rte_pktmbuf_mtod_offset(m, const uint8_t *, off);
		nho = off;
		nh = e[0];
		off += elen;
	}
	if (stop_proto >= 0 && nh != stop_proto)
		return -EINVAL;
	if (off > UINT16_MAX)
		return -EINVAL;
	*l3len = (uint16_t)off;
	*nh_off = (uint16_t)nho;
	return 0;
}

#endif
