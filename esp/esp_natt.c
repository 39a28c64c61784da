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

static esp_mapping_fn mapping_fn;
static void *mapping_arg;

void esp_set_mapping_hook(esp_mapping_fn fn, void *arg)
{
	__atomic_store_n(&mapping_arg, arg, __ATOMIC_RELAXED);
	__atomic_store_n(&mapping_fn, fn, __ATOMIC_RELEASE);
}

/* Offset of the UDP header, or 0 when m is not a UDP datagram we can read. */
static uint32_t natt_udp_off(const struct rte_mbuf *m)
{
	uint8_t buf[sizeof(struct rte_ipv6_hdr)];
	const uint8_t *h = rte_pktmbuf_read(m, 0, 1, buf);

	if (!h)
		return 0;
	if ((h[0] >> 4) == 4) {
		const struct rte_ipv4_hdr *ip = rte_pktmbuf_read(m, 0, sizeof(*ip), buf);

		if (!ip || ip->next_proto_id != IPPROTO_UDP || (ip->version_ihl & 0xf) < 5 ||
		    (ip->fragment_offset &
		     rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
			return 0;
		return (ip->version_ihl & 0xfu) * 4u;
	}
	if ((h[0] >> 4) == 6) {
		const struct rte_ipv6_hdr *ip = rte_pktmbuf_read(m, 0, sizeof(*ip), buf);

		/* Extension headers before UDP are not expected on the NAT-T path. */
		if (!ip || ip->proto != IPPROTO_UDP)
			return 0;
		return sizeof(*ip);
	}
	return 0;
}

enum esp_natt_class esp_natt_classify(const struct rte_mbuf *m, uint32_t *spi)
{
	uint8_t ub[sizeof(struct rte_udp_hdr)], pb[4];
	const struct rte_udp_hdr *u;
	const uint8_t *pl;
	uint32_t off = natt_udp_off(m), ulen;

	if (!off)
		return ESP_NATT_NOT_UDP;
	u = rte_pktmbuf_read(m, off, sizeof(*u), ub);
	if (!u)
		return ESP_NATT_NOT_UDP;
	ulen = rte_be_to_cpu_16(u->dgram_len);
	if (ulen < sizeof(*u) || off + ulen > m->pkt_len)
		return ESP_NATT_NOT_UDP;
	/* RFC 3948 2.3: a single 0xFF octet is a NAT-keepalive. */
	if (ulen == sizeof(*u) + 1) {
		pl = rte_pktmbuf_read(m, off + sizeof(*u), 1, pb);
		return pl && pl[0] == 0xff ? ESP_NATT_KEEPALIVE : ESP_NATT_NOT_UDP;
	}
	if (ulen < sizeof(*u) + 4)
		return ESP_NATT_NOT_UDP;
	pl = rte_pktmbuf_read(m, off + sizeof(*u), 4, pb);
	/* RFC 3948 2.2: a zero SPI is the non-ESP marker: IKE. */
	if (!pl[0] && !pl[1] && !pl[2] && !pl[3])
		return ESP_NATT_IKE;
	/* RFC 3948 2.2: an ESP header (SPI, sequence number) follows the UDP header. */
	if (ulen < sizeof(*u) + 8)
		return ESP_NATT_NOT_UDP;
	memcpy(spi, pl, 4);
	return ESP_NATT_ESP;
}

/*
 * RFC 3948 / kernel esp_input_done2: an authenticated packet from a source
 * other than the SA's peer (address or UDP port) is a new NAT mapping.
 * Rate limit as the kernel's mapping_maxage (sa->mtimer_thresh seconds):
 * sa->ops_priv keeps the time and port of the last report.
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
		last = __atomic_load_n((uintptr_t *)&sa->ops_priv, __ATOMIC_RELAXED);
		cur = (uintptr_t)(now << 16) | u->src_port;
		if ((last & 0xffff) == u->src_port && (last >> 16) + sa->mtimer_thresh > now)
			return;
		__atomic_store_n((uintptr_t *)&sa->ops_priv, cur, __ATOMIC_RELAXED);
	}
	fn(__atomic_load_n(&mapping_arg, __ATOMIC_RELAXED), sa, &addr, u->src_port);
}
