/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A lock-free exact-match table that grows without a stall (internal to
 * sa/): DPDK rte_hash in lock-free read/write mode with QSBR reclamation,
 * one writer at a time (the database's mutex), readers without locks.
 *
 * When full it doubles (up to max) by moving keys a batch at a time: a new
 * table becomes `cur`, the full one becomes `old`, and every later write
 * moves SA_TABLE_STEP keys from old to cur (added to cur, then deleted from
 * old) until old is empty and goes after a grace period. A key is in one
 * table at a time, and writes go to the table that holds it. Readers look
 * in old first, then in cur: a key that left old was in cur before, so
 * they never miss one. One big copy would stop the control thread for
 * seconds at a million keys (measured: 4 s for 512k keys on a loaded VM).
 */
#ifndef XFRMGW_SA_TABLE_H
#define XFRMGW_SA_TABLE_H

#include <stdint.h>

#include <rte_hash.h>

#include "sa/rcu.h"

/* Keys moved from old to cur per write while a table grows. */
#define SA_TABLE_STEP 64

struct sa_table {
	struct rte_hash *cur;		/* RCU */
	struct rte_hash *old;		/* RCU: being emptied into cur, or NULL */
	uint32_t iter;			/* position in old */
	uint32_t cap;			/* of cur */
	uint32_t max;
	uint32_t nkeys;			/* in both */
	uint32_t key_len;
	int socket_id;
	struct sa_rcu *rcu;
	rte_hash_function hash_func;
	char name[16];
};

/* name: a prefix for rte_hash names (8 characters used). 0 or -ENOMEM. */
int sa_table_init(struct sa_table *t, const char *name, uint32_t key_len, uint32_t first,
		  uint32_t max, rte_hash_function hash_func, int socket_id, struct sa_rcu *rcu);
/* No reader may be left. */
void sa_table_fini(struct sa_table *t);

/* ---- readers (and the writer) ---- */

static inline void *sa_table_lookup(const struct sa_table *t, const void *key)
{
	/* cur before old: a reader that sees a new cur also sees the old it replaced */
	const struct rte_hash *cur = __atomic_load_n(&t->cur, __ATOMIC_ACQUIRE);
	const struct rte_hash *old = __atomic_load_n(&t->old, __ATOMIC_ACQUIRE);
	void *data;

	if (old && rte_hash_lookup_data(old, key, &data) >= 0)
		return data;
	return rte_hash_lookup_data(cur, key, &data) >= 0 ? data : NULL;
}

/* n <= RTE_HASH_LOOKUP_BULK_MAX; data[i] NULL when keys[i] is not there. */
void sa_table_lookup_bulk(const struct sa_table *t, const void **keys, uint32_t n,
			  void **data);

/* ---- the writer ---- */

/* Add or replace. -ENOSPC when max keys are there, -ENOMEM. */
int sa_table_set(struct sa_table *t, const void *key, void *data);
/* Remove if there. */
void sa_table_del(struct sa_table *t, const void *key);
/* Every key, for teardown (no writer, no reader). */
void sa_table_walk(struct sa_table *t, void (*fn)(const void *key, void *data, void *arg),
		   void *arg);

#endif
