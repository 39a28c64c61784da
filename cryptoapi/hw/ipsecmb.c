/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * intel-ipsec-mb drivers ("*-ipsecmb", module "ipsecmb").
 *
 * The library picks its code path (SSE, AVX, AVX2, AVX-512 with VAES and
 * VPCLMULQDQ) from the CPU at run time: init_mb_mgr_auto() chooses, and the
 * choice is logged once at load.
 *
 * Threads: an IMB_MGR is not thread-safe, so every thread gets its own,
 * created on its first operation (or setkey) and freed when the thread exits.
 * Transforms hold only expanded keys, so one keyed transform serves several
 * threads at once. The same per-thread state holds a bounce buffer for the
 * job-API algorithms when a chained request must be made contiguous; it grows
 * to the largest such request seen (up to IMB_BOUNCE_MAX) and is then reused,
 * so steady-state operations never allocate.
 *
 * Scatter-gather: GCM and ChaCha20-Poly1305 take a fast path when text and
 * ICV lie in one run of the list (a flat buffer, a one-segment mbuf, the last
 * run of an ESN list): one GCM call, or ChaCha's three, with the library entry
 * points resolved at setkey, the ICV read and written in place and split
 * associated data (ESN) gathered on the stack. Other requests use the same
 * calls piece by piece over the lists (no copy). CBC and CTR submit one job
 * per contiguous run (xsg_walk). authenc() needs the associated data and the
 * text in one buffer (a single cipher+HMAC job): a chained request goes
 * through the bounce buffer.
 *
 * The shash drivers (hmac, xcbc, cmac) compute digest() in one job; the
 * streaming init/update/final calls continue from pad states / subkeys
 * precomputed at setkey with libcrypto's block functions, because the library
 * offers no incremental HMAC or CMAC.
 *
 * Files: ipsecmb.h (internals the others share), ipsecmb_mgr.c (per-thread
 * manager, bounce buffer, running a job), ipsecmb_cipher.c (AES key
 * schedules, cbc/ctr/rfc3686), ipsecmb_hash.c (HMAC pad states, hmac, xcbc,
 * cmac), ipsecmb_aead.h (the inlined one-run fast path of the AEADs),
 * ipsecmb_gcm.c, ipsecmb_chachapoly.c, ipsecmb_authenc.c, and this file:
 * probing the CPU and registering the families.
 */
#include "ipsecmb.h"

static IMB_ARCH imb_arch;

static const char *imb_arch_name(IMB_ARCH a)
{
	switch (a) {
	case IMB_ARCH_NOAESNI: return "no-aesni";
	case IMB_ARCH_SSE: return "sse";
	case IMB_ARCH_AVX: return "avx";
	case IMB_ARCH_AVX2: return "avx2";
	case IMB_ARCH_AVX512: return "avx512";
	default: return "none";
	}
}

/* The architecture the library picks on this CPU (for logs and tests). */
const char *ipsecmb_arch(void);
const char *ipsecmb_arch(void)
{
	return imb_arch_name(imb_arch);
}

static int imb_probe(void)
{
	IMB_MGR *m = alloc_mb_mgr(0);
	uint64_t f;

	if (!m)
		return -ENOMEM;
	init_mb_mgr_auto(m, &imb_arch);
	f = m->features;
	free_mb_mgr(m);
	if (imb_arch == IMB_ARCH_NONE || imb_arch == IMB_ARCH_NOAESNI)
		return -ENODEV;	/* no AES-NI: the generic code is as good */
	crypto_log(CRYPTO_LOG_INFO, "crypto: ipsecmb: intel-ipsec-mb %s, arch %s%s%s",
		   imb_get_version_str(), imb_arch_name(imb_arch),
		   (f & IMB_FEATURE_VAES) ? " +vaes" : "",
		   (f & IMB_FEATURE_VPCLMULQDQ) ? " +vpclmulqdq" : "");
	return 0;
}

/* The families register in this order (the listing shows it), all or none. */
static int imb_mod_init(void)
{
	int rc = imb_probe();

	if (rc)
		return rc;
	rc = imb_register_skciphers();
	if (rc)
		return rc;
	rc = imb_register_shashes();
	if (rc)
		goto out_skciphers;
	rc = imb_register_gcm();
	if (rc)
		goto out_shashes;
	rc = imb_register_chachapoly();
	if (rc)
		goto out_gcm;
	rc = imb_register_authenc();
	if (rc)
		goto out_chachapoly;
	return 0;
out_chachapoly:
	imb_unregister_chachapoly();
out_gcm:
	imb_unregister_gcm();
out_shashes:
	imb_unregister_shashes();
out_skciphers:
	imb_unregister_skciphers();
	return rc;
}

static void imb_mod_exit(void)
{
	imb_unregister_authenc();
	imb_unregister_chachapoly();
	imb_unregister_gcm();
	imb_unregister_shashes();
	imb_unregister_skciphers();
	/* This thread's manager; other threads free theirs when they exit. */
	imb_thread_release();
}

CRYPTO_MODULE(ipsecmb, CRYPTO_MODULE_DRIVER, imb_mod_init, imb_mod_exit)
