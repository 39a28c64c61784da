/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host kernel's view of the gateway, mirrored: for each port whose TAP
 * is mirrored, the routes of the kernel's main table that leave through
 * that TAP (ECMP paths through other interfaces are left out), the
 * blackhole / unreachable / prohibit routes of the main table, the TAP's
 * addresses and its `nud permanent` neighbours reach the RIB (rib.h) and
 * the neighbour table as they change, one at a time.
 *
 * One thread listens to rtnetlink (RTMGRP_IPV4_ROUTE, RTMGRP_IPV6_ROUTE,
 * RTMGRP_NEIGH, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR). A full dump runs
 * at start and again whenever the kernel reports that events were lost
 * (ENOBUFS); what the dump no longer shows is removed. Changes read in one
 * go are published together (gw_rib_commit): workers never wait for it.
 */
#ifndef XFRMGW_DATAPLANE_GW_RTMIRROR_H
#define XFRMGW_DATAPLANE_GW_RTMIRROR_H

#include <stdint.h>

#include "dataplane/config.h"

struct gw_rib;
struct gw_neigh_table;
struct gw_rtmirror;

struct gw_rtmirror_params {
	struct gw_rib *rib;
	struct gw_neigh_table *neigh;
	unsigned int nb_ports;
	unsigned int ifindex[XGW_MAX_PORTS];	/* the TAP mirrored for each port, 0: none */
};

/*
 * Subscribe, dump once (so the tables hold the kernel's routes when this
 * returns) and start the thread. 0 or -errno with msg set.
 */
int gw_rtmirror_start(const struct gw_rtmirror_params *p, struct gw_rtmirror **out, char *msg,
		      size_t msglen);
void gw_rtmirror_stop(struct gw_rtmirror *m);

struct gw_rtmirror_stats {
	uint64_t events;	/* route, address and neighbour messages applied */
	uint64_t ignored;	/* not for a mirrored TAP, another table, unsupported */
	uint64_t resyncs;	/* full dumps (the first one included) */
	uint64_t lost;		/* ENOBUFS: events lost, a dump followed */
	uint64_t neigh_refused;	/* static neighbours the table had no room for */
	unsigned int ports;	/* ports mirrored */
};
void gw_rtmirror_stats(struct gw_rtmirror *m, struct gw_rtmirror_stats *out);

#endif
