/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPsec steps of the packet path around esp/ and ah/ (RFC 4301 5.1,
 * 5.2). Every decision about policy is sa/policy_path.h's, the same code
 * xfrmgw-pcap runs; this file gives it the packet's context (its mark, the
 * XFRM interface it came on or is routed into, the SAs it went through)
 * and turns verdicts into drops, counters and ACQUIREs:
 *  - inbound: SA by (daddr, SPI, proto, mark) for a burst, ESP or AH (the
 *    SA's protocol decides) in groups of one SA; a packet that comes out
 *    as ESP/AH for us again goes round once more (AH over ESP bundles),
 *    the SAs it went through kept as its secpath, each SA's SET_MARK
 *    applied. Then the in (for us) or fwd (forwarded) check: selectors,
 *    policy, templates; with no policy, what came out of a tunnel-mode SA
 *    is dropped (as the kernel) and the direction's default applies;
 *  - cleartext, for us or forwarded, gets the same check with an empty
 *    secpath: what a policy protects is never accepted in clear;
 *  - outbound, forwarded or from the host through its TAP (XFRM's output
 *    path for locally generated packets): policy, template list -> SAs (or
 *    ACQUIRE), inner fragmentation to the post-encapsulation MTU (RFC 4301
 *    8.1) or ICMP when DF forbids it, the templates applied in order
 *    (sa/bundle.h: ESP then AH) in groups of one SA list, then routed as
 *    is. A packet routed into an XFRM interface is matched with its if_id
 *    and dropped when no policy transforms it.
 * An inbound SA's replay window has one writer at a time: with several
 * workers its bursts are serialised by a lock stripe.
 *
 * IKE and ND bypass the SPD both ways (policy_bypass in sa/policy_path.h
 * says why).
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
#include "dataplane/gw/mark.h"
#include "dataplane/gw/route.h"
#include "esp/esp.h"
#include "sa/bundle.h"
#include "sa/lifetime.h"
#include "sa/policy_path.h"
#include "sa/sad.h"
#include "sa/spd.h"
#include "sa/xfrm_type.h"

#define OUT_PENDING	256
#define SECPATH_MAX	BUNDLE_MAX	/* SAs one packet goes through */

struct gw_ipsec_lcore {
	struct xfrm_lcore xl;		/* ESP's and AH's per-lcore state */
	struct bundle_lcore bl;		/* drives xl */
	unsigned int n;
	struct secpath chain[OUT_PENDING];
	struct rte_mbuf *m[OUT_PENDING];
};

/* An inbound packet between SAs: what it is now and where it has been. */
struct in_pkt {
	struct rte_mbuf *m;
	uint8_t proto;
	bool natt;
	uint32_t mark;			/* after the SAs' SET_MARK so far */
	struct secpath sp;		/* outermost first */
};

int gw_ipsec_lcore_init(struct gw *g, struct gw_worker *w)
{
	struct gw_ipsec_lcore *l;

	if (!g->sad)
		return 0;	/* no SAs: a plain router */
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	if (xfrm_lcore_init(&l->xl, g->pool, (int)rte_socket_id())) {
		free(l);
		return -ENOMEM;
	}
	l->bl.xl = &l->xl;
	w->ipsec = l;
	return 0;
}

void gw_ipsec_lcore_free(struct gw_worker *w)
{
	struct gw_ipsec_lcore *l = w->ipsec;

	if (!l)
		return;
	for (unsigned int i = 0; i < l->n; i++)
		rte_pktmbuf_free(l->m[i]);
	xfrm_lcore_fini(&l->xl);
	free(l);
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

/* Every type's reasons in one dictionary, ESP's then AH's (type->drop_key names them apart). */
unsigned int gw_ipsec_drops(const struct gw_worker *w, uint64_t *drop, const char **names,
			    unsigned int max)
{
	unsigned int k = 0;

	for (unsigned int s = 0; s < XFRM_SLOTS; s++) {
		const struct xfrm_type *t = xfrm_type_at(s);
		unsigned int nt;

		if (!t)
			continue;
		nt = RTE_MIN(t->drop_max, max - k);
		for (unsigned int i = 0; i < nt; i++)
			names[k + i] = t->drop_key(i);
		if (w->ipsec && w->ipsec->xl.state[s]) {
			const uint64_t *d = t->lcore_drops(w->ipsec->xl.state[s]);

			for (unsigned int i = 0; i < nt; i++)
				drop[k + i] += __atomic_load_n(&d[i], __ATOMIC_RELAXED);
		}
		k += nt;
	}
	return k;
}

/* What sa adds at most: its type's header and trailer, the outer header in tunnel mode. */
unsigned int gw_ipsec_overhead(const struct xfrm_sa *sa)
{
	return xfrm_overhead(sa);
}

/* ---- the SPD's verdicts (sa/policy_path.h) as the packet path's drop reasons ---- */

static const uint8_t verdict_drop[PV_MAX] = {
	[PV_BLOCK] = GW_DROP_POLICY_BLOCK,
	[PV_DEFAULT_BLOCK] = GW_DROP_POLICY_DEFAULT_BLOCK,
	[PV_CLEARTEXT] = GW_DROP_POLICY_CLEARTEXT,
	[PV_TEMPLATES] = GW_DROP_POLICY_TEMPLATES,
	[PV_SELECTOR] = GW_DROP_POLICY_MISMATCH,
	[PV_NO_POLICY_TUNNEL] = GW_DROP_POLICY_NONE_TUNNEL,
	[PV_ACQUIRE] = GW_DROP_ACQUIRE,
	[PV_MALFORMED] = GW_DROP_BAD_EXT_HDRS,
};

/*
 * The inbound check of a packet (its IP header at l3) for us (dir in) or
 * forwarded (fwd), after the SAs of sp. false: dropped and counted.
 */
static bool check_in(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, uint16_t l3,
		     uint8_t dir, const struct policy_ctx *ctx, const struct secpath *sp)
{
	enum policy_verdict v = policy_check_in(g->spd, dir, m, l3, ctx, sp, NULL);

	if (v == PV_PASS)
		return true;
	gw_drop(w, m, (enum gw_drop)verdict_drop[v]);
	return false;
}

/* Cleartext (IP header at l3): true when its in/fwd policy refused it (dropped, counted). */
static bool cleartext_refused(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, uint16_t l3,
			      uint8_t dir)
{
	static const struct secpath none;
	struct policy_ctx ctx = { .mark = gw_mark(m), .now = w->now / g->hz };

	return g->spd && !check_in(g, w, m, l3, dir, &ctx, &none);
}

bool gw_ipsec_local_in(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, uint16_t l3)
{
	return cleartext_refused(g, w, m, l3, XFRM_POLICY_IN);
}

bool gw_ipsec_forward_in(struct gw *g, struct gw_worker *w, struct rte_mbuf *m)
{
	return cleartext_refused(g, w, m, 0, XFRM_POLICY_FWD);
}

/* ---- inbound ---- */

static void in_key(const struct rte_mbuf *m, uint8_t proto, bool natt, uint32_t mark,
		   struct sad_in_key *k)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t off = m->l3_len + (natt ? sizeof(struct rte_udp_hdr) : 0), sb;
	const void *spi;

	memset(k, 0, sizeof(*k));
	k->proto = proto;
	k->mark = mark;		/* the inbound lookup ignores if_id, as xfrm_input's */
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

/*
 * The packet has left its last SA: it arrives on the XFRM interface of the
 * innermost SA's if_id (if one is configured, as the kernel's xfrmi
 * receive hook), with the mark the SAs set; the in (for us) or fwd
 * policy check, then on its way.
 */
static void in_done(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, enum gw_class k,
		    const struct secpath *sp, uint32_t mark)
{
	struct policy_ctx ctx = { .mark = mark, .now = w->now / g->hz };
	int xi = gw_xfrmi_by_if_id(w->routes, sp->sa[sp->n - 1]->if_id);

	gw_set_mark(m, mark);
	if (xi >= 0) {
		ctx.if_id = w->routes->xfrmi_if_id[xi];
		w->stats.xfrmi[xi].rx_packets++;
		w->stats.xfrmi[xi].rx_bytes += rte_pktmbuf_pkt_len(m);
	}
	if (!check_in(g, w, m, 0, k == GW_CL_FORWARD ? XFRM_POLICY_FWD : XFRM_POLICY_IN, &ctx, sp))
		return;
	if (k == GW_CL_FORWARD)
		gw_output(g, w, m, GW_OUT_FORWARD);
	else	/* for the gateway itself: local delivery through the route's LOCAL hop */
		gw_output(g, w, m, GW_OUT_NO_POLICY);
}

/* A decapsulated packet: another SA for us (*next filled, true), or done. */
static bool after_decap(struct gw *g, struct gw_worker *w, struct rte_mbuf *m,
			const struct secpath *sp, uint32_t mark, struct in_pkt *next)
{
	struct gw_cls c;
	enum gw_class k = gw_classify_ip(w->routes, m, &c);

	if (k == GW_CL_MALFORMED) {
		gw_drop(w, m, c.bad_chain ? GW_DROP_BAD_EXT_HDRS : GW_DROP_MALFORMED);
		return false;
	}
	if (k == GW_CL_IPSEC && sp->n < SECPATH_MAX) {
		next->m = m;
		next->proto = c.proto;
		next->natt = c.natt;
		next->mark = mark;
		next->sp = *sp;
		return true;
	}
	in_done(g, w, m, k, sp, mark);
	return false;
}

/* The worker's packet counter of a type (esp_in, ah_out, ...). */
static uint64_t *type_packets(struct gw_worker *w, const struct xfrm_type *t, bool in)
{
	if (t->slot == XFRM_SLOT_AH)
		return in ? &w->stats.ah_in : &w->stats.ah_out;
	return in ? &w->stats.esp_in : &w->stats.esp_out;
}

static uint16_t inbound_group(struct gw *g, struct gw_worker *w, struct xfrm_sa *sa,
			      struct rte_mbuf **m, uint16_t n)
{
	rte_spinlock_t *lock = NULL;
	uint16_t good;

	if (!sa->ops)
		return 0;
	if (g->nb_workers > 1)
		lock = &g->sa_lock[((uintptr_t)sa >> 6) % GW_SA_LOCKS];
	if (lock)
		rte_spinlock_lock(lock);
	good = xfrm_input(&w->ipsec->xl, sa, m, n);
	if (lock)
		rte_spinlock_unlock(lock);
	*type_packets(w, sa->type, true) += good;
	return good;
}

static bool same_group(const struct in_pkt *a, const struct in_pkt *b)
{
	return a->natt == b->natt && a->mark == b->mark && a->sp.n == b->sp.n &&
	       !memcmp(a->sp.sa, b->sp.sa, a->sp.n * sizeof(a->sp.sa[0]));
}

/*
 * One SA deep for packets p[0..n): grouped by SA (and by the SAs they came
 * through), each group one burst call. Those that are ESP/AH for us again
 * are put in next[] for another round.
 */
static uint16_t inbound_round(struct gw *g, struct gw_worker *w, struct in_pkt *p, uint16_t n,
			      struct in_pkt *next)
{
	struct sad_in_key keys[GW_BURST];
	struct xfrm_sa *sa[GW_BURST];
	struct rte_mbuf *grp[GW_BURST];
	bool done[GW_BURST] = { false };
	uint16_t nn = 0;

	for (uint16_t i = 0; i < n; i++)
		in_key(p[i].m, p[i].proto, p[i].natt, p[i].mark, &keys[i]);
	sad_lookup_in_burst(g->sad, keys, n, sa);
	for (uint16_t i = 0; i < n; i++) {
		struct secpath sp = p[i].sp;
		uint16_t k = 0, good;
		uint32_t mark;

		if (done[i])
			continue;
		if (!sa[i] || !sa_is_valid(sa[i]) || sa[i]->has_encap != p[i].natt) {
			gw_drop(w, p[i].m, GW_DROP_NO_SA);
			continue;
		}
		for (uint16_t j = i; j < n; j++)
			if (!done[j] && sa[j] == sa[i] && same_group(&p[j], &p[i])) {
				grp[k++] = p[j].m;
				done[j] = true;
			}
		good = inbound_group(g, w, sa[i], grp, k);
		sp.sa[sp.n++] = sa[i];
		mark = policy_smark(sa[i], p[i].mark);	/* XFRMA_SET_MARK on input */
		for (uint16_t j = 0; j < good; j++)
			nn += after_decap(g, w, grp[j], &sp, mark, &next[nn]);
		for (uint16_t j = good; j < k; j++)
			gw_drop(w, grp[j], GW_DROP_IPSEC);
	}
	return nn;
}

void gw_ipsec_input(struct gw *g, struct gw_worker *w, struct rte_mbuf **m, uint16_t n,
		    const uint8_t *proto, const bool *natt)
{
	struct in_pkt a[GW_BURST], b[GW_BURST], *cur = a, *next = b, *t;

	if (!g->sad || !w->ipsec) {
		for (uint16_t i = 0; i < n; i++)
			gw_drop(w, m[i], GW_DROP_NO_IPSEC);
		return;
	}
	for (uint16_t done = 0; done < n;) {
		uint16_t c = RTE_MIN((uint16_t)(n - done), (uint16_t)GW_BURST);

		for (uint16_t i = 0; i < c; i++) {
			cur[i].m = m[done + i];
			cur[i].proto = proto[done + i];
			cur[i].natt = natt[done + i];
			cur[i].mark = gw_mark(m[done + i]);
			cur[i].sp.n = 0;
		}
		done += c;
		/* at most SECPATH_MAX rounds: after_decap stops a deeper packet */
		while (c) {
			c = inbound_round(g, w, cur, c, next);
			t = cur, cur = next, next = t;
		}
	}
}


/* ---- outbound ---- */

/* XFRM_MSG_ACQUIRE through the control thread, once a second per policy. */
static void acquire(struct gw *g, struct gw_worker *w, const struct policy_out *o)
{
	struct xfrm_policy *pol = o->pol;
	const struct sad_out_key *k = &o->missing_key;
	const struct spd_flow *f = &o->flow;
	uintptr_t sec = (uintptr_t)(w->now / g->hz) + 1;
	uintptr_t last = (uintptr_t)__atomic_load_n(&pol->priv, __ATOMIC_RELAXED);
	struct xgw_acquire a;

	if (last == sec || !g->acquires ||
	    !__atomic_compare_exchange_n((uintptr_t *)&pol->priv, &last, sec, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	memset(&a, 0, sizeof(a));
	a.dir = pol->dir;
	a.index = pol->index;
	a.mark = pol->mark;
	a.if_id = pol->if_id;
	a.tmpl = *o->missing;
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

static void pend(struct gw *g, struct gw_worker *w, const struct secpath *ch, struct rte_mbuf *m)
{
	struct gw_ipsec_lcore *l = w->ipsec;

	if (l->n == OUT_PENDING)
		gw_ipsec_flush(g, w);
	l->chain[l->n] = *ch;
	l->m[l->n++] = m;
}

/* RFC 4301 8.1: fit the inner packet to what the SAs leave of the outer MTU. */
static void fit_and_pend(struct gw *g, struct gw_worker *w, const struct secpath *ch,
			 struct rte_mbuf *m)
{
	unsigned int mtu = outer_mtu(w, ch->sa[ch->n - 1]), over = 0, room;
	uint8_t v = rte_pktmbuf_mtod(m, const uint8_t *)[0] >> 4;
	struct rte_mbuf *f[GW_FRAG_MAX];
	int nf;

	for (unsigned int i = 0; i < ch->n; i++)
		over += gw_ipsec_overhead(ch->sa[i]);
	room = mtu > over + 68 ? mtu - over : 68;	/* RFC 791: every link carries 68 */
	if (rte_pktmbuf_pkt_len(m) <= room) {
		pend(g, w, ch, m);
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
		pend(g, w, ch, f[i]);
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

/*
 * RFC 4301 5.1 for a packet on its way out (m at its IP header): the SPD
 * (sa/policy_path.h) with the packet's mark and, when the route sends it
 * into an XFRM interface (nh), that interface's if_id. true when m was
 * taken: queued for its SAs, or dropped.
 */
static bool output_decide(struct gw *g, struct gw_worker *w, struct rte_mbuf *m,
			  unsigned int flags, const struct gw_nh *nh)
{
	struct policy_ctx ctx = {
		.mark = gw_mark(m),
		.now = w->now / g->hz,
		.icmp_local = flags & GW_OUT_ICMP,
		.host = flags & GW_OUT_HOST,
	};
	int xi = nh && nh->type == GW_NH_XFRMI ? nh->port : -1;
	struct policy_out o;
	enum policy_verdict v;

	if (xi >= 0)
		ctx.if_id = w->routes->xfrmi_if_id[xi];
	v = policy_resolve_out(g->spd, g->sad, m, 0, &ctx, &o);
	switch (v) {
	case PV_PASS:
		if (xi < 0)
			return false;
		/* the kernel's XFRM interface drops what no policy transforms */
		w->stats.xfrmi[xi].tx_errors++;
		gw_drop(w, m, GW_DROP_XFRMI_NO_POLICY);
		return true;
	case PV_BUNDLE:
		break;
	case PV_ACQUIRE:
		acquire(g, w, &o);
		/* fall through */
	default:
		if (xi >= 0)
			w->stats.xfrmi[xi].tx_errors++;
		gw_drop(w, m, (enum gw_drop)verdict_drop[v]);
		return true;
	}
	if (o.bundle.n > SECPATH_MAX) {
		gw_drop(w, m, GW_DROP_IPSEC);
		return true;
	}
	if (xi >= 0) {
		w->stats.xfrmi[xi].tx_packets++;
		w->stats.xfrmi[xi].tx_bytes += rte_pktmbuf_pkt_len(m);
	}
	if (flags & GW_OUT_FORWARD)
		forward_hop(m);
	/* XFRMA_SET_MARK: the mark the encapsulated packet leaves with */
	gw_set_mark(m, policy_smark(o.bundle.sa[o.bundle.n - 1], ctx.mark));
	fit_and_pend(g, w, &o.bundle, m);
	return true;
}

bool gw_ipsec_output(struct gw *g, struct gw_worker *w, struct rte_mbuf *m, unsigned int flags,
		     const struct gw_nh *nh)
{
	if (!g->spd || !g->sad || !w->ipsec) {
		if (nh && nh->type == GW_NH_XFRMI) {
			gw_drop(w, m, GW_DROP_XFRMI_NO_POLICY);
			return true;
		}
		return false;
	}
	return output_decide(g, w, m, flags, nh);
}

bool gw_ipsec_host_output(struct gw *g, struct gw_worker *w, struct rte_mbuf *m)
{
	if (!g->spd || !g->sad || !w->ipsec)
		return false;
	gw_set_mark(m, 0);
	return output_decide(g, w, m, GW_OUT_HOST, NULL);
}

/* Apply one SA list to k packets (sa/bundle.h); the good ones first. */
static uint16_t out_chain(struct gw_ipsec_lcore *l, struct gw_worker *w, const struct secpath *ch,
			  struct rte_mbuf **m, uint16_t k)
{
	struct bundle_tmpl t[SECPATH_MAX];
	const struct xfrm_type *used[XFRM_SLOTS] = { NULL };
	struct bundle b;
	uint16_t good;

	for (unsigned int i = 0; i < ch->n; i++) {
		const struct xfrm_sa *sa = ch->sa[i];

		t[i] = (struct bundle_tmpl){ .proto = sa->id.proto, .mode = sa->mode,
					     .reqid = sa->reqid };
		if (sa->type)
			used[sa->type->slot] = sa->type;
	}
	if (bundle_init(&b, t, ch->sa, ch->n, NULL))
		return 0;
	good = bundle_outbound(&l->bl, &b, m, k);
	for (unsigned int s = 0; s < XFRM_SLOTS; s++)
		if (used[s])
			*type_packets(w, used[s], false) += good;
	return good;
}

static bool same_chain(const struct secpath *a, const struct secpath *b)
{
	return a->n == b->n && !memcmp(a->sa, b->sa, a->n * sizeof(a->sa[0]));
}

void gw_ipsec_flush(struct gw *g, struct gw_worker *w)
{
	struct gw_ipsec_lcore *l = w->ipsec;
	struct rte_mbuf *grp[OUT_PENDING];

	if (!l)
		return;
	for (unsigned int i = 0; i < l->n; i++) {
		struct secpath ch = l->chain[i];
		uint16_t k = 0, good;

		if (!ch.n)
			continue;	/* sent with an earlier group */
		for (unsigned int j = i; j < l->n; j++)
			if (same_chain(&l->chain[j], &ch)) {
				grp[k++] = l->m[j];
				l->chain[j].n = 0;
			}
		good = out_chain(l, w, &ch, grp, k);
		for (uint16_t j = 0; j < good; j++)
			gw_output(g, w, grp[j], GW_OUT_NO_POLICY);
		for (uint16_t j = good; j < k; j++)
			gw_drop(w, grp[j], GW_DROP_IPSEC);
	}
	l->n = 0;
}
