/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RCU domain of the SA/policy databases: rte_rcu_qsbr for the readers, and
 * a FIFO of deferred frees, each tagged with the QSBR token of its grace
 * period. Tokens grow monotonically, so reclaim stops at the first entry
 * whose grace period has not ended.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include <rte_rcu_qsbr.h>

#include "sa/rcu.h"

struct sa_rcu_cb {
	struct sa_rcu_cb *next;
	uint64_t token;
	sa_rcu_free_fn fn;
	void *arg;
};

struct sa_rcu {
	struct rte_rcu_qsbr *v;
	unsigned int max_threads;
	pthread_mutex_t lock;		/* the queue; writers may be several */
	struct sa_rcu_cb *head, **tail;
	unsigned int pending;
};

struct sa_rcu *sa_rcu_create(unsigned int max_threads)
{
	struct sa_rcu *rcu;
	size_t sz;

	if (max_threads == 0)
		return NULL;
	sz = rte_rcu_qsbr_get_memsize(max_threads);
	rcu = calloc(1, sizeof(*rcu));
	if (!rcu)
		return NULL;
	rcu->v = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL(sz, RTE_CACHE_LINE_SIZE));
	if (!rcu->v)
		goto no_qsbr;
	if (rte_rcu_qsbr_init(rcu->v, max_threads))
		goto bad_init;
	rcu->max_threads = max_threads;
	pthread_mutex_init(&rcu->lock, NULL);
	rcu->tail = &rcu->head;
	return rcu;

bad_init:
	free(rcu->v);
no_qsbr:
	free(rcu);
	return NULL;
}

void sa_rcu_destroy(struct sa_rcu *rcu)
{
	if (!rcu)
		return;
	sa_rcu_barrier(rcu);
	pthread_mutex_destroy(&rcu->lock);
	free(rcu->v);
	free(rcu);
}

struct rte_rcu_qsbr *sa_rcu_qsbr(struct sa_rcu *rcu)
{
	return rcu->v;
}

int sa_rcu_register(struct sa_rcu *rcu, unsigned int thread_id)
{
	if (thread_id >= rcu->max_threads)
		return -EINVAL;
	if (rte_rcu_qsbr_thread_register(rcu->v, thread_id))
		return -EINVAL;
	rte_rcu_qsbr_thread_online(rcu->v, thread_id);
	return 0;
}

int sa_rcu_unregister(struct sa_rcu *rcu, unsigned int thread_id)
{
	if (thread_id >= rcu->max_threads)
		return -EINVAL;
	rte_rcu_qsbr_thread_offline(rcu->v, thread_id);
	return rte_rcu_qsbr_thread_unregister(rcu->v, thread_id) ? -EINVAL : 0;
}

void sa_rcu_quiescent(struct sa_rcu *rcu, unsigned int thread_id)
{
	rte_rcu_qsbr_quiescent(rcu->v, thread_id);
}

void sa_rcu_offline(struct sa_rcu *rcu, unsigned int thread_id)
{
	rte_rcu_qsbr_thread_offline(rcu->v, thread_id);
}

void sa_rcu_online(struct sa_rcu *rcu, unsigned int thread_id)
{
	rte_rcu_qsbr_thread_online(rcu->v, thread_id);
}

int sa_rcu_defer(struct sa_rcu *rcu, sa_rcu_free_fn fn, void *arg)
{
	struct sa_rcu_cb *cb = malloc(sizeof(*cb));

	if (!cb) {
		/* No room to defer: wait for the readers here instead. */
		rte_rcu_qsbr_synchronize(rcu->v, RTE_QSBR_THRID_INVALID);
		fn(arg);
		return -ENOMEM;
	}
	cb->next = NULL;
	cb->fn = fn;
	cb->arg = arg;
	pthread_mutex_lock(&rcu->lock);
	cb->token = rte_rcu_qsbr_start(rcu->v);
	*rcu->tail = cb;
	rcu->tail = &cb->next;
	rcu->pending++;
	pthread_mutex_unlock(&rcu->lock);
	return 0;
}

/* Detach the entries whose grace period ended (all of them if force). */
static struct sa_rcu_cb *take_ready(struct sa_rcu *rcu, bool force)
{
	struct sa_rcu_cb *first, *last = NULL, *p;

	pthread_mutex_lock(&rcu->lock);
	first = p = rcu->head;
	while (p && (force || rte_rcu_qsbr_check(rcu->v, p->token, false) == 1)) {
		last = p;
		p = p->next;
		rcu->pending--;
	}
	if (last) {
		last->next = NULL;
		rcu->head = p;
		if (!p)
			rcu->tail = &rcu->head;
	}
	pthread_mutex_unlock(&rcu->lock);
	return last ? first : NULL;
}

static unsigned int run_list(struct sa_rcu_cb *cb)
{
	unsigned int n = 0;

	while (cb) {
		struct sa_rcu_cb *next = cb->next;

		cb->fn(cb->arg);
		free(cb);
		cb = next;
		n++;
	}
	return n;
}

unsigned int sa_rcu_reclaim(struct sa_rcu *rcu)
{
	return run_list(take_ready(rcu, false));
}

void sa_rcu_barrier(struct sa_rcu *rcu)
{
	/* Frees may defer more frees (an SA's last put): loop until empty. */
	for (;;) {
		struct sa_rcu_cb *list;

		rte_rcu_qsbr_synchronize(rcu->v, RTE_QSBR_THRID_INVALID);
		list = take_ready(rcu, true);
		if (!list)
			break;
		run_list(list);
	}
}

unsigned int sa_rcu_pending(struct sa_rcu *rcu)
{
	unsigned int n;

	pthread_mutex_lock(&rcu->lock);
	n = rcu->pending;
	pthread_mutex_unlock(&rcu->lock);
	return n;
}
