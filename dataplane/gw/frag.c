/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 fragmentation before encryption, and reassembly (see frag.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>

#include "dataplane/gw/frag.h"

#define GW_IPOPT_COPIED 0x80

/*
 * RFC 791 3.1: options with the copied flag go into every fragment. Writes
 * them, padded with end-of-list to 4 bytes, into out; returns the length.
 */
static unsigned int copied_options(const uint8_t *opt, unsigned int len, uint8_t *out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < len;) {
		unsigned int olen;

		if (opt[i] == 0)	/* end of list */
			break;
		if (opt[i] == 1) {	/* no-op */
			i++;
			continue;
		}
		if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len)
			break;
		olen = opt[i + 1];
		if (opt[i] & GW_IPOPT_COPIED) {
			memcpy(out + n, opt + i, olen);
			n += olen;
		}
		i += olen;
	}
	while (n & 3)
		out[n++] = 0;
	return n;
}

/* Append len bytes of src from off to the chain at head, adding segments as needed. */
static int append_from(struct rte_mempool *pool, struct rte_mbuf *head,
		       const struct rte_mbuf *src, uint32_t off, uint32_t len)
{
	while (len) {
		struct rte_mbuf *tail = rte_pktmbuf_lastseg(head);
		uint32_t room = rte_pktmbuf_tailroom(tail), n;
		const void *s;
		char *d;

		if (room == 0) {
			struct rte_mbuf *seg = rte_pktmbuf_alloc(pool);

			if (!seg || rte_pktmbuf_chain(head, seg)) {
				rte_pktmbuf_free(seg);
				return -ENOBUFS;
			}
			continue;
		}
		n = len < room ? len : room;
		d = rte_pktmbuf_mtod_offset(tail, char *, tail->data_len);
		s = rte_pktmbuf_read(src, off, n, d);
		if (!s)
			return -EINVAL;
		if (s != d)
			memcpy(d, s, n);
		tail->data_len = (uint16_t)(tail->data_len + n);
		head->pkt_len += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* One fragment: header hdr (hlen bytes) then payload [off, off + len) of m. */
static struct rte_mbuf *make_fragment(struct rte_mempool *pool, const struct rte_mbuf *m,
				      const uint8_t *hdr, unsigned int hlen, uint32_t off,
				      uint32_t len, uint16_t frag_field)
{
	struct rte_mbuf *f = rte_pktmbuf_alloc(pool);
	struct rte_ipv4_hdr *ip;

	if (!f)
		return NULL;
	ip = (struct rte_ipv4_hdr *)rte_pktmbuf_append(f, (uint16_t)hlen);
	if (!ip || append_from(pool, f, m, off, len)) {
		rte_pktmbuf_free(f);
		return NULL;
	}
	memcpy(ip, hdr, hlen);
	ip->version_ihl = (uint8_t)(0x40 | (hlen / 4));
	ip->total_length = rte_cpu_to_be_16((uint16_t)(hlen + len));
	ip->fragment_offset = rte_cpu_to_be_16(frag_field);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	f->l3_len = (uint16_t)hlen;
	f->packet_type = m->packet_type;
	f->port = m->port;
	return f;
}

int gw_frag4(struct rte_mbuf *m, uint16_t mtu, struct rte_mempool *pool, struct rte_mbuf **out,
	     unsigned int max_out)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	unsigned int hl = (ip->version_ihl & 0xf) * 4u, hl2, nf = 0;
	uint16_t ff = rte_be_to_cpu_16(ip->fragment_offset);
	uint32_t total = rte_be_to_cpu_16(ip->total_length), off = hl;
	uint8_t first[60], later[60];

	if (ff & RTE_IPV4_HDR_DF_FLAG)
		return -EMSGSIZE;
	if (hl < sizeof(*ip) || hl > m->data_len || total > rte_pktmbuf_pkt_len(m) || total < hl)
		return -EINVAL;
	memcpy(first, ip, hl);
	memcpy(later, ip, sizeof(*ip));
	hl2 = sizeof(*ip) + copied_options(first + sizeof(*ip), hl - sizeof(*ip), later + sizeof(*ip));
	if (mtu < hl + 8 || mtu < hl2 + 8)
		return -EINVAL;
	while (off < total) {
		unsigned int h = nf ? hl2 : hl;
		uint32_t len = total - off, max = (mtu - h) & ~7u;
		uint16_t field = (uint16_t)((ff & RTE_IPV4_HDR_OFFSET_MASK) + (off - hl) / 8);

		if (len > max) {
			len = max;
			field |= RTE_IPV4_HDR_MF_FLAG;
		} else {
			field |= ff & RTE_IPV4_HDR_MF_FLAG;	/* a fragment's last piece keeps MF */
		}
		if (nf == max_out)
			goto fail;
		out[nf] = make_fragment(pool, m, nf ? later : first, h, off, len, field);
		if (!out[nf])
			goto fail;
		nf++;
		off += len;
	}
	rte_pktmbuf_free(m);
	return (int)nf;
fail:
	for (unsigned int i = 0; i < nf; i++)
		rte_pktmbuf_free(out[i]);
	return -ENOBUFS;
}

struct gw_reasm {
	struct rte_ip_frag_tbl *tbl;
	struct rte_ip_frag_death_row dr;
};

struct gw_reasm *gw_reasm_create(unsigned int max_flows, uint64_t timeout, int socket_id)
{
	struct gw_reasm *r = calloc(1, sizeof(*r));
	uint32_t buckets = (max_flows + 7) / 8;

	if (!r)
		return NULL;
	r->tbl = rte_ip_frag_table_create(buckets ? buckets : 1, 8, max_flows, timeout, socket_id);
	if (!r->tbl) {
		free(r);
		return NULL;
	}
	return r;
}

void gw_reasm_free(struct gw_reasm *r)
{
	if (!r)
		return;
	gw_reasm_flush(r);
	rte_ip_frag_table_destroy(r->tbl);
	free(r);
}

void gw_reasm_flush(struct gw_reasm *r)
{
	rte_ip_frag_free_death_row(&r->dr, 0);
}

/* Fragments rte_ip_frag gave up on (table full, timed out, bad) went to the death row. */
static struct rte_mbuf *reasm_done(struct gw_reasm *r, struct rte_mbuf *out, uint32_t dr_before,
				   int *dropped)
{
	*dropped = (int)(r->dr.cnt - dr_before);
	return out;
}

struct rte_mbuf *gw_reasm4(struct gw_reasm *r, struct rte_mbuf *m, uint64_t now, int *dropped)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	uint32_t before;
	struct rte_mbuf *out;

	if (r->dr.cnt > RTE_IP_FRAG_DEATH_ROW_LEN - RTE_LIBRTE_IP_FRAG_MAX_FRAG - 1)
		gw_reasm_flush(r);
	before = r->dr.cnt;
	m->l2_len = 0;
	m->l3_len = (uint16_t)((ip->version_ihl & 0xf) * 4u);
	out = rte_ipv4_frag_reassemble_packet(r->tbl, &r->dr, m, now, ip);
	if (out) {
		ip = rte_pktmbuf_mtod(out, struct rte_ipv4_hdr *);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	return reasm_done(r, out, before, dropped);
}

struct rte_mbuf *gw_reasm6(struct gw_reasm *r, struct rte_mbuf *m, uint64_t now, int *dropped)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
	struct rte_ipv6_fragment_ext *fh = rte_ipv6_frag_get_ipv6_fragment_header(ip);
	uint32_t before;
	struct rte_mbuf *out;

	if (!fh || m->data_len < sizeof(*ip) + sizeof(*fh)) {
		rte_pktmbuf_free(m);
		*dropped = 1;
		return NULL;
	}
	if (r->dr.cnt > RTE_IP_FRAG_DEATH_ROW_LEN - RTE_LIBRTE_IP_FRAG_MAX_FRAG - 1)
		gw_reasm_flush(r);
	before = r->dr.cnt;
	m->l2_len = 0;
	m->l3_len = sizeof(*ip) + sizeof(*fh);
	out = rte_ipv6_frag_reassemble_packet(r->tbl, &r->dr, m, now, ip, fh);
	return reasm_done(r, out, before, dropped);
}
