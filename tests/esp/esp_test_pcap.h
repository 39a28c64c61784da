/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcap I/O shared by the ESP and AH pcap harnesses: packets in from a
 * pcap (Ethernet header dropped), results out to a raw-IP pcap, and the
 * --jobs file ("SAFILES out|in SEGMENTS TIGHT IN.pcap OUT.pcap" a line).
 */
#ifndef XFRMGW_TESTS_ESP_TEST_PCAP_H
#define XFRMGW_TESTS_ESP_TEST_PCAP_H

#include <getopt.h>
#include <stdint.h>

#include <pcap/pcap.h>
#include <rte_mbuf.h>

struct esp_test_pcap_out {
	const char *prog;		/* prefix of error messages */
	pcap_t *dead;
	pcap_dumper_t *dump;
	unsigned long written;
};

/* Open path as a raw-IP pcap; 0, or -1 with a message on stderr. */
int esp_test_pcap_open_out(struct esp_test_pcap_out *o, const char *path);
void esp_test_pcap_close_out(struct esp_test_pcap_out *o);

/* Write the first good of n packets, free all n. */
void esp_test_pcap_dump(struct esp_test_pcap_out *o, struct rte_mbuf **mb, uint16_t n,
			uint16_t good);

/*
 * Every packet of the pcap at path, link header dropped, to pkt(); stops
 * when pkt() returns nonzero. 0 at the end of the file, else -1.
 */
int esp_test_pcap_each(const char *prog, const char *path,
		       int (*pkt)(void *arg, const uint8_t *data, uint32_t len), void *arg);

/* Every line of a jobs file to job(), after a "job N" line on stderr. */
int esp_test_pcap_jobs(const char *path,
		       int (*job)(void *arg, const char *sa, int dir_in, unsigned int segs,
				  int tight, const char *in, const char *out),
		       void *arg);

/* The options both harnesses take (getopt_long entries). */
#define ESP_TEST_PCAP_OPTIONS					\
	{ "sa", required_argument, NULL, 's' },			\
	{ "dir", required_argument, NULL, 'd' },		\
	{ "segments", required_argument, NULL, 'n' },		\
	{ "tight", no_argument, NULL, 't' },			\
	{ "jobs", required_argument, NULL, 'j' }

/*
 * Without --jobs: --sa and --dir out|in and two file names (nargs) are
 * needed; 0 with dir_in set, -1 for the usage message.
 */
int esp_test_pcap_single(const char *sa, const char *dir, int nargs, int *dir_in);

/* EAL and crypto, then a pool of 4095 mbufs; NULL with a message. */
struct rte_mempool *esp_test_pcap_start(const char *prog, const char *argv0,
					const char *pool_name);

#endif
