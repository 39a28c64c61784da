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
 */
/* Define fcntl and fcntl64 as two symbols, not one redirected to the other. */
#undef _FILE_OFFSET_BITS

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/cryptouser.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "netlink/shim_proto.h"

#ifndef NETLINK_CRYPTO
#define NETLINK_CRYPTO 21
#endif

#define SHIM_EXPORT __attribute__((visibility("default")))
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Descriptors above this are never redirected (socket() fails instead). */
#define SHIM_MAX_FD 65536
/* Wait for WELCOME at most this long (ms). */
#define SHIM_WELCOME_TIMEOUT_MS 5000
/* User iovecs handled on the stack; more are gathered into one buffer. */
#define SHIM_MAX_IOV 64
/* Requests awaiting an answer remembered per socket (oldest forgotten). */
#define SHIM_MAX_PENDING 32

/* A request the gateway owes an answer (NLMSG_ERROR, NLMSG_DONE or reply). */
struct pending_req {
	struct nlmsghdr req;		/* as sent; nlmsg_len 0 = free slot */
	bool ack;			/* NLM_F_ACK: done only at NLMSG_ERROR */
};

/* One application netlink socket; shared by dup()ed descriptors. */
struct nlsock {
	atomic_int refs;
	pthread_mutex_t lock;		/* serialises HELLO and descriptor swaps */
	int protocol;			/* NETLINK_XFRM or NETLINK_CRYPTO */
	int type;			/* SOCK_RAW or SOCK_DGRAM, as asked */
	_Atomic ino_t ino;		/* the AF_UNIX socket behind the fd */
	_Atomic ino_t ino_next;		/* the one a swap is putting there */
	bool welcomed;
	int hello_err;			/* errno of a failed HELLO, sticky */
	uint32_t nl_pid;		/* port id granted by the server */
	uint32_t groups;		/* membership of groups 1..32 */
	uint32_t dst_pid, dst_groups;	/* connect() */
	int ext_ack, cap_ack;		/* sent to the server */
	int pktinfo, bcast_err, no_enobufs, listen_all_nsid, strict_chk;
	atomic_bool dead;		/* the gateway closed the connection */
	atomic_bool quiet;		/* and the fd now is the quiet socket */
	atomic_int sock_err;		/* reported once by the next receive */
	pthread_mutex_t pend_lock;	/* guards pend[], never held in a syscall */
	atomic_int npend;
	unsigned int pend_next;		/* slot to reuse when all are taken */
	struct pending_req pend[SHIM_MAX_PENDING];
};

static _Atomic(struct nlsock *) fd_table[SHIM_MAX_FD];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int shim_debug = -1;
static atomic_bool told_lost;

/* ---- the libc functions we wrap ---- */

#define REAL_DECL(ret, name, ...) \
	static ret (*real_##name)(__VA_ARGS__)
REAL_DECL(int, socket, int, int, int);
REAL_DECL(int, bind, int, const struct sockaddr *, socklen_t);
REAL_DECL(int, connect, int, const struct sockaddr *, socklen_t);
REAL_DECL(int, getsockname, int, struct sockaddr *, socklen_t *);
REAL_DECL(int, getpeername, int, struct sockaddr *, socklen_t *);
REAL_DECL(ssize_t, send, int, const void *, size_t, int);
REAL_DECL(ssize_t, sendto, int, const void *, size_t, int, const struct sockaddr *, socklen_t);
REAL_DECL(ssize_t, sendmsg, int, const struct msghdr *, int);
REAL_DECL(ssize_t, recv, int, void *, size_t, int);
REAL_DECL(ssize_t, recvfrom, int, void *, size_t, int, struct sockaddr *, socklen_t *);
REAL_DECL(ssize_t, recvmsg, int, struct msghdr *, int);
REAL_DECL(ssize_t, read, int, void *, size_t);
REAL_DECL(ssize_t, write, int, const void *, size_t);
REAL_DECL(int, setsockopt, int, int, int, const void *, socklen_t);
REAL_DECL(int, getsockopt, int, int, int, void *, socklen_t *);
REAL_DECL(int, close, int);
REAL_DECL(void, closefrom, int);
REAL_DECL(int, close_range, unsigned int, unsigned int, int);
REAL_DECL(int, dup, int);
REAL_DECL(int, dup2, int, int);
REAL_DECL(int, dup3, int, int, int);
REAL_DECL(int, fcntl, int, int, ...);
REAL_DECL(int, fcntl64, int, int, ...);

static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;
static atomic_bool resolved;

#define RESOLVE(name) (real_##name = (__typeof__(real_##name))dlsym(RTLD_NEXT, #name))

static void resolve_all(void)
{
	RESOLVE(socket); RESOLVE(bind); RESOLVE(connect); RESOLVE(getsockname);
	RESOLVE(getpeername); RESOLVE(send); RESOLVE(sendto); RESOLVE(sendmsg);
	RESOLVE(recv); RESOLVE(recvfrom); RESOLVE(recvmsg); RESOLVE(read);
	RESOLVE(write); RESOLVE(setsockopt); RESOLVE(getsockopt); RESOLVE(close);
	RESOLVE(closefrom); RESOLVE(close_range); RESOLVE(dup); RESOLVE(dup2);
	RESOLVE(dup3); RESOLVE(fcntl); RESOLVE(fcntl64);
	atomic_store(&resolved, true);
}

/* Resolve on first use: another library's constructor may call us early. */
static inline void shim_resolve(void)
{
	if (unlikely(!atomic_load_explicit(&resolved, memory_order_acquire)))
		pthread_once(&resolve_once, resolve_all);
}

#define REAL(name) (shim_resolve(), real_##name)

static void dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void dbg(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	if (shim_debug < 0) {
		const char *e = getenv("XFRMGW_SHIM_DEBUG");

		shim_debug = e && *e && strcmp(e, "0") != 0;
	}
	if (!shim_debug)
		return;
	n = snprintf(line, sizeof(line), "xfrmgw-shim[%d]: ", (int)getpid());
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	REAL(write)(STDERR_FILENO, line, n);
}

/* ---- descriptor table ---- */

/* A socket's lock is taken again when a swap happens inside HELLO. */
static void init_recursive(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

static void sock_put(struct nlsock *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
		pthread_mutex_destroy(&s->lock);
		pthread_mutex_destroy(&s->pend_lock);
		free(s);
	}
}

/* Install s (reference taken) at fd, dropping what was there. */
static void table_set(int fd, struct nlsock *s)
{
	struct nlsock *old;

	if (fd < 0 || fd >= SHIM_MAX_FD)
		return;
	if (s)
		atomic_fetch_add(&s->refs, 1);
	pthread_mutex_lock(&table_lock);
	old = atomic_exchange(&fd_table[fd], s);
	pthread_mutex_unlock(&table_lock);
	sock_put(old);
}

/* Forget fd only if it still maps to s. */
static void table_forget(int fd, struct nlsock *s)
{
	struct nlsock *expect = s;

	pthread_mutex_lock(&table_lock);
	if (!atomic_compare_exchange_strong(&fd_table[fd], &expect, NULL))
		s = NULL;
	pthread_mutex_unlock(&table_lock);
	sock_put(s);
}

static bool same_socket(int fd, const struct nlsock *s)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode) &&
	       (st.st_ino == atomic_load(&s->ino) || st.st_ino == atomic_load(&s->ino_next));
}

/*
 * The socket behind fd with a reference, or NULL when fd is not ours. A
 * descriptor closed behind our back (a raw syscall) and reused for something
 * else is noticed by its inode and forgotten.
 */
static struct nlsock *sock_get(int fd)
{
	struct nlsock *s;

	if (fd < 0 || fd >= SHIM_MAX_FD ||
	    !atomic_load_explicit(&fd_table[fd], memory_order_relaxed))
		return NULL;
	pthread_mutex_lock(&table_lock);
	s = atomic_load(&fd_table[fd]);
	if (s)
		atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&table_lock);
	if (s && unlikely(!same_socket(fd, s))) {
		table_forget(fd, s);
		sock_put(s);
		return NULL;
	}
	return s;
}

/* ---- frames ---- */

static const char *ctl_path(void)
{
	const char *p = getenv("XFRMGW_CTL");

	return p && *p ? p : XFRMGW_CTL_DEFAULT_PATH;
}

/* Connect fd to the gateway's control socket. */
static int connect_ctl(int fd)
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

static int send_frame(int fd, uint16_t type, const void *body, size_t len)
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

/* ---- requests in flight ---- */

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

typedef void (*nlmsg_fn)(struct nlsock *s, const struct nlmsghdr *h);

/* Call fn on the header of each netlink message in the first len bytes. */
static void each_nlmsg(struct nlsock *s, const struct iovec *iov, size_t cnt, size_t len,
		       nlmsg_fn fn)
{
	struct nlmsghdr h;
	size_t off = 0;

	while (off + sizeof(h) <= len && iov_copy(iov, cnt, off, &h, sizeof(h)) == sizeof(h) &&
	       h.nlmsg_len >= sizeof(h)) {
		fn(s, &h);
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
}

/* The kernel answers these for sure: an ACK asked for, or a get/dump. */
static bool always_answered(const struct nlsock *s, const struct nlmsghdr *h)
{
	if (!(h->nlmsg_flags & NLM_F_REQUEST))
		return false;
	if (h->nlmsg_flags & NLM_F_ACK)
		return true;
	if (s->protocol == NETLINK_CRYPTO)
		return h->nlmsg_type == CRYPTO_MSG_GETALG;
	switch (h->nlmsg_type) {
	case XFRM_MSG_GETSA:
	case XFRM_MSG_GETPOLICY:
	case XFRM_MSG_ALLOCSPI:
	case XFRM_MSG_GETAE:
	case XFRM_MSG_GETSADINFO:
	case XFRM_MSG_GETSPDINFO:
	case XFRM_MSG_GETDEFAULT:
		return true;
	default:
		return false;
	}
}

/* Remember a request about to be sent (the oldest is forgotten when full). */
static void pend_add(struct nlsock *s, const struct nlmsghdr *h)
{
	struct pending_req *p = NULL;

	if (!always_answered(s, h))
		return;
	pthread_mutex_lock(&s->pend_lock);
	for (unsigned int i = 0; i < SHIM_MAX_PENDING && !p; i++)
		if (!s->pend[i].req.nlmsg_len)
			p = &s->pend[i];
	if (p) {
		atomic_fetch_add(&s->npend, 1);
	} else {
		p = &s->pend[s->pend_next];
		s->pend_next = (s->pend_next + 1) % SHIM_MAX_PENDING;
	}
	p->req = *h;
	p->ack = h->nlmsg_flags & NLM_F_ACK;
	pthread_mutex_unlock(&s->pend_lock);
}

static void pend_drop(struct nlsock *s, struct pending_req *p)
{
	p->req.nlmsg_len = 0;
	atomic_fetch_sub(&s->npend, 1);
}

/* The request was not sent after all. */
static void pend_forget(struct nlsock *s, const struct nlmsghdr *h)
{
	pthread_mutex_lock(&s->pend_lock);
	for (unsigned int i = 0; i < SHIM_MAX_PENDING; i++) {
		struct pending_req *p = &s->pend[i];

		if (p->req.nlmsg_len && p->req.nlmsg_seq == h->nlmsg_seq &&
		    p->req.nlmsg_type == h->nlmsg_type)
			pend_drop(s, p);
	}
	pthread_mutex_unlock(&s->pend_lock);
}

/*
 * A unicast message arrived: the last one for a request is its NLMSG_ERROR
 * (error or ACK), the NLMSG_DONE of a dump, or the reply itself when no ACK
 * was asked for.
 */
static void pend_answered(struct nlsock *s, const struct nlmsghdr *h)
{
	pthread_mutex_lock(&s->pend_lock);
	for (unsigned int i = 0; i < SHIM_MAX_PENDING; i++) {
		struct pending_req *p = &s->pend[i];

		if (!p->req.nlmsg_len || p->req.nlmsg_seq != h->nlmsg_seq)
			continue;
		if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE ||
		    (!p->ack && !(h->nlmsg_flags & NLM_F_MULTI)))
			pend_drop(s, p);
	}
	pthread_mutex_unlock(&s->pend_lock);
}

/* Queue on fd an NLMSG_ERROR (-ECONNRESET) for each request in flight. */
static void answer_pending(struct nlsock *s, int fd)
{
	struct {
		struct xfrmgw_shim_hdr hdr;
		struct nlmsghdr nlh;
		struct nlmsgerr err;
	} f = { .hdr = { .type = XFRMGW_SHIM_DATA } };

	pthread_mutex_lock(&s->pend_lock);
	for (unsigned int i = 0; i < SHIM_MAX_PENDING; i++) {
		struct pending_req *p = &s->pend[i];

		if (!p->req.nlmsg_len)
			continue;
		/* RFC 3549 2.3.2.2 error message; only the header quoted (NLM_F_CAPPED). */
		f.nlh = (struct nlmsghdr){
			.nlmsg_len = sizeof(f) - sizeof(f.hdr), .nlmsg_type = NLMSG_ERROR,
			.nlmsg_flags = NLM_F_CAPPED, .nlmsg_seq = p->req.nlmsg_seq,
			.nlmsg_pid = s->nl_pid,
		};
		f.err = (struct nlmsgerr){ .error = -ECONNRESET, .msg = p->req };
		dbg("answering seq %u type %u with ECONNRESET", p->req.nlmsg_seq, p->req.nlmsg_type);
		REAL(send)(fd, &f, sizeof(f), MSG_DONTWAIT | MSG_NOSIGNAL);
		pend_drop(s, p);
	}
	s->pend_next = 0;
	pthread_mutex_unlock(&s->pend_lock);
}

/* ---- the gateway going away ---- */

static bool conn_gone(int err)
{
	return err == EPIPE || err == ECONNRESET || err == ENOTCONN;
}

/*
 * Make every descriptor of s refer to newfd's socket instead, keeping their
 * close-on-exec flags and the O_NONBLOCK status, then close newfd.
 * Caller holds s->lock.
 */
static void swap_socket(struct nlsock *s, int newfd)
{
	ino_t old = atomic_load(&s->ino);
	bool status_done = false;
	struct stat st, cur;

	if (fstat(newfd, &st)) {
		REAL(close)(newfd);
		return;
	}
	atomic_store(&s->ino_next, st.st_ino);
	for (int fd = 0; fd < SHIM_MAX_FD; fd++) {
		int fdfl;

		if (atomic_load_explicit(&fd_table[fd], memory_order_relaxed) != s ||
		    fd == newfd || fstat(fd, &cur) || cur.st_ino != old)
			continue;
		if (!status_done) {
			int fl = REAL(fcntl)(fd, F_GETFL);

			if (fl >= 0 && (fl & O_NONBLOCK))
				REAL(fcntl)(newfd, F_SETFL, O_NONBLOCK);
			status_done = true;
		}
		fdfl = REAL(fcntl)(fd, F_GETFD);
		REAL(dup3)(newfd, fd, fdfl > 0 && (fdfl & FD_CLOEXEC) ? O_CLOEXEC : 0);
	}
	atomic_store(&s->ino, st.st_ino);
	REAL(close)(newfd);
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
static void go_quiet(struct nlsock *s, int err)
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
static int send_ctl(int fd, struct nlsock *s, uint16_t type, const void *body, size_t len)
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

static int send_opt(int fd, struct nlsock *s, uint32_t name, uint32_t value)
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
static int sock_hello(int fd, struct nlsock *s, uint32_t want_pid)
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

static void fill_nladdr(struct sockaddr *addr, socklen_t *len, uint32_t pid, uint32_t groups)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = pid, .nl_groups = groups };

	if (addr && len) {
		memcpy(addr, &nl, *len < sizeof(nl) ? *len : sizeof(nl));
	}
	if (len)
		*len = sizeof(nl);
}

static int check_nladdr(const struct sockaddr *addr, socklen_t len)
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

/* ---- options ---- */

static int set_membership(int fd, struct nlsock *s, int name, int group)
{
	if (group < 1 || group > XFRMGW_SHIM_MAX_GROUP) {
		errno = EINVAL;
		return -1;
	}
	if (name == NETLINK_ADD_MEMBERSHIP)
		s->groups |= 1u << (group - 1);
	else
		s->groups &= ~(1u << (group - 1));
	return s->welcomed ? send_opt(fd, s, name, group) : 0;
}

static int *nl_flag(struct nlsock *s, int name)
{
	switch (name) {
	case NETLINK_EXT_ACK:		return &s->ext_ack;
	case NETLINK_CAP_ACK:		return &s->cap_ack;
	case NETLINK_PKTINFO:		return &s->pktinfo;
	case NETLINK_BROADCAST_ERROR:	return &s->bcast_err;
	case NETLINK_NO_ENOBUFS:	return &s->no_enobufs;
	case NETLINK_LISTEN_ALL_NSID:	return &s->listen_all_nsid;
	case NETLINK_GET_STRICT_CHK:	return &s->strict_chk;
	default:			return NULL;
	}
}

static int set_nl_opt(int fd, struct nlsock *s, int name, const void *val, socklen_t len)
{
	int v, *flag;

	if (!val || len < sizeof(int)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(&v, val, sizeof(v));
	if (name == NETLINK_ADD_MEMBERSHIP || name == NETLINK_DROP_MEMBERSHIP)
		return set_membership(fd, s, name, v);
	flag = nl_flag(s, name);
	if (!flag) {
		errno = ENOPROTOOPT;
		return -1;
	}
	*flag = !!v;
	if (s->welcomed && (name == NETLINK_EXT_ACK || name == NETLINK_CAP_ACK))
		return send_opt(fd, s, name, *flag);
	return 0;
}

static int set_sock_opt(int fd, int name, const void *val, socklen_t len)
{
	switch (name) {
	case SO_RCVBUFFORCE:
	case SO_SNDBUFFORCE:
		/* Without CAP_NET_ADMIN fall back to the capped form. */
		if (REAL(setsockopt)(fd, SOL_SOCKET, name, val, len) == 0)
			return 0;
		REAL(setsockopt)(fd, SOL_SOCKET, name == SO_RCVBUFFORCE ? SO_RCVBUF : SO_SNDBUF,
				 val, len);
		return 0;
	case SO_ATTACH_FILTER:
	case SO_DETACH_FILTER:
	case SO_LOCK_FILTER:
		/* A filter written for netlink datagrams cannot run on our frames. */
		return 0;
	default:
		return REAL(setsockopt)(fd, SOL_SOCKET, name, val, len);
	}
}

SHIM_EXPORT int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct nlsock *s = sock_get(fd);
	int rc;

	if (!s)
		return REAL(setsockopt)(fd, level, name, val, len);
	if (level == SOL_NETLINK) {
		rc = set_nl_opt(fd, s, name, val, len);
	} else if (level == SOL_SOCKET) {
		rc = set_sock_opt(fd, name, val, len);
	} else {
		errno = ENOPROTOOPT;
		rc = -1;
	}
	sock_put(s);
	return rc;
}

static int put_int(void *val, socklen_t *len, int v)
{
	if (!val || !len || *len < sizeof(int)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

static int get_nl_opt(struct nlsock *s, int name, void *val, socklen_t *len)
{
	int *flag;

	if (name == NETLINK_LIST_MEMBERSHIPS) {
		uint32_t g = s->groups;

		if (!len) {
			errno = EINVAL;
			return -1;
		}
		if (val && *len >= sizeof(g))
			memcpy(val, &g, sizeof(g));
		*len = sizeof(g);
		return 0;
	}
	flag = nl_flag(s, name);
	if (!flag) {
		errno = ENOPROTOOPT;
		return -1;
	}
	return put_int(val, len, *flag);
}

SHIM_EXPORT int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	struct nlsock *s = sock_get(fd);
	int rc;

	if (!s)
		return REAL(getsockopt)(fd, level, name, val, len);
	if (level == SOL_NETLINK)
		rc = get_nl_opt(s, name, val, len);
	else if (level == SOL_SOCKET && name == SO_TYPE)
		rc = put_int(val, len, s->type);
	else if (level == SOL_SOCKET && name == SO_PROTOCOL)
		rc = put_int(val, len, s->protocol);
	else if (level == SOL_SOCKET && name == SO_DOMAIN)
		rc = put_int(val, len, AF_NETLINK);
	else
		rc = REAL(getsockopt)(fd, level, name, val, len);
	sock_put(s);
	return rc;
}

/* ---- descriptor bookkeeping ---- */

static void forget_fd(int fd)
{
	if (fd >= 0 && fd < SHIM_MAX_FD && atomic_load_explicit(&fd_table[fd], memory_order_relaxed))
		table_set(fd, NULL);
}

SHIM_EXPORT int close(int fd)
{
	forget_fd(fd);
	return REAL(close)(fd);
}

SHIM_EXPORT void closefrom(int lowfd)
{
	for (int fd = lowfd < 0 ? 0 : lowfd; fd < SHIM_MAX_FD; fd++)
		forget_fd(fd);
	REAL(closefrom)(lowfd);
}

SHIM_EXPORT int close_range(unsigned int first, unsigned int last, int flags)
{
	if (!(flags & CLOSE_RANGE_CLOEXEC))
		for (unsigned int fd = first; fd <= last && fd < SHIM_MAX_FD; fd++)
			forget_fd(fd);
	return REAL(close_range)(first, last, flags);
}

/* newfd now refers to what oldfd does. */
static int track_dup(int oldfd, int newfd)
{
	struct nlsock *s;

	if (newfd < 0)
		return newfd;
	s = sock_get(oldfd);
	if (s && newfd >= SHIM_MAX_FD) {
		REAL(close)(newfd);
		sock_put(s);
		errno = EMFILE;
		return -1;
	}
	table_set(newfd, s);
	sock_put(s);
	return newfd;
}

SHIM_EXPORT int dup(int fd)
{
	return track_dup(fd, REAL(dup)(fd));
}

SHIM_EXPORT int dup2(int oldfd, int newfd)
{
	if (oldfd == newfd)
		return REAL(dup2)(oldfd, newfd);
	return track_dup(oldfd, REAL(dup2)(oldfd, newfd));
}

SHIM_EXPORT int dup3(int oldfd, int newfd, int flags)
{
	return track_dup(oldfd, REAL(dup3)(oldfd, newfd, flags));
}

static int shim_fcntl(int (*real)(int, int, ...), int fd, int cmd, void *arg)
{
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		return track_dup(fd, real(fd, cmd, (int)(intptr_t)arg));
	return real(fd, cmd, arg);
}

SHIM_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return shim_fcntl(REAL(fcntl), fd, cmd, arg);
}

SHIM_EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return shim_fcntl(REAL(fcntl64) ? real_fcntl64 : real_fcntl, fd, cmd, arg);
}
