/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strongSwan esp_proposals / ah_proposals strings made from the algorithms
 * that are registered and passed their self-tests.
 *
 * Each IKEv2 transform (RFC 7296 3.3.2, IANA "Transform Type 1/3" values) is
 * listed with strongSwan's keyword and the name the XFRM layer gives the
 * crypto API for it (as the kernel's xfrm_algo tables do), so a proposal is
 * offered only when an SA built from it would get a working transform.
 */
#ifndef XFRMGW_NETLINK_PROPOSALS_H
#define XFRMGW_NETLINK_PROPOSALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where an algorithm name is looked up. */
enum proposal_kind {
	PROPOSAL_AEAD,		/* an AEAD transform: "rfc4106(gcm(aes))" */
	PROPOSAL_HASH,		/* a keyed digest (AH): "hmac(sha256)" */
};

/*
 * Answers whether the crypto API can hand out a working transform of this
 * name (instantiating a template if needed).
 */
typedef bool (*proposal_avail_fn)(const char *name, enum proposal_kind kind, void *arg);

/*
 * Write the comma-separated proposals (without the "esp_proposals = "
 * prefix) into buf. Returns the string length (0 when nothing is usable) or
 * -ENOSPC.
 */
int proposals_esp(char *buf, size_t len, proposal_avail_fn avail, void *arg);
int proposals_ah(char *buf, size_t len, proposal_avail_fn avail, void *arg);

/* One IKEv2 transform as the table knows it (for docs and tests). */
struct ike_transform {
	const char *keyword;	/* strongSwan's: "aes128gcm16", "sha256" */
	uint16_t ikev2_id;	/* transform ID (type 1 ENCR_* or type 3 AUTH_*) */
	uint16_t key_bits;	/* encryption key length, 0 for integrity */
	const char *xfrm_name;	/* the crypto API name XFRM uses */
};

/* The keyword's entry, or NULL. */
const struct ike_transform *proposals_lookup(const char *keyword);

#endif
