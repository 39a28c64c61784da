/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fragmentation and reassembly.
 *
 * Outbound: an IPv4 packet larger than the MTU with DF clear is cut into
 * fragments (RFC 791 3.2) before it is encrypted, so each fragment becomes
 * one ESP packet that fits (RFC 4301 8.1: fragment the inner packet, not
 * the outer). Fragments are fresh direct mbufs (chained when one segment
 * cannot hold them), so ESP may write in place and append its trailer.
 *
 * Inbound: outer fragments addressed to the gateway are reassembled with
 * rte_ip_frag before ESP/AH sees them (RFC 4303 3.4.1); the result is a
 * chained mbuf. One table per worker (rte_ip_frag tables are not shared).
 */
#ifndef XFRMGW_DATAPLANE_GW_FRAG_H
#define XFRMGW_DATAPLANE_GW_FRAG_H

#include <stdint.h>

struct rte_mbuf;
struct rte_mempool;

/* Most fragments one packet may be cut into (a 9600-byte packet at 576: 17). */
#define GW_FRAG_MAX 32

/*
 * Cut m (data at the IPv4 header) into fragments of at most mtu bytes.
 * Returns the number of fragments written to out (m is freed), or
 * -EMSGSIZE (DF set), -EINVAL (mtu too small or bad header), -ENOBUFS
 * (no mbufs, or more than max_out fragments): then m is left untouched.
 */
int gw_frag4(struct rte_mbuf *m, uint16_t mtu, struct rte_mempool *pool, struct rte_mbuf **out,
	     unsigned int max_out);

struct gw_reasm;

/* Up to max_flows packets in reassembly, each given up after timeout (tsc ticks). */
struct gw_reasm *gw_reasm_create(unsigned int max_flows, uint64_t timeout, int socket_id);
void gw_reasm_free(struct gw_reasm *r);

/*
 * Feed a fragment (data at its IPv4/IPv6 header). Returns the reassembled
 * packet (data at its IP header, header checksum fixed) when this was the
 * last missing piece, else NULL (held). *dropped: how many fragments
 * (this one or older ones) were given up (table full, timeout, bad).
 */
struct rte_mbuf *gw_reasm4(struct gw_reasm *r, struct rte_mbuf *m, uint64_t now, int *dropped);
struct rte_mbuf *gw_reasm6(struct gw_reasm *r, struct rte_mbuf *m, uint64_t now, int *dropped);

/* Free the mbufs rte_ip_frag put on the death row (once per burst). */
void gw_reasm_flush(struct gw_reasm *r);

#endif
