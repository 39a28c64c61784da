/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The running gateway: ports, workers and the tables they share. Private
 * to dataplane/gw/.
 */
#ifndef XFRMGW_DATAPLANE_GW_GW_H
#define XFRMGW_DATAPLANE_GW_GW_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_spinlock.h>

#include "dataplane/config.h"
#include "dataplane/gw/frag.h"
#include "dataplane/gw/icmp.h"
#include "dataplane/gw/stats.h"

#define GW_BURST	32
#define GW_TX_MAX	64
#define GW_NO_PORT	UINT16_MAX
#define GW_MAX_RX	(2 * XGW_MAX_PORTS * 4)
#define GW_SA_LOCKS	64

struct gw_routes;
struct gw_rib;
struct gw_rtmirror;
struct gw_neigh_table;
struct gw_ipsec_lcore;
struct rte_mempool;
struct rte_ring;
struct sa_rcu;
struct sad;
struct spd;
struct xfrm_sa;

struct gw_port {
	uint16_t id;			/* DPDK port */
	uint16_t tap_id;		/* DPDK port of its TAP, or GW_NO_PORT */
	uint8_t mac[6];
	uint16_t nb_rxq, nb_txq;
	bool shared_txq;		/* fewer TX queues than workers: lock them */
	rte_spinlock_t txq_lock[RTE_MAX_QUEUES_PER_PORT];
	bool started, tap_started;
	char tap_name[XGW_NAME_LEN];
	unsigned int tap_ifindex;
};

struct gw_txq {
	uint16_t n;
	struct rte_mbuf *m[GW_TX_MAX];
};

struct gw_rx {
	uint16_t dpdk_port;
	uint16_t queue;
	uint16_t port;			/* gateway port index */
	bool tap;			/* the port's TAP: packets from the host */
};

struct gw_worker {
	unsigned int lcore;		/* EAL lcore id, also the RCU reader id */
	unsigned int idx;		/* TX queue on every port */
	unsigned int nb_rx;
	struct gw_rx rx[GW_MAX_RX];
	struct gw_txq tx[XGW_MAX_PORTS];
	struct gw_txq tap_tx[XGW_MAX_PORTS];
	struct gw_lcore_stats stats;
	struct gw_ratelimit icmp;
	struct gw_reasm *reasm;
	struct gw_ipsec_lcore *ipsec;
	bool housekeeper;
	uint64_t next_housekeeping;
	const struct gw_routes *routes;	/* this burst's tables */
	uint64_t now;			/* this burst's tsc */
	pthread_t thread;		/* when not an EAL lcore */
	bool own_thread;
	bool launched;
	volatile bool stopped;
};

struct gw {
	struct xgw_config cfg;		/* routes not kept: they live in routes */
	unsigned int nb_ports;
	struct gw_port port[XGW_MAX_PORTS];
	uint16_t by_dpdk[RTE_MAX_ETHPORTS];	/* DPDK port id -> index (or GW_NO_PORT) */
	struct rte_mempool *pool;
	struct gw_routes *routes;	/* RCU-published by rib */
	struct gw_rib *rib;		/* every route; writes the tables (rib.h) */
	struct gw_rtmirror *mirror;	/* the host kernel's routes on the TAPs, or NULL */
	struct gw_neigh_table *neigh;
	struct sad *sad;
	struct spd *spd;
	struct sa_rcu *rcu;
	bool own_rcu;
	struct rte_ring *acquires;
	struct rte_ring *mappings;	/* struct xgw_mapping, workers -> control */
	uint64_t mappings_lost;		/* ring full (atomic) */
	unsigned int nb_workers;
	struct gw_worker *w;
	uint64_t hz;
	unsigned int idle_us;
	unsigned int icmp_rate;
	volatile bool stop;
	rte_spinlock_t sa_lock[GW_SA_LOCKS];	/* inbound SAs when several workers */
};

extern struct gw *gw_running;

/* port.c */
int gw_port_setup(struct gw *g, uint16_t id, uint16_t nb_rxq, uint16_t nb_txq, uint16_t mtu,
		  char *msg, size_t msglen);
int gw_ports_open(struct gw *g, char *msg, size_t msglen);
void gw_ports_close(struct gw *g);
void gw_tx_flush(struct gw *g, struct gw_worker *w);
void gw_tx_push(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m);
void gw_tx_host(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m);

/* exception.c */
int gw_tap_open(struct gw *g, unsigned int p, char *msg, size_t msglen);
int gw_tap_configure(struct gw *g, unsigned int p, char *msg, size_t msglen);
/* An af_packet port's kernel interface: the host's stack leaves its IP traffic alone. */
void gw_port_quiet_host(const struct gw *g, unsigned int p);
void gw_to_host(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m);
void gw_from_host(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf **m,
		  uint16_t n);

/* resolve.c: ARP/ND input, probes, sending to a next hop */
void gw_arp_input(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m);
void gw_nd_input(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m);
void gw_neigh_xmit(struct gw *g, struct gw_worker *w, uint16_t port, uint8_t family,
		   const uint8_t *nexthop, struct rte_mbuf *m);
void gw_neigh_housekeeping(struct gw *g, struct gw_worker *w);

/* output.c: route, TTL, MTU, ICMP errors */
enum gw_out_flags {
	GW_OUT_FORWARD = 1,	/* decrement TTL / hop limit, errors allowed */
	GW_OUT_NO_POLICY = 2,	/* already IPsec output: route only */
	GW_OUT_ICMP = 4,	/* an ICMP error of ours (RFC 4301 6.2, XFRM_POLICY_ICMP) */
	GW_OUT_HOST = 8,	/* the host's own packet (IKE bypasses the SPD) */
};
void gw_output(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, unsigned int flags);
void gw_icmp_error(struct gw *g, struct gw_worker *w, struct rte_mbuf *orig, uint8_t type,
		   uint8_t code, uint32_t mtu);

/* ipsec.c: SAD/SPD lookups around esp/ and ah/ */
void gw_ipsec_input(struct gw *g, struct gw_worker *w, struct rte_mbuf **m, uint16_t n,
		    const uint8_t *proto, const bool *natt);
/*
 * true when m was taken (encrypted, queued for its SAs, or dropped by
 * policy). nh: its route when already looked up (needed when it may lead
 * into an XFRM interface), else NULL.
 */
struct gw_nh;
bool gw_ipsec_output(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, unsigned int flags,
		     const struct gw_nh *nh);
/* The same for a packet the host sent through its TAP (data at IP); IKE bypasses. */
bool gw_ipsec_host_output(struct gw *g, struct gw_worker *w, struct rte_mbuf *m);
/*
 * Cleartext for one of our addresses (its IP header at m + l3): true when
 * an in policy refused it (dropped, counted). IKE bypasses.
 */
bool gw_ipsec_local_in(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, uint16_t l3);
/*
 * Forwarded cleartext (data at its IP header) against the fwd policies:
 * true when refused (dropped, counted) — RFC 4301 5.2, XFRM_POLICY_FWD.
 */
bool gw_ipsec_forward_in(struct gw *g, struct gw_worker *w, struct rte_mbuf *m);
void gw_ipsec_flush(struct gw *g, struct gw_worker *w);
int gw_ipsec_lcore_init(struct gw *g, struct gw_worker *w);
/* Process-wide ESP hooks (NAT-T mapping changes to g->mappings); NULL: unhook. */
void gw_ipsec_hooks(struct gw *g);
/* ESP's then AH's drop reasons summed into drop[] (max entries at most); how many. */
unsigned int gw_ipsec_drops(const struct gw_worker *w, uint64_t *drop, const char **names,
			    unsigned int max);
void gw_ipsec_lcore_free(struct gw_worker *w);
/* Bytes ESP or AH adds to a packet of sa at most (outer header included). */
unsigned int gw_ipsec_overhead(const struct xfrm_sa *sa);

/* worker.c */
int gw_workers_count(struct gw *g, char *msg, size_t msglen);
int gw_workers_start(struct gw *g, char *msg, size_t msglen);
void gw_workers_stop(struct gw *g);

/* telemetry.c */
void gw_telemetry_register(void);

static inline void gw_drop(struct gw_worker *w, struct rte_mbuf *m, enum gw_drop why)
{
	w->stats.drop[why]++;
	rte_pktmbuf_free(m);
}

#endif
