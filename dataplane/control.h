/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control thread: the SA/SPD databases, the XFRM netlink server on the
 * control socket, the lifetime timer and clean shutdown on SIGTERM/SIGINT,
 * all driven by one epoll loop.
 */
#ifndef XFRMGW_DATAPLANE_CONTROL_H
#define XFRMGW_DATAPLANE_CONTROL_H

#include <stdbool.h>
#include <stdint.h>

struct sa_rcu;
struct sad;
struct spd;
struct xnl_server;
struct xfrm_nl;

/* The control tick: ACQUIREs from the packet path every 100 ms, lifetimes every second. */
#define XGW_TICK_NS	100000000L
#define XGW_TICKS_PER_S	10

#include "dataplane/gw/gateway.h"

/* Mapping changes already reported, to send each once a second at most. */
#define XGW_MAPPING_RECENT	16
struct xgw_mapping_note {
	struct xgw_mapping m;
	uint64_t at;		/* tick; 0: free */
};

struct xgw_control {
	int epfd;
	int sigfd;		/* SIGTERM, SIGINT, SIGHUP (blocked by xgw_control_block_signals) */
	int timerfd;		/* XGW_TICK_NS tick */
	uint64_t ticks;
	uint64_t uptime_ticks;
	struct xgw_mapping_note mapping_recent[XGW_MAPPING_RECENT];
	uint32_t acq_seq;	/* sequence numbers of ACQUIREs */
	const char *config_path;	/* for SIGHUP; NULL: none */
	bool gateway;		/* the packet path runs (xgw_gateway_start succeeded) */
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
int xgw_control_open(struct xgw_control *c, const char *ctl_path, uint32_t sad_max, char *msg,
		     size_t msglen);

/* Run until SIGTERM/SIGINT. 0 or -errno. */
int xgw_control_run(struct xgw_control *c);

/* Tear down in reverse: server, databases (SAs freed, keys zeroed), RCU. */
void xgw_control_close(struct xgw_control *c);

#endif
