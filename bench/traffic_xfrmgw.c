/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-bench traffic, the product: SAs built the way the netlink layer
 * builds them (sa_alloc, sa_set_usersa_info, sa_set_aead/crypt/auth_trunc,
 * sa_replay_setup, sa_crypto_bind, esp_sa_init), bursts through
 * esp_outbound() / esp_inbound() with one esp_lcore per lcore.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "cryptoapi/crypto.h"
#include "esp/esp.h"
#include "sa/sa.h"
#include "sa/sa_crypto.h"
#include "traffic.h"

/* Replay window of the inbound SAs (bits): wide enough for two lcores on one SA. */
#define TR_REPLAY_WINDOW 1024u

struct xg_pair {
	struct xfrm_sa *out;
	struct xfrm_sa *in;
	bool shared_out;	/* out belongs to another pair (one-SA clone) */
	const struct tr_alg *alg;
	unsigned int idx;
};

static const char *forced_driver;

void tr_xfrmgw_set_driver(const char *driver)
{
	forced_driver = driver;
}

static int xg_set_algs(struct xfrm_sa *sa, const struct tr_alg *a, const char **why)
{
	union {
		struct xfrm_algo_aead aead;
		struct xfrm_algo_auth auth;
		struct xfrm_algo alg;
		uint8_t b[sizeof(struct xfrm_algo_auth) + 128];
	} u;
	uint8_t ek[64], ak[64];
	int rc = 0;

	tr_alg_keys(a, ek, ak);
	memset(&u, 0, sizeof(u));
	if (a->aead) {
		snprintf(u.aead.alg_name, sizeof(u.aead.alg_name), "%s", a->aead);
		u.aead.alg_key_len = a->enckey * 8;
		u.aead.alg_icv_len = a->icv_bits;
		memcpy(u.aead.alg_key, ek, a->enckey);
		rc = sa_set_aead(sa, &u.aead, sizeof(u.aead) + a->enckey, why);
	} else {
		snprintf(u.alg.alg_name, sizeof(u.alg.alg_name), "%s", a->enc);
		u.alg.alg_key_len = a->enckey * 8;
		memcpy(u.alg.alg_key, ek, a->enckey);
		rc = sa_set_crypt(sa, &u.alg, sizeof(u.alg) + a->enckey, why);
		memset(&u, 0, sizeof(u));
		snprintf(u.auth.alg_name, sizeof(u.auth.alg_name), "%s", a->auth);
		u.auth.alg_key_len = a->authkey * 8;
		u.auth.alg_trunc_len = a->icv_bits;
		memcpy(u.auth.alg_key, ak, a->authkey);
		if (!rc)
			rc = sa_set_auth_trunc(sa, &u.auth, sizeof(u.auth) + a->authkey, why);
	}
	crypto_wipe(&u, sizeof(u));
	crypto_wipe(ek, sizeof(ek));
	crypto_wipe(ak, sizeof(ak));
	return rc;
}

/* Replace the registry's choice by the driver asked for (AEAD SAs only). */
static int xg_force_driver(struct xfrm_sa *sa, const char **why)
{
	struct sa_crypto *c = sa->crypto;
	struct crypto_aead *tfm;

	if (!forced_driver || !strcmp(crypto_tfm_alg_driver_name(&c->aead->base), forced_driver))
		return 0;
	if (c->kind != SA_CRYPTO_AEAD) {
		*why = "--driver applies to AEAD SAs only";
		return -1;
	}
	if (crypto_alloc_aead(&tfm, forced_driver, 0, 0)) {
		*why = "--driver: no such tested driver";
		return -1;
	}
	if (crypto_aead_setkey(tfm, (const uint8_t *)sa->aead->alg_key,
			       (sa->aead->alg_key_len + 7) / 8) ||
	    crypto_aead_setauthsize(tfm, c->icv_len)) {
		crypto_free_aead(tfm);
		*why = "--driver: key or ICV length refused";
		return -1;
	}
	crypto_free_aead(c->aead);
	c->aead = tfm;
	return 0;
}

static struct xfrm_sa *xg_sa(const struct tr_alg *a, uint32_t spi, bool inbound, const char **why)
{
	struct xfrm_usersa_info info;
	struct xfrm_sa *sa = sa_alloc();
	static char msg[160];

	if (!sa) {
		*why = "no memory";
		return NULL;
	}
	memset(&info, 0, sizeof(info));
	info.id.proto = IPPROTO_ESP;
	info.id.spi = htonl(spi);
	info.family = AF_INET;
	info.mode = XFRM_MODE_TUNNEL;
	inet_pton(AF_INET, TR_OUTER_DST, &info.id.daddr.a4);
	inet_pton(AF_INET, TR_OUTER_SRC, &info.saddr.a4);
	info.lft.soft_byte_limit = info.lft.hard_byte_limit = XFRM_INF;
	info.lft.soft_packet_limit = info.lft.hard_packet_limit = XFRM_INF;
	info.replay_window = inbound ? 255 : 0;
	sa_set_usersa_info(sa, &info);
	if (xg_set_algs(sa, a, why))
		goto fail;
	if (sa_replay_setup(sa, inbound ? TR_REPLAY_WINDOW : 0, NULL, NULL)) {
		*why = "replay window setup failed";
		goto fail;
	}
	if (sa_crypto_bind(sa, msg, sizeof(msg))) {
		*why = msg;
		goto fail;
	}
	if (xg_force_driver(sa, why))
		goto fail;
	sa->state = SA_STATE_VALID;
	if (esp_sa_init_msg(sa, why))
		goto fail;
	return sa;
fail:
	sa_put(sa);
	return NULL;
}

static void *xg_lcore_init(unsigned int lcore_idx, struct rte_mempool *pool)
{
	(void)lcore_idx;
	return esp_lcore_create(pool, (int)rte_socket_id());
}

static void xg_lcore_fini(void *ctx)
{
	esp_lcore_free(ctx);
}

static void *xg_pair_new(const struct tr_alg *a, unsigned int idx, const char **why)
{
	struct xg_pair *p = calloc(1, sizeof(*p));

	if (!p) {
		*why = "no memory";
		return NULL;
	}
	p->alg = a;
	p->idx = idx;
	p->out = xg_sa(a, TR_SPI + idx, false, why);
	p->in = p->out ? xg_sa(a, TR_SPI + idx, true, why) : NULL;
	if (!p->in) {
		if (p->out)
			sa_put(p->out);
		free(p);
		return NULL;
	}
	return p;
}

static void *xg_pair_clone_in(void *pair, const char **why)
{
	struct xg_pair *o = pair, *p = calloc(1, sizeof(*p));

	if (!p) {
		*why = "no memory";
		return NULL;
	}
	*p = *o;
	p->shared_out = true;
	p->in = xg_sa(o->alg, TR_SPI + o->idx, true, why);
	if (!p->in) {
		free(p);
		return NULL;
	}
	return p;
}

static void xg_pair_free(void *pair)
{
	struct xg_pair *p = pair;

	if (!p)
		return;
	if (!p->shared_out)
		sa_put(p->out);
	sa_put(p->in);
	free(p);
}

static uint16_t xg_out(void *ctx, void *pair, struct rte_mbuf *mb[], uint16_t n)
{
	return esp_outbound(ctx, ((struct xg_pair *)pair)->out, mb, n);
}

static uint16_t xg_in(void *ctx, void *pair, struct rte_mbuf *mb[], uint16_t n)
{
	return esp_inbound(ctx, ((struct xg_pair *)pair)->in, mb, n);
}

static const char *xg_driver(void *pair)
{
	struct xg_pair *p = pair;

	return crypto_tfm_alg_driver_name(&p->out->crypto->aead->base);
}

const struct tr_ops tr_xfrmgw_ops = {
	.lcore_init = xg_lcore_init,
	.lcore_fini = xg_lcore_fini,
	.pair_new = xg_pair_new,
	.pair_free = xg_pair_free,
	.pair_clone_in = xg_pair_clone_in,
	.out = xg_out,
	.in = xg_in,
	.driver = xg_driver,
};
