/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-pcap --xfrm FILE [--segments N] IN.pcap OUT.pcap
 *
 * The offline mode: SAs and policies from FILE (`ip -batch` lines, parsed
 * by iproute2 through the XFRM netlink server), every packet of IN through
 * the gateway's ESP/AH path, the results in OUT with IN's link type and
 * timestamps, the counters on stderr. Exit status: 0 done, 1 bad input
 * (the message names the file, line or packet), 2 usage. docs/PCAP.md.
 */
#include <errno.h>
#include <getopt.h>
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "cryptoapi/crypto.h"
#include "dataplane/pcap/pcap_mode.h"
#include "sa/rcu.h"
#include "sa/sad.h"

#define PROG		"xfrmgw-pcap"
#define EXIT_BAD_INPUT	1
#define EXIT_USAGE	2
#define POOL_MBUFS	8191
#define RCU_ID		0
#define XPC_LOCAL_ARGS	64
#define SEGMENTS_MAX	64

struct args {
	const char *xfrm;
	const char *in;
	const char *out;
	unsigned int segments;
	struct xpc_tools tools;
	unsigned int nlocal;
	struct xpc_local_addr local[XPC_LOCAL_ARGS];
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " --xfrm FILE [--segments N] IN.pcap OUT.pcap\n"
		"  --xfrm FILE      `ip -batch` lines (xfrm state/policy add ...) run by iproute2\n"
		"  --segments N     cut every packet into N mbuf segments at odd offsets (1-%d)\n"
		"  --ip PATH        iproute2's ip (default: /usr/sbin/ip, /sbin/ip, /bin/ip)\n"
		"  --exec PATH      xfrmgw-exec (default: $XFRMGW_EXEC, beside " PROG ", installed)\n"
		"  --timeout SECS   time ip -batch may take (default 120)\n"
		"  --local ADDR     one of the gateway's addresses (repeatable): what is for it is\n"
		"                   checked against in policies, the rest against fwd\n"
		"Counters go to stderr; exit status 0 ok, 1 bad input, 2 usage.\n", SEGMENTS_MAX);
}

static int parse_uint(const char *s, unsigned int lo, unsigned int hi, unsigned int *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || n < lo || n > hi)
		return -1;
	*v = (unsigned int)n;
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "xfrm", required_argument, NULL, 'x' },
		{ "segments", required_argument, NULL, 's' },
		{ "ip", required_argument, NULL, 'i' },
		{ "exec", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "local", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int o;

	memset(a, 0, sizeof(*a));
	a->segments = 1;
	a->tools.timeout_s = 120;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'x':
			a->xfrm = optarg;
			break;
		case 's':
			if (parse_uint(optarg, 1, SEGMENTS_MAX, &a->segments)) {
				fprintf(stderr, PROG ": --segments wants 1 to %d, not '%s'\n",
					SEGMENTS_MAX, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'i':
			a->tools.ip = optarg;
			break;
		case 'e':
			a->tools.exec = optarg;
			break;
		case 't':
			if (parse_uint(optarg, 1, 3600, &a->tools.timeout_s)) {
				fprintf(stderr, PROG ": --timeout wants 1 to 3600 seconds\n");
				return EXIT_USAGE;
			}
			break;
		case 'l': {
			struct xpc_local_addr *l = &a->local[a->nlocal];

			memset(l, 0, sizeof(*l));
			if (a->nlocal == XPC_LOCAL_ARGS) {
				fprintf(stderr, PROG ": at most %d --local addresses\n", XPC_LOCAL_ARGS);
				return EXIT_USAGE;
			}
			if (inet_pton(AF_INET, optarg, &l->addr.a4) == 1) {
				l->family = AF_INET;
			} else if (inet_pton(AF_INET6, optarg, l->addr.a6) == 1) {
				l->family = AF_INET6;
			} else {
				fprintf(stderr, PROG ": --local wants an IPv4 or IPv6 address, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			a->nlocal++;
			break;
		}
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!a->xfrm || argc - optind != 2) {
		fprintf(stderr, PROG ": %s\n", !a->xfrm ? "--xfrm FILE is required" :
			"IN.pcap and OUT.pcap are required");
		usage(stderr);
		return EXIT_USAGE;
	}
	a->in = argv[optind];
	a->out = argv[optind + 1];
	return 0;
}

/* EAL for one thread: no hugepages, no PCI, no files shared with others. */
static int eal_start(const char *prog)
{
	char prefix[64];
	char *argv[] = { (char *)prog, "--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
			 "-m", "256", "-l", "0", "--file-prefix", prefix,
			 "--log-level", "*:error" };

	snprintf(prefix, sizeof(prefix), "xfrmgw-pcap-%d", (int)getpid());
	if (rte_eal_init(sizeof(argv) / sizeof(argv[0]), argv) < 0) {
		fprintf(stderr, PROG ": DPDK EAL initialisation failed\n");
		return -1;
	}
	if (crypto_init()) {
		fprintf(stderr, PROG ": crypto API initialisation failed\n");
		rte_eal_cleanup();
		return -1;
	}
	return 0;
}

/* ---- reading ---- */

struct run {
	struct xpc_ctx *x;
	pcap_t *in;
	pcap_dumper_t *out;
	const char *in_name;
	uint8_t *frames;		/* XPC_BURST records of XPC_PKT_MAX bytes */
	uint8_t *flat;			/* one output record */
};

/*
 * The IP packet's own length (trailing L2 padding excluded), -1 if malformed.
 * An IPv4 header whose checksum does not verify is malformed (RFC 791 3.1;
 * the gateway and the kernel's ip_rcv drop it too).
 */
static int64_t ip_length(const uint8_t *ip, uint32_t len, unsigned int ver)
{
	uint32_t hl, tot;

	if (ver == 4) {
		if (len < 20 || ip[0] >> 4 != 4)
			return -1;
		hl = (ip[0] & 0xfu) * 4u;
		tot = (uint32_t)ip[2] << 8 | ip[3];
		if (hl < 20 || tot < hl || tot > len || rte_raw_cksum(ip, hl) != 0xffff)
			return -1;
		return (int64_t)tot;
	}
	if (len < 40 || ip[0] >> 4 != 6)
		return -1;
	tot = 40 + ((uint32_t)ip[4] << 8 | ip[5]);
	return tot > 40 && tot <= len ? (int64_t)tot : -1;	/* 0: jumbogram, not handled */
}

/* One record into slot p: stripped, built into an mbuf, classified. */
static void prepare(struct run *r, struct xpc_pkt *p, const struct pcap_pkthdr *ph)
{
	struct xpc_ctx *x = r->x;
	unsigned int ver;
	int64_t iplen;

	p->ts = ph->ts;
	p->caplen = ph->caplen;
	p->len = ph->len;
	p->m = NULL;
	p->depth = 0;
	p->mark = 0;
	p->sp.n = 0;
	if (xpc_l2_parse(x->link, p->frame, p->caplen, &p->l2_len, &ver)) {
		xpc_drop(x, p, XPC_DROP_MALFORMED);
		return;
	}
	if (!ver) {
		xpc_pass(x, p, XPC_PASS_NOT_IP);
		return;
	}
	if (p->caplen < p->len) {
		xpc_drop(x, p, XPC_DROP_SNAPLEN);
		return;
	}
	iplen = ip_length(p->frame + p->l2_len, p->caplen - p->l2_len, ver);
	if (iplen < 0 || p->l2_len > XPC_L2_MAX) {
		xpc_drop(x, p, XPC_DROP_MALFORMED);
		return;
	}
	memcpy(p->l2, p->frame, p->l2_len);
	p->m = xpc_mbuf_build(x->pool, p->frame + p->l2_len, (uint32_t)iplen, x->segments);
	if (!p->m) {
		xpc_drop(x, p, XPC_DROP_NO_MBUF);
		return;
	}
	xpc_classify(x, p, false);
}

static void dump(struct run *r, const struct xpc_pkt *p, const uint8_t *data, uint32_t len)
{
	struct pcap_pkthdr ph = { .ts = p->ts, .caplen = len, .len = len };

	if (p->fate == XPC_DONE_PASS)
		ph.len = p->len;
	pcap_dump((u_char *)r->out, &ph, data);
	r->x->cnt->written++;
}

/* A transformed packet behind its (re-labelled) L2 header. */
static void write_result(struct run *r, struct xpc_pkt *p)
{
	struct xpc_ctx *x = r->x;
	unsigned int ver = rte_pktmbuf_mtod(p->m, const uint8_t *)[0] >> 4;
	int len;

	if (!xpc_l2_fix(x->link, p->l2, p->l2_len, ver)) {
		xpc_drop(x, p, XPC_DROP_LINK_FAMILY);
		return;
	}
	len = xpc_mbuf_flatten(p->m, p->l2, p->l2_len, r->flat, XPC_PKT_MAX);
	if (len < 0) {
		xpc_drop(x, p, XPC_DROP_TOO_BIG);
		return;
	}
	if (p->fate == XPC_DONE_DECAP)
		x->cnt->decapsulated++;
	else
		x->cnt->encapsulated++;
	dump(r, p, r->flat, (uint32_t)len);
}

static void finish(struct run *r, struct xpc_pkt *p, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		switch (p[i].fate) {
		case XPC_DONE_PASS:
			dump(r, &p[i], p[i].frame, p[i].caplen);
			break;
		case XPC_DONE_DECAP:
		case XPC_DONE_ENCAP:
			write_result(r, &p[i]);
			break;
		default:
			break;
		}
		rte_pktmbuf_free(p[i].m);
		p[i].m = NULL;
	}
}

static void burst(struct run *r, struct xpc_pkt *p, unsigned int n)
{
	xpc_engine_run(r->x, p, n);
	finish(r, p, n);
	sa_rcu_quiescent(r->x->db->rcu, RCU_ID);
}

/* Every record of IN; 0, or -1 for a damaged file (after the good records). */
static int run_capture(struct run *r)
{
	struct xpc_pkt p[XPC_BURST];
	struct pcap_pkthdr *ph;
	const u_char *data;
	unsigned int n = 0;
	int rc;

	memset(p, 0, sizeof(p));
	while ((rc = pcap_next_ex(r->in, &ph, &data)) == 1) {
		struct xpc_pkt *q = &p[n];
		uint8_t *frame = r->frames + (size_t)n * XPC_PKT_MAX;

		q->number = ++r->x->cnt->read;
		if (ph->caplen > XPC_PKT_MAX) {
			xpc_drop(r->x, q, XPC_DROP_TOO_BIG);
			q->m = NULL;
		} else {
			memcpy(frame, data, ph->caplen);
			q->frame = frame;
			prepare(r, q, ph);
		}
		if (++n == XPC_BURST) {
			burst(r, p, n);
			n = 0;
		}
	}
	if (n)
		burst(r, p, n);
	if (rc == PCAP_ERROR) {
		fprintf(stderr, PROG ": %s: packet %llu: %s\n", r->in_name,
			(unsigned long long)r->x->cnt->read + 1, pcap_geterr(r->in));
		return -1;
	}
	return 0;
}

/* ---- setup ---- */

/* The file's own timestamp precision: nanoseconds only for that pcap magic. */
static int native_precision(const char *name)
{
	uint8_t magic[4] = { 0 };
	FILE *f = fopen(name, "rb");

	if (f) {
		if (fread(magic, 1, sizeof(magic), f) != sizeof(magic))
			memset(magic, 0, sizeof(magic));
		fclose(f);
	}
	if ((magic[0] == 0xa1 && magic[1] == 0xb2 && magic[2] == 0x3c && magic[3] == 0x4d) ||
	    (magic[0] == 0x4d && magic[1] == 0x3c && magic[2] == 0xb2 && magic[3] == 0xa1))
		return PCAP_TSTAMP_PRECISION_NANO;
	return PCAP_TSTAMP_PRECISION_MICRO;
}

static pcap_t *open_input(const char *name, const struct xpc_link **link)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;
	int dlt;

	p = pcap_open_offline_with_tstamp_precision(name, native_precision(name), err);
	if (!p) {
		if (access(name, R_OK) == 0)
			fprintf(stderr, PROG ": %s: not a pcap file: %s\n", name, err);
		else
			fprintf(stderr, PROG ": %s: %s\n", name, strerror(errno));
		return NULL;
	}
	dlt = pcap_datalink(p);
	*link = xpc_link_find(dlt);
	if (!*link) {
		fprintf(stderr, PROG ": %s: link type %d (%s) is not supported; ethernet, raw, "
			"ipv4, ipv6, linux-sll, linux-sll2, null and loop are\n", name, dlt,
			pcap_datalink_val_to_name(dlt) ?: "unknown");
		pcap_close(p);
		return NULL;
	}
	return p;
}

/* OUT: IN's link type, precision and snapshot length (at least an IP packet's). */
static pcap_dumper_t *open_output(const char *name, pcap_t *in, pcap_t **dead)
{
	pcap_dumper_t *d;

	/* the output has IN's precision: timestamps are copied unscaled */
	int snaplen = pcap_snapshot(in) > 65535 ? pcap_snapshot(in) : 65535;

	*dead = pcap_open_dead_with_tstamp_precision(pcap_datalink(in), snaplen,
						     pcap_get_tstamp_precision(in));
	if (!*dead) {
		fprintf(stderr, PROG ": out of memory\n");
		return NULL;
	}
	d = pcap_dump_open(*dead, name);
	if (!d) {
		fprintf(stderr, PROG ": %s: %s\n", name, pcap_geterr(*dead));
		pcap_close(*dead);
		*dead = NULL;
	}
	return d;
}

static int run_packets(struct xpc_ctx *x, const struct args *a, pcap_t *in)
{
	struct run r = { .x = x, .in = in, .in_name = a->in };
	pcap_t *dead = NULL;
	int rc = -1;

	r.frames = malloc((size_t)XPC_BURST * XPC_PKT_MAX);
	r.flat = malloc(XPC_PKT_MAX);
	if (!r.frames || !r.flat) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	r.out = open_output(a->out, in, &dead);
	if (!r.out)
		goto out;
	sa_rcu_register(x->db->rcu, RCU_ID);
	rc = run_capture(&r);
	sa_rcu_unregister(x->db->rcu, RCU_ID);
	pcap_dump_close(r.out);
	pcap_close(dead);
	xpc_counters_print(x->cnt);
out:
	free(r.frames);
	free(r.flat);
	return rc;
}

static int run(const struct args *a)
{
	struct xpc_counters cnt = { 0 };
	struct xpc_ctx x = { .cnt = &cnt, .segments = a->segments };
	char msg[128];
	struct xpc_db db;
	pcap_t *in;
	int rc = EXIT_BAD_INPUT;

	in = open_input(a->in, &x.link);
	if (!in)
		return EXIT_BAD_INPUT;
	if (eal_start(PROG)) {
		pcap_close(in);
		return EXIT_BAD_INPUT;
	}
	if (xpc_db_open(&db, msg, sizeof(msg))) {
		fprintf(stderr, PROG ": %s\n", msg);
		goto out_eal;
	}
	x.db = &db;
	x.now = sad_now(db.sad);
	for (unsigned int i = 0; i < a->nlocal; i++)
		if (xpc_db_add_local(&db, a->local[i].family, &a->local[i].addr)) {
			fprintf(stderr, PROG ": out of memory\n");
			goto out_db;
		}
	if (xpc_xfrm_load(&db, a->xfrm, &a->tools))
		goto out_db;
	x.pool = rte_pktmbuf_pool_create("xfrmgw_pcap", POOL_MBUFS, 0, 0,
					 RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (!x.pool || xpc_engine_init() || xpc_xform_lcore_init(&x) ||
	    xpc_counters_init(&cnt, db.sas, db.nsa)) {
		fprintf(stderr, PROG ": cannot allocate the packet buffers\n");
		goto out_pool;
	}
	rc = run_packets(&x, a, in) ? EXIT_BAD_INPUT : 0;
out_pool:
	xpc_counters_free(&cnt);
	xpc_xform_lcore_free(&x);
	rte_mempool_free(x.pool);
out_db:
	xpc_db_close(&db);
out_eal:
	crypto_exit();
	rte_eal_cleanup();
	pcap_close(in);
	return rc;
}

int main(int argc, char **argv)
{
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc;
	return run(&a);
}
