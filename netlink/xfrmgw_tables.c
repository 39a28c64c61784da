/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * XFRMGW_MSG_GETROUTES and XFRMGW_MSG_GETNEIGHS (xfrm_netlink.h): the
 * gateway's routes and neighbours as dumps, resumable page by page; the
 * cursor moves past an entry only once its message fits the page.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netlink/xfrm_nl.h"

void xfrm_nl_set_tables(struct xfrm_nl *x, const struct xfrm_nl_tables *t, void *arg)
{
	memset(&x->tables, 0, sizeof(x->tables));
	if (t)
		x->tables = *t;
	x->tables_arg = arg;
}

static int dump_routes(struct xnl_dump *d)
{
	struct xfrm_nl *x = d->priv;
	struct xfrm_nl_route e;

	for (;;) {
		uint64_t next = d->cursor[0];
		struct nlmsghdr *nlh;
		int rc = x->tables.route(x->tables_arg, &next, &e);

		if (rc <= 0)
			return rc;
		nlh = xnl_msg_start(&d->page, XFRMGW_MSG_NEWROUTE, NLM_F_MULTI, d->seq, d->portid,
				    &e.r, sizeof(e.r));
		for (unsigned int k = 0; k < e.nb_nh && k < 16; k++)
			xnl_attr_put(&d->page, nlh, XFRMGW_RTA_NH, sizeof(e.nh[k]), &e.nh[k]);
		if (e.reason)
			xnl_attr_put(&d->page, nlh, XFRMGW_RTA_REASON, strlen(e.reason) + 1,
				     e.reason);
		if (!xnl_dump_commit(d, nlh))
			return 1;
		d->cursor[0] = next;
	}
}

static int dump_neighs(struct xnl_dump *d)
{
	struct xfrm_nl *x = d->priv;
	struct xfrmgw_neigh e;

	for (;;) {
		uint64_t next = d->cursor[0];
		struct nlmsghdr *nlh;
		int rc = x->tables.neigh(x->tables_arg, &next, &e);

		if (rc <= 0)
			return rc;
		nlh = xnl_msg_start(&d->page, XFRMGW_MSG_NEWNEIGH, NLM_F_MULTI, d->seq, d->portid,
				    &e, sizeof(e));
		if (!xnl_dump_commit(d, nlh))
			return 1;
		d->cursor[0] = next;
	}
}

static int route_summary(struct xfrm_nl *x, struct xnl_req *req)
{
	struct xfrmgw_route_sum sum;
	struct nlmsghdr *nlh;
	struct xnl_buf b;
	int err = x->tables.summary(x->tables_arg, &sum);

	if (err)
		return err;
	err = xnl_buf_alloc(&b, 1024);
	if (err)
		return err;
	nlh = xnl_msg_start(&b, XFRMGW_MSG_ROUTESUM, 0, req->nlh->nlmsg_seq, req->portid, &sum,
			    sizeof(sum));
	err = xnl_msg_end(&b, nlh);
	if (!err)
		err = xnl_reply(req, b.data, b.len);
	xnl_buf_free(&b);
	return err;
}

int xfrmgw_get_tables(struct xfrm_nl *x, struct xnl_req *req)
{
	bool routes = req->nlh->nlmsg_type == XFRMGW_MSG_GETROUTES;
	struct xnl_dump d = { .fn = routes ? dump_routes : dump_neighs, .priv = x };
	struct xfrmgw_route_sum sum;
	int err;

	if (!x->tables.route || !x->tables.neigh || !x->tables.summary ||
	    x->tables.summary(x->tables_arg, &sum) == -EOPNOTSUPP) {
		xnl_ext_set(&req->ext, NULL, "no packet path runs: no routes or neighbours");
		return -EOPNOTSUPP;
	}
	if (routes && !(req->nlh->nlmsg_flags & NLM_F_DUMP))
		return route_summary(x, req);
	err = xnl_dump_start(req, &d);
	if (err) {
		xnl_ext_set(&req->ext, NULL, "a dump is already running on this socket");
		return err;
	}
	return XNL_DUMP_STARTED;
}
