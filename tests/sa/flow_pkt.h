/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packets for the flow and policy-path suites: headers written one after
 * the other into a flat buffer, then copied into an mbuf chain cut into
 * segments of any sizes, so every case can be run with its headers
 * straddling segment boundaries.
 */
#ifndef XFRMGW_TESTS_SA_FLOW_PKT_H
#define XFRMGW_TESTS_SA_FLOW_PKT_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "tests/sa/sa_test_env.h"

#define PKT_MAX 1024

struct pkt {
	uint8_t b[PKT_MAX];
	uint32_t len;
};

static inline uint8_t *pkt_put(struct pkt *p, uint32_t n)
{
	uint8_t *h = p->b + p->len;

	memset(h, 0, n);
	p->len += n;
	return h;
}

static inline void pkt_be16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* IPv4 header (20 bytes), flags/fragment-offset word frag (host order). */
static inline void pkt_ip4(struct pkt *p, uint8_t proto, const char *src, const char *dst,
			   uint16_t frag)
{
	uint8_t *h = pkt_put(p, 20);

	h[0] = 0x45;
	h[8] = 64;
	h[9] = proto;
	pkt_be16(h + 6, frag);
	inet_pton(AF_INET, src, h + 12);
	inet_pton(AF_INET, dst, h + 16);
}

/* IPv6 header (40 bytes). */
static inline void pkt_ip6(struct pkt *p, uint8_t nh, const char *src, const char *dst)
{
	uint8_t *h = pkt_put(p, 40);

	h[0] = 0x60;
	h[6] = nh;
	h[7] = 64;
	inet_pton(AF_INET6, src, h + 8);
	inet_pton(AF_INET6, dst, h + 24);
}

/* An HBH/Routing/DstOpts-shaped header: (len8 + 1) * 8 bytes, byte3 (segments left). */
static inline void pkt_ext6(struct pkt *p, uint8_t nh, uint8_t len8, uint8_t byte3)
{
	uint8_t *h = pkt_put(p, ((uint32_t)len8 + 1) * 8);

	h[0] = nh;
	h[1] = len8;
	h[3] = byte3;
}

/* RFC 8200 4.5 Fragment header: offset in 8-octet units. */
static inline void pkt_frag6(struct pkt *p, uint8_t nh, uint16_t off8, bool mf)
{
	uint8_t *h = pkt_put(p, 8);

	h[0] = nh;
	pkt_be16(h + 2, (uint16_t)(off8 << 3 | (mf ? 1 : 0)));
	h[7] = 0x2a;	/* identification */
}

/* UDP header; ulen 0: 8 + payload bytes that follow are not counted (set by the caller). */
static inline void pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport, uint16_t ulen)
{
	uint8_t *h = pkt_put(p, 8);

	pkt_be16(h, sport);
	pkt_be16(h + 2, dport);
	pkt_be16(h + 4, ulen);
}

/* TCP header (20 bytes). */
static inline void pkt_tcp(struct pkt *p, uint16_t sport, uint16_t dport)
{
	uint8_t *h = pkt_put(p, 20);

	pkt_be16(h, sport);
	pkt_be16(h + 2, dport);
	h[12] = 5 << 4;
}

/* ICMP/ICMPv6 header (8 bytes). */
static inline void pkt_icmp(struct pkt *p, uint8_t type, uint8_t code)
{
	uint8_t *h = pkt_put(p, 8);

	h[0] = type;
	h[1] = code;
}

/*
 * The packet, after prefix bytes of zeros (a link header), as an mbuf
 * chain: segments of seglen bytes (0: one segment), the first of them
 * first_len bytes when not 0.
 */
static inline struct rte_mbuf *pkt_mbuf(struct rte_mempool *mp, const struct pkt *p,
					uint32_t prefix, uint32_t first_len, uint32_t seglen)
{
	uint8_t all[PKT_MAX + 64];
	uint32_t total = prefix + p->len, done = 0;
	struct rte_mbuf *head = NULL;

	memset(all, 0, prefix);
	memcpy(all + prefix, p->b, p->len);
	do {
		uint32_t n = total - done;
		struct rte_mbuf *s = rte_pktmbuf_alloc(mp);
		char *d;

		if (done == 0 && first_len)
			n = first_len < n ? first_len : n;
		else if (seglen)
			n = seglen < n ? seglen : n;
		if (!s)
			goto fail;
		d = rte_pktmbuf_append(s, (uint16_t)n);
		if (!d && n) {
			rte_pktmbuf_free(s);
			goto fail;
		}
		memcpy(d, all + done, n);
		done += n;
		if (!head)
			head = s;
		else if (rte_pktmbuf_chain(head, s)) {
			rte_pktmbuf_free(s);
			goto fail;
		}
	} while (done < total);
	return head;

fail:
	rte_pktmbuf_free(head);
	return NULL;
}

/*
 * Group fixture: the EAL (sa_test_env.h, file prefix name) and, in *state
 * for every test of the group, a pool of n mbufs big enough for any packet
 * built here.
 */
static inline int pkt_group_setup(void **state, const char *name, unsigned int n)
{
	if (sa_test_eal_init(name))
		return -1;
	*state = rte_pktmbuf_pool_create(name, n, 0, 0, RTE_PKTMBUF_HEADROOM + PKT_MAX + 64,
					 SOCKET_ID_ANY);
	return *state ? 0 : -1;
}

static inline int pkt_group_teardown(void **state)
{
	rte_mempool_free(*state);
	return 0;
}

#endif
