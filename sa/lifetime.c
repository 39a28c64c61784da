/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lifetime checks and expiry events (RFC 4301 4.4.2.1). The data path only
 * raises bits (lifetime.h); here the control thread turns time into events,
 * delivers each event once, and removes what expired hard.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "sa/internal.h"
#include "sa/lifetime.h"

/* Has a limit of `limit` seconds counted from `since` run out at now? */
static bool seconds_up(uint64_t limit, uint64_t since, uint64_t now)
{
	return limit && now >= since + limit;
}

uint64_t sa_lifetime_now(const struct xfrm_sa *sa)
{
	struct timespec ts;

	if (sa->sad)
		return sad_now(sa->sad);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec;
}

/*
 * The burst reached a lifetime limit: go through its packets one by one as
 * sa_lifetime_account() would have, against the counters as they were
 * before the burst (pk0, by0). A packet met with the SA no longer VALID
 * (expired by an earlier packet, or by another thread) is refused before
 * it counts, so its share of the burst's update is taken back.
 */
void sa_lifetime_burst_limits(struct xfrm_sa *sa, uint8_t *status, const uint32_t *acct,
			      size_t stride, uint16_t n, uint8_t ok, uint8_t refused,
			      uint64_t pk0, uint64_t by0)
{
	const struct xfrm_lifetime_cfg *l = &sa->lft;
	uint64_t pk = pk0, by = by0, back_pk = 0, back_by = 0;

	for (uint16_t i = 0; i < n; i++) {
		uint8_t *st = &SA_LFT_STATUS(status, stride, i);
		uint32_t bytes = SA_LFT_ACCT(acct, stride, i);
		uint64_t old;

		if (*st != ok)
			continue;
		if (sa_state_get(sa) != SA_STATE_VALID) {
			*st = refused;
			back_pk++;
			back_by += bytes;
			continue;
		}
		pk++;
		old = by;
		by += bytes;
		if (pk > l->hard_packet_limit || old >= l->hard_byte_limit) {
			sa_lifetime_raise(sa, SA_EV_HARD);
			*st = refused;
		} else if (pk >= l->hard_packet_limit || by >= l->hard_byte_limit) {
			sa_lifetime_raise(sa, SA_EV_HARD);
		} else if (pk >= l->soft_packet_limit || by >= l->soft_byte_limit) {
			if (!(__atomic_load_n(&sa->ev_raised, __ATOMIC_RELAXED) & SA_EV_SOFT))
				sa_lifetime_raise(sa, SA_EV_SOFT);
		}
	}
	if (back_pk)
		sa_lifetime_unaccount(sa, back_pk, back_by);
}

uint32_t sa_lifetime_due(const struct xfrm_sa *sa, uint64_t now)
{
	const struct xfrm_lifetime_cfg *l = &sa->lft;
	uint64_t add = sa->curlft.add_time;
	uint64_t use = __atomic_load_n(&sa->curlft.use_time, __ATOMIC_RELAXED);
	uint32_t ev = 0;

	if (!use)
		use = now;	/* the use clock starts at the first packet */
	if (seconds_up(l->hard_add_expires_seconds, add, now) ||
	    seconds_up(l->hard_use_expires_seconds, use, now))
		ev |= SA_EV_HARD;
	if (seconds_up(l->soft_add_expires_seconds, add, now) ||
	    seconds_up(l->soft_use_expires_seconds, use, now))
		ev |= SA_EV_SOFT;
	return ev;
}

uint32_t policy_lifetime_due(const struct xfrm_policy *pol, uint64_t now)
{
	const struct xfrm_lifetime_cfg *l = &pol->lft;
	uint64_t add = pol->curlft.add_time;
	uint64_t use = __atomic_load_n(&pol->curlft.use_time, __ATOMIC_RELAXED);
	uint32_t ev = 0;

	if (!use)
		use = add;	/* kernel: an unused policy idles since its add */
	if (seconds_up(l->hard_add_expires_seconds, add, now) ||
	    seconds_up(l->hard_use_expires_seconds, use, now))
		ev |= SA_EV_HARD;
	if (seconds_up(l->soft_add_expires_seconds, add, now) ||
	    seconds_up(l->soft_use_expires_seconds, use, now))
		ev |= SA_EV_SOFT;
	return ev;
}

void sad_set_event_ops(struct sad *sad, const struct sa_event_ops *ops, void *arg)
{
	pthread_mutex_lock(&sad->lock);
	sad->ops = ops;
	sad->ops_arg = arg;
	pthread_mutex_unlock(&sad->lock);
}

void spd_set_event_ops(struct spd *spd, const struct sa_event_ops *ops, void *arg)
{
	pthread_mutex_lock(&spd->lock);
	spd->ops = ops;
	spd->ops_arg = arg;
	pthread_mutex_unlock(&spd->lock);
}

/* Events to deliver once the lock is dropped. */
struct pending {
	void **obj;
	bool *hard;
	size_t n, cap;
};

static bool pending_add(struct pending *p, void *obj, bool hard)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		void **o = realloc(p->obj, cap * sizeof(*o));
		bool *h;

		if (!o)
			return false;
		p->obj = o;
		h = realloc(p->hard, cap * sizeof(*h));
		if (!h)
			return false;
		p->hard = h;
		p->cap = cap;
	}
	p->obj[p->n] = obj;
	p->hard[p->n] = hard;
	p->n++;
	return true;
}

static void pending_free(struct pending *p)
{
	free(p->obj);
	free(p->hard);
}

/*
 * Of the events raised, those not yet told: a hard one supersedes a soft one
 * (which is then never told). Marks them delivered.
 */
static uint32_t ev_take(uint32_t raised, uint32_t *delivered)
{
	uint32_t owed = raised & ~*delivered;

	if (owed & SA_EV_HARD)
		owed = SA_EV_HARD;
	*delivered |= owed | (owed & SA_EV_HARD ? SA_EV_SOFT : 0);
	return owed;
}

/*
 * Which event is owed for this SA now (lock held): a hard one supersedes a
 * soft one not yet told. Marks it delivered. 0 if none.
 */
static uint32_t sa_owed(struct xfrm_sa *sa, uint64_t now)
{
	uint32_t due = sa_lifetime_due(sa, now);

	if (due)
		sa_lifetime_raise(sa, due);
	return ev_take(__atomic_load_n(&sa->ev_raised, __ATOMIC_ACQUIRE), &sa->ev_delivered);
}

unsigned int sad_tick(struct sad *sad)
{
	struct pending p = { 0 };
	struct sa_list_node *n;
	uint64_t now = sad->clock();

	pthread_mutex_lock(&sad->lock);
	for (n = sad->all.next; n != &sad->all; n = n->next) {
		struct xfrm_sa *sa = sa_container_of(n, struct xfrm_sa, all);
		uint32_t owed;

		if (n->marker)
			continue;
		owed = sa_owed(sa, now);
		if (!owed)
			continue;
		if (!pending_add(&p, sa, owed & SA_EV_HARD)) {
			sa->ev_delivered &= ~owed;	/* try again next tick */
			break;
		}
		sa_hold(sa);
	}
	pthread_mutex_unlock(&sad->lock);

	for (size_t i = 0; i < p.n; i++) {
		if (sad->ops && sad->ops->sa_expire)
			sad->ops->sa_expire(sad->ops_arg, p.obj[i], p.hard[i]);
	}
	pthread_mutex_lock(&sad->lock);
	for (size_t i = 0; i < p.n; i++)
		if (p.hard[i])
			sad_unlink_locked(sad, p.obj[i]);
	pthread_mutex_unlock(&sad->lock);
	for (size_t i = 0; i < p.n; i++)
		sa_put(p.obj[i]);
	pending_free(&p);
	sa_rcu_reclaim(sad->rcu);
	return (unsigned int)p.n;
}

int sad_expire(struct sad *sad, struct xfrm_sa *sa, bool hard)
{
	pthread_mutex_lock(&sad->lock);
	if (sa->sad != sad) {
		pthread_mutex_unlock(&sad->lock);
		return -ESRCH;
	}
	if (sa_state_get(sa) != SA_STATE_VALID) {
		pthread_mutex_unlock(&sad->lock);
		return -EINVAL;
	}
	sa_lifetime_raise(sa, hard ? SA_EV_HARD : SA_EV_SOFT);
	sa->ev_delivered |= hard ? SA_EV_HARD | SA_EV_SOFT : SA_EV_SOFT;
	sa_hold(sa);
	pthread_mutex_unlock(&sad->lock);
	if (sad->ops && sad->ops->sa_expire)
		sad->ops->sa_expire(sad->ops_arg, sa, hard);
	if (hard)
		sad_delete_sa(sad, sa);
	sa_put(sa);
	return 0;
}

static uint32_t policy_owed(struct xfrm_policy *pol, uint64_t now)
{
	return ev_take(policy_lifetime_due(pol, now), &pol->ev_delivered);
}

unsigned int spd_tick(struct spd *spd)
{
	struct pending p = { 0 };
	struct sa_list_node *n;
	uint64_t now = spd->clock();

	pthread_mutex_lock(&spd->lock);
	for (n = spd->all.next; n != &spd->all; n = n->next) {
		struct xfrm_policy *pol = sa_container_of(n, struct xfrm_policy, all);
		uint32_t owed;

		if (n->marker)
			continue;
		owed = policy_owed(pol, now);
		if (!owed)
			continue;
		if (!pending_add(&p, pol, owed & SA_EV_HARD)) {
			pol->ev_delivered &= ~owed;
			break;
		}
		policy_hold(pol);
	}
	pthread_mutex_unlock(&spd->lock);

	for (size_t i = 0; i < p.n; i++)
		if (spd->ops && spd->ops->policy_expire)
			spd->ops->policy_expire(spd->ops_arg, p.obj[i], p.hard[i]);
	pthread_mutex_lock(&spd->lock);
	for (size_t i = 0; i < p.n; i++)
		if (p.hard[i])
			spd_unlink_locked(spd, p.obj[i]);
	pthread_mutex_unlock(&spd->lock);
	for (size_t i = 0; i < p.n; i++)
		policy_put(p.obj[i]);
	pending_free(&p);
	spd_publish(spd);
	sa_rcu_reclaim(spd->rcu);
	return (unsigned int)p.n;
}

int spd_expire(struct spd *spd, struct xfrm_policy *pol, bool hard)
{
	pthread_mutex_lock(&spd->lock);
	if (pol->spd != spd) {
		pthread_mutex_unlock(&spd->lock);
		return -ENOENT;
	}
	pol->ev_delivered |= hard ? SA_EV_HARD | SA_EV_SOFT : SA_EV_SOFT;
	policy_hold(pol);
	pthread_mutex_unlock(&spd->lock);
	if (spd->ops && spd->ops->policy_expire)
		spd->ops->policy_expire(spd->ops_arg, pol, hard);
	if (hard)
		spd_delete_policy(spd, pol);
	policy_put(pol);
	return 0;
}
