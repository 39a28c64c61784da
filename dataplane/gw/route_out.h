/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What output does with a next hop that is not a plain neighbour: an ECMP
 * group becomes one of its paths chosen by a hash of the packet's flow
 * (so one flow keeps one path and its order); blackhole, unreachable and
 * prohibit routes drop the packet as Linux does (RFC 1812 5.2.7.1: the
 * last two answer with ICMP destination unreachable, host unreachable or
 * communication administratively prohibited; RFC 4443 3.1 codes 0 and 1).
 */
#ifndef XFRMGW_DATAPLANE_GW_ROUTE_OUT_H
#define XFRMGW_DATAPLANE_GW_ROUTE_OUT_H

#include <stdbool.h>

#include "dataplane/gw/route.h"

struct gw;
struct gw_worker;
struct rte_mbuf;

bool gw_route_divert_slow(struct gw *g, struct gw_worker *w, const struct gw_nh **nh,
			  struct rte_mbuf *m);

/* The flow hash of a packet (data at its IP header) that ECMP spreads by. */
uint32_t gw_flow_hash(const struct rte_mbuf *m);

/*
 * After the route lookup of m (data at its IP header): *nh becomes the
 * path of an ECMP group; true when m was taken (dropped, counted, ICMP
 * sent as due).
 */
static inline bool gw_route_divert(struct gw *g, struct gw_worker *w, const struct gw_nh **nh,
				   struct rte_mbuf *m)
{
	switch ((*nh)->type) {
	case GW_NH_MULTIPATH:
	case GW_NH_BLACKHOLE:
	case GW_NH_UNREACHABLE:
	case GW_NH_PROHIBIT:
		return gw_route_divert_slow(g, w, nh, m);
	default:
		return false;
	}
}

#endif
