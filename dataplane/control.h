/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control thread: the SA/SPD databases, the XFRM netlink server on the
 * control socket, the lifetime timer and clean shutdown on SIGTERM/SIGINT,
 * all driven by one epoll loop.
 */
#ifndef XFRMGW_DATAPLANE_CONTROL_H
#define XFRMGW_DATAPLANE_CONTROL_H

#include <stdbool.h>

struct sa_rcu;
struct sad;
struct spd;
struct xnl_server;
struct xfrm_nl;

struct xgw_control {
	int epfd;
	int sigfd;		/* SIGTERM, SIGINT (blocked by xgw_control_block_signals) */
	int timerfd;		/* 1 s lifetime tick */
	struct sa_rcu *rcu;
	struct sad *sad;
	struct spd *spd;
	struct xnl_server *srv;
	struct xfrm_nl *xnl;
	bool stop;
};

/*
 * Block SIGTERM/SIGINT (and ignore SIGPIPE) in the calling thread; call it
 * before any thread is created (before rte_eal_init) so that every thread
 * inherits the mask and the signals reach the control loop's signalfd.
 */
int xgw_control_block_signals(void);

/* Build everything; ctl_path is the socket. 0 or -errno (msg says what failed). */
int xgw_control_open(struct xgw_control *c, const char *ctl_path, char *msg, size_t msglen);

/* Run until SIGTERM/SIGINT. 0 or -errno. */
int xgw_control_run(struct xgw_control *c);

/* Tear down in reverse: server, databases (SAs freed, keys zeroed), RCU. */
void xgw_control_close(struct xgw_control *c);

#endif
