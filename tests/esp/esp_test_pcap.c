/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include "tests/esp/esp_test_pcap.h"
#include "tests/esp/esp_test_util.h"

#define MAX_PKT	65536

int esp_test_pcap_open_out(struct esp_test_pcap_out *o, const char *path)
{
	o->written = 0;
	o->dead = pcap_open_dead(DLT_RAW, MAX_PKT);
	o->dump = o->dead ? pcap_dump_open(o->dead, path) : NULL;
	if (!o->dump) {
		fprintf(stderr, "%s: %s\n", o->prog,
			o->dead ? pcap_geterr(o->dead) : "pcap_open_dead failed");
		if (o->dead)
			pcap_close(o->dead);
		o->dead = NULL;
		return -1;
	}
	return 0;
}

void esp_test_pcap_close_out(struct esp_test_pcap_out *o)
{
	pcap_dump_close(o->dump);
	pcap_close(o->dead);
	o->dump = NULL;
	o->dead = NULL;
}

void esp_test_pcap_dump(struct esp_test_pcap_out *o, struct rte_mbuf **mb, uint16_t n,
			uint16_t good)
{
	static uint8_t buf[MAX_PKT + 1024];

	for (uint16_t i = 0; i < n; i++) {
		if (i < good) {
			struct pcap_pkthdr ph = { 0 };
			int len = esp_test_flat(mb[i], buf, sizeof(buf));

			if (len >= 0) {
				ph.caplen = ph.len = (bpf_u_int32)len;
				pcap_dump((u_char *)o->dump, &ph, buf);
				o->written++;
			}
		}
		rte_pktmbuf_free(mb[i]);
	}
}

int esp_test_pcap_each(const char *prog, const char *path,
		       int (*pkt)(void *arg, const uint8_t *data, uint32_t len), void *arg)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const u_char *data;
	pcap_t *p;
	int dlt, rc;

	p = pcap_open_offline(path, errbuf);
	if (!p) {
		fprintf(stderr, "%s: %s\n", prog, errbuf);
		return -1;
	}
	dlt = pcap_datalink(p);
	while ((rc = pcap_next_ex(p, &ph, &data)) == 1) {
		uint32_t off = dlt == DLT_EN10MB ? 14 : 0;

		if (ph->caplen <= off)
			continue;
		if (pkt(arg, data + off, ph->caplen - off)) {
			rc = -1;
			break;
		}
	}
	pcap_close(p);
	return rc == -2 ? 0 : -1;
}

int esp_test_pcap_jobs(const char *path,
		       int (*job)(void *arg, const char *sa, int dir_in, unsigned int segs,
				  int tight, const char *in, const char *out),
		       void *arg)
{
	char line[4096], sa[2048], dir[8], in[1024], out[1024];
	unsigned int segs, n = 0;
	int tight, rc = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%2047s %7s %u %d %1023s %1023s", sa, dir, &segs, &tight, in,
			   out) != 6)
			continue;
		fprintf(stderr, "job %u\n", n++);
		if (job(arg, sa, !strcmp(dir, "in"), segs, tight, in, out))
			rc = -1;
	}
	fclose(f);
	return rc;
}

int esp_test_pcap_single(const char *sa, const char *dir, int nargs, int *dir_in)
{
	if (!sa || !dir || nargs != 2)
		return -1;
	*dir_in = !strcmp(dir, "in");
	return *dir_in || !strcmp(dir, "out") ? 0 : -1;
}

struct rte_mempool *esp_test_pcap_start(const char *prog, const char *argv0,
					const char *pool_name)
{
	struct rte_mempool *pool;

	if (esp_test_eal_init(argv0)) {
		fprintf(stderr, "%s: EAL or crypto init failed\n", prog);
		return NULL;
	}
	pool = rte_pktmbuf_pool_create(pool_name, 4095, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	if (!pool)
		fprintf(stderr, "%s: cannot create the mbuf pool\n", prog);
	return pool;
}
