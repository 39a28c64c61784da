/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-bench: subcommands share option helpers, timing and output.
 * A subcommand is `int main(int argc, char **argv)` over its own arguments
 * (argv[0] is the subcommand name).
 */
#ifndef XFRMGW_BENCH_H
#define XFRMGW_BENCH_H

#include <stdbool.h>
#include <stdint.h>

struct bench_cmd {
	const char *name;
	const char *summary;
	int (*main)(int argc, char **argv);
};

int bench_crypto_main(int argc, char **argv);

/* TSC ticks and their rate (calibrated once against CLOCK_MONOTONIC). */
uint64_t bench_cycles(void);
double bench_cycles_per_sec(void);
double bench_now(void);

/* Split "a,b,c" into at most max pointers into buf; returns the count. */
int bench_split(char *buf, const char **out, int max);
/* Does name contain any of the filters (none given: yes)? */
bool bench_match(const char *name, const char *const *filters, int n);

/* Initialise EAL once (extra args split on spaces); 0 or -1. */
int bench_eal_init(const char *args);

#endif
