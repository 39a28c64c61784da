/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection to the gateway: reaching the control socket, HELLO and
 * WELCOME, control frames, and what happens when the gateway goes away (a
 * netlink socket never sees end-of-file: the descriptor becomes a quiet one).
 */
#include "shim.h"

static atomic_bool told_lost;

const char *ctl_path(void)
{
	const char *p = getenv("XFRMGW_CTL");

	return p && *p ? p : XFRMGW_CTL_DEFAULT_PATH;
}

/* Connect fd to the gateway's control socket. */
int connect_ctl(int fd)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = ctl_path();

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	return REAL(connect)(fd, (struct sockaddr *)&sun, sizeof(sun));
}

bool conn_gone(int err)
{
	return err == EPIPE || err == ECONNRESET || err == ENOTCONN;
}

/* One line per process, whatever the number of sockets. */
static void tell_lost(void)
{
	char line[PATH_MAX + 160];
	int n;

	if (atomic_exchange(&told_lost, true))
		return;
	n = snprintf(line, sizeof(line),
		     "xfrmgw-exec: the gateway closed the control socket %s; "
		     "XFRM netlink requests now fail (restart this program after the gateway)\n",
		     ctl_path());
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	REAL(write)(STDERR_FILENO, line, n);
}

/*
 * The gateway hung up (err ECONNRESET) or refused this socket (err 0). A
 * netlink socket never sees end-of-file, so the descriptor becomes one end
 * of a datagram socketpair whose other end is closed once the answers owed
 * are queued on it: readable only for those, never a hang-up, sends fail
 * with ECONNREFUSED. err is then reported once by the next receive.
 */
void go_quiet(struct nlsock *s, int err)
{
	int pair[2];

	pthread_mutex_lock(&s->lock);
	if (atomic_load(&s->dead))
		goto out;
	if (err)
		tell_lost();
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pair) == 0) {
		answer_pending(s, pair[1]);
		REAL(close)(pair[1]);
		swap_socket(s, pair[0]);
		atomic_store(&s->quiet, true);
	}
	dbg("proto %d nl_pid %u: connection gone, socket %s", s->protocol, s->nl_pid,
	    atomic_load(&s->quiet) ? "quiet" : "left as is");
	atomic_store(&s->sock_err, err);
	atomic_store(&s->dead, true);
out:
	pthread_mutex_unlock(&s->lock);
}

/* Control frames: after the gateway went there is nobody to tell. */
int send_ctl(int fd, struct nlsock *s, uint16_t type, const void *body, size_t len)
{
	if (atomic_load(&s->dead))
		return 0;
	if (send_frame(fd, type, body, len) == 0)
		return 0;
	if (!conn_gone(errno))
		return -1;
	go_quiet(s, ECONNRESET);
	return 0;
}

int send_opt(int fd, struct nlsock *s, uint32_t name, uint32_t value)
{
	struct xfrmgw_shim_opt o = { .name = name, .value = value };

	dbg("fd %d SETOPT %u=%u", fd, name, value);
	return send_ctl(fd, s, XFRMGW_SHIM_SETOPT, &o, sizeof(o));
}

/* The server hangs up after refusing a HELLO: a new connection for a retry. */
static int reconnect(struct nlsock *s)
{
	int fd = REAL(socket)(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect_ctl(fd)) {
		REAL(close)(fd);
		return -1;
	}
	swap_socket(s, fd);
	return 0;
}

/* Read WELCOME, the first frame the server sends. */
static int recv_welcome(int fd, struct xfrmgw_shim_welcome *w)
{
	struct {
		struct xfrmgw_shim_hdr hdr;
		struct xfrmgw_shim_welcome w;
	} f;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		n = REAL(recv)(fd, &f, sizeof(f), MSG_DONTWAIT);
		if (n >= 0 || (errno != EAGAIN && errno != EINTR))
			break;
		if (poll(&p, 1, SHIM_WELCOME_TIMEOUT_MS) == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
	if (n < 0)
		return -1;
	if (n == 0) {
		errno = ECONNRESET;
		return -1;
	}
	if (n != sizeof(f) || f.hdr.type != XFRMGW_SHIM_WELCOME) {
		errno = EPROTO;
		return -1;
	}
	*w = f.w;
	return 0;
}

/*
 * Introduce this socket to the server once (on bind, send, getsockname or
 * recv, whichever comes first), then replay the options set before it.
 */
int sock_hello(int fd, struct nlsock *s, uint32_t want_pid)
{
	struct xfrmgw_shim_hello h = {
		.version = XFRMGW_SHIM_VERSION,
		.protocol = s->protocol,
		.pid = (uint32_t)getpid(),
		.nl_pid = want_pid,
	};
	struct xfrmgw_shim_welcome w;
	int rc = 0;

	pthread_mutex_lock(&s->lock);
	if (s->welcomed)
		goto out;
	if (s->hello_err) {
		rc = -s->hello_err;
		goto out;
	}
	h.groups = s->groups;
	if (send_frame(fd, XFRMGW_SHIM_HELLO, &h, sizeof(h)) || recv_welcome(fd, &w)) {
		rc = -errno;
		goto failed;
	}
	if (w.error) {
		rc = w.error < 0 ? w.error : -EPROTO;
		goto failed;
	}
	s->nl_pid = w.nl_pid;
	s->welcomed = true;
	dbg("fd %d proto %d welcomed, nl_pid %u groups 0x%x", fd, s->protocol, w.nl_pid, s->groups);
	if (s->ext_ack)
		send_opt(fd, s, NETLINK_EXT_ACK, 1);
	if (s->cap_ack)
		send_opt(fd, s, NETLINK_CAP_ACK, 1);
	goto out;
failed:
	dbg("fd %d HELLO failed: %s", fd, strerror(-rc));
	/* Only a refused port id may be retried with another one. */
	if (rc == -EADDRINUSE && reconnect(s) == 0)
		goto out;
	if (conn_gone(-rc)) {
		go_quiet(s, ECONNRESET);
		rc = -ECONNREFUSED;
	} else {
		go_quiet(s, 0);
	}
	s->hello_err = -rc;
out:
	pthread_mutex_unlock(&s->lock);
	if (rc) {
		errno = -rc;
		return -1;
	}
	return 0;
}

