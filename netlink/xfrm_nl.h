/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals of the NETLINK_XFRM family: the attribute policy table, the
 * dispatch table's handlers, and the message builders shared by replies
 * and events.
 */
#ifndef XFRMGW_NETLINK_XFRM_NL_H
#define XFRMGW_NETLINK_XFRM_NL_H

#include <stdbool.h>
#include <stdint.h>

#include <netinet/in.h>
#include <linux/xfrm.h>

#include "netlink/xfrm_netlink.h"
#include "netlink/xnl.h"

struct xfrm_sa;

/* <linux/ipsec.h>'s "any IPsec protocol" in templates and FLUSHSA. */
#ifndef IPSEC_PROTO_ANY
#define IPSEC_PROTO_ANY 255
#endif

struct xfrm_nl {
	struct xnl_server *srv;
	struct sad *sad;
	struct spd *spd;
	struct xfrmu_spdhthresh hthresh4;	/* NEWSPDINFO, reported back */
	struct xfrmu_spdhthresh hthresh6;
	xfrm_nl_drops_fn drops;			/* XFRMGW_MSG_GETDROPS' source, or NULL */
	void *drops_arg;
	struct xfrm_nl_tables tables;		/* XFRMGW_MSG_GETROUTES/GETNEIGHS' source */
	void *tables_arg;
};

/* ---- attribute policy (xfrm_policy_table.c) ---- */

enum xfrma_kind {
	XA_IGNORE = 0,	/* known, carries nothing (XFRMA_UNSPEC, XFRMA_PAD) */
	XA_BINARY,	/* a structure: at least min_len bytes */
	XA_U8,		/* exactly 1 byte */
	XA_U32,		/* exactly 4 bytes */
	XA_U64,		/* exactly 8 bytes */
};

struct xfrma_policy {
	enum xfrma_kind kind;
	uint16_t min_len;
	const char *name;
};

/* An attribute namespace: XFRMA_* or XFRMA_SPD_*. */
struct xfrma_table {
	const struct xfrma_policy *rows;
	unsigned int max;
};

extern const struct xfrma_table xfrma_table;		/* XFRMA_* */
extern const struct xfrma_table xfrma_spd_table;	/* XFRMA_SPD_* */

#define XFRMA_TB_MAX	(XFRMA_MAX > XFRMA_SPD_MAX ? XFRMA_MAX : XFRMA_SPD_MAX)

/*
 * Validate the attributes after a hdrlen-byte header and index them:
 * tb[type] is the (last) attribute of that type or NULL. -EINVAL with the
 * extack naming the attribute on any violation.
 */
int xfrma_parse(const struct xfrma_table *t, const struct nlmsghdr *nlh, size_t hdrlen,
		const struct nlattr **tb, struct xnl_extack *ext);
const char *xfrma_name(unsigned int type);

/* Payload of a validated attribute, size bytes of it (NULL if absent). */
const void *xfrma_get(const struct xfrma_table *t, const struct nlattr *const *tb,
		      unsigned int type, size_t size);
#define XFRMA_GET(tb, type, T) ((const T *)xfrma_get(&xfrma_table, (tb), (type), sizeof(T)))
uint32_t xfrma_u32(const struct nlattr *const *tb, unsigned int type, uint32_t dflt);
uint8_t xfrma_u8(const struct nlattr *const *tb, unsigned int type, uint8_t dflt);

/* ---- handlers (xfrm_sa.c, xfrm_policy.c) ---- */

typedef int (*xfrm_doit_t)(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);

int xfrm_add_sa(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_del_sa(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_get_sa(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_dump_sa_start(struct xfrm_nl *x, struct xnl_req *req);
int xfrm_flush_sa(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_alloc_spi(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_get_ae(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_new_ae(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_get_sadinfo(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_add_sa_expire(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);

int xfrm_add_policy(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_get_policy(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_dump_policy_start(struct xfrm_nl *x, struct xnl_req *req);
int xfrm_flush_policy(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_add_pol_expire(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_get_spdinfo(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_set_spdinfo(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
/* xfrm_default.c */
int xfrm_set_default(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);
int xfrm_get_default(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb);

/* XFRMGW_MSG_GETDROPS (xfrm_netlink.c). */
int xfrm_get_drops(struct xfrm_nl *x, struct xnl_req *req);
/* XFRMGW_MSG_GETROUTES, XFRMGW_MSG_GETNEIGHS (xfrmgw_tables.c). */
int xfrmgw_get_tables(struct xfrm_nl *x, struct xnl_req *req);

/* The family's entry point (xfrm_dispatch.c) and idle hook (xfrm_netlink.c). */
extern const struct xnl_family xfrm_family;
void xfrm_nl_idle(void *priv);

/* ---- messages and events (xfrm_event.c) ---- */

/* A full SA as GETSA/NEWSA/UPDSA carry it: xfrm_usersa_info + attributes. */
struct nlmsghdr *xfrm_put_sa_msg(struct xnl_buf *b, const struct xfrm_sa *sa, uint16_t type,
				 uint16_t flags, uint32_t seq, uint32_t portid);
/* The attributes after the fixed part (copy_to_user_state_extra). */
void xfrm_put_sa_attrs(struct xnl_buf *b, struct nlmsghdr *nlh, const struct xfrm_sa *sa);

/* Multicast a finished buffer of messages to group; how many subscribers it reached. */
int xfrm_nl_multicast(struct xfrm_nl *x, unsigned int group, const struct xnl_buf *b);

/* SA notifications (XFRMNLGRP_SA): NEWSA, UPDSA, DELSA, FLUSHSA. */
void xfrm_notify_sa(struct xfrm_nl *x, const struct xfrm_sa *sa, uint16_t type,
		    const struct nlmsghdr *req);
void xfrm_notify_sa_flush(struct xfrm_nl *x, uint8_t proto, const struct nlmsghdr *req);
/* XFRM_MSG_EXPIRE (XFRMNLGRP_EXPIRE). */
void xfrm_notify_expire(struct xfrm_nl *x, const struct xfrm_sa *sa, bool hard);
/* XFRM_MSG_NEWAE (XFRMNLGRP_AEVENTS), and the GETAE answer. */
struct nlmsghdr *xfrm_put_ae_msg(struct xnl_buf *b, const struct xfrm_sa *sa, uint32_t flags,
				 uint32_t seq, uint32_t portid);

struct xfrm_policy;
struct nlmsghdr *xfrm_put_policy_msg(struct xnl_buf *b, const struct xfrm_policy *pol,
				     uint16_t type, uint16_t flags, uint32_t seq, uint32_t portid);
/* Policy notifications (XFRMNLGRP_POLICY) and POLEXPIRE (XFRMNLGRP_EXPIRE). */
void xfrm_notify_policy(struct xfrm_nl *x, const struct xfrm_policy *pol, uint16_t type,
			const struct nlmsghdr *req);
void xfrm_notify_policy_flush(struct xfrm_nl *x, uint8_t type, const struct nlmsghdr *req);
void xfrm_notify_polexpire(struct xfrm_nl *x, const struct xfrm_policy *pol, bool hard);
void xfrm_notify_ae(struct xfrm_nl *x, const struct xfrm_sa *sa, uint32_t flags,
		    const struct nlmsghdr *req);

/* Size of the scratch buffer for one SA or policy message. */
#define XFRMGW_NL_MSG_MAX	16384

#endif
