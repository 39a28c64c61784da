/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker lcore loop: RX bursts from the queues it owns, classify,
 * dispatch (ARP/ND, host after its in policy, reassembly, ESP/AH in,
 * forward; the host's own packets through the SPD), flush pending IPsec
 * output and TX, report an RCU quiescent state, sleep a little when idle.
 * One worker also runs the neighbour timers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "dataplane/gw/classify.h"
#include "dataplane/gw/gw.h"
#include "dataplane/gw/mark.h"
#include "dataplane/gw/route.h"
#include "sa/rcu.h"

#define HOUSEKEEPING_MS 100

static void reassemble(struct gw *g, struct gw_worker *w, struct rte_mbuf *m,
		       struct rte_mbuf **ipsec, uint8_t *proto, bool *natt, uint16_t *ni)
{
	uint8_t v = rte_pktmbuf_mtod(m, const uint8_t *)[0] >> 4;
	struct gw_cls c;
	int dropped = 0;
	uint16_t port = g->by_dpdk[m->port];
	struct rte_mbuf *whole = v == 4 ? gw_reasm4(w->reasm, m, w->now, &dropped) :
				 gw_reasm6(w->reasm, m, w->now, &dropped);

	w->stats.drop[GW_DROP_REASM] += (uint64_t)dropped;
	if (!whole)
		return;
	w->stats.reassembled++;
	gw_set_mark(whole, w->routes->port[port].mark);
	switch (gw_classify_ip(w->routes, whole, &c)) {
	case GW_CL_IPSEC:
		ipsec[*ni] = whole;
		proto[*ni] = c.proto;
		natt[(*ni)++] = c.natt;
		break;
	case GW_CL_HOST:
		if (gw_ipsec_local_in(g, w, whole, 0))
			break;
		/* the first fragment's Ethernet header is still in front */
		rte_pktmbuf_prepend(whole, RTE_ETHER_HDR_LEN);
		gw_to_host(g, w, port, whole);
		break;
	case GW_CL_FORWARD:	/* a reassembled fragment is never ours to forward */
	default:
		gw_drop(w, whole, GW_DROP_REASM);
		break;
	}
}

static void rx_port(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf **m,
		    uint16_t n)
{
	struct rte_mbuf *ipsec[GW_BURST], *fwd[GW_BURST];
	uint8_t proto[GW_BURST];
	bool natt[GW_BURST];
	uint16_t ni = 0, nf = 0;
	enum gw_class k;
	struct gw_cls c;

	uint32_t mark = w->routes->port[port].mark;

	for (uint16_t i = 0; i < n; i++) {
		w->stats.port[port].rx_packets++;
		w->stats.port[port].rx_bytes += rte_pktmbuf_pkt_len(m[i]);
		gw_set_mark(m[i], mark);
		k = gw_classify(w->routes, port, g->port[port].mac, m[i], &c);
		switch (k) {
		case GW_CL_MALFORMED:
			gw_drop(w, m[i], c.bad_chain ? GW_DROP_BAD_EXT_HDRS : GW_DROP_MALFORMED);
			continue;
		case GW_CL_NOT_OURS:
			gw_drop(w, m[i], GW_DROP_NOT_OURS);
			continue;
		case GW_CL_ARP:
			gw_arp_input(g, w, port, m[i]);
			continue;
		case GW_CL_ND:
			gw_nd_input(g, w, port, m[i]);
			continue;
		case GW_CL_HOST:
			if (!gw_ipsec_local_in(g, w, m[i], c.l3))
				gw_to_host(g, w, port, m[i]);
			continue;
		case GW_CL_IPSEC:
		case GW_CL_REASM:
		case GW_CL_FORWARD:
			break;
		}
		/* from here on the packet starts at its IP header */
		rte_pktmbuf_adj(m[i], c.l3);
		m[i]->l2_len = 0;
		if (k == GW_CL_IPSEC) {
			ipsec[ni] = m[i];
			proto[ni] = c.proto;
			natt[ni++] = c.natt;
		} else if (k == GW_CL_REASM) {
			reassemble(g, w, m[i], ipsec, proto, natt, &ni);
		} else if (!gw_ipsec_forward_in(g, w, m[i])) {
			fwd[nf++] = m[i];	/* RFC 4301 5.2: fwd policies checked first */
		}
	}
	for (uint16_t i = 0; i < nf; i++)
		gw_output(g, w, fwd[i], GW_OUT_FORWARD);
	if (ni)
		gw_ipsec_input(g, w, ipsec, ni, proto, natt);
}

static void housekeeping(struct gw *g, struct gw_worker *w)
{
	if (w->now < w->next_housekeeping)
		return;
	w->next_housekeeping = w->now + g->hz * HOUSEKEEPING_MS / 1000;
	gw_neigh_housekeeping(g, w);
}

/* Sleep after idle polls, doubling from 1 us up to idle_us (0: never). */
static void idle(struct gw *g, struct gw_worker *w, unsigned int *backoff)
{
	unsigned int max = __atomic_load_n(&g->idle_us, __ATOMIC_RELAXED);

	if (!max)
		return;
	*backoff = *backoff ? RTE_MIN(*backoff * 2, max) : 1;
	if (g->rcu)
		sa_rcu_offline(g->rcu, w->lcore);
	usleep(*backoff);
	if (g->rcu)
		sa_rcu_online(g->rcu, w->lcore);
}

static int worker_loop(void *arg)
{
	struct gw_worker *w = arg;
	struct gw *g = gw_running;
	struct rte_mbuf *m[GW_BURST];
	unsigned int backoff = 0;

	if (g->rcu)
		sa_rcu_register(g->rcu, w->lcore);
	while (!__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE)) {
		unsigned int got = 0;

		w->routes = __atomic_load_n(&g->routes, __ATOMIC_ACQUIRE);
		w->now = rte_rdtsc();
		for (unsigned int i = 0; i < w->nb_rx; i++) {
			const struct gw_rx *rx = &w->rx[i];
			uint16_t n = rte_eth_rx_burst(rx->dpdk_port, rx->queue, m, GW_BURST);

			if (!n)
				continue;
			got += n;
			w->stats.rx += n;
			if (rx->tap)
				gw_from_host(g, w, rx->port, m, n);
			else
				rx_port(g, w, rx->port, m, n);
			gw_ipsec_flush(g, w);
		}
		if (w->housekeeper)
			housekeeping(g, w);
		gw_tx_flush(g, w);
		gw_reasm_flush(w->reasm);
		w->routes = NULL;
		if (g->rcu)
			sa_rcu_quiescent(g->rcu, w->lcore);
		if (got)
			backoff = 0;
		else
			idle(g, w, &backoff);
	}
	gw_tx_flush(g, w);
	if (g->rcu)
		sa_rcu_unregister(g->rcu, w->lcore);
	w->stopped = true;
	return 0;
}

static void *worker_thread(void *arg)
{
	struct gw_worker *w = arg;

	if (rte_thread_register() < 0) {
		w->stopped = true;
		return NULL;
	}
	w->lcore = rte_lcore_id();
	worker_loop(w);
	rte_thread_unregister();
	return NULL;
}

/* Which lcores work: the configuration's, else every worker lcore EAL has. */
static int pick_lcores(struct gw *g, unsigned int *lc, bool *thread, char *msg, size_t msglen)
{
	unsigned int n = 0, l;

	*thread = false;
	if (g->cfg.nb_workers) {
		for (unsigned int i = 0; i < g->cfg.nb_workers; i++) {
			l = g->cfg.workers[i].lcore;
			if (l >= RTE_MAX_LCORE || !rte_lcore_is_enabled(l) ||
			    l == rte_get_main_lcore()) {
				snprintf(msg, msglen, "%s:%d: lcore %u is not a worker lcore of EAL "
					 "(give it in -l, not as the main lcore)", g->cfg.path,
					 g->cfg.workers[i].line, l);
				return -EINVAL;
			}
			lc[n++] = l;
		}
		return (int)n;
	}
	RTE_LCORE_FOREACH_WORKER(l)
		lc[n++] = l;
	if (n)
		return (int)n;
	*thread = true;		/* EAL has only the main lcore: one registered thread */
	lc[0] = 0;
	return 1;
}

static void add_rx(struct gw_worker *w, uint16_t dpdk_port, uint16_t q, uint16_t port, bool tap)
{
	if (w->nb_rx < GW_MAX_RX)
		w->rx[w->nb_rx++] = (struct gw_rx){ dpdk_port, q, port, tap };
}

/* RX queues: as configured, the rest (and the TAPs) round robin. */
static void assign_queues(struct gw *g)
{
	unsigned int next = 0;

	for (unsigned int i = 0; i < g->cfg.nb_workers && i < g->nb_workers; i++)
		for (unsigned int k = 0; k < g->cfg.workers[i].nb_rxq; k++) {
			const struct xgw_rxq_ref *r = &g->cfg.workers[i].rxq[k];

			add_rx(&g->w[i], g->port[r->port].id, r->queue, r->port, false);
		}
	for (unsigned int p = 0; p < g->nb_ports; p++) {
		for (uint16_t q = 0; q < g->port[p].nb_rxq; q++) {
			bool taken = false;

			for (unsigned int i = 0; i < g->nb_workers; i++)
				for (unsigned int k = 0; k < g->w[i].nb_rx; k++)
					taken |= g->w[i].rx[k].port == p && !g->w[i].rx[k].tap &&
						 g->w[i].rx[k].queue == q;
			if (!taken)
				add_rx(&g->w[next++ % g->nb_workers], g->port[p].id, q, (uint16_t)p,
				       false);
		}
		if (g->port[p].tap_id != GW_NO_PORT)
			add_rx(&g->w[next++ % g->nb_workers], g->port[p].tap_id, 0, (uint16_t)p,
			       true);
	}
}

int gw_workers_count(struct gw *g, char *msg, size_t msglen)
{
	unsigned int lc[RTE_MAX_LCORE];
	bool thread;
	int n = pick_lcores(g, lc, &thread, msg, msglen);

	if (n < 0)
		return n;
	g->nb_workers = (unsigned int)n;
	g->w = calloc((size_t)n, sizeof(*g->w));
	if (!g->w)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		g->w[i].lcore = lc[i];
		g->w[i].idx = (unsigned int)i;
		g->w[i].own_thread = thread;
	}
	g->w[0].housekeeper = true;
	return 0;
}

static int worker_init(struct gw *g, struct gw_worker *w)
{
	uint64_t now = rte_rdtsc();
	unsigned int rate = g->icmp_rate / g->nb_workers;

	gw_ratelimit_init(&w->icmp, rate ? rate : (g->icmp_rate ? 1 : 0), 10, g->hz, now);
	w->reasm = gw_reasm_create(1024, g->hz * 10, (int)rte_socket_id());
	if (!w->reasm)
		return -ENOMEM;
	return gw_ipsec_lcore_init(g, w);
}

int gw_workers_start(struct gw *g, char *msg, size_t msglen)
{
	assign_queues(g);
	for (unsigned int i = 0; i < g->nb_workers; i++) {
		struct gw_worker *w = &g->w[i];
		int rc = worker_init(g, w);

		if (rc) {
			snprintf(msg, msglen, "worker %u: no memory for its tables", i);
			return rc;
		}
	}
	for (unsigned int i = 0; i < g->nb_workers; i++) {
		struct gw_worker *w = &g->w[i];
		int rc = w->own_thread ? pthread_create(&w->thread, NULL, worker_thread, w) :
			 rte_eal_remote_launch(worker_loop, w, w->lcore);

		if (rc) {
			snprintf(msg, msglen, "cannot start the worker on lcore %u", w->lcore);
			return -EIO;
		}
		w->launched = true;
	}
	return 0;
}

void gw_workers_stop(struct gw *g)
{
	__atomic_store_n(&g->stop, true, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < g->nb_workers; i++) {
		struct gw_worker *w = &g->w[i];

		if (!w->launched)
			continue;
		if (w->own_thread)
			pthread_join(w->thread, NULL);
		else
			rte_eal_wait_lcore(w->lcore);
		w->launched = false;
	}
	for (unsigned int i = 0; i < g->nb_workers; i++) {
		gw_reasm_free(g->w[i].reasm);
		g->w[i].reasm = NULL;
		gw_ipsec_lcore_free(&g->w[i]);
	}
}
