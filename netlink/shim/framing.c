/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Framing: shim protocol frames to the gateway, and the walk over the
 * netlink messages packed in one datagram.
 */
#include "shim.h"

int send_frame(int fd, uint16_t type, const void *body, size_t len)
{
	struct xfrmgw_shim_hdr hdr = { .type = type };
	struct iovec iov[2] = {
		{ .iov_base = &hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)body, .iov_len = len },
	};
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t n;

	do
		n = REAL(sendmsg)(fd, &m, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		if (poll(&p, 1, SHIM_WELCOME_TIMEOUT_MS) == 1)
			n = REAL(sendmsg)(fd, &m, MSG_NOSIGNAL);
	}
	return n < 0 ? -1 : 0;
}

/* Copy up to len bytes found at offset off of an iovec array; bytes copied. */
static size_t iov_copy(const struct iovec *iov, size_t cnt, size_t off, void *dst, size_t len)
{
	size_t done = 0;

	for (size_t i = 0; i < cnt && done < len; i++) {
		size_t l = iov[i].iov_len;

		if (off >= l) {
			off -= l;
			continue;
		}
		l -= off;
		if (l > len - done)
			l = len - done;
		memcpy((char *)dst + done, (const char *)iov[i].iov_base + off, l);
		done += l;
		off = 0;
	}
	return done;
}

/*
 * Call fn on the header of each netlink message in the first len bytes. As
 * the kernel does (netlink_rcv_skb), stop at the first message shorter than
 * its header or longer than what is left: nothing after it can be framed,
 * and a length near 2^32 must not wrap the step (NLMSG_ALIGN is 32-bit) back
 * to the same message, forever.
 */
void each_nlmsg(struct nlsock *s, const struct iovec *iov, size_t cnt, size_t len, nlmsg_fn fn)
{
	struct nlmsghdr h;
	size_t off = 0, step;

	while (len - off >= sizeof(h) && iov_copy(iov, cnt, off, &h, sizeof(h)) == sizeof(h)) {
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off)
			break;
		fn(s, &h);
		step = ((size_t)h.nlmsg_len + NLMSG_ALIGNTO - 1) & ~(size_t)(NLMSG_ALIGNTO - 1);
		if (step >= len - off)
			break;
		off += step;
	}
}
