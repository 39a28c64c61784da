/* SPDX-License-Identifier: BSD-3-Clause */
/* xfrmgw-ctl: SA, policy and counter listings over NETLINK_XFRM. */
#ifndef XFRMGW_TOOLS_CTL_XFRM_H
#define XFRMGW_TOOLS_CTL_XFRM_H

struct ctl_conn;

/* Each returns 0 or -errno; c is connected for NETLINK_XFRM. */
int ctl_xfrm_sa(struct ctl_conn *c);
int ctl_xfrm_policy(struct ctl_conn *c);
int ctl_xfrm_stats(struct ctl_conn *c);

#endif
