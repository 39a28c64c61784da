/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counters of the packet path: one block per worker lcore (one writer, no
 * atomics), summed by telemetry. Every drop has its reason.
 */
#ifndef XFRMGW_DATAPLANE_GW_STATS_H
#define XFRMGW_DATAPLANE_GW_STATS_H

#include <stdint.h>

#include <rte_common.h>

#include "dataplane/config.h"

enum gw_drop {
	GW_DROP_MALFORMED = 0,	/* bad Ethernet/IP header, length or checksum */
	GW_DROP_NOT_OURS,	/* unicast frame for another MAC, unknown ethertype */
	GW_DROP_NO_ROUTE,	/* no route (ICMP unreachable sent) */
	GW_DROP_TTL,		/* TTL / hop limit exceeded (ICMP sent) */
	GW_DROP_MTU,		/* too big with DF / IPv6 (ICMP sent) */
	GW_DROP_NEIGH_FAILED,	/* next hop did not answer (ICMP sent) */
	GW_DROP_NEIGH_QUEUE,	/* too many packets waiting for one next hop */
	GW_DROP_NEIGH_TABLE,	/* neighbour table full */
	GW_DROP_NO_MBUF,	/* mempool empty */
	GW_DROP_FRAG,		/* could not fragment */
	GW_DROP_REASM,		/* reassembly table full or bad fragment */
	GW_DROP_NO_HOST,	/* for the host but the port has no TAP */
	GW_DROP_NO_SA,		/* inbound ESP/AH with an unknown SPI */
	GW_DROP_NO_IPSEC,	/* ESP/AH not available in this build */
	GW_DROP_IPSEC,		/* refused by ESP (reason in the ESP counters) */
	GW_DROP_POLICY_BLOCK,	/* policy action block */
	GW_DROP_POLICY_MISMATCH,/* decapsulated packet outside its SA's selector */
	GW_DROP_ACQUIRE,	/* policy but no SA yet (ACQUIRE raised) */
	GW_DROP_TX,		/* the port's TX queue was full */
	GW_DROP_HOST_REPLY,	/* the host's ARP/NA reply (the gateway answered) */
	GW_DROP_POLICY_CLEARTEXT,/* arrived in clear, its in policy wants IPsec (RFC 4301 5.2) */
	GW_DROP_POLICY_TEMPLATES,/* decapsulated, the SAs are not what its in/fwd policy wants */
	GW_DROP_POLICY_NONE_TUNNEL,/* out of a tunnel-mode SA, no in/fwd policy matches */
	GW_DROP_POLICY_DEFAULT_BLOCK,/* no policy, the direction's default is block */
	GW_DROP_BAD_EXT_HDRS,	/* IPv6 extension header chain too long or truncated */
	GW_DROP_XFRMI_NO_POLICY,/* routed into an XFRM interface, no out policy/SA bundle */
	GW_DROP_ROUTE_BLACKHOLE,	/* a blackhole route */
	GW_DROP_ROUTE_UNREACHABLE,	/* an unreachable route (ICMP sent) */
	GW_DROP_ROUTE_PROHIBIT,		/* a prohibit route (ICMP sent) */
	GW_DROP_MAX
};

const char *gw_drop_name(enum gw_drop d);

struct gw_port_counters {
	uint64_t rx_packets, rx_bytes;
	uint64_t tx_packets, tx_bytes;
	uint64_t to_host, from_host;
};

/* One XFRM interface as a network device would count it. */
struct gw_xfrmi_counters {
	uint64_t rx_packets, rx_bytes;	/* decapsulated, arrived on it */
	uint64_t tx_packets, tx_bytes;	/* routed into it and encapsulated */
	uint64_t tx_errors;		/* routed into it, no policy or SA */
};

struct gw_lcore_stats {
	uint64_t rx, tx, forwarded;
	uint64_t to_host, from_host;
	uint64_t esp_in, esp_out;
	uint64_t ah_in, ah_out;
	uint64_t arp_replies, arp_requests, nd_adverts, nd_solicits;
	uint64_t icmp_errors, icmp_ratelimited;
	uint64_t fragments_out, reassembled;
	uint64_t acquires;
	uint64_t drop[GW_DROP_MAX];
	struct gw_port_counters port[XGW_MAX_PORTS];
	struct gw_xfrmi_counters xfrmi[XGW_MAX_XFRMI];
} __rte_cache_aligned;

#endif
