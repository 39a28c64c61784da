/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packets between pcap records and rte_mbuf chains. --segments N cuts each
 * packet into N segments at odd offsets, so ESP/AH walk real chains (headers
 * split across segments, trailers in the last one) as they do with jumbo
 * frames or scattered receive on the gateway.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "dataplane/pcap/pcap_mode.h"

/* End offset of segment i of segs for a packet of len bytes: odd when it can be. */
static uint32_t cut_at(uint32_t len, unsigned int i, unsigned int segs)
{
	uint32_t end = (uint32_t)((uint64_t)len * (i + 1) / segs);

	if (i + 1 < segs && !(end & 1) && end + 1 < len)
		end++;
	return end;
}

static struct rte_mbuf *segment(struct rte_mempool *pool, const uint8_t *data, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	char *p;

	if (!m)
		return NULL;
	p = rte_pktmbuf_append(m, (uint16_t)len);
	if (!p && len) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	if (len)
		memcpy(p, data, len);
	return m;
}

struct rte_mbuf *xpc_mbuf_build(struct rte_mempool *pool, const uint8_t *data, uint32_t len,
				unsigned int segs)
{
	uint32_t room = rte_pktmbuf_data_room_size(pool) - RTE_PKTMBUF_HEADROOM;
	struct rte_mbuf *head = NULL;
	uint32_t start = 0;

	if (!segs)
		segs = 1;
	if (segs > len)
		segs = len ? len : 1;
	/* enough segments that each fits one buffer */
	while (len / segs + 2 > room)
		segs++;
	for (unsigned int i = 0; i < segs; i++) {
		uint32_t end = cut_at(len, i, segs);
		struct rte_mbuf *m;

		m = segment(pool, data + start, end - start);
		if (!m)
			goto err;
		if (!head)
			head = m;
		else if (rte_pktmbuf_chain(head, m)) {
			rte_pktmbuf_free(m);
			goto err;
		}
		start = end;
	}
	return head;

err:
	rte_pktmbuf_free(head);
	return NULL;
}

int xpc_mbuf_flatten(const struct rte_mbuf *m, const uint8_t *l2, uint32_t l2_len,
		     uint8_t *buf, uint32_t cap)
{
	uint32_t len = rte_pktmbuf_pkt_len(m), off = l2_len;

	if (l2_len + (uint64_t)len > cap)
		return -1;
	memcpy(buf, l2, l2_len);
	for (const struct rte_mbuf *s = m; s && off < l2_len + len; s = s->next) {
		uint32_t n = rte_pktmbuf_data_len(s);

		if (n > l2_len + len - off)
			n = l2_len + len - off;
		memcpy(buf + off, rte_pktmbuf_mtod(s, const uint8_t *), n);
		off += n;
	}
	return off == l2_len + len ? (int)off : -1;
}
