/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Burst scaffolding shared by ESP and AH: the per-mbuf drop-reason field,
 * the per-lcore state's allocation and wipe, the sort that moves the bad
 * packets of a chunk behind the good ones counting each under its reason,
 * and the choice of the packet functions' mode x family index. Each
 * protocol passes what differs: its counters, its reason field, where its
 * per-packet verdicts live. Static inline so the data path stays inlined.
 */
#ifndef XFRMGW_ESP_IPSEC_BURST_H
#define XFRMGW_ESP_IPSEC_BURST_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_string_fns.h>

#include "cryptoapi/crypto.h"
#include "sa/sa.h"

/* Per-packet verdict "not dropped", the same in ESP and AH. */
#define IPSEC_DROP_OK		0xffu
/* Largest chunk a protocol may hand to ipsec_sort_chunk(). */
#define IPSEC_BURST_MAX		32u

/*
 * A protocol fits these helpers: its chunk within the sort's array, its
 * "not dropped" verdict, and its mode x family enum in ipsec_choose_mf()'s order.
 */
#define IPSEC_BURST_FITS(burst, drop_ok, tun4, tun6, trs4, trs6)                              \
	_Static_assert((burst) <= IPSEC_BURST_MAX && (drop_ok) == IPSEC_DROP_OK && (tun4) == 0 && \
			       (tun6) == 1 && (trs4) == 2 && (trs6) == 3,                           \
		       "protocol does not fit esp/ipsec_burst.h")

/* Where a burst's verdicts are counted: one direction's totals, the reasons. */
struct ipsec_tally {
	uint64_t *packets;
	uint64_t *bytes;
	uint64_t *drop;		/* indexed by the protocol's drop reason */
	int reason_off;		/* mbuf dynfield offset, or < 0 when unregistered */
};

static inline void ipsec_set_reason(struct rte_mbuf *m, int off, uint8_t reason)
{
	if (off >= 0)
		*RTE_MBUF_DYNFIELD(m, off, uint8_t *) = reason;
}

/* The reason left in m, or max when the field was never registered. */
static inline unsigned int ipsec_mbuf_reason(const struct rte_mbuf *m, int off, unsigned int max)
{
	if (off < 0)
		return max;
	return *RTE_MBUF_DYNFIELD(m, off, const uint8_t *);
}

/* Register the one-byte reason field called name; publish its offset in *off. */
static inline int ipsec_reason_field_register(const char *name, int *off)
{
	struct rte_mbuf_dynfield desc = {
		.size = sizeof(uint8_t),
		.align = __alignof__(uint8_t),
	};
	int o;

	rte_strlcpy(desc.name, name, sizeof(desc.name));
	o = rte_mbuf_dynfield_register(&desc);
	if (o < 0)
		return -rte_errno;
	__atomic_store_n(off, o, __ATOMIC_RELEASE);
	return 0;
}

/* Zeroed per-lcore state of size bytes on socket_id, its reason field registered first. */
static inline void *ipsec_lcore_alloc(const char *type, size_t size, const struct rte_mempool *pool,
				      int socket_id, const char *field, int *off)
{
	if (!pool || ipsec_reason_field_register(field, off))
		return NULL;
	return rte_zmalloc_socket(type, size, 64, socket_id);
}

/* Per-lcore state holds requests, digests and header copies: wipe, then free. */
static inline void ipsec_lcore_wipe_free(void *lc, size_t size)
{
	crypto_wipe(lc, size);
	rte_free(lc);
}

/* Refuse a whole burst under one reason (no usable SA). */
static inline void ipsec_refuse_burst(struct rte_mbuf *mb[], uint16_t n, uint64_t *drop,
				      int off, uint8_t reason)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		drop[reason]++;
		ipsec_set_reason(mb[i], off, reason);
	}
}

/*
 * Move the bad packets of mb[0..n) behind the good ones; returns the good
 * count. Packet i's verdict is status[i * stride] (the status member of
 * the protocol's per-packet scratch array).
 */
static __rte_always_inline uint16_t ipsec_sort_chunk(struct rte_mbuf *mb[], uint16_t n,
						     const uint8_t *status, size_t stride,
						     const struct ipsec_tally *t)
{
	struct rte_mbuf *bad[IPSEC_BURST_MAX];
	uint16_t i, g = 0, b = 0;
	uint64_t bytes = 0;

	for (i = 0; i < n; i++) {
		uint8_t st = status[i * stride];

		if (likely(st == IPSEC_DROP_OK)) {
			bytes += mb[i]->pkt_len;
			mb[g++] = mb[i];
			continue;
		}
		t->drop[st]++;
		ipsec_set_reason(mb[i], t->reason_off, st);
		bad[b++] = mb[i];
	}
	*t->packets += g;
	*t->bytes += bytes;
	if (unlikely(b))
		memcpy(mb + g, bad, b * sizeof(bad[0]));
	return g;
}

/*
 * A chunk at mb[i..) left g good packets first; mb[0..good) are the good
 * ones so far. Lay out [good | bad so far | this chunk's good | its bad]
 * as [all good | all bad] by rotating the middle; returns the new good count.
 */
static __rte_always_inline uint16_t ipsec_merge_chunk(struct rte_mbuf *mb[], uint16_t good,
						      uint16_t i, uint16_t g)
{
	struct rte_mbuf *tmp[IPSEC_BURST_MAX];

	if (g && i != good) {
		memcpy(tmp, mb + i, g * sizeof(tmp[0]));
		memmove(mb + good + g, mb + good, (size_t)(i - good) * sizeof(mb[0]));
		memcpy(mb + good, tmp, g * sizeof(tmp[0]));
	}
	return good + g;
}

/*
 * Index of the SA's packet functions by mode x outer family: 0 tunnel v4,
 * 1 tunnel v6, 2 transport v4, 3 transport v6 (the order of enum esp_mf
 * and enum ah_mf). Or -EINVAL/-ENOTSUP with *why set from the messages.
 */
static inline int ipsec_choose_mf(const struct xfrm_sa *sa, const char *bad_family,
				  const char *bad_mode, const char **why)
{
	int v6 = sa->family == AF_INET6;
	const char *msg;
	int rc;

	if (sa->family != AF_INET && sa->family != AF_INET6) {
		msg = bad_family;
		rc = -EINVAL;
	} else if (sa->mode == XFRM_MODE_TUNNEL) {
		return v6;
	} else if (sa->mode == XFRM_MODE_TRANSPORT) {
		return 2 + v6;
	} else {
		msg = bad_mode;
		rc = -ENOTSUP;
	}
	if (why)
		*why = msg;
	return rc;
}

#endif /* XFRMGW_ESP_IPSEC_BURST_H */
