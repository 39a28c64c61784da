/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ESP/AH calls of the offline mode: the same burst functions the
 * gateway's workers call, through the SA's packet type (sa/xfrm_type.h).
 */
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "dataplane/pcap/pcap_mode.h"
#include "sa/sa.h"
#include "sa/xfrm_type.h"

/* The summary counter of each type's refusals (its reasons are counted apart). */
static const enum xpc_drop type_counter[XFRM_SLOTS] = {
	[XFRM_SLOT_ESP] = XPC_DROP_ESP,
	[XFRM_SLOT_AH] = XPC_DROP_AH,
};

int xpc_xform_lcore_init(struct xpc_ctx *x)
{
	return xfrm_lcore_init(&x->xl, x->pool, SOCKET_ID_ANY);
}

void xpc_xform_lcore_free(struct xpc_ctx *x)
{
	xfrm_lcore_fini(&x->xl);
}

uint16_t xpc_xform_run(struct xpc_ctx *x, struct xfrm_sa *sa, enum xpc_dir dir,
		       struct rte_mbuf **m, uint16_t n)
{
	/* SAs without ops were refused at load time (xfrm_load.c) */
	return dir == XPC_IN ? xfrm_input(&x->xl, sa, m, n) : xfrm_output(&x->xl, sa, m, n);
}

void xpc_xform_count_drop(struct xpc_ctx *x, const struct xfrm_sa *sa, struct rte_mbuf *m)
{
	const struct xfrm_type *t = sa->type;
	unsigned int r = xfrm_mbuf_reason(sa, m);

	if (r >= XPC_REASONS)
		r = t->drop_unknown;
	x->cnt->drop[type_counter[t->slot]]++;
	x->cnt->type_drop[t->slot][r]++;
}
