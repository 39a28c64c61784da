/* SPDX-License-Identifier: BSD-3-Clause */
/* xfrmgw-bench traffic: the per-lcore packet sets and the timed loop (traffic_loop.c). */
#ifndef XFRMGW_BENCH_TRAFFIC_LOOP_H
#define XFRMGW_BENCH_TRAFFIC_LOOP_H

#include "traffic.h"

/* Plain packets of one lcore: eight bursts, reused by every implementation. */
#define TR_PKTS (8 * TR_BURST)

enum { TR_OUT = 0, TR_IN = 1 };

struct tr_packets {
	struct rte_mbuf *m[TR_PKTS];
	struct rte_mempool *pool;
	const struct tr_size *size;
	unsigned int lcore_idx;
};

int tr_packets_fill(struct tr_packets *pk, struct rte_mempool *pool, const struct tr_size *s,
		    unsigned int lcore_idx);
void tr_packets_free(struct tr_packets *pk);

/* One lcore's part of a measurement. */
struct tr_job {
	const struct tr_ops *ops;
	void **pairs;		/* round r uses pairs[r % npairs] */
	unsigned int npairs;
	struct tr_packets *pk;
	double seconds;
	/* filled by tr_run */
	unsigned int lcore_idx, nlcores;
	unsigned int *arrived;
	uint64_t cyc[2], done[2], drops;
	int err;
};

/* Run jobs[i] on the i-th lcore (0: this one) at the same time. 0 or -1. */
int tr_run(struct tr_job jobs[], unsigned int nlcores);

struct tr_meas {
	double mpps[2];		/* summed over lcores, busy-cycle rate */
	double cpp[2];		/* cycles per packet on one lcore */
	uint64_t pkts[2];
	uint64_t drops;
};

void tr_sum(const struct tr_job jobs[], unsigned int nlcores, double hz, struct tr_meas *m);

#endif
