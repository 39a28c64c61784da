/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-ctl sa|policy|stats: XFRM dumps printed for people. Key bytes are
 * never printed, only algorithm names and key lengths. stats ends with the
 * packet path's drops by reason (XFRMGW_MSG_GETDROPS, xfrmgw's own message).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/xfrm.h>

#include "netlink/xfrm_netlink.h"
#include "tools/ctl_conn.h"
#include "tools/ctl_xfrm.h"

#define MAX_ATTR (XFRMA_MAX + 1)

static const char *addr_str(uint16_t family, const xfrm_address_t *a, char *buf, size_t len)
{
	if (family == AF_INET6)
		return inet_ntop(AF_INET6, a->a6, buf, len);
	if (family == AF_INET)
		return inet_ntop(AF_INET, &a->a4, buf, len);
	snprintf(buf, len, "?");
	return buf;
}

static const char *proto_str(uint8_t p)
{
	switch (p) {
	case IPPROTO_ESP:	return "esp";
	case IPPROTO_AH:	return "ah";
	case IPPROTO_COMP:	return "comp";
	default:		return "?";
	}
}

static const char *mode_str(uint8_t m)
{
	switch (m) {
	case XFRM_MODE_TRANSPORT:	return "transport";
	case XFRM_MODE_TUNNEL:		return "tunnel";
	case XFRM_MODE_BEET:		return "beet";
	default:			return "?";
	}
}

static const char *dir_str(uint8_t d)
{
	switch (d) {
	case XFRM_POLICY_IN:	return "in";
	case XFRM_POLICY_OUT:	return "out";
	case XFRM_POLICY_FWD:	return "fwd";
	default:		return "?";
	}
}

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type < MAX_ATTR)
		tb[type] = a;
	return MNL_CB_OK;
}

/* The attribute's payload if it holds at least len bytes. */
static const void *attr(const struct nlattr **tb, int type, size_t len)
{
	if (!tb[type] || mnl_attr_get_payload_len(tb[type]) < len)
		return NULL;
	return mnl_attr_get_payload(tb[type]);
}

static void print_selector(FILE *f, const struct xfrm_selector *sel)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	fprintf(f, "src %s/%u dst %s/%u", addr_str(sel->family, &sel->saddr, s, sizeof(s)),
		sel->prefixlen_s, addr_str(sel->family, &sel->daddr, d, sizeof(d)), sel->prefixlen_d);
	if (sel->proto)
		fprintf(f, " proto %u", sel->proto);
	if (sel->sport_mask)
		fprintf(f, " sport %u", ntohs(sel->sport));
	if (sel->dport_mask)
		fprintf(f, " dport %u", ntohs(sel->dport));
}

static void print_algs(FILE *f, const struct nlattr **tb)
{
	const struct xfrm_algo_aead *aead = attr(tb, XFRMA_ALG_AEAD, sizeof(*aead));
	const struct xfrm_algo *enc = attr(tb, XFRMA_ALG_CRYPT, sizeof(*enc));
	const struct xfrm_algo_auth *trunc = attr(tb, XFRMA_ALG_AUTH_TRUNC, sizeof(*trunc));
	const struct xfrm_algo *auth = attr(tb, XFRMA_ALG_AUTH, sizeof(*auth));

	if (aead)
		fprintf(f, "\taead %.64s key %u bits icv %u bits\n", aead->alg_name,
			aead->alg_key_len, aead->alg_icv_len);
	if (enc)
		fprintf(f, "\tenc %.64s key %u bits\n", enc->alg_name, enc->alg_key_len);
	if (trunc)
		fprintf(f, "\tauth-trunc %.64s key %u bits icv %u bits\n", trunc->alg_name,
			trunc->alg_key_len, trunc->alg_trunc_len);
	else if (auth)
		fprintf(f, "\tauth %.64s key %u bits\n", auth->alg_name, auth->alg_key_len);
}

static void print_extras(FILE *f, const struct nlattr **tb)
{
	const struct xfrm_encap_tmpl *encap = attr(tb, XFRMA_ENCAP, sizeof(*encap));
	const struct xfrm_mark *mark = attr(tb, XFRMA_MARK, sizeof(*mark));
	const uint32_t *if_id = attr(tb, XFRMA_IF_ID, sizeof(*if_id));
	const struct xfrm_replay_state_esn *esn = attr(tb, XFRMA_REPLAY_ESN_VAL, sizeof(*esn));

	if (encap)
		fprintf(f, "\tencap type %u sport %u dport %u\n", encap->encap_type,
			ntohs(encap->encap_sport), ntohs(encap->encap_dport));
	if (mark || if_id) {
		fputc('\t', f);
		if (mark)
			fprintf(f, "mark 0x%x/0x%x ", mark->v, mark->m);
		if (if_id)
			fprintf(f, "if_id 0x%x", *if_id);
		fputc('\n', f);
	}
	if (esn)
		fprintf(f, "\tesn window %u seq 0x%x:%08x oseq 0x%x:%08x\n", esn->replay_window,
			esn->seq_hi, esn->seq, esn->oseq_hi, esn->oseq);
}

static void print_lifetime(FILE *f, const struct xfrm_lifetime_cfg *cfg,
			   const struct xfrm_lifetime_cur *cur)
{
	fprintf(f, "\tlifetime soft %llus/%lluB/%llupkt hard %llus/%lluB/%llupkt\n",
		(unsigned long long)cfg->soft_add_expires_seconds,
		(unsigned long long)cfg->soft_byte_limit, (unsigned long long)cfg->soft_packet_limit,
		(unsigned long long)cfg->hard_add_expires_seconds,
		(unsigned long long)cfg->hard_byte_limit, (unsigned long long)cfg->hard_packet_limit);
	fprintf(f, "\tcurrent %llu bytes %llu packets\n", (unsigned long long)cur->bytes,
		(unsigned long long)cur->packets);
}

struct sa_totals {
	unsigned long sas;
	unsigned long long bytes, packets;
	unsigned long long replay, replay_window, integrity_failed;
};

static int sa_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MAX_ATTR] = { 0 };
	/* Netlink only aligns to 4 bytes; the struct has 64-bit members. */
	struct xfrm_usersa_info copy;
	const struct xfrm_usersa_info *sa = &copy;
	struct sa_totals *t = arg;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA || mnl_nlmsg_get_payload_len(nlh) < sizeof(*sa))
		return 0;
	memcpy(&copy, mnl_nlmsg_get_payload(nlh), sizeof(copy));
	mnl_attr_parse(nlh, sizeof(*sa), attr_cb, tb);
	if (t) {
		t->sas++;
		t->bytes += sa->curlft.bytes;
		t->packets += sa->curlft.packets;
		t->replay += sa->stats.replay;
		t->replay_window += sa->stats.replay_window;
		t->integrity_failed += sa->stats.integrity_failed;
		return 0;
	}
	printf("src %s dst %s proto %s spi 0x%08x reqid %u mode %s\n",
	       addr_str(sa->family, &sa->saddr, s, sizeof(s)),
	       addr_str(sa->family, &sa->id.daddr, d, sizeof(d)), proto_str(sa->id.proto),
	       ntohl(sa->id.spi), sa->reqid, mode_str(sa->mode));
	printf("\treplay-window %u flags 0x%x\n", sa->replay_window, sa->flags);
	print_algs(stdout, tb);
	print_extras(stdout, tb);
	fputc('\t', stdout);
	print_selector(stdout, &sa->sel);
	fputc('\n', stdout);
	print_lifetime(stdout, &sa->lft, &sa->curlft);
	printf("\tstats replay %u replay-window %u integrity-failed %u\n", sa->stats.replay,
	       sa->stats.replay_window, sa->stats.integrity_failed);
	return 0;
}

static int policy_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MAX_ATTR] = { 0 };
	struct xfrm_userpolicy_info copy;	/* 4-byte aligned on the wire */
	const struct xfrm_userpolicy_info *p = &copy;
	const struct xfrm_user_tmpl *ut;
	size_t n;

	(void)arg;
	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY || mnl_nlmsg_get_payload_len(nlh) < sizeof(*p))
		return 0;
	memcpy(&copy, mnl_nlmsg_get_payload(nlh), sizeof(copy));
	mnl_attr_parse(nlh, sizeof(*p), attr_cb, tb);
	print_selector(stdout, &p->sel);
	printf("\n\tdir %s action %s priority %u index %u\n", dir_str(p->dir),
	       p->action == XFRM_POLICY_ALLOW ? "allow" : "block", p->priority, p->index);
	print_extras(stdout, tb);
	if (!tb[XFRMA_TMPL])
		return 0;
	ut = mnl_attr_get_payload(tb[XFRMA_TMPL]);
	n = mnl_attr_get_payload_len(tb[XFRMA_TMPL]) / sizeof(*ut);
	for (size_t i = 0; i < n; i++, ut++) {
		char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

		printf("\ttmpl src %s dst %s proto %s spi 0x%08x reqid %u mode %s%s\n",
		       addr_str(ut->family, &ut->saddr, s, sizeof(s)),
		       addr_str(ut->family, &ut->id.daddr, d, sizeof(d)), proto_str(ut->id.proto),
		       ntohl(ut->id.spi), ut->reqid, mode_str(ut->mode),
		       ut->optional ? " optional" : "");
	}
	return 0;
}

int ctl_xfrm_sa(struct ctl_conn *c)
{
	return ctl_request(c, XFRM_MSG_GETSA, NLM_F_DUMP, NULL, 0, sa_cb, NULL, 0);
}

int ctl_xfrm_policy(struct ctl_conn *c)
{
	return ctl_request(c, XFRM_MSG_GETPOLICY, NLM_F_DUMP, NULL, 0, policy_cb, NULL, 0);
}

static int sadinfo_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MAX_ATTR] = { 0 };
	const uint32_t *cnt;

	(void)arg;
	mnl_attr_parse(nlh, sizeof(uint32_t), attr_cb, tb);
	cnt = attr(tb, XFRMA_SAD_CNT, sizeof(*cnt));
	if (cnt)
		printf("sad: %u states\n", *cnt);
	return 0;
}

static int spdinfo_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MAX_ATTR] = { 0 };
	const struct xfrmu_spdinfo *i;

	(void)arg;
	mnl_attr_parse(nlh, sizeof(uint32_t), attr_cb, tb);
	i = attr(tb, XFRMA_SPD_INFO, sizeof(*i));
	if (i)
		printf("spd: %u in %u out %u fwd policies (%u/%u/%u per-socket)\n", i->incnt,
		       i->outcnt, i->fwdcnt, i->inscnt, i->outscnt, i->fwdscnt);
	return 0;
}

/* XFRMGW_MSG_NEWDROPS: the packet path's reasons, then ESP's/AH's. */
#define DROPS_MAX 128

struct drops {
	unsigned int n;
	uint16_t kind[DROPS_MAX];	/* XFRMGW_DROPA_PATH or XFRMGW_DROPA_IPSEC */
	struct xfrmgw_drop d[DROPS_MAX];
};

static int drops_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct drops *p = arg;
	const struct nlattr *a;

	if (nlh->nlmsg_type != XFRMGW_MSG_NEWDROPS)
		return 0;
	mnl_attr_for_each(a, nlh, 0) {
		uint16_t kind = mnl_attr_get_type(a);

		if ((kind != XFRMGW_DROPA_PATH && kind != XFRMGW_DROPA_IPSEC) ||
		    mnl_attr_get_payload_len(a) < sizeof(p->d[0]) || p->n == DROPS_MAX)
			continue;
		/* The attribute is 4-byte aligned; the struct has a 64-bit member. */
		memcpy(&p->d[p->n], mnl_attr_get_payload(a), sizeof(p->d[0]));
		p->d[p->n].name[sizeof(p->d[0].name) - 1] = '\0';
		p->kind[p->n++] = kind;
	}
	return 0;
}

/* "TITLE: total" then its non-zero reasons, one a line. */
static void print_drops(const struct drops *p, uint16_t kind, const char *title)
{
	unsigned long long total = 0;

	for (unsigned int i = 0; i < p->n; i++)
		if (p->kind[i] == kind)
			total += p->d[i].count;
	printf("%s: %llu\n", title, total);
	for (unsigned int i = 0; i < p->n; i++)
		if (p->kind[i] == kind && p->d[i].count)
			printf("\t%s %llu\n", p->d[i].name, (unsigned long long)p->d[i].count);
}

int ctl_xfrm_stats(struct ctl_conn *c)
{
	static struct drops drops;
	struct sa_totals t = { 0 };
	uint32_t flags = 0;
	int rc;

	/* The counts are informative: an older gateway may not answer them. */
	ctl_request(c, XFRM_MSG_GETSADINFO, 0, &flags, sizeof(flags), sadinfo_cb, NULL, 1);
	ctl_request(c, XFRM_MSG_GETSPDINFO, 0, &flags, sizeof(flags), spdinfo_cb, NULL, 1);
	rc = ctl_request(c, XFRM_MSG_GETSA, NLM_F_DUMP, NULL, 0, sa_cb, &t, 0);
	if (rc)
		return rc;
	printf("sas: %lu\nbytes: %llu\npackets: %llu\n", t.sas, t.bytes, t.packets);
	printf("replay-errors: %llu\nreplay-window-errors: %llu\nintegrity-failed: %llu\n",
	       t.replay, t.replay_window, t.integrity_failed);
	/*
	 * The packet path's drops by reason (xfrmgw's own message; telemetry
	 * has the same). A gateway without packet path has none to tell.
	 */
	if (!ctl_request(c, XFRMGW_MSG_GETDROPS, 0, NULL, 0, drops_cb, &drops, 1)) {
		print_drops(&drops, XFRMGW_DROPA_PATH, "drops");
		print_drops(&drops, XFRMGW_DROPA_IPSEC, "ipsec-drops");
	}
	return 0;
}
