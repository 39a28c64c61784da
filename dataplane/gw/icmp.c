/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP error construction and its rate limit (see icmp.h).
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dataplane/gw/icmp.h"

void gw_ratelimit_init(struct gw_ratelimit *rl, uint64_t rate, uint64_t burst, uint64_t hz,
		       uint64_t now)
{
	rl->hz = hz;
	rl->rate = rate;
	rl->burst = burst ? burst : 1;
	rl->credit = rl->burst * hz;
	rl->last = now;
}

bool gw_ratelimit_take(struct gw_ratelimit *rl, uint64_t now)
{
	uint64_t max = rl->burst * rl->hz;

	if (now > rl->last) {
		uint64_t add = (now - rl->last) * rl->rate;

		rl->credit = add > max - rl->credit ? max : rl->credit + add;
		rl->last = now;
	}
	if (rl->credit < rl->hz)
		return false;
	rl->credit -= rl->hz;
	return true;
}

/* RFC 1812 4.3.2.7: not about ICMP errors, fragments after the first, non-unicast. */
bool gw_icmp4_may_answer(const struct rte_mbuf *orig)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(orig, const struct rte_ipv4_hdr *);
	uint32_t src = rte_be_to_cpu_32(ip->src_addr), dst = rte_be_to_cpu_32(ip->dst_addr);
	unsigned int hl = (ip->version_ihl & 0xf) * 4u;
	uint8_t tbuf;
	const uint8_t *t;

	if (rte_be_to_cpu_16(ip->fragment_offset) & RTE_IPV4_HDR_OFFSET_MASK)
		return false;
	if (src == 0 || (src >> 24) == 127 || (src >> 28) >= 0xe || (dst >> 28) == 0xe ||
	    dst == 0xffffffffu)
		return false;
	if (ip->next_proto_id != IPPROTO_ICMP)
		return true;
	t = rte_pktmbuf_read(orig, hl, 1, &tbuf);
	/* informational types: echo reply 0, echo 8, router adv/sol 9/10, timestamp 13/14... */
	return t && (*t == 0 || *t == 8 || *t == 9 || *t == 10 || *t >= 13);
}

bool gw_icmp6_may_answer(const struct rte_mbuf *orig, uint8_t type)
{
	const struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(orig, const struct rte_ipv6_hdr *);
	static const uint8_t zero[16];
	uint8_t tbuf;
	const uint8_t *t;

	if (!memcmp(ip->src_addr, zero, 16) || ip->src_addr[0] == 0xff)
		return false;
	/* RFC 4443 2.4 e.3: not to multicast destinations, except packet too big */
	if (ip->dst_addr[0] == 0xff && type != GW_ICMP6_PKT_TOO_BIG)
		return false;
	if (ip->proto != IPPROTO_ICMPV6)
		return true;
	t = rte_pktmbuf_read(orig, sizeof(*ip), 1, &tbuf);
	return t && *t >= 128;	/* RFC 4443 2.4 e.1: never about an error */
}

/* A fresh mbuf holding hdr_len bytes of headers then as much of orig as fits max. */
static struct rte_mbuf *error_mbuf(struct rte_mempool *pool, const struct rte_mbuf *orig,
				   unsigned int hdr_len, unsigned int max, unsigned int *quoted)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	unsigned int q = rte_pktmbuf_pkt_len(orig);
	char *p;

	if (!m)
		return NULL;
	if (q > max - hdr_len)
		q = max - hdr_len;
	if (q > rte_pktmbuf_tailroom(m) - hdr_len)
		q = rte_pktmbuf_tailroom(m) - hdr_len;
	p = rte_pktmbuf_append(m, (uint16_t)(hdr_len + q));
	if (q) {
		const void *s = rte_pktmbuf_read(orig, 0, q, p + hdr_len);

		if (s != p + hdr_len)
			memcpy(p + hdr_len, s, q);
	}
	*quoted = q;
	return m;
}

struct rte_mbuf *gw_icmp4_error(struct rte_mempool *pool, const struct rte_mbuf *orig,
				uint8_t type, uint8_t code, uint16_t mtu, uint32_t src)
{
	const struct rte_ipv4_hdr *oip = rte_pktmbuf_mtod(orig, const struct rte_ipv4_hdr *);
	const unsigned int hl = sizeof(struct rte_ipv4_hdr) + 8;
	struct rte_ipv4_hdr *ip;
	unsigned int q;
	uint8_t *icmp;
	struct rte_mbuf *m;

	if (!gw_icmp4_may_answer(orig))
		return NULL;
	m = error_mbuf(pool, orig, hl, GW_ICMP4_MAX_LEN, &q);
	if (!m)
		return NULL;
	ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	memset(ip, 0, hl);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(hl + q));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = src;
	ip->dst_addr = oip->src_addr;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp = (uint8_t *)(ip + 1);
	icmp[0] = type;
	icmp[1] = code;
	/* RFC 1191 4: next-hop MTU in the low 16 bits of the second word */
	icmp[6] = (uint8_t)(mtu >> 8);
	icmp[7] = (uint8_t)mtu;
	{
		uint16_t ck = (uint16_t)~rte_raw_cksum(icmp, 8 + q);

		memcpy(icmp + 2, &ck, 2);
	}
	m->l3_len = sizeof(*ip);
	m->packet_type = RTE_PTYPE_L3_IPV4;
	return m;
}

struct rte_mbuf *gw_icmp6_error(struct rte_mempool *pool, const struct rte_mbuf *orig,
				uint8_t type, uint8_t code, uint32_t mtu, const uint8_t src[16])
{
	const struct rte_ipv6_hdr *oip = rte_pktmbuf_mtod(orig, const struct rte_ipv6_hdr *);
	const unsigned int hl = sizeof(struct rte_ipv6_hdr) + 8;
	struct rte_ipv6_hdr *ip;
	unsigned int q;
	uint8_t *icmp;
	uint32_t be_mtu = rte_cpu_to_be_32(mtu);
	struct rte_mbuf *m;

	if (!gw_icmp6_may_answer(orig, type))
		return NULL;
	m = error_mbuf(pool, orig, hl, GW_ICMP6_MAX_LEN, &q);
	if (!m)
		return NULL;
	ip = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
	memset(ip, 0, hl);
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)(8 + q));
	ip->proto = IPPROTO_ICMPV6;
	ip->hop_limits = 64;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, oip->src_addr, 16);
	icmp = (uint8_t *)(ip + 1);
	icmp[0] = type;
	icmp[1] = code;
	memcpy(icmp + 4, &be_mtu, 4);	/* RFC 4443 3.2: MTU; 0 (unused) for the others */
	{
		uint16_t ck = rte_ipv6_udptcp_cksum(ip, icmp);

		memcpy(icmp + 2, &ck, 2);
	}
	m->l3_len = sizeof(*ip);
	m->packet_type = RTE_PTYPE_L3_IPV6;
	return m;
}
