/* SPDX-License-Identifier: BSD-3-Clause */
/* strongSwan proposal strings from the algorithms that work here. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netlink/proposals.h"

/* IKEv2 transform IDs, RFC 7296 3.3.2 and the IANA IKEv2 registry. */
#define ENCR_AES_CBC			12	/* RFC 3602 */
#define ENCR_AES_CTR			13	/* RFC 3686 */
#define ENCR_AES_GCM_16			20	/* RFC 4106 */
#define ENCR_NULL_AUTH_AES_GMAC		21	/* RFC 4543 */
#define ENCR_CHACHA20_POLY1305		28	/* RFC 7634 */
#define AUTH_HMAC_SHA1_96		2	/* RFC 2404 */
#define AUTH_AES_XCBC_96		5	/* RFC 3566 */
#define AUTH_AES_CMAC_96		8	/* RFC 4494 */
#define AUTH_HMAC_SHA2_256_128		12	/* RFC 4868 */
#define AUTH_HMAC_SHA2_384_192		13	/* RFC 4868 */
#define AUTH_HMAC_SHA2_512_256		14	/* RFC 4868 */

/* Combined-mode ciphers, each a whole ESP proposal on its own. */
static const struct ike_transform esp_aead[] = {
	{ "aes128gcm16", ENCR_AES_GCM_16, 128, "rfc4106(gcm(aes))" },
	{ "aes192gcm16", ENCR_AES_GCM_16, 192, "rfc4106(gcm(aes))" },
	{ "aes256gcm16", ENCR_AES_GCM_16, 256, "rfc4106(gcm(aes))" },
	{ "chacha20poly1305", ENCR_CHACHA20_POLY1305, 256, "rfc7539esp(chacha20,poly1305)" },
	{ "aes128gmac", ENCR_NULL_AUTH_AES_GMAC, 128, "rfc4543(gcm(aes))" },
	{ "aes192gmac", ENCR_NULL_AUTH_AES_GMAC, 192, "rfc4543(gcm(aes))" },
	{ "aes256gmac", ENCR_NULL_AUTH_AES_GMAC, 256, "rfc4543(gcm(aes))" },
};

/* Ciphers that need an integrity algorithm (composed with authenc()). */
static const struct ike_transform esp_enc[] = {
	{ "aes128", ENCR_AES_CBC, 128, "cbc(aes)" },
	{ "aes192", ENCR_AES_CBC, 192, "cbc(aes)" },
	{ "aes256", ENCR_AES_CBC, 256, "cbc(aes)" },
	{ "aes128ctr", ENCR_AES_CTR, 128, "rfc3686(ctr(aes))" },
	{ "aes192ctr", ENCR_AES_CTR, 192, "rfc3686(ctr(aes))" },
	{ "aes256ctr", ENCR_AES_CTR, 256, "rfc3686(ctr(aes))" },
};

/* Integrity algorithms, strongest first. */
static const struct ike_transform integ[] = {
	{ "sha256", AUTH_HMAC_SHA2_256_128, 0, "hmac(sha256)" },
	{ "sha384", AUTH_HMAC_SHA2_384_192, 0, "hmac(sha384)" },
	{ "sha512", AUTH_HMAC_SHA2_512_256, 0, "hmac(sha512)" },
	{ "sha1", AUTH_HMAC_SHA1_96, 0, "hmac(sha1)" },
	{ "aesxcbc", AUTH_AES_XCBC_96, 0, "xcbc(aes)" },
	{ "aescmac", AUTH_AES_CMAC_96, 0, "cmac(aes)" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Appends to a bounded string; the first overflow sticks. */
struct out {
	char *buf;
	size_t len, used;
	bool overflow;
};

static void put(struct out *o, const char *sep, const char *word)
{
	int n;

	if (o->overflow)
		return;
	n = snprintf(o->buf + o->used, o->len - o->used, "%s%s", o->used ? sep : "", word);
	if (n < 0 || (size_t)n >= o->len - o->used) {
		o->overflow = true;
		return;
	}
	o->used += n;
}

static int finish(struct out *o)
{
	if (o->overflow) {
		if (o->len)
			o->buf[0] = '\0';
		return -ENOSPC;
	}
	return (int)o->used;
}

/* The AEAD XFRM builds for an encryption + integrity pair (ESP, RFC 4303). */
static bool composed_avail(const struct ike_transform *enc, const struct ike_transform *auth,
			   proposal_avail_fn avail, void *arg)
{
	char name[160];

	snprintf(name, sizeof(name), "authenc(%s,%s)", auth->xfrm_name, enc->xfrm_name);
	return avail(name, PROPOSAL_AEAD, arg);
}

int proposals_esp(char *buf, size_t len, proposal_avail_fn avail, void *arg)
{
	struct out o = { .buf = buf, .len = len };

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < N(esp_aead); i++)
		if (avail(esp_aead[i].xfrm_name, PROPOSAL_AEAD, arg))
			put(&o, ",", esp_aead[i].keyword);
	/* One proposal per cipher, listing every integrity algorithm it pairs with. */
	for (size_t i = 0; i < N(esp_enc); i++) {
		char prop[128];
		struct out p = { .buf = prop, .len = sizeof(prop) };

		put(&p, "-", esp_enc[i].keyword);
		for (size_t j = 0; j < N(integ); j++)
			if (composed_avail(&esp_enc[i], &integ[j], avail, arg))
				put(&p, "-", integ[j].keyword);
		if (!p.overflow && strchr(prop, '-'))
			put(&o, ",", prop);
	}
	return finish(&o);
}

int proposals_ah(char *buf, size_t len, proposal_avail_fn avail, void *arg)
{
	struct out o = { .buf = buf, .len = len };

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < N(integ); i++)
		if (avail(integ[i].xfrm_name, PROPOSAL_HASH, arg))
			put(&o, ",", integ[i].keyword);
	return finish(&o);
}

const struct ike_transform *proposals_lookup(const char *keyword)
{
	static const struct {
		const struct ike_transform *t;
		size_t n;
	} tables[] = {
		{ esp_aead, N(esp_aead) }, { esp_enc, N(esp_enc) }, { integ, N(integ) },
	};

	for (size_t t = 0; t < N(tables); t++)
		for (size_t i = 0; i < tables[t].n; i++)
			if (strcmp(tables[t].t[i].keyword, keyword) == 0)
				return &tables[t].t[i];
	return NULL;
}
