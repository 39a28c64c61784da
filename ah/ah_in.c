/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AH inbound (RFC 4302 3.4): verify and remove AH from packets of one SA.
 *
 * ah_in_chunk() follows 3.4 in order for each packet: outer header and AH
 * header checks (length against the SA's ICV, SPI), the sequence number
 * against the window (3.4.3), the ICV over a zeroed copy of the headers and
 * the payload in place (3.4.4), and only for a packet that verified: move
 * the window, count lifetimes (once for the chunk, sa/lifetime.h), strip
 * AH with the mode worker.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ah/ah_priv.h"
#include "esp/esp_hdr.h"
#include "esp/esp_mbuf.h"
#include "sa/lifetime.h"

/*
 * Mode worker after the ICV verified: remove AH and fix the packet. *mp may
 * change (a head segment that held only the outer headers is freed).
 */
typedef uint8_t (*ah_in_worker)(struct xfrm_sa *sa, struct rte_mbuf **mp, struct ah_pkt *p);

/*
 * Tunnel mode (RFC 4302 3.1.2): the inner IP packet is what remains. The
 * outer headers and AH are cut across segments, so a head that ends with
 * AH goes away instead of staying as an empty segment.
 */
static uint8_t ah_in_tun(struct xfrm_sa *sa, struct rte_mbuf **mp, struct ah_pkt *p)
{
	struct rte_mbuf *m;
	uint32_t len;

	if (unlikely(p->nh != AH_NH_IPV4 && p->nh != AH_NH_IPV6))
		return AH_DROP_NEXT_HEADER;
	if (unlikely(esp_mbuf_cut_front(mp, (uint32_t)p->l3len + p->ah_len)))
		return AH_DROP_TRUNCATED;
	m = *mp;
	if (p->nh == AH_NH_IPV4) {
		struct rte_ipv4_hdr *h;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return AH_DROP_BAD_INNER;
		h = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
		len = rte_be_to_cpu_16(h->total_length);
		if (unlikely((h->version_ihl >> 4) != 4 || (h->version_ihl & 0xf) < 5 ||
			     len < (h->version_ihl & 0xfu) * 4u || len > m->pkt_len))
			return AH_DROP_BAD_INNER;
		/* The checksum below covers the options too: all of it contiguous. */
		if (unlikely(esp_mbuf_pullup(m, (h->version_ihl & 0xfu) * 4u)))
			return AH_DROP_BAD_INNER;
		h = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
		h->type_of_service = esp_inner_tos(sa, p->outer_tos, h->type_of_service);
		esp_ip4_csum(h);
	} else {
		struct rte_ipv6_hdr *h;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return AH_DROP_BAD_INNER;
		h = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
		len = sizeof(*h) + rte_be_to_cpu_16(h->payload_len);
		if (unlikely((rte_be_to_cpu_32(h->vtc_flow) >> 28) != 6 || len > m->pkt_len))
			return AH_DROP_BAD_INNER;
		esp_ip6_set_tc(h, esp_inner_tos(sa, p->outer_tos, esp_ip6_tc(h)));
	}
	if (len < m->pkt_len)
		esp_mbuf_trim(m, m->pkt_len - len);
	return AH_DROP_OK;
}

/* Transport mode over IPv4: the header closes over AH and names AH's next header. */
static uint8_t ah_in_trs4(struct xfrm_sa *sa, struct rte_mbuf **mp, struct ah_pkt *p)
{
	struct rte_mbuf *m = *mp;
	struct rte_ipv4_hdr *h;

	(void)sa;
	/* ah_in_parse left l3len + ah_len contiguous in the head. */
	h = (struct rte_ipv4_hdr *)esp_mbuf_close_front(m, p->l3len, p->ah_len);
	h->next_proto_id = p->nh;
	h->total_length = rte_cpu_to_be_16((uint16_t)m->pkt_len);
	esp_ip4_csum(h);
	return AH_DROP_OK;
}

/* Transport mode over IPv6: extension headers kept, the last one names nh. */
static uint8_t ah_in_trs6(struct xfrm_sa *sa, struct rte_mbuf **mp, struct ah_pkt *p)
{
	struct rte_mbuf *m = *mp;
	struct rte_ipv6_hdr *h;

	(void)sa;
	h = (struct rte_ipv6_hdr *)esp_mbuf_close_front(m, p->l3len, p->ah_len);
	((uint8_t *)h)[p->nh_off] = p->nh;
	h->payload_len = rte_cpu_to_be_16((uint16_t)(m->pkt_len - sizeof(*h)));
	return AH_DROP_OK;
}

/* Outer IP header: consistent, not a fragment (3.4.1), carrying AH. */
static inline uint8_t ah_in_outer(struct rte_mbuf *m, struct ah_pkt *p, bool v6)
{
	uint32_t len;

	if (!v6) {
		const struct rte_ipv4_hdr *h;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return AH_DROP_TRUNCATED;
		h = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
		p->l3len = (uint16_t)((h->version_ihl & 0xf) * 4);
		len = rte_be_to_cpu_16(h->total_length);
		if (unlikely((h->version_ihl >> 4) != 4 || p->l3len < sizeof(*h) ||
			     len < p->l3len || esp_mbuf_pullup(m, p->l3len)))
			return AH_DROP_BAD_OUTER;
		if (unlikely(len > m->pkt_len))
			return AH_DROP_TRUNCATED;
		if (unlikely(h->fragment_offset &
			     rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
			return AH_DROP_BAD_OUTER;
		if (unlikely(h->next_proto_id != IPPROTO_AH))
			return AH_DROP_BAD_OUTER;
		p->outer_tos = h->type_of_service;
	} else {
		const struct rte_ipv6_hdr *h;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return AH_DROP_TRUNCATED;
		h = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
		len = sizeof(*h) + rte_be_to_cpu_16(h->payload_len);
		if (unlikely((rte_be_to_cpu_32(h->vtc_flow) >> 28) != 6))
			return AH_DROP_BAD_OUTER;
		if (unlikely(len > m->pkt_len))
			return AH_DROP_TRUNCATED;
		p->outer_tos = esp_ip6_tc(h);
		if (unlikely(esp_ip6_walk(m, IPPROTO_AH, &p->l3len, &p->nh_off)))
			return len < m->pkt_len ? AH_DROP_BAD_OUTER : AH_DROP_TRUNCATED;
	}
	if (unlikely(p->l3len > AH_MAX_L3))
		return AH_DROP_BAD_OUTER;
	if (len < m->pkt_len)
		esp_mbuf_trim(m, m->pkt_len - len);
	return AH_DROP_OK;
}

/*
 * RFC 4302 2.2: the payload length must give exactly the SA's ICV with the
 * SA's alignment (IPv4: either 32- or 64-bit padding, 2.6 lets the sender
 * choose between the minimum and what Linux sends by default).
 */
static inline bool ah_in_len_ok(const struct xfrm_sa *sa, uint16_t ah_len, bool v6)
{
	if (v6)
		return ah_len == ah_len_for(sa, true, false);
	return ah_len == ah_len_for(sa, false, true) || ah_len == ah_len_for(sa, false, false);
}

/* Step 1 for one packet: headers, AH length, SPI, sequence number, header copy. */
static __rte_always_inline uint8_t ah_in_parse(struct xfrm_sa *sa, struct rte_mbuf *m,
					       struct ah_pkt *p, bool v6, enum ah_engine eng)
{
	const struct sa_crypto *cr = sa->crypto;
	const uint8_t *l3, *a;
	uint8_t st;
	int rc;

	st = ah_in_outer(m, p, v6);
	if (unlikely(st != AH_DROP_OK))
		return st;
	if (unlikely(m->pkt_len < (uint32_t)p->l3len + AH_FIXED_LEN))
		return AH_DROP_TRUNCATED;
	if (unlikely(esp_mbuf_pullup(m, (uint32_t)p->l3len + AH_FIXED_LEN)))
		return AH_DROP_NO_ROOM;
	a = rte_pktmbuf_mtod_offset(m, const uint8_t *, p->l3len);
	p->nh = a[0];
	p->ah_len = (uint16_t)((a[1] + 2u) * 4u);
	if (unlikely(!ah_in_len_ok(sa, p->ah_len, v6)))
		return AH_DROP_BAD_LENGTH;
	if (unlikely(m->pkt_len < (uint32_t)p->l3len + p->ah_len))
		return AH_DROP_TRUNCATED;
	if (unlikely(esp_mbuf_pullup(m, (uint32_t)p->l3len + p->ah_len)))
		return AH_DROP_NO_ROOM;
	l3 = rte_pktmbuf_mtod(m, const uint8_t *);
	a = l3 + p->l3len;
	if (unlikely(memcmp(a + 4, &sa->id.spi, 4)))
		return AH_DROP_WRONG_SPI;
	{
		uint32_t be;

		memcpy(&be, a + 8, 4);
		p->seq = rte_be_to_cpu_32(be);
	}
	if (sa->replay) {
		/* RFC 4302 3.4.3: reject early; the window moves after the ICV. */
		rc = sa_replay_check(sa->replay, (uint32_t)p->seq, &p->seq);
		if (unlikely(rc))
			return rc == -EINVAL ? AH_DROP_SEQ_ZERO :
			       rc == -EALREADY ? AH_DROP_REPLAY : AH_DROP_REPLAY_WINDOW;
	}
	/* 3.4.4.1: save the ICV, zero it in the copy; padding stays as received. */
	memcpy(p->hdr, l3, (size_t)p->l3len + p->ah_len);
	if (eng == AH_ENG_GMAC)
		memcpy(p->iv, a + AH_FIXED_LEN, AH_GMAC_IV);	/* RFC 4543 4: kept in the input */
	memcpy(p->icv, a + AH_FIXED_LEN + cr->iv_len, cr->icv_len);
	memset(p->hdr + p->l3len + AH_FIXED_LEN + cr->iv_len, 0, cr->icv_len);
	rc = v6 ? ah_icv_zero_ip6(p->hdr, p->l3len, false) : ah_icv_zero_ip4(p->hdr, p->l3len, false);
	if (unlikely(rc))
		return rc == -EPROTO ? AH_DROP_BAD_OUTER : AH_DROP_BAD_OPTIONS;
	return AH_DROP_OK;
}

static inline void ah_in_replay_stat(struct xfrm_sa *sa, uint8_t st)
{
	if (st == AH_DROP_REPLAY)
		__atomic_add_fetch(&sa->stats.replay, 1, __ATOMIC_RELAXED);
	else if (st == AH_DROP_REPLAY_WINDOW)
		__atomic_add_fetch(&sa->stats.replay_window, 1, __ATOMIC_RELAXED);
}

/* Step 2 for one packet: ICV, then window; leaves the bytes for the lifetime in p. */
static __rte_always_inline uint8_t ah_in_verify(struct ah_lcore *lc, struct xfrm_sa *sa,
						struct rte_mbuf **mp, struct ah_pkt *p, bool v6,
						bool esn, enum ah_engine eng)
{
	struct rte_mbuf *m = *mp;
	uint8_t st;
	int rc;

	st = ah_in_parse(sa, m, p, v6, eng);
	if (unlikely(st != AH_DROP_OK)) {
		ah_in_replay_stat(sa, st);
		return st;
	}
	rc = ah_icv_compute(lc, sa, p, m, eng, esn, true);
	if (unlikely(rc)) {
		if (rc == -ESTALE)
			return AH_DROP_SA_STATE;
		if (rc != -EBADMSG)
			return AH_DROP_CRYPTO;
		__atomic_add_fetch(&sa->stats.integrity_failed, 1, __ATOMIC_RELAXED);
		return AH_DROP_AUTH;
	}
	if (sa->replay) {
		rc = sa_replay_advance(sa->replay, p->seq);
		if (unlikely(rc)) {
			st = rc == -EALREADY ? AH_DROP_REPLAY : AH_DROP_REPLAY_WINDOW;
			ah_in_replay_stat(sa, st);
			return st;
		}
	}
	p->acct = m->pkt_len - p->l3len - p->ah_len;
	return AH_DROP_OK;
}

static __rte_always_inline void ah_in_chunk(struct ah_lcore *lc, struct xfrm_sa *sa,
					    struct rte_mbuf *mb[], uint16_t n, bool v6, bool esn,
					    enum ah_engine eng, ah_in_worker worker)
{
	uint64_t now = sa_lifetime_now(sa);
	uint16_t i;

	if (unlikely(!sa_is_valid(sa))) {
		for (i = 0; i < n; i++)
			lc->pkt[i].status = AH_DROP_SA_STATE;
		return;
	}
	for (i = 0; i < n; i++)
		lc->pkt[i].status = ah_in_verify(lc, sa, &mb[i], &lc->pkt[i], v6, esn, eng);
	/* Step 3: lifetimes for the chunk at once (after the window), then decapsulation. */
	ah_lft_account(lc, sa, n, now);
	for (i = 0; i < n; i++)
		if (lc->pkt[i].status == AH_DROP_OK)
			lc->pkt[i].status = worker(sa, &mb[i], &lc->pkt[i]);
}

#define AH_IN_VARIANT(mf, worker, v6, esn_, eng_)                                           \
	static void ah_in_##mf##_##esn_##eng_(struct ah_lcore *lc, struct xfrm_sa *sa,      \
					      struct rte_mbuf *mb[], uint16_t n)            \
	{                                                                                   \
		ah_in_chunk(lc, sa, mb, n, v6, esn_, (enum ah_engine)eng_, worker);         \
	}                                                                                   \
	static uint16_t ah_in_burst_##mf##_##esn_##eng_(void *lc,                           \
							struct xfrm_sa *sa,                 \
							struct rte_mbuf *mb[], uint16_t n)  \
	{                                                                                   \
		return ah_run_burst(lc, sa, mb, n, ah_in_##mf##_##esn_##eng_, true);        \
	}

#define AH_IN_MF(mf, worker, v6)                 \
	AH_IN_VARIANT(mf, worker, v6, 0, 0)      \
	AH_IN_VARIANT(mf, worker, v6, 0, 1)      \
	AH_IN_VARIANT(mf, worker, v6, 1, 0)      \
	AH_IN_VARIANT(mf, worker, v6, 1, 1)

AH_IN_MF(tun4, ah_in_tun, false)
AH_IN_MF(tun6, ah_in_tun, true)
AH_IN_MF(trs4, ah_in_trs4, false)
AH_IN_MF(trs6, ah_in_trs6, true)

#define AH_IN_ROW(mf)                                                          \
	{ { ah_in_burst_##mf##_00, ah_in_burst_##mf##_01 },                    \
	  { ah_in_burst_##mf##_10, ah_in_burst_##mf##_11 } }

const xfrm_burst_fn ah_in_fns[AH_MF_KINDS][2][AH_ENG_KINDS] = {
	[AH_MF_TUN4] = AH_IN_ROW(tun4),
	[AH_MF_TUN6] = AH_IN_ROW(tun6),
	[AH_MF_TRS4] = AH_IN_ROW(trs4),
	[AH_MF_TRS6] = AH_IN_ROW(trs6),
};

uint16_t ah_inbound(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[], uint16_t n)
{
	const struct xfrm_state_ops *ops = sa->ops;

	if (unlikely(!ops || !sa->crypto || sa->type != &ah_type)) {
		ipsec_refuse_burst(mb, n, lc->stats.drop, ah_reason_off, AH_DROP_SA_STATE);
		return 0;
	}
	return ops->input(lc, sa, mb, n);
}
