/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The gateway's layer-3 view: routes (rte_fib / rte_fib6 with next-hop ids),
 * its own addresses (host routes to a LOCAL next hop), the link MTU and the
 * source address of each port for ICMP errors and neighbour probes.
 *
 * Two copies of these tables exist while the gateway runs (rib.h): the
 * workers read the published one without locks, the route control plane
 * changes the other one entry at a time, publishes it, waits for a grace
 * period and makes the same changes to the first (left-right). Lookups
 * never lock and never see a half-made change.
 */
#ifndef XFRMGW_DATAPLANE_GW_ROUTE_H
#define XFRMGW_DATAPLANE_GW_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "dataplane/config.h"

enum gw_nh_type {
	GW_NH_NONE = 0,
	GW_NH_LOCAL,		/* one of our addresses: deliver here */
	GW_NH_ONLINK,		/* the destination itself is the neighbour */
	GW_NH_VIA,		/* through the gateway address via */
	GW_NH_XFRMI,		/* into XFRM interface number port (route-based IPsec) */
	GW_NH_MULTIPATH,	/* ECMP: one of mp[id] by flow hash (route_out.h) */
	GW_NH_BLACKHOLE,	/* drop silently */
	GW_NH_UNREACHABLE,	/* drop, ICMP host unreachable as Linux */
	GW_NH_PROHIBIT,		/* drop, ICMP administratively prohibited */
};

struct gw_nh {
	uint8_t type;		/* enum gw_nh_type */
	uint8_t family;
	uint16_t port;		/* index into the configuration's ports (xfrmi for GW_NH_XFRMI) */
	uint8_t via[16];
};

/* Next hops per table (id 0 means "no route"). */
#define GW_MAX_NH 4096
/* Paths of one multipath route at most. */
#define GW_MP_MAX 16

/* The members (next-hop ids) of a GW_NH_MULTIPATH next hop. */
struct gw_mp {
	uint16_t n;
	uint16_t id[GW_MP_MAX];
};

struct gw_port_l3 {
	uint16_t mtu;
	uint32_t mark;		/* the mark its received packets carry */
	bool has4, has6;
	uint32_t addr4;		/* network order: first IPv4 address */
	uint8_t addr6[16];	/* first global IPv6 address */
	uint8_t ll6[16];	/* link-local fe80::EUI-64 of the port's MAC */
	bool has_ll6;
};

struct rte_fib;
struct rte_fib6;

struct gw_routes {
	struct rte_fib *fib4;
	struct rte_fib6 *fib6;	/* NULL when nothing IPv6 is configured */
	unsigned int nb_nh;
	struct gw_nh nh[GW_MAX_NH];
	unsigned int nb_ports;
	struct gw_port_l3 port[XGW_MAX_PORTS];
	unsigned int nb_xfrmi;
	uint32_t xfrmi_if_id[XGW_MAX_XFRMI];	/* XFRM interfaces (GW_NH_XFRMI's port) */
	struct gw_mp mp[GW_MAX_NH];	/* for GW_NH_MULTIPATH ids */
};

/* The XFRM interface with this if_id, or -1. */
static inline int gw_xfrmi_by_if_id(const struct gw_routes *r, uint32_t if_id)
{
	for (unsigned int i = 0; if_id && i < r->nb_xfrmi; i++)
		if (r->xfrmi_if_id[i] == if_id)
			return (int)i;
	return -1;
}

/* Capacity of empty tables (gw_routes_create). */
struct gw_route_sizes {
	uint32_t max4, max6;		/* prefixes; max6 0: no IPv6 table */
	uint32_t tbl8_4, tbl8_6;	/* groups for prefixes longer than /24; 0: derived */
	bool small;			/* 1-byte IPv4 entries (16 MB): 127 next hops and
					 * 127 tbl8 groups at most */
};

/* Next-hop ids the tables of s can index. */
unsigned int gw_routes_nh_max(const struct gw_route_sizes *s);

/* Empty tables (no next hop but id 0); NULL with msg set. */
struct gw_routes *gw_routes_create(const struct gw_route_sizes *s, char *msg, size_t msglen);

/*
 * One table entry: prefix/plen (host bits ignored) -> next-hop id, added
 * or replaced; or removed. 0, -ENOSPC (table or its tbl8 groups full),
 * -EINVAL (family without table, bad length), -ENOENT (del: no entry).
 */
int gw_fib_set(struct gw_routes *r, int family, const uint8_t *prefix, uint8_t plen,
	       unsigned int id);
int gw_fib_del(struct gw_routes *r, int family, const uint8_t *prefix, uint8_t plen);

/* prefix with the bits past plen cleared (bytes: 4 or 16). */
void gw_prefix_mask(const uint8_t *addr, unsigned int plen, unsigned int bytes, uint8_t *out);

/*
 * Tables for cfg (addresses become /32 and /128 LOCAL routes, connected
 * prefixes ONLINK routes). macs[i] gives port i's link-local address (may
 * be NULL). NULL on error with msg set.
 */
struct gw_routes *gw_routes_build(const struct xgw_config *cfg, const uint8_t (*macs)[6],
				  char *msg, size_t msglen);
void gw_routes_free(struct gw_routes *r);

/* Add one route; nh is deduplicated. 0, -ENOSPC (next hops), -EINVAL, -ENOMEM. */
int gw_routes_add(struct gw_routes *r, int family, const uint8_t *prefix, uint8_t plen,
		  const struct gw_nh *nh);

/* Lookups: dst in network order. NULL when there is no route. */
const struct gw_nh *gw_route4(const struct gw_routes *r, uint32_t dst);
const struct gw_nh *gw_route6(const struct gw_routes *r, const uint8_t dst[16]);

/* Burst of IPv4 lookups (n <= 64): dst in network order. */
void gw_route4_burst(const struct gw_routes *r, const uint32_t *dst, const struct gw_nh **out,
		     unsigned int n);

/* Is addr one of ours on port (port < 0: on any port)? */
bool gw_is_local4(const struct gw_routes *r, int port, uint32_t addr);
bool gw_is_local6(const struct gw_routes *r, int port, const uint8_t addr[16]);

/* A port's layer 3 before its addresses: mtu (0: 1500), link-local from mac (may be NULL). */
void gw_port_l3_init(struct gw_port_l3 *l, uint16_t mtu, const uint8_t *mac);
/* addr becomes the port's source of its family unless it has one already. */
void gw_port_l3_addr(struct gw_port_l3 *l, int family, const uint8_t *addr);

/* Does cfg have anything IPv6 (an address or a route)? */
bool gw_config_wants_v6(const struct xgw_config *cfg);

/* fe80::/64 with the modified EUI-64 of mac (RFC 4291 2.5.1, appendix A). */
void gw_ll6_from_mac(const uint8_t mac[6], uint8_t out[16]);

#endif
