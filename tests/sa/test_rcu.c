/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RCU: a deleted SA stays readable until every registered reader passed a
 * quiescent state; only then is it freed, its key bytes zeroed first.
 * free() is wrapped (-Wl,--wrap=free) to look at the key copy as it goes.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>
#include <netinet/in.h>

#include "sa/sad.h"
#include "tests/sa/sa_test_env.h"

void __real_free(void *p);
void __wrap_free(void *p);

static void *watch;
static size_t watch_len;
static int watch_freed, watch_zero;

void __wrap_free(void *p)
{
	if (p && p == watch) {
		const uint8_t *b = p;

		watch_freed = 1;
		watch_zero = 1;
		for (size_t i = 0; i < watch_len; i++)
			if (b[i])
				watch_zero = 0;
	}
	__real_free(p);
}

struct shared {
	struct sa_rcu *rcu;
	struct sad *sad;
	int step;		/* 1: reader holds the SA, 2: go on, 3: reader done */
	uint32_t seen_spi;
	uint8_t seen_key0;
};

static void wait_step(int *step, int want)
{
	while (__atomic_load_n(step, __ATOMIC_ACQUIRE) < want)
		usleep(100);
}

static void *reader(void *arg)
{
	struct shared *s = arg;
	xfrm_address_t d = sa_test_v4("198.51.100.1");
	struct xfrm_sa *sa;

	sa_rcu_register(s->rcu, 1);
	sa_rcu_quiescent(s->rcu, 1);
	sa = sad_lookup_in(s->sad, &d, AF_INET, htonl(0x7777), IPPROTO_ESP, 0, 0);
	__atomic_store_n(&s->step, 1, __ATOMIC_RELEASE);
	wait_step(&s->step, 2);
	/* still inside the read-side section: the SA must be intact */
	s->seen_spi = sa ? ntohl(sa->id.spi) : 0;
	s->seen_key0 = sa ? (uint8_t)sa->ealg->alg_key[0] : 0;
	sa_rcu_quiescent(s->rcu, 1);
	sa_rcu_unregister(s->rcu, 1);
	__atomic_store_n(&s->step, 3, __ATOMIC_RELEASE);
	return NULL;
}

static void test_free_after_grace_period(void **state)
{
	struct shared s = { 0 };
	struct sad_config cfg = { .name = "trcu", .max_sa = 16 };
	xfrm_address_t d = sa_test_v4("198.51.100.1");
	struct {
		struct xfrm_algo a;
		uint8_t key[16];
	} ealg;
	struct xfrm_sa *sa = sa_alloc();
	pthread_t t;

	(void)state;
	s.rcu = sa_rcu_create(4);
	cfg.rcu = s.rcu;
	s.sad = sad_create(&cfg);
	assert_non_null(s.sad);

	memset(&ealg, 0, sizeof(ealg));
	strcpy(ealg.a.alg_name, "cbc(aes)");
	ealg.a.alg_key_len = 128;
	memset(ealg.key, 0xaa, sizeof(ealg.key));
	sa->family = AF_INET;
	sa->id.daddr = d;
	sa->id.spi = htonl(0x7777);
	sa->id.proto = IPPROTO_ESP;
	assert_int_equal(sa_set_crypt(sa, &ealg.a, sizeof(ealg), NULL), 0);
	assert_int_equal(sad_add(s.sad, sa), 0);
	watch = sa->ealg;
	watch_len = sizeof(ealg);
	sa_put(sa);		/* only the SAD holds it now */

	pthread_create(&t, NULL, reader, &s);
	wait_step(&s.step, 1);
	assert_int_equal(sad_delete(s.sad, &d, AF_INET, htonl(0x7777), IPPROTO_ESP, 0, 0, NULL), 0);
	for (int i = 0; i < 20; i++) {
		assert_int_equal(sa_rcu_reclaim(s.rcu), 0);
		usleep(500);
	}
	assert_int_equal(watch_freed, 0);
	assert_int_equal(sa_rcu_pending(s.rcu), 1);

	__atomic_store_n(&s.step, 2, __ATOMIC_RELEASE);
	wait_step(&s.step, 3);
	pthread_join(t, NULL);
	assert_int_equal(s.seen_spi, 0x7777);
	assert_int_equal(s.seen_key0, 0xaa);
	assert_int_equal(sa_rcu_reclaim(s.rcu), 1);
	assert_int_equal(watch_freed, 1);
	assert_int_equal(watch_zero, 1);	/* key bytes zeroed before free */
	watch = NULL;
	sad_destroy(s.sad);
	sa_rcu_destroy(s.rcu);
}

static int runs;

static void count_run(void *arg)
{
	(void)arg;
	runs++;
}

static void test_defer_order_and_barrier(void **state)
{
	struct sa_rcu *rcu = sa_rcu_create(2);

	(void)state;
	assert_int_equal(sa_rcu_register(rcu, 5), -EINVAL);
	assert_int_equal(sa_rcu_register(rcu, 0), 0);
	for (int i = 0; i < 10; i++)
		sa_rcu_defer(rcu, count_run, NULL);
	assert_int_equal(sa_rcu_reclaim(rcu), 0);	/* reader 0 not quiescent */
	sa_rcu_quiescent(rcu, 0);
	assert_int_equal(sa_rcu_reclaim(rcu), 10);
	sa_rcu_defer(rcu, count_run, NULL);
	sa_rcu_offline(rcu, 0);				/* offline readers do not hold up */
	assert_int_equal(sa_rcu_reclaim(rcu), 1);
	sa_rcu_online(rcu, 0);
	sa_rcu_unregister(rcu, 0);
	sa_rcu_defer(rcu, count_run, NULL);
	sa_rcu_barrier(rcu);
	assert_int_equal(runs, 12);
	sa_rcu_destroy(rcu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_after_grace_period),
		cmocka_unit_test(test_defer_order_and_barrier),
	};

	if (sa_test_eal_init("test_rcu"))
		return 1;
	return cmocka_run_group_tests_name("rcu", tests, NULL, NULL);
}
