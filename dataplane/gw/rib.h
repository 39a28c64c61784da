/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The gateway's routing information base: every route it was given (the
 * configuration's, the host kernel's through the mirror, rtmirror.h), the
 * one per prefix that the data path holds, and the two copies of the
 * data-path tables (route.h) behind one published pointer.
 *
 * Selection as Linux's main table: per prefix the lowest metric wins; on a
 * tie the configuration's route beats the kernel's (they are usually the
 * same route, written into the kernel by the gateway itself).
 *
 * Publication is left-right: a change is made at once to the copy nobody
 * reads (one table entry per route change, never a rebuild); commit
 * publishes that copy, waits for a grace period of the workers' RCU, and
 * replays the same entry changes on the copy it retired. Workers never
 * wait and never see a half-made change; nothing is freed under them.
 *
 * Every call takes the RIB's lock: the mirror thread, the control thread
 * (reload, listings) and tests may call from any thread.
 */
#ifndef XFRMGW_DATAPLANE_GW_RIB_H
#define XFRMGW_DATAPLANE_GW_RIB_H

#include <stdbool.h>
#include <stdint.h>

#include "dataplane/config.h"
#include "dataplane/gw/route.h"

struct rte_rcu_qsbr;

enum gw_rt_origin {
	GW_RT_CONFIG = 0,	/* the configuration file */
	GW_RT_KERNEL,		/* the host kernel's view of a TAP (rtmirror.c) */
};

enum gw_rt_kind {
	GW_RT_UNICAST = 0,	/* through its paths (onlink or via) */
	GW_RT_LOCAL,		/* one of our addresses (/32, /128) */
	GW_RT_BLACKHOLE,
	GW_RT_UNREACHABLE,
	GW_RT_PROHIBIT,
};

struct gw_rt_path {
	uint16_t port;		/* the gateway's port index, or the XFRM interface's */
	bool xfrmi;		/* into XFRM interface number port (route-based IPsec) */
	bool has_via;
	uint8_t via[16];	/* the gateway, in the route's family */
};

/* A route as given; (family, prefix/plen, origin, metric) names it. */
struct gw_rt {
	uint8_t family;		/* AF_INET, AF_INET6 */
	uint8_t plen;
	uint8_t origin;		/* enum gw_rt_origin */
	uint8_t kind;		/* enum gw_rt_kind */
	uint32_t metric;
	uint8_t prefix[16];	/* host bits are cleared when stored */
	uint8_t nb_path;	/* UNICAST: 1..GW_MP_MAX (ECMP when > 1); LOCAL: 1 */
	struct gw_rt_path path[GW_MP_MAX];
};

struct gw_rib_params {
	struct gw_route_sizes sizes;
	unsigned int nb_ports;
	uint8_t mac[XGW_MAX_PORTS][6];	/* for each port's IPv6 link-local address */
	uint16_t mtu[XGW_MAX_PORTS];
	uint32_t mark[XGW_MAX_PORTS];	/* the mark of each port's received packets */
	unsigned int nb_xfrmi;
	uint32_t xfrmi_if_id[XGW_MAX_XFRMI];
	struct gw_routes **publish;	/* where workers load the tables from */
	struct rte_rcu_qsbr *rcu;	/* the workers' QSBR; NULL: no readers (tests) */
};

struct gw_rib;

/* Empty tables published at *p->publish; NULL with msg set. */
struct gw_rib *gw_rib_create(const struct gw_rib_params *p, char *msg, size_t msglen);
/* After the workers stopped: both copies and everything known. */
void gw_rib_free(struct gw_rib *rib);

/*
 * Add or replace the route named by rt. 0 when stored (held or standing
 * by behind a better route), else -errno when the data path cannot hold
 * it (-ENOSPC table or next hops full, -ENODEV unknown port, -EINVAL
 * bad route): it stays listed with the reason, logged and counted.
 */
int gw_rib_route_add(struct gw_rib *rib, const struct gw_rt *rt);

/*
 * Remove the route named by rt; with only_paths, remove only rt's paths
 * from it (Linux deletes one IPv6 multipath member at a time) and the
 * route when none is left. -ENOENT when unknown.
 */
int gw_rib_route_del(struct gw_rib *rib, const struct gw_rt *rt, bool only_paths);

/*
 * One of our addresses on port, from origin: its LOCAL route, and for the
 * configuration also its connected prefix (the kernel sends its own). The
 * port's first address of a family is its source for probes and ICMP.
 */
int gw_rib_addr(struct gw_rib *rib, uint8_t origin, int family, uint16_t port,
		const uint8_t *addr, uint8_t plen, bool add);

/*
 * The configuration's addresses and routes replace the previous ones:
 * what is unchanged is not touched, the rest is added or removed one by
 * one, then published. 0 or the first error (every route is tried).
 */
int gw_rib_config(struct gw_rib *rib, const struct xgw_config *cfg);

/*
 * The ports' MTU and mark and the XFRM interfaces of cfg (reload; the
 * ports themselves do not change); published with the next commit.
 */
void gw_rib_set_links(struct gw_rib *rib, const struct xgw_config *cfg);

/*
 * Resynchronisation of one origin (after a dump): routes and addresses of
 * origin given between begin and sweep stay, the others are removed.
 */
void gw_rib_begin(struct gw_rib *rib, uint8_t origin);
void gw_rib_sweep(struct gw_rib *rib, uint8_t origin);

/* Publish the changes made since the last commit (waits one grace period). */
void gw_rib_commit(struct gw_rib *rib);
/* Changes not yet published. */
unsigned int gw_rib_pending(struct gw_rib *rib);

/* One route for listings. */
struct gw_rib_entry {
	struct gw_rt rt;
	bool held;		/* the data path forwards by it */
	int err;		/* why not held: 0 standing by, else -errno */
};

/* The route at or after *cursor (advanced past it): true, or false at the end. */
bool gw_rib_walk(struct gw_rib *rib, uint64_t *cursor, struct gw_rib_entry *out);

struct gw_rib_stats {
	uint64_t routes[2];	/* known: IPv4, IPv6 */
	uint64_t held[2];	/* prefixes in the data path */
	uint64_t not_held;	/* routes the data path cannot hold, now */
	uint64_t refused;	/* times a route could not be held, ever */
	uint64_t changes;	/* table entry changes made */
	uint64_t commits;
	uint32_t max[2];	/* capacity: routes max4 / max6 */
	uint32_t nh_used;	/* next-hop ids in use */
};
void gw_rib_stats(struct gw_rib *rib, struct gw_rib_stats *out);

/* Why a route is not held, for people. */
const char *gw_rib_reason(int err);

#endif
