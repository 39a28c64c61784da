/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Acks and extended acks (NLMSG_ERROR), built as the kernel's netlink_ack()
 * lays them out: struct nlmsgerr, then the request's payload unless the
 * answer is an ack (error 0) or the client asked for NETLINK_CAP_ACK, then
 * the NLMSGERR_ATTR_* TLVs if the client enabled NETLINK_EXT_ACK.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "netlink/xnl.h"

void xnl_ext_set(struct xnl_extack *ext, const struct nlattr *attr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ext->buf, sizeof(ext->buf), fmt, ap);
	va_end(ap);
	ext->msg = ext->buf;
	ext->bad_attr = attr;
}

void xnl_ext_missing(struct xnl_extack *ext, uint16_t type, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ext->buf, sizeof(ext->buf), fmt, ap);
	va_end(ap);
	ext->msg = ext->buf;
	ext->miss_type = type;
}

/* Is the bad attribute inside the request? Only then is its offset sent. */
static bool bad_attr_in(const struct nlmsghdr *req, const struct xnl_extack *ext)
{
	const uint8_t *a = (const uint8_t *)ext->bad_attr, *m = (const uint8_t *)req;

	return a && a >= m + NLMSG_HDRLEN && a < m + req->nlmsg_len;
}

static size_t tlv_size(const struct nlmsghdr *req, int err, const struct xnl_extack *ext,
		       unsigned int flags)
{
	size_t n = 0;

	if (!(flags & XNL_ACK_EXT) || !ext)
		return 0;
	if (ext->msg)
		n += MNL_ATTR_HDRLEN + MNL_ALIGN(strlen(ext->msg) + 1);
	if (!err)
		return n;
	if (bad_attr_in(req, ext))
		n += MNL_ATTR_HDRLEN + sizeof(uint32_t);
	if (ext->miss_type)
		n += MNL_ATTR_HDRLEN + sizeof(uint32_t);
	return n;
}

static bool include_request(int err, unsigned int flags)
{
	return err && !(flags & XNL_ACK_CAP);
}

size_t xnl_ack_size(const struct nlmsghdr *req, int err, const struct xnl_extack *ext,
		    unsigned int flags)
{
	size_t n = NLMSG_HDRLEN + sizeof(struct nlmsgerr);

	if (include_request(err, flags))
		n += NLMSG_ALIGN(req->nlmsg_len - NLMSG_HDRLEN);
	return n + tlv_size(req, err, ext, flags);
}

size_t xnl_put_ack(void *buf, const struct nlmsghdr *req, uint32_t portid, int err,
		   const struct xnl_extack *ext, unsigned int flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;
	size_t copy = sizeof(*req);

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = portid;
	if (include_request(err, flags))
		copy = req->nlmsg_len;
	else
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	if (tlv_size(req, err, ext, flags))
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;

	/* nlmsgerr ends with the request header; the payload follows it. */
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e) - sizeof(*req) + NLMSG_ALIGN(copy));
	e->error = err;
	memcpy(&e->msg, req, copy);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return nlh->nlmsg_len;

	if (ext->msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, ext->msg);
	if (err && bad_attr_in(req, ext))
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS,
				 (uint32_t)((const uint8_t *)ext->bad_attr - (const uint8_t *)req));
	if (err && ext->miss_type)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, ext->miss_type);
	return nlh->nlmsg_len;
}
