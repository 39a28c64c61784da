/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address resolution on the packet path: answering ARP requests and
 * neighbour solicitations for our addresses, learning from what we hear,
 * probing next hops, and sending packets to a next hop (or holding them
 * while it resolves).
 */
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "dataplane/gw/arp.h"
#include "dataplane/gw/gw.h"
#include "dataplane/gw/neigh.h"
#include "dataplane/gw/nd.h"
#include "dataplane/gw/route.h"

static void send_queued(struct gw *g, struct gw_worker *w, uint16_t port, const uint8_t mac[6],
			struct rte_mbuf **q, unsigned int n);

/* A copy of a frame for the host, so the kernel learns its neighbours too. */
static void copy_to_host(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m)
{
	struct rte_mbuf *c;

	if (g->port[port].tap_id == GW_NO_PORT)
		return;
	c = rte_pktmbuf_copy(m, g->pool, 0, UINT32_MAX);
	if (c)
		gw_to_host(g, w, port, c);
	else
		w->stats.drop[GW_DROP_NO_MBUF]++;
}

/* RFC 826 "packet reception": merge the sender, answer requests for us. */
void gw_arp_input(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_mbuf *q[GW_NEIGH_QMAX];
	struct gw_arp_info a;
	bool for_us;
	unsigned int nq;

	if (!gw_arp_parse(f, m->data_len, &a)) {
		gw_drop(w, m, GW_DROP_MALFORMED);
		return;
	}
	for_us = gw_is_local4(w->routes, port, a.tpa);
	if (a.spa) {
		nq = gw_neigh_confirm(g->neigh, port, AF_INET, (const uint8_t *)&a.spa, a.sha,
				      w->now, for_us, q);
		send_queued(g, w, port, a.sha, q, nq);
	}
	copy_to_host(g, w, port, m);
	if (a.op != RTE_ARP_OP_REQUEST || !for_us) {
		rte_pktmbuf_free(m);
		return;
	}
	gw_arp_reply_in_place(f, g->port[port].mac);
	rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - GW_ARP_FRAME_LEN));
	w->stats.arp_replies++;
	gw_tx_push(g, w, port, m);
}

/* RFC 4861 7.2.3 (solicitation for us), 7.2.5 (advertisement). */
void gw_nd_input(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_mbuf *q[GW_NEIGH_QMAX];
	struct gw_nd_info nd;
	unsigned int nq = 0;
	bool for_us;

	if (m->nb_segs > 1 || !gw_nd_parse(f, m->data_len, &nd)) {
		gw_to_host(g, w, port, m);	/* not ours to judge: the host decides */
		return;
	}
	for_us = gw_is_local6(w->routes, port, nd.target);
	if (nd.type == GW_ND_NA && nd.has_lladdr)
		nq = gw_neigh_confirm(g->neigh, port, AF_INET6, nd.target, nd.lladdr, w->now,
				      false, q);
	else if (nd.type == GW_ND_NS && nd.has_lladdr)
		nq = gw_neigh_confirm(g->neigh, port, AF_INET6, nd.src, nd.lladdr, w->now,
				      for_us, q);
	if (nq)
		send_queued(g, w, port, nd.type == GW_ND_NA ? nd.lladdr : nd.lladdr, q, nq);
	copy_to_host(g, w, port, m);
	if (nd.type != GW_ND_NS || !for_us) {
		rte_pktmbuf_free(m);
		return;
	}
	rte_pktmbuf_reset(m);
	if (!rte_pktmbuf_append(m, GW_ND_FRAME_LEN)) {
		gw_drop(w, m, GW_DROP_NO_MBUF);
		return;
	}
	gw_nd_advert(rte_pktmbuf_mtod(m, uint8_t *), g->port[port].mac, nd.target, &nd);
	w->stats.nd_adverts++;
	gw_tx_push(g, w, port, m);
}

static void probe(struct gw *g, struct gw_worker *w, uint16_t port, uint8_t family,
		  const uint8_t *addr)
{
	const struct gw_port_l3 *l3 = &w->routes->port[port];
	struct rte_mbuf *m;
	uint8_t *f;

	if (family == AF_INET && !l3->has4)
		return;
	m = rte_pktmbuf_alloc(g->pool);
	if (!m) {
		w->stats.drop[GW_DROP_NO_MBUF]++;
		return;
	}
	f = (uint8_t *)rte_pktmbuf_append(m, GW_ND_FRAME_LEN);
	if (family == AF_INET) {
		uint32_t tpa;

		memcpy(&tpa, addr, 4);
		rte_pktmbuf_trim(m, GW_ND_FRAME_LEN - GW_ARP_FRAME_LEN);
		gw_arp_request(f, g->port[port].mac, l3->addr4, tpa);
		w->stats.arp_requests++;
	} else {
		/* a link-local target is asked from our link-local address */
		bool ll = addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80;

		gw_nd_solicit(f, g->port[port].mac, l3->has6 && !ll ? l3->addr6 : l3->ll6, addr);
		w->stats.nd_solicits++;
	}
	gw_tx_push(g, w, port, m);
}

static void push_l2(struct gw *g, struct gw_worker *w, uint16_t port, const uint8_t mac[6],
		    struct rte_mbuf *m)
{
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN);
	uint8_t v = rte_pktmbuf_mtod_offset(m, const uint8_t *, RTE_ETHER_HDR_LEN)[0] >> 4;

	if (!e) {
		gw_drop(w, m, GW_DROP_NO_MBUF);
		return;
	}
	memcpy(&e->dst_addr, mac, 6);
	memcpy(&e->src_addr, g->port[port].mac, 6);
	e->ether_type = rte_cpu_to_be_16(v == 6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	m->l2_len = RTE_ETHER_HDR_LEN;
	w->stats.forwarded++;
	gw_tx_push(g, w, port, m);
}

static void send_queued(struct gw *g, struct gw_worker *w, uint16_t port, const uint8_t mac[6],
			struct rte_mbuf **q, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		push_l2(g, w, port, mac, q[i]);
}

void gw_neigh_xmit(struct gw *g, struct gw_worker *w, uint16_t port, uint8_t family,
		   const uint8_t *nexthop, struct rte_mbuf *m)
{
	uint8_t mac[6];
	bool want_probe;

	switch (gw_neigh_resolve(g->neigh, port, family, nexthop, w->now, m, mac, &want_probe)) {
	case GW_NEIGH_SEND:
		push_l2(g, w, port, mac, m);
		break;
	case GW_NEIGH_QUEUED:
		break;
	case GW_NEIGH_DROP_QUEUE:
		gw_drop(w, m, GW_DROP_NEIGH_QUEUE);
		break;
	case GW_NEIGH_DROP_TABLE:
		gw_drop(w, m, GW_DROP_NEIGH_TABLE);
		break;
	case GW_NEIGH_DROP_FAILED:
		gw_icmp_error(g, w, m, family == AF_INET ? GW_ICMP_UNREACH : GW_ICMP6_UNREACH,
			      family == AF_INET ? GW_ICMP_UNREACH_HOST : GW_ICMP6_UNREACH_ADDR, 0);
		gw_drop(w, m, GW_DROP_NEIGH_FAILED);
		break;
	}
	if (want_probe)
		probe(g, w, port, family, nexthop);
}

struct probe_ctx {
	struct gw *g;
	struct gw_worker *w;
};

static void timer_probe(void *arg, const struct gw_neigh *n)
{
	struct probe_ctx *c = arg;

	probe(c->g, c->w, n->port, n->family, n->addr);
}

/* Once every 100 ms on one worker: neighbour timers. */
void gw_neigh_housekeeping(struct gw *g, struct gw_worker *w)
{
	struct rte_mbuf *failed[GW_BURST];
	struct probe_ctx c = { g, w };
	unsigned int nf = gw_neigh_timer(g->neigh, w->now, timer_probe, &c, failed, GW_BURST);

	for (unsigned int i = 0; i < nf; i++) {
		uint8_t v = rte_pktmbuf_mtod(failed[i], const uint8_t *)[0] >> 4;

		gw_icmp_error(g, w, failed[i], v == 4 ? GW_ICMP_UNREACH : GW_ICMP6_UNREACH,
			      v == 4 ? GW_ICMP_UNREACH_HOST : GW_ICMP6_UNREACH_ADDR, 0);
		gw_drop(w, failed[i], GW_DROP_NEIGH_FAILED);
	}
}
