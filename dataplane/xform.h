/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-SA packet functions for every process that carries packets (the
 * gateway, the offline pcap mode): ESP or AH by the SA's protocol. Registered
 * with sa_set_xform_init() so SAs get their functions when they are built.
 */
#ifndef XFRMGW_DATAPLANE_XFORM_H
#define XFRMGW_DATAPLANE_XFORM_H

struct xfrm_sa;

int xgw_xform_init(struct xfrm_sa *sa, const char **why);

#endif
