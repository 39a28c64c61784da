/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ah_pcap_harness: run every packet of a pcap through ah_outbound/ah_inbound
 * of one SA, or through an SA bundle (bundle_outbound/bundle_inbound), and
 * write the result as a raw-IP pcap; counters go to stderr.
 *
 *   ah_pcap_harness --sa FILE[,FILE...] --dir out|in [--segments N]
 *                   [--tight | --split] IN.pcap OUT.pcap
 *   ah_pcap_harness --jobs FILE
 *
 * --segments N re-chains each packet into N segments at odd offsets;
 * --tight (TIGHT 1 in a job) gives the head no headroom and the last
 * segment no tailroom; --split (TIGHT 2) makes the head exactly the headers
 * AH cuts at (inbound: IP header(s) and AH, the head ending at its buffer's
 * end; outbound: the IP header(s), the head starting at its buffer's start)
 * and the rest N - 1 tight segments.
 *
 * Several SA files (comma separated, template order: "esp.sa,ah.sa" is the
 * ESP-then-AH bundle) run as a bundle; one AH SA goes straight through
 * ah_outbound/ah_inbound. --jobs runs many cases in one
 * process: each line "SAFILES out|in SEGMENTS TIGHT IN.pcap OUT.pcap"; the
 * counters of each job follow a "job N" line.
 *
 * SA files: an AH SA has a "proto ah" line and is read here; anything else
 * is an ESP SA in the format of tests/esp/esp_test_util.h. AH SAs are built
 * the way netlink/xfrm_sa.c builds them: sa_set_auth_trunc / sa_set_aead
 * (the same attribute checks), then sa_crypto_bind() with the packet types
 * registered (sa/xfrm_type.h, as dataplane/xform.c registers them), so AH-GMAC here is exactly what "ip xfrm state add ... proto ah
 * aead 'rfc4543(gcm(aes))' KEY 128" gives the gateway. AH lines:
 *   proto ah / spi N / src A / dst A / mode tunnel|transport
 *   auth NAME HEXKEY TRUNCBITS      keyed digest (hmac(sha256), xcbc(aes), ...)
 *   gmac HEXKEY                     rfc4543(gcm(aes)), key || salt (RFC 4543 4)
 *   esn 0|1 / replay W / oseq N / iseq N / reqid N
 *   flags align4 nopmtudisc
 *   lifetime soft_bytes|hard_bytes|soft_packets|hard_packets N
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "ah/ah.h"
#include "cryptoapi/crypto.h"
#include "esp/esp.h"
#include "sa/bundle.h"
#include "sa/sa_crypto.h"
#include "tests/esp/esp_test_pcap.h"
#include "tests/esp/esp_test_util.h"

#define MAX_BURST 32

struct harness {
	struct rte_mempool *pool;
	struct xfrm_lcore xl;
	struct bundle_lcore bl;
	struct bundle b;
	int dir_in;
	unsigned int segs;
	int tight;
	struct esp_test_pcap_out out;
	struct rte_mbuf *mb[MAX_BURST];
	uint16_t n;
};

struct ah_desc {
	struct esp_test_sa_common c;
	char auth[64];
	uint8_t key[128];
	int klen, gmac;
	unsigned int trunc;
};

static int ah_flags(struct ah_desc *d, char **tok, int n)
{
	for (int i = 1; i < n; i++) {
		if (!strcmp(tok[i], "align4"))
			d->c.info.flags |= XFRM_STATE_ALIGN4;
		else if (!strcmp(tok[i], "nopmtudisc"))
			d->c.info.flags |= XFRM_STATE_NOPMTUDISC;
		else
			return -1;
	}
	return 0;
}

static int ah_line(struct ah_desc *d, char **tok, int n)
{
	int rc;

	if (!strcmp(tok[0], "proto"))
		return 0;
	if (n < 2)
		return -1;
	rc = esp_test_sa_common_line(&d->c, tok, n);
	if (rc <= 0)
		return rc;
	if (!strcmp(tok[0], "auth") && n >= 4) {
		snprintf(d->auth, sizeof(d->auth), "%s", tok[1]);
		d->klen = esp_test_hex_key(tok[2], d->key, sizeof(d->key));
		d->trunc = (unsigned int)strtoul(tok[3], NULL, 0);
		return d->klen < 0 ? -1 : 0;
	} else if (!strcmp(tok[0], "gmac")) {
		d->gmac = 1;
		d->klen = esp_test_hex_key(tok[1], d->key, sizeof(d->key));
		return d->klen < 0 ? -1 : 0;
	} else if (!strcmp(tok[0], "reqid")) {
		d->c.info.reqid = (uint32_t)strtoul(tok[1], NULL, 0);
	} else if (!strcmp(tok[0], "flags")) {
		return ah_flags(d, tok, n);
	} else {
		return -1;
	}
	return 0;
}

static int ah_set_alg(struct xfrm_sa *sa, const struct ah_desc *d, const char **msg)
{
	if (d->gmac)
		return esp_test_set_aead(sa, "rfc4543(gcm(aes))", d->key, d->klen, 128, msg);
	return esp_test_set_auth(sa, d->auth, d->key, d->klen, d->trunc, msg);
}

/* Build a VALID AH SA from its description, bind it, choose its ops. */
static struct xfrm_sa *ah_sa_build(const char *text, char *err, size_t errlen)
{
	char *copy = strdup(text), *line, *save = NULL;
	struct xfrm_sa *sa = NULL;
	const char *why = "";
	struct ah_desc d;
	int rc;

	memset(&d, 0, sizeof(d));
	esp_test_sa_common_init(&d.c, IPPROTO_AH);
	if (!copy)
		return NULL;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tok[8];
		int n = esp_test_tokens(line, tok, 8);

		if (n && ah_line(&d, tok, n)) {
			snprintf(err, errlen, "bad AH SA line starting \"%s\"", tok[0]);
			goto out;
		}
	}
	sa = esp_test_sa_alloc(&d.c);
	if (!sa)
		goto out;
	rc = ah_set_alg(sa, &d, &why);
	if (rc) {
		snprintf(err, errlen, "algorithm rejected: %s (%d)", why, rc);
		goto fail;
	}
	if (esp_test_sa_seq(sa, &d.c, err, errlen))
		goto fail;
	/* The netlink path: the bind runs the SA's type's init_state. */
	rc = sa_crypto_bind(sa, err, errlen);
	if (rc)
		goto fail;
	if (!sa->ops) {
		snprintf(err, errlen, "bound without packet functions");
		goto fail;
	}
	sa->state = SA_STATE_VALID;
	goto out;
fail:
	sa_put(sa);
	sa = NULL;
out:
	crypto_wipe(&d, sizeof(d));
	free(copy);
	return sa;
}

static struct xfrm_sa *sa_from_file(const char *path, char *err, size_t errlen)
{
	char *text = esp_test_read_file(path);
	struct xfrm_sa *sa;

	if (!text) {
		snprintf(err, errlen, "cannot read %s", path);
		return NULL;
	}
	sa = strstr(text, "proto ah") ? ah_sa_build(text, err, errlen) :
					esp_test_sa_build(text, err, errlen);
	free(text);
	return sa;
}

/* "a.sa,b.sa" -> a bundle in template order (one file: a bundle of one). */
static int bundle_from_files(struct bundle *b, const char *list, char *err, size_t errlen)
{
	struct xfrm_sa *sa[BUNDLE_MAX] = { NULL };
	struct bundle_tmpl t[BUNDLE_MAX];
	char *copy = strdup(list), *save = NULL, *f;
	const char *why = "";
	unsigned int n = 0;
	int rc = -1;

	if (!copy)
		return -1;
	for (f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (n == BUNDLE_MAX) {
			snprintf(err, errlen, "too many SAs");
			goto out;
		}
		sa[n] = sa_from_file(f, err, errlen);
		if (!sa[n])
			goto out;
		t[n] = (struct bundle_tmpl){ .proto = sa[n]->id.proto, .mode = sa[n]->mode };
		n++;
	}
	rc = bundle_init(b, t, sa, n, &why);
	if (rc)
		snprintf(err, errlen, "bundle: %s", why);
out:
	if (rc)
		for (unsigned int i = 0; i < n; i++)
			sa_put(sa[i]);
	free(copy);
	return rc;
}

static struct ah_lcore *ah_lc(const struct harness *h)
{
	return xfrm_lcore_state(&h->xl, &ah_type);
}

static struct esp_lcore *esp_lc(const struct harness *h)
{
	return xfrm_lcore_state(&h->xl, &esp_type);
}

static void flush(struct harness *h)
{
	struct rte_mbuf **mb = h->mb;
	uint16_t good, n = h->n;

	if (h->b.n == 1 && h->b.sa[0]->id.proto == IPPROTO_AH)	/* AH alone: the AH API itself */
		good = h->dir_in ? ah_inbound(ah_lc(h), h->b.sa[0], mb, n) :
				   ah_outbound(ah_lc(h), h->b.sa[0], mb, n);
	else
		good = h->dir_in ? bundle_inbound(&h->bl, &h->b, mb, n) :
				   bundle_outbound(&h->bl, &h->b, mb, n);
	esp_test_pcap_dump(&h->out, mb, n, good);
	h->n = 0;
}

/*
 * Bytes of the headers AH cuts at: the IP header and the extension headers
 * before AH, with AH itself inbound; 0 when the packet is not as expected.
 */
static uint32_t split_point(const uint8_t *d, uint32_t len, int dir_in)
{
	uint32_t off;
	uint8_t nh;

	if (len < 20)
		return 0;
	if (d[0] >> 4 == 4) {
		off = (d[0] & 0xfu) * 4u;
		nh = d[9];
	} else {
		off = 40;
		nh = d[6];
		while ((nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_DSTOPTS) &&
		       off + 2 <= len) {
			nh = d[off];
			off += ((uint32_t)d[off + 1] + 1) * 8;
		}
	}
	if (dir_in && nh == IPPROTO_AH && off + 2 <= len)
		off += ((uint32_t)d[off + 1] + 2) * 4;
	return off < len ? off : 0;
}

/* --split: the head is the headers alone; the rest in segs - 1 segments. */
static struct rte_mbuf *split_mbuf(struct harness *h, const uint8_t *d, uint32_t len)
{
	uint32_t k = split_point(d, len, h->dir_in);
	struct rte_mbuf *m, *rest;

	if (!k)
		return esp_test_mbuf(h->pool, d, len, h->segs, 1);
	m = rte_pktmbuf_alloc(h->pool);
	rest = esp_test_mbuf(h->pool, d + k, len - k, h->segs > 1 ? h->segs - 1 : 1, 1);
	if (!m || !rest || k > m->buf_len) {
		rte_pktmbuf_free(m);
		rte_pktmbuf_free(rest);
		return NULL;
	}
	m->data_off = h->dir_in ? (uint16_t)(m->buf_len - k) : 0;
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), d, k);
	m->data_len = (uint16_t)k;
	m->pkt_len = k + rest->pkt_len;
	m->nb_segs = (uint16_t)(1 + rest->nb_segs);
	m->next = rest;
	return m;
}

static int one_packet(void *arg, const uint8_t *data, uint32_t len)
{
	struct harness *h = arg;
	struct rte_mbuf *m;

	m = h->tight == 2 ? split_mbuf(h, data, len) :
			    esp_test_mbuf(h->pool, data, len, h->segs, h->tight);
	if (!m) {
		fprintf(stderr, "ah_pcap_harness: cannot build a packet of %u bytes\n", len);
		return -1;
	}
	h->mb[h->n++] = m;
	if (h->n == MAX_BURST)
		flush(h);
	return 0;
}

static void print_stats(struct harness *h)
{
	const struct ah_stats *a = ah_lcore_stats(ah_lc(h));
	const struct esp_stats *e = esp_lcore_stats(esp_lc(h));

	fprintf(stderr, "in_packets=%lu in_bytes=%lu out_packets=%lu out_bytes=%lu written=%lu\n",
		(unsigned long)a->in_packets, (unsigned long)a->in_bytes,
		(unsigned long)a->out_packets, (unsigned long)a->out_bytes, h->out.written);
	for (int r = 0; r < AH_DROP_MAX; r++)
		if (a->drop[r])
			fprintf(stderr, "drop.%s=%lu\n", ah_drop_name((enum ah_drop)r),
				(unsigned long)a->drop[r]);
	fprintf(stderr, "esp.in_packets=%lu esp.out_packets=%lu\n",
		(unsigned long)e->in_packets, (unsigned long)e->out_packets);
	for (int r = 0; r < ESP_DROP_MAX; r++)
		if (e->drop[r])
			fprintf(stderr, "esp.drop.%s=%lu\n", esp_drop_name((enum esp_drop)r),
				(unsigned long)e->drop[r]);
	fprintf(stderr, "bundle.in_packets=%lu bundle.out_packets=%lu\n",
		(unsigned long)h->bl.stats.in_packets, (unsigned long)h->bl.stats.out_packets);
	for (int r = 0; r < BUNDLE_DROP_MAX; r++)
		if (h->bl.stats.drop[r])
			fprintf(stderr, "bundle.drop.%s=%lu\n", bundle_drop_name((enum bundle_drop)r),
				(unsigned long)h->bl.stats.drop[r]);
	for (unsigned int i = 0; i < h->b.n; i++)
		if (h->b.sa[i])
			fprintf(stderr, "sa%u.oseq=%lu sa%u.events=%u sa%u.state=%u "
				"sa%u.integrity_failed=%u sa%u.replay=%u\n", i,
				(unsigned long)h->b.sa[i]->oseq, i, h->b.sa[i]->ev_raised, i,
				h->b.sa[i]->state, i, h->b.sa[i]->stats.integrity_failed, i,
				h->b.sa[i]->stats.replay);
}

static int run_job(void *arg, const char *sa_files, int dir_in, unsigned int segs, int tight,
		   const char *in, const char *out)
{
	struct harness *h = arg;
	char err[256] = "";
	int rc;

	h->dir_in = dir_in;
	h->segs = segs;
	h->tight = tight;
	memset(ah_lcore_stats(ah_lc(h)), 0, sizeof(struct ah_stats));
	memset(esp_lcore_stats(esp_lc(h)), 0, sizeof(struct esp_stats));
	memset(&h->bl.stats, 0, sizeof(h->bl.stats));
	h->out.written = 0;
	if (bundle_from_files(&h->b, sa_files, err, sizeof(err))) {
		fprintf(stderr, "ah_pcap_harness: SA: %s\n", err);
		return -1;
	}
	rc = esp_test_pcap_open_out(&h->out, out);
	if (!rc) {
		rc = esp_test_pcap_each("ah_pcap_harness", in, one_packet, h);
		if (h->n)
			flush(h);
		esp_test_pcap_close_out(&h->out);
	}
	print_stats(h);
	for (unsigned int i = 0; i < h->b.n; i++)
		sa_put(h->b.sa[i]);
	memset(&h->b, 0, sizeof(h->b));
	return rc;
}

static void usage(void)
{
	fprintf(stderr, "usage: ah_pcap_harness --sa FILE[,FILE] --dir out|in [--segments N] "
			"[--tight | --split] IN.pcap OUT.pcap | --jobs FILE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		ESP_TEST_PCAP_OPTIONS,
		{ "split", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct harness h = { .segs = 1, .out.prog = "ah_pcap_harness" };
	const char *sa_files = NULL, *dir = NULL, *jobs = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': sa_files = optarg; break;
		case 'd': dir = optarg; break;
		case 'n': h.segs = (unsigned int)atoi(optarg); break;
		case 't': h.tight = 1; break;
		case 'p': h.tight = 2; break;
		case 'j': jobs = optarg; break;
		default: usage();
		}
	}
	if (!jobs && esp_test_pcap_single(sa_files, dir, argc - optind, &h.dir_in))
		usage();
	h.pool = esp_test_pcap_start("ah_pcap_harness", argv[0], "ah_harness");
	if (!h.pool || xfrm_type_register(&esp_type) || xfrm_type_register(&ah_type) ||
	    xfrm_lcore_init(&h.xl, h.pool, SOCKET_ID_ANY)) {
		fprintf(stderr, "ah_pcap_harness: cannot set up the pool or lcores\n");
		return 1;
	}
	h.bl.xl = &h.xl;
	if (jobs)
		rc = esp_test_pcap_jobs(jobs, run_job, &h);
	else
		rc = run_job(&h, sa_files, h.dir_in, h.segs, h.tight, argv[optind],
			     argv[optind + 1]);
	xfrm_lcore_fini(&h.xl);
	rte_mempool_free(h.pool);
	crypto_exit();
	rte_eal_cleanup();
	return rc ? 1 : 0;
}
