/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame classification (see classify.h).
 */
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dataplane/gw/classify.h"
#include "dataplane/gw/nd.h"
#include "dataplane/gw/route.h"
#include "sa/flow.h"

#define NATT_PORT 4500

/* UDP to the NAT-T port carrying ESP (RFC 3948 2.2; sa/flow.h's classifier). */
static bool udp_is_esp(const struct rte_mbuf *m, uint32_t l4)
{
	uint8_t pb[4];
	const uint8_t *p = rte_pktmbuf_read(m, l4 + 2, 2, pb);
	uint32_t spi;

	if (!p || (p[0] << 8 | p[1]) != NATT_PORT)
		return false;
	return flow_natt_classify(m, l4, &spi) == FLOW_NATT_ESP;
}

static enum gw_class local_ip(const struct rte_mbuf *m, struct gw_cls *c, uint8_t proto,
			      uint32_t l4, bool fragment)
{
	if (fragment)
		return GW_CL_REASM;
	if (proto == IPPROTO_ESP || proto == IPPROTO_AH) {
		c->proto = proto;
		return GW_CL_IPSEC;
	}
	if (proto == IPPROTO_UDP && udp_is_esp(m, l4)) {
		c->proto = IPPROTO_ESP;
		c->natt = true;
		return GW_CL_IPSEC;
	}
	return GW_CL_HOST;
}

static enum gw_class classify4(const struct gw_routes *r, struct rte_mbuf *m, struct gw_cls *c)
{
	const struct rte_ipv4_hdr *ip;
	uint32_t len = rte_pktmbuf_pkt_len(m) - c->l3, hl, total, dst;
	uint16_t ff;

	if (len < sizeof(*ip) || m->data_len < c->l3 + sizeof(*ip))
		return GW_CL_MALFORMED;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, c->l3);
	hl = (ip->version_ihl & 0xf) * 4u;
	total = rte_be_to_cpu_16(ip->total_length);
	if ((ip->version_ihl >> 4) != 4 || hl < sizeof(*ip) || total < hl || total > len ||
	    m->data_len < c->l3 + hl)
		return GW_CL_MALFORMED;
	if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		return GW_CL_MALFORMED;
	if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) != RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
	    rte_ipv4_cksum(ip) != 0)
		return GW_CL_MALFORMED;
	if (total < len)
		rte_pktmbuf_trim(m, (uint16_t)(len - total));
	c->family = AF_INET;
	m->l3_len = (uint16_t)hl;
	m->packet_type = RTE_PTYPE_L3_IPV4;
	dst = ip->dst_addr;
	ff = rte_be_to_cpu_16(ip->fragment_offset);
	if (gw_is_local4(r, -1, dst))
		return local_ip(m, c, ip->next_proto_id, c->l3 + hl,
				ff & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK));
	/* limited broadcast and multicast: the host's business */
	if (dst == 0xffffffffu || (rte_be_to_cpu_32(dst) >> 28) == 0xe)
		return GW_CL_HOST;
	return GW_CL_FORWARD;
}

static bool is_nd(const struct rte_mbuf *m, uint32_t l4)
{
	uint8_t tb;
	const uint8_t *t = rte_pktmbuf_read(m, l4, 1, &tb);

	return t && (*t == GW_ND_NS || *t == GW_ND_NA);
}

static enum gw_class classify6(const struct gw_routes *r, struct rte_mbuf *m, struct gw_cls *c)
{
	const struct rte_ipv6_hdr *ip;
	uint32_t len = rte_pktmbuf_pkt_len(m) - c->l3, total;
	uint32_t l4 = c->l3 + sizeof(*ip);

	if (len < sizeof(*ip) || m->data_len < c->l3 + sizeof(*ip))
		return GW_CL_MALFORMED;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, c->l3);
	total = sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);
	if ((rte_be_to_cpu_32(ip->vtc_flow) >> 28) != 6 || total > len)
		return GW_CL_MALFORMED;
	if (total < len)
		rte_pktmbuf_trim(m, (uint16_t)(len - total));
	c->family = AF_INET6;
	m->l3_len = sizeof(*ip);
	m->packet_type = RTE_PTYPE_L3_IPV6;
	if (ip->dst_addr[0] == 0xff) {
		if (ip->proto == IPPROTO_ICMPV6 && is_nd(m, l4))
			return GW_CL_ND;
		return GW_CL_HOST;
	}
	if (gw_is_local6(r, -1, ip->dst_addr)) {
		struct flow_hdrs h;

		if (ip->proto == IPPROTO_ICMPV6 && is_nd(m, l4))
			return GW_CL_ND;
		/* ESP/AH/NAT-T after extension headers (RFC 8200 4.1) */
		if (flow_parse(m, c->l3, NULL, &h) != FLOW_OK) {
			c->bad_chain = true;
			return GW_CL_MALFORMED;
		}
		if (h.routing_left)
			return GW_CL_HOST;	/* the host's stack processes the Routing header */
		m->l3_len = (uint16_t)h.l4;	/* where ESP/AH (or UDP) starts */
		return local_ip(m, c, h.proto, c->l3 + h.l4, h.fragment);
	}
	/* RFC 4291 2.5.6: link-local addresses are never forwarded */
	if ((ip->dst_addr[0] == 0xfe && (ip->dst_addr[1] & 0xc0) == 0x80) ||
	    (ip->src_addr[0] == 0xfe && (ip->src_addr[1] & 0xc0) == 0x80))
		return GW_CL_NOT_OURS;
	return GW_CL_FORWARD;
}

enum gw_class gw_classify_ip(const struct gw_routes *r, struct rte_mbuf *m, struct gw_cls *c)
{
	uint8_t vb;
	const uint8_t *v = rte_pktmbuf_read(m, 0, 1, &vb);
	enum gw_class k;

	memset(c, 0, sizeof(*c));
	if (!v)
		return GW_CL_MALFORMED;
	k = (*v >> 4) == 4 ? classify4(r, m, c) : (*v >> 4) == 6 ? classify6(r, m, c) :
	    GW_CL_MALFORMED;
	/* neighbour discovery is only meaningful on the link */
	return k == GW_CL_ND ? GW_CL_HOST : k;
}

enum gw_class gw_classify(const struct gw_routes *r, uint16_t port, const uint8_t mac[6],
			  struct rte_mbuf *m, struct gw_cls *c)
{
	const struct rte_ether_hdr *e;
	uint16_t type;

	(void)port;
	memset(c, 0, sizeof(*c));
	if (m->data_len < RTE_ETHER_HDR_LEN)
		return GW_CL_MALFORMED;
	e = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (!(e->dst_addr.addr_bytes[0] & 1) && memcmp(&e->dst_addr, mac, 6))
		return GW_CL_NOT_OURS;
	type = rte_be_to_cpu_16(e->ether_type);
	c->l3 = RTE_ETHER_HDR_LEN;
	switch (type) {
	case RTE_ETHER_TYPE_ARP:
		return GW_CL_ARP;
	case RTE_ETHER_TYPE_IPV4:
		return classify4(r, m, c);
	case RTE_ETHER_TYPE_IPV6:
		return classify6(r, m, c);
	default:
		return GW_CL_NOT_OURS;
	}
}
