/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The netlink endpoint: a SOCK_SEQPACKET server speaking shim_proto.h that
 * plays the kernel for NETLINK_XFRM (and, once a family registers for it,
 * NETLINK_CRYPTO) clients.
 *
 * Single-threaded: every call happens on the control thread. The server owns
 * one epoll descriptor over its listening socket and its clients; the caller
 * waits on xnl_server_fd() and calls xnl_server_process() when it is ready.
 */
#ifndef XFRMGW_NETLINK_SERVER_H
#define XFRMGW_NETLINK_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/netlink.h>

struct xnl_server;
struct xnl_family;

/*
 * Create a server. path may be NULL (clients are then only attached with
 * xnl_server_attach(), as the unit tests do). With a path, the directory is
 * created (0700) if missing, a stale socket is replaced and the socket gets
 * the given mode. Returns 0 or -errno.
 */
int xnl_server_open(struct xnl_server **out, const char *path, mode_t mode);
void xnl_server_close(struct xnl_server *srv);

/* Register the handler of one netlink protocol (NETLINK_XFRM, ...). */
int xnl_server_register(struct xnl_server *srv, const struct xnl_family *fam, void *priv);

/* Adopt a connected SOCK_SEQPACKET socket as a client (ownership moves). */
int xnl_server_attach(struct xnl_server *srv, int fd);

/* Descriptor that becomes readable when the server has work. */
int xnl_server_fd(const struct xnl_server *srv);

/* Handle whatever is ready without blocking. Returns 0 or -errno. */
int xnl_server_process(struct xnl_server *srv);

/*
 * Send one or more netlink messages (buf, len) to every client of protocol
 * that joined group. Messages come from nl_pid 0 as kernel events do.
 * Returns the number of clients reached.
 */
int xnl_multicast(struct xnl_server *srv, int protocol, unsigned int group,
		  const void *buf, size_t len);

/*
 * Clients of protocol that joined group, as the kernel's
 * netlink_has_listeners(): lets an event source skip work nobody reads.
 */
unsigned int xnl_listeners(const struct xnl_server *srv, int protocol, unsigned int group);

/* Number of connected clients (for tests and stats). */
unsigned int xnl_server_nclients(const struct xnl_server *srv);

#endif
