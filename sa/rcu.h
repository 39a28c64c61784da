/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Read-copy-update for the SA and policy databases.
 *
 * Data-plane threads read the SAD and SPD without locks or reference counts.
 * Each such thread registers once with a small integer id (its lcore id is
 * the natural choice), and reports a quiescent state between bursts, at a
 * point where it holds no pointer obtained from a lookup:
 *
 *	sa_rcu_register(rcu, lcore_id);
 *	for (;;) {
 *		rx burst, sad_lookup_in(), spd_lookup(), esp processing ...
 *		sa_rcu_quiescent(rcu, lcore_id);
 *	}
 *	sa_rcu_unregister(rcu, lcore_id);
 *
 * The control plane unlinks an object, then hands it to sa_rcu_defer(): its
 * free function runs only after every registered thread has passed a
 * quiescent state (a grace period). Deferred frees run from
 * sa_rcu_reclaim(), which the SAD/SPD call on every change and on every tick,
 * so the control thread never blocks on readers. sa_rcu_barrier() waits for
 * a full grace period and runs everything pending (shutdown, tests); it must
 * not be called from a registered reader thread.
 *
 * Built on DPDK rte_rcu_qsbr; the same QS variable is attached to the SAD's
 * rte_hash tables (their integrated RCU reclaims hash key slots).
 */
#ifndef XFRMGW_SA_RCU_H
#define XFRMGW_SA_RCU_H

#include <stdbool.h>
#include <stdint.h>

struct rte_rcu_qsbr;
struct sa_rcu;

/* A deferred free: fn(arg) runs once, after a grace period. */
typedef void (*sa_rcu_free_fn)(void *arg);

/*
 * Create the RCU domain for up to max_threads reader ids [0, max_threads).
 * Returns NULL on allocation failure or max_threads == 0.
 */
struct sa_rcu *sa_rcu_create(unsigned int max_threads);

/* Runs every pending deferred free (after a barrier), then frees the domain. */
void sa_rcu_destroy(struct sa_rcu *rcu);

/* The underlying QSBR variable (for rte_hash_rcu_qsbr_add and friends). */
struct rte_rcu_qsbr *sa_rcu_qsbr(struct sa_rcu *rcu);

/*
 * Reader threads. register/unregister: 0 or -EINVAL (bad id). A registered
 * thread is online: grace periods wait for it until it reports quiescent
 * states. offline/online bracket long blocking waits (e.g. an idle sleep)
 * so that writers are not held up.
 */
int sa_rcu_register(struct sa_rcu *rcu, unsigned int thread_id);
int sa_rcu_unregister(struct sa_rcu *rcu, unsigned int thread_id);
void sa_rcu_quiescent(struct sa_rcu *rcu, unsigned int thread_id);
void sa_rcu_offline(struct sa_rcu *rcu, unsigned int thread_id);
void sa_rcu_online(struct sa_rcu *rcu, unsigned int thread_id);

/*
 * Control plane: run fn(arg) after the next grace period. Never blocks.
 * Returns 0, or -ENOMEM, in which case the call waited for a grace period
 * and ran fn(arg) itself (so the object is still freed exactly once).
 */
int sa_rcu_defer(struct sa_rcu *rcu, sa_rcu_free_fn fn, void *arg);

/* Run the deferred frees whose grace period has ended; returns how many. */
unsigned int sa_rcu_reclaim(struct sa_rcu *rcu);

/* Wait for a grace period, then run every pending deferred free. */
void sa_rcu_barrier(struct sa_rcu *rcu);

/* Deferred frees not yet run. */
unsigned int sa_rcu_pending(struct sa_rcu *rcu);

#endif
