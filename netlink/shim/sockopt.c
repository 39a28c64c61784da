/* SPDX-License-Identifier: BSD-3-Clause */
/* Socket options: SOL_NETLINK ones kept (and sent to the gateway when it
 * cares), SOL_SOCKET ones mostly passed to the AF_UNIX socket underneath. */
#include "shim.h"

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

