/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lifetimes (RFC 4301 4.4.2.1): soft and hard limits on packets, bytes,
 * seconds since add and since first use fire exactly once each; a hard
 * limit stops the SA and removes it; policies expire by time too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <netinet/in.h>

#include "sa/sad.h"
#include "sa/spd.h"
#include "tests/sa/sa_test_env.h"

struct fx {
	struct sa_rcu *rcu;
	struct sad *sad;
	struct spd *spd;
	int soft, hard, psoft, phard;
};

static void on_sa(void *arg, struct xfrm_sa *sa, bool hard)
{
	struct fx *fx = arg;

	(void)sa;
	if (hard)
		fx->hard++;
	else
		fx->soft++;
}

static void on_pol(void *arg, struct xfrm_policy *pol, bool hard)
{
	struct fx *fx = arg;

	(void)pol;
	if (hard)
		fx->phard++;
	else
		fx->psoft++;
}

static const struct sa_event_ops ops = { .sa_expire = on_sa, .policy_expire = on_pol };

static int setup(void **state)
{
	static int n;
	struct fx *fx = calloc(1, sizeof(*fx));
	char name[16];
	struct sad_config sc = { .clock = sa_test_clock, .max_sa = 64 };
	struct spd_config pc = { .clock = sa_test_clock };

	fx->rcu = sa_rcu_create(2);
	snprintf(name, sizeof(name), "tls%d", n);
	sc.name = name;
	sc.rcu = fx->rcu;
	fx->sad = sad_create(&sc);
	snprintf(name, sizeof(name), "tlp%d", n++);
	pc.name = name;
	pc.rcu = fx->rcu;
	fx->spd = spd_create(&pc);
	sad_set_event_ops(fx->sad, &ops, fx);
	spd_set_event_ops(fx->spd, &ops, fx);
	sa_test_time = 5000;
	*state = fx;
	return fx->sad && fx->spd ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	sad_destroy(fx->sad);
	spd_destroy(fx->spd);
	sa_rcu_destroy(fx->rcu);
	free(fx);
	return 0;
}

static struct xfrm_sa *add_sa(struct fx *fx, uint32_t spi, const struct xfrm_lifetime_cfg *l)
{
	struct xfrm_sa *sa = sa_alloc();

	sa->family = AF_INET;
	sa->id.daddr = sa_test_v4("192.0.2.1");
	sa->id.spi = htonl(spi);
	sa->id.proto = IPPROTO_ESP;
	sa->lft = *l;
	assert_int_equal(sad_add(fx->sad, sa), 0);
	return sa;	/* the test keeps its reference */
}

static struct xfrm_lifetime_cfg infinite(void)
{
	struct xfrm_lifetime_cfg l = { 0 };

	l.soft_byte_limit = l.hard_byte_limit = XFRM_INF;
	l.soft_packet_limit = l.hard_packet_limit = XFRM_INF;
	return l;
}

static void test_packets(void **state)
{
	struct fx *fx = *state;
	struct xfrm_lifetime_cfg l = infinite();
	struct xfrm_sa *sa;
	int ok = 0;

	l.soft_packet_limit = 5;
	l.hard_packet_limit = 8;
	sa = add_sa(fx, 1, &l);
	for (int i = 0; i < 20; i++)
		if (sa_lifetime_account(sa, 100, sa_test_time) == 0)
			ok++;
	assert_int_equal(ok, 8);	/* exactly the hard limit gets through */
	assert_int_equal(sa_state_get(sa), SA_STATE_EXPIRED);
	assert_int_equal(sad_tick(fx->sad), 1);	/* hard supersedes the pending soft */
	assert_int_equal(fx->hard, 1);
	assert_int_equal(fx->soft, 0);
	assert_int_equal(sad_tick(fx->sad), 0);
	assert_int_equal(sa_state_get(sa), SA_STATE_DEAD);	/* removed */
	sa_put(sa);
}

static void test_soft_then_hard_bytes(void **state)
{
	struct fx *fx = *state;
	struct xfrm_lifetime_cfg l = infinite();
	struct xfrm_sa *sa;

	l.soft_byte_limit = 1000;
	l.hard_byte_limit = 2000;
	sa = add_sa(fx, 2, &l);
	for (int i = 0; i < 9; i++)
		assert_int_equal(sa_lifetime_account(sa, 100, sa_test_time), 0);
	assert_int_equal(sad_tick(fx->sad), 0);
	assert_int_equal(sa_lifetime_account(sa, 100, sa_test_time), 0);	/* 1000: soft */
	assert_int_equal(sa_lifetime_account(sa, 100, sa_test_time), 0);
	assert_int_equal(sad_tick(fx->sad), 1);
	assert_int_equal(sad_tick(fx->sad), 0);
	assert_int_equal(fx->soft, 1);
	assert_true(sa_is_valid(sa));
	/* the packet that crosses the hard byte limit still goes, the next does not */
	assert_int_equal(sa_lifetime_account(sa, 1000, sa_test_time), 0);	/* 2100 */
	assert_int_equal(sa_lifetime_account(sa, 1, sa_test_time), -EKEYEXPIRED);
	assert_int_equal(sad_tick(fx->sad), 1);
	assert_int_equal(fx->hard, 1);
	assert_int_equal(fx->soft, 1);
	sa_put(sa);
}

static void test_time(void **state)
{
	struct fx *fx = *state;
	struct xfrm_lifetime_cfg l = infinite();
	struct xfrm_sa *a, *u;

	l.soft_add_expires_seconds = 10;
	l.hard_add_expires_seconds = 20;
	a = add_sa(fx, 3, &l);
	l = infinite();
	l.soft_use_expires_seconds = 5;
	l.hard_use_expires_seconds = 7;
	u = add_sa(fx, 4, &l);

	sa_test_time += 9;
	assert_int_equal(sad_tick(fx->sad), 0);	/* u unused: its use clock has not started */
	sa_test_time += 1;
	assert_int_equal(sad_tick(fx->sad), 1);	/* a soft */
	assert_int_equal(sad_tick(fx->sad), 0);
	assert_int_equal(sa_lifetime_account(u, 10, sa_test_time), 0);	/* first use */
	assert_int_equal(u->curlft.use_time, sa_test_time);
	sa_test_time += 5;
	assert_int_equal(sad_tick(fx->sad), 1);	/* u soft */
	sa_test_time += 2;
	assert_int_equal(sad_tick(fx->sad), 1);	/* u hard */
	sa_test_time += 3;
	assert_int_equal(sad_tick(fx->sad), 1);	/* a hard at add + 20 */
	assert_int_equal(sad_tick(fx->sad), 0);
	assert_int_equal(fx->soft, 2);
	assert_int_equal(fx->hard, 2);
	assert_int_equal(sa_state_get(a), SA_STATE_DEAD);
	assert_int_equal(sa_state_get(u), SA_STATE_DEAD);
	sa_put(a);
	sa_put(u);
}

static void test_user_expire_and_overflow(void **state)
{
	struct fx *fx = *state;
	struct xfrm_lifetime_cfg l = infinite();
	struct xfrm_sa *a = add_sa(fx, 5, &l), *b = add_sa(fx, 6, &l);
	uint64_t seq;

	assert_int_equal(sad_expire(fx->sad, a, false), 0);
	assert_int_equal(fx->soft, 1);
	assert_int_equal(sad_tick(fx->sad), 0);		/* told once */
	assert_int_equal(sad_expire(fx->sad, a, true), 0);
	assert_int_equal(fx->hard, 1);
	assert_int_equal(sad_expire(fx->sad, a, true), -ESRCH);

	/* outbound sequence exhausted: the data path raises hard */
	b->oseq = UINT32_MAX;
	assert_int_equal(sa_oseq_next(b, &seq), -EOVERFLOW);
	assert_true(sa_lifetime_raise(b, SA_EV_HARD));
	assert_false(sa_lifetime_raise(b, SA_EV_HARD));
	assert_int_equal(sa_lifetime_account(b, 1, sa_test_time), -EKEYEXPIRED);
	assert_int_equal(sad_tick(fx->sad), 1);
	assert_int_equal(fx->hard, 2);
	sa_put(a);
	sa_put(b);
}

static void test_policy_time(void **state)
{
	struct fx *fx = *state;
	struct xfrm_policy *p = policy_alloc();

	p->sel.family = AF_INET;
	p->dir = XFRM_POLICY_OUT;
	p->lft.soft_add_expires_seconds = 3;
	p->lft.hard_use_expires_seconds = 10;
	assert_int_equal(spd_insert(fx->spd, p, true, NULL), 0);
	sa_test_time += 3;
	assert_int_equal(spd_tick(fx->spd), 1);
	assert_int_equal(spd_tick(fx->spd), 0);
	assert_int_equal(fx->psoft, 1);
	spd_policy_used(p, sa_test_time + 5);	/* idle clock restarts at use */
	sa_test_time += 8;
	assert_int_equal(spd_tick(fx->spd), 0);
	sa_test_time += 7;
	assert_int_equal(spd_tick(fx->spd), 1);
	assert_int_equal(fx->phard, 1);
	assert_true(p->dead);
	policy_put(p);
}

/*
 * sa_lifetime_account_burst() against sa_lifetime_account() called packet
 * by packet on a twin SA: the same verdict per packet, the same counters,
 * events and state after every burst. Rows: limits, then bursts of
 * packets (bytes; 0 = an entry already refused by the protocol).
 */
struct burst_row {
	const char *what;
	uint64_t soft_pk, hard_pk, soft_by, hard_by;
	unsigned int nbursts;
	uint32_t bytes[4][8];	/* per burst; a burst ends at the first unused (0 after data) */
	unsigned int len[4];
};

static const struct burst_row burst_rows[] = {
	{ "no limit reached", XFRM_INF, XFRM_INF, XFRM_INF, XFRM_INF, 2,
	  { { 100, 200, 0, 300 }, { 50, 50 } }, { 4, 2 } },
	{ "soft packets inside a burst", 3, XFRM_INF, XFRM_INF, XFRM_INF, 2,
	  { { 10, 10 }, { 10, 10, 10 } }, { 2, 3 } },
	{ "hard packets: exactly N pass", 4, 6, XFRM_INF, XFRM_INF, 2,
	  { { 1, 1, 1 }, { 1, 0, 1, 1, 1, 1 } }, { 3, 6 } },
	{ "hard bytes: the crossing packet goes, the next not", XFRM_INF, XFRM_INF, 150, 250, 1,
	  { { 100, 100, 100, 100 } }, { 4 } },
	{ "soft and hard in one burst", 2, 3, XFRM_INF, XFRM_INF, 1,
	  { { 5, 5, 5, 5, 5 } }, { 5 } },
	{ "expired before the burst", XFRM_INF, 1, XFRM_INF, XFRM_INF, 2,
	  { { 7 }, { 7, 7 } }, { 1, 2 } },
};

struct burst_pkt {
	uint32_t acct;
	uint8_t status;
};

#define B_OK		0xffu
#define B_REFUSED	9u
#define B_OTHER		3u	/* refused by the protocol before the lifetime */

static struct xfrm_sa *burst_sa(const struct burst_row *r)
{
	struct xfrm_sa *sa = sa_alloc();

	assert_non_null(sa);
	sa->lft.soft_packet_limit = r->soft_pk;
	sa->lft.hard_packet_limit = r->hard_pk;
	sa->lft.soft_byte_limit = r->soft_by;
	sa->lft.hard_byte_limit = r->hard_by;
	sa->state = SA_STATE_VALID;
	return sa;
}

static void test_burst_matches_per_packet(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(burst_rows) / sizeof(burst_rows[0]); i++) {
		const struct burst_row *r = &burst_rows[i];
		struct xfrm_sa *burst = burst_sa(r), *twin = burst_sa(r);

		print_message("row %zu: %s\n", i, r->what);
		for (unsigned int b = 0; b < r->nbursts; b++) {
			struct burst_pkt p[8];
			uint8_t want[8];

			for (unsigned int k = 0; k < r->len[b]; k++) {
				uint32_t by = r->bytes[b][k];

				p[k].acct = by;
				p[k].status = by ? B_OK : B_OTHER;
				want[k] = p[k].status;
				if (by && sa_lifetime_account(twin, by, 1234))
					want[k] = B_REFUSED;
			}
			sa_lifetime_account_burst(burst, &p[0].status, &p[0].acct, sizeof(p[0]),
						  (uint16_t)r->len[b], 1234, B_OK, B_REFUSED);
			for (unsigned int k = 0; k < r->len[b]; k++)
				assert_int_equal(p[k].status, want[k]);
			assert_int_equal(burst->curlft.packets, twin->curlft.packets);
			assert_int_equal(burst->curlft.bytes, twin->curlft.bytes);
			assert_int_equal(burst->curlft.use_time, twin->curlft.use_time);
			assert_int_equal(burst->ev_raised, twin->ev_raised);
			assert_int_equal(sa_state_get(burst), sa_state_get(twin));
		}
		sa_put(burst);
		sa_put(twin);
	}
}

/* Counts taken back (a later refusal in the same burst) leave no trace. */
static void test_unaccount(void **state)
{
	struct xfrm_sa *sa = sa_alloc();
	struct burst_pkt p[3] = { { 10, B_OK }, { 20, B_OK }, { 30, B_OK } };

	(void)state;
	assert_non_null(sa);
	sa->state = SA_STATE_VALID;
	sa_lifetime_account_burst(sa, &p[0].status, &p[0].acct, sizeof(p[0]), 3, 5, B_OK,
				  B_REFUSED);
	assert_int_equal(sa->curlft.packets, 3);
	assert_int_equal(sa->curlft.bytes, 60);
	sa_lifetime_unaccount(sa, 2, 50);
	assert_int_equal(sa->curlft.packets, 1);
	assert_int_equal(sa->curlft.bytes, 10);
	assert_int_equal(sa_lifetime_now(sa) > 1000000000u, 1);	/* no SAD: the wall clock */
	sa_put(sa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_matches_per_packet),
		cmocka_unit_test(test_unaccount),
		cmocka_unit_test_setup_teardown(test_packets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soft_then_hard_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_expire_and_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_time, setup, teardown),
	};

	if (sa_test_eal_init("test_lifetime"))
		return 1;
	return cmocka_run_group_tests_name("lifetime", tests, NULL, NULL);
}
