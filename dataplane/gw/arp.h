/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP (RFC 826) for Ethernet/IPv4: parse, answer requests for our
 * addresses in place, build requests for next hops. Frames start at the
 * Ethernet header; addresses in network order.
 */
#ifndef XFRMGW_DATAPLANE_GW_ARP_H
#define XFRMGW_DATAPLANE_GW_ARP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GW_ARP_FRAME_LEN 42	/* Ethernet 14 + ARP 28, before any padding */

struct gw_arp_info {
	uint16_t op;		/* 1 request, 2 reply */
	uint8_t sha[6];
	uint32_t spa;
	uint8_t tha[6];
	uint32_t tpa;
};

/* Ethernet/IPv4 ARP with sane lengths? Fills info. */
bool gw_arp_parse(const uint8_t *frame, size_t len, struct gw_arp_info *info);

/* Turn the request in frame into our reply (RFC 826 "swap fields"), in place. */
void gw_arp_reply_in_place(uint8_t *frame, const uint8_t our_mac[6]);

/* A broadcast request for tpa from (mac, spa) into frame (GW_ARP_FRAME_LEN bytes). */
size_t gw_arp_request(uint8_t *frame, const uint8_t mac[6], uint32_t spa, uint32_t tpa);

#endif
