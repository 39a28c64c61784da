/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP packet path suite: RFC 7634 Appendix A known-answer packet, the
 * negative matrix (each bad packet dropped under its own counter, nothing
 * leaked: the pool is empty at the end), replay windows of 32..65536 bits
 * through the packet path, ESN rollover across 2^32 both ways, sequence
 * exhaustion without ESN, soft/hard lifetimes raising EXPIRE once each
 * (through a SAD and its event callback).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "cryptoapi/crypto.h"
#include "esp/esp.h"
#include "sa/lifetime.h"
#include "sa/rcu.h"
#include "sa/sa_crypto.h"
#include "sa/sad.h"
#include "tests/esp/esp_test_util.h"

#define GCM_SA(extra)                                                            \
	"spi 0x1000\nsrc 192.0.2.1\ndst 192.0.2.2\nmode tunnel\n"                  \
	"aead rfc4106(gcm(aes)) 0x000102030405060708090a0b0c0d0e0f10111213 128\n" extra
#define CBC_SA(extra)                                                            \
	"spi 0x1000\nsrc 192.0.2.1\ndst 192.0.2.2\nmode tunnel\n"                  \
	"enc cbc(aes) 0x000102030405060708090a0b0c0d0e0f\n"                        \
	"auth hmac(sha256) 0x202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f 128\n" extra

static int setup(void **state)
{
	static struct esp_test_fx f;

	if (esp_test_fx_init(&f, "test_esp_packets", "esp_test", 8191))
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	esp_test_fx_fini(*state);
	return 0;
}

static struct xfrm_sa *sa_make(const char *text)
{
	char err[256] = "";
	struct xfrm_sa *sa = esp_test_sa_build(text, err, sizeof(err));

	if (!sa)
		fail_msg("SA: %s", err);
	return sa;
}

/* A plain IPv4/UDP packet of len bytes as an mbuf chain of segs segments. */
static struct rte_mbuf *plain_pkt(struct esp_test_fx *f, uint32_t len, unsigned int segs)
{
	uint8_t b[2048];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)b;

	memset(b, 0, sizeof(b));
	for (uint32_t i = 28; i < len; i++)
		b[i] = (uint8_t)(i * 7);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)len);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0x0a000001);
	ip->dst_addr = rte_cpu_to_be_32(0x0a000002);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return esp_test_mbuf(f->pool, b, len, segs, 0);
}

/* Encrypt one packet on out (sequence number seq) and return its bytes. */
static int seal(struct esp_test_fx *f, struct xfrm_sa *out, uint64_t seq, uint32_t len,
		uint8_t *buf)
{
	struct rte_mbuf *m = plain_pkt(f, len, 1);
	int n;

	out->oseq = seq - 1;
	assert_int_equal(esp_outbound(f->lc, out, &m, 1), 1);
	n = esp_test_flat(m, buf, 4096);
	rte_pktmbuf_free(m);
	return n;
}

/* Run bytes through esp_inbound; returns the drop reason or ESP_DROP_MAX if good. */
static int open1(struct esp_test_fx *f, struct xfrm_sa *in, const uint8_t *b, uint32_t len,
		 unsigned int segs)
{
	struct rte_mbuf *m = esp_test_mbuf(f->pool, b, len, segs, segs > 2);
	int r;

	assert_non_null(m);
	r = esp_inbound(f->lc, in, &m, 1) ? ESP_DROP_MAX : (int)esp_mbuf_reason(m);
	rte_pktmbuf_free(m);
	return r;
}

/* ---- RFC 7634 Appendix A ---- */

static void test_rfc7634_packet(void **state)
{
	struct esp_test_fx *f = *state;
	/* RFC 7634 Appendix A: SPI, sequence number, IV, ciphertext and ICV of
	 * the example ESP packet; the outer IPv4 header is ours (not covered). */
	static const char esp_hex[] =
		"0102030400000005" "1011121314151617"
		"24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c6"
		"14ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3"
		"cbec163fac469b502773f6fb94e664da9165b82829f641e076aaa8266b7fb0f7"
		"b11b369907e1ad43";
	/* RFC 7634 Appendix A: the inner packet (an ICMP echo, 84 bytes). */
	static const char inner_hex[] =
		"45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec10"
		"0007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
		"2425262728292a2b2c2d2e2f3031323334353637";
	uint8_t pkt[256], inner[128], out[256];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)pkt;
	size_t elen = strlen(esp_hex) / 2, ilen = strlen(inner_hex) / 2;
	struct xfrm_sa *sa;
	struct rte_mbuf *m;

	for (size_t i = 0; i < elen; i++)
		sscanf(esp_hex + 2 * i, "%2hhx", &pkt[20 + i]);
	for (size_t i = 0; i < ilen; i++)
		sscanf(inner_hex + 2 * i, "%2hhx", &inner[i]);
	memset(ip, 0, 20);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + elen));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ESP;
	ip->src_addr = rte_cpu_to_be_32(0xcb007199);	/* 203.0.113.153 */
	ip->dst_addr = rte_cpu_to_be_32(0xcb007105);	/* 203.0.113.5 */
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	sa = sa_make("spi 0x01020304\nsrc 203.0.113.153\ndst 203.0.113.5\nmode tunnel\n"
		     "aead rfc7539esp(chacha20,poly1305) "
		     "0x808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3 128\n");
	for (unsigned int segs = 1; segs <= 7; segs += 3) {
		sa->replay->top = 0;
		memset(sa->replay->bmp, 0, sizeof(uint64_t));
		m = esp_test_mbuf(f->pool, pkt, (uint32_t)(20 + elen), segs, 0);
		assert_int_equal(esp_inbound(f->lc, sa, &m, 1), 1);
		assert_int_equal(esp_test_flat(m, out, sizeof(out)), (int)ilen);
		assert_memory_equal(out, inner, ilen);
		rte_pktmbuf_free(m);
	}
	sa_put(sa);
}

/* ---- negative matrix ---- */

static void expect(struct esp_test_fx *f, struct xfrm_sa *in, const uint8_t *b, uint32_t len,
		   int reason, const char *what)
{
	uint64_t before = reason < ESP_DROP_MAX ? esp_lcore_stats(f->lc)->drop[reason] : 0;
	int got = open1(f, in, b, len, 1 + (len % 5));

	if (got != reason)
		fail_msg("%s: got %s, want %s", what,
			 got == ESP_DROP_MAX ? "accepted" : esp_drop_name((enum esp_drop)got),
			 reason == ESP_DROP_MAX ? "accepted" : esp_drop_name((enum esp_drop)reason));
	if (reason < ESP_DROP_MAX)
		assert_int_equal(esp_lcore_stats(f->lc)->drop[reason], before + 1);
}

/*
 * Seal a hand-made ESP payload (text = plaintext with its own trailer) with
 * the SA's AEAD, so padding and next header can be wrong under a valid ICV.
 */
static uint32_t seal_custom(struct xfrm_sa *sa, uint32_t seq, const uint8_t *text, uint32_t tlen,
			    uint8_t *pkt)
{
	const struct sa_crypto *cr = sa->crypto;
	uint8_t req_mem[4096] __attribute__((aligned(64)));
	struct aead_request *req = (struct aead_request *)req_mem;
	uint32_t esp = 20, len = esp + 8 + cr->iv_len + tlen + cr->icv_len;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)pkt;
	uint8_t iv[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	uint32_t seq_be = rte_cpu_to_be_32(seq);
	XSG_DECLARE(sg, 1);

	memset(pkt, 0, esp);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)len);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ESP;
	memcpy(&ip->src_addr, &sa->saddr.a4, 4);
	memcpy(&ip->dst_addr, &sa->id.daddr.a4, 4);
	memcpy(pkt + esp, &sa->id.spi, 4);
	memcpy(pkt + esp + 4, &seq_be, 4);
	memcpy(pkt + esp + 8, iv, cr->iv_len);
	memcpy(pkt + esp + 8 + cr->iv_len, text, tlen);
	xsg_set_buf(&sg, pkt + esp, len - esp);
	aead_request_init(req, cr->aead);
	aead_request_set_crypt(req, &sg, 0, &sg, 0, tlen, iv);
	aead_request_set_ad(req, 8 + cr->iv_len);
	assert_int_equal(crypto_aead_encrypt(req), 0);
	return len;
}

static void negative_matrix(struct esp_test_fx *f, const char *sa_text)
{
	struct xfrm_sa *out = sa_make(sa_text), *in = sa_make(sa_text);
	uint8_t good[4096], b[4096], text[256];
	unsigned int bs = in->crypto->block_size;
	int len = seal(f, out, 10, 100, good);
	uint32_t n, esp_end = 20 + 8 + in->crypto->iv_len;

	/* ICV tampered, every byte position of it. */
	for (unsigned int i = 1; i <= in->crypto->icv_len; i++) {
		memcpy(b, good, (size_t)len);
		b[len - i] ^= 0x40;
		expect(f, in, b, (uint32_t)len, ESP_DROP_AUTH, "tampered ICV");
	}
	/* Ciphertext tampered. */
	memcpy(b, good, (size_t)len);
	b[esp_end + 3] ^= 1;
	expect(f, in, b, (uint32_t)len, ESP_DROP_AUTH, "tampered ciphertext");
	/* Truncated at every header boundary, length field left as sent. */
	static const uint32_t cuts[] = { 0, 1, 10, 19, 20, 24, 28, 36, 44, 60 };
	for (unsigned int i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		if (cuts[i] < (uint32_t)len)
			expect(f, in, good, cuts[i] ? cuts[i] : 1, ESP_DROP_TRUNCATED, "truncated");
	/* Truncated with the IP length fixed: shorter than ESP header + IV + ICV. */
	for (n = 20; n < esp_end + in->crypto->icv_len + 2; n += 4) {
		memcpy(b, good, n);
		((struct rte_ipv4_hdr *)b)->total_length = rte_cpu_to_be_16((uint16_t)n);
		expect(f, in, b, n, ESP_DROP_TRUNCATED, "truncated, length fixed");
	}
	/* Length not a multiple of the block size. */
	memcpy(b, good, (size_t)len);
	b[len] = 0;
	((struct rte_ipv4_hdr *)b)->total_length = rte_cpu_to_be_16((uint16_t)(len + 1));
	expect(f, in, b, (uint32_t)len + 1, ESP_DROP_BAD_LENGTH, "length not a block multiple");
	/* Wrong SPI. */
	memcpy(b, good, (size_t)len);
	b[20] ^= 0xff;
	expect(f, in, b, (uint32_t)len, ESP_DROP_WRONG_SPI, "wrong SPI");
	/* Not ESP at all. */
	memcpy(b, good, (size_t)len);
	((struct rte_ipv4_hdr *)b)->next_proto_id = IPPROTO_UDP;
	expect(f, in, b, (uint32_t)len, ESP_DROP_BAD_OUTER, "not ESP");
	/* Good, then replayed. */
	expect(f, in, good, (uint32_t)len, ESP_DROP_MAX, "good packet");
	expect(f, in, good, (uint32_t)len, ESP_DROP_REPLAY, "replay");
	/* Below the window (64): seq 10 - 64 impossible, so move the top. */
	len = seal(f, out, 1000, 100, b);
	expect(f, in, b, (uint32_t)len, ESP_DROP_MAX, "top 1000");
	len = seal(f, out, 900, 100, b);
	expect(f, in, b, (uint32_t)len, ESP_DROP_REPLAY_WINDOW, "below window");
	/* Sequence number zero. */
	len = seal(f, out, 1001, 100, b);
	b[24] = b[25] = b[26] = b[27] = 0;
	expect(f, in, b, (uint32_t)len, ESP_DROP_SEQ_ZERO, "sequence number 0");

	/* Under a valid ICV: padding not 1, 2, 3..., pad length too long,
	 * next header not IP in tunnel mode, dummy packet (59). */
	uint32_t tl = 2 * bs > 32 ? 2 * bs : 32;
	struct rte_mbuf *pm = plain_pkt(f, tl - 4, 1);

	esp_test_flat(pm, text, sizeof(text));
	rte_pktmbuf_free(pm);
	text[tl - 4] = 1;
	text[tl - 3] = 3;	/* should be 2 */
	text[tl - 2] = 2;
	text[tl - 1] = 4;
	n = seal_custom(in, 2000, text, tl, b);
	expect(f, in, b, n, ESP_DROP_PADDING, "padding 1, 3");
	text[tl - 3] = 2;
	text[tl - 2] = 200;	/* longer than the payload */
	n = seal_custom(in, 2001, text, tl, b);
	expect(f, in, b, n, ESP_DROP_PADDING, "pad length too long");
	text[tl - 2] = 2;
	text[tl - 1] = 6;	/* TCP in tunnel mode */
	n = seal_custom(in, 2002, text, tl, b);
	expect(f, in, b, n, ESP_DROP_NEXT_HEADER, "next header 6 in tunnel mode");
	text[tl - 1] = 59;
	n = seal_custom(in, 2003, text, tl, b);
	expect(f, in, b, n, ESP_DROP_DUMMY, "dummy packet");
	text[tl - 1] = 4;
	n = seal_custom(in, 2004, text, tl, b);
	expect(f, in, b, n, ESP_DROP_MAX, "hand-made good packet");

	sa_put(out);
	sa_put(in);
}

static void test_negative_gcm(void **state)
{
	negative_matrix(*state, GCM_SA("replay 64\n"));
}

static void test_negative_cbc(void **state)
{
	negative_matrix(*state, CBC_SA("replay 64\n"));
}

/* A burst with bad packets in the middle: good ones first, in order. */
static void test_burst_order(void **state)
{
	struct esp_test_fx *f = *state;
	struct xfrm_sa *out = sa_make(GCM_SA("")), *in = sa_make(GCM_SA(""));
	struct rte_mbuf *mb[70];
	uint8_t b[4096];
	uint16_t good;
	int len;

	for (unsigned int i = 0; i < 70; i++) {
		len = seal(f, out, i + 1, 64 + i, b);
		if (i % 3 == 1)
			b[len - 1] ^= 1;
		mb[i] = esp_test_mbuf(f->pool, b, (uint32_t)len, 1 + i % 4, i % 2);
	}
	good = esp_inbound(f->lc, in, mb, 70);
	assert_int_equal(good, 70 - 23);
	for (unsigned int i = 0; i < good; i++) {
		uint32_t want = 64 + i + (i + 1) / 2;	/* lengths of the packets kept */

		assert_int_equal(mb[i]->pkt_len, want);
	}
	for (unsigned int i = good; i < 70; i++)
		assert_int_equal(esp_mbuf_reason(mb[i]), ESP_DROP_AUTH);
	rte_pktmbuf_free_bulk(mb, 70);
	sa_put(out);
	sa_put(in);
}

/* ---- sequence numbers ---- */

static void test_windows(void **state)
{
	static const uint32_t windows[] = { 32, 64, 1024, 65536 };
	struct esp_test_fx *f = *state;
	uint8_t b[4096];
	char text[512];
	int len;

	for (unsigned int w = 0; w < 4; w++) {
		uint32_t W = windows[w];
		uint64_t top = (uint64_t)W + 100;

		snprintf(text, sizeof(text), GCM_SA("replay %u\n"), W);
		struct xfrm_sa *out = sa_make(text), *in = sa_make(text);

		len = seal(f, out, top, 60, b);
		expect(f, in, b, (uint32_t)len, ESP_DROP_MAX, "top");
		len = seal(f, out, top - W + 1, 60, b);	/* oldest inside the window */
		expect(f, in, b, (uint32_t)len, ESP_DROP_MAX, "window edge");
		expect(f, in, b, (uint32_t)len, ESP_DROP_REPLAY, "window edge again");
		len = seal(f, out, top - W, 60, b);		/* just below */
		expect(f, in, b, (uint32_t)len, ESP_DROP_REPLAY_WINDOW, "below window");
		/* Out of order inside the window, then a jump of more than W. */
		for (uint64_t s = top - 1; s > top - 8; s--) {
			len = seal(f, out, s, 60, b);
			expect(f, in, b, (uint32_t)len, ESP_DROP_MAX, "out of order");
		}
		len = seal(f, out, top + 3 * (uint64_t)W, 60, b);
		expect(f, in, b, (uint32_t)len, ESP_DROP_MAX, "jump");
		len = seal(f, out, top + 2 * (uint64_t)W + 1, 60, b);
		expect(f, in, b, (uint32_t)len, ESP_DROP_MAX, "inside after the jump");
		len = seal(f, out, top, 60, b);
		expect(f, in, b, (uint32_t)len, ESP_DROP_REPLAY_WINDOW, "old top after the jump");
		/* A forged packet far ahead must not move the window. */
		len = seal(f, out, top + 10 * (uint64_t)W, 60, b);
		b[len - 1] ^= 1;
		expect(f, in, b, (uint32_t)len, ESP_DROP_AUTH, "forged far ahead");
		assert_int_equal(in->replay->top, top + 3 * (uint64_t)W);
		sa_put(out);
		sa_put(in);
	}
}

static void test_esn_rollover(void **state)
{
	struct esp_test_fx *f = *state;
	const char *kinds[] = { GCM_SA("esn 1\nreplay 128\n"), CBC_SA("esn 1\nreplay 128\n") };

	for (unsigned int k = 0; k < 2; k++) {
		struct xfrm_sa *out = sa_make(kinds[k]), *in = sa_make(kinds[k]);
		struct rte_mbuf *mb[8];
		uint8_t b[4096];

		out->oseq = (1ull << 32) - 4;
		in->replay->top = (1ull << 32) - 5;
		for (unsigned int i = 0; i < 8; i++)
			mb[i] = plain_pkt(f, 100 + i, 1 + i % 3);
		assert_int_equal(esp_outbound(f->lc, out, mb, 8), 8);
		for (unsigned int i = 0; i < 8; i++) {
			uint32_t lo;

			esp_test_flat(mb[i], b, sizeof(b));
			memcpy(&lo, b + 24, 4);
			/* RFC 4303 3.3.3: only the low 32 bits are sent. */
			assert_int_equal(rte_be_to_cpu_32(lo), (uint32_t)((1ull << 32) - 3 + i));
		}
		/* Deliver the post-wrap ones first: the window spans 2^32 (case B). */
		assert_int_equal(esp_inbound(f->lc, in, mb + 4, 4), 4);
		assert_int_equal(esp_inbound(f->lc, in, mb, 4), 4);
		assert_int_equal(in->replay->top, (1ull << 32) + 4);
		rte_pktmbuf_free_bulk(mb, 8);
		/* ESN high bits are in the ICV: a receiver one 2^32 behind fails. */
		mb[0] = plain_pkt(f, 100, 1);
		out->oseq = (2ull << 32) + 10;
		assert_int_equal(esp_outbound(f->lc, out, mb, 1), 1);
		assert_int_equal(esp_inbound(f->lc, in, mb, 1), 0);
		assert_int_equal(esp_mbuf_reason(mb[0]), ESP_DROP_AUTH);
		rte_pktmbuf_free(mb[0]);
		sa_put(out);
		sa_put(in);
	}
}

static void test_seq_exhaustion(void **state)
{
	struct esp_test_fx *f = *state;
	struct xfrm_sa *out = sa_make(GCM_SA(""));
	struct rte_mbuf *mb[3];

	out->oseq = UINT32_MAX - 1;
	for (unsigned int i = 0; i < 3; i++)
		mb[i] = plain_pkt(f, 80, 1);
	assert_int_equal(esp_outbound(f->lc, out, mb, 3), 1);
	assert_int_equal(esp_mbuf_reason(mb[1]), ESP_DROP_SEQ_OVERFLOW);
	assert_true(esp_mbuf_reason(mb[2]) == ESP_DROP_SEQ_OVERFLOW ||
		    esp_mbuf_reason(mb[2]) == ESP_DROP_HARD_LIMIT);
	assert_int_equal(sa_state_get(out), SA_STATE_EXPIRED);
	assert_true(out->ev_raised & SA_EV_HARD);
	rte_pktmbuf_free_bulk(mb, 3);
	/* The next burst is refused as a whole. */
	mb[0] = plain_pkt(f, 80, 1);
	assert_int_equal(esp_outbound(f->lc, out, mb, 1), 0);
	assert_int_equal(esp_mbuf_reason(mb[0]), ESP_DROP_SA_STATE);
	rte_pktmbuf_free(mb[0]);
	sa_put(out);
}

struct ev_count {
	unsigned int soft, hard;
};

static void on_expire(void *arg, struct xfrm_sa *sa, bool hard)
{
	struct ev_count *c = arg;

	(void)sa;
	if (hard)
		c->hard++;
	else
		c->soft++;
}

static void lifetime_case(struct esp_test_fx *f, const char *lft, unsigned int npk, uint32_t len,
			  unsigned int want_good, bool inbound)
{
	static const struct sa_event_ops ops = { .sa_expire = on_expire };
	static unsigned int sad_no;
	char text[512], name[32];
	struct ev_count ev = { 0, 0 };
	struct sa_rcu *rcu = sa_rcu_create(4);
	struct sad_config cfg = { .name = name, .max_sa = 16, .socket_id = SOCKET_ID_ANY,
				  .rcu = rcu };
	struct xfrm_sa *out, *in, *sa;
	unsigned int good = 0;

	snprintf(name, sizeof(name), "esp_lft%u", sad_no++);
	snprintf(text, sizeof(text), GCM_SA("%s"), lft);
	out = sa_make(inbound ? GCM_SA("") : text);
	in = sa_make(text);
	sa = inbound ? in : out;
	struct sad *sad = sad_create(&cfg);

	assert_non_null(sad);
	sad_set_event_ops(sad, &ops, &ev);
	sa->state = SA_STATE_VOID;
	assert_int_equal(sad_add(sad, sa), 0);
	sa->state = SA_STATE_VALID;
	for (unsigned int i = 0; i < npk; i++) {
		struct rte_mbuf *m = plain_pkt(f, len, 1);

		if (inbound) {
			out->oseq = i;
			if (esp_outbound(f->lc, out, &m, 1) != 1)
				fail_msg("outbound");
			good += esp_inbound(f->lc, in, &m, 1);
		} else {
			good += esp_outbound(f->lc, out, &m, 1);
		}
		rte_pktmbuf_free(m);
		sad_tick(sad);
	}
	sad_tick(sad);
	assert_int_equal(good, want_good);
	assert_int_equal(ev.soft, 1);
	assert_int_equal(ev.hard, 1);
	sad_destroy(sad);
	sa_rcu_destroy(rcu);
	/* sad_add() took a reference of its own: ours are still to drop. */
	sa_put(out);
	sa_put(in);
}

static void test_lifetimes(void **state)
{
	struct esp_test_fx *f = *state;

	for (int inb = 0; inb < 2; inb++) {
		/* A hard limit of N packets lets exactly N through. */
		lifetime_case(f, "lifetime soft_packets 3\nlifetime hard_packets 5\n", 9, 100, 5, inb);
		/* Bytes (inner bytes): the packet crossing the hard limit still goes. */
		lifetime_case(f, "lifetime soft_bytes 250\nlifetime hard_bytes 450\n", 9, 100, 5, inb);
	}
}

/* Every mbuf taken in the suite went back: nothing leaked, nothing freed twice. */
static void test_no_leak(void **state)
{
	struct esp_test_fx *f = *state;

	assert_int_equal(rte_mempool_in_use_count(f->pool), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc7634_packet),
		cmocka_unit_test(test_negative_gcm),
		cmocka_unit_test(test_negative_cbc),
		cmocka_unit_test(test_burst_order),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_esn_rollover),
		cmocka_unit_test(test_seq_exhaustion),
		cmocka_unit_test(test_lifetimes),
		cmocka_unit_test(test_no_leak),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
