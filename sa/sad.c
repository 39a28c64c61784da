/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SAD: lock-free rte_hash indexes for the data path, a mutex and a list
 * for the control plane. Chains behind a hash entry are RCU lists: a new SA
 * is published at the head with a release store (rte_hash updates the data
 * atomically in lock-free mode), an unlinked SA keeps its next pointer so a
 * reader standing on it still walks on.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>

#include <linux/ipsec.h>

#include "sa/internal.h"


struct in_hkey {
	uint8_t daddr[16];
	uint32_t spi;
	uint16_t family;
	uint8_t proto;
	uint8_t pad;
};

struct out_hkey {
	uint8_t saddr[16];
	uint8_t daddr[16];
	uint32_t reqid;
	uint16_t family;
	uint8_t proto;
	uint8_t mode;
};

static uint64_t realtime_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec;
}

uint64_t sad_now(const struct sad *sad)
{
	return sad->clock();
}

static void make_in_key(struct in_hkey *k, const xfrm_address_t *daddr, uint16_t family,
			uint32_t spi, uint8_t proto)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->daddr, daddr, sa_addr_len(family));
	k->spi = spi;
	k->family = family;
	k->proto = proto;
}

static void make_out_key(struct out_hkey *k, const xfrm_address_t *saddr,
			 const xfrm_address_t *daddr, uint16_t family, uint32_t reqid,
			 uint8_t proto, uint8_t mode)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->saddr, saddr, sa_addr_len(family));
	memcpy(k->daddr, daddr, sa_addr_len(family));
	k->reqid = reqid;
	k->family = family;
	k->proto = proto;
	k->mode = mode;
}

struct sad *sad_create(const struct sad_config *cfg)
{
	struct sad *sad;
	char tname[16];
	uint32_t max;

	if (!cfg || !cfg->rcu || !cfg->name)
		return NULL;
	sad = calloc(1, sizeof(*sad));
	if (!sad)
		return NULL;
	max = cfg->max_sa ? cfg->max_sa : SAD_DEFAULT_MAX;
	snprintf(sad->name, sizeof(sad->name), "%s", cfg->name);
	sad->rcu = cfg->rcu;
	sad->clock = cfg->clock ? cfg->clock : realtime_clock;
	sad->max = max;
	pthread_mutex_init(&sad->lock, NULL);
	sa_list_init(&sad->all);
	sa_list_init(&sad->larval);
	snprintf(tname, sizeof(tname), "%.6si", cfg->name);
	if (sa_table_init(&sad->in, tname, sizeof(struct in_hkey), SAD_FIRST_CAPACITY, max,
			  rte_jhash, cfg->socket_id, sad->rcu))
		goto no_in;
	tname[strlen(tname) - 1] = 'o';
	if (sa_table_init(&sad->out, tname, sizeof(struct out_hkey), SAD_FIRST_CAPACITY, max,
			  rte_jhash, cfg->socket_id, sad->rcu))
		goto no_out;
	return sad;

no_out:
	sa_table_fini(&sad->in);
no_in:
	pthread_mutex_destroy(&sad->lock);
	free(sad);
	return NULL;
}

void sad_destroy(struct sad *sad)
{
	if (!sad)
		return;
	sad_flush(sad, 0);
	sa_rcu_barrier(sad->rcu);
	sa_table_fini(&sad->in);
	sa_table_fini(&sad->out);
	pthread_mutex_destroy(&sad->lock);
	free(sad);
}

/* ---- RCU chains ---- */

static struct xfrm_sa **chain_next(struct xfrm_sa *sa, bool in)
{
	return in ? &sa->spi_next : &sa->out_next;
}

static struct xfrm_sa *chain_head(const struct sa_table *t, const void *key)
{
	return sa_table_lookup(t, key);
}

static int chain_push(struct sa_table *t, const void *key, struct xfrm_sa *sa, bool in)
{
	struct xfrm_sa *head = chain_head(t, key);

	__atomic_store_n(chain_next(sa, in), head, __ATOMIC_RELEASE);
	return sa_table_set(t, key, sa) < 0 ? -ENOSPC : 0;
}

static void chain_remove(struct sa_table *t, const void *key, struct xfrm_sa *sa, bool in)
{
	struct xfrm_sa *p = chain_head(t, key), *next = *chain_next(sa, in);

	if (p == sa) {
		if (next)
			sa_table_set(t, key, next);	/* a key already there: no room needed */
		else
			sa_table_del(t, key);
		return;
	}
	for (; p; p = *chain_next(p, in)) {
		if (*chain_next(p, in) == sa) {
			__atomic_store_n(chain_next(p, in), next, __ATOMIC_RELEASE);
			return;
		}
	}
}

static bool uses_out_index(const struct xfrm_sa *sa)
{
	return sa->id.proto == IPPROTO_ESP || sa->id.proto == IPPROTO_AH ||
	       sa->id.proto == IPPROTO_COMP;
}

int sad_hash_insert_locked(struct sad *sad, struct xfrm_sa *sa)
{
	struct in_hkey ik;
	struct out_hkey ok;
	int rc;

	make_in_key(&ik, &sa->id.daddr, sa->family, sa->id.spi, sa->id.proto);
	rc = chain_push(&sad->in, &ik, sa, true);
	if (rc)
		return rc;
	sa->hashed = true;
	if (!uses_out_index(sa))
		return 0;
	make_out_key(&ok, &sa->saddr, &sa->id.daddr, sa->family, sa->reqid, sa->id.proto,
		     sa->mode);
	rc = chain_push(&sad->out, &ok, sa, false);
	if (rc) {
		chain_remove(&sad->in, &ik, sa, true);
		sa->hashed = false;
	}
	return rc;
}

static void hash_remove_locked(struct sad *sad, struct xfrm_sa *sa)
{
	struct in_hkey ik;
	struct out_hkey ok;

	if (!sa->hashed)
		return;
	sa->hashed = false;
	make_in_key(&ik, &sa->id.daddr, sa->family, sa->id.spi, sa->id.proto);
	chain_remove(&sad->in, &ik, sa, true);
	if (uses_out_index(sa)) {
		make_out_key(&ok, &sa->saddr, &sa->id.daddr, sa->family, sa->reqid,
			     sa->id.proto, sa->mode);
		chain_remove(&sad->out, &ok, sa, false);
	}
}

static void deferred_put(void *arg)
{
	sa_put(arg);
}

void sad_unlink_locked(struct sad *sad, struct xfrm_sa *sa)
{
	if (sa->sad != sad)
		return;
	hash_remove_locked(sad, sa);
	sa_list_del(&sa->all);
	if (sa_list_linked(&sa->larval))
		sa_list_del(&sa->larval);
	__atomic_store_n(&sa->state, SA_STATE_DEAD, __ATOMIC_RELEASE);
	sa->sad = NULL;
	sad->count--;
	sa_rcu_defer(sad->rcu, deferred_put, sa);
}

/*
 * The kernel's __xfrm_state_lookup: same (daddr, spi, proto, family) and
 * (mark & sa.mark.m) == sa.mark.v. if_id narrows the match when non-zero.
 */
struct xfrm_sa *sad_locate_locked(struct sad *sad, const xfrm_address_t *daddr,
				  uint16_t family, uint32_t spi, uint8_t proto,
				  uint32_t mark, uint32_t if_id, bool any_mark)
{
	struct in_hkey k;

	make_in_key(&k, daddr, family, spi, proto);
	for (struct xfrm_sa *sa = chain_head(&sad->in, &k); sa; sa = sa->spi_next) {
		if (any_mark)
			return sa;
		if ((mark & sa->mark.m) == sa->mark.v && (!if_id || sa->if_id == if_id))
			return sa;
	}
	return NULL;
}

/* ---- data path ---- */

/* As sad_locate_locked: if_id 0 matches any (xfrm_input's lookup has no if_id). */
static struct xfrm_sa *chain_match_in(struct xfrm_sa *sa, uint32_t mark, uint32_t if_id)
{
	for (; sa; sa = __atomic_load_n(&sa->spi_next, __ATOMIC_ACQUIRE))
		if ((mark & sa->mark.m) == sa->mark.v && (!if_id || sa->if_id == if_id))
			return sa;
	return NULL;
}

struct xfrm_sa *sad_lookup_in(const struct sad *sad, const xfrm_address_t *daddr,
			      uint16_t family, uint32_t spi, uint8_t proto,
			      uint32_t mark, uint32_t if_id)
{
	struct in_hkey k;

	make_in_key(&k, daddr, family, spi, proto);
	return chain_match_in(sa_table_lookup(&sad->in, &k), mark, if_id);
}

void sad_lookup_in_burst(const struct sad *sad, const struct sad_in_key *keys,
			 unsigned int n, struct xfrm_sa **out)
{
	struct in_hkey k[SAD_BURST_MAX];
	const void *kp[SAD_BURST_MAX];
	void *data[SAD_BURST_MAX];

	while (n) {
		unsigned int m = n > SAD_BURST_MAX ? SAD_BURST_MAX : n;

		for (unsigned int i = 0; i < m; i++) {
			make_in_key(&k[i], &keys[i].daddr, keys[i].family, keys[i].spi,
				    keys[i].proto);
			kp[i] = &k[i];
		}
		sa_table_lookup_bulk(&sad->in, kp, m, data);
		for (unsigned int i = 0; i < m; i++)
			out[i] = chain_match_in(data[i], keys[i].mark, keys[i].if_id);
		keys += m;
		out += m;
		n -= m;
	}
}

/* xfrm_state_look_at(): prefer not dying, then the newest. */
static bool better_out(const struct xfrm_sa *best, const struct xfrm_sa *sa)
{
	bool bd = __atomic_load_n(&best->ev_raised, __ATOMIC_RELAXED) & SA_EV_SOFT;
	bool sd = __atomic_load_n(&sa->ev_raised, __ATOMIC_RELAXED) & SA_EV_SOFT;

	if (bd != sd)
		return bd;
	if (best->curlft.add_time != sa->curlft.add_time)
		return sa->curlft.add_time > best->curlft.add_time;
	return sa->serial > best->serial;
}

struct xfrm_sa *sad_lookup_out(const struct sad *sad, const struct sad_out_key *key)
{
	struct xfrm_sa *sa, *best = NULL;
	struct out_hkey k;

	make_out_key(&k, &key->saddr, &key->daddr, key->family, key->reqid, key->proto,
		     key->mode);
	for (sa = sa_table_lookup(&sad->out, &k); sa; sa = __atomic_load_n(&sa->out_next, __ATOMIC_ACQUIRE)) {
		if (!sa_is_valid(sa) || !sa_mark_match(sa, key->mark, key->if_id))
			continue;
		if (key->spi && sa->id.spi != key->spi)
			continue;
		if (!best || better_out(best, sa))
			best = sa;
	}
	return best;
}

/* ---- control plane ---- */

static int check_new(const struct xfrm_sa *sa)
{
	if (sa->family != AF_INET && sa->family != AF_INET6)
		return -EINVAL;
	if ((sa->id.proto == IPPROTO_ESP || sa->id.proto == IPPROTO_AH) && !sa->id.spi)
		return -EINVAL;
	if (!uses_out_index(sa))
		return -EINVAL;
	return 0;
}

static void ae_snapshot(struct xfrm_sa *sa);

/* Link a new SA (lock held, checks done): the SAD takes a reference. */
int sad_insert_locked(struct sad *sad, struct xfrm_sa *sa, enum sa_state state)
{
	int rc;

	if (sad->count >= sad->max)
		return -ENOSPC;
	sa->state = state;
	sa->curlft.add_time = sad->clock();
	sa->serial = ++sad->serial;
	sa->sad = sad;
	ae_snapshot(sa);	/* seeded counters are not news */
	sa->all.marker = false;
	if (state != SA_STATE_ACQ || sa->id.spi) {
		rc = sad_hash_insert_locked(sad, sa);
		if (rc) {
			sa->sad = NULL;
			sa->state = SA_STATE_VOID;
			return rc;
		}
	}
	sa_hold(sa);
	sa_list_add_tail(&sad->all, &sa->all);
	if (state == SA_STATE_ACQ)
		sa_list_add_tail(&sad->larval, &sa->larval);
	sad->count++;
	return 0;
}

/* xfrm_state_add(): the SA an ACQUIRE waited for replaces its larval SA. */
static int add_answering_locked(struct sad *sad, struct xfrm_sa *sa)
{
	struct xfrm_sa *larval = sad_larval_answered_locked(sad, sa);
	int rc = sad_insert_locked(sad, sa, SA_STATE_VALID);

	if (!rc && larval)
		sad_unlink_locked(sad, larval);
	return rc;
}

int sad_add(struct sad *sad, struct xfrm_sa *sa)
{
	int rc = check_new(sa);

	if (rc)
		return rc;
	pthread_mutex_lock(&sad->lock);
	if (sa->sad)
		rc = -EEXIST;
	else if (sad_locate_locked(sad, &sa->id.daddr, sa->family, sa->id.spi, sa->id.proto,
				   sa->mark.v & sa->mark.m, 0, false))
		rc = -EEXIST;
	else
		rc = add_answering_locked(sad, sa);
	pthread_mutex_unlock(&sad->lock);
	sa_rcu_reclaim(sad->rcu);
	return rc;
}

/* xfrm_state_update() on a VALID SA: what may change in place. */
static int merge_valid(struct xfrm_sa *x1, const struct xfrm_sa *x)
{
	if (x->has_encap && x1->has_encap && x->encap.encap_type == x1->encap.encap_type)
		x1->encap = x->encap;
	else if (x->has_encap || x1->has_encap)
		return -EINVAL;
	if (x->has_coaddr && x1->has_coaddr)
		x1->coaddr = x->coaddr;
	x1->lft = x->lft;
	__atomic_fetch_and(&x1->ev_raised, ~SA_EV_SOFT, __ATOMIC_RELAXED);
	x1->ev_delivered &= ~SA_EV_SOFT;
	if (x->has_smark || x->smark.m || x->smark.v || x->if_id) {
		x1->smark = x->smark;
		x1->has_smark = x->has_smark;
		if (x->if_id)
			x1->if_id = x->if_id;
	}
	return 0;
}

int sad_update(struct sad *sad, struct xfrm_sa *sa, struct xfrm_sa **result)
{
	struct xfrm_sa *x1;
	int rc = check_new(sa);

	if (rc)
		return rc;
	pthread_mutex_lock(&sad->lock);
	x1 = sad_locate_locked(sad, &sa->id.daddr, sa->family, sa->id.spi, sa->id.proto,
			       sa->mark.v & sa->mark.m, 0, false);
	if (!x1) {
		rc = -ESRCH;
	} else if (sa_state_get(x1) == SA_STATE_ACQ) {
		sad_unlink_locked(sad, x1);
		rc = sad_insert_locked(sad, sa, SA_STATE_VALID);
		x1 = sa;
	} else if (sa_state_get(x1) == SA_STATE_VALID) {
		rc = merge_valid(x1, sa);
	} else {
		rc = -EINVAL;
	}
	if (!rc && result) {
		sa_hold(x1);
		*result = x1;
	}
	pthread_mutex_unlock(&sad->lock);
	sa_rcu_reclaim(sad->rcu);
	return rc;
}

int sad_get(struct sad *sad, const xfrm_address_t *daddr, uint16_t family, uint32_t spi,
	    uint8_t proto, uint32_t mark, uint32_t if_id, struct xfrm_sa **out)
{
	struct xfrm_sa *sa;

	pthread_mutex_lock(&sad->lock);
	sa = sad_locate_locked(sad, daddr, family, spi, proto, mark, if_id, false);
	if (sa)
		sa_hold(sa);
	pthread_mutex_unlock(&sad->lock);
	*out = sa;
	return sa ? 0 : -ESRCH;
}

int sad_delete(struct sad *sad, const xfrm_address_t *daddr, uint16_t family, uint32_t spi,
	       uint8_t proto, uint32_t mark, uint32_t if_id, struct xfrm_sa **deleted)
{
	struct xfrm_sa *sa;

	pthread_mutex_lock(&sad->lock);
	sa = sad_locate_locked(sad, daddr, family, spi, proto, mark, if_id, false);
	if (sa) {
		if (deleted) {
			sa_hold(sa);
			*deleted = sa;
		}
		sad_unlink_locked(sad, sa);
	}
	pthread_mutex_unlock(&sad->lock);
	sa_rcu_reclaim(sad->rcu);
	return sa ? 0 : -ESRCH;
}

int sad_delete_sa(struct sad *sad, struct xfrm_sa *sa)
{
	int rc = -ESRCH;

	pthread_mutex_lock(&sad->lock);
	if (sa->sad == sad) {
		sad_unlink_locked(sad, sa);
		rc = 0;
	}
	pthread_mutex_unlock(&sad->lock);
	sa_rcu_reclaim(sad->rcu);
	return rc;
}

static bool proto_match(uint8_t proto, uint8_t want)
{
	if (want == 0 || want == IPSEC_PROTO_ANY)
		return proto == IPPROTO_ESP || proto == IPPROTO_AH || proto == IPPROTO_COMP;
	return proto == want;
}

unsigned int sad_flush(struct sad *sad, uint8_t proto)
{
	struct sa_list_node *n, *next;
	unsigned int count = 0;

	pthread_mutex_lock(&sad->lock);
	for (n = sad->all.next; n != &sad->all; n = next) {
		struct xfrm_sa *sa = sa_container_of(n, struct xfrm_sa, all);

		next = n->next;
		if (n->marker || !proto_match(sa->id.proto, proto))
			continue;
		sad_unlink_locked(sad, sa);
		count++;
	}
	pthread_mutex_unlock(&sad->lock);
	sa_rcu_reclaim(sad->rcu);
	return count;
}

/* ---- dumps ---- */

void sad_cursor_init(struct sad_cursor *c, uint8_t proto,
		     const struct xfrm_address_filter *filter)
{
	memset(c, 0, sizeof(*c));
	c->marker.marker = true;
	c->proto = proto;
	c->filter = filter;
}

static bool prefix_match(const xfrm_address_t *a, const xfrm_address_t *p, unsigned int plen,
			 uint16_t family)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)p;
	unsigned int max = family == AF_INET6 ? 128 : 32, full;

	if (plen > max)
		plen = max;
	full = plen / 8;
	if (memcmp(x, y, full))
		return false;
	if (plen % 8) {
		uint8_t m = (uint8_t)(0xff00 >> (plen % 8));

		return ((x[full] ^ y[full]) & m) == 0;
	}
	return true;
}

static bool filter_match(const struct xfrm_sa *sa, const struct sad_cursor *c)
{
	const struct xfrm_address_filter *f = c->filter;

	if (!proto_match(sa->id.proto, c->proto))
		return false;
	if (!f)
		return true;
	if (f->family != AF_UNSPEC && f->family != sa->family)
		return false;
	return prefix_match(&sa->saddr, &f->saddr, f->splen, sa->family) &&
	       prefix_match(&sa->id.daddr, &f->daddr, f->dplen, sa->family);
}

int sad_walk(struct sad *sad, struct sad_cursor *c,
	     int (*cb)(struct xfrm_sa *sa, void *arg), void *arg)
{
	struct sa_list_node *n;

	pthread_mutex_lock(&sad->lock);
	if (c->done) {
		pthread_mutex_unlock(&sad->lock);
		return 0;
	}
	c->marker.marker = true;
	n = c->linked ? c->marker.next : sad->all.next;
	for (; n != &sad->all; n = n->next) {
		struct xfrm_sa *sa = sa_container_of(n, struct xfrm_sa, all);

		if (n->marker || !filter_match(sa, c))
			continue;
		if (cb(sa, arg)) {
			if (c->linked)
				sa_list_del(&c->marker);
			sa_list_add_tail(n, &c->marker);
			c->linked = true;
			pthread_mutex_unlock(&sad->lock);
			return 1;
		}
	}
	if (c->linked)
		sa_list_del(&c->marker);
	c->linked = false;
	c->done = true;
	pthread_mutex_unlock(&sad->lock);
	return 0;
}

void sad_cursor_done(struct sad *sad, struct sad_cursor *c)
{
	pthread_mutex_lock(&sad->lock);
	if (c->linked)
		sa_list_del(&c->marker);
	c->linked = false;
	c->done = true;
	pthread_mutex_unlock(&sad->lock);
}

void sad_get_info(struct sad *sad, struct sad_info *info)
{
	pthread_mutex_lock(&sad->lock);
	info->sadcnt = sad->count;
	info->sadhcnt = sad->in.cap;
	info->sadhmcnt = sad->max;
	pthread_mutex_unlock(&sad->lock);
}

/* ---- async events (NEWAE) ---- */

static uint64_t ae_in_seq(const struct xfrm_sa *sa)
{
	return sa->replay ? __atomic_load_n(&sa->replay->top, __ATOMIC_RELAXED) : 0;
}

static uint64_t ae_out_seq(const struct xfrm_sa *sa)
{
	return __atomic_load_n(&sa->oseq, __ATOMIC_RELAXED);
}

static void ae_snapshot(struct xfrm_sa *sa)
{
	sa->ae.seq = ae_in_seq(sa);
	sa->ae.oseq = ae_out_seq(sa);
}

/* xfrm_replay_notify(): the event owed by this SA at now (lock held), 0 if none. */
static uint32_t ae_owed(struct xfrm_sa *sa, uint64_t now)
{
	struct sa_aevent_state *ae = &sa->ae;
	uint64_t seq = ae_in_seq(sa), oseq = ae_out_seq(sa);
	bool moved = seq != ae->seq || oseq != ae->oseq;
	uint32_t ev = 0;

	if (sa->replay_maxage && !ae->due && !ae->defer)
		ae->due = now + sa->replay_maxage;		/* arm the timer */
	if (sa->replay_maxdiff &&
	    (seq - ae->seq >= sa->replay_maxdiff || oseq - ae->oseq >= sa->replay_maxdiff))
		ev = XFRM_AE_CR;
	else if (moved && ae->defer)
		ev = XFRM_AE_CE;
	else if (ae->due && now >= ae->due && !ae->defer) {
		if (moved)
			ev = XFRM_AE_CE;
		else
			ae->defer = true;			/* nothing new: timer stops */
	}
	if (!ev)
		return 0;
	ae->seq = seq;
	ae->oseq = oseq;
	ae->defer = false;
	ae->due = sa->replay_maxage ? now + sa->replay_maxage : 0;
	return ev;
}

struct ae_pending {
	struct xfrm_sa *sa;
	uint32_t flags;
};

unsigned int sad_aevent_tick(struct sad *sad, uint64_t now,
			     void (*cb)(void *arg, struct xfrm_sa *sa, uint32_t flags),
			     void *arg)
{
	struct ae_pending *p = NULL;
	size_t n = 0, cap = 0;

	pthread_mutex_lock(&sad->lock);
	for (struct sa_list_node *e = sad->all.next; e != &sad->all; e = e->next) {
		struct xfrm_sa *sa = sa_container_of(e, struct xfrm_sa, all);
		uint32_t flags;

		if (e->marker || (!sa->replay_maxdiff && !sa->replay_maxage) || !sa_is_valid(sa))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct ae_pending *np = realloc(p, ncap * sizeof(*np));

			if (unlikely(!np))
				break;			/* the rest next tick */
			p = np;
			cap = ncap;
		}
		flags = ae_owed(sa, now);
		if (!flags)
			continue;
		sa_hold(sa);
		p[n].sa = sa;
		p[n++].flags = flags;
	}
	pthread_mutex_unlock(&sad->lock);
	for (size_t i = 0; i < n; i++) {
		cb(arg, p[i].sa, p[i].flags);
		sa_put(p[i].sa);
	}
	free(p);
	return (unsigned int)n;
}

void sad_aevent_sync(struct sad *sad, struct xfrm_sa *sa)
{
	pthread_mutex_lock(&sad->lock);
	ae_snapshot(sa);
	pthread_mutex_unlock(&sad->lock);
}
