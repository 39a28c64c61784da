/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-bench traffic: the packets and the measurement loop shared by all
 * implementations. A round takes a burst of plain packets, times the
 * outbound call, then the inbound call on what came out; the packets are
 * plain again for the next round. Only the two calls are timed (TSC); drops
 * are replaced by fresh packets outside the timed windows.
 */
#include <arpa/inet.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_udp.h>

#include "bench.h"
#include "traffic.h"
#include "traffic_loop.h"

const char *const tr_impl_name[TR_IMPLS] = {
	[TR_RAW] = "raw",
	[TR_XFRMGW] = "xfrmgw",
	[TR_PEER_CPU] = "peer-cpu",
	[TR_PEER_LKSD] = "peer-lookaside",
};

void tr_alg_keys(const struct tr_alg *a, uint8_t *enckey, uint8_t *authkey)
{
	(void)a;
	for (unsigned int i = 0; i < 64; i++) {
		enckey[i] = (uint8_t)(0x11 + 7 * i);
		authkey[i] = (uint8_t)(0xa0 + i);
	}
}

double tr_size_mean(const struct tr_size *s)
{
	double sum = 0;

	for (unsigned int i = 0; i < s->n; i++)
		sum += s->len[i];
	return s->n ? sum / s->n : 0;
}

void tr_ipv4_cksum(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);

	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

struct rte_mbuf *tr_packet(struct rte_mempool *pool, uint16_t len, unsigned int flow)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint8_t *p;

	if (!m)
		return NULL;
	if (len < sizeof(*ip) + sizeof(*udp))
		len = sizeof(*ip) + sizeof(*udp);
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (!p) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	ip = (struct rte_ipv4_hdr *)p;
	udp = (struct rte_udp_hdr *)(ip + 1);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = 0x45;
	ip->total_length = htons(len);
	ip->packet_id = htons((uint16_t)flow);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = htonl(0x0a010000u | (flow & 0xff) << 8 | 1);	/* 10.1.x.1 */
	ip->dst_addr = htonl(0x0a020001u);				/* 10.2.0.1 */
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = htons((uint16_t)(1024 + flow));
	udp->dst_port = htons(5201);
	udp->dgram_len = htons((uint16_t)(len - sizeof(*ip)));
	udp->dgram_cksum = 0;
	for (uint16_t i = sizeof(*ip) + sizeof(*udp); i < len; i++)
		p[i] = (uint8_t)(i * 31 + flow);
	return m;
}

int tr_packets_fill(struct tr_packets *pk, struct rte_mempool *pool, const struct tr_size *s,
		    unsigned int lcore_idx)
{
	pk->pool = pool;
	pk->size = s;
	pk->lcore_idx = lcore_idx;
	for (unsigned int i = 0; i < TR_PKTS; i++) {
		pk->m[i] = tr_packet(pool, s->len[i % s->n], lcore_idx * TR_PKTS + i);
		if (!pk->m[i]) {
			tr_packets_free(pk);
			return -1;
		}
	}
	return 0;
}

void tr_packets_free(struct tr_packets *pk)
{
	for (unsigned int i = 0; i < TR_PKTS; i++) {
		rte_pktmbuf_free(pk->m[i]);
		pk->m[i] = NULL;
	}
}

/* Dropped packets make room for fresh plain ones (outside the timing). */
static void tr_refill(struct tr_job *j, struct rte_mbuf *mb[], uint16_t n, unsigned int round)
{
	const struct tr_size *s = j->pk->size;

	for (uint16_t i = 0; i < n; i++) {
		rte_pktmbuf_free(mb[i]);
		mb[i] = tr_packet(j->pk->pool, s->len[(round + i) % s->n], round + i);
	}
	j->drops += n;
}

static void tr_round(struct tr_job *j, void *ctx, unsigned int r, bool count)
{
	struct rte_mbuf **mb = j->pk->m + (r % (TR_PKTS / TR_BURST)) * TR_BURST;
	void *pair = j->pairs[r % j->npairs];
	uint64_t t0, t1, t2, t3;
	uint16_t k, g;

	t0 = bench_cycles();
	k = j->ops->out(ctx, pair, mb, TR_BURST);
	t1 = bench_cycles();
	if (unlikely(k < TR_BURST))
		tr_refill(j, mb + k, (uint16_t)(TR_BURST - k), r);
	t2 = bench_cycles();
	g = j->ops->in(ctx, pair, mb, k);
	t3 = bench_cycles();
	if (unlikely(g < k))
		tr_refill(j, mb + g, (uint16_t)(k - g), r);
	if (!count)
		return;
	j->cyc[TR_OUT] += t1 - t0;
	j->cyc[TR_IN] += t3 - t2;
	j->done[TR_OUT] += k;
	j->done[TR_IN] += g;
}

static int tr_job_run(void *arg)
{
	struct tr_job *j = arg;
	void *ctx = j->ops->lcore_init(j->lcore_idx, j->pk->pool);
	unsigned int r;
	double end;

	if (ctx) {
		/* Warm caches, the per-thread crypto state and the branch predictors. */
		for (r = 0; r < 4 * TR_PKTS / TR_BURST + j->npairs; r++)
			tr_round(j, ctx, r, false);
	} else {
		j->err = -1;
	}
	j->drops = 0;
	__atomic_add_fetch(j->arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(j->arrived, __ATOMIC_ACQUIRE) < j->nlcores)
		rte_pause();
	if (!ctx)
		return -1;
	end = bench_now() + j->seconds;
	for (r = 0;; r++) {
		if ((r & 7) == 0 && bench_now() >= end)
			break;
		tr_round(j, ctx, r, true);
	}
	j->ops->lcore_fini(ctx);
	return 0;
}

int tr_run(struct tr_job jobs[], unsigned int nlcores)
{
	unsigned int arrived = 0, idx = 1, lcore;
	int rc = 0;

	for (unsigned int i = 0; i < nlcores; i++) {
		memset(jobs[i].cyc, 0, sizeof(jobs[i].cyc));
		memset(jobs[i].done, 0, sizeof(jobs[i].done));
		jobs[i].drops = 0;
		jobs[i].err = 0;
		jobs[i].arrived = &arrived;
		jobs[i].nlcores = nlcores;
		jobs[i].lcore_idx = i;
	}
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (idx >= nlcores)
			break;
		if (rte_eal_remote_launch(tr_job_run, &jobs[idx], lcore))
			return -1;
		idx++;
	}
	if (idx < nlcores)
		return -1;	/* launched ones wait at the barrier: caller exits */
	tr_job_run(&jobs[0]);
	idx = 1;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (idx++ >= nlcores)
			break;
		rte_eal_wait_lcore(lcore);
	}
	for (unsigned int i = 0; i < nlcores; i++)
		if (jobs[i].err)
			rc = -1;
	return rc;
}

void tr_sum(const struct tr_job jobs[], unsigned int nlcores, double hz, struct tr_meas *m)
{
	memset(m, 0, sizeof(*m));
	for (unsigned int i = 0; i < nlcores; i++) {
		for (int d = 0; d < 2; d++) {
			if (!jobs[i].cyc[d] || !jobs[i].done[d])
				continue;
			/* Each lcore's rate over its busy cycles; lcores add up. */
			m->mpps[d] += jobs[i].done[d] * hz / jobs[i].cyc[d] / 1e6;
			m->pkts[d] += jobs[i].done[d];
		}
		m->drops += jobs[i].drops;
	}
	for (int d = 0; d < 2; d++)
		m->cpp[d] = m->mpps[d] > 0 ? hz / (m->mpps[d] * 1e6) * nlcores : 0;
}
