/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-ctl routes: every route the gateway knows (the configuration's
 * and the host kernel's), its next hops, and whether the data path holds
 * it (if not, why); then a summary. xfrmgw-ctl neighbours: the neighbour
 * table. With --json, one JSON object each.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "netlink/xfrm_netlink.h"
#include "tools/ctl_conn.h"
#include "tools/ctl_tables.h"

static const char *const origin_names[] = { "config", "kernel" };
static const char *const type_names[] = { "unicast", "local", "blackhole", "unreachable",
					  "prohibit" };
static const char *const neigh_origins[] = { "learned", "config", "kernel" };

#define NAME(tab, i) ((size_t)(i) < sizeof(tab) / sizeof(tab[0]) ? tab[i] : "?")

/* A string for JSON: our names and reasons have no quote or backslash, but be sure. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	putchar('"');
}

struct route_msg {
	struct xfrmgw_route r;
	unsigned int nb_nh;
	struct xfrmgw_route_nh nh[16];
	const char *reason;
};

static int parse_route(const struct nlmsghdr *nlh, struct route_msg *m)
{
	const struct nlattr *a;

	if (nlh->nlmsg_type != XFRMGW_MSG_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(m->r))
		return -1;
	memset(m, 0, sizeof(*m));
	memcpy(&m->r, mnl_nlmsg_get_payload(nlh), sizeof(m->r));
	mnl_attr_for_each(a, nlh, sizeof(m->r)) {
		if (mnl_attr_get_type(a) == XFRMGW_RTA_NH && m->nb_nh < 16 &&
		    mnl_attr_get_payload_len(a) >= sizeof(m->nh[0])) {
			memcpy(&m->nh[m->nb_nh], mnl_attr_get_payload(a), sizeof(m->nh[0]));
			m->nh[m->nb_nh].dev[XFRMGW_DEV_LEN - 1] = '\0';
			m->nb_nh++;
		} else if (mnl_attr_get_type(a) == XFRMGW_RTA_REASON &&
			   !mnl_attr_validate(a, MNL_TYPE_NUL_STRING)) {
			m->reason = mnl_attr_get_str(a);
		}
	}
	return 0;
}

static void prefix_str(const struct xfrmgw_route *r, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(r->family, r->prefix, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, r->plen);
}

/* "via A dev P, via B dev Q" or "dev P" (onlink) or the type's name. */
static void hops_str(const struct route_msg *m, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (m->r.type != XFRMGW_RT_UNICAST && m->r.type != XFRMGW_RT_LOCAL) {
		snprintf(buf, len, "%s", NAME(type_names, m->r.type));
		return;
	}
	for (unsigned int k = 0; k < m->nb_nh && n < len; k++) {
		char a[INET6_ADDRSTRLEN];

		if (m->nh[k].has_via)
			inet_ntop(m->r.family, m->nh[k].via, a, sizeof(a));
		n += (size_t)snprintf(buf + n, len - n, "%s%s%s%s%s", k ? ", " : "",
				      m->r.type == XFRMGW_RT_LOCAL ? "local " : "",
				      m->nh[k].has_via ? "via " : "", m->nh[k].has_via ? a : "",
				      m->nh[k].has_via ? " dev " : "dev ");
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s", m->nh[k].dev);
	}
}

struct listing {
	bool json;
	unsigned int n;
};

static int route_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct listing *l = arg;
	struct route_msg m;
	char pfx[INET6_ADDRSTRLEN + 8], hops[1024];

	if (parse_route(nlh, &m))
		return 0;
	prefix_str(&m.r, pfx, sizeof(pfx));
	if (!l->json) {
		hops_str(&m, hops, sizeof(hops));
		printf("%-24s %-40s %-6s metric %-6u held %s%s%s\n", pfx, hops,
		       NAME(origin_names, m.r.origin), m.r.metric, m.r.held ? "yes" : "no",
		       m.reason ? ": " : "", m.reason ? m.reason : "");
		l->n++;
		return 0;
	}
	printf("%s\n    {\"prefix\": \"%s\", \"type\": \"%s\", \"origin\": \"%s\", "
	       "\"metric\": %u, \"held\": %s, \"nexthops\": [", l->n ? "," : "", pfx,
	       NAME(type_names, m.r.type), NAME(origin_names, m.r.origin), m.r.metric,
	       m.r.held ? "true" : "false");
	for (unsigned int k = 0; k < m.nb_nh; k++) {
		char a[INET6_ADDRSTRLEN] = "";

		if (m.nh[k].has_via)
			inet_ntop(m.r.family, m.nh[k].via, a, sizeof(a));
		printf("%s{\"dev\": ", k ? ", " : "");
		json_str(m.nh[k].dev);
		if (m.nh[k].has_via)
			printf(", \"via\": \"%s\"", a);
		putchar('}');
	}
	printf("]");
	if (m.reason) {
		printf(", \"reason\": ");
		json_str(m.reason);
	}
	putchar('}');
	l->n++;
	return 0;
}

static int sum_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrmgw_route_sum *s = arg;

	if (nlh->nlmsg_type == XFRMGW_MSG_ROUTESUM && mnl_nlmsg_get_payload_len(nlh) >= sizeof(*s))
		memcpy(s, mnl_nlmsg_get_payload(nlh), sizeof(*s));
	return 0;
}

int ctl_routes(struct ctl_conn *c, bool json, bool summary)
{
	struct listing l = { .json = json };
	struct xfrmgw_route_sum s = { 0 };
	int rc = 0;

	if (json)
		printf("{\"routes\": [");
	if (!summary)
		rc = ctl_request(c, XFRMGW_MSG_GETROUTES, NLM_F_DUMP, NULL, 0, route_cb, &l, 0);
	if (rc)
		return rc;
	rc = ctl_request(c, XFRMGW_MSG_GETROUTES, 0, NULL, 0, sum_cb, &s, 0);
	if (rc)
		return rc;
	if (!json) {
		printf("held: %llu IPv4 prefixes (of %u), %llu IPv6 (of %u); not held: %llu "
		       "(refused %llu times); next hops %u\n",
		       (unsigned long long)s.held4, s.max4, (unsigned long long)s.held6, s.max6,
		       (unsigned long long)s.not_held, (unsigned long long)s.refused, s.nh_used);
		printf("kernel mirror: %u TAP(s), %llu events, %llu dumps, %llu losses\n",
		       s.mirror_ports, (unsigned long long)s.mirror_events,
		       (unsigned long long)s.mirror_resyncs, (unsigned long long)s.mirror_lost);
		return 0;
	}
	printf("\n  ],\n  \"summary\": {\"routes4\": %llu, \"routes6\": %llu, \"held4\": %llu, "
	       "\"held6\": %llu, \"max4\": %u, \"max6\": %u, \"not_held\": %llu, \"refused\": %llu, "
	       "\"changes\": %llu, \"nexthops\": %u, \"mirror_ports\": %u, \"mirror_events\": %llu, "
	       "\"mirror_dumps\": %llu, \"mirror_lost\": %llu}}\n",
	       (unsigned long long)s.routes4, (unsigned long long)s.routes6,
	       (unsigned long long)s.held4, (unsigned long long)s.held6, s.max4, s.max6,
	       (unsigned long long)s.not_held, (unsigned long long)s.refused,
	       (unsigned long long)s.changes, s.nh_used, s.mirror_ports,
	       (unsigned long long)s.mirror_events, (unsigned long long)s.mirror_resyncs,
	       (unsigned long long)s.mirror_lost);
	return 0;
}

static int neigh_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct listing *l = arg;
	struct xfrmgw_neigh n;
	char a[INET6_ADDRSTRLEN], mac[18];

	if (nlh->nlmsg_type != XFRMGW_MSG_NEWNEIGH || mnl_nlmsg_get_payload_len(nlh) < sizeof(n))
		return 0;
	memcpy(&n, mnl_nlmsg_get_payload(nlh), sizeof(n));
	n.dev[XFRMGW_DEV_LEN - 1] = '\0';
	inet_ntop(n.family, n.addr, a, sizeof(a));
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", n.lladdr[0], n.lladdr[1],
		 n.lladdr[2], n.lladdr[3], n.lladdr[4], n.lladdr[5]);
	if (!l->json) {
		printf("%-40s %-17s %-8s %-10s %s\n", a, mac, n.dev, xfrmgw_neigh_state(n.state),
		       NAME(neigh_origins, n.origin));
	} else {
		printf("%s\n    {\"address\": \"%s\", \"lladdr\": \"%s\", \"dev\": ", l->n ? "," : "",
		       a, mac);
		json_str(n.dev);
		printf(", \"state\": \"%s\", \"origin\": \"%s\"}", xfrmgw_neigh_state(n.state),
		       NAME(neigh_origins, n.origin));
	}
	l->n++;
	return 0;
}

int ctl_neighbours(struct ctl_conn *c, bool json)
{
	struct listing l = { .json = json };
	int rc;

	if (json)
		printf("{\"neighbours\": [");
	rc = ctl_request(c, XFRMGW_MSG_GETNEIGHS, NLM_F_DUMP, NULL, 0, neigh_cb, &l, 0);
	if (json && !rc)
		printf("\n  ]}\n");
	return rc;
}
