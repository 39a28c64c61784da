/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP over the asynchronous cryptodev drivers (crypto_aesni_mb vdev:
 * "...-crypto_aesni_mb", CRYPTO_ALG_ASYNC), and the SA driver preference
 * (sa_crypto_set_pref) that binds an SA to them:
 *  - each preference gives the driver it promises, or falls back (flagged)
 *    to the priority choice when no driver of that kind exists;
 *  - bursts of chained mbufs through an async SA equal the synchronous
 *    driver's output byte for byte (counter-IV AEADs), and each side opens
 *    the other's packets (GCM, GCM with ESN across 2^32, GCM transport
 *    with NAT-T, ChaCha20-Poly1305: what the software cryptodev offers);
 *  - a tampered packet is counted under auth by the async driver too;
 *  - an SA deleted while its requests are in flight drops them as sa_state
 *    after completion, and is freed only after the reader's quiescent state
 *    (no use after free under ASan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "cryptoapi/algapi.h"
#include "cryptoapi/crypto.h"
#include "esp/esp.h"
#include "esp/esp_priv.h"
#include "sa/rcu.h"
#include "sa/sa_crypto.h"
#include "sa/sad.h"
#include "tests/esp/esp_test_util.h"

#define NPKT 45	/* more than ESP_BURST: two chunks per burst */

struct fx {
	struct rte_mempool *pool;
	struct esp_lcore *lc_sync, *lc_async;
};

#define SA_HEAD "spi 0x4000\nsrc 192.0.2.1\ndst 192.0.2.2\nmode tunnel\nreplay 128\n"
#define GCM_KEY "aead rfc4106(gcm(aes)) 0x000102030405060708090a0b0c0d0e0f10111213 128\n"
#define CHACHA_KEY                                                                       \
	"aead rfc7539esp(chacha20,poly1305) "                                             \
	"0x808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3 128\n"
#define CBC_KEY                                                                          \
	"enc cbc(aes) 0x000102030405060708090a0b0c0d0e0f\n"                               \
	"auth hmac(sha256) 0x202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f 128\n"

static const struct kind {
	const char *what;
	const char *text;
	const char *async_driver;	/* what ASYNC must bind */
	bool counter_iv;		/* deterministic output: compare bytes (all here) */
} kinds[] = {
	{ "rfc4106(gcm(aes))", SA_HEAD GCM_KEY, "rfc4106-gcm-aes-crypto_aesni_mb", true },
	{ "rfc4106(gcm(aes)) ESN", SA_HEAD GCM_KEY "esn 1\noseq 0xfffffff0\niseq 0xffffffe0\n",
	  "rfc4106-gcm-aes-crypto_aesni_mb", true },
	{ "rfc4106(gcm(aes)) transport", "spi 0x4000\nsrc 192.0.2.1\ndst 192.0.2.2\n"
	  "mode transport\nreplay 128\n" GCM_KEY "encap 4500 4500\n",
	  "rfc4106-gcm-aes-crypto_aesni_mb", true },
	{ "rfc7539esp(chacha20,poly1305)", SA_HEAD CHACHA_KEY,
	  "rfc7539esp-chacha20-poly1305-crypto_aesni_mb", true },
};

static int setup(void **state)
{
	static struct fx f;
	char prefix[64];
	char *argv[] = { "test_esp_async", "--no-huge", "--no-shconf", "--no-pci",
			 "--no-telemetry", "-m", "256", "--file-prefix", prefix, "-l", "0",
			 "--log-level", "lib.*:error", "--vdev", "crypto_aesni_mb" };

	snprintf(prefix, sizeof(prefix), "esp_async_%d", (int)getpid());
	if (rte_eal_init(sizeof(argv) / sizeof(argv[0]), argv) < 0 || crypto_init())
		return -1;
	f.pool = rte_pktmbuf_pool_create("esp_async", 4095, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					 SOCKET_ID_ANY);
	if (!f.pool)
		return -1;
	f.lc_sync = esp_lcore_create(f.pool, SOCKET_ID_ANY);
	f.lc_async = esp_lcore_create(f.pool, SOCKET_ID_ANY);
	if (!f.lc_sync || !f.lc_async)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	sa_crypto_set_pref(SA_CRYPTO_PREF_PRIORITY);
	esp_lcore_free(f->lc_sync);
	esp_lcore_free(f->lc_async);
	rte_mempool_free(f->pool);
	crypto_exit();
	rte_eal_cleanup();
	return 0;
}

/* An SA bound under a preference. */
static struct xfrm_sa *sa_pref(const char *text, enum sa_crypto_pref pref)
{
	char err[256] = "";
	struct xfrm_sa *sa;

	assert_int_equal(sa_crypto_set_pref(pref), 0);
	sa = esp_test_sa_build(text, err, sizeof(err));
	sa_crypto_set_pref(SA_CRYPTO_PREF_PRIORITY);
	if (!sa)
		fail_msg("SA (prefer %s): %s", sa_crypto_pref_name(pref), err);
	return sa;
}

static uint32_t drv_flags(const struct xfrm_sa *sa)
{
	return sa->crypto->aead ? sa->crypto->aead->base.alg->cra_flags :
				  sa->crypto->shash->base.alg->cra_flags;
}

/* The driver a plain allocation picks for name with type/mask. */
static void expect_driver(const char *name, uint32_t type, char *out, size_t len)
{
	struct crypto_aead *tfm;

	assert_int_equal(crypto_alloc_aead(&tfm, name, type, 0), 0);
	snprintf(out, len, "%s", crypto_tfm_alg_driver_name(&tfm->base));
	crypto_free_aead(tfm);
}

/* ---- the preference ---- */

static void test_pref_flags(void **state)
{
	static const struct {
		enum sa_crypto_pref pref;
		const char *name;
		uint32_t type, mask;
	} rows[] = {
		{ SA_CRYPTO_PREF_PRIORITY, "priority", 0, 0 },
		{ SA_CRYPTO_PREF_FASTEST, "fastest", CRYPTO_SELECT_FASTEST, 0 },
		{ SA_CRYPTO_PREF_HARDWARE, "hardware", CRYPTO_ALG_HARDWARE, CRYPTO_ALG_HARDWARE },
		{ SA_CRYPTO_PREF_SOFTWARE, "software", 0, CRYPTO_ALG_HARDWARE },
		{ SA_CRYPTO_PREF_ASYNC, "async", CRYPTO_ALG_ASYNC, CRYPTO_ALG_ASYNC },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint32_t type, mask;

		sa_crypto_pref_flags(rows[i].pref, &type, &mask);
		assert_int_equal(type, rows[i].type);
		assert_int_equal(mask, rows[i].mask);
		assert_string_equal(sa_crypto_pref_name(rows[i].pref), rows[i].name);
	}
	assert_int_equal(sa_crypto_set_pref(SA_CRYPTO_PREF_MAX), -EINVAL);
	assert_int_equal(sa_crypto_get_pref(), SA_CRYPTO_PREF_PRIORITY);
}

static void test_pref_binding(void **state)
{
	char prio[CRYPTO_MAX_ALG_NAME], fast[CRYPTO_MAX_ALG_NAME];
	struct xfrm_sa *sa;

	(void)state;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		const char *generic = kinds[k].what;
		char name[CRYPTO_MAX_ALG_NAME];

		/* The generic name the SA needs ("rfc4106(gcm(aes))", ...). */
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(generic, " "), generic);
		expect_driver(name, 0, prio, sizeof(prio));
		expect_driver(name, CRYPTO_SELECT_FASTEST, fast, sizeof(fast));

		sa = sa_pref(kinds[k].text, SA_CRYPTO_PREF_ASYNC);
		assert_string_equal(sa_crypto_driver(sa->crypto), kinds[k].async_driver);
		assert_true(drv_flags(sa) & CRYPTO_ALG_ASYNC);
		assert_false(sa->crypto->fell_back);
		sa_put(sa);

		sa = sa_pref(kinds[k].text, SA_CRYPTO_PREF_PRIORITY);
		assert_string_equal(sa_crypto_driver(sa->crypto), prio);
		assert_false(sa->crypto->fell_back);
		sa_put(sa);

		sa = sa_pref(kinds[k].text, SA_CRYPTO_PREF_FASTEST);
		assert_string_equal(sa_crypto_driver(sa->crypto), fast);
		sa_put(sa);

		/* No hardware here: "prefer hardware" falls back to the priority choice. */
		sa = sa_pref(kinds[k].text, SA_CRYPTO_PREF_HARDWARE);
		assert_string_equal(sa_crypto_driver(sa->crypto), prio);
		assert_true(sa->crypto->fell_back);
		sa_put(sa);

		sa = sa_pref(kinds[k].text, SA_CRYPTO_PREF_SOFTWARE);
		assert_false(drv_flags(sa) & CRYPTO_ALG_HARDWARE);
		assert_false(sa->crypto->fell_back);
		sa_put(sa);
	}
	/*
	 * Algorithms the software cryptodev lacks (RFC 4543; authenc, which
	 * cryptodev.c offers on hardware devices only): async falls back to the
	 * priority driver, flagged.
	 */
	static const char *const lacking[] = {
		SA_HEAD "aead rfc4543(gcm(aes)) 0x000102030405060708090a0b0c0d0e0f10111213 128\n",
		SA_HEAD CBC_KEY,
	};
	for (size_t i = 0; i < 2; i++) {
		sa = sa_pref(lacking[i], SA_CRYPTO_PREF_ASYNC);
		expect_driver(sa->crypto->name, 0, prio, sizeof(prio));
		assert_true(sa->crypto->fell_back);
		assert_false(drv_flags(sa) & CRYPTO_ALG_ASYNC);
		assert_string_equal(sa_crypto_driver(sa->crypto), prio);
		sa_put(sa);
	}
}

/* ---- async bursts against the synchronous driver ---- */

static uint32_t plain_len(unsigned int i)
{
	return 40 + (i * 97) % 1400;
}

/* A plain IPv4/UDP packet as a chain (segments and tightness vary with i). */
static struct rte_mbuf *plain_pkt(struct fx *f, unsigned int i, uint8_t *copy)
{
	uint8_t b[2048];
	uint32_t len = plain_len(i);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)b;
	struct rte_mbuf *m;

	memset(b, 0, sizeof(b));
	for (uint32_t k = 28; k < len; k++)
		b[k] = (uint8_t)(k * 11 + i);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = (uint8_t)(i & 3);
	ip->total_length = rte_cpu_to_be_16((uint16_t)len);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0xc0000201);	/* transport mode: the SA's own */
	ip->dst_addr = rte_cpu_to_be_32(0xc0000202);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (copy)
		memcpy(copy, b, len);
	m = esp_test_mbuf(f->pool, b, len, 1 + i % 6, i % 3 == 0);
	assert_non_null(m);
	return m;
}

static void flat(const struct rte_mbuf *m, uint8_t *b, int *len)
{
	*len = esp_test_flat(m, b, 4096);
	assert_true(*len > 0);
}

static void test_async_equals_sync(void **state)
{
	struct fx *f = *state;
	static uint8_t plain[NPKT][2048], es[NPKT][4096], ea[NPKT][4096], d[4096];
	int ls[NPKT], la[NPKT];

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct xfrm_sa *s_out = sa_pref(kinds[k].text, SA_CRYPTO_PREF_PRIORITY);
		struct xfrm_sa *a_out = sa_pref(kinds[k].text, SA_CRYPTO_PREF_ASYNC);
		struct xfrm_sa *s_in = sa_pref(kinds[k].text, SA_CRYPTO_PREF_PRIORITY);
		struct xfrm_sa *a_in = sa_pref(kinds[k].text, SA_CRYPTO_PREF_ASYNC);
		struct rte_mbuf *ms[NPKT], *ma[NPKT];
		bool transport = strstr(kinds[k].text, "transport") != NULL;

		assert_false(drv_flags(s_out) & CRYPTO_ALG_ASYNC);
		assert_true(drv_flags(a_out) & CRYPTO_ALG_ASYNC);
		for (unsigned int i = 0; i < NPKT; i++) {
			ms[i] = plain_pkt(f, i, plain[i]);
			ma[i] = plain_pkt(f, i, NULL);
		}
		/* Separate lcores: both start at IPv4 identification 0. */
		assert_int_equal(esp_outbound(f->lc_sync, s_out, ms, NPKT), NPKT);
		assert_int_equal(esp_outbound(f->lc_async, a_out, ma, NPKT), NPKT);
		for (unsigned int i = 0; i < NPKT; i++) {
			flat(ms[i], es[i], &ls[i]);
			flat(ma[i], ea[i], &la[i]);
			assert_int_equal(ls[i], la[i]);
			if (kinds[k].counter_iv && memcmp(es[i], ea[i], (size_t)ls[i]))
				fail_msg("%s: packet %u differs between sync and async", kinds[k].what, i);
		}
		rte_pktmbuf_free_bulk(ms, NPKT);
		rte_pktmbuf_free_bulk(ma, NPKT);
		/* Each opens the other's packets, as chains again. */
		for (unsigned int i = 0; i < NPKT; i++) {
			ms[i] = esp_test_mbuf(f->pool, ea[i], (uint32_t)la[i], 1 + (i + 2) % 5, i & 1);
			ma[i] = esp_test_mbuf(f->pool, es[i], (uint32_t)ls[i], 1 + (i + 3) % 5, i & 1);
		}
		assert_int_equal(esp_inbound(f->lc_sync, s_in, ms, NPKT), NPKT);
		assert_int_equal(esp_inbound(f->lc_async, a_in, ma, NPKT), NPKT);
		for (unsigned int i = 0; i < NPKT; i++) {
			int n;

			flat(ms[i], d, &n);
			assert_int_equal(n, (int)plain_len(i));
			if (!transport)
				assert_memory_equal(d, plain[i], (size_t)n);
			else	/* header rebuilt: TOS/TTL/addresses kept, payload equal */
				assert_memory_equal(d + 20, plain[i] + 20, (size_t)n - 20);
			flat(ma[i], ea[i], &n);
			assert_memory_equal(ea[i], d, (size_t)n);
		}
		rte_pktmbuf_free_bulk(ms, NPKT);
		rte_pktmbuf_free_bulk(ma, NPKT);
		sa_put(s_out);
		sa_put(a_out);
		sa_put(s_in);
		sa_put(a_in);
	}
}

static void test_async_tampered(void **state)
{
	struct fx *f = *state;
	struct esp_stats *st = esp_lcore_stats(f->lc_async);

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct xfrm_sa *out = sa_pref(kinds[k].text, SA_CRYPTO_PREF_PRIORITY);
		struct xfrm_sa *in = sa_pref(kinds[k].text, SA_CRYPTO_PREF_ASYNC);
		uint64_t auth = st->drop[ESP_DROP_AUTH];
		struct rte_mbuf *mb[NPKT];
		uint8_t b[4096];
		uint16_t good;
		int n;

		for (unsigned int i = 0; i < NPKT; i++) {
			mb[i] = plain_pkt(f, i, NULL);
			assert_int_equal(esp_outbound(f->lc_sync, out, &mb[i], 1), 1);
			if (i % 4 == 1) {	/* every fourth: one bit of ciphertext or ICV */
				flat(mb[i], b, &n);
				b[n - 1 - (int)(i % 40)] ^= 0x10;
				rte_pktmbuf_free(mb[i]);
				mb[i] = esp_test_mbuf(f->pool, b, (uint32_t)n, 1 + i % 4, 0);
			}
		}
		good = esp_inbound(f->lc_async, in, mb, NPKT);
		assert_int_equal(good, NPKT - 11);
		for (unsigned int i = good; i < NPKT; i++)
			assert_int_equal(esp_mbuf_reason(mb[i]), ESP_DROP_AUTH);
		assert_int_equal(st->drop[ESP_DROP_AUTH], auth + 11);
		assert_int_equal(in->stats.integrity_failed, 11);
		rte_pktmbuf_free_bulk(mb, NPKT);
		sa_put(out);
		sa_put(in);
	}
}

/* ---- an SA deleted while its requests are in flight ---- */

struct del_ctx {
	struct sad *sad;
	struct xfrm_sa *sa;
	unsigned int calls;
};

static void delete_in_flight(void *arg)
{
	struct del_ctx *c = arg;

	if (c->calls++ == 0)
		assert_int_equal(sad_delete_sa(c->sad, c->sa), 0);
}

static void deleted_case(struct fx *f, const char *text, bool inbound)
{
	static unsigned int no;
	char name[32];
	struct sa_rcu *rcu = sa_rcu_create(2);
	struct sad_config cfg = { .name = name, .max_sa = 8, .socket_id = SOCKET_ID_ANY,
				  .rcu = rcu };
	struct xfrm_sa *peer = sa_pref(text, SA_CRYPTO_PREF_PRIORITY);
	struct xfrm_sa *sa = sa_pref(text, SA_CRYPTO_PREF_ASYNC);
	struct esp_stats *st = esp_lcore_stats(f->lc_async);
	uint64_t before = st->drop[ESP_DROP_SA_STATE];
	struct del_ctx ctx = { .sa = sa };
	struct rte_mbuf *mb[NPKT];
	struct sad *sad;
	uint16_t good;

	snprintf(name, sizeof(name), "esp_async_del%u", no++);
	assert_non_null(rcu);
	sad = sad_create(&cfg);
	assert_non_null(sad);
	assert_int_equal(sa_rcu_register(rcu, 0), 0);
	sa->state = SA_STATE_VOID;
	assert_int_equal(sad_add(sad, sa), 0);
	sa->state = SA_STATE_VALID;
	/* From here the SAD holds the only reference, as in the gateway. */
	sa_put(sa);
	for (unsigned int i = 0; i < NPKT; i++) {
		mb[i] = plain_pkt(f, i, NULL);
		if (inbound)
			assert_int_equal(esp_outbound(f->lc_sync, peer, &mb[i], 1), 1);
	}
	ctx.sad = sad;
	esp_async_wait_arg = &ctx;
	esp_async_wait_hook = delete_in_flight;
	good = inbound ? esp_inbound(f->lc_async, sa, mb, NPKT) :
			 esp_outbound(f->lc_async, sa, mb, NPKT);
	esp_async_wait_hook = NULL;
	esp_async_wait_arg = NULL;
	assert_int_equal(ctx.calls, 1);	/* the second chunk saw a dead SA: no crypto */
	assert_int_equal(good, 0);
	for (unsigned int i = 0; i < NPKT; i++)
		assert_int_equal(esp_mbuf_reason(mb[i]), ESP_DROP_SA_STATE);
	assert_int_equal(st->drop[ESP_DROP_SA_STATE], before + NPKT);
	/* Still readable until our quiescent state: the SAD's reference waits. */
	assert_int_equal(sa_state_get(sa), SA_STATE_DEAD);
	assert_true(sa_rcu_pending(rcu) > 0);
	sa_rcu_quiescent(rcu, 0);
	sa_rcu_reclaim(rcu);
	assert_int_equal(sa_rcu_pending(rcu), 0);
	rte_pktmbuf_free_bulk(mb, NPKT);
	sa_rcu_unregister(rcu, 0);
	sad_destroy(sad);
	sa_rcu_destroy(rcu);
	sa_put(peer);
}

static void test_async_sa_deleted_in_flight(void **state)
{
	struct fx *f = *state;

	deleted_case(f, SA_HEAD GCM_KEY, true);
	deleted_case(f, SA_HEAD GCM_KEY, false);
	deleted_case(f, SA_HEAD CHACHA_KEY, true);
	deleted_case(f, SA_HEAD GCM_KEY "esn 1\noseq 0xfffffff0\n", false);
}

/* Every mbuf went back, and nothing is left in flight. */
static void test_no_leak(void **state)
{
	struct fx *f = *state;

	assert_int_equal(rte_mempool_in_use_count(f->pool), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pref_flags),
		cmocka_unit_test(test_pref_binding),
		cmocka_unit_test(test_async_equals_sync),
		cmocka_unit_test(test_async_tampered),
		cmocka_unit_test(test_async_sa_deleted_in_flight),
		cmocka_unit_test(test_no_leak),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
