/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sending an IP packet (data at its IP header): outbound policy, route,
 * TTL / hop limit (RFC 1812 5.3.1, RFC 8200 3), MTU with fragmentation or
 * ICMP (RFC 1191, RFC 8201), then the next hop. ICMP errors come back
 * through here as locally originated packets.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dataplane/gw/gw.h"
#include "dataplane/gw/mark.h"
#include "dataplane/gw/route.h"
#include "dataplane/gw/route_out.h"

/* Our address to send an error from: the arrival port's, else any. */
static bool error_source(const struct gw_routes *r, uint16_t port, int family, uint8_t *out)
{
	for (unsigned int i = 0; i <= r->nb_ports; i++) {
		const struct gw_port_l3 *l = &r->port[i == 0 ? port : i - 1];

		if (i == 0 && port >= r->nb_ports)
			continue;
		if (family == AF_INET && l->has4) {
			memcpy(out, &l->addr4, 4);
			return true;
		}
		if (family == AF_INET6 && (l->has6 || l->has_ll6)) {
			memcpy(out, l->has6 ? l->addr6 : l->ll6, 16);
			return true;
		}
	}
	return false;
}

void gw_icmp_error(struct gw *g, struct gw_worker *w, struct rte_mbuf *orig, uint8_t type,
		   uint8_t code, uint32_t mtu)
{
	uint8_t v = rte_pktmbuf_mtod(orig, const uint8_t *)[0] >> 4;
	uint16_t port = orig->port < RTE_MAX_ETHPORTS ? g->by_dpdk[orig->port] : GW_NO_PORT;
	int family = v == 4 ? AF_INET : AF_INET6;
	struct rte_mbuf *m;
	uint8_t src[16];

	if (!error_source(w->routes, port, family, src))
		return;
	if (!gw_ratelimit_take(&w->icmp, w->now)) {
		w->stats.icmp_ratelimited++;
		return;
	}
	if (family == AF_INET) {
		uint32_t s;

		memcpy(&s, src, 4);
		m = gw_icmp4_error(g->pool, orig, type, code, (uint16_t)mtu, s);
	} else {
		m = gw_icmp6_error(g->pool, orig, type, code, mtu, src);
	}
	if (!m)
		return;
	m->port = orig->port;
	gw_set_mark(m, 0);
	w->stats.icmp_errors++;
	gw_output(g, w, m, GW_OUT_ICMP);
}

/* Decapsulated traffic for the gateway itself: up the port's TAP. */
static void deliver_local(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m,
			  uint16_t ethertype)
{
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN);

	if (!e) {
		gw_drop(w, m, GW_DROP_NO_MBUF);
		return;
	}
	memcpy(&e->dst_addr, g->port[port].mac, 6);
	memcpy(&e->src_addr, g->port[port].mac, 6);
	e->ether_type = rte_cpu_to_be_16(ethertype);
	gw_to_host(g, w, port, m);
}

/* RFC 1624 incremental update of the header checksum for TTL - 1. */
static void ttl_decrement(struct rte_ipv4_hdr *ip)
{
	uint32_t sum = (uint32_t)rte_be_to_cpu_16(ip->hdr_checksum) + 0x0100;

	ip->time_to_live--;
	ip->hdr_checksum = rte_cpu_to_be_16((uint16_t)(sum + (sum >> 16)));
}

static void send_fragments(struct gw *g, struct gw_worker *w, const struct gw_nh *nh,
			   const uint8_t *nexthop, struct rte_mbuf *m, uint16_t mtu)
{
	struct rte_mbuf *f[GW_FRAG_MAX];
	int n = gw_frag4(m, mtu, g->pool, f, GW_FRAG_MAX);

	if (n == -EMSGSIZE) {
		gw_icmp_error(g, w, m, GW_ICMP_UNREACH, GW_ICMP_UNREACH_NEEDFRAG, mtu);
		gw_drop(w, m, GW_DROP_MTU);
		return;
	}
	if (n < 0) {
		gw_drop(w, m, GW_DROP_FRAG);
		return;
	}
	w->stats.fragments_out += (uint64_t)n;
	for (int i = 0; i < n; i++)
		gw_neigh_xmit(g, w, nh->port, nh->family, nexthop, f[i]);
}

static void output4(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, unsigned int flags)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	const struct gw_nh *nh;
	uint32_t dst;
	uint16_t mtu;

	if ((flags & GW_OUT_FORWARD) && ip->time_to_live <= 1) {
		gw_icmp_error(g, w, m, GW_ICMP_TIMXCEED, GW_ICMP_TIMXCEED_INTRANS, 0);
		gw_drop(w, m, GW_DROP_TTL);
		return;
	}
	/* with XFRM interfaces the route comes first: it may lead into one */
	nh = w->routes->nb_xfrmi ? gw_route4(w->routes, ip->dst_addr) : NULL;
	if (!(flags & GW_OUT_NO_POLICY) && gw_ipsec_output(g, w, m, flags, nh))
		return;
	if (!w->routes->nb_xfrmi)
		nh = gw_route4(w->routes, ip->dst_addr);
	if (!nh) {
		gw_icmp_error(g, w, m, GW_ICMP_UNREACH, GW_ICMP_UNREACH_NET, 0);
		gw_drop(w, m, GW_DROP_NO_ROUTE);
		return;
	}
	if (nh->type == GW_NH_XFRMI) {	/* already IPsec output: no second pass */
		gw_drop(w, m, GW_DROP_XFRMI_NO_POLICY);
		return;
	}
	if (gw_route_divert(g, w, &nh, m))
		return;
	if (flags & GW_OUT_FORWARD)
		ttl_decrement(ip);
	if (nh->type == GW_NH_LOCAL) {
		deliver_local(g, w, nh->port, m, RTE_ETHER_TYPE_IPV4);
		return;
	}
	dst = ip->dst_addr;
	mtu = w->routes->port[nh->port].mtu;
	if (rte_pktmbuf_pkt_len(m) > mtu) {
		send_fragments(g, w, nh, nh->type == GW_NH_VIA ? nh->via : (uint8_t *)&dst, m, mtu);
		return;
	}
	gw_neigh_xmit(g, w, nh->port, AF_INET, nh->type == GW_NH_VIA ? nh->via : (uint8_t *)&dst, m);
}

static void output6(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, unsigned int flags)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
	const struct gw_nh *nh;
	uint8_t dst[16];
	uint16_t mtu;

	if ((flags & GW_OUT_FORWARD) && ip->hop_limits <= 1) {
		gw_icmp_error(g, w, m, GW_ICMP6_TIME_EXCEEDED, 0, 0);
		gw_drop(w, m, GW_DROP_TTL);
		return;
	}
	nh = w->routes->nb_xfrmi ? gw_route6(w->routes, ip->dst_addr) : NULL;
	if (!(flags & GW_OUT_NO_POLICY) && gw_ipsec_output(g, w, m, flags, nh))
		return;
	if (!w->routes->nb_xfrmi)
		nh = gw_route6(w->routes, ip->dst_addr);
	if (nh && nh->type == GW_NH_XFRMI) {
		gw_drop(w, m, GW_DROP_XFRMI_NO_POLICY);
		return;
	}
	if (nh && nh->type == GW_NH_LOCAL) {
		deliver_local(g, w, nh->port, m, RTE_ETHER_TYPE_IPV6);
		return;
	}
	if (!nh) {
		gw_icmp_error(g, w, m, GW_ICMP6_UNREACH, GW_ICMP6_UNREACH_NOROUTE, 0);
		gw_drop(w, m, GW_DROP_NO_ROUTE);
		return;
	}
	if (gw_route_divert(g, w, &nh, m))
		return;
	mtu = w->routes->port[nh->port].mtu;
	if (rte_pktmbuf_pkt_len(m) > mtu) {
		/* RFC 8200 5: routers never fragment IPv6 */
		gw_icmp_error(g, w, m, GW_ICMP6_PKT_TOO_BIG, 0, mtu);
		gw_drop(w, m, GW_DROP_MTU);
		return;
	}
	if (flags & GW_OUT_FORWARD)
		ip->hop_limits--;
	memcpy(dst, ip->dst_addr, 16);
	gw_neigh_xmit(g, w, nh->port, AF_INET6, nh->type == GW_NH_VIA ? nh->via : dst, m);
}

void gw_output(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, unsigned int flags)
{
	uint8_t v = rte_pktmbuf_mtod(m, const uint8_t *)[0] >> 4;

	if (v == 4)
		output4(g, w, m, flags);
	else if (v == 6)
		output6(g, w, m, flags);
	else
		gw_drop(w, m, GW_DROP_MALFORMED);
}
