/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: probe the devargs (PCI address or vdev string), configure RX
 * queues (RSS across them when there are several) and one TX queue per
 * worker, start, read the MAC; then each port's TAP. Also the per-worker
 * TX buffers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dataplane/gw/gw.h"

#define NB_RXD 512
#define NB_TXD 512

/* The ethdev name of a devargs string: what comes before the first comma. */
static void devargs_name(const char *devargs, char *name, size_t len)
{
	size_t n = strcspn(devargs, ",");

	if (n >= len)
		n = len - 1;
	memcpy(name, devargs, n);
	name[n] = '\0';
}

static int probe(const char *devargs, uint16_t *id)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	int rc;

	devargs_name(devargs, name, sizeof(name));
	if (rte_eth_dev_get_port_by_name(name, id) == 0)
		return 0;	/* probed by EAL already (PCI allow list, --vdev) */
	rc = rte_dev_probe(devargs);
	if (rc < 0)
		return rc;
	return rte_eth_dev_get_port_by_name(name, id) ? -ENODEV : 0;
}

static void rss_conf(struct rte_eth_conf *conf, const struct rte_eth_dev_info *di, uint16_t nb_rxq)
{
	uint64_t hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP) &
		      di->flow_type_rss_offloads;

	if (nb_rxq < 2 || !hf)
		return;
	conf->rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf->rx_adv_conf.rss_conf.rss_hf = hf;
}

int gw_port_setup(struct gw *g, uint16_t id, uint16_t nb_rxq, uint16_t nb_txq, uint16_t mtu,
		  char *msg, size_t msglen)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info di;
	uint16_t nrxd = NB_RXD, ntxd = NB_TXD;
	int rc = rte_eth_dev_info_get(id, &di);

	if (rc)
		goto fail;
	rss_conf(&conf, &di, nb_rxq);
	if (mtu > di.max_mtu) {
		snprintf(msg, msglen, "port %u: mtu %u above the device's %u", id, mtu, di.max_mtu);
		return -EINVAL;
	}
	conf.rxmode.mtu = mtu;
	if (di.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if ((di.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER) &&
	    (unsigned int)mtu + RTE_ETHER_HDR_LEN > g->cfg.mbuf_dataroom - RTE_PKTMBUF_HEADROOM)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	rc = rte_eth_dev_configure(id, nb_rxq, nb_txq, &conf);
	if (rc)
		goto fail;
	rte_eth_dev_adjust_nb_rx_tx_desc(id, &nrxd, &ntxd);
	for (uint16_t q = 0; q < nb_rxq && !rc; q++)
		rc = rte_eth_rx_queue_setup(id, q, nrxd, rte_eth_dev_socket_id(id), NULL, g->pool);
	for (uint16_t q = 0; q < nb_txq && !rc; q++)
		rc = rte_eth_tx_queue_setup(id, q, ntxd, rte_eth_dev_socket_id(id), NULL);
	if (rc)
		goto fail;
	rte_eth_allmulticast_enable(id);	/* solicited-node multicast for ND */
	rc = rte_eth_dev_start(id);
	if (rc)
		goto fail;
	return 0;
fail:
	snprintf(msg, msglen, "port %u: setup failed: %s", id, rte_strerror(-rc));
	return rc;
}

static int open_port(struct gw *g, unsigned int p, char *msg, size_t msglen)
{
	const struct xgw_port_cfg *pc = &g->cfg.ports[p];
	struct gw_port *port = &g->port[p];
	struct rte_eth_dev_info di;
	struct rte_ether_addr mac;
	int rc = probe(pc->devargs, &port->id);

	if (rc) {
		snprintf(msg, msglen, "%s:%d: port %s: cannot probe '%s': %s", g->cfg.path, pc->line,
			 pc->name, pc->devargs, rte_strerror(-rc));
		return rc;
	}
	g->by_dpdk[port->id] = (uint16_t)p;
	rc = rte_eth_dev_info_get(port->id, &di);
	if (rc)
		return rc;
	port->nb_rxq = RTE_MIN(pc->nb_rxq ? pc->nb_rxq : 1, di.max_rx_queues);
	port->nb_txq = RTE_MIN(pc->nb_txq ? pc->nb_txq : g->nb_workers, di.max_tx_queues);
	port->nb_txq = RTE_MIN(port->nb_txq, g->nb_workers);
	port->shared_txq = port->nb_txq < g->nb_workers;
	for (unsigned int q = 0; q < RTE_MAX_QUEUES_PER_PORT; q++)
		rte_spinlock_init(&port->txq_lock[q]);
	rc = gw_port_setup(g, port->id, port->nb_rxq, port->nb_txq, pc->mtu ? pc->mtu : 1500,
			   msg, msglen);
	if (rc)
		return rc;
	port->started = true;
	rte_eth_macaddr_get(port->id, &mac);
	memcpy(port->mac, &mac, 6);
	gw_port_quiet_host(g, p);
	return pc->tap[0] ? gw_tap_open(g, p, msg, msglen) : 0;
}

int gw_ports_open(struct gw *g, char *msg, size_t msglen)
{
	for (unsigned int i = 0; i < RTE_MAX_ETHPORTS; i++)
		g->by_dpdk[i] = GW_NO_PORT;
	for (unsigned int p = 0; p < g->cfg.nb_ports; p++) {
		g->port[p].tap_id = GW_NO_PORT;
		g->nb_ports = p + 1;
		if (open_port(g, p, msg, msglen))
			return -EIO;
	}
	return 0;
}

static void close_dev(uint16_t id)
{
	struct rte_eth_dev_info di;

	rte_eth_dev_stop(id);
	if (rte_eth_dev_info_get(id, &di) == 0 && di.device) {
		rte_eth_dev_close(id);
		rte_dev_remove(di.device);
	} else {
		rte_eth_dev_close(id);
	}
}

void gw_ports_close(struct gw *g)
{
	for (unsigned int p = g->nb_ports; p-- > 0;) {
		struct gw_port *port = &g->port[p];

		if (port->tap_started)
			close_dev(port->tap_id);
		if (port->started)
			close_dev(port->id);
		port->started = port->tap_started = false;
	}
	g->nb_ports = 0;
}

static void tx_burst(struct gw *g, struct gw_worker *w, const struct gw_port *port,
		     uint16_t id, struct gw_txq *q, bool tap)
{
	uint16_t queue = (uint16_t)(w->idx % (tap ? g->nb_workers : port->nb_txq)), sent;
	bool lock = !tap && port->shared_txq;

	if (lock)
		rte_spinlock_lock((rte_spinlock_t *)&port->txq_lock[queue]);
	sent = rte_eth_tx_burst(id, queue, q->m, q->n);
	if (lock)
		rte_spinlock_unlock((rte_spinlock_t *)&port->txq_lock[queue]);
	w->stats.tx += sent;
	for (uint16_t i = sent; i < q->n; i++)
		gw_drop(w, q->m[i], GW_DROP_TX);
	q->n = 0;
}

void gw_tx_flush(struct gw *g, struct gw_worker *w)
{
	for (unsigned int p = 0; p < g->nb_ports; p++) {
		if (w->tx[p].n)
			tx_burst(g, w, &g->port[p], g->port[p].id, &w->tx[p], false);
		if (w->tap_tx[p].n)
			tx_burst(g, w, &g->port[p], g->port[p].tap_id, &w->tap_tx[p], true);
	}
}

void gw_tx_push(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m)
{
	struct gw_txq *q = &w->tx[port];

	w->stats.port[port].tx_packets++;
	w->stats.port[port].tx_bytes += rte_pktmbuf_pkt_len(m);
	q->m[q->n++] = m;
	if (q->n == GW_TX_MAX)
		tx_burst(g, w, &g->port[port], g->port[port].id, q, false);
}

void gw_tx_host(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m)
{
	struct gw_txq *q = &w->tap_tx[port];

	w->stats.to_host++;
	w->stats.port[port].to_host++;
	q->m[q->n++] = m;
	if (q->n == GW_TX_MAX)
		tx_burst(g, w, &g->port[port], g->port[port].tap_id, q, true);
}
