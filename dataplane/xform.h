/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packet types of every process that carries packets (the gateway, the
 * offline pcap mode): ESP and AH, registered once at start so SAs get their
 * functions when they are bound (sa_crypto_bind -> xfrm_init_state).
 */
#ifndef XFRMGW_DATAPLANE_XFORM_H
#define XFRMGW_DATAPLANE_XFORM_H

/* 0, or -errno from xfrm_type_register(). */
int xgw_xform_register(void);

#endif
