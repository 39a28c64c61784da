/* SPDX-License-Identifier: BSD-3-Clause */
/* Configuration file parser: a good file, and one row per error, each
 * naming the file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "dataplane/config.h"

static const char good[] =
	"# east gateway\n"
	"port wan net_af_packet0,iface=veth-e mtu 1500 rxq 2 tap xgw-wan\n"
	"port lan net_tap0,iface=xgw-lan\n"
	"address wan 192.0.2.1/24\n"
	"address wan 2001:db8::1/64   # v6 too\n"
	"address lan 10.1.0.1/16\n"
	"route 0.0.0.0/0 via 192.0.2.254 dev wan\n"
	"route 2001:db8:2::/48 via 2001:db8::fe dev wan\n"
	"route 10.1.0.0/16 dev lan\n"
	"port dmz net_null0 mark 0x2a\n"
	"xfrmi ipsec7 if_id 7\n"
	"route 10.7.0.0/16 dev ipsec7\n"
	"\n"
	"control 0\n"
	"worker 1 rx wan:0,wan:1,lan:0\n"
	"mempool mbufs 32768 cache 128 dataroom 4096\n"
	"crypto prefer fastest\n"
	"crypto disable openssl,cryptodev\n"
	"icmp rate 50\n"
	"neighbour queue 8\n"
	"idle sleep 0\n";

static void test_good(void **state)
{
	struct xgw_config cfg;
	char err[256] = "";

	(void)state;
	assert_int_equal(xgw_config_parse("good.conf", good, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.nb_ports, 3);
	assert_int_equal(cfg.ports[2].mark, 42);
	assert_int_equal(cfg.ports[0].mark, 0);
	assert_int_equal(cfg.nb_xfrmi, 1);
	assert_string_equal(cfg.xfrmi[0].name, "ipsec7");
	assert_int_equal(cfg.xfrmi[0].if_id, 7);
	assert_int_equal(cfg.routes[3].xfrmi, 0);
	assert_int_equal(cfg.routes[3].port, -1);
	assert_int_equal(cfg.routes[2].xfrmi, -1);
	assert_string_equal(cfg.ports[0].name, "wan");
	assert_string_equal(cfg.ports[0].devargs, "net_af_packet0,iface=veth-e");
	assert_string_equal(cfg.ports[0].tap, "xgw-wan");
	assert_int_equal(cfg.ports[0].nb_rxq, 2);
	assert_int_equal(cfg.ports[1].mtu, 1500);
	assert_int_equal(cfg.nb_addrs, 3);
	assert_int_equal(cfg.addrs[1].family, AF_INET6);
	assert_int_equal(cfg.addrs[1].plen, 64);
	assert_int_equal(cfg.addrs[2].port, 1);
	assert_int_equal(cfg.nb_routes, 4);
	assert_true(cfg.routes[0].has_via);
	assert_int_equal(cfg.routes[0].plen, 0);
	assert_false(cfg.routes[2].has_via);
	assert_int_equal(cfg.routes[1].family, AF_INET6);
	assert_true(cfg.has_control_lcore);
	assert_int_equal(cfg.nb_workers, 1);
	assert_int_equal(cfg.workers[0].nb_rxq, 3);
	assert_int_equal(cfg.workers[0].rxq[2].port, 1);
	assert_int_equal(cfg.nb_mbufs, 32768);
	assert_int_equal(cfg.mbuf_dataroom, 4096);
	assert_int_equal(cfg.crypto_pref, XGW_CRYPTO_FASTEST);
	assert_int_equal(cfg.nb_disable, 2);
	assert_string_equal(cfg.disable[1], "cryptodev");
	assert_int_equal(cfg.icmp_rate, 50);
	assert_int_equal(cfg.neigh_queue, 8);
	assert_int_equal(cfg.idle_us, 0);
	assert_int_equal(cfg.sad_max, 1u << 20);	/* default */
	xgw_config_free(&cfg);
	assert_int_equal(xgw_config_parse("sad.conf", "sad max 2000000\n", &cfg, err, sizeof(err)),
			 0);
	assert_int_equal(cfg.sad_max, 2000000);
	xgw_config_free(&cfg);
}

static const struct {
	const char *text;
	const char *want;	/* expected message (after "t.conf:") */
} bad[] = {
	{ "bogus 1\n", "t.conf:1: unknown directive 'bogus'" },
	{ "\n\nport a\n", "t.conf:3: usage: port NAME" },
	{ "port a x\nport a y\n", "t.conf:2: port 'a' defined twice" },
	{ "port a x mtu\n", "t.conf:1: port option 'mtu' needs a value" },
	{ "port a x mtu 100\n", "t.conf:1: mtu: 100 is outside 576..9600" },
	{ "port a x mtu 15oo\n", "t.conf:1: mtu: '15oo' is not a number" },
	{ "port a x speed 10\n", "t.conf:1: unknown port option 'speed'" },
	{ "address b 10.0.0.1/8\n", "t.conf:1: no port named 'b'" },
	{ "port a x\naddress a 10.0.0.1\n", "t.conf:2: '10.0.0.1' needs a prefix length" },
	{ "port a x\naddress a 10.0.0.300/8\n", "t.conf:2: '10.0.0.300' is not an IPv4 or IPv6" },
	{ "port a x\naddress a 10.0.0.1/33\n", "t.conf:2: prefix length: 33 is outside 0..32" },
	{ "port a x\nroute 10.0.0.0/8 via 2001:db8::1 dev a\n", "t.conf:2: gateway 2001:db8::1 is not" },
	{ "port a x\nroute 10.0.0.0/8 via 10.0.0.1\n", "t.conf:2: route needs 'dev PORT'" },
	{ "port a x\nworker 1 rx a:1\n", "t.conf:2: port a has 1 rx queue(s); queue 1 does not exist" },
	{ "port a x\nworker 1 rx a\n", "t.conf:2: rx queue 'a' must be PORT:QUEUE" },
	{ "worker 1\nworker 1\n", "t.conf:2: lcore 1 is already a worker" },
	{ "control 2\nworker 2\n", "t.conf:2: lcore 2 is the control lcore" },
	{ "mempool mbufs 10\n", "t.conf:1: mbufs: 10 is outside" },
	{ "mempool size 10\n", "t.conf:1: unknown mempool option 'size'" },
	{ "crypto prefer turbo\n", "t.conf:1: crypto prefer: 'turbo' is not" },
	{ "icmp rate -1\n", "t.conf:1: icmp rate: '-1' is not a number" },
	{ "idle sleep 200000\n", "t.conf:1: idle sleep: 200000 is outside 0..100000" },
	{ "idle 5\n", "t.conf:1: usage: idle sleep MICROSECONDS" },
	{ "port a x mark 4294967296\n", "t.conf:1: mark '4294967296' is not a 32-bit number" },
	{ "port a x mark 4x\n", "t.conf:1: mark '4x' is not a 32-bit number" },
	{ "xfrmi x\n", "t.conf:1: usage: xfrmi NAME if_id N" },
	{ "xfrmi x if_id 0\n", "t.conf:1: if_id: 0 is outside" },
	{ "xfrmi x if_id 7\nxfrmi y if_id 7\n", "t.conf:2: if_id 7 already belongs to x" },
	{ "xfrmi x if_id 7\nxfrmi x if_id 8\n", "t.conf:2: XFRM interface 'x' defined twice" },
	{ "port a p\nxfrmi a if_id 7\n", "t.conf:2: XFRM interface 'a': the name of a port already" },
	{ "xfrmi x if_id 7\nport x p\n", "t.conf:2: port 'x': the name of an XFRM interface already" },
	{ "xfrmi x if_id 7\nroute 10.0.0.0/8 via 10.0.0.1 dev x\n",
	  "t.conf:2: a route into XFRM interface x takes no 'via'" },
	{ "sad max 0\n", "t.conf:1: sad max: 0 is outside 1..67108864" },
	{ "sad 5\n", "t.conf:1: usage: sad max N" },
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xgw_config cfg;
		char err[256] = "";
		int rc = xgw_config_parse("t.conf", bad[i].text, &cfg, err, sizeof(err));

		if (rc == 0 || strncmp(err, bad[i].want, strlen(bad[i].want)) != 0) {
			print_error("row %zu: rc %d, message '%s', wanted '%s'\n", i, rc, err,
				    bad[i].want);
			fail();
		}
		/* Nothing half-parsed is left behind. */
		assert_int_equal(cfg.nb_ports, 0);
		assert_null(cfg.routes);
	}
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/xfrmgw-config-XXXXXX";
	struct xgw_config cfg;
	char err[256] = "";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, good, sizeof(good) - 1), (ssize_t)sizeof(good) - 1);
	assert_int_equal(write(fd, "port\n", 5), 5);
	close(fd);
	assert_int_equal(xgw_config_load(path, &cfg, err, sizeof(err)), -1);
	/* The error names the file and the line after the good text (its 22nd). */
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, ":22: usage: port"));
	unlink(path);
	assert_int_equal(xgw_config_load(path, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot open"));
}

static void test_many_routes(void **state)
{
	size_t cap = 64 + 5000 * 40;
	char *text = malloc(cap), *p = text;
	struct xgw_config cfg;
	char err[256];

	(void)state;
	p += sprintf(p, "port a x\n");
	for (int i = 0; i < 5000; i++)
		p += sprintf(p, "route 10.%d.%d.0/24 dev a\n", i / 256, i % 256);
	assert_int_equal(xgw_config_parse("r.conf", text, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.nb_routes, 5000);
	assert_int_equal(cfg.routes[4999].prefix[2], 4999 % 256);
	xgw_config_free(&cfg);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_many_routes),
	};

	return cmocka_run_group_tests_name("dataplane_config", tests, NULL, NULL);
}
