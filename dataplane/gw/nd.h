/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 neighbour discovery (RFC 4861 4.3, 4.4, 7.1, 7.2): parse and
 * validate NS/NA, answer solicitations for our addresses, solicit next
 * hops. Frames start at the Ethernet header.
 */
#ifndef XFRMGW_DATAPLANE_GW_ND_H
#define XFRMGW_DATAPLANE_GW_ND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GW_ND_FRAME_LEN 86	/* Ethernet 14 + IPv6 40 + NS/NA 24 + lladdr option 8 */
#define GW_ND_NS 135
#define GW_ND_NA 136

#define GW_NA_ROUTER	0x80
#define GW_NA_SOLICITED	0x40
#define GW_NA_OVERRIDE	0x20

struct gw_nd_info {
	uint8_t type;		/* GW_ND_NS / GW_ND_NA */
	uint8_t flags;		/* NA: GW_NA_* */
	uint8_t src[16], dst[16], target[16];
	uint8_t eth_src[6];
	bool has_lladdr;	/* NS: source, NA: target link-layer address option */
	uint8_t lladdr[6];
};

/*
 * Validate as RFC 4861 7.1.1 / 7.1.2 ask (hop limit 255, code 0, checksum,
 * length, target not multicast, no SLLA when the source is unspecified).
 * Other ICMPv6 and extension headers: false.
 */
bool gw_nd_parse(const uint8_t *frame, size_t len, struct gw_nd_info *info);

/* The advertisement answering ns for target (RFC 4861 7.2.4), into frame. */
size_t gw_nd_advert(uint8_t *frame, const uint8_t our_mac[6], const uint8_t target[16],
		    const struct gw_nd_info *ns);

/* A multicast solicitation for target from src (RFC 4861 7.2.2), into frame. */
size_t gw_nd_solicit(uint8_t *frame, const uint8_t mac[6], const uint8_t src[16],
		     const uint8_t target[16]);

/* Solicited-node multicast address ff02::1:ffXX:XXXX of addr (RFC 4291 2.7.1). */
void gw_nd_snma(const uint8_t addr[16], uint8_t out[16]);

#endif
