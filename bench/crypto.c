/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-bench crypto: ESP-shaped in-place AEAD encryption through every
 * crypto API driver of each algorithm, and through intel-ipsec-mb and
 * OpenSSL EVP directly on the same buffers, so that the API's cost shows as
 * a ratio. Requests look like ESP (RFC 4303 2): assoc = SPI || seq || IV,
 * then the payload, then the ICV.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "crypto_raw.h"
#include "cryptoapi/algapi.h"
#include "cryptoapi/listing.h"

#define NBUF 32
#define MAX_SIZES 16
#define MAX_DRIVERS 16
#define DEFAULT_EAL "--no-huge --no-shconf --no-pci -l 0 --log-level 3 --vdev crypto_aesni_mb"

struct bench_alg {
	const char *label;
	const char *name;
	unsigned int enckey;	/* AES/ChaCha key bytes */
	unsigned int authkey;	/* authenc: HMAC key bytes */
	unsigned int authsize;
};

static const struct bench_alg algs[] = {
	{ "rfc4106(gcm(aes))-128", "rfc4106(gcm(aes))", 16, 0, 16 },
	{ "rfc4106(gcm(aes))-256", "rfc4106(gcm(aes))", 32, 0, 16 },
	{ "rfc4543(gcm(aes))-128", "rfc4543(gcm(aes))", 16, 0, 16 },
	{ "rfc7539esp(chacha20,poly1305)", "rfc7539esp(chacha20,poly1305)", 32, 0, 16 },
	{ "authenc(hmac(sha256),cbc(aes))-128", "authenc(hmac(sha256),cbc(aes))", 16, 32, 16 },
	{ "authenc(hmac(sha1),cbc(aes))-128", "authenc(hmac(sha1),cbc(aes))", 16, 20, 12 },
};

struct opts {
	uint32_t sizes[MAX_SIZES];
	int nsizes;
	double seconds;
	uint64_t iterations;
	const char *algf[16];
	int nalgf;
	const char *drvf[16];
	int ndrvf;
	bool json;
	const char *eal;
};

struct result {
	double mbps;
	double cpb;
};

/* One ESP-shaped buffer per request. */
struct work {
	uint8_t *mem[NBUF];
	uint8_t iv[NBUF][16];
	struct xsg_ent ent[NBUF];
	struct xsg sg[NBUF];
	uint32_t alen, len, ivsize;
};

static void work_init(struct work *w, const struct bench_alg *a, uint32_t size)
{
	bool authenc = !strncmp(a->name, "authenc(", 8);

	w->ivsize = authenc ? 16 : 8;
	w->alen = 8 + w->ivsize;
	/* CBC needs whole blocks: the ESP trailer would pad to them. */
	w->len = authenc ? (size + 15) & ~15u : size;
	for (int i = 0; i < NBUF; i++) {
		w->mem[i] = aligned_alloc(64, (w->alen + w->len + 64 + 63) & ~63u);
		for (uint32_t k = 0; k < w->alen + w->len; k++)
			w->mem[i][k] = (uint8_t)(k * 131 + i);
		for (uint32_t k = 0; k < 16; k++)
			w->iv[i][k] = (uint8_t)(i + k);
		memcpy(w->mem[i] + 8, w->iv[i], w->ivsize);
		xsg_init(&w->sg[i], &w->ent[i], 1);
		xsg_add(&w->sg[i], w->mem[i], w->alen + w->len + a->authsize);
	}
}

static void work_free(struct work *w)
{
	for (int i = 0; i < NBUF; i++)
		free(w->mem[i]);
}

static int make_key(const struct bench_alg *a, uint8_t *key)
{
	uint8_t ak[64], ek[36];

	for (unsigned int i = 0; i < sizeof(ak); i++)
		ak[i] = (uint8_t)(0x40 + i);
	for (unsigned int i = 0; i < sizeof(ek); i++)
		ek[i] = (uint8_t)(0x80 + i);
	if (a->authkey)
		return crypto_authenc_buildkey(key, 256, ak, a->authkey, ek, a->enckey);
	memcpy(key, ek, a->enckey + 4);	/* ESP forms: key || 4-byte salt */
	return (int)a->enckey + 4;
}

/*
 * Fairness: the raw libraries and every driver of a size are measured in
 * ROUNDS interleaved slices of the budget (raw, raw, api, api, ..., again),
 * so a neighbour's load or a frequency change hits all of them alike
 * instead of whichever ran during it.
 */
#define ROUNDS 5

/* Totals of one measurement over its rounds. */
struct meas {
	double secs;
	uint64_t cyc, bytes;
};

struct timer {
	double t0;
	uint64_t c0, n;
};

/* The share of the time or iteration budget that one round gets. */
static bool budget_left(const struct opts *o, struct timer *t)
{
	if (o->iterations)
		return t->n < (o->iterations + ROUNDS - 1) / ROUNDS;
	return (t->n & 63) || bench_now() - t->t0 < o->seconds / ROUNDS;
}

static void timer_start(struct timer *t)
{
	t->n = 0;
	t->t0 = bench_now();
	t->c0 = bench_cycles();
}

static void meas_add(struct meas *m, const struct timer *t, uint64_t bytes)
{
	m->cyc += bench_cycles() - t->c0;
	m->secs += bench_now() - t->t0;
	m->bytes += bytes;
}

static struct result meas_result(const struct meas *m)
{
	uint64_t bytes = m->bytes ? m->bytes : 1;
	struct result r = { bytes / m->secs / 1e6, (double)m->cyc / (double)bytes };

	return r;
}

/* One round of a driver: requests were set up once (as a user keeps them). */
static void run_api(const struct opts *o, struct crypto_aead *tfm, struct aead_request **reqs,
		    struct work *w, struct meas *m)
{
	bool async = tfm->base.alg->cra_flags & CRYPTO_ALG_ASYNC;
	uint64_t bytes = 0;
	struct timer t;

	for (timer_start(&t); budget_left(o, &t);) {
		if (async) {
			/* A burst of NBUF, then drain its completions. */
			uint16_t acc = crypto_aead_encrypt_burst(tfm, reqs, NBUF);
			unsigned int got = 0;

			while (got < acc)
				got += crypto_aead_poll(tfm, acc - got);
			t.n += acc;
			bytes += (uint64_t)acc * w->len;
			if (acc == 0)
				break;
		} else {
			crypto_aead_encrypt(reqs[t.n % NBUF]);
			t.n++;
			bytes += w->len;
		}
	}
	meas_add(m, &t, bytes);
}

static void run_raw(const struct opts *o, struct raw_ref *ref, struct work *w, struct meas *m)
{
	uint64_t bytes = 0;
	struct timer t;

	for (timer_start(&t); budget_left(o, &t); t.n++) {
		raw_ref_encrypt(ref, w->mem[t.n % NBUF], w->alen, w->len, w->iv[t.n % NBUF]);
		bytes += w->len;
	}
	meas_add(m, &t, bytes);
}

/* ---- drivers of an algorithm ---- */

struct drv_list {
	const char *name;
	const char *drivers[MAX_DRIVERS];
	int n;
};

static int collect(const struct crypto_alg *alg, void *arg)
{
	struct drv_list *l = arg;

	if (alg->cra_type == CRYPTO_ALG_TYPE_AEAD && !strcmp(alg->cra_name, l->name) &&
	    (alg->cra_flags & CRYPTO_ALG_TESTED) && !(alg->cra_flags & CRYPTO_ALG_DEAD) &&
	    l->n < MAX_DRIVERS)
		l->drivers[l->n++] = alg->cra_driver_name;
	return 0;
}

/* Which raw library a driver should be compared with. */
static int raw_for(const char *driver)
{
	if (strstr(driver, "ipsecmb") || strstr(driver, "aesni_mb"))
		return 0;
	if (strstr(driver, "openssl"))
		return 1;
	return -1;	/* the faster of the two */
}

static void print_header(const struct opts *o)
{
	if (o->json) {
		printf("[\n");
		return;
	}
	printf("%-36s %-46s %6s %9s %7s %9s %9s %7s %8s\n", "algorithm", "driver", "bytes",
	       "MB/s", "cyc/B", "imb MB/s", "evp MB/s", "api/raw", "overhead");
}

static bool first_row = true;

static void print_row(const struct opts *o, const struct bench_alg *a, const char *drv,
		      uint32_t size, struct result api, const struct result raw[2], bool have[2])
{
	int which = raw_for(drv);
	double base = 0;

	if (which >= 0 && have[which]) {
		base = raw[which].mbps;
	} else {
		base = have[0] ? raw[0].mbps : 0;
		if (have[1] && raw[1].mbps > base)
			base = raw[1].mbps;
	}
	if (o->json) {
		printf("%s  {\"alg\": \"%s\", \"driver\": \"%s\", \"bytes\": %u, \"mbps\": %.1f, "
		       "\"cycles_per_byte\": %.3f, \"ipsecmb_mbps\": %.1f, \"openssl_mbps\": %.1f, "
		       "\"ratio\": %.4f}", first_row ? "" : ",\n", a->label, drv, size, api.mbps,
		       api.cpb, have[0] ? raw[0].mbps : 0, have[1] ? raw[1].mbps : 0,
		       base ? api.mbps / base : 0);
		first_row = false;
		return;
	}
	printf("%-36s %-46s %6u %9.1f %7.2f ", a->label, drv, size, api.mbps, api.cpb);
	for (int k = 0; k < 2; k++) {
		if (have[k])
			printf("%9.1f ", raw[k].mbps);
		else
			printf("%9s ", "-");
	}
	if (base)
		printf("%7.3f %7.1f%%\n", api.mbps / base, (base / api.mbps - 1) * 100);
	else
		printf("%7s %8s\n", "-", "-");
}

/* A driver under measurement: its transform, requests and totals. */
struct drv_run {
	const char *name;
	struct crypto_aead *tfm;
	struct aead_request *reqs[NBUF];
	struct meas m;
};

static int drv_run_setup(struct drv_run *d, const struct bench_alg *a, const uint8_t *key,
			 int klen, struct work *w)
{
	if (crypto_alloc_aead(&d->tfm, d->name, 0, 0)) {
		d->tfm = NULL;
		return -1;
	}
	if (crypto_aead_setkey(d->tfm, key, (unsigned int)klen) ||
	    crypto_aead_setauthsize(d->tfm, a->authsize))
		return -1;
	for (int i = 0; i < NBUF; i++) {
		d->reqs[i] = aead_request_alloc(d->tfm);
		if (!d->reqs[i])
			return -1;
		aead_request_set_crypt(d->reqs[i], &w->sg[i], 0, &w->sg[i], 0, w->len, w->iv[i]);
		aead_request_set_ad(d->reqs[i], w->alen);
	}
	return 0;
}

static void drv_run_free(struct drv_run *d)
{
	for (int i = 0; i < NBUF; i++)
		aead_request_free(d->reqs[i]);
	if (d->tfm)
		crypto_free_aead(d->tfm);
}

static void bench_size(const struct opts *o, const struct bench_alg *a, const struct drv_list *l,
		       struct raw_ref *const ref[2], const uint8_t *key, int klen, uint32_t size)
{
	struct meas rawm[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	struct result raw[2] = { { 0, 0 }, { 0, 0 } };
	bool have[2] = { ref[0] != NULL, ref[1] != NULL };
	struct drv_run runs[MAX_DRIVERS];
	int nruns = 0;
	struct work w;

	work_init(&w, a, size);
	for (int d = 0; d < l->n; d++) {
		struct drv_run *r = &runs[nruns];

		if (!bench_match(l->drivers[d], o->drvf, o->ndrvf))
			continue;
		memset(r, 0, sizeof(*r));
		r->name = l->drivers[d];
		if (drv_run_setup(r, a, key, klen, &w)) {
			fprintf(stderr, "xfrmgw-bench: %s: cannot set up\n", r->name);
			drv_run_free(r);
			continue;
		}
		nruns++;
	}
	for (int round = 0; round < ROUNDS; round++) {
		for (int k = 0; k < 2; k++)
			if (have[k])
				run_raw(o, ref[k], &w, &rawm[k]);
		for (int d = 0; d < nruns; d++)
			run_api(o, runs[d].tfm, runs[d].reqs, &w, &runs[d].m);
	}
	for (int k = 0; k < 2; k++)
		if (have[k])
			raw[k] = meas_result(&rawm[k]);
	for (int d = 0; d < nruns; d++) {
		print_row(o, a, runs[d].name, size, meas_result(&runs[d].m), raw, have);
		drv_run_free(&runs[d]);
	}
	work_free(&w);
}

static void bench_alg(const struct opts *o, const struct bench_alg *a)
{
	struct drv_list l = { .name = a->name };
	uint8_t key[256];
	int klen = make_key(a, key);
	struct raw_ref *ref[2] = {
		raw_ref_new("ipsecmb", a->name, key, (unsigned int)klen, a->authsize),
		raw_ref_new("openssl", a->name, key, (unsigned int)klen, a->authsize),
	};

	crypto_alg_foreach(collect, &l);
	for (int si = 0; si < o->nsizes; si++)
		bench_size(o, a, &l, ref, key, klen, o->sizes[si]);
	raw_ref_free(ref[0]);
	raw_ref_free(ref[1]);
	crypto_wipe(key, sizeof(key));
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xfrmgw-bench crypto [options]\n"
		"  --sizes LIST        payload bytes (default 64,256,1024,1420,4096)\n"
		"  --seconds S         time per measurement (default 0.2), spread over %d\n"
		"                      rounds interleaved with the other measurements\n"
		"  --iterations N      requests per measurement instead of a time\n"
		"  --algs LIST         algorithms whose label contains one of LIST\n"
		"  --drivers LIST      drivers whose name contains one of LIST\n"
		"  --json              one JSON record per measurement\n"
		"  --eal 'ARGS'        EAL arguments (default: %s)\n"
		"  --no-eal            no EAL: no cryptodev drivers\n"
		"algorithms:", ROUNDS, DEFAULT_EAL);
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		fprintf(f, " %s", algs[i].label);
	fprintf(f, "\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "algs", required_argument, NULL, 'a' },
		{ "drivers", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "eal", required_argument, NULL, 'e' },
		{ "no-eal", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static char sbuf[256], abuf[512], dbuf[512];
	const char *s[MAX_SIZES];
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			snprintf(sbuf, sizeof(sbuf), "%s", optarg);
			o->nsizes = bench_split(sbuf, s, MAX_SIZES);
			for (int i = 0; i < o->nsizes; i++) {
				char *end;
				unsigned long v = strtoul(s[i], &end, 10);

				if (*end || v == 0 || v > 65000) {
					fprintf(stderr, "xfrmgw-bench: bad size '%s'\n", s[i]);
					return -1;
				}
				o->sizes[i] = (uint32_t)v;
			}
			break;
		case 't':
			o->seconds = strtod(optarg, NULL);
			if (o->seconds <= 0) {
				fprintf(stderr, "xfrmgw-bench: bad --seconds '%s'\n", optarg);
				return -1;
			}
			break;
		case 'n':
			o->iterations = strtoull(optarg, NULL, 10);
			if (!o->iterations) {
				fprintf(stderr, "xfrmgw-bench: bad --iterations '%s'\n", optarg);
				return -1;
			}
			break;
		case 'a':
			snprintf(abuf, sizeof(abuf), "%s", optarg);
			o->nalgf = bench_split(abuf, o->algf, 16);
			break;
		case 'd':
			snprintf(dbuf, sizeof(dbuf), "%s", optarg);
			o->ndrvf = bench_split(dbuf, o->drvf, 16);
			break;
		case 'j':
			o->json = true;
			break;
		case 'e':
			o->eal = optarg;
			break;
		case 'E':
			o->eal = NULL;
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

int bench_crypto_main(int argc, char **argv)
{
	struct opts o = {
		.sizes = { 64, 256, 1024, 1420, 4096 }, .nsizes = 5, .seconds = 0.2,
		.eal = DEFAULT_EAL,
	};

	if (parse(argc, argv, &o))
		return 2;
	if (o.eal && bench_eal_init(o.eal)) {
		fprintf(stderr, "xfrmgw-bench: EAL initialisation failed (--eal '%s')\n", o.eal);
		return 1;
	}
	if (crypto_init()) {
		fprintf(stderr, "xfrmgw-bench: crypto_init failed\n");
		return 1;
	}
	bench_cycles_per_sec();
	print_header(&o);
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (bench_match(algs[i].label, o.algf, o.nalgf))
			bench_alg(&o, &algs[i]);
	if (o.json)
		printf("\n]\n");
	crypto_exit();
	return 0;
}
