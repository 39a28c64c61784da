/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbours (ARP, RFC 826; IPv6 ND, RFC 4861 7.3): (port, address) -> MAC.
 *
 * An open-addressed table whose entries never move: lookups from every
 * worker are lock-free (state read with acquire, MAC as one 64-bit word);
 * creation takes the table lock, changes of one entry its own lock. A
 * packet for an unresolved next hop waits in the entry's small queue
 * (at most qmax) while probes go out every retrans; after max_probes
 * unanswered probes the entry is FAILED and the queue is handed back for
 * ICMP host unreachable. REACHABLE entries become STALE after reachable
 * time: still used, and refreshed by a new probe. A PERMANENT entry (the
 * configuration's `neighbour PORT IP lladdr MAC`, or `nud permanent` in
 * the host kernel on the port's TAP) is used as is: never probed, never
 * aged, never changed by what is heard on the wire.
 */
#ifndef XFRMGW_DATAPLANE_GW_NEIGH_H
#define XFRMGW_DATAPLANE_GW_NEIGH_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_spinlock.h>

struct rte_mbuf;

enum gw_neigh_state {
	GW_NEIGH_FREE = 0,
	GW_NEIGH_INCOMPLETE,
	GW_NEIGH_REACHABLE,
	GW_NEIGH_STALE,
	GW_NEIGH_FAILED,
	GW_NEIGH_PERMANENT,
};

/* Who made an entry PERMANENT. */
enum gw_neigh_origin {
	GW_NEIGH_LEARNED = 0,	/* ARP / ND */
	GW_NEIGH_CONFIG,
	GW_NEIGH_KERNEL,
};

#define GW_NEIGH_QMAX 64

struct gw_neigh {
	uint8_t state;			/* enum gw_neigh_state, atomic */
	uint8_t family;
	uint16_t port;
	uint8_t addr[16];
	uint64_t mac;			/* 6 bytes, atomic */
	uint64_t confirmed;		/* tsc of the last answer */
	uint64_t probed;		/* tsc of the last probe */
	uint8_t probes;			/* unanswered probes */
	uint8_t origin;			/* enum gw_neigh_origin */
	rte_spinlock_t lock;
	uint16_t qlen;
	struct rte_mbuf *q[GW_NEIGH_QMAX];
};

struct gw_neigh_params {
	unsigned int size;		/* entries, rounded up to a power of 2 */
	unsigned int qmax;		/* packets held per entry (<= GW_NEIGH_QMAX) */
	uint64_t hz;			/* tsc ticks per second */
	uint64_t reachable;		/* ticks REACHABLE lasts (30 s, RFC 4861 10) */
	uint64_t retrans;		/* ticks between probes (1 s) */
	unsigned int max_probes;	/* 3 (MAX_MULTICAST_SOLICIT) */
};

struct gw_neigh_table;

struct gw_neigh_table *gw_neigh_create(const struct gw_neigh_params *p);
/* Frees queued packets too. */
void gw_neigh_free(struct gw_neigh_table *t);
void gw_neigh_set_qmax(struct gw_neigh_table *t, unsigned int qmax);

/* Lock-free lookup; NULL if unknown. */
struct gw_neigh *gw_neigh_lookup(struct gw_neigh_table *t, uint16_t port, uint8_t family,
				 const uint8_t *addr);

/* What gw_neigh_resolve did with the packet. */
enum gw_neigh_verdict {
	GW_NEIGH_SEND,		/* *mac is set: send m now */
	GW_NEIGH_QUEUED,	/* held until resolved; probe now if *probe */
	GW_NEIGH_DROP_QUEUE,	/* queue full: caller frees m */
	GW_NEIGH_DROP_TABLE,	/* table full: caller frees m */
	GW_NEIGH_DROP_FAILED,	/* failed recently: caller sends unreachable, frees m */
};

/*
 * Next hop for a packet: SEND with *mac when known (a STALE entry also
 * asks for a refresh probe through *probe), else the packet is queued.
 */
enum gw_neigh_verdict gw_neigh_resolve(struct gw_neigh_table *t, uint16_t port, uint8_t family,
				       const uint8_t *addr, uint64_t now, struct rte_mbuf *m,
				       uint8_t mac[6], bool *probe);

/*
 * An answer (ARP reply/request, NA, NS with source link-layer address):
 * the entry becomes REACHABLE with mac. create: make the entry if unknown
 * (for answers to our probes and requests aimed at us). The packets that
 * waited are moved to out (up to GW_NEIGH_QMAX); returns how many.
 */
unsigned int gw_neigh_confirm(struct gw_neigh_table *t, uint16_t port, uint8_t family,
			      const uint8_t *addr, const uint8_t mac[6], uint64_t now, bool create,
			      struct rte_mbuf **out);

/*
 * Periodic work (one thread): re-probe INCOMPLETE entries, fail them after
 * max_probes (their packets go to failed, up to cap; the rest are freed),
 * age REACHABLE to STALE. probe(arg, n) is called for every entry to probe.
 * Returns the number of packets put in failed.
 */
unsigned int gw_neigh_timer(struct gw_neigh_table *t, uint64_t now,
			    void (*probe)(void *arg, const struct gw_neigh *n), void *arg,
			    struct rte_mbuf **failed, unsigned int cap);

/*
 * A static entry: PERMANENT with mac from now on (packets that waited for
 * it are freed; returns how many, or -ENOSPC when the table is full). A
 * kernel entry does not replace one from the configuration.
 */
int gw_neigh_set_static(struct gw_neigh_table *t, uint16_t port, uint8_t family,
			const uint8_t *addr, const uint8_t mac[6], uint8_t origin);

/*
 * The static entry of origin is gone: the next packet resolves the
 * address by ARP / ND again. -ENOENT when there is no such entry.
 */
int gw_neigh_clear_static(struct gw_neigh_table *t, uint16_t port, uint8_t family,
			  const uint8_t *addr, uint8_t origin);

/* Entry at or after slot *cursor (advanced past it), copied: false at the end. */
bool gw_neigh_at(struct gw_neigh_table *t, uint64_t *cursor, struct gw_neigh *out);

/* For telemetry: call fn for every entry in use. */
void gw_neigh_walk(struct gw_neigh_table *t, void (*fn)(void *arg, const struct gw_neigh *n),
		   void *arg);

static inline void gw_neigh_mac(const struct gw_neigh *n, uint8_t mac[6])
{
	uint64_t v = __atomic_load_n(&n->mac, __ATOMIC_RELAXED);

	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(v >> (8 * i));
}

#endif
