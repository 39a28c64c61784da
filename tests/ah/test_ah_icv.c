/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RFC 4302 3.3.3.1 mutable-field rules of ah/ah_icv.c, table driven:
 * every row names the RFC section or Appendix A entry it checks.
 *  - IPv4 (ah_icv_zero_ip4): base header fields (3.3.3.1.1.1), options as
 *    units (3.3.3.1.1.2): the A.1 immutable ones kept, the mutable and the
 *    experimental/superseded ones zeroed whole; a source route's last
 *    address as the destination when sending; malformed options refused.
 *  - IPv6 (ah_icv_zero_ip6): base header fields (3.3.3.1.2.1), option data
 *    zeroed by the change bit (3.3.3.1.2.1, RFC 8200 4.2), Routing header
 *    types 0 and 2 reordered as the final destination sees them
 *    (3.3.3.1.2.2, RFC 8200 4.4, RFC 6275 6.4); a Fragment header before AH
 *    (-EPROTO); malformed headers refused.
 * Expected bytes are written out here, not computed by the code under test.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ah/ah_priv.h"

#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define NONE NULL, 0

/* ---- IPv4 ---- */

/* 192.0.2.x, the documentation prefix (RFC 5737). */
#define V4(x) 192, 0, 2, (x)

struct row4 {
	const char *what;
	const uint8_t *opt;	/* options as received / to be sent */
	size_t optlen;		/* a multiple of 4 */
	const uint8_t *want;	/* options as the ICV sees them (optlen bytes) */
	size_t wantlen;
	bool out;
	uint8_t want_dst;	/* last byte of the destination the ICV sees */
	int rc;
};

static const struct row4 rows4[] = {
	{ "RFC 4302 3.3.3.1.1.1: no options; TOS, flags/offset, TTL, checksum zeroed",
	  NONE, NONE, false, 2, 0 },
	{ "RFC 4302 A.1 immutable: End of Options List, No Operation",
	  BYTES(1, 1, 1, 0), BYTES(1, 1, 1, 0), false, 2, 0 },
	{ "RFC 4302 A.1 immutable: Security (130, RFC 1108)",
	  BYTES(130, 11, 0xab, 0xcd, 1, 2, 3, 4, 5, 6, 7, 0),
	  BYTES(130, 11, 0xab, 0xcd, 1, 2, 3, 4, 5, 6, 7, 0), false, 2, 0 },
	{ "RFC 4302 A.1 immutable: Extended Security (133, RFC 1108)",
	  BYTES(133, 4, 0x11, 0x22), BYTES(133, 4, 0x11, 0x22), false, 2, 0 },
	{ "RFC 4302 A.1 immutable: Commercial Security (134)",
	  BYTES(134, 8, 0, 0, 0, 9, 1, 2), BYTES(134, 8, 0, 0, 0, 9, 1, 2), false, 2, 0 },
	{ "RFC 4302 A.1 immutable: Router Alert (148, RFC 2113)",
	  BYTES(148, 4, 0, 0), BYTES(148, 4, 0, 0), false, 2, 0 },
	{ "RFC 4302 A.1 immutable: Sender Directed Multi-Destination Delivery (149, RFC 1770)",
	  BYTES(149, 4, 0x12, 0x34), BYTES(149, 4, 0x12, 0x34), false, 2, 0 },
	{ "RFC 4302 A.1 mutable: Record Route (7) zeroed whole",
	  BYTES(7, 7, 4, V4(9), 0), BYTES(0, 0, 0, 0, 0, 0, 0, 0), false, 2, 0 },
	{ "RFC 4302 A.1 mutable: Time Stamp (68) zeroed whole",
	  BYTES(68, 12, 9, 0, 0, 0, 0, 1, 0, 0, 0, 2), BYTES(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	  false, 2, 0 },
	{ "RFC 4302 A.1 mutable: Traceroute (82, RFC 1393) zeroed whole",
	  BYTES(82, 12, 0, 1, 0, 2, 0, 3, V4(4)), BYTES(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	  false, 2, 0 },
	{ "RFC 4302 A.1 experimental/superseded: MTU Probe (11) zeroed whole",
	  BYTES(11, 4, 5, 220), BYTES(0, 0, 0, 0), false, 2, 0 },
	{ "RFC 4302 A.1 experimental/superseded: Stream ID (136) zeroed whole",
	  BYTES(136, 4, 0x77, 0x88), BYTES(0, 0, 0, 0), false, 2, 0 },
	{ "RFC 4302 3.3.3.1.1.2: immutable kept and mutable zeroed in place, in order",
	  BYTES(148, 4, 0, 0, 7, 7, 4, V4(9), 0),
	  BYTES(148, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), false, 2, 0 },
	{ "RFC 4302 3.3.3.1.1.2: NOPs between options stay, the option after them is zeroed",
	  BYTES(1, 1, 68, 4, 5, 0, 0, 0), BYTES(1, 1, 0, 0, 0, 0, 0, 0), false, 2, 0 },
	{ "RFC 4302 A.1 Loose Source Route (131) received: zeroed, destination as received",
	  BYTES(131, 11, 12, V4(7), V4(8), 0), BYTES(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	  false, 2, 0 },
	{ "RFC 4302 3.3.3.1.1.1 Loose Source Route sent: destination is the route's last address",
	  BYTES(131, 11, 4, V4(7), V4(8), 0), BYTES(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	  true, 8, 0 },
	{ "RFC 4302 3.3.3.1.1.1 Strict Source Route (137) sent: destination is the last address",
	  BYTES(137, 7, 4, V4(5), 0), BYTES(0, 0, 0, 0, 0, 0, 0, 0), true, 5, 0 },
	{ "RFC 4302 3.3.3.1.1.2 / RFC 791: option length below 2 refused",
	  BYTES(7, 1, 0, 0), BYTES(7, 1, 0, 0), false, 2, -EINVAL },
	{ "RFC 4302 3.3.3.1.1.2 / RFC 791: option running past the header refused",
	  BYTES(148, 8, 0, 0), BYTES(148, 8, 0, 0), false, 2, -EINVAL },
	{ "RFC 4302 3.3.3.1.1.2 / RFC 791: option type without its length byte refused",
	  BYTES(1, 1, 1, 7), BYTES(1, 1, 1, 7), false, 2, -EINVAL },
	{ "RFC 4302 3.3.3.1.1.1 / RFC 791 3.1: source route sent with a partial address refused",
	  BYTES(131, 8, 4, V4(7), 0), BYTES(131, 8, 4, V4(7), 0), true, 2, -EINVAL },
};

/* An IPv4 header from 192.0.2.1 to 192.0.2.2 with every field non-zero. */
static size_t ip4_build(uint8_t *h, const uint8_t *opt, size_t optlen, uint8_t dst)
{
	static const uint8_t base[20] = {
		0x45, 0xb8, 0x00, 0x54, 0x12, 0x34, 0x40 | 0x20, 0x01, 61, 51, 0xbe, 0xef,
		V4(1), V4(2),
	};
	size_t hl = sizeof(base) + optlen;

	memcpy(h, base, sizeof(base));
	h[0] = (uint8_t)(0x40 | hl / 4);
	h[19] = dst;
	if (optlen)
		memcpy(h + sizeof(base), opt, optlen);
	return hl;
}

static void test_ip4_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows4) / sizeof(rows4[0]); i++) {
		const struct row4 *r = &rows4[i];
		uint8_t h[60], want[60];
		size_t hl = ip4_build(h, r->opt, r->optlen, 2);
		int rc;

		print_message("ip4 row %zu: %s\n", i, r->what);
		assert_int_equal(r->optlen % 4, 0);
		rc = ah_icv_zero_ip4(h, (uint32_t)hl, r->out);
		assert_int_equal(rc, r->rc);
		if (rc)
			continue;
		assert_int_equal(r->wantlen, r->optlen);
		ip4_build(want, r->want, r->wantlen, r->want_dst);
		want[1] = 0;			/* TOS */
		want[6] = want[7] = 0;		/* flags, fragment offset */
		want[8] = 0;			/* TTL */
		want[10] = want[11] = 0;	/* checksum */
		assert_memory_equal(h, want, hl);
	}
}

/* ---- IPv6 ---- */

/* 2001:db8::x, the documentation prefix (RFC 3849). */
#define V6(x) 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (x)
#define NH_AH 51

struct row6 {
	const char *what;
	uint8_t nh;		/* next header in the base header */
	const uint8_t *ext;	/* extension headers before AH */
	size_t extlen;
	const uint8_t *want;	/* as the ICV sees them */
	size_t wantlen;
	bool out;
	uint8_t dst, want_dst;	/* last byte of the destination, before / for the ICV */
	int rc;
};

static const struct row6 rows6[] = {
	{ "RFC 4302 3.3.3.1.2.1: no extension headers; class, flow label, hop limit zeroed",
	  NH_AH, NONE, NONE, false, 2, 2, 0 },
	{ "RFC 4302 3.3.3.1.2.1 / RFC 8200 4.2: Hop-by-Hop, change-bit option data zeroed, "
	  "Router Alert, option without the change bit and PadN kept",
	  IPPROTO_HOPOPTS,
	  BYTES(NH_AH, 1, 0x05, 2, 0, 0, 0x3e, 2, 0xaa, 0xbb, 0x1e, 2, 0xcc, 0xdd, 1, 0),
	  BYTES(NH_AH, 1, 0x05, 2, 0, 0, 0x3e, 2, 0, 0, 0x1e, 2, 0xcc, 0xdd, 1, 0),
	  false, 2, 2, 0 },
	{ "RFC 8200 4.2: Pad1 between options, the change-bit option after it zeroed",
	  IPPROTO_HOPOPTS, BYTES(NH_AH, 0, 0, 0x3e, 2, 0x11, 0x22, 0),
	  BYTES(NH_AH, 0, 0, 0x3e, 2, 0, 0, 0), false, 2, 2, 0 },
	{ "RFC 4302 3.3.3.1.2.1: Destination Options before AH, change-bit data zeroed",
	  IPPROTO_DSTOPTS, BYTES(NH_AH, 0, 0x3e, 4, 1, 2, 3, 4),
	  BYTES(NH_AH, 0, 0x3e, 4, 0, 0, 0, 0), false, 2, 2, 0 },
	{ "RFC 4302 3.3.3.1.2.2 / RFC 8200 4.4: Routing type 0 sent, 2 segments left: "
	  "destination = last address, addresses shifted, segments left 0",
	  IPPROTO_ROUTING, BYTES(NH_AH, 4, 0, 2, 0, 0, 0, 0, V6(0x11), V6(0x12)),
	  BYTES(NH_AH, 4, 0, 0, 0, 0, 0, 0, V6(0x10), V6(0x11)), true, 0x10, 0x12, 0 },
	{ "RFC 4302 3.3.3.1.2.2 / RFC 8200 4.4: Routing type 0 sent, 1 of 2 segments left",
	  IPPROTO_ROUTING, BYTES(NH_AH, 4, 0, 1, 0, 0, 0, 0, V6(0x10), V6(0x12)),
	  BYTES(NH_AH, 4, 0, 0, 0, 0, 0, 0, V6(0x10), V6(0x11)), true, 0x11, 0x12, 0 },
	{ "RFC 4302 3.3.3.1.2.2 / RFC 6275 6.4: Routing type 2 sent, home address swapped in",
	  IPPROTO_ROUTING, BYTES(NH_AH, 2, 2, 1, 0, 0, 0, 0, V6(0x21)),
	  BYTES(NH_AH, 2, 2, 0, 0, 0, 0, 0, V6(0x20)), true, 0x20, 0x21, 0 },
	{ "RFC 4302 3.3.3.1.2.2: Routing type 0 received (segments left 0) kept as it is",
	  IPPROTO_ROUTING, BYTES(NH_AH, 4, 0, 0, 0, 0, 0, 0, V6(0x10), V6(0x11)),
	  BYTES(NH_AH, 4, 0, 0, 0, 0, 0, 0, V6(0x10), V6(0x11)), false, 0x12, 0x12, 0 },
	{ "RFC 4302 3.3.3.1.2.2: received with segments left: the sender signed the final "
	  "view, nothing reordered here",
	  IPPROTO_ROUTING, BYTES(NH_AH, 2, 0, 1, 0, 0, 0, 0, V6(0x11)),
	  BYTES(NH_AH, 2, 0, 1, 0, 0, 0, 0, V6(0x11)), false, 0x10, 0x10, 0 },
	{ "RFC 4302 3.3.3.1.2.2: finished Routing header of another type (4) sent as it is",
	  IPPROTO_ROUTING, BYTES(NH_AH, 2, 4, 0, 0, 0, 0, 0, V6(0x31)),
	  BYTES(NH_AH, 2, 4, 0, 0, 0, 0, 0, V6(0x31)), true, 0x32, 0x32, 0 },
	{ "RFC 4302 3.3.3.1.2.2: Destination Options, Routing type 0, Destination Options",
	  IPPROTO_DSTOPTS,
	  BYTES(IPPROTO_ROUTING, 0, 0x3e, 4, 'x', 'y', 0, 0,
		IPPROTO_DSTOPTS, 2, 0, 1, 0, 0, 0, 0, V6(0x41),
		NH_AH, 0, 0x1e, 2, 'i', 'n', 1, 0),
	  BYTES(IPPROTO_ROUTING, 0, 0x3e, 4, 0, 0, 0, 0,
		IPPROTO_DSTOPTS, 2, 0, 0, 0, 0, 0, 0, V6(0x40),
		NH_AH, 0, 0x1e, 2, 'i', 'n', 1, 0), true, 0x40, 0x41, 0 },
	{ "RFC 4302 3.3.3.1.2.2: unfinished Routing header of another type (4) unpredictable",
	  IPPROTO_ROUTING, BYTES(NH_AH, 2, 4, 1, 0, 0, 0, 0, V6(0x31)),
	  NONE, true, 0x30, 0x30, -EINVAL },
	{ "RFC 8200 4.4: Routing type 0 with an odd length refused",
	  IPPROTO_ROUTING, BYTES(NH_AH, 1, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8),
	  NONE, true, 2, 2, -EINVAL },
	{ "RFC 8200 4.4: segments left above the number of addresses refused",
	  IPPROTO_ROUTING, BYTES(NH_AH, 2, 0, 2, 0, 0, 0, 0, V6(0x11)),
	  NONE, true, 2, 2, -EINVAL },
	{ "RFC 4302 3.4.1: a Fragment header before AH: reassemble first (-EPROTO)",
	  IPPROTO_FRAGMENT, BYTES(NH_AH, 0, 0, 1, 0, 0, 0, 7),
	  NONE, false, 2, 2, -EPROTO },
	{ "RFC 8200 4.2: option data running past its header refused",
	  IPPROTO_HOPOPTS, BYTES(NH_AH, 0, 0x3e, 9, 0, 0, 0, 0),
	  NONE, false, 2, 2, -EINVAL },
	{ "RFC 8200 4: extension header longer than what precedes AH refused",
	  IPPROTO_HOPOPTS, BYTES(NH_AH, 1, 1, 4, 0, 0, 0, 0),
	  NONE, false, 2, 2, -EINVAL },
	{ "RFC 4302 3.3.3.1.2.1: an upper-layer header where extension headers belong refused",
	  IPPROTO_TCP, BYTES(0, 0, 0, 0, 0, 0, 0, 0),
	  NONE, false, 2, 2, -EINVAL },
};

/* An IPv6 header from 2001:db8::1 with class 0xb8, flow label 0x12345, hop limit 33. */
static size_t ip6_build(uint8_t *h, uint8_t nh, const uint8_t *ext, size_t extlen, uint8_t dst)
{
	static const uint8_t base[40] = {
		0x6b, 0x81, 0x23, 0x45, 0, 0, 0, 33, V6(1), V6(0),
	};

	memcpy(h, base, sizeof(base));
	h[5] = (uint8_t)(extlen + 24);	/* payload length: not zeroed */
	h[6] = nh;
	h[39] = dst;
	if (extlen)
		memcpy(h + sizeof(base), ext, extlen);
	return sizeof(base) + extlen;
}

static void test_ip6_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows6) / sizeof(rows6[0]); i++) {
		const struct row6 *r = &rows6[i];
		uint8_t h[40 + 128], want[40 + 128];
		size_t len;
		int rc;

		print_message("ip6 row %zu: %s\n", i, r->what);
		assert_true(r->extlen <= 128);
		len = ip6_build(h, r->nh, r->ext, r->extlen, r->dst);
		rc = ah_icv_zero_ip6(h, (uint32_t)len, r->out);
		assert_int_equal(rc, r->rc);
		if (rc)
			continue;
		assert_int_equal(r->wantlen, r->extlen);
		ip6_build(want, r->nh, r->want, r->wantlen, r->want_dst);
		want[0] = 0x60;				/* version kept, class zeroed */
		want[1] = want[2] = want[3] = 0;	/* flow label */
		want[7] = 0;				/* hop limit */
		assert_memory_equal(h, want, len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip4_rows),
		cmocka_unit_test(test_ip6_rows),
	};

	return cmocka_run_group_tests_name("ah_icv", tests, NULL, NULL);
}
