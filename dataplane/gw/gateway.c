/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start, reload and stop of the packet path (see gateway.h), as mirrored
 * ladders: what start builds, stop tears down in reverse.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dataplane/gw/gateway.h"
#include "dataplane/gw/gw.h"
#include "dataplane/gw/mark.h"
#include "dataplane/gw/neigh.h"
#include "dataplane/gw/rib.h"
#include "dataplane/gw/route.h"
#include "dataplane/gw/rtmirror.h"
#include "sa/rcu.h"

#define ACQUIRE_RING 1024
#define MAPPING_RING 256

struct gw *gw_running;

static int make_pool(struct gw *g, char *msg, size_t msglen)
{
	g->pool = rte_pktmbuf_pool_create("xgw_pool", g->cfg.nb_mbufs, g->cfg.mbuf_cache, 0,
					  (uint16_t)g->cfg.mbuf_dataroom, (int)rte_socket_id());
	if (!g->pool) {
		snprintf(msg, msglen, "cannot create the mempool (%u mbufs of %u bytes): %s; "
			 "with --no-huge give EAL more memory (-m)", g->cfg.nb_mbufs,
			 g->cfg.mbuf_dataroom, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	return 0;
}

int gw_mark_off = -1;

int gw_mark_register(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "xfrmgw_gw_mark",
		.size = sizeof(uint32_t),
		.align = __alignof__(uint32_t),
	};

	if (gw_mark_off < 0)
		gw_mark_off = rte_mbuf_dynfield_register(&desc);
	return gw_mark_off < 0 ? -1 : 0;
}

/* Route capacity when the configuration does not say (`routes max4 N max6 N`). */
#define MIRROR_MAX4	16384u
#define MIRROR_MAX6	4096u

static bool mirrored(const struct xgw_config *cfg, unsigned int p)
{
	return cfg->ports[p].tap[0] && !(cfg->mirror_off & (1u << p));
}

static bool any_mirrored(const struct xgw_config *cfg)
{
	for (unsigned int p = 0; p < cfg->nb_ports; p++)
		if (mirrored(cfg, p))
			return true;
	return false;
}

/*
 * Without `routes`: room for the configuration's routes and addresses
 * (and more for what reload adds), more when a kernel mirror runs, in the
 * small 1-byte IPv4 table (127 next hops); an IPv6 table only when the
 * configuration has something IPv6. Each table exists twice (rib.h).
 */
static void route_sizes(const struct xgw_config *cfg, struct gw_route_sizes *s)
{
	unsigned int need = cfg->nb_routes + 2 * cfg->nb_addrs + 256;
	bool mirror = any_mirrored(cfg);

	memset(s, 0, sizeof(*s));
	s->small = !cfg->routes_sized;
	s->max4 = cfg->route_max4 ? cfg->route_max4 : mirror ? RTE_MAX(need, MIRROR_MAX4) : need;
	if (cfg->route_max6 != XGW_ROUTES_DEFAULT)
		s->max6 = cfg->route_max6;
	else if (gw_config_wants_v6(cfg))
		s->max6 = mirror ? RTE_MAX(need, MIRROR_MAX6) : need;
}

static int static_neighbours(struct gw *g, const struct xgw_config *cfg, char *msg, size_t msglen)
{
	/* the previous configuration's entries that are gone resolve again */
	for (unsigned int i = 0; i < g->cfg.nb_neighs; i++) {
		const struct xgw_neigh_cfg *o = &g->cfg.neighs[i];
		bool kept = false;

		for (unsigned int k = 0; k < cfg->nb_neighs && !kept; k++)
			kept = cfg->neighs[k].port == o->port && cfg->neighs[k].family == o->family &&
			       !memcmp(cfg->neighs[k].addr, o->addr, 16);
		if (!kept)
			gw_neigh_clear_static(g->neigh, (uint16_t)o->port, (uint8_t)o->family,
					      o->addr, GW_NEIGH_CONFIG);
	}
	for (unsigned int i = 0; i < cfg->nb_neighs; i++) {
		const struct xgw_neigh_cfg *n = &cfg->neighs[i];

		if (gw_neigh_set_static(g->neigh, (uint16_t)n->port, (uint8_t)n->family, n->addr,
					n->mac, GW_NEIGH_CONFIG) < 0) {
			snprintf(msg, msglen, "%s:%d: neighbour table full", cfg->path, n->line);
			return -ENOSPC;
		}
	}
	return 0;
}

static int make_routes(struct gw *g, const struct xgw_config *cfg, char *msg, size_t msglen)
{
	struct gw_rib_params rp = {
		.nb_ports = g->nb_ports,
		.publish = &g->routes,
		.rcu = sa_rcu_qsbr(g->rcu),
	};
	int rc;

	route_sizes(cfg, &rp.sizes);
	for (unsigned int p = 0; p < g->nb_ports; p++) {
		memcpy(rp.mac[p], g->port[p].mac, 6);
		rp.mtu[p] = cfg->ports[p].mtu;
		rp.mark[p] = cfg->ports[p].mark;
	}
	rp.nb_xfrmi = cfg->nb_xfrmi;
	for (unsigned int i = 0; i < cfg->nb_xfrmi; i++)
		rp.xfrmi_if_id[i] = cfg->xfrmi[i].if_id;
	g->rib = gw_rib_create(&rp, msg, msglen);
	if (!g->rib)
		return -ENOMEM;
	rc = gw_rib_config(g->rib, cfg);
	if (rc) {
		snprintf(msg, msglen, "%s: cannot hold the configuration's addresses and routes: %s",
			 cfg->path, gw_rib_reason(rc));
		return rc;
	}
	return 0;
}

static int start_mirror(struct gw *g, char *msg, size_t msglen)
{
	struct gw_rtmirror_params mp = {
		.rib = g->rib,
		.neigh = g->neigh,
		.nb_ports = g->nb_ports,
	};

	if (!any_mirrored(&g->cfg))
		return 0;
	for (unsigned int p = 0; p < g->nb_ports; p++)
		if (mirrored(&g->cfg, p))
			mp.ifindex[p] = g->port[p].tap_ifindex;
	return gw_rtmirror_start(&mp, &g->mirror, msg, msglen);
}

static int make_tables(struct gw *g, const struct xgw_config *cfg, char *msg, size_t msglen)
{
	struct gw_neigh_params np = {
		.size = 4096,
		.qmax = cfg->neigh_queue,
		.hz = g->hz,
		.reachable = g->hz * 30,	/* RFC 4861 10: REACHABLE_TIME */
		.retrans = g->hz,		/* RETRANS_TIMER */
		.max_probes = 3,		/* MAX_MULTICAST_SOLICIT */
	};
	int rc;

	if (gw_mark_register()) {
		snprintf(msg, msglen, "cannot register the mbuf mark field: %s",
			 rte_strerror(rte_errno));
		return -ENOMEM;
	}
	rc = make_routes(g, cfg, msg, msglen);
	if (rc)
		return rc;
	g->neigh = gw_neigh_create(&np);
	if (!g->neigh) {
		snprintf(msg, msglen, "no memory for the neighbour table");
		return -ENOMEM;
	}
	g->cfg.nb_neighs = 0;	/* nothing to clear from before */
	rc = static_neighbours(g, cfg, msg, msglen);
	g->cfg.nb_neighs = cfg->nb_neighs;
	if (rc)
		return rc;
	g->acquires = rte_ring_create_elem("xgw_acquire", sizeof(struct xgw_acquire),
					   ACQUIRE_RING, SOCKET_ID_ANY, RING_F_SC_DEQ);
	if (!g->acquires) {
		snprintf(msg, msglen, "cannot create the ACQUIRE ring");
		return -ENOMEM;
	}
	g->mappings = rte_ring_create_elem("xgw_mapping", sizeof(struct xgw_mapping),
					   MAPPING_RING, SOCKET_ID_ANY, RING_F_SC_DEQ);
	if (!g->mappings) {
		snprintf(msg, msglen, "cannot create the MAPPING ring");
		return -ENOMEM;
	}
	return start_mirror(g, msg, msglen);
}

static void gateway_free(struct gw *g)
{
	gw_rtmirror_stop(g->mirror);
	gw_workers_stop(g);
	gw_ipsec_hooks(NULL);
	gw_ports_close(g);
	rte_ring_free(g->mappings);
	rte_ring_free(g->acquires);
	gw_neigh_free(g->neigh);
	gw_rib_free(g->rib);
	free(g->w);
	rte_mempool_free(g->pool);
	if (g->own_rcu)
		sa_rcu_destroy(g->rcu);
	free(g);
}

int xgw_gateway_start(const struct xgw_config *cfg, const struct xgw_gateway_env *env,
		      char *msg, size_t msglen)
{
	struct gw *g;
	int rc;

	if (gw_running) {
		snprintf(msg, msglen, "the gateway is already running");
		return -EBUSY;
	}
	g = calloc(1, sizeof(*g));
	if (!g) {
		snprintf(msg, msglen, "no memory");
		return -ENOMEM;
	}
	g->cfg = *cfg;
	g->cfg.routes = NULL;
	g->cfg.nb_routes = g->cfg.routes_cap = 0;
	g->hz = rte_get_tsc_hz();
	g->idle_us = cfg->idle_us;
	g->icmp_rate = cfg->icmp_rate;
	g->sad = env ? env->sad : NULL;
	g->spd = env ? env->spd : NULL;
	g->rcu = env ? env->rcu : NULL;
	for (unsigned int i = 0; i < GW_SA_LOCKS; i++)
		rte_spinlock_init(&g->sa_lock[i]);
	if (!g->rcu) {
		g->rcu = sa_rcu_create(RTE_MAX_LCORE);
		g->own_rcu = true;
		if (!g->rcu) {
			snprintf(msg, msglen, "cannot create the RCU domain");
			rc = -ENOMEM;
			goto fail;
		}
	}
	gw_running = g;
	rc = gw_workers_count(g, msg, msglen);
	if (rc)
		goto fail;
	rc = make_pool(g, msg, msglen);
	if (rc)
		goto fail;
	rc = gw_ports_open(g, msg, msglen);
	if (rc)
		goto fail;
	rc = make_tables(g, cfg, msg, msglen);
	if (rc)
		goto fail;
	gw_telemetry_register();
	gw_ipsec_hooks(g);
	rc = gw_workers_start(g, msg, msglen);
	if (rc)
		goto fail;
	return 0;
fail:
	gw_running = NULL;
	gateway_free(g);
	return rc;
}

/* What a reload cannot change. */
static int same_hardware(const struct gw *g, const struct xgw_config *cfg, char *msg,
			 size_t msglen)
{
	if (cfg->nb_ports != g->cfg.nb_ports) {
		snprintf(msg, msglen, "%s: ports were added or removed: restart needed", cfg->path);
		return -EINVAL;
	}
	for (unsigned int p = 0; p < cfg->nb_ports; p++) {
		const struct xgw_port_cfg *a = &cfg->ports[p], *b = &g->cfg.ports[p];

		if (strcmp(a->name, b->name) || strcmp(a->devargs, b->devargs) ||
		    mirrored(cfg, p) != mirrored(&g->cfg, p) ||
		    strcmp(a->tap, b->tap) || a->nb_rxq != b->nb_rxq || a->nb_txq != b->nb_txq) {
			snprintf(msg, msglen, "%s:%d: port %s changed: restart needed", cfg->path,
				 a->line, a->name);
			return -EINVAL;
		}
	}
	if (cfg->route_max4 != g->cfg.route_max4 || cfg->route_max6 != g->cfg.route_max6) {
		snprintf(msg, msglen, "%s: route table sizes changed: restart needed", cfg->path);
		return -EINVAL;
	}
	if (cfg->nb_workers != g->cfg.nb_workers || cfg->nb_mbufs != g->cfg.nb_mbufs ||
	    cfg->mbuf_dataroom != g->cfg.mbuf_dataroom) {
		snprintf(msg, msglen, "%s: workers or mempool changed: restart needed", cfg->path);
		return -EINVAL;
	}
	return 0;
}

int xgw_gateway_reload(const struct xgw_config *cfg, char *msg, size_t msglen)
{
	struct gw *g = gw_running;
	int rc;

	if (!g) {
		snprintf(msg, msglen, "the gateway is not running");
		return -ENODEV;
	}
	rc = same_hardware(g, cfg, msg, msglen);
	if (rc)
		return rc;
	/* only what changed is touched; the kernel's routes stay */
	gw_rib_set_links(g->rib, cfg);
	rc = gw_rib_config(g->rib, cfg);
	if (rc) {
		snprintf(msg, msglen, "%s: some addresses or routes cannot be held: %s "
			 "(xfrmgw-ctl routes lists them)", cfg->path, gw_rib_reason(rc));
		return rc;
	}
	rc = static_neighbours(g, cfg, msg, msglen);
	g->cfg.nb_neighs = cfg->nb_neighs;
	memcpy(g->cfg.neighs, cfg->neighs, sizeof(cfg->neighs));
	if (rc)
		return rc;
	g->cfg.nb_addrs = cfg->nb_addrs;
	memcpy(g->cfg.addrs, cfg->addrs, sizeof(cfg->addrs));
	__atomic_store_n(&g->idle_us, cfg->idle_us, __ATOMIC_RELAXED);
	gw_neigh_set_qmax(g->neigh, cfg->neigh_queue);
	/* the host side of the TAPs gets the new addresses and routes (old ones stay) */
	g->cfg.routes = cfg->routes;
	g->cfg.nb_routes = cfg->nb_routes;
	for (unsigned int p = 0; p < g->nb_ports && !rc; p++)
		rc = gw_tap_configure(g, p, msg, msglen);
	g->cfg.routes = NULL;
	g->cfg.nb_routes = 0;
	return rc;
}

void xgw_gateway_stop(void)
{
	struct gw *g = gw_running;

	if (!g)
		return;
	gw_workers_stop(g);
	gw_running = NULL;
	gateway_free(g);
}

unsigned int xgw_gateway_drain_acquires(void (*fn)(void *arg, const struct xgw_acquire *a),
					void *arg)
{
	struct gw *g = gw_running;
	struct xgw_acquire a;
	unsigned int n = 0;

	if (!g || !g->acquires)
		return 0;
	while (rte_ring_dequeue_elem(g->acquires, &a, sizeof(a)) == 0) {
		fn(arg, &a);
		n++;
	}
	return n;
}

unsigned int xgw_gateway_drain_mappings(void (*fn)(void *arg, const struct xgw_mapping *m),
					void *arg)
{
	struct gw *g = gw_running;
	struct xgw_mapping m;
	unsigned int n = 0;

	if (!g || !g->mappings)
		return 0;
	while (rte_ring_dequeue_elem(g->mappings, &m, sizeof(m)) == 0) {
		fn(arg, &m);
		n++;
	}
	return n;
}

/* Reasons ESP and AH report behind GW_DROP_IPSEC, at most. */
#define IPSEC_DROP_REASONS 64

static unsigned int path_drops(const struct gw *g, struct xgw_drop *out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int d = 0; d < GW_DROP_MAX && n < max; d++) {
		uint64_t sum = 0;

		for (unsigned int i = 0; i < g->nb_workers; i++)
			sum += __atomic_load_n(&g->w[i].stats.drop[d], __ATOMIC_RELAXED);
		out[n++] = (struct xgw_drop){ gw_drop_name(d), sum, false };
	}
	return n;
}

unsigned int xgw_gateway_drops(struct xgw_drop *out, unsigned int max)
{
	struct gw *g = gw_running;
	uint64_t count[IPSEC_DROP_REASONS] = { 0 };
	const char *names[IPSEC_DROP_REASONS];
	unsigned int n, ni = 0;

	if (!g)
		return 0;
	n = path_drops(g, out, max);
	for (unsigned int i = 0; i < g->nb_workers; i++)
		ni = gw_ipsec_drops(&g->w[i], count, names, IPSEC_DROP_REASONS);
	for (unsigned int j = 0; j < ni && n < max; j++)
		out[n++] = (struct xgw_drop){ names[j], count[j], true };
	return n;
}

int xgw_gateway_route(uint64_t *cursor, struct gw_rib_entry *out)
{
	struct gw *g = gw_running;

	if (!g)
		return -EOPNOTSUPP;
	return gw_rib_walk(g->rib, cursor, out) ? 1 : 0;
}

int xgw_gateway_neigh(uint64_t *cursor, struct gw_neigh *out)
{
	struct gw *g = gw_running;

	if (!g)
		return -EOPNOTSUPP;
	return gw_neigh_at(g->neigh, cursor, out) ? 1 : 0;
}

int xgw_gateway_route_stats(struct gw_rib_stats *rib, struct gw_rtmirror_stats *mirror)
{
	struct gw *g = gw_running;

	if (!g)
		return -EOPNOTSUPP;
	gw_rib_stats(g->rib, rib);
	memset(mirror, 0, sizeof(*mirror));
	if (g->mirror)
		gw_rtmirror_stats(g->mirror, mirror);
	return 0;
}

const char *xgw_gateway_port_name(unsigned int port, bool xfrmi)
{
	struct gw *g = gw_running;

	if (xfrmi)
		return g && port < g->cfg.nb_xfrmi ? g->cfg.xfrmi[port].name : "?";
	return g && port < g->cfg.nb_ports ? g->cfg.ports[port].name : "?";
}
