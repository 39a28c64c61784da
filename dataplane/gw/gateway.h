/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packet path of xfrmgw: ports, worker lcores, classification, routing,
 * neighbours, ICMP errors, the exception path to the host kernel,
 * fragmentation and reassembly, ESP, telemetry.
 *
 * main() calls, after rte_eal_init() and the control plane are up:
 *
 *	xgw_gateway_start(&cfg, &env, msg, sizeof(msg));
 *	... control loop: on SIGHUP xgw_gateway_reload(), on each tick
 *	    xgw_gateway_drain_acquires() ...
 *	xgw_gateway_stop();
 *
 * One gateway per process.
 */
#ifndef XFRMGW_DATAPLANE_GW_GATEWAY_H
#define XFRMGW_DATAPLANE_GW_GATEWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/xfrm.h>

struct sa_rcu;
struct sad;
struct spd;
struct xgw_config;

/* What the control plane lends the packet path (all may be NULL: a plain router). */
struct xgw_gateway_env {
	struct sad *sad;
	struct spd *spd;
	struct sa_rcu *rcu;	/* readers' RCU domain; NULL: the gateway makes its own */
};

/*
 * Probe the ports, create the TAP interfaces, start the workers. The
 * configuration is copied. 0 or -errno with msg saying what failed (then
 * nothing is left running).
 */
int xgw_gateway_start(const struct xgw_config *cfg, const struct xgw_gateway_env *env,
		      char *msg, size_t msglen);

/*
 * SIGHUP: apply addresses, routes, ICMP rate and idle sleep from a new
 * configuration without touching SAs or neighbours. Ports, workers and the
 * mempool need a restart: a change there is refused with -EINVAL (msg says
 * which) and nothing changes.
 */
int xgw_gateway_reload(const struct xgw_config *cfg, char *msg, size_t msglen);

/*
 * SIGTERM: stop the workers after their current burst, drain and free
 * queued packets, stop and close the ports and TAPs, free every table.
 */
void xgw_gateway_stop(void);

/*
 * An outbound packet matched policy (dir, index) whose template tmpl has no
 * SA. The control thread finds the policy again by index (it may be gone)
 * and decides with the SAD (sad_acquire: no SA and no larval SA for the
 * template) whether to send XFRM_MSG_ACQUIRE (xfrm_nl_acquire). Asked at
 * most once a control tick (100 ms) per policy.
 */
struct xgw_acquire {
	uint8_t dir;
	uint32_t index;
	struct xfrm_mark mark;		/* the policy's: with index, what names it */
	uint32_t if_id;
	struct xfrm_user_tmpl tmpl;
	xfrm_address_t saddr, daddr;	/* the template's resolved endpoints */
	struct xfrm_selector flow;	/* the packet's flow */
};

/* Control thread: hand each pending ACQUIRE to fn; returns how many. */
unsigned int xgw_gateway_drain_acquires(void (*fn)(void *arg, const struct xgw_acquire *a),
					void *arg);

/*
 * RFC 3948 / XFRM_MSG_MAPPING: a worker saw an authenticated UDP-
 * encapsulated ESP packet of SA (daddr, spi, proto) from new_saddr:
 * new_sport (network order), not the SA's peer. The control thread finds
 * the SA again (it may be gone) and sends the event (xfrm_nl_mapping).
 */
struct xgw_mapping {
	xfrm_address_t daddr;
	uint32_t spi;			/* network order */
	uint16_t family;
	uint8_t proto;
	uint32_t mark;
	uint32_t if_id;
	xfrm_address_t new_saddr;
	uint16_t new_sport;
};

/* Control thread: hand each pending mapping change to fn; returns how many. */
unsigned int xgw_gateway_drain_mappings(void (*fn)(void *arg, const struct xgw_mapping *m),
					void *arg);

/*
 * Drop counters by reason, summed over the workers, for `xfrmgw-ctl stats`
 * (the same figures as telemetry's /xfrmgw/stats "drop" and "ipsec_drop").
 * Control thread: fills up to max entries and returns how many; 0 when no
 * packet path runs. Names are static strings.
 */
struct xgw_drop {
	const char *name;	/* "no_route", "no_sa_acquire", ... or ESP's/AH's "auth", ... */
	uint64_t count;
	bool ipsec;		/* ESP's or AH's own reason behind the "ipsec" drops */
};
unsigned int xgw_gateway_drops(struct xgw_drop *out, unsigned int max);

/*
 * Routes and neighbours for `xfrmgw-ctl routes|neighbours` (control
 * thread). The entry at or after *cursor, cursor advanced past it: 1, 0 at
 * the end, -EOPNOTSUPP when no packet path runs. Ports (or XFRM
 * interfaces) by index: name with xgw_gateway_port_name().
 */
struct gw_rib_entry;
struct gw_rib_stats;
struct gw_rtmirror_stats;
struct gw_neigh;
int xgw_gateway_route(uint64_t *cursor, struct gw_rib_entry *out);
int xgw_gateway_neigh(uint64_t *cursor, struct gw_neigh *out);
/* mirror may be zeroed: no TAP mirrored. 0 or -EOPNOTSUPP. */
int xgw_gateway_route_stats(struct gw_rib_stats *rib, struct gw_rtmirror_stats *mirror);
const char *xgw_gateway_port_name(unsigned int port, bool xfrmi);

/*
 * DPDK 22.11 refuses --in-memory with --no-huge. Before rte_eal_init():
 * when both are given, --in-memory is rewritten in argv to --no-shconf
 * (what the pair means: no hugepages, no files). Returns 1 if rewritten.
 */
int xgw_eal_args_fixup(int argc, char **argv);

#endif
