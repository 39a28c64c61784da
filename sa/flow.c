/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet to SPD flow (see flow.h).
 */
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "sa/flow.h"

#ifndef IPPROTO_MH
#define IPPROTO_MH 135
#endif
#define IPV4_HLEN	20
#define IPV6_HLEN	40
#define GRE_KEY_FLAG	0x20	/* RFC 2890 2: K bit, first octet */
#define GRE_CSUM_FLAG	0x80	/* RFC 2784 2.1: C bit */

/* IPv6 extension headers: step over each, stop at the upper layer (RFC 8200 4.1). */
static enum flow_status walk6(const struct rte_mbuf *m, uint32_t off, struct flow_hdrs *h)
{
	uint8_t buf[8];
	const uint8_t *e;

	for (unsigned int i = 0;; i++) {
		switch (h->proto) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_FRAGMENT:
			break;
		default:
			return FLOW_OK;
		}
		/* RFC 8200 4.1: Hop-by-Hop only right after the IPv6 header */
		if (i == FLOW_MAX_EXT || (i && h->proto == IPPROTO_HOPOPTS))
			return FLOW_BAD_CHAIN;
		e = rte_pktmbuf_read(m, off + h->l4, 8, buf);
		if (!e)
			return FLOW_BAD_CHAIN;
		if (h->proto == IPPROTO_FRAGMENT) {
			/*
			 * RFC 8200 4.5: fixed 8 bytes, offset in the top 13 bits,
			 * M in the lowest. Offset 0 without M is an atomic
			 * fragment, a whole packet (RFC 6946 4).
			 */
			uint16_t fo = (uint16_t)(e[2] << 8 | e[3]);

			h->fragment |= (fo & 0xfff9) != 0;
			h->later_fragment = (fo & 0xfff8) != 0;
			h->l4 += 8;
		} else {
			if (h->proto == IPPROTO_ROUTING && e[3])	/* RFC 8200 4.4 */
				h->routing_left = true;
			h->l4 += ((uint32_t)e[1] + 1) * 8;
		}
		h->proto = e[0];
		/* a later fragment carries data after its Fragment header, no more headers */
		if (h->later_fragment)
			return FLOW_OK;
		/* a header longer than what is left of the packet: the chain runs past it */
		if (off + h->l4 > rte_pktmbuf_pkt_len(m))
			return FLOW_BAD_CHAIN;
	}
}

/* Upper layers whose first four bytes are the source and destination ports. */
static bool has_ports(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		return true;
	}
	return false;
}

/* Ports, ICMP type/code, MH type or GRE key into the selector's port fields. */
static void upper_layer(const struct rte_mbuf *m, uint32_t l4, uint8_t proto,
			struct spd_flow *f)
{
	uint8_t buf[8];
	const uint8_t *p;

	if (has_ports(proto)) {
		p = rte_pktmbuf_read(m, l4, 4, buf);
		if (p) {
			memcpy(&f->sport, p, 2);
			memcpy(&f->dport, p + 2, 2);
		}
		return;
	}
	switch (proto) {
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		p = rte_pktmbuf_read(m, l4, 2, buf);
		if (p) {
			f->sport = rte_cpu_to_be_16(p[0]);
			f->dport = rte_cpu_to_be_16(p[1]);
		}
		break;
	case IPPROTO_MH:	/* RFC 6275 6.1.1: MH type, third octet */
		p = rte_pktmbuf_read(m, l4, 3, buf);
		if (p)
			f->sport = rte_cpu_to_be_16(p[2]);
		break;
	case IPPROTO_GRE:	/* RFC 2890: the key, after the checksum word if any */
		p = rte_pktmbuf_read(m, l4, 8, buf);
		if (p && (p[0] & GRE_KEY_FLAG)) {
			uint32_t k = p[0] & GRE_CSUM_FLAG ? 8 : 4;

			p = rte_pktmbuf_read(m, l4 + k, 4, buf);
			if (p) {
				memcpy(&f->sport, p, 2);
				memcpy(&f->dport, p + 2, 2);
			}
		}
		break;
	}
}

enum flow_status flow_parse(const struct rte_mbuf *m, uint32_t off, struct spd_flow *f,
			    struct flow_hdrs *hp)
{
	struct spd_flow fl;
	struct flow_hdrs h;
	uint8_t buf[IPV6_HLEN];
	const uint8_t *ip = rte_pktmbuf_read(m, off, 1, buf);
	enum flow_status st = FLOW_OK;

	memset(&fl, 0, sizeof(fl));
	memset(&h, 0, sizeof(h));
	if (!ip)
		goto not_ip;
	if (ip[0] >> 4 == 4) {
		uint16_t ff;

		ip = rte_pktmbuf_read(m, off, IPV4_HLEN, buf);
		/* RFC 791 3.1: IHL at least 5, and the header inside the packet */
		if (!ip || (ip[0] & 0xf) < 5 ||
		    off + (ip[0] & 0xfu) * 4u > rte_pktmbuf_pkt_len(m))
			goto not_ip;
		h.family = AF_INET;
		h.proto = ip[9];
		h.l4 = (ip[0] & 0xfu) * 4u;
		ff = (uint16_t)(ip[6] << 8 | ip[7]);
		h.fragment = (ff & 0x3fff) != 0;	/* MF or an offset */
		h.later_fragment = (ff & 0x1fff) != 0;
		memcpy(&fl.saddr.a4, ip + 12, 4);
		memcpy(&fl.daddr.a4, ip + 16, 4);
	} else if (ip[0] >> 4 == 6) {
		ip = rte_pktmbuf_read(m, off, IPV6_HLEN, buf);
		if (!ip)
			goto not_ip;
		h.family = AF_INET6;
		h.proto = ip[6];
		h.l4 = IPV6_HLEN;
		memcpy(fl.saddr.a6, ip + 8, 16);
		memcpy(fl.daddr.a6, ip + 24, 16);
		st = walk6(m, off, &h);
	} else {
		goto not_ip;
	}
	fl.family = h.family;
	fl.proto = h.proto;
	if (st == FLOW_OK && !h.later_fragment)
		upper_layer(m, off + h.l4, h.proto, &fl);
	if (f)
		*f = fl;
	if (hp)
		*hp = h;
	return st;

not_ip:
	if (f)
		*f = fl;
	if (hp)
		*hp = h;
	return FLOW_NOT_IP;
}

/* ICMP error types that quote the packet they are about (RFC 792, RFC 4443 2.1). */
static bool icmp_is_error(uint16_t family, uint8_t type)
{
	if (family == AF_INET6)
		return type < 128;
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

bool flow_icmp_quoted_reverse(const struct rte_mbuf *m, uint32_t l4, uint16_t family,
			      struct spd_flow *f)
{
	uint8_t buf[1];
	const uint8_t *t = rte_pktmbuf_read(m, l4, 1, buf);
	struct spd_flow q;

	if (!t || !icmp_is_error(family, t[0]))
		return false;
	/* the quoted packet starts after the 8-byte ICMP header */
	if (flow_parse(m, l4 + 8, &q, NULL) != FLOW_OK || q.family != family)
		return false;
	memset(f, 0, sizeof(*f));
	f->family = q.family;
	f->proto = q.proto;
	f->saddr = q.daddr;
	f->daddr = q.saddr;
	/*
	 * Ports turn round with the direction; ICMP type and code, the MH
	 * type and the GRE key stay (the kernel's reverse session decode).
	 */
	f->sport = has_ports(q.proto) ? q.dport : q.sport;
	f->dport = has_ports(q.proto) ? q.sport : q.dport;
	return true;
}

enum flow_natt flow_natt_classify(const struct rte_mbuf *m, uint32_t udp_off, uint32_t *spi)
{
	uint8_t ub[8], pb[4];
	const uint8_t *u = rte_pktmbuf_read(m, udp_off, 8, ub), *pl;
	uint32_t ulen;

	if (!u)
		return FLOW_NATT_NONE;
	ulen = (uint32_t)(u[4] << 8 | u[5]);
	if (ulen < 8 || udp_off + ulen > rte_pktmbuf_pkt_len(m))
		return FLOW_NATT_NONE;
	/* RFC 3948 2.3: a single 0xFF octet is a NAT-keepalive */
	if (ulen == 8 + 1) {
		pl = rte_pktmbuf_read(m, udp_off + 8, 1, pb);
		return pl && pl[0] == 0xff ? FLOW_NATT_KEEPALIVE : FLOW_NATT_NONE;
	}
	if (ulen < 8 + 4)
		return FLOW_NATT_NONE;
	pl = rte_pktmbuf_read(m, udp_off + 8, 4, pb);
	/* RFC 3948 2.2: a zero SPI is the non-ESP marker: IKE */
	if (!pl[0] && !pl[1] && !pl[2] && !pl[3])
		return FLOW_NATT_IKE;
	/* an ESP header (SPI, sequence number) follows the UDP header */
	if (ulen < 8 + 8)
		return FLOW_NATT_NONE;
	memcpy(spi, pl, 4);
	return FLOW_NATT_ESP;
}
