/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sending and receiving: one netlink datagram is one DATA frame each way;
 * replies look sent by the kernel (nl_pid 0), and MSG_PEEK/MSG_TRUNC keep
 * their meaning because every frame is one SEQPACKET record.
 */
#include "shim.h"

/* ---- sending ---- */

/*
 * One netlink datagram to the kernel (nl_pid 0) becomes one DATA frame.
 * Sending to another port or to a group is not something the gateway does.
 */
static ssize_t shim_send(int fd, struct nlsock *s, const struct msghdr *um, int flags)
{
	const struct sockaddr_nl *dst = um->msg_name;
	struct xfrmgw_shim_hdr hdr = { .type = XFRMGW_SHIM_DATA };
	struct iovec iov[SHIM_MAX_IOV + 1];
	struct msghdr m = { .msg_iov = iov };
	size_t total = 0, i;
	void *gather = NULL;
	ssize_t n;

	if (dst && um->msg_namelen) {
		if (check_nladdr(um->msg_name, um->msg_namelen))
			return -1;
		if (dst->nl_groups) {
			errno = EOPNOTSUPP;
			return -1;
		}
		if (dst->nl_pid) {
			errno = ECONNREFUSED;
			return -1;
		}
	}
	if (sock_hello(fd, s, 0))
		return -1;
	/* The gateway went: as a send to a port nobody holds. */
	if (unlikely(atomic_load(&s->dead))) {
		errno = ECONNREFUSED;
		return -1;
	}
	for (i = 0; i < um->msg_iovlen; i++)
		total += um->msg_iov[i].iov_len;
	if (total > XFRMGW_SHIM_DATA_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	iov[0] = (struct iovec){ .iov_base = &hdr, .iov_len = sizeof(hdr) };
	if (um->msg_iovlen <= SHIM_MAX_IOV) {
		memcpy(&iov[1], um->msg_iov, um->msg_iovlen * sizeof(*iov));
		m.msg_iovlen = um->msg_iovlen + 1;
	} else {
		char *p = gather = malloc(total ? total : 1);

		if (!gather)
			return -1;
		for (i = 0; i < um->msg_iovlen; i++) {
			memcpy(p, um->msg_iov[i].iov_base, um->msg_iov[i].iov_len);
			p += um->msg_iov[i].iov_len;
		}
		iov[1] = (struct iovec){ .iov_base = gather, .iov_len = total };
		m.msg_iovlen = 2;
	}
	if (um->msg_iovlen && um->msg_iov[0].iov_len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = um->msg_iov[0].iov_base;

		dbg("fd %d DATA out %zu bytes, first type %u flags 0x%x seq %u", fd, total,
		    nlh->nlmsg_type, nlh->nlmsg_flags, nlh->nlmsg_seq);
	}
	each_nlmsg(s, &m.msg_iov[1], m.msg_iovlen - 1, total, pend_add);
	n = REAL(sendmsg)(fd, &m, (flags & MSG_DONTWAIT) | MSG_NOSIGNAL);
	if (unlikely(n < 0)) {
		int err = errno;

		each_nlmsg(s, &m.msg_iov[1], m.msg_iovlen - 1, total, pend_forget);
		if (conn_gone(err) || (err == ECONNREFUSED && atomic_load(&s->quiet))) {
			go_quiet(s, ECONNRESET);
			err = ECONNREFUSED;
		}
		free(gather);
		errno = err;
		return -1;
	}
	free(gather);
	return n - (ssize_t)sizeof(hdr);
}

SHIM_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct nlsock *s = sock_get(fd);
	ssize_t n;

	if (!s)
		return REAL(sendmsg)(fd, msg, flags);
	n = shim_send(fd, s, msg, flags);
	sock_put(s);
	return n;
}

SHIM_EXPORT ssize_t sendto(int fd, const void *buf, size_t len, int flags,
			   __CONST_SOCKADDR_ARG a, socklen_t alen)
{
	const struct sockaddr *addr = a.__sockaddr__;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr m = {
		.msg_name = (void *)addr, .msg_namelen = addr ? alen : 0,
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct nlsock *s = sock_get(fd);
	ssize_t n;

	if (!s)
		return REAL(sendto)(fd, buf, len, flags, addr, alen);
	n = shim_send(fd, s, &m, flags);
	sock_put(s);
	return n;
}

SHIM_EXPORT ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct nlsock *s = sock_get(fd);
	ssize_t n;

	if (!s)
		return REAL(send)(fd, buf, len, flags);
	n = shim_send(fd, s, &m, flags);
	sock_put(s);
	return n;
}

SHIM_EXPORT ssize_t write(int fd, const void *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct nlsock *s = sock_get(fd);
	ssize_t n;

	if (!s)
		return REAL(write)(fd, buf, len);
	n = shim_send(fd, s, &m, 0);
	sock_put(s);
	return n;
}

/* ---- receiving ---- */

/* Throw away the record at the head of the queue (after a peek). */
static void drop_record(int fd)
{
	struct xfrmgw_shim_hdr hdr;

	REAL(recv)(fd, &hdr, sizeof(hdr), MSG_DONTWAIT);
}

/* The group a frame was sent to, as sockaddr_nl.nl_groups shows it. */
static uint32_t group_mask(uint32_t group)
{
	return group && group <= 32 ? 1u << (group - 1) : 0;
}

static void put_pktinfo(struct msghdr *um, struct nlsock *s, uint32_t group)
{
	struct nl_pktinfo info = { .group = group };
	struct cmsghdr *c;
	size_t room = um->msg_controllen;

	um->msg_controllen = 0;
	if (!s->pktinfo || !um->msg_control || room < CMSG_SPACE(sizeof(info)))
		return;
	c = (struct cmsghdr *)um->msg_control;
	c->cmsg_level = SOL_NETLINK;
	c->cmsg_type = NETLINK_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(info));
	memcpy(CMSG_DATA(c), &info, sizeof(info));
	um->msg_controllen = CMSG_SPACE(sizeof(info));
}

/*
 * One DATA frame becomes one netlink datagram. The header is read into our
 * own buffer in front of the caller's iovecs, so MSG_PEEK and MSG_TRUNC keep
 * their meaning: with MSG_TRUNC the full datagram length comes back.
 */
static ssize_t shim_recv(int fd, struct nlsock *s, struct msghdr *um, int flags)
{
	struct xfrmgw_shim_hdr hdr;
	struct iovec iov[SHIM_MAX_IOV + 1];
	struct msghdr m = { .msg_iov = iov };
	int hangups = 0;
	size_t room = 0;
	ssize_t n;

	if (um->msg_iovlen > SHIM_MAX_IOV) {
		errno = EINVAL;
		return -1;
	}
	if (!atomic_load(&s->dead) && sock_hello(fd, s, 0))
		return -1;
	iov[0] = (struct iovec){ .iov_base = &hdr, .iov_len = sizeof(hdr) };
	memcpy(&iov[1], um->msg_iov, um->msg_iovlen * sizeof(*iov));
	m.msg_iovlen = um->msg_iovlen + 1;
	flags &= MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT | MSG_WAITALL | MSG_CMSG_CLOEXEC;
	for (;;) {
		int err = atomic_exchange(&s->sock_err, 0);

		if (unlikely(err)) {
			errno = err;
			return -1;
		}
		m.msg_flags = 0;
		n = REAL(recvmsg)(fd, &m, flags);
		if (unlikely(n == 0 || (n < 0 && conn_gone(errno)))) {
			/* The gateway hung up: never an end-of-file on netlink. */
			if (++hangups > 2 || (atomic_load(&s->dead) && !atomic_load(&s->quiet))) {
				errno = ECONNRESET;
				return -1;
			}
			go_quiet(s, ECONNRESET);
			continue;
		}
		if (n < 0)
			return n;
		if (n >= (ssize_t)sizeof(hdr) && hdr.type == XFRMGW_SHIM_DATA)
			break;
		if (flags & MSG_PEEK)
			drop_record(fd);
		/* Events were dropped: tell the reader, as the kernel does. */
		if (n >= (ssize_t)sizeof(hdr) && hdr.type == XFRMGW_SHIM_OVERRUN && !s->no_enobufs) {
			dbg("fd %d OVERRUN", fd);
			errno = ENOBUFS;
			return -1;
		}
		dbg("fd %d dropping frame type %u", fd, n >= (ssize_t)sizeof(hdr) ? hdr.type : 0);
	}
	n -= sizeof(hdr);
	if (!(flags & MSG_PEEK))
		dbg("fd %d DATA in %zd bytes, group %u", fd, n, hdr.group);
	if (!(flags & MSG_PEEK) && !hdr.group && atomic_load(&s->npend)) {
		for (size_t i = 0; i < um->msg_iovlen; i++)
			room += um->msg_iov[i].iov_len;
		each_nlmsg(s, um->msg_iov, um->msg_iovlen, (size_t)n < room ? (size_t)n : room,
			   pend_answered);
	}
	if (um->msg_name) {
		socklen_t len = um->msg_namelen;

		fill_nladdr(um->msg_name, &len, 0, group_mask(hdr.group));
		um->msg_namelen = len;
	}
	put_pktinfo(um, s, hdr.group);
	um->msg_flags = m.msg_flags & (MSG_TRUNC | MSG_CTRUNC);
	return n;
}

SHIM_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct nlsock *s = sock_get(fd);
	ssize_t n;

	if (!s)
		return REAL(recvmsg)(fd, msg, flags);
	n = shim_recv(fd, s, msg, flags);
	sock_put(s);
	return n;
}

SHIM_EXPORT ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
			     __SOCKADDR_ARG a, socklen_t *alen)
{
	struct sockaddr *addr = a.__sockaddr__;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct nlsock *s = sock_get(fd);
	ssize_t n;

	if (!s)
		return REAL(recvfrom)(fd, buf, len, flags, addr, alen);
	if (addr && alen) {
		m.msg_name = addr;
		m.msg_namelen = *alen;
	}
	n = shim_recv(fd, s, &m, flags);
	if (n >= 0 && addr && alen)
		*alen = m.msg_namelen;
	sock_put(s);
	return n;
}

SHIM_EXPORT ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct nlsock *s = sock_get(fd);
	ssize_t n;

	if (!s)
		return REAL(recv)(fd, buf, len, flags);
	n = shim_recv(fd, s, &m, flags);
	sock_put(s);
	return n;
}

SHIM_EXPORT ssize_t read(int fd, void *buf, size_t len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct nlsock *s = sock_get(fd);
	ssize_t n;

	if (!s)
		return REAL(read)(fd, buf, len);
	n = shim_recv(fd, s, &m, 0);
	sock_put(s);
	return n;
}

/* _FORTIFY_SOURCE builds call these instead. */
void __chk_fail(void) __attribute__((noreturn));
SHIM_EXPORT ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags);
SHIM_EXPORT ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
				   struct sockaddr *addr, socklen_t *alen);
SHIM_EXPORT ssize_t __read_chk(int fd, void *buf, size_t len, size_t buflen);

ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags)
{
	if (len > buflen)
		__chk_fail();
	return recv(fd, buf, len, flags);
}

ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
		       struct sockaddr *addr, socklen_t *alen)
{
	if (len > buflen)
		__chk_fail();
	return recvfrom(fd, buf, len, flags, addr, alen);
}

ssize_t __read_chk(int fd, void *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		__chk_fail();
	return read(fd, buf, len);
}

