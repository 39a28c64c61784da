/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * First look at a received frame: which path it takes. Validates the
 * Ethernet and IP headers (RFC 1812 5.2.2 for IPv4), trims Ethernet
 * padding, and tells apart what the gateway consumes (ARP, ND, ESP/AH and
 * UDP-encapsulated ESP for its addresses, fragments for it), what the host
 * kernel gets (everything else for our addresses, broadcast, multicast)
 * and what is forwarded.
 */
#ifndef XFRMGW_DATAPLANE_GW_CLASSIFY_H
#define XFRMGW_DATAPLANE_GW_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

struct gw_routes;
struct rte_mbuf;

enum gw_class {
	GW_CL_MALFORMED = 0,	/* drop */
	GW_CL_NOT_OURS,		/* drop: unicast for another MAC, unknown ethertype */
	GW_CL_ARP,
	GW_CL_ND,		/* neighbour solicitation/advertisement */
	GW_CL_HOST,		/* exception path: the host kernel */
	GW_CL_IPSEC,		/* ESP/AH (or UDP 4500 ESP) for one of our addresses */
	GW_CL_REASM,		/* a fragment for one of our addresses */
	GW_CL_FORWARD,
};

struct gw_cls {
	uint8_t family;		/* AF_INET / AF_INET6 for IP classes */
	uint8_t proto;		/* IPPROTO_ESP / IPPROTO_AH for GW_CL_IPSEC */
	bool natt;		/* ESP in UDP (RFC 3948) */
	bool bad_chain;		/* GW_CL_MALFORMED: IPv6 extension headers (sa/flow.h) */
	uint16_t l3;		/* offset of the IP header in the frame */
};

/*
 * Classify a frame (data at its Ethernet header) received on port whose
 * MAC is mac. For IP classes the mbuf is trimmed to the IP length.
 */
enum gw_class gw_classify(const struct gw_routes *r, uint16_t port, const uint8_t mac[6],
			  struct rte_mbuf *m, struct gw_cls *c);

/*
 * The same for a packet whose data starts at its IP header (after
 * reassembly or decapsulation): GW_CL_HOST/IPSEC/REASM/FORWARD/MALFORMED.
 */
enum gw_class gw_classify_ip(const struct gw_routes *r, struct rte_mbuf *m, struct gw_cls *c);

#endif
