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

#endif
