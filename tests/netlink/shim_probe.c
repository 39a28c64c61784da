/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Socket calls charon and libmnl make, run under the shim against an
 * endpoint (fake or real): SOCK_NONBLOCK/SOCK_CLOEXEC, SO_RCVBUFFORCE,
 * NETLINK_EXT_ACK, bind with groups, getsockname, getsockopt, dup and
 * fcntl(F_DUPFD_CLOEXEC), poll, recv(MSG_PEEK|MSG_TRUNC) sizing, recvfrom's
 * source address, read/write, close; and datagrams whose messages lie about
 * their length (answered or refused, never a hang).
 *
 * Run as: xfrmgw-exec --ctl SOCK shim_probe. Prints TAP-like lines and
 * "N passed, N failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>

static int passed, failed;

#define CHECK(cond, what)							\
	do {								\
		if (cond) {						\
			printf("ok - %s\n", what);			\
			passed++;					\
		} else {						\
			printf("not ok - %s (errno %s)\n", what, strerror(errno)); \
			failed++;					\
		}							\
	} while (0)

static ssize_t send_req(int fd, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct {
		struct nlmsghdr h;
		struct xfrm_usersa_flush f;
	} req = {
		.h = {
			.nlmsg_len = sizeof(req), .nlmsg_type = type,
			.nlmsg_flags = NLM_F_REQUEST | flags, .nlmsg_seq = seq,
		},
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	return sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel));
}

/* True when a message with this seq arrives within 5 s. */
static int answered(int fd, uint32_t seq)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[16384];

	while (poll(&p, 1, 5000) == 1) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *h = (struct nlmsghdr *)(void *)buf;
		int len = (int)n;

		if (n < 0 && errno == EAGAIN)
			continue;
		if (n < 0)
			return 0;
		for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
			if (h->nlmsg_seq == seq)
				return 1;
	}
	return 0;
}

/*
 * Netlink messages packed in one datagram, as a batch sender writes them:
 * each row is (nlmsg_len as claimed, bytes actually present). A valid flush
 * with NLM_F_ACK has len 24 and 24 bytes.
 */
struct lie {
	const char *what;
	uint32_t claimed[2];	/* first and second message */
	uint32_t present[2];
	uint32_t answer_seq;	/* a valid message that must be answered, 0 none */
};

/*
 * The kernel stops at the first message shorter than a header or longer than
 * what is left of the datagram (netlink_rcv_skb) and handles those before
 * it. The shim walks the messages to remember which requests are owed an
 * answer; a length near 2^32 once made that walk go round forever.
 */
static void lying_lengths(void)
{
	static const struct lie rows[] = {
		{ "valid, then nlmsg_len 0xfffffffd", { 24, 0xfffffffdu }, { 24, 24 }, 1 },
		{ "valid, then nlmsg_len 0xffffffff", { 24, 0xffffffffu }, { 24, 24 }, 1 },
		{ "valid, then nlmsg_len 0xfffffff0", { 24, 0xfffffff0u }, { 24, 24 }, 1 },
		{ "valid, then longer than what is left", { 24, 200 }, { 24, 24 }, 1 },
		{ "valid, then shorter than a header", { 24, 4 }, { 24, 24 }, 1 },
		{ "nlmsg_len 0xfffffffd first", { 0xfffffffdu, 24 }, { 24, 24 }, 0 },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	uint32_t seq = 1000;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
	CHECK(fd >= 0, "socket for the lying-length datagrams");
	if (fd < 0)
		return;
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		const struct lie *l = &rows[r];
		uint8_t dgram[64] = { 0 };
		uint32_t off = 0, first_seq = 0;
		char what[128];
		ssize_t n;

		for (int i = 0; i < 2; i++) {
			struct nlmsghdr h = {
				.nlmsg_len = l->claimed[i], .nlmsg_type = XFRM_MSG_FLUSHSA,
				.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = ++seq,
			};

			if (i == 0)
				first_seq = seq;
			memcpy(dgram + off, &h, sizeof(h));	/* the proto byte after it is 0: any */
			off += l->present[i];
		}
		n = sendto(fd, dgram, off, 0, (struct sockaddr *)&kernel, sizeof(kernel));
		snprintf(what, sizeof(what), "%s: send returns", l->what);
		CHECK(n == (ssize_t)off || (n < 0 && errno != EAGAIN), what);
		snprintf(what, sizeof(what), "%s: %s", l->what,
			 l->answer_seq ? "the valid message is answered" : "the socket still answers");
		if (l->answer_seq) {
			CHECK(answered(fd, first_seq), what);
		} else {
			CHECK(send_req(fd, XFRM_MSG_FLUSHSA, NLM_F_ACK, ++seq) > 0 &&
			      answered(fd, seq), what);
		}
	}
	close(fd);
}

int main(void)
{
	struct sockaddr_nl me = { 0 }, from = { 0 };
	socklen_t len = sizeof(me), flen = sizeof(from);
	int fd, d, d2, one = 1, big = 1 << 20, v = 0;
	char buf[16384];
	uint32_t groups = 0;
	struct pollfd p;
	ssize_t n, peek;

	/* Line by line: a probe killed by its timeout still shows how far it got. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_XFRM);
	CHECK(fd >= 0, "socket(NETLINK_XFRM, NONBLOCK|CLOEXEC)");
	if (fd < 0)
		return 1;
	CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) && (fcntl(fd, F_GETFL) & O_NONBLOCK),
	      "flags kept");
	CHECK(setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) == 0, "SO_RCVBUFFORCE");
	CHECK(setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) == 0, "NETLINK_EXT_ACK");
	v = 99;
	CHECK(setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &v, sizeof(v)) && errno == EINVAL,
	      "group 99 refused");
	me.nl_family = AF_NETLINK;
	me.nl_groups = 1u << (XFRMNLGRP_SA - 1);
	CHECK(bind(fd, (struct sockaddr *)&me, sizeof(me)) == 0, "bind with groups");
	memset(&me, 0, sizeof(me));
	CHECK(getsockname(fd, (struct sockaddr *)&me, &len) == 0 && len == sizeof(me) &&
	      me.nl_family == AF_NETLINK && me.nl_pid != 0, "getsockname gives a port id");
	len = sizeof(v);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len) == 0 && v == NETLINK_XFRM,
	      "SO_PROTOCOL is NETLINK_XFRM");
	len = sizeof(groups);
	CHECK(getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, &groups, &len) == 0 &&
	      groups == 1u << (XFRMNLGRP_SA - 1), "NETLINK_LIST_MEMBERSHIPS");
	CHECK(recv(fd, buf, sizeof(buf), 0) < 0 && errno == EAGAIN, "nonblocking recv: EAGAIN");

	d = dup(fd);
	d2 = fcntl(fd, F_DUPFD_CLOEXEC, 100);
	CHECK(d >= 0 && d2 >= 100, "dup and F_DUPFD_CLOEXEC");

	CHECK(send_req(d, XFRM_MSG_GETSA, NLM_F_DUMP, 42) > 0, "dump request through a dup");
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	CHECK(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN), "poll sees the answer");
	peek = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	CHECK(peek >= (ssize_t)NLMSG_HDRLEN, "MSG_PEEK|MSG_TRUNC gives the datagram size");
	n = recvfrom(d2, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
	CHECK(n == peek, "recvfrom reads the peeked datagram");
	CHECK(flen == sizeof(from) && from.nl_family == AF_NETLINK && from.nl_pid == 0 &&
	      from.nl_groups == 0, "reply comes from nl_pid 0, unicast");
	CHECK(n >= (ssize_t)NLMSG_HDRLEN && ((struct nlmsghdr *)buf)->nlmsg_pid == me.nl_pid &&
	      ((struct nlmsghdr *)buf)->nlmsg_seq == 42, "reply carries our port id and seq");

	close(fd);
	CHECK(send_req(d, XFRM_MSG_FLUSHSA, NLM_F_ACK, 43) > 0, "dup works after close of the original");
	p = (struct pollfd){ .fd = d, .events = POLLIN };
	poll(&p, 1, 5000);
	/* The flush ack, or a flush event first if we are in the SA group. */
	n = read(d, buf, sizeof(buf));
	CHECK(n >= (ssize_t)NLMSG_HDRLEN, "read() returns a datagram");
	close(d);
	close(d2);

	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	me = (struct sockaddr_nl){ .nl_family = AF_NETLINK };
	len = sizeof(me);
	CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&me, sizeof(me)) == 0 &&
	      getsockname(fd, (struct sockaddr *)&me, &len) == 0, "NETLINK_ROUTE goes to the kernel");
	close(fd);

	lying_lengths();

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
