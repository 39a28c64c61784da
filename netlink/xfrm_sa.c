/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SA messages: NEWSA, UPDSA, DELSA, GETSA (single and dump), FLUSHSA,
 * ALLOCSPI, GETAE, NEWAE, GETSADINFO and EXPIRE from user space.
 * Adding an SA is three steps, as the kernel's xfrm_add_sa(): verify which
 * attributes may appear together (verify_newsa), construct the SA with its
 * transforms (construct_sa), commit it to the SAD (sad_add/sad_update).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/udp.h>

#include "netlink/xfrm_nl.h"
#include "sa/sa.h"
#include "sa/sa_crypto.h"
#include "sa/sad.h"

#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

/*
 * NEWAE thresholds when NEWSA gives none: the kernel's defaults
 * (net.core.xfrm_aevent_rseqth = 2 packets, net.core.xfrm_aevent_etime =
 * 10 tenths of a second). Events only go to XFRMNLGRP_AEVENTS subscribers.
 */
#define XFRMGW_AE_SEQT_SIZE	2
#define XFRMGW_AE_ETIME		10

static bool is_ipsec_proto(uint8_t proto)
{
	return proto == IPPROTO_ESP || proto == IPPROTO_AH || proto == IPPROTO_COMP;
}

static int fail(struct xnl_extack *ext, const struct nlattr *a, int err, const char *msg)
{
	xnl_ext_set(ext, a, "%s", msg);
	return err;
}

/* The request's mark for lookups, as the kernel's xfrm_mark_get(). */
static uint32_t lookup_mark(const struct nlattr **tb)
{
	const struct xfrm_mark *m = XFRMA_GET(tb, XFRMA_MARK, struct xfrm_mark);

	return m ? m->v & m->m : 0;
}

/* ---- verify ---- */

static int verify_addresses(const struct xfrm_usersa_info *p, struct xnl_extack *ext)
{
	unsigned int max;

	if (p->family != AF_INET && p->family != AF_INET6) {
		xnl_ext_set(ext, NULL, "invalid address family %u", p->family);
		return -EINVAL;
	}
	switch (p->sel.family) {
	case AF_UNSPEC:
		return 0;
	case AF_INET:
		max = 32;
		break;
	case AF_INET6:
		max = 128;
		break;
	default:
		xnl_ext_set(ext, NULL, "invalid selector family %u", p->sel.family);
		return -EINVAL;
	}
	if (p->sel.prefixlen_d > max || p->sel.prefixlen_s > max)
		return fail(ext, NULL, -EINVAL, "selector prefix length too long for its family");
	return 0;
}

static int verify_proto(const struct xfrm_usersa_info *p, const struct nlattr **tb,
			struct xnl_extack *ext)
{
	bool auth = tb[XFRMA_ALG_AUTH] || tb[XFRMA_ALG_AUTH_TRUNC];

	switch (p->id.proto) {
	case IPPROTO_AH:
		/*
		 * RFC 4543 4: AES-GMAC as AH's integrity algorithm, given as the
		 * rfc4543 AEAD alone. An extension: Linux has no AH-GMAC.
		 */
		if (!auth && tb[XFRMA_ALG_AEAD] && !tb[XFRMA_ALG_CRYPT] && !tb[XFRMA_ALG_COMP]) {
			const struct xfrm_algo_aead *g =
				XFRMA_GET(tb, XFRMA_ALG_AEAD, struct xfrm_algo_aead);

			if (!g || strncmp(g->alg_name, "rfc4543(gcm(aes))", sizeof(g->alg_name)))
				return fail(ext, tb[XFRMA_ALG_AEAD], -EINVAL,
					    "AH takes an AEAD only for AES-GMAC (rfc4543(gcm(aes)))");
		} else if (!auth) {
			return fail(ext, NULL, -EINVAL, "AH needs XFRMA_ALG_AUTH or XFRMA_ALG_AUTH_TRUNC");
		} else if (tb[XFRMA_ALG_AEAD] || tb[XFRMA_ALG_CRYPT] || tb[XFRMA_ALG_COMP])
			return fail(ext, tb[XFRMA_ALG_AEAD] ?: tb[XFRMA_ALG_CRYPT] ?: tb[XFRMA_ALG_COMP],
				    -EINVAL, "AH takes an authentication algorithm only");
		if (tb[XFRMA_TFCPAD])
			return fail(ext, tb[XFRMA_TFCPAD], -EINVAL, "TFC padding is ESP only");
		if (tb[XFRMA_ENCAP])
			return fail(ext, tb[XFRMA_ENCAP], -EINVAL, "UDP encapsulation is ESP only");
		return 0;
	case IPPROTO_ESP:
		if (tb[XFRMA_ALG_COMP])
			return fail(ext, tb[XFRMA_ALG_COMP], -EINVAL, "ESP takes no compression algorithm");
		if (!auth && !tb[XFRMA_ALG_CRYPT] && !tb[XFRMA_ALG_AEAD])
			return fail(ext, NULL, -EINVAL, "ESP needs XFRMA_ALG_AEAD or XFRMA_ALG_CRYPT");
		if ((auth || tb[XFRMA_ALG_CRYPT]) && tb[XFRMA_ALG_AEAD])
			return fail(ext, tb[XFRMA_ALG_AEAD], -EINVAL,
				    "XFRMA_ALG_AEAD excludes XFRMA_ALG_CRYPT and XFRMA_ALG_AUTH");
		if (tb[XFRMA_TFCPAD] && p->mode != XFRM_MODE_TUNNEL)
			return fail(ext, tb[XFRMA_TFCPAD], -EINVAL, "TFC padding needs tunnel mode");
		return 0;
	case IPPROTO_COMP:
		return fail(ext, NULL, -EPROTONOSUPPORT, "IPComp is not supported");
	case IPPROTO_DSTOPTS:
	case IPPROTO_ROUTING:
		return fail(ext, NULL, -EPROTONOSUPPORT, "Mobile IPv6 states are not supported");
	default:
		xnl_ext_set(ext, NULL, "unsupported protocol %u", p->id.proto);
		return -EINVAL;
	}
}

static int verify_mode(uint8_t mode, struct xnl_extack *ext)
{
	switch (mode) {
	case XFRM_MODE_TRANSPORT:
	case XFRM_MODE_TUNNEL:
		return 0;
	case XFRM_MODE_BEET:
	case XFRM_MODE_ROUTEOPTIMIZATION:
	case XFRM_MODE_IN_TRIGGER:
		xnl_ext_set(ext, NULL, "mode %u is not supported (transport and tunnel are)", mode);
		return -EPROTONOSUPPORT;
	default:
		xnl_ext_set(ext, NULL, "invalid mode %u", mode);
		return -EINVAL;
	}
}

/* The kernel's verify_replay(). */
static int verify_replay(const struct xfrm_usersa_info *p, const struct nlattr **tb,
			 struct xnl_extack *ext)
{
	const struct nlattr *a = tb[XFRMA_REPLAY_ESN_VAL];
	const struct xfrm_replay_state_esn *rs;
	size_t len;

	if (!a) {
		if (p->flags & XFRM_STATE_ESN)
			return fail(ext, NULL, -EINVAL, "XFRM_STATE_ESN needs XFRMA_REPLAY_ESN_VAL");
		return 0;
	}
	rs = XFRMA_GET(tb, XFRMA_REPLAY_ESN_VAL, struct xfrm_replay_state_esn);
	len = mnl_attr_get_payload_len(a);
	if (rs->bmp_len > XFRMA_REPLAY_ESN_MAX / sizeof(rs->bmp[0]) / 8)
		return fail(ext, a, -EINVAL, "XFRMA_REPLAY_ESN_VAL: bmp_len too large");
	if (len < sizeof(*rs) + rs->bmp_len * sizeof(rs->bmp[0]) && len != sizeof(*rs))
		return fail(ext, a, -EINVAL, "XFRMA_REPLAY_ESN_VAL: shorter than its bitmap");
	if (rs->replay_window > rs->bmp_len * 32 && len != sizeof(*rs))
		return fail(ext, a, -EINVAL, "XFRMA_REPLAY_ESN_VAL: window larger than bitmap");
	if (p->replay_window != 0)
		return fail(ext, a, -EINVAL,
			    "XFRMA_REPLAY_ESN_VAL needs xfrm_usersa_info.replay_window 0");
	return 0;
}

static int verify_misc(const struct nlattr **tb, struct xnl_extack *ext)
{
	const struct xfrm_encap_tmpl *e = XFRMA_GET(tb, XFRMA_ENCAP, struct xfrm_encap_tmpl);
	const struct xfrm_user_sec_ctx *c = XFRMA_GET(tb, XFRMA_SEC_CTX, struct xfrm_user_sec_ctx);

	if (e && e->encap_type != UDP_ENCAP_ESPINUDP) {
		xnl_ext_set(ext, tb[XFRMA_ENCAP], "XFRMA_ENCAP: encapsulation type %u not supported "
			    "(UDP_ENCAP_ESPINUDP is)", e->encap_type);
		return -EINVAL;
	}
	if (c && (c->len != sizeof(*c) + c->ctx_len ||
		  mnl_attr_get_payload_len(tb[XFRMA_SEC_CTX]) < c->len))
		return fail(ext, tb[XFRMA_SEC_CTX], -EINVAL, "XFRMA_SEC_CTX: inconsistent lengths");
	if (tb[XFRMA_SET_MARK_MASK] && !tb[XFRMA_SET_MARK])
		return fail(ext, tb[XFRMA_SET_MARK_MASK], -EINVAL,
			    "XFRMA_SET_MARK_MASK without XFRMA_SET_MARK");
	return 0;
}

static int verify_newsa(const struct xfrm_usersa_info *p, const struct nlattr **tb,
			struct xnl_extack *ext)
{
	int err = verify_addresses(p, ext);

	if (!err)
		err = verify_proto(p, tb, ext);
	if (!err)
		err = verify_mode(p->mode, ext);
	if (!err)
		err = verify_replay(p, tb, ext);
	if (!err)
		err = verify_misc(tb, ext);
	return err;
}

/* ---- construct ---- */

static int set_algs(struct xfrm_sa *sa, const struct nlattr **tb, struct xnl_extack *ext)
{
	const char *msg = NULL;
	const struct nlattr *a;
	int err = 0;

	if ((a = tb[XFRMA_ALG_AEAD]))
		err = sa_set_aead(sa, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), &msg);
	if (!err && (a = tb[XFRMA_ALG_AUTH_TRUNC]))
		err = sa_set_auth_trunc(sa, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a),
					&msg);
	else if (!err && (a = tb[XFRMA_ALG_AUTH]))
		err = sa_set_auth(sa, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), &msg);
	if (!err && (a = tb[XFRMA_ALG_CRYPT]))
		err = sa_set_crypt(sa, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), &msg);
	if (err)
		xnl_ext_set(ext, a, "%s: %s", xfrma_name(mnl_attr_get_type(a)),
			    msg ? msg : "invalid algorithm");
	return err;
}

static void set_options(struct xfrm_sa *sa, const struct nlattr **tb, struct xnl_extack *ext)
{
	const struct xfrm_encap_tmpl *e = XFRMA_GET(tb, XFRMA_ENCAP, struct xfrm_encap_tmpl);
	const xfrm_address_t *co = XFRMA_GET(tb, XFRMA_COADDR, xfrm_address_t);
	const struct xfrm_mark *m = XFRMA_GET(tb, XFRMA_MARK, struct xfrm_mark);
	const struct xfrm_user_offload *off =
		XFRMA_GET(tb, XFRMA_OFFLOAD_DEV, struct xfrm_user_offload);

	if (e) {
		sa->has_encap = true;
		sa->encap = *e;
	}
	if (co) {
		sa->has_coaddr = true;
		sa->coaddr = *co;
	}
	if (m)
		sa->mark = *m;
	if (tb[XFRMA_SET_MARK]) {
		sa->has_smark = true;
		sa->smark.v = xfrma_u32(tb, XFRMA_SET_MARK, 0);
		sa->smark.m = xfrma_u32(tb, XFRMA_SET_MARK_MASK, 0xffffffff);
	}
	sa->tfcpad = xfrma_u32(tb, XFRMA_TFCPAD, 0);
	sa->if_id = xfrma_u32(tb, XFRMA_IF_ID, 0);
	sa->extra_flags = xfrma_u32(tb, XFRMA_SA_EXTRA_FLAGS, 0);
	sa->mtimer_thresh = xfrma_u32(tb, XFRMA_MTIMER_THRESH, 0);
	sa->replay_maxdiff = xfrma_u32(tb, XFRMA_REPLAY_THRESH, XFRMGW_AE_SEQT_SIZE);
	sa->replay_maxage = xfrma_u32(tb, XFRMA_ETIMER_THRESH, XFRMGW_AE_ETIME);
	if (off) {
		/* Kept, not used: the ack carries the warning (iproute2 prints it). */
		sa->has_offload = true;
		sa->offload = *off;
		xnl_ext_set(ext, NULL, "XFRMA_OFFLOAD_DEV: hardware offload is not supported, "
			    "the SA is processed in software");
	}
}

static int set_replay(struct xfrm_sa *sa, const struct xfrm_usersa_info *p,
		      const struct nlattr **tb, struct xnl_extack *ext)
{
	const struct xfrm_replay_state_esn *esn =
		XFRMA_GET(tb, XFRMA_REPLAY_ESN_VAL, struct xfrm_replay_state_esn);
	const struct xfrm_replay_state *legacy =
		XFRMA_GET(tb, XFRMA_REPLAY_VAL, struct xfrm_replay_state);
	const void *ltp = XFRMA_GET(tb, XFRMA_LTIME_VAL, struct xfrm_lifetime_cur);
	struct xfrm_lifetime_cur lt;
	int err;

	if (esn) {
		sa->has_replay_esn = true;
		sa->replay_esn_window = esn->replay_window;
		sa->replay_esn_bmp_len = esn->bmp_len;
	}
	err = sa_replay_setup(sa, esn ? esn->replay_window : p->replay_window, esn, legacy);
	if (err)
		return fail(ext, tb[XFRMA_REPLAY_ESN_VAL] ?: tb[XFRMA_REPLAY_VAL], err,
			    "replay state rejected");
	if (ltp) {
		/* Attributes are 4-byte aligned: copy before reading 64-bit fields. */
		memcpy(&lt, ltp, sizeof(lt));
		/* As the kernel's xfrm_update_ae_params(): counters and first use. */
		sa->curlft.bytes = lt.bytes;
		sa->curlft.packets = lt.packets;
		sa->curlft.use_time = lt.use_time;
	}
	return 0;
}

static const struct nlattr *alg_attr(const struct nlattr **tb)
{
	return tb[XFRMA_ALG_AEAD] ?: tb[XFRMA_ALG_CRYPT] ?: tb[XFRMA_ALG_AUTH_TRUNC] ?:
	       tb[XFRMA_ALG_AUTH];
}

static int construct_sa(const struct xfrm_usersa_info *p, const struct nlattr **tb,
			struct xnl_extack *ext, struct xfrm_sa **out)
{
	const struct xfrm_user_sec_ctx *ctx = XFRMA_GET(tb, XFRMA_SEC_CTX, struct xfrm_user_sec_ctx);
	struct xfrm_sa *sa = sa_alloc();
	char msg[sizeof(ext->buf)];
	int err;

	if (unlikely(!sa))
		return -ENOMEM;
	sa_set_usersa_info(sa, p);
	err = set_algs(sa, tb, ext);
	if (err)
		goto err_put;
	set_options(sa, tb, ext);
	if (ctx) {
		err = sa_set_sec_ctx(sa, ctx, ctx->len);
		if (err)
			goto err_put;
	}
	err = set_replay(sa, p, tb, ext);
	if (err)
		goto err_put;
	msg[0] = '\0';
	err = sa_crypto_bind(sa, msg, sizeof(msg));
	if (unlikely(err)) {
		xnl_ext_set(ext, alg_attr(tb), "%s", msg[0] ? msg : "algorithms rejected");
		goto err_put;
	}
	*out = sa;
	return 0;

err_put:
	sa_put(sa);
	return err;
}

/* ---- NEWSA / UPDSA ---- */

int xfrm_add_sa(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrm_usersa_info *p = mnl_nlmsg_get_payload(req->nlh);
	bool update = req->nlh->nlmsg_type == XFRM_MSG_UPDSA;
	struct xfrm_sa *sa, *now = NULL;
	int err;

	err = verify_newsa(p, tb, &req->ext);
	if (err)
		return err;
	err = construct_sa(p, tb, &req->ext, &sa);
	if (err)
		return err;
	if (update) {
		err = sad_update(x->sad, sa, &now);
	} else {
		err = sad_add(x->sad, sa);
		if (!err) {
			now = sa;
			sa_hold(now);
		}
	}
	sa_put(sa);
	if (err) {
		if (err == -EEXIST)
			xnl_ext_set(&req->ext, NULL, "SA already exists");
		else if (err == -ESRCH)
			xnl_ext_set(&req->ext, NULL, "no such SA to update");
		else if (!req->ext.msg)
			xnl_ext_set(&req->ext, NULL, "SA not accepted by the SAD");
		return err;
	}
	xfrm_notify_sa(x, now, req->nlh->nlmsg_type, req->nlh);
	sa_put(now);
	return 0;
}

/* ---- lookups: DELSA, GETSA ---- */

static int lookup_args(const struct xfrm_usersa_id *p, const struct nlattr **tb,
		       struct xnl_extack *ext)
{
	if (is_ipsec_proto(p->proto))
		return 0;
	/* Lookups by address are for Mobile IPv6 states, which we never hold. */
	if (!tb[XFRMA_SRCADDR])
		return fail(ext, NULL, -EINVAL, "lookup without SPI needs XFRMA_SRCADDR");
	return fail(ext, NULL, -ESRCH, "no such SA");
}

int xfrm_del_sa(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrm_usersa_id *p = mnl_nlmsg_get_payload(req->nlh);
	struct xfrm_sa *sa;
	int err = lookup_args(p, tb, &req->ext);

	if (err)
		return err;
	err = sad_delete(x->sad, &p->daddr, p->family, p->spi, p->proto, lookup_mark(tb),
			 xfrma_u32(tb, XFRMA_IF_ID, 0), &sa);
	if (err)
		return fail(&req->ext, NULL, err, "no such SA");
	xfrm_notify_sa(x, sa, XFRM_MSG_DELSA, req->nlh);
	sa_put(sa);
	return 0;
}

/* Answer a request with one message built by the caller into b. */
static int reply_msg(struct xnl_req *req, struct xnl_buf *b, struct nlmsghdr *nlh)
{
	int err = xnl_msg_end(b, nlh);

	if (!err)
		err = xnl_reply(req, b->data, b->len);
	xnl_buf_free(b);
	return err;
}

int xfrm_get_sa(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrm_usersa_id *p = mnl_nlmsg_get_payload(req->nlh);
	struct xfrm_sa *sa;
	struct xnl_buf b;
	int err = lookup_args(p, tb, &req->ext);

	if (err)
		return err;
	err = sad_get(x->sad, &p->daddr, p->family, p->spi, p->proto, lookup_mark(tb),
		      xfrma_u32(tb, XFRMA_IF_ID, 0), &sa);
	if (err)
		return fail(&req->ext, NULL, err, "no such SA");
	err = xnl_buf_alloc(&b, XFRMGW_NL_MSG_MAX);
	if (!err)
		err = reply_msg(req, &b, xfrm_put_sa_msg(&b, sa, XFRM_MSG_NEWSA, 0,
							req->nlh->nlmsg_seq, req->portid));
	sa_put(sa);
	return err;
}

/* ---- dump ---- */

struct sa_dump {
	struct xfrm_nl *x;
	struct sad_cursor cur;
	struct xfrm_address_filter filter;
};

static int dump_one_sa(struct xfrm_sa *sa, void *arg)
{
	struct xnl_dump *d = arg;
	struct nlmsghdr *nlh = xfrm_put_sa_msg(&d->page, sa, XFRM_MSG_NEWSA, NLM_F_MULTI,
					       d->seq, d->portid);

	return xnl_dump_commit(d, nlh) ? 0 : 1;
}

static int dump_sa(struct xnl_dump *d)
{
	struct sa_dump *s = d->filter;

	return sad_walk(s->x->sad, &s->cur, dump_one_sa, d);
}

static void dump_sa_done(struct xnl_dump *d)
{
	struct sa_dump *s = d->filter;

	if (s) {
		sad_cursor_done(s->x->sad, &s->cur);
		free(s);
	}
}

/*
 * Dump filters follow the netlink header directly (no fixed header), as
 * `ip xfrm state list` sends them. A body that is not attributes at all
 * (an old client's padding) means no filter, as the kernel reads it.
 */
static bool dump_has_attrs(const struct nlmsghdr *nlh)
{
	const struct nlattr *a = mnl_nlmsg_get_payload(nlh);

	return mnl_attr_ok(a, (int)mnl_nlmsg_get_payload_len(nlh));
}

int xfrm_dump_sa_start(struct xfrm_nl *x, struct xnl_req *req)
{
	const struct nlattr *tb[XFRMA_MAX + 1] = { 0 };
	const struct xfrm_address_filter *f;
	struct xnl_dump d = { .fn = dump_sa, .done = dump_sa_done };
	struct sa_dump *s;
	int err;

	if (dump_has_attrs(req->nlh)) {
		err = xfrma_parse(&xfrma_table, req->nlh, 0, tb, &req->ext);
		if (err)
			return err;
	}
	s = calloc(1, sizeof(*s));
	if (unlikely(!s))
		return -ENOMEM;
	s->x = x;
	f = XFRMA_GET(tb, XFRMA_ADDRESS_FILTER, struct xfrm_address_filter);
	if (f)
		s->filter = *f;
	sad_cursor_init(&s->cur, xfrma_u8(tb, XFRMA_PROTO, 0), f ? &s->filter : NULL);
	d.filter = s;
	err = xnl_dump_start(req, &d);
	if (err) {
		free(s);
		return fail(&req->ext, NULL, err, "a dump is already running on this socket");
	}
	return XNL_DUMP_STARTED;
}

/* ---- FLUSHSA, ALLOCSPI ---- */

int xfrm_flush_sa(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrm_usersa_flush *p = mnl_nlmsg_get_payload(req->nlh);

	(void)tb;
	sad_flush(x->sad, p->proto);
	xfrm_notify_sa_flush(x, p->proto, req->nlh);
	return 0;
}

int xfrm_alloc_spi(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrm_userspi_info *p = mnl_nlmsg_get_payload(req->nlh);
	const struct xfrm_mark *m = XFRMA_GET(tb, XFRMA_MARK, struct xfrm_mark);
	struct xfrm_mark mark = m ? *m : (struct xfrm_mark){ 0 };
	const char *msg = NULL;
	struct xfrm_sa *sa;
	struct xnl_buf b;
	int err;

	switch (p->info.id.proto) {
	case IPPROTO_AH:
	case IPPROTO_ESP:
		if (p->min > p->max)
			return fail(&req->ext, NULL, -EINVAL, "SPI range: min above max");
		break;
	case IPPROTO_COMP:
		return fail(&req->ext, NULL, -EPROTONOSUPPORT, "IPComp is not supported");
	default:
		xnl_ext_set(&req->ext, NULL, "no SPIs for protocol %u", p->info.id.proto);
		return -EINVAL;
	}
	if (p->info.family != AF_INET && p->info.family != AF_INET6) {
		xnl_ext_set(&req->ext, NULL, "invalid address family %u", p->info.family);
		return -EINVAL;
	}
	err = sad_alloc_spi(x->sad, p, &mark, xfrma_u32(tb, XFRMA_IF_ID, 0), &sa, &msg);
	if (err)
		return fail(&req->ext, NULL, err, msg ? msg : "no SPI allocated");
	err = xnl_buf_alloc(&b, XFRMGW_NL_MSG_MAX);
	if (!err)
		err = reply_msg(req, &b, xfrm_put_sa_msg(&b, sa, XFRM_MSG_NEWSA, 0,
							req->nlh->nlmsg_seq, req->portid));
	sa_put(sa);
	return err;
}

/* ---- GETAE / NEWAE ---- */

static int ae_lookup(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb,
		     struct xfrm_sa **sa)
{
	const struct xfrm_aevent_id *p = mnl_nlmsg_get_payload(req->nlh);
	int err = sad_get(x->sad, &p->sa_id.daddr, p->sa_id.family, p->sa_id.spi,
			  p->sa_id.proto, lookup_mark(tb), xfrma_u32(tb, XFRMA_IF_ID, 0), sa);

	return err ? fail(&req->ext, NULL, err, "no such SA") : 0;
}

int xfrm_get_ae(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrm_aevent_id *p = mnl_nlmsg_get_payload(req->nlh);
	struct xfrm_sa *sa;
	struct xnl_buf b;
	int err = ae_lookup(x, req, tb, &sa);

	if (err)
		return err;
	err = xnl_buf_alloc(&b, XFRMGW_NL_MSG_MAX);
	if (!err)
		err = reply_msg(req, &b, xfrm_put_ae_msg(&b, sa, p->flags, req->nlh->nlmsg_seq,
							req->portid));
	sa_put(sa);
	return err;
}

/* NEWAE: restore replay state, counters and thresholds (HA sync). */
static int apply_ae(struct xfrm_sa *sa, const struct nlattr **tb, struct xnl_extack *ext)
{
	const struct xfrm_replay_state_esn *re =
		XFRMA_GET(tb, XFRMA_REPLAY_ESN_VAL, struct xfrm_replay_state_esn);
	const struct xfrm_replay_state *rp = XFRMA_GET(tb, XFRMA_REPLAY_VAL, struct xfrm_replay_state);
	const void *ltp = XFRMA_GET(tb, XFRMA_LTIME_VAL, struct xfrm_lifetime_cur);
	struct xfrm_lifetime_cur lt;

	if (re) {
		size_t len = mnl_attr_get_payload_len(tb[XFRMA_REPLAY_ESN_VAL]);

		if (!sa->replay || !sa->has_replay_esn ||
		    len < sizeof(*re) + re->bmp_len * sizeof(re->bmp[0]) ||
		    sa_replay_import_esn(sa->replay, re))
			return fail(ext, tb[XFRMA_REPLAY_ESN_VAL], -EINVAL,
				    "XFRMA_REPLAY_ESN_VAL does not fit the SA's window");
		__atomic_store_n(&sa->oseq, (uint64_t)re->oseq_hi << 32 | re->oseq, __ATOMIC_RELAXED);
	} else if (rp) {
		if (sa->has_replay_esn)
			return fail(ext, tb[XFRMA_REPLAY_VAL], -EINVAL,
				    "the SA keeps an ESN window: use XFRMA_REPLAY_ESN_VAL");
		if (sa->replay)
			sa_replay_import_legacy(sa->replay, rp);
		__atomic_store_n(&sa->oseq, rp->oseq, __ATOMIC_RELAXED);
	}
	if (ltp) {
		memcpy(&lt, ltp, sizeof(lt));	/* 4-byte aligned attribute */
		__atomic_store_n(&sa->curlft.bytes, lt.bytes, __ATOMIC_RELAXED);
		__atomic_store_n(&sa->curlft.packets, lt.packets, __ATOMIC_RELAXED);
		__atomic_store_n(&sa->curlft.use_time, lt.use_time, __ATOMIC_RELAXED);
	}
	if (tb[XFRMA_REPLAY_THRESH])
		sa->replay_maxdiff = xfrma_u32(tb, XFRMA_REPLAY_THRESH, 0);
	if (tb[XFRMA_ETIMER_THRESH])
		sa->replay_maxage = xfrma_u32(tb, XFRMA_ETIMER_THRESH, 0);
	return 0;
}

int xfrm_new_ae(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	struct xfrm_sa *sa;
	int err;

	if (!tb[XFRMA_REPLAY_VAL] && !tb[XFRMA_REPLAY_ESN_VAL] && !tb[XFRMA_LTIME_VAL] &&
	    !tb[XFRMA_ETIMER_THRESH] && !tb[XFRMA_REPLAY_THRESH])
		return fail(&req->ext, NULL, -EINVAL, "NEWAE carries no replay or lifetime value");
	if (!(req->nlh->nlmsg_flags & NLM_F_REPLACE))
		return fail(&req->ext, NULL, -EINVAL, "NEWAE needs NLM_F_REPLACE");
	err = ae_lookup(x, req, tb, &sa);
	if (err)
		return err;
	if (!sa_is_valid(sa))
		err = fail(&req->ext, NULL, -EINVAL, "SA is not valid");
	else
		err = apply_ae(sa, tb, &req->ext);
	if (!err) {
		sad_aevent_sync(x->sad, sa);
		xfrm_notify_ae(x, sa, XFRM_AE_CU, req->nlh);
	}
	sa_put(sa);
	return err;
}

/* ---- GETSADINFO, EXPIRE ---- */

int xfrm_get_sadinfo(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const uint32_t *flags = mnl_nlmsg_get_payload(req->nlh);
	struct sad_info info;
	struct xfrmu_sadhinfo h;
	struct nlmsghdr *nlh;
	struct xnl_buf b;
	int err;

	(void)tb;
	sad_get_info(x->sad, &info);
	h.sadhcnt = info.sadhcnt;
	h.sadhmcnt = info.sadhmcnt;
	err = xnl_buf_alloc(&b, 256);
	if (err)
		return err;
	nlh = xnl_msg_start(&b, XFRM_MSG_NEWSADINFO, 0, req->nlh->nlmsg_seq, req->portid,
			    flags, sizeof(*flags));
	xnl_attr_put_u32(&b, nlh, XFRMA_SAD_CNT, info.sadcnt);
	xnl_attr_put(&b, nlh, XFRMA_SAD_HINFO, sizeof(h), &h);
	return reply_msg(req, &b, nlh);
}

int xfrm_add_sa_expire(struct xfrm_nl *x, struct xnl_req *req, const struct nlattr **tb)
{
	const struct xfrm_user_expire *ue = mnl_nlmsg_get_payload(req->nlh);
	const struct xfrm_usersa_info *p = &ue->state;
	struct xfrm_sa *sa;
	int err;

	err = sad_get(x->sad, &p->id.daddr, p->family, p->id.spi, p->id.proto, lookup_mark(tb),
		      xfrma_u32(tb, XFRMA_IF_ID, 0), &sa);
	if (err)
		return fail(&req->ext, NULL, -ENOENT, "no such SA");
	err = sad_expire(x->sad, sa, ue->hard);
	if (err == -EINVAL)
		xnl_ext_set(&req->ext, NULL, "SA is not valid");
	sa_put(sa);
	return err;
}
