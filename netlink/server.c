/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SOCK_SEQPACKET server: clients, shim_proto.h framing, per-client
 * output queues, dumps driven by the reader's pace, and multicast fan-out
 * by per-client group masks. Requests are processed as netlink_rcv_skb()
 * does: every message of a datagram in order, an ack when asked for or on
 * error, control messages and non-requests skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "netlink/shim_proto.h"
#include "netlink/xnl.h"

#define XNL_MAX_FAMILIES	2
/* Multicast is dropped (and OVERRUN sent) above this much unread output. */
#define XNL_MCAST_QUEUE_LIMIT	(1u << 20)
/* A dump produces its next page only when less than this is queued. */
#define XNL_DUMP_QUEUE_LIMIT	(4 * XFRMGW_SHIM_DUMP_BUDGET)
/* Frames read per client per wake-up, so one client cannot starve others. */
#define XNL_RX_BATCH		64
/*
 * Dump pages made per client per wake-up: a reader as fast as we are would
 * otherwise keep the loop on one dump (1M SAs are ~75k pages) while other
 * clients wait. The rest comes at the next wake-up (EPOLLOUT stays armed).
 */
#define XNL_DUMP_PAGES_BATCH	32
#define XNL_AUTO_PID_START	0xfffff000u

struct xnl_frame {
	struct xnl_frame *next;
	size_t len;		/* header included; SEQPACKET sends whole frames */
	uint8_t data[];
};

struct xnl_client {
	struct xnl_client *next;
	struct xnl_server *srv;
	int fd;
	bool hello;
	bool dead;
	bool want_out;		/* EPOLLOUT armed */
	bool overrun;		/* OVERRUN frame owed */
	unsigned int ackflags;	/* XNL_ACK_EXT, XNL_ACK_CAP */
	int protocol;
	uint32_t nl_pid;
	uint32_t groups;	/* bit g - 1 for group g */
	const struct xnl_family *fam;
	void *fam_priv;
	struct xnl_frame *q_head, *q_tail;
	size_t q_bytes;
	struct xnl_dump *dump;
};

struct xnl_server {
	int epfd;
	int listen_fd;
	char *path;
	struct xnl_client *clients;
	unsigned int nclients;
	uint32_t next_pid;
	struct {
		const struct xnl_family *fam;
		void *priv;
	} families[XNL_MAX_FAMILIES];
	uint8_t rx[XFRMGW_SHIM_FRAME_MAX + 1];
};

/* epoll user data for the listening socket; clients use their pointer. */
static char listen_tag;

/* ---- output ---- */

static struct xnl_frame *frame_new(uint16_t type, uint32_t group, const void *payload, size_t len)
{
	struct xnl_frame *f = malloc(sizeof(*f) + sizeof(struct xfrmgw_shim_hdr) + len);
	struct xfrmgw_shim_hdr hdr = { .type = type, .group = group };

	if (unlikely(!f))
		return NULL;
	f->next = NULL;
	f->len = sizeof(hdr) + len;
	memcpy(f->data, &hdr, sizeof(hdr));
	if (len)
		memcpy(f->data + sizeof(hdr), payload, len);
	return f;
}

/* Frames may carry keys (GETSA answers, SA notifications): wipe them. */
static void frame_free(struct xnl_frame *f)
{
	explicit_bzero(f->data, f->len);
	free(f);
}

static void client_arm(struct xnl_client *c, bool out)
{
	struct epoll_event ev = {
		.events = EPOLLIN | (out ? EPOLLOUT : 0),
		.data.ptr = c,
	};

	if (c->want_out == out)
		return;
	c->want_out = out;
	epoll_ctl(c->srv->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Send queued frames until the socket is full; arm EPOLLOUT if it is. */
static void client_flush(struct xnl_client *c)
{
	while (c->q_head && !c->dead) {
		struct xnl_frame *f = c->q_head;
		ssize_t n = send(c->fd, f->data, f->len, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
				break;
			if (errno == EINTR)
				continue;
			c->dead = true;
			break;
		}
		c->q_head = f->next;
		if (!c->q_head)
			c->q_tail = NULL;
		c->q_bytes -= f->len;
		frame_free(f);
	}
	client_arm(c, c->q_head != NULL);
}

static void client_enqueue(struct xnl_client *c, struct xnl_frame *f)
{
	if (c->q_tail)
		c->q_tail->next = f;
	else
		c->q_head = f;
	c->q_tail = f;
	c->q_bytes += f->len;
}

static int client_send(struct xnl_client *c, uint16_t type, uint32_t group,
		       const void *payload, size_t len)
{
	struct xnl_frame *f;

	if (unlikely(c->dead))
		return -EPIPE;
	f = frame_new(type, group, payload, len);
	if (unlikely(!f))
		return -ENOMEM;
	client_enqueue(c, f);
	client_flush(c);
	return 0;
}

int xnl_reply(struct xnl_req *req, const void *buf, size_t len)
{
	return client_send(req->client, XFRMGW_SHIM_DATA, 0, buf, len);
}

/* ---- dumps ---- */

bool xnl_dump_commit(struct xnl_dump *d, struct nlmsghdr *nlh)
{
	size_t before = (size_t)((uint8_t *)nlh - d->page.data);

	if (xnl_msg_end(&d->page, nlh))
		return false;
	/* Kernel pages hold whole messages; one may exceed the budget alone. */
	if (before && d->page.len > XFRMGW_SHIM_DUMP_BUDGET) {
		d->page.len = before;
		return false;
	}
	return true;
}

static void dump_free(struct xnl_dump *d)
{
	if (d->done)
		d->done(d);
	xnl_buf_free(&d->page);
	free(d);
}

/* Produce pages while the client keeps up, a batch at a time; finish with NLMSG_DONE. */
static void client_run_dump(struct xnl_client *c)
{
	for (unsigned int pages = 0; c->dump && !c->dead && c->q_bytes < XNL_DUMP_QUEUE_LIMIT;
	     pages++) {
		struct xnl_dump *d = c->dump;
		struct nlmsghdr *done;
		int rc, err;

		d->page.len = 0;
		d->page.overflow = false;
		rc = d->fn(d);
		if (rc == 1 && d->page.len == 0)
			rc = -EMSGSIZE;		/* an entry larger than a frame */
		if (rc > 0) {
			client_send(c, XFRMGW_SHIM_DATA, 0, d->page.data, d->page.len);
			if (pages + 1 >= XNL_DUMP_PAGES_BATCH) {
				client_arm(c, true);	/* writable: back at the next wake-up */
				return;
			}
			continue;
		}
		err = rc;
		done = xnl_msg_start(&d->page, NLMSG_DONE, NLM_F_MULTI, d->seq, d->portid,
				     &err, sizeof(err));
		if (xnl_msg_end(&d->page, done)) {
			client_send(c, XFRMGW_SHIM_DATA, 0, d->page.data, d->page.len);
			d->page.len = 0;
			done = xnl_msg_start(&d->page, NLMSG_DONE, NLM_F_MULTI, d->seq,
					     d->portid, &err, sizeof(err));
			xnl_msg_end(&d->page, done);
		}
		client_send(c, XFRMGW_SHIM_DATA, 0, d->page.data, d->page.len);
		c->dump = NULL;
		dump_free(d);
	}
}

int xnl_dump_start(struct xnl_req *req, const struct xnl_dump *tmpl)
{
	struct xnl_client *c = req->client;
	struct xnl_dump *d;

	if (c->dump)
		return -EBUSY;
	d = malloc(sizeof(*d));
	if (unlikely(!d))
		return -ENOMEM;
	*d = *tmpl;
	d->seq = req->nlh->nlmsg_seq;
	d->portid = req->portid;
	if (unlikely(xnl_buf_alloc(&d->page, XFRMGW_SHIM_DATA_MAX))) {
		dump_free(d);
		return -ENOMEM;
	}
	c->dump = d;
	return 0;
}

/* ---- requests ---- */

static void send_ack(struct xnl_req *req, int err)
{
	size_t n = xnl_ack_size(req->nlh, err, &req->ext, req->client->ackflags);
	uint8_t *buf = calloc(1, n);

	if (unlikely(!buf))
		return;
	n = xnl_put_ack(buf, req->nlh, req->portid, err, &req->ext, req->client->ackflags);
	client_send(req->client, XFRMGW_SHIM_DATA, 0, buf, n);
	explicit_bzero(buf, n);	/* an error ack echoes the request, keys included */
	free(buf);
}

static void handle_one(struct xnl_client *c, const struct nlmsghdr *nlh)
{
	struct xnl_req req = {
		.srv = c->srv,
		.client = c,
		.nlh = nlh,
		.portid = c->nl_pid,
		.priv = c->fam_priv,
	};
	int err = 0;

	/* Only requests are handled; control messages are skipped. */
	if ((nlh->nlmsg_flags & NLM_F_REQUEST) && nlh->nlmsg_type >= NLMSG_MIN_TYPE)
		err = c->fam->rcv(&req);
	/* A dump that started answers with its pages, not with an ack. */
	if (err == XNL_DUMP_STARTED)
		return;
	if (err || (nlh->nlmsg_flags & NLM_F_ACK))
		send_ack(&req, err);
}

/* One netlink datagram: every complete message, in order. */
static void handle_data(struct xnl_client *c, const uint8_t *p, size_t len)
{
	while (len >= NLMSG_HDRLEN && !c->dead) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
		size_t step;

		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len)
			return;
		handle_one(c, nlh);
		client_run_dump(c);
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
}

/* ---- hello and options ---- */

static bool pid_taken(const struct xnl_server *srv, int protocol, uint32_t pid)
{
	for (const struct xnl_client *c = srv->clients; c; c = c->next)
		if (c->hello && c->protocol == protocol && c->nl_pid == pid)
			return true;
	return false;
}

static uint32_t pick_pid(struct xnl_server *srv, int protocol, uint32_t pid)
{
	if (pid && !pid_taken(srv, protocol, pid))
		return pid;
	do {
		pid = srv->next_pid--;
		if (srv->next_pid < 0x80000000u)
			srv->next_pid = XNL_AUTO_PID_START;
	} while (pid_taken(srv, protocol, pid));
	return pid;
}

static int family_of(struct xnl_server *srv, int protocol)
{
	for (int i = 0; i < XNL_MAX_FAMILIES; i++)
		if (srv->families[i].fam && srv->families[i].fam->protocol == protocol)
			return i;
	return -1;
}

static void handle_hello(struct xnl_client *c, const uint8_t *p, size_t len)
{
	struct xfrmgw_shim_welcome w = { 0 };
	struct xfrmgw_shim_hello h;
	int fi;

	if (len < sizeof(h)) {
		w.error = -EINVAL;
		goto answer;
	}
	memcpy(&h, p, sizeof(h));
	if (h.version != XFRMGW_SHIM_VERSION) {
		w.error = -EPROTO;
		goto answer;
	}
	fi = family_of(c->srv, (int)h.protocol);
	if (fi < 0) {
		w.error = -EPROTONOSUPPORT;
		goto answer;
	}
	if (h.nl_pid && pid_taken(c->srv, (int)h.protocol, h.nl_pid)) {
		w.error = -EADDRINUSE;
		goto answer;
	}
	c->protocol = (int)h.protocol;
	c->fam = c->srv->families[fi].fam;
	c->fam_priv = c->srv->families[fi].priv;
	c->nl_pid = pick_pid(c->srv, c->protocol, h.nl_pid ? h.nl_pid : h.pid);
	c->groups = h.groups;
	c->hello = true;
	w.nl_pid = c->nl_pid;
answer:
	client_send(c, XFRMGW_SHIM_WELCOME, 0, &w, sizeof(w));
	if (w.error)
		c->dead = true;
}

static void handle_setopt(struct xnl_client *c, const uint8_t *p, size_t len)
{
	struct xfrmgw_shim_opt o;

	if (len < sizeof(o))
		return;
	memcpy(&o, p, sizeof(o));
	switch (o.name) {
	case NETLINK_ADD_MEMBERSHIP:
	case NETLINK_DROP_MEMBERSHIP:
		if (o.value < 1 || o.value > XFRMGW_SHIM_MAX_GROUP)
			return;
		if (o.name == NETLINK_ADD_MEMBERSHIP)
			c->groups |= 1u << (o.value - 1);
		else
			c->groups &= ~(1u << (o.value - 1));
		return;
	case NETLINK_EXT_ACK:
		c->ackflags = o.value ? c->ackflags | XNL_ACK_EXT : c->ackflags & ~XNL_ACK_EXT;
		return;
	case NETLINK_CAP_ACK:
		c->ackflags = o.value ? c->ackflags | XNL_ACK_CAP : c->ackflags & ~XNL_ACK_CAP;
		return;
	default:
		return;
	}
}

static void handle_frame(struct xnl_client *c, const uint8_t *p, size_t len)
{
	struct xfrmgw_shim_hdr hdr;

	if (len < sizeof(hdr)) {
		c->dead = true;
		return;
	}
	memcpy(&hdr, p, sizeof(hdr));
	p += sizeof(hdr);
	len -= sizeof(hdr);
	if (!c->hello && hdr.type != XFRMGW_SHIM_HELLO) {
		c->dead = true;
		return;
	}
	switch (hdr.type) {
	case XFRMGW_SHIM_HELLO:
		if (c->hello)
			c->dead = true;
		else
			handle_hello(c, p, len);
		break;
	case XFRMGW_SHIM_BIND:
		if (len >= sizeof(struct xfrmgw_shim_bind))
			memcpy(&c->groups, p, sizeof(c->groups));
		break;
	case XFRMGW_SHIM_SETOPT:
		handle_setopt(c, p, len);
		break;
	case XFRMGW_SHIM_DATA:
		handle_data(c, p, len);
		break;
	default:
		break;
	}
}

/* ---- clients ---- */

static void client_free(struct xnl_client *c)
{
	struct xnl_frame *f, *n;

	epoll_ctl(c->srv->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	for (f = c->q_head; f; f = n) {
		n = f->next;
		frame_free(f);
	}
	if (c->dump)
		dump_free(c->dump);
	free(c);
}

static void reap_dead(struct xnl_server *srv)
{
	struct xnl_client **pp = &srv->clients;

	while (*pp) {
		struct xnl_client *c = *pp;

		if (!c->dead) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		srv->nclients--;
		client_free(c);
	}
}

int xnl_server_attach(struct xnl_server *srv, int fd)
{
	struct xnl_client *c = calloc(1, sizeof(*c));
	struct epoll_event ev = { .events = EPOLLIN };
	int fl = fcntl(fd, F_GETFL);

	if (unlikely(!c)) {
		close(fd);
		return -ENOMEM;
	}
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	c->srv = srv;
	c->fd = fd;
	ev.data.ptr = c;
	if (epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = -errno;

		close(fd);
		free(c);
		return err;
	}
	c->next = srv->clients;
	srv->clients = c;
	srv->nclients++;
	return 0;
}

/*
 * DATA frames wait until every ready client's control frames (BIND,
 * SETOPT) are applied: a membership change queued before a request on
 * another socket must be in force when that request's events go out, as
 * bind() and setsockopt() are synchronous with the kernel.
 */
struct xnl_pending {
	struct xnl_pending *next;
	struct xnl_client *c;
	size_t len;
	uint8_t data[];
};

static void client_read(struct xnl_client *c, struct xnl_pending ***tail)
{
	struct xnl_server *srv = c->srv;

	for (int i = 0; i < XNL_RX_BATCH && !c->dead; i++) {
		ssize_t n = recv(c->fd, srv->rx, sizeof(srv->rx), MSG_DONTWAIT | MSG_TRUNC);
		struct xfrmgw_shim_hdr hdr;
		struct xnl_pending *p;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				c->dead = true;
			return;
		}
		if (n == 0) {
			c->dead = true;
			return;
		}
		if ((size_t)n > XFRMGW_SHIM_FRAME_MAX)
			continue;	/* oversized frame: the shim enforces the limit */
		memcpy(&hdr, srv->rx, (size_t)n < sizeof(hdr) ? (size_t)n : sizeof(hdr));
		if ((size_t)n < sizeof(hdr) || hdr.type != XFRMGW_SHIM_DATA || !c->hello ||
		    !(p = malloc(sizeof(*p) + (size_t)n))) {
			handle_frame(c, srv->rx, (size_t)n);
		} else {
			p->next = NULL;
			p->c = c;
			p->len = (size_t)n;
			memcpy(p->data, srv->rx, (size_t)n);
			**tail = p;
			*tail = &p->next;
		}
		explicit_bzero(srv->rx, (size_t)n);	/* NEWSA carries keys */
	}
}

static void run_pending(struct xnl_pending *p)
{
	while (p) {
		struct xnl_pending *next = p->next;

		if (!p->c->dead)
			handle_frame(p->c, p->data, p->len);
		explicit_bzero(p->data, p->len);
		free(p);
		p = next;
	}
}

static void accept_clients(struct xnl_server *srv)
{
	for (;;) {
		int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		xnl_server_attach(srv, fd);
	}
}

int xnl_server_process(struct xnl_server *srv)
{
	struct epoll_event ev[32];
	struct xnl_pending *pending = NULL, **tail = &pending;
	int n = epoll_wait(srv->epfd, ev, 32, 0);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct xnl_client *c = ev[i].data.ptr;

		if (ev[i].data.ptr == &listen_tag) {
			accept_clients(srv);
			continue;
		}
		if (c->dead)
			continue;
		if (ev[i].events & EPOLLOUT) {
			client_flush(c);
			client_run_dump(c);
		}
		if (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			client_read(c, &tail);
	}
	run_pending(pending);
	reap_dead(srv);
	for (int i = 0; i < XNL_MAX_FAMILIES; i++)
		if (n && srv->families[i].fam && srv->families[i].fam->idle)
			srv->families[i].fam->idle(srv->families[i].priv);
	return 0;
}

/* ---- multicast ---- */

int xnl_multicast(struct xnl_server *srv, int protocol, unsigned int group,
		  const void *buf, size_t len)
{
	int reached = 0;

	if (group < 1 || group > XFRMGW_SHIM_MAX_GROUP)
		return 0;
	for (struct xnl_client *c = srv->clients; c; c = c->next) {
		if (!c->hello || c->dead || c->protocol != protocol ||
		    !(c->groups & (1u << (group - 1))))
			continue;
		if (c->q_bytes > XNL_MCAST_QUEUE_LIMIT) {
			/* The kernel drops the event and reports ENOBUFS. */
			if (!c->overrun) {
				c->overrun = true;
				client_send(c, XFRMGW_SHIM_OVERRUN, 0, NULL, 0);
			}
			continue;
		}
		c->overrun = false;
		if (client_send(c, XFRMGW_SHIM_DATA, group, buf, len) == 0)
			reached++;
	}
	return reached;
}

/* ---- server ---- */

static int make_dir(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int listen_on(struct xnl_server *srv, const char *path, mode_t mode)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &listen_tag };
	int fd, err;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	err = make_dir(path);
	if (err)
		return err;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || chmod(path, mode) < 0 ||
	    listen(fd, 64) < 0 || epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	srv->listen_fd = fd;
	srv->path = strdup(path);
	return 0;
}

int xnl_server_open(struct xnl_server **out, const char *path, mode_t mode)
{
	struct xnl_server *srv = calloc(1, sizeof(*srv));
	int err;

	if (unlikely(!srv))
		return -ENOMEM;
	srv->listen_fd = -1;
	srv->next_pid = XNL_AUTO_PID_START;
	srv->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (srv->epfd < 0) {
		err = -errno;
		goto err_free;
	}
	if (path) {
		err = listen_on(srv, path, mode);
		if (err)
			goto err_epoll;
	}
	*out = srv;
	return 0;

err_epoll:
	close(srv->epfd);
err_free:
	free(srv);
	return err;
}

void xnl_server_close(struct xnl_server *srv)
{
	if (!srv)
		return;
	for (struct xnl_client *c = srv->clients; c; c = c->next)
		c->dead = true;
	reap_dead(srv);
	if (srv->listen_fd >= 0) {
		close(srv->listen_fd);
		unlink(srv->path);
	}
	free(srv->path);
	close(srv->epfd);
	free(srv);
}

int xnl_server_register(struct xnl_server *srv, const struct xnl_family *fam, void *priv)
{
	for (int i = 0; i < XNL_MAX_FAMILIES; i++) {
		if (srv->families[i].fam)
			continue;
		srv->families[i].fam = fam;
		srv->families[i].priv = priv;
		return 0;
	}
	return -ENOSPC;
}

int xnl_server_fd(const struct xnl_server *srv)
{
	return srv->epfd;
}

unsigned int xnl_server_nclients(const struct xnl_server *srv)
{
	return srv->nclients;
}

unsigned int xnl_listeners(const struct xnl_server *srv, int protocol, unsigned int group)
{
	unsigned int n = 0;

	if (group < 1 || group > XFRMGW_SHIM_MAX_GROUP)
		return 0;
	for (const struct xnl_client *c = srv->clients; c; c = c->next)
		if (c->hello && !c->dead && c->protocol == protocol &&
		    (c->groups & (1u << (group - 1))))
			n++;
	return n;
}
