/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policy messages: NEWPOLICY, UPDPOLICY, DELPOLICY, GETPOLICY (single and
 * dump), FLUSHPOLICY, POLEXPIRE from user space, GETSPDINFO, NEWSPDINFO.
 * Verify (verify_newpolicy, verify_tmpls), construct, then commit to the
 * SPD, as the kernel's xfrm_add_policy().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netlink/xfrm_nl.h"
#include "sa/spd.h"

static int fail(struct xnl_extack *ext, const struct nlattr *a, int err, const char *msg)
{
	xnl_ext_set(ext, a, "%s", msg);
	return err;
}

static int need_spd(struct xfrm_nl *x, struct xnl_extack *ext)
{
	return x->spd ? 0 : fail(ext, NULL, -EOPNOTSUPP, "no policy database");
}

static int verify_dir(uint8_t dir, struct xnl_extack *ext)
{
	if (dir == XFRM_POLICY_IN || dir == XFRM_POLICY_OUT || dir == XFRM_POLICY_FWD)
		return 0;
	xnl_ext_set(ext, NULL, "invalid policy direction %u", dir);
	return -EINVAL;
}

/* XFRMA_POLICY_TYPE, MAIN when absent. */
static int policy_type(const struct nlattr **tb, uint8_t *type, struct xnl_extack *ext)
{
	const struct xfrm_userpolicy_type *t =
		XFRMA_GET(tb, XFRMA_POLICY_TYPE, struct xfrm_userpolicy_type);

	*type = t ? t->type : XFRM_POLICY_TYPE_MAIN;
	if (*type != XFRM_POLICY_TYPE_MAIN && *type != XFRM_POLICY_TYPE_SUB)
		return fail(ext, tb[XFRMA_POLICY_TYPE], -EINVAL, "XFRMA_POLICY_TYPE: invalid type");
	return 0;
}

static int verify_sel(const struct xfrm_selector *sel, struct xnl_extack *ext)
{
	unsigned int max;

	switch (sel->family) {
	case AF_INET:
		max = 32;
		break;
	case AF_INET6:
		max = 128;
		break;
	default:
		xnl_ext_set(ext, NULL, "invalid selector family %u", sel->family);
		return -EINVAL;
	}
	if (sel->prefixlen_d > max || sel->prefixlen_s > max)
		return fail(ext, NULL, -EINVAL, "selector prefix length too long for its family");
	return 0;
}

static int verify_newpolicy(const struct xfrm_userpolicy_info *p, struct xnl_extack *ext)
{
	int err;

	if (p->share > XFRM_SHARE_UNIQUE)
		return fail(ext, NULL, -EINVAL, "invalid share mode");
	if (p->action != XFRM_POLICY_ALLOW && p->action != XFRM_POLICY_BLOCK)
		return fail(ext, NULL, -EINVAL, "invalid policy action");
	err = verify_sel(&p->sel, ext);
	if (!err)
		err = verify_dir(p->dir, ext);
	if (!err && p->index && (p->index & 7) != p->dir)
		err = fail(ext, NULL, -EINVAL, "policy index does not match its direction");
	return err;
}

static bool tmpl_proto_ok(uint8_t proto)
{
	return proto == IPPROTO_ESP || proto == IPPROTO_AH || proto == IPPROTO_COMP ||
	       proto == IPPROTO_DSTOPTS || proto == IPPROTO_ROUTING || proto == IPSEC_PROTO_ANY;
}

/* The kernel's validate_tmpl(); fills in a template family left 0. */
static int verify_tmpls(struct xfrm_user_tmpl *ut, unsigned int n, uint16_t family,
			const struct nlattr *a, struct xnl_extack *ext)
{
	uint16_t prev = family;

	if (n > XFRM_MAX_DEPTH)
		return fail(ext, a, -EINVAL, "XFRMA_TMPL: more templates than XFRM_MAX_DEPTH");
	for (unsigned int i = 0; i < n; i++) {
		if (!ut[i].family)
			ut[i].family = family;
		if (ut[i].mode >= XFRM_MODE_MAX)
			return fail(ext, a, -EINVAL, "XFRMA_TMPL: invalid mode");
		if (ut[i].mode != XFRM_MODE_TUNNEL && ut[i].mode != XFRM_MODE_BEET &&
		    ut[i].family != prev)
			return fail(ext, a, -EINVAL,
				    "XFRMA_TMPL: only tunnel mode may change the family");
		if (ut[i].family != AF_INET && ut[i].family != AF_INET6)
			return fail(ext, a, -EINVAL, "XFRMA_TMPL: invalid family");
		if (!tmpl_proto_ok(ut[i].id.proto))
			return fail(ext, a, -EINVAL, "XFRMA_TMPL: invalid protocol");
		prev = ut[i].family;
	}
	return 0;
}

static int sec_ctx_ok(const struct nlattr **tb, struct xnl_extack *ext)
{
	const struct xfrm_user_sec_ctx *c = XFRMA_GET(tb, XFRMA_SEC_CTX, struct xfrm_user_sec_ctx);

	if (c && (c->len != sizeof(*c) + c->ctx_len ||
		  mnl_attr_get_payload_len(tb[XFRMA_SEC_CTX]) < c->len))
		return fail(ext, tb[XFRMA_SEC_CTX], -EINVAL, "XFRMA_SEC_CTX: inconsistent lengths");
	return 0;
}

static int construct_policy(const struct xfrm_userpolicy_info *p, const struct nlattr **tb,
			    struct xnl_extack *ext, struct xfrm_policy **out)
{
	struct xfrm_user_tmpl ut[XFRM_MAX_DEPTH + 1];
	const struct xfrm_mark *m = XFRMA_GET(tb, XFRMA_MARK, struct xfrm_mark);
	const struct xfrm_user_sec_ctx *c = XFRMA_GET(tb, XFRMA_SEC_CTX, struct xfrm_user_sec_ctx);
	const struct nlattr *ta = tb[XFRMA_TMPL];
	struct xfrm_policy *pol;
	unsigned int n = 0;
	uint8_t type;
	int err;

	err = policy_type(tb, &type, ext);
	if (!err)
		err = sec_ctx_ok(tb, ext);
	if (err)
		return err;
	if (ta) {
		n = mnl_attr_get_payload_len(ta) / sizeof(ut[0]);
		if (n > XFRM_MAX_DEPTH)
			return fail(ext, ta, -EINVAL, "XFRMA_TMPL: more templates than XFRM_MAX_DEPTH");
		memcpy(ut, mnl_attr_get_payload(ta), n * sizeof(ut[0]));
		err = verify_tmpls(ut, n, p->sel.family, ta, ext);
		if (err)
			return err;
	}
	pol = policy_alloc();
	if (unlikely(!pol))
		return -ENOMEM;
	policy_set_info(pol, p);
	pol->type = type;
	if (m)
		pol->mark = *m;
	pol->if_id = xfrma_u32(tb, XFRMA_IF_ID, 0);
	err = policy_set_tmpls(pol, ut, n);
	if (!err && c)
		err = policy_set_sec_ctx(pol, c, c->len);
	if (err) {
		policy_put(pol);
		return fail(ext, NULL, err, "policy not accepted");
	}
	*out = pol;
	return 0;
}

int xfrm_add_policy(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrm_userpolicy_info *p = mnl_nlmsg_get_payload(req->nlh);
	bool excl = req->nlh->nlmsg_type == XFRM_MSG_NEWPOLICY;
	struct xfrm_policy *pol, *old = NULL;
	int err;

	err = need_spd(x, &req->ext);
	if (!err)
		err = verify_newpolicy(p, &req->ext);
	if (!err)
		err = construct_policy(p, tb, &req->ext, &pol);
	if (err)
		return err;
	err = spd_insert(x->spd, pol, excl, &old);
	if (err) {
		policy_put(pol);
		if (err == -EEXIST)
			return fail(&req->ext, NULL, err, "policy already exists");
		return fail(&req->ext, NULL, err, "policy not accepted by the SPD");
	}
	if (old)
		policy_put(old);
	xfrm_notify_policy(x, pol, req->nlh->nlmsg_type, req->nlh);
	policy_put(pol);
	return 0;
}

/* GETPOLICY and DELPOLICY: by index, else by selector. */
int xfrm_get_policy(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrm_userpolicy_id *p = mnl_nlmsg_get_payload(req->nlh);
	const struct xfrm_mark *m = XFRMA_GET(tb, XFRMA_MARK, struct xfrm_mark);
	const struct xfrm_user_sec_ctx *c = XFRMA_GET(tb, XFRMA_SEC_CTX, struct xfrm_user_sec_ctx);
	bool del = req->nlh->nlmsg_type == XFRM_MSG_DELPOLICY;
	struct spd_id id = {
		.dir = p->dir,
		.index = p->index,
		.sel = p->sel,
		.if_id = xfrma_u32(tb, XFRMA_IF_ID, 0),
	};
	struct xfrm_policy *pol;
	struct xnl_buf b;
	int err;

	err = need_spd(x, &req->ext);
	if (!err)
		err = policy_type(tb, &id.type, &req->ext);
	if (!err)
		err = verify_dir(p->dir, &req->ext);
	if (!err && !p->index)
		err = sec_ctx_ok(tb, &req->ext);
	if (err)
		return err;
	if (m)
		id.mark = *m;
	if (c && !p->index) {
		id.sec_ctx = c;
		id.sec_ctx_len = c->len;
	}
	err = del ? spd_delete(x->spd, &id, &pol) : spd_get(x->spd, &id, &pol);
	if (err)
		return fail(&req->ext, NULL, err, "no such policy");
	if (del) {
		xfrm_notify_policy(x, pol, XFRM_MSG_DELPOLICY, req->nlh);
	} else {
		err = xnl_buf_alloc(&b, XFRMGW_NL_MSG_MAX);
		if (!err) {
			struct nlmsghdr *nlh = xfrm_put_policy_msg(&b, pol, XFRM_MSG_NEWPOLICY, 0,
								   req->nlh->nlmsg_seq,
								   req->portid);

			err = xnl_msg_end(&b, nlh);
			if (!err)
				err = xnl_reply(req, b.data, b.len);
			xnl_buf_free(&b);
		}
	}
	policy_put(pol);
	return err;
}

/* ---- dump ---- */

struct policy_dump {
	struct xfrm_nl *x;
	struct spd_cursor cur;
};

static int dump_one_policy(struct xfrm_policy *pol, void *arg)
{
	struct xnl_dump *d = arg;
	struct nlmsghdr *nlh = xfrm_put_policy_msg(&d->page, pol, XFRM_MSG_NEWPOLICY,
						   NLM_F_MULTI, d->seq, d->portid);

	return xnl_dump_commit(d, nlh) ? 0 : 1;
}

static int dump_policy(struct xnl_dump *d)
{
	struct policy_dump *s = d->filter;

	return spd_walk(s->x->spd, &s->cur, dump_one_policy, d);
}

static void dump_policy_done(struct xnl_dump *d)
{
	struct policy_dump *s = d->filter;

	if (s) {
		spd_cursor_done(s->x->spd, &s->cur);
		free(s);
	}
}

int xfrm_dump_policy_start(struct xfrm_nl *x, struct xnl_req *req)
{
	struct xnl_dump d = { .fn = dump_policy, .done = dump_policy_done };
	struct policy_dump *s;
	int err = need_spd(x, &req->ext);

	if (err)
		return err;
	s = calloc(1, sizeof(*s));
	if (unlikely(!s))
		return -ENOMEM;
	s->x = x;
	spd_cursor_init(&s->cur);
	s->cur.any_type = true;		/* the kernel dumps main and sub policies */
	d.filter = s;
	err = xnl_dump_start(req, &d);
	if (err) {
		free(s);
		return fail(&req->ext, NULL, err, "a dump is already running on this socket");
	}
	return XNL_DUMP_STARTED;
}

/* ---- FLUSHPOLICY, POLEXPIRE ---- */

int xfrm_flush_policy(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	uint8_t type;
	int err = need_spd(x, &req->ext);

	if (!err)
		err = policy_type(tb, &type, &req->ext);
	if (err)
		return err;
	spd_flush(x->spd, type);
	xfrm_notify_policy_flush(x, type, req->nlh);
	return 0;
}

int xfrm_add_pol_expire(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrm_user_polexpire *up = mnl_nlmsg_get_payload(req->nlh);
	const struct xfrm_userpolicy_info *p = &up->pol;
	const struct xfrm_mark *m = XFRMA_GET(tb, XFRMA_MARK, struct xfrm_mark);
	struct spd_id id = {
		.dir = p->dir,
		.index = p->index,
		.sel = p->sel,
		.if_id = xfrma_u32(tb, XFRMA_IF_ID, 0),
	};
	struct xfrm_policy *pol;
	int err;

	err = need_spd(x, &req->ext);
	if (!err)
		err = policy_type(tb, &id.type, &req->ext);
	if (!err)
		err = verify_dir(p->dir, &req->ext);
	if (err)
		return err;
	if (m)
		id.mark = *m;
	err = spd_get(x->spd, &id, &pol);
	if (err)
		return fail(&req->ext, NULL, -ENOENT, "no such policy");
	err = spd_expire(x->spd, pol, up->hard);
	policy_put(pol);
	return err;
}

/* ---- SPD info ---- */

int xfrm_get_spdinfo(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const uint32_t *flags = mnl_nlmsg_get_payload(req->nlh);
	struct spd_info info = { 0 };
	struct xfrmu_spdinfo si;
	struct xfrmu_spdhinfo sh;
	struct nlmsghdr *nlh;
	struct xnl_buf b;
	int err;

	(void)tb;
	if (x->spd)
		spd_get_info(x->spd, &info);
	si = (struct xfrmu_spdinfo){ info.incnt, info.outcnt, info.fwdcnt,
				     info.inscnt, info.outscnt, info.fwdscnt };
	sh = (struct xfrmu_spdhinfo){ info.spdhcnt, info.spdhmcnt };
	err = xnl_buf_alloc(&b, 256);
	if (err)
		return err;
	nlh = xnl_msg_start(&b, XFRM_MSG_NEWSPDINFO, 0, req->nlh->nlmsg_seq, req->portid,
			    flags, sizeof(*flags));
	xnl_attr_put(&b, nlh, XFRMA_SPD_INFO, sizeof(si), &si);
	xnl_attr_put(&b, nlh, XFRMA_SPD_HINFO, sizeof(sh), &sh);
	xnl_attr_put(&b, nlh, XFRMA_SPD_IPV4_HTHRESH, sizeof(info.hthresh4), &info.hthresh4);
	xnl_attr_put(&b, nlh, XFRMA_SPD_IPV6_HTHRESH, sizeof(info.hthresh6), &info.hthresh6);
	err = xnl_msg_end(&b, nlh);
	if (!err)
		err = xnl_reply(req, b.data, b.len);
	xnl_buf_free(&b);
	return err;
}

int xfrm_set_spdinfo(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrmu_spdhthresh *v4 =
		xfrma_get(&xfrma_spd_table, tb, XFRMA_SPD_IPV4_HTHRESH, sizeof(*v4));
	const struct xfrmu_spdhthresh *v6 =
		xfrma_get(&xfrma_spd_table, tb, XFRMA_SPD_IPV6_HTHRESH, sizeof(*v6));
	int err = need_spd(x, &req->ext);

	if (err)
		return err;
	if (v4 && (v4->lbits > 32 || v4->rbits > 32))
		return fail(&req->ext, tb[XFRMA_SPD_IPV4_HTHRESH], -EINVAL,
			    "XFRMA_SPD_IPV4_HTHRESH: prefix bits above 32");
	if (v6 && (v6->lbits > 128 || v6->rbits > 128))
		return fail(&req->ext, tb[XFRMA_SPD_IPV6_HTHRESH], -EINVAL,
			    "XFRMA_SPD_IPV6_HTHRESH: prefix bits above 128");
	return spd_set_hthresh(x->spd, v4, v6);
}
