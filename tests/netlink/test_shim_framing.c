/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shim's walk over the netlink messages of one datagram (framing.c),
 * table-driven: which headers it visits for honest and lying nlmsg_len
 * values, with the datagram in one iovec and cut into 3-byte iovecs. Like
 * the kernel (netlink_rcv_skb) it must stop at the first message shorter
 * than a header or longer than what is left. A walk that never ends is
 * stopped by alarm() and fails the suite.
 */
#include "netlink/shim/framing.c"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#define MAX_MSGS 4

struct walk_row {
	const char *what;
	int n;				/* messages written */
	uint32_t claimed[MAX_MSGS];	/* nlmsg_len as written */
	uint32_t present[MAX_MSGS];	/* bytes the message occupies */
	int want;			/* headers visited: seq 1..want */
};

static const struct walk_row rows[] = {
	{ "two valid, padded", 2, { 20, 24 }, { 20, 24 }, 2 },
	{ "the last one unpadded", 2, { 17, 17 }, { 20, 17 }, 2 },
	{ "three valid", 3, { 16, 20, 16 }, { 16, 20, 16 }, 3 },
	{ "valid, then 0xfffffffd (NLMSG_ALIGN wraps to 0)", 2, { 20, 0xfffffffdu },
	  { 20, 16 }, 1 },
	{ "valid, then 0xffffffff", 2, { 20, 0xffffffffu }, { 20, 16 }, 1 },
	{ "0xfffffffd first", 2, { 0xfffffffdu, 20 }, { 16, 20 }, 0 },
	{ "valid, then longer than what is left", 2, { 20, 40 }, { 20, 20 }, 1 },
	{ "valid, then shorter than a header", 2, { 20, 8 }, { 20, 16 }, 1 },
	{ "zero length first", 2, { 0, 20 }, { 16, 20 }, 0 },
	{ "trailing bytes shorter than a header", 2, { 20, 0 }, { 20, 10 }, 1 },
};

/* What the walk saw: the socket argument is the first member. */
struct seen {
	struct nlsock sock;
	uint32_t seq[16];
	int n;
};

static void record(struct nlsock *s, const struct nlmsghdr *h)
{
	struct seen *r = (struct seen *)(void *)s;

	if (r->n < (int)(sizeof(r->seq) / sizeof(r->seq[0])))
		r->seq[r->n] = h->nlmsg_seq;
	r->n++;
}

/* The datagram of a row; its length. */
static size_t build(const struct walk_row *row, uint8_t *buf, size_t cap)
{
	size_t off = 0;

	memset(buf, 0, cap);
	for (int i = 0; i < row->n; i++) {
		struct nlmsghdr h = { .nlmsg_len = row->claimed[i], .nlmsg_seq = (uint32_t)i + 1 };
		size_t copy = row->present[i] < sizeof(h) ? row->present[i] : sizeof(h);

		assert_true(off + row->present[i] <= cap);
		memcpy(buf + off, &h, copy);
		off += row->present[i];
	}
	return off;
}

static void walk_row(const struct walk_row *row, size_t chunk)
{
	struct iovec iov[64];
	uint8_t buf[128];
	size_t len = build(row, buf, sizeof(buf)), cnt = 0;
	struct seen r;

	for (size_t off = 0; off < len; off += chunk, cnt++) {
		assert_true(cnt < sizeof(iov) / sizeof(iov[0]));
		iov[cnt].iov_base = buf + off;
		iov[cnt].iov_len = len - off < chunk ? len - off : chunk;
	}
	memset(&r, 0, sizeof(r));
	each_nlmsg(&r.sock, iov, cnt, len, record);
	if (r.n != row->want)
		fail_msg("%s (iovecs of %zu): visited %d headers, want %d", row->what, chunk, r.n,
			 row->want);
	for (int i = 0; i < r.n; i++)
		assert_int_equal(r.seq[i], (uint32_t)i + 1);
}

static void test_walk_flat(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		walk_row(&rows[i], 128);
}

static void test_walk_chunked(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		walk_row(&rows[i], 3);
}

/* Only the first len bytes count, whatever the iovecs hold beyond them. */
static void test_walk_stops_at_len(void **state)
{
	uint8_t buf[64] = { 0 };
	struct nlmsghdr h = { .nlmsg_len = 20, .nlmsg_seq = 1 };
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct seen r;

	(void)state;
	memcpy(buf, &h, sizeof(h));
	h.nlmsg_seq = 2;
	memcpy(buf + 20, &h, sizeof(h));
	memset(&r, 0, sizeof(r));
	each_nlmsg(&r.sock, &iov, 1, 20, record);
	assert_int_equal(r.n, 1);
	memset(&r, 0, sizeof(r));
	each_nlmsg(&r.sock, &iov, 1, 39, record);
	assert_int_equal(r.n, 1);	/* the second claims 20 bytes, 19 are left */
	memset(&r, 0, sizeof(r));
	each_nlmsg(&r.sock, &iov, 1, 40, record);
	assert_int_equal(r.n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_flat),
		cmocka_unit_test(test_walk_chunked),
		cmocka_unit_test(test_walk_stops_at_len),
	};

	/* A walk that goes round forever is a failure, not a hang. */
	alarm(10);
	return cmocka_run_group_tests_name("shim_framing", tests, NULL, NULL);
}
