/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A packet as the SPD sees it: the one parser that turns an IP packet into
 * a struct spd_flow, shared by the gateway, xfrmgw-pcap and the bundle
 * code, so that every path matches a packet to policy the same way.
 *
 * IPv6 extension headers are walked as RFC 8200 4.1 lays them out (and as
 * the kernel's session decode does): Hop-by-Hop, Routing, Destination
 * Options and Fragment headers are stepped over; the first other header is
 * the upper-layer protocol. ESP and AH end the walk (what follows them is
 * not readable). At most FLOW_MAX_EXT extension headers: a longer chain,
 * one that runs past the packet, or a Hop-by-Hop header anywhere but first
 * is malformed (FLOW_BAD_CHAIN) and the callers drop it under its own
 * reason.
 *
 * Fragments (RFC 4301 7): the first fragment carries the transport header
 * and is matched with its ports; a later fragment has none, so its ports
 * are 0 and it matches only selectors whose port masks are 0. The walk
 * stops at a later fragment's Fragment header (what follows is data), with
 * the protocol it names. An IPv6 atomic fragment (offset 0, no M flag) is a
 * whole packet, not a fragment (RFC 6946).
 *
 * Ports: TCP, UDP, UDP-Lite, SCTP, DCCP; ICMP and ICMPv6 type and code in
 * sport and dport, Mobility Header type in sport, and a GRE key split over
 * sport (high half) and dport (low half), all as XFRM selectors carry them.
 */
#ifndef XFRMGW_SA_FLOW_H
#define XFRMGW_SA_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "sa/spd.h"

struct rte_mbuf;

#define FLOW_MAX_EXT 16

enum flow_status {
	FLOW_OK = 0,
	FLOW_NOT_IP,		/* neither IPv4 nor IPv6, or a short IP header */
	FLOW_BAD_CHAIN,		/* IPv6 extension headers too many or truncated */
};

/* Where the headers are, beside the flow. */
struct flow_hdrs {
	uint16_t family;	/* AF_INET / AF_INET6 */
	uint8_t proto;		/* upper-layer protocol (ESP/AH stop the walk) */
	bool fragment;		/* an IPv4 fragment or an IPv6 Fragment header */
	bool later_fragment;	/* fragment offset not 0: no transport header */
	bool routing_left;	/* an IPv6 Routing header with segments left */
	uint32_t l4;		/* offset of the upper-layer header from off */
};

/*
 * Parse the IP packet at offset off of m (rte_pktmbuf_read: any segment
 * layout). f (may be NULL) gets addresses, protocol and ports, mark and
 * if_id 0; h (may be NULL) where things are. On FLOW_BAD_CHAIN f still
 * holds the addresses and the last protocol read.
 */
enum flow_status flow_parse(const struct rte_mbuf *m, uint32_t off, struct spd_flow *f,
			    struct flow_hdrs *h);

/*
 * The flow of an ICMP/ICMPv6 error's quoted packet, reversed (its
 * destination becomes the source, ports swapped): what an error about
 * that packet must be matched with (RFC 4301 6.2; XFRM's reverse decode).
 * l4 is the offset of the ICMP header. false when m is no ICMP error or
 * the quoted header cannot be read.
 */
bool flow_icmp_quoted_reverse(const struct rte_mbuf *m, uint32_t l4, uint16_t family,
			      struct spd_flow *f);

/* What a UDP datagram to a NAT-T port carries (RFC 3948 2.2, 2.3). */
enum flow_natt {
	FLOW_NATT_ESP = 0,	/* an ESP header (SPI not 0) follows the UDP header */
	FLOW_NATT_IKE,		/* the non-ESP marker (four zero bytes): IKE */
	FLOW_NATT_KEEPALIVE,	/* a single 0xFF octet */
	FLOW_NATT_NONE,		/* too short or inconsistent: none of these */
};

/*
 * Classify the UDP datagram whose header is at udp_off in m (the caller
 * matched its destination port). *spi (network order) for FLOW_NATT_ESP.
 */
enum flow_natt flow_natt_classify(const struct rte_mbuf *m, uint32_t udp_off, uint32_t *spi);

#endif
