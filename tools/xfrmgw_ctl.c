/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-ctl: query the gateway over its control socket.
 *
 *   algs       algorithm listing in /proc/crypto format (NETLINK_CRYPTO dump)
 *   proposals  strongSwan esp_proposals / ah_proposals from what works
 *   sa         the SAD, readable (no key bytes)
 *   policy     the SPD
 *   stats      counts and counters
 *   routes     the routes the gateway knows and whether its data path holds them
 *   neighbours its neighbour table
 *
 * routes and neighbours print JSON with -j/--json.
 * With --local, algs and proposals bring the crypto API up in this process
 * instead (no gateway needed).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/cryptouser.h>
#include <linux/netlink.h>

#include "cryptoapi/crypto.h"
#include "cryptoapi/listing.h"
#include "netlink/crypto_user.h"
#include "netlink/proposals.h"
#include "netlink/shim_proto.h"
#include "tools/ctl_conn.h"
#include "tools/ctl_tables.h"
#include "tools/ctl_xfrm.h"

#define PROPOSALS_MAX 2048

static void usage(FILE *f)
{
	fprintf(f, "usage: xfrmgw-ctl [--ctl SOCKET] [--local] [-j] "
		   "algs|proposals|sa|policy|stats|routes|neighbours\n"
		   "  algs       algorithm listing in /proc/crypto format\n"
		   "  proposals  strongSwan esp_proposals and ah_proposals from the self-tested algorithms\n"
		   "  sa         security associations (no key bytes)\n"
		   "  policy     security policies\n"
		   "  stats      SA/policy counts, per-SA counters summed, drops by reason\n"
		   "  routes     routes (configuration's and kernel's), next hops, held or why not\n"
		   "  neighbours the neighbour table (learned, static from config or kernel)\n"
		   "  -j, --json routes/neighbours: JSON\n"
		   "  -s, --summary  routes: the counts only\n"
		   "  --ctl      control socket (default: $XFRMGW_CTL or %s)\n"
		   "  --local    algs/proposals: run the crypto self-tests in this process\n",
		XFRMGW_CTL_DEFAULT_PATH);
}

/* ---- algs from a crypto_user dump ---- */

struct alg_report {
	const struct crypto_user_alg *cru;
	uint32_t priority, throughput, chunksize, max_keysize;
	const char *selftest, *failure, *name, *driver;
	const struct nlattr *report;
};

static int report_attr(const struct nlattr *a, void *data)
{
	struct alg_report *r = data;

	switch (mnl_attr_get_type(a)) {
	case CRYPTOCFGA_PRIORITY_VAL:
		if (!mnl_attr_validate(a, MNL_TYPE_U32))
			r->priority = mnl_attr_get_u32(a);
		break;
	case CRYPTOCFGA_REPORT_CIPHER:
	case CRYPTOCFGA_REPORT_BLKCIPHER:
	case CRYPTOCFGA_REPORT_AEAD:
	case CRYPTOCFGA_REPORT_HASH:
	case CRYPTOCFGA_REPORT_RNG:
		r->report = a;
		break;
	case XFRMGW_CRYPTOCFGA_SELFTEST:
		if (!mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			r->selftest = mnl_attr_get_str(a);
		break;
	case XFRMGW_CRYPTOCFGA_FAILURE:
		if (!mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			r->failure = mnl_attr_get_str(a);
		break;
	case XFRMGW_CRYPTOCFGA_NAME:
		if (!mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			r->name = mnl_attr_get_str(a);
		break;
	case XFRMGW_CRYPTOCFGA_DRIVER:
		if (!mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			r->driver = mnl_attr_get_str(a);
		break;
	case XFRMGW_CRYPTOCFGA_THROUGHPUT:
		if (!mnl_attr_validate(a, MNL_TYPE_U32))
			r->throughput = mnl_attr_get_u32(a);
		break;
	case XFRMGW_CRYPTOCFGA_CHUNKSIZE:
		if (!mnl_attr_validate(a, MNL_TYPE_U32))
			r->chunksize = mnl_attr_get_u32(a);
		break;
	case XFRMGW_CRYPTOCFGA_MAX_KEYSIZE:
		if (!mnl_attr_validate(a, MNL_TYPE_U32))
			r->max_keysize = mnl_attr_get_u32(a);
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static int parse_report(const struct nlmsghdr *nlh, struct alg_report *r)
{
	memset(r, 0, sizeof(*r));
	if (nlh->nlmsg_type != CRYPTO_MSG_GETALG ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct crypto_user_alg))
		return -EPROTO;
	r->cru = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*r->cru), report_attr, r) < 0)
		return -EPROTO;
	if (!r->selftest) {
		/* A plain crypto_user: derive it from the flags as /proc/crypto does. */
		r->selftest = r->cru->cru_flags & CRU_FLAG_DEAD ? "failed" :
			      r->cru->cru_flags & CRU_FLAG_TESTED ? "passed" : "unknown";
	}
	return 0;
}

/* The type-specific lines, in the order crypto_show_alg() prints them. */
static void print_report(const struct alg_report *r)
{
	const void *p = r->report ? mnl_attr_get_payload(r->report) : NULL;
	size_t len = r->report ? mnl_attr_get_payload_len(r->report) : 0;
	bool async = r->cru->cru_flags & CRU_FLAG_ASYNC;

	if (!p)
		return;
	switch (mnl_attr_get_type(r->report)) {
	case CRYPTOCFGA_REPORT_CIPHER: {
		const struct crypto_report_cipher *c = p;

		if (len < sizeof(*c))
			return;
		printf("type         : cipher\nblocksize    : %u\nmin keysize  : %u\n"
		       "max keysize  : %u\n", c->blocksize, c->min_keysize, c->max_keysize);
		break;
	}
	case CRYPTOCFGA_REPORT_BLKCIPHER: {
		const struct crypto_report_blkcipher *c = p;

		if (len < sizeof(*c))
			return;
		printf("type         : skcipher\nasync        : %s\nblocksize    : %u\n"
		       "min keysize  : %u\nmax keysize  : %u\nivsize       : %u\n"
		       "chunksize    : %u\nwalksize     : %u\n", async ? "yes" : "no",
		       c->blocksize, c->min_keysize, c->max_keysize, c->ivsize,
		       r->chunksize, r->chunksize);
		break;
	}
	case CRYPTOCFGA_REPORT_AEAD: {
		const struct crypto_report_aead *a = p;

		if (len < sizeof(*a))
			return;
		printf("type         : aead\nasync        : %s\nblocksize    : %u\n"
		       "ivsize       : %u\nmaxauthsize  : %u\ngeniv        : %.64s\n",
		       async ? "yes" : "no", a->blocksize, a->ivsize, a->maxauthsize, a->geniv);
		break;
	}
	case CRYPTOCFGA_REPORT_HASH: {
		const struct crypto_report_hash *h = p;

		if (len < sizeof(*h))
			return;
		printf("type         : shash\nblocksize    : %u\ndigestsize   : %u\n",
		       h->blocksize, h->digestsize);
		break;
	}
	case CRYPTOCFGA_REPORT_RNG: {
		const struct crypto_report_rng *g = p;

		if (len < sizeof(*g))
			return;
		printf("type         : rng\nseedsize     : %u\n", g->seedsize);
		break;
	}
	default:
		break;
	}
}

static int print_alg(const struct nlmsghdr *nlh, void *arg)
{
	struct alg_report r;

	(void)arg;
	if (parse_report(nlh, &r))
		return 0;
	printf("name         : %.64s\n", r.name ? r.name : r.cru->cru_name);
	printf("driver       : %.64s\n", r.driver ? r.driver : r.cru->cru_driver_name);
	printf("module       : %.64s\n", r.cru->cru_module_name);
	printf("priority     : %d\n", (int)r.priority);
	printf("refcnt       : %u\n", r.cru->cru_refcnt);
	printf("selftest     : %s\n", r.selftest);
	printf("internal     : %s\n", r.cru->cru_flags & CRU_FLAG_INTERNAL ? "yes" : "no");
	if (r.throughput)
		printf("throughput   : %u MB/s\n", r.throughput);
	if (r.report)
		print_report(&r);
	else
		printf("type         : unknown\n");
	if (r.failure)
		printf("failure      : %s\n", r.failure);
	putchar('\n');
	return 0;
}

/* ---- proposals ---- */

static bool local_avail(const char *name, enum proposal_kind kind, void *arg)
{
	(void)arg;
	return crypto_has_alg(name, kind == PROPOSAL_AEAD ? CRYPTO_ALG_TYPE_AEAD :
				    CRYPTO_ALG_TYPE_SHASH, 0);
}

struct remote_query {
	struct ctl_conn *c;
	int err;		/* a transport error ends the queries */
};

static int usable_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct alg_report r;

	if (parse_report(nlh, &r))
		return 0;
	*(bool *)arg = (r.cru->cru_flags & CRU_FLAG_TESTED) && !(r.cru->cru_flags & CRU_FLAG_DEAD);
	return 0;
}

static bool remote_avail(const char *name, enum proposal_kind kind, void *arg)
{
	struct remote_query *q = arg;
	struct crypto_user_alg req = {
		.cru_type = kind == PROPOSAL_AEAD ? CRU_TYPE_AEAD : CRU_TYPE_SHASH,
		.cru_mask = CRU_TYPE_MASK,
	};
	bool ok = false;
	int rc;

	if (q->err || strlen(name) >= sizeof(req.cru_name))
		return false;
	strcpy(req.cru_name, name);
	rc = ctl_request(q->c, CRYPTO_MSG_GETALG, 0, &req, sizeof(req), usable_reply, &ok, 1);
	if (rc == -ECONNRESET || rc == -ETIMEDOUT || rc == -EPIPE)
		q->err = rc;
	return rc == 0 && ok;
}

static int print_proposals(proposal_avail_fn avail, void *arg)
{
	char esp[PROPOSALS_MAX], ah[PROPOSALS_MAX];

	if (proposals_esp(esp, sizeof(esp), avail, arg) < 0 ||
	    proposals_ah(ah, sizeof(ah), avail, arg) < 0) {
		fprintf(stderr, "xfrmgw-ctl: proposal list too long\n");
		return -ENOSPC;
	}
	printf("esp_proposals = %s\n", esp);
	printf("ah_proposals = %s\n", ah);
	return 0;
}

/* ---- commands ---- */

static void quiet_log(int level, const char *msg)
{
	(void)level;
	(void)msg;
}

static int run_local(const char *cmd)
{
	int rc;

	/* An algorithm that fails its test just drops out of the proposals. */
	if (strcmp(cmd, "proposals") == 0)
		crypto_set_log(quiet_log);
	rc = crypto_init();

	if (strcmp(cmd, "algs") == 0)
		crypto_show_all(stdout);
	else if (rc == 0)
		rc = print_proposals(local_avail, NULL);
	crypto_exit();
	return rc ? 1 : 0;
}

static int run_remote(const char *cmd, const char *path, bool json, bool summary)
{
	bool crypto = strcmp(cmd, "algs") == 0 || strcmp(cmd, "proposals") == 0;
	struct ctl_conn c;
	int rc;

	rc = ctl_open(&c, path, crypto ? NETLINK_CRYPTO : NETLINK_XFRM);
	if (rc)
		return 1;
	if (strcmp(cmd, "algs") == 0) {
		rc = ctl_request(&c, CRYPTO_MSG_GETALG, NLM_F_DUMP, NULL, 0, print_alg, NULL, 0);
	} else if (strcmp(cmd, "proposals") == 0) {
		struct remote_query q = { .c = &c };

		rc = print_proposals(remote_avail, &q);
		if (!rc)
			rc = q.err;
	} else if (strcmp(cmd, "sa") == 0) {
		rc = ctl_xfrm_sa(&c);
	} else if (strcmp(cmd, "policy") == 0) {
		rc = ctl_xfrm_policy(&c);
	} else if (strcmp(cmd, "routes") == 0) {
		rc = ctl_routes(&c, json, summary);
	} else if (strcmp(cmd, "neighbours") == 0) {
		rc = ctl_neighbours(&c, json);
	} else {
		rc = ctl_xfrm_stats(&c);
	}
	ctl_close(&c);
	return rc ? 1 : 0;
}

static bool known(const char *cmd, bool local)
{
	static const char *const cmds[] = { "algs", "proposals", "sa", "policy", "stats",
					    "routes", "neighbours" };

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmd, cmds[i]) == 0)
			return !local || i < 2;
	return false;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "local", no_argument, NULL, 'l' },
		{ "ctl", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "summary", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, summary = false;
	const char *path = getenv("XFRMGW_CTL");
	int local = 0, c;

	if (!path || !*path)
		path = XFRMGW_CTL_DEFAULT_PATH;
	while ((c = getopt_long(argc, argv, "lc:hjs", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			summary = true;
			break;
		case 'j':
			json = true;
			break;
		case 'l':
			local = 1;
			break;
		case 'c':
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	if (!known(argv[optind], local)) {
		fprintf(stderr, "xfrmgw-ctl: unknown command '%s'%s\n", argv[optind],
			local ? " with --local (algs and proposals only)" : "");
		return 2;
	}
	return local ? run_local(argv[optind]) : run_remote(argv[optind], path, json, summary);
}
