/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SA objects: allocation, filling from XFRM structures, references, and the
 * final free that wipes every key byte the SA kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/xfrm.h>

#include "cryptoapi/crypto.h"
#include "sa/sa.h"
#include "sa/sa_crypto.h"
#include "sa/xfrm_type.h"

#define XFRM_KEY_BYTES(bits) (((size_t)(bits) + 7) / 8)

static void lifetime_cfg_infinite(struct xfrm_lifetime_cfg *l)
{
	l->soft_byte_limit = XFRM_INF;
	l->hard_byte_limit = XFRM_INF;
	l->soft_packet_limit = XFRM_INF;
	l->hard_packet_limit = XFRM_INF;
}

struct xfrm_sa *sa_alloc(void)
{
	struct xfrm_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->refcnt = 1;
	sa->state = SA_STATE_VOID;
	lifetime_cfg_infinite(&sa->lft);
	return sa;
}

void sa_set_usersa_info(struct xfrm_sa *sa, const struct xfrm_usersa_info *p)
{
	sa->id = p->id;
	sa->saddr = p->saddr;
	sa->sel = p->sel;
	sa->lft = p->lft;
	sa->seq = p->seq;
	sa->reqid = p->reqid;
	sa->family = p->family;
	sa->mode = p->mode;
	sa->replay_window = p->replay_window;
	sa->flags = p->flags;
}

void sa_get_usersa_info(const struct xfrm_sa *sa, struct xfrm_usersa_info *p)
{
	memset(p, 0, sizeof(*p));
	p->id = sa->id;
	p->saddr = sa->saddr;
	p->sel = sa->sel;
	p->lft = sa->lft;
	p->curlft.bytes = __atomic_load_n(&sa->curlft.bytes, __ATOMIC_RELAXED);
	p->curlft.packets = __atomic_load_n(&sa->curlft.packets, __ATOMIC_RELAXED);
	p->curlft.add_time = sa->curlft.add_time;
	p->curlft.use_time = __atomic_load_n(&sa->curlft.use_time, __ATOMIC_RELAXED);
	p->stats.replay_window = __atomic_load_n(&sa->stats.replay_window, __ATOMIC_RELAXED);
	p->stats.replay = __atomic_load_n(&sa->stats.replay, __ATOMIC_RELAXED);
	p->stats.integrity_failed = __atomic_load_n(&sa->stats.integrity_failed,
						    __ATOMIC_RELAXED);
	p->seq = sa->seq;
	p->reqid = sa->reqid;
	p->family = sa->family;
	p->mode = sa->mode;
	p->replay_window = sa->replay_window;
	p->flags = sa->flags;
}

static void set_msg(const char **msg, const char *s)
{
	if (msg)
		*msg = s;
}

/* Copy an algorithm attribute with room for its key; NULL if len is short. */
static void *algo_dup(const void *a, size_t hdr, uint32_t key_bits, size_t len)
{
	size_t need = hdr + XFRM_KEY_BYTES(key_bits);
	void *p;

	if (len < need)
		return NULL;
	p = malloc(need);
	if (p)
		memcpy(p, a, need);
	return p;
}

static void algo_free(void *p, size_t hdr, uint32_t key_bits)
{
	if (!p)
		return;
	crypto_wipe(p, hdr + XFRM_KEY_BYTES(key_bits));
	free(p);
}

static void set_name(char *dst, const char *canonical)
{
	memset(dst, 0, 64);
	strncpy(dst, canonical, 63);
}

/* A C string inside a fixed 64-byte XFRM name field? */
static bool name_ok(const char *name)
{
	return memchr(name, '\0', 64) != NULL;
}

int sa_set_aead(struct xfrm_sa *sa, const struct xfrm_algo_aead *a, size_t len, const char **msg)
{
	const struct sa_alg_desc *d;

	if (sa->aead || len < sizeof(*a) || !name_ok(a->alg_name)) {
		set_msg(msg, "bad or repeated AEAD algorithm attribute");
		return -EINVAL;
	}
	d = sa_alg_lookup(SA_ALG_AEAD, a->alg_name, a->alg_icv_len);
	if (!d) {
		set_msg(msg, sa_alg_lookup(SA_ALG_AEAD, a->alg_name, 0) ?
			"AEAD ICV length not supported by this algorithm" :
			"AEAD algorithm not supported");
		return -ENOSYS;
	}
	sa->aead = algo_dup(a, sizeof(*a), a->alg_key_len, len);
	if (!sa->aead) {
		set_msg(msg, len < sizeof(*a) + XFRM_KEY_BYTES(a->alg_key_len) ?
			"AEAD key longer than its attribute" : "out of memory");
		return len < sizeof(*a) + XFRM_KEY_BYTES(a->alg_key_len) ? -EINVAL : -ENOMEM;
	}
	set_name(sa->aead->alg_name, d->name);
	return 0;
}

int sa_set_crypt(struct xfrm_sa *sa, const struct xfrm_algo *a, size_t len, const char **msg)
{
	const struct sa_alg_desc *d;

	if (sa->ealg || len < sizeof(*a) || !name_ok(a->alg_name)) {
		set_msg(msg, "bad or repeated encryption algorithm attribute");
		return -EINVAL;
	}
	d = sa_alg_lookup(SA_ALG_CRYPT, a->alg_name, 0);
	if (!d) {
		set_msg(msg, "encryption algorithm not supported");
		return -ENOSYS;
	}
	if (len < sizeof(*a) + XFRM_KEY_BYTES(a->alg_key_len)) {
		set_msg(msg, "encryption key longer than its attribute");
		return -EINVAL;
	}
	sa->ealg = algo_dup(a, sizeof(*a), a->alg_key_len, len);
	if (!sa->ealg)
		return -ENOMEM;
	set_name(sa->ealg->alg_name, d->name);
	return 0;
}

static int set_auth_common(struct xfrm_sa *sa, const char *name, uint32_t key_bits,
			   const uint8_t *key, size_t len, size_t hdr, int trunc,
			   const char **msg)
{
	const struct sa_alg_desc *d;
	struct xfrm_algo_auth *aa;

	if (sa->aalg || len < hdr || !name_ok(name)) {
		set_msg(msg, "bad or repeated authentication algorithm attribute");
		return -EINVAL;
	}
	d = sa_alg_lookup(SA_ALG_AUTH, name, 0);
	if (!d) {
		set_msg(msg, "authentication algorithm not supported");
		return -ENOSYS;
	}
	if (len < hdr + XFRM_KEY_BYTES(key_bits)) {
		set_msg(msg, "authentication key longer than its attribute");
		return -EINVAL;
	}
	if (trunc >= 0 && ((unsigned int)trunc > d->full_bits || trunc % 8)) {
		set_msg(msg, "authentication truncation longer than the digest or not whole bytes");
		return -EINVAL;
	}
	aa = malloc(sizeof(*aa) + XFRM_KEY_BYTES(key_bits));
	if (!aa)
		return -ENOMEM;
	set_name(aa->alg_name, d->name);
	aa->alg_key_len = key_bits;
	aa->alg_trunc_len = trunc >= 0 ? (unsigned int)trunc : d->icv_bits;
	memcpy(aa->alg_key, key, XFRM_KEY_BYTES(key_bits));
	sa->aalg = aa;
	sa->aalg_trunc_given = trunc >= 0;
	return 0;
}

int sa_set_auth(struct xfrm_sa *sa, const struct xfrm_algo *a, size_t len, const char **msg)
{
	if (len < sizeof(*a))
		return set_auth_common(sa, "", 0, NULL, len, sizeof(*a), -1, msg);
	return set_auth_common(sa, a->alg_name, a->alg_key_len, (const uint8_t *)a->alg_key,
			       len, sizeof(*a), -1, msg);
}

int sa_set_auth_trunc(struct xfrm_sa *sa, const struct xfrm_algo_auth *a, size_t len,
		      const char **msg)
{
	if (len < sizeof(*a))
		return set_auth_common(sa, "", 0, NULL, len, sizeof(*a), -1, msg);
	return set_auth_common(sa, a->alg_name, a->alg_key_len, (const uint8_t *)a->alg_key,
			       len, sizeof(*a), (int)a->alg_trunc_len, msg);
}

int sa_set_comp(struct xfrm_sa *sa, const struct xfrm_algo *a, size_t len, const char **msg)
{
	if (sa->calg || len < sizeof(*a) || !name_ok(a->alg_name)) {
		set_msg(msg, "bad or repeated compression algorithm attribute");
		return -EINVAL;
	}
	if (!sa_alg_lookup(SA_ALG_COMP, a->alg_name, 0)) {
		set_msg(msg, "compression algorithm not supported");
		return -ENOSYS;
	}
	sa->calg = algo_dup(a, sizeof(*a), a->alg_key_len, len);
	if (!sa->calg) {
		set_msg(msg, "compression attribute shorter than its key");
		return -EINVAL;
	}
	return 0;
}

int sa_set_sec_ctx(struct xfrm_sa *sa, const struct xfrm_user_sec_ctx *ctx, size_t len)
{
	if (len < sizeof(*ctx) || len < sizeof(*ctx) + ctx->ctx_len)
		return -EINVAL;
	free(sa->sec_ctx);
	sa->sec_ctx = malloc(len);
	if (!sa->sec_ctx)
		return -ENOMEM;
	memcpy(sa->sec_ctx, ctx, len);
	sa->sec_ctx_len = len;
	return 0;
}

int sa_replay_setup(struct xfrm_sa *sa, uint32_t window,
		    const struct xfrm_replay_state_esn *init,
		    const struct xfrm_replay_state *legacy)
{
	bool esn = sa_is_esn(sa);
	int rc = 0;

	sa_replay_free(sa->replay);
	sa->replay = NULL;
	if (init) {
		sa->has_replay_esn = true;
		sa->replay_esn_window = init->replay_window;
		sa->replay_esn_bmp_len = init->bmp_len;
		sa->oseq = (uint64_t)(esn ? init->oseq_hi : 0) << 32 | init->oseq;
	} else if (legacy) {
		sa->oseq = legacy->oseq;
	}
	if (window == 0 && !esn)
		return 0;
	sa->replay = sa_replay_alloc(window, esn, 0);
	if (!sa->replay)
		return window > SA_REPLAY_MAX_WINDOW ? -EINVAL : -ENOMEM;
	if (init)
		rc = sa_replay_import_esn(sa->replay, init);
	else if (legacy)
		sa_replay_import_legacy(sa->replay, legacy);
	if (rc) {
		sa_replay_free(sa->replay);
		sa->replay = NULL;
	}
	return rc;
}

static void sa_free(struct xfrm_sa *sa)
{
	if (sa->type && sa->type->destroy_state)
		sa->type->destroy_state(sa);
	sa_crypto_free(sa->crypto);
	if (sa->aead)
		algo_free(sa->aead, sizeof(*sa->aead), sa->aead->alg_key_len);
	if (sa->ealg)
		algo_free(sa->ealg, sizeof(*sa->ealg), sa->ealg->alg_key_len);
	if (sa->aalg)
		algo_free(sa->aalg, sizeof(*sa->aalg), sa->aalg->alg_key_len);
	if (sa->calg)
		algo_free(sa->calg, sizeof(*sa->calg), sa->calg->alg_key_len);
	sa_replay_free(sa->replay);
	free(sa->sec_ctx);
	crypto_wipe(sa, sizeof(*sa));
	free(sa);
}

void sa_put(struct xfrm_sa *sa)
{
	if (sa && __atomic_sub_fetch(&sa->refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		sa_free(sa);
}
