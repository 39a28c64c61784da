/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SPD correctness at scale: 100k policies with mixed and tied priorities,
 * overlapping prefixes of both families, protocols, ports with masks, ICMP
 * type/code, marks (some that can never match), if_ids, ifindexes, SUB
 * policies, in three directions; then random inserts, UPDPOLICY
 * replacements, deletes (by selector, by index, by pointer) and a flush
 * with re-adds. Every lookup (single and burst) must equal a linear scan
 * of the rule set as of the last publish, by XFRM's rule: selector, mark
 * and if_id match, MAIN only, lowest priority, then oldest. Never timing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <netinet/in.h>

#include "sa/spd.h"
#include "tests/sa/sa_test_env.h"

#define N_POLICIES 100000
#define ROUNDS 8
#define OPS_PER_ROUND 4000
#define LOOKUPS_PER_CHECK 600

struct model {
	struct xfrm_policy **cur;	/* the control plane's set (a reference each) */
	uint32_t ncur;
	struct xfrm_policy **pub;	/* as of the last publish (a reference each) */
	uint32_t npub;
	uint32_t cap;
	uint64_t seq;			/* insertion order, kept through replacement */
	uint32_t user;			/* makes identities unique (selector user) */
	uint64_t rng;
	struct spd *spd;
	struct sa_rcu *rcu;
	uint64_t matched, checked;
};

static uint32_t rnd(struct model *m)
{
	/* xorshift64*: reproducible, fast */
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return (uint32_t)((m->rng * 2685821657736338717ull) >> 32);
}

static uint32_t pick(struct model *m, uint32_t n)
{
	return rnd(m) % n;
}

static uint64_t seq_of(const struct xfrm_policy *p)
{
	return (uint64_t)(uintptr_t)p->priv;
}

/* Addresses from a small universe so that prefixes overlap a lot. */
static void rand_addr(struct model *m, xfrm_address_t *a, bool v6)
{
	memset(a, 0, sizeof(*a));
	if (v6) {
		a->a6[0] = htonl(0x20010db8);
		a->a6[1] = htonl(pick(m, 4) << 16 | pick(m, 64));
		a->a6[3] = htonl(pick(m, 256));
	} else {
		a->a4 = htonl(0x0a000000u | pick(m, 4) << 16 | pick(m, 64) << 8 | pick(m, 256));
	}
}

static const uint8_t plen4_s[] = { 0, 16, 24, 32 }, plen4_d[] = { 8, 16, 24, 32 };
static const uint8_t plen6_s[] = { 0, 32, 56, 128 }, plen6_d[] = { 32, 48, 56, 128 };
static const uint32_t prios[] = { 0, 1, 10, 10, 100, 100, 100, 1000 };

static void rand_policy_body(struct model *m, struct xfrm_policy *p)
{
	uint32_t r = pick(m, 10);

	p->priority = r < 8 ? prios[pick(m, 8)] : pick(m, 2000);
	p->action = pick(m, 4) ? XFRM_POLICY_ALLOW : XFRM_POLICY_BLOCK;
	p->ntmpl = 1;
	p->tmpl[0].reqid = rnd(m);
}

static struct xfrm_policy *rand_policy(struct model *m)
{
	struct xfrm_policy *p = policy_alloc();
	struct xfrm_selector *s = &p->sel;
	bool v6 = pick(m, 5) == 0;
	uint32_t r;

	s->family = v6 ? AF_INET6 : AF_INET;
	rand_addr(m, &s->saddr, v6);
	rand_addr(m, &s->daddr, v6);
	s->prefixlen_s = v6 ? plen6_s[pick(m, 4)] : plen4_s[pick(m, 4)];
	s->prefixlen_d = v6 ? plen6_d[pick(m, 4)] : plen4_d[pick(m, 4)];
	r = pick(m, 20);
	if (r < 10) {
		s->proto = 0;
	} else if (r < 14) {
		s->proto = pick(m, 2) ? IPPROTO_TCP : IPPROTO_UDP;
	} else if (r < 18) {
		s->proto = pick(m, 2) ? IPPROTO_TCP : IPPROTO_UDP;
		s->dport = htons((uint16_t)(pick(m, 4) * 256 + pick(m, 3)));
		s->dport_mask = pick(m, 3) ? 0xffff : htons(0xff00);
	} else {
		/* ICMP type in sport, code in dport */
		s->proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		s->sport = htons((uint16_t)pick(m, 3));
		s->sport_mask = 0xffff;
		s->dport = 0;
		s->dport_mask = 0xffff;
	}
	if (pick(m, 20) == 0)
		s->ifindex = (int)(1 + pick(m, 2));
	s->user = ++m->user;
	r = pick(m, 20);
	if (r < 4)
		p->mark = (struct xfrm_mark){ pick(m, 3), 0xff };
	else if (r == 4)
		p->mark = (struct xfrm_mark){ 0x100, 0xff };	/* v outside m: never matches */
	if (pick(m, 5) == 0)
		p->if_id = 1 + pick(m, 2);
	r = pick(m, 20);
	p->dir = r < 16 ? XFRM_POLICY_OUT : r < 18 ? XFRM_POLICY_IN : XFRM_POLICY_FWD;
	if (pick(m, 50) == 0)
		p->type = XFRM_POLICY_TYPE_SUB;
	rand_policy_body(m, p);
	return p;
}

/* ---- the model ---- */

static void model_add(struct model *m, struct xfrm_policy *p)
{
	assert_true(m->ncur < m->cap);
	m->cur[m->ncur++] = p;
}

static void model_remove_at(struct model *m, uint32_t i)
{
	policy_put(m->cur[i]);
	m->cur[i] = m->cur[--m->ncur];
}

static void do_insert(struct model *m)
{
	struct xfrm_policy *p = rand_policy(m);

	p->priv = (void *)(uintptr_t)++m->seq;
	assert_int_equal(spd_insert(m->spd, p, true, NULL), 0);
	model_add(m, p);
}

/* UPDPOLICY of an existing identity: new priority/action, same place in order. */
static void do_replace(struct model *m)
{
	uint32_t i = pick(m, m->ncur);
	struct xfrm_policy *o = m->cur[i], *p = policy_alloc(), *old = NULL;

	p->sel = o->sel;
	p->mark = o->mark;
	p->if_id = o->if_id;
	p->dir = o->dir;
	p->type = o->type;
	rand_policy_body(m, p);
	p->priv = o->priv;
	assert_int_equal(spd_insert(m->spd, p, false, &old), 0);
	assert_ptr_equal(old, o);
	assert_int_equal(p->index, o->index);
	policy_put(old);
	policy_put(o);
	m->cur[i] = p;
}

static void do_delete(struct model *m)
{
	uint32_t i = pick(m, m->ncur);
	struct xfrm_policy *p = m->cur[i], *got = NULL;
	struct spd_id id = { .dir = p->dir, .type = p->type, .mark = p->mark, .if_id = p->if_id };

	switch (pick(m, 3)) {
	case 0:
		id.sel = p->sel;
		assert_int_equal(spd_delete(m->spd, &id, &got), 0);
		assert_ptr_equal(got, p);
		policy_put(got);
		break;
	case 1:
		id.index = p->index;
		assert_int_equal(spd_delete(m->spd, &id, NULL), 0);
		break;
	default:
		assert_int_equal(spd_delete_policy(m->spd, p), 0);
		break;
	}
	model_remove_at(m, i);
}

/* XFRM's order within a direction and family: priority, then insertion. */
static int by_rank(const void *a, const void *b)
{
	const struct xfrm_policy *x = *(struct xfrm_policy *const *)a;
	const struct xfrm_policy *y = *(struct xfrm_policy *const *)b;

	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	if (x->sel.family != y->sel.family)
		return x->sel.family < y->sel.family ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return seq_of(x) < seq_of(y) ? -1 : seq_of(x) > seq_of(y);
}

static void model_publish(struct model *m)
{
	assert_int_equal(spd_publish(m->spd), 0);
	for (uint32_t i = 0; i < m->npub; i++)
		policy_put(m->pub[i]);
	for (uint32_t i = 0; i < m->ncur; i++) {
		policy_hold(m->cur[i]);
		m->pub[i] = m->cur[i];
	}
	m->npub = m->ncur;
	qsort(m->pub, m->npub, sizeof(m->pub[0]), by_rank);
}

/* ---- the reference: a linear scan, XFRM's rule ---- */

static bool ref_matches(const struct xfrm_policy *p, uint8_t dir, const struct spd_flow *f)
{
	return p->dir == dir && p->sel.family == f->family && p->type == XFRM_POLICY_TYPE_MAIN &&
	       (f->mark & p->mark.m) == p->mark.v && f->if_id == p->if_id &&
	       spd_selector_match(&p->sel, f);
}

static struct xfrm_policy *ref_lookup(const struct model *m, uint8_t dir,
				      const struct spd_flow *f)
{
	/* the published set is in rank order: the first match is the answer */
	for (uint32_t i = 0; i < m->npub; i++)
		if (ref_matches(m->pub[i], dir, f))
			return m->pub[i];
	return NULL;
}

/* A flow inside a random published policy's selector (most of the time). */
static void rand_flow(struct model *m, struct spd_flow *f, uint8_t *dir, uint16_t family)
{
	const struct xfrm_policy *p = m->npub ? m->pub[pick(m, m->npub)] : NULL;
	bool v6;

	memset(f, 0, sizeof(*f));
	for (int tries = 0; p && family && p->sel.family != family && tries < 64; tries++)
		p = m->pub[pick(m, m->npub)];
	if (p && (family == 0 || p->sel.family == family) && pick(m, 10) < 8) {
		const struct xfrm_selector *s = &p->sel;
		uint32_t bits = rnd(m);

		v6 = s->family == AF_INET6;
		*dir = p->dir;
		f->saddr = s->saddr;
		f->daddr = s->daddr;
		/* host bits beyond the prefix: sometimes changed */
		if (pick(m, 2)) {
			if (v6)
				f->daddr.a6[3] ^= htonl(bits & (s->prefixlen_d < 128 ? 1 : 0));
			else if (s->prefixlen_d < 32)
				f->daddr.a4 ^= htonl(bits & ((1u << (32 - s->prefixlen_d)) - 1));
		}
		f->proto = s->proto ? s->proto : (uint8_t)(pick(m, 2) ? IPPROTO_UDP : IPPROTO_TCP);
		f->sport = (uint16_t)((s->sport & s->sport_mask) | (rnd(m) & ~s->sport_mask));
		f->dport = (uint16_t)((s->dport & s->dport_mask) | (rnd(m) & ~s->dport_mask));
		f->ifindex = s->ifindex ? (uint32_t)s->ifindex : pick(m, 3);
		f->mark = (p->mark.v & p->mark.m) | (rnd(m) & ~p->mark.m & 0x3ff);
		f->if_id = pick(m, 8) ? p->if_id : pick(m, 3);
	} else {
		v6 = family ? family == AF_INET6 : pick(m, 5) == 0;
		*dir = (uint8_t)pick(m, 3);
		rand_addr(m, &f->saddr, v6);
		rand_addr(m, &f->daddr, v6);
		f->proto = (uint8_t)(pick(m, 2) ? IPPROTO_UDP : IPPROTO_TCP);
		f->sport = htons((uint16_t)pick(m, 4));
		f->dport = htons((uint16_t)(pick(m, 4) * 256 + pick(m, 3)));
		f->mark = pick(m, 4);
		f->if_id = pick(m, 4);	/* 3: no policy has it */
		f->ifindex = pick(m, 3);
	}
	f->family = v6 ? AF_INET6 : AF_INET;
}

static void check_lookups(struct model *m, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct spd_flow f;
		uint8_t dir;
		struct xfrm_policy *want, *got;

		rand_flow(m, &f, &dir, 0);
		want = ref_lookup(m, dir, &f);
		got = spd_lookup(m->spd, dir, &f);
		if (got != want)
			fail_msg("lookup %u: got %p (prio %u seq %llu), want %p (prio %u seq %llu)", i,
				 (void *)got, got ? got->priority : 0,
				 (unsigned long long)(got ? seq_of(got) : 0), (void *)want,
				 want ? want->priority : 0,
				 (unsigned long long)(want ? seq_of(want) : 0));
		m->matched += want != NULL;
		m->checked++;
	}
	/* bursts: one direction and family each, flows of all kinds */
	for (unsigned int b = 0; b < n / SPD_BURST_MAX + 1; b++) {
		struct spd_flow fl[SPD_BURST_MAX];
		struct xfrm_policy *out[SPD_BURST_MAX];
		uint16_t fam = pick(m, 4) ? AF_INET : AF_INET6;
		uint8_t dir = (uint8_t)pick(m, 3), d;

		for (unsigned int i = 0; i < SPD_BURST_MAX; i++)
			rand_flow(m, &fl[i], &d, fam);
		spd_lookup_burst(m->spd, dir, fam, fl, SPD_BURST_MAX, out);
		for (unsigned int i = 0; i < SPD_BURST_MAX; i++) {
			struct xfrm_policy *want = ref_lookup(m, dir, &fl[i]);

			assert_ptr_equal(out[i], want);
			m->matched += want != NULL;
			m->checked++;
		}
	}
}

static void test_spd_matches_linear_scan(void **state)
{
	struct model *m = *state;

	for (uint32_t i = 0; i < N_POLICIES; i++)
		do_insert(m);
	/* before the first publish the data path sees nothing */
	{
		struct spd_flow f;
		uint8_t dir;

		rand_flow(m, &f, &dir, 0);
		assert_null(spd_lookup(m->spd, dir, &f));
	}
	model_publish(m);
	check_lookups(m, LOOKUPS_PER_CHECK);
	for (int round = 0; round < ROUNDS; round++) {
		for (int op = 0; op < OPS_PER_ROUND; op++) {
			uint32_t r = pick(m, 10);

			if (r < 4 || m->ncur < 100)
				do_insert(m);
			else if (r < 7)
				do_replace(m);
			else
				do_delete(m);
		}
		/* changed but not published: the data path answers as before */
		check_lookups(m, LOOKUPS_PER_CHECK / 4);
		model_publish(m);
		check_lookups(m, LOOKUPS_PER_CHECK);
		if (round == ROUNDS / 2) {
			/* FLUSH + re-add of half, one burst */
			uint32_t keep = m->ncur / 2, sub = 0;

			for (uint32_t i = 0; i < m->ncur; i++)
				sub += m->cur[i]->type == XFRM_POLICY_TYPE_SUB;
			assert_int_equal(spd_flush(m->spd, XFRM_POLICY_TYPE_MAIN), m->ncur - sub);
			for (uint32_t i = 0; i < m->ncur;) {
				if (m->cur[i]->type == XFRM_POLICY_TYPE_SUB)
					i++;
				else
					model_remove_at(m, i);
			}
			check_lookups(m, LOOKUPS_PER_CHECK / 4);
			for (uint32_t i = 0; i < keep; i++)
				do_insert(m);
			model_publish(m);
			check_lookups(m, LOOKUPS_PER_CHECK);
		}
	}
	print_message("%llu lookups checked, %llu with a policy, %u policies at the end\n",
		      (unsigned long long)m->checked, (unsigned long long)m->matched, m->ncur);
	/* the reference must have been exercised both ways */
	assert_true(m->matched > m->checked / 2);
	assert_true(m->matched < m->checked);
}

static int setup(void **state)
{
	struct model *m = calloc(1, sizeof(*m));
	struct spd_config cfg = { .name = "tscale", .clock = sa_test_clock };

	m->cap = N_POLICIES + ROUNDS * OPS_PER_ROUND + 1;
	m->cur = calloc(m->cap, sizeof(*m->cur));
	m->pub = calloc(m->cap, sizeof(*m->pub));
	m->rng = 0x9e3779b97f4a7c15ull;
	m->rcu = sa_rcu_create(4);
	cfg.rcu = m->rcu;
	m->spd = spd_create(&cfg);
	*state = m;
	return m->spd && m->cur && m->pub ? 0 : -1;
}

static int teardown(void **state)
{
	struct model *m = *state;

	spd_destroy(m->spd);
	for (uint32_t i = 0; i < m->ncur; i++)
		policy_put(m->cur[i]);
	for (uint32_t i = 0; i < m->npub; i++)
		policy_put(m->pub[i]);
	sa_rcu_destroy(m->rcu);
	free(m->cur);
	free(m->pub);
	free(m);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spd_matches_linear_scan, setup, teardown),
	};

	if (sa_test_eal_init("test_spd_scale"))
		return 1;
	return cmocka_run_group_tests_name("spd_scale", tests, NULL, NULL);
}
