/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-SA choice of the AH packet functions (mode x family x ESN x ICV
 * engine, once per SA) and the AES-GMAC binding that sa_crypto_bind() does
 * not make for AH.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ah/ah_priv.h"

#define KEY_BYTES(bits) (((unsigned int)(bits) + 7) / 8)

static struct ah_sa_ops ops_table[AH_MF_KINDS][2][AH_ENG_KINDS];
static pthread_once_t ops_once = PTHREAD_ONCE_INIT;

static void ops_table_fill(void)
{
	for (int mf = 0; mf < AH_MF_KINDS; mf++)
		for (int esn = 0; esn < 2; esn++)
			for (int e = 0; e < AH_ENG_KINDS; e++) {
				ops_table[mf][esn][e].outbound = ah_out_fns[mf][esn][e];
				ops_table[mf][esn][e].inbound = ah_in_fns[mf][esn][e];
			}
}

static void set_why(const char **why, const char *s)
{
	if (why)
		*why = s;
}

static bool is_ah_gmac(const struct xfrm_sa *sa)
{
	return sa->id.proto == IPPROTO_AH && sa->aead && !sa->aalg && !sa->ealg;
}

/*
 * RFC 4543 4 (AUTH_AES_GMAC): key || 4-byte salt, 16-byte tag, 8-byte IV
 * carried before the tag in the ICV field.
 */
static int bind_gmac(struct xfrm_sa *sa, char *msg, size_t msglen)
{
	const struct xfrm_algo_aead *g = sa->aead;
	struct sa_crypto *c;
	int rc;

	if (strcmp(g->alg_name, "rfc4543(gcm(aes))") || g->alg_icv_len != AH_GMAC_TAG * 8) {
		if (msg)
			snprintf(msg, msglen, "AH takes only rfc4543(gcm(aes)) with a 128-bit ICV "
				 "as an AEAD");
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->kind = SA_CRYPTO_AEAD;
	snprintf(c->name, sizeof(c->name), "%s", g->alg_name);
	rc = crypto_alloc_aead(&c->aead, c->name, 0, 0);
	if (rc) {
		if (msg)
			snprintf(msg, msglen, "crypto API has no aead \"%s\" (%d)", c->name, rc);
		rc = (rc == -ENOENT || rc == -ELIBBAD) ? -ENOSYS : rc;
		goto fail;
	}
	rc = crypto_aead_setkey(c->aead, (const uint8_t *)g->alg_key, KEY_BYTES(g->alg_key_len));
	if (!rc)
		rc = crypto_aead_setauthsize(c->aead, AH_GMAC_TAG);
	if (rc) {
		if (msg)
			snprintf(msg, msglen, "%s rejected a key of %u bits", c->name,
				 g->alg_key_len);
		rc = rc == -ENOMEM ? rc : -EINVAL;
		goto fail;
	}
	c->icv_len = AH_GMAC_TAG;
	c->iv_len = AH_GMAC_IV;
	c->block_size = 4;
	sa_crypto_free(sa->crypto);
	sa->crypto = c;
	return 0;

fail:
	sa_crypto_free(c);	/* frees the transform (context wiped) and zeroes c */
	return rc;
}

int ah_crypto_bind(struct xfrm_sa *sa, char *msg, size_t msglen)
{
	if (is_ah_gmac(sa))
		return bind_gmac(sa, msg, msglen);
	return sa_crypto_bind(sa, msg, msglen);
}

static int ah_choose_engine(const struct xfrm_sa *sa, enum ah_engine *eng, const char **why)
{
	const struct sa_crypto *cr = sa->crypto;

	if (cr && cr->kind == SA_CRYPTO_AH && cr->shash) {
		if (crypto_shash_descsize(cr->shash) > sizeof(struct shash_desc) + SHASH_DESC_MAX_SIZE) {
			set_why(why, "digest state larger than the per-lcore slot");
			return -ENOTSUP;
		}
		if (cr->icv_len == 0 || cr->icv_len > AH_MAX_ICV || cr->icv_len % 4) {
			set_why(why, "AH ICV must be 4 to 32 bytes, a multiple of 4 (RFC 4302 2.6)");
			return -ENOTSUP;
		}
		*eng = AH_ENG_SHASH;
		return 0;
	}
	if (cr && cr->kind == SA_CRYPTO_AEAD && cr->aead && cr->icv_len == AH_GMAC_TAG &&
	    cr->iv_len == AH_GMAC_IV) {
		if (crypto_aead_reqsize(cr->aead) > AH_REQ_SIZE) {
			set_why(why, "crypto request larger than the per-lcore slot");
			return -ENOTSUP;
		}
		*eng = AH_ENG_GMAC;
		return 0;
	}
	set_why(why, "AH SA has no bound keyed digest or GMAC transform");
	return -EINVAL;
}

static int ah_choose_mf(const struct xfrm_sa *sa, enum ah_mf *mf, const char **why)
{
	bool v6 = sa->family == AF_INET6;

	if (sa->family != AF_INET && sa->family != AF_INET6) {
		set_why(why, "AH SA family must be IPv4 or IPv6");
		return -EINVAL;
	}
	switch (sa->mode) {
	case XFRM_MODE_TUNNEL:
		*mf = v6 ? AH_MF_TUN6 : AH_MF_TUN4;
		return 0;
	case XFRM_MODE_TRANSPORT:
		*mf = v6 ? AH_MF_TRS6 : AH_MF_TRS4;
		return 0;
	default:
		set_why(why, "AH mode not supported (tunnel and transport are)");
		return -ENOTSUP;
	}
}

int ah_sa_init_msg(struct xfrm_sa *sa, const char **why)
{
	enum ah_engine eng;
	enum ah_mf mf;
	bool esn;
	int rc;

	if (sa->id.proto != IPPROTO_AH) {
		set_why(why, "not an AH SA");
		return -EINVAL;
	}
	rc = ah_choose_engine(sa, &eng, why);
	if (!rc)
		rc = ah_choose_mf(sa, &mf, why);
	if (rc)
		return rc;
	if (sa->has_encap) {
		set_why(why, "UDP encapsulation is for ESP only (RFC 3948)");
		return -ENOTSUP;
	}
	esn = sa_is_esn(sa);
	if (esn && !sa->replay) {
		set_why(why, "ESN SA without replay state");
		return -EINVAL;
	}
	if (eng == AH_ENG_GMAC && !esn && (sa->extra_flags & XFRM_SA_XFLAG_OSEQ_MAY_WRAP)) {
		set_why(why, "GMAC IV from a wrapping sequence number would repeat");
		return -ENOTSUP;
	}
	pthread_once(&ops_once, ops_table_fill);
	sa->ops_priv = NULL;
	__atomic_store_n(&sa->ops, &ops_table[mf][esn][eng], __ATOMIC_RELEASE);
	return 0;
}

int ah_sa_init(struct xfrm_sa *sa)
{
	return ah_sa_init_msg(sa, NULL);
}

unsigned int ah_hdr_len(const struct xfrm_sa *sa)
{
	if (!sa->crypto)
		return 0;
	return ah_len_for(sa, sa->family == AF_INET6, sa->flags & XFRM_STATE_ALIGN4);
}
