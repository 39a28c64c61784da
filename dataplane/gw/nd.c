/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour solicitations and advertisements (RFC 4861).
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "dataplane/gw/nd.h"

#define OPT_SLLA 1
#define OPT_TLLA 2

struct nd_msg {
	uint8_t type, code;
	uint16_t cksum;
	uint32_t flags;		/* NA: R S O in the top bits; NS: reserved */
	uint8_t target[16];
} __attribute__((packed));

static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };

void gw_nd_snma(const uint8_t addr[16], uint8_t out[16])
{
	static const uint8_t pfx[13] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };

	memcpy(out, pfx, 13);
	memcpy(out + 13, addr + 13, 3);
}

static bool is_unspecified(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, 16);
}

/* Options (RFC 4861 4.6): each of non-zero length; the link-layer one of interest. */
static bool parse_options(const uint8_t *o, size_t len, uint8_t want, struct gw_nd_info *info)
{
	while (len) {
		size_t olen;

		if (len < 2 || o[1] == 0)
			return false;
		olen = (size_t)o[1] * 8;
		if (olen > len)
			return false;
		if (o[0] == want && olen == 8) {
			memcpy(info->lladdr, o + 2, 6);
			info->has_lladdr = true;
		}
		o += olen;
		len -= olen;
	}
	return true;
}

bool gw_nd_parse(const uint8_t *frame, size_t len, struct gw_nd_info *info)
{
	const struct rte_ether_hdr *e = (const struct rte_ether_hdr *)frame;
	const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)(e + 1);
	const struct nd_msg *m = (const struct nd_msg *)(ip + 1);
	size_t plen;

	if (len < RTE_ETHER_HDR_LEN + sizeof(*ip) + sizeof(*m))
		return false;
	plen = rte_be_to_cpu_16(ip->payload_len);
	if (ip->proto != IPPROTO_ICMPV6 || ip->hop_limits != 255 || plen < sizeof(*m) ||
	    plen > len - RTE_ETHER_HDR_LEN - sizeof(*ip))
		return false;
	if ((m->type != GW_ND_NS && m->type != GW_ND_NA) || m->code != 0)
		return false;
	if (rte_ipv6_udptcp_cksum_verify(ip, m) != 0)
		return false;
	if (m->target[0] == 0xff)
		return false;
	memset(info, 0, sizeof(*info));
	info->type = m->type;
	info->flags = (uint8_t)(rte_be_to_cpu_32(m->flags) >> 24);
	memcpy(info->src, ip->src_addr, 16);
	memcpy(info->dst, ip->dst_addr, 16);
	memcpy(info->target, m->target, 16);
	memcpy(info->eth_src, &e->src_addr, 6);
	if (!parse_options((const uint8_t *)(m + 1), plen - sizeof(*m),
			   m->type == GW_ND_NS ? OPT_SLLA : OPT_TLLA, info))
		return false;
	/* 7.1.1: a DAD probe (unspecified source) carries no source link-layer address */
	if (m->type == GW_ND_NS && is_unspecified(info->src) && info->has_lladdr)
		return false;
	return true;
}

/* Ethernet + IPv6 + ND message with one link-layer option; checksum last. */
static size_t build(uint8_t *frame, const uint8_t eth_dst[6], const uint8_t mac[6],
		    const uint8_t src[16], const uint8_t dst[16], uint8_t type, uint32_t flags,
		    const uint8_t target[16], uint8_t opt)
{
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)frame;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(e + 1);
	struct nd_msg *m = (struct nd_msg *)(ip + 1);
	uint8_t *o = (uint8_t *)(m + 1);

	memcpy(&e->dst_addr, eth_dst, 6);
	memcpy(&e->src_addr, mac, 6);
	e->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(sizeof(*m) + 8);
	ip->proto = IPPROTO_ICMPV6;
	ip->hop_limits = 255;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, dst, 16);
	m->type = type;
	m->code = 0;
	m->cksum = 0;
	m->flags = rte_cpu_to_be_32(flags << 24);
	memcpy(m->target, target, 16);
	o[0] = opt;
	o[1] = 1;
	memcpy(o + 2, mac, 6);
	m->cksum = rte_ipv6_udptcp_cksum(ip, m);
	return GW_ND_FRAME_LEN;
}

size_t gw_nd_advert(uint8_t *frame, const uint8_t our_mac[6], const uint8_t target[16],
		    const struct gw_nd_info *ns)
{
	static const uint8_t mc_all_nodes[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	const uint8_t *eth_dst = ns->has_lladdr ? ns->lladdr : ns->eth_src;

	/* 7.2.4: to a DAD probe, to all-nodes without S */
	if (is_unspecified(ns->src))
		return build(frame, mc_all_nodes, our_mac, target, all_nodes, GW_ND_NA,
			     GW_NA_ROUTER | GW_NA_OVERRIDE, target, OPT_TLLA);
	return build(frame, eth_dst, our_mac, target, ns->src, GW_ND_NA,
		     GW_NA_ROUTER | GW_NA_SOLICITED | GW_NA_OVERRIDE, target, OPT_TLLA);
}

size_t gw_nd_solicit(uint8_t *frame, const uint8_t mac[6], const uint8_t src[16],
		     const uint8_t target[16])
{
	uint8_t snma[16], eth_dst[6] = { 0x33, 0x33 };

	gw_nd_snma(target, snma);
	memcpy(eth_dst + 2, snma + 12, 4);
	return build(frame, eth_dst, mac, src, snma, GW_ND_NS, 0, target, OPT_SLLA);
}
