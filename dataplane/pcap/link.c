/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * L2 headers of the link types xfrmgw-pcap reads and writes
 * (https://www.tcpdump.org/linktypes.html): where the IP packet starts and
 * how to re-label it when ESP changed its version (IPv4 inner, IPv6 outer).
 */
#include <string.h>

#include <pcap/pcap.h>

#include "dataplane/pcap/pcap_mode.h"

#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif
#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

#define ETH_HLEN	14
#define VLAN_HLEN	4
#define SLL_HLEN	16
#define SLL2_HLEN	20
#define NULL_HLEN	4

#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_IPV6	0x86dd

/* BSD loopback address families (DLT_NULL / DLT_LOOP). */
#define BSD_AF_INET	2
#define BSD_AF_INET6	24	/* NetBSD/OpenBSD; 10 (Linux), 28, 30 are read too */

static const struct xpc_link links[] = {
	{ DLT_EN10MB, "ethernet" },
	{ DLT_RAW, "raw" },
	{ DLT_IPV4, "ipv4" },
	{ DLT_IPV6, "ipv6" },
	{ DLT_LINUX_SLL, "linux-sll" },
	{ DLT_LINUX_SLL2, "linux-sll2" },
	{ DLT_NULL, "null" },
	{ DLT_LOOP, "loop" },
};

const struct xpc_link *xpc_link_find(int dlt)
{
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (links[i].dlt == dlt)
			return &links[i];
	return NULL;
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static unsigned int ethertype_ipver(uint16_t type)
{
	return type == ETHERTYPE_IPV4 ? 4 : type == ETHERTYPE_IPV6 ? 6 : 0;
}

static bool is_vlan(uint16_t type)
{
	return type == 0x8100 || type == 0x88a8 || type == 0x9100;
}

/* Ethernet II with any 802.1Q/802.1ad tags: offset of the final ethertype. */
static int eth_type_offset(const uint8_t *p, uint32_t len)
{
	uint32_t off = 12;

	if (len < ETH_HLEN)
		return -1;
	while (is_vlan(get_be16(p + off))) {
		off += VLAN_HLEN;
		if (off + 2 > len || off + 2 > XPC_L2_MAX)
			return -1;
	}
	return (int)off;
}

/* DLT_NULL is in the writer's byte order; DLT_LOOP is big-endian. */
static uint32_t null_family(const uint8_t *p, int dlt, bool *little)
{
	uint32_t be = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	uint32_t le = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];

	*little = dlt == DLT_NULL && !(le & 0xffff0000u);
	return *little ? le : be;
}

static unsigned int null_ipver(uint32_t af)
{
	if (af == BSD_AF_INET)
		return 4;
	if (af == 10 || af == 24 || af == 28 || af == 30)
		return 6;
	return 0;
}

/* Raw link types: the version nibble says it (LINKTYPE_IPV4/6 only that one). */
static unsigned int raw_ipver(int dlt, const uint8_t *p, uint32_t len)
{
	unsigned int v = len ? p[0] >> 4 : 0;

	if (v != 4 && v != 6)
		return 0;
	if ((dlt == DLT_IPV4 && v != 4) || (dlt == DLT_IPV6 && v != 6))
		return 0;
	return v;
}

int xpc_l2_parse(const struct xpc_link *lk, const uint8_t *p, uint32_t len,
		 uint32_t *l2_len, unsigned int *ipver)
{
	bool little;
	int off;

	switch (lk->dlt) {
	case DLT_EN10MB:
		off = eth_type_offset(p, len);
		if (off < 0)
			return -1;
		*l2_len = (uint32_t)off + 2;
		*ipver = ethertype_ipver(get_be16(p + off));
		return 0;
	case DLT_LINUX_SLL:
		if (len < SLL_HLEN)
			return -1;
		*l2_len = SLL_HLEN;
		*ipver = ethertype_ipver(get_be16(p + 14));
		return 0;
	case DLT_LINUX_SLL2:
		if (len < SLL2_HLEN)
			return -1;
		*l2_len = SLL2_HLEN;
		*ipver = ethertype_ipver(get_be16(p));
		return 0;
	case DLT_NULL:
	case DLT_LOOP:
		if (len < NULL_HLEN)
			return -1;
		*l2_len = NULL_HLEN;
		*ipver = null_ipver(null_family(p, lk->dlt, &little));
		return 0;
	default:	/* DLT_RAW, DLT_IPV4, DLT_IPV6 */
		*l2_len = 0;
		*ipver = raw_ipver(lk->dlt, p, len);
		return 0;
	}
}

static void put_null_family(uint8_t *p, int dlt, uint32_t af)
{
	bool little;

	null_family(p, dlt, &little);
	if (little) {
		p[0] = (uint8_t)af;
		p[1] = (uint8_t)(af >> 8);
		p[2] = (uint8_t)(af >> 16);
		p[3] = (uint8_t)(af >> 24);
	} else {
		p[0] = (uint8_t)(af >> 24);
		p[1] = (uint8_t)(af >> 16);
		p[2] = (uint8_t)(af >> 8);
		p[3] = (uint8_t)af;
	}
}

bool xpc_l2_fix(const struct xpc_link *lk, uint8_t *l2, uint32_t l2_len, unsigned int ipver)
{
	uint16_t type = ipver == 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
	bool little;

	switch (lk->dlt) {
	case DLT_EN10MB:
		put_be16(l2 + l2_len - 2, type);
		return true;
	case DLT_LINUX_SLL:
		put_be16(l2 + 14, type);
		return true;
	case DLT_LINUX_SLL2:
		put_be16(l2, type);
		return true;
	case DLT_NULL:
	case DLT_LOOP:
		/* keep the original value when the version did not change */
		if (null_ipver(null_family(l2, lk->dlt, &little)) != ipver)
			put_null_family(l2, lk->dlt, ipver == 6 ? BSD_AF_INET6 : BSD_AF_INET);
		return true;
	case DLT_IPV4:
		return ipver == 4;
	case DLT_IPV6:
		return ipver == 6;
	default:
		return true;
	}
}
