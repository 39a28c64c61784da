/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SPD's view of a packet (data at its IP header): addresses, protocol,
 * ports or ICMP type/code, as XFRM selectors match them.
 */
#ifndef XFRMGW_DATAPLANE_GW_IPSEC_FLOW_H
#define XFRMGW_DATAPLANE_GW_IPSEC_FLOW_H

#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "sa/spd.h"

static inline void gw_flow_of(const struct rte_mbuf *m, struct spd_flow *f)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t l4 = 0;
	uint8_t buf[4];
	const uint8_t *ports;

	memset(f, 0, sizeof(*f));
	if ((p[0] >> 4) == 4) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)p;

		f->family = AF_INET;
		memcpy(&f->saddr.a4, &ip->src_addr, 4);
		memcpy(&f->daddr.a4, &ip->dst_addr, 4);
		f->proto = ip->next_proto_id;
		if (!(rte_be_to_cpu_16(ip->fragment_offset) & RTE_IPV4_HDR_OFFSET_MASK))
			l4 = (ip->version_ihl & 0xf) * 4u;
	} else {
		const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)p;

		f->family = AF_INET6;
		memcpy(f->saddr.a6, ip->src_addr, 16);
		memcpy(f->daddr.a6, ip->dst_addr, 16);
		f->proto = ip->proto;
		l4 = sizeof(*ip);
	}
	if (!l4)
		return;
	switch (f->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
		ports = rte_pktmbuf_read(m, l4, 4, buf);
		if (ports) {
			memcpy(&f->sport, ports, 2);
			memcpy(&f->dport, ports + 2, 2);
		}
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* XFRM carries ICMP type and code in the port fields */
		ports = rte_pktmbuf_read(m, l4, 2, buf);
		if (ports) {
			f->sport = rte_cpu_to_be_16(ports[0]);
			f->dport = rte_cpu_to_be_16(ports[1]);
		}
		break;
	}
}

#endif
