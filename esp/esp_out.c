/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP outbound (RFC 4303 3.3): encapsulate plain IP packets of one SA.
 *
 * One driver, esp_out_chunk(), runs the steps in order over a piece of the
 * burst: read every packet's metadata and take its sequence number, build
 * headers/trailer/IV and the AEAD request, run the crypto (sync or async),
 * finish the outer headers. A mode/family worker (tunnel or transport, IPv4
 * or IPv6) opens room for the headers; UDP encapsulation, ESN and the IV
 * kind are compile-time constants, so every combination is its own
 * function without a second copy of any step.
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

struct esp_out_cfg {
	bool natt;		/* RFC 3948 UDP encapsulation */
	bool esn;		/* RFC 4303 App. A: high bits in the ICV */
	enum esp_ivgen ivgen;
};

/*
 * What the build step reads of the SA, gathered once per chunk into
 * locals: the per-packet stores into the packet (byte pointers) would
 * otherwise make the compiler reload them from the SA for every packet.
 */
struct esp_out_view {
	struct crypto_aead *tfm;
	uint32_t spi;		/* network order */
	uint32_t tfcpad;
	uint16_t iv_len;
	uint16_t icv_len;
	uint16_t bs;		/* payload alignment */
};

static __rte_always_inline struct esp_out_view esp_out_view(const struct xfrm_sa *sa)
{
	const struct sa_crypto *cr = sa->crypto;

	return (struct esp_out_view){ .tfm = cr->aead, .spi = sa->id.spi, .tfcpad = sa->tfcpad,
				      .iv_len = cr->iv_len, .icv_len = cr->icv_len,
				      .bs = cr->block_size };
}

/*
 * Mode/family worker: open room for [outer IP][UDP] ESP header + IV in
 * front of the payload, fill the IP header(s) as far as known, and return
 * the next-header value for the trailer. p->l3len is the IP header (and
 * extension headers) before UDP/ESP. front = UDP + ESP header + IV bytes.
 * Returns the next header, or -1 with p->status set.
 */
typedef int (*esp_out_worker)(struct esp_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf **mp,
			      struct esp_pkt *p, uint16_t front, uint8_t l4proto);

/* Tunnel mode, outer IPv4 (RFC 4303 3.1.2, RFC 4301 5.1.2.1). */
static __rte_always_inline int esp_out_tun4(struct esp_lcore *lc, struct xfrm_sa *sa,
					    struct rte_mbuf **mp, struct esp_pkt *p,
					    uint16_t front, uint8_t l4proto)
{
	const uint8_t *inner = rte_pktmbuf_mtod(*mp, const uint8_t *);
	uint8_t tos, df;
	struct rte_ipv4_hdr *o;

	if (p->inner_ver == 4) {
		const struct rte_ipv4_hdr *i4 = (const struct rte_ipv4_hdr *)inner;

		tos = i4->type_of_service;
		df = !!(i4->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG));
	} else {
		tos = esp_ip6_tc((const struct rte_ipv6_hdr *)inner);
		df = 1;		/* IPv6 is never fragmented on the path */
	}
	if (sa->flags & XFRM_STATE_NOPMTUDISC)
		df = 0;
	p->l3len = sizeof(*o);
	o = (struct rte_ipv4_hdr *)esp_mbuf_open_front(lc->pool, mp, 0, p->l3len + front);
	if (unlikely(!o))
		return -1;
	o->version_ihl = RTE_IPV4_VHL_DEF;
	o->type_of_service = esp_outer_tos(sa, tos);
	o->packet_id = rte_cpu_to_be_16(lc->ip_id++);
	o->fragment_offset = df ? rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG) : 0;
	o->time_to_live = ESP_OUTER_TTL;
	o->next_proto_id = l4proto;
	o->src_addr = sa->saddr.a4;
	o->dst_addr = sa->id.daddr.a4;
	return p->inner_ver == 4 ? ESP_NH_IPV4 : ESP_NH_IPV6;
}

/* Tunnel mode, outer IPv6. */
static __rte_always_inline int esp_out_tun6(struct esp_lcore *lc, struct xfrm_sa *sa,
					    struct rte_mbuf **mp, struct esp_pkt *p,
					    uint16_t front, uint8_t l4proto)
{
	const uint8_t *inner = rte_pktmbuf_mtod(*mp, const uint8_t *);
	struct rte_ipv6_hdr *o;
	uint32_t flow = 0;
	uint8_t tos;

	if (p->inner_ver == 4) {
		tos = ((const struct rte_ipv4_hdr *)inner)->type_of_service;
	} else {
		const struct rte_ipv6_hdr *i6 = (const struct rte_ipv6_hdr *)inner;

		tos = esp_ip6_tc(i6);
		/* The inner flow label goes on (as the kernel's tunnel mode). */
		flow = rte_be_to_cpu_32(i6->vtc_flow) & 0xfffffu;
	}
	p->l3len = sizeof(*o);
	o = (struct rte_ipv6_hdr *)esp_mbuf_open_front(lc->pool, mp, 0, p->l3len + front);
	if (unlikely(!o))
		return -1;
	o->vtc_flow = rte_cpu_to_be_32(6u << 28 | flow);
	esp_ip6_set_tc(o, esp_outer_tos(sa, tos));
	o->proto = l4proto;
	o->hop_limits = ESP_OUTER_TTL;
	memcpy(o->src_addr, &sa->saddr.in6, 16);
	memcpy(o->dst_addr, &sa->id.daddr.in6, 16);
	return p->inner_ver == 4 ? ESP_NH_IPV4 : ESP_NH_IPV6;
}

/* Transport mode over IPv4 (RFC 4303 3.1.1): ESP goes after the IP header. */
static __rte_always_inline int esp_out_trs4(struct esp_lcore *lc, struct xfrm_sa *sa,
					    struct rte_mbuf **mp, struct esp_pkt *p,
					    uint16_t front, uint8_t l4proto)
{
	struct rte_ipv4_hdr *h = rte_pktmbuf_mtod(*mp, struct rte_ipv4_hdr *);
	uint8_t nh = h->next_proto_id;

	(void)sa;
	p->l3len = (uint16_t)((h->version_ihl & 0xf) * 4);
	h = (struct rte_ipv4_hdr *)esp_mbuf_open_front(lc->pool, mp, p->l3len, front);
	if (unlikely(!h))
		return -1;
	h->next_proto_id = l4proto;
	return nh;
}

/*
 * Transport mode over IPv6: ESP goes after Hop-by-Hop, Routing (and the
 * Destination Options before Routing), RFC 4303 3.1.1; the next-header byte
 * that named the upper layer now names ESP (or UDP).
 */
static __rte_always_inline int esp_out_trs6(struct esp_lcore *lc, struct xfrm_sa *sa,
					    struct rte_mbuf **mp, struct esp_pkt *p,
					    uint16_t front, uint8_t l4proto)
{
	uint8_t *h, nh;

	(void)sa;
	if (unlikely(esp_ip6_walk(*mp, -1, &p->l3len, &p->nh_off))) {
		p->status = ESP_DROP_BAD_INNER;
		return -1;
	}
	nh = rte_pktmbuf_mtod_offset(*mp, uint8_t *, p->nh_off)[0];
	h = esp_mbuf_open_front(lc->pool, mp, p->l3len, front);
	if (unlikely(!h))
		return -1;
	h[p->nh_off] = l4proto;
	return nh;
}

/*
 * Step 1 for one packet: the plain IP packet is well formed (header
 * contiguous in the head segment, lengths consistent; link padding
 * trimmed), and of the SA's family in transport mode.
 */
static inline uint8_t esp_out_inner(struct rte_mbuf *m, struct esp_pkt *p, bool tunnel,
				    uint16_t family)
{
	uint32_t len, hlen;
	uint8_t ver;

	if (unlikely(esp_mbuf_pullup(m, 1)))
		return ESP_DROP_BAD_INNER;
	ver = rte_pktmbuf_mtod(m, uint8_t *)[0] >> 4;
	if (ver == 4) {
		const struct rte_ipv4_hdr *h;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return ESP_DROP_BAD_INNER;
		h = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
		len = rte_be_to_cpu_16(h->total_length);
		hlen = (h->version_ihl & 0xfu) * 4u;
		if (unlikely((h->version_ihl & 0xf) < 5 || esp_mbuf_pullup(m, hlen) || len < hlen))
			return ESP_DROP_BAD_INNER;
	} else if (ver == 6) {
		const struct rte_ipv6_hdr *h;

		if (unlikely(esp_mbuf_pullup(m, sizeof(*h))))
			return ESP_DROP_BAD_INNER;
		h = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
		len = sizeof(*h) + rte_be_to_cpu_16(h->payload_len);
		hlen = sizeof(*h);
	} else {
		return ESP_DROP_BAD_INNER;
	}
	if (unlikely(len > m->pkt_len))
		return ESP_DROP_BAD_INNER;
	if (!tunnel && unlikely(ver != (family == AF_INET6 ? 6 : 4)))
		return ESP_DROP_BAD_INNER;
	if (len < m->pkt_len)
		esp_mbuf_trim(m, m->pkt_len - len);
	p->inner_ver = ver;
	p->plen = len;
	/*
	 * Lifetime bytes as the kernel counts them (xfrm_output_one, after the
	 * mode's output): the inner packet in tunnel mode, the payload behind
	 * the IP header in transport mode (IPv6 extension headers that stay in
	 * front of ESP are counted with the payload here).
	 */
	p->acct = tunnel ? len : len - hlen;
	return ESP_DROP_OK;
}

/*
 * RFC 4303 3.3.3: the chunk's sequence numbers in one atomic add (unique
 * across lcores sharing the SA, as sa_seq_next() per packet). The space
 * never wraps unless the SA allows it: the packet that finds it exhausted
 * expires the SA (SEQ_OVERFLOW), and the packets after it meet an expired
 * SA (HARD_LIMIT), so their numbers and lifetime counts are given back.
 */
static __rte_always_inline void esp_out_seq(struct esp_lcore *lc, struct xfrm_sa *sa, uint16_t n,
					    bool esn)
{
	bool may_wrap = sa->extra_flags & XFRM_SA_XFLAG_OSEQ_MAY_WRAP, over = false;
	uint64_t k = 0, s, back = 0, back_by = 0;
	uint16_t i;

	for (i = 0; i < n; i++)
		k += lc->pkt[i].status == ESP_DROP_OK;
	if (unlikely(!k))
		return;
	s = __atomic_fetch_add(&sa->oseq, k, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++) {
		struct esp_pkt *p = &lc->pkt[i];
		uint64_t seq;

		if (p->status != ESP_DROP_OK)
			continue;
		if (unlikely(over)) {
			p->status = ESP_DROP_HARD_LIMIT;
			back++;
			back_by += p->acct;
			continue;
		}
		seq = ++s;
		if (!esn && unlikely(seq > UINT32_MAX)) {
			if (!may_wrap)
				goto overflow;
			seq &= UINT32_MAX;
		}
		if (unlikely(seq == 0 && !may_wrap))
			goto overflow;
		p->seq = seq;
		continue;
overflow:
		sa_lifetime_raise(sa, SA_EV_HARD);
		p->status = ESP_DROP_SEQ_OVERFLOW;
		over = true;
	}
	if (unlikely(back)) {
		__atomic_sub_fetch(&sa->oseq, back, __ATOMIC_RELAXED);
		sa_lifetime_unaccount(sa, back, back_by);
	}
}

/* Step 1 for the burst: metadata, then lifetime and sequence numbers for the whole chunk. */
static __rte_always_inline void esp_out_meta(struct esp_lcore *lc, struct xfrm_sa *sa,
					     struct rte_mbuf *mb[], uint16_t n, bool tunnel,
					     bool esn)
{
	uint16_t family = sa->family;
	uint16_t i;

	if (unlikely(!sa_is_valid(sa))) {
		for (i = 0; i < n; i++)
			lc->pkt[i].status = ESP_DROP_SA_STATE;
		return;
	}
	for (i = 0; i < n; i++) {
		struct esp_pkt *p = &lc->pkt[i];

		p->status = esp_out_inner(mb[i], p, tunnel, family);
	}
	esp_lft_account(lc, sa, n, sa_lifetime_now(sa));
	esp_out_seq(lc, sa, n, esn);
}

/* RFC 4303 2.4: padding 1, 2, 3, ... then pad length and next header. */
static inline void esp_out_trailer(uint8_t *t, uint32_t tfc, uint8_t pad, uint8_t nh)
{
	uint8_t i;

	if (unlikely(tfc)) {
		memset(t, 0, tfc);	/* RFC 4303 2.7: TFC padding, dropped by the receiver */
		t += tfc;
	}
	for (i = 0; i < pad; i++)
		t[i] = i + 1;
	t[pad] = pad;
	t[pad + 1] = nh;
}

/* RFC 4303 2.7: TFC padding up to sa->tfcpad in tunnel mode, kept within a segment. */
static inline uint32_t esp_out_tfc(const struct esp_lcore *lc, uint32_t tfcpad, uint32_t plen)
{
	uint32_t room, want;

	if (likely(!tfcpad) || plen >= tfcpad)
		return 0;
	want = tfcpad - plen;
	room = rte_pktmbuf_data_room_size(lc->pool) - RTE_PKTMBUF_HEADROOM;
	room = room > 512 ? room - 512 : 0;	/* leave room for padding and ICV */
	return RTE_MIN(want, room);
}

/* Tail bytes of a one-segment packet with the tailroom, else esp_mbuf_append(). */
static inline uint8_t *esp_out_append(struct rte_mempool *pool, struct rte_mbuf *m, uint16_t len)
{
	uint8_t *t;

	if (unlikely(m->nb_segs != 1 || rte_pktmbuf_tailroom(m) < len))
		return esp_mbuf_append(pool, m, len);
	t = rte_pktmbuf_mtod_offset(m, uint8_t *, m->data_len);
	m->data_len += len;
	m->pkt_len += len;
	return t;
}

/* Step 2 for one packet: headers, trailer, IV, AEAD request. */
static __rte_always_inline void esp_out_build(struct esp_lcore *lc, struct xfrm_sa *sa,
					      const struct esp_out_view *v, struct rte_mbuf **mp,
					      unsigned int i, const struct esp_out_cfg c,
					      esp_out_worker worker, bool tunnel)
{
	struct esp_pkt *p = &lc->pkt[i];
	uint16_t udp = c.natt ? ESP_UDP_LEN : 0;
	uint16_t iv_len = c.ivgen == ESP_IV_COUNTER ? 8 : c.ivgen == ESP_IV_NONE ? 0 : v->iv_len;
	uint16_t front = udp + ESP_HDR_LEN + iv_len;
	uint32_t plen, tfc, text, bs = v->bs;
	uint32_t seq_be = rte_cpu_to_be_32((uint32_t)p->seq);
	uint8_t *h, *t, pad;
	int nh, assoc;

	nh = worker(lc, sa, mp, p, front, c.natt ? IPPROTO_UDP : IPPROTO_ESP);
	if (unlikely(nh < 0)) {
		if (p->status == ESP_DROP_OK)
			p->status = ESP_DROP_NO_ROOM;
		return;
	}
	p->esp_off = p->l3len + udp;
	plen = (*mp)->pkt_len - p->esp_off - ESP_HDR_LEN - iv_len;
	tfc = tunnel ? esp_out_tfc(lc, v->tfcpad, plen) : 0;
	pad = (uint8_t)esp_pad_len(plen + tfc + ESP_TRL_LEN, bs);
	text = plen + tfc + pad + ESP_TRL_LEN;
	t = esp_out_append(lc->pool, *mp, (uint16_t)(tfc + pad + ESP_TRL_LEN + v->icv_len));
	if (unlikely(!t)) {
		p->status = ESP_DROP_NO_ROOM;
		return;
	}
	esp_out_trailer(t, tfc, pad, (uint8_t)nh);

	/* RFC 4303 2.1, 2.2: SPI, low 32 bits of the sequence number, IV. */
	h = rte_pktmbuf_mtod_offset(*mp, uint8_t *, p->esp_off);
	memcpy(h, &v->spi, 4);
	memcpy(h + 4, &seq_be, 4);
	if (c.ivgen == ESP_IV_COUNTER) {
		uint64_t iv = rte_cpu_to_be_64(p->seq);

		memcpy(p->iv, &iv, 8);
		memcpy(h + ESP_HDR_LEN, &iv, 8);
	} else if (c.ivgen == ESP_IV_RANDOM) {
		if (unlikely(esp_lcore_random(lc, p->iv, iv_len))) {
			p->status = ESP_DROP_CRYPTO;
			return;
		}
		esp_iv_copy(h + ESP_HDR_LEN, p->iv, iv_len);
	}

	assoc = esp_sg_build(p, *mp, p->esp_off, ESP_HDR_LEN + iv_len + text + v->icv_len,
			     c.esn, iv_len);
	if (unlikely(assoc < 0)) {
		p->status = ESP_DROP_NO_ROOM;
		return;
	}
	esp_req_set(lc, i, v->tfm, (uint32_t)assoc, text);
}

/* UDP checksum over IPv6 (RFC 8200 8.1: mandatory), the field zero meanwhile. */
static uint16_t esp_udp6_csum(const struct rte_mbuf *m, uint32_t l4off, uint32_t l4len)
{
	uint16_t ck = (uint16_t)~esp_l4_sum(m, true, l4off, l4len, IPPROTO_UDP);

	return ck ? ck : 0xffff;
}

/* Step 4 for one packet: lengths and checksums of the outer headers. */
static __rte_always_inline void esp_out_finish(struct xfrm_sa *sa, struct rte_mbuf *m,
					       struct esp_pkt *p, bool natt, bool v6)
{
	uint8_t *l3 = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(l3 + p->l3len);

	if (natt) {
		/* RFC 3948 2.1: UDP header in front of ESP; checksum 0 over IPv4. */
		u->src_port = sa->encap.encap_sport;
		u->dst_port = sa->encap.encap_dport;
		u->dgram_len = rte_cpu_to_be_16((uint16_t)(m->pkt_len - p->l3len));
		u->dgram_cksum = 0;
	}
	if (v6) {
		struct rte_ipv6_hdr *h = (struct rte_ipv6_hdr *)l3;

		h->payload_len = rte_cpu_to_be_16((uint16_t)(m->pkt_len - sizeof(*h)));
		if (natt)
			u->dgram_cksum = esp_udp6_csum(m, p->l3len, m->pkt_len - p->l3len);
	} else {
		struct rte_ipv4_hdr *h = (struct rte_ipv4_hdr *)l3;

		h->total_length = rte_cpu_to_be_16((uint16_t)m->pkt_len);
		esp_ip4_csum(h);
	}
}

/* The driver: every step once, specialised by the constants and the worker. */
static __rte_always_inline void esp_out_chunk(struct esp_lcore *lc, struct xfrm_sa *sa,
					      struct rte_mbuf *mb[], uint16_t n,
					      const struct esp_out_cfg c, esp_out_worker worker,
					      bool tunnel, bool v6)
{
	const struct esp_out_view v = esp_out_view(sa);
	uint16_t i;

	esp_out_meta(lc, sa, mb, n, tunnel, c.esn);
	for (i = 0; i < n; i++)
		if (lc->pkt[i].status == ESP_DROP_OK)
			esp_out_build(lc, sa, &v, &mb[i], i, c, worker, tunnel);
	esp_crypto_run(lc, sa, n, false);
	for (i = 0; i < n; i++) {
		struct esp_pkt *p = &lc->pkt[i];

		if (p->status != ESP_DROP_OK)
			continue;
		if (unlikely(p->err)) {
			p->status = ESP_DROP_CRYPTO;
			continue;
		}
		/* total_length must exceed 64 KiB never: ESP adds < 600 bytes. */
		if (unlikely(mb[i]->pkt_len > UINT16_MAX + (v6 ? 40u : 0u))) {
			p->status = ESP_DROP_NO_ROOM;
			continue;
		}
		esp_out_finish(sa, mb[i], p, c.natt, v6);
	}
}

#define ESP_OUT_VARIANT(mf, worker, tun, v6, natt_, esn_, iv_)                             \
	static void esp_out_##mf##_##natt_##esn_##iv_(struct esp_lcore *lc, struct xfrm_sa *sa, \
						  struct rte_mbuf *mb[], uint16_t n)        \
	{                                                                                  \
		esp_out_chunk(lc, sa, mb, n,                                               \
			      (struct esp_out_cfg){ .natt = natt_, .esn = esn_, .ivgen = iv_ }, \
			      worker, tun, v6);                                            \
	}                                                                                  \
	static uint16_t esp_out_burst_##mf##_##natt_##esn_##iv_(                           \
		void *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[], uint16_t n)          \
	{                                                                                  \
		return esp_run_burst(lc, sa, mb, n, esp_out_##mf##_##natt_##esn_##iv_, false); \
	}

#define ESP_OUT_IVS(mf, worker, tun, v6, natt_, esn_)                  \
	ESP_OUT_VARIANT(mf, worker, tun, v6, natt_, esn_, 0)           \
	ESP_OUT_VARIANT(mf, worker, tun, v6, natt_, esn_, 1)           \
	ESP_OUT_VARIANT(mf, worker, tun, v6, natt_, esn_, 2)
#define ESP_OUT_ESN(mf, worker, tun, v6, natt_)                        \
	ESP_OUT_IVS(mf, worker, tun, v6, natt_, 0)                     \
	ESP_OUT_IVS(mf, worker, tun, v6, natt_, 1)
#define ESP_OUT_MF(mf, worker, tun, v6)                                \
	ESP_OUT_ESN(mf, worker, tun, v6, 0)                            \
	ESP_OUT_ESN(mf, worker, tun, v6, 1)

ESP_OUT_MF(tun4, esp_out_tun4, true, false)
ESP_OUT_MF(tun6, esp_out_tun6, true, true)
ESP_OUT_MF(trs4, esp_out_trs4, false, false)
ESP_OUT_MF(trs6, esp_out_trs6, false, true)

#define ESP_OUT_ROW_IV(mf, natt_, esn_)                                              \
	{ esp_out_burst_##mf##_##natt_##esn_##0, esp_out_burst_##mf##_##natt_##esn_##1, \
	  esp_out_burst_##mf##_##natt_##esn_##2 }
#define ESP_OUT_ROW(mf)                                                              \
	{ { ESP_OUT_ROW_IV(mf, 0, 0), ESP_OUT_ROW_IV(mf, 0, 1) },                     \
	  { ESP_OUT_ROW_IV(mf, 1, 0), ESP_OUT_ROW_IV(mf, 1, 1) } }

/* [mode x family][natt][esn][ivgen], indexed by esp_sa_init. */
const xfrm_burst_fn esp_out_fns[ESP_MF_KINDS][2][2][ESP_IV_KINDS] = {
	[ESP_MF_TUN4] = ESP_OUT_ROW(tun4),
	[ESP_MF_TUN6] = ESP_OUT_ROW(tun6),
	[ESP_MF_TRS4] = ESP_OUT_ROW(trs4),
	[ESP_MF_TRS6] = ESP_OUT_ROW(trs6),
};

uint16_t esp_outbound(struct esp_lcore *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[], uint16_t n)
{
	const struct xfrm_state_ops *ops = sa->ops;

	if (unlikely(!ops || !sa->crypto || sa->type != &esp_type)) {
		ipsec_refuse_burst(mb, n, lc->stats.drop, esp_reason_off, ESP_DROP_SA_STATE);
		return 0;
	}
	return ops->output(lc, sa, mb, n);
}
