/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * esp_pcap_harness: run every packet of a pcap through esp_outbound or
 * esp_inbound of one SA built from a description (esp_test_util.h), write
 * the result as a raw-IP pcap, print the counters to stderr.
 *
 *   esp_pcap_harness --sa FILE --dir out|in [--segments N] [--tight]
 *                    [--burst N] [--bench SECONDS] IN.pcap OUT.pcap
 *   esp_pcap_harness --jobs FILE
 *
 * --jobs runs many cases in one process (EAL starts once): each line is
 * "SAFILE out|in SEGMENTS TIGHT(0|1) IN.pcap OUT.pcap"; each job's counters
 * follow a "job N" line on stderr.
 *
 * Input link types: raw IP (DLT_RAW, LINKTYPE_IPV4/IPV6) or Ethernet (the
 * 14-byte header is stripped). With an encapsulating SA, inbound packets go
 * through esp_natt_classify() first, as the gateway does. --bench repeats
 * the first packet for SECONDS through esp_outbound (bursts of 32, packets
 * rebuilt from a template each time) and prints packets per second.
 */
#include <errno.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "cryptoapi/crypto.h"
#include "esp/esp.h"
#include "sa/sa_crypto.h"
#include "tests/esp/esp_test_pcap.h"
#include "tests/esp/esp_test_util.h"

#define MAX_BURST 32

struct harness {
	struct rte_mempool *pool;
	struct esp_lcore *lc;
	struct xfrm_sa *sa;
	int dir_in;
	unsigned int segs, burst;
	int tight;
	struct esp_test_pcap_out out;
	struct rte_mbuf *mb[MAX_BURST];
	uint16_t n;
	unsigned long natt_class[4];
};

static void flush(struct harness *h)
{
	uint16_t good;

	good = h->dir_in ? esp_inbound(h->lc, h->sa, h->mb, h->n) :
			   esp_outbound(h->lc, h->sa, h->mb, h->n);
	esp_test_pcap_dump(&h->out, h->mb, h->n, good);
	h->n = 0;
}

static int one_packet(void *arg, const uint8_t *data, uint32_t len)
{
	struct harness *h = arg;
	struct rte_mbuf *m = esp_test_mbuf(h->pool, data, len, h->segs, h->tight);

	if (!m) {
		fprintf(stderr, "esp_pcap_harness: cannot build a packet of %u bytes\n", len);
		return -1;
	}
	if (h->dir_in && h->sa->has_encap) {
		uint32_t spi;
		enum esp_natt_class c = esp_natt_classify(m, &spi);

		h->natt_class[c]++;
		if (c == ESP_NATT_KEEPALIVE || c == ESP_NATT_IKE) {
			rte_pktmbuf_free(m);	/* absorbed / exception path */
			return 0;
		}
	}
	h->mb[h->n++] = m;
	if (h->n == h->burst)
		flush(h);
	return 0;
}

/* The pcap at in through the SA into the output pcap, which is closed. */
static int run_pcap(struct harness *h, const char *in, const char *out)
{
	int rc;

	if (esp_test_pcap_open_out(&h->out, out))
		return -1;
	rc = esp_test_pcap_each("esp_pcap_harness", in, one_packet, h);
	if (h->n)
		flush(h);
	esp_test_pcap_close_out(&h->out);
	return rc;
}

/* Informational: esp_outbound packets per second on this core. */
static int bench(struct harness *h, const char *in, double seconds)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct rte_mbuf *mb[MAX_BURST];
	struct pcap_pkthdr *ph;
	const u_char *data;
	struct timespec t0, t1;
	unsigned long pkts = 0;
	double el = 0;
	pcap_t *p = pcap_open_offline(in, errbuf);
	uint32_t len;

	if (!p || pcap_next_ex(p, &ph, &data) != 1)
		return -1;
	len = ph->caplen;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (el < seconds) {
		uint16_t i, good;

		for (i = 0; i < h->burst; i++) {
			mb[i] = rte_pktmbuf_alloc(h->pool);
			memcpy(rte_pktmbuf_append(mb[i], (uint16_t)len), data, len);
		}
		good = esp_outbound(h->lc, h->sa, mb, (uint16_t)h->burst);
		pkts += good;
		rte_pktmbuf_free_bulk(mb, h->burst);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		el = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	}
	printf("bench: %u-byte packets, %lu in %.2f s: %.0f pps, %.1f Mbit/s (plaintext), "
	       "%s (%s)\n", len, pkts, el, pkts / el, pkts / el * len * 8 / 1e6,
	       h->sa->crypto->name, crypto_tfm_alg_driver_name(&h->sa->crypto->aead->base));
	pcap_close(p);
	return 0;
}

static void print_stats(struct harness *h)
{
	const struct esp_stats *s = esp_lcore_stats(h->lc);
	static const char *const cls[] = { "esp", "ike", "keepalive", "not_udp" };

	fprintf(stderr, "in_packets=%lu in_bytes=%lu out_packets=%lu out_bytes=%lu written=%lu\n",
		(unsigned long)s->in_packets, (unsigned long)s->in_bytes,
		(unsigned long)s->out_packets, (unsigned long)s->out_bytes, h->out.written);
	for (int r = 0; r < ESP_DROP_MAX; r++)
		if (s->drop[r])
			fprintf(stderr, "drop.%s=%lu\n", esp_drop_name((enum esp_drop)r),
				(unsigned long)s->drop[r]);
	for (int c = 0; c < 4; c++)
		if (h->natt_class[c])
			fprintf(stderr, "natt.%s=%lu\n", cls[c], h->natt_class[c]);
	fprintf(stderr, "sa.oseq=%lu sa.events=%u sa.state=%u\n", (unsigned long)h->sa->oseq,
		h->sa->ev_raised, h->sa->state);
}

/* One case: build the SA, run the pcap, print the counters, drop the SA. */
static int run_job(void *arg, const char *sa_file, int dir_in, unsigned int segs, int tight,
		   const char *in, const char *out)
{
	struct harness *h = arg;
	char err[256] = "", *text = esp_test_read_file(sa_file);
	int rc;

	if (!text) {
		fprintf(stderr, "esp_pcap_harness: cannot read %s\n", sa_file);
		return -1;
	}
	h->dir_in = dir_in;
	h->segs = segs;
	h->tight = tight;
	memset(esp_lcore_stats(h->lc), 0, sizeof(struct esp_stats));
	memset(h->natt_class, 0, sizeof(h->natt_class));
	h->out.written = 0;
	h->sa = esp_test_sa_build(text, err, sizeof(err));
	free(text);
	if (!h->sa) {
		fprintf(stderr, "esp_pcap_harness: SA: %s\n", err);
		return -1;
	}
	rc = run_pcap(h, in, out);
	print_stats(h);
	sa_put(h->sa);
	h->sa = NULL;
	return rc;
}

static void usage(void)
{
	fprintf(stderr, "usage: esp_pcap_harness --sa FILE --dir out|in [--segments N] [--tight] "
			"[--burst N] [--bench SECONDS] IN.pcap OUT.pcap\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		ESP_TEST_PCAP_OPTIONS,
		{ "burst", required_argument, NULL, 'b' },
		{ "bench", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	struct harness h = { .segs = 1, .burst = MAX_BURST, .out.prog = "esp_pcap_harness" };
	const char *sa_file = NULL, *dir = NULL, *jobs = NULL;
	double bench_s = 0;
	char err[256] = "", *text;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': sa_file = optarg; break;
		case 'd': dir = optarg; break;
		case 'n': h.segs = (unsigned int)atoi(optarg); break;
		case 't': h.tight = 1; break;
		case 'b': h.burst = (unsigned int)atoi(optarg); break;
		case 'B': bench_s = atof(optarg); break;
		case 'j': jobs = optarg; break;
		default: usage();
		}
	}
	if (h.burst < 1 || h.burst > MAX_BURST)
		usage();
	if (!jobs && esp_test_pcap_single(sa_file, dir, argc - optind, &h.dir_in))
		usage();
	h.pool = esp_test_pcap_start("esp_pcap_harness", argv[0], "harness");
	h.lc = h.pool ? esp_lcore_create(h.pool, SOCKET_ID_ANY) : NULL;
	if (!h.lc) {
		fprintf(stderr, "esp_pcap_harness: cannot set up the pool or lcore\n");
		return 1;
	}
	if (jobs) {
		rc = esp_test_pcap_jobs(jobs, run_job, &h);
		goto out;
	}
	if (bench_s <= 0) {
		rc = run_job(&h, sa_file, h.dir_in, h.segs, h.tight, argv[optind],
			     argv[optind + 1]);
		goto out;
	}
	text = esp_test_read_file(sa_file);
	if (!text) {
		fprintf(stderr, "esp_pcap_harness: cannot read %s\n", sa_file);
		return 1;
	}
	h.sa = esp_test_sa_build(text, err, sizeof(err));
	free(text);
	if (!h.sa) {
		fprintf(stderr, "esp_pcap_harness: SA: %s\n", err);
		return 1;
	}
	rc = bench(&h, argv[optind], bench_s);
	print_stats(&h);
	sa_put(h.sa);
out:
	esp_lcore_free(h.lc);
	rte_mempool_free(h.pool);
	crypto_exit();
	rte_eal_cleanup();
	return rc ? 1 : 0;
}
