/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-SA crypto binding: from the algorithms XFRM gave to crypto API
 * transforms, the way the kernel's esp4/esp6/ah4/ah6 build them.
 *
 * ESP always sees one AEAD (RFC 4303 3.2 combined mode, or composed):
 *  XFRMA_ALG_AEAD             -> the AEAD by its name, authsize = ICV bits/8:
 *                                "rfc4106(gcm(aes))" ICV 64/96/128,
 *                                "rfc4543(gcm(aes))" ICV 128,
 *                                "rfc7539esp(chacha20,poly1305)" ICV 128
 *  XFRMA_ALG_CRYPT [+ AUTH]   -> "authenc(<auth>,<enc>)", or
 *                                "authencesn(<auth>,<enc>)" with XFRM_STATE_ESN;
 *                                no auth: "digest_null"; key blob built with
 *                                crypto_authenc_buildkey(), authsize =
 *                                truncation bits/8
 * AH sees the keyed digest alone as an shash ("hmac(sha256)", "xcbc(aes)"),
 * ICV = truncation bits/8 (RFC 4302 2.6).
 *
 * Cipher names map to the crypto API's: "cbc(aes)"/"aes" -> cbc(aes),
 * "rfc3686(ctr(aes))", "ecb(cipher_null)"/"cipher_null" -> ecb(cipher_null).
 * Auth names: "hmac(sha1)"/"sha1", "hmac(sha256)"/"sha256",
 * "hmac(sha384)"/"sha384", "hmac(sha512)"/"sha512", "xcbc(aes)",
 * "cmac(aes)", "digest_null".
 */
#ifndef XFRMGW_SA_SA_CRYPTO_H
#define XFRMGW_SA_SA_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cryptoapi/crypto.h"
#include "sa/sa.h"

/* What kind of transform the data path drives. */
enum sa_crypto_kind {
	SA_CRYPTO_NONE = 0,
	SA_CRYPTO_AEAD,		/* ESP, combined mode (GCM, GMAC, ChaCha20-Poly1305) */
	SA_CRYPTO_AUTHENC,	/* ESP, cipher + auth, 32-bit sequence numbers in AAD */
	SA_CRYPTO_AUTHENCESN,	/* ESP, cipher + auth, ESN high bits authenticated */
	SA_CRYPTO_AH,		/* AH keyed digest */
};

/* Kinds of XFRM algorithm attribute, for the name tables. */
enum sa_alg_kind {
	SA_ALG_AEAD,
	SA_ALG_CRYPT,
	SA_ALG_AUTH,
	SA_ALG_COMP,
};

/*
 * What XFRM knows about one algorithm name (the kernel's xfrm_algo_desc
 * restricted to what we need). icv_bits: the allowed AEAD ICV length, or the
 * default truncation of an auth algorithm; full_bits: digest size.
 */
struct sa_alg_desc {
	const char *name;	/* canonical XFRM name, also the crypto API name */
	const char *compat;	/* older XFRM name, or NULL */
	enum sa_alg_kind kind;
	uint16_t icv_bits;	/* AEAD: one allowed ICV (several rows per name) */
	uint16_t full_bits;	/* auth: digest size; AEAD: max ICV */
	uint16_t block_bits;	/* cipher block (ESP padding), 8 for stream-like */
	uint16_t iv_bits;	/* explicit IV on the wire */
};

/*
 * Find an algorithm by XFRM name (canonical or compat). For AEAD,
 * icv_bits selects the row (0: any). NULL if XFRM has no such algorithm.
 */
const struct sa_alg_desc *sa_alg_lookup(enum sa_alg_kind kind, const char *name,
					unsigned int icv_bits);

/* Bound transforms of one SA. Owned by the SA; freed by sa_put(). */
struct sa_crypto {
	enum sa_crypto_kind kind;
	struct crypto_aead *aead;	/* ESP */
	struct crypto_shash *shash;	/* AH */
	uint16_t icv_len;		/* ICV bytes on the wire */
	uint16_t iv_len;		/* explicit IV bytes on the wire */
	uint16_t block_size;		/* ESP payload alignment (RFC 4303 2.4), >= 4 */
	bool fell_back;			/* the preferred kind had no driver (sa_crypto_set_pref) */
	char name[CRYPTO_MAX_ALG_NAME];	/* what was allocated */
};

/*
 * Which driver an SA's transform comes from, process-wide (the gateway's
 * "crypto prefer" setting). The XFRM algorithm always decides the generic
 * name; the preference only chooses among the drivers that implement it:
 *  PRIORITY  highest cra_priority, the registry's order (default)
 *  FASTEST   highest throughput measured at registration (CRYPTO_SELECT_FASTEST)
 *  HARDWARE  drivers flagged CRYPTO_ALG_HARDWARE (type = mask = HARDWARE)
 *  SOFTWARE  drivers without it (mask = HARDWARE)
 *  ASYNC     asynchronous drivers (CRYPTO_ALG_ASYNC: DPDK cryptodev lookaside)
 * Fallback rule: a preference is a preference. When no tested driver of the
 * preferred kind implements the algorithm, the SA gets the PRIORITY choice
 * instead of being refused, sa_crypto.fell_back is set, and the first such
 * fallback is logged as a warning. Every binding is logged at INFO level with
 * the driver it got (crypto_set_log decides where INFO goes).
 * Transforms already bound keep their driver; the setting applies to SAs
 * bound after the call. Not for use concurrently with sa_crypto_bind().
 */
enum sa_crypto_pref {
	SA_CRYPTO_PREF_PRIORITY = 0,
	SA_CRYPTO_PREF_FASTEST,
	SA_CRYPTO_PREF_HARDWARE,
	SA_CRYPTO_PREF_SOFTWARE,
	SA_CRYPTO_PREF_ASYNC,
	SA_CRYPTO_PREF_MAX
};

/* 0, or -EINVAL for a value outside the enum. */
int sa_crypto_set_pref(enum sa_crypto_pref pref);
enum sa_crypto_pref sa_crypto_get_pref(void);

/* "priority", "fastest", "hardware", "software", "async"; "?" otherwise. */
const char *sa_crypto_pref_name(enum sa_crypto_pref pref);

/* The type/mask pair a preference passes to crypto_alloc_aead/_shash. */
void sa_crypto_pref_flags(enum sa_crypto_pref pref, uint32_t *type, uint32_t *mask);

/* Driver name of the bound transform ("rfc4106-gcm-aes-ipsecmb"), "" if none. */
const char *sa_crypto_driver(const struct sa_crypto *c);

/*
 * The crypto API name the SA needs, without allocating: ESP -> the AEAD
 * name, AH -> the shash name. kind/icv_len filled as the binding would.
 * Errors: -EINVAL (ESP without cipher or AEAD, AH without auth, AEAD mixed
 * with cipher/auth, protocol neither ESP nor AH), -ENAMETOOLONG.
 * *msg (if not NULL) gets a constant string suitable for extack.
 */
int sa_crypto_name(const struct xfrm_sa *sa, char *name, size_t len,
		   enum sa_crypto_kind *kind, unsigned int *icv_len, const char **msg);

/*
 * Allocate and key the transforms; on success sa->crypto is set.
 * Errors:
 *  -ENOSYS  the crypto API has no (tested) algorithm of that name; msg
 *           (msglen bytes, may be NULL) names it:
 *           "crypto API has no aead \"authenc(hmac(sha384),cbc(aes))\""
 *  -EINVAL  key length or ICV length rejected by the transform (msg says
 *           which), or a combination sa_crypto_name() rejects
 *  -ENOMEM
 * Key blobs built on the way are wiped before return.
 * Then the packet path's per-SA setup: when the process registered packet
 * types (sa/xfrm_type.h), the SA's protocol type chooses its burst
 * functions (sa->type, sa->ops), so an SA that cannot carry packets is
 * refused when it is added (-EINVAL/-ENOTSUP/-EPROTONOSUPPORT, msg says
 * why, sa->crypto left unset).
 */
int sa_crypto_bind(struct xfrm_sa *sa, char *msg, size_t msglen);


/* Free the transforms (the crypto API wipes their contexts). NULL is fine. */
void sa_crypto_free(struct sa_crypto *c);

#endif
