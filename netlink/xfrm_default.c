/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * XFRM_MSG_SETDEFAULT / XFRM_MSG_GETDEFAULT (Linux 5.16): what each
 * direction does with a packet that matches no policy. The payload is
 * struct xfrm_userpolicy_default in both; SETDEFAULT changes only the
 * directions given as XFRM_USERPOLICY_BLOCK or _ACCEPT and is acked,
 * GETDEFAULT answers with the three values.
 */
#include <errno.h>

#include <libmnl/libmnl.h>

#include "netlink/xfrm_nl.h"
#include "sa/spd.h"

int xfrm_set_default(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrm_userpolicy_default *d = mnl_nlmsg_get_payload(req->nlh);

	(void)tb;
	if (!x->spd) {
		xnl_ext_set(&req->ext, NULL, "no policy database");
		return -EOPNOTSUPP;
	}
	spd_set_default(x->spd, XFRM_POLICY_IN, d->in);
	spd_set_default(x->spd, XFRM_POLICY_FWD, d->fwd);
	spd_set_default(x->spd, XFRM_POLICY_OUT, d->out);
	return 0;
}

int xfrm_get_default(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	struct xfrm_userpolicy_default d = {
		.in = spd_get_default(x->spd, XFRM_POLICY_IN),
		.fwd = spd_get_default(x->spd, XFRM_POLICY_FWD),
		.out = spd_get_default(x->spd, XFRM_POLICY_OUT),
	};
	struct nlmsghdr *nlh;
	struct xnl_buf b;
	int err;

	(void)tb;
	err = xnl_buf_alloc(&b, 64);
	if (err)
		return err;
	nlh = xnl_msg_start(&b, XFRM_MSG_GETDEFAULT, 0, req->nlh->nlmsg_seq, req->portid, &d,
			    sizeof(d));
	err = xnl_msg_end(&b, nlh);
	if (!err)
		err = xnl_reply(req, b.data, b.len);
	xnl_buf_free(&b);
	return err;
}
