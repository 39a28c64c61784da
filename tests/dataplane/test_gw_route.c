/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dataplane/gw/route.c: longest-prefix match (v4 and v6) over the
 * configuration's routes, local addresses, link-local derivation.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dataplane/config.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lpm_v4),
		cmocka_unit_test(test_burst_v4),
		cmocka_unit_test(test_lpm_v6),
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_no_route),
	};

	if (!gw_test_eal("test_gw_route"))
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
