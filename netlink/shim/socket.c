/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libxfrmgw_shim.so: an LD_PRELOAD library that turns a program's
 * NETLINK_XFRM and NETLINK_CRYPTO sockets into connections to the xfrmgw
 * control socket (framing in netlink/shim_proto.h).
 *
 * socket() hands the program a connected AF_UNIX SOCK_SEQPACKET descriptor,
 * so poll()/select()/epoll and O_NONBLOCK work on it unchanged. The socket
 * calls that differ for netlink (bind, getsockname, send*, recv*, read,
 * write, setsockopt, getsockopt, connect, dup*, fcntl F_DUPFD*, close*) are
 * wrapped: replies and events look as if sent by the kernel (nl_pid 0),
 * MSG_PEEK|MSG_TRUNC sizing works because every frame is one SEQPACKET
 * record. Other netlink protocols (ROUTE, ...) and other sockets go to libc.
 *
 * When the gateway goes away the program must not see end-of-file (a
 * netlink socket never does; the kernel does not vanish). The shim says so
 * once on stderr, swaps the descriptor for a quiet one (one end of a
 * datagram socketpair whose peer is closed: never readable, never a
 * hang-up, sends fail with ECONNREFUSED), answers each request still in
 * flight with an NLMSG_ERROR (-ECONNRESET) queued there, and makes the next
 * receive fail once with ECONNRESET, as a pending socket error would. It
 * does not reconnect: a restarted gateway has none of the SAs and policies
 * the program installed, so the program must be restarted with it.
 *
 * Environment: XFRMGW_CTL (control socket path, default
 * XFRMGW_CTL_DEFAULT_PATH), XFRMGW_SHIM_DEBUG=1 (trace frames on stderr).
 *
 * Files: socket.c (socket(), bind, connect, addresses), io.c (send and
 * receive), sockopt.c (options), conn.c (the gateway connection: HELLO,
 * control frames, going quiet), pending.c (requests owed an answer),
 * framing.c (shim frames, the walk over a datagram's netlink messages),
 * fdtable.c (descriptors, close/dup/fcntl), libc.c (the real libc calls),
 * shim.h (what they share).
 */
#include "shim.h"

/* ---- socket() ---- */

static bool redirected(int domain, int protocol)
{
	return domain == AF_NETLINK && (protocol == NETLINK_XFRM || protocol == NETLINK_CRYPTO);
}

static int shim_socket(int type, int protocol)
{
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	const char *path = ctl_path();
	struct nlsock *s;
	struct stat st;
	int fd, err;

	if (base != SOCK_RAW && base != SOCK_DGRAM) {
		errno = ESOCKTNOSUPPORT;
		return -1;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -1;
	fd = REAL(socket)(AF_UNIX, SOCK_SEQPACKET | (type & SOCK_CLOEXEC), 0);
	if (fd < 0)
		goto free_sock;
	if (connect_ctl(fd))
		goto cannot_connect;
	if (fd >= SHIM_MAX_FD) {
		errno = EMFILE;
		goto close_fd;
	}
	if ((type & SOCK_NONBLOCK) && REAL(fcntl)(fd, F_SETFL, O_NONBLOCK))
		goto close_fd;
	if (fstat(fd, &st))
		goto close_fd;
	s->ino = st.st_ino;
	s->protocol = protocol;
	s->type = base;
	init_recursive(&s->lock);
	pthread_mutex_init(&s->pend_lock, NULL);
	table_set(fd, s);
	dbg("fd %d: netlink protocol %d -> %s", fd, protocol, path);
	return fd;

cannot_connect:
	err = errno;
	fprintf(stderr, "xfrmgw-shim: cannot reach the gateway at %s: %s\n", path, strerror(err));
	errno = err;
close_fd:
	err = errno;
	REAL(close)(fd);
	errno = err;
free_sock:
	free(s);
	return -1;
}

SHIM_EXPORT int socket(int domain, int type, int protocol)
{
	if (redirected(domain, protocol))
		return shim_socket(type, protocol);
	return REAL(socket)(domain, type, protocol);
}

/* ---- addresses ---- */

void fill_nladdr(struct sockaddr *addr, socklen_t *len, uint32_t pid, uint32_t groups)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = pid, .nl_groups = groups };

	if (addr && len) {
		memcpy(addr, &nl, *len < sizeof(nl) ? *len : sizeof(nl));
	}
	if (len)
		*len = sizeof(nl);
}

int check_nladdr(const struct sockaddr *addr, socklen_t len)
{
	if (!addr || len < sizeof(struct sockaddr_nl) || addr->sa_family != AF_NETLINK) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int shim_bind(int fd, struct nlsock *s, const struct sockaddr_nl *nl)
{
	struct xfrmgw_shim_bind b = { .groups = nl->nl_groups };

	if (!s->welcomed) {
		s->groups = nl->nl_groups;
		return sock_hello(fd, s, nl->nl_pid);
	}
	if (nl->nl_pid && nl->nl_pid != s->nl_pid) {
		errno = EINVAL;
		return -1;
	}
	s->groups = nl->nl_groups;
	dbg("fd %d BIND groups 0x%x", fd, b.groups);
	return send_ctl(fd, s, XFRMGW_SHIM_BIND, &b, sizeof(b));
}

SHIM_EXPORT int bind(int fd, __CONST_SOCKADDR_ARG a, socklen_t len)
{
	const struct sockaddr *addr = a.__sockaddr__;
	struct nlsock *s = sock_get(fd);
	int rc;

	if (!s)
		return REAL(bind)(fd, addr, len);
	rc = check_nladdr(addr, len);
	if (!rc)
		rc = shim_bind(fd, s, (const struct sockaddr_nl *)(const void *)addr);
	sock_put(s);
	return rc;
}

SHIM_EXPORT int connect(int fd, __CONST_SOCKADDR_ARG a, socklen_t len)
{
	const struct sockaddr *addr = a.__sockaddr__;
	const struct sockaddr_nl *nl = (const struct sockaddr_nl *)(const void *)addr;
	struct nlsock *s = sock_get(fd);
	int rc = 0;

	if (!s)
		return REAL(connect)(fd, addr, len);
	if (addr && len >= sizeof(sa_family_t) && addr->sa_family == AF_UNSPEC) {
		s->dst_pid = s->dst_groups = 0;
	} else if (!(rc = check_nladdr(addr, len))) {
		s->dst_pid = nl->nl_pid;
		s->dst_groups = nl->nl_groups;
		rc = sock_hello(fd, s, 0);
	}
	sock_put(s);
	return rc;
}

SHIM_EXPORT int getsockname(int fd, __SOCKADDR_ARG a, socklen_t *len)
{
	struct sockaddr *addr = a.__sockaddr__;
	struct nlsock *s = sock_get(fd);
	int rc;

	if (!s)
		return REAL(getsockname)(fd, addr, len);
	rc = sock_hello(fd, s, 0);
	if (!rc)
		fill_nladdr(addr, len, s->nl_pid, s->groups);
	sock_put(s);
	return rc;
}

SHIM_EXPORT int getpeername(int fd, __SOCKADDR_ARG a, socklen_t *len)
{
	struct sockaddr *addr = a.__sockaddr__;
	struct nlsock *s = sock_get(fd);

	if (!s)
		return REAL(getpeername)(fd, addr, len);
	fill_nladdr(addr, len, s->dst_pid, s->dst_groups);
	sock_put(s);
	return 0;
}

