/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Builds without esp/: the gateway is a plain router. ESP/AH for our
 * addresses is dropped (counted), policies are not applied.
 */
#include <rte_mbuf.h>

#include "dataplane/gw/gw.h"
#include "dataplane/gw/route.h"

void gw_ipsec_input(struct gw *g, struct gw_worker *w, struct rte_mbuf **m, uint16_t n,
		    const uint8_t *proto, const bool *natt)
{
	(void)g;
	(void)proto;
	(void)natt;
	for (uint16_t i = 0; i < n; i++)
		gw_drop(w, m[i], GW_DROP_NO_IPSEC);
}

bool gw_ipsec_output(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, unsigned int flags,
		     const struct gw_nh *nh)
{
	(void)g;
	(void)flags;
	if (nh && nh->type == GW_NH_XFRMI) {
		gw_drop(w, m, GW_DROP_XFRMI_NO_POLICY);
		return true;
	}
	return false;
}

bool gw_ipsec_forward_in(struct gw *g, struct gw_worker *w, struct rte_mbuf *m)
{
	(void)g;
	(void)w;
	(void)m;
	return false;
}

bool gw_ipsec_host_output(struct gw *g, struct gw_worker *w, struct rte_mbuf *m)
{
	(void)g;
	(void)w;
	(void)m;
	return false;
}

bool gw_ipsec_local_in(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, uint16_t l3)
{
	(void)g;
	(void)w;
	(void)m;
	(void)l3;
	return false;
}

void gw_ipsec_flush(struct gw *g, struct gw_worker *w)
{
	(void)g;
	(void)w;
}

int gw_ipsec_lcore_init(struct gw *g, struct gw_worker *w)
{
	(void)g;
	w->ipsec = NULL;
	return 0;
}

void gw_ipsec_lcore_free(struct gw_worker *w)
{
	(void)w;
}

unsigned int gw_ipsec_overhead(const struct xfrm_sa *sa)
{
	(void)sa;
	return 0;
}

void gw_ipsec_hooks(struct gw *g)
{
	(void)g;
}

unsigned int gw_ipsec_drops(const struct gw_worker *w, uint64_t *drop, const char **names,
			    unsigned int max)
{
	(void)w;
	(void)drop;
	(void)names;
	(void)max;
	return 0;
}
