/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-bench: benchmarks of the data path, one subcommand each.
 *   xfrmgw-bench crypto [options]   crypto API drivers against the raw libraries
 *   xfrmgw-bench traffic [options]  ESP data path vs. the crypto limit and rte_ipsec
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include <rte_eal.h>

#include "bench.h"
#include "traffic.h"

static const struct bench_cmd cmds[] = {
	{ "crypto", "throughput of crypto API drivers vs. intel-ipsec-mb and OpenSSL EVP",
	  bench_crypto_main },
	{ "traffic", "ESP data path (mbufs, lcores) vs. the raw crypto limit and DPDK rte_ipsec",
	  bench_traffic_main },
};

double bench_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

uint64_t bench_cycles(void)
{
	return __rdtsc();
}

double bench_cycles_per_sec(void)
{
	static double hz;

	if (hz == 0) {
		double t0 = bench_now(), t1;
		uint64_t c0 = bench_cycles();

		while ((t1 = bench_now()) - t0 < 0.05)
			;
		hz = (bench_cycles() - c0) / (t1 - t0);
	}
	return hz;
}

int bench_split(char *buf, const char **out, int max)
{
	int n = 0;

	for (char *tok = strtok(buf, ","); tok && n < max; tok = strtok(NULL, ","))
		out[n++] = tok;
	return n;
}

bool bench_match(const char *name, const char *const *filters, int n)
{
	if (n == 0)
		return true;
	for (int i = 0; i < n; i++)
		if (strstr(name, filters[i]))
			return true;
	return false;
}

int bench_eal_init(const char *args)
{
	static char buf[512];
	char *argv[32] = { "xfrmgw-bench" };
	int argc = 1;

	snprintf(buf, sizeof(buf), "%s", args);
	for (char *tok = strtok(buf, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	return rte_eal_init(argc, argv) < 0 ? -1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: xfrmgw-bench COMMAND [options]\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "xfrmgw-bench COMMAND --help for its options\n");
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].main(argc - 1, argv + 1);
	fprintf(stderr, "xfrmgw-bench: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
