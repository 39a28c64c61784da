/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The XFRM netlink server driven in-process: clients are socketpair()
 * ends speaking shim_proto.h, the server runs on the same thread
 * (xnl_server_process after each send). Covers every message type, the
 * attribute policy (truncated, short, oversized, unknown attributes), the
 * attribute combinations verify_newsa refuses, each with its errno and
 * extack text, dump pagination, multicast delivery by group, NEWAE
 * events from the replay thresholds, xfrmgw's own drop counters message, and
 * a long dump that leaves room for another client's request.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <rte_eal.h>
#include <rte_memory.h>

#include "cryptoapi/crypto.h"
#include "netlink/server.h"
#include "netlink/shim_proto.h"
#include "netlink/xfrm_netlink.h"
#include "sa/rcu.h"
#include "sa/sad.h"
#include "sa/spd.h"

#define BUF 70000

struct client {
	int fd;
	uint32_t nl_pid;
	uint32_t seq;
};

struct fx {
	struct sa_rcu *rcu;
	struct sad *sad;
	struct spd *spd;
	struct xnl_server *srv;
	struct xfrm_nl *xnl;
	struct client a, b;
};

/* A received netlink reply, split from its frame. */
struct frame {
	uint16_t type;
	uint32_t group;
	size_t len;
	uint8_t data[BUF];
};

static int eal_ready;

/* ---- plumbing ---- */

static void send_frame(int fd, uint16_t type, const void *p, size_t len)
{
	uint8_t buf[BUF];
	struct xfrmgw_shim_hdr h = { .type = type };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), p, len);
	assert_int_equal(send(fd, buf, sizeof(h) + len, 0), (ssize_t)(sizeof(h) + len));
}

/* Next frame for this client, or false if none is waiting. */
static bool recv_frame(struct fx *f, struct client *c, struct frame *out)
{
	uint8_t buf[BUF];
	struct xfrmgw_shim_hdr h;
	ssize_t n;

	xnl_server_process(f->srv);
	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < (ssize_t)sizeof(h))
		return false;
	memcpy(&h, buf, sizeof(h));
	out->type = h.type;
	out->group = h.group;
	out->len = (size_t)n - sizeof(h);
	memcpy(out->data, buf + sizeof(h), out->len);
	return true;
}

/* sndbuf: the server end's send buffer (0: default); true if it could be set. */
static bool connect_client_buf(struct fx *f, struct client *c, uint32_t pid, uint32_t groups,
			       int sndbuf)
{
	struct xfrmgw_shim_hello h = { XFRMGW_SHIM_VERSION, NETLINK_XFRM, pid, 0, groups };
	struct xfrmgw_shim_opt o = { NETLINK_EXT_ACK, 1 };
	struct xfrmgw_shim_welcome w;
	struct frame *fr = malloc(sizeof(*fr));
	int sv[2];

	bool set = false;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	if (sndbuf)	/* beyond wmem_max needs CAP_NET_ADMIN */
		set = !setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	assert_int_equal(xnl_server_attach(f->srv, sv[0]), 0);
	c->fd = sv[1];
	send_frame(c->fd, XFRMGW_SHIM_HELLO, &h, sizeof(h));
	assert_true(recv_frame(f, c, fr));
	assert_int_equal(fr->type, XFRMGW_SHIM_WELCOME);
	memcpy(&w, fr->data, sizeof(w));
	assert_int_equal(w.error, 0);
	c->nl_pid = w.nl_pid;
	send_frame(c->fd, XFRMGW_SHIM_SETOPT, &o, sizeof(o));
	free(fr);
	return set;
}

static void connect_client(struct fx *f, struct client *c, uint32_t pid, uint32_t groups)
{
	connect_client_buf(f, c, pid, groups, 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sad_config sc = { .name = "t_sad", .max_sa = 4096, .socket_id = SOCKET_ID_ANY };
	struct spd_config pc = { .name = "t_spd", .max_rules = 4096, .socket_id = SOCKET_ID_ANY };
	static unsigned int gen;
	char sadname[32], spdname[32];

	if (!eal_ready) {
		char *argv[] = { "test_xfrm_nl", "--no-huge", "--no-shconf", "--no-pci",
				 "--no-telemetry", "-l", "0", "--log-level=error", NULL };

		if (rte_eal_init(8, argv) < 0 || crypto_init())
			return -1;
		eal_ready = 1;
	}
	snprintf(sadname, sizeof(sadname), "t_sad%u", gen);
	snprintf(spdname, sizeof(spdname), "t_spd%u", gen++);
	sc.name = sadname;
	pc.name = spdname;
	f->rcu = sa_rcu_create(4);
	sc.rcu = pc.rcu = f->rcu;
	f->sad = sad_create(&sc);
	f->spd = spd_create(&pc);
	if (!f->sad || !f->spd || xnl_server_open(&f->srv, NULL, 0600))
		return -1;
	f->xnl = xfrm_nl_create(f->srv, f->sad, f->spd);
	connect_client(f, &f->a, 1000, 0);
	connect_client(f, &f->b, 2000, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	close(f->a.fd);
	close(f->b.fd);
	xnl_server_close(f->srv);
	xfrm_nl_destroy(f->xnl);
	spd_destroy(f->spd);
	sad_destroy(f->sad);
	sa_rcu_destroy(f->rcu);
	free(f);
	return 0;
}

/* ---- message building ---- */

static struct nlmsghdr *msg_start(void *buf, struct client *c, uint16_t type, uint16_t flags,
				  const void *hdr, size_t hdrlen)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++c->seq;
	nlh->nlmsg_pid = c->nl_pid;
	if (hdrlen)
		memcpy(mnl_nlmsg_put_extra_header(nlh, hdrlen), hdr, hdrlen);
	return nlh;
}

static void send_msg(struct client *c, const struct nlmsghdr *nlh)
{
	send_frame(c->fd, XFRMGW_SHIM_DATA, nlh, nlh->nlmsg_len);
}

static void addr4(xfrm_address_t *a, uint32_t host)
{
	memset(a, 0, sizeof(*a));
	a->a4 = htonl(host);
}

static struct xfrm_usersa_info sa_info(uint32_t spi)
{
	struct xfrm_usersa_info p;

	memset(&p, 0, sizeof(p));
	addr4(&p.id.daddr, 0x0a000002);
	addr4(&p.saddr, 0x0a000001);
	p.id.spi = htonl(spi);
	p.id.proto = IPPROTO_ESP;
	p.family = AF_INET;
	p.mode = XFRM_MODE_TUNNEL;
	p.reqid = 7;
	p.lft.soft_byte_limit = p.lft.hard_byte_limit = XFRM_INF;
	p.lft.soft_packet_limit = p.lft.hard_packet_limit = XFRM_INF;
	return p;
}

static void put_gcm(struct nlmsghdr *nlh, const char *name)
{
	uint8_t b[sizeof(struct xfrm_algo_aead) + 20];
	struct xfrm_algo_aead *a = (void *)b;

	memset(b, 0, sizeof(b));
	snprintf(a->alg_name, sizeof(a->alg_name), "%s", name);
	a->alg_key_len = 160;
	a->alg_icv_len = 128;
	for (int i = 0; i < 20; i++)
		a->alg_key[i] = (uint8_t)(i + 1);
	mnl_attr_put(nlh, XFRMA_ALG_AEAD, sizeof(b), b);
}

static void put_cbc(struct nlmsghdr *nlh)
{
	uint8_t b[sizeof(struct xfrm_algo) + 16] = { 0 };
	struct xfrm_algo *a = (void *)b;

	strcpy(a->alg_name, "cbc(aes)");
	a->alg_key_len = 128;
	mnl_attr_put(nlh, XFRMA_ALG_CRYPT, sizeof(b), b);
}

static void put_hmac(struct nlmsghdr *nlh)
{
	uint8_t b[sizeof(struct xfrm_algo_auth) + 32] = { 0 };
	struct xfrm_algo_auth *a = (void *)b;

	strcpy(a->alg_name, "hmac(sha256)");
	a->alg_key_len = 256;
	a->alg_trunc_len = 128;
	mnl_attr_put(nlh, XFRMA_ALG_AUTH_TRUNC, sizeof(b), b);
}

/* ---- reading replies ---- */

struct ack {
	int error;
	bool capped;
	const char *msg;	/* points into msgbuf; fixed up by the caller's copy */
	int offs;		/* -1 if absent */
	char msgbuf[256];
};

static int ack_attr(const struct nlattr *a, void *data)
{
	struct ack *k = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG) {
		snprintf(k->msgbuf, sizeof(k->msgbuf), "%s", mnl_attr_get_str(a));
		k->msg = k->msgbuf;
	} else if (mnl_attr_get_type(a) == NLMSGERR_ATTR_OFFS) {
		k->offs = (int)mnl_attr_get_u32(a);
	}
	return MNL_CB_OK;
}

/* The ack that answers the last request (skipping anything before it). */
static struct ack get_ack(struct fx *f, struct client *c)
{
	struct frame *fr = malloc(sizeof(*fr));
	struct ack k = { .offs = -1 };

	while (recv_frame(f, c, fr)) {
		struct nlmsghdr *nlh = (void *)fr->data;
		struct nlmsgerr *e;
		size_t off;

		if (fr->type != XFRMGW_SHIM_DATA || nlh->nlmsg_type != NLMSG_ERROR)
			continue;
		e = mnl_nlmsg_get_payload(nlh);
		assert_int_equal(nlh->nlmsg_seq, c->seq);
		assert_int_equal(nlh->nlmsg_pid, c->nl_pid);
		k.error = -e->error;
		k.capped = nlh->nlmsg_flags & NLM_F_CAPPED;
		off = sizeof(*e) + (k.capped ? 0 : e->msg.nlmsg_len - sizeof(e->msg));
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
			mnl_attr_parse(nlh, (unsigned int)MNL_ALIGN(off), ack_attr, &k);
		free(fr);
		return k;
	}
	free(fr);
	fail_msg("no ack");
	return k;
}

/* Send and expect an errno (0: ack) with an extack containing text. */
static void expect(struct fx *f, struct nlmsghdr *nlh, int err, const char *text, int offs)
{
	struct ack k;

	nlh->nlmsg_flags |= NLM_F_ACK;
	send_msg(&f->a, nlh);
	k = get_ack(f, &f->a);
	if (k.msg)
		k.msg = k.msgbuf;
	if (k.error != err)
		print_error("errno %d, wanted %d (%s)\n", k.error, err, k.msg ? k.msg : "no message");
	assert_int_equal(k.error, err);
	if (text) {
		assert_non_null(k.msg);
		if (!strstr(k.msg, text))
			print_error("extack \"%s\" lacks \"%s\"\n", k.msg, text);
		assert_non_null(strstr(k.msg, text));
	}
	if (offs >= 0)
		assert_int_equal(k.offs, offs);
}

static void add_gcm_sa(struct fx *f, uint32_t spi)
{
	uint8_t buf[1024];
	struct xfrm_usersa_info p = sa_info(spi);
	struct nlmsghdr *nlh = msg_start(buf, &f->a, XFRM_MSG_NEWSA, 0, &p, sizeof(p));

	put_gcm(nlh, "rfc4106(gcm(aes))");
	expect(f, nlh, 0, NULL, -1);
}

/* Drain a client; returns how many frames it had. */
static int drain(struct fx *f, struct client *c)
{
	struct frame *fr = malloc(sizeof(*fr));
	int n = 0;

	while (recv_frame(f, c, fr))
		n++;
	free(fr);
	return n;
}

/* ---- tests ---- */

static void test_hello(void **state)
{
	struct fx *f = *state;
	struct xfrmgw_shim_hello h = { XFRMGW_SHIM_VERSION, NETLINK_CRYPTO, 3000, 0, 0 };
	struct xfrmgw_shim_welcome w;
	struct client c;
	struct frame *fr = malloc(sizeof(*fr));
	int sv[2];

	assert_int_equal(f->a.nl_pid, 1000);
	assert_int_equal(f->b.nl_pid, 2000);
	/* The same pid again: an automatic port id. */
	connect_client(f, &c, 1000, 0);
	assert_int_not_equal(c.nl_pid, 1000);
	assert_int_not_equal(c.nl_pid, 0);
	close(c.fd);
	/* A protocol nobody serves. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(xnl_server_attach(f->srv, sv[0]), 0);
	send_frame(sv[1], XFRMGW_SHIM_HELLO, &h, sizeof(h));
	assert_true(recv_frame(f, &(struct client){ .fd = sv[1] }, fr));
	memcpy(&w, fr->data, sizeof(w));
	assert_int_equal(w.error, -EPROTONOSUPPORT);
	close(sv[1]);
	free(fr);
}

static void test_sa_lifecycle(void **state)
{
	struct fx *f = *state;
	uint8_t buf[1024];
	struct xfrm_usersa_id id = { .spi = htonl(0x1000), .family = AF_INET,
				     .proto = IPPROTO_ESP };
	struct frame *fr = malloc(sizeof(*fr));
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	bool key_seen = false;

	add_gcm_sa(f, 0x1000);
	addr4(&id.daddr, 0x0a000002);
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETSA, 0, &id, sizeof(id));
	send_msg(&f->a, nlh);
	assert_true(recv_frame(f, &f->a, fr));
	nlh = (void *)fr->data;
	assert_int_equal(nlh->nlmsg_type, XFRM_MSG_NEWSA);
	assert_int_equal(nlh->nlmsg_seq, f->a.seq);
	assert_int_equal(nlh->nlmsg_pid, f->a.nl_pid);
	mnl_attr_for_each(a, nlh, sizeof(struct xfrm_usersa_info)) {
		if (mnl_attr_get_type(a) == XFRMA_ALG_AEAD) {
			const struct xfrm_algo_aead *g = mnl_attr_get_payload(a);

			assert_string_equal(g->alg_name, "rfc4106(gcm(aes))");
			assert_int_equal(g->alg_key[19], 20);	/* keys come back (charon needs them) */
			key_seen = true;
		}
	}
	assert_true(key_seen);
	nlh = msg_start(buf, &f->a, XFRM_MSG_DELSA, 0, &id, sizeof(id));
	expect(f, nlh, 0, NULL, -1);
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETSA, 0, &id, sizeof(id));
	expect(f, nlh, ESRCH, "no such SA", -1);
	nlh = msg_start(buf, &f->a, XFRM_MSG_DELSA, 0, &id, sizeof(id));
	expect(f, nlh, ESRCH, "no such SA", -1);
	free(fr);
}

/* One bad NEWSA per row: what to break, errno, extack text. */
enum breakage {
	B_DUP, B_NO_ALG, B_AEAD_AND_CRYPT, B_AH_CRYPT, B_UNKNOWN_ALG, B_TRUNCATED,
	B_U32_TOO_LONG, B_STRUCT_TOO_SHORT, B_UNKNOWN_ATTR, B_TFC_TRANSPORT, B_ESN_NO_ATTR,
	B_FAMILY, B_SHORT_HEADER, B_BEET, B_ENCAP_AH, B_COMP, B_ENCAP_TYPE, B_PREFIX,
	B_SEC_CTX_LEN, B_KEY_SHORT, B_CBC_HMAC_OK, B_OFFLOAD_WARN,
};

static const struct {
	enum breakage what;
	int err;
	const char *text;
	bool has_offs;
} bad_newsa[] = {
	{ B_DUP, EEXIST, "already exists", false },
	{ B_NO_ALG, EINVAL, "ESP needs", false },
	{ B_AEAD_AND_CRYPT, EINVAL, "XFRMA_ALG_AEAD excludes", true },
	{ B_AH_CRYPT, EINVAL, "AH takes an authentication algorithm only", true },
	{ B_UNKNOWN_ALG, ENOSYS, "XFRMA_ALG_AEAD", true },
	{ B_TRUNCATED, EINVAL, "truncated attribute", false },
	{ B_U32_TOO_LONG, EINVAL, "XFRMA_TFCPAD: must be 4 bytes, got 8", true },
	{ B_STRUCT_TOO_SHORT, EINVAL, "XFRMA_MARK: needs at least 8 bytes, got 4", true },
	{ B_UNKNOWN_ATTR, EINVAL, "unknown attribute type 60", true },
	{ B_TFC_TRANSPORT, EINVAL, "TFC padding needs tunnel mode", true },
	{ B_ESN_NO_ATTR, EINVAL, "XFRM_STATE_ESN needs XFRMA_REPLAY_ESN_VAL", false },
	{ B_FAMILY, EINVAL, "invalid address family 99", false },
	{ B_SHORT_HEADER, EINVAL, "NEWSA: message shorter than its", false },
	{ B_BEET, EPROTONOSUPPORT, "mode 4 is not supported", false },
	{ B_ENCAP_AH, EINVAL, "UDP encapsulation is ESP only", true },
	{ B_COMP, EPROTONOSUPPORT, "IPComp is not supported", false },
	{ B_ENCAP_TYPE, EINVAL, "encapsulation type 7 not supported", true },
	{ B_PREFIX, EINVAL, "prefix length", false },
	{ B_SEC_CTX_LEN, EINVAL, "XFRMA_SEC_CTX: inconsistent lengths", true },
	{ B_KEY_SHORT, EINVAL, "XFRMA_ALG_CRYPT", true },
	{ B_CBC_HMAC_OK, 0, NULL, false },
	{ B_OFFLOAD_WARN, 0, "hardware offload is not supported", false },
};

static struct nlmsghdr *build_bad(struct fx *f, void *buf, enum breakage what, int *offs)
{
	struct xfrm_usersa_info p = sa_info(0x2000 + what);
	struct nlmsghdr *nlh;
	uint64_t eight = 0;
	uint32_t four = 0;

	*offs = -1;
	if (what == B_TFC_TRANSPORT)
		p.mode = XFRM_MODE_TRANSPORT;
	if (what == B_ESN_NO_ATTR)
		p.flags |= XFRM_STATE_ESN;
	if (what == B_FAMILY)
		p.family = 99;
	if (what == B_BEET)
		p.mode = XFRM_MODE_BEET;
	if (what == B_AH_CRYPT || what == B_ENCAP_AH)
		p.id.proto = IPPROTO_AH;
	if (what == B_COMP)
		p.id.proto = IPPROTO_COMP;
	if (what == B_PREFIX) {
		p.sel.family = AF_INET;
		p.sel.prefixlen_d = 33;
	}
	if (what == B_DUP)
		add_gcm_sa(f, 0x2000 + what);
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWSA, 0, &p,
			what == B_SHORT_HEADER ? sizeof(p) - 8 : sizeof(p));
	if (what == B_SHORT_HEADER)
		return nlh;
	if (what == B_AH_CRYPT || what == B_ENCAP_AH || what == B_CBC_HMAC_OK)
		put_hmac(nlh);
	if (what == B_NO_ALG || what == B_AH_CRYPT || what == B_ENCAP_AH || what == B_CBC_HMAC_OK) {
		/* no AEAD */
	} else if (what == B_UNKNOWN_ALG)
		*offs = (int)nlh->nlmsg_len, put_gcm(nlh, "rfc4106(gcm(serpent))");
	else
		*offs = (int)nlh->nlmsg_len, put_gcm(nlh, "rfc4106(gcm(aes))");
	if (what == B_AEAD_AND_CRYPT)
		put_cbc(nlh);
	if (what == B_AH_CRYPT || what == B_CBC_HMAC_OK) {
		*offs = (int)nlh->nlmsg_len;
		put_cbc(nlh);
	}
	if (what == B_U32_TOO_LONG)
		*offs = (int)nlh->nlmsg_len, mnl_attr_put(nlh, XFRMA_TFCPAD, 8, &eight);
	if (what == B_STRUCT_TOO_SHORT)
		*offs = (int)nlh->nlmsg_len, mnl_attr_put(nlh, XFRMA_MARK, 4, &four);
	if (what == B_UNKNOWN_ATTR)
		*offs = (int)nlh->nlmsg_len, mnl_attr_put(nlh, 60, 4, &four);
	if (what == B_TFC_TRANSPORT)
		*offs = (int)nlh->nlmsg_len, mnl_attr_put_u32(nlh, XFRMA_TFCPAD, 64);
	if (what == B_ENCAP_AH || what == B_ENCAP_TYPE) {
		struct xfrm_encap_tmpl e = { .encap_type = what == B_ENCAP_TYPE ? 7 : 2,
					     .encap_sport = htons(4500), .encap_dport = htons(4500) };

		*offs = (int)nlh->nlmsg_len;
		mnl_attr_put(nlh, XFRMA_ENCAP, sizeof(e), &e);
	}
	if (what == B_SEC_CTX_LEN) {
		struct xfrm_user_sec_ctx c = { .len = 99, .ctx_len = 4 };

		*offs = (int)nlh->nlmsg_len;
		mnl_attr_put(nlh, XFRMA_SEC_CTX, sizeof(c), &c);
	}
	if (what == B_KEY_SHORT) {
		/* cbc(aes) promising 128 key bits but carrying 4 bytes. */
		uint8_t b[sizeof(struct xfrm_algo) + 4] = { 0 };
		struct xfrm_algo *a = (void *)b;

		nlh = msg_start(buf, &f->a, XFRM_MSG_NEWSA, 0, &p, sizeof(p));
		strcpy(a->alg_name, "cbc(aes)");
		a->alg_key_len = 128;
		*offs = (int)nlh->nlmsg_len;
		mnl_attr_put(nlh, XFRMA_ALG_CRYPT, sizeof(b), b);
		put_hmac(nlh);
	}
	if (what == B_OFFLOAD_WARN) {
		struct xfrm_user_offload o = { .ifindex = 1 };

		mnl_attr_put(nlh, XFRMA_OFFLOAD_DEV, sizeof(o), &o);
	}
	if (what == B_TRUNCATED) {
		struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

		mnl_attr_put_u32(nlh, XFRMA_IF_ID, 5);
		a->nla_len = 40;	/* claims more than the message holds */
	}
	return nlh;
}

static void test_newsa_errors(void **state)
{
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(bad_newsa) / sizeof(bad_newsa[0]); i++) {
		uint8_t buf[2048];
		int offs;
		struct nlmsghdr *nlh = build_bad(f, buf, bad_newsa[i].what, &offs);

		print_message("row %zu: errno %d \"%s\"\n", i, bad_newsa[i].err,
			      bad_newsa[i].text ? bad_newsa[i].text : "");
		expect(f, nlh, bad_newsa[i].err, bad_newsa[i].text, bad_newsa[i].has_offs ? offs : -1);
	}
}

static void test_other_errors(void **state)
{
	struct fx *f = *state;
	uint8_t buf[1024];
	struct xfrm_usersa_info p = sa_info(0x3000);
	struct xfrm_userspi_info spi = { .info = sa_info(0), .min = 10, .max = 5 };
	struct nlmsghdr *nlh;
	uint32_t flags = 0;

	nlh = msg_start(buf, &f->a, XFRM_MSG_UPDSA, 0, &p, sizeof(p));
	put_gcm(nlh, "rfc4106(gcm(aes))");
	expect(f, nlh, ESRCH, "no such SA to update", -1);
	nlh = msg_start(buf, &f->a, 0x7f, 0, NULL, 0);
	expect(f, nlh, EINVAL, "unknown XFRM message type", -1);
	nlh = msg_start(buf, &f->a, XFRM_MSG_ACQUIRE, 0, NULL, 0);
	expect(f, nlh, EOPNOTSUPP, "ACQUIRE from user space", -1);
	nlh = msg_start(buf, &f->a, XFRM_MSG_MAPPING, 0, &flags, sizeof(flags));
	expect(f, nlh, EINVAL, "kernel to user only", -1);
	nlh = msg_start(buf, &f->a, XFRM_MSG_ALLOCSPI, 0, &spi, sizeof(spi));
	expect(f, nlh, EINVAL, "min above max", -1);
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWAE, 0, &(struct xfrm_aevent_id){ 0 },
			sizeof(struct xfrm_aevent_id));
	expect(f, nlh, EINVAL, "NEWAE carries no replay or lifetime value", -1);
	/* A control message is skipped: acked with 0 when asked. */
	nlh = msg_start(buf, &f->a, NLMSG_NOOP, 0, NULL, 0);
	expect(f, nlh, 0, NULL, -1);
}

static void test_ack_flags(void **state)
{
	struct fx *f = *state;
	struct xfrmgw_shim_opt cap = { NETLINK_CAP_ACK, 1 }, noext = { NETLINK_EXT_ACK, 0 };
	uint8_t buf[1024];
	struct xfrm_usersa_id id = { .spi = htonl(0x9999), .family = AF_INET,
				     .proto = IPPROTO_ESP };
	struct nlmsghdr *nlh;
	struct ack k;

	/* Default (as set up): the request is echoed, TLVs present. */
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETSA, 0, &id, sizeof(id));
	send_msg(&f->a, nlh);
	k = get_ack(f, &f->a);
	assert_int_equal(k.error, ESRCH);
	assert_false(k.capped);
	assert_non_null(k.msg);
	assert_string_equal(k.msgbuf, "no such SA");
	send_frame(f->a.fd, XFRMGW_SHIM_SETOPT, &cap, sizeof(cap));
	send_frame(f->a.fd, XFRMGW_SHIM_SETOPT, &noext, sizeof(noext));
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETSA, 0, &id, sizeof(id));
	send_msg(&f->a, nlh);
	k = get_ack(f, &f->a);
	assert_int_equal(k.error, ESRCH);
	assert_true(k.capped);
	assert_null(k.msg);
}

static void test_dump_pagination(void **state)
{
	struct fx *f = *state;
	struct frame *fr = malloc(sizeof(*fr));
	uint8_t buf[256];
	struct nlmsghdr *nlh;
	int nsa = 0, frames = 0;
	bool done = false;
	const int N = 150;

	for (int i = 0; i < N; i++)
		add_gcm_sa(f, 0x10000 + i);
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETSA, NLM_F_DUMP, NULL, 0);
	mnl_attr_put_u8(nlh, XFRMA_PROTO, IPPROTO_ESP);
	send_msg(&f->a, nlh);
	while (!done && recv_frame(f, &f->a, fr)) {
		frames++;
		assert_true(fr->len <= XFRMGW_SHIM_DUMP_BUDGET);
		int rem = (int)fr->len;

		for (nlh = (void *)fr->data; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
			assert_int_equal(nlh->nlmsg_seq, f->a.seq);
			assert_true(nlh->nlmsg_flags & NLM_F_MULTI);
			if (nlh->nlmsg_type == NLMSG_DONE) {
				assert_int_equal(*(int *)mnl_nlmsg_get_payload(nlh), 0);
				done = true;
				break;
			}
			assert_int_equal(nlh->nlmsg_type, XFRM_MSG_NEWSA);
			nsa++;
		}
	}
	assert_true(done);
	assert_int_equal(nsa, N);
	assert_true(frames > 5);
	print_message("%d SAs in %d frames\n", nsa, frames);
	/* An AH filter finds none: only DONE. */
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETSA, NLM_F_DUMP, NULL, 0);
	mnl_attr_put_u8(nlh, XFRMA_PROTO, IPPROTO_AH);
	send_msg(&f->a, nlh);
	assert_true(recv_frame(f, &f->a, fr));
	nlh = (void *)fr->data;
	assert_int_equal(nlh->nlmsg_type, NLMSG_DONE);
	free(fr);
}

static void test_events_by_group(void **state)
{
	struct fx *f = *state;
	struct xfrmgw_shim_bind bind = { 1u << (XFRMNLGRP_SA - 1) };
	struct xfrmgw_shim_opt join = { NETLINK_ADD_MEMBERSHIP, XFRMNLGRP_EXPIRE };
	struct frame *fr = malloc(sizeof(*fr));
	struct xfrm_user_expire ue = { .state = sa_info(0x4000), .hard = 0 };
	uint8_t buf[1024];
	struct nlmsghdr *nlh;

	send_frame(f->b.fd, XFRMGW_SHIM_BIND, &bind, sizeof(bind));
	send_frame(f->b.fd, XFRMGW_SHIM_SETOPT, &join, sizeof(join));
	add_gcm_sa(f, 0x4000);
	assert_int_equal(drain(f, &f->a), 0);	/* the requester is not subscribed */
	assert_true(recv_frame(f, &f->b, fr));
	assert_int_equal(fr->group, XFRMNLGRP_SA);
	nlh = (void *)fr->data;
	assert_int_equal(nlh->nlmsg_type, XFRM_MSG_NEWSA);
	assert_int_equal(nlh->nlmsg_seq, f->a.seq);	/* the cause's seq, as the kernel */
	/* EXPIRE from user space reaches the EXPIRE group. */
	nlh = msg_start(buf, &f->a, XFRM_MSG_EXPIRE, 0, &ue, sizeof(ue));
	expect(f, nlh, 0, NULL, -1);
	assert_true(recv_frame(f, &f->b, fr));
	assert_int_equal(fr->group, XFRMNLGRP_EXPIRE);
	nlh = (void *)fr->data;
	assert_int_equal(nlh->nlmsg_type, XFRM_MSG_EXPIRE);
	/* Leave the SA group: a DELSA is not delivered any more. */
	bind.groups = 0;
	send_frame(f->b.fd, XFRMGW_SHIM_BIND, &bind, sizeof(bind));
	{
		struct xfrm_usersa_id id = { .spi = htonl(0x4000), .family = AF_INET,
					     .proto = IPPROTO_ESP };

		addr4(&id.daddr, 0x0a000002);
		nlh = msg_start(buf, &f->a, XFRM_MSG_DELSA, 0, &id, sizeof(id));
		expect(f, nlh, 0, NULL, -1);
	}
	assert_int_equal(drain(f, &f->b), 0);
	free(fr);
}

static void test_allocspi_then_updsa(void **state)
{
	struct fx *f = *state;
	struct xfrm_userspi_info req = { .info = sa_info(0), .min = 0xc0000000, .max = 0xcfffffff };
	struct frame *fr = malloc(sizeof(*fr));
	struct xfrm_usersa_info p;
	uint8_t buf[1024];
	struct nlmsghdr *nlh;
	uint32_t spi;

	nlh = msg_start(buf, &f->a, XFRM_MSG_ALLOCSPI, 0, &req, sizeof(req));
	send_msg(&f->a, nlh);
	assert_true(recv_frame(f, &f->a, fr));
	nlh = (void *)fr->data;
	assert_int_equal(nlh->nlmsg_type, XFRM_MSG_NEWSA);
	memcpy(&p, mnl_nlmsg_get_payload(nlh), sizeof(p));
	spi = ntohl(p.id.spi);
	assert_true(spi >= req.min && spi <= req.max);
	/* UPDSA completes the larval SA (charon's inbound SA). */
	p = sa_info(spi);
	nlh = msg_start(buf, &f->a, XFRM_MSG_UPDSA, 0, &p, sizeof(p));
	put_gcm(nlh, "rfc4106(gcm(aes))");
	expect(f, nlh, 0, NULL, -1);
	free(fr);
}

static void test_ae_and_info(void **state)
{
	struct fx *f = *state;
	struct xfrm_aevent_id ae = {
		.sa_id = { .spi = htonl(0x5000), .family = AF_INET, .proto = IPPROTO_ESP },
		.flags = XFRM_AE_RVAL | XFRM_AE_LVAL,
	};
	struct xfrm_lifetime_cur lt = { .bytes = 1000, .packets = 10 };
	struct frame *fr = malloc(sizeof(*fr));
	uint8_t buf[1024];
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	uint32_t flags = 0;
	bool lt_seen = false, cnt_seen = false;
	struct xfrmu_spdhthresh bad = { .lbits = 40, .rbits = 0 };

	add_gcm_sa(f, 0x5000);
	addr4(&ae.sa_id.daddr, 0x0a000002);
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWAE, NLM_F_REPLACE, &ae, sizeof(ae));
	mnl_attr_put(nlh, XFRMA_LTIME_VAL, sizeof(lt), &lt);
	expect(f, nlh, 0, NULL, -1);
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETAE, 0, &ae, sizeof(ae));
	send_msg(&f->a, nlh);
	assert_true(recv_frame(f, &f->a, fr));
	nlh = (void *)fr->data;
	assert_int_equal(nlh->nlmsg_type, XFRM_MSG_NEWAE);
	mnl_attr_for_each(a, nlh, sizeof(ae)) {
		if (mnl_attr_get_type(a) == XFRMA_LTIME_VAL) {
			struct xfrm_lifetime_cur c;

			memcpy(&c, mnl_attr_get_payload(a), sizeof(c));	/* 4-byte aligned */
			assert_int_equal(c.bytes, 1000);
			assert_int_equal(c.packets, 10);
			lt_seen = true;
		}
	}
	assert_true(lt_seen);
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETSADINFO, 0, &flags, sizeof(flags));
	send_msg(&f->a, nlh);
	assert_true(recv_frame(f, &f->a, fr));
	nlh = (void *)fr->data;
	assert_int_equal(nlh->nlmsg_type, XFRM_MSG_NEWSADINFO);
	mnl_attr_for_each(a, nlh, sizeof(flags)) {
		if (mnl_attr_get_type(a) == XFRMA_SAD_CNT) {
			assert_int_equal(mnl_attr_get_u32(a), 1);
			cnt_seen = true;
		}
	}
	assert_true(cnt_seen);
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETSPDINFO, 0, &flags, sizeof(flags));
	send_msg(&f->a, nlh);
	assert_true(recv_frame(f, &f->a, fr));
	assert_int_equal(((struct nlmsghdr *)fr->data)->nlmsg_type, XFRM_MSG_NEWSPDINFO);
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWSPDINFO, 0, &flags, sizeof(flags));
	mnl_attr_put(nlh, XFRMA_SPD_IPV4_HTHRESH, sizeof(bad), &bad);
	expect(f, nlh, EINVAL, "XFRMA_SPD_IPV4_HTHRESH: prefix bits above 32",
	       (int)(NLMSG_HDRLEN + sizeof(flags)));
	free(fr);
}


/* One NEWAE waiting for b (XFRMNLGRP_AEVENTS): its flags, oseq and thresholds. */
struct ae_got {
	uint32_t flags, oseq, rthr, ethr;
};

static bool next_ae(struct fx *f, struct ae_got *g)
{
	struct frame *fr = malloc(sizeof(*fr));
	const struct nlattr *a;
	struct nlmsghdr *nlh;
	bool ok = recv_frame(f, &f->b, fr);

	memset(g, 0, sizeof(*g));
	if (ok) {
		nlh = (void *)fr->data;
		assert_int_equal(fr->group, XFRMNLGRP_AEVENTS);
		assert_int_equal(nlh->nlmsg_type, XFRM_MSG_NEWAE);
		g->flags = ((struct xfrm_aevent_id *)mnl_nlmsg_get_payload(nlh))->flags;
		mnl_attr_for_each(a, nlh, sizeof(struct xfrm_aevent_id)) {
			if (mnl_attr_get_type(a) == XFRMA_REPLAY_VAL)
				g->oseq = ((const struct xfrm_replay_state *)
					   mnl_attr_get_payload(a))->oseq;
			else if (mnl_attr_get_type(a) == XFRMA_REPLAY_THRESH)
				g->rthr = mnl_attr_get_u32(a);
			else if (mnl_attr_get_type(a) == XFRMA_ETIMER_THRESH)
				g->ethr = mnl_attr_get_u32(a);
		}
	}
	free(fr);
	return ok;
}

static void send_packets(struct fx *f, uint32_t spi, unsigned int n)
{
	xfrm_address_t d;
	struct xfrm_sa *sa;
	uint64_t seq;

	addr4(&d, 0x0a000002);
	assert_int_equal(sad_get(f->sad, &d, AF_INET, htonl(spi), IPPROTO_ESP, 0, 0, &sa), 0);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(sa_oseq_next(sa, &seq), 0);
	sa_put(sa);
}

/*
 * NEWAE to XFRMNLGRP_AEVENTS as the kernel's xfrm_replay_notify: replay
 * progress by XFRMA_REPLAY_THRESH packets (XFRM_AE_CR), the
 * XFRMA_ETIMER_THRESH timer with news (XFRM_AE_CE), a user's NEWAE
 * (XFRM_AE_CU); the kernel's default thresholds when NEWSA gives none.
 */
static void test_aevents(void **state)
{
	struct fx *f = *state;
	struct xfrmgw_shim_opt join = { NETLINK_ADD_MEMBERSHIP, XFRMNLGRP_AEVENTS };
	struct xfrm_usersa_info p = sa_info(0x5100);
	struct xfrm_aevent_id ae = {
		.sa_id = { .spi = htonl(0x5100), .family = AF_INET, .proto = IPPROTO_ESP },
		.flags = XFRM_AE_RTHR | XFRM_AE_ETHR,
	};
	struct xfrm_replay_state rs = { .oseq = 500 };
	uint8_t buf[1024];
	struct nlmsghdr *nlh;
	struct ae_got g;

	send_frame(f->b.fd, XFRMGW_SHIM_SETOPT, &join, sizeof(join));
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWSA, 0, &p, sizeof(p));
	put_gcm(nlh, "rfc4106(gcm(aes))");
	mnl_attr_put_u32(nlh, XFRMA_REPLAY_THRESH, 3);
	mnl_attr_put_u32(nlh, XFRMA_ETIMER_THRESH, 5);	/* 0.5 s */
	expect(f, nlh, 0, NULL, -1);
	add_gcm_sa(f, 0x5101);				/* no thresholds given */
	assert_int_equal(drain(f, &f->b), 0);

	/* T1: below the threshold, nothing; at 3 packets, XFRM_AE_CR with the counters */
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1000), 0);	/* arms the timers */
	send_packets(f, 0x5100, 2);
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1001), 0);
	send_packets(f, 0x5100, 1);
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1002), 1);
	assert_true(next_ae(f, &g));
	assert_int_equal(g.flags, XFRM_AE_CR);
	assert_int_equal(g.oseq, 3);
	assert_false(next_ae(f, &g));
	/* T2: the kernel's defaults for the other SA: 2 packets, 1 s */
	send_packets(f, 0x5101, 2);
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1003), 1);
	assert_true(next_ae(f, &g));
	assert_int_equal(g.flags, XFRM_AE_CR);
	/* T3: one packet: told when the 0.5 s timer (restarted at 1002) runs out */
	send_packets(f, 0x5100, 1);
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1006), 0);
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1007), 1);
	assert_true(next_ae(f, &g));
	assert_int_equal(g.flags, XFRM_AE_CE);
	assert_int_equal(g.oseq, 4);
	/* T4: a quiet timer defers; the next packet is told at once */
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1012), 0);
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1030), 0);
	send_packets(f, 0x5100, 1);
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1031), 1);
	assert_true(next_ae(f, &g));
	assert_int_equal(g.flags, XFRM_AE_CE);

	/* T5: GETAE reports the thresholds asked for */
	addr4(&ae.sa_id.daddr, 0x0a000002);
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETAE, 0, &ae, sizeof(ae));
	send_msg(&f->a, nlh);
	{
		struct frame *fr = malloc(sizeof(*fr));
		const struct nlattr *a;
		uint32_t rthr = 0, ethr = 0;

		assert_true(recv_frame(f, &f->a, fr));
		nlh = (void *)fr->data;
		assert_int_equal(nlh->nlmsg_type, XFRM_MSG_NEWAE);
		mnl_attr_for_each(a, nlh, sizeof(ae)) {
			if (mnl_attr_get_type(a) == XFRMA_REPLAY_THRESH)
				rthr = mnl_attr_get_u32(a);
			if (mnl_attr_get_type(a) == XFRMA_ETIMER_THRESH)
				ethr = mnl_attr_get_u32(a);
		}
		assert_int_equal(rthr, 3);
		assert_int_equal(ethr, 5);
		free(fr);
	}

	/* T6: a user's NEWAE is told as XFRM_AE_CU, and its counters are no news */
	ae.flags = 0;
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWAE, NLM_F_REPLACE, &ae, sizeof(ae));
	mnl_attr_put(nlh, XFRMA_REPLAY_VAL, sizeof(rs), &rs);
	expect(f, nlh, 0, NULL, -1);
	assert_true(next_ae(f, &g));
	assert_int_equal(g.flags, XFRM_AE_CU);
	assert_int_equal(g.oseq, 500);
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1032), 0);
	assert_int_equal(drain(f, &f->b), 0);

	/* T7: nobody subscribed: nothing is looked at; a new subscriber hears at once */
	join.name = NETLINK_DROP_MEMBERSHIP;
	send_frame(f->b.fd, XFRMGW_SHIM_SETOPT, &join, sizeof(join));
	assert_int_equal(drain(f, &f->b), 0);
	send_packets(f, 0x5100, 3);
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1033), 0);
	join.name = NETLINK_ADD_MEMBERSHIP;
	send_frame(f->b.fd, XFRMGW_SHIM_SETOPT, &join, sizeof(join));
	assert_int_equal(drain(f, &f->b), 0);
	assert_int_equal(xfrm_nl_aevent_tick(f->xnl, 1034), 1);
	assert_true(next_ae(f, &g));
	assert_int_equal(g.flags, XFRM_AE_CR);
	assert_int_equal(g.oseq, 503);
}


static int fake_drops(void *arg, struct xfrm_nl_drop *out, unsigned int max)
{
	static const struct xfrm_nl_drop d[] = {
		{ "no_route", 3, false }, { "no_sa_acquire", 0, false }, { "auth", 7, true },
	};
	unsigned int n = 0;

	if (arg)
		return -EOPNOTSUPP;
	for (; n < max && n < 3; n++)
		out[n] = d[n];
	return (int)n;
}

/* XFRMGW_MSG_GETDROPS (xfrmgw's own): drop counters by reason, path and ESP/AH. */
static void test_drops(void **state)
{
	struct fx *f = *state;
	struct frame *fr = malloc(sizeof(*fr));
	const struct nlattr *a;
	struct nlmsghdr *nlh;
	uint8_t buf[256];
	unsigned int seen = 0;

	/* no packet path: refused with a reason */
	nlh = msg_start(buf, &f->a, XFRMGW_MSG_GETDROPS, 0, NULL, 0);
	expect(f, nlh, EOPNOTSUPP, "no packet path", -1);
	xfrm_nl_set_drops(f->xnl, fake_drops, f);	/* a source that says the same */
	nlh = msg_start(buf, &f->a, XFRMGW_MSG_GETDROPS, 0, NULL, 0);
	expect(f, nlh, EOPNOTSUPP, "no packet path", -1);

	xfrm_nl_set_drops(f->xnl, fake_drops, NULL);
	nlh = msg_start(buf, &f->a, XFRMGW_MSG_GETDROPS, 0, NULL, 0);
	send_msg(&f->a, nlh);
	assert_true(recv_frame(f, &f->a, fr));
	nlh = (void *)fr->data;
	assert_int_equal(nlh->nlmsg_type, XFRMGW_MSG_NEWDROPS);
	assert_int_equal(nlh->nlmsg_seq, f->a.seq);
	mnl_attr_for_each(a, nlh, 0) {
		struct xfrmgw_drop d;

		assert_int_equal(mnl_attr_get_payload_len(a), sizeof(d));
		memcpy(&d, mnl_attr_get_payload(a), sizeof(d));
		if (seen == 0) {
			assert_int_equal(mnl_attr_get_type(a), XFRMGW_DROPA_PATH);
			assert_string_equal(d.name, "no_route");
			assert_int_equal(d.count, 3);
		} else if (seen == 2) {
			assert_int_equal(mnl_attr_get_type(a), XFRMGW_DROPA_IPSEC);
			assert_string_equal(d.name, "auth");
			assert_int_equal(d.count, 7);
		}
		seen++;
	}
	assert_int_equal(seen, 3);
	free(fr);
}

static struct xfrm_userpolicy_info pol_info(uint8_t dir)
{
	struct xfrm_userpolicy_info p;

	memset(&p, 0, sizeof(p));
	addr4(&p.sel.saddr, 0x0a010000);
	addr4(&p.sel.daddr, 0x0a020000);
	p.sel.prefixlen_s = p.sel.prefixlen_d = 16;
	p.sel.family = AF_INET;
	p.dir = dir;
	p.action = XFRM_POLICY_ALLOW;
	p.lft.soft_byte_limit = p.lft.hard_byte_limit = XFRM_INF;
	p.lft.soft_packet_limit = p.lft.hard_packet_limit = XFRM_INF;
	return p;
}

static void put_tmpl(struct nlmsghdr *nlh, uint8_t mode)
{
	struct xfrm_user_tmpl t;

	memset(&t, 0, sizeof(t));
	addr4(&t.id.daddr, 0x0a000002);
	addr4(&t.saddr, 0x0a000001);
	t.id.proto = IPPROTO_ESP;
	t.family = AF_INET;
	t.reqid = 7;
	t.mode = mode;
	t.aalgos = t.ealgos = t.calgos = ~0u;
	mnl_attr_put(nlh, XFRMA_TMPL, sizeof(t), &t);
}

static void test_policies(void **state)
{
	struct fx *f = *state;
	struct xfrm_userpolicy_info p = pol_info(XFRM_POLICY_OUT);
	struct xfrm_userpolicy_id id = { .sel = p.sel, .dir = XFRM_POLICY_OUT };
	struct xfrmgw_shim_bind bind = { 1u << (XFRMNLGRP_POLICY - 1) };
	struct frame *fr = malloc(sizeof(*fr));
	uint8_t buf[1024];
	struct nlmsghdr *nlh;
	int n = 0;

	send_frame(f->b.fd, XFRMGW_SHIM_BIND, &bind, sizeof(bind));
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWPOLICY, 0, &p, sizeof(p));
	put_tmpl(nlh, XFRM_MODE_TUNNEL);
	expect(f, nlh, 0, NULL, -1);
	assert_true(recv_frame(f, &f->b, fr));
	assert_int_equal(((struct nlmsghdr *)fr->data)->nlmsg_type, XFRM_MSG_NEWPOLICY);
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWPOLICY, 0, &p, sizeof(p));
	put_tmpl(nlh, XFRM_MODE_TUNNEL);
	expect(f, nlh, EEXIST, "policy already exists", -1);
	nlh = msg_start(buf, &f->a, XFRM_MSG_UPDPOLICY, 0, &p, sizeof(p));
	put_tmpl(nlh, XFRM_MODE_TUNNEL);
	expect(f, nlh, 0, NULL, -1);
	/* Wrong combinations. */
	p.dir = 7;
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWPOLICY, 0, &p, sizeof(p));
	expect(f, nlh, EINVAL, "invalid policy direction 7", -1);
	p = pol_info(XFRM_POLICY_IN);
	p.action = 9;
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWPOLICY, 0, &p, sizeof(p));
	expect(f, nlh, EINVAL, "invalid policy action", -1);
	p = pol_info(XFRM_POLICY_IN);
	p.index = 8 | XFRM_POLICY_OUT;
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWPOLICY, 0, &p, sizeof(p));
	expect(f, nlh, EINVAL, "index does not match", -1);
	p = pol_info(XFRM_POLICY_IN);
	nlh = msg_start(buf, &f->a, XFRM_MSG_NEWPOLICY, 0, &p, sizeof(p));
	put_tmpl(nlh, 9);
	expect(f, nlh, EINVAL, "XFRMA_TMPL: invalid mode", NLMSG_HDRLEN + sizeof(p));
	/* GETPOLICY by selector, then dump, then DELPOLICY, then ENOENT. */
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETPOLICY, 0, &id, sizeof(id));
	send_msg(&f->a, nlh);
	assert_true(recv_frame(f, &f->a, fr));
	assert_int_equal(((struct nlmsghdr *)fr->data)->nlmsg_type, XFRM_MSG_NEWPOLICY);
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETPOLICY, NLM_F_DUMP, NULL, 0);
	send_msg(&f->a, nlh);
	while (recv_frame(f, &f->a, fr)) {
		int rem = (int)fr->len;

		for (nlh = (void *)fr->data; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem))
			if (nlh->nlmsg_type == XFRM_MSG_NEWPOLICY)
				n++;
	}
	assert_int_equal(n, 1);
	drain(f, &f->b);
	nlh = msg_start(buf, &f->a, XFRM_MSG_DELPOLICY, 0, &id, sizeof(id));
	expect(f, nlh, 0, NULL, -1);
	assert_true(recv_frame(f, &f->b, fr));
	assert_int_equal(((struct nlmsghdr *)fr->data)->nlmsg_type, XFRM_MSG_DELPOLICY);
	nlh = msg_start(buf, &f->a, XFRM_MSG_DELPOLICY, 0, &id, sizeof(id));
	expect(f, nlh, ENOENT, "no such policy", -1);
	nlh = msg_start(buf, &f->a, XFRM_MSG_FLUSHPOLICY, 0, NULL, 0);
	expect(f, nlh, 0, NULL, -1);
	assert_true(recv_frame(f, &f->b, fr));
	assert_int_equal(((struct nlmsghdr *)fr->data)->nlmsg_type, XFRM_MSG_FLUSHPOLICY);
	free(fr);
}

static void test_flushsa(void **state)
{
	struct fx *f = *state;
	struct xfrm_usersa_flush fl = { .proto = 255 /* IPSEC_PROTO_ANY */ };
	struct xfrm_usersa_id id = { .spi = htonl(0x6000), .family = AF_INET,
				     .proto = IPPROTO_ESP };
	uint8_t buf[256];
	struct nlmsghdr *nlh;

	add_gcm_sa(f, 0x6000);
	nlh = msg_start(buf, &f->a, XFRM_MSG_FLUSHSA, 0, &fl, sizeof(fl));
	expect(f, nlh, 0, NULL, -1);
	addr4(&id.daddr, 0x0a000002);
	nlh = msg_start(buf, &f->a, XFRM_MSG_GETSA, 0, &id, sizeof(id));
	expect(f, nlh, ESRCH, NULL, -1);
}

/* Several messages in one datagram are answered in order. */
static void test_batch_datagram(void **state)
{
	struct fx *f = *state;
	uint8_t buf[4096];
	struct xfrm_usersa_info p1 = sa_info(0x7001), p2 = sa_info(0x7002);
	struct nlmsghdr *n1 = msg_start(buf, &f->a, XFRM_MSG_NEWSA, NLM_F_ACK, &p1, sizeof(p1));
	struct nlmsghdr *n2;
	struct ack k;
	uint32_t seq1;

	put_gcm(n1, "rfc4106(gcm(aes))");
	seq1 = n1->nlmsg_seq;
	n2 = msg_start(buf + NLMSG_ALIGN(n1->nlmsg_len), &f->a, XFRM_MSG_NEWSA, NLM_F_ACK,
		       &p2, sizeof(p2));
	put_gcm(n2, "rfc4106(gcm(aes))");
	send_frame(f->a.fd, XFRMGW_SHIM_DATA, buf, NLMSG_ALIGN(n1->nlmsg_len) + n2->nlmsg_len);
	f->a.seq = seq1;
	k = get_ack(f, &f->a);
	assert_int_equal(k.error, 0);
	f->a.seq = seq1 + 1;
	k = get_ack(f, &f->a);
	assert_int_equal(k.error, 0);
}

/* Frames waiting on a client's socket, read without running the server. */
static int take_frames(struct client *c, bool *done)
{
	uint8_t buf[BUF];
	int frames = 0;
	ssize_t n;

	*done = false;
	while ((n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT)) >= (ssize_t)sizeof(struct xfrmgw_shim_hdr)) {
		int rem = (int)(n - (ssize_t)sizeof(struct xfrmgw_shim_hdr));
		struct nlmsghdr *nlh = (void *)(buf + sizeof(struct xfrmgw_shim_hdr));

		for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem))
			*done |= nlh->nlmsg_type == NLMSG_DONE;
		frames++;
	}
	return frames;
}

/*
 * A long dump does not hold the server: one wake-up makes a bounded batch of
 * its pages even when the reader's socket could take them all, and another
 * client's request in the same wake-up is answered before the dump is done.
 */
static void test_dump_does_not_starve(void **state)
{
	struct fx *f = *state;
	struct client big = { 0 };
	bool roomy = connect_client_buf(f, &big, 3000, 0, 8 << 20);
	struct xfrm_usersa_id id = { .spi = htonl(0x10000), .family = AF_INET,
				     .proto = IPPROTO_ESP };
	uint8_t buf[256], rb[BUF];
	struct nlmsghdr *nlh;
	int first, more, frames;
	bool done;
	ssize_t n;

	for (int i = 0; i < 600; i++)
		add_gcm_sa(f, 0x10000 + i);
	drain(f, &big);
	nlh = msg_start(buf, &big, XFRM_MSG_GETSA, NLM_F_DUMP, NULL, 0);
	send_msg(&big, nlh);
	addr4(&id.daddr, 0x0a000002);
	nlh = msg_start(buf, &f->b, XFRM_MSG_GETSA, 0, &id, sizeof(id));
	send_msg(&f->b, nlh);
	xnl_server_process(f->srv);
	/* b has its SA ... */
	n = recv(f->b.fd, rb, sizeof(rb), MSG_DONTWAIT);
	assert_true(n > (ssize_t)sizeof(struct xfrmgw_shim_hdr));
	nlh = (void *)(rb + sizeof(struct xfrmgw_shim_hdr));
	assert_int_equal(nlh->nlmsg_type, XFRM_MSG_NEWSA);
	/* ... while the dumper has only the first pages, though it has room for all */
	first = take_frames(&big, &done);
	assert_false(done);
	assert_true(first >= 1 && first <= 32);
	if (roomy)
		assert_int_equal(first, 32);
	for (frames = first; !done; frames += more) {
		xnl_server_process(f->srv);
		more = take_frames(&big, &done);
		assert_true(more >= 1 && more <= 33);	/* 32 pages, then DONE */
	}
	print_message("600 SAs: %d frames, %d in the first wake-up (big buffer: %s)\n", frames,
		      first, roomy ? "yes" : "no");
	assert_true(frames > first);
	close(big.fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hello, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sa_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newsa_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_pagination, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_by_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allocspi_then_updsa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ae_and_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aevents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flushsa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_datagram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_does_not_starve, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
