/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dataplane/gw/route.c: longest-prefix match (v4 and v6) over the
 * configuration's routes, local addresses, link-local derivation.
 * dataplane/gw/rib.c: the same tables built by the RIB, then routes added
 * and removed one at a time: one table entry per change, the lowest
 * metric wins, ECMP groups, drop routes, capacity errors, resync, both
 * left-right copies alike.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dataplane/config.h"
#include "dataplane/gw/rib.h"
#include "dataplane/gw/route.h"
#include "gw_test_env.h"

static const char conf[] =
	"port wan net_null0\n"
	"port lan net_null1\n"
	"address wan 192.0.2.1/24\n"
	"address lan 10.1.0.1/16\n"
	"address lan 2001:db8:1::1/64\n"
	"route 0.0.0.0/0 via 192.0.2.254 dev wan\n"
	"route 10.0.0.0/8 via 192.0.2.10 dev wan\n"
	"route 10.9.0.0/16 via 10.1.0.7 dev lan\n"
	"route 10.9.8.0/24 dev wan\n"
	"route 10.9.8.128/25 via 192.0.2.20 dev wan\n"
	"route ::/0 via 2001:db8:1::fe dev lan\n"
	"route 2001:db8:2::/48 via 2001:db8:1::2 dev lan\n"
	"route 2001:db8:2:5::/64 dev wan\n";

static const uint8_t macs[2][6] = { { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 },
				    { 0x02, 0, 0, 0, 0, 2 } };

static int setup(void **state)
{
	static struct xgw_config cfg;
	char err[256];
	struct gw_routes *r;

	if (xgw_config_parse("t.conf", conf, &cfg, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	r = gw_routes_build(&cfg, macs, err, sizeof(err));
	xgw_config_free(&cfg);
	if (!r)
		fprintf(stderr, "%s\n", err);
	*state = r;
	return r ? 0 : -1;
}

static int teardown(void **state)
{
	gw_routes_free(*state);
	return 0;
}

static uint32_t v4(const char *s)
{
	uint32_t a;

	inet_pton(AF_INET, s, &a);
	return a;
}

struct row4 {
	const char *dst;
	int type;	/* expected next hop type, GW_NH_NONE for no route */
	int port;
	const char *via;
};

/* T1..: the most specific prefix wins */
static const struct row4 rows4[] = {
	{ "8.8.8.8", GW_NH_VIA, 0, "192.0.2.254" },	/* default */
	{ "10.200.0.1", GW_NH_VIA, 0, "192.0.2.10" },	/* /8 */
	{ "10.9.1.1", GW_NH_VIA, 1, "10.1.0.7" },	/* /16 beats /8 */
	{ "10.9.8.7", GW_NH_ONLINK, 0, NULL },		/* /24 beats /16 */
	{ "10.9.8.200", GW_NH_VIA, 0, "192.0.2.20" },	/* /25 beats /24 */
	{ "10.1.3.4", GW_NH_ONLINK, 1, NULL },		/* connected /16 of an address */
	{ "192.0.2.99", GW_NH_ONLINK, 0, NULL },	/* connected /24 */
	{ "192.0.2.1", GW_NH_LOCAL, 0, NULL },		/* our own */
	{ "10.1.0.1", GW_NH_LOCAL, 1, NULL },
};

static void test_lpm_v4(void **state)
{
	const struct gw_routes *r = *state;

	for (size_t i = 0; i < sizeof(rows4) / sizeof(rows4[0]); i++) {
		const struct gw_nh *nh = gw_route4(r, v4(rows4[i].dst));

		assert_non_null(nh);
		assert_int_equal(nh->type, rows4[i].type);
		assert_int_equal(nh->port, rows4[i].port);
		if (rows4[i].via) {
			uint32_t via = v4(rows4[i].via);

			assert_memory_equal(nh->via, &via, 4);
		}
	}
}

static void test_burst_v4(void **state)
{
	const struct gw_routes *r = *state;
	uint32_t dst[3] = { v4("10.9.8.200"), v4("10.9.8.7"), v4("1.2.3.4") };
	const struct gw_nh *out[3];

	gw_route4_burst(r, dst, out, 3);
	assert_int_equal(out[0]->type, GW_NH_VIA);
	assert_int_equal(out[1]->type, GW_NH_ONLINK);
	assert_int_equal(out[2]->port, 0);
}

static void test_lpm_v6(void **state)
{
	const struct gw_routes *r = *state;
	uint8_t a[16], via[16];
	const struct gw_nh *nh;

	inet_pton(AF_INET6, "2001:db8:2:5::9", a);
	nh = gw_route6(r, a);
	assert_non_null(nh);
	assert_int_equal(nh->type, GW_NH_ONLINK);
	assert_int_equal(nh->port, 0);
	inet_pton(AF_INET6, "2001:db8:2:6::9", a);
	nh = gw_route6(r, a);
	inet_pton(AF_INET6, "2001:db8:1::2", via);
	assert_int_equal(nh->type, GW_NH_VIA);
	assert_memory_equal(nh->via, via, 16);
	inet_pton(AF_INET6, "2001:db8:1::77", a);
	assert_int_equal(gw_route6(r, a)->type, GW_NH_ONLINK);
	inet_pton(AF_INET6, "2001:db8:1::1", a);
	assert_int_equal(gw_route6(r, a)->type, GW_NH_LOCAL);
	inet_pton(AF_INET6, "2600::1", a);
	inet_pton(AF_INET6, "2001:db8:1::fe", via);
	assert_memory_equal(gw_route6(r, a)->via, via, 16);
}

static void test_local(void **state)
{
	const struct gw_routes *r = *state;
	uint8_t ll[16];

	assert_true(gw_is_local4(r, -1, v4("192.0.2.1")));
	assert_true(gw_is_local4(r, 0, v4("192.0.2.1")));
	assert_false(gw_is_local4(r, 1, v4("192.0.2.1")));	/* not on that port */
	assert_false(gw_is_local4(r, -1, v4("192.0.2.2")));
	/* RFC 4291 appendix A: 00:11:22:33:44:55 -> fe80::211:22ff:fe33:4455 */
	inet_pton(AF_INET6, "fe80::211:22ff:fe33:4455", ll);
	assert_true(gw_is_local6(r, 0, ll));
	assert_false(gw_is_local6(r, 1, ll));
	assert_memory_equal(r->port[0].ll6, ll, 16);
	assert_int_equal(r->port[0].addr4, v4("192.0.2.1"));
	assert_true(r->port[1].has6);
}

static void test_no_route(void **state)
{
	static struct xgw_config cfg;
	struct gw_routes *r;
	char err[256];

	(void)state;
	assert_int_equal(xgw_config_parse("n.conf", "port a net_null9\naddress a 10.0.0.1/24\n",
					  &cfg, err, sizeof(err)), 0);
	r = gw_routes_build(&cfg, NULL, err, sizeof(err));
	assert_non_null(r);
	assert_null(gw_route4(r, v4("10.0.1.1")));
	assert_null(r->fib6);	/* nothing IPv6: no trie */
	gw_routes_free(r);
	xgw_config_free(&cfg);
}

/* ---- the RIB ---- */

struct rib_fx {
	struct gw_routes *pub;
	struct gw_rib *rib;
};

static struct rib_fx *rib_new(uint32_t max4, uint32_t max6, bool small)
{
	struct rib_fx *f = calloc(1, sizeof(*f));
	struct gw_rib_params p = {
		.sizes = { .max4 = max4, .max6 = max6, .small = small },
		.nb_ports = 2,
		.mac = { { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 }, { 0x02, 0, 0, 0, 0, 2 } },
		.mtu = { 1500, 1400 },
	};
	char err[256];

	assert_non_null(f);
	p.publish = &f->pub;
	f->rib = gw_rib_create(&p, err, sizeof(err));
	if (!f->rib)
		fprintf(stderr, "%s\n", err);
	assert_non_null(f->rib);
	assert_non_null(f->pub);
	return f;
}

static void rib_del_fx(struct rib_fx *f)
{
	gw_rib_free(f->rib);
	assert_null(f->pub);
	free(f);
}

/* A kernel route: prefix/plen metric via (NULL: onlink) dev port. */
static struct gw_rt krt(const char *prefix, uint8_t plen, uint32_t metric, const char *via,
			uint16_t port)
{
	struct gw_rt rt = { .plen = plen, .origin = GW_RT_KERNEL, .kind = GW_RT_UNICAST,
			    .metric = metric, .nb_path = 1 };
	int fam = strchr(prefix, ':') ? AF_INET6 : AF_INET;

	rt.family = (uint8_t)fam;
	inet_pton(fam, prefix, rt.prefix);
	rt.path[0].port = port;
	if (via) {
		rt.path[0].has_via = true;
		inet_pton(fam, via, rt.path[0].via);
	}
	return rt;
}

static uint64_t changes(struct gw_rib *rib)
{
	struct gw_rib_stats st;

	gw_rib_stats(rib, &st);
	return st.changes;
}

/* Both copies answer dst alike: check the published one, swap, check again. */
static const struct gw_nh *both4(struct rib_fx *f, const char *dst)
{
	const struct gw_nh *a, *b;
	struct gw_rt dummy = krt("203.0.113.0", 24, 7, NULL, 0);

	gw_rib_commit(f->rib);
	a = gw_route4(f->pub, v4(dst));
	/* an unrelated change publishes the other copy */
	assert_int_equal(gw_rib_route_add(f->rib, &dummy), 0);
	gw_rib_commit(f->rib);
	b = gw_route4(f->pub, v4(dst));
	assert_int_equal(gw_rib_route_del(f->rib, &dummy, false), 0);
	gw_rib_commit(f->rib);
	assert_true((a == NULL) == (b == NULL));
	if (a)
		assert_memory_equal(a, b, sizeof(*a));
	return gw_route4(f->pub, v4(dst));
}

/* The configuration through the RIB gives what gw_routes_build gives. */
static void test_rib_config(void **state)
{
	static struct xgw_config cfg;
	struct rib_fx *f;
	char err[256];

	(void)state;
	assert_int_equal(xgw_config_parse("t.conf", conf, &cfg, err, sizeof(err)), 0);
	f = rib_new(1024, 1024, true);
	assert_int_equal(gw_rib_config(f->rib, &cfg), 0);
	test_lpm_v4((void **)&f->pub);
	test_lpm_v6((void **)&f->pub);
	test_local((void **)&f->pub);
	/* the same configuration again changes nothing */
	{
		uint64_t before = changes(f->rib);

		assert_int_equal(gw_rib_config(f->rib, &cfg), 0);
		assert_int_equal(changes(f->rib), before);
	}
	xgw_config_free(&cfg);
	rib_del_fx(f);
}

/* One route change, one table entry; a worse candidate changes nothing. */
static void test_rib_one_entry(void **state)
{
	struct rib_fx *f = rib_new(64, 0, true);
	struct gw_rt a = krt("10.9.0.0", 16, 20, "192.0.2.7", 0);
	struct gw_rt b = krt("10.9.0.0", 16, 10, "192.0.2.8", 1);
	struct gw_rt worse = krt("10.9.0.0", 16, 30, "192.0.2.9", 0);
	uint32_t via;
	uint64_t c0;

	(void)state;
	c0 = changes(f->rib);
	assert_int_equal(gw_rib_route_add(f->rib, &a), 0);
	assert_int_equal(changes(f->rib), c0 + 1);
	via = v4("192.0.2.7");
	assert_memory_equal(both4(f, "10.9.3.4")->via, &via, 4);
	c0 = changes(f->rib);
	assert_int_equal(gw_rib_route_add(f->rib, &b), 0);	/* metric 10 beats 20 */
	assert_int_equal(changes(f->rib), c0 + 1);
	via = v4("192.0.2.8");
	assert_int_equal(both4(f, "10.9.3.4")->port, 1);
	assert_memory_equal(gw_route4(f->pub, v4("10.9.3.4"))->via, &via, 4);
	c0 = changes(f->rib);
	assert_int_equal(gw_rib_route_add(f->rib, &worse), 0);
	assert_int_equal(changes(f->rib), c0);
	assert_int_equal(gw_rib_route_del(f->rib, &b, false), 0);	/* metric 20 takes over */
	via = v4("192.0.2.7");
	assert_memory_equal(both4(f, "10.9.3.4")->via, &via, 4);
	assert_int_equal(gw_rib_route_del(f->rib, &a, false), 0);
	assert_int_equal(gw_rib_route_del(f->rib, &worse, false), 0);
	assert_null(both4(f, "10.9.3.4"));
	assert_int_equal(gw_rib_route_del(f->rib, &a, false), -ENOENT);
	rib_del_fx(f);
}

/* The configuration beats the kernel at equal metric; addresses beat everything. */
static void test_rib_origin(void **state)
{
	struct rib_fx *f = rib_new(64, 0, true);
	struct gw_rt k = krt("10.8.0.0", 16, 0, "192.0.2.7", 0);
	struct gw_rt c = krt("10.8.0.0", 16, 0, "192.0.2.8", 1);
	struct gw_rt host = krt("10.8.0.1", 32, 0, "192.0.2.9", 0);
	uint8_t a[4];

	(void)state;
	c.origin = GW_RT_CONFIG;
	assert_int_equal(gw_rib_route_add(f->rib, &k), 0);
	assert_int_equal(gw_rib_route_add(f->rib, &c), 0);
	assert_int_equal(both4(f, "10.8.1.1")->port, 1);
	assert_int_equal(gw_rib_route_add(f->rib, &host), 0);
	inet_pton(AF_INET, "10.8.0.1", a);
	assert_int_equal(gw_rib_addr(f->rib, GW_RT_KERNEL, AF_INET, 1, a, 16, true), 0);
	assert_int_equal(both4(f, "10.8.0.1")->type, GW_NH_LOCAL);
	assert_true(f->pub->port[1].has4);	/* a kernel address is the port's source */
	assert_int_equal(f->pub->port[1].addr4, v4("10.8.0.1"));
	assert_int_equal(gw_rib_addr(f->rib, GW_RT_KERNEL, AF_INET, 1, a, 16, false), 0);
	assert_int_equal(both4(f, "10.8.0.1")->type, GW_NH_VIA);
	assert_false(f->pub->port[1].has4);
	rib_del_fx(f);
}

/* ECMP: a group of paths; one path removed (IPv6 style): the other alone. */
static void test_rib_ecmp(void **state)
{
	struct rib_fx *f = rib_new(64, 0, true);
	struct gw_rt rt = krt("10.7.0.0", 16, 0, "192.0.2.7", 0);
	struct gw_rt one = rt;
	const struct gw_nh *nh;
	struct gw_rib_stats st;
	uint32_t v1 = v4("192.0.2.7"), v2 = v4("192.0.2.8");

	(void)state;
	rt.nb_path = 2;
	rt.path[1] = rt.path[0];
	memcpy(rt.path[1].via, &v2, 4);
	rt.path[1].port = 1;
	assert_int_equal(gw_rib_route_add(f->rib, &rt), 0);
	nh = both4(f, "10.7.1.1");
	assert_int_equal(nh->type, GW_NH_MULTIPATH);
	{
		const struct gw_mp *mp = &f->pub->mp[nh - f->pub->nh];

		assert_int_equal(mp->n, 2);
		assert_memory_equal(f->pub->nh[mp->id[0]].via, &v1, 4);
		assert_memory_equal(f->pub->nh[mp->id[1]].via, &v2, 4);
		assert_int_equal(f->pub->nh[mp->id[1]].port, 1);
	}
	/* a second prefix over the same paths shares the group */
	{
		struct gw_rt again = rt;

		inet_pton(AF_INET, "10.6.0.0", again.prefix);
		assert_int_equal(gw_rib_route_add(f->rib, &again), 0);
		assert_ptr_equal(both4(f, "10.6.1.1"), both4(f, "10.7.1.1"));
		assert_int_equal(gw_rib_route_del(f->rib, &again, false), 0);
	}
	assert_int_equal(gw_rib_route_del(f->rib, &one, true), 0);	/* path 1 only */
	nh = both4(f, "10.7.1.1");
	assert_int_equal(nh->type, GW_NH_VIA);
	assert_memory_equal(nh->via, &v2, 4);
	assert_int_equal(gw_rib_route_del(f->rib, &rt, false), 0);
	gw_rib_commit(f->rib);
	gw_rib_stats(f->rib, &st);
	assert_int_equal(st.nh_used, 0);	/* every id given back */
	rib_del_fx(f);
}

static void test_rib_drop_kinds(void **state)
{
	static const struct {
		uint8_t kind;
		uint8_t type;
	} rows[] = {
		{ GW_RT_BLACKHOLE, GW_NH_BLACKHOLE },
		{ GW_RT_UNREACHABLE, GW_NH_UNREACHABLE },
		{ GW_RT_PROHIBIT, GW_NH_PROHIBIT },
	};
	struct rib_fx *f = rib_new(64, 0, true);

	(void)state;
	for (unsigned int i = 0; i < 3; i++) {
		struct gw_rt rt = krt("10.5.0.0", 16, i, NULL, 0);

		rt.kind = rows[i].kind;
		rt.nb_path = 0;
		assert_int_equal(gw_rib_route_add(f->rib, &rt), 0);
		assert_int_equal(both4(f, "10.5.5.5")->type, rows[0].type);	/* metric 0 */
	}
	rib_del_fx(f);
}

/* Full tables: refused, shown with the reason, and held once there is room. */
static void test_rib_full(void **state)
{
	struct rib_fx *f = rib_new(16, 0, true);
	struct gw_rib_entry e;
	struct gw_rib_stats st;
	uint64_t cur = 0;
	unsigned int refused = 0;
	char p[32];

	(void)state;
	for (unsigned int i = 0; i < 20; i++) {
		struct gw_rt rt;

		snprintf(p, sizeof(p), "10.%u.0.0", i);
		rt = krt(p, 16, 0, "192.0.2.7", 0);
		refused += gw_rib_route_add(f->rib, &rt) == -ENOSPC;
	}
	assert_int_equal(refused, 4);
	gw_rib_stats(f->rib, &st);
	assert_int_equal(st.held[0], 16);
	assert_int_equal(st.not_held, 4);
	assert_int_equal(st.routes[0], 20);
	while (gw_rib_walk(f->rib, &cur, &e))
		if (!e.held)
			assert_int_equal(e.err, -ENOSPC);
	/* next hops: 127 ids in the small table */
	{
		struct rib_fx *g = rib_new(1024, 0, true);
		int rc = 0;

		for (unsigned int i = 0; i < 200 && !rc; i++) {
			struct gw_rt rt;
			char via[32];

			snprintf(p, sizeof(p), "10.%u.0.0", i);
			snprintf(via, sizeof(via), "192.0.2.%u", i + 1);
			rt = krt(p, 16, 0, via, 0);
			rc = gw_rib_route_add(g->rib, &rt);
			if (rc)
				assert_true(i >= 120);
		}
		assert_int_equal(rc, -ENOSPC);
		rib_del_fx(g);
	}
	rib_del_fx(f);
}

/* A resync keeps what was seen again, removes the rest, leaves the configuration alone. */
static void test_rib_resync(void **state)
{
	struct rib_fx *f = rib_new(64, 0, true);
	struct gw_rt a = krt("10.1.0.0", 16, 0, "192.0.2.7", 0);
	struct gw_rt b = krt("10.2.0.0", 16, 0, "192.0.2.7", 0);
	struct gw_rt c = krt("10.3.0.0", 16, 0, "192.0.2.7", 0);
	uint64_t c0;

	(void)state;
	c.origin = GW_RT_CONFIG;
	assert_int_equal(gw_rib_route_add(f->rib, &a), 0);
	assert_int_equal(gw_rib_route_add(f->rib, &b), 0);
	assert_int_equal(gw_rib_route_add(f->rib, &c), 0);
	c0 = changes(f->rib);
	gw_rib_begin(f->rib, GW_RT_KERNEL);
	assert_int_equal(gw_rib_route_add(f->rib, &a), 0);	/* seen again: untouched */
	gw_rib_sweep(f->rib, GW_RT_KERNEL);
	assert_int_equal(changes(f->rib), c0 + 1);		/* b removed, nothing else */
	assert_non_null(both4(f, "10.1.1.1"));
	assert_null(both4(f, "10.2.1.1"));
	assert_non_null(both4(f, "10.3.1.1"));
	rib_del_fx(f);
}

/* IPv6 one at a time; a route without an IPv6 table is refused, not lost. */
static void test_rib_v6(void **state)
{
	struct rib_fx *f = rib_new(64, 64, true);
	struct gw_rt rt = krt("2001:db8:9::", 48, 1024, "fe80::1", 1);
	uint8_t dst[16];
	const struct gw_nh *nh;

	(void)state;
	assert_int_equal(gw_rib_route_add(f->rib, &rt), 0);
	gw_rib_commit(f->rib);
	inet_pton(AF_INET6, "2001:db8:9:1::1", dst);
	nh = gw_route6(f->pub, dst);
	assert_non_null(nh);
	assert_int_equal(nh->type, GW_NH_VIA);
	assert_int_equal(nh->port, 1);
	assert_int_equal(gw_rib_route_del(f->rib, &rt, true), 0);
	gw_rib_commit(f->rib);
	assert_null(gw_route6(f->pub, dst));
	rib_del_fx(f);
	f = rib_new(64, 0, true);
	assert_int_equal(gw_rib_route_add(f->rib, &rt), -EAFNOSUPPORT);
	rib_del_fx(f);
}

/* ---- the routing directives of the configuration ---- */

static const struct {
	const char *line;
	bool ok;
} cfg_rows[] = {
	{ "routes max4 1000000 max6 200000", true },
	{ "routes max4 4096", true },
	{ "routes max6 0 max4 64", true },
	{ "routes max4 8", false },			/* below 16 */
	{ "routes max5 10", false },
	{ "routes", false },
	{ "mirror wan off", true },
	{ "mirror wan on", true },
	{ "mirror lan off", false },			/* no tap */
	{ "mirror nope off", false },
	{ "mirror wan maybe", false },
	{ "neighbour wan 192.0.2.9 lladdr 02:00:00:00:00:09", true },
	{ "neighbour lan 2001:db8::9 lladdr 02:00:00:00:00:0a", true },
	{ "neighbour wan 192.0.2.9 lladdr 01:00:5e:00:00:01", false },	/* multicast */
	{ "neighbour wan 192.0.2.9 lladdr 02:00:00:00:00", false },
	{ "neighbour wan 192.0.2.300 lladdr 02:00:00:00:00:09", false },
	{ "neighbour wan 192.0.2.9 mac 02:00:00:00:00:09", false },
	{ "neighbour queue 8", true },			/* the other neighbour directive */
};

static void test_config_routing(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cfg_rows) / sizeof(cfg_rows[0]); i++) {
		static struct xgw_config cfg;
		char text[512], err[256] = "";
		int rc;

		snprintf(text, sizeof(text), "port wan net_null0 tap xgw0\nport lan net_null1\n%s\n",
			 cfg_rows[i].line);
		rc = xgw_config_parse("r.conf", text, &cfg, err, sizeof(err));
		if ((rc == 0) != cfg_rows[i].ok)
			fail_msg("'%s': %s", cfg_rows[i].line, rc ? err : "accepted");
		if (rc)
			assert_non_null(strstr(err, "r.conf:3:"));	/* names the line */
		xgw_config_free(&cfg);
	}
}

static void test_config_routing_values(void **state)
{
	static struct xgw_config cfg;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 };
	char err[256];

	(void)state;
	assert_int_equal(xgw_config_parse("v.conf", "port wan net_null0 tap xgw0\n"
					  "routes max4 5000\nmirror wan off\n"
					  "neighbour wan 192.0.2.9 lladdr 02:00:00:00:00:09\n",
					  &cfg, err, sizeof(err)), 0);
	assert_true(cfg.routes_sized);
	assert_int_equal(cfg.route_max4, 5000);
	assert_int_equal(cfg.route_max6, XGW_ROUTES_DEFAULT);	/* not given */
	assert_int_equal(cfg.mirror_off, 1);
	assert_int_equal(cfg.nb_neighs, 1);
	assert_int_equal(cfg.neighs[0].family, AF_INET);
	assert_memory_equal(cfg.neighs[0].mac, mac, 6);
	xgw_config_free(&cfg);
	assert_int_equal(xgw_config_parse("d.conf", "port wan net_null0 tap xgw0\n"
					  "neighbour wan 192.0.2.9 lladdr 02:00:00:00:00:09\n"
					  "neighbour wan 192.0.2.9 lladdr 02:00:00:00:00:08\n",
					  &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "given twice"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lpm_v4),
		cmocka_unit_test(test_burst_v4),
		cmocka_unit_test(test_lpm_v6),
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_no_route),
	};

	const struct CMUnitTest rib_tests[] = {
		cmocka_unit_test(test_rib_config),
		cmocka_unit_test(test_rib_one_entry),
		cmocka_unit_test(test_rib_origin),
		cmocka_unit_test(test_rib_ecmp),
		cmocka_unit_test(test_rib_drop_kinds),
		cmocka_unit_test(test_rib_full),
		cmocka_unit_test(test_rib_resync),
		cmocka_unit_test(test_rib_v6),
		cmocka_unit_test(test_config_routing),
		cmocka_unit_test(test_config_routing_values),
	};

	if (!gw_test_eal("test_gw_route"))
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown) |
	       cmocka_run_group_tests(rib_tests, NULL, NULL);
}
