/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NETLINK_XFRM family: plugs the SAD and SPD into the netlink server,
 * and turns their lifetime events into XFRM_MSG_EXPIRE / POLEXPIRE
 * multicasts and replay progress into XFRM_MSG_NEWAE. Control thread only.
 */
#ifndef XFRMGW_NETLINK_XFRM_NETLINK_H
#define XFRMGW_NETLINK_XFRM_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/xfrm.h>

struct xnl_server;
struct sad;
struct spd;
struct xfrm_nl;
struct xfrm_sa;
struct xfrm_user_acquire;

/*
 * Serve NETLINK_XFRM on srv with these databases (spd may be NULL: policy
 * messages then fail with EOPNOTSUPP). Registers itself as the event
 * callback of sad and spd. NULL on no memory.
 */
struct xfrm_nl *xfrm_nl_create(struct xnl_server *srv, struct sad *sad, struct spd *spd);
void xfrm_nl_destroy(struct xfrm_nl *x);

/*
 * Events the data path raises (through the control thread).
 * ACQUIRE: an outbound flow matched pol but template t has no SA; saddr and
 * daddr are the template's resolved endpoints, flow the flow's selector,
 * seq the acquire's sequence number (UPDSA/ALLOCSPI quote it back).
 * Returns how many XFRMNLGRP_ACQUIRE subscribers it reached (0: no IKE
 * daemon heard it), -ENOMEM.
 * MAPPING: a NAT-T SA's peer now sends from new_saddr:new_sport (network
 * order).
 */
struct xfrm_policy;
struct xfrm_user_tmpl;
struct xfrm_selector;
int xfrm_nl_acquire(struct xfrm_nl *x, const struct xfrm_policy *pol,
		    const struct xfrm_user_tmpl *t, const xfrm_address_t *saddr,
		    const xfrm_address_t *daddr, const struct xfrm_selector *flow, uint32_t seq);
int xfrm_nl_mapping(struct xfrm_nl *x, const struct xfrm_sa *sa,
		    const void *new_saddr, uint16_t new_sport);

/*
 * Control thread, every tick: XFRM_MSG_NEWAE to XFRMNLGRP_AEVENTS for the
 * SAs whose replay counters crossed XFRMA_REPLAY_THRESH (XFRM_AE_CR) or
 * whose XFRMA_ETIMER_THRESH timer ran out with news (XFRM_AE_CE); see
 * sad_aevent_tick(). Nothing is done while nobody subscribes to the
 * group. now: tenths of a second, monotonic. Returns how many events were
 * sent.
 */
unsigned int xfrm_nl_aevent_tick(struct xfrm_nl *x, uint64_t now);

/*
 * xfrmgw's own message, not in <linux/xfrm.h> (its type numbers are far
 * above the kernel's XFRM_MSG_*): the packet path's drop counters by
 * reason, for `xfrmgw-ctl stats`. XFRMGW_MSG_GETDROPS (no body) is
 * answered by one XFRMGW_MSG_NEWDROPS whose attributes each carry a struct
 * xfrmgw_drop: XFRMGW_DROPA_PATH for the packet path's reasons,
 * XFRMGW_DROPA_IPSEC for ESP's and AH's own reasons behind the path's
 * "ipsec" drops. EOPNOTSUPP when no packet path runs.
 */
#define XFRMGW_MSG_GETDROPS	0x3f0
#define XFRMGW_MSG_NEWDROPS	0x3f1

enum {
	XFRMGW_DROPA_UNSPEC,
	XFRMGW_DROPA_PATH,
	XFRMGW_DROPA_IPSEC,
};

struct xfrmgw_drop {
	uint64_t count;		/* host order; the attribute is only 4-byte aligned */
	char name[32];		/* NUL-terminated */
};

/*
 * Where the figures come from: fill up to max entries, return how many, or
 * -errno (-EOPNOTSUPP: no packet path) that the request then fails with.
 */
struct xfrm_nl_drop {
	const char *name;
	uint64_t count;
	bool ipsec;
};
typedef int (*xfrm_nl_drops_fn)(void *arg, struct xfrm_nl_drop *out, unsigned int max);

/* The packet path registers its counters (fn NULL: none, the default). */
void xfrm_nl_set_drops(struct xfrm_nl *x, xfrm_nl_drops_fn fn, void *arg);

/*
 * xfrmgw's own messages for `xfrmgw-ctl routes` and `xfrmgw-ctl
 * neighbours` (docs/ROUTING.md). XFRMGW_MSG_GETROUTES with NLM_F_DUMP is
 * answered by one XFRMGW_MSG_NEWROUTE per route the gateway knows: a struct
 * xfrmgw_route, then an XFRMGW_RTA_NH (struct xfrmgw_route_nh) per path and
 * XFRMGW_RTA_REASON (string) when the data path does not hold it; without
 * NLM_F_DUMP by one XFRMGW_MSG_ROUTESUM (struct xfrmgw_route_sum).
 * XFRMGW_MSG_GETNEIGHS (dump) gives an XFRMGW_MSG_NEWNEIGH (struct
 * xfrmgw_neigh) per neighbour entry. EOPNOTSUPP when no packet path runs.
 * Numbers in host order.
 */
#define XFRMGW_MSG_GETROUTES	0x3f2
#define XFRMGW_MSG_NEWROUTE	0x3f3
#define XFRMGW_MSG_ROUTESUM	0x3f4
#define XFRMGW_MSG_GETNEIGHS	0x3f5
#define XFRMGW_MSG_NEWNEIGH	0x3f6

enum { XFRMGW_RT_ORIGIN_CONFIG, XFRMGW_RT_ORIGIN_KERNEL };
enum { XFRMGW_RT_UNICAST, XFRMGW_RT_LOCAL, XFRMGW_RT_BLACKHOLE, XFRMGW_RT_UNREACHABLE,
       XFRMGW_RT_PROHIBIT };
enum { XFRMGW_RTA_UNSPEC, XFRMGW_RTA_NH, XFRMGW_RTA_REASON };

#define XFRMGW_DEV_LEN 32

struct xfrmgw_route {
	uint8_t family;		/* AF_INET, AF_INET6 */
	uint8_t plen;
	uint8_t origin;		/* XFRMGW_RT_ORIGIN_* */
	uint8_t type;		/* XFRMGW_RT_* */
	uint8_t held;		/* the data path forwards by it */
	uint8_t pad[3];
	uint32_t metric;
	uint8_t prefix[16];
};

struct xfrmgw_route_nh {
	char dev[XFRMGW_DEV_LEN];	/* the gateway's port name */
	uint8_t has_via;
	uint8_t pad[3];
	uint8_t via[16];
};

struct xfrmgw_route_sum {
	uint64_t routes4, routes6;	/* known */
	uint64_t held4, held6;		/* prefixes in the data path */
	uint64_t not_held;		/* routes it cannot hold now */
	uint64_t refused;		/* times a route could not be held */
	uint64_t changes;		/* table entries changed */
	uint64_t mirror_events;		/* kernel messages applied */
	uint64_t mirror_resyncs;	/* full dumps of the kernel's view */
	uint64_t mirror_lost;		/* times events were lost (ENOBUFS) */
	uint32_t max4, max6;		/* capacity */
	uint32_t nh_used;		/* next-hop ids */
	uint32_t mirror_ports;		/* TAPs mirrored */
};

enum { XFRMGW_NEIGH_ORIGIN_LEARNED, XFRMGW_NEIGH_ORIGIN_CONFIG, XFRMGW_NEIGH_ORIGIN_KERNEL };

struct xfrmgw_neigh {
	char dev[XFRMGW_DEV_LEN];
	uint8_t family;
	uint8_t state;		/* "incomplete", "reachable", ... by xfrmgw_neigh_state() */
	uint8_t origin;		/* XFRMGW_NEIGH_ORIGIN_* */
	uint8_t pad;
	uint8_t addr[16];
	uint8_t lladdr[6];
	uint8_t pad2[2];
};

/* One route of a listing: the message's parts. */
struct xfrm_nl_route {
	struct xfrmgw_route r;
	unsigned int nb_nh;
	struct xfrmgw_route_nh nh[16];
	const char *reason;		/* NULL when held */
};

/*
 * Where the listings come from. route/neigh: the entry at or after
 * *cursor, cursor advanced past it: 1, 0 at the end, -errno (-EOPNOTSUPP:
 * no packet path). summary: 0 or -errno.
 */
struct xfrm_nl_tables {
	int (*route)(void *arg, uint64_t *cursor, struct xfrm_nl_route *out);
	int (*summary)(void *arg, struct xfrmgw_route_sum *out);
	int (*neigh)(void *arg, uint64_t *cursor, struct xfrmgw_neigh *out);
};
void xfrm_nl_set_tables(struct xfrm_nl *x, const struct xfrm_nl_tables *t, void *arg);

/* State names of struct xfrmgw_neigh. */
static inline const char *xfrmgw_neigh_state(uint8_t state)
{
	static const char *const names[] = { "free", "incomplete", "reachable", "stale",
					     "failed", "permanent" };

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

#endif
