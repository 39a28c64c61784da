/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * shim_proto.h - framing between a netlink shim client and the xfrmgw server.
 *
 * One AF_UNIX SOCK_SEQPACKET connection carries one application netlink
 * socket. Every SEQPACKET frame starts with struct xfrmgw_shim_hdr; the
 * frame boundary is the message boundary (no length field needed).
 *
 *   client                                   server
 *   HELLO {proto, pid, nl_pid, groups}  ->
 *                                       <-   WELCOME {error, nl_pid}
 *   BIND {groups}                       ->   (no answer)
 *   SETOPT {name, value}                ->   (no answer)
 *   DATA  nlmsghdr...                   ->
 *                                       <-   DATA nlmsghdr... (group 0: unicast)
 *                                       <-   DATA nlmsghdr... (group N: multicast)
 *
 * Rules:
 * - HELLO is the first frame and is sent once (when the application binds,
 *   sends, or asks getsockname(), whichever comes first). Anything before
 *   it closes the connection. WELCOME.error is 0 or a negative errno
 *   (-EPROTONOSUPPORT for a protocol the server does not speak,
 *   -EADDRINUSE when the requested nl_pid is taken); on error the server
 *   closes the connection after WELCOME.
 * - WELCOME.nl_pid is the port id the application must see from
 *   getsockname() and in nlmsg_pid of every unicast reply. The server
 *   grants HELLO.nl_pid if it is non-zero and free, else HELLO.pid if free
 *   (as the kernel autobinds the first socket of a process), else a unique
 *   value counting down from 0xfffff000.
 * - BIND replaces the membership of groups 1..32 (bit g-1 = group g), as
 *   bind(2) with sockaddr_nl.nl_groups does. SETOPT mirrors
 *   setsockopt(SOL_NETLINK): NETLINK_ADD_MEMBERSHIP / NETLINK_DROP_MEMBERSHIP
 *   (value = group number), NETLINK_EXT_ACK and NETLINK_CAP_ACK (value 0/1).
 *   Neither is answered: the shim validates the arguments itself (group
 *   1..XFRMGW_SHIM_MAX_GROUP) and frames are processed in order, so a later
 *   DATA frame sees the change. The server ignores unknown options.
 * - DATA carries the bytes of one netlink datagram: one or more netlink
 *   messages, each NLMSG_ALIGNed, exactly as sendmsg()/recvmsg() would see
 *   them. Client frames are addressed to the kernel (nl_pid 0). Server
 *   frames come from nl_pid 0; hdr.group is the multicast group number the
 *   frame was sent to (0 for a unicast reply), which the shim reports in
 *   sockaddr_nl.nl_groups (as 1 << (group - 1)) on recvmsg().
 * - A dump reply is paginated: each DATA frame holds at most
 *   XFRMGW_SHIM_DUMP_BUDGET bytes of messages flagged NLM_F_MULTI, the last
 *   frame holds NLMSG_DONE. A single message may exceed the budget.
 * - OVERRUN (server -> client, no payload) says multicast frames for this
 *   socket were dropped because the client did not read fast enough; the
 *   shim makes the next recvmsg() fail with ENOBUFS, as the kernel does.
 *   A shim that does not know a frame type ignores it.
 * - Fields are in host byte order (both ends run on the same machine).
 */
#ifndef XFRMGW_NETLINK_SHIM_PROTO_H
#define XFRMGW_NETLINK_SHIM_PROTO_H

#include <stdint.h>

#define XFRMGW_CTL_DEFAULT_DIR		"/run/xfrmgw"
#define XFRMGW_CTL_DEFAULT_PATH		"/run/xfrmgw/xfrm.sock"

#define XFRMGW_SHIM_VERSION		1
/* Largest DATA payload either side sends or accepts. */
#define XFRMGW_SHIM_DATA_MAX		65536
/* Largest frame: header + payload; size receive buffers with this. */
#define XFRMGW_SHIM_FRAME_MAX		(8 + XFRMGW_SHIM_DATA_MAX)
/* Bytes of dump output per DATA frame (fits a 4 KiB netlink read). */
#define XFRMGW_SHIM_DUMP_BUDGET		4096
/* Highest multicast group number a client may join. */
#define XFRMGW_SHIM_MAX_GROUP		32

enum xfrmgw_shim_type {
	XFRMGW_SHIM_HELLO	= 1,	/* client -> server, struct xfrmgw_shim_hello */
	XFRMGW_SHIM_WELCOME	= 2,	/* server -> client, struct xfrmgw_shim_welcome */
	XFRMGW_SHIM_BIND	= 3,	/* client -> server, struct xfrmgw_shim_bind */
	XFRMGW_SHIM_SETOPT	= 4,	/* client -> server, struct xfrmgw_shim_opt */
	XFRMGW_SHIM_DATA	= 5,	/* both ways, netlink messages follow */
	XFRMGW_SHIM_OVERRUN	= 6,	/* server -> client, events were dropped */
};

struct xfrmgw_shim_hdr {
	uint16_t type;		/* enum xfrmgw_shim_type */
	uint16_t reserved;	/* 0 */
	uint32_t group;		/* DATA from server: multicast group, 0 = unicast */
};

struct xfrmgw_shim_hello {
	uint32_t version;	/* XFRMGW_SHIM_VERSION */
	uint32_t protocol;	/* NETLINK_XFRM or NETLINK_CRYPTO */
	uint32_t pid;		/* the client's process id (getpid()) */
	uint32_t nl_pid;	/* port id from bind(), 0 = let the server pick */
	uint32_t groups;	/* nl_groups from bind(), 0 if none yet */
};

struct xfrmgw_shim_welcome {
	int32_t error;		/* 0 or -errno */
	uint32_t nl_pid;	/* the port id assigned to this socket */
};

struct xfrmgw_shim_bind {
	uint32_t groups;	/* new membership of groups 1..32 */
};

struct xfrmgw_shim_opt {
	uint32_t name;		/* NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK, ... */
	uint32_t value;
};

_Static_assert(sizeof(struct xfrmgw_shim_hdr) == 8, "shim header is 8 bytes");

#endif /* XFRMGW_NETLINK_SHIM_PROTO_H */
