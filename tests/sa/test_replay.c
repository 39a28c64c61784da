/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Anti-replay: RFC 6479 windows of 32..65536 bits, the two-step
 * check/advance of RFC 4303 3.4.3, ESN high-bit inference of RFC 4303
 * Appendix A.2.2 at the 2^32 boundaries, outbound sequence overflow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "sa/replay.h"

/* accept: check, then advance as if the ICV verified. */
static int accept_seq(struct sa_replay *r, uint32_t lo)
{
	uint64_t s;
	int rc = sa_replay_check(r, lo, &s);

	return rc ? rc : sa_replay_advance(r, s);
}

static const uint32_t windows[] = { 32, 64, 1024, 65536 };

static void test_windows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
		uint32_t w = windows[i];
		struct sa_replay *r = sa_replay_alloc(w, false, 0);
		uint32_t top = 10 * w + 7;

		assert_non_null(r);
		assert_int_equal(accept_seq(r, 0), -EINVAL);	/* RFC 4303 3.3.3 */
		for (uint32_t s = 1; s <= w; s++)
			assert_int_equal(accept_seq(r, s), 0);
		assert_int_equal(accept_seq(r, w), -EALREADY);
		assert_int_equal(accept_seq(r, 1), -EALREADY);
		assert_int_equal(accept_seq(r, top), 0);
		/* edges: top - W + 1 is the oldest inside, top - W is out */
		assert_int_equal(accept_seq(r, top - w + 1), 0);
		assert_int_equal(accept_seq(r, top - w), -ERANGE);
		assert_int_equal(accept_seq(r, top - w + 1), -EALREADY);
		/* out of order inside the window, once each */
		assert_int_equal(accept_seq(r, top - 3), 0);
		assert_int_equal(accept_seq(r, top - 3), -EALREADY);
		assert_int_equal(accept_seq(r, top), -EALREADY);
		/* a jump of more than the bitmap clears every word */
		assert_int_equal(accept_seq(r, top + 4 * w), 0);
		assert_int_equal(accept_seq(r, top + 4 * w - 1), 0);
		assert_int_equal(accept_seq(r, top + 3 * w + 1), 0);
		assert_int_equal(accept_seq(r, top + 3 * w), -ERANGE);
		sa_replay_free(r);
	}
}

static void test_window_moves_only_after_icv(void **state)
{
	struct sa_replay *r = sa_replay_alloc(64, false, 0);
	uint64_t s;

	(void)state;
	assert_int_equal(accept_seq(r, 100), 0);
	/* a forged packet far ahead passes the check but fails its ICV */
	assert_int_equal(sa_replay_check(r, 100000, &s), 0);
	assert_int_equal(r->top, 100);
	/* so old packets still pass */
	assert_int_equal(accept_seq(r, 50), 0);
	/* a duplicate racing between check and advance is caught by advance */
	assert_int_equal(sa_replay_check(r, 60, &s), 0);
	assert_int_equal(sa_replay_advance(r, s), 0);
	assert_int_equal(sa_replay_advance(r, s), -EALREADY);
	sa_replay_free(r);
}

static void test_window_zero(void **state)
{
	struct sa_replay *r = sa_replay_alloc(0, false, 0);

	(void)state;
	assert_int_equal(accept_seq(r, 5), 0);
	assert_int_equal(accept_seq(r, 5), 0);	/* no check, as the kernel */
	sa_replay_free(r);
}

/* RFC 4303 A.2.2 rows: window, top, received low bits -> expected high bits. */
static const struct {
	uint32_t w;
	uint64_t top;
	uint32_t lo;
	int rc;
	uint32_t hi;
} esn_rows[] = {
	/* case A: window inside one subspace */
	{ 64, (5ull << 32) | 1000, 1000 - 63, 0, 5 },	/* oldest inside */
	{ 64, (5ull << 32) | 1000, 1001, 0, 5 },	/* ahead */
	{ 64, (5ull << 32) | 1000, 10, 0, 6 },		/* below bottom: next subspace */
	{ 64, (5ull << 32) | 0xffffffff, 3, 0, 6 },	/* wrap forward */
	{ 64, (5ull << 32) | 0xffffffff, 0xffffffc1, 0, 5 },
	/* case B: window spans the 2^32 boundary */
	{ 64, (1ull << 32) | 10, 0xfffffff0, 0, 0 },	/* previous subspace, inside */
	{ 64, (1ull << 32) | 10, 5, 0, 1 },
	{ 64, (1ull << 32) | 10, 0x80000000, 0, 1 },	/* ahead */
	{ 1024, (7ull << 32) | 0, 0xfffffc01, 0, 6 },
	{ 1024, (7ull << 32) | 0, 0, -EALREADY, 7 },	/* top itself */
	/* nothing exists before sequence number 0 */
	{ 64, 10, 0xfffffff0, -ERANGE, 0 },
};

static void test_esn_inference(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(esn_rows) / sizeof(esn_rows[0]); i++) {
		struct sa_replay *r = sa_replay_alloc(esn_rows[i].w, true, 0);
		uint64_t s = 0;
		int rc;

		r->top = esn_rows[i].top;
		r->bmp[(r->top >> 6) & r->wmask] |= 1ull << (r->top & 63);
		rc = sa_replay_check(r, esn_rows[i].lo, &s);
		if (rc != esn_rows[i].rc)
			print_error("row %zu: rc %d\n", i, rc);
		assert_int_equal(rc, esn_rows[i].rc);
		if (esn_rows[i].rc != -ERANGE)
			assert_int_equal(s >> 32, esn_rows[i].hi);
		sa_replay_free(r);
	}
}

static void test_esn_crossing(void **state)
{
	struct sa_replay *r = sa_replay_alloc(128, true, 0xfffffff0ull);

	(void)state;
	for (uint64_t s = 0xfffffff1ull; s < 0x100000010ull; s++)
		assert_int_equal(accept_seq(r, (uint32_t)s), 0);
	assert_int_equal(r->top, 0x10000000full);
	/* late packet from the old subspace still accepted once */
	assert_int_equal(accept_seq(r, 0xffffffa0u), 0);
	assert_int_equal(accept_seq(r, 0xffffffa0u), -EALREADY);
	assert_int_equal(accept_seq(r, 0xfffffff5u), -EALREADY);
	sa_replay_free(r);
}

static void test_export_import(void **state)
{
	struct sa_replay *r = sa_replay_alloc(96, true, 0), *r2 = sa_replay_alloc(96, true, 0);
	struct xfrm_replay_state_esn *e = calloc(1, sa_replay_esn_size(96));
	struct xfrm_replay_state leg;

	(void)state;
	for (uint32_t s = 1; s < 300; s += 3)
		accept_seq(r, s);
	sa_replay_export_esn(r, e);
	assert_int_equal(e->bmp_len, 3);
	assert_int_equal(e->seq, 298);
	assert_int_equal(sa_replay_import_esn(r2, e), 0);
	for (uint32_t s = 203; s <= 298; s++) {
		uint64_t q;

		assert_int_equal(sa_replay_check(r2, s, &q), sa_replay_check(r, s, &q));
	}
	sa_replay_export_legacy(r, &leg);
	assert_int_equal(leg.seq, 298);
	assert_int_equal(leg.bitmap & 0xf, 0x9);	/* 298 and 295 */
	free(e);
	sa_replay_free(r);
	sa_replay_free(r2);
}

static void test_oseq(void **state)
{
	uint64_t o = UINT32_MAX - 1, s;

	(void)state;
	assert_int_equal(sa_seq_next(&o, false, false, &s), 0);
	assert_int_equal(s, UINT32_MAX);
	assert_int_equal(sa_seq_next(&o, false, false, &s), -EOVERFLOW);
	assert_int_equal(sa_seq_next(&o, false, false, &s), -EOVERFLOW);
	o = UINT32_MAX;
	assert_int_equal(sa_seq_next(&o, true, false, &s), 0);
	assert_int_equal(s, 1ull << 32);
	o = UINT64_MAX;
	assert_int_equal(sa_seq_next(&o, true, false, &s), -EOVERFLOW);
	o = UINT32_MAX;
	assert_int_equal(sa_seq_next(&o, false, true, &s), 0);	/* OSEQ_MAY_WRAP */
	assert_int_equal(s, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_window_moves_only_after_icv),
		cmocka_unit_test(test_window_zero),
		cmocka_unit_test(test_esn_inference),
		cmocka_unit_test(test_esn_crossing),
		cmocka_unit_test(test_export_import),
		cmocka_unit_test(test_oseq),
	};

	return cmocka_run_group_tests_name("replay", tests, NULL, NULL);
}
