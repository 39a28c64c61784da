/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The XFRMA_* attribute policy: one row per attribute with its kind and
 * minimum length, and the single validator every XFRM message goes through.
 * libmnl walks and checks each attribute (mnl_attr_ok, mnl_attr_validate);
 * the table says what to check for. Readers get an attribute's payload only
 * through xfrma_data(), which refuses a read larger than what the table
 * validated, so an attribute cannot be validated as one type and read as
 * another.
 *
 * Differences from the kernel's liberal parsing, on purpose:
 *  - a truncated attribute (length past the message end) is an error, not
 *    silently ignored trailing bytes;
 *  - an attribute type above XFRMA_MAX is refused: silently ignoring
 *    something a newer client meant (SA direction, IP-TFS, ...) would
 *    install a different SA than the one asked for.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "netlink/xfrm_nl.h"

#define ROW(t, k, l)	[t] = { .kind = (k), .min_len = (l), .name = #t }
#define BIN(t, T)	ROW(t, XA_BINARY, sizeof(T))

static const struct xfrma_policy xfrma_policy[XFRMA_MAX + 1] = {
	[XFRMA_UNSPEC] = { .kind = XA_IGNORE, .name = "XFRMA_UNSPEC" },
	BIN(XFRMA_ALG_AUTH, struct xfrm_algo),
	BIN(XFRMA_ALG_CRYPT, struct xfrm_algo),
	BIN(XFRMA_ALG_COMP, struct xfrm_algo),
	BIN(XFRMA_ENCAP, struct xfrm_encap_tmpl),
	BIN(XFRMA_TMPL, struct xfrm_user_tmpl),
	BIN(XFRMA_SA, struct xfrm_usersa_info),
	BIN(XFRMA_POLICY, struct xfrm_userpolicy_info),
	BIN(XFRMA_SEC_CTX, struct xfrm_user_sec_ctx),
	BIN(XFRMA_LTIME_VAL, struct xfrm_lifetime_cur),
	BIN(XFRMA_REPLAY_VAL, struct xfrm_replay_state),
	ROW(XFRMA_REPLAY_THRESH, XA_U32, sizeof(uint32_t)),
	ROW(XFRMA_ETIMER_THRESH, XA_U32, sizeof(uint32_t)),
	BIN(XFRMA_SRCADDR, xfrm_address_t),
	BIN(XFRMA_COADDR, xfrm_address_t),
	ROW(XFRMA_LASTUSED, XA_U64, sizeof(uint64_t)),
	BIN(XFRMA_POLICY_TYPE, struct xfrm_userpolicy_type),
	BIN(XFRMA_MIGRATE, struct xfrm_user_migrate),
	BIN(XFRMA_ALG_AEAD, struct xfrm_algo_aead),
	BIN(XFRMA_KMADDRESS, struct xfrm_user_kmaddress),
	BIN(XFRMA_ALG_AUTH_TRUNC, struct xfrm_algo_auth),
	BIN(XFRMA_MARK, struct xfrm_mark),
	ROW(XFRMA_TFCPAD, XA_U32, sizeof(uint32_t)),
	BIN(XFRMA_REPLAY_ESN_VAL, struct xfrm_replay_state_esn),
	ROW(XFRMA_SA_EXTRA_FLAGS, XA_U32, sizeof(uint32_t)),
	ROW(XFRMA_PROTO, XA_U8, sizeof(uint8_t)),
	BIN(XFRMA_ADDRESS_FILTER, struct xfrm_address_filter),
	[XFRMA_PAD] = { .kind = XA_IGNORE, .name = "XFRMA_PAD" },
	BIN(XFRMA_OFFLOAD_DEV, struct xfrm_user_offload),
	ROW(XFRMA_SET_MARK, XA_U32, sizeof(uint32_t)),
	ROW(XFRMA_SET_MARK_MASK, XA_U32, sizeof(uint32_t)),
	ROW(XFRMA_IF_ID, XA_U32, sizeof(uint32_t)),
	ROW(XFRMA_MTIMER_THRESH, XA_U32, sizeof(uint32_t)),
};

/* Attributes of NEWSPDINFO (their own namespace, as in the kernel). */
static const struct xfrma_policy xfrma_spd_policy[XFRMA_SPD_MAX + 1] = {
	[XFRMA_SPD_UNSPEC] = { .kind = XA_IGNORE, .name = "XFRMA_SPD_UNSPEC" },
	BIN(XFRMA_SPD_INFO, struct xfrmu_spdinfo),
	BIN(XFRMA_SPD_HINFO, struct xfrmu_spdhinfo),
	BIN(XFRMA_SPD_IPV4_HTHRESH, struct xfrmu_spdhthresh),
	BIN(XFRMA_SPD_IPV6_HTHRESH, struct xfrmu_spdhthresh),
};

const struct xfrma_table xfrma_table = { xfrma_policy, XFRMA_MAX };
const struct xfrma_table xfrma_spd_table = { xfrma_spd_policy, XFRMA_SPD_MAX };

static const enum mnl_attr_data_type mnl_kind[] = {
	[XA_IGNORE] = MNL_TYPE_UNSPEC,
	[XA_BINARY] = MNL_TYPE_BINARY,
	[XA_U8] = MNL_TYPE_U8,
	[XA_U32] = MNL_TYPE_U32,
	[XA_U64] = MNL_TYPE_U64,
};

static const struct xfrma_policy *row_of(const struct xfrma_table *t, unsigned int type)
{
	return type <= t->max && t->rows[type].name ? &t->rows[type] : NULL;
}

const char *xfrma_name(unsigned int type)
{
	const struct xfrma_policy *p = row_of(&xfrma_table, type);

	return p ? p->name : "XFRMA_?";
}

/* One attribute against its row: scalars exactly, structures at least. */
static int validate_one(const struct nlattr *a, const struct xfrma_policy *p,
			struct xnl_extack *ext)
{
	size_t len = mnl_attr_get_payload_len(a);
	int rc;

	if (p->kind == XA_BINARY)
		rc = mnl_attr_validate2(a, MNL_TYPE_BINARY, 0);
	else
		rc = mnl_attr_validate(a, mnl_kind[p->kind]);
	if (unlikely(rc < 0 || len < p->min_len)) {
		xnl_ext_set(ext, a, "%s: %s %u bytes, got %zu", p->name,
			    p->kind == XA_BINARY ? "needs at least" : "must be",
			    p->min_len, len);
		return -EINVAL;
	}
	return 0;
}

int xfrma_parse(const struct xfrma_table *t, const struct nlmsghdr *nlh, size_t hdrlen,
		const struct nlattr **tb, struct xnl_extack *ext)
{
	const uint8_t *end = (const uint8_t *)nlh + nlh->nlmsg_len;
	const struct nlattr *a;
	int rem;

	memset(tb, 0, sizeof(*tb) * (t->max + 1));
	a = (const struct nlattr *)((const uint8_t *)mnl_nlmsg_get_payload(nlh) + MNL_ALIGN(hdrlen));
	rem = (int)(end - (const uint8_t *)a);
	while (rem > 0) {
		const struct xfrma_policy *p;
		uint16_t type;
		int err;

		if (unlikely(!mnl_attr_ok(a, rem))) {
			xnl_ext_set(ext, NULL, "truncated attribute at offset %u",
				    (unsigned int)((const uint8_t *)a - (const uint8_t *)nlh));
			return -EINVAL;
		}
		type = mnl_attr_get_type(a);
		p = row_of(t, type);
		if (unlikely(!p)) {
			xnl_ext_set(ext, a, "unknown attribute type %u", type);
			return -EINVAL;
		}
		if (p->kind != XA_IGNORE) {
			err = validate_one(a, p, ext);
			if (err)
				return err;
			tb[type] = a;	/* the last of duplicates wins, as in the kernel */
		}
		rem -= (int)MNL_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const uint8_t *)a + MNL_ALIGN(a->nla_len));
	}
	return 0;
}

const void *xfrma_get(const struct xfrma_table *t, const struct nlattr *const *tb,
		      unsigned int type, size_t size)
{
	const struct xfrma_policy *p = row_of(t, type);

	/* Reading more than the table validated is a bug in the caller. */
	assert(p && p->kind == XA_BINARY && size <= p->min_len);
	if (!p || size > p->min_len || !tb[type])
		return NULL;
	return mnl_attr_get_payload(tb[type]);
}

static const struct nlattr *scalar(const struct nlattr *const *tb, unsigned int type,
				   enum xfrma_kind kind)
{
	const struct xfrma_policy *p = row_of(&xfrma_table, type);

	assert(p && p->kind == kind);
	return p && p->kind == kind ? tb[type] : NULL;
}

uint32_t xfrma_u32(const struct nlattr *const *tb, unsigned int type, uint32_t dflt)
{
	const struct nlattr *a = scalar(tb, type, XA_U32);

	return a ? mnl_attr_get_u32(a) : dflt;
}

uint8_t xfrma_u8(const struct nlattr *const *tb, unsigned int type, uint8_t dflt)
{
	const struct nlattr *a = scalar(tb, type, XA_U8);

	return a ? mnl_attr_get_u8(a) : dflt;
}
