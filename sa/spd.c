/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SPD. Control plane: a list in insertion order plus two chained hashes
 * (by identity for NEWPOLICY/DELPOLICY by selector, by index). Data path:
 * one rte_acl context per direction and family, whose rules are ranked by
 * (priority, insertion order) so that the ACL's "highest priority wins"
 * gives the kernel's "lowest priority value, then oldest" first match.
 *
 * Readers see whole rule sets: each table is a snapshot with its own
 * references to its policies, swapped in by one pointer store. Insert,
 * delete, replace and flush change the control plane only; the data path
 * moves from one snapshot to the next at spd_publish(). Marking a policy
 * unusable before its successor is published would open a window where a
 * flow matches nothing (and leaves in clear text).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_acl.h>
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

static void table_free(void *arg)
{
	struct spd_table *t = arg;

	if (!t)
		return;
	if (t->ctx)
		rte_acl_free(t->ctx);
	for (uint32_t i = 0; i < t->n; i++)
		policy_put(t->pols[i]);
	free(t);
}

void spd_destroy(struct spd *spd)
{
	if (!spd)
		return;
	spd_flush(spd, XFRM_POLICY_TYPE_MAIN);
	spd_flush(spd, XFRM_POLICY_TYPE_SUB);
	sa_rcu_barrier(spd->rcu);
	for (int d = 0; d < XFRM_POLICY_MAX; d++)
		for (int f = 0; f < 2; f++)
			table_free(spd->tables[d][f]);
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

static void mark_dirty(struct spd *spd, const struct xfrm_policy *pol)
{
	spd->dirty[pol->dir][sa_family_idx(pol->sel.family)] = true;
}

static void deferred_policy_put(void *arg)
{
	policy_put(arg);
}

/*
 * Out of the control plane at once; the data path keeps answering with it
 * until the table of its direction and family is rebuilt and published
 * (spd_publish), so that a replacement or a re-add in the same burst takes
 * its place without a moment where no policy matches.
 */
void spd_unlink_locked(struct spd *spd, struct xfrm_policy *pol)
{
	if (pol->spd != spd)
		return;
	hash_unlink(spd, pol);
	sa_list_del(&pol->all);
	spd->count[pol->dir]--;
	spd->total--;
	mark_dirty(spd, pol);
	__atomic_store_n(&pol->dead, 1, __ATOMIC_RELEASE);
	pol->spd = NULL;
	sa_rcu_defer(spd->rcu, deferred_policy_put, pol);
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
	if (pol->spd) {
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
	if (old) {
		pol->index = old->index;
		pol->pos = old->pos;
		if (replaced) {
			policy_hold(old);
			*replaced = old;
		}
		spd_unlink_locked(spd, old);
	} else {
		pol->index = gen_index(spd, pol->dir, pol->index);
		pol->pos = ++spd->pos_gen;
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
	mark_dirty(spd, pol);
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

/* ---- rte_acl rule sets ---- */

/* Classification keys, network byte order, 4-byte groups. */
struct acl_key4 {
	uint8_t proto;
	uint8_t pad[3];
	uint32_t ifindex;
	uint32_t src;
	uint32_t dst;
	uint16_t sport;
	uint16_t dport;
	uint32_t mark;
	uint32_t if_id;
};

struct acl_key6 {
	uint8_t proto;
	uint8_t pad[3];
	uint32_t ifindex;
	uint32_t src[4];
	uint32_t dst[4];
	uint16_t sport;
	uint16_t dport;
	uint32_t mark;
	uint32_t if_id;
};

#define ACL_FIELDS4 8
#define ACL_FIELDS6 14
RTE_ACL_RULE_DEF(acl_rule, ACL_FIELDS6);

static void acl_def(struct rte_acl_field_def *d, unsigned int *n, uint8_t type, uint8_t size,
		    uint8_t input, uint32_t offset)
{
	d[*n] = (struct rte_acl_field_def){
		.type = type, .size = size, .field_index = (uint8_t)*n,
		.input_index = input, .offset = offset,
	};
	(*n)++;
}

/*
 * Field definitions: proto, ifindex, source words, destination words,
 * sport + dport (one 4-byte input group), mark, if_id.
 */
static unsigned int acl_defs(struct rte_acl_field_def *d, bool v6)
{
	unsigned int words = v6 ? 4 : 1, n = 0;
	uint8_t in = 0;
	uint32_t src = v6 ? offsetof(struct acl_key6, src) : offsetof(struct acl_key4, src);
	uint32_t dst = v6 ? offsetof(struct acl_key6, dst) : offsetof(struct acl_key4, dst);
	uint32_t ports = v6 ? offsetof(struct acl_key6, sport) : offsetof(struct acl_key4, sport);
	uint32_t mark = v6 ? offsetof(struct acl_key6, mark) : offsetof(struct acl_key4, mark);

	acl_def(d, &n, RTE_ACL_FIELD_TYPE_BITMASK, 1, in++, 0);
	acl_def(d, &n, RTE_ACL_FIELD_TYPE_BITMASK, 4, in++, 4);
	for (unsigned int i = 0; i < words; i++)
		acl_def(d, &n, RTE_ACL_FIELD_TYPE_MASK, 4, in++, src + 4 * i);
	for (unsigned int i = 0; i < words; i++)
		acl_def(d, &n, RTE_ACL_FIELD_TYPE_MASK, 4, in++, dst + 4 * i);
	acl_def(d, &n, RTE_ACL_FIELD_TYPE_BITMASK, 2, in, ports);
	acl_def(d, &n, RTE_ACL_FIELD_TYPE_BITMASK, 2, in++, ports + 2);
	acl_def(d, &n, RTE_ACL_FIELD_TYPE_BITMASK, 4, in++, mark);
	acl_def(d, &n, RTE_ACL_FIELD_TYPE_BITMASK, 4, in++, mark + 4);
	return n;
}

/* Per-word prefix lengths of an address prefix: MASK fields. */
static void set_prefix(struct rte_acl_field *f, const void *addr, unsigned int plen,
		       unsigned int words)
{
	for (unsigned int i = 0; i < words; i++) {
		uint32_t w, bits = plen > 32 * i ? plen - 32 * i : 0;

		if (bits > 32)
			bits = 32;
		memcpy(&w, (const uint8_t *)addr + 4 * i, 4);
		w = ntohl(w);
		f[i].value.u32 = bits ? w & (uint32_t)(~0ull << (32 - bits)) : 0;
		f[i].mask_range.u32 = bits;
	}
}

static void fill_rule(struct acl_rule *r, const struct xfrm_policy *p, uint32_t rank, bool v6)
{
	const struct xfrm_selector *s = &p->sel;
	unsigned int words = v6 ? 4 : 1, n = 2;
	struct rte_acl_field *f = r->field;

	memset(r, 0, sizeof(*r));
	r->data.category_mask = 1;
	r->data.priority = (int32_t)(RTE_ACL_MAX_PRIORITY - rank);
	r->data.userdata = rank + 1;
	f[0].value.u8 = s->proto;
	f[0].mask_range.u8 = s->proto ? 0xff : 0;
	f[1].value.u32 = (uint32_t)s->ifindex;
	f[1].mask_range.u32 = s->ifindex ? ~0u : 0;
	set_prefix(&f[n], &s->saddr, s->prefixlen_s, words);
	n += words;
	set_prefix(&f[n], &s->daddr, s->prefixlen_d, words);
	n += words;
	f[n].value.u16 = ntohs(s->sport) & ntohs(s->sport_mask);
	f[n++].mask_range.u16 = ntohs(s->sport_mask);
	f[n].value.u16 = ntohs(s->dport) & ntohs(s->dport_mask);
	f[n++].mask_range.u16 = ntohs(s->dport_mask);
	f[n].value.u32 = p->mark.v;
	f[n++].mask_range.u32 = p->mark.m;
	f[n].value.u32 = p->if_id;
	f[n].mask_range.u32 = ~0u;
}

static int by_rank(const void *a, const void *b)
{
	const struct xfrm_policy *x = *(struct xfrm_policy *const *)a;
	const struct xfrm_policy *y = *(struct xfrm_policy *const *)b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Can this policy ever match a packet (data path sees MAIN only)? */
static bool acl_candidate(const struct xfrm_policy *p, uint8_t dir, int fam)
{
	return p->dir == dir && sa_family_idx(p->sel.family) == fam &&
	       p->type == XFRM_POLICY_TYPE_MAIN && !(p->mark.v & ~p->mark.m);
}

static int acl_build(struct spd *spd, struct spd_table *t, bool v6)
{
	struct rte_acl_config cfg = { .num_categories = 1 };
	char name[RTE_ACL_NAMESIZE];
	struct rte_acl_param prm = {
		.name = name,
		.socket_id = spd->socket_id,
		.rule_size = RTE_ACL_RULE_SZ(v6 ? ACL_FIELDS6 : ACL_FIELDS4),
		.max_rule_num = t->n,
	};
	uint8_t *rules;
	int rc;

	snprintf(name, sizeof(name), "%s_%u", spd->name, ++spd->acl_gen);
	cfg.num_fields = acl_defs(cfg.defs, v6);
	rules = calloc(t->n, prm.rule_size);
	if (!rules)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->n; i++) {
		struct acl_rule r;

		fill_rule(&r, t->pols[i], i, v6);
		memcpy(rules + (size_t)i * prm.rule_size, &r, prm.rule_size);
	}
	t->ctx = rte_acl_create(&prm);
	if (!t->ctx) {
		free(rules);
		return -ENOMEM;
	}
	rc = rte_acl_add_rules(t->ctx, (const struct rte_acl_rule *)rules, t->n);
	if (!rc)
		rc = rte_acl_build(t->ctx, &cfg);
	free(rules);
	if (rc) {
		rte_acl_free(t->ctx);
		t->ctx = NULL;
	}
	return rc;
}

static struct spd_table *table_build(struct spd *spd, uint8_t dir, int fam, int *err)
{
	struct sa_list_node *n;
	struct spd_table *t;
	uint32_t cnt = 0;

	for (n = spd->all.next; n != &spd->all; n = n->next)
		if (!n->marker && acl_candidate(sa_container_of(n, struct xfrm_policy, all), dir, fam))
			cnt++;
	t = calloc(1, sizeof(*t) + cnt * sizeof(t->pols[0]));
	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	for (n = spd->all.next; n != &spd->all; n = n->next) {
		struct xfrm_policy *p = sa_container_of(n, struct xfrm_policy, all);

		if (!n->marker && acl_candidate(p, dir, fam))
			t->pols[t->n++] = p;
	}
	qsort(t->pols, t->n, sizeof(t->pols[0]), by_rank);
	if (t->n) {
		*err = acl_build(spd, t, fam);
		if (*err) {
			free(t);
			return NULL;
		}
	}
	for (uint32_t i = 0; i < t->n; i++)
		policy_hold(t->pols[i]);
	return t;
}

int spd_publish(struct spd *spd)
{
	int rc = 0;

	pthread_mutex_lock(&spd->lock);
	for (uint8_t d = 0; d < XFRM_POLICY_MAX; d++) {
		for (int f = 0; f < 2; f++) {
			struct spd_table *t, *old;
			int err = 0;

			if (!spd->dirty[d][f])
				continue;
			t = table_build(spd, d, f, &err);
			if (!t) {
				rc = err;
				continue;
			}
			old = spd->tables[d][f];
			__atomic_store_n(&spd->tables[d][f], t, __ATOMIC_RELEASE);
			spd->dirty[d][f] = false;
			if (old)
				sa_rcu_defer(spd->rcu, table_free, old);
		}
	}
	pthread_mutex_unlock(&spd->lock);
	sa_rcu_reclaim(spd->rcu);
	return rc;
}

/* ---- data path ---- */

static void flow_key4(struct acl_key4 *k, const struct spd_flow *f)
{
	memset(k, 0, sizeof(*k));
	k->proto = f->proto;
	k->ifindex = htonl(f->ifindex);
	memcpy(&k->src, &f->saddr, 4);
	memcpy(&k->dst, &f->daddr, 4);
	k->sport = f->sport;
	k->dport = f->dport;
	k->mark = htonl(f->mark);
	k->if_id = htonl(f->if_id);
}

static void flow_key6(struct acl_key6 *k, const struct spd_flow *f)
{
	memset(k, 0, sizeof(*k));
	k->proto = f->proto;
	k->ifindex = htonl(f->ifindex);
	memcpy(k->src, &f->saddr, 16);
	memcpy(k->dst, &f->daddr, 16);
	k->sport = f->sport;
	k->dport = f->dport;
	k->mark = htonl(f->mark);
	k->if_id = htonl(f->if_id);
}

/*
 * ACL result -> policy. A policy unlinked since the build still answers: the
 * published table is the rule set readers use until its replacement is
 * published (it holds a reference, freed after a grace period), so a
 * replaced policy is seen as itself or as its replacement, never as a gap.
 */
static inline struct xfrm_policy *resolve(const struct spd_table *t, uint32_t res)
{
	return res ? t->pols[res - 1] : NULL;
}

struct xfrm_policy *spd_lookup(const struct spd *spd, uint8_t dir, const struct spd_flow *f)
{
	struct spd_table *t;
	union {
		struct acl_key4 k4;
		struct acl_key6 k6;
	} k;
	const uint8_t *data[1] = { (const uint8_t *)&k };
	uint32_t res = 0;

	if (unlikely(dir >= XFRM_POLICY_MAX))
		return NULL;
	t = __atomic_load_n(&spd->tables[dir][sa_family_idx(f->family)], __ATOMIC_ACQUIRE);
	if (!t || !t->ctx)
		return NULL;
	if (f->family == AF_INET6)
		flow_key6(&k.k6, f);
	else
		flow_key4(&k.k4, f);
	rte_acl_classify(t->ctx, data, &res, 1, 1);
	return resolve(t, res);
}

void spd_lookup_burst(const struct spd *spd, uint8_t dir, uint16_t family,
		      const struct spd_flow *flows, unsigned int n, struct xfrm_policy **out)
{
	union {
		struct acl_key4 k4;
		struct acl_key6 k6;
	} k[SPD_BURST_MAX];
	const uint8_t *data[SPD_BURST_MAX];
	uint32_t res[SPD_BURST_MAX];
	struct spd_table *t;

	if (unlikely(dir >= XFRM_POLICY_MAX) || n > SPD_BURST_MAX) {
		memset(out, 0, n * sizeof(*out));
		return;
	}
	t = __atomic_load_n(&spd->tables[dir][sa_family_idx(family)], __ATOMIC_ACQUIRE);
	if (!t || !t->ctx) {
		memset(out, 0, n * sizeof(*out));
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (family == AF_INET6)
			flow_key6(&k[i].k6, &flows[i]);
		else
			flow_key4(&k[i].k4, &flows[i]);
		data[i] = (const uint8_t *)&k[i];
	}
	rte_acl_classify(t->ctx, data, res, n, 1);
	for (unsigned int i = 0; i < n; i++)
		out[i] = resolve(t, res[i]);
}
