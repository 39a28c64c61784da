/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals shared by the files of libxfrmgw_shim.so (what the shim does:
 * socket.c). Every file includes this first: it must undefine
 * _FILE_OFFSET_BITS before any system header.
 */
#ifndef XFRMGW_NETLINK_SHIM_H
#define XFRMGW_NETLINK_SHIM_H

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

/* ---- the libc functions we wrap (libc.c) ---- */

#ifdef SHIM_DEFINE_REAL
#define REAL_DECL(ret, name, ...) ret (*real_##name)(__VA_ARGS__)
#else
#define REAL_DECL(ret, name, ...) extern ret (*real_##name)(__VA_ARGS__)
#endif
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

extern atomic_bool shim_resolved;
void shim_resolve_all(void);

/* Resolve on first use: another library's constructor may call us early. */
static inline void shim_resolve(void)
{
	if (unlikely(!atomic_load_explicit(&shim_resolved, memory_order_acquire)))
		shim_resolve_all();
}

#define REAL(name) (shim_resolve(), real_##name)

/* A line on stderr when XFRMGW_SHIM_DEBUG is set. */
void dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- descriptors (fdtable.c) ---- */

/* A socket's lock is taken again when a swap happens inside HELLO. */
void init_recursive(pthread_mutex_t *m);
/* The socket behind fd with a reference, or NULL when fd is not ours. */
struct nlsock *sock_get(int fd);
void sock_put(struct nlsock *s);
/* Install s (reference taken) at fd, dropping what was there. */
void table_set(int fd, struct nlsock *s);
/* Every descriptor of s refers to newfd's socket instead; newfd is closed. */
void swap_socket(struct nlsock *s, int newfd);

/* ---- framing (framing.c) ---- */

/* One frame of the shim protocol (netlink/shim_proto.h) to the gateway. */
int send_frame(int fd, uint16_t type, const void *body, size_t len);

typedef void (*nlmsg_fn)(struct nlsock *s, const struct nlmsghdr *h);
/* fn on each netlink message of a datagram, up to the first malformed one. */
void each_nlmsg(struct nlsock *s, const struct iovec *iov, size_t cnt, size_t len,
		nlmsg_fn fn);

/* ---- requests owed an answer (pending.c) ---- */

void pend_add(struct nlsock *s, const struct nlmsghdr *h);
void pend_forget(struct nlsock *s, const struct nlmsghdr *h);
void pend_answered(struct nlsock *s, const struct nlmsghdr *h);
/* Queue on fd an NLMSG_ERROR (-ECONNRESET) for each request in flight. */
void answer_pending(struct nlsock *s, int fd);

/* ---- the connection to the gateway (conn.c) ---- */

const char *ctl_path(void);
int connect_ctl(int fd);
/* An errno that means the gateway hung up. */
bool conn_gone(int err);
/* The gateway went (err ECONNRESET) or refused us (err 0): a quiet socket. */
void go_quiet(struct nlsock *s, int err);
int send_ctl(int fd, struct nlsock *s, uint16_t type, const void *body, size_t len);
int send_opt(int fd, struct nlsock *s, uint32_t name, uint32_t value);
/* HELLO/WELCOME once, on the first call that needs the port id. */
int sock_hello(int fd, struct nlsock *s, uint32_t want_pid);

/* ---- addresses (socket.c) ---- */

void fill_nladdr(struct sockaddr *addr, socklen_t *len, uint32_t pid, uint32_t groups);
int check_nladdr(const struct sockaddr *addr, socklen_t len);

#endif
