/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Routes and local addresses on rte_fib (DIR-24-8) and rte_fib6 (trie).
 * Next-hop ids index r->nh[]; id 0 is the tables' default: no route.
 * The tables use 1-byte next hops while there are fewer than 127 (16 MB
 * instead of 32 MB), which suits --no-huge; the IPv6 trie (2-byte next
 * hops, 32 MB) exists only when something IPv6 is configured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_memory.h>

#include "dataplane/gw/route.h"

#define NH_1B_MAX	127	/* 1-byte next hops keep one bit for the tbl8 flag */
#define TBL8_4		(1u << 10)
#define TBL8_6		(1u << 12)

static unsigned int table_serial;

static unsigned int count_nh(const struct xgw_config *cfg)
{
	/* one LOCAL and one ONLINK per port and family, one per route at most */
	return 4 * cfg->nb_ports + cfg->nb_routes + 1;
}

bool gw_config_wants_v6(const struct xgw_config *cfg)
{
	for (unsigned int i = 0; i < cfg->nb_addrs; i++)
		if (cfg->addrs[i].family == AF_INET6)
			return true;
	for (unsigned int i = 0; i < cfg->nb_routes; i++)
		if (cfg->routes[i].family == AF_INET6)
			return true;
	return false;
}

/* Entries of a 2-byte table keep one bit for the tbl8 flag. */
#define NH_2B_MAX	32767

static unsigned int clamp(uint64_t v, unsigned int lo, unsigned int hi)
{
	return v < lo ? lo : v > hi ? hi : (unsigned int)v;
}

static int create_fib4(struct gw_routes *r, unsigned int serial, unsigned int max_routes,
		       enum rte_fib_dir24_8_nh_sz nh_sz, unsigned int tbl8)
{
	struct rte_fib_conf c4 = {
		.type = RTE_FIB_DIR24_8,
		.default_nh = 0,
		.max_routes = (int)max_routes,
		.dir24_8 = { .nh_sz = nh_sz, .num_tbl8 = tbl8 },
	};
	char name[32];

	snprintf(name, sizeof(name), "gw4_%u", serial);
	r->fib4 = rte_fib_create(name, SOCKET_ID_ANY, &c4);
	return r->fib4 ? 0 : -ENOMEM;
}

static int create_fib6(struct gw_routes *r, unsigned int serial, unsigned int max_routes,
		       enum rte_fib_trie_nh_sz nh_sz, unsigned int tbl8)
{
	struct rte_fib6_conf c6 = {
		.type = RTE_FIB6_TRIE,
		.default_nh = 0,
		.max_routes = (int)max_routes,
		.trie = { .nh_sz = nh_sz, .num_tbl8 = tbl8 },
	};
	char name[32];

	snprintf(name, sizeof(name), "gw6_%u", serial);
	r->fib6 = rte_fib6_create(name, SOCKET_ID_ANY, &c6);
	return r->fib6 ? 0 : -ENOMEM;
}

static int create_tables(struct gw_routes *r, unsigned int nb_nh, unsigned int nb_routes, bool v6)
{
	/* 1-byte entries also index tbl8 groups: at most 127 of them (> /24 routes) */
	bool small = nb_nh <= NH_1B_MAX && nb_routes <= NH_1B_MAX;
	unsigned int serial = __atomic_add_fetch(&table_serial, 1, __ATOMIC_RELAXED);
	int rc = create_fib4(r, serial, nb_routes, small ? RTE_FIB_DIR24_8_1B : RTE_FIB_DIR24_8_2B,
			     small ? NH_1B_MAX : TBL8_4);

	if (rc || !v6)
		return rc;
	/* the trie's smallest entries are 2 bytes */
	return create_fib6(r, serial, nb_routes, RTE_FIB6_TRIE_2B, TBL8_6);
}

unsigned int gw_routes_nh_max(const struct gw_route_sizes *s)
{
	return s->small ? NH_1B_MAX + 1 : GW_MAX_NH;
}

/*
 * Sized for routes that come and go: a tbl8 group per /24 that holds
 * longer IPv4 prefixes (one in 64 routes: the Internet table has few),
 * three for every two IPv6 routes (the levels past /24, partly shared);
 * 2-byte entries while the groups fit their index, 4-byte ones past that.
 */
struct gw_routes *gw_routes_create(const struct gw_route_sizes *s, char *msg, size_t msglen)
{
	unsigned int serial = __atomic_add_fetch(&table_serial, 1, __ATOMIC_RELAXED);
	unsigned int t4 = s->small ? NH_1B_MAX :
			  s->tbl8_4 ? s->tbl8_4 : clamp(s->max4 / 64, 256, NH_2B_MAX);
	unsigned int t6 = s->tbl8_6 ? s->tbl8_6 : clamp((uint64_t)s->max6 * 3 / 2, 256, 1u << 20);
	struct gw_routes *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(msg, msglen, "no memory for the route tables");
		return NULL;
	}
	r->nb_nh = 1;
	if (create_fib4(r, serial, s->max4 ? s->max4 : 1,
			s->small ? RTE_FIB_DIR24_8_1B :
			t4 <= NH_2B_MAX ? RTE_FIB_DIR24_8_2B : RTE_FIB_DIR24_8_4B, t4) ||
	    (s->max6 && create_fib6(r, serial, s->max6, t6 <= NH_2B_MAX ? RTE_FIB6_TRIE_2B :
				    RTE_FIB6_TRIE_4B, t6))) {
		snprintf(msg, msglen, "cannot create route tables for %u IPv4 and %u IPv6 routes "
			 "(rte_fib: %s); give EAL more memory (-m) or lower 'routes max4/max6'",
			 s->max4, s->max6, rte_strerror(rte_errno));
		gw_routes_free(r);
		return NULL;
	}
	return r;
}

/* One entry of the table of family: set to id, or removed when id is 0. */
static int fib_entry(struct gw_routes *r, int family, const uint8_t *prefix, uint8_t plen,
		     unsigned int id)
{
	uint8_t p[16];
	uint32_t p4;
	int rc;

	if (family == AF_INET ? plen > 32 : plen > 128 || !r->fib6)
		return -EINVAL;
	gw_prefix_mask(prefix, plen, family == AF_INET ? 4 : 16, p);
	memcpy(&p4, p, 4);
	if (family == AF_INET)
		rc = id ? rte_fib_add(r->fib4, rte_be_to_cpu_32(p4), plen, id) :
			  rte_fib_delete(r->fib4, rte_be_to_cpu_32(p4), plen);
	else
		rc = id ? rte_fib6_add(r->fib6, p, plen, id) : rte_fib6_delete(r->fib6, p, plen);
	return rc < 0 ? rc : 0;
}

int gw_fib_set(struct gw_routes *r, int family, const uint8_t *prefix, uint8_t plen,
	       unsigned int id)
{
	return id ? fib_entry(r, family, prefix, plen, id) : -EINVAL;
}

int gw_fib_del(struct gw_routes *r, int family, const uint8_t *prefix, uint8_t plen)
{
	return fib_entry(r, family, prefix, plen, 0);
}

static int nh_id(struct gw_routes *r, const struct gw_nh *nh)
{
	for (unsigned int i = 1; i < r->nb_nh; i++)
		if (!memcmp(&r->nh[i], nh, sizeof(*nh)))
			return (int)i;
	if (r->nb_nh >= GW_MAX_NH)
		return -ENOSPC;
	r->nh[r->nb_nh] = *nh;
	return (int)r->nb_nh++;
}

int gw_routes_add(struct gw_routes *r, int family, const uint8_t *prefix, uint8_t plen,
		  const struct gw_nh *nh)
{
	int id;

	if (family == AF_INET ? plen > 32 : plen > 128)
		return -EINVAL;
	if (family == AF_INET6 && !r->fib6)
		return -EINVAL;
	id = nh_id(r, nh);
	if (id < 0)
		return id;
	return gw_fib_set(r, family, prefix, plen, (unsigned int)id);
}

void gw_ll6_from_mac(const uint8_t mac[6], uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	out[8] = mac[0] ^ 0x02;	/* universal/local bit inverted */
	out[9] = mac[1];
	out[10] = mac[2];
	out[11] = 0xff;
	out[12] = 0xfe;
	out[13] = mac[3];
	out[14] = mac[4];
	out[15] = mac[5];
}

void gw_port_l3_init(struct gw_port_l3 *l, uint16_t mtu, const uint8_t *mac)
{
	memset(l, 0, sizeof(*l));
	l->mtu = mtu ? mtu : 1500;
	if (mac) {
		gw_ll6_from_mac(mac, l->ll6);
		l->has_ll6 = true;
	}
}

void gw_port_l3_addr(struct gw_port_l3 *l, int family, const uint8_t *addr)
{
	if (family == AF_INET && !l->has4) {
		memcpy(&l->addr4, addr, 4);
		l->has4 = true;
	} else if (family == AF_INET6 && !l->has6) {
		memcpy(l->addr6, addr, 16);
		l->has6 = true;
	}
}

static void port_l3(struct gw_routes *r, const struct xgw_config *cfg, const uint8_t (*macs)[6])
{
	r->nb_ports = cfg->nb_ports;
	r->nb_xfrmi = cfg->nb_xfrmi;
	for (unsigned int i = 0; i < cfg->nb_xfrmi; i++)
		r->xfrmi_if_id[i] = cfg->xfrmi[i].if_id;
	for (unsigned int p = 0; p < cfg->nb_ports; p++) {
		gw_port_l3_init(&r->port[p], cfg->ports[p].mtu, macs ? macs[p] : NULL);
		r->port[p].mark = cfg->ports[p].mark;
	}
	for (unsigned int i = 0; i < cfg->nb_addrs; i++)
		gw_port_l3_addr(&r->port[cfg->addrs[i].port], cfg->addrs[i].family,
				cfg->addrs[i].addr);
}

void gw_prefix_mask(const uint8_t *addr, unsigned int plen, unsigned int bytes, uint8_t *out)
{
	memcpy(out, addr, bytes);
	for (unsigned int b = 0; b < bytes * 8; b++)
		if (b >= plen)
			out[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
}

/* Addresses: their connected prefix (ONLINK) and themselves (LOCAL). */
static int add_addresses(struct gw_routes *r, const struct xgw_config *cfg)
{
	for (unsigned int i = 0; i < cfg->nb_addrs; i++) {
		const struct xgw_addr_cfg *a = &cfg->addrs[i];
		unsigned int bytes = a->family == AF_INET ? 4 : 16;
		struct gw_nh nh = { .family = (uint8_t)a->family, .port = (uint16_t)a->port };
		uint8_t pfx[16];
		int rc;

		nh.type = GW_NH_ONLINK;
		gw_prefix_mask(a->addr, a->plen, bytes, pfx);
		rc = gw_routes_add(r, a->family, pfx, a->plen, &nh);
		if (rc)
			return rc;
	}
	for (unsigned int i = 0; i < cfg->nb_addrs; i++) {
		const struct xgw_addr_cfg *a = &cfg->addrs[i];
		struct gw_nh nh = { .type = GW_NH_LOCAL, .family = (uint8_t)a->family,
				    .port = (uint16_t)a->port };
		int rc = gw_routes_add(r, a->family, a->addr, a->family == AF_INET ? 32 : 128, &nh);

		if (rc)
			return rc;
	}
	return 0;
}

static int add_routes(struct gw_routes *r, const struct xgw_config *cfg, char *msg, size_t msglen)
{
	for (unsigned int i = 0; i < cfg->nb_routes; i++) {
		const struct xgw_route_cfg *rc = &cfg->routes[i];
		struct gw_nh nh = { .family = (uint8_t)rc->family, .port = (uint16_t)rc->port };
		uint8_t pfx[16];
		int err;

		nh.type = rc->has_via ? GW_NH_VIA : GW_NH_ONLINK;
		if (rc->xfrmi >= 0) {	/* into an XFRM interface: port is its index */
			nh.type = GW_NH_XFRMI;
			nh.port = (uint16_t)rc->xfrmi;
		}
		if (rc->has_via)
			memcpy(nh.via, rc->via, 16);
		gw_prefix_mask(rc->prefix, rc->plen, rc->family == AF_INET ? 4 : 16, pfx);
		err = gw_routes_add(r, rc->family, pfx, rc->plen, &nh);
		if (err) {
			snprintf(msg, msglen, "%s:%d: cannot add route: %s", cfg->path, rc->line,
				 strerror(-err));
			return err;
		}
	}
	return 0;
}

struct gw_routes *gw_routes_build(const struct xgw_config *cfg, const uint8_t (*macs)[6],
				  char *msg, size_t msglen)
{
	unsigned int nroutes = cfg->nb_routes + 2 * cfg->nb_addrs + 16;
	struct gw_routes *r = calloc(1, sizeof(*r));
	int err;

	if (!r) {
		snprintf(msg, msglen, "no memory for the route tables");
		return NULL;
	}
	r->nb_nh = 1;	/* id 0: no route */
	err = create_tables(r, count_nh(cfg), nroutes, gw_config_wants_v6(cfg));
	if (err) {
		snprintf(msg, msglen, "cannot create the route tables (rte_fib: %s); "
			 "with --no-huge give EAL -m 256", rte_strerror(rte_errno));
		goto fail;
	}
	port_l3(r, cfg, macs);
	err = add_addresses(r, cfg);
	if (err) {
		snprintf(msg, msglen, "cannot add the addresses: %s", strerror(-err));
		goto fail;
	}
	if (add_routes(r, cfg, msg, msglen))
		goto fail;
	return r;
fail:
	gw_routes_free(r);
	return NULL;
}

void gw_routes_free(struct gw_routes *r)
{
	if (!r)
		return;
	rte_fib_free(r->fib4);
	rte_fib6_free(r->fib6);
	free(r);
}

const struct gw_nh *gw_route4(const struct gw_routes *r, uint32_t dst)
{
	uint32_t ip = rte_be_to_cpu_32(dst);
	uint64_t id = 0;

	rte_fib_lookup_bulk(r->fib4, &ip, &id, 1);
	return id && id < r->nb_nh ? &r->nh[id] : NULL;
}

void gw_route4_burst(const struct gw_routes *r, const uint32_t *dst, const struct gw_nh **out,
		     unsigned int n)
{
	uint32_t ip[64];
	uint64_t id[64];

	for (unsigned int i = 0; i < n; i++)
		ip[i] = rte_be_to_cpu_32(dst[i]);
	rte_fib_lookup_bulk(r->fib4, ip, id, (int)n);
	for (unsigned int i = 0; i < n; i++)
		out[i] = id[i] && id[i] < r->nb_nh ? &r->nh[id[i]] : NULL;
}

const struct gw_nh *gw_route6(const struct gw_routes *r, const uint8_t dst[16])
{
	uint8_t ip[1][RTE_FIB6_IPV6_ADDR_SIZE];
	uint64_t id = 0;

	if (!r->fib6)
		return NULL;
	memcpy(ip[0], dst, 16);
	rte_fib6_lookup_bulk(r->fib6, ip, &id, 1);
	return id && id < r->nb_nh ? &r->nh[id] : NULL;
}

bool gw_is_local4(const struct gw_routes *r, int port, uint32_t addr)
{
	const struct gw_nh *nh = gw_route4(r, addr);

	return nh && nh->type == GW_NH_LOCAL && (port < 0 || nh->port == port);
}

bool gw_is_local6(const struct gw_routes *r, int port, const uint8_t addr[16])
{
	const struct gw_nh *nh;

	for (unsigned int p = 0; p < r->nb_ports; p++)
		if (r->port[p].has_ll6 && (port < 0 || (unsigned int)port == p) &&
		    !memcmp(addr, r->port[p].ll6, 16))
			return true;
	nh = gw_route6(r, addr);
	return nh && nh->type == GW_NH_LOCAL && (port < 0 || nh->port == port);
}
