/* SPDX-License-Identifier: BSD-3-Clause */
/* xfrmgw-ctl's netlink client over the control socket. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "netlink/shim_proto.h"
#include "tools/ctl_conn.h"

/* No answer within this long means the gateway is stuck (ms). */
#define CTL_TIMEOUT_MS 10000

static int send_frame(struct ctl_conn *c, uint16_t type, const void *body, size_t len)
{
	struct xfrmgw_shim_hdr hdr = { .type = type };
	struct iovec iov[2] = {
		{ .iov_base = &hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)body, .iov_len = len },
	};
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };

	return sendmsg(c->fd, &m, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* One frame into buf; returns its length or -errno. */
static ssize_t recv_frame(struct ctl_conn *c, void *buf, size_t len)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	ssize_t n;

	n = poll(&p, 1, CTL_TIMEOUT_MS);
	if (n == 0)
		return -ETIMEDOUT;
	if (n < 0)
		return -errno;
	n = recv(c->fd, buf, len, 0);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ECONNRESET;
	if ((size_t)n < sizeof(struct xfrmgw_shim_hdr))
		return -EPROTO;
	return n;
}

int ctl_open(struct ctl_conn *c, const char *path, int protocol)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct xfrmgw_shim_hello h = {
		.version = XFRMGW_SHIM_VERSION,
		.protocol = (uint32_t)protocol,
		.pid = (uint32_t)getpid(),
	};
	struct {
		struct xfrmgw_shim_hdr hdr;
		struct xfrmgw_shim_welcome w;
	} f;
	ssize_t n;
	int rc;

	c->fd = -1;
	c->seq = 1;
	c->path = path;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "xfrmgw-ctl: socket path too long: %s\n", path);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, path);
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sun, sizeof(sun))) {
		rc = -errno;
		fprintf(stderr, "xfrmgw-ctl: cannot reach the gateway at %s: %s\n", path, strerror(-rc));
		goto fail;
	}
	rc = send_frame(c, XFRMGW_SHIM_HELLO, &h, sizeof(h));
	n = rc ? rc : recv_frame(c, &f, sizeof(f));
	if (n < 0) {
		rc = (int)n;
		fprintf(stderr, "xfrmgw-ctl: no answer from %s: %s\n", path, strerror(-rc));
		goto fail;
	}
	if (n != sizeof(f) || f.hdr.type != XFRMGW_SHIM_WELCOME) {
		rc = -EPROTO;
		fprintf(stderr, "xfrmgw-ctl: %s does not speak the xfrmgw control protocol\n", path);
		goto fail;
	}
	if (f.w.error) {
		rc = f.w.error;
		fprintf(stderr, "xfrmgw-ctl: gateway refused protocol %d: %s\n", protocol, strerror(-rc));
		goto fail;
	}
	c->nl_pid = f.w.nl_pid;
	return 0;
fail:
	ctl_close(c);
	return rc;
}

void ctl_close(struct ctl_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* The extended ack text of an error message, if any. */
static const char *ext_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	size_t off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return NULL;
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG && !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			return mnl_attr_get_str(a);
	}
	return NULL;
}

/* Walk one frame of replies. 1: more to come, 0: done, <0 error. */
static int walk(struct ctl_conn *c, const uint8_t *p, size_t len, uint32_t seq, bool dump,
		ctl_msg_fn fn, void *arg, int quiet)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)(const void *)p;
	int left = (int)len, rc;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != c->nl_pid)
			continue;	/* not ours (an old answer) */
		if (nlh->nlmsg_type == NLMSG_DONE)
			return 0;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			const char *msg;

			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
				return -EPROTO;
			if (e->error && !quiet) {
				msg = ext_msg(nlh);
				fprintf(stderr, "xfrmgw-ctl: gateway: %s%s%s\n", strerror(-e->error),
					msg ? ": " : "", msg ? msg : "");
			}
			return e->error;
		}
		rc = fn ? fn(nlh, arg) : 0;
		if (rc)
			return rc;
		if (!dump && !(nlh->nlmsg_flags & NLM_F_MULTI))
			return 0;
	}
	return 1;
}

int ctl_request(struct ctl_conn *c, uint16_t type, uint16_t flags, const void *payload,
		size_t len, ctl_msg_fn fn, void *arg, int quiet)
{
	uint8_t *buf = malloc(XFRMGW_SHIM_FRAME_MAX);
	bool dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	struct nlmsghdr *nlh;
	uint32_t seq = c->seq++;
	ssize_t n;
	int rc;

	if (!buf)
		return -ENOMEM;
	if (len > XFRMGW_SHIM_DATA_MAX - NLMSG_HDRLEN) {
		rc = -EMSGSIZE;
		goto out;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	if (len)
		memcpy(mnl_nlmsg_put_extra_header(nlh, len), payload, len);
	rc = send_frame(c, XFRMGW_SHIM_DATA, nlh, nlh->nlmsg_len);
	while (rc == 0) {
		const struct xfrmgw_shim_hdr *h = (const void *)buf;

		n = recv_frame(c, buf, XFRMGW_SHIM_FRAME_MAX);
		if (n < 0) {
			rc = (int)n;
			fprintf(stderr, "xfrmgw-ctl: %s: %s\n", c->path, strerror(-rc));
			break;
		}
		if (h->type != XFRMGW_SHIM_DATA || h->group)
			continue;	/* events and unknown frames */
		rc = walk(c, buf + sizeof(*h), n - sizeof(*h), seq, dump, fn, arg, quiet);
		if (rc == 1)
			rc = 0;
		else
			break;
	}
out:
	free(buf);
	return rc;
}
