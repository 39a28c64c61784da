/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-SA choice of the AH packet functions (mode x family x ESN x ICV
 * engine, once per SA). The transforms are sa_crypto_bind()'s: a keyed
 * digest (SA_CRYPTO_AH), or for AES-GMAC (RFC 4543 4) the rfc4543 AEAD
 * (SA_CRYPTO_AEAD, ICV 16, IV 8), the binding netlink SAs get.
 */
#include <pthread.h>

#include "ah/ah_priv.h"

static struct xfrm_state_ops ops_table[AH_MF_KINDS][2][AH_ENG_KINDS];
static pthread_once_t ops_once = PTHREAD_ONCE_INIT;

static void ops_table_fill(void)
{
	for (int mf = 0; mf < AH_MF_KINDS; mf++)
		for (int esn = 0; esn < 2; esn++)
			for (int e = 0; e < AH_ENG_KINDS; e++) {
				ops_table[mf][esn][e].output = ah_out_fns[mf][esn][e];
				ops_table[mf][esn][e].input = ah_in_fns[mf][esn][e];
			}
}

static void set_why(const char **why, const char *s)
{
	if (why)
		*why = s;
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
	if (cr && cr->kind == SA_CRYPTO_AEAD && cr->aead) {
		/* sa_crypto_name() lets only rfc4543(gcm(aes)) through for AH. */
		if (cr->icv_len != AH_GMAC_TAG || cr->iv_len != AH_GMAC_IV) {
			set_why(why, "AH-GMAC needs a 16-byte ICV and an 8-byte IV (RFC 4543 4)");
			return -EINVAL;
		}
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
	int rc = ipsec_choose_mf(sa, "AH SA family must be IPv4 or IPv6",
				 "AH mode not supported (tunnel and transport are)", why);

	if (rc < 0)
		return rc;
	*mf = (enum ah_mf)rc;
	return 0;
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
	sa->type_priv = 0;
	sa->type = &ah_type;
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

static unsigned int ah_overhead(const struct xfrm_sa *sa)
{
	return ah_hdr_len(sa);	/* RFC 4302 2: no trailer, no padding beyond alignment */
}

const struct xfrm_type ah_type = {
	.proto = IPPROTO_AH,
	.slot = XFRM_SLOT_AH,
	.name = "ah",
	.init_state = ah_sa_init_msg,
	.destroy_state = NULL,	/* ops point into a static table */
	.overhead = ah_overhead,
	.lcore_create = ah_type_lcore_create,
	.lcore_free = ah_type_lcore_free,
	.drop_max = AH_DROP_MAX,
	.drop_unknown = AH_DROP_CRYPTO,
	.drop_name = ah_type_drop_name,
	.drop_key = ah_type_drop_key,
	.mbuf_reason = ah_type_mbuf_reason,
	.lcore_drops = ah_type_lcore_drops,
};
