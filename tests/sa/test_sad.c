/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SAD: the kernel's add/update/delete/get errnos, inbound lookup by
 * (SPI, daddr, proto) with mark, outbound template lookup, ALLOCSPI range,
 * uniqueness and larval expiry, larval SAs of ACQUIREs (one per template,
 * completed by ALLOCSPI + UPDSA or replaced by NEWSA, hard expiry), NEWAE
 * thresholds, dump cursors, flush, counts; tables that grow past 65,536
 * SAs (sad max) key batch by key batch while a reader keeps finding the SAs
 * already there and SAs are deleted from the table being emptied.
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

#include <linux/ipsec.h>

#include "sa/sad.h"
#include "tests/sa/sa_test_env.h"

struct fx {
	struct sa_rcu *rcu;
	struct sad *sad;
};

static int setup(void **state)
{
	static int n;
	struct fx *fx = calloc(1, sizeof(*fx));
	char name[16];
	struct sad_config cfg = { .max_sa = 1024, .clock = sa_test_clock };

	snprintf(name, sizeof(name), "tsad%d", n++);
	cfg.name = name;
	fx->rcu = sa_rcu_create(4);
	cfg.rcu = fx->rcu;
	fx->sad = sad_create(&cfg);
	if (!fx->sad)
		return -1;
	sa_test_time = 1000;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	sad_destroy(fx->sad);
	sa_rcu_destroy(fx->rcu);
	free(fx);
	return 0;
}

static struct xfrm_sa *mk(const char *src, const char *dst, uint32_t spi, uint8_t proto,
			  uint32_t reqid)
{
	struct xfrm_sa *sa = sa_alloc();

	sa->family = AF_INET;
	sa->saddr = sa_test_v4(src);
	sa->id.daddr = sa_test_v4(dst);
	sa->id.spi = htonl(spi);
	sa->id.proto = proto;
	sa->reqid = reqid;
	sa->mode = XFRM_MODE_TUNNEL;
	return sa;
}

static int add_put(struct sad *sad, struct xfrm_sa *sa)
{
	int rc = sad_add(sad, sa);

	sa_put(sa);
	return rc;
}

static void test_add_get_delete(void **state)
{
	struct fx *fx = *state;
	xfrm_address_t d = sa_test_v4("10.0.0.2");
	struct xfrm_sa *sa, *got;
	struct sad_info info;

	assert_int_equal(add_put(fx->sad, mk("10.0.0.1", "10.0.0.2", 0x1000, IPPROTO_ESP, 1)), 0);
	assert_int_equal(add_put(fx->sad, mk("10.0.0.9", "10.0.0.2", 0x1000, IPPROTO_ESP, 2)),
			 -EEXIST);
	/* same SPI for AH is another SA */
	assert_int_equal(add_put(fx->sad, mk("10.0.0.1", "10.0.0.2", 0x1000, IPPROTO_AH, 1)), 0);
	assert_int_equal(add_put(fx->sad, mk("10.0.0.1", "10.0.0.2", 0, IPPROTO_ESP, 1)), -EINVAL);

	sa = sad_lookup_in(fx->sad, &d, AF_INET, htonl(0x1000), IPPROTO_ESP, 0, 0);
	assert_non_null(sa);
	assert_true(sa_is_valid(sa));
	assert_int_equal(sa->reqid, 1);
	assert_int_equal(sa->curlft.add_time, 1000);
	assert_null(sad_lookup_in(fx->sad, &d, AF_INET, htonl(0x1001), IPPROTO_ESP, 0, 0));
	d = sa_test_v4("10.0.0.3");
	assert_null(sad_lookup_in(fx->sad, &d, AF_INET, htonl(0x1000), IPPROTO_ESP, 0, 0));
	d = sa_test_v4("10.0.0.2");

	assert_int_equal(sad_get(fx->sad, &d, AF_INET, htonl(0x1000), IPPROTO_ESP, 0, 0, &got), 0);
	assert_ptr_equal(got, sa);
	sa_put(got);
	assert_int_equal(sad_get(fx->sad, &d, AF_INET, htonl(0x1002), IPPROTO_ESP, 0, 0, &got),
			 -ESRCH);
	sad_get_info(fx->sad, &info);
	assert_int_equal(info.sadcnt, 2);
	assert_int_equal(info.sadhmcnt, 1024);

	assert_int_equal(sad_delete(fx->sad, &d, AF_INET, htonl(0x1000), IPPROTO_ESP, 0, 0, &got),
			 0);
	assert_int_equal(sa_state_get(got), SA_STATE_DEAD);
	sa_put(got);
	assert_int_equal(sad_delete(fx->sad, &d, AF_INET, htonl(0x1000), IPPROTO_ESP, 0, 0, NULL),
			 -ESRCH);
	assert_null(sad_lookup_in(fx->sad, &d, AF_INET, htonl(0x1000), IPPROTO_ESP, 0, 0));
	assert_int_equal(sad_flush(fx->sad, IPSEC_PROTO_ANY), 1);
	sad_get_info(fx->sad, &info);
	assert_int_equal(info.sadcnt, 0);
}

static void test_marks_and_v6(void **state)
{
	struct fx *fx = *state;
	struct xfrm_sa *a = mk("10.0.0.1", "10.0.0.2", 0x2000, IPPROTO_ESP, 1);
	struct xfrm_sa *b = mk("10.0.0.1", "10.0.0.2", 0x2000, IPPROTO_ESP, 1);
	struct xfrm_sa *c = sa_alloc(), *x;
	xfrm_address_t d = sa_test_v4("10.0.0.2"), d6 = sa_test_v6("2001:db8::2");

	a->mark = (struct xfrm_mark){ 1, 0xff };
	b->mark = (struct xfrm_mark){ 2, 0xff };
	assert_int_equal(add_put(fx->sad, a), 0);
	assert_int_equal(add_put(fx->sad, b), 0);
	assert_ptr_equal(sad_lookup_in(fx->sad, &d, AF_INET, htonl(0x2000), IPPROTO_ESP, 0x101, 0), a);
	assert_ptr_equal(sad_lookup_in(fx->sad, &d, AF_INET, htonl(0x2000), IPPROTO_ESP, 2, 0), b);
	assert_null(sad_lookup_in(fx->sad, &d, AF_INET, htonl(0x2000), IPPROTO_ESP, 3, 0));
	assert_null(sad_lookup_in(fx->sad, &d, AF_INET, htonl(0x2000), IPPROTO_ESP, 2, 7));

	c->family = AF_INET6;
	c->id.daddr = d6;
	c->saddr = sa_test_v6("2001:db8::1");
	c->id.spi = htonl(0x2000);
	c->id.proto = IPPROTO_ESP;
	assert_int_equal(add_put(fx->sad, c), 0);
	x = sad_lookup_in(fx->sad, &d6, AF_INET6, htonl(0x2000), IPPROTO_ESP, 0, 0);
	assert_ptr_equal(x, c);

	struct sad_in_key keys[3] = {
		{ .daddr = d, .spi = htonl(0x2000), .family = AF_INET, .proto = IPPROTO_ESP, .mark = 1 },
		{ .daddr = d6, .spi = htonl(0x2000), .family = AF_INET6, .proto = IPPROTO_ESP },
		{ .daddr = d, .spi = htonl(0x2001), .family = AF_INET, .proto = IPPROTO_ESP },
	};
	struct xfrm_sa *out[3];

	sad_lookup_in_burst(fx->sad, keys, 3, out);
	assert_ptr_equal(out[0], a);
	assert_ptr_equal(out[1], c);
	assert_null(out[2]);
}

static void test_update(void **state)
{
	struct fx *fx = *state;
	struct xfrm_sa *sa = mk("10.0.0.1", "10.0.0.2", 0x3000, IPPROTO_ESP, 5), *u, *res;

	u = mk("10.0.0.1", "10.0.0.2", 0x3000, IPPROTO_ESP, 5);
	assert_int_equal(sad_update(fx->sad, u, &res), -ESRCH);
	sa_put(u);

	sa->has_encap = true;
	sa->encap.encap_type = 2;	/* UDP_ENCAP_ESPINUDP */
	sa->encap.encap_sport = htons(4500);
	assert_int_equal(add_put(fx->sad, sa), 0);

	u = mk("10.0.0.1", "10.0.0.2", 0x3000, IPPROTO_ESP, 5);
	u->has_encap = true;
	u->encap.encap_type = 2;
	u->encap.encap_sport = htons(40000);
	u->lft.hard_packet_limit = 77;
	assert_int_equal(sad_update(fx->sad, u, &res), 0);
	assert_ptr_equal(res, sa);	/* updated in place */
	assert_int_equal(ntohs(sa->encap.encap_sport), 40000);
	assert_int_equal(sa->lft.hard_packet_limit, 77);
	sa_put(res);
	sa_put(u);

	u = mk("10.0.0.1", "10.0.0.2", 0x3000, IPPROTO_ESP, 5);	/* encap vanishes */
	assert_int_equal(sad_update(fx->sad, u, NULL), -EINVAL);
	sa_put(u);
}

static void test_lookup_out(void **state)
{
	struct fx *fx = *state;
	struct xfrm_sa *old = mk("10.0.0.1", "10.0.0.2", 0x4000, IPPROTO_ESP, 9);
	struct xfrm_sa *new = mk("10.0.0.1", "10.0.0.2", 0x4001, IPPROTO_ESP, 9);
	struct sad_out_key k = {
		.saddr = sa_test_v4("10.0.0.1"), .daddr = sa_test_v4("10.0.0.2"), .reqid = 9,
		.family = AF_INET, .proto = IPPROTO_ESP, .mode = XFRM_MODE_TUNNEL,
	};

	assert_null(sad_lookup_out(fx->sad, &k));
	assert_int_equal(add_put(fx->sad, old), 0);
	assert_ptr_equal(sad_lookup_out(fx->sad, &k), old);
	sa_test_time++;
	assert_int_equal(add_put(fx->sad, new), 0);
	assert_ptr_equal(sad_lookup_out(fx->sad, &k), new);	/* newest */
	sa_lifetime_raise(new, SA_EV_SOFT);
	assert_ptr_equal(sad_lookup_out(fx->sad, &k), old);	/* not dying first */
	k.spi = htonl(0x4001);
	assert_ptr_equal(sad_lookup_out(fx->sad, &k), new);
	k.spi = 0;
	k.reqid = 8;
	assert_null(sad_lookup_out(fx->sad, &k));
	k.reqid = 9;
	k.mode = XFRM_MODE_TRANSPORT;
	assert_null(sad_lookup_out(fx->sad, &k));
}

static struct xfrm_userspi_info spi_req(uint32_t min, uint32_t max, uint32_t seq)
{
	struct xfrm_userspi_info r;

	memset(&r, 0, sizeof(r));
	r.info.family = AF_INET;
	r.info.id.daddr = sa_test_v4("10.0.0.2");
	r.info.saddr = sa_test_v4("10.0.0.1");
	r.info.id.proto = IPPROTO_ESP;
	r.info.mode = XFRM_MODE_TUNNEL;
	r.info.reqid = 3;
	r.info.seq = seq;
	r.min = min;
	r.max = max;
	return r;
}

static int expired_hard, expired_soft;

static struct xfrm_usersa_info last_expired;

static void on_expire(void *arg, struct xfrm_sa *sa, bool hard)
{
	(void)arg;
	sa_get_usersa_info(sa, &last_expired);
	if (hard)
		expired_hard++;
	else
		expired_soft++;
}

static const struct sa_event_ops ops = { .sa_expire = on_expire };

static void test_alloc_spi(void **state)
{
	struct fx *fx = *state;
	struct xfrm_userspi_info r = spi_req(0x100, 0x10f, 0);
	struct xfrm_sa *x[17], *again, *full;
	const char *msg = NULL;
	uint32_t seen = 0;

	for (int i = 0; i < 16; i++) {
		assert_int_equal(sad_alloc_spi(fx->sad, &r, NULL, 0, &x[i], &msg), 0);
		assert_int_equal(sa_state_get(x[i]), SA_STATE_ACQ);
		assert_in_range(ntohl(x[i]->id.spi), 0x100, 0x10f);
		assert_false(seen & (1u << (ntohl(x[i]->id.spi) - 0x100)));
		seen |= 1u << (ntohl(x[i]->id.spi) - 0x100);
	}
	assert_int_equal(sad_alloc_spi(fx->sad, &r, NULL, 0, &x[16], &msg), -ENOENT);
	assert_non_null(msg);
	/* exact SPI in use / free */
	r = spi_req(ntohl(x[0]->id.spi), ntohl(x[0]->id.spi), 0);
	assert_int_equal(sad_alloc_spi(fx->sad, &r, NULL, 0, &again, NULL), -ENOENT);
	r = spi_req(0x5000, 0x5000, 0);
	assert_int_equal(sad_alloc_spi(fx->sad, &r, NULL, 0, &again, NULL), 0);
	assert_int_equal(ntohl(again->id.spi), 0x5000);
	sa_put(again);
	r = spi_req(5, 4, 0);
	assert_int_equal(sad_alloc_spi(fx->sad, &r, NULL, 0, &again, NULL), -EINVAL);

	/* the ACQUIRE's seq finds the same larval SA */
	r = spi_req(0x6000, 0x6fff, 4242);
	assert_int_equal(sad_alloc_spi(fx->sad, &r, NULL, 0, &again, NULL), 0);
	assert_int_equal(sad_alloc_spi(fx->sad, &r, NULL, 0, &full, NULL), 0);
	assert_ptr_equal(again, full);
	sa_put(full);

	/* NEWSA on a larval SPI: EEXIST; UPDSA completes it */
	{
		struct xfrm_sa *n = mk("10.0.0.1", "10.0.0.2", ntohl(again->id.spi), IPPROTO_ESP, 3);
		struct xfrm_sa *res;
		xfrm_address_t d = sa_test_v4("10.0.0.2");

		assert_int_equal(sad_add(fx->sad, n), -EEXIST);
		assert_int_equal(sad_update(fx->sad, n, &res), 0);
		assert_ptr_equal(res, n);
		assert_true(sa_is_valid(n));
		assert_ptr_equal(sad_lookup_in(fx->sad, &d, AF_INET, n->id.spi, IPPROTO_ESP, 0, 0), n);
		assert_int_equal(sa_state_get(again), SA_STATE_DEAD);
		sa_put(res);
		sa_put(n);
	}
	sa_put(again);

	/* larval SAs never completed expire (hard) after XFRM_ACQ_EXPIRES */
	sad_set_event_ops(fx->sad, &ops, NULL);
	expired_hard = expired_soft = 0;
	sa_test_time += XFRM_ACQ_EXPIRES - 1;
	assert_int_equal(sad_tick(fx->sad), 0);
	sa_test_time += 1;
	assert_int_equal(sad_tick(fx->sad), 17);	/* 16 + the exact one */
	assert_int_equal(expired_hard, 17);
	assert_int_equal(sad_tick(fx->sad), 0);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(sa_state_get(x[i]), SA_STATE_DEAD);
		sa_put(x[i]);
	}
	{
		struct sad_info info;

		sad_get_info(fx->sad, &info);
		assert_int_equal(info.sadcnt, 1);	/* the completed one */
	}
}


/* ---- larval SAs of ACQUIREs (the kernel's xfrm_state_find / xfrm_state_add) ---- */

static struct sad_acquire_req acq_req(uint32_t reqid, uint32_t seq)
{
	struct sad_acquire_req r;

	memset(&r, 0, sizeof(r));
	r.key.saddr = sa_test_v4("10.0.0.1");
	r.key.daddr = sa_test_v4("10.0.0.2");
	r.key.family = AF_INET;
	r.key.reqid = reqid;
	r.key.proto = IPPROTO_ESP;
	r.key.mode = XFRM_MODE_TUNNEL;
	r.sel.family = AF_INET;
	r.sel.saddr = sa_test_v4("192.0.2.1");
	r.sel.daddr = sa_test_v4("198.51.100.1");
	r.sel.prefixlen_s = r.sel.prefixlen_d = 32;
	r.sel.proto = IPPROTO_UDP;
	r.seq = seq;
	return r;
}

static void test_acquire_larval(void **state)
{
	struct fx *fx = *state;
	struct sad_acquire_req r = acq_req(7, 11);
	struct xfrm_sa *x, *y, *got;
	struct sad_info info;

	/* T1: no SA for the template: a larval SA without SPI, selector the flow */
	assert_int_equal(sad_acquire(fx->sad, &r, &x), 0);
	assert_int_equal(sa_state_get(x), SA_STATE_ACQ);
	assert_int_equal(x->id.spi, 0);
	assert_int_equal(x->seq, 11);
	assert_int_equal(x->reqid, 7);
	assert_int_equal(x->sel.proto, IPPROTO_UDP);
	assert_int_equal(x->lft.hard_add_expires_seconds, XFRM_ACQ_EXPIRES);
	assert_null(sad_lookup_out(fx->sad, &r.key));
	assert_int_equal(sad_larval_count(fx->sad), 1);
	sad_get_info(fx->sad, &info);
	assert_int_equal(info.sadcnt, 1);	/* counted, as the kernel's */

	/* T2: while it lives, no second ACQUIRE for the template (any flow, any seq) */
	r.seq = 12;
	r.sel.dport = htons(53);
	assert_int_equal(sad_acquire(fx->sad, &r, &y), -EINPROGRESS);
	/* another reqid is another template */
	r = acq_req(8, 13);
	assert_int_equal(sad_acquire(fx->sad, &r, &y), 0);
	assert_int_equal(sad_larval_count(fx->sad), 2);

	/* T3: ALLOCSPI quoting seq 11 gives that same larval SA an SPI */
	{
		struct xfrm_userspi_info q = spi_req(0x100, 0x1ff, 11);

		q.info.reqid = 0;	/* charon's: the seq decides */
		assert_int_equal(sad_alloc_spi(fx->sad, &q, NULL, 0, &got, NULL), 0);
		assert_ptr_equal(got, x);
		assert_in_range(ntohl(x->id.spi), 0x100, 0x1ff);
		sa_put(got);
	}
	r = acq_req(7, 14);
	assert_int_equal(sad_acquire(fx->sad, &r, &got), -EINPROGRESS);	/* still larval */

	/* T4: UPDSA on its SPI completes it: the template has a VALID SA */
	{
		struct xfrm_sa *n = mk("10.0.0.1", "10.0.0.2", ntohl(x->id.spi), IPPROTO_ESP, 7);

		assert_int_equal(sad_update(fx->sad, n, NULL), 0);
		assert_int_equal(sa_state_get(x), SA_STATE_DEAD);
		assert_ptr_equal(sad_lookup_out(fx->sad, &r.key), n);
		sa_put(n);
	}
	assert_int_equal(sad_acquire(fx->sad, &r, &got), -EEXIST);
	sa_put(x);

	/* T5: NEWSA for reqid 8's template (its own SPI, no seq) replaces its larval SA */
	assert_int_equal(add_put(fx->sad, mk("10.0.0.1", "10.0.0.2", 0x2000, IPPROTO_ESP, 8)), 0);
	assert_int_equal(sa_state_get(y), SA_STATE_DEAD);
	sa_put(y);
	assert_int_equal(sad_larval_count(fx->sad), 0);
	r = acq_req(8, 15);
	assert_int_equal(sad_acquire(fx->sad, &r, &got), -EEXIST);

	/* T6: NEWSA quoting the ACQUIRE's seq replaces it even for another reqid */
	r = acq_req(9, 16);
	assert_int_equal(sad_acquire(fx->sad, &r, &x), 0);
	{
		struct xfrm_sa *n = mk("10.0.0.1", "10.0.0.2", 0x2001, IPPROTO_ESP, 10);

		n->seq = 16;
		assert_int_equal(add_put(fx->sad, n), 0);
	}
	assert_int_equal(sa_state_get(x), SA_STATE_DEAD);
	sa_put(x);
	/* ... but not a larval SA of another destination (seq and daddr must agree) */
	r = acq_req(11, 17);
	assert_int_equal(sad_acquire(fx->sad, &r, &x), 0);
	{
		struct xfrm_sa *n = mk("10.0.0.1", "10.0.0.3", 0x2002, IPPROTO_ESP, 11);

		n->seq = 17;
		assert_int_equal(add_put(fx->sad, n), 0);
	}
	assert_int_equal(sa_state_get(x), SA_STATE_ACQ);

	/* T7: unanswered, it expires hard after XFRM_ACQ_EXPIRES with SPI 0 and its seq */
	sad_set_event_ops(fx->sad, &ops, NULL);
	expired_hard = expired_soft = 0;
	sa_test_time += XFRM_ACQ_EXPIRES - 1;
	assert_int_equal(sad_tick(fx->sad), 0);
	sa_test_time += 1;
	assert_int_equal(sad_tick(fx->sad), 1);
	assert_int_equal(expired_hard, 1);
	assert_int_equal(expired_soft, 0);
	assert_int_equal(last_expired.id.spi, 0);
	assert_int_equal(last_expired.seq, 17);
	assert_int_equal(last_expired.reqid, 11);
	assert_int_equal(sa_state_get(x), SA_STATE_DEAD);
	sa_put(x);
	/* then the next packet may ask again */
	r = acq_req(11, 18);
	assert_int_equal(sad_acquire(fx->sad, &r, &x), 0);
	assert_int_equal(sad_delete_sa(fx->sad, x), 0);	/* an ACQUIRE that reached nobody */
	sa_put(x);
	assert_int_equal(sad_larval_count(fx->sad), 0);

	/* T8: a template naming an SPI: the larval SA holds it; bad requests */
	r = acq_req(12, 19);
	r.key.spi = htonl(0x3333);
	assert_int_equal(sad_acquire(fx->sad, &r, &x), 0);
	assert_int_equal(x->id.spi, htonl(0x3333));
	assert_int_equal(sad_acquire(fx->sad, &r, &got), -EINPROGRESS);
	sa_put(x);
	r.key.family = AF_UNSPEC;
	assert_int_equal(sad_acquire(fx->sad, &r, &got), -EINVAL);
	r = acq_req(12, 20);
	r.key.proto = IPPROTO_UDP;
	assert_int_equal(sad_acquire(fx->sad, &r, &got), -EINVAL);
}


/* ---- NEWAE thresholds (the kernel's xfrm_replay_notify and replay timer) ---- */

static struct {
	unsigned int n;
	uint32_t flags;
	struct xfrm_sa *sa;
} ae_seen;

static void on_ae(void *arg, struct xfrm_sa *sa, uint32_t flags)
{
	(void)arg;
	ae_seen.n++;
	ae_seen.flags = flags;
	ae_seen.sa = sa;
}

/* Events of one tick at now (tenths of a second): how many, and the last flags. */
static uint32_t ae_tick(struct sad *sad, uint64_t now, unsigned int *n)
{
	memset(&ae_seen, 0, sizeof(ae_seen));
	*n = sad_aevent_tick(sad, now, on_ae, NULL);
	assert_int_equal(*n, ae_seen.n);
	return ae_seen.flags;
}

static void test_aevents(void **state)
{
	struct fx *fx = *state;
	struct xfrm_sa *sa = mk("10.0.0.1", "10.0.0.2", 0x6000, IPPROTO_ESP, 1);
	struct xfrm_sa *quiet = mk("10.0.0.1", "10.0.0.2", 0x6001, IPPROTO_ESP, 1);
	unsigned int n;
	uint64_t seq;

	assert_int_equal(sa_replay_setup(sa, 32, NULL, NULL), 0);
	sa->replay_maxdiff = 5;			/* XFRMA_REPLAY_THRESH: packets */
	sa->replay_maxage = 10;			/* XFRMA_ETIMER_THRESH: 1 s */
	__atomic_store_n(&sa->oseq, 7, __ATOMIC_RELAXED);	/* seeded: not news */
	assert_int_equal(sad_add(fx->sad, sa), 0);
	assert_int_equal(add_put(fx->sad, quiet), 0);	/* no thresholds: never told */

	/* T1: nothing moved: no event; the timer is armed for 110 */
	assert_int_equal(ae_tick(fx->sad, 100, &n), 0);
	assert_int_equal(n, 0);
	/* T2: outbound moves by less than the threshold, then reaches it: XFRM_AE_CR */
	for (int i = 0; i < 4; i++)
		assert_int_equal(sa_oseq_next(sa, &seq), 0);
	__atomic_store_n(&quiet->oseq, 100, __ATOMIC_RELAXED);
	ae_tick(fx->sad, 101, &n);
	assert_int_equal(n, 0);
	assert_int_equal(sa_oseq_next(sa, &seq), 0);
	assert_int_equal(ae_tick(fx->sad, 102, &n), XFRM_AE_CR);
	assert_int_equal(n, 1);
	assert_ptr_equal(ae_seen.sa, sa);
	/* T3: the timer (restarted at 102) finds nothing new at 112: deferred, silent */
	ae_tick(fx->sad, 112, &n);
	assert_int_equal(n, 0);
	ae_tick(fx->sad, 150, &n);
	assert_int_equal(n, 0);
	/* T4: ... so the next change, one packet, is told at once as XFRM_AE_CE */
	assert_int_equal(sa_oseq_next(sa, &seq), 0);
	assert_int_equal(ae_tick(fx->sad, 151, &n), XFRM_AE_CE);
	assert_int_equal(n, 1);
	/* T5: the timer runs again: one packet is told when it is due (161), not before */
	assert_int_equal(sa_oseq_next(sa, &seq), 0);
	ae_tick(fx->sad, 160, &n);
	assert_int_equal(n, 0);
	assert_int_equal(ae_tick(fx->sad, 161, &n), XFRM_AE_CE);
	/* T6: inbound progress counts as well (the window's highest sequence number) */
	assert_int_equal(sa_replay_advance(sa->replay, 5), 0);
	assert_int_equal(ae_tick(fx->sad, 162, &n), XFRM_AE_CR);
	/* T7: counters replaced by NEWAE are the new reference, not an event */
	__atomic_store_n(&sa->oseq, 5000, __ATOMIC_RELAXED);
	sad_aevent_sync(fx->sad, sa);
	ae_tick(fx->sad, 163, &n);
	assert_int_equal(n, 0);
	/* T8: an expired SA is not told about */
	assert_int_equal(sa_oseq_next(sa, &seq), 0);
	sa->replay_maxdiff = 1;
	sa_lifetime_raise(sa, SA_EV_HARD);
	ae_tick(fx->sad, 164, &n);
	assert_int_equal(n, 0);
	sa_put(sa);
}

struct page {
	unsigned int n, max;
	uint32_t spis[64];
};

static int take(struct xfrm_sa *sa, void *arg)
{
	struct page *p = arg;

	if (p->n == p->max)
		return 1;
	p->spis[p->n++] = ntohl(sa->id.spi);
	return 0;
}

static void test_dump_cursor(void **state)
{
	struct fx *fx = *state;
	struct sad_cursor c;
	struct page p = { .max = 3 };
	xfrm_address_t d = sa_test_v4("10.0.0.2");
	unsigned int total = 0;
	int rc;

	for (uint32_t i = 1; i <= 10; i++)
		assert_int_equal(add_put(fx->sad, mk("10.0.0.1", "10.0.0.2", i, IPPROTO_ESP, 1)), 0);
	sad_cursor_init(&c, IPSEC_PROTO_ANY, NULL);
	rc = sad_walk(fx->sad, &c, take, &p);
	assert_int_equal(rc, 1);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.spis[2], 3);
	/* the next one to be sent (4) and an already sent one vanish meanwhile */
	assert_int_equal(sad_delete(fx->sad, &d, AF_INET, htonl(4), IPPROTO_ESP, 0, 0, NULL), 0);
	assert_int_equal(sad_delete(fx->sad, &d, AF_INET, htonl(2), IPPROTO_ESP, 0, 0, NULL), 0);
	assert_int_equal(add_put(fx->sad, mk("10.0.0.1", "10.0.0.2", 11, IPPROTO_ESP, 1)), 0);
	total = p.n;
	do {
		p.n = 0;
		rc = sad_walk(fx->sad, &c, take, &p);
		for (unsigned int i = 0; i < p.n; i++)
			assert_true(p.spis[i] >= 5);
		total += p.n;
	} while (rc == 1);
	assert_int_equal(total, 3 + 7);		/* 5..11 */
	assert_int_equal(sad_walk(fx->sad, &c, take, &p), 0);

	/* an abandoned walk unlinks its marker */
	sad_cursor_init(&c, IPPROTO_AH, NULL);
	p.n = 0;
	assert_int_equal(sad_walk(fx->sad, &c, take, &p), 0);
	assert_int_equal(p.n, 0);
	sad_cursor_init(&c, 0, NULL);
	p.n = 0;
	p.max = 1;
	assert_int_equal(sad_walk(fx->sad, &c, take, &p), 1);
	sad_cursor_done(fx->sad, &c);
	assert_int_equal(sad_flush(fx->sad, IPPROTO_ESP), 9);
}

/* ---- growth: from SAD_FIRST_CAPACITY past 65,536 up to sad max ---- */

#define GROW_SAS 70000u
#define GROW_WATCHED 64u
#define GROW_READER 1

struct grow_reader {
	struct sad *sad;
	struct sa_rcu *rcu;
	uint32_t stop;
	uint64_t misses, lookups;
};

static xfrm_address_t grow_dst(uint32_t i)
{
	xfrm_address_t d;

	memset(&d, 0, sizeof(d));
	d.a4 = htonl(0x0a000000u + i % 4000);
	return d;
}

/* The first SAs must be found in every table the SAD switches to. */
static void *grow_read(void *arg)
{
	struct grow_reader *r = arg;

	sa_rcu_register(r->rcu, GROW_READER);
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		for (uint32_t i = 0; i < GROW_WATCHED; i++) {
			xfrm_address_t d = grow_dst(i);

			r->misses += !sad_lookup_in(r->sad, &d, AF_INET, htonl(0x100 + i), IPPROTO_ESP,
						    0, 0);
			r->lookups++;
		}
		sa_rcu_quiescent(r->rcu, GROW_READER);
	}
	sa_rcu_unregister(r->rcu, GROW_READER);
	return NULL;
}

/* 400 SAs deleted while the tables move keys from the old table to the new one */
static bool grow_deleted(uint32_t i)
{
	return i >= 800 && i < 1200;
}

static struct xfrm_sa *grow_sa(uint32_t i)
{
	struct xfrm_sa *sa = mk("192.0.2.1", "10.0.0.0", 0x100 + i, IPPROTO_ESP, i);

	sa->id.daddr = grow_dst(i);
	return sa;
}

static void test_grows_past_65536(void **state)
{
	struct sad_config cfg = { .name = "tsadgrow", .rcu = NULL, .clock = sa_test_clock };
	struct grow_reader r = { 0 };
	struct sad_info info;
	pthread_t th;
	struct sad *sad;

	(void)state;
	r.rcu = sa_rcu_create(4);
	cfg.rcu = r.rcu;
	sad = sad_create(&cfg);		/* max_sa 0: the default, at least 1M */
	assert_non_null(sad);
	sad_get_info(sad, &info);
	assert_true(info.sadhmcnt >= 1u << 20);
	assert_int_equal(info.sadhcnt, SAD_FIRST_CAPACITY);
	for (uint32_t i = 0; i < GROW_WATCHED; i++)
		assert_int_equal(add_put(sad, grow_sa(i)), 0);
	r.sad = sad;
	assert_int_equal(pthread_create(&th, NULL, grow_read, &r), 0);
	for (uint32_t i = GROW_WATCHED; i < GROW_SAS; i++) {
		assert_int_equal(add_put(sad, grow_sa(i)), 0);
		/* right after the tables doubled at 32768: delete SAs still in the old table */
		if (i >= 32000 && grow_deleted(i - 32000)) {
			xfrm_address_t d = grow_dst(i - 32000);

			assert_int_equal(sad_delete(sad, &d, AF_INET, htonl(0x100 + i - 32000),
						    IPPROTO_ESP, 0, 0, NULL), 0);
		}
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	print_message("%llu lookups during growth, %llu misses\n",
		      (unsigned long long)r.lookups, (unsigned long long)r.misses);
	assert_int_equal(r.misses, 0);
	sad_get_info(sad, &info);
	assert_int_equal(info.sadcnt, GROW_SAS - 400);
	assert_true(info.sadhcnt >= GROW_SAS);
	for (uint32_t i = 0; i < GROW_SAS; i++) {
		xfrm_address_t d = grow_dst(i);
		struct sad_out_key ok = { .saddr = sa_test_v4("192.0.2.1"), .daddr = d,
					  .family = AF_INET, .reqid = i, .proto = IPPROTO_ESP,
					  .mode = XFRM_MODE_TUNNEL };
		struct xfrm_sa *sa = sad_lookup_in(sad, &d, AF_INET, htonl(0x100 + i), IPPROTO_ESP,
						   0, 0);

		if (grow_deleted(i)) {
			assert_null(sa);
			assert_null(sad_lookup_out(sad, &ok));
			continue;
		}
		assert_non_null(sa);
		assert_int_equal(sa->reqid, i);
		assert_ptr_equal(sad_lookup_out(sad, &ok), sa);
	}
	sad_destroy(sad);

	/* sad max is a limit: the one past it is refused */
	cfg.name = "tsadmax";
	cfg.max_sa = 5000;
	sad = sad_create(&cfg);
	assert_non_null(sad);
	for (uint32_t i = 0; i < 5000; i++)
		assert_int_equal(add_put(sad, grow_sa(i)), 0);
	assert_int_equal(add_put(sad, grow_sa(5000)), -ENOSPC);
	sad_destroy(sad);
	sa_rcu_destroy(r.rcu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_get_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_marks_and_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_spi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acquire_larval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aevents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_cursor, setup, teardown),
		cmocka_unit_test(test_grows_past_65536),
	};

	if (sa_test_eal_init("test_sad"))
		return 1;
	return cmocka_run_group_tests_name("sad", tests, NULL, NULL);
}
