/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AH outbound (RFC 4302 3.3): add AH to the plain IP packets of one SA.
 *
 * ah_out_chunk() runs the steps in order over a piece of the burst: check
 * every packet and take its sequence number (3.3.2), open room for the
 * headers with the mode/family worker, fill the AH header and the lengths,
 * compute the ICV over a zeroed copy of the headers plus the payload in
 * place (3.3.3), write it, finish the IPv4 checksum. ESN and the ICV engine
 * are compile-time constants of each variant.
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
 * Mode/family worker: open p->ah_len bytes for AH (and the outer header in
 * tunnel mode) and fill the IP header as far as known. Sets p->l3len (and
 * p->nh_off). Returns the next header AH will carry, or -1 (p->status set,
 * or NO_ROOM).
 */
typedef int (*ah_out_worker)(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf **mp,
			     struct ah_pkt *p);

/* Tunnel mode, outer IPv4 (RFC 4302 3.1.2, RFC 4301 5.1.2.1). */
static int ah_out_tun4(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf **mp,
		       struct ah_pkt *p)
{
	const uint8_t *inner = rte_pktmbuf_mtod(*mp, const uint8_t *);
	struct rte_ipv4_hdr *o;
	uint8_t tos, df;

	if (p->inner_ver == 4) {
		const struct rte_ipv4_hdr *i4 = (const struct rte_ipv4_hdr *)inner;

		tos = i4->type_of_service;
		df = !!(i4->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG));
	} else {
		tos = esp_ip6_tc((const struct rte_ipv6_hdr *)inner);
		df = 1;
	}
	if (sa->flags & XFRM_STATE_NOPMTUDISC)
		df = 0;
	p->l3len = sizeof(*o);
	o = (struct rte_ipv4_hdr *)esp_mbuf_open_front(lc->pool, mp, 0, p->l3len + p->ah_len);
	if (unlikely(!o))
		return -1;
	memset(o, 0, sizeof(*o));
	o->version_ihl = RTE_IPV4_VHL_DEF;
	o->type_of_service = esp_outer_tos(sa, tos);
	o->packet_id = rte_cpu_to_be_16(lc->ip_id++);
	o->fragment_offset = df ? rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG) : 0;
	o->time_to_live = AH_OUTER_TTL;
	o->next_proto_id = IPPROTO_AH;
	o->src_addr = sa->saddr.a4;
	o->dst_addr = sa->id.daddr.a4;
	return p->inner_ver == 4 ? AH_NH_IPV4 : AH_NH_IPV6;
}

/* Tunnel mode, outer IPv6. */
static int ah_out_tun6(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf **mp,
		       struct ah_pkt *p)
{
	const uint8_t *inner = rte_pktmbuf_mtod(*mp, const uint8_t *);
	struct rte_ipv6_hdr *o;
	uint8_t tos;

	tos = p->inner_ver == 4 ? ((const struct rte_ipv4_hdr *)inner)->type_of_service :
				  esp_ip6_tc((const struct rte_ipv6_hdr *)inner);
	p->l3len = sizeof(*o);
	o = (struct rte_ipv6_hdr *)esp_mbuf_open_front(lc->pool, mp, 0, p->l3len + p->ah_len);
	if (unlikely(!o))
		return -1;
	o->vtc_flow = rte_cpu_to_be_32(6u << 28);
	esp_ip6_set_tc(o, esp_outer_tos(sa, tos));
	o->proto = IPPROTO_AH;
	o->hop_limits = AH_OUTER_TTL;
	memcpy(o->src_addr, &sa->saddr.in6, 16);
	memcpy(o->dst_addr, &sa->id.daddr.in6, 16);
	return p->inner_ver == 4 ? AH_NH_IPV4 : AH_NH_IPV6;
}

/* Transport mode over IPv4 (RFC 4302 3.1.1): AH after the header and its options. */
static int ah_out_trs4(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf **mp,
		       struct ah_pkt *p)
{
	struct rte_ipv4_hdr *h = rte_pktmbuf_mtod(*mp, struct rte_ipv4_hdr *);
	uint8_t nh = h->next_proto_id;

	(void)sa;
	p->l3len = (uint16_t)((h->version_ihl & 0xf) * 4);
	h = (struct rte_ipv4_hdr *)esp_mbuf_open_front(lc->pool, mp, p->l3len, p->ah_len);
	if (unlikely(!h))
		return -1;
	h->next_proto_id = IPPROTO_AH;
	return nh;
}

/*
 * Transport mode over IPv6: AH after Hop-by-Hop, Routing and the
 * Destination Options before Routing (RFC 4302 3.1.1), as ESP places ESP.
 */
static int ah_out_trs6(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf **mp,
		       struct ah_pkt *p)
{
	uint8_t *h, nh;

	(void)sa;
	if (unlikely(esp_ip6_walk(*mp, -1, &p->l3len, &p->nh_off) || p->l3len > AH_MAX_L3)) {
		p->status = AH_DROP_BAD_INNER;
		return -1;
	}
	nh = rte_pktmbuf_mtod_offset(*mp, uint8_t *, p->nh_off)[0];
	h = esp_mbuf_open_front(lc->pool, mp, p->l3len, p->ah_len);
	if (unlikely(!h))
		return -1;
	h[p->nh_off] = IPPROTO_AH;
	return nh;
}

/*
 * The plain IP packet: header contiguous, lengths consistent (link padding
 * trimmed), IPv4 header within the copy buffer; in transport mode of the
 * SA's family.
 */
static inline uint8_t ah_out_inner(struct rte_mbuf *m, struct ah_pkt *p, bool tunnel,
				   uint16_t family)
{
	uint32_t len;
	uint8_t ver;

	if (unlikely(esp_mbuf_pullup(m, 1)))
		return AH_DROP_BAD_INNER;
	ver = rte_pktmbuf_mtod(m, uint8_t *)[0] >> 4;
	if (ver == 4) {
		const struct rte_ipv4_hdr *h;
		uint32_t hl;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return AH_DROP_BAD_INNER;
		h = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
		len = rte_be_to_cpu_16(h->total_length);
		hl = (h->version_ihl & 0xfu) * 4u;
		if (unlikely(hl < sizeof(*h) || esp_mbuf_pullup(m, hl) || len < hl))
			return AH_DROP_BAD_INNER;
	} else if (ver == 6) {
		const struct rte_ipv6_hdr *h;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return AH_DROP_BAD_INNER;
		h = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
		len = sizeof(*h) + rte_be_to_cpu_16(h->payload_len);
	} else {
		return AH_DROP_BAD_INNER;
	}
	if (unlikely(len > m->pkt_len))
		return AH_DROP_BAD_INNER;
	if (!tunnel && unlikely(ver != (family == AF_INET6 ? 6 : 4)))
		return AH_DROP_BAD_INNER;
	if (len < m->pkt_len)
		esp_mbuf_trim(m, m->pkt_len - len);
	p->inner_ver = ver;
	p->plen = len;
	return AH_DROP_OK;
}

/*
 * Step 1 for the burst: packet checks, lifetime for the chunk at once,
 * sequence numbers (3.3.2). The space never wraps: the packet that finds
 * it exhausted expires the SA (SEQ_OVERFLOW), the packets after it meet an
 * expired SA (HARD_LIMIT) and their lifetime counts are given back.
 */
static inline void ah_out_meta(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[],
			       uint16_t n, bool tunnel, uint16_t ah_len)
{
	uint64_t back = 0, back_by = 0;
	bool over = false;
	uint16_t i;

	if (unlikely(!sa_is_valid(sa))) {
		for (i = 0; i < n; i++)
			lc->pkt[i].status = AH_DROP_SA_STATE;
		return;
	}
	for (i = 0; i < n; i++) {
		struct ah_pkt *p = &lc->pkt[i];

		p->ah_len = ah_len;
		p->status = ah_out_inner(mb[i], p, tunnel, sa->family);
		p->acct = p->plen;
	}
	ah_lft_account(lc, sa, n, sa_lifetime_now(sa));
	for (i = 0; i < n; i++) {
		struct ah_pkt *p = &lc->pkt[i];

		if (p->status != AH_DROP_OK)
			continue;
		if (unlikely(over)) {
			p->status = AH_DROP_HARD_LIMIT;
			back++;
			back_by += p->acct;
			continue;
		}
		if (unlikely(sa_oseq_next(sa, &p->seq))) {
			sa_lifetime_raise(sa, SA_EV_HARD);
			p->status = AH_DROP_SEQ_OVERFLOW;
			over = true;
		}
	}
	if (unlikely(back))
		sa_lifetime_unaccount(sa, back, back_by);
}

/* RFC 4302 2: next header, payload length, reserved, SPI, sequence number. */
static inline void ah_out_fill(const struct xfrm_sa *sa, uint8_t *a, struct ah_pkt *p,
			       uint8_t nh, enum ah_engine eng)
{
	a[0] = nh;
	a[1] = (uint8_t)(p->ah_len / 4 - 2);
	a[2] = a[3] = 0;
	memcpy(a + 4, &sa->id.spi, 4);
	{
		uint32_t be = rte_cpu_to_be_32((uint32_t)p->seq);

		memcpy(a + 8, &be, 4);
	}
	memset(a + AH_FIXED_LEN, 0, p->ah_len - AH_FIXED_LEN);	/* ICV and padding */
	if (eng == AH_ENG_GMAC) {
		/* RFC 4543 3.1: a unique IV per packet; the sequence number is one. */
		uint64_t iv = rte_cpu_to_be_64(p->seq);

		memcpy(p->iv, &iv, AH_GMAC_IV);
		memcpy(a + AH_FIXED_LEN, p->iv, AH_GMAC_IV);
	}
}

/* Step 2 for one packet: headers, lengths, ICV, checksum. */
static __rte_always_inline void ah_out_build(struct ah_lcore *lc, struct xfrm_sa *sa,
					     struct rte_mbuf **mp, struct ah_pkt *p,
					     ah_out_worker worker, bool esn, enum ah_engine eng,
					     bool v6)
{
	const struct sa_crypto *cr = sa->crypto;
	uint8_t *l3, *a;
	int nh, rc;

	nh = worker(lc, sa, mp, p);
	if (unlikely(nh < 0)) {
		if (p->status == AH_DROP_OK)
			p->status = AH_DROP_NO_ROOM;
		return;
	}
	if (unlikely((*mp)->pkt_len > UINT16_MAX + (v6 ? 40u : 0u))) {
		p->status = AH_DROP_NO_ROOM;
		return;
	}
	l3 = rte_pktmbuf_mtod(*mp, uint8_t *);
	a = l3 + p->l3len;
	ah_out_fill(sa, a, p, (uint8_t)nh, eng);
	if (v6)
		((struct rte_ipv6_hdr *)l3)->payload_len =
			rte_cpu_to_be_16((uint16_t)((*mp)->pkt_len - sizeof(struct rte_ipv6_hdr)));
	else
		((struct rte_ipv4_hdr *)l3)->total_length = rte_cpu_to_be_16((uint16_t)(*mp)->pkt_len);

	/* RFC 4302 3.3.3: the ICV sees a copy with the mutable fields zeroed. */
	memcpy(p->hdr, l3, (size_t)p->l3len + p->ah_len);
	rc = v6 ? ah_icv_zero_ip6(p->hdr, p->l3len, true) : ah_icv_zero_ip4(p->hdr, p->l3len, true);
	if (unlikely(rc)) {
		p->status = AH_DROP_BAD_OPTIONS;
		return;
	}
	rc = ah_icv_compute(lc, sa, p, *mp, eng, esn, false);
	if (unlikely(rc)) {
		p->status = rc == -ESTALE ? AH_DROP_SA_STATE : AH_DROP_CRYPTO;
		return;
	}
	memcpy(a + AH_FIXED_LEN + cr->iv_len, p->icv, cr->icv_len);
	if (!v6)
		esp_ip4_csum((struct rte_ipv4_hdr *)l3);
}

static __rte_always_inline void ah_out_chunk(struct ah_lcore *lc, struct xfrm_sa *sa,
					     struct rte_mbuf *mb[], uint16_t n,
					     ah_out_worker worker, bool tunnel, bool v6, bool esn,
					     enum ah_engine eng)
{
	uint16_t ah_len = ah_len_for(sa, v6, sa->flags & XFRM_STATE_ALIGN4);
	uint16_t i;

	ah_out_meta(lc, sa, mb, n, tunnel, ah_len);
	for (i = 0; i < n; i++)
		if (lc->pkt[i].status == AH_DROP_OK)
			ah_out_build(lc, sa, &mb[i], &lc->pkt[i], worker, esn, eng, v6);
}

#define AH_OUT_VARIANT(mf, worker, tun, v6, esn_, eng_)                                     \
	static void ah_out_##mf##_##esn_##eng_(struct ah_lcore *lc, struct xfrm_sa *sa,     \
					       struct rte_mbuf *mb[], uint16_t n)           \
	{                                                                                   \
		ah_out_chunk(lc, sa, mb, n, worker, tun, v6, esn_, (enum ah_engine)eng_);   \
	}                                                                                   \
	static uint16_t ah_out_burst_##mf##_##esn_##eng_(void *lc,                          \
							 struct xfrm_sa *sa,                \
							 struct rte_mbuf *mb[], uint16_t n) \
	{                                                                                   \
		return ah_run_burst(lc, sa, mb, n, ah_out_##mf##_##esn_##eng_, false);      \
	}

#define AH_OUT_MF(mf, worker, tun, v6)                 \
	AH_OUT_VARIANT(mf, worker, tun, v6, 0, 0)      \
	AH_OUT_VARIANT(mf, worker, tun, v6, 0, 1)      \
	AH_OUT_VARIANT(mf, worker, tun, v6, 1, 0)      \
	AH_OUT_VARIANT(mf, worker, tun, v6, 1, 1)

AH_OUT_MF(tun4, ah_out_tun4, true, false)
AH_OUT_MF(tun6, ah_out_tun6, true, true)
AH_OUT_MF(trs4, ah_out_trs4, false, false)
AH_OUT_MF(trs6, ah_out_trs6, false, true)

#define AH_OUT_ROW(mf)                                                          \
	{ { ah_out_burst_##mf##_00, ah_out_burst_##mf##_01 },                   \
	  { ah_out_burst_##mf##_10, ah_out_burst_##mf##_11 } }

const xfrm_burst_fn ah_out_fns[AH_MF_KINDS][2][AH_ENG_KINDS] = {
	[AH_MF_TUN4] = AH_OUT_ROW(tun4),
	[AH_MF_TUN6] = AH_OUT_ROW(tun6),
	[AH_MF_TRS4] = AH_OUT_ROW(trs4),
	[AH_MF_TRS6] = AH_OUT_ROW(trs6),
};

uint16_t ah_outbound(struct ah_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[], uint16_t n)
{
	const struct xfrm_state_ops *ops = sa->ops;

	if (unlikely(!ops || !sa->crypto || sa->type != &ah_type)) {
		ipsec_refuse_burst(mb, n, lc->stats.drop, ah_reason_off, AH_DROP_SA_STATE);
		return 0;
	}
	return ops->output(lc, sa, mb, n);
}
