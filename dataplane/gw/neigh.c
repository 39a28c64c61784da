/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The neighbour table (see neigh.h): resolution, the per-next-hop queue
 * and the timers of RFC 4861 7.3 (also used for ARP).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <rte_atomic.h>
#include <rte_mbuf.h>

#include "dataplane/gw/neigh.h"

struct gw_neigh_table {
	uint32_t mask;
	uint32_t count;
	uint32_t limit;			/* 3/4 of the slots: probes stay short */
	struct gw_neigh_params p;
	rte_spinlock_t lock;		/* creation */
	struct gw_neigh e[];
};

static uint32_t key_hash(uint16_t port, uint8_t family, const uint8_t *addr)
{
	unsigned int len = family == 10 /* AF_INET6 */ ? 16 : 4;
	uint32_t h = 2166136261u ^ port ^ ((uint32_t)family << 16);

	for (unsigned int i = 0; i < len; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h ^ (h >> 15);
}

static bool key_eq(const struct gw_neigh *n, uint16_t port, uint8_t family, const uint8_t *addr)
{
	return n->port == port && n->family == family &&
	       !memcmp(n->addr, addr, family == 10 ? 16 : 4);
}

struct gw_neigh_table *gw_neigh_create(const struct gw_neigh_params *p)
{
	unsigned int size = 16;
	struct gw_neigh_table *t;

	while (size < p->size)
		size <<= 1;
	t = calloc(1, sizeof(*t) + size * sizeof(struct gw_neigh));
	if (!t)
		return NULL;
	t->mask = size - 1;
	t->limit = size / 4 * 3;
	t->p = *p;
	if (t->p.qmax > GW_NEIGH_QMAX)
		t->p.qmax = GW_NEIGH_QMAX;
	rte_spinlock_init(&t->lock);
	for (unsigned int i = 0; i < size; i++)
		rte_spinlock_init(&t->e[i].lock);
	return t;
}

void gw_neigh_free(struct gw_neigh_table *t)
{
	if (!t)
		return;
	for (unsigned int i = 0; i <= t->mask; i++)
		for (unsigned int k = 0; k < t->e[i].qlen; k++)
			rte_pktmbuf_free(t->e[i].q[k]);
	free(t);
}

void gw_neigh_set_qmax(struct gw_neigh_table *t, unsigned int qmax)
{
	__atomic_store_n(&t->p.qmax, qmax > GW_NEIGH_QMAX ? GW_NEIGH_QMAX : qmax,
			 __ATOMIC_RELAXED);
}

struct gw_neigh *gw_neigh_lookup(struct gw_neigh_table *t, uint16_t port, uint8_t family,
				 const uint8_t *addr)
{
	uint32_t h = key_hash(port, family, addr);

	for (uint32_t i = 0; i <= t->mask; i++) {
		struct gw_neigh *n = &t->e[(h + i) & t->mask];

		if (__atomic_load_n(&n->state, __ATOMIC_ACQUIRE) == GW_NEIGH_FREE)
			return NULL;
		if (key_eq(n, port, family, addr))
			return n;
	}
	return NULL;
}

/* Find or make an INCOMPLETE entry. NULL when the table is full. */
static struct gw_neigh *neigh_get(struct gw_neigh_table *t, uint16_t port, uint8_t family,
				  const uint8_t *addr)
{
	uint32_t h = key_hash(port, family, addr);
	struct gw_neigh *n = NULL;

	rte_spinlock_lock(&t->lock);
	for (uint32_t i = 0; i <= t->mask; i++) {
		n = &t->e[(h + i) & t->mask];
		if (n->state == GW_NEIGH_FREE)
			break;
		if (key_eq(n, port, family, addr))
			goto out;
	}
	if (t->count >= t->limit) {
		n = NULL;
		goto out;
	}
	n->port = port;
	n->family = family;
	memset(n->addr, 0, sizeof(n->addr));
	memcpy(n->addr, addr, family == 10 ? 16 : 4);
	n->probes = 0;
	n->probed = 0;
	n->origin = GW_NEIGH_LEARNED;
	t->count++;
	__atomic_store_n(&n->state, GW_NEIGH_INCOMPLETE, __ATOMIC_RELEASE);
out:
	rte_spinlock_unlock(&t->lock);
	return n;
}

static bool probe_due(const struct gw_neigh_table *t, const struct gw_neigh *n, uint64_t now)
{
	return n->probed == 0 || now - n->probed >= t->p.retrans;
}

/* Entry lock held: queue m, probing now if due. */
static enum gw_neigh_verdict enqueue(struct gw_neigh_table *t, struct gw_neigh *n,
				     uint64_t now, struct rte_mbuf *m, bool *probe)
{
	if (n->qlen >= __atomic_load_n(&t->p.qmax, __ATOMIC_RELAXED))
		return GW_NEIGH_DROP_QUEUE;
	n->q[n->qlen++] = m;
	if (probe_due(t, n, now)) {
		n->probed = now;
		n->probes++;
		*probe = true;
	}
	return GW_NEIGH_QUEUED;
}

static enum gw_neigh_verdict resolve_slow(struct gw_neigh_table *t, struct gw_neigh *n,
					  uint64_t now, struct rte_mbuf *m, uint8_t mac[6],
					  bool *probe)
{
	enum gw_neigh_verdict v = GW_NEIGH_SEND;

	rte_spinlock_lock(&n->lock);
	switch (n->state) {
	case GW_NEIGH_PERMANENT:	/* made static since the lookup */
		gw_neigh_mac(n, mac);
		break;
	case GW_NEIGH_REACHABLE:
	case GW_NEIGH_STALE:
		if (n->state == GW_NEIGH_REACHABLE && now - n->confirmed >= t->p.reachable)
			__atomic_store_n(&n->state, GW_NEIGH_STALE, __ATOMIC_RELEASE);
		if (n->state == GW_NEIGH_STALE && probe_due(t, n, now)) {
			n->probed = now;
			*probe = true;
		}
		gw_neigh_mac(n, mac);
		break;
	case GW_NEIGH_FAILED:
		if (!probe_due(t, n, now)) {
			v = GW_NEIGH_DROP_FAILED;
			break;
		}
		n->probes = 0;
		__atomic_store_n(&n->state, GW_NEIGH_INCOMPLETE, __ATOMIC_RELEASE);
		/* fall through */
	default:
		v = enqueue(t, n, now, m, probe);
		break;
	}
	rte_spinlock_unlock(&n->lock);
	return v;
}

enum gw_neigh_verdict gw_neigh_resolve(struct gw_neigh_table *t, uint16_t port, uint8_t family,
				       const uint8_t *addr, uint64_t now, struct rte_mbuf *m,
				       uint8_t mac[6], bool *probe)
{
	struct gw_neigh *n = gw_neigh_lookup(t, port, family, addr);
	uint8_t st;

	*probe = false;
	if (likely(n != NULL)) {
		st = __atomic_load_n(&n->state, __ATOMIC_ACQUIRE);
		if ((st == GW_NEIGH_REACHABLE &&
		     now - __atomic_load_n(&n->confirmed, __ATOMIC_RELAXED) < t->p.reachable) ||
		    st == GW_NEIGH_PERMANENT) {
			gw_neigh_mac(n, mac);
			return GW_NEIGH_SEND;
		}
	}
	if (!n) {
		n = neigh_get(t, port, family, addr);
		if (!n)
			return GW_NEIGH_DROP_TABLE;
	}
	return resolve_slow(t, n, now, m, mac, probe);
}

unsigned int gw_neigh_confirm(struct gw_neigh_table *t, uint16_t port, uint8_t family,
			      const uint8_t *addr, const uint8_t mac[6], uint64_t now, bool create,
			      struct rte_mbuf **out)
{
	struct gw_neigh *n = gw_neigh_lookup(t, port, family, addr);
	unsigned int nout;
	uint64_t v = 0;

	if (!n && create)
		n = neigh_get(t, port, family, addr);
	if (!n)
		return 0;
	for (int i = 0; i < 6; i++)
		v |= (uint64_t)mac[i] << (8 * i);
	rte_spinlock_lock(&n->lock);
	if (n->state == GW_NEIGH_PERMANENT) {	/* what is heard does not change it */
		rte_spinlock_unlock(&n->lock);
		return 0;
	}
	__atomic_store_n(&n->mac, v, __ATOMIC_RELAXED);
	__atomic_store_n(&n->confirmed, now, __ATOMIC_RELAXED);
	n->probes = 0;
	__atomic_store_n(&n->state, GW_NEIGH_REACHABLE, __ATOMIC_RELEASE);
	nout = n->qlen;
	memcpy(out, n->q, nout * sizeof(*out));
	n->qlen = 0;
	rte_spinlock_unlock(&n->lock);
	return nout;
}

/* Entry lock held: INCOMPLETE entry whose probe went unanswered. */
static unsigned int expire_incomplete(struct gw_neigh_table *t, struct gw_neigh *n, uint64_t now,
				      bool *probe, struct rte_mbuf **failed, unsigned int cap)
{
	unsigned int nf = 0;

	if (n->probes < t->p.max_probes) {
		n->probed = now;
		n->probes++;
		*probe = true;
		return 0;
	}
	n->probed = now;	/* new packets wait retrans before trying again */
	__atomic_store_n(&n->state, GW_NEIGH_FAILED, __ATOMIC_RELEASE);
	for (unsigned int k = 0; k < n->qlen; k++) {
		if (nf < cap)
			failed[nf++] = n->q[k];
		else
			rte_pktmbuf_free(n->q[k]);
	}
	n->qlen = 0;
	return nf;
}

unsigned int gw_neigh_timer(struct gw_neigh_table *t, uint64_t now,
			    void (*probe)(void *arg, const struct gw_neigh *n), void *arg,
			    struct rte_mbuf **failed, unsigned int cap)
{
	unsigned int nf = 0;

	for (uint32_t i = 0; i <= t->mask; i++) {
		struct gw_neigh *n = &t->e[i];
		uint8_t st = __atomic_load_n(&n->state, __ATOMIC_ACQUIRE);
		bool do_probe = false;

		if (st != GW_NEIGH_INCOMPLETE && st != GW_NEIGH_REACHABLE)
			continue;
		rte_spinlock_lock(&n->lock);
		if (n->state == GW_NEIGH_INCOMPLETE && now - n->probed >= t->p.retrans)
			nf += expire_incomplete(t, n, now, &do_probe, failed + nf, cap - nf);
		else if (n->state == GW_NEIGH_REACHABLE && now - n->confirmed >= t->p.reachable)
			__atomic_store_n(&n->state, GW_NEIGH_STALE, __ATOMIC_RELEASE);
		rte_spinlock_unlock(&n->lock);
		if (do_probe && probe)
			probe(arg, n);
	}
	return nf;
}

int gw_neigh_set_static(struct gw_neigh_table *t, uint16_t port, uint8_t family,
			const uint8_t *addr, const uint8_t mac[6], uint8_t origin)
{
	struct gw_neigh *n = neigh_get(t, port, family, addr);
	unsigned int freed;
	uint64_t v = 0;

	if (!n)
		return -ENOSPC;
	for (int i = 0; i < 6; i++)
		v |= (uint64_t)mac[i] << (8 * i);
	rte_spinlock_lock(&n->lock);
	if (n->state == GW_NEIGH_PERMANENT && n->origin == GW_NEIGH_CONFIG &&
	    origin != GW_NEIGH_CONFIG) {
		rte_spinlock_unlock(&n->lock);
		return 0;
	}
	__atomic_store_n(&n->mac, v, __ATOMIC_RELAXED);
	n->origin = origin;
	n->probes = 0;
	__atomic_store_n(&n->state, GW_NEIGH_PERMANENT, __ATOMIC_RELEASE);
	/* this thread cannot send: what waited goes (its sender retransmits) */
	freed = n->qlen;
	for (unsigned int k = 0; k < n->qlen; k++)
		rte_pktmbuf_free(n->q[k]);
	n->qlen = 0;
	rte_spinlock_unlock(&n->lock);
	return (int)freed;
}

int gw_neigh_clear_static(struct gw_neigh_table *t, uint16_t port, uint8_t family,
			  const uint8_t *addr, uint8_t origin)
{
	struct gw_neigh *n = gw_neigh_lookup(t, port, family, addr);
	int rc = -ENOENT;

	if (!n)
		return rc;
	rte_spinlock_lock(&n->lock);
	if (n->state == GW_NEIGH_PERMANENT && n->origin == origin) {
		/* the slot stays (open addressing); the address is resolved afresh */
		n->origin = GW_NEIGH_LEARNED;
		n->probes = 0;
		n->probed = 0;
		__atomic_store_n(&n->state, GW_NEIGH_INCOMPLETE, __ATOMIC_RELEASE);
		rc = 0;
	}
	rte_spinlock_unlock(&n->lock);
	return rc;
}

bool gw_neigh_at(struct gw_neigh_table *t, uint64_t *cursor, struct gw_neigh *out)
{
	for (uint64_t i = *cursor; i <= t->mask; i++) {
		struct gw_neigh *n = &t->e[i];

		if (__atomic_load_n(&n->state, __ATOMIC_ACQUIRE) == GW_NEIGH_FREE)
			continue;
		rte_spinlock_lock(&n->lock);
		memcpy(out, n, offsetof(struct gw_neigh, lock));
		rte_spinlock_unlock(&n->lock);
		out->qlen = 0;
		*cursor = i + 1;
		return true;
	}
	return false;
}

void gw_neigh_walk(struct gw_neigh_table *t, void (*fn)(void *arg, const struct gw_neigh *n),
		   void *arg)
{
	for (uint32_t i = 0; i <= t->mask; i++)
		if (__atomic_load_n(&t->e[i].state, __ATOMIC_ACQUIRE) != GW_NEIGH_FREE)
			fn(arg, &t->e[i]);
}
