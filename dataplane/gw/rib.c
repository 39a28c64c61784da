/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The routing information base (rib.h): prefixes in a hash of chains,
 * their candidate routes in insertion order, next-hop ids shared by
 * reference count, and the left-right publication of the two table copies.
 *
 * Invariant: copy[!active] (the standby) has every change made so far;
 * copy[active] (published) lags by the changes in the log. Between commits
 * no reader is in the standby, so it can be written freely; after a
 * commit's grace period none is left in the copy it retired, which is then
 * brought level by replaying the log.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include <rte_rcu_qsbr.h>

#include "dataplane/gw/rib.h"

#define LOG_MAX		65536	/* table changes published at the latest after so many */
#define RIB_MAX_ADDRS	256

struct cand {
	struct cand *next;
	uint32_t metric;
	uint32_t gen;
	uint8_t origin, kind, nb_path;
	bool held;
	int err;
	struct gw_rt_path path[];
};

struct pfx {
	struct pfx *hnext;
	struct cand *cands;
	uint16_t nh;		/* id in the tables, 0: not there */
	uint8_t family, plen;
	uint8_t prefix[16];
};

struct nh_slot {
	struct gw_nh nh;
	struct gw_mp mp;
	uint32_t refs;
};

struct rib_addr {
	bool used;
	uint8_t origin, family, plen;
	uint16_t port;
	uint32_t gen;
	uint8_t addr[16];
};

struct fib_op {
	uint8_t del, family, plen;
	uint16_t id;
	uint8_t prefix[16];
};

struct gw_rib {
	pthread_mutex_t lock;
	struct gw_routes *copy[2];
	unsigned int active;
	struct gw_routes **publish;
	struct rte_rcu_qsbr *rcu;
	struct gw_rib_params p;
	struct pfx **bucket;
	uint32_t nbucket, npfx;
	struct nh_slot nh[GW_MAX_NH];
	uint32_t nh_top;	/* ids in use are below */
	struct rib_addr addr[RIB_MAX_ADDRS];
	struct gw_port_l3 l3[XGW_MAX_PORTS];
	struct fib_op *log;
	uint32_t nlog, caplog;
	bool small_dirty;
	uint32_t gen[2];
	struct gw_rib_stats st;
};

static unsigned int alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

static int fam_idx(int family)
{
	return family == AF_INET ? 0 : 1;
}

const char *gw_rib_reason(int err)
{
	switch (err) {
	case 0:
		return "standby (a better route for this prefix is held)";
	case -ENOSPC:
		return "table full (see 'routes max4/max6' and the next-hop limit)";
	case -ENODEV:
		return "not a gateway port";
	case -EINVAL:
		return "malformed route";
	case -EAFNOSUPPORT:
		return "no IPv6 table (give 'routes max4 N max6 N')";
	default:
		return strerror(-err);
	}
}

/* ---- next-hop ids ---- */

static bool slot_is(const struct nh_slot *s, const struct gw_nh *nh, const struct gw_mp *mp)
{
	if (memcmp(&s->nh, nh, sizeof(*nh)))
		return false;
	return !mp || (s->mp.n == mp->n && !memcmp(s->mp.id, mp->id, mp->n * sizeof(mp->id[0])));
}

/* A reference to the id of (nh, mp): shared when it exists. -ENOSPC when full. */
static int nh_get(struct gw_rib *rib, const struct gw_nh *nh, const struct gw_mp *mp)
{
	uint32_t free_id = 0;

	for (uint32_t i = 1; i < rib->nh_top; i++) {
		if (rib->nh[i].refs && slot_is(&rib->nh[i], nh, mp)) {
			rib->nh[i].refs++;
			return (int)i;
		}
		if (!rib->nh[i].refs && !free_id)
			free_id = i;
	}
	if (!free_id) {
		if (rib->nh_top >= gw_routes_nh_max(&rib->p.sizes))
			return -ENOSPC;
		free_id = rib->nh_top++;
	}
	rib->nh[free_id].nh = *nh;
	memset(&rib->nh[free_id].mp, 0, sizeof(rib->nh[free_id].mp));
	if (mp)
		rib->nh[free_id].mp = *mp;
	rib->nh[free_id].refs = 1;
	rib->st.nh_used++;
	rib->small_dirty = true;
	return (int)free_id;
}

static void nh_put(struct gw_rib *rib, unsigned int id)
{
	struct nh_slot *s = &rib->nh[id];

	if (!id || !s->refs || --s->refs)
		return;
	rib->st.nh_used--;
	if (s->nh.type == GW_NH_MULTIPATH)
		for (unsigned int k = 0; k < s->mp.n; k++)
			nh_put(rib, s->mp.id[k]);
}

static void path_nh(const struct cand *c, const struct gw_rt_path *pa, uint8_t family,
		    struct gw_nh *nh)
{
	memset(nh, 0, sizeof(*nh));
	nh->family = family;
	nh->port = pa->port;
	nh->type = c->kind == GW_RT_LOCAL ? GW_NH_LOCAL : pa->xfrmi ? GW_NH_XFRMI :
		   pa->has_via ? GW_NH_VIA : GW_NH_ONLINK;
	if (pa->has_via && c->kind != GW_RT_LOCAL)
		memcpy(nh->via, pa->via, alen(family));
}

/* ECMP: one id per path, and the group's over them (the group keeps their references). */
static int group_get(struct gw_rib *rib, const struct cand *c, uint8_t family)
{
	struct gw_mp mp = { 0 };
	struct gw_nh g;
	int id;

	for (unsigned int k = 0; k < c->nb_path; k++) {
		struct gw_nh one;

		path_nh(c, &c->path[k], family, &one);
		id = nh_get(rib, &one, NULL);
		if (id < 0)
			goto fail;
		mp.id[mp.n++] = (uint16_t)id;
	}
	/* the group's own fields read as its first path where nobody looks further */
	g = rib->nh[mp.id[0]].nh;
	g.type = GW_NH_MULTIPATH;
	id = nh_get(rib, &g, &mp);
	if (id >= 0 && rib->nh[id].refs == 1)
		return id;	/* a new group keeps the paths' references */
fail:
	for (unsigned int k = 0; k < mp.n; k++)
		nh_put(rib, mp.id[k]);
	return id;
}

/* The id the data path needs for candidate c (a new reference), or -errno. */
static int cand_nh(struct gw_rib *rib, const struct pfx *x, const struct cand *c)
{
	static const uint8_t drop_type[] = {
		[GW_RT_BLACKHOLE] = GW_NH_BLACKHOLE,
		[GW_RT_UNREACHABLE] = GW_NH_UNREACHABLE,
		[GW_RT_PROHIBIT] = GW_NH_PROHIBIT,
	};
	struct gw_nh nh;

	if (x->family == AF_INET6 && !rib->p.sizes.max6)
		return -EAFNOSUPPORT;
	if (c->kind >= GW_RT_BLACKHOLE && c->kind <= GW_RT_PROHIBIT) {
		memset(&nh, 0, sizeof(nh));
		nh.type = drop_type[c->kind];
		nh.family = x->family;
		return nh_get(rib, &nh, NULL);
	}
	if (!c->nb_path || c->nb_path > GW_MP_MAX || (c->kind == GW_RT_LOCAL && c->nb_path != 1))
		return -EINVAL;
	for (unsigned int k = 0; k < c->nb_path; k++)
		if (c->path[k].port >= (c->path[k].xfrmi ? rib->p.nb_xfrmi : rib->p.nb_ports))
			return -ENODEV;
	if (c->nb_path > 1)
		return group_get(rib, c, x->family);
	path_nh(c, &c->path[0], x->family, &nh);
	return nh_get(rib, &nh, NULL);
}

/* ---- the tables ---- */

static struct gw_routes *standby(struct gw_rib *rib)
{
	return rib->copy[!rib->active];
}

static void sync_small(struct gw_rib *rib, struct gw_routes *r)
{
	for (uint32_t i = 0; i < rib->nh_top; i++) {
		r->nh[i] = rib->nh[i].nh;
		r->mp[i] = rib->nh[i].mp;
	}
	r->nb_nh = rib->nh_top;
	r->nb_ports = rib->p.nb_ports;
	memcpy(r->port, rib->l3, sizeof(r->port));
	r->nb_xfrmi = rib->p.nb_xfrmi;
	memcpy(r->xfrmi_if_id, rib->p.xfrmi_if_id, sizeof(r->xfrmi_if_id));
}

static void commit_locked(struct gw_rib *rib);

static int fib_apply(struct gw_routes *r, const struct pfx *x, unsigned int id)
{
	return id ? gw_fib_set(r, x->family, x->prefix, x->plen, id) :
		    gw_fib_del(r, x->family, x->prefix, x->plen);
}

static int log_op(struct gw_rib *rib, const struct pfx *x, unsigned int id)
{
	struct fib_op *op;

	if (rib->nlog == rib->caplog) {
		uint32_t cap = rib->caplog ? rib->caplog * 2 : 1024;
		struct fib_op *nl = realloc(rib->log, cap * sizeof(*nl));

		if (!nl)
			return -ENOMEM;
		rib->log = nl;
		rib->caplog = cap;
	}
	op = &rib->log[rib->nlog++];
	op->del = !id;
	op->family = x->family;
	op->plen = x->plen;
	op->id = (uint16_t)id;
	memcpy(op->prefix, x->prefix, 16);
	return 0;
}

/* One table entry in the standby, remembered for the other copy. */
static int fib_change(struct gw_rib *rib, const struct pfx *x, unsigned int id)
{
	int rc = fib_apply(standby(rib), x, id);

	if (rc)
		return rc;
	rib->st.changes++;
	if (log_op(rib, x, id)) {
		/* cannot remember it: publish now, then bring the other copy level */
		rib->small_dirty = true;
		commit_locked(rib);
		fib_apply(standby(rib), x, id);
	}
	return 0;
}

static void replay(struct gw_rib *rib, struct gw_routes *r)
{
	for (uint32_t i = 0; i < rib->nlog; i++) {
		const struct fib_op *op = &rib->log[i];

		if (!op->family)
			continue;
		if (op->del)
			gw_fib_del(r, op->family, op->prefix, op->plen);
		else
			gw_fib_set(r, op->family, op->prefix, op->plen, op->id);
	}
	sync_small(rib, r);
}

static void commit_locked(struct gw_rib *rib)
{
	struct gw_routes *next = standby(rib), *old;

	if (!rib->nlog && !rib->small_dirty && *rib->publish)
		return;
	sync_small(rib, next);
	old = __atomic_exchange_n(rib->publish, next, __ATOMIC_ACQ_REL);
	rib->active = !rib->active;
	if (rib->rcu && old) {
		uint64_t token = rte_rcu_qsbr_start(rib->rcu);

		rte_rcu_qsbr_check(rib->rcu, token, true);
	}
	replay(rib, standby(rib));
	rib->nlog = 0;
	rib->small_dirty = false;
	rib->st.commits++;
	if (rib->caplog > 4 * LOG_MAX) {	/* a burst is over: give the memory back */
		free(rib->log);
		rib->log = NULL;
		rib->caplog = 0;
	}
}

/* ---- selection ---- */

/* Our addresses first (Linux looks in its local table first), then metric, then origin. */
static bool better(const struct cand *a, const struct cand *b)
{
	if ((a->kind == GW_RT_LOCAL) != (b->kind == GW_RT_LOCAL))
		return a->kind == GW_RT_LOCAL;
	return a->metric < b->metric || (a->metric == b->metric && a->origin < b->origin);
}

/* Which stored candidate rt names: origin, metric and whether it is an address. */
static bool names(const struct cand *c, const struct gw_rt *rt)
{
	return c->origin == rt->origin && c->metric == rt->metric &&
	       (c->kind == GW_RT_LOCAL) == (rt->kind == GW_RT_LOCAL);
}

static void log_refusal(struct gw_rib *rib, const struct pfx *x, int err)
{
	char buf[INET6_ADDRSTRLEN];
	uint64_t n = ++rib->st.refused;

	if (n > 16 && (n & (n - 1)))
		return;		/* the first ones, then at powers of two */
	inet_ntop(x->family, x->prefix, buf, sizeof(buf));
	fprintf(stderr, "xfrmgw: route %s/%u not held: %s (%llu so far)\n", buf, x->plen,
		gw_rib_reason(err), (unsigned long long)n);
}

/* Put the best candidate of x (or nothing) into the tables. */
static void reselect(struct gw_rib *rib, struct pfx *x)
{
	struct cand *best = NULL;
	int id = 0, fi = fam_idx(x->family);

	for (struct cand *c = x->cands; c; c = c->next) {
		c->held = false;
		c->err = 0;
		if (!best || better(c, best))
			best = c;
	}
	if (best) {
		id = cand_nh(rib, x, best);
		if (id > 0 && !x->nh &&
		    rib->st.held[fi] >= (fi ? rib->p.sizes.max6 : rib->p.sizes.max4)) {
			nh_put(rib, (unsigned int)id);
			id = -ENOSPC;
		}
		if (id > 0 && id != x->nh) {
			int rc = fib_change(rib, x, (unsigned int)id);

			if (rc) {
				nh_put(rib, (unsigned int)id);
				id = rc;
			}
		}
		if (id < 0) {
			best->err = id;
			log_refusal(rib, x, id);
			id = 0;
		}
	}
	if (id == x->nh) {
		nh_put(rib, (unsigned int)id);	/* the reference we already had */
	} else {
		if (!id && x->nh)
			fib_change(rib, x, 0);
		nh_put(rib, x->nh);
		rib->st.held[fi] += (uint64_t)(id != 0) - (uint64_t)(x->nh != 0);
		x->nh = (uint16_t)id;
	}
	if (best)
		best->held = x->nh != 0;
}

/* ---- prefixes ---- */

static uint32_t pfx_hash(uint8_t family, const uint8_t *prefix, uint8_t plen)
{
	uint32_t h = 2166136261u ^ family ^ ((uint32_t)plen << 8);

	for (unsigned int i = 0; i < alen(family); i++)
		h = (h ^ prefix[i]) * 16777619u;
	return h ^ (h >> 16);
}

static struct pfx **pfx_slot(struct gw_rib *rib, uint8_t family, const uint8_t *prefix,
			     uint8_t plen)
{
	struct pfx **pp = &rib->bucket[pfx_hash(family, prefix, plen) & (rib->nbucket - 1)];

	for (; *pp; pp = &(*pp)->hnext)
		if ((*pp)->family == family && (*pp)->plen == plen &&
		    !memcmp((*pp)->prefix, prefix, 16))
			break;
	return pp;
}

static int grow(struct gw_rib *rib)
{
	uint32_t n = rib->nbucket * 2;
	struct pfx **b = calloc(n, sizeof(*b));

	if (!b)
		return -ENOMEM;
	for (uint32_t i = 0; i < rib->nbucket; i++)
		for (struct pfx *x = rib->bucket[i], *nx; x; x = nx) {
			uint32_t h = pfx_hash(x->family, x->prefix, x->plen) & (n - 1);

			nx = x->hnext;
			x->hnext = b[h];
			b[h] = x;
		}
	free(rib->bucket);
	rib->bucket = b;
	rib->nbucket = n;
	return 0;
}

static struct cand *cand_new(const struct gw_rt *rt, uint32_t gen)
{
	unsigned int np = rt->nb_path > GW_MP_MAX ? GW_MP_MAX : rt->nb_path;
	struct cand *c = calloc(1, sizeof(*c) + np * sizeof(c->path[0]));

	if (!c)
		return NULL;
	c->metric = rt->metric;
	c->gen = gen;
	c->origin = rt->origin;
	c->kind = rt->kind;
	c->nb_path = (uint8_t)np;
	for (unsigned int k = 0; k < np; k++) {
		c->path[k] = rt->path[k];
		if (!c->path[k].has_via)
			memset(c->path[k].via, 0, 16);
	}
	return c;
}

static bool same_cand(const struct cand *c, const struct gw_rt *rt)
{
	if (c->kind != rt->kind || c->nb_path != rt->nb_path)
		return false;
	for (unsigned int k = 0; k < c->nb_path; k++)
		if (c->path[k].port != rt->path[k].port || c->path[k].xfrmi != rt->path[k].xfrmi ||
		    c->path[k].has_via != rt->path[k].has_via ||
		    (rt->path[k].has_via && memcmp(c->path[k].via, rt->path[k].via, 16)))
			return false;
	return true;
}

static int route_add(struct gw_rib *rib, const struct gw_rt *in)
{
	struct gw_rt rt = *in;
	struct cand **cp, *c;
	struct pfx **pp, *x;

	if ((rt.family != AF_INET && rt.family != AF_INET6) || rt.plen > 8 * alen(rt.family) ||
	    rt.origin > GW_RT_KERNEL || rt.kind > GW_RT_PROHIBIT)
		return -EINVAL;
	gw_prefix_mask(in->prefix, rt.plen, 16, rt.prefix);
	pp = pfx_slot(rib, rt.family, rt.prefix, rt.plen);
	if (!*pp) {
		if (rib->npfx >= rib->nbucket && !grow(rib))
			pp = pfx_slot(rib, rt.family, rt.prefix, rt.plen);
		x = calloc(1, sizeof(*x));
		if (!x)
			return -ENOMEM;
		x->family = rt.family;
		x->plen = rt.plen;
		memcpy(x->prefix, rt.prefix, 16);
		*pp = x;
		rib->npfx++;
	}
	x = *pp;
	for (cp = &x->cands; *cp; cp = &(*cp)->next)
		if (names(*cp, &rt))
			break;
	if (*cp && same_cand(*cp, &rt)) {
		(*cp)->gen = rib->gen[rt.origin];	/* unchanged: nothing to do */
		return (*cp)->err;
	}
	c = cand_new(&rt, rib->gen[rt.origin]);
	if (!c)
		return -ENOMEM;
	if (*cp) {	/* replace in place: insertion order decides ties */
		c->next = (*cp)->next;
		free(*cp);
	} else {
		rib->st.routes[fam_idx(rt.family)]++;
	}
	*cp = c;
	reselect(rib, x);
	return c->err;
}

static void pfx_drop_if_empty(struct gw_rib *rib, struct pfx **pp)
{
	struct pfx *x = *pp;

	if (x->cands)
		return;
	*pp = x->hnext;
	rib->npfx--;
	free(x);
}

static bool path_listed(const struct gw_rt_path *pa, const struct gw_rt *rt)
{
	for (unsigned int k = 0; k < rt->nb_path; k++)
		if (pa->port == rt->path[k].port && pa->xfrmi == rt->path[k].xfrmi &&
		    pa->has_via == rt->path[k].has_via &&
		    (!pa->has_via || !memcmp(pa->via, rt->path[k].via, 16)))
			return true;
	return false;
}

static int route_del(struct gw_rib *rib, const struct gw_rt *in, bool only_paths)
{
	uint8_t prefix[16];
	struct cand **cp, *c;
	struct pfx **pp;

	gw_prefix_mask(in->prefix, in->plen, 16, prefix);
	pp = pfx_slot(rib, in->family, prefix, in->plen);
	if (!*pp)
		return -ENOENT;
	for (cp = &(*pp)->cands; *cp; cp = &(*cp)->next)
		if (names(*cp, in))
			break;
	if (!*cp)
		return -ENOENT;
	c = *cp;
	if (only_paths && in->nb_path && c->kind == GW_RT_UNICAST) {
		struct gw_rt rest = *in;

		rest.kind = c->kind;
		rest.nb_path = 0;
		for (unsigned int k = 0; k < c->nb_path; k++)
			if (!path_listed(&c->path[k], in))
				rest.path[rest.nb_path++] = c->path[k];
		if (rest.nb_path == c->nb_path)
			return -ENOENT;
		if (rest.nb_path) {
			memcpy(rest.prefix, prefix, 16);
			rest.metric = c->metric;
			return route_add(rib, &rest) == -ENOMEM ? -ENOMEM : 0;
		}
	}
	*cp = c->next;
	free(c);
	rib->st.routes[fam_idx(in->family)]--;
	reselect(rib, *pp);
	pfx_drop_if_empty(rib, pp);
	return 0;
}

/* ---- addresses ---- */

static bool is_ll6(int family, const uint8_t *a)
{
	return family == AF_INET6 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* Each port's source addresses: its first of each family, the configuration's first. */
static void port_l3(struct gw_rib *rib)
{
	for (unsigned int p = 0; p < rib->p.nb_ports; p++) {
		gw_port_l3_init(&rib->l3[p], rib->p.mtu[p], rib->p.mac[p]);
		rib->l3[p].mark = rib->p.mark[p];
		for (int o = GW_RT_CONFIG; o <= GW_RT_KERNEL; o++)
			for (unsigned int i = 0; i < RIB_MAX_ADDRS; i++) {
				const struct rib_addr *a = &rib->addr[i];

				if (a->used && a->origin == o && a->port == p)
					gw_port_l3_addr(&rib->l3[p], a->family, a->addr);
			}
	}
	rib->small_dirty = true;
}

/* The routes an address brings: LOCAL, and for the configuration its connected prefix. */
static void addr_routes(const struct rib_addr *a, struct gw_rt *local, struct gw_rt *conn)
{
	memset(local, 0, sizeof(*local));
	local->family = a->family;
	local->plen = (uint8_t)(8 * alen(a->family));
	local->origin = a->origin;
	local->kind = GW_RT_LOCAL;
	memcpy(local->prefix, a->addr, 16);
	local->nb_path = 1;
	local->path[0].port = a->port;
	*conn = *local;
	conn->kind = GW_RT_UNICAST;
	conn->plen = a->plen;
	conn->metric = a->family == AF_INET ? 0 : 256;	/* as Linux's connected routes */
}

static int addr_change(struct gw_rib *rib, uint8_t origin, int family, uint16_t port,
		       const uint8_t *addr, uint8_t plen, bool add)
{
	struct rib_addr *a = NULL, *freeslot = NULL;
	struct gw_rt local, conn;
	int rc = 0;

	if ((family != AF_INET && family != AF_INET6) || plen > 8 * alen(family) ||
	    origin > GW_RT_KERNEL)
		return -EINVAL;
	if (port >= rib->p.nb_ports)
		return -ENODEV;
	for (unsigned int i = 0; i < RIB_MAX_ADDRS; i++) {
		struct rib_addr *e = &rib->addr[i];

		if (!e->used) {
			freeslot = freeslot ? freeslot : e;
			continue;
		}
		if (e->origin == origin && e->family == family && e->port == port &&
		    !memcmp(e->addr, addr, alen(family)))
			a = e;
	}
	if (!add) {
		if (!a)
			return -ENOENT;
		addr_routes(a, &local, &conn);
		a->used = false;
		route_del(rib, &local, false);
		if (origin == GW_RT_CONFIG) {
			bool shared = false;

			for (unsigned int i = 0; i < RIB_MAX_ADDRS; i++) {
				struct gw_rt l2, c2;

				if (!rib->addr[i].used || rib->addr[i].origin != origin)
					continue;
				addr_routes(&rib->addr[i], &l2, &c2);
				gw_prefix_mask(c2.prefix, c2.plen, 16, c2.prefix);
				gw_prefix_mask(conn.prefix, conn.plen, 16, conn.prefix);
				shared |= c2.family == conn.family && c2.plen == conn.plen &&
					  !memcmp(c2.prefix, conn.prefix, 16) &&
					  c2.path[0].port == conn.path[0].port;
			}
			if (!shared)
				route_del(rib, &conn, false);
		}
		port_l3(rib);
		return 0;
	}
	if (!a) {
		if (!freeslot)
			return -ENOSPC;
		a = freeslot;
		memset(a, 0, sizeof(*a));
		a->used = true;
		a->origin = origin;
		a->family = (uint8_t)family;
		a->port = port;
		memcpy(a->addr, addr, alen(family));
	}
	a->plen = plen;
	a->gen = rib->gen[origin];
	addr_routes(a, &local, &conn);
	rc = route_add(rib, &local);
	if (origin == GW_RT_CONFIG && !is_ll6(family, addr)) {
		int rc2 = route_add(rib, &conn);

		rc = rc ? rc : rc2;
	}
	port_l3(rib);
	return rc;
}

/* ---- public, each under the lock ---- */

struct gw_rib *gw_rib_create(const struct gw_rib_params *p, char *msg, size_t msglen)
{
	struct gw_rib *rib = calloc(1, sizeof(*rib));

	if (!rib) {
		snprintf(msg, msglen, "no memory for the routing information base");
		return NULL;
	}
	pthread_mutex_init(&rib->lock, NULL);
	rib->p = *p;
	rib->publish = p->publish;
	rib->rcu = p->rcu;
	rib->nh_top = 1;
	rib->nbucket = 1024;
	rib->bucket = calloc(rib->nbucket, sizeof(*rib->bucket));
	rib->st.max[0] = p->sizes.max4;
	rib->st.max[1] = p->sizes.max6;
	for (int i = 0; i < 2 && rib->bucket; i++) {
		rib->copy[i] = gw_routes_create(&p->sizes, msg, msglen);
		if (!rib->copy[i])
			goto fail;
	}
	if (!rib->bucket) {
		snprintf(msg, msglen, "no memory for the routing information base");
		goto fail;
	}
	rib->active = 1;	/* copy[0] is the standby until the first commit */
	port_l3(rib);
	*rib->publish = NULL;
	commit_locked(rib);
	return rib;
fail:
	gw_rib_free(rib);
	return NULL;
}

void gw_rib_free(struct gw_rib *rib)
{
	if (!rib)
		return;
	for (uint32_t i = 0; rib->bucket && i < rib->nbucket; i++)
		for (struct pfx *x = rib->bucket[i], *nx; x; x = nx) {
			nx = x->hnext;
			for (struct cand *c = x->cands, *nc; c; c = nc) {
				nc = c->next;
				free(c);
			}
			free(x);
		}
	free(rib->bucket);
	free(rib->log);
	if (rib->publish && (*rib->publish == rib->copy[0] || *rib->publish == rib->copy[1]))
		*rib->publish = NULL;
	gw_routes_free(rib->copy[0]);
	gw_routes_free(rib->copy[1]);
	pthread_mutex_destroy(&rib->lock);
	free(rib);
}

/* Long bursts are published as they go: the log stays bounded. */
static void unlock(struct gw_rib *rib)
{
	if (rib->nlog >= LOG_MAX)
		commit_locked(rib);
	pthread_mutex_unlock(&rib->lock);
}

int gw_rib_route_add(struct gw_rib *rib, const struct gw_rt *rt)
{
	int rc;

	pthread_mutex_lock(&rib->lock);
	rc = route_add(rib, rt);
	unlock(rib);
	return rc;
}

int gw_rib_route_del(struct gw_rib *rib, const struct gw_rt *rt, bool only_paths)
{
	int rc;

	pthread_mutex_lock(&rib->lock);
	rc = route_del(rib, rt, only_paths);
	unlock(rib);
	return rc;
}

int gw_rib_addr(struct gw_rib *rib, uint8_t origin, int family, uint16_t port,
		const uint8_t *addr, uint8_t plen, bool add)
{
	int rc;

	pthread_mutex_lock(&rib->lock);
	rc = addr_change(rib, origin, family, port, addr, plen, add);
	unlock(rib);
	return rc;
}

static void begin_locked(struct gw_rib *rib, uint8_t origin)
{
	rib->gen[origin]++;
}

static void sweep_locked(struct gw_rib *rib, uint8_t origin)
{
	uint32_t gen = rib->gen[origin];

	for (unsigned int i = 0; i < RIB_MAX_ADDRS; i++) {
		struct rib_addr *a = &rib->addr[i];

		if (a->used && a->origin == origin && a->gen != gen)
			addr_change(rib, origin, a->family, a->port, a->addr, a->plen, false);
	}
	for (uint32_t b = 0; b < rib->nbucket; b++) {
		struct pfx **pp = &rib->bucket[b];

		while (*pp) {
			struct pfx *x = *pp;
			bool changed = false;

			for (struct cand **cp = &x->cands; *cp;) {
				struct cand *c = *cp;

				if (c->origin != origin || c->gen == gen) {
					cp = &c->next;
					continue;
				}
				*cp = c->next;
				free(c);
				rib->st.routes[fam_idx(x->family)]--;
				changed = true;
			}
			if (changed)
				reselect(rib, x);
			if (!x->cands) {
				*pp = x->hnext;
				rib->npfx--;
				free(x);
			} else {
				pp = &x->hnext;
			}
		}
	}
}

void gw_rib_begin(struct gw_rib *rib, uint8_t origin)
{
	pthread_mutex_lock(&rib->lock);
	begin_locked(rib, origin);
	pthread_mutex_unlock(&rib->lock);
}

void gw_rib_sweep(struct gw_rib *rib, uint8_t origin)
{
	pthread_mutex_lock(&rib->lock);
	sweep_locked(rib, origin);
	pthread_mutex_unlock(&rib->lock);
}

static void cfg_route(const struct xgw_route_cfg *rc, struct gw_rt *rt)
{
	memset(rt, 0, sizeof(*rt));
	rt->family = (uint8_t)rc->family;
	rt->plen = rc->plen;
	rt->origin = GW_RT_CONFIG;
	rt->kind = GW_RT_UNICAST;
	rt->metric = rc->family == AF_INET ? 0 : 1024;	/* what the kernel gets (exception.c) */
	memcpy(rt->prefix, rc->prefix, 16);
	rt->nb_path = 1;
	rt->path[0].xfrmi = rc->xfrmi >= 0;
	rt->path[0].port = (uint16_t)(rc->xfrmi >= 0 ? rc->xfrmi : rc->port);
	rt->path[0].has_via = rc->has_via;
	memcpy(rt->path[0].via, rc->via, 16);
}

int gw_rib_config(struct gw_rib *rib, const struct xgw_config *cfg)
{
	int rc = 0;

	pthread_mutex_lock(&rib->lock);
	begin_locked(rib, GW_RT_CONFIG);
	for (unsigned int i = 0; i < cfg->nb_addrs; i++) {
		const struct xgw_addr_cfg *a = &cfg->addrs[i];
		int e = addr_change(rib, GW_RT_CONFIG, a->family, (uint16_t)a->port, a->addr,
				    a->plen, true);

		rc = rc ? rc : e;
	}
	for (unsigned int i = 0; i < cfg->nb_routes; i++) {
		struct gw_rt rt;
		int e;

		cfg_route(&cfg->routes[i], &rt);
		e = route_add(rib, &rt);
		rc = rc ? rc : e;
	}
	sweep_locked(rib, GW_RT_CONFIG);
	commit_locked(rib);
	pthread_mutex_unlock(&rib->lock);
	return rc;
}

void gw_rib_set_links(struct gw_rib *rib, const struct xgw_config *cfg)
{
	pthread_mutex_lock(&rib->lock);
	for (unsigned int p = 0; p < rib->p.nb_ports && p < cfg->nb_ports; p++) {
		rib->p.mtu[p] = cfg->ports[p].mtu;
		rib->p.mark[p] = cfg->ports[p].mark;
	}
	rib->p.nb_xfrmi = cfg->nb_xfrmi;
	for (unsigned int i = 0; i < cfg->nb_xfrmi; i++)
		rib->p.xfrmi_if_id[i] = cfg->xfrmi[i].if_id;
	port_l3(rib);
	pthread_mutex_unlock(&rib->lock);
}

void gw_rib_commit(struct gw_rib *rib)
{
	pthread_mutex_lock(&rib->lock);
	commit_locked(rib);
	pthread_mutex_unlock(&rib->lock);
}

unsigned int gw_rib_pending(struct gw_rib *rib)
{
	unsigned int n;

	pthread_mutex_lock(&rib->lock);
	n = rib->nlog + rib->small_dirty;
	pthread_mutex_unlock(&rib->lock);
	return n;
}

static void entry_of(const struct pfx *x, const struct cand *c, struct gw_rib_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->rt.family = x->family;
	e->rt.plen = x->plen;
	e->rt.origin = c->origin;
	e->rt.kind = c->kind;
	e->rt.metric = c->metric;
	memcpy(e->rt.prefix, x->prefix, 16);
	e->rt.nb_path = c->nb_path;
	memcpy(e->rt.path, c->path, c->nb_path * sizeof(c->path[0]));
	e->held = c->held;
	e->err = c->err;
}

bool gw_rib_walk(struct gw_rib *rib, uint64_t *cursor, struct gw_rib_entry *out)
{
	uint32_t b = (uint32_t)(*cursor >> 32), skip = (uint32_t)*cursor;
	bool found = false;

	pthread_mutex_lock(&rib->lock);
	for (; b < rib->nbucket && !found; b++, skip = 0) {
		uint32_t k = 0;

		for (const struct pfx *x = rib->bucket[b]; x && !found; x = x->hnext)
			for (const struct cand *c = x->cands; c && !found; c = c->next, k++)
				if (k >= skip) {
					entry_of(x, c, out);
					*cursor = (uint64_t)b << 32 | (k + 1);
					found = true;
				}
	}
	pthread_mutex_unlock(&rib->lock);
	return found;
}

void gw_rib_stats(struct gw_rib *rib, struct gw_rib_stats *out)
{
	uint64_t not_held = 0;

	pthread_mutex_lock(&rib->lock);
	for (uint32_t b = 0; b < rib->nbucket; b++)
		for (const struct pfx *x = rib->bucket[b]; x; x = x->hnext)
			for (const struct cand *c = x->cands; c; c = c->next)
				not_held += c->err != 0;
	*out = rib->st;
	out->not_held = not_held;
	pthread_mutex_unlock(&rib->lock);
}
