/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-SA choice of the ESP packet functions (decide once per SA, not per
 * packet): mode x outer family x UDP encapsulation x ESN x IV generation.
 */
#include <pthread.h>
#include <string.h>

#include "esp/esp_priv.h"

/* One ops pair per combination; sa->ops points into this table. */
static struct xfrm_state_ops ops_table[ESP_MF_KINDS][2][2][ESP_IV_KINDS];
static pthread_once_t ops_once = PTHREAD_ONCE_INIT;

static void ops_table_fill(void)
{
	for (int mf = 0; mf < ESP_MF_KINDS; mf++)
		for (int natt = 0; natt < 2; natt++)
			for (int esn = 0; esn < 2; esn++)
				for (int iv = 0; iv < ESP_IV_KINDS; iv++) {
					ops_table[mf][natt][esn][iv].output =
						esp_out_fns[mf][natt][esn][iv];
					ops_table[mf][natt][esn][iv].input =
						esp_in_fns[mf][natt][esn];
				}
}

static void set_why(const char **why, const char *s)
{
	if (why)
		*why = s;
}

/*
 * Counter IVs suit the algorithms that need unique IVs (RFC 4106 3.1,
 * RFC 4543 3.1, RFC 3686 3.1, RFC 7634 2); CBC needs unpredictable ones
 * (RFC 3602 2.3), so anything that is not known to be a counter mode gets
 * DRBG output.
 */
static enum esp_ivgen esp_choose_iv(const struct xfrm_sa *sa)
{
	const struct sa_crypto *cr = sa->crypto;

	if (cr->iv_len == 0)
		return ESP_IV_NONE;
	if (cr->kind == SA_CRYPTO_AEAD && cr->iv_len == 8)
		return ESP_IV_COUNTER;
	if (sa->ealg && !strcmp(sa->ealg->alg_name, "rfc3686(ctr(aes))") && cr->iv_len == 8)
		return ESP_IV_COUNTER;
	return ESP_IV_RANDOM;
}

static int esp_choose_mf(const struct xfrm_sa *sa, enum esp_mf *mf, const char **why)
{
	int rc = ipsec_choose_mf(sa, "ESP SA family must be IPv4 or IPv6",
				 "ESP mode not supported (tunnel and transport are)", why);

	if (rc < 0)
		return rc;
	*mf = (enum esp_mf)rc;
	return 0;
}

int esp_sa_init_msg(struct xfrm_sa *sa, const char **why)
{
	const struct sa_crypto *cr = sa->crypto;
	enum esp_ivgen iv;
	enum esp_mf mf;
	bool esn, natt;
	int rc;

	if (sa->id.proto != IPPROTO_ESP) {
		set_why(why, "not an ESP SA");
		return -EINVAL;
	}
	if (!cr || !cr->aead || (cr->kind != SA_CRYPTO_AEAD && cr->kind != SA_CRYPTO_AUTHENC &&
				 cr->kind != SA_CRYPTO_AUTHENCESN)) {
		set_why(why, "ESP SA has no bound AEAD transform");
		return -EINVAL;
	}
	rc = esp_choose_mf(sa, &mf, why);
	if (rc)
		return rc;
	if (cr->iv_len > ESP_MAX_IV || cr->icv_len > ESP_MAX_ICV || cr->block_size > 255) {
		set_why(why, "IV, ICV or block size larger than ESP supports");
		return -ENOTSUP;
	}
	if (crypto_aead_reqsize(cr->aead) > ESP_REQ_SIZE) {
		set_why(why, "crypto request larger than the per-lcore slot");
		return -ENOTSUP;
	}
	natt = sa->has_encap;
	if (natt && sa->encap.encap_type != UDP_ENCAP_ESPINUDP) {
		set_why(why, "only UDP_ENCAP_ESPINUDP (RFC 3948) encapsulation is supported");
		return -ENOTSUP;
	}
	esn = sa_is_esn(sa);
	if (esn && !sa->replay) {
		set_why(why, "ESN SA without replay state");
		return -EINVAL;
	}
	iv = esp_choose_iv(sa);
	if (iv == ESP_IV_COUNTER && !esn && (sa->extra_flags & XFRM_SA_XFLAG_OSEQ_MAY_WRAP)) {
		set_why(why, "counter IV with a wrapping sequence number would repeat IVs");
		return -ENOTSUP;
	}
	pthread_once(&ops_once, ops_table_fill);
	sa->type_priv = 0;
	sa->type = &esp_type;
	__atomic_store_n(&sa->ops, &ops_table[mf][natt][esn][iv], __ATOMIC_RELEASE);
	return 0;
}

int esp_sa_init(struct xfrm_sa *sa)
{
	return esp_sa_init_msg(sa, NULL);
}

/*
 * ESP's worst case for sa (RFC 4303 2): header and trailer, UDP (RFC 3948),
 * IV, padding to the block, ICV; from the algorithms as XFRM gave them.
 */
static unsigned int esp_overhead(const struct xfrm_sa *sa)
{
	unsigned int o = ESP_HDR_LEN + ESP_TRL_LEN, iv = 16, block = 16, icv = 16;

	if (sa->has_encap)
		o += ESP_UDP_LEN;
	if (sa->aead) {
		iv = 8;		/* GCM, CCM, ChaCha20-Poly1305: RFC 4106/4309/7634 */
		block = 4;
		icv = sa->aead->alg_icv_len / 8;
	} else {
		if (sa->ealg && !strncmp(sa->ealg->alg_name, "ecb(cipher_null)", 16))
			iv = 0, block = 4;
		else if (sa->ealg && strncmp(sa->ealg->alg_name, "cbc(", 4))
			iv = 8, block = 4;	/* counter modes */
		icv = sa->aalg ? sa->aalg->alg_trunc_len / 8 : 0;
	}
	return o + iv + (block - 1) + icv;
}

const struct xfrm_type esp_type = {
	.proto = IPPROTO_ESP,
	.slot = XFRM_SLOT_ESP,
	.name = "esp",
	.init_state = esp_sa_init_msg,
	.destroy_state = NULL,	/* ops point into a static table; type_priv is a plain word */
	.overhead = esp_overhead,
	.lcore_create = esp_type_lcore_create,
	.lcore_free = esp_type_lcore_free,
	.drop_max = ESP_DROP_MAX,
	.drop_unknown = ESP_DROP_CRYPTO,
	.drop_name = esp_type_drop_name,
	.drop_key = esp_type_drop_name,	/* ESP's names are the dictionary's unprefixed ones */
	.mbuf_reason = esp_type_mbuf_reason,
	.lcore_drops = esp_type_lcore_drops,
};
