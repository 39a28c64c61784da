/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal interface between the server (framing, clients, queues) and the
 * protocol families it serves: requests, replies, dumps, extended acks and
 * the message builder.
 */
#ifndef XFRMGW_NETLINK_XNL_H
#define XFRMGW_NETLINK_XNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "netlink/server.h"

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

struct xnl_client;

/* ---- extended ack (extack.c) ---- */

struct xnl_extack {
	const char *msg;		/* NLMSGERR_ATTR_MSG, NULL if none */
	const struct nlattr *bad_attr;	/* NLMSGERR_ATTR_OFFS, points into the request */
	uint16_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, 0 if none */
	char buf[160];
};

/* Record why a request failed; attr may be NULL. */
void xnl_ext_set(struct xnl_extack *ext, const struct nlattr *attr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record a missing attribute. */
void xnl_ext_missing(struct xnl_extack *ext, uint16_t type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Size and construction of the NLMSG_ERROR answer to req. */
#define XNL_ACK_EXT	0x1u	/* client enabled NETLINK_EXT_ACK */
#define XNL_ACK_CAP	0x2u	/* client enabled NETLINK_CAP_ACK */
size_t xnl_ack_size(const struct nlmsghdr *req, int err, const struct xnl_extack *ext,
		    unsigned int flags);
size_t xnl_put_ack(void *buf, const struct nlmsghdr *req, uint32_t portid, int err,
		   const struct xnl_extack *ext, unsigned int flags);

/* ---- message builder ---- */

/* A buffer of netlink messages; overflow is sticky until xnl_buf_trim(). */
struct xnl_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	bool overflow;
};

/* Heap buffer of cap bytes; free wipes it (messages may carry keys). */
int xnl_buf_alloc(struct xnl_buf *b, size_t cap);
void xnl_buf_free(struct xnl_buf *b);

struct nlmsghdr *xnl_msg_start(struct xnl_buf *b, uint16_t type, uint16_t flags,
			       uint32_t seq, uint32_t portid, const void *hdr, size_t hdrlen);
/* Append an attribute to the message nlh (which must be the last in b). */
void xnl_attr_put(struct xnl_buf *b, struct nlmsghdr *nlh, uint16_t type,
		  size_t len, const void *data);
static inline void xnl_attr_put_u32(struct xnl_buf *b, struct nlmsghdr *nlh, uint16_t type,
				    uint32_t v)
{
	xnl_attr_put(b, nlh, type, sizeof(v), &v);
}
static inline void xnl_attr_put_u8(struct xnl_buf *b, struct nlmsghdr *nlh, uint16_t type,
				   uint8_t v)
{
	xnl_attr_put(b, nlh, type, sizeof(v), &v);
}
/* Reserve room for an attribute and return its payload (NULL on overflow). */
void *xnl_attr_reserve(struct xnl_buf *b, struct nlmsghdr *nlh, uint16_t type, size_t len);
/* Close nlh: 0 if it fits, -EMSGSIZE (and nlh removed) if it overflowed. */
int xnl_msg_end(struct xnl_buf *b, struct nlmsghdr *nlh);

/* ---- requests ---- */

struct xnl_req {
	struct xnl_server *srv;
	struct xnl_client *client;
	const struct nlmsghdr *nlh;
	uint32_t portid;		/* the requester's nl_pid */
	void *priv;			/* the family's context */
	struct xnl_extack ext;
};

/* Queue a unicast reply (one or more messages) to the requester. */
int xnl_reply(struct xnl_req *req, const void *buf, size_t len);

/*
 * A dump, resumable like the kernel's: fn is called again and again with
 * an empty page until it returns 0 (done) or -errno; it returns 1 when the
 * page is full. Entries it could not fit are retried on the next call, so it
 * advances its cursor only after xnl_dump_commit() succeeds.
 */
struct xnl_dump {
	int (*fn)(struct xnl_dump *d);
	void (*done)(struct xnl_dump *d);	/* optional cleanup */
	void *priv;				/* the family's context */
	uint32_t seq;
	uint32_t portid;
	uint64_t cursor[4];
	void *filter;				/* owned by the family, freed in done */
	struct xnl_buf page;
};

/* Commit the message just built in the page: false if the page is full. */
bool xnl_dump_commit(struct xnl_dump *d, struct nlmsghdr *nlh);

/*
 * Start a dump for req: the server drives fn as the client reads.
 * Returns 0, or -EBUSY if a dump is already running on this socket.
 */
int xnl_dump_start(struct xnl_req *req, const struct xnl_dump *tmpl);

/* ---- families ---- */

#define XNL_DUMP_STARTED	1

struct xnl_family {
	int protocol;			/* NETLINK_XFRM, ... */
	const char *name;
	/*
	 * Handle one request: 0 or -errno (then acked with the extack), or
	 * XNL_DUMP_STARTED after a successful xnl_dump_start().
	 */
	int (*rcv)(struct xnl_req *req);
	/* Optional: called once the server has drained its sockets. */
	void (*idle)(void *priv);
};

#endif
