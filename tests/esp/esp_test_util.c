/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/udp.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "cryptoapi/crypto.h"
#include "esp/esp.h"
#include "sa/sa_crypto.h"
#include "tests/esp/esp_test_util.h"

int esp_test_eal_init(const char *prog)
{
	char prefix[64];
	char *argv[] = { (char *)prog, "--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
			 "-m", "256", "--file-prefix", prefix, "-l", "0", "--log-level",
			 "lib.*:error" };

	snprintf(prefix, sizeof(prefix), "esp_%d", (int)getpid());
	if (rte_eal_init(sizeof(argv) / sizeof(argv[0]), argv) < 0)
		return -1;
	return crypto_init() ? -1 : 0;
}

int esp_test_fx_init(struct esp_test_fx *f, const char *prog, const char *pool_name,
		     unsigned int nbufs)
{
	if (esp_test_eal_init(prog))
		return -1;
	f->pool = rte_pktmbuf_pool_create(pool_name, nbufs, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					  SOCKET_ID_ANY);
	f->lc = f->pool ? esp_lcore_create(f->pool, SOCKET_ID_ANY) : NULL;
	return f->lc ? 0 : -1;
}

void esp_test_fx_fini(struct esp_test_fx *f)
{
	esp_lcore_free(f->lc);
	rte_mempool_free(f->pool);
	crypto_exit();
}

char *esp_test_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int esp_test_hex_key(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (strlen(s) % 2)
		return -1;
	while (*s) {
		unsigned int b;

		if (n >= cap || sscanf(s, "%2x", &b) != 1)
			return -1;
		out[n++] = (uint8_t)b;
		s += 2;
	}
	return (int)n;
}

int esp_test_parse_addr(const char *s, xfrm_address_t *a, uint16_t *family)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->a4) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->in6) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

#define BLANKS " \t\r\n"

int esp_test_tokens(char *line, char **tok, int max)
{
	char *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(line, BLANKS, &save); t && n < max; t = strtok_r(NULL, BLANKS, &save))
		tok[n++] = t;
	return n == 0 || tok[0][0] == '#' ? 0 : n;
}

void esp_test_sa_common_init(struct esp_test_sa_common *c, uint8_t proto)
{
	memset(c, 0, sizeof(*c));
	c->info.id.proto = proto;
	c->info.mode = XFRM_MODE_TUNNEL;
	c->info.lft.soft_byte_limit = c->info.lft.hard_byte_limit = XFRM_INF;
	c->info.lft.soft_packet_limit = c->info.lft.hard_packet_limit = XFRM_INF;
	c->window = 64;
}

static int lifetime_line(struct xfrm_lifetime_cfg *lft, const char *what, const char *val)
{
	uint64_t v = strtoull(val, NULL, 0);

	if (!strcmp(what, "soft_bytes"))
		lft->soft_byte_limit = v;
	else if (!strcmp(what, "hard_bytes"))
		lft->hard_byte_limit = v;
	else if (!strcmp(what, "soft_packets"))
		lft->soft_packet_limit = v;
	else if (!strcmp(what, "hard_packets"))
		lft->hard_packet_limit = v;
	else
		return -1;
	return 0;
}

int esp_test_sa_common_line(struct esp_test_sa_common *c, char **tok, int n)
{
	struct xfrm_usersa_info *info = &c->info;
	uint16_t fam;

	if (!strcmp(tok[0], "lifetime"))
		return n < 3 ? -1 : lifetime_line(&info->lft, tok[1], tok[2]);
	if (strcmp(tok[0], "spi") && strcmp(tok[0], "src") && strcmp(tok[0], "dst") &&
	    strcmp(tok[0], "mode") && strcmp(tok[0], "esn") && strcmp(tok[0], "replay") &&
	    strcmp(tok[0], "oseq") && strcmp(tok[0], "iseq"))
		return 1;
	if (n < 2)
		return -1;
	if (!strcmp(tok[0], "spi")) {
		info->id.spi = htonl((uint32_t)strtoul(tok[1], NULL, 0));
	} else if (!strcmp(tok[0], "src")) {
		if (esp_test_parse_addr(tok[1], &info->saddr, &fam))
			return -1;
		info->family = fam;
	} else if (!strcmp(tok[0], "dst")) {
		if (esp_test_parse_addr(tok[1], &info->id.daddr, &fam))
			return -1;
		info->family = fam;
	} else if (!strcmp(tok[0], "mode")) {
		info->mode = !strcmp(tok[1], "tunnel") ? XFRM_MODE_TUNNEL : XFRM_MODE_TRANSPORT;
	} else if (!strcmp(tok[0], "esn")) {
		if (atoi(tok[1]))
			info->flags |= XFRM_STATE_ESN;
	} else if (!strcmp(tok[0], "replay")) {
		c->window = (uint32_t)strtoul(tok[1], NULL, 0);
	} else if (!strcmp(tok[0], "oseq")) {
		c->oseq = strtoull(tok[1], NULL, 0);
	} else {
		c->iseq = strtoull(tok[1], NULL, 0);
	}
	return 0;
}

struct xfrm_sa *esp_test_sa_alloc(struct esp_test_sa_common *c)
{
	struct xfrm_sa *sa;

	c->info.replay_window = (uint8_t)(c->window > 255 ? 255 : c->window);
	sa = sa_alloc();
	if (sa)
		sa_set_usersa_info(sa, &c->info);
	return sa;
}

int esp_test_sa_seq(struct xfrm_sa *sa, const struct esp_test_sa_common *c, char *err,
		    size_t errlen)
{
	int rc = sa_replay_setup(sa, c->window, NULL, NULL);

	if (rc) {
		snprintf(err, errlen, "replay setup: %d", rc);
		return rc;
	}
	sa->oseq = c->oseq;
	if (sa->replay)
		sa->replay->top = c->iseq;
	return 0;
}

struct sa_desc {
	struct esp_test_sa_common c;
	char aead[64], enc[64], auth[64];
	uint8_t aead_key[64], enc_key[64], auth_key[128];
	int aead_klen, enc_klen, auth_klen;
	unsigned int aead_icv, auth_trunc;
	uint32_t extra, tfcpad;
	int encap;
	uint16_t sport, dport;
	xfrm_address_t oa;
};

static int parse_flags(struct sa_desc *d, char **tok, int n)
{
	for (int i = 1; i < n; i++) {
		if (!strcmp(tok[i], "noecn"))
			d->c.info.flags |= XFRM_STATE_NOECN;
		else if (!strcmp(tok[i], "decap_dscp"))
			d->c.info.flags |= XFRM_STATE_DECAP_DSCP;
		else if (!strcmp(tok[i], "nopmtudisc"))
			d->c.info.flags |= XFRM_STATE_NOPMTUDISC;
		else if (!strcmp(tok[i], "dont_encap_dscp"))
			d->extra |= XFRM_SA_XFLAG_DONT_ENCAP_DSCP;
		else if (!strcmp(tok[i], "oseq_may_wrap"))
			d->extra |= XFRM_SA_XFLAG_OSEQ_MAY_WRAP;
		else
			return -1;
	}
	return 0;
}

static int parse_line(struct sa_desc *d, char *line, char *err, size_t errlen)
{
	char *tok[8];
	int n = esp_test_tokens(line, tok, 8), rc;
	uint16_t fam;

	if (n == 0)
		return 0;
	rc = esp_test_sa_common_line(&d->c, tok, n);
	if (rc <= 0) {
		if (rc)
			goto bad;
		return 0;
	}
#define NEED(k) do { if (n < (k)) goto bad; } while (0)
	if (!strcmp(tok[0], "aead")) {
		NEED(4);
		snprintf(d->aead, sizeof(d->aead), "%s", tok[1]);
		d->aead_klen = esp_test_hex_key(tok[2], d->aead_key, sizeof(d->aead_key));
		d->aead_icv = (unsigned int)strtoul(tok[3], NULL, 0);
		if (d->aead_klen < 0)
			goto bad;
	} else if (!strcmp(tok[0], "enc")) {
		NEED(3);
		snprintf(d->enc, sizeof(d->enc), "%s", tok[1]);
		d->enc_klen = esp_test_hex_key(tok[2], d->enc_key, sizeof(d->enc_key));
		if (d->enc_klen < 0)
			goto bad;
	} else if (!strcmp(tok[0], "auth")) {
		NEED(4);
		snprintf(d->auth, sizeof(d->auth), "%s", tok[1]);
		d->auth_klen = esp_test_hex_key(tok[2], d->auth_key, sizeof(d->auth_key));
		d->auth_trunc = (unsigned int)strtoul(tok[3], NULL, 0);
		if (d->auth_klen < 0)
			goto bad;
	} else if (!strcmp(tok[0], "encap")) {
		NEED(3);
		d->encap = 1;
		d->sport = (uint16_t)atoi(tok[1]);
		d->dport = (uint16_t)atoi(tok[2]);
		if (n > 3 && esp_test_parse_addr(tok[3], &d->oa, &fam))
			goto bad;
	} else if (!strcmp(tok[0], "tfcpad")) {
		NEED(2);
		d->tfcpad = (uint32_t)strtoul(tok[1], NULL, 0);
	} else if (!strcmp(tok[0], "flags")) {
		if (parse_flags(d, tok, n))
			goto bad;
	} else {
		goto bad;
	}
	return 0;
#undef NEED
bad:
	snprintf(err, errlen, "bad SA description line starting \"%s\"", tok[0]);
	return -1;
}

#define KEY_MAX 128

enum alg_kind { ALG_CRYPT, ALG_AUTH, ALG_AEAD };

/* One netlink algorithm attribute (ICV or truncation bits), handed to sa_set_*. */
static int set_alg(struct xfrm_sa *sa, enum alg_kind kind, const char *name, const uint8_t *key,
		   int klen, unsigned int bits, const char **msg)
{
	union {
		struct xfrm_algo alg;
		struct xfrm_algo_auth auth;
		struct xfrm_algo_aead aead;
		uint8_t b[sizeof(struct xfrm_algo_auth) + KEY_MAX];
	} u;
	size_t k = (size_t)klen;
	int rc;

	if (klen < 0 || klen > KEY_MAX)
		return -EINVAL;
	memset(&u, 0, sizeof(u));
	snprintf(u.alg.alg_name, sizeof(u.alg.alg_name), "%s", name);
	u.alg.alg_key_len = (unsigned int)klen * 8;
	if (kind == ALG_AEAD) {
		u.aead.alg_icv_len = bits;
		memcpy(u.aead.alg_key, key, k);
		rc = sa_set_aead(sa, &u.aead, sizeof(u.aead) + k, msg);
	} else if (kind == ALG_AUTH) {
		u.auth.alg_trunc_len = bits;
		memcpy(u.auth.alg_key, key, k);
		rc = sa_set_auth_trunc(sa, &u.auth, sizeof(u.auth) + k, msg);
	} else {
		memcpy(u.alg.alg_key, key, k);
		rc = sa_set_crypt(sa, &u.alg, sizeof(u.alg) + k, msg);
	}
	crypto_wipe(&u, sizeof(u));
	return rc;
}

int esp_test_set_aead(struct xfrm_sa *sa, const char *name, const uint8_t *key, int klen,
		      unsigned int icv_bits, const char **msg)
{
	return set_alg(sa, ALG_AEAD, name, key, klen, icv_bits, msg);
}

int esp_test_set_auth(struct xfrm_sa *sa, const char *name, const uint8_t *key, int klen,
		      unsigned int trunc_bits, const char **msg)
{
	return set_alg(sa, ALG_AUTH, name, key, klen, trunc_bits, msg);
}

static int set_algs(struct xfrm_sa *sa, const struct sa_desc *d, char *err, size_t errlen)
{
	const char *msg = "";
	int rc = 0;

	if (d->aead[0])
		rc = esp_test_set_aead(sa, d->aead, d->aead_key, d->aead_klen, d->aead_icv, &msg);
	if (!rc && d->enc[0])
		rc = set_alg(sa, ALG_CRYPT, d->enc, d->enc_key, d->enc_klen, 0, &msg);
	if (!rc && d->auth[0])
		rc = esp_test_set_auth(sa, d->auth, d->auth_key, d->auth_klen, d->auth_trunc,
				       &msg);
	if (rc)
		snprintf(err, errlen, "algorithm rejected: %s (%d)", msg, rc);
	return rc;
}

struct xfrm_sa *esp_test_sa_build(const char *text, char *err, size_t errlen)
{
	struct sa_desc d;
	struct xfrm_sa *sa = NULL;
	char *copy = strdup(text), *line, *save = NULL;
	const char *why = "";
	int rc;

	memset(&d, 0, sizeof(d));
	esp_test_sa_common_init(&d.c, IPPROTO_ESP);
	if (!copy)
		return NULL;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (parse_line(&d, line, err, errlen))
			goto out;
	sa = esp_test_sa_alloc(&d.c);
	if (!sa)
		goto out;
	sa->extra_flags = d.extra;
	sa->tfcpad = d.tfcpad;
	if (d.encap) {
		sa->has_encap = true;
		sa->encap.encap_type = UDP_ENCAP_ESPINUDP;
		sa->encap.encap_sport = htons(d.sport);
		sa->encap.encap_dport = htons(d.dport);
		sa->encap.encap_oa = d.oa;
	}
	if (set_algs(sa, &d, err, errlen))
		goto fail;
	if (esp_test_sa_seq(sa, &d.c, err, errlen))
		goto fail;
	rc = sa_crypto_bind(sa, err, errlen);
	if (rc)
		goto fail;
	sa->state = SA_STATE_VALID;
	rc = esp_sa_init_msg(sa, &why);
	if (rc) {
		snprintf(err, errlen, "esp_sa_init: %s (%d)", why, rc);
		goto fail;
	}
	goto out;
fail:
	sa_put(sa);
	sa = NULL;
out:
	crypto_wipe(&d, sizeof(d));
	free(copy);
	return sa;
}

struct rte_mbuf *esp_test_mbuf(struct rte_mempool *pool, const uint8_t *data, uint32_t len,
			       unsigned int nsegs, int tight)
{
	struct rte_mbuf *head = NULL, *prev = NULL;
	uint32_t off = 0;
	unsigned int i;

	if (nsegs == 0)
		nsegs = 1;
	if (nsegs > len)
		nsegs = len ? len : 1;
	for (i = 0; i < nsegs; i++) {
		struct rte_mbuf *s = rte_pktmbuf_alloc(pool);
		uint32_t end = i + 1 == nsegs ? len : (len / nsegs) * (i + 1) + (i % 3) - 1;
		uint32_t k;

		if (!s) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		if (end <= off)
			end = off + 1;
		if (end > len)
			end = len;
		k = end - off;
		if (k > (uint32_t)rte_pktmbuf_tailroom(s) + (tight ? rte_pktmbuf_headroom(s) : 0u)) {
			rte_pktmbuf_free(s);
			rte_pktmbuf_free(head);
			return NULL;
		}
		if (tight && i == 0)
			s->data_off = 0;
		if (tight && i + 1 == nsegs && i > 0)
			s->data_off = (uint16_t)(s->buf_len - k);
		memcpy(rte_pktmbuf_mtod(s, uint8_t *), data + off, k);
		s->data_len = (uint16_t)k;
		if (!head) {
			head = s;
		} else {
			prev->next = s;
			head->nb_segs++;
		}
		head->pkt_len += k;
		prev = s;
		off = end;
	}
	return head;
}

int esp_test_flat(const struct rte_mbuf *m, uint8_t *buf, uint32_t cap)
{
	uint32_t off = 0;

	if (m->pkt_len > cap)
		return -1;
	for (; m; m = m->next) {
		memcpy(buf + off, rte_pktmbuf_mtod(m, const uint8_t *), m->data_len);
		off += m->data_len;
	}
	return (int)off;
}
