/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SPD's data-path index: one rte_hash per direction and family from
 * (shape, masked key) to a policy chain, views published by generation. Invariants (see sa/spd_match.h):
 *  - a chain is sorted by (priority, insertion position), so the first
 *    policy of it visible in a view is the chain's answer;
 *  - a view's minprio for a shape is <= the priority of every policy of
 *    that shape visible in the view, so a lookup may stop at the first
 *    shape whose minprio is above the best priority found;
 *  - a policy stays in its chain while any reader may hold a view in which
 *    it is visible, and its memory stays until readers that could be
 *    walking past it have passed a quiescent state.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_common.h>

#include "sa/internal.h"
#include "sa/spd_match.h"

/* A table's first capacity; doubled whenever it fills. */
#define TABLE_MIN_CAPACITY 1024

static const uint64_t never = UINT64_MAX;

bool spd_match_eligible(const struct xfrm_policy *pol)
{
	/* a mark value with bits outside its mask can never be met */
	return pol->type == XFRM_POLICY_TYPE_MAIN && !(pol->mark.v & ~pol->mark.m);
}

static bool ranks_before(const struct xfrm_policy *a, const struct xfrm_policy *b)
{
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return a->pos < b->pos;
}

static void put_cb(void *arg)
{
	policy_put(arg);
}

/* ---- shapes ---- */

/* Network-order mask of 32-bit word i of an address with this prefix length. */
static uint32_t prefix_word_mask(unsigned int plen, unsigned int i)
{
	unsigned int bits = plen > 32 * i ? plen - 32 * i : 0;

	if (bits > 32)
		bits = 32;
	return bits ? htonl((uint32_t)(~0ull << (32 - bits))) : 0;
}

static uint32_t sel_port_mask(const struct xfrm_selector *sel)
{
	return (uint32_t)sel->sport_mask | (uint32_t)sel->dport_mask << 16;
}

static bool shape_fits(const struct spd_shape *s, const struct xfrm_policy *pol)
{
	const struct xfrm_selector *sel = &pol->sel;

	return s->plen_s == sel->prefixlen_s && s->plen_d == sel->prefixlen_d &&
	       s->has_proto == (sel->proto != 0) && s->has_ifindex == (sel->ifindex != 0) &&
	       s->port_mask == sel_port_mask(sel) && s->mark_m == pol->mark.m;
}

static unsigned int table_key_words(const struct spd_match *m, const struct spd *spd)
{
	/* tables are [dir][family index]: the second index is 1 for IPv6 */
	return SPD_KEY_FIXED_WORDS + ((m - &spd->match[0][0]) % 2 ? 8 : 2);
}

static struct spd_shape *shape_create(struct spd_match *m, const struct xfrm_policy *pol)
{
	const struct xfrm_selector *sel = &pol->sel;
	struct spd_shape *s = calloc(1, sizeof(*s));
	bool v6 = sel->family == AF_INET6;

	if (!s)
		return NULL;
	s->plen_s = sel->prefixlen_s;
	s->plen_d = sel->prefixlen_d;
	s->has_proto = sel->proto != 0;
	s->has_ifindex = sel->ifindex != 0;
	s->port_mask = sel_port_mask(sel);
	s->mark_m = pol->mark.m;
	s->id = ++m->shape_ids;
	s->key_words = SPD_KEY_FIXED_WORDS + (v6 ? 8 : 2);
	for (unsigned int i = 0; i < 4; i++) {
		s->smask[i] = prefix_word_mask(s->plen_s, i);
		s->dmask[i] = prefix_word_mask(s->plen_d, i);
	}
	s->minprio = UINT32_MAX;
	return s;
}

static struct spd_shape *shape_get(struct spd *spd, struct spd_match *m,
				   const struct xfrm_policy *pol)
{
	struct spd_shape *s;

	for (s = m->shapes; s; s = s->next)
		if (shape_fits(s, pol))
			return s;
	if (!m->tab.cur && sa_table_init(&m->tab, "spd", table_key_words(m, spd) * 4u,
					 TABLE_MIN_CAPACITY, spd->max_rules, rte_hash_crc,
					 spd->socket_id, spd->rcu))
		return NULL;
	s = shape_create(m, pol);
	if (!s)
		return NULL;
	s->next = m->shapes;
	m->shapes = s;
	m->nshapes++;
	return s;
}

/* ---- keys ---- */

static unsigned int key_of_policy(uint32_t *k, const struct spd_shape *s,
				  const struct xfrm_policy *pol)
{
	const struct xfrm_selector *sel = &pol->sel;
	unsigned int w = (s->key_words - SPD_KEY_FIXED_WORDS) / 2;

	k[0] = s->id;
	k[1] = (uint32_t)sel->ifindex;
	k[2] = pol->mark.v;
	k[3] = pol->if_id;
	k[4] = ((uint32_t)sel->sport | (uint32_t)sel->dport << 16) & s->port_mask;
	k[5] = sel->proto;
	for (unsigned int i = 0; i < w; i++) {
		k[SPD_KEY_FIXED_WORDS + i] = sel->saddr.a6[i] & s->smask[i];
		k[SPD_KEY_FIXED_WORDS + w + i] = sel->daddr.a6[i] & s->dmask[i];
	}
	return s->key_words;
}

/* The flow seen through a shape's masks: equal to a policy's key iff it matches. */
static inline void key_of_flow(uint32_t *k, const struct spd_shape *s, const struct spd_flow *f)
{
	unsigned int w = (s->key_words - SPD_KEY_FIXED_WORDS) / 2;

	k[0] = s->id;
	k[1] = s->has_ifindex ? f->ifindex : 0;
	k[2] = f->mark & s->mark_m;
	k[3] = f->if_id;
	k[4] = ((uint32_t)f->sport | (uint32_t)f->dport << 16) & s->port_mask;
	k[5] = s->has_proto ? f->proto : 0;
	for (unsigned int i = 0; i < w; i++) {
		k[SPD_KEY_FIXED_WORDS + i] = f->saddr.a6[i] & s->smask[i];
		k[SPD_KEY_FIXED_WORDS + w + i] = f->daddr.a6[i] & s->dmask[i];
	}
}

static struct xfrm_policy *chain_head(const struct spd_match *m, const uint32_t *k)
{
	return sa_table_lookup(&m->tab, k);
}

/* ---- control plane ---- */

int spd_match_link(struct spd *spd, struct xfrm_policy *pol)
{
	struct spd_match *m = &spd->match[pol->dir][sa_family_idx(pol->sel.family)];
	uint32_t k[SPD_KEY_WORDS];
	struct xfrm_policy *head, *prev;
	struct spd_shape *s;
	int rc;

	pol->dp_shape = NULL;
	if (!spd_match_eligible(pol))
		return 0;
	s = shape_get(spd, m, pol);
	if (!s)
		return -ENOMEM;
	m->dirty = true;	/* a shape left empty goes at the next publish */
	key_of_policy(k, s, pol);
	pol->born = spd->gen + 1;
	pol->died = never;
	head = chain_head(m, k);
	if (!head || ranks_before(pol, head)) {
		pol->dp_next = head;
		rc = sa_table_set(&m->tab, k, pol);
		if (rc)
			return rc;
	} else {
		for (prev = head; prev->dp_next && !ranks_before(pol, prev->dp_next);)
			prev = prev->dp_next;
		pol->dp_next = prev->dp_next;
		__atomic_store_n(&prev->dp_next, pol, __ATOMIC_RELEASE);
	}
	pol->dp_shape = s;
	s->npol++;
	if (pol->priority < s->minprio)
		s->minprio = pol->priority;
	return 0;
}

/* Out of its chain now; its memory after readers walking past it are gone. */
static void chain_remove(struct spd *spd, struct xfrm_policy *pol)
{
	struct spd_match *m = &spd->match[pol->dir][sa_family_idx(pol->sel.family)];
	struct spd_shape *s = pol->dp_shape;
	uint32_t k[SPD_KEY_WORDS];
	struct xfrm_policy *p;

	key_of_policy(k, s, pol);
	p = chain_head(m, k);
	if (p == pol) {
		if (pol->dp_next)
			sa_table_set(&m->tab, k, pol->dp_next);	/* a key already there */
		else
			sa_table_del(&m->tab, k);
	} else {
		for (; p && p->dp_next != pol; p = p->dp_next)
			;
		if (p)
			__atomic_store_n(&p->dp_next, pol->dp_next, __ATOMIC_RELEASE);
	}
	if (--s->npol == 0) {
		s->minprio = UINT32_MAX;
		m->dirty = true;
	}
	pol->dp_shape = NULL;
	sa_rcu_defer(spd->rcu, put_cb, pol);
}

/*
 * Takes over the SPD's reference. A policy never published goes at once;
 * one that readers may see stays until a grace period after the publish
 * that hides it.
 */
void spd_match_unlink(struct spd *spd, struct xfrm_policy *pol)
{
	if (!pol->dp_shape) {
		sa_rcu_defer(spd->rcu, put_cb, pol);
		return;
	}
	if (pol->born > spd->gen) {
		chain_remove(spd, pol);
		return;
	}
	__atomic_store_n(&pol->died, spd->gen + 1, __ATOMIC_RELAXED);
	spd->match[pol->dir][sa_family_idx(pol->sel.family)].dirty = true;
	pol->dying_next = spd->dying;
	spd->dying = pol;
}

static void reap_ready_cb(void *arg)
{
	struct spd_reap *r = arg;

	__atomic_store_n(&r->ready, 1, __ATOMIC_RELEASE);
}

void spd_match_reap(struct spd *spd)
{
	struct spd_reap **pp = &spd->reaps;

	while (*pp) {
		struct spd_reap *r = *pp;

		if (!__atomic_load_n(&r->ready, __ATOMIC_ACQUIRE)) {
			pp = &r->next;
			continue;
		}
		while (r->list) {
			struct xfrm_policy *pol = r->list;

			r->list = pol->dying_next;
			chain_remove(spd, pol);
		}
		*pp = r->next;
		free(r);
	}
}

static int by_minprio(const void *a, const void *b)
{
	const struct spd_view_shape *x = a, *y = b;

	return x->minprio < y->minprio ? -1 : x->minprio > y->minprio;
}

static struct spd_view *view_build(const struct spd_match *m, uint64_t gen)
{
	struct spd_view *v = malloc(sizeof(*v) + m->nshapes * sizeof(v->s[0]));
	const struct spd_shape *s;

	if (!v)
		return NULL;
	v->gen = gen;
	v->n = 0;
	for (s = m->shapes; s; s = s->next)
		if (s->npol)
			v->s[v->n++] = (struct spd_view_shape){ (struct spd_shape *)s, s->minprio };
	qsort(v->s, v->n, sizeof(v->s[0]), by_minprio);
	return v;
}

/* Shapes with no policy left leave the control list (freed after readers). */
static void drop_empty_shapes(struct spd *spd, struct spd_match *m)
{
	struct spd_shape **pp = &m->shapes;

	while (*pp) {
		struct spd_shape *s = *pp;

		if (s->npol) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		m->nshapes--;
		sa_rcu_defer(spd->rcu, free, s);
	}
}

/*
 * All dirty views or none: a half-published batch would let a reader of an
 * unrepublished table keep a generation older than a reaped policy's.
 */
int spd_match_publish(struct spd *spd)
{
	struct spd_view *nv[XFRM_POLICY_MAX][2] = { { NULL } };
	uint64_t gen = spd->gen + 1;
	bool any = false;

	for (int d = 0; d < XFRM_POLICY_MAX; d++)
		for (int f = 0; f < 2; f++) {
			if (!spd->match[d][f].dirty)
				continue;
			any = true;
			nv[d][f] = view_build(&spd->match[d][f], gen);
			if (!nv[d][f])
				goto no_memory;
		}
	if (!any)
		return 0;
	for (int d = 0; d < XFRM_POLICY_MAX; d++)
		for (int f = 0; f < 2; f++) {
			struct spd_match *m = &spd->match[d][f];
			struct spd_view *old = m->view;

			if (!nv[d][f])
				continue;
			__atomic_store_n(&m->view, nv[d][f], __ATOMIC_RELEASE);
			m->dirty = false;
			if (old)
				sa_rcu_defer(spd->rcu, free, old);
			drop_empty_shapes(spd, m);
		}
	spd->gen = gen;
	if (spd->dying) {
		struct spd_reap *r = calloc(1, sizeof(*r));

		if (r) {	/* else these wait for the next publish: later is safe */
			r->list = spd->dying;
			r->spd = spd;
			spd->dying = NULL;
			r->next = spd->reaps;
			spd->reaps = r;
			sa_rcu_defer(spd->rcu, reap_ready_cb, r);
		}
	}
	return 0;

no_memory:
	for (int d = 0; d < XFRM_POLICY_MAX; d++)
		for (int f = 0; f < 2; f++)
			free(nv[d][f]);
	return -ENOMEM;
}

static void put_chain(const void *key, void *data, void *arg)
{
	(void)key;
	(void)arg;
	for (struct xfrm_policy *p = data, *n; p; p = n) {
		n = p->dp_next;
		policy_put(p);
	}
}

void spd_match_destroy(struct spd *spd)
{
	while (spd->reaps) {
		struct spd_reap *r = spd->reaps;

		spd->reaps = r->next;
		free(r);		/* its policies are still in the chains */
	}
	spd->dying = NULL;
	for (int d = 0; d < XFRM_POLICY_MAX; d++)
		for (int f = 0; f < 2; f++) {
			struct spd_match *m = &spd->match[d][f];

			if (m->tab.cur)
				sa_table_walk(&m->tab, put_chain, NULL);
			sa_table_fini(&m->tab);
			while (m->shapes) {
				struct spd_shape *s = m->shapes;

				m->shapes = s->next;
				free(s);
			}
			free(m->view);
			m->view = NULL;
		}
}

/* ---- data path ---- */

/* The first policy of a chain visible in generation gen. */
static inline struct xfrm_policy *chain_first(struct xfrm_policy *p, uint64_t gen)
{
	for (; p; p = __atomic_load_n(&p->dp_next, __ATOMIC_ACQUIRE))
		if (p->born <= gen && gen < __atomic_load_n(&p->died, __ATOMIC_RELAXED))
			return p;
	return NULL;
}

/* The table is read after the view: it holds at least the view's keys. */
static inline const struct spd_view *view_of(const struct spd *spd, uint8_t dir,
					     uint16_t family, const struct sa_table **t)
{
	const struct spd_match *m;

	if (unlikely(dir >= XFRM_POLICY_MAX) ||
	    unlikely(family != AF_INET && family != AF_INET6))
		return NULL;
	m = &spd->match[dir][sa_family_idx(family)];
	*t = &m->tab;
	return __atomic_load_n(&m->view, __ATOMIC_ACQUIRE);
}

struct xfrm_policy *spd_lookup(const struct spd *spd, uint8_t dir, const struct spd_flow *f)
{
	const struct sa_table *t = NULL;
	const struct spd_view *v = view_of(spd, dir, f->family, &t);
	struct xfrm_policy *best = NULL;
	uint32_t k[SPD_KEY_WORDS];

	if (!v)
		return NULL;
	for (uint32_t i = 0; i < v->n; i++) {
		const struct spd_shape *s = v->s[i].shape;
		struct xfrm_policy *p;
		void *data;

		if (best && best->priority < v->s[i].minprio)
			break;
		key_of_flow(k, s, f);
		data = sa_table_lookup(t, k);
		if (!data)
			continue;
		p = chain_first(data, v->gen);
		if (p && (!best || ranks_before(p, best)))
			best = p;
	}
	return best;
}

void spd_lookup_burst(const struct spd *spd, uint8_t dir, uint16_t family,
		      const struct spd_flow *flows, unsigned int n, struct xfrm_policy **out)
{
	const struct sa_table *t = NULL;
	const struct spd_view *v = n <= SPD_BURST_MAX ? view_of(spd, dir, family, &t) : NULL;
	uint32_t keys[SPD_BURST_MAX][SPD_KEY_WORDS];
	const void *kp[SPD_BURST_MAX];
	void *data[SPD_BURST_MAX];
	uint8_t open[SPD_BURST_MAX];	/* flows that a later shape may still improve */
	unsigned int nopen = n;

	memset(out, 0, n * sizeof(*out));
	if (!v)
		return;
	for (unsigned int j = 0; j < n; j++)
		open[j] = (uint8_t)j;
	for (uint32_t i = 0; i < v->n && nopen; i++) {
		const struct spd_shape *s = v->s[i].shape;
		uint32_t minprio = v->s[i].minprio;
		unsigned int m = 0;

		for (unsigned int j = 0; j < nopen; j++) {
			unsigned int x = open[j];

			if (out[x] && out[x]->priority < minprio)
				continue;	/* shapes are by minprio: done for good */
			open[m] = (uint8_t)x;
			key_of_flow(keys[m], s, &flows[x]);
			kp[m] = keys[m];
			m++;
		}
		nopen = m;
		if (!m)
			break;
		sa_table_lookup_bulk(t, kp, m, data);
		for (unsigned int j = 0; j < m; j++) {
			struct xfrm_policy *p = chain_first(data[j], v->gen);

			if (p && (!out[open[j]] || ranks_before(p, out[open[j]])))
				out[open[j]] = p;
		}
	}
}
