/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rte_mbuf chain surgery for ESP, in one place: make headers contiguous,
 * open a gap for headers (front, or after the IP header in transport mode),
 * append a trailer, close a gap, trim the tail. Headers and trailers go
 * into headroom/tailroom when there is room, else into a new segment from
 * the lcore's pool; payload bytes are never copied (only header bytes move,
 * at most the IP header and its extension headers).
 */
#ifndef XFRMGW_ESP_ESP_MBUF_H
#define XFRMGW_ESP_ESP_MBUF_H

#include <string.h>

#include <rte_mbuf.h>

#include "esp/esp_priv.h"

/* The chain may grow by a segment; keep it within what an xsg can list. */
#define ESP_MAX_SEGS	(XSG_MAX_ENTS - 4)

/* Unlink and free the (empty) segment after prev. */
static inline void esp_mbuf_drop_next(struct rte_mbuf *head, struct rte_mbuf *prev)
{
	struct rte_mbuf *s = prev->next;

	prev->next = s->next;
	s->next = NULL;
	head->nb_segs--;
	rte_pktmbuf_free_seg(s);
}

/*
 * Make the first len bytes of the packet contiguous in the head segment,
 * pulling bytes from the following segments into the head's tailroom.
 * 0, -EINVAL (packet shorter) or -ENOSPC (no tailroom).
 */
static inline int esp_mbuf_pullup(struct rte_mbuf *m, uint32_t len)
{
	uint32_t need;

	if (likely(m->data_len >= len))
		return 0;
	if (unlikely(len > m->pkt_len))
		return -EINVAL;
	need = len - m->data_len;
	if (unlikely(rte_pktmbuf_tailroom(m) < need))
		return -ENOSPC;
	while (need) {
		struct rte_mbuf *s = m->next;
		uint32_t k = RTE_MIN(need, (uint32_t)s->data_len);

		memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, m->data_len),
		       rte_pktmbuf_mtod(s, uint8_t *), k);
		m->data_len += k;
		s->data_off += k;
		s->data_len -= k;
		need -= k;
		if (s->data_len == 0)
			esp_mbuf_drop_next(m, m);
	}
	return 0;
}

/* Give a new head segment the packet metadata of the old head. */
static inline void esp_mbuf_move_meta(struct rte_mbuf *h, struct rte_mbuf *m)
{
	h->port = m->port;
	h->packet_type = m->packet_type;
	h->ol_flags = m->ol_flags & ~(RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT);
	h->hash = m->hash;
	h->vlan_tci = m->vlan_tci;
	h->tx_offload = m->tx_offload;
	memcpy(&h->dynfield1, &m->dynfield1, sizeof(h->dynfield1));
	h->pkt_len = m->pkt_len;
	h->nb_segs = m->nb_segs;
}

/*
 * Open len bytes at the front of the packet after its first hl bytes
 * (hl = 0: plain prepend, tunnel mode; hl = IP header: transport mode, the
 * header moves forward). The first hl bytes must be contiguous. Returns the
 * start of hl + len contiguous bytes (the header, then the gap), NULL when
 * there is no headroom, no mbuf or too many segments. *mp may change.
 */
static inline uint8_t *esp_mbuf_open_front(struct rte_mempool *pool, struct rte_mbuf **mp,
					   uint16_t hl, uint16_t len)
{
	struct rte_mbuf *m = *mp, *h;
	uint8_t *p;

	if (rte_pktmbuf_headroom(m) >= len) {
		p = (uint8_t *)rte_pktmbuf_prepend(m, len);
		if (hl)
			memmove(p, p + len, hl);
		return p;
	}
	if (unlikely(m->nb_segs >= ESP_MAX_SEGS))
		return NULL;
	h = rte_pktmbuf_alloc(pool);
	if (unlikely(!h))
		return NULL;
	if (unlikely(rte_pktmbuf_tailroom(h) < (uint32_t)hl + len)) {
		rte_pktmbuf_free(h);
		return NULL;
	}
	esp_mbuf_move_meta(h, m);
	p = rte_pktmbuf_mtod(h, uint8_t *);
	memcpy(p, rte_pktmbuf_mtod(m, uint8_t *), hl);
	m->data_off += hl;
	m->data_len -= hl;
	h->data_len = hl + len;
	h->pkt_len += len;
	h->nb_segs++;
	h->next = m;
	if (m->data_len == 0 && m->next) {	/* the old head held only the header */
		h->next = m->next;
		m->next = NULL;
		h->nb_segs--;
		rte_pktmbuf_free_seg(m);
	}
	*mp = h;
	return p;
}

/*
 * Append len bytes at the tail: into the last segment's tailroom, or a new
 * segment. Returns the start of len contiguous bytes, NULL on no room.
 */
static inline uint8_t *esp_mbuf_append(struct rte_mempool *pool, struct rte_mbuf *m,
				       uint16_t len)
{
	struct rte_mbuf *last = rte_pktmbuf_lastseg(m), *t;

	if (rte_pktmbuf_tailroom(last) >= len)
		return (uint8_t *)rte_pktmbuf_append(m, len);
	if (unlikely(m->nb_segs >= ESP_MAX_SEGS))
		return NULL;
	t = rte_pktmbuf_alloc(pool);
	if (unlikely(!t))
		return NULL;
	if (unlikely(rte_pktmbuf_tailroom(t) < len)) {
		rte_pktmbuf_free(t);
		return NULL;
	}
	t->data_len = len;
	last->next = t;
	m->nb_segs++;
	m->pkt_len += len;
	return rte_pktmbuf_mtod(t, uint8_t *);
}

/*
 * Close len bytes after the first hl bytes (hl + len contiguous in the
 * head): the header moves back over the gap. Returns the new start.
 */
static inline uint8_t *esp_mbuf_close_front(struct rte_mbuf *m, uint16_t hl, uint16_t len)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);

	if (hl)
		memmove(p + len, p, hl);
	return (uint8_t *)rte_pktmbuf_adj(m, len);
}

/*
 * Remove len bytes at the front of the packet, across segments (tunnel
 * mode decapsulation: outer headers that may end on or past the head's
 * end). Leading segments emptied by the cut are freed and the first one
 * that keeps bytes becomes the head, with the packet's metadata; an
 * indirect or external segment keeps its own attachment flags. No byte
 * moves. *mp may change. 0, or -EINVAL when the packet is shorter.
 */
static inline int esp_mbuf_cut_front(struct rte_mbuf **mp, uint32_t len)
{
	const uint64_t attach = RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT;
	struct rte_mbuf *m = *mp, *h;

	if (unlikely(len > m->pkt_len))
		return -EINVAL;
	while (m->next && len >= m->data_len) {
		uint64_t own = m->next->ol_flags & attach;

		h = m->next;
		esp_mbuf_move_meta(h, m);
		h->ol_flags |= own;
		h->pkt_len -= m->data_len;
		h->nb_segs--;
		len -= m->data_len;
		m->next = NULL;
		rte_pktmbuf_free_seg(m);
		m = h;
	}
	m->data_off += (uint16_t)len;
	m->data_len -= (uint16_t)len;
	m->pkt_len -= len;
	*mp = m;
	return 0;
}

/* Remove len bytes from the tail, freeing segments left empty. */
static inline void esp_mbuf_trim(struct rte_mbuf *m, uint32_t len)
{
	uint32_t keep = m->pkt_len - len, seen = 0;
	struct rte_mbuf *s = m, *prev = NULL;

	while (s && seen + s->data_len < keep) {
		seen += s->data_len;
		prev = s;
		s = s->next;
	}
	if (!s)
		return;
	s->data_len = (uint16_t)(keep - seen);
	if (s->next) {
		struct rte_mbuf *rest = s->next;

		s->next = NULL;
		while (rest) {
			struct rte_mbuf *nx = rest->next;

			rest->next = NULL;
			m->nb_segs--;
			rte_pktmbuf_free_seg(rest);
			rest = nx;
		}
	}
	if (s->data_len == 0 && prev)
		esp_mbuf_drop_next(m, prev);
	m->pkt_len = keep;
}

/* Copy len bytes at off out of the chain (they may straddle segments). */
static inline const uint8_t *esp_mbuf_read(const struct rte_mbuf *m, uint32_t off, uint32_t len,
					   void *buf)
{
	return (const uint8_t *)rte_pktmbuf_read(m, off, len, buf);
}

#endif
