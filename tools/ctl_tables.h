/* SPDX-License-Identifier: BSD-3-Clause */
/* xfrmgw-ctl routes / neighbours (XFRMGW_MSG_GETROUTES / GETNEIGHS), plain or JSON. */
#ifndef XFRMGW_TOOLS_CTL_TABLES_H
#define XFRMGW_TOOLS_CTL_TABLES_H

#include <stdbool.h>

struct ctl_conn;

/* Each returns 0 or -errno; c is connected for NETLINK_XFRM. */
/* summary: the counts only, not the routes (fast with a full table). */
int ctl_routes(struct ctl_conn *c, bool json, bool summary);
int ctl_neighbours(struct ctl_conn *c, bool json);

#endif
