/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sa_table: rte_hash tables that double by moving keys a batch per write
 * (see sa/table.h for what readers may rely on).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sa/table.h"

static void no_key_data_free(void *p, void *key_data)
{
	(void)p;
	(void)key_data;
}

static struct rte_hash *table_create(struct sa_table *t, uint32_t entries)
{
	struct rte_hash_rcu_config rcfg = {
		.v = sa_rcu_qsbr(t->rcu),
		.mode = RTE_HASH_QSBR_MODE_DQ,
		.free_key_data_func = no_key_data_free,
	};
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters p = {
		.name = name,
		.entries = entries,
		.key_len = t->key_len,
		.hash_func = t->hash_func,
		.socket_id = t->socket_id,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			      RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct rte_hash *h;

	static uint32_t seq;

	/* unique in the process and short: rte_hash derives ring and queue names from it */
	snprintf(name, sizeof(name), "%s%u", t->name,
		 __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
	h = rte_hash_create(&p);
	if (h && rte_hash_rcu_qsbr_add(h, &rcfg)) {
		rte_hash_free(h);
		h = NULL;
	}
	return h;
}

int sa_table_init(struct sa_table *t, const char *name, uint32_t key_len, uint32_t first,
		  uint32_t max, rte_hash_function hash_func, int socket_id, struct sa_rcu *rcu)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%.8s", name);
	t->key_len = key_len;
	t->max = max;
	t->cap = first < max ? first : max;
	t->hash_func = hash_func;
	t->socket_id = socket_id;
	t->rcu = rcu;
	t->cur = table_create(t, t->cap);
	return t->cur ? 0 : -ENOMEM;
}

static void free_cb(void *arg)
{
	rte_hash_free(arg);
}

void sa_table_fini(struct sa_table *t)
{
	rte_hash_free(t->old);
	rte_hash_free(t->cur);
	t->old = t->cur = NULL;
}

void sa_table_lookup_bulk(const struct sa_table *t, const void **keys, uint32_t n, void **data)
{
	const struct rte_hash *cur = __atomic_load_n(&t->cur, __ATOMIC_ACQUIRE);
	const struct rte_hash *old = __atomic_load_n(&t->old, __ATOMIC_ACQUIRE);
	const void *miss[RTE_HASH_LOOKUP_BULK_MAX];
	uint32_t at[RTE_HASH_LOOKUP_BULK_MAX], m = 0;
	void *got[RTE_HASH_LOOKUP_BULK_MAX];
	uint64_t hits = 0;

	if (old) {
		rte_hash_lookup_bulk_data(old, keys, n, &hits, data);
		for (uint32_t i = 0; i < n; i++)
			if (!(hits & (1ull << i))) {
				miss[m] = keys[i];
				at[m++] = i;
			}
	} else {
		for (uint32_t i = 0; i < n; i++) {
			miss[i] = keys[i];
			at[i] = i;
		}
		m = n;
	}
	if (!m)
		return;
	hits = 0;
	rte_hash_lookup_bulk_data(cur, miss, m, &hits, got);
	for (uint32_t i = 0; i < m; i++)
		data[at[i]] = hits & (1ull << i) ? got[i] : NULL;
}

/* Move up to n keys from old to cur; old goes when empty. */
static void step(struct sa_table *t, uint32_t n)
{
	const void *key;
	void *data;

	while (t->old && n) {
		if (rte_hash_iterate(t->old, &key, &data, &t->iter) < 0) {
			uint32_t again = 0;

			/*
			 * Deletions may compact entries behind the iterator: go round
			 * again unless a pass from the start finds nothing (the count
			 * would not do: deleted slots wait for readers in the defer queue).
			 */
			t->iter = 0;
			if (rte_hash_iterate(t->old, &key, &data, &again) >= 0)
				continue;
			struct rte_hash *h = t->old;

			__atomic_store_n(&t->old, NULL, __ATOMIC_RELEASE);
			sa_rcu_defer(t->rcu, free_cb, h);
			return;
		}
		/* in cur before it leaves old: readers look in old, then in cur */
		if (rte_hash_add_key_data(t->cur, key, data) < 0)
			return;		/* cur is full: cannot happen, see grow() */
		rte_hash_del_key(t->old, key);
		n--;
	}
}

/*
 * cur is full: it becomes old, a table twice its size becomes cur. Each
 * later write moves SA_TABLE_STEP keys, so old is empty before cur can fill.
 */
static int grow(struct sa_table *t)
{
	uint32_t cap = t->cap > t->max / 2 ? t->max : t->cap * 2;
	struct rte_hash *h;

	step(t, UINT32_MAX);	/* only after slots stuck for readers filled cur early */
	if (t->old || cap <= t->cap)
		return -ENOSPC;
	h = table_create(t, cap);
	if (!h)
		return -ENOMEM;
	t->iter = 0;
	/* old before cur: see sa_table_lookup */
	__atomic_store_n(&t->old, t->cur, __ATOMIC_RELEASE);
	__atomic_store_n(&t->cur, h, __ATOMIC_RELEASE);
	t->cap = cap;
	return 0;
}

int sa_table_set(struct sa_table *t, const void *key, void *data)
{
	bool known;
	int rc;

	step(t, SA_TABLE_STEP);
	if (t->old && rte_hash_lookup(t->old, key) >= 0)
		return rte_hash_add_key_data(t->old, key, data) < 0 ? -ENOMEM : 0;
	known = rte_hash_lookup(t->cur, key) >= 0;
	if (!known && t->nkeys >= t->max)
		return -ENOSPC;
	if (!known && t->nkeys >= t->cap && !t->old) {
		rc = grow(t);
		if (rc)
			return rc;
	}
	rc = rte_hash_add_key_data(t->cur, key, data);
	if (rc == -ENOSPC && !known) {
		/* slots still held for readers (deferred): room in a bigger table */
		rc = grow(t);
		if (!rc)
			rc = rte_hash_add_key_data(t->cur, key, data);
	}
	if (rc < 0)
		return rc == -ENOSPC ? -ENOSPC : -ENOMEM;
	if (!known)
		t->nkeys++;
	return 0;
}

void sa_table_del(struct sa_table *t, const void *key)
{
	step(t, SA_TABLE_STEP);
	if ((t->old && rte_hash_del_key(t->old, key) >= 0) || rte_hash_del_key(t->cur, key) >= 0)
		t->nkeys--;
}

void sa_table_walk(struct sa_table *t, void (*fn)(const void *key, void *data, void *arg),
		   void *arg)
{
	struct rte_hash *h[2] = { t->old, t->cur };
	const void *key;
	void *data;

	for (int i = 0; i < 2; i++) {
		uint32_t it = 0;

		while (h[i] && rte_hash_iterate(h[i], &key, &data, &it) >= 0)
			fn(key, data, arg);
	}
}
