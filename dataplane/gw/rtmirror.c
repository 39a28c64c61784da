/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel mirror (rtmirror.h): rtnetlink messages -> RIB routes and
 * addresses, static neighbours. The same parsers serve the dump and the
 * events: a dump message is an add, an event says add or delete.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "dataplane/gw/neigh.h"
#include "dataplane/gw/rib.h"
#include "dataplane/gw/rtmirror.h"

#define GROUPS	(RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_NEIGH | \
		 RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR)
#define RCVBUF		(64 << 20)	/* a burst of route changes waits here */
#define POLL_MS		100		/* how soon stop is noticed */
#define MAX_STATIC	4096		/* kernel static neighbours followed */

struct kneigh {
	bool used;
	uint8_t family;
	uint16_t port;
	uint32_t gen;
	uint8_t addr[16];
};

struct gw_rtmirror {
	struct gw_rtmirror_params p;
	struct mnl_socket *ev;		/* the multicast groups */
	struct mnl_socket *req;		/* dumps */
	pthread_t thread;
	bool started;
	bool stop;
	uint32_t seq;
	uint32_t gen;			/* of the running dump */
	struct kneigh kn[MAX_STATIC];
	pthread_mutex_t stats_lock;
	struct gw_rtmirror_stats st;
	char buf[1 << 18];		/* one read of messages */
};

static void count(struct gw_rtmirror *m, uint64_t *what)
{
	pthread_mutex_lock(&m->stats_lock);
	(*what)++;
	pthread_mutex_unlock(&m->stats_lock);
}

static int port_of(const struct gw_rtmirror *m, unsigned int ifindex)
{
	for (unsigned int p = 0; p < m->p.nb_ports; p++)
		if (ifindex && m->p.ifindex[p] == ifindex)
			return (int)p;
	return -1;
}

/* Link-local and multicast IPv6 destinations are never forwarded (RFC 4291 2.5.6). */
static bool link_scoped6(const uint8_t *a, unsigned int plen)
{
	return (plen >= 10 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
	       (plen >= 8 && a[0] == 0xff);
}

/* ---- routes ---- */

struct rt_attrs {
	const struct nlattr *tb[RTA_MAX + 1];
};

static int rt_attr_cb(const struct nlattr *a, void *data)
{
	struct rt_attrs *t = data;
	uint16_t type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, RTA_MAX) > 0)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static bool attr_addr(const struct nlattr *a, uint8_t family, uint8_t *out)
{
	size_t len = family == AF_INET ? 4 : 16;

	if (!a || mnl_attr_get_payload_len(a) != len)
		return false;
	memcpy(out, mnl_attr_get_payload(a), len);
	return true;
}

/* One path (ifindex, gateway) of a route: kept when it leaves through a mirrored TAP. */
static void add_path(const struct gw_rtmirror *m, struct gw_rt *rt, unsigned int ifindex,
		     const struct nlattr *gw, bool *foreign)
{
	int port = port_of(m, ifindex);
	struct gw_rt_path *pa;

	if (port < 0 || rt->nb_path == GW_MP_MAX) {
		*foreign = true;
		return;
	}
	pa = &rt->path[rt->nb_path++];
	memset(pa, 0, sizeof(*pa));
	pa->port = (uint16_t)port;
	pa->has_via = attr_addr(gw, rt->family, pa->via);
}

static void multipath(const struct gw_rtmirror *m, struct gw_rt *rt, const struct nlattr *mp,
		      bool *foreign)
{
	const struct rtnexthop *nh = mnl_attr_get_payload(mp);
	int len = (int)mnl_attr_get_payload_len(mp);

	for (; RTNH_OK(nh, len); len -= (int)RTNH_ALIGN(nh->rtnh_len), nh = RTNH_NEXT(nh)) {
		struct rt_attrs t = { { 0 } };
		const struct nlattr *a = (const struct nlattr *)RTNH_DATA(nh);
		int alen = nh->rtnh_len - (int)sizeof(*nh);

		for (; mnl_attr_ok(a, alen); a = mnl_attr_next(a))
			if (mnl_attr_type_valid(a, RTA_MAX) > 0)
				t.tb[mnl_attr_get_type(a)] = a;
		add_path(m, rt, (unsigned int)nh->rtnh_ifindex, t.tb[RTA_GATEWAY], foreign);
	}
}

static int route_msg(struct gw_rtmirror *m, const struct nlmsghdr *nlh, bool add)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct rt_attrs t = { { 0 } };
	uint32_t table = rtm->rtm_table;
	bool foreign = false;
	struct gw_rt rt;

	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return 0;
	mnl_attr_parse(nlh, sizeof(*rtm), rt_attr_cb, &t);
	if (t.tb[RTA_TABLE] && mnl_attr_get_payload_len(t.tb[RTA_TABLE]) == 4)
		table = mnl_attr_get_u32(t.tb[RTA_TABLE]);
	memset(&rt, 0, sizeof(rt));
	rt.family = rtm->rtm_family;
	rt.plen = rtm->rtm_dst_len;
	rt.origin = GW_RT_KERNEL;
	switch (rtm->rtm_type) {
	case RTN_UNICAST:
		rt.kind = GW_RT_UNICAST;
		break;
	case RTN_BLACKHOLE:
		rt.kind = GW_RT_BLACKHOLE;
		break;
	case RTN_UNREACHABLE:
		rt.kind = GW_RT_UNREACHABLE;
		break;
	case RTN_PROHIBIT:
		rt.kind = GW_RT_PROHIBIT;
		break;
	default:	/* local, broadcast, multicast...: the kernel's own business */
		return 0;
	}
	if (table != RT_TABLE_MAIN || rtm->rtm_tos || (rtm->rtm_flags & RTM_F_CLONED)) {
		count(m, &m->st.ignored);
		return 0;
	}
	if (t.tb[RTA_DST] && !attr_addr(t.tb[RTA_DST], rt.family, rt.prefix))
		return 0;
	if (rt.family == AF_INET6 && link_scoped6(rt.prefix, rt.plen))
		return 0;
	if (t.tb[RTA_PRIORITY] && mnl_attr_get_payload_len(t.tb[RTA_PRIORITY]) == 4)
		rt.metric = mnl_attr_get_u32(t.tb[RTA_PRIORITY]);
	if (rt.kind == GW_RT_UNICAST) {
		if (t.tb[RTA_MULTIPATH])
			multipath(m, &rt, t.tb[RTA_MULTIPATH], &foreign);
		else if (t.tb[RTA_OIF] && mnl_attr_get_payload_len(t.tb[RTA_OIF]) == 4)
			add_path(m, &rt, mnl_attr_get_u32(t.tb[RTA_OIF]), t.tb[RTA_GATEWAY],
				 &foreign);
		if (!rt.nb_path) {	/* another interface's route: not ours */
			count(m, &m->st.ignored);
			return 0;
		}
		if (foreign)
			count(m, &m->st.ignored);
	}
	count(m, &m->st.events);
	if (add)
		return gw_rib_route_add(m->p.rib, &rt);
	/* Linux announces the removal of one IPv6 ECMP member on its own */
	return gw_rib_route_del(m->p.rib, &rt, rt.family == AF_INET6);
}

/* ---- addresses ---- */

static int addr_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(a, IFA_MAX) > 0)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static int addr_msg(struct gw_rtmirror *m, const struct nlmsghdr *nlh, bool add)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	int port = port_of(m, ifa->ifa_index);
	uint8_t a[16] = { 0 };

	if (port < 0 || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return 0;
	mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, tb);
	if (!attr_addr(tb[IFA_LOCAL], ifa->ifa_family, a) &&
	    !attr_addr(tb[IFA_ADDRESS], ifa->ifa_family, a))
		return 0;
	if (ifa->ifa_family == AF_INET6 && link_scoped6(a, 128))
		return 0;	/* the port's link-local address is derived from its MAC */
	count(m, &m->st.events);
	return gw_rib_addr(m->p.rib, GW_RT_KERNEL, ifa->ifa_family, (uint16_t)port, a,
			   ifa->ifa_prefixlen, add);
}

/* ---- neighbours ---- */

static struct kneigh *kn_find(struct gw_rtmirror *m, uint16_t port, uint8_t family,
			      const uint8_t *addr, bool make)
{
	struct kneigh *freeslot = NULL;

	for (unsigned int i = 0; i < MAX_STATIC; i++) {
		struct kneigh *k = &m->kn[i];

		if (!k->used) {
			freeslot = freeslot ? freeslot : k;
			continue;
		}
		if (k->port == port && k->family == family && !memcmp(k->addr, addr, 16))
			return k;
	}
	if (!make || !freeslot)
		return NULL;
	memset(freeslot, 0, sizeof(*freeslot));
	freeslot->used = true;
	freeslot->port = port;
	freeslot->family = family;
	memcpy(freeslot->addr, addr, 16);
	return freeslot;
}

static int neigh_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(a, NDA_MAX) > 0)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static void kn_clear(struct gw_rtmirror *m, struct kneigh *k)
{
	gw_neigh_clear_static(m->p.neigh, k->port, k->family, k->addr, GW_NEIGH_KERNEL);
	k->used = false;
}

/* Only `nud permanent` entries: the rest the gateway learns on the wire itself. */
static int neigh_msg(struct gw_rtmirror *m, const struct nlmsghdr *nlh, bool add)
{
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NDA_MAX + 1] = { 0 };
	int port = port_of(m, (unsigned int)nd->ndm_ifindex);
	uint8_t a[16] = { 0 };
	struct kneigh *k;

	if (port < 0 || (nd->ndm_family != AF_INET && nd->ndm_family != AF_INET6) || !m->p.neigh)
		return 0;
	mnl_attr_parse(nlh, sizeof(*nd), neigh_attr_cb, tb);
	if (!attr_addr(tb[NDA_DST], nd->ndm_family, a))
		return 0;
	k = kn_find(m, (uint16_t)port, nd->ndm_family, a, false);
	if (add && (nd->ndm_state & NUD_PERMANENT) && tb[NDA_LLADDR] &&
	    mnl_attr_get_payload_len(tb[NDA_LLADDR]) == 6) {
		k = k ? k : kn_find(m, (uint16_t)port, nd->ndm_family, a, true);
		if (!k || gw_neigh_set_static(m->p.neigh, (uint16_t)port, nd->ndm_family, a,
					      mnl_attr_get_payload(tb[NDA_LLADDR]),
					      GW_NEIGH_KERNEL) < 0) {
			if (k)
				k->used = false;
			count(m, &m->st.neigh_refused);
			return -ENOSPC;
		}
		k->gen = m->gen;
		count(m, &m->st.events);
		return 0;
	}
	if (k) {	/* deleted, or no longer permanent */
		kn_clear(m, k);
		count(m, &m->st.events);
	}
	return 0;
}

/* ---- messages ---- */

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct gw_rtmirror *m = data;

	switch (nlh->nlmsg_type) {
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct rtmsg))
			route_msg(m, nlh, nlh->nlmsg_type == RTM_NEWROUTE);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct ifaddrmsg))
			addr_msg(m, nlh, nlh->nlmsg_type == RTM_NEWADDR);
		break;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct ndmsg))
			neigh_msg(m, nlh, nlh->nlmsg_type == RTM_NEWNEIGH);
		break;
	}
	return MNL_CB_OK;
}

/* One dump (type: RTM_GETADDR, RTM_GETROUTE, RTM_GETNEIGH), every message applied. */
static int dump(struct gw_rtmirror *m, uint16_t type)
{
	char *buf = m->buf;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	unsigned int portid = mnl_socket_get_portid(m->req);
	struct rtgenmsg *g;
	ssize_t n;
	int rc;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++m->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	if (mnl_socket_sendto(m->req, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(m->req, buf, sizeof(m->buf));
		if (n < 0)
			return -errno;
		rc = mnl_cb_run(buf, (size_t)n, m->seq, portid, msg_cb, m);
	} while (rc > MNL_CB_STOP);
	return rc < 0 ? -errno : 0;
}

/* Everything again: what the kernel no longer has goes. */
static int resync(struct gw_rtmirror *m)
{
	int rc;

	m->gen++;
	gw_rib_begin(m->p.rib, GW_RT_KERNEL);
	rc = dump(m, RTM_GETADDR);
	if (!rc)
		rc = dump(m, RTM_GETROUTE);
	if (!rc)
		rc = dump(m, RTM_GETNEIGH);
	if (rc)
		return rc;	/* keep what we have rather than sweep on a partial view */
	gw_rib_sweep(m->p.rib, GW_RT_KERNEL);
	for (unsigned int i = 0; i < MAX_STATIC; i++)
		if (m->kn[i].used && m->kn[i].gen != m->gen)
			kn_clear(m, &m->kn[i]);
	gw_rib_commit(m->p.rib);
	count(m, &m->st.resyncs);
	return 0;
}

/* Read what the groups have (without waiting), apply it; -ENOBUFS when some was lost. */
static int drain(struct gw_rtmirror *m)
{
	int fd = mnl_socket_get_fd(m->ev);

	for (unsigned int round = 0; round < 4096; round++) {
		ssize_t n = recv(fd, m->buf, sizeof(m->buf), MSG_DONTWAIT);

		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
		mnl_cb_run(m->buf, (size_t)n, 0, 0, msg_cb, m);
	}
	return 0;
}

static void *mirror_thread(void *arg)
{
	struct gw_rtmirror *m = arg;
	struct pollfd pfd = { .fd = mnl_socket_get_fd(m->ev), .events = POLLIN };

	while (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE)) {
		int rc;

		if (poll(&pfd, 1, POLL_MS) <= 0)
			continue;
		rc = drain(m);
		if (rc == -ENOBUFS) {
			count(m, &m->st.lost);
			fprintf(stderr, "xfrmgw: kernel mirror lost events (socket buffer full); "
				"dumping again\n");
			drain(m);
			rc = resync(m);
			if (rc)
				fprintf(stderr, "xfrmgw: kernel mirror dump failed: %s\n",
					strerror(-rc));
		}
		gw_rib_commit(m->p.rib);
	}
	return NULL;
}

static void rtmirror_free(struct gw_rtmirror *m)
{
	if (m->ev)
		mnl_socket_close(m->ev);
	if (m->req)
		mnl_socket_close(m->req);
	pthread_mutex_destroy(&m->stats_lock);
	free(m);
}

int gw_rtmirror_start(const struct gw_rtmirror_params *p, struct gw_rtmirror **out, char *msg,
		      size_t msglen)
{
	struct gw_rtmirror *m = calloc(1, sizeof(*m));
	int size = RCVBUF, rc;

	*out = NULL;
	if (!m) {
		snprintf(msg, msglen, "no memory for the kernel mirror");
		return -ENOMEM;
	}
	m->p = *p;
	m->seq = (uint32_t)time(NULL);
	pthread_mutex_init(&m->stats_lock, NULL);
	for (unsigned int i = 0; i < p->nb_ports; i++)
		m->st.ports += p->ifindex[i] != 0;
	m->ev = mnl_socket_open(NETLINK_ROUTE);
	m->req = mnl_socket_open(NETLINK_ROUTE);
	if (!m->ev || !m->req || mnl_socket_bind(m->ev, GROUPS, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(m->req, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		snprintf(msg, msglen, "kernel mirror: rtnetlink: %s", strerror(errno));
		goto fail;
	}
	/* root may go past rmem_max; others get what rmem_max allows */
	if (setsockopt(mnl_socket_get_fd(m->ev), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)) < 0)
		setsockopt(mnl_socket_get_fd(m->ev), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/* subscribed first, then dumped: nothing falls between the two */
	rc = resync(m);
	if (rc) {
		snprintf(msg, msglen, "kernel mirror: first dump: %s", strerror(-rc));
		goto fail;
	}
	rc = pthread_create(&m->thread, NULL, mirror_thread, m);
	if (rc) {
		snprintf(msg, msglen, "kernel mirror: cannot start its thread: %s", strerror(rc));
		rc = -rc;
		goto fail;
	}
	pthread_setname_np(m->thread, "xgw-rtmirror");
	m->started = true;
	*out = m;
	return 0;
fail:
	rtmirror_free(m);
	return rc;
}

void gw_rtmirror_stop(struct gw_rtmirror *m)
{
	if (!m)
		return;
	__atomic_store_n(&m->stop, true, __ATOMIC_RELEASE);
	if (m->started)
		pthread_join(m->thread, NULL);
	rtmirror_free(m);
}

void gw_rtmirror_stats(struct gw_rtmirror *m, struct gw_rtmirror_stats *out)
{
	pthread_mutex_lock(&m->stats_lock);
	*out = m->st;
	pthread_mutex_unlock(&m->stats_lock);
}
