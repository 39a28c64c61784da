/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP inbound (RFC 4303 3.4): verify and decapsulate the packets of one SA.
 *
 * esp_in_chunk() runs the steps in RFC 4303 3.4 order over a piece of the
 * burst: parse every packet's outer headers and check its sequence number
 * against the window (3.4.3), build the AEAD request, verify the ICV and
 * decrypt (3.4.4), then, for the packets that verified only, move the
 * window, check padding and next header, count lifetimes, and strip the
 * headers with the mode worker (tunnel: the inner packet remains;
 * transport: the IP header closes over ESP). UDP encapsulation and ESN are
 * compile-time constants of each variant.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "esp/esp_hdr.h"
#include "esp/esp_mbuf.h"
#include "esp/esp_priv.h"
#include "sa/lifetime.h"

/*
 * Mode worker, after the ICV verified and the trailer is gone: remove the
 * headers in front of the payload and fix the packet. nh is the trailer's
 * next header. Returns ESP_DROP_OK or a reason.
 */
typedef uint8_t (*esp_in_worker)(struct xfrm_sa *sa, struct rte_mbuf *m, struct esp_pkt *p,
				 uint16_t gap, uint8_t nh);

/* Remove len bytes from the tail: in place for one segment, else esp_mbuf_trim(). */
static inline void esp_in_trim(struct rte_mbuf *m, uint32_t len)
{
	if (likely(m->nb_segs == 1)) {
		m->data_len -= (uint16_t)len;
		m->pkt_len -= len;
		return;
	}
	esp_mbuf_trim(m, len);
}

/* Tunnel mode (RFC 4303 3.1.2): the inner IP packet is what remains. */
static __rte_always_inline uint8_t esp_in_tun(struct xfrm_sa *sa, struct rte_mbuf *m,
					      struct esp_pkt *p, uint16_t gap, uint8_t nh)
{
	uint32_t len;
	uint8_t tc;

	rte_pktmbuf_adj(m, (uint16_t)(p->l3len + gap));
	if (nh == ESP_NH_IPV4) {
		struct rte_ipv4_hdr *h;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return ESP_DROP_BAD_INNER;
		h = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
		len = rte_be_to_cpu_16(h->total_length);
		if (unlikely((h->version_ihl >> 4) != 4 || (h->version_ihl & 0xf) < 5 ||
			     len < (h->version_ihl & 0xfu) * 4u || len > m->pkt_len))
			return ESP_DROP_BAD_INNER;
		if (unlikely(esp_decap_tos(sa, p->outer_tos, &h->type_of_service) != ESP_DROP_OK))
			return ESP_DROP_ECN;
		esp_ip4_csum(h);
	} else {
		struct rte_ipv6_hdr *h;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return ESP_DROP_BAD_INNER;
		h = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
		len = sizeof(*h) + rte_be_to_cpu_16(h->payload_len);
		if (unlikely((rte_be_to_cpu_32(h->vtc_flow) >> 28) != 6 || len > m->pkt_len))
			return ESP_DROP_BAD_INNER;
		tc = esp_ip6_tc(h);
		if (unlikely(esp_decap_tos(sa, p->outer_tos, &tc) != ESP_DROP_OK))
			return ESP_DROP_ECN;
		esp_ip6_set_tc(h, tc);
	}
	/* RFC 4303 2.7: TFC padding follows the inner packet. */
	if (len < m->pkt_len)
		esp_in_trim(m, m->pkt_len - len);
	return ESP_DROP_OK;
}

/* Transport mode over IPv4: the header closes over UDP/ESP/IV. */
static __rte_always_inline uint8_t esp_in_trs4(struct xfrm_sa *sa, struct rte_mbuf *m,
					       struct esp_pkt *p, uint16_t gap, uint8_t nh)
{
	struct rte_ipv4_hdr *h;

	(void)sa;
	h = (struct rte_ipv4_hdr *)esp_mbuf_close_front(m, p->l3len, gap);
	h->next_proto_id = nh;
	h->total_length = rte_cpu_to_be_16((uint16_t)m->pkt_len);
	esp_ip4_csum(h);
	return ESP_DROP_OK;
}

/* Transport mode over IPv6: extension headers kept, the last one names nh. */
static __rte_always_inline uint8_t esp_in_trs6(struct xfrm_sa *sa, struct rte_mbuf *m,
					       struct esp_pkt *p, uint16_t gap, uint8_t nh)
{
	struct rte_ipv6_hdr *h;

	(void)sa;
	h = (struct rte_ipv6_hdr *)esp_mbuf_close_front(m, p->l3len, gap);
	((uint8_t *)h)[p->nh_off] = nh;
	h->payload_len = rte_cpu_to_be_16((uint16_t)(m->pkt_len - sizeof(*h)));
	return ESP_DROP_OK;
}

/* RFC 1624 eqn. 3: checksum *ck after n address bytes went from old to new. */
static inline void esp_csum_replace(uint16_t *ck, const void *old, const void *new,
				    unsigned int n)
{
	uint32_t sum = (uint16_t)~*ck;

	sum += (uint16_t)~rte_raw_cksum(old, n);
	sum += rte_raw_cksum(new, n);
	*ck = (uint16_t)~esp_csum_fold(sum);
}

/*
 * RFC 3948 3.1.2, transport mode behind a NAT (esp.h): fix the inner
 * TCP/UDP checksum of the packet now closed over ESP (its L4 header at
 * p->l3len, protocol nh). The received source address is the NAT's; the
 * SA's encap_oa, when set, is the one the peer's checksum covered.
 */
static uint8_t esp_in_natt_l4(const struct xfrm_sa *sa, struct rte_mbuf *m,
			      const struct esp_pkt *p, uint8_t nh, bool v6)
{
	static const xfrm_address_t zero;
	unsigned int alen = v6 ? 16 : 4;
	uint32_t l4len = m->pkt_len - p->l3len;
	uint16_t ck_off, *ck;
	bool first_frag_only = false;
	uint8_t *l3;

	if (nh == IPPROTO_TCP)
		ck_off = 16;
	else if (nh == IPPROTO_UDP)
		ck_off = 6;
	else
		return ESP_DROP_OK;
	if (l4len < ck_off + 2u)
		return ESP_DROP_OK;	/* no room for a checksum: nothing to fix */
	if (unlikely(esp_mbuf_pullup(m, p->l3len + ck_off + 2u)))
		return ESP_DROP_NO_ROOM;
	l3 = rte_pktmbuf_mtod(m, uint8_t *);
	ck = (uint16_t *)(l3 + p->l3len + ck_off);
	if (!v6) {
		uint16_t fo = ((struct rte_ipv4_hdr *)l3)->fragment_offset;

		if (fo & rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK))
			return ESP_DROP_OK;	/* no L4 header in this fragment */
		first_frag_only = !!(fo & rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG));
	}
	if (nh == IPPROTO_UDP && !v6 && *ck == 0)
		return ESP_DROP_OK;	/* RFC 768: no checksum sent */
	if (memcmp(&sa->encap.encap_oa, &zero, alen)) {
		/* Step 1: the NAT changed the source; undo it in the checksum. */
		const void *src = v6 ? (const void *)((struct rte_ipv6_hdr *)l3)->src_addr :
				       (const void *)&((struct rte_ipv4_hdr *)l3)->src_addr;

		esp_csum_replace(ck, &sa->encap.encap_oa, src, alen);
	} else if (nh == IPPROTO_UDP && !v6) {
		*ck = 0;	/* step 3: UDP over IPv4 may go without */
		return ESP_DROP_OK;
	} else if (!first_frag_only) {
		/* Step 2: recompute over the packet as it is now. */
		*ck = 0;
		*ck = (uint16_t)~esp_l4_sum(m, v6, p->l3len, l4len, nh);
	}
	if (nh == IPPROTO_UDP && *ck == 0)
		*ck = 0xffff;	/* RFC 768: a computed zero is sent as all ones */
	return ESP_DROP_OK;
}

/*
 * Outer IP header: length consistent (link padding trimmed), not a
 * fragment, carrying ESP (or UDP). Sets p->l3len and p->outer_tos.
 */
static inline uint8_t esp_in_outer(struct rte_mbuf *m, struct esp_pkt *p, bool v6, uint8_t proto)
{
	uint32_t len;

	if (!v6) {
		const struct rte_ipv4_hdr *h;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return ESP_DROP_TRUNCATED;
		h = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
		p->l3len = (uint16_t)((h->version_ihl & 0xf) * 4);
		len = rte_be_to_cpu_16(h->total_length);
		if (unlikely((h->version_ihl >> 4) != 4 || p->l3len < sizeof(*h) ||
			     len < p->l3len || esp_mbuf_pullup(m, p->l3len)))
			return ESP_DROP_BAD_OUTER;
		if (unlikely(len > m->pkt_len))
			return ESP_DROP_TRUNCATED;
		/* Reassembly is the caller's (RFC 4303 3.4.1). */
		if (unlikely(h->fragment_offset &
			     rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
			return ESP_DROP_BAD_OUTER;
		if (unlikely(h->next_proto_id != proto))
			return ESP_DROP_BAD_OUTER;
		p->outer_tos = h->type_of_service;
	} else {
		const struct rte_ipv6_hdr *h;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return ESP_DROP_TRUNCATED;
		h = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
		len = sizeof(*h) + rte_be_to_cpu_16(h->payload_len);
		if (unlikely((rte_be_to_cpu_32(h->vtc_flow) >> 28) != 6))
			return ESP_DROP_BAD_OUTER;
		if (unlikely(len > m->pkt_len))
			return ESP_DROP_TRUNCATED;
		p->outer_tos = esp_ip6_tc(h);
		if (unlikely(esp_ip6_walk(m, proto, &p->l3len, &p->nh_off)))
			return len < m->pkt_len ? ESP_DROP_BAD_OUTER : ESP_DROP_TRUNCATED;
	}
	if (len < m->pkt_len)
		esp_mbuf_trim(m, m->pkt_len - len);
	return ESP_DROP_OK;
}

/*
 * The UDP checksum of a NAT-T datagram (esp.h): zero is fine over IPv4 and
 * dropped over IPv6 (RFC 8200 8.1); a non-zero one must verify unless the
 * NIC already said.
 */
static inline uint8_t esp_in_udp_csum(const struct rte_mbuf *m, const struct esp_pkt *p,
				      const struct rte_udp_hdr *u, uint32_t ulen, bool v6)
{
	uint64_t l4 = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;

	if (u->dgram_cksum == 0)
		return v6 ? ESP_DROP_UDP_CSUM : ESP_DROP_OK;
	if (l4 == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		return ESP_DROP_OK;
	if (unlikely(l4 == RTE_MBUF_F_RX_L4_CKSUM_BAD))
		return ESP_DROP_UDP_CSUM;
	if (unlikely(esp_l4_sum(m, v6, p->l3len, ulen, IPPROTO_UDP) != 0xffff))
		return ESP_DROP_UDP_CSUM;
	return ESP_DROP_OK;
}

/* RFC 3948 2.2/2.3: keepalive and IKE share the port with UDP-encapsulated ESP. */
static inline uint8_t esp_in_udp(struct rte_mbuf *m, struct esp_pkt *p, bool v6)
{
	const struct rte_udp_hdr *u;
	uint32_t ulen;

	if (unlikely(esp_mbuf_pullup(m, p->l3len + ESP_UDP_LEN)))
		return ESP_DROP_TRUNCATED;
	u = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, p->l3len);
	ulen = rte_be_to_cpu_16(u->dgram_len);
	if (unlikely(ulen < ESP_UDP_LEN || p->l3len + ulen != m->pkt_len))
		return ESP_DROP_BAD_OUTER;
	if (ulen == ESP_UDP_LEN + 1) {
		uint8_t b;

		esp_mbuf_read(m, p->l3len + ESP_UDP_LEN, 1, &b);
		return b == 0xff ? ESP_DROP_NATT_KEEPALIVE : ESP_DROP_TRUNCATED;
	}
	if (ulen >= ESP_UDP_LEN + 4) {
		uint32_t marker, buf;

		memcpy(&marker, esp_mbuf_read(m, p->l3len + ESP_UDP_LEN, 4, &buf), 4);
		if (marker == 0)
			return ESP_DROP_NATT_IKE;
	}
	/* IKE goes to a host stack that checks it; ESP is checked here. */
	return esp_in_udp_csum(m, p, u, ulen, v6);
}

/* Step 1 for one packet: headers, SPI, lengths, sequence number vs window. */
static __rte_always_inline uint8_t esp_in_parse(struct xfrm_sa *sa, struct rte_mbuf *m,
						struct esp_pkt *p, bool natt, bool v6)
{
	const struct sa_crypto *cr = sa->crypto;
	const uint8_t *h;
	uint32_t text;
	uint8_t st;
	int rc;

	st = esp_in_outer(m, p, v6, natt ? IPPROTO_UDP : IPPROTO_ESP);
	if (st == ESP_DROP_OK && natt)
		st = esp_in_udp(m, p, v6);
	if (unlikely(st != ESP_DROP_OK))
		return st;
	p->esp_off = p->l3len + (natt ? ESP_UDP_LEN : 0);
	if (unlikely(m->pkt_len < (uint32_t)p->esp_off + ESP_HDR_LEN + cr->iv_len + cr->icv_len +
					  ESP_TRL_LEN))
		return ESP_DROP_TRUNCATED;
	if (unlikely(esp_mbuf_pullup(m, p->esp_off + ESP_HDR_LEN + cr->iv_len)))
		return ESP_DROP_NO_ROOM;
	h = rte_pktmbuf_mtod_offset(m, const uint8_t *, p->esp_off);
	if (unlikely(memcmp(h, &sa->id.spi, 4)))
		return ESP_DROP_WRONG_SPI;
	p->plen = m->pkt_len - p->esp_off - ESP_HDR_LEN;
	text = p->plen - cr->iv_len - cr->icv_len;
	/* RFC 4303 2.4: the ciphertext ends on the SA's alignment. */
	if (unlikely(esp_pad_len(text, cr->block_size)))
		return ESP_DROP_BAD_LENGTH;
	{
		uint32_t be;

		memcpy(&be, h + 4, 4);
		p->seq = rte_be_to_cpu_32(be);
	}
	if (sa->replay) {
		/* RFC 4303 3.4.3: reject early; the window moves after the ICV. */
		rc = sa_replay_check(sa->replay, (uint32_t)p->seq, &p->seq);
		if (unlikely(rc))
			return rc == -EINVAL ? ESP_DROP_SEQ_ZERO :
			       rc == -EALREADY ? ESP_DROP_REPLAY : ESP_DROP_REPLAY_WINDOW;
	}
	esp_iv_copy(p->iv, h + ESP_HDR_LEN, cr->iv_len);
	return ESP_DROP_OK;
}

/* Count a window rejection in the SA's statistics, as the kernel does. */
static inline void esp_in_replay_stat(struct xfrm_sa *sa, uint8_t st)
{
	if (st == ESP_DROP_REPLAY)
		__atomic_add_fetch(&sa->stats.replay, 1, __ATOMIC_RELAXED);
	else if (st == ESP_DROP_REPLAY_WINDOW)
		__atomic_add_fetch(&sa->stats.replay_window, 1, __ATOMIC_RELAXED);
}

/* Step 1 for the burst. */
static __rte_always_inline void esp_in_meta(struct esp_lcore *lc, struct xfrm_sa *sa,
					    struct rte_mbuf *mb[], uint16_t n, bool natt, bool esn,
					    bool v6)
{
	const struct sa_crypto *cr = sa->crypto;
	bool valid = sa_is_valid(sa);
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct esp_pkt *p = &lc->pkt[i];
		int assoc;

		if (unlikely(!valid)) {
			p->status = ESP_DROP_SA_STATE;
			continue;
		}
		p->status = esp_in_parse(sa, mb[i], p, natt, v6);
		if (unlikely(p->status != ESP_DROP_OK)) {
			esp_in_replay_stat(sa, p->status);
			continue;
		}
		assoc = esp_sg_build(p, mb[i], p->esp_off, ESP_HDR_LEN + p->plen, esn, cr->iv_len);
		if (unlikely(assoc < 0)) {
			p->status = ESP_DROP_NO_ROOM;
			continue;
		}
		esp_req_set(lc, i, cr->aead, (uint32_t)assoc, p->plen - cr->iv_len);
	}
}

/* RFC 4303 2.4: pad length, then the padding must read 1, 2, 3, ... */
static inline uint8_t esp_in_trailer(const struct rte_mbuf *m, uint32_t end, uint32_t text,
				     uint8_t *padlen, uint8_t *nh)
{
	uint8_t buf[256], tb[2];
	const uint8_t *t = esp_mbuf_read(m, end - ESP_TRL_LEN, ESP_TRL_LEN, tb);
	const uint8_t *pad;
	unsigned int i;

	*padlen = t[0];
	*nh = t[1];
	if (unlikely((uint32_t)*padlen + ESP_TRL_LEN > text))
		return ESP_DROP_PADDING;
	pad = esp_mbuf_read(m, end - ESP_TRL_LEN - *padlen, *padlen, buf);
	for (i = 0; i < *padlen; i++)
		if (unlikely(pad[i] != i + 1))
			return ESP_DROP_PADDING;
	return ESP_DROP_OK;
}

/*
 * Step 4a for one packet whose crypto ran: the ICV verified, the window
 * moves (RFC 4303 3.4.3), the trailer is sound. Leaves the trailer's pad
 * length and next header, and the inner bytes for the lifetime, in p.
 */
static __rte_always_inline uint8_t esp_in_check(struct xfrm_sa *sa, struct rte_mbuf *m,
						struct esp_pkt *p, uint16_t iv_len,
						uint16_t icv_len, bool tunnel)
{
	uint32_t end = m->pkt_len - icv_len;
	uint32_t text = p->plen - iv_len - icv_len;
	int rc;

	if (unlikely(p->err)) {
		if (p->err != -EBADMSG)
			return ESP_DROP_CRYPTO;
		__atomic_add_fetch(&sa->stats.integrity_failed, 1, __ATOMIC_RELAXED);
		return ESP_DROP_AUTH;
	}
	if (sa->replay) {
		rc = sa_replay_advance(sa->replay, p->seq);
		if (unlikely(rc)) {
			uint8_t st = rc == -EALREADY ? ESP_DROP_REPLAY : ESP_DROP_REPLAY_WINDOW;

			esp_in_replay_stat(sa, st);
			return st;
		}
	}
	if (unlikely(esp_in_trailer(m, end, text, &p->padlen, &p->nh) != ESP_DROP_OK))
		return ESP_DROP_PADDING;
	if (p->nh == ESP_NH_NONE)
		return ESP_DROP_DUMMY;	/* RFC 4303 2.6: discard silently */
	if (tunnel && unlikely(p->nh != ESP_NH_IPV4 && p->nh != ESP_NH_IPV6))
		return ESP_DROP_NEXT_HEADER;
	p->acct = text - p->padlen - ESP_TRL_LEN;
	return ESP_DROP_OK;
}

/* Step 4b for one packet the lifetime let through: strip ESP, fix the packet. */
static __rte_always_inline uint8_t esp_in_strip(struct xfrm_sa *sa, struct rte_mbuf *m,
						struct esp_pkt *p, uint64_t now, uint16_t iv_len,
						uint16_t icv_len, bool natt, bool tunnel, bool v6,
						esp_in_worker worker)
{
	uint8_t st;

	if (natt)
		esp_natt_check_mapping(sa, m, p->l3len, now);
	esp_in_trim(m, (uint32_t)p->padlen + ESP_TRL_LEN + icv_len);
	st = worker(sa, m, p, (uint16_t)((natt ? ESP_UDP_LEN : 0) + ESP_HDR_LEN + iv_len), p->nh);
	if (natt && !tunnel && st == ESP_DROP_OK)
		st = esp_in_natt_l4(sa, m, p, p->nh, v6);
	return st;
}

/*
 * The driver: every step once, specialised by the constants and the
 * worker. Lifetimes are counted for the chunk at once, between the checks
 * and the stripping, where each packet's sa_lifetime_account() would be.
 */
static __rte_always_inline void esp_in_chunk(struct esp_lcore *lc, struct xfrm_sa *sa,
					     struct rte_mbuf *mb[], uint16_t n, bool natt,
					     bool esn, bool tunnel, bool v6, esp_in_worker worker)
{
	uint64_t now = sa_lifetime_now(sa);
	uint16_t iv_len = sa->crypto->iv_len, icv_len = sa->crypto->icv_len;
	uint16_t i;

	esp_in_meta(lc, sa, mb, n, natt, esn, v6);
	esp_crypto_run(lc, sa, n, true);
	for (i = 0; i < n; i++)
		if (lc->pkt[i].status == ESP_DROP_OK)
			lc->pkt[i].status = esp_in_check(sa, mb[i], &lc->pkt[i], iv_len, icv_len,
							 tunnel);
	esp_lft_account(lc, sa, n, now);
	for (i = 0; i < n; i++)
		if (lc->pkt[i].status == ESP_DROP_OK)
			lc->pkt[i].status = esp_in_strip(sa, mb[i], &lc->pkt[i], now, iv_len,
							 icv_len, natt, tunnel, v6, worker);
}

#define ESP_IN_VARIANT(mf, worker, tun, v6, natt_, esn_)                                   \
	static void esp_in_##mf##_##natt_##esn_(struct esp_lcore *lc, struct xfrm_sa *sa,   \
						struct rte_mbuf *mb[], uint16_t n)          \
	{                                                                                  \
		esp_in_chunk(lc, sa, mb, n, natt_, esn_, tun, v6, worker);                 \
	}                                                                                  \
	static uint16_t esp_in_burst_##mf##_##natt_##esn_(void *lc,                         \
							  struct xfrm_sa *sa,              \
							  struct rte_mbuf *mb[], uint16_t n) \
	{                                                                                  \
		return esp_run_burst(lc, sa, mb, n, esp_in_##mf##_##natt_##esn_, true);    \
	}

#define ESP_IN_MF(mf, worker, tun, v6)                 \
	ESP_IN_VARIANT(mf, worker, tun, v6, 0, 0)      \
	ESP_IN_VARIANT(mf, worker, tun, v6, 0, 1)      \
	ESP_IN_VARIANT(mf, worker, tun, v6, 1, 0)      \
	ESP_IN_VARIANT(mf, worker, tun, v6, 1, 1)

ESP_IN_MF(tun4, esp_in_tun, true, false)
ESP_IN_MF(tun6, esp_in_tun, true, true)
ESP_IN_MF(trs4, esp_in_trs4, false, false)
ESP_IN_MF(trs6, esp_in_trs6, false, true)

#define ESP_IN_ROW(mf)                                                         \
	{ { esp_in_burst_##mf##_00, esp_in_burst_##mf##_01 },                 \
	  { esp_in_burst_##mf##_10, esp_in_burst_##mf##_11 } }

/* [mode x family][natt][esn], indexed by esp_sa_init. */
const xfrm_burst_fn esp_in_fns[ESP_MF_KINDS][2][2] = {
	[ESP_MF_TUN4] = ESP_IN_ROW(tun4),
	[ESP_MF_TUN6] = ESP_IN_ROW(tun6),
	[ESP_MF_TRS4] = ESP_IN_ROW(trs4),
	[ESP_MF_TRS6] = ESP_IN_ROW(trs6),
};

uint16_t esp_inbound(struct esp_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[], uint16_t n)
{
	const struct xfrm_state_ops *ops = sa->ops;

	if (unlikely(!ops || !sa->crypto || sa->type != &esp_type)) {
		ipsec_refuse_burst(mb, n, lc->stats.drop, esp_reason_off, ESP_DROP_SA_STATE);
		return 0;
	}
	return ops->input(lc, sa, mb, n);
}
