/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * XFRM algorithms -> crypto API transforms, as the kernel's ESP (RFC 4303)
 * and AH (RFC 4302) build them: ESP drives one AEAD, composed by
 * authenc()/authencesn() when the SA has a cipher and an integrity
 * algorithm; AH drives the keyed digest.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "cryptoapi/algapi.h"
#include "cryptoapi/crypto.h"
#include "sa/sa_crypto.h"
#include "sa/xfrm_type.h"

#define KEY_BYTES(bits) (((unsigned int)(bits) + 7) / 8)

/*
 * The algorithms XFRM knows (the kernel's xfrm_algo.c lists), with what
 * ESP needs to know of each. An AEAD appears once per allowed ICV length.
 * Names the crypto API does not implement stay listed, so their SAs fail
 * with a message that names what is missing rather than "unknown".
 */
static const struct sa_alg_desc alg_table[] = {
	/* AEAD: RFC 4106 (8/12/16-byte ICV), RFC 4543, RFC 7634, RFC 4309 */
	{ "rfc4106(gcm(aes))", NULL, SA_ALG_AEAD, 64, 128, 8, 64 },
	{ "rfc4106(gcm(aes))", NULL, SA_ALG_AEAD, 96, 128, 8, 64 },
	{ "rfc4106(gcm(aes))", NULL, SA_ALG_AEAD, 128, 128, 8, 64 },
	{ "rfc4543(gcm(aes))", NULL, SA_ALG_AEAD, 128, 128, 8, 64 },
	{ "rfc7539esp(chacha20,poly1305)", NULL, SA_ALG_AEAD, 128, 128, 8, 64 },
	{ "rfc4309(ccm(aes))", NULL, SA_ALG_AEAD, 64, 128, 8, 64 },
	{ "rfc4309(ccm(aes))", NULL, SA_ALG_AEAD, 96, 128, 8, 64 },
	{ "rfc4309(ccm(aes))", NULL, SA_ALG_AEAD, 128, 128, 8, 64 },
	/* ciphers: RFC 3602, RFC 3686, RFC 2410 */
	{ "cbc(aes)", "aes", SA_ALG_CRYPT, 0, 0, 128, 128 },
	{ "rfc3686(ctr(aes))", NULL, SA_ALG_CRYPT, 0, 0, 8, 64 },
	{ "ecb(cipher_null)", "cipher_null", SA_ALG_CRYPT, 0, 0, 8, 0 },
	{ "cbc(des3_ede)", "des3_ede", SA_ALG_CRYPT, 0, 0, 64, 64 },
	/* integrity: RFC 2404, RFC 4868, RFC 3566, RFC 4494; default truncation */
	{ "digest_null", NULL, SA_ALG_AUTH, 0, 0, 0, 0 },
	{ "hmac(md5)", "md5", SA_ALG_AUTH, 96, 128, 0, 0 },
	{ "hmac(sha1)", "sha1", SA_ALG_AUTH, 96, 160, 0, 0 },
	{ "hmac(sha256)", "sha256", SA_ALG_AUTH, 96, 256, 0, 0 },
	{ "hmac(sha384)", "sha384", SA_ALG_AUTH, 192, 384, 0, 0 },
	{ "hmac(sha512)", "sha512", SA_ALG_AUTH, 256, 512, 0, 0 },
	{ "xcbc(aes)", NULL, SA_ALG_AUTH, 96, 128, 0, 0 },
	{ "cmac(aes)", NULL, SA_ALG_AUTH, 96, 128, 0, 0 },
	/* compression (stored only) */
	{ "deflate", NULL, SA_ALG_COMP, 0, 0, 0, 0 },
	{ "lzs", NULL, SA_ALG_COMP, 0, 0, 0, 0 },
	{ "lzjh", NULL, SA_ALG_COMP, 0, 0, 0, 0 },
};

const struct sa_alg_desc *sa_alg_lookup(enum sa_alg_kind kind, const char *name,
					unsigned int icv_bits)
{
	for (size_t i = 0; i < sizeof(alg_table) / sizeof(alg_table[0]); i++) {
		const struct sa_alg_desc *d = &alg_table[i];

		if (d->kind != kind)
			continue;
		if (strcmp(d->name, name) && (!d->compat || strcmp(d->compat, name)))
			continue;
		if (kind == SA_ALG_AEAD && icv_bits && d->icv_bits != icv_bits)
			continue;
		return d;
	}
	return NULL;
}

static void set_msg(const char **msg, const char *s)
{
	if (msg)
		*msg = s;
}

static int esp_name(const struct xfrm_sa *sa, char *name, size_t len,
		    enum sa_crypto_kind *kind, unsigned int *icv, const char **msg)
{
	const char *tmpl = sa_is_esn(sa) ? "authencesn" : "authenc";
	int n;

	if (sa->aead) {
		if (sa->ealg || sa->aalg) {
			set_msg(msg, "AEAD cannot be combined with a cipher or an authentication algorithm");
			return -EINVAL;
		}
		n = snprintf(name, len, "%s", sa->aead->alg_name);
		*kind = SA_CRYPTO_AEAD;
		*icv = sa->aead->alg_icv_len / 8;
	} else {
		if (!sa->ealg) {
			set_msg(msg, "ESP needs an encryption or AEAD algorithm");
			return -EINVAL;
		}
		n = snprintf(name, len, "%s(%s,%s)", tmpl,
			     sa->aalg ? sa->aalg->alg_name : "digest_null", sa->ealg->alg_name);
		*kind = sa_is_esn(sa) ? SA_CRYPTO_AUTHENCESN : SA_CRYPTO_AUTHENC;
		*icv = sa->aalg ? sa->aalg->alg_trunc_len / 8 : 0;
	}
	if (n < 0 || (size_t)n >= len) {
		set_msg(msg, "algorithm name too long");
		return -ENAMETOOLONG;
	}
	return 0;
}

int sa_crypto_name(const struct xfrm_sa *sa, char *name, size_t len,
		   enum sa_crypto_kind *kind, unsigned int *icv_len, const char **msg)
{
	*kind = SA_CRYPTO_NONE;
	*icv_len = 0;
	switch (sa->id.proto) {
	case IPPROTO_ESP:
		return esp_name(sa, name, len, kind, icv_len, msg);
	case IPPROTO_AH:
		/* RFC 4543 4: AH with AES-GMAC, bound as the rfc4543 AEAD. */
		if (sa->aead && !sa->aalg && !sa->ealg &&
		    !strcmp(sa->aead->alg_name, "rfc4543(gcm(aes))")) {
			snprintf(name, len, "%s", sa->aead->alg_name);
			*kind = SA_CRYPTO_AEAD;
			*icv_len = sa->aead->alg_icv_len / 8;
			return 0;
		}
		if (!sa->aalg || sa->ealg || sa->aead) {
			set_msg(msg, "AH needs exactly one authentication algorithm");
			return -EINVAL;
		}
		if ((size_t)snprintf(name, len, "%s", sa->aalg->alg_name) >= len) {
			set_msg(msg, "algorithm name too long");
			return -ENAMETOOLONG;
		}
		*kind = SA_CRYPTO_AH;
		*icv_len = sa->aalg->alg_trunc_len / 8;
		return 0;
	default:
		if (sa->aead || sa->ealg || sa->aalg) {
			set_msg(msg, "algorithms given for a protocol other than ESP or AH");
			return -EINVAL;
		}
		if (len)
			name[0] = '\0';
		return 0;
	}
}

/* ---- driver preference ---- */

static enum sa_crypto_pref crypto_pref = SA_CRYPTO_PREF_PRIORITY;
static bool fallback_warned;

static const char *const pref_names[SA_CRYPTO_PREF_MAX] = {
	[SA_CRYPTO_PREF_PRIORITY] = "priority",
	[SA_CRYPTO_PREF_FASTEST] = "fastest",
	[SA_CRYPTO_PREF_HARDWARE] = "hardware",
	[SA_CRYPTO_PREF_SOFTWARE] = "software",
	[SA_CRYPTO_PREF_ASYNC] = "async",
};

int sa_crypto_set_pref(enum sa_crypto_pref pref)
{
	if ((unsigned int)pref >= SA_CRYPTO_PREF_MAX)
		return -EINVAL;
	__atomic_store_n(&crypto_pref, pref, __ATOMIC_RELAXED);
	return 0;
}

enum sa_crypto_pref sa_crypto_get_pref(void)
{
	return __atomic_load_n(&crypto_pref, __ATOMIC_RELAXED);
}

const char *sa_crypto_pref_name(enum sa_crypto_pref pref)
{
	return (unsigned int)pref < SA_CRYPTO_PREF_MAX ? pref_names[pref] : "?";
}

void sa_crypto_pref_flags(enum sa_crypto_pref pref, uint32_t *type, uint32_t *mask)
{
	*type = 0;
	*mask = 0;
	switch (pref) {
	case SA_CRYPTO_PREF_FASTEST:
		*type = CRYPTO_SELECT_FASTEST;
		break;
	case SA_CRYPTO_PREF_HARDWARE:
		*type = CRYPTO_ALG_HARDWARE;
		*mask = CRYPTO_ALG_HARDWARE;
		break;
	case SA_CRYPTO_PREF_SOFTWARE:
		*mask = CRYPTO_ALG_HARDWARE;
		break;
	case SA_CRYPTO_PREF_ASYNC:
		*type = CRYPTO_ALG_ASYNC;
		*mask = CRYPTO_ALG_ASYNC;
		break;
	default:
		break;
	}
}

const char *sa_crypto_driver(const struct sa_crypto *c)
{
	if (c && c->aead)
		return crypto_tfm_alg_driver_name(&c->aead->base);
	if (c && c->shash)
		return crypto_tfm_alg_driver_name(&c->shash->base);
	return "";
}

static int alloc_one(struct sa_crypto *c, uint32_t type, uint32_t mask)
{
	if (c->kind == SA_CRYPTO_AH)
		return crypto_alloc_shash(&c->shash, c->name, type, mask);
	return crypto_alloc_aead(&c->aead, c->name, type, mask);
}

/*
 * Allocate c->name under the process-wide preference; when no driver of
 * the preferred kind exists, take the priority choice (see sa_crypto.h).
 */
static int alloc_preferred(struct sa_crypto *c, const struct xfrm_sa *sa)
{
	enum sa_crypto_pref pref = sa_crypto_get_pref();
	uint32_t type, mask;
	int rc;

	sa_crypto_pref_flags(pref, &type, &mask);
	rc = alloc_one(c, type, mask);
	if ((rc == -ENOENT || rc == -ELIBBAD) && (type || mask)) {
		rc = alloc_one(c, 0, 0);
		c->fell_back = rc == 0;
		if (c->fell_back && !__atomic_exchange_n(&fallback_warned, true, __ATOMIC_RELAXED))
			crypto_log(CRYPTO_LOG_WARNING,
				   "crypto prefer %s: no such driver for %s, using %s (logged once)",
				   pref_names[pref], c->name, sa_crypto_driver(c));
	}
	if (rc == 0)
		crypto_log(CRYPTO_LOG_INFO, "SA spi 0x%08x: %s by driver %s (prefer %s%s)",
			   ntohl(sa->id.spi), c->name, sa_crypto_driver(c), pref_names[pref],
			   c->fell_back ? ", fell back" : "");
	return rc;
}

static int no_such_alg(int rc, const char *what, const char *name, char *msg, size_t msglen)
{
	if (rc == -ENOENT || rc == -ELIBBAD) {
		if (msg)
			snprintf(msg, msglen, "crypto API has no %s%s \"%s\"", 
				 rc == -ELIBBAD ? "self-tested " : "", what, name);
		return -ENOSYS;
	}
	if (msg)
		snprintf(msg, msglen, "cannot allocate %s \"%s\": error %d", what, name, rc);
	return rc;
}

/* authenc()/authencesn() key blob: rtattr + enckeylen, auth key, cipher key. */
static int authenc_setkey(struct crypto_aead *tfm, const struct xfrm_sa *sa)
{
	static const uint8_t none[1];
	unsigned int alen = sa->aalg ? KEY_BYTES(sa->aalg->alg_key_len) : 0;
	unsigned int elen = KEY_BYTES(sa->ealg->alg_key_len);
	const uint8_t *akey = alen ? (const uint8_t *)sa->aalg->alg_key : none;
	const uint8_t *ekey = elen ? (const uint8_t *)sa->ealg->alg_key : none;
	size_t blen = 8 + (size_t)alen + elen;
	uint8_t *blob = malloc(blen);
	int n, rc;

	if (!blob)
		return -ENOMEM;
	/* never hand memcpy a NULL source, even for 0 bytes (digest_null, cipher_null) */
	n = crypto_authenc_buildkey(blob, blen, akey, alen, ekey, elen);
	rc = n < 0 ? n : crypto_aead_setkey(tfm, blob, (unsigned int)n);
	crypto_wipe(blob, blen);
	free(blob);
	return rc;
}

static int bind_esp(struct sa_crypto *c, const struct xfrm_sa *sa, unsigned int icv,
		    char *msg, size_t msglen)
{
	unsigned int bs;
	int rc;

	rc = alloc_preferred(c, sa);
	if (rc)
		return no_such_alg(rc, "aead", c->name, msg, msglen);
	if (c->kind == SA_CRYPTO_AEAD)
		rc = crypto_aead_setkey(c->aead, (const uint8_t *)sa->aead->alg_key,
					KEY_BYTES(sa->aead->alg_key_len));
	else
		rc = authenc_setkey(c->aead, sa);
	if (rc) {
		if (msg)
			snprintf(msg, msglen, "%s rejected the key (%u + %u bits): error %d", c->name,
				 sa->aead ? sa->aead->alg_key_len : sa->ealg->alg_key_len,
				 sa->aalg ? sa->aalg->alg_key_len : 0, rc);
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	rc = crypto_aead_setauthsize(c->aead, icv);
	if (rc) {
		if (msg)
			snprintf(msg, msglen, "%s rejected an ICV of %u bytes", c->name, icv);
		return -EINVAL;
	}
	c->iv_len = (uint16_t)crypto_aead_ivsize(c->aead);
	bs = crypto_aead_blocksize(c->aead);
	c->block_size = (uint16_t)(bs < 4 ? 4 : bs);
	return 0;
}

static int bind_ah(struct sa_crypto *c, const struct xfrm_sa *sa, unsigned int icv,
		   char *msg, size_t msglen)
{
	unsigned int klen = KEY_BYTES(sa->aalg->alg_key_len);
	int rc;

	rc = alloc_preferred(c, sa);
	if (rc)
		return no_such_alg(rc, "shash", c->name, msg, msglen);
	if (klen) {
		rc = crypto_shash_setkey(c->shash, (const uint8_t *)sa->aalg->alg_key, klen);
		if (rc) {
			if (msg)
				snprintf(msg, msglen, "%s rejected a key of %u bits", c->name,
					 sa->aalg->alg_key_len);
			return rc == -ENOMEM ? rc : -EINVAL;
		}
	}
	if (icv > crypto_shash_digestsize(c->shash)) {
		if (msg)
			snprintf(msg, msglen, "%s: ICV of %u bytes exceeds the digest", c->name, icv);
		return -EINVAL;
	}
	c->block_size = 4;
	return 0;
}

/*
 * The packet path's per-SA setup: the SA's protocol type chooses its burst
 * functions now, not per packet. A process without registered types (no
 * packet path) stops at the transforms; one with types refuses an SA
 * whose protocol has none.
 */
static int bind_type(struct xfrm_sa *sa, const char **why)
{
	return xfrm_types_registered() ? xfrm_init_state(sa, why) : 0;
}

int sa_crypto_bind(struct xfrm_sa *sa, char *msg, size_t msglen)
{
	const char *why = "bad algorithm combination";
	enum sa_crypto_kind kind;
	struct sa_crypto *c;
	unsigned int icv;
	int rc;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	rc = sa_crypto_name(sa, c->name, sizeof(c->name), &kind, &icv, &why);
	if (rc) {
		if (msg)
			snprintf(msg, msglen, "%s", why);
		goto fail;
	}
	c->kind = kind;
	c->icv_len = (uint16_t)icv;
	if (kind == SA_CRYPTO_AH)
		rc = bind_ah(c, sa, icv, msg, msglen);
	else if (kind != SA_CRYPTO_NONE)
		rc = bind_esp(c, sa, icv, msg, msglen);
	if (unlikely(rc))
		goto fail;
	sa_crypto_free(sa->crypto);
	sa->crypto = c;
	rc = bind_type(sa, &why);
	if (rc) {
		if (msg)
			snprintf(msg, msglen, "%s", why);
		sa->crypto = NULL;
		sa->ops = NULL;
		sa->type = NULL;
		goto fail;
	}
	return 0;

fail:
	sa_crypto_free(c);
	return rc;
}

void sa_crypto_free(struct sa_crypto *c)
{
	if (!c)
		return;
	if (c->aead)
		crypto_free_aead(c->aead);
	if (c->shash)
		crypto_free_shash(c->shash);
	crypto_wipe(c, sizeof(*c));
	free(c);
}
