/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The XFRM dispatch table: per message type the fixed header it needs, its
 * attribute namespace, and its handler or dump. One parse point: the header
 * length is checked and every attribute validated before a handler runs.
 */
#include <errno.h>

#include "netlink/xfrm_nl.h"

struct xfrm_link {
	const char *name;
	size_t min_len;				/* fixed header after nlmsghdr */
	xfrm_doit_t doit;
	int (*dump)(struct xfrm_nl *x, struct xnl_req *req);
	const struct xfrma_table *attrs;	/* NULL: XFRMA_* */
	const char *refusal;			/* why it is not served, if so */
};

#define L(t)	[(t) - XFRM_MSG_BASE]

static const struct xfrm_link xfrm_dispatch[XFRM_NR_MSGTYPES] = {
	L(XFRM_MSG_NEWSA)	= { "NEWSA", sizeof(struct xfrm_usersa_info), xfrm_add_sa },
	L(XFRM_MSG_UPDSA)	= { "UPDSA", sizeof(struct xfrm_usersa_info), xfrm_add_sa },
	L(XFRM_MSG_DELSA)	= { "DELSA", sizeof(struct xfrm_usersa_id), xfrm_del_sa },
	L(XFRM_MSG_GETSA)	= { "GETSA", sizeof(struct xfrm_usersa_id), xfrm_get_sa,
				    xfrm_dump_sa_start },
	L(XFRM_MSG_FLUSHSA)	= { "FLUSHSA", sizeof(struct xfrm_usersa_flush), xfrm_flush_sa },
	L(XFRM_MSG_ALLOCSPI)	= { "ALLOCSPI", sizeof(struct xfrm_userspi_info), xfrm_alloc_spi },
	L(XFRM_MSG_NEWAE)	= { "NEWAE", sizeof(struct xfrm_aevent_id), xfrm_new_ae },
	L(XFRM_MSG_GETAE)	= { "GETAE", sizeof(struct xfrm_aevent_id), xfrm_get_ae },
	L(XFRM_MSG_GETSADINFO)	= { "GETSADINFO", sizeof(uint32_t), xfrm_get_sadinfo },
	L(XFRM_MSG_EXPIRE)	= { "EXPIRE", sizeof(struct xfrm_user_expire), xfrm_add_sa_expire },
	L(XFRM_MSG_NEWPOLICY)	= { "NEWPOLICY", sizeof(struct xfrm_userpolicy_info),
				    xfrm_add_policy },
	L(XFRM_MSG_UPDPOLICY)	= { "UPDPOLICY", sizeof(struct xfrm_userpolicy_info),
				    xfrm_add_policy },
	L(XFRM_MSG_DELPOLICY)	= { "DELPOLICY", sizeof(struct xfrm_userpolicy_id),
				    xfrm_get_policy },
	L(XFRM_MSG_GETPOLICY)	= { "GETPOLICY", sizeof(struct xfrm_userpolicy_id),
				    xfrm_get_policy, xfrm_dump_policy_start },
	L(XFRM_MSG_FLUSHPOLICY)	= { "FLUSHPOLICY", 0, xfrm_flush_policy },
	L(XFRM_MSG_POLEXPIRE)	= { "POLEXPIRE", sizeof(struct xfrm_user_polexpire),
				    xfrm_add_pol_expire },
	L(XFRM_MSG_GETSPDINFO)	= { "GETSPDINFO", sizeof(uint32_t), xfrm_get_spdinfo,
				    .attrs = &xfrma_spd_table },
	L(XFRM_MSG_NEWSPDINFO)	= { "NEWSPDINFO", sizeof(uint32_t), xfrm_set_spdinfo,
				    .attrs = &xfrma_spd_table },
	/* Known, deliberately not served. */
	L(XFRM_MSG_ACQUIRE)	= { "ACQUIRE", .refusal = "ACQUIRE from user space is not supported" },
	L(XFRM_MSG_MIGRATE)	= { "MIGRATE", .refusal = "MIGRATE is not supported" },
	L(XFRM_MSG_SETDEFAULT)	= { "SETDEFAULT", sizeof(struct xfrm_userpolicy_default),
				    xfrm_set_default },
	L(XFRM_MSG_GETDEFAULT)	= { "GETDEFAULT", sizeof(struct xfrm_userpolicy_default),
				    xfrm_get_default },
};

static int xfrm_rcv(struct xnl_req *req)
{
	const struct nlattr *tb[XFRMA_TB_MAX + 1];
	const struct nlmsghdr *nlh = req->nlh;
	const struct xfrm_link *link;
	struct xfrm_nl *x = req->priv;
	int err;

	if (nlh->nlmsg_type == XFRMGW_MSG_GETDROPS)
		return xfrm_get_drops(x, req);		/* ours, not the kernel's */
	if (nlh->nlmsg_type == XFRMGW_MSG_GETROUTES || nlh->nlmsg_type == XFRMGW_MSG_GETNEIGHS)
		return xfrmgw_get_tables(x, req);	/* ours too */
	if (nlh->nlmsg_type < XFRM_MSG_BASE || nlh->nlmsg_type > XFRM_MSG_MAX) {
		xnl_ext_set(&req->ext, NULL, "unknown XFRM message type %u", nlh->nlmsg_type);
		return -EINVAL;
	}
	link = &xfrm_dispatch[nlh->nlmsg_type - XFRM_MSG_BASE];
	if (link->refusal) {
		xnl_ext_set(&req->ext, NULL, "%s", link->refusal);
		return -EOPNOTSUPP;
	}
	/* Dumps parse their own filters; their header is optional. */
	if (link->dump && (nlh->nlmsg_flags & NLM_F_DUMP))
		return link->dump(x, req);
	if (!link->doit) {
		xnl_ext_set(&req->ext, NULL, "XFRM message type %u is kernel to user only",
			    nlh->nlmsg_type);
		return -EINVAL;
	}
	if (mnl_nlmsg_get_payload_len(nlh) < link->min_len) {
		xnl_ext_set(&req->ext, NULL, "%s: message shorter than its %zu-byte header",
			    link->name, link->min_len);
		return -EINVAL;
	}
	err = xfrma_parse(link->attrs ? link->attrs : &xfrma_table, nlh, link->min_len, tb,
			  &req->ext);
	if (err)
		return err;
	return link->doit(x, req, tb);
}

const struct xnl_family xfrm_family = {
	.protocol = NETLINK_XFRM,
	.name = "xfrm",
	.rcv = xfrm_rcv,
	.idle = xfrm_nl_idle,
};
