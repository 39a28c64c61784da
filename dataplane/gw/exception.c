/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The exception path: a net_tap interface per port carries the port's MAC
 * and addresses in the host kernel. What arrives for the gateway's own
 * addresses and is not ESP/AH (IKE on 500, IKE on 4500 behind the non-ESP
 * marker, ping, ARP/ND copies) goes up the TAP, once its in policy allows
 * it (ipsec.c); what the host sends on the TAP leaves through the port,
 * its IP packets through the outbound SPD first as XFRM's output path
 * takes locally generated packets (IKE excepted, see ipsec.c). strongSwan
 * on the host thus uses the gateway's addresses as if they were its own.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <rte_arp.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dataplane/gw/arp.h"
#include "dataplane/gw/classify.h"
#include "dataplane/gw/gw.h"
#include "dataplane/gw/nd.h"
#include "dataplane/gw/route.h"

static int write_sysctl(const char *fmt, const char *ifname, const char *value)
{
	char path[128];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), fmt, ifname);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	rc = fputs(value, f) < 0 ? -EIO : 0;
	if (fclose(f) && !rc)
		rc = -errno;
	return rc;
}

/*
 * The kernel interface under an af_packet port still hands every frame to
 * the host's stack, and Linux delivers a packet for a local address
 * whatever interface it arrives on: the host would take a second copy of
 * what is for our addresses (the TAP holds them), ESP it cannot decrypt
 * (answered with ICMP protocol unreachable, which an ICMP policy then
 * protects: a storm between two gateways) and IKE twice; and a host that
 * forwards would route (or refuse with ICMP net unreachable, which ends a
 * TCP connection being opened) the transit traffic the gateway forwards.
 * Strict reverse-path filtering (every route of the host leads to the
 * TAP), no forwarding from that interface and IPv6 off keep the host to
 * what the TAP gives it. Best effort: a port
 * that is not a kernel interface has nothing to quiet.
 */
void gw_port_quiet_host(const struct gw *g, unsigned int p)
{
	const char *s = strstr(g->cfg.ports[p].devargs, "iface=");
	char ifname[IF_NAMESIZE];
	size_t n;

	if (!s)
		return;
	s += strlen("iface=");
	n = strcspn(s, ",");
	if (!n || n >= sizeof(ifname) || memchr(s, '/', n))
		return;
	memcpy(ifname, s, n);
	ifname[n] = '\0';
	write_sysctl("/proc/sys/net/ipv4/conf/%s/rp_filter", ifname, "1");
	write_sysctl("/proc/sys/net/ipv4/conf/%s/forwarding", ifname, "0");
	write_sysctl("/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname, "1");
}

int gw_tap_open(struct gw *g, unsigned int p, char *msg, size_t msglen)
{
	const struct xgw_port_cfg *pc = &g->cfg.ports[p];
	struct gw_port *port = &g->port[p];
	char name[64], args[224];
	const uint8_t *a = port->mac;
	int rc;

	snprintf(name, sizeof(name), "net_tap_xgw%u", p);
	snprintf(args, sizeof(args), "%s,iface=%s,mac=%02x:%02x:%02x:%02x:%02x:%02x", name,
		 pc->tap, a[0], a[1], a[2], a[3], a[4], a[5]);
	rc = rte_dev_probe(args);
	if (rc || rte_eth_dev_get_port_by_name(name, &port->tap_id)) {
		snprintf(msg, msglen, "%s:%d: port %s: cannot create TAP %s: %s", g->cfg.path,
			 pc->line, pc->name, pc->tap, rte_strerror(rc < 0 ? -rc : ENODEV));
		return rc ? rc : -ENODEV;
	}
	g->by_dpdk[port->tap_id] = (uint16_t)p;
	rc = gw_port_setup(g, port->tap_id, 1, (uint16_t)g->nb_workers, pc->mtu ? pc->mtu : 1500,
			   msg, msglen);
	if (rc)
		return rc;
	port->tap_started = true;
	memcpy(port->tap_name, pc->tap, sizeof(port->tap_name));
	port->tap_ifindex = if_nametoindex(pc->tap);
	/*
	 * The gateway's ICMP errors about the host's own packets (RFC 1191
	 * "fragmentation needed" when ESP/AH leave less room than the TAP's
	 * MTU) come from our address, which is the host's too: Linux drops a
	 * packet with a local source unless the interface accepts them.
	 */
	write_sysctl("/proc/sys/net/ipv4/conf/%s/accept_local", pc->tap, "1");
	return gw_tap_configure(g, p, msg, msglen);
}

/* One rtnetlink request, waiting for its acknowledgement. 0 or -errno. */
static int rtnl_call(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int portid = mnl_socket_get_portid(nl);
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	return mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL) < 0 ? -errno : 0;
}

static int add_address(struct mnl_socket *nl, unsigned int ifindex, const struct xgw_addr_cfg *a,
		       uint32_t seq)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	size_t alen = a->family == AF_INET ? 4 : 16;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a->family;
	ifa->ifa_prefixlen = a->plen;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, a->addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, a->addr);
	/* the gateway answers ND for it: the host must not run DAD against itself */
	if (a->family == AF_INET6)
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	return rtnl_call(nl, nlh);
}

static int add_route(struct mnl_socket *nl, unsigned int ifindex, const struct xgw_route_cfg *r,
		     uint32_t seq)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	size_t alen = r->family == AF_INET ? 4 : 16;

	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)r->family;
	rtm->rtm_dst_len = r->plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = r->has_via ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if (r->plen)
		mnl_attr_put(nlh, RTA_DST, alen, r->prefix);
	if (r->has_via)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, r->via);
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
	return rtnl_call(nl, nlh);
}

/*
 * The host side of port p's TAP: its addresses, and the routes through the
 * port, so that the host's own traffic (IKE) takes the same way.
 */
int gw_tap_configure(struct gw *g, unsigned int p, char *msg, size_t msglen)
{
	const struct xgw_config *cfg = &g->cfg;
	unsigned int ifx = g->port[p].tap_ifindex;
	uint32_t seq = (uint32_t)time(NULL);
	struct mnl_socket *nl;
	int rc = 0;

	if (!g->port[p].tap_started || !ifx)
		return 0;
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		snprintf(msg, msglen, "rtnetlink: %s", strerror(errno));
		goto out;
	}
	for (unsigned int i = 0; i < cfg->nb_addrs && !rc; i++)
		if (cfg->addrs[i].port == (int)p)
			rc = add_address(nl, ifx, &cfg->addrs[i], ++seq);
	for (unsigned int i = 0; i < cfg->nb_routes && !rc; i++)
		if (cfg->routes[i].port == (int)p) {
			rc = add_route(nl, ifx, &cfg->routes[i], ++seq);
			if (rc == -EEXIST)
				rc = 0;
		}
	if (rc)
		snprintf(msg, msglen, "TAP %s: cannot set its addresses/routes: %s",
			 g->port[p].tap_name, strerror(-rc));
out:
	if (nl)
		mnl_socket_close(nl);
	return rc;
}

/* m: a frame (data at Ethernet) for the host on port. */
void gw_to_host(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf *m)
{
	if (g->port[port].tap_id == GW_NO_PORT) {
		gw_drop(w, m, GW_DROP_NO_HOST);
		return;
	}
	gw_tx_host(g, w, port, m);
}

/*
 * The host's answers to ARP requests and solicitations for our addresses:
 * the gateway answered them already (a second answer is noise).
 */
static bool host_reply(const struct gw_routes *r, uint16_t port, struct rte_mbuf *m)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	struct gw_arp_info ai;
	struct gw_nd_info ni;
	uint16_t type;

	if (m->data_len < RTE_ETHER_HDR_LEN)
		return false;
	type = (uint16_t)(f[12] << 8 | f[13]);
	if (type == RTE_ETHER_TYPE_ARP)
		return gw_arp_parse(f, m->data_len, &ai) && ai.op == RTE_ARP_OP_REPLY &&
		       gw_is_local4(r, port, ai.spa);
	if (type == RTE_ETHER_TYPE_IPV6)
		return gw_nd_parse(f, m->data_len, &ni) && ni.type == GW_ND_NA &&
		       (ni.flags & GW_NA_SOLICITED) && gw_is_local6(r, port, ni.target);
	return false;
}

/*
 * An IP packet the host sends to another node: the SPD decides (protected,
 * blocked, waiting for an SA). true when taken; else the frame goes out as
 * the host made it.
 */
static bool host_ipsec(struct gw *g, struct gw_worker *w, struct rte_mbuf *m)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	struct gw_cls c;
	uint16_t type;

	if (m->data_len < RTE_ETHER_HDR_LEN)
		return false;
	type = (uint16_t)(f[12] << 8 | f[13]);
	if (type != RTE_ETHER_TYPE_IPV4 && type != RTE_ETHER_TYPE_IPV6)
		return false;
	rte_pktmbuf_adj(m, RTE_ETHER_HDR_LEN);
	m->l2_len = 0;
	/* unicast to another node only: broadcast, multicast, link-local stay on the link */
	if (gw_classify_ip(w->routes, m, &c) == GW_CL_FORWARD && gw_ipsec_host_output(g, w, m))
		return true;
	rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN);
	return false;
}

void gw_from_host(struct gw *g, struct gw_worker *w, uint16_t port, struct rte_mbuf **m,
		  uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		w->stats.from_host++;
		w->stats.port[port].from_host++;
		if (host_reply(w->routes, port, m[i])) {
			gw_drop(w, m[i], GW_DROP_HOST_REPLY);
			continue;
		}
		if (host_ipsec(g, w, m[i]))
			continue;
		gw_tx_push(g, w, port, m[i]);
	}
}
