/* SPDX-License-Identifier: BSD-3-Clause */
/* ECMP path choice and the drop routes (route_out.h). */
#include <string.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dataplane/gw/gw.h"
#include "dataplane/gw/route_out.h"

#define ICMP_UNREACH_FILTER	13	/* RFC 1812 5.2.7.1 */
#define ICMP6_UNREACH_ADMIN	1	/* RFC 4443 3.1 */

static uint32_t mix(uint32_t h, uint32_t v)
{
	h ^= v;
	h *= 0x9e3779b1u;
	return h ^ (h >> 15);
}

/* Ports (or the SPI of ESP, RFC 4303 2.1) when the first bytes after the header are there. */
static uint32_t l4_word(const struct rte_mbuf *m, uint32_t off, uint8_t proto)
{
	uint32_t v = 0;

	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP && proto != IPPROTO_SCTP &&
	    proto != IPPROTO_ESP)
		return 0;
	if (off + 4 > rte_pktmbuf_data_len(m))
		return 0;
	memcpy(&v, rte_pktmbuf_mtod_offset(m, const uint8_t *, off), 4);
	return v;
}

uint32_t gw_flow_hash(const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t h = 0x7a3c1d5bu, w;

	if (p[0] >> 4 == 4) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)p;
		bool frag = ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG |
								   RTE_IPV4_HDR_OFFSET_MASK);

		h = mix(h, ip->src_addr);
		h = mix(h, ip->dst_addr);
		h = mix(h, ip->next_proto_id);
		if (!frag)
			h = mix(h, l4_word(m, (uint32_t)(ip->version_ihl & 0xf) * 4,
					   ip->next_proto_id));
		return h;
	}
	for (int i = 0; i < 8; i++) {	/* both addresses, 32 bits at a time */
		memcpy(&w, p + 8 + 4 * i, 4);
		h = mix(h, w);
	}
	h = mix(h, p[6]);
	return mix(h, l4_word(m, sizeof(struct rte_ipv6_hdr), p[6]));
}

static void drop_route(struct gw *g, struct gw_worker *w, const struct gw_nh *nh,
		       struct rte_mbuf *m)
{
	bool v4 = nh->family == AF_INET;

	switch (nh->type) {
	case GW_NH_UNREACHABLE:
		gw_icmp_error(g, w, m, v4 ? GW_ICMP_UNREACH : GW_ICMP6_UNREACH,
			      v4 ? GW_ICMP_UNREACH_HOST : GW_ICMP6_UNREACH_NOROUTE, 0);
		gw_drop(w, m, GW_DROP_ROUTE_UNREACHABLE);
		break;
	case GW_NH_PROHIBIT:
		gw_icmp_error(g, w, m, v4 ? GW_ICMP_UNREACH : GW_ICMP6_UNREACH,
			      v4 ? ICMP_UNREACH_FILTER : ICMP6_UNREACH_ADMIN, 0);
		gw_drop(w, m, GW_DROP_ROUTE_PROHIBIT);
		break;
	default:
		gw_drop(w, m, GW_DROP_ROUTE_BLACKHOLE);
		break;
	}
}

bool gw_route_divert_slow(struct gw *g, struct gw_worker *w, const struct gw_nh **nh,
			  struct rte_mbuf *m)
{
	const struct gw_routes *r = w->routes;
	const struct gw_mp *mp;
	unsigned int id;

	if ((*nh)->type != GW_NH_MULTIPATH) {
		drop_route(g, w, *nh, m);
		return true;
	}
	id = (unsigned int)(*nh - r->nh);
	mp = &r->mp[id];
	if (!mp->n)
		return false;	/* cannot happen: a group has paths; use its first */
	*nh = &r->nh[mp->id[(uint64_t)gw_flow_hash(m) * mp->n >> 32]];
	return false;
}
