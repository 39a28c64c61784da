/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AH SAs built the netlink way (netlink/xfrm_sa.c): the algorithm attribute
 * through sa_set_aead / sa_set_auth_trunc, then sa_crypto_bind() with AH's
 * packet type registered (sa/xfrm_type.h), as dataplane/xform.c registers it.
 * Each row names its source; the binding must be what ah_sa_init_msg()
 * accepts (AES-GMAC: the rfc4543 AEAD, ICV 16, IV 8, RFC 4543 4), and the
 * AH header length what RFC 4302 2.6 gives for the SA's ICV.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "ah/ah.h"
#include "cryptoapi/crypto.h"
#include "sa/sa_crypto.h"
#include "tests/esp/esp_test_util.h"

struct row {
	const char *what;
	bool aead;		/* XFRMA_ALG_AEAD, else XFRMA_ALG_AUTH_TRUNC */
	const char *alg;
	unsigned int key_bits;
	unsigned int icv_bits;	/* AEAD ICV / truncation */
	uint32_t extra_flags;
	int set_rc;		/* the attribute check (what netlink answers) */
	int bind_rc;		/* sa_crypto_bind with the hook */
	enum sa_crypto_kind kind;
	unsigned int icv, iv;	/* bytes on the wire */
	unsigned int hdr4, hdr4_align4, hdr6;	/* ah_hdr_len, RFC 4302 2.6 */
};

static const struct row rows[] = {
	{ "RFC 4543 4: AES-128-GMAC, rfc4543(gcm(aes)) ICV 128, key || salt",
	  true, "rfc4543(gcm(aes))", 160, 128, 0, 0, 0, SA_CRYPTO_AEAD, 16, 8, 40, 36, 40 },
	{ "RFC 4543 4: AES-256-GMAC",
	  true, "rfc4543(gcm(aes))", 288, 128, 0, 0, 0, SA_CRYPTO_AEAD, 16, 8, 40, 36, 40 },
	{ "RFC 4543 4: ICV other than 128 bits refused by the attribute check",
	  true, "rfc4543(gcm(aes))", 160, 96, 0, -ENOSYS, 0, SA_CRYPTO_NONE, 0, 0, 0, 0, 0 },
	{ "RFC 4302 / RFC 4543: an AEAD other than GMAC refused for AH",
	  true, "rfc4106(gcm(aes))", 160, 128, 0, 0, -EINVAL, SA_CRYPTO_NONE, 0, 0, 0, 0, 0 },
	{ "RFC 4543 3.1: GMAC with a wrapping 32-bit sequence number refused (IV reuse)",
	  true, "rfc4543(gcm(aes))", 160, 128, XFRM_SA_XFLAG_OSEQ_MAY_WRAP, 0, -ENOTSUP,
	  SA_CRYPTO_NONE, 0, 0, 0, 0, 0 },
	{ "RFC 4868 2.3: HMAC-SHA-256-128",
	  false, "hmac(sha256)", 256, 128, 0, 0, 0, SA_CRYPTO_AH, 16, 0, 32, 28, 32 },
	{ "RFC 2404: HMAC-SHA-1-96",
	  false, "hmac(sha1)", 160, 96, 0, 0, 0, SA_CRYPTO_AH, 12, 0, 24, 24, 24 },
	{ "RFC 3566: AES-XCBC-MAC-96",
	  false, "xcbc(aes)", 128, 96, 0, 0, 0, SA_CRYPTO_AH, 12, 0, 24, 24, 24 },
	{ "RFC 4868 2.3: HMAC-SHA-512-256",
	  false, "hmac(sha512)", 512, 256, 0, 0, 0, SA_CRYPTO_AH, 32, 0, 48, 44, 48 },
};

static int setup(void **state)
{
	(void)state;
	return esp_test_eal_init("test_ah_sa");
}

/* The SA the netlink server would build from one XFRM_MSG_NEWSA. */
static struct xfrm_sa *sa_like_netlink(const struct row *r, uint16_t family, bool align4,
				       int *set_rc, int *bind_rc, char *msg, size_t msglen)
{
	union {
		struct xfrm_algo_aead aead;
		struct xfrm_algo_auth auth;
		uint8_t b[sizeof(struct xfrm_algo_auth) + 64];
	} u;
	struct xfrm_usersa_info info;
	struct xfrm_sa *sa = sa_alloc();
	size_t klen = r->key_bits / 8;
	const char *why = "";

	assert_non_null(sa);
	memset(&info, 0, sizeof(info));
	info.id.proto = IPPROTO_AH;
	info.id.spi = htonl(0x4242);
	info.family = family;
	info.mode = XFRM_MODE_TUNNEL;
	info.flags = align4 ? XFRM_STATE_ALIGN4 : 0;
	info.lft.soft_byte_limit = info.lft.hard_byte_limit = XFRM_INF;
	info.lft.soft_packet_limit = info.lft.hard_packet_limit = XFRM_INF;
	sa_set_usersa_info(sa, &info);
	sa->extra_flags = r->extra_flags;
	memset(&u, 0, sizeof(u));
	if (r->aead) {
		snprintf(u.aead.alg_name, sizeof(u.aead.alg_name), "%s", r->alg);
		u.aead.alg_key_len = r->key_bits;
		u.aead.alg_icv_len = r->icv_bits;
		memset(u.aead.alg_key, 0x5a, klen);
		*set_rc = sa_set_aead(sa, &u.aead, sizeof(u.aead) + klen, &why);
	} else {
		snprintf(u.auth.alg_name, sizeof(u.auth.alg_name), "%s", r->alg);
		u.auth.alg_key_len = r->key_bits;
		u.auth.alg_trunc_len = r->icv_bits;
		memset(u.auth.alg_key, 0x5a, klen);
		*set_rc = sa_set_auth_trunc(sa, &u.auth, sizeof(u.auth) + klen, &why);
	}
	*bind_rc = 0;
	if (*set_rc == 0) {
		assert_int_equal(xfrm_type_register(&ah_type), 0);
		*bind_rc = sa_crypto_bind(sa, msg, msglen);
		xfrm_type_unregister(&ah_type);
	} else {
		snprintf(msg, msglen, "%s", why);
	}
	return sa;
}

static void test_netlink_binding(void **state)
{
	static const struct {
		uint16_t family;
		bool align4;
	} shapes[] = { { AF_INET, false }, { AF_INET, true }, { AF_INET6, false } };

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];

		for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
			unsigned int want = s == 0 ? r->hdr4 : s == 1 ? r->hdr4_align4 : r->hdr6;
			char msg[160] = "";
			int set_rc, bind_rc;
			struct xfrm_sa *sa;

			print_message("row %zu shape %zu: %s\n", i, s, r->what);
			sa = sa_like_netlink(r, shapes[s].family, shapes[s].align4, &set_rc,
					     &bind_rc, msg, sizeof(msg));
			if (set_rc || bind_rc)
				print_message("  refused: %s\n", msg);
			assert_int_equal(set_rc, r->set_rc);
			assert_int_equal(bind_rc, r->bind_rc);
			if (set_rc || bind_rc) {
				assert_null(sa->crypto);
				assert_null(sa->ops);
				assert_null(sa->type);
				assert_true(msg[0] != '\0');
			} else {
				assert_non_null(sa->crypto);
				assert_non_null(sa->ops);
				assert_ptr_equal(sa->type, &ah_type);
				/* tunnel mode: the outer header on top (RFC 4301 8.1) */
				assert_int_equal(xfrm_overhead(sa),
						 want + (shapes[s].family == AF_INET6 ? 40 : 20));
				assert_int_equal(sa->crypto->kind, r->kind);
				assert_int_equal(sa->crypto->icv_len, r->icv);
				assert_int_equal(sa->crypto->iv_len, r->iv);
				assert_int_equal(ah_hdr_len(sa), want);
			}
			sa_put(sa);
		}
	}
}

/* The type registry: one type per slot and protocol, lookups, refusals. */
static void test_type_registry(void **state)
{
	struct xfrm_type other = ah_type;
	struct xfrm_sa *sa = sa_alloc();
	const char *why = NULL;

	(void)state;
	assert_non_null(sa);
	assert_false(xfrm_types_registered());
	assert_null(xfrm_type_get(IPPROTO_AH));
	assert_int_equal(xfrm_type_register(&ah_type), 0);
	assert_int_equal(xfrm_type_register(&ah_type), 0);	/* again: no change */
	assert_true(xfrm_types_registered());
	assert_ptr_equal(xfrm_type_get(IPPROTO_AH), &ah_type);
	assert_ptr_equal(xfrm_type_at(XFRM_SLOT_AH), &ah_type);
	assert_null(xfrm_type_get(IPPROTO_ESP));
	other.proto = IPPROTO_COMP;
	assert_int_equal(xfrm_type_register(&other), -EEXIST);	/* slot taken */
	other.slot = XFRM_SLOT_ESP;
	other.proto = IPPROTO_AH;
	assert_int_equal(xfrm_type_register(&other), -EEXIST);	/* protocol taken */
	other.slot = XFRM_SLOTS;
	assert_int_equal(xfrm_type_register(&other), -EINVAL);
	other = ah_type;
	other.slot = XFRM_SLOT_ESP;
	other.proto = IPPROTO_ESP;
	other.drop_key = NULL;
	assert_int_equal(xfrm_type_register(&other), -EINVAL);	/* an op missing */
	/* a protocol without a type carries no packets */
	sa->id.proto = IPPROTO_ESP;
	assert_int_equal(xfrm_init_state(sa, &why), -EPROTONOSUPPORT);
	assert_non_null(why);
	assert_null(sa->ops);
	assert_int_equal(xfrm_overhead(sa), 0);
	xfrm_type_unregister(&ah_type);
	assert_null(xfrm_type_get(IPPROTO_AH));
	assert_false(xfrm_types_registered());
	sa_put(sa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_registry),
		cmocka_unit_test(test_netlink_binding),
	};

	return cmocka_run_group_tests_name("ah_sa", tests, setup, NULL);
}
