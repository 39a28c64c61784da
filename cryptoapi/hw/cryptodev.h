/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK cryptodev backend of the crypto API (asynchronous, lookaside).
 *
 * Every cryptodev present after rte_eal_init() is configured, started and
 * its AEAD capabilities registered as asynchronous algorithms named
 * "<generic>-<device>" (e.g. "rfc4106-gcm-aes-crypto_aesni_mb"). Requests
 * return -EINPROGRESS and complete through crypto_aead_poll() on the same
 * thread that submitted them.
 *
 * Queue pairs: each thread that submits gets an index on first use (in
 * order of arrival); it uses queue pair (index % nb_qps) of the device.
 * nb_qps is min(device maximum, conf.max_qps). Threads beyond nb_qps share
 * a queue pair; a per-queue-pair spinlock keeps that correct, at the price
 * of contention, so size max_qps to the number of data-path lcores.
 */
#ifndef XFRMGW_CRYPTOAPI_HW_CRYPTODEV_H
#define XFRMGW_CRYPTOAPI_HW_CRYPTODEV_H

#include <stdint.h>

struct crypto_cryptodev_conf {
	uint16_t max_qps;	/* queue pairs per device (0: number of EAL lcores) */
	uint32_t qp_depth;	/* requests in flight per queue pair (0: 1024) */
	uint32_t sessions;	/* session pool size per device (0: 2048) */
	int priority_sw;	/* software devices (0: 50, below synchronous drivers) */
	int priority_hw;	/* hardware devices (0: 600, above every CPU driver) */
};

/*
 * Configure and register every cryptodev not yet in use. Call after
 * rte_eal_init() (and after hot-plugging a device). conf may be NULL for the
 * defaults; it applies to devices set up by this call and later ones. Before
 * crypto_init() the configuration is only remembered: crypto_init() probes.
 * Returns the number of devices newly set up, or -errno.
 */
int crypto_cryptodev_probe(const struct crypto_cryptodev_conf *conf);

/*
 * Take a device out of service: its algorithms are marked dead (new
 * transforms select the next priority), requests in flight complete with
 * their result or -ENODEV, then the device is stopped. Use this rather than
 * rte_cryptodev_stop(); a device stopped or failing behind our back is
 * detected at the next enqueue or poll and treated the same way.
 */
int crypto_cryptodev_remove(uint8_t dev_id);

#endif
