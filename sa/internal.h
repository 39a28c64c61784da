/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals shared by the sa/ sources (not for other folders). */
#ifndef XFRMGW_SA_INTERNAL_H
#define XFRMGW_SA_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "sa/list.h"
#include "sa/sad.h"
#include "sa/spd.h"
#include "sa/spd_match.h"
#include "sa/table.h"

struct rte_hash;

struct sad {
	char name[24];
	struct sa_table in;		/* (daddr, spi, proto, family) -> chain */
	struct sa_table out;		/* template key -> chain */
	struct sa_rcu *rcu;
	uint64_t (*clock)(void);
	pthread_mutex_t lock;
	struct sa_list_node all;	/* SAs and dump markers, insertion order */
	struct sa_list_node larval;	/* ACQ SAs */
	uint32_t count;
	uint32_t max;			/* sad max N */
	uint64_t serial;
	const struct sa_event_ops *ops;
	void *ops_arg;
};

/* Unlink an SA (lock held): state DEAD, out of every index, reference put after a grace period. */
void sad_unlink_locked(struct sad *sad, struct xfrm_sa *sa);
/* Link a new SA in this state (lock held); the SAD takes a reference. */
int sad_insert_locked(struct sad *sad, struct xfrm_sa *sa, enum sa_state state);
/* Insert into the hash chains (lock held). 0 or -ENOSPC. */
int sad_hash_insert_locked(struct sad *sad, struct xfrm_sa *sa);
/* The larval SA a new SA answers (xfrm_state_add: by seq, else by template), or NULL. */
struct xfrm_sa *sad_larval_answered_locked(struct sad *sad, const struct xfrm_sa *sa);
struct xfrm_sa *sad_locate_locked(struct sad *sad, const xfrm_address_t *daddr,
				  uint16_t family, uint32_t spi, uint8_t proto,
				  uint32_t mark, uint32_t if_id, bool any_mark);

struct spd {
	char name[16];
	struct sa_rcu *rcu;
	uint64_t (*clock)(void);
	int socket_id;
	uint32_t max_rules;
	pthread_mutex_t lock;
	struct sa_list_node all;
	uint32_t count[XFRM_POLICY_MAX];
	uint32_t total;
	uint64_t pos_gen;
	uint32_t idx_generator;
	struct xfrm_policy **id_tab;	/* identity hash */
	struct xfrm_policy **idx_tab;	/* index hash */
	uint32_t nbuckets;		/* both tables, power of 2 */
	struct spd_match match[XFRM_POLICY_MAX][2];	/* data-path index */
	uint64_t gen;			/* generation of the last publish */
	struct xfrm_policy *dying;	/* unlinked since the last publish */
	struct spd_reap *reaps;		/* published unlinks awaiting a grace period */
	struct xfrmu_spdhthresh h4, h6;
	const struct sa_event_ops *ops;
	void *ops_arg;
	uint8_t default_action[XFRM_POLICY_MAX];	/* XFRM_USERPOLICY_*, atomic */
};

void spd_unlink_locked(struct spd *spd, struct xfrm_policy *pol);

static inline int sa_family_idx(uint16_t family)
{
	return family == AF_INET6;
}

#endif
