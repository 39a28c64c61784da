/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT traversal (RFC 3948): what arrives on the NAT-T port, and the
 * XFRM_MSG_MAPPING hook for a peer whose address or port changed.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "esp/esp_priv.h"
#include "sa/flow.h"

static esp_mapping_fn mapping_fn;
static void *mapping_arg;

void esp_set_mapping_hook(esp_mapping_fn fn, void *arg)
{
	__atomic_store_n(&mapping_arg, arg, __ATOMIC_RELAXED);
	__atomic_store_n(&mapping_fn, fn, __ATOMIC_RELEASE);
}

/*
 * RFC 3948 2.2/2.3 through the SPD's parser (sa/flow.h), so the gateway,
 * xfrmgw-pcap and ESP tell UDP-encapsulated ESP apart the same way.
 * Extension headers before UDP are walked; a fragment is never NAT-T.
 */
enum esp_natt_class esp_natt_classify(const struct rte_mbuf *m, uint32_t *spi)
{
	struct flow_hdrs h;

	if (flow_parse(m, 0, NULL, &h) != FLOW_OK || h.proto != IPPROTO_UDP || h.fragment)
		return ESP_NATT_NOT_UDP;
	switch (flow_natt_classify(m, h.l4, spi)) {
	case FLOW_NATT_ESP:
		return ESP_NATT_ESP;
	case FLOW_NATT_IKE:
		return ESP_NATT_IKE;
	case FLOW_NATT_KEEPALIVE:
		return ESP_NATT_KEEPALIVE;
	default:
		return ESP_NATT_NOT_UDP;
	}
}

/*
 * RFC 3948 / kernel esp_input_done2: an authenticated packet from a source
 * other than the SA's peer (address or UDP port) is a new NAT mapping.
 * Rate limit as the kernel's mapping_maxage (sa->mtimer_thresh seconds):
 * sa->type_priv keeps the time and port of the last report.
 */
void esp_natt_check_mapping(struct xfrm_sa *sa, const struct rte_mbuf *m, uint16_t l3len,
			    uint64_t now)
{
	esp_mapping_fn fn = __atomic_load_n(&mapping_fn, __ATOMIC_ACQUIRE);
	const uint8_t *l3 = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_udp_hdr *u = (const struct rte_udp_hdr *)(l3 + l3len);
	xfrm_address_t addr;
	uintptr_t last, cur;

	memset(&addr, 0, sizeof(addr));
	if (sa->family == AF_INET6)
		memcpy(&addr.in6, ((const struct rte_ipv6_hdr *)l3)->src_addr, 16);
	else
		addr.a4 = ((const struct rte_ipv4_hdr *)l3)->src_addr;
	if (likely(u->src_port == sa->encap.encap_sport &&
		   !memcmp(&addr, &sa->saddr, sa_addr_len(sa->family))))
		return;
	if (!fn)
		return;
	if (sa->mtimer_thresh) {
		last = __atomic_load_n(&sa->type_priv, __ATOMIC_RELAXED);
		cur = (uintptr_t)(now << 16) | u->src_port;
		if ((last & 0xffff) == u->src_port && (last >> 16) + sa->mtimer_thresh > now)
			return;
		__atomic_store_n(&sa->type_priv, cur, __ATOMIC_RELAXED);
	}
	fn(__atomic_load_n(&mapping_arg, __ATOMIC_RELAXED), sa, &addr, u->src_port);
}
