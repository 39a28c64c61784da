/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sa_scale: install rate and lookup cost of the SAD and SPD (a benchmark,
 * not a test). Usage: sa_scale [max_sas [max_policies]], default 1000000 and
 * 100000; it measures at 1k, 100k, 1M SAs and 1k, 100k policies up to those.
 * Times are the thread's CPU time, so other work on a shared machine does not
 * inflate them.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_malloc.h>

#include "sa/sad.h"
#include "sa/spd.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);	/* other load on the box does not count */
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* DPDK heap in use (all sockets) and the process's resident set, bytes. */
static void mem_now(double *heap, double *rss)
{
	struct rte_malloc_socket_stats st;
	char line[128];
	FILE *f = fopen("/proc/self/status", "r");

	*heap = 0;
	*rss = 0;
	for (int s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (!rte_malloc_get_socket_stats(s, &st))
			*heap += (double)st.heap_allocsz_bytes;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			*rss = atof(line + 6) * 1024;
	if (f)
		fclose(f);
}

static void v4(xfrm_address_t *a, uint32_t host)
{
	memset(a, 0, sizeof(*a));
	a->a4 = htonl(host);
}

static void count_ae(void *arg, struct xfrm_sa *sa, uint32_t flags)
{
	(void)sa;
	(void)flags;
	++*(unsigned long *)arg;
}

/* The control thread's NEWAE tick: every SA quiet, then every SA moved by 2. */
static void bench_aevents(struct sad *sad, uint32_t n)
{
	unsigned long told = 0;
	double t0, t1, t2;

	sad_aevent_tick(sad, 1000, count_ae, &told);	/* arms the timers */
	t0 = now_s();
	sad_aevent_tick(sad, 1001, count_ae, &told);
	t1 = now_s();
	for (uint32_t i = 0; i < n; i++) {
		xfrm_address_t d;
		struct xfrm_sa *sa;
		uint64_t seq;

		v4(&d, 0x0a000000u + (i & 0xffff));
		sa = sad_lookup_in(sad, &d, AF_INET, htonl(0x1000 + i), IPPROTO_ESP, 0, 0);
		sa_oseq_next(sa, &seq);
		sa_oseq_next(sa, &seq);
	}
	t2 = now_s();
	sad_aevent_tick(sad, 1002, count_ae, &told);
	printf("    NEWAE tick: %.2f ms with no SA moving, %.2f ms with all %lu told\n",
	       (t1 - t0) * 1e3, (now_s() - t2) * 1e3, told);
}

static void bench_sad(struct sa_rcu *rcu, uint32_t n)
{
	struct sad_config cfg = { .name = "bsad", .rcu = rcu };	/* default max, grows */
	uint32_t lookups = 4u << 20, found = 0;
	struct sad_in_key keys[SAD_BURST_MAX];
	struct xfrm_sa *out[SAD_BURST_MAX];
	double t0, t1, t2, heap0, rss0, heap1, rss1;
	struct sad *sad;

	mem_now(&heap0, &rss0);
	sad = sad_create(&cfg);

	if (!sad) {
		fprintf(stderr, "sad_create(%u) failed\n", n);
		return;
	}
	t0 = now_s();
	for (uint32_t i = 0; i < n; i++) {
		struct xfrm_sa *sa = sa_alloc();

		sa->family = AF_INET;
		v4(&sa->id.daddr, 0x0a000000u + (i & 0xffff));
		v4(&sa->saddr, 0xc0000201u);
		sa->id.spi = htonl(0x1000 + i);
		sa->id.proto = IPPROTO_ESP;
		sa->reqid = i;
		sa->replay_maxdiff = 2;		/* the kernel's NEWAE defaults, as netlink sets */
		sa->replay_maxage = 10;
		if (sad_add(sad, sa))
			fprintf(stderr, "add %u failed\n", i);
		sa_put(sa);
	}
	t1 = now_s();
	mem_now(&heap1, &rss1);
	printf("SAD %8u SAs: memory per SA %.0f B of DPDK heap (tables) + %.0f B of RSS "
	       "(SA objects; RSS includes the heap pages touched)\n", n, (heap1 - heap0) / n,
	       (rss1 - rss0) / n);
	for (uint32_t i = 0; i < lookups; i++) {
		uint32_t k = (i * 2654435761u) % n;
		xfrm_address_t d;

		v4(&d, 0x0a000000u + (k & 0xffff));
		found += sad_lookup_in(sad, &d, AF_INET, htonl(0x1000 + k), IPPROTO_ESP, 0, 0) != NULL;
	}
	t2 = now_s();
	printf("SAD %8u SAs: install %8.0f SA/s, lookup %6.1f ns (found %u/%u)", n,
	       n / (t1 - t0), (t2 - t1) * 1e9 / lookups, found, lookups);
	t1 = now_s();
	for (uint32_t i = 0; i < lookups; i += SAD_BURST_MAX) {
		for (uint32_t j = 0; j < SAD_BURST_MAX; j++) {
			uint32_t k = ((i + j) * 2654435761u) % n;

			memset(&keys[j], 0, sizeof(keys[j]));
			v4(&keys[j].daddr, 0x0a000000u + (k & 0xffff));
			keys[j].spi = htonl(0x1000 + k);
			keys[j].family = AF_INET;
			keys[j].proto = IPPROTO_ESP;
		}
		sad_lookup_in_burst(sad, keys, SAD_BURST_MAX, out);
	}
	t2 = now_s();
	printf(", burst %5.1f ns\n", (t2 - t1) * 1e9 / lookups);
	bench_aevents(sad, n);
	t1 = now_s();
	sad_destroy(sad);
	printf("    teardown %.2f s\n", now_s() - t1);
}

static struct xfrm_policy *bench_policy(uint32_t i)
{
	struct xfrm_policy *p = policy_alloc();

	p->sel.family = AF_INET;
	v4(&p->sel.saddr, 0xac100000u + ((i & 0xff) << 8));
	p->sel.prefixlen_s = 24;
	v4(&p->sel.daddr, 0x0a000000u + (i << 8));
	p->sel.prefixlen_d = 24;
	p->dir = XFRM_POLICY_OUT;
	p->priority = 1000 + (i % 7);
	p->action = XFRM_POLICY_ALLOW;
	return p;
}

static void bench_flow(struct spd_flow *f, uint32_t k)
{
	memset(f, 0, sizeof(*f));
	f->family = AF_INET;
	v4(&f->saddr, 0xac100000u + ((k & 0xff) << 8) + 5);
	v4(&f->daddr, 0x0a000000u + (k << 8) + 9);
	f->proto = IPPROTO_UDP;
}

/*
 * n /24-to-/24 policies plus a catch-all of worse priority (two shapes):
 * install, publish, single and burst lookups, then one change + publish at n.
 */
static void bench_spd(struct sa_rcu *rcu, uint32_t n)
{
	struct spd_config cfg = { .name = "bspd", .rcu = rcu };
	struct spd *spd = spd_create(&cfg);
	uint32_t lookups = 1u << 20, found = 0, changes = 1000;
	struct spd_flow fl[SPD_BURST_MAX];
	struct xfrm_policy *out[SPD_BURST_MAX], *any;
	double t0, t1, t2, t3, t4, t5, t6;

	if (!spd)
		return;
	t0 = now_s();
	for (uint32_t i = 0; i < n; i++) {
		struct xfrm_policy *p = bench_policy(i);

		if (spd_insert(spd, p, true, NULL))
			fprintf(stderr, "insert %u failed\n", i);
		policy_put(p);
	}
	any = policy_alloc();
	any->sel.family = AF_INET;
	any->dir = XFRM_POLICY_OUT;
	any->priority = 5000;
	spd_insert(spd, any, true, NULL);
	policy_put(any);
	t1 = now_s();
	if (spd_publish(spd))
		fprintf(stderr, "publish failed\n");
	t2 = now_s();
	for (uint32_t i = 0; i < lookups; i++) {
		struct spd_flow f;

		bench_flow(&f, (i * 2654435761u) % n);
		found += spd_lookup(spd, XFRM_POLICY_OUT, &f) != NULL;
	}
	t3 = now_s();
	for (uint32_t i = 0; i < lookups; i += SPD_BURST_MAX) {
		for (uint32_t j = 0; j < SPD_BURST_MAX; j++)
			bench_flow(&fl[j], ((i + j) * 2654435761u) % n);
		spd_lookup_burst(spd, XFRM_POLICY_OUT, AF_INET, fl, SPD_BURST_MAX, out);
	}
	t4 = now_s();
	/* an IKE daemon adding then removing tunnels one by one, each published alone */
	for (uint32_t i = 0; i < changes; i++) {
		struct xfrm_policy *p = bench_policy(n + i);

		spd_insert(spd, p, true, NULL);
		policy_put(p);
		spd_publish(spd);
	}
	t5 = now_s();
	for (uint32_t i = 0; i < changes; i++) {
		struct xfrm_policy *p = bench_policy(n + i);
		struct spd_id id = { .dir = XFRM_POLICY_OUT, .sel = p->sel };

		spd_delete(spd, &id, NULL);
		policy_put(p);
		spd_publish(spd);
	}
	t6 = now_s();
	printf("SPD %8u policies: insert %8.0f/s, publish %.3f ms, lookup %6.1f ns, burst %5.1f ns "
	       "(found %u/%u); one add+publish %.1f us, one delete+publish %.1f us\n", n,
	       n / (t1 - t0), (t2 - t1) * 1e3, (t3 - t2) * 1e9 / lookups,
	       (t4 - t3) * 1e9 / lookups, found, lookups, (t5 - t4) * 1e6 / changes,
	       (t6 - t5) * 1e6 / changes);
	spd_destroy(spd);
}

int main(int argc, char **argv)
{
	char *eal[] = { argv[0], "--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
			"-m", "4096", "--file-prefix", "sa_scale", "-l", "0", "--log-level", "lib.*:error" };
	uint32_t max_sa = argc > 1 ? (uint32_t)atoi(argv[1]) : 1000000;
	uint32_t max_pol = argc > 2 ? (uint32_t)atoi(argv[2]) : 100000;
	static const uint32_t sas[] = { 1000, 100000, 1000000 }, pols[] = { 1000, 100000 };
	struct sa_rcu *rcu;

	if (rte_eal_init(sizeof(eal) / sizeof(eal[0]), eal) < 0)
		return 1;
	rcu = sa_rcu_create(4);
	for (size_t i = 0; i < 3; i++)
		if (sas[i] <= max_sa)
			bench_sad(rcu, sas[i]);
	for (size_t i = 0; i < 2; i++)
		if (pols[i] <= max_pol)
			bench_spd(rcu, pols[i]);
	sa_rcu_destroy(rcu);
	rte_eal_cleanup();
	return 0;
}
