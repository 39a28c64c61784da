/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NETLINK_XFRM family object: ties the server, the SAD and the SPD
 * together and turns lifetime events into XFRM_MSG_EXPIRE / POLEXPIRE, and
 * replay counters into XFRM_MSG_NEWAE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "netlink/xfrm_nl.h"
#include "sa/sad.h"
#include "sa/spd.h"

static void on_sa_expire(void *arg, struct xfrm_sa *sa, bool hard)
{
	xfrm_notify_expire(arg, sa, hard);
}

static void on_policy_expire(void *arg, struct xfrm_policy *pol, bool hard)
{
	xfrm_notify_polexpire(arg, pol, hard);
}

static const struct sa_event_ops xfrm_event_ops = {
	.sa_expire = on_sa_expire,
	.policy_expire = on_policy_expire,
};

static void on_aevent(void *arg, struct xfrm_sa *sa, uint32_t flags)
{
	xfrm_notify_ae(arg, sa, flags, NULL);
}

/*
 * As the kernel's xfrm_aevent_is_on(): without an XFRMNLGRP_AEVENTS
 * subscriber the SAs are not even looked at, and their last-told counters
 * stay; a subscriber that comes later hears of the progress at once.
 */
unsigned int xfrm_nl_aevent_tick(struct xfrm_nl *x, uint64_t now)
{
	if (!xnl_listeners(x->srv, NETLINK_XFRM, XFRMNLGRP_AEVENTS))
		return 0;
	return sad_aevent_tick(x->sad, now, on_aevent, x);
}

void xfrm_nl_set_drops(struct xfrm_nl *x, xfrm_nl_drops_fn fn, void *arg)
{
	x->drops = fn;
	x->drops_arg = arg;
}

/* Reasons in one XFRMGW_MSG_NEWDROPS, at most (the path's and ESP's/AH's). */
#define DROPS_MAX	128

int xfrm_get_drops(struct xfrm_nl *x, struct xnl_req *req)
{
	struct xfrm_nl_drop d[DROPS_MAX];
	struct nlmsghdr *nlh;
	struct xnl_buf b;
	int n, err;

	n = x->drops ? x->drops(x->drops_arg, d, DROPS_MAX) : -EOPNOTSUPP;
	if (n < 0) {
		xnl_ext_set(&req->ext, NULL, "no packet path runs: no drop counters");
		return n;
	}
	err = xnl_buf_alloc(&b, XFRMGW_NL_MSG_MAX);
	if (err)
		return err;
	nlh = xnl_msg_start(&b, XFRMGW_MSG_NEWDROPS, 0, req->nlh->nlmsg_seq, req->portid,
			    NULL, 0);
	for (int i = 0; i < n; i++) {
		struct xfrmgw_drop w = { .count = d[i].count };

		snprintf(w.name, sizeof(w.name), "%s", d[i].name ? d[i].name : "?");
		xnl_attr_put(&b, nlh, d[i].ipsec ? XFRMGW_DROPA_IPSEC : XFRMGW_DROPA_PATH,
			     sizeof(w), &w);
	}
	err = xnl_msg_end(&b, nlh);
	if (!err)
		err = xnl_reply(req, b.data, b.len);
	xnl_buf_free(&b);
	return err;
}

/* Requests drained: publish the policy changes of the whole burst at once. */
void xfrm_nl_idle(void *priv)
{
	struct xfrm_nl *x = priv;

	if (x->spd)
		spd_publish(x->spd);
}

struct xfrm_nl *xfrm_nl_create(struct xnl_server *srv, struct sad *sad, struct spd *spd)
{
	struct xfrm_nl *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->srv = srv;
	x->sad = sad;
	x->spd = spd;
	if (xnl_server_register(srv, &xfrm_family, x)) {
		free(x);
		return NULL;
	}
	sad_set_event_ops(sad, &xfrm_event_ops, x);
	if (spd)
		spd_set_event_ops(spd, &xfrm_event_ops, x);
	return x;
}

void xfrm_nl_destroy(struct xfrm_nl *x)
{
	if (!x)
		return;
	sad_set_event_ops(x->sad, NULL, NULL);
	if (x->spd)
		spd_set_event_ops(x->spd, NULL, NULL);
	free(x);
}
