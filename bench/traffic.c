/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-bench traffic: ESP tunnel (IPv4 in IPv4) data-path throughput
 * without NICs, algorithm x packet size x direction, xfrmgw beside the raw
 * crypto limit and the DPDK rte_ipsec peer; then lcore scaling on many SAs
 * and on one SA. Implementations are interleaved per size and repeated; the
 * figures are medians over the repetitions and the ratios are taken within
 * each repetition (same packets, same core, same moment) before the median.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "bench.h"
#include "cryptoapi/crypto.h"
#include "traffic.h"
#include "traffic_loop.h"

#define MAX_REPS 31
#define MAX_SEL 16

static const struct tr_alg algs[] = {
	{ "aes128gcm", "rfc4106(gcm(aes))", NULL, NULL, 20, 0, 128, 4, 8 },
	{ "aes256gcm", "rfc4106(gcm(aes))", NULL, NULL, 36, 0, 128, 4, 8 },
	{ "chacha20poly1305", "rfc7539esp(chacha20,poly1305)", NULL, NULL, 36, 0, 128, 4, 8 },
	{ "aes128cbc-sha256", NULL, "cbc(aes)", "hmac(sha256)", 16, 32, 128, 16, 16 },
};

/* IMIX 7:4:1 of 64/570/1518, spread so each burst holds a mix. */
static const struct tr_size sizes[] = {
	{ "64", { 64 }, 1 },
	{ "128", { 128 }, 1 },
	{ "256", { 256 }, 1 },
	{ "512", { 512 }, 1 },
	{ "1024", { 1024 }, 1 },
	{ "1420", { 1420 }, 1 },
	{ "imix", { 64, 570, 64, 64, 570, 64, 1518, 64, 570, 64, 64, 570 }, 12 },
};

struct opts {
	const struct tr_alg *alg[MAX_SEL];
	int nalg;
	const struct tr_size *size[MAX_SEL];
	int nsize;
	const struct tr_size *ssize[MAX_SEL];	/* scaling sizes */
	int nssize;
	bool impl[TR_IMPLS];
	int reps;
	double seconds;
	unsigned int sas;	/* SA pairs per lcore in the main table */
	unsigned int many;	/* SA pairs per lcore in "many SAs" scaling */
	unsigned int lcores;	/* most lcores in scaling (1: no scaling) */
	bool scaling;
	bool json;
	bool progress;
	const char *driver;
	char eal[512];
};

/* What ran, per implementation and repetition. */
struct rowres {
	bool have[TR_IMPLS];
	struct tr_meas m[TR_IMPLS][MAX_REPS];
	const char *why[TR_IMPLS];
	const char *driver[TR_IMPLS];
};

static const struct tr_ops *const impl_ops[TR_IMPLS] = {
	[TR_RAW] = &tr_raw_ops,
	[TR_XFRMGW] = &tr_xfrmgw_ops,
	[TR_PEER_CPU] = &tr_peer_cpu_ops,
	[TR_PEER_LKSD] = &tr_peer_lksd_ops,
};

static double hz;
static struct rte_mempool *pool;
static int steps_total, steps_done;

static void progress(const struct opts *o, const char *what)
{
	if (!o->progress)
		return;
	fprintf(stderr, "\r[%3d%%] %-60s", steps_total ? 100 * steps_done / steps_total : 0, what);
	fflush(stderr);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- one table: 1 lcore, algorithm x size, implementations interleaved ---- */

static void measure_size(const struct opts *o, const struct tr_alg *a, const struct tr_size *s,
			 void **pairs[TR_IMPLS], struct rowres *rr)
{
	struct tr_packets pk;
	char what[96];

	if (tr_packets_fill(&pk, pool, s, 0)) {
		fprintf(stderr, "xfrmgw-bench: out of mbufs\n");
		exit(1);
	}
	for (int rep = 0; rep < o->reps; rep++) {
		for (int k = 0; k < TR_IMPLS; k++) {
			int i = (k + rep) % TR_IMPLS;	/* rotate who goes first */
			struct tr_job job = {
				.ops = impl_ops[i], .pairs = pairs[i], .npairs = o->sas,
				.pk = &pk, .seconds = o->seconds,
			};

			if (!pairs[i])
				continue;
			snprintf(what, sizeof(what), "%s %s rep %d/%d %s", a->label, s->label,
				 rep + 1, o->reps, tr_impl_name[i]);
			progress(o, what);
			if (tr_run(&job, 1)) {
				fprintf(stderr, "\nxfrmgw-bench: %s: lcore setup failed\n",
					tr_impl_name[i]);
				exit(1);
			}
			tr_sum(&job, 1, hz, &rr->m[i][rep]);
			rr->have[i] = true;
		}
	}
	tr_packets_free(&pk);
}

/* Per repetition: xfrmgw throughput / other's throughput (= other cycles / ours). */
static double ratio(const struct opts *o, const struct rowres *rr, int dir, bool peer)
{
	double v[MAX_REPS];
	int n = 0;

	if (!rr->have[TR_XFRMGW])
		return 0;
	for (int rep = 0; rep < o->reps; rep++) {
		double ours = rr->m[TR_XFRMGW][rep].cpp[dir], other = 0;

		if (peer) {
			for (int i = TR_PEER_CPU; i <= TR_PEER_LKSD; i++) {
				double c = rr->have[i] ? rr->m[i][rep].cpp[dir] : 0;

				if (c > 0 && (other == 0 || c < other))
					other = c;	/* the faster peer */
			}
		} else if (rr->have[TR_RAW]) {
			other = rr->m[TR_RAW][rep].cpp[dir];
		}
		if (ours > 0 && other > 0)
			v[n++] = other / ours;
	}
	return median(v, n);
}

static double med_of(const struct opts *o, const struct rowres *rr, int impl, int dir, bool cpp)
{
	double v[MAX_REPS];
	int n = 0;

	if (!rr->have[impl])
		return 0;
	for (int rep = 0; rep < o->reps; rep++)
		v[n++] = cpp ? rr->m[impl][rep].cpp[dir] : rr->m[impl][rep].mpps[dir];
	return median(v, n);
}

static uint64_t drops_of(const struct opts *o, const struct rowres *rr, int impl)
{
	uint64_t d = 0;

	for (int rep = 0; rep < o->reps && rr->have[impl]; rep++)
		d += rr->m[impl][rep].drops;
	return d;
}

static bool first_json = true;

static void report_row(const struct opts *o, const struct tr_alg *a, const struct tr_size *s,
		       const struct rowres *rr)
{
	static const char *const dirs[2] = { "out", "in" };
	double mean = tr_size_mean(s);

	for (int d = 0; d < 2; d++) {
		double rl = ratio(o, rr, d, false), rp = ratio(o, rr, d, true);

		if (o->json) {
			printf("%s    {\"alg\": \"%s\", \"size\": \"%s\", \"mean_bytes\": %.1f, "
			       "\"dir\": \"%s\", \"impls\": {", first_json ? "" : ",\n", a->label,
			       s->label, mean, dirs[d]);
			first_json = false;
			for (int i = 0, c = 0; i < TR_IMPLS; i++) {
				double mpps = med_of(o, rr, i, d, false);

				if (!rr->have[i])
					continue;
				printf("%s\"%s\": {\"mpps\": %.4f, \"gbps\": %.4f, "
				       "\"cycles_per_packet\": %.1f, \"drops\": %llu, "
				       "\"driver\": \"%s\"}", c++ ? ", " : "", tr_impl_name[i], mpps,
				       mpps * mean * 8 / 1e3, med_of(o, rr, i, d, true),
				       (unsigned long long)drops_of(o, rr, i),
				       rr->driver[i] ? rr->driver[i] : "");
			}
			printf("}, \"ratio_limit\": %.4f, \"ratio_peer\": %.4f}", rl, rp);
			continue;
		}
		printf("%-17s %5s %-3s", a->label, s->label, dirs[d]);
		if (rr->have[TR_XFRMGW]) {
			double mpps = med_of(o, rr, TR_XFRMGW, d, false);

			printf(" %7.3f %7.2f %7.0f", mpps, mpps * mean * 8 / 1e3,
			       med_of(o, rr, TR_XFRMGW, d, true));
		} else {
			printf(" %7s %7s %7s", "-", "-", "-");
		}
		for (int i = 0; i < TR_IMPLS; i++) {
			if (i == TR_XFRMGW)
				continue;
			if (rr->have[i])
				printf(" %9.0f", med_of(o, rr, i, d, true));
			else
				printf(" %9s", "-");
		}
		if (rl > 0)
			printf(" %7.3f", rl);
		else
			printf(" %7s", "-");
		if (rp > 0)
			printf(" %7.3f\n", rp);
		else
			printf(" %7s\n", "-");
	}
	fflush(stdout);
}

static void print_header(const struct opts *o)
{
	if (o->json)
		return;
	printf("# ESP tunnel IPv4, 1 lcore, %u SA pair(s); cyc = TSC cycles per packet "
	       "(median of %d), ratios = xfrmgw throughput / other's\n", o->sas, o->reps);
	printf("%-17s %5s %-3s %7s %7s %7s %9s %9s %9s %7s %7s\n", "algorithm", "size", "dir",
	       "Mpps", "Gbps", "cyc", "limit-cyc", "peerC-cyc", "peerL-cyc", "x/limit", "x/peer");
}

static void bench_alg(const struct opts *o, const struct tr_alg *a)
{
	void **pairs[TR_IMPLS] = { NULL };
	struct rowres *rr = calloc(1, sizeof(*rr));

	if (!rr)
		exit(1);
	for (int i = 0; i < TR_IMPLS; i++) {
		if (!o->impl[i])
			continue;
		pairs[i] = calloc(o->sas, sizeof(void *));
		for (unsigned int p = 0; pairs[i] && p < o->sas; p++) {
			const char *why = "";

			pairs[i][p] = impl_ops[i]->pair_new(a, p, &why);
			if (!pairs[i][p]) {
				rr->why[i] = why;
				for (unsigned int q = 0; q < p; q++)
					impl_ops[i]->pair_free(pairs[i][q]);
				free(pairs[i]);
				pairs[i] = NULL;
			}
		}
		if (pairs[i])
			rr->driver[i] = impl_ops[i]->driver(pairs[i][0]);
		else if (!o->json)
			printf("# %s %s: not measured: %s\n", a->label, tr_impl_name[i],
			       rr->why[i] ? rr->why[i] : "no memory");
	}
	if (!o->json && pairs[TR_XFRMGW])
		printf("# %s: xfrmgw AEAD driver %s\n", a->label, rr->driver[TR_XFRMGW]);
	for (int si = 0; si < o->nsize; si++) {
		memset(rr->have, 0, sizeof(rr->have));
		measure_size(o, a, o->size[si], pairs, rr);
		steps_done++;
		report_row(o, a, o->size[si], rr);
	}
	for (int i = 0; i < TR_IMPLS; i++) {
		for (unsigned int p = 0; pairs[i] && p < o->sas; p++)
			impl_ops[i]->pair_free(pairs[i][p]);
		free(pairs[i]);
	}
	free(rr);
}

/* ---- scaling: xfrmgw on 1..N lcores, many SAs or one SA ---- */

struct scale_set {
	void **pairs[TR_MAX_LCORES];	/* per lcore */
	unsigned int npairs;
};

/* many: each lcore its own SA pairs; one: one outbound SA, an inbound copy per lcore. */
static int scale_setup(const struct opts *o, const struct tr_alg *a, bool one,
		       struct scale_set *ss)
{
	const struct tr_ops *ops = &tr_xfrmgw_ops;
	const char *why = "";

	memset(ss, 0, sizeof(*ss));
	ss->npairs = one ? 1 : o->many;
	for (unsigned int l = 0; l < o->lcores; l++) {
		ss->pairs[l] = calloc(ss->npairs, sizeof(void *));
		if (!ss->pairs[l])
			return -1;
		for (unsigned int p = 0; p < ss->npairs; p++) {
			if (!one)
				ss->pairs[l][p] = ops->pair_new(a, 1000 + l * ss->npairs + p, &why);
			else if (l == 0)
				ss->pairs[l][p] = ops->pair_new(a, 999, &why);
			else
				ss->pairs[l][p] = ops->pair_clone_in(ss->pairs[0][0], &why);
			if (!ss->pairs[l][p]) {
				fprintf(stderr, "xfrmgw-bench: scaling SA: %s\n", why);
				return -1;
			}
		}
	}
	return 0;
}

static void scale_free(const struct opts *o, struct scale_set *ss)
{
	/* clones share the first lcore's outbound SA: free them first */
	for (int l = (int)o->lcores - 1; l >= 0; l--) {
		for (unsigned int p = 0; ss->pairs[l] && p < ss->npairs; p++)
			if (ss->pairs[l][p])
				tr_xfrmgw_ops.pair_free(ss->pairs[l][p]);
		free(ss->pairs[l]);
	}
}

static void scale_one(const struct opts *o, const struct tr_alg *a, const struct tr_size *s,
		      bool one)
{
	struct tr_packets pk[TR_MAX_LCORES];
	struct tr_meas m[TR_MAX_LCORES + 1][MAX_REPS];
	struct scale_set ss;
	char what[96];

	if (scale_setup(o, a, one, &ss)) {
		scale_free(o, &ss);
		return;
	}
	for (unsigned int l = 0; l < o->lcores; l++)
		if (tr_packets_fill(&pk[l], pool, s, l))
			exit(1);
	for (int rep = 0; rep < o->reps; rep++) {
		for (unsigned int k = 0; k < o->lcores; k++) {
			unsigned int n = 1 + (k + (unsigned int)rep) % o->lcores;
			struct tr_job jobs[TR_MAX_LCORES];

			for (unsigned int l = 0; l < n; l++)
				jobs[l] = (struct tr_job){
					.ops = &tr_xfrmgw_ops, .pairs = ss.pairs[l],
					.npairs = ss.npairs, .pk = &pk[l], .seconds = o->seconds,
				};
			snprintf(what, sizeof(what), "scaling %s %s %s SA rep %d/%d %u lcore(s)",
				 a->label, s->label, one ? "one" : "many", rep + 1, o->reps, n);
			progress(o, what);
			if (tr_run(jobs, n)) {
				fprintf(stderr, "\nxfrmgw-bench: scaling run on %u lcores failed\n", n);
				exit(1);
			}
			tr_sum(jobs, n, hz, &m[n][rep]);
		}
	}
	steps_done++;
	for (unsigned int n = 1; n <= o->lcores; n++) {
		double v[2][MAX_REPS], sp[2][MAX_REPS], med[2], spd[2];
		uint64_t drops = 0;

		for (int d = 0; d < 2; d++) {
			for (int rep = 0; rep < o->reps; rep++) {
				v[d][rep] = m[n][rep].mpps[d];
				sp[d][rep] = m[1][rep].mpps[d] > 0 ?
					     m[n][rep].mpps[d] / m[1][rep].mpps[d] : 0;
				drops += m[n][rep].drops;
			}
			med[d] = median(v[d], o->reps);
			spd[d] = median(sp[d], o->reps);
		}
		if (o->json) {
			printf("%s    {\"alg\": \"%s\", \"size\": \"%s\", \"sas\": \"%s\", "
			       "\"sa_pairs_per_lcore\": %u, \"lcores\": %u, \"mpps_out\": %.4f, "
			       "\"mpps_in\": %.4f, \"speedup_out\": %.4f, \"speedup_in\": %.4f, "
			       "\"drops\": %llu}", first_json ? "" : ",\n", a->label, s->label,
			       one ? "one" : "many", ss.npairs, n, med[0], med[1], spd[0], spd[1],
			       (unsigned long long)drops);
			first_json = false;
		} else {
			printf("%-17s %5s %-4s %6u %8.3f %8.3f %8.3f %8.3f %7llu\n", a->label,
			       s->label, one ? "one" : "many", n, med[0], med[1], spd[0], spd[1],
			       (unsigned long long)drops);
		}
	}
	fflush(stdout);
	for (unsigned int l = 0; l < o->lcores; l++)
		tr_packets_free(&pk[l]);
	scale_free(o, &ss);
}

static void bench_scaling(const struct opts *o)
{
	const struct tr_alg *a = o->alg[0];

	if (!o->json) {
		printf("\n# scaling: xfrmgw, %s; many = %u SA pairs per lcore, one = one outbound "
		       "SA shared by all lcores (inbound: one copy per lcore, replay windows are "
		       "single-writer); Mpps summed over lcores, speedup vs 1 lcore (median of "
		       "per-repetition ratios)\n", a->label, o->many);
		printf("%-17s %5s %-4s %6s %8s %8s %8s %8s %7s\n", "algorithm", "size", "SAs",
		       "lcores", "Mpps-out", "Mpps-in", "x-out", "x-in", "drops");
	}
	for (int si = 0; si < o->nssize; si++) {
		scale_one(o, a, o->ssize[si], false);
		scale_one(o, a, o->ssize[si], true);
	}
}

/* ---- options ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xfrmgw-bench traffic [options]\n"
		"  --algs LIST        algorithms (default aes128gcm); 'all' for every one\n"
		"  --sizes LIST       inner IPv4 packet bytes or 'imix' (default "
		"64,128,256,512,1024,1420,imix)\n"
		"  --impls LIST       raw,xfrmgw,peer-cpu,peer-lookaside (default all)\n"
		"  --reps N           repetitions, median reported (default 5)\n"
		"  --seconds S        time per implementation and repetition (default 0.1)\n"
		"  --sas N            SA pairs cycled per lcore in the main table (default 1)\n"
		"  --lcores N         scaling up to N lcores (default: all EAL lcores, max %u)\n"
		"  --many-sas N       SA pairs per lcore in the 'many SAs' scaling (default 16)\n"
		"  --scaling-sizes L  sizes of the scaling runs (default 64,1420)\n"
		"  --no-scaling       main table only\n"
		"  --driver NAME      force xfrmgw's AEAD driver (e.g. an -openssl or -generic one)\n"
		"  --quick            64,1420 and imix, 1 repetition, 0.02 s: a smoke run\n"
		"  --json             JSON on stdout instead of the table\n"
		"  --progress         progress line on stderr (default when stderr is a tty)\n"
		"  --eal 'ARGS'       EAL arguments (default: no hugepages, lcores 0-1)\n"
		"algorithms:", TR_MAX_LCORES);
	for (size_t i = 0; i < RTE_DIM(algs); i++)
		fprintf(f, " %s", algs[i].label);
	fprintf(f, "\n");
}

static int pick_sizes(const char *arg, const struct tr_size **out, int *n)
{
	char buf[256];
	const char *tok[MAX_SEL];
	int k;

	snprintf(buf, sizeof(buf), "%s", arg);
	k = bench_split(buf, tok, MAX_SEL);
	*n = 0;
	for (int i = 0; i < k; i++) {
		size_t j;

		for (j = 0; j < RTE_DIM(sizes); j++)
			if (!strcmp(tok[i], sizes[j].label))
				break;
		if (j == RTE_DIM(sizes)) {
			fprintf(stderr, "xfrmgw-bench: size '%s' not one of 64,128,256,512,1024,"
				"1420,imix\n", tok[i]);
			return -1;
		}
		out[(*n)++] = &sizes[j];
	}
	return 0;
}

static int pick_algs(const char *arg, struct opts *o)
{
	char buf[256];
	const char *tok[MAX_SEL];
	int k;

	snprintf(buf, sizeof(buf), "%s", arg);
	k = bench_split(buf, tok, MAX_SEL);
	o->nalg = 0;
	for (int i = 0; i < k; i++) {
		bool all = !strcmp(tok[i], "all"), found = false;

		for (size_t j = 0; j < RTE_DIM(algs); j++) {
			if ((all || !strcmp(tok[i], algs[j].label)) && o->nalg < MAX_SEL) {
				o->alg[o->nalg++] = &algs[j];
				found = true;
			}
		}
		if (!found) {
			fprintf(stderr, "xfrmgw-bench: unknown algorithm '%s'\n", tok[i]);
			return -1;
		}
	}
	return 0;
}

static int pick_impls(const char *arg, struct opts *o)
{
	char buf[256];
	const char *tok[MAX_SEL];
	int k;

	snprintf(buf, sizeof(buf), "%s", arg);
	k = bench_split(buf, tok, MAX_SEL);
	memset(o->impl, 0, sizeof(o->impl));
	for (int i = 0; i < k; i++) {
		int j;

		for (j = 0; j < TR_IMPLS; j++)
			if (!strcmp(tok[i], tr_impl_name[j]))
				break;
		if (j == TR_IMPLS) {
			fprintf(stderr, "xfrmgw-bench: unknown implementation '%s'\n", tok[i]);
			return -1;
		}
		o->impl[j] = true;
	}
	return 0;
}

static long num_arg(const char *name, const char *v, long lo, long hi)
{
	char *end;
	long x = strtol(v, &end, 10);

	if (*end || x < lo || x > hi) {
		fprintf(stderr, "xfrmgw-bench: --%s wants a number from %ld to %ld\n", name, lo, hi);
		return -1;
	}
	return x;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "algs", required_argument, NULL, 'a' },
		{ "sizes", required_argument, NULL, 's' },
		{ "impls", required_argument, NULL, 'i' },
		{ "reps", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 't' },
		{ "sas", required_argument, NULL, 'S' },
		{ "lcores", required_argument, NULL, 'l' },
		{ "many-sas", required_argument, NULL, 'm' },
		{ "scaling-sizes", required_argument, NULL, 'z' },
		{ "no-scaling", no_argument, NULL, 'N' },
		{ "driver", required_argument, NULL, 'd' },
		{ "quick", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "progress", no_argument, NULL, 'p' },
		{ "eal", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (pick_algs(optarg, o))
				return -1;
			break;
		case 's':
			if (pick_sizes(optarg, o->size, &o->nsize))
				return -1;
			break;
		case 'z':
			if (pick_sizes(optarg, o->ssize, &o->nssize))
				return -1;
			break;
		case 'i':
			if (pick_impls(optarg, o))
				return -1;
			break;
		case 'r':
			if ((v = num_arg("reps", optarg, 1, MAX_REPS)) < 0)
				return -1;
			o->reps = (int)v;
			break;
		case 't':
			o->seconds = strtod(optarg, NULL);
			if (o->seconds <= 0 || o->seconds > 60) {
				fprintf(stderr, "xfrmgw-bench: bad --seconds '%s'\n", optarg);
				return -1;
			}
			break;
		case 'S':
			if ((v = num_arg("sas", optarg, 1, 4096)) < 0)
				return -1;
			o->sas = (unsigned int)v;
			break;
		case 'l':
			if ((v = num_arg("lcores", optarg, 1, TR_MAX_LCORES)) < 0)
				return -1;
			o->lcores = (unsigned int)v;
			break;
		case 'm':
			if ((v = num_arg("many-sas", optarg, 1, 4096)) < 0)
				return -1;
			o->many = (unsigned int)v;
			break;
		case 'N':
			o->scaling = false;
			break;
		case 'd':
			o->driver = optarg;
			break;
		case 'q':
			pick_sizes("64,1420,imix", o->size, &o->nsize);
			pick_sizes("64", o->ssize, &o->nssize);
			o->reps = 1;
			o->seconds = 0.02;
			o->many = 4;
			break;
		case 'j':
			o->json = true;
			break;
		case 'p':
			o->progress = true;
			break;
		case 'e':
			snprintf(o->eal, sizeof(o->eal), "%s", optarg);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "xfrmgw-bench: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static void machine_json(const struct opts *o)
{
	char model[128] = "unknown", line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && p) {
			snprintf(model, sizeof(model), "%s", p + 2);
			model[strcspn(model, "\n\"\\")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	printf("{\n  \"bench\": \"traffic\",\n  \"mode\": \"esp-tunnel-ipv4\",\n"
	       "  \"cpu\": \"%s\",\n  \"online_cpus\": %ld,\n  \"tsc_hz\": %.0f,\n"
	       "  \"reps\": %d,\n  \"seconds\": %.3f,\n  \"sa_pairs\": %u,\n"
	       "  \"peer_cpu_crypto\": %s,\n  \"results\": [\n", model,
	       sysconf(_SC_NPROCESSORS_ONLN), hz, o->reps, o->seconds, o->sas,
	       tr_peer_cpu_crypto() ? "true" : "false");
}

static void default_eal(struct opts *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	snprintf(o->eal, sizeof(o->eal),
		 "--no-huge --no-shconf --no-pci --no-telemetry -m 512 -l %s --log-level 3 "
		 "--file-prefix xfrmgw_bench_%d", cpus > 1 ? "0-1" : "0", (int)getpid());
}

int bench_traffic_main(int argc, char **argv)
{
	struct opts o = {
		.reps = 5, .seconds = 0.1, .sas = 1, .many = 16, .scaling = true,
		.progress = isatty(2),
	};
	const char *why = "";
	unsigned int nl;

	for (int i = 0; i < TR_IMPLS; i++)
		o.impl[i] = true;
	pick_algs("aes128gcm", &o);
	pick_sizes("64,128,256,512,1024,1420,imix", o.size, &o.nsize);
	pick_sizes("64,1420", o.ssize, &o.nssize);
	default_eal(&o);
	if (parse(argc, argv, &o))
		return 2;
	if (bench_eal_init(o.eal)) {
		fprintf(stderr, "xfrmgw-bench: EAL initialisation failed (--eal '%s')\n", o.eal);
		return 1;
	}
	if (crypto_init()) {
		fprintf(stderr, "xfrmgw-bench: crypto_init failed\n");
		return 1;
	}
	nl = rte_lcore_count();
	if (!o.lcores || o.lcores > nl)
		o.lcores = nl > TR_MAX_LCORES ? TR_MAX_LCORES : nl;
	if (o.lcores < 2)
		o.scaling = false;
	tr_xfrmgw_set_driver(o.driver);
	pool = rte_pktmbuf_pool_create("xb_pkts", 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	if (!pool) {
		fprintf(stderr, "xfrmgw-bench: no mbuf pool (more -m in --eal?)\n");
		return 1;
	}
	if ((o.impl[TR_PEER_CPU] || o.impl[TR_PEER_LKSD]) && tr_peer_init(o.lcores, &why))
		fprintf(stderr, "xfrmgw-bench: DPDK peer unavailable: %s\n", why);
	hz = bench_cycles_per_sec();
	steps_total = o.nalg * o.nsize + (o.scaling ? 2 * o.nssize : 0);
	if (o.json)
		machine_json(&o);
	else
		print_header(&o);
	for (int i = 0; i < o.nalg; i++)
		bench_alg(&o, o.alg[i]);
	if (o.json)
		printf("\n  ],\n  \"scaling\": [\n");
	first_json = true;
	if (o.scaling)
		bench_scaling(&o);
	if (o.json)
		printf("\n  ]\n}\n");
	if (o.progress)
		fprintf(stderr, "\r%-68s\r", "");
	tr_peer_fini();
	rte_mempool_free(pool);
	crypto_exit();
	rte_eal_cleanup();
	return 0;
}
