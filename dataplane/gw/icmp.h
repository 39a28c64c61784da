/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP errors the gateway originates (RFC 792, RFC 1812 4.3, RFC 4443):
 * destination unreachable, time exceeded, fragmentation needed / packet
 * too big with the MTU the packet could have had, all rate-limited by a
 * token bucket (RFC 1812 4.3.2.8, RFC 4443 2.4 f). Echo is the host's job
 * (exception path).
 */
#ifndef XFRMGW_DATAPLANE_GW_ICMP_H
#define XFRMGW_DATAPLANE_GW_ICMP_H

#include <stdbool.h>
#include <stdint.h>

struct rte_mbuf;
struct rte_mempool;

/* Token bucket: rate per second, burst tokens at most. */
struct gw_ratelimit {
	uint64_t hz;
	uint64_t rate;
	uint64_t burst;
	uint64_t credit;	/* tokens * hz */
	uint64_t last;
};

void gw_ratelimit_init(struct gw_ratelimit *rl, uint64_t rate, uint64_t burst, uint64_t hz,
		       uint64_t now);
/* Take one token at now (tsc); false when the bucket is empty. */
bool gw_ratelimit_take(struct gw_ratelimit *rl, uint64_t now);

/* ICMPv4 types/codes used (RFC 792). */
#define GW_ICMP_UNREACH		3
#define GW_ICMP_UNREACH_NET	0
#define GW_ICMP_UNREACH_HOST	1
#define GW_ICMP_UNREACH_NEEDFRAG 4
#define GW_ICMP_TIMXCEED	11
#define GW_ICMP_TIMXCEED_INTRANS 0

/* ICMPv6 (RFC 4443 3). */
#define GW_ICMP6_UNREACH	1
#define GW_ICMP6_UNREACH_NOROUTE 0
#define GW_ICMP6_UNREACH_ADDR	3
#define GW_ICMP6_PKT_TOO_BIG	2
#define GW_ICMP6_TIME_EXCEEDED	3

/* Largest error datagrams: RFC 1812 4.3.2.3 (576), RFC 4443 2.4 c (1280). */
#define GW_ICMP4_MAX_LEN	576
#define GW_ICMP6_MAX_LEN	1280

/* May an error be sent about this packet (data at its IPv4/IPv6 header)? */
bool gw_icmp4_may_answer(const struct rte_mbuf *orig);
bool gw_icmp6_may_answer(const struct rte_mbuf *orig, uint8_t type);

/*
 * The error about orig (data at its IP header; not consumed) from our
 * address src, in a new mbuf from pool whose data starts at the IP header
 * (headroom left for Ethernet). info: the MTU for frag-needed / packet too
 * big, else 0. NULL when no error may be sent or no mbuf.
 */
struct rte_mbuf *gw_icmp4_error(struct rte_mempool *pool, const struct rte_mbuf *orig,
				uint8_t type, uint8_t code, uint16_t mtu, uint32_t src);
struct rte_mbuf *gw_icmp6_error(struct rte_mempool *pool, const struct rte_mbuf *orig,
				uint8_t type, uint8_t code, uint32_t mtu, const uint8_t src[16]);

#endif
