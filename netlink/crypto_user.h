/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NETLINK_CRYPTO as the kernel's crypto_user speaks it (<linux/cryptouser.h>):
 * CRYPTO_MSG_GETALG for one algorithm or as a dump, answered from the
 * cryptoapi registry, and CRYPTO_MSG_NEWALG to instantiate a template.
 *
 * Register with: xnl_server_register(srv, &xfrmgw_crypto_user_family, NULL).
 *
 * Differences from the kernel, all additive:
 * - GETALG for a template name that is not instantiated yet ("rfc4106(gcm(aes))")
 *   instantiates it (and runs its self-test) before answering, so a client
 *   can ask "would an SA with this algorithm work?" in one request.
 * - Replies carry xfrmgw attributes after the kernel's (numbered from
 *   XFRMGW_CRYPTOCFGA_BASE, so readers that only know the kernel's skip them):
 *   the self-test result and its failure message, the measured throughput,
 *   the chunk size, and the full names when they exceed CRYPTO_MAX_NAME.
 */
#ifndef XFRMGW_NETLINK_CRYPTO_USER_H
#define XFRMGW_NETLINK_CRYPTO_USER_H

#include <stdint.h>

#ifndef NETLINK_CRYPTO
#define NETLINK_CRYPTO 21
#endif

/* Algorithm types and flags with the kernel's values (cru_type, cru_flags). */
#define CRU_TYPE_MASK		0x0000000fu
#define CRU_TYPE_CIPHER		0x00000001u
#define CRU_TYPE_AEAD		0x00000003u
#define CRU_TYPE_SKCIPHER	0x00000005u
#define CRU_TYPE_RNG		0x0000000cu
#define CRU_TYPE_SHASH		0x0000000eu
#define CRU_FLAG_DEAD		0x00000020u
#define CRU_FLAG_ASYNC		0x00000080u
#define CRU_FLAG_TESTED		0x00000400u
#define CRU_FLAG_INSTANCE	0x00000800u
#define CRU_FLAG_KERN_DRIVER_ONLY 0x00001000u	/* runs on a device */
#define CRU_FLAG_INTERNAL	0x00002000u

/* xfrmgw attributes in GETALG replies. */
enum {
	XFRMGW_CRYPTOCFGA_BASE = 0x0f00,
	XFRMGW_CRYPTOCFGA_SELFTEST,	/* string: "passed", "failed", "unknown" */
	XFRMGW_CRYPTOCFGA_FAILURE,	/* string: why the self-test failed */
	XFRMGW_CRYPTOCFGA_THROUGHPUT,	/* u32: MB/s measured at registration */
	XFRMGW_CRYPTOCFGA_CHUNKSIZE,	/* u32: skcipher/aead chunk size */
	XFRMGW_CRYPTOCFGA_NAME,		/* string: cra_name when longer than 63 */
	XFRMGW_CRYPTOCFGA_DRIVER,	/* string: cra_driver_name when longer than 63 */
	XFRMGW_CRYPTOCFGA_MAX_KEYSIZE,	/* u32: aead max key size (not in the kernel's report) */
};

struct xnl_family;
struct xnl_buf;
struct crypto_alg;

extern const struct xnl_family xfrmgw_crypto_user_family;

/*
 * Append one algorithm's report to b as a message of the given type and
 * flags (CRYPTO_MSG_GETALG, 0 or NLM_F_MULTI). Returns 0 or -EMSGSIZE
 * (b unchanged).
 */
int crypto_user_put_alg(struct xnl_buf *b, const struct crypto_alg *alg, uint16_t flags,
			uint32_t seq, uint32_t portid);

#endif
