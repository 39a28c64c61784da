/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SPD: first match by priority then insertion order through rte_acl,
 * overlapping prefixes, ports and ICMP type/code, directions, block/allow,
 * kernel-style indexes and errnos, delete before publish, and readers that
 * never see a gap while policies are replaced (update, delete + add, flush).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "sa/spd.h"
#include "tests/sa/sa_test_env.h"

struct fx {
	struct sa_rcu *rcu;
	struct spd *spd;
};

static int setup(void **state)
{
	static int n;
	struct fx *fx = calloc(1, sizeof(*fx));
	char name[16];
	struct spd_config cfg = { .clock = sa_test_clock };

	snprintf(name, sizeof(name), "tspd%d", n++);
	cfg.name = name;
	fx->rcu = sa_rcu_create(4);
	cfg.rcu = fx->rcu;
	fx->spd = spd_create(&cfg);
	*state = fx;
	return fx->spd ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	spd_destroy(fx->spd);
	sa_rcu_destroy(fx->rcu);
	free(fx);
	return 0;
}

/* A policy: "src/plen dst/plen", proto, ports (host order, mask 0xffff when set). */
static struct xfrm_policy *mk(const char *src, int sp, const char *dst, int dp, uint8_t proto,
			      int sport, int dport, uint8_t dir, uint32_t prio, uint8_t action)
{
	struct xfrm_policy *p = policy_alloc();
	bool v6 = strchr(src, ':') != NULL;

	p->sel.family = v6 ? AF_INET6 : AF_INET;
	p->sel.saddr = v6 ? sa_test_v6(src) : sa_test_v4(src);
	p->sel.daddr = v6 ? sa_test_v6(dst) : sa_test_v4(dst);
	p->sel.prefixlen_s = (uint8_t)sp;
	p->sel.prefixlen_d = (uint8_t)dp;
	p->sel.proto = proto;
	if (sport >= 0) {
		p->sel.sport = htons((uint16_t)sport);
		p->sel.sport_mask = 0xffff;
	}
	if (dport >= 0) {
		p->sel.dport = htons((uint16_t)dport);
		p->sel.dport_mask = 0xffff;
	}
	p->dir = dir;
	p->priority = prio;
	p->action = action;
	return p;
}

static int ins(struct spd *spd, struct xfrm_policy *p, bool excl)
{
	int rc = spd_insert(spd, p, excl, NULL);

	policy_put(p);
	return rc;
}

static struct spd_flow flow(const char *src, const char *dst, uint8_t proto, int sport,
			    int dport)
{
	struct spd_flow f;
	bool v6 = strchr(src, ':') != NULL;

	memset(&f, 0, sizeof(f));
	f.family = v6 ? AF_INET6 : AF_INET;
	f.saddr = v6 ? sa_test_v6(src) : sa_test_v4(src);
	f.daddr = v6 ? sa_test_v6(dst) : sa_test_v4(dst);
	f.proto = proto;
	f.sport = htons((uint16_t)sport);
	f.dport = htons((uint16_t)dport);
	return f;
}

/* The ACL answer must equal the reference scan: lowest priority, then oldest. */
static struct xfrm_policy *lookup(struct spd *spd, uint8_t dir, struct spd_flow f)
{
	return spd_lookup(spd, dir, &f);
}

static void test_priority_and_prefixes(void **state)
{
	struct fx *fx = *state;
	struct xfrm_policy *wide = mk("0.0.0.0", 0, "10.0.0.0", 8, 0, -1, -1, XFRM_POLICY_OUT, 100,
				      XFRM_POLICY_ALLOW);
	struct xfrm_policy *narrow = mk("0.0.0.0", 0, "10.1.0.0", 16, 0, -1, -1, XFRM_POLICY_OUT,
					200, XFRM_POLICY_ALLOW);
	struct xfrm_policy *same = mk("192.168.0.0", 16, "10.0.0.0", 8, 0, -1, -1,
				      XFRM_POLICY_OUT, 100, XFRM_POLICY_BLOCK);
	struct xfrm_policy *best = mk("0.0.0.0", 0, "10.1.2.3", 32, 0, -1, -1, XFRM_POLICY_OUT, 50,
				      XFRM_POLICY_BLOCK);

	assert_int_equal(ins(fx->spd, wide, true), 0);
	assert_int_equal(ins(fx->spd, narrow, true), 0);
	assert_int_equal(ins(fx->spd, same, true), 0);
	/* not published yet: the data path sees nothing */
	assert_null(lookup(fx->spd, XFRM_POLICY_OUT, flow("1.1.1.1", "10.1.1.1", 6, 1, 2)));
	assert_int_equal(spd_publish(fx->spd), 0);
	/* lower priority value wins over the more specific prefix */
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, flow("1.1.1.1", "10.1.1.1", 6, 1, 2)), wide);
	/* equal priority: the older one */
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, flow("192.168.1.1", "10.9.1.1", 6, 1, 2)),
			 wide);
	assert_null(lookup(fx->spd, XFRM_POLICY_OUT, flow("1.1.1.1", "11.0.0.1", 6, 1, 2)));
	assert_null(lookup(fx->spd, XFRM_POLICY_IN, flow("1.1.1.1", "10.1.1.1", 6, 1, 2)));
	assert_int_equal(ins(fx->spd, best, true), 0);
	spd_publish(fx->spd);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, flow("1.1.1.1", "10.1.2.3", 6, 1, 2)), best);
	assert_int_equal(best->action, XFRM_POLICY_BLOCK);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, flow("1.1.1.1", "10.1.2.4", 6, 1, 2)), wide);

	/* deleted but not republished: the published rule set still answers */
	assert_int_equal(spd_delete_policy(fx->spd, wide), 0);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, flow("192.168.1.1", "10.9.1.1", 6, 1, 2)),
			 wide);
	spd_publish(fx->spd);
	/* republished: the next one in order answers */
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, flow("192.168.1.1", "10.9.1.1", 6, 1, 2)),
			 same);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, flow("1.1.1.1", "10.1.1.1", 6, 1, 2)),
			 narrow);
}

static void test_ports_icmp_v6(void **state)
{
	struct fx *fx = *state;
	struct xfrm_policy *ssh = mk("0.0.0.0", 0, "0.0.0.0", 0, IPPROTO_TCP, -1, 22,
				     XFRM_POLICY_IN, 10, XFRM_POLICY_ALLOW);
	/* ICMP echo request: type 8 in sport, code 0 in dport */
	struct xfrm_policy *echo = mk("0.0.0.0", 0, "0.0.0.0", 0, IPPROTO_ICMP, 8, 0,
				      XFRM_POLICY_IN, 10, XFRM_POLICY_ALLOW);
	struct xfrm_policy *hi = mk("0.0.0.0", 0, "0.0.0.0", 0, IPPROTO_UDP, -1, -1,
				    XFRM_POLICY_FWD, 10, XFRM_POLICY_ALLOW);
	struct xfrm_policy *v6 = mk("2001:db8::", 32, "2001:db8:1::", 48, 0, -1, -1,
				    XFRM_POLICY_IN, 5, XFRM_POLICY_BLOCK);
	struct xfrm_policy *v6b = mk("::", 0, "2001:db8:1:2::", 64, 0, -1, -1,
				     XFRM_POLICY_IN, 1, XFRM_POLICY_ALLOW);
	struct spd_flow f;

	hi->sel.dport = htons(0x1000);	/* ports 0x1000-0x1fff by mask */
	hi->sel.dport_mask = htons(0xf000);
	assert_int_equal(ins(fx->spd, ssh, true), 0);
	assert_int_equal(ins(fx->spd, echo, true), 0);
	assert_int_equal(ins(fx->spd, hi, true), 0);
	assert_int_equal(ins(fx->spd, v6, true), 0);
	assert_int_equal(ins(fx->spd, v6b, true), 0);
	spd_publish(fx->spd);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_IN, flow("1.1.1.1", "2.2.2.2", 6, 999, 22)), ssh);
	assert_null(lookup(fx->spd, XFRM_POLICY_IN, flow("1.1.1.1", "2.2.2.2", 6, 999, 23)));
	assert_null(lookup(fx->spd, XFRM_POLICY_IN, flow("1.1.1.1", "2.2.2.2", 17, 999, 22)));
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_IN, flow("1.1.1.1", "2.2.2.2", 1, 8, 0)), echo);
	assert_null(lookup(fx->spd, XFRM_POLICY_IN, flow("1.1.1.1", "2.2.2.2", 1, 0, 0)));
	assert_null(lookup(fx->spd, XFRM_POLICY_IN, flow("1.1.1.1", "2.2.2.2", 1, 8, 1)));
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_FWD, flow("1.1.1.1", "2.2.2.2", 17, 1, 0x1abc)), hi);
	assert_null(lookup(fx->spd, XFRM_POLICY_FWD, flow("1.1.1.1", "2.2.2.2", 17, 1, 0x2abc)));
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_IN,
				flow("2001:db8:5::1", "2001:db8:1:3::1", 6, 1, 2)), v6);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_IN,
				flow("2001:db8:5::1", "2001:db8:1:2::1", 6, 1, 2)), v6b);
	assert_null(lookup(fx->spd, XFRM_POLICY_IN, flow("2001:db9::1", "2001:db8:1:3::1", 6, 1, 2)));

	/* mark and if_id */
	{
		struct xfrm_policy *m = mk("0.0.0.0", 0, "0.0.0.0", 0, 0, -1, -1, XFRM_POLICY_OUT, 1,
					   XFRM_POLICY_ALLOW);

		m->mark = (struct xfrm_mark){ 0x10, 0xf0 };
		m->if_id = 7;
		assert_int_equal(ins(fx->spd, m, true), 0);
		spd_publish(fx->spd);
		f = flow("1.1.1.1", "2.2.2.2", 6, 1, 2);
		assert_null(spd_lookup(fx->spd, XFRM_POLICY_OUT, &f));
		f.mark = 0x1f;
		assert_null(spd_lookup(fx->spd, XFRM_POLICY_OUT, &f));
		f.if_id = 7;
		assert_ptr_equal(spd_lookup(fx->spd, XFRM_POLICY_OUT, &f), m);
		f.mark = 0x2f;
		assert_null(spd_lookup(fx->spd, XFRM_POLICY_OUT, &f));
	}
	{
		struct spd_flow fl[3] = { flow("1.1.1.1", "2.2.2.2", 6, 999, 22),
					  flow("1.1.1.1", "2.2.2.2", 1, 8, 0),
					  flow("1.1.1.1", "2.2.2.2", 1, 9, 0) };
		struct xfrm_policy *out[3];

		spd_lookup_burst(fx->spd, XFRM_POLICY_IN, AF_INET, fl, 3, out);
		assert_ptr_equal(out[0], ssh);
		assert_ptr_equal(out[1], echo);
		assert_null(out[2]);
	}
}

static void test_index_and_errnos(void **state)
{
	struct fx *fx = *state;
	struct xfrm_policy *a = mk("10.0.0.0", 8, "20.0.0.0", 8, 0, -1, -1, XFRM_POLICY_FWD, 5,
				   XFRM_POLICY_ALLOW);
	struct xfrm_policy *b = mk("10.0.0.0", 8, "20.0.0.0", 8, 0, -1, -1, XFRM_POLICY_FWD, 7,
				   XFRM_POLICY_ALLOW);
	struct xfrm_policy *c, *got, *old = NULL;
	struct spd_id id = { .dir = XFRM_POLICY_FWD };
	struct spd_info info;

	policy_hold(a);
	assert_int_equal(ins(fx->spd, a, true), 0);
	assert_int_equal(a->index & 7, XFRM_POLICY_FWD);
	policy_hold(b);
	assert_int_equal(ins(fx->spd, b, true), -EEXIST);	/* NEWPOLICY */
	assert_int_equal(spd_insert(fx->spd, b, false, &old), 0);	/* UPDPOLICY replaces */
	assert_ptr_equal(old, a);
	assert_int_equal(b->index, a->index);			/* keeps the index */
	id.sel = b->sel;
	assert_true(a->dead);
	policy_put(old);
	policy_put(a);

	c = mk("10.0.0.0", 8, "20.0.0.0", 8, 0, -1, -1, XFRM_POLICY_OUT, 5, XFRM_POLICY_ALLOW);
	c->index = 0x100 | XFRM_POLICY_IN;	/* wrong direction bits */
	assert_int_equal(ins(fx->spd, c, true), -EINVAL);
	c = mk("10.0.0.0", 8, "20.0.0.0", 8, 0, -1, -1, XFRM_POLICY_OUT, 5, XFRM_POLICY_ALLOW);
	c->index = 0x100 | XFRM_POLICY_OUT;
	policy_hold(c);
	assert_int_equal(ins(fx->spd, c, true), 0);
	assert_int_equal(c->index, 0x101);
	c->dir = 3;
	assert_int_equal(ins(fx->spd, mk("1.0.0.0", 8, "2.0.0.0", 8, 0, -1, -1, 3, 1, 0), true),
			 -EINVAL);
	c->dir = XFRM_POLICY_OUT;

	/* get by selector and by index */
	id.sel = b->sel;
	assert_int_equal(spd_get(fx->spd, &id, &got), 0);
	assert_ptr_equal(got, b);
	policy_put(got);
	id.sel.prefixlen_s = 9;
	assert_int_equal(spd_get(fx->spd, &id, &got), -ENOENT);
	id = (struct spd_id){ .dir = XFRM_POLICY_OUT, .index = 0x101 };
	assert_int_equal(spd_get(fx->spd, &id, &got), 0);
	assert_ptr_equal(got, c);
	policy_put(got);
	id.dir = XFRM_POLICY_IN;
	assert_int_equal(spd_get(fx->spd, &id, &got), -ENOENT);

	spd_get_info(fx->spd, &info);
	assert_int_equal(info.outcnt, 1);
	assert_int_equal(info.fwdcnt, 1);
	assert_int_equal(info.incnt, 0);
	assert_int_equal(info.hthresh4.lbits, 32);

	id = (struct spd_id){ .dir = XFRM_POLICY_OUT, .index = 0x101 };
	assert_int_equal(spd_delete(fx->spd, &id, NULL), 0);
	assert_int_equal(spd_delete(fx->spd, &id, NULL), -ENOENT);
	policy_put(c);
	assert_int_equal(spd_flush(fx->spd, XFRM_POLICY_TYPE_MAIN), 1);
	spd_get_info(fx->spd, &info);
	assert_int_equal(info.fwdcnt, 0);
	policy_put(b);
}

static void test_generated_indexes_unique(void **state)
{
	struct fx *fx = *state;
	uint32_t seen[64];

	for (int i = 0; i < 64; i++) {
		char dst[32];
		struct xfrm_policy *p;

		snprintf(dst, sizeof(dst), "10.0.%d.0", i);
		p = mk("0.0.0.0", 0, dst, 24, 0, -1, -1, (uint8_t)(i % 3), 1, XFRM_POLICY_ALLOW);
		policy_hold(p);
		assert_int_equal(ins(fx->spd, p, true), 0);
		seen[i] = p->index;
		assert_int_equal(p->index & 7, i % 3);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(seen[j], seen[i]);
		policy_put(p);
	}
}

/* ---- the data path sees the last published rule set (no window) ---- */

/* Policy covering the flows of the replacement tests: reqid tags a generation. */
static struct xfrm_policy *mk_gen(bool v6, uint32_t prio, uint32_t gen)
{
	struct xfrm_policy *p = v6 ? mk("::", 0, "2001:db8:1::", 48, 0, -1, -1, XFRM_POLICY_OUT,
					prio, XFRM_POLICY_ALLOW)
				   : mk("0.0.0.0", 0, "10.1.0.0", 16, 0, -1, -1, XFRM_POLICY_OUT,
					prio, XFRM_POLICY_ALLOW);

	p->ntmpl = 1;
	p->tmpl[0].family = v6 ? AF_INET6 : AF_INET;
	p->tmpl[0].id.proto = IPPROTO_ESP;
	p->tmpl[0].mode = XFRM_MODE_TUNNEL;
	p->tmpl[0].reqid = gen;
	return p;
}

/* Wider, worse-ranked policies that also cover the flows: never the answer. */
static struct xfrm_policy *mk_wide(bool v6)
{
	return v6 ? mk("::", 0, "2001:db8::", 32, 0, -1, -1, XFRM_POLICY_OUT, 100,
		       XFRM_POLICY_BLOCK)
		  : mk("0.0.0.0", 0, "10.0.0.0", 8, 0, -1, -1, XFRM_POLICY_OUT, 100,
		       XFRM_POLICY_BLOCK);
}

static struct spd_id gen_id(bool v6)
{
	struct xfrm_policy *p = mk_gen(v6, 0, 0);
	struct spd_id id = { .dir = XFRM_POLICY_OUT, .type = XFRM_POLICY_TYPE_MAIN };

	id.sel = p->sel;
	policy_put(p);
	return id;
}

static void test_unlink_seen_at_publish(void **state)
{
	struct fx *fx = *state;
	struct spd_flow f = flow("1.1.1.1", "10.1.2.3", 17, 1, 2);
	struct spd_flow fw = flow("1.1.1.1", "10.9.2.3", 17, 1, 2);
	struct xfrm_policy *wide = mk_wide(false), *p[5], *old = NULL;
	struct spd_id id = gen_id(false);

	for (int i = 0; i < 5; i++)
		p[i] = mk_gen(false, 10 + (uint32_t)i, (uint32_t)i);
	policy_hold(wide);
	assert_int_equal(ins(fx->spd, wide, true), 0);
	policy_hold(p[0]);
	assert_int_equal(ins(fx->spd, p[0], true), 0);
	assert_int_equal(spd_publish(fx->spd), 0);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, f), p[0]);

	/* UPDPOLICY: the replaced policy answers until the rebuild is published */
	policy_hold(p[1]);
	assert_int_equal(spd_insert(fx->spd, p[1], false, &old), 0);
	policy_put(p[1]);
	assert_ptr_equal(old, p[0]);
	assert_true(p[0]->dead);		/* out of the control plane at once */
	policy_put(old);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, f), p[0]);
	assert_int_equal(spd_publish(fx->spd), 0);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, f), p[1]);
	assert_int_equal(p[1]->index, p[0]->index);

	/* DELPOLICY + NEWPOLICY in one burst */
	assert_int_equal(spd_delete(fx->spd, &id, NULL), 0);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, f), p[1]);
	policy_hold(p[2]);
	assert_int_equal(ins(fx->spd, p[2], true), 0);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, f), p[1]);
	assert_int_equal(spd_publish(fx->spd), 0);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, f), p[2]);

	/* FLUSHPOLICY + re-add of one policy: the wide one goes at the publish */
	assert_int_equal(spd_flush(fx->spd, XFRM_POLICY_TYPE_MAIN), 2);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, f), p[2]);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, fw), wide);
	policy_hold(p[3]);
	assert_int_equal(ins(fx->spd, p[3], true), 0);
	assert_int_equal(spd_publish(fx->spd), 0);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, f), p[3]);
	assert_null(lookup(fx->spd, XFRM_POLICY_OUT, fw));

	/* a lone DELPOLICY takes effect at the publish that follows it */
	assert_int_equal(spd_delete_policy(fx->spd, p[3]), 0);
	assert_ptr_equal(lookup(fx->spd, XFRM_POLICY_OUT, f), p[3]);
	assert_int_equal(spd_publish(fx->spd), 0);
	assert_null(lookup(fx->spd, XFRM_POLICY_OUT, f));
	for (int i = 0; i < 5; i++)
		policy_put(p[i]);
	policy_put(wide);
}

/*
 * A reader thread looks up two flows (v4, v6) without pause while the main
 * thread replaces the one policy covering each, thousands of times: it must
 * always get the old policy or its replacement, never no policy and never
 * the wider, worse-ranked one behind it.
 */
enum race_mode { RACE_UPDATE, RACE_DELETE_ADD, RACE_FLUSH_ADD };

#define RACE_ROUNDS 500
#define RACE_READER 1

struct race {
	struct spd *spd;
	struct sa_rcu *rcu;
	struct spd_flow f4, f6;
	uint32_t stop;
	uint64_t rounds;	/* reader loops, published by the reader */
	uint64_t misses;	/* no policy */
	uint64_t strays;	/* a policy that is neither the old nor the new one */
	uint64_t checked;
};

static void race_check(struct race *r, const struct xfrm_policy *p, uint8_t plen)
{
	r->checked++;
	if (!p)
		r->misses++;
	else if (p->sel.prefixlen_d != plen || p->ntmpl != 1 || p->action != XFRM_POLICY_ALLOW)
		r->strays++;
}

static void *race_reader(void *arg)
{
	struct race *r = arg;
	struct spd_flow fl[2][4];
	struct xfrm_policy *out[4];

	for (int i = 0; i < 4; i++) {
		fl[0][i] = r->f4;
		fl[1][i] = r->f6;
		fl[0][i].sport = htons((uint16_t)(1000 + i));
		fl[1][i].sport = htons((uint16_t)(1000 + i));
	}
	sa_rcu_register(r->rcu, RACE_READER);
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		race_check(r, spd_lookup(r->spd, XFRM_POLICY_OUT, &r->f4), 16);
		race_check(r, spd_lookup(r->spd, XFRM_POLICY_OUT, &r->f6), 48);
		spd_lookup_burst(r->spd, XFRM_POLICY_OUT, AF_INET, fl[0], 4, out);
		for (int i = 0; i < 4; i++)
			race_check(r, out[i], 16);
		spd_lookup_burst(r->spd, XFRM_POLICY_OUT, AF_INET6, fl[1], 4, out);
		for (int i = 0; i < 4; i++)
			race_check(r, out[i], 48);
		sa_rcu_quiescent(r->rcu, RACE_READER);
		__atomic_add_fetch(&r->rounds, 1, __ATOMIC_RELEASE);
	}
	sa_rcu_unregister(r->rcu, RACE_READER);
	return NULL;
}

/* Let the reader run whole lookups against the state in between (bounded). */
static void race_let_reader_run(struct race *r)
{
	uint64_t start = __atomic_load_n(&r->rounds, __ATOMIC_ACQUIRE);
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (__atomic_load_n(&r->rounds, __ATOMIC_ACQUIRE) < start + 2 &&
		 t.tv_sec - t0.tv_sec < 2);
}

/* The unrelated policies (better ranked, other destinations) and the wide ones. */
static void race_add_others(struct spd *spd)
{
	for (int i = 0; i < 8; i++) {
		char d4[32], d6[48];

		snprintf(d4, sizeof(d4), "10.2.%d.0", i);
		snprintf(d6, sizeof(d6), "2001:db8:2:%d::", i);
		assert_int_equal(ins(spd, mk("0.0.0.0", 0, d4, 24, 0, -1, -1, XFRM_POLICY_OUT, 5,
					     XFRM_POLICY_ALLOW), true), 0);
		assert_int_equal(ins(spd, mk("::", 0, d6, 64, 0, -1, -1, XFRM_POLICY_OUT, 5,
					     XFRM_POLICY_ALLOW), true), 0);
	}
	assert_int_equal(ins(spd, mk_wide(false), true), 0);
	assert_int_equal(ins(spd, mk_wide(true), true), 0);
}

static void race_step(struct race *r, enum race_mode mode, uint32_t gen)
{
	uint32_t prio = 10 + gen % 3;	/* UPDPOLICY may change the priority too */

	for (int v6 = 0; v6 < 2; v6++) {
		struct spd_id id = gen_id(v6);

		switch (mode) {
		case RACE_UPDATE:
			assert_int_equal(ins(r->spd, mk_gen(v6, prio, gen), false), 0);
			break;
		case RACE_DELETE_ADD:
			assert_int_equal(spd_delete(r->spd, &id, NULL), 0);
			if (!v6)
				race_let_reader_run(r);	/* between DELPOLICY and NEWPOLICY */
			assert_int_equal(ins(r->spd, mk_gen(v6, prio, gen), true), 0);
			break;
		case RACE_FLUSH_ADD:
			if (v6)
				break;
			assert_int_equal(spd_flush(r->spd, XFRM_POLICY_TYPE_MAIN), 20);
			race_let_reader_run(r);		/* between FLUSH and the re-adds */
			race_add_others(r->spd);
			assert_int_equal(ins(r->spd, mk_gen(false, prio, gen), true), 0);
			assert_int_equal(ins(r->spd, mk_gen(true, prio, gen), true), 0);
			break;
		}
	}
	race_let_reader_run(r);		/* changed, not yet published */
	assert_int_equal(spd_publish(r->spd), 0);
}

static void race_run(struct fx *fx, enum race_mode mode)
{
	struct race r = { .spd = fx->spd, .rcu = fx->rcu };
	pthread_t th;

	r.f4 = flow("192.0.2.1", "10.1.7.7", IPPROTO_UDP, 1000, 4500);
	r.f6 = flow("2001:db8:9::1", "2001:db8:1::7", IPPROTO_UDP, 1000, 4500);
	race_add_others(fx->spd);
	assert_int_equal(ins(fx->spd, mk_gen(false, 10, 0), true), 0);
	assert_int_equal(ins(fx->spd, mk_gen(true, 10, 0), true), 0);
	assert_int_equal(spd_publish(fx->spd), 0);
	assert_int_equal(pthread_create(&th, NULL, race_reader, &r), 0);
	for (uint32_t gen = 1; gen <= RACE_ROUNDS; gen++) {
		race_step(&r, mode, gen);
		/* after the publish, the newest generation answers */
		assert_int_equal(spd_lookup(fx->spd, XFRM_POLICY_OUT, &r.f4)->tmpl[0].reqid, gen);
		assert_int_equal(spd_lookup(fx->spd, XFRM_POLICY_OUT, &r.f6)->tmpl[0].reqid, gen);
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	print_message("%s: %llu lookups, %llu without policy, %llu wrong policy\n",
		      mode == RACE_UPDATE ? "update" : mode == RACE_DELETE_ADD ? "delete+add" :
		      "flush+add", (unsigned long long)r.checked, (unsigned long long)r.misses,
		      (unsigned long long)r.strays);
	assert_true(r.rounds >= RACE_ROUNDS);	/* the reader ran inside every window */
	assert_int_equal(r.misses, 0);
	assert_int_equal(r.strays, 0);
	sa_rcu_barrier(fx->rcu);
}

static void test_race_update(void **state)
{
	race_run(*state, RACE_UPDATE);
}

static void test_race_delete_add(void **state)
{
	race_run(*state, RACE_DELETE_ADD);
}

static void test_race_flush_add(void **state)
{
	race_run(*state, RACE_FLUSH_ADD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_priority_and_prefixes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ports_icmp_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_and_errnos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generated_indexes_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlink_seen_at_publish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_race_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_race_delete_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_race_flush_add, setup, teardown),
	};

	if (sa_test_eal_init("test_spd"))
		return 1;
	return cmocka_run_group_tests_name("spd", tests, NULL, NULL);
}
