/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The registry of IPsec protocol types (xfrm_type.h) and the per-lcore
 * context that holds one state per type. Registration happens at process
 * start, before the threads that read it exist.
 */
#include <errno.h>
#include <string.h>

#include "sa/xfrm_type.h"

static const struct xfrm_type *by_slot[XFRM_SLOTS];

int xfrm_type_register(const struct xfrm_type *t)
{
	if (!t || t->slot >= XFRM_SLOTS || !t->init_state || !t->lcore_create || !t->lcore_free ||
	    !t->overhead || !t->drop_name || !t->drop_key || !t->mbuf_reason || !t->lcore_drops)
		return -EINVAL;
	if (by_slot[t->slot] == t)
		return 0;
	if (by_slot[t->slot] || xfrm_type_get(t->proto))
		return -EEXIST;
	by_slot[t->slot] = t;
	return 0;
}

void xfrm_type_unregister(const struct xfrm_type *t)
{
	if (t && t->slot < XFRM_SLOTS && by_slot[t->slot] == t)
		by_slot[t->slot] = NULL;
}

const struct xfrm_type *xfrm_type_get(uint8_t proto)
{
	for (unsigned int i = 0; i < XFRM_SLOTS; i++)
		if (by_slot[i] && by_slot[i]->proto == proto)
			return by_slot[i];
	return NULL;
}

const struct xfrm_type *xfrm_type_at(unsigned int slot)
{
	return slot < XFRM_SLOTS ? by_slot[slot] : NULL;
}

bool xfrm_types_registered(void)
{
	for (unsigned int i = 0; i < XFRM_SLOTS; i++)
		if (by_slot[i])
			return true;
	return false;
}

int xfrm_init_state(struct xfrm_sa *sa, const char **why)
{
	const struct xfrm_type *t = xfrm_type_get(sa->id.proto);

	if (!t) {
		if (why)
			*why = "only ESP and AH SAs carry packets";
		return -EPROTONOSUPPORT;
	}
	return t->init_state(sa, why);
}

int xfrm_lcore_init(struct xfrm_lcore *xl, struct rte_mempool *pool, int socket_id)
{
	memset(xl, 0, sizeof(*xl));
	for (unsigned int i = 0; i < XFRM_SLOTS; i++) {
		if (!by_slot[i])
			continue;
		xl->type[i] = by_slot[i];
		xl->state[i] = by_slot[i]->lcore_create(pool, socket_id);
		if (!xl->state[i]) {
			xfrm_lcore_fini(xl);
			return -ENOMEM;
		}
	}
	return 0;
}

void xfrm_lcore_fini(struct xfrm_lcore *xl)
{
	for (unsigned int i = XFRM_SLOTS; i-- > 0;) {
		if (xl->state[i])
			xl->type[i]->lcore_free(xl->state[i]);
		xl->state[i] = NULL;
		xl->type[i] = NULL;
	}
}

unsigned int xfrm_mbuf_reason(const struct xfrm_sa *sa, const struct rte_mbuf *m)
{
	const struct xfrm_type *t = sa->type;
	unsigned int r;

	if (!t)
		return 0;
	r = t->mbuf_reason(m);
	return r < t->drop_max ? r : t->drop_unknown;
}

unsigned int xfrm_overhead(const struct xfrm_sa *sa)
{
	unsigned int o;

	if (!sa->type)
		return 0;
	o = sa->type->overhead(sa);
	if (sa->mode == XFRM_MODE_TUNNEL)	/* RFC 791 / 8200 fixed headers, no options */
		o += sa->family == AF_INET6 ? 40u : 20u;
	return o;
}
