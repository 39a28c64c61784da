/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A netlink client over the gateway's control socket (netlink/shim_proto.h),
 * for xfrmgw-ctl: no LD_PRELOAD needed.
 */
#ifndef XFRMGW_TOOLS_CTL_CONN_H
#define XFRMGW_TOOLS_CTL_CONN_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

struct ctl_conn {
	int fd;
	uint32_t nl_pid;
	uint32_t seq;
	const char *path;
};

/* Connect and say HELLO for protocol. Returns 0 or -errno (message printed). */
int ctl_open(struct ctl_conn *c, const char *path, int protocol);
void ctl_close(struct ctl_conn *c);

/* Called for every reply message that is not an ack, error or NLMSG_DONE. */
typedef int (*ctl_msg_fn)(const struct nlmsghdr *nlh, void *arg);

/*
 * Send one request (type, flags | NLM_F_REQUEST, payload) and hand each reply
 * message to fn until the answer is complete: NLMSG_DONE for a dump, an ack
 * or error, or a single reply. Returns 0, fn's non-zero value, or -errno from
 * the gateway (its extended ack message printed unless quiet).
 */
int ctl_request(struct ctl_conn *c, uint16_t type, uint16_t flags, const void *payload,
		size_t len, ctl_msg_fn fn, void *arg, int quiet);

#endif
