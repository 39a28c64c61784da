/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The AH ICV (RFC 4302 3.3.3), shared by both directions: zeroing the
 * mutable fields of a copy of the IP header (3.3.3.1), then running the
 * keyed digest or AES-GMAC over copy || AH header || payload || [ESN high].
 *
 * The packet itself is never modified here: the headers the ICV sees are a
 * copy in the packet's scratch, so an inbound packet that fails stays as it
 * came and the payload is read in place from the mbuf chain.
 */
#include <string.h>

#include <netinet/in.h>

#include <rte_ip.h>
#include <rte_pause.h>

#include "ah/ah_priv.h"

/* IPv4 option types (RFC 4302 A.1, RFC 791, RFC 2113). */
#define AH_IPOPT_EOL	0u
#define AH_IPOPT_NOP	1u
#define AH_IPOPT_LSRR	131u
#define AH_IPOPT_SSRR	137u

/* RFC 4302 A.1: the options included in the ICV as they are. */
static bool ip4_opt_immutable(uint8_t type)
{
	switch (type) {
	case 0:		/* End of Option List */
	case 1:		/* No Operation */
	case 130:	/* Security */
	case 133:	/* Extended Security */
	case 134:	/* Commercial Security */
	case 148:	/* Router Alert */
	case 149:	/* Sender Directed Multi-Destination Delivery */
		return true;
	default:
		return false;
	}
}

int ah_icv_zero_ip4(uint8_t *h, uint32_t hl, bool out)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)h;
	uint32_t off = sizeof(*ip);

	/* RFC 4302 3.3.3.1.1.1: mutable base header fields. */
	ip->type_of_service = 0;
	ip->fragment_offset = 0;	/* flags and offset */
	ip->time_to_live = 0;
	ip->hdr_checksum = 0;
	/* 3.3.3.1.1.2: an option is a unit; a mutable one is zeroed whole. */
	while (off < hl) {
		uint8_t type = h[off];
		uint32_t len;

		if (type == AH_IPOPT_EOL)
			break;		/* the rest is padding, included as it is */
		if (type == AH_IPOPT_NOP) {
			off++;
			continue;
		}
		if (unlikely(off + 2 > hl))
			return -EINVAL;
		len = h[off + 1];
		if (unlikely(len < 2 || off + len > hl))
			return -EINVAL;
		if (ip4_opt_immutable(type)) {
			off += len;
			continue;
		}
		/*
		 * 3.3.3.1.1.1: with source routing the destination is mutable
		 * but predictable: the receiver sees the route's last address.
		 */
		if (out && (type == AH_IPOPT_LSRR || type == AH_IPOPT_SSRR)) {
			if (unlikely(len < 7 || (len - 3) % 4))
				return -EINVAL;
			memcpy(&ip->dst_addr, h + off + len - 4, 4);
		}
		memset(h + off, 0, len);
		off += len;
	}
	return 0;
}

/* RFC 8200 4.2: option data whose type has the change bit (0x20) is zeroed. */
static int ip6_opts_zero(uint8_t *e, uint32_t elen)
{
	uint32_t off = 2;

	while (off < elen) {
		uint8_t type = e[off];
		uint32_t dl;

		if (type == 0) {	/* Pad1 */
			off++;
			continue;
		}
		if (unlikely(off + 2 > elen))
			return -EINVAL;
		dl = e[off + 1];
		if (unlikely(off + 2 + dl > elen))
			return -EINVAL;
		if (type & 0x20)
			memset(e + off + 2, 0, dl);
		off += 2 + dl;
	}
	return 0;
}

/*
 * RFC 4302 3.3.3.1.2.2 / RFC 8200 4.4: a Routing header with segments left
 * as the final destination will see it. For the address-list types (0 and
 * 2) each remaining hop swaps the destination with the next address: the
 * destination ends as the last address, the remaining addresses shift up by
 * one with the current destination in the first remaining slot, and
 * segments left is 0. Other types are predictable only when already
 * finished.
 */
static int ip6_rh_final(struct rte_ipv6_hdr *ip, uint8_t *e, uint32_t elen)
{
	uint8_t type = e[2], left = e[3];
	uint32_t n, first, k;
	uint8_t last[16];

	if (left == 0)
		return 0;
	if (unlikely(type != 0 && type != 2))
		return -EINVAL;
	n = (elen - 8) / 16;
	if (unlikely(e[1] % 2 || left > n))
		return -EINVAL;
	first = n - left;
	memcpy(last, e + 8 + (n - 1) * 16, 16);
	for (k = n - 1; k > first; k--)
		memcpy(e + 8 + k * 16, e + 8 + (k - 1) * 16, 16);
	memcpy(e + 8 + first * 16, ip->dst_addr, 16);
	memcpy(ip->dst_addr, last, 16);
	e[3] = 0;
	return 0;
}

int ah_icv_zero_ip6(uint8_t *h, uint32_t len, bool out)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)h;
	uint32_t off = sizeof(*ip);
	uint8_t nh = ip->proto;

	/* 3.3.3.1.2.1: traffic class, flow label and hop limit are mutable. */
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->hop_limits = 0;
	while (off < len) {
		uint8_t *e = h + off;
		uint32_t elen;

		if (unlikely(off + 2 > len))
			return -EINVAL;
		elen = ((uint32_t)e[1] + 1) * 8;
		if (unlikely(off + elen > len))
			return -EINVAL;
		switch (nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_DSTOPTS:
			if (ip6_opts_zero(e, elen))
				return -EINVAL;
			break;
		case IPPROTO_ROUTING:
			if (out && ip6_rh_final(ip, e, elen))
				return -EINVAL;
			break;
		case IPPROTO_FRAGMENT:
			return -EPROTO;	/* a fragment: reassembly comes first */
		default:
			return -EINVAL;
		}
		nh = e[0];
		off += elen;
	}
	return off == len ? 0 : -EINVAL;
}

static void ah_req_done(void *data, int err)
{
	struct ah_pkt *p = data;

	__atomic_store_n(&p->err, err, __ATOMIC_RELEASE);
}

/*
 * RFC 4543 4: AES-GMAC with nonce salt || IV, the whole ICV input as
 * associated data, nothing encrypted. The rfc4543 AEAD authenticates
 * assoclen + cryptlen bytes as associated data and takes its nonce from
 * req->iv, so the input is given as 16 bytes of "associated data" (the
 * template's ESP shape) followed by the rest; the tag slot (p->icv) ends the
 * list. Asynchronous transforms are polled to completion and the SA
 * re-checked.
 */
static int ah_icv_gmac(struct ah_lcore *lc, struct xfrm_sa *sa, struct ah_pkt *p,
		       struct rte_mbuf *m, uint32_t pay_len, bool esn, bool verify)
{
	struct crypto_aead *tfm = sa->crypto->aead;
	struct aead_request *req = (struct aead_request *)lc->reqmem;
	uint32_t hlen = (uint32_t)p->l3len + p->ah_len;
	uint32_t in_len = hlen + pay_len + (esn ? 4u : 0u);
	int rc;

	rc = xsg_add(&p->sg, p->hdr, hlen);
	if (!rc && pay_len)
		rc = xsg_add_mbuf(&p->sg, m, hlen, pay_len);
	if (!rc && esn)
		rc = xsg_add(&p->sg, &p->hi_be, 4);
	if (!rc)
		rc = xsg_add(&p->sg, p->icv, AH_GMAC_TAG);
	if (unlikely(rc))
		return rc;
	aead_request_init(req, tfm);
	aead_request_set_crypt(req, &p->sg, 0, &p->sg, 0,
			       in_len - 16 + (verify ? AH_GMAC_TAG : 0u), p->iv);
	aead_request_set_ad(req, 16);
	aead_request_set_callback(req, ah_req_done, p);
	p->err = -EINPROGRESS;
	rc = verify ? crypto_aead_decrypt(req) : crypto_aead_encrypt(req);
	if (rc != -EINPROGRESS)
		return rc;
	while ((rc = __atomic_load_n(&p->err, __ATOMIC_ACQUIRE)) == -EINPROGRESS)
		if (!crypto_aead_poll(tfm, AH_BURST))
			rte_pause();
	/* The SA may have died while the device worked (OpenBSD's re-lookup). */
	if (unlikely(!sa_is_valid(sa) || !sa->crypto || sa->crypto->aead != tfm))
		return -ESTALE;
	return rc;
}

/* Keyed digest over the same input, truncated to the SA's ICV (RFC 4302 2.6). */
static int ah_icv_shash(struct ah_lcore *lc, struct xfrm_sa *sa, struct ah_pkt *p,
			struct rte_mbuf *m, uint32_t pay_len, bool esn, bool verify)
{
	const struct sa_crypto *cr = sa->crypto;
	struct shash_desc *d = (struct shash_desc *)lc->desc;
	uint32_t hlen = (uint32_t)p->l3len + p->ah_len;
	int rc;

	d->tfm = cr->shash;
	rc = crypto_shash_init(d);
	if (!rc)
		rc = crypto_shash_update(d, p->hdr, hlen);
	if (!rc && pay_len) {
		rc = xsg_add_mbuf(&p->sg, m, hlen, pay_len);
		if (!rc)
			rc = crypto_shash_update_sg(d, &p->sg, 0, pay_len);
	}
	if (!rc && esn)
		rc = crypto_shash_update(d, (const uint8_t *)&p->hi_be, 4);
	if (!rc)
		rc = crypto_shash_final(d, lc->digest);
	if (unlikely(rc))
		return rc;
	if (verify)
		return crypto_memneq(lc->digest, p->icv, cr->icv_len) ? -EBADMSG : 0;
	memcpy(p->icv, lc->digest, cr->icv_len);
	return 0;
}

int ah_icv_compute(struct ah_lcore *lc, struct xfrm_sa *sa, struct ah_pkt *p,
		   struct rte_mbuf *m, enum ah_engine eng, bool esn, bool verify)
{
	uint32_t hlen = (uint32_t)p->l3len + p->ah_len;

	if (unlikely(m->pkt_len < hlen))
		return -EINVAL;
	xsg_init(&p->sg, p->ents, XSG_MAX_ENTS);
	/* RFC 4302 2.5.1 / 3.3.3.1: ESN high bits follow the packet, never sent. */
	if (esn)
		p->hi_be = rte_cpu_to_be_32((uint32_t)(p->seq >> 32));
	if (eng == AH_ENG_GMAC)
		return ah_icv_gmac(lc, sa, p, m, m->pkt_len - hlen, esn, verify);
	return ah_icv_shash(lc, sa, p, m, m->pkt_len - hlen, esn, verify);
}

void ah_icv_wipe(struct ah_lcore *lc)
{
	crypto_wipe(lc->desc, sizeof(lc->desc));
	crypto_wipe(lc->digest, sizeof(lc->digest));
}
