/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Building netlink messages into a bounded buffer. Every put checks the
 * room left; an overflow is remembered and the message is dropped whole at
 * xnl_msg_end(), so a caller builds without checking each step.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netlink/xnl.h"

static size_t room_from(const struct xnl_buf *b, const void *p)
{
	return b->cap - (size_t)((const uint8_t *)p - b->data);
}

struct nlmsghdr *xnl_msg_start(struct xnl_buf *b, uint16_t type, uint16_t flags,
			       uint32_t seq, uint32_t portid, const void *hdr, size_t hdrlen)
{
	struct nlmsghdr *nlh;
	void *extra;

	b->len = NLMSG_ALIGN(b->len);
	if (unlikely(b->overflow || b->cap - b->len < NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen))) {
		b->overflow = true;
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(b->data + b->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = portid;
	if (hdrlen) {
		extra = mnl_nlmsg_put_extra_header(nlh, hdrlen);
		if (hdr)
			memcpy(extra, hdr, hdrlen);
	}
	return nlh;
}

void *xnl_attr_reserve(struct xnl_buf *b, struct nlmsghdr *nlh, uint16_t type, size_t len)
{
	struct nlattr *a;

	if (unlikely(!nlh || b->overflow || len > UINT16_MAX - MNL_ATTR_HDRLEN ||
		     nlh->nlmsg_len + MNL_ATTR_HDRLEN + MNL_ALIGN(len) > room_from(b, nlh))) {
		b->overflow = true;
		return NULL;
	}
	a = mnl_nlmsg_get_payload_tail(nlh);
	a->nla_type = type;
	a->nla_len = (uint16_t)(MNL_ATTR_HDRLEN + len);
	memset(mnl_attr_get_payload(a), 0, MNL_ALIGN(len));
	nlh->nlmsg_len += MNL_ALIGN(a->nla_len);
	return mnl_attr_get_payload(a);
}

void xnl_attr_put(struct xnl_buf *b, struct nlmsghdr *nlh, uint16_t type,
		  size_t len, const void *data)
{
	void *p = xnl_attr_reserve(b, nlh, type, len);

	if (p && len)
		memcpy(p, data, len);
}

int xnl_msg_end(struct xnl_buf *b, struct nlmsghdr *nlh)
{
	if (unlikely(!nlh || b->overflow)) {
		/* Forget the partial message; the buffer stays as before it. */
		b->overflow = false;
		return -EMSGSIZE;
	}
	b->len = (size_t)((uint8_t *)nlh - b->data) + NLMSG_ALIGN(nlh->nlmsg_len);
	return 0;
}

int xnl_buf_alloc(struct xnl_buf *b, size_t cap)
{
	b->data = malloc(cap);
	b->len = 0;
	b->cap = b->data ? cap : 0;
	b->overflow = false;
	return b->data ? 0 : -ENOMEM;
}

void xnl_buf_free(struct xnl_buf *b)
{
	if (b->data) {
		explicit_bzero(b->data, b->cap);
		free(b->data);
	}
	b->data = NULL;
	b->len = b->cap = 0;
}
