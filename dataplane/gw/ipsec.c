/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPsec steps of the packet path around esp/ (RFC 4301 5.1, 5.2):
 *  - inbound: SA by (daddr, SPI, proto) for a burst, ESP in groups of one
 *    SA, the decapsulated packet checked against the SA's selector, then
 *    forwarded (or delivered to the host);
 *  - outbound: SPD lookup, template -> SA (or ACQUIRE), inner
 *    fragmentation to the post-encapsulation MTU (RFC 4301 8.1) or ICMP
 *    when DF forbids it, ESP in groups of one SA, then routed as is.
 * An inbound SA's replay window has one writer at a time: with several
 * workers its bursts are serialised by a lock stripe.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "dataplane/gw/classify.h"
#include "dataplane/gw/gateway.h"
#include "dataplane/gw/gw.h"
#include "dataplane/gw/ipsec_flow.h"
#include "dataplane/gw/route.h"
#include "esp/esp.h"
#include "sa/lifetime.h"
#include "sa/sad.h"
#include "sa/spd.h"

#define OUT_PENDING 256

struct gw_ipsec_lcore {
	struct esp_lcore *esp;
	unsigned int n;
	struct xfrm_sa *sa[OUT_PENDING];
	struct rte_mbuf *m[OUT_PENDING];
};

int gw_ipsec_lcore_init(struct gw *g, struct gw_worker *w)
{
	if (!g->sad)
		return 0;	/* no SAs: a plain router */
	w->ipsec = calloc(1, sizeof(*w->ipsec));
	if (!w->ipsec)
		return -ENOMEM;
	w->ipsec->esp = esp_lcore_create(g->pool, (int)rte_socket_id());
	if (!w->ipsec->esp) {
		free(w->ipsec);
		w->ipsec = NULL;
		return -ENOMEM;
	}
	return 0;
}

void gw_ipsec_lcore_free(struct gw_worker *w)
{
	if (!w->ipsec)
		return;
	for (unsigned int i = 0; i < w->ipsec->n; i++)
		rte_pktmbuf_free(w->ipsec->m[i]);
	esp_lcore_free(w->ipsec->esp);
	free(w->ipsec);
	w->ipsec = NULL;
}

/* ---- NAT-T mapping changes (RFC 3948) ---- */

/* Runs on the worker that authenticated the packet: queue it for the control thread. */
static void on_mapping(void *arg, struct xfrm_sa *sa, const xfrm_address_t *addr, uint16_t port)
{
	struct gw *g = arg;
	struct xgw_mapping e;

	memset(&e, 0, sizeof(e));
	e.daddr = sa->id.daddr;
	e.spi = sa->id.spi;
	e.family = sa->family;
	e.proto = sa->id.proto;
	e.mark = sa->mark.v & sa->mark.m;
	e.if_id = sa->if_id;
	e.new_saddr = *addr;
	e.new_sport = port;
	if (rte_ring_enqueue_elem(g->mappings, &e, sizeof(e)))
		__atomic_add_fetch(&g->mappings_lost, 1, __ATOMIC_RELAXED);
}

void gw_ipsec_hooks(struct gw *g)
{
	if (g && g->mappings)
		esp_set_mapping_hook(on_mapping, g);
	else
		esp_set_mapping_hook(NULL, NULL);
}

unsigned int gw_ipsec_drops(const struct gw_worker *w, uint64_t *drop, const char **names,
			    unsigned int max)
{
	const struct esp_stats *st;
	unsigned int n = RTE_MIN((unsigned int)ESP_DROP_MAX, max);

	for (unsigned int i = 0; i < n; i++)
		names[i] = esp_drop_name((enum esp_drop)i);
	if (!w->ipsec)
		return n;
	st = esp_lcore_stats(w->ipsec->esp);
	for (unsigned int i = 0; i < n; i++)
		drop[i] += __atomic_load_n(&st->drop[i], __ATOMIC_RELAXED);
	return n;
}

/* ESP's worst case for sa: outer header, UDP, header, IV, padding, ICV (RFC 4303 2). */
unsigned int gw_ipsec_overhead(const struct xfrm_sa *sa)
{
	unsigned int o = 8 + 2, iv = 16, block = 16, icv = 16;

	if (sa->mode == XFRM_MODE_TUNNEL)
		o += sa->family == AF_INET6 ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr);
	if (sa->has_encap)
		o += sizeof(struct rte_udp_hdr);
	if (sa->aead) {
		iv = 8;		/* GCM, CCM, ChaCha20-Poly1305: RFC 4106/4309/7634 */
		block = 4;
		icv = sa->aead->alg_icv_len / 8;
	} else {
		if (sa->ealg && !strncmp(sa->ealg->alg_name, "ecb(cipher_null)", 16))
			iv = 0, block = 4;
		else if (sa->ealg && strncmp(sa->ealg->alg_name, "cbc(", 4))
			iv = 8, block = 4;	/* counter modes */
		icv = sa->aalg ? sa->aalg->alg_trunc_len / 8 : 0;
	}
	return o + iv + (block - 1) + icv;
}

/* ---- inbound ---- */

static void in_key(const struct rte_mbuf *m, uint8_t proto, bool natt, struct sad_in_key *k)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t off = m->l3_len + (natt ? sizeof(struct rte_udp_hdr) : 0), sb;
	const void *spi;

	memset(k, 0, sizeof(*k));
	k->proto = proto;
	if ((p[0] >> 4) == 4) {
		k->family = AF_INET;
		memcpy(&k->daddr.a4, p + 16, 4);
	} else {
		k->family = AF_INET6;
		memcpy(k->daddr.a6, p + 24, 16);
	}
	/* the SPI: first word of ESP (RFC 4303 2.1), second of AH (RFC 4302 2.4) */
	spi = rte_pktmbuf_read(m, off + (proto == IPPROTO_AH ? 4 : 0), 4, &sb);
	if (spi)
		memcpy(&k->spi, spi, 4);	/* 2 bytes past a 4-aligned word behind Ethernet */
}

/* RFC 4301 5.2 step 4: the inner packet must match the SA's selector. */
static bool selector_ok(const struct xfrm_sa *sa, const struct rte_mbuf *m)
{
	struct spd_flow f;

	if (!sa->sel.family)
		return true;
	gw_flow_of(m, &f);
	return f.family != sa->sel.family || spd_selector_match(&sa->sel, &f);
}

static void after_decap(struct gw *g, struct gw_worker *w, struct xfrm_sa *sa, struct rte_mbuf *m)
{
	struct gw_cls c;

	if (!selector_ok(sa, m)) {
		gw_drop(w, m, GW_DROP_POLICY_MISMATCH);
		return;
	}
	w->stats.esp_in++;
	switch (gw_classify_ip(w->routes, m, &c)) {
	case GW_CL_MALFORMED:
		gw_drop(w, m, GW_DROP_MALFORMED);
		break;
	case GW_CL_FORWARD:
		gw_output(g, w, m, GW_OUT_FORWARD);
		break;
	default:
		/* for the gateway itself: local delivery through the route's LOCAL hop */
		gw_output(g, w, m, GW_OUT_NO_POLICY);
		break;
	}
}

static uint16_t inbound_group(struct gw *g, struct gw_worker *w, struct xfrm_sa *sa,
			      struct rte_mbuf **m, uint16_t n)
{
	rte_spinlock_t *lock = NULL;
	uint16_t good;

	if (sa->id.proto != IPPROTO_ESP || !sa->ops)
		return 0;
	if (g->nb_workers > 1)
		lock = &g->sa_lock[((uintptr_t)sa >> 6) % GW_SA_LOCKS];
	if (lock)
		rte_spinlock_lock(lock);
	good = esp_inbound(w->ipsec->esp, sa, m, n);
	if (lock)
		rte_spinlock_unlock(lock);
	return good;
}

void gw_ipsec_input(struct gw *g, struct gw_worker *w, struct rte_mbuf **m, uint16_t n,
		    const uint8_t *proto, const bool *natt)
{
	struct sad_in_key keys[GW_BURST] = { 0 };
	struct xfrm_sa *sa[GW_BURST];
	struct rte_mbuf *grp[GW_BURST];
	bool done[GW_BURST] = { false };

	if (!g->sad || !w->ipsec) {
		for (uint16_t i = 0; i < n; i++)
			gw_drop(w, m[i], GW_DROP_NO_IPSEC);
		return;
	}
	for (uint16_t i = 0; i < n; i++)
		in_key(m[i], proto[i], natt[i], &keys[i]);
	sad_lookup_in_burst(g->sad, keys, n, sa);
	for (uint16_t i = 0; i < n; i++) {
		uint16_t k = 0, good;

		if (done[i])
			continue;
		if (!sa[i] || !sa_is_valid(sa[i]) || sa[i]->has_encap != natt[i]) {
			gw_drop(w, m[i], GW_DROP_NO_SA);
			continue;
		}
		for (uint16_t j = i; j < n; j++)
			if (!done[j] && sa[j] == sa[i] && natt[j] == natt[i]) {
				grp[k++] = m[j];
				done[j] = true;
			}
		good = inbound_group(g, w, sa[i], grp, k);
		for (uint16_t j = 0; j < good; j++)
			after_decap(g, w, sa[i], grp[j]);
		for (uint16_t j = good; j < k; j++)
			gw_drop(w, grp[j], GW_DROP_IPSEC);
	}
}

/* ---- outbound ---- */

static const struct xfrm_user_tmpl *first_template(const struct xfrm_policy *pol)
{
	for (unsigned int i = 0; i < pol->ntmpl; i++)
		if (!pol->tmpl[i].optional)
			return &pol->tmpl[i];
	return NULL;
}

static void out_key(const struct xfrm_user_tmpl *t, const struct spd_flow *f,
		    struct sad_out_key *k)
{
	memset(k, 0, sizeof(*k));
	if (t->mode == XFRM_MODE_TUNNEL) {
		k->saddr = t->saddr;
		k->daddr = t->id.daddr;
		k->family = t->family;
	} else {
		k->saddr = f->saddr;
		k->daddr = f->daddr;
		k->family = f->family;
	}
	k->reqid = t->reqid;
	k->proto = t->id.proto;
	k->mode = t->mode;
	k->spi = t->id.spi;
}

/*
 * Ask the control thread for an XFRM_MSG_ACQUIRE. It decides, with the
 * SAD's larval SAs, whether one is sent (one per larval SA, as the
 * kernel); here we only keep the ring quiet: one ask per policy per
 * control tick (ACQUIRE_ASKS_PER_S, the tick of dataplane/control.h).
 */
#define ACQUIRE_ASKS_PER_S	10

static void acquire(struct gw *g, struct gw_worker *w, struct xfrm_policy *pol,
		    const struct xfrm_user_tmpl *t, const struct sad_out_key *k,
		    const struct spd_flow *f)
{
	uint64_t per_tick = g->hz / ACQUIRE_ASKS_PER_S ? g->hz / ACQUIRE_ASKS_PER_S : 1;
	uintptr_t tick = (uintptr_t)(w->now / per_tick) + 1;
	uintptr_t last = (uintptr_t)__atomic_load_n(&pol->priv, __ATOMIC_RELAXED);
	struct xgw_acquire a;

	if (last == tick || !g->acquires ||
	    !__atomic_compare_exchange_n((uintptr_t *)&pol->priv, &last, tick, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	memset(&a, 0, sizeof(a));
	a.dir = pol->dir;
	a.index = pol->index;
	a.tmpl = *t;
	a.saddr = k->saddr;
	a.daddr = k->daddr;
	a.flow.daddr = f->daddr;
	a.flow.saddr = f->saddr;
	a.flow.family = f->family;
	a.flow.prefixlen_d = a.flow.prefixlen_s = f->family == AF_INET ? 32 : 128;
	a.flow.proto = f->proto;
	a.flow.sport = f->sport;
	a.flow.dport = f->dport;
	if (f->sport)
		a.flow.sport_mask = 0xffff;
	if (f->dport)
		a.flow.dport_mask = 0xffff;
	if (rte_ring_enqueue_elem(g->acquires, &a, sizeof(a)) == 0)
		w->stats.acquires++;
}

/* The MTU toward the SA's outer destination. */
static unsigned int outer_mtu(struct gw_worker *w, const struct xfrm_sa *sa)
{
	const struct gw_nh *nh = sa->family == AF_INET ?
		gw_route4(w->routes, sa->id.daddr.a4) : gw_route6(w->routes, (const uint8_t *)sa->id.daddr.a6);

	return nh ? w->routes->port[nh->port].mtu : 1500;
}

static void pend(struct gw *g, struct gw_worker *w, struct xfrm_sa *sa, struct rte_mbuf *m)
{
	struct gw_ipsec_lcore *l = w->ipsec;

	if (l->n == OUT_PENDING)
		gw_ipsec_flush(g, w);
	l->sa[l->n] = sa;
	l->m[l->n++] = m;
}

/* RFC 4301 8.1: fit the inner packet to what ESP leaves of the MTU. */
static void fit_and_pend(struct gw *g, struct gw_worker *w, struct xfrm_sa *sa, struct rte_mbuf *m)
{
	unsigned int mtu = outer_mtu(w, sa), room = mtu - gw_ipsec_overhead(sa);
	uint8_t v = rte_pktmbuf_mtod(m, const uint8_t *)[0] >> 4;
	struct rte_mbuf *f[GW_FRAG_MAX];
	int nf;

	if (rte_pktmbuf_pkt_len(m) <= room) {
		pend(g, w, sa, m);
		return;
	}
	nf = v == 4 ? gw_frag4(m, (uint16_t)room, g->pool, f, GW_FRAG_MAX) : -EMSGSIZE;
	if (nf == -EMSGSIZE) {
		gw_icmp_error(g, w, m, v == 4 ? GW_ICMP_UNREACH : GW_ICMP6_PKT_TOO_BIG,
			      v == 4 ? GW_ICMP_UNREACH_NEEDFRAG : 0, room);
		gw_drop(w, m, GW_DROP_MTU);
		return;
	}
	if (nf < 0) {
		gw_drop(w, m, GW_DROP_FRAG);
		return;
	}
	w->stats.fragments_out += (uint64_t)nf;
	for (int i = 0; i < nf; i++)
		pend(g, w, sa, f[i]);
}

/*
 * A forwarded packet loses one TTL / hop limit before it is encapsulated,
 * as a router forwards it first (RFC 1812 5.3.1, RFC 8200 3); output.c
 * checked it is above 1. IPv4 checksum updated as RFC 1624 3.
 */
static void forward_hop(struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);

	if ((p[0] >> 4) == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p;
		uint32_t sum = (uint32_t)rte_be_to_cpu_16(ip->hdr_checksum) + 0x0100;

		ip->time_to_live--;
		ip->hdr_checksum = rte_cpu_to_be_16((uint16_t)(sum + (sum >> 16)));
	} else {
		((struct rte_ipv6_hdr *)p)->hop_limits--;
	}
}

bool gw_ipsec_output(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, unsigned int flags)
{
	const struct xfrm_user_tmpl *t;
	struct xfrm_policy *pol;
	struct sad_out_key k;
	struct spd_flow f;
	struct xfrm_sa *sa;

	if (!g->spd || !g->sad || !w->ipsec)
		return false;
	gw_flow_of(m, &f);
	pol = spd_lookup(g->spd, XFRM_POLICY_OUT, &f);
	if (!pol)
		return false;
	spd_policy_used(pol, w->now / g->hz);
	if (pol->action == XFRM_POLICY_BLOCK) {
		gw_drop(w, m, GW_DROP_POLICY_BLOCK);
		return true;
	}
	t = first_template(pol);
	if (!t)
		return false;
	out_key(t, &f, &k);
	sa = sad_lookup_out(g->sad, &k);
	if (!sa || !sa->ops) {
		acquire(g, w, pol, t, &k, &f);
		gw_drop(w, m, GW_DROP_ACQUIRE);
		return true;
	}
	if (flags & GW_OUT_FORWARD)
		forward_hop(m);
	fit_and_pend(g, w, sa, m);
	return true;
}

void gw_ipsec_flush(struct gw *g, struct gw_worker *w)
{
	struct gw_ipsec_lcore *l = w->ipsec;
	struct rte_mbuf *grp[OUT_PENDING];

	if (!l)
		return;
	for (unsigned int i = 0; i < l->n; i++) {
		struct xfrm_sa *sa = l->sa[i];
		uint16_t k = 0, good;

		if (!sa)
			continue;
		for (unsigned int j = i; j < l->n; j++)
			if (l->sa[j] == sa) {
				grp[k++] = l->m[j];
				l->sa[j] = NULL;
			}
		good = esp_outbound(l->esp, sa, grp, k);
		w->stats.esp_out += good;
		for (uint16_t j = 0; j < good; j++)
			gw_output(g, w, grp[j], GW_OUT_NO_POLICY);
		for (uint16_t j = good; j < k; j++)
			gw_drop(w, grp[j], GW_DROP_IPSEC);
	}
	l->n = 0;
}
