/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A packet's mark (the kernel's skb->mark) while it crosses the gateway:
 * the receiving port's mark, then the SET_MARK of each SA that decapsulates
 * it; the SPD and the SAD match policies and SAs against it. Kept in an
 * mbuf dynamic field, written for every packet that enters the gateway.
 */
#ifndef XFRMGW_DATAPLANE_GW_MARK_H
#define XFRMGW_DATAPLANE_GW_MARK_H

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

extern int gw_mark_off;		/* dynfield offset, < 0 before gw_mark_register() */

/* 0, or -1 when DPDK has no room for the field. */
int gw_mark_register(void);

static inline uint32_t gw_mark(const struct rte_mbuf *m)
{
	return gw_mark_off < 0 ? 0 : *RTE_MBUF_DYNFIELD(m, gw_mark_off, const uint32_t *);
}

static inline void gw_set_mark(struct rte_mbuf *m, uint32_t mark)
{
	if (gw_mark_off >= 0)
		*RTE_MBUF_DYNFIELD(m, gw_mark_off, uint32_t *) = mark;
}

#endif
