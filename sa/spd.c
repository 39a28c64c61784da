/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SPD's control plane: a list in insertion order plus two chained
 * hashes (by identity for NEWPOLICY/DELPOLICY by selector, by index), and
 * the selector match of the kernel. The data-path index is sa/spd_match.c.
 *
 * Insert, delete, replace and flush take effect for readers at the next
 * spd_publish(), all together: a successor is indexed before its
 * predecessor is unlinked, and both carry the generation they appear or
 * disappear in. Hiding a policy before its successor is published would
 * open a window where a flow matches nothing (and leaves in clear text).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_jhash.h>

#include "sa/internal.h"

/* ---- policy objects ---- */

static void lifetime_cfg_infinite(struct xfrm_lifetime_cfg *l)
{
	l->soft_byte_limit = XFRM_INF;
	l->hard_byte_limit = XFRM_INF;
	l->soft_packet_limit = XFRM_INF;
	l->hard_packet_limit = XFRM_INF;
}

struct xfrm_policy *policy_alloc(void)
{
	struct xfrm_policy *pol = calloc(1, sizeof(*pol));

	if (!pol)
		return NULL;
	pol->refcnt = 1;
	pol->type = XFRM_POLICY_TYPE_MAIN;
	lifetime_cfg_infinite(&pol->lft);
	return pol;
}

/* Selectors compare as whole structs: clear padding and unused address bytes. */
static void sel_normalize(struct xfrm_selector *d, const struct xfrm_selector *s)
{
	size_t alen = s->family == AF_INET6 ? 16 : 4;

	memset(d, 0, sizeof(*d));
	memcpy(&d->daddr, &s->daddr, alen);
	memcpy(&d->saddr, &s->saddr, alen);
	d->dport = s->dport;
	d->dport_mask = s->dport_mask;
	d->sport = s->sport;
	d->sport_mask = s->sport_mask;
	d->family = s->family;
	d->prefixlen_d = s->prefixlen_d;
	d->prefixlen_s = s->prefixlen_s;
	d->proto = s->proto;
	d->ifindex = s->ifindex;
	d->user = s->user;
}

void policy_set_info(struct xfrm_policy *pol, const struct xfrm_userpolicy_info *p)
{
	sel_normalize(&pol->sel, &p->sel);
	pol->lft = p->lft;
	pol->priority = p->priority;
	pol->index = p->index;
	pol->dir = p->dir;
	pol->action = p->action;
	pol->flags = p->flags;
	pol->share = p->share;
}

void policy_get_info(const struct xfrm_policy *pol, struct xfrm_userpolicy_info *p)
{
	memset(p, 0, sizeof(*p));
	p->sel = pol->sel;
	p->lft = pol->lft;
	p->curlft.bytes = pol->curlft.bytes;
	p->curlft.packets = pol->curlft.packets;
	p->curlft.add_time = pol->curlft.add_time;
	p->curlft.use_time = __atomic_load_n(&pol->curlft.use_time, __ATOMIC_RELAXED);
	p->priority = pol->priority;
	p->index = pol->index;
	p->dir = pol->dir;
	p->action = pol->action;
	p->flags = pol->flags;
	p->share = pol->share;
}

int policy_set_tmpls(struct xfrm_policy *pol, const struct xfrm_user_tmpl *t, unsigned int n)
{
	if (n > XFRM_MAX_DEPTH)
		return -EINVAL;
	memcpy(pol->tmpl, t, n * sizeof(*t));
	pol->ntmpl = (uint8_t)n;
	return 0;
}

int policy_set_sec_ctx(struct xfrm_policy *pol, const struct xfrm_user_sec_ctx *ctx, size_t len)
{
	if (len < sizeof(*ctx) || len < sizeof(*ctx) + ctx->ctx_len)
		return -EINVAL;
	free(pol->sec_ctx);
	pol->sec_ctx = malloc(len);
	if (!pol->sec_ctx)
		return -ENOMEM;
	memcpy(pol->sec_ctx, ctx, len);
	pol->sec_ctx_len = len;
	return 0;
}

void policy_put(struct xfrm_policy *pol)
{
	if (!pol || __atomic_sub_fetch(&pol->refcnt, 1, __ATOMIC_ACQ_REL))
		return;
	free(pol->sec_ctx);
	free(pol);
}

/* ---- identity and index hashes (control plane) ---- */

struct pol_ident {
	struct xfrm_selector sel;
	uint32_t mark_v, mark_m, if_id;
	uint8_t dir, type, pad[2];
};

static uint32_t ident_hash(const struct xfrm_selector *sel, const struct xfrm_mark *m,
			   uint32_t if_id, uint8_t dir, uint8_t type)
{
	uint32_t words[sizeof(struct pol_ident) / 4];
	struct pol_ident k;

	memset(&k, 0, sizeof(k));
	k.sel = *sel;
	k.mark_v = m->v;
	k.mark_m = m->m;
	k.if_id = if_id;
	k.dir = dir;
	k.type = type;
	/* rte_jhash reads 32-bit words: hand it words, not the struct (aliasing). */
	memcpy(words, &k, sizeof(words));
	return rte_jhash(words, sizeof(words), 0);
}

static bool ctx_equal(const struct xfrm_user_sec_ctx *a, size_t alen,
		      const struct xfrm_user_sec_ctx *b, size_t blen)
{
	if (!a || !b)
		return !a && !b;
	return alen == blen && !memcmp(a, b, alen);
}

static uint32_t idx_hash(uint32_t index)
{
	return rte_jhash_1word(index, 0);
}

static struct xfrm_policy *find_ident(struct spd *spd, uint32_t h,
				      const struct xfrm_selector *sel,
				      const struct xfrm_mark *m, uint32_t if_id, uint8_t dir,
				      uint8_t type, const struct xfrm_user_sec_ctx *ctx,
				      size_t ctxlen)
{
	struct xfrm_policy *p = spd->id_tab[h & (spd->nbuckets - 1)];

	for (; p; p = p->id_next)
		if (p->id_hash == h && p->dir == dir && p->type == type && p->if_id == if_id &&
		    p->mark.v == m->v && p->mark.m == m->m &&
		    !memcmp(&p->sel, sel, sizeof(*sel)) &&
		    ctx_equal(p->sec_ctx, p->sec_ctx_len, ctx, ctxlen))
			return p;
	return NULL;
}

static struct xfrm_policy *find_index(struct spd *spd, uint32_t index)
{
	struct xfrm_policy *p = spd->idx_tab[idx_hash(index) & (spd->nbuckets - 1)];

	for (; p; p = p->idx_next)
		if (p->index == index)
			return p;
	return NULL;
}

static void hash_link(struct spd *spd, struct xfrm_policy *pol)
{
	uint32_t mask = spd->nbuckets - 1;
	struct xfrm_policy **b;

	b = &spd->id_tab[pol->id_hash & mask];
	pol->id_next = *b;
	*b = pol;
	b = &spd->idx_tab[idx_hash(pol->index) & mask];
	pol->idx_next = *b;
	*b = pol;
}

static void hash_unlink(struct spd *spd, struct xfrm_policy *pol)
{
	uint32_t mask = spd->nbuckets - 1;
	struct xfrm_policy **pp;

	for (pp = &spd->id_tab[pol->id_hash & mask]; *pp; pp = &(*pp)->id_next)
		if (*pp == pol) {
			*pp = pol->id_next;
			break;
		}
	for (pp = &spd->idx_tab[idx_hash(pol->index) & mask]; *pp; pp = &(*pp)->idx_next)
		if (*pp == pol) {
			*pp = pol->idx_next;
			break;
		}
}

/* Double the buckets when the tables get as many entries as buckets. */
static void hash_grow(struct spd *spd)
{
	uint32_t nb = spd->nbuckets * 2;
	struct xfrm_policy **id = calloc(nb, sizeof(*id)), **idx = calloc(nb, sizeof(*idx));
	struct sa_list_node *n;

	if (!id || !idx) {
		free(id);
		free(idx);
		return;		/* stay slower, still correct */
	}
	free(spd->id_tab);
	free(spd->idx_tab);
	spd->id_tab = id;
	spd->idx_tab = idx;
	spd->nbuckets = nb;
	for (n = spd->all.next; n != &spd->all; n = n->next)
		if (!n->marker)
			hash_link(spd, sa_container_of(n, struct xfrm_policy, all));
}

/* ---- create / destroy ---- */

static uint64_t realtime_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec;
}

struct spd *spd_create(const struct spd_config *cfg)
{
	struct spd *spd;

	if (!cfg || !cfg->rcu || !cfg->name)
		return NULL;
	spd = calloc(1, sizeof(*spd));
	if (!spd)
		return NULL;
	snprintf(spd->name, sizeof(spd->name), "%s", cfg->name);
	spd->rcu = cfg->rcu;
	spd->clock = cfg->clock ? cfg->clock : realtime_clock;
	spd->socket_id = cfg->socket_id;
	spd->max_rules = cfg->max_rules ? cfg->max_rules : 1u << 20;
	spd->nbuckets = 256;
	spd->id_tab = calloc(spd->nbuckets, sizeof(*spd->id_tab));
	spd->idx_tab = calloc(spd->nbuckets, sizeof(*spd->idx_tab));
	if (!spd->id_tab || !spd->idx_tab) {
		free(spd->id_tab);
		free(spd->idx_tab);
		free(spd);
		return NULL;
	}
	pthread_mutex_init(&spd->lock, NULL);
	sa_list_init(&spd->all);
	spd->h4.lbits = 32;
	spd->h4.rbits = 32;
	spd->h6.lbits = 128;
	spd->h6.rbits = 128;
	return spd;
}

void spd_destroy(struct spd *spd)
{
	if (!spd)
		return;
	spd_flush(spd, XFRM_POLICY_TYPE_MAIN);
	spd_flush(spd, XFRM_POLICY_TYPE_SUB);
	sa_rcu_barrier(spd->rcu);
	spd_match_destroy(spd);
	sa_rcu_barrier(spd->rcu);
	free(spd->id_tab);
	free(spd->idx_tab);
	pthread_mutex_destroy(&spd->lock);
	free(spd);
}

/* ---- control plane ---- */

static int check_policy(const struct xfrm_policy *pol)
{
	const struct xfrm_selector *s = &pol->sel;

	if (pol->dir >= XFRM_POLICY_MAX)
		return -EINVAL;
	if (pol->action != XFRM_POLICY_ALLOW && pol->action != XFRM_POLICY_BLOCK)
		return -EINVAL;
	if (pol->type != XFRM_POLICY_TYPE_MAIN && pol->type != XFRM_POLICY_TYPE_SUB)
		return -EINVAL;
	if (s->family == AF_INET) {
		if (s->prefixlen_d > 32 || s->prefixlen_s > 32)
			return -EINVAL;
	} else if (s->family == AF_INET6) {
		if (s->prefixlen_d > 128 || s->prefixlen_s > 128)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (pol->index && (pol->index & 7) != pol->dir)
		return -EINVAL;
	if (pol->ntmpl > XFRM_MAX_DEPTH)
		return -EINVAL;
	return 0;
}

/* xfrm_gen_index(): the wanted index if free, else counter | dir. */
static uint32_t gen_index(struct spd *spd, uint8_t dir, uint32_t want)
{
	for (;;) {
		uint32_t idx;

		if (want) {
			idx = want;
			want = 0;
		} else {
			idx = spd->idx_generator | dir;
			spd->idx_generator += 8;
		}
		if (idx == 0)
			idx = 8;
		if (!find_index(spd, idx))
			return idx;
	}
}

/*
 * Out of the control plane at once; the data path keeps answering with it
 * until the next spd_publish, so that a replacement or a re-add in the same
 * burst takes its place without a moment where no policy matches.
 */
void spd_unlink_locked(struct spd *spd, struct xfrm_policy *pol)
{
	if (pol->spd != spd)
		return;
	hash_unlink(spd, pol);
	sa_list_del(&pol->all);
	spd->count[pol->dir]--;
	spd->total--;
	__atomic_store_n(&pol->dead, 1, __ATOMIC_RELEASE);
	pol->spd = NULL;
	spd_match_unlink(spd, pol);
}

int spd_insert(struct spd *spd, struct xfrm_policy *pol, bool excl,
	       struct xfrm_policy **replaced)
{
	struct xfrm_policy *old;
	struct xfrm_selector sel;
	int rc = check_policy(pol);

	if (rc)
		return rc;
	sel_normalize(&sel, &pol->sel);
	pol->sel = sel;
	pol->id_hash = ident_hash(&pol->sel, &pol->mark, pol->if_id, pol->dir, pol->type);
	pthread_mutex_lock(&spd->lock);
	spd_match_reap(spd);
	if (pol->spd || pol->dp_shape) {	/* in the SPD, or still seen by readers */
		rc = -EEXIST;
		goto unlock;
	}
	old = find_ident(spd, pol->id_hash, &pol->sel, &pol->mark, pol->if_id, pol->dir,
			 pol->type, pol->sec_ctx, pol->sec_ctx_len);
	if (old && excl) {
		rc = -EEXIST;
		goto unlock;
	}
	if (!old && spd->total >= spd->max_rules) {
		rc = -ENOSPC;
		goto unlock;
	}
	pol->index = old ? old->index : gen_index(spd, pol->dir, pol->index);
	pol->pos = old ? old->pos : spd->pos_gen + 1;
	/* the successor is indexed before its predecessor is unlinked: no gap */
	rc = spd_match_link(spd, pol);
	if (rc)
		goto unlock;
	if (old) {
		if (replaced) {
			policy_hold(old);
			*replaced = old;
		}
		spd_unlink_locked(spd, old);
	} else {
		spd->pos_gen++;
	}
	pol->curlft.add_time = spd->clock();
	pol->dead = 0;
	pol->ev_delivered = 0;
	pol->all.marker = false;
	pol->spd = spd;
	policy_hold(pol);
	sa_list_add_tail(&spd->all, &pol->all);
	hash_link(spd, pol);
	spd->count[pol->dir]++;
	spd->total++;
	if (spd->total > spd->nbuckets)
		hash_grow(spd);
unlock:
	pthread_mutex_unlock(&spd->lock);
	sa_rcu_reclaim(spd->rcu);
	return rc;
}

static struct xfrm_policy *find_id_locked(struct spd *spd, const struct spd_id *id)
{
	struct xfrm_policy *p;
	struct xfrm_selector sel;

	if (id->index) {
		if ((id->index & 7) != id->dir)
			return NULL;
		p = find_index(spd, id->index);
		if (p && p->dir == id->dir && p->type == id->type && p->if_id == id->if_id &&
		    p->mark.v == id->mark.v && p->mark.m == id->mark.m)
			return p;
		return NULL;
	}
	sel_normalize(&sel, &id->sel);
	return find_ident(spd, ident_hash(&sel, &id->mark, id->if_id, id->dir, id->type), &sel,
			  &id->mark, id->if_id, id->dir, id->type, id->sec_ctx, id->sec_ctx_len);
}

static int get_or_delete(struct spd *spd, const struct spd_id *id, struct xfrm_policy **out,
			 bool del)
{
	struct xfrm_policy *p;

	if (id->dir >= XFRM_POLICY_MAX)
		return -EINVAL;
	pthread_mutex_lock(&spd->lock);
	spd_match_reap(spd);
	p = find_id_locked(spd, id);
	if (p) {
		if (out) {
			policy_hold(p);
			*out = p;
		}
		if (del)
			spd_unlink_locked(spd, p);
	}
	pthread_mutex_unlock(&spd->lock);
	if (del)
		sa_rcu_reclaim(spd->rcu);
	return p ? 0 : -ENOENT;
}

int spd_get(struct spd *spd, const struct spd_id *id, struct xfrm_policy **out)
{
	return get_or_delete(spd, id, out, false);
}

int spd_delete(struct spd *spd, const struct spd_id *id, struct xfrm_policy **out)
{
	return get_or_delete(spd, id, out, true);
}

int spd_delete_policy(struct spd *spd, struct xfrm_policy *pol)
{
	int rc = -ENOENT;

	pthread_mutex_lock(&spd->lock);
	if (pol->spd == spd) {
		spd_unlink_locked(spd, pol);
		rc = 0;
	}
	pthread_mutex_unlock(&spd->lock);
	sa_rcu_reclaim(spd->rcu);
	return rc;
}

unsigned int spd_flush(struct spd *spd, uint8_t type)
{
	struct sa_list_node *n, *next;
	unsigned int count = 0;

	pthread_mutex_lock(&spd->lock);
	spd_match_reap(spd);
	for (n = spd->all.next; n != &spd->all; n = next) {
		struct xfrm_policy *p = sa_container_of(n, struct xfrm_policy, all);

		next = n->next;
		if (n->marker || p->type != type)
			continue;
		spd_unlink_locked(spd, p);
		count++;
	}
	pthread_mutex_unlock(&spd->lock);
	sa_rcu_reclaim(spd->rcu);
	return count;
}

void spd_cursor_init(struct spd_cursor *c)
{
	memset(c, 0, sizeof(*c));
	c->marker.marker = true;
	c->any_type = true;
}

int spd_walk(struct spd *spd, struct spd_cursor *c,
	     int (*cb)(struct xfrm_policy *pol, void *arg), void *arg)
{
	struct sa_list_node *n;

	pthread_mutex_lock(&spd->lock);
	if (c->done) {
		pthread_mutex_unlock(&spd->lock);
		return 0;
	}
	c->marker.marker = true;
	for (n = c->linked ? c->marker.next : spd->all.next; n != &spd->all; n = n->next) {
		struct xfrm_policy *p = sa_container_of(n, struct xfrm_policy, all);

		if (n->marker || (!c->any_type && p->type != c->type))
			continue;
		if (cb(p, arg)) {
			if (c->linked)
				sa_list_del(&c->marker);
			sa_list_add_tail(n, &c->marker);
			c->linked = true;
			pthread_mutex_unlock(&spd->lock);
			return 1;
		}
	}
	if (c->linked)
		sa_list_del(&c->marker);
	c->linked = false;
	c->done = true;
	pthread_mutex_unlock(&spd->lock);
	return 0;
}

void spd_cursor_done(struct spd *spd, struct spd_cursor *c)
{
	pthread_mutex_lock(&spd->lock);
	if (c->linked)
		sa_list_del(&c->marker);
	c->linked = false;
	c->done = true;
	pthread_mutex_unlock(&spd->lock);
}

void spd_get_info(struct spd *spd, struct spd_info *info)
{
	memset(info, 0, sizeof(*info));
	pthread_mutex_lock(&spd->lock);
	info->incnt = spd->count[XFRM_POLICY_IN];
	info->outcnt = spd->count[XFRM_POLICY_OUT];
	info->fwdcnt = spd->count[XFRM_POLICY_FWD];
	info->spdhcnt = spd->nbuckets;
	info->spdhmcnt = spd->max_rules;
	info->hthresh4 = spd->h4;
	info->hthresh6 = spd->h6;
	pthread_mutex_unlock(&spd->lock);
}

int spd_set_hthresh(struct spd *spd, const struct xfrmu_spdhthresh *v4,
		    const struct xfrmu_spdhthresh *v6)
{
	if ((v4 && (v4->lbits > 32 || v4->rbits > 32)) ||
	    (v6 && (v6->lbits > 128 || v6->rbits > 128)))
		return -EINVAL;
	pthread_mutex_lock(&spd->lock);
	if (v4)
		spd->h4 = *v4;
	if (v6)
		spd->h6 = *v6;
	pthread_mutex_unlock(&spd->lock);
	return 0;
}

/* ---- matching (kernel __xfrm4/6_selector_match) ---- */

static bool prefix_match(const void *a, const void *b, unsigned int plen)
{
	const uint8_t *x = a, *y = b;
	unsigned int full = plen / 8;

	if (memcmp(x, y, full))
		return false;
	if (plen % 8)
		return ((x[full] ^ y[full]) & (uint8_t)(0xff00 >> (plen % 8))) == 0;
	return true;
}

bool spd_selector_match(const struct xfrm_selector *sel, const struct spd_flow *f)
{
	if (sel->family != f->family)
		return false;
	return prefix_match(&f->daddr, &sel->daddr, sel->prefixlen_d) &&
	       prefix_match(&f->saddr, &sel->saddr, sel->prefixlen_s) &&
	       !((f->dport ^ sel->dport) & sel->dport_mask) &&
	       !((f->sport ^ sel->sport) & sel->sport_mask) &&
	       (!sel->proto || f->proto == sel->proto) &&
	       (!sel->ifindex || (uint32_t)sel->ifindex == f->ifindex);
}

int spd_publish(struct spd *spd)
{
	int rc;

	pthread_mutex_lock(&spd->lock);
	spd_match_reap(spd);
	rc = spd_match_publish(spd);
	pthread_mutex_unlock(&spd->lock);
	sa_rcu_reclaim(spd->rcu);
	return rc;
}
