/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP frames (RFC 826; RFC 5227 for what a request may look like).
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_arp.h>

#include "dataplane/gw/arp.h"

bool gw_arp_parse(const uint8_t *frame, size_t len, struct gw_arp_info *info)
{
	const struct rte_arp_hdr *a = (const struct rte_arp_hdr *)(frame + RTE_ETHER_HDR_LEN);

	if (len < GW_ARP_FRAME_LEN)
		return false;
	if (a->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    a->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    a->arp_hlen != RTE_ETHER_ADDR_LEN || a->arp_plen != 4)
		return false;
	info->op = rte_be_to_cpu_16(a->arp_opcode);
	if (info->op != RTE_ARP_OP_REQUEST && info->op != RTE_ARP_OP_REPLY)
		return false;
	memcpy(info->sha, &a->arp_data.arp_sha, 6);
	memcpy(info->tha, &a->arp_data.arp_tha, 6);
	memcpy(&info->spa, &a->arp_data.arp_sip, 4);
	memcpy(&info->tpa, &a->arp_data.arp_tip, 4);
	return true;
}

void gw_arp_reply_in_place(uint8_t *frame, const uint8_t our_mac[6])
{
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)frame;
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(frame + RTE_ETHER_HDR_LEN);
	uint32_t sip, tip;

	memcpy(&sip, &a->arp_data.arp_sip, 4);
	memcpy(&tip, &a->arp_data.arp_tip, 4);
	memcpy(&e->dst_addr, &a->arp_data.arp_sha, 6);
	memcpy(&e->src_addr, our_mac, 6);
	a->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	memcpy(&a->arp_data.arp_tha, &a->arp_data.arp_sha, 6);
	memcpy(&a->arp_data.arp_tip, &sip, 4);
	memcpy(&a->arp_data.arp_sha, our_mac, 6);
	memcpy(&a->arp_data.arp_sip, &tip, 4);
}

size_t gw_arp_request(uint8_t *frame, const uint8_t mac[6], uint32_t spa, uint32_t tpa)
{
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)frame;
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(frame + RTE_ETHER_HDR_LEN);

	memset(&e->dst_addr, 0xff, 6);
	memcpy(&e->src_addr, mac, 6);
	e->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	a->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	a->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	a->arp_hlen = RTE_ETHER_ADDR_LEN;
	a->arp_plen = 4;
	a->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	memcpy(&a->arp_data.arp_sha, mac, 6);
	memcpy(&a->arp_data.arp_sip, &spa, 4);
	memset(&a->arp_data.arp_tha, 0, 6);
	memcpy(&a->arp_data.arp_tip, &tpa, 4);
	return GW_ARP_FRAME_LEN;
}
