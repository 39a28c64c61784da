/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPsec protocols as typed ops (the role of the kernel's struct
 * xfrm_type): the one place that sends an SA's packets to ESP or AH.
 *
 * Two levels, each decided once:
 *  - struct xfrm_type, per protocol: esp/ defines esp_type, ah/ defines
 *    ah_type. A process that carries packets registers them at start
 *    (xfrm_type_register); sa_crypto_bind() then gives each SA the type of
 *    its protocol (sa->type) and runs type->init_state, so an SA that could
 *    not carry packets is refused when it is added. The type also knows what
 *    its header costs for the MTU, how to make and free its per-lcore state,
 *    and how its drop reasons are called.
 *  - struct xfrm_state_ops, per SA: the burst functions init_state chose
 *    for the SA's mode, family, ESN, NAT-T and crypto (sa->ops), so a burst
 *    costs one indirect call, xfrm_input()/xfrm_output() below. They are not
 *    in struct xfrm_type because the choice is finer than the protocol.
 *
 * Per-lcore state: each type keeps its own (requests, scratch, counters);
 * struct xfrm_lcore holds one slot per type, so a caller passes one context
 * and never asks which protocol an SA speaks.
 *
 * Burst contract (esp/esp.h, ah/ah.h): packets of one SA, starting at their
 * IP header; the good ones are returned first in their order, the refused
 * ones behind them with their reason in an mbuf field (type->mbuf_reason),
 * counted in the type's per-lcore counters.
 */
#ifndef XFRMGW_SA_XFRM_TYPE_H
#define XFRMGW_SA_XFRM_TYPE_H

#include <stdbool.h>
#include <stdint.h>

#include "sa/sa.h"

struct rte_mbuf;
struct rte_mempool;

/* The slot of each type in struct xfrm_lcore (fixed: it indexes per-lcore arrays). */
enum xfrm_type_slot {
	XFRM_SLOT_ESP = 0,
	XFRM_SLOT_AH,
	XFRM_SLOTS
};

/* A burst function: lc is the type's per-lcore state (xfrm_lcore_state). */
typedef uint16_t (*xfrm_burst_fn)(void *lc, struct xfrm_sa *sa, struct rte_mbuf *mb[],
				  uint16_t n);

/* What type->init_state chose for one SA; points into a static table. */
struct xfrm_state_ops {
	xfrm_burst_fn input;	/* verify and remove the header (SA found by SPI) */
	xfrm_burst_fn output;	/* add the header to plain IP packets */
};

struct xfrm_type {
	uint8_t proto;		/* IPPROTO_ESP, IPPROTO_AH */
	uint8_t slot;		/* enum xfrm_type_slot */
	const char *name;	/* "esp", "ah": counter prefixes */

	/*
	 * Choose sa->ops from the SA's bound crypto, mode, family and flags
	 * (sa->crypto is set); sets sa->type. 0, or -errno with *why (if not
	 * NULL) a constant reason. destroy_state (NULL: nothing to do) undoes
	 * what init_state kept per SA; run when the SA is freed.
	 */
	int (*init_state)(struct xfrm_sa *sa, const char **why);
	void (*destroy_state)(struct xfrm_sa *sa);

	/*
	 * Worst-case bytes the protocol adds to a packet of sa: header, IV,
	 * padding, trailer, ICV, UDP encapsulation; not the tunnel's outer IP
	 * header (xfrm_overhead() adds it). For the MTU (RFC 4301 8.1).
	 */
	unsigned int (*overhead)(const struct xfrm_sa *sa);

	/* Per-lcore state on socket_id, trailer segments from pool. NULL on failure. */
	void *(*lcore_create)(struct rte_mempool *pool, int socket_id);
	void (*lcore_free)(void *lc);

	/* Drop reasons 0..drop_max-1: counters, names, the reason left in an mbuf. */
	unsigned int drop_max;
	uint8_t drop_unknown;	/* what to count a packet without a reason as */
	const char *(*drop_name)(unsigned int reason);	/* "auth", "replay", ... */
	/* the same, unique across types, for one flat dictionary ("auth", "ah_auth") */
	const char *(*drop_key)(unsigned int reason);
	unsigned int (*mbuf_reason)(const struct rte_mbuf *m);
	const uint64_t *(*lcore_drops)(void *lc);	/* per-reason counters */
};

/*
 * The types a process carries packets with. Register at start, before any
 * SA is bound and before lcore state is made; unregister only when no SA
 * of that type is in use. -EINVAL for a bad slot, -EEXIST when the slot or
 * protocol is taken by another type.
 */
int xfrm_type_register(const struct xfrm_type *t);
void xfrm_type_unregister(const struct xfrm_type *t);

/* The registered type of an IP protocol, or NULL. */
const struct xfrm_type *xfrm_type_get(uint8_t proto);

/* The registered type in a slot, or NULL (to walk every type). */
const struct xfrm_type *xfrm_type_at(unsigned int slot);

/* Is any type registered (does this process carry packets)? */
bool xfrm_types_registered(void);

/*
 * Give sa the burst functions of its protocol's registered type
 * (type->init_state; sa->crypto bound). -EPROTONOSUPPORT when no type is
 * registered for it; else init_state's result. *why as init_state's.
 */
int xfrm_init_state(struct xfrm_sa *sa, const char **why);

/* Per-lcore context: one state per registered type. */
struct xfrm_lcore {
	void *state[XFRM_SLOTS];
	const struct xfrm_type *type[XFRM_SLOTS];	/* whose state it is, for the free */
};

/*
 * Make the state of every registered type (xl zeroed first). 0, or
 * -ENOMEM with nothing left allocated.
 */
int xfrm_lcore_init(struct xfrm_lcore *xl, struct rte_mempool *pool, int socket_id);
void xfrm_lcore_fini(struct xfrm_lcore *xl);

static inline void *xfrm_lcore_state(const struct xfrm_lcore *xl, const struct xfrm_type *t)
{
	return xl->state[t->slot];
}

/*
 * A burst of one SA through its protocol: one indirect call. The SA must
 * have its ops chosen (sa->ops set; callers check once per SA lookup).
 */
static inline uint16_t xfrm_input(const struct xfrm_lcore *xl, struct xfrm_sa *sa,
				  struct rte_mbuf *mb[], uint16_t n)
{
	return sa->ops->input(xl->state[sa->type->slot], sa, mb, n);
}

static inline uint16_t xfrm_output(const struct xfrm_lcore *xl, struct xfrm_sa *sa,
				   struct rte_mbuf *mb[], uint16_t n)
{
	return sa->ops->output(xl->state[sa->type->slot], sa, mb, n);
}

/* Why a packet behind the good ones was refused, in sa's type's reasons. */
unsigned int xfrm_mbuf_reason(const struct xfrm_sa *sa, const struct rte_mbuf *m);

/*
 * What sa adds at most to a packet: its type's overhead plus, in tunnel
 * mode, the outer IPv4/IPv6 header. 0 for an SA without a type.
 */
unsigned int xfrm_overhead(const struct xfrm_sa *sa);

#endif
