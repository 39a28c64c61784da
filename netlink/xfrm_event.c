/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Building XFRM messages from SAs and policies, and multicasting events to
 * the XFRMNLGRP_* groups as the kernel's xfrm_user.c km callbacks do:
 *  XFRMNLGRP_SA       NEWSA, UPDSA, DELSA, FLUSHSA
 *  XFRMNLGRP_POLICY   NEWPOLICY, UPDPOLICY, DELPOLICY, FLUSHPOLICY
 *  XFRMNLGRP_EXPIRE   EXPIRE, POLEXPIRE
 *  XFRMNLGRP_ACQUIRE  ACQUIRE
 *  XFRMNLGRP_AEVENTS  NEWAE
 *  XFRMNLGRP_MAPPING  MAPPING
 * A notification caused by a request carries that request's seq and pid.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "netlink/xfrm_nl.h"
#include "sa/sa.h"
#include "sa/spd.h"

static size_t key_bytes(uint32_t bits)
{
	return (bits + 7) / 8;
}

/* ---- SA attributes (the kernel's copy_to_user_state_extra order) ---- */

static void put_auth(struct xnl_buf *b, struct nlmsghdr *nlh, const struct xfrm_algo_auth *a)
{
	size_t kb = key_bytes(a->alg_key_len);
	struct xfrm_algo *plain = xnl_attr_reserve(b, nlh, XFRMA_ALG_AUTH, sizeof(*plain) + kb);

	if (plain) {
		memcpy(plain->alg_name, a->alg_name, sizeof(plain->alg_name));
		plain->alg_key_len = a->alg_key_len;
		memcpy(plain->alg_key, a->alg_key, kb);
	}
	xnl_attr_put(b, nlh, XFRMA_ALG_AUTH_TRUNC, sizeof(*a) + kb, a);
}

static void put_replay(struct xnl_buf *b, struct nlmsghdr *nlh, const struct xfrm_sa *sa)
{
	uint64_t oseq = __atomic_load_n(&sa->oseq, __ATOMIC_RELAXED);

	if (sa->has_replay_esn || sa_is_esn(sa)) {
		uint32_t window = sa->replay ? sa->replay->window : sa->replay_esn_window;
		size_t len = sa_replay_esn_size(window);
		struct xfrm_replay_state_esn *e = xnl_attr_reserve(b, nlh, XFRMA_REPLAY_ESN_VAL, len);

		if (!e)
			return;
		if (sa->replay) {
			sa_replay_export_esn(sa->replay, e);
		} else {
			e->replay_window = window;
			e->bmp_len = (window + 31) / 32;
		}
		e->oseq = (uint32_t)oseq;
		e->oseq_hi = (uint32_t)(oseq >> 32);
	} else {
		struct xfrm_replay_state r = { .oseq = (uint32_t)oseq };

		if (sa->replay)
			sa_replay_export_legacy(sa->replay, &r);
		xnl_attr_put(b, nlh, XFRMA_REPLAY_VAL, sizeof(r), &r);
	}
}

static bool mark_set(const struct xfrm_mark *m)
{
	return m->v || m->m;
}

void xfrm_put_sa_attrs(struct xnl_buf *b, struct nlmsghdr *nlh, const struct xfrm_sa *sa)
{
	uint64_t use_time = __atomic_load_n(&sa->curlft.use_time, __ATOMIC_RELAXED);

	if (sa->extra_flags)
		xnl_attr_put_u32(b, nlh, XFRMA_SA_EXTRA_FLAGS, sa->extra_flags);
	if (sa->has_coaddr)
		xnl_attr_put(b, nlh, XFRMA_COADDR, sizeof(sa->coaddr), &sa->coaddr);
	if (use_time)
		xnl_attr_put(b, nlh, XFRMA_LASTUSED, sizeof(use_time), &use_time);
	if (sa->aead)
		xnl_attr_put(b, nlh, XFRMA_ALG_AEAD,
			     sizeof(*sa->aead) + key_bytes(sa->aead->alg_key_len), sa->aead);
	if (sa->aalg)
		put_auth(b, nlh, sa->aalg);
	if (sa->ealg)
		xnl_attr_put(b, nlh, XFRMA_ALG_CRYPT,
			     sizeof(*sa->ealg) + key_bytes(sa->ealg->alg_key_len), sa->ealg);
	if (sa->calg)
		xnl_attr_put(b, nlh, XFRMA_ALG_COMP, sizeof(*sa->calg), sa->calg);
	if (sa->has_encap)
		xnl_attr_put(b, nlh, XFRMA_ENCAP, sizeof(sa->encap), &sa->encap);
	if (sa->tfcpad)
		xnl_attr_put_u32(b, nlh, XFRMA_TFCPAD, sa->tfcpad);
	if (mark_set(&sa->mark))
		xnl_attr_put(b, nlh, XFRMA_MARK, sizeof(sa->mark), &sa->mark);
	if (sa->has_smark) {
		xnl_attr_put_u32(b, nlh, XFRMA_SET_MARK, sa->smark.v);
		xnl_attr_put_u32(b, nlh, XFRMA_SET_MARK_MASK, sa->smark.m);
	}
	put_replay(b, nlh, sa);
	if (sa->if_id)
		xnl_attr_put_u32(b, nlh, XFRMA_IF_ID, sa->if_id);
	if (sa->sec_ctx)
		xnl_attr_put(b, nlh, XFRMA_SEC_CTX, sa->sec_ctx_len, sa->sec_ctx);
	if (sa->has_encap && sa->mtimer_thresh)
		xnl_attr_put_u32(b, nlh, XFRMA_MTIMER_THRESH, sa->mtimer_thresh);
}

struct nlmsghdr *xfrm_put_sa_msg(struct xnl_buf *b, const struct xfrm_sa *sa, uint16_t type,
				 uint16_t flags, uint32_t seq, uint32_t portid)
{
	struct xfrm_usersa_info p;
	struct nlmsghdr *nlh;

	sa_get_usersa_info(sa, &p);
	nlh = xnl_msg_start(b, type, flags, seq, portid, &p, sizeof(p));
	xfrm_put_sa_attrs(b, nlh, sa);
	explicit_bzero(&p, sizeof(p));
	return nlh;
}

/* ---- policy messages ---- */

static void put_policy_attrs(struct xnl_buf *b, struct nlmsghdr *nlh,
			     const struct xfrm_policy *pol)
{
	if (pol->ntmpl)
		xnl_attr_put(b, nlh, XFRMA_TMPL, pol->ntmpl * sizeof(pol->tmpl[0]), pol->tmpl);
	if (pol->sec_ctx)
		xnl_attr_put(b, nlh, XFRMA_SEC_CTX, pol->sec_ctx_len, pol->sec_ctx);
	if (pol->type != XFRM_POLICY_TYPE_MAIN) {
		struct xfrm_userpolicy_type t = { .type = pol->type };

		xnl_attr_put(b, nlh, XFRMA_POLICY_TYPE, sizeof(t), &t);
	}
	if (mark_set(&pol->mark))
		xnl_attr_put(b, nlh, XFRMA_MARK, sizeof(pol->mark), &pol->mark);
	if (pol->if_id)
		xnl_attr_put_u32(b, nlh, XFRMA_IF_ID, pol->if_id);
}

struct nlmsghdr *xfrm_put_policy_msg(struct xnl_buf *b, const struct xfrm_policy *pol,
				     uint16_t type, uint16_t flags, uint32_t seq, uint32_t portid)
{
	struct xfrm_userpolicy_info p;
	struct nlmsghdr *nlh;

	policy_get_info(pol, &p);
	nlh = xnl_msg_start(b, type, flags, seq, portid, &p, sizeof(p));
	put_policy_attrs(b, nlh, pol);
	return nlh;
}

/* ---- multicast ---- */

int xfrm_nl_multicast(struct xfrm_nl *x, unsigned int group, const struct xnl_buf *b)
{
	if (!b->len)
		return 0;
	return xnl_multicast(x->srv, NETLINK_XFRM, group, b->data, b->len);
}

/*
 * Build one event with fill() into a wiped heap buffer, then send it.
 * Returns how many subscribers it reached, -ENOMEM.
 */
static int emit(struct xfrm_nl *x, unsigned int group,
		void (*fill)(struct xnl_buf *b, const void *arg), const void *arg)
{
	struct xnl_buf b;
	int reached;

	if (xnl_buf_alloc(&b, XFRMGW_NL_MSG_MAX))
		return -ENOMEM;
	fill(&b, arg);
	reached = xfrm_nl_multicast(x, group, &b);
	xnl_buf_free(&b);
	return reached;
}

struct sa_note {
	const struct xfrm_sa *sa;
	uint16_t type;
	uint32_t seq, pid;
};

static void fill_sa_note(struct xnl_buf *b, const void *arg)
{
	const struct sa_note *n = arg;
	struct nlmsghdr *nlh;

	if (n->type != XFRM_MSG_DELSA) {
		nlh = xfrm_put_sa_msg(b, n->sa, n->type, 0, n->seq, n->pid);
	} else {
		/* DELSA: the id, then the whole SA (XFRMA_SA and its attributes). */
		struct xfrm_usersa_id id = {
			.daddr = n->sa->id.daddr,
			.spi = n->sa->id.spi,
			.family = n->sa->family,
			.proto = n->sa->id.proto,
		};
		struct xfrm_usersa_info p;

		/* Built aside: an attribute is only 4-byte aligned. */
		sa_get_usersa_info(n->sa, &p);
		nlh = xnl_msg_start(b, XFRM_MSG_DELSA, 0, n->seq, n->pid, &id, sizeof(id));
		xnl_attr_put(b, nlh, XFRMA_SA, sizeof(p), &p);
		explicit_bzero(&p, sizeof(p));
		xfrm_put_sa_attrs(b, nlh, n->sa);
	}
	xnl_msg_end(b, nlh);
}

void xfrm_notify_sa(struct xfrm_nl *x, const struct xfrm_sa *sa, uint16_t type,
		    const struct nlmsghdr *req)
{
	struct sa_note n = { sa, type, req ? req->nlmsg_seq : 0, req ? req->nlmsg_pid : 0 };

	emit(x, XFRMNLGRP_SA, fill_sa_note, &n);
}

struct flush_note {
	uint16_t type;
	uint8_t proto_or_type;
	uint32_t seq, pid;
};

static void fill_flush(struct xnl_buf *b, const void *arg)
{
	const struct flush_note *n = arg;
	struct nlmsghdr *nlh;

	if (n->type == XFRM_MSG_FLUSHSA) {
		struct xfrm_usersa_flush f = { .proto = n->proto_or_type };

		nlh = xnl_msg_start(b, n->type, 0, n->seq, n->pid, &f, sizeof(f));
	} else {
		nlh = xnl_msg_start(b, n->type, 0, n->seq, n->pid, NULL, 0);
		if (n->proto_or_type != XFRM_POLICY_TYPE_MAIN) {
			struct xfrm_userpolicy_type t = { .type = n->proto_or_type };

			xnl_attr_put(b, nlh, XFRMA_POLICY_TYPE, sizeof(t), &t);
		}
	}
	xnl_msg_end(b, nlh);
}

void xfrm_notify_sa_flush(struct xfrm_nl *x, uint8_t proto, const struct nlmsghdr *req)
{
	struct flush_note n = { XFRM_MSG_FLUSHSA, proto, req->nlmsg_seq, req->nlmsg_pid };

	emit(x, XFRMNLGRP_SA, fill_flush, &n);
}

void xfrm_notify_policy_flush(struct xfrm_nl *x, uint8_t type, const struct nlmsghdr *req)
{
	struct flush_note n = { XFRM_MSG_FLUSHPOLICY, type, req->nlmsg_seq, req->nlmsg_pid };

	emit(x, XFRMNLGRP_POLICY, fill_flush, &n);
}

struct expire_note {
	const struct xfrm_sa *sa;
	bool hard;
};

static void fill_expire(struct xnl_buf *b, const void *arg)
{
	const struct expire_note *n = arg;
	struct xfrm_user_expire ue = { .hard = n->hard };
	struct nlmsghdr *nlh;

	sa_get_usersa_info(n->sa, &ue.state);
	nlh = xnl_msg_start(b, XFRM_MSG_EXPIRE, 0, 0, 0, &ue, sizeof(ue));
	if (mark_set(&n->sa->mark))
		xnl_attr_put(b, nlh, XFRMA_MARK, sizeof(n->sa->mark), &n->sa->mark);
	if (n->sa->if_id)
		xnl_attr_put_u32(b, nlh, XFRMA_IF_ID, n->sa->if_id);
	xnl_msg_end(b, nlh);
}

void xfrm_notify_expire(struct xfrm_nl *x, const struct xfrm_sa *sa, bool hard)
{
	struct expire_note n = { sa, hard };

	emit(x, XFRMNLGRP_EXPIRE, fill_expire, &n);
}

struct pol_note {
	const struct xfrm_policy *pol;
	uint16_t type;
	bool hard;
	uint32_t seq, pid;
};

static void fill_pol_note(struct xnl_buf *b, const void *arg)
{
	const struct pol_note *n = arg;
	struct nlmsghdr *nlh;

	if (n->type == XFRM_MSG_DELPOLICY) {
		struct xfrm_userpolicy_id id = {
			.sel = n->pol->sel, .index = n->pol->index, .dir = n->pol->dir,
		};
		struct xfrm_userpolicy_info p;

		policy_get_info(n->pol, &p);
		nlh = xnl_msg_start(b, XFRM_MSG_DELPOLICY, 0, n->seq, n->pid, &id, sizeof(id));
		xnl_attr_put(b, nlh, XFRMA_POLICY, sizeof(p), &p);
		put_policy_attrs(b, nlh, n->pol);
	} else if (n->type == XFRM_MSG_POLEXPIRE) {
		struct xfrm_user_polexpire pe = { .hard = n->hard };

		policy_get_info(n->pol, &pe.pol);
		nlh = xnl_msg_start(b, XFRM_MSG_POLEXPIRE, 0, 0, 0, &pe, sizeof(pe));
		put_policy_attrs(b, nlh, n->pol);
	} else {
		nlh = xfrm_put_policy_msg(b, n->pol, n->type, 0, n->seq, n->pid);
	}
	xnl_msg_end(b, nlh);
}

void xfrm_notify_policy(struct xfrm_nl *x, const struct xfrm_policy *pol, uint16_t type,
			const struct nlmsghdr *req)
{
	struct pol_note n = { pol, type, false, req ? req->nlmsg_seq : 0,
			      req ? req->nlmsg_pid : 0 };

	emit(x, XFRMNLGRP_POLICY, fill_pol_note, &n);
}

void xfrm_notify_polexpire(struct xfrm_nl *x, const struct xfrm_policy *pol, bool hard)
{
	struct pol_note n = { pol, XFRM_MSG_POLEXPIRE, hard, 0, 0 };

	emit(x, XFRMNLGRP_EXPIRE, fill_pol_note, &n);
}

/* ---- async events (NEWAE) ---- */

struct nlmsghdr *xfrm_put_ae_msg(struct xnl_buf *b, const struct xfrm_sa *sa, uint32_t flags,
				 uint32_t seq, uint32_t portid)
{
	struct xfrm_aevent_id id = {
		.sa_id = {
			.daddr = sa->id.daddr, .spi = sa->id.spi,
			.family = sa->family, .proto = sa->id.proto,
		},
		.saddr = sa->saddr,
		.flags = flags,
		.reqid = sa->reqid,
	};
	struct xfrm_lifetime_cur cur = {
		.bytes = __atomic_load_n(&sa->curlft.bytes, __ATOMIC_RELAXED),
		.packets = __atomic_load_n(&sa->curlft.packets, __ATOMIC_RELAXED),
		.add_time = sa->curlft.add_time,
		.use_time = __atomic_load_n(&sa->curlft.use_time, __ATOMIC_RELAXED),
	};
	struct nlmsghdr *nlh = xnl_msg_start(b, XFRM_MSG_NEWAE, 0, seq, portid, &id, sizeof(id));

	put_replay(b, nlh, sa);
	xnl_attr_put(b, nlh, XFRMA_LTIME_VAL, sizeof(cur), &cur);
	if (flags & XFRM_AE_RTHR)
		xnl_attr_put_u32(b, nlh, XFRMA_REPLAY_THRESH, sa->replay_maxdiff);
	if (flags & XFRM_AE_ETHR)
		xnl_attr_put_u32(b, nlh, XFRMA_ETIMER_THRESH, sa->replay_maxage);
	if (mark_set(&sa->mark))
		xnl_attr_put(b, nlh, XFRMA_MARK, sizeof(sa->mark), &sa->mark);
	if (sa->if_id)
		xnl_attr_put_u32(b, nlh, XFRMA_IF_ID, sa->if_id);
	return nlh;
}

struct ae_note {
	const struct xfrm_sa *sa;
	uint32_t flags, seq, pid;
};

static void fill_ae(struct xnl_buf *b, const void *arg)
{
	const struct ae_note *n = arg;

	xnl_msg_end(b, xfrm_put_ae_msg(b, n->sa, n->flags, n->seq, n->pid));
}

void xfrm_notify_ae(struct xfrm_nl *x, const struct xfrm_sa *sa, uint32_t flags,
		    const struct nlmsghdr *req)
{
	struct ae_note n = { sa, flags, req ? req->nlmsg_seq : 0, req ? req->nlmsg_pid : 0 };

	emit(x, XFRMNLGRP_AEVENTS, fill_ae, &n);
}

/* ---- ACQUIRE and MAPPING (raised by the data path via the control thread) ---- */

struct acq_note {
	const struct xfrm_policy *pol;
	const struct xfrm_user_tmpl *t;
	const xfrm_address_t *saddr, *daddr;
	const struct xfrm_selector *sel;
	uint32_t seq;
};

static void fill_acquire(struct xnl_buf *b, const void *arg)
{
	const struct acq_note *n = arg;
	struct xfrm_user_acquire ua = {
		.id = n->t->id,
		.saddr = *n->saddr,
		.sel = *n->sel,
		.aalgos = n->t->aalgos,
		.ealgos = n->t->ealgos,
		.calgos = n->t->calgos,
		.seq = n->seq,
	};
	struct nlmsghdr *nlh;

	ua.id.daddr = *n->daddr;
	policy_get_info(n->pol, &ua.policy);
	nlh = xnl_msg_start(b, XFRM_MSG_ACQUIRE, 0, 0, 0, &ua, sizeof(ua));
	put_policy_attrs(b, nlh, n->pol);
	xnl_msg_end(b, nlh);
}

int xfrm_nl_acquire(struct xfrm_nl *x, const struct xfrm_policy *pol,
		    const struct xfrm_user_tmpl *t, const xfrm_address_t *saddr,
		    const xfrm_address_t *daddr, const struct xfrm_selector *flow, uint32_t seq)
{
	struct acq_note n = { pol, t, saddr, daddr, flow, seq };

	return emit(x, XFRMNLGRP_ACQUIRE, fill_acquire, &n);
}

struct map_note {
	const struct xfrm_sa *sa;
	const void *new_saddr;
	uint16_t new_sport;
};

static void fill_mapping(struct xnl_buf *b, const void *arg)
{
	const struct map_note *n = arg;
	struct xfrm_user_mapping um = {
		.id = {
			.daddr = n->sa->id.daddr, .spi = n->sa->id.spi,
			.family = n->sa->family, .proto = n->sa->id.proto,
		},
		.reqid = n->sa->reqid,
		.old_saddr = n->sa->saddr,
		.old_sport = n->sa->encap.encap_sport,
		.new_sport = n->new_sport,
	};

	memcpy(&um.new_saddr, n->new_saddr, sa_addr_len(n->sa->family));
	xnl_msg_end(b, xnl_msg_start(b, XFRM_MSG_MAPPING, 0, 0, 0, &um, sizeof(um)));
}

int xfrm_nl_mapping(struct xfrm_nl *x, const struct xfrm_sa *sa,
		    const void *new_saddr, uint16_t new_sport)
{
	struct map_note n = { sa, new_saddr, new_sport };

	if (!sa->has_encap)
		return -EINVAL;
	emit(x, XFRMNLGRP_MAPPING, fill_mapping, &n);
	return 0;
}
