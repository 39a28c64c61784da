/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control loop: one epoll over the netlink server, a signalfd and a
 * 100 ms timerfd (each tick: the packet path's ACQUIRE and MAPPING asks,
 * NEWAE thresholds; each second: lifetimes). Everything that changes the
 * SAD/SPD runs here.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <rte_lcore.h>
#include <rte_memory.h>

#include "dataplane/config.h"
#include "dataplane/control.h"
#include "dataplane/gw/gateway.h"
#include "dataplane/gw/neigh.h"
#include "dataplane/gw/rib.h"
#include "dataplane/gw/rtmirror.h"
#include "netlink/crypto_user.h"
#include "netlink/server.h"
#include "netlink/xfrm_netlink.h"
#include "sa/rcu.h"
#include "sa/sad.h"
#include "sa/spd.h"

enum { EV_SERVER = 1, EV_SIGNAL, EV_TIMER };

int xgw_control_block_signals(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	return pthread_sigmask(SIG_BLOCK, &set, NULL) ? -EINVAL : 0;
}

static int watch(int epfd, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static int open_fds(struct xgw_control *c)
{
	struct itimerspec tick = {
		.it_interval = { 0, XGW_TICK_NS },
		.it_value = { 0, XGW_TICK_NS },
	};
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	c->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	c->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (c->epfd < 0 || c->sigfd < 0 || c->timerfd < 0)
		return -errno;
	if (timerfd_settime(c->timerfd, 0, &tick, NULL) < 0)
		return -errno;
	return watch(c->epfd, c->sigfd, EV_SIGNAL) ?: watch(c->epfd, c->timerfd, EV_TIMER);
}

static int open_databases(struct xgw_control *c, uint32_t sad_max, char *msg, size_t msglen)
{
	struct sad_config sc = { .name = "xfrmgw_sad", .max_sa = sad_max,
				 .socket_id = SOCKET_ID_ANY };
	struct spd_config pc = { .name = "xfrmgw_spd", .socket_id = SOCKET_ID_ANY };

	c->rcu = sa_rcu_create(RTE_MAX_LCORE);
	if (!c->rcu) {
		snprintf(msg, msglen, "cannot create the RCU domain");
		return -ENOMEM;
	}
	sc.rcu = pc.rcu = c->rcu;
	c->sad = sad_create(&sc);
	if (!c->sad) {
		snprintf(msg, msglen, "cannot create the SAD");
		return -ENOMEM;
	}
	c->spd = spd_create(&pc);
	if (!c->spd) {
		snprintf(msg, msglen, "cannot create the SPD");
		return -ENOMEM;
	}
	return 0;
}

/* XFRMGW_MSG_GETDROPS: the packet path's drop counters, for xfrmgw-ctl stats. */
static int gateway_drops(void *arg, struct xfrm_nl_drop *out, unsigned int max)
{
	const struct xgw_control *c = arg;
	struct xgw_drop d[128];
	unsigned int n;

	if (!c->gateway)
		return -EOPNOTSUPP;	/* a control plane without packet path */
	n = xgw_gateway_drops(d, max < 128 ? max : 128);
	for (unsigned int i = 0; i < n; i++)
		out[i] = (struct xfrm_nl_drop){ d[i].name, d[i].count, d[i].ipsec };
	return (int)n;
}

/* XFRMGW_MSG_GETROUTES / GETNEIGHS: the packet path's routes and neighbours. */
static int gateway_route(void *arg, uint64_t *cursor, struct xfrm_nl_route *out)
{
	const struct xgw_control *c = arg;
	struct gw_rib_entry e;
	int rc;

	if (!c->gateway)
		return -EOPNOTSUPP;
	rc = xgw_gateway_route(cursor, &e);
	if (rc <= 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->r = (struct xfrmgw_route){
		.family = e.rt.family, .plen = e.rt.plen, .origin = e.rt.origin,
		.type = e.rt.kind, .held = e.held, .metric = e.rt.metric,
	};
	memcpy(out->r.prefix, e.rt.prefix, 16);
	out->nb_nh = e.rt.nb_path;
	for (unsigned int k = 0; k < e.rt.nb_path && k < 16; k++) {
		struct xfrmgw_route_nh *nh = &out->nh[k];

		snprintf(nh->dev, sizeof(nh->dev), "%s",
			 xgw_gateway_port_name(e.rt.path[k].port, e.rt.path[k].xfrmi));
		nh->has_via = e.rt.path[k].has_via;
		memcpy(nh->via, e.rt.path[k].via, 16);
	}
	out->reason = e.held ? NULL : gw_rib_reason(e.err);
	return 1;
}

static int gateway_route_sum(void *arg, struct xfrmgw_route_sum *out)
{
	const struct xgw_control *c = arg;
	struct gw_rtmirror_stats m;
	struct gw_rib_stats r;

	if (!c->gateway || xgw_gateway_route_stats(&r, &m))
		return -EOPNOTSUPP;
	*out = (struct xfrmgw_route_sum){
		.routes4 = r.routes[0], .routes6 = r.routes[1],
		.held4 = r.held[0], .held6 = r.held[1],
		.not_held = r.not_held, .refused = r.refused, .changes = r.changes,
		.mirror_events = m.events, .mirror_resyncs = m.resyncs, .mirror_lost = m.lost,
		.max4 = r.max[0], .max6 = r.max[1], .nh_used = r.nh_used, .mirror_ports = m.ports,
	};
	return 0;
}

static int gateway_neigh(void *arg, uint64_t *cursor, struct xfrmgw_neigh *out)
{
	const struct xgw_control *c = arg;
	struct gw_neigh n;
	int rc;

	if (!c->gateway)
		return -EOPNOTSUPP;
	rc = xgw_gateway_neigh(cursor, &n);
	if (rc <= 0)
		return rc;
	memset(out, 0, sizeof(*out));
	snprintf(out->dev, sizeof(out->dev), "%s", xgw_gateway_port_name(n.port, false));
	out->family = n.family;
	out->state = n.state;
	out->origin = n.origin;
	memcpy(out->addr, n.addr, 16);
	gw_neigh_mac(&n, out->lladdr);
	return 1;
}

static const struct xfrm_nl_tables gateway_tables = {
	.route = gateway_route,
	.summary = gateway_route_sum,
	.neigh = gateway_neigh,
};

int xgw_control_open(struct xgw_control *c, const char *ctl_path, uint32_t sad_max, char *msg,
		     size_t msglen)
{
	int err;

	memset(c, 0, sizeof(*c));
	c->epfd = c->sigfd = c->timerfd = -1;
	err = open_fds(c);
	if (err) {
		snprintf(msg, msglen, "epoll/signalfd/timerfd: %s", strerror(-err));
		goto err_close;
	}
	err = open_databases(c, sad_max, msg, msglen);
	if (err)
		goto err_close;
	err = xnl_server_open(&c->srv, ctl_path, 0600);
	if (err) {
		snprintf(msg, msglen, "control socket %s: %s", ctl_path, strerror(-err));
		goto err_close;
	}
	c->xnl = xfrm_nl_create(c->srv, c->sad, c->spd);
	if (!c->xnl) {
		err = -ENOMEM;
		snprintf(msg, msglen, "cannot start the XFRM netlink family");
		goto err_close;
	}
	xfrm_nl_set_drops(c->xnl, gateway_drops, c);
	xfrm_nl_set_tables(c->xnl, &gateway_tables, c);
	/* NETLINK_CRYPTO: the algorithm query (crypto_user) for IKE daemons. */
	err = xnl_server_register(c->srv, &xfrmgw_crypto_user_family, NULL);
	if (err) {
		snprintf(msg, msglen, "cannot start the NETLINK_CRYPTO family: %s", strerror(-err));
		goto err_close;
	}
	err = watch(c->epfd, xnl_server_fd(c->srv), EV_SERVER);
	if (err) {
		snprintf(msg, msglen, "epoll: %s", strerror(-err));
		goto err_close;
	}
	return 0;

err_close:
	xgw_control_close(c);
	return err;
}

/* SIGHUP: re-read the configuration; SAs, policies and neighbours stay. */
static void reload(struct xgw_control *c)
{
	static struct xgw_config cfg;
	char msg[256];

	if (!c->config_path || !c->gateway) {
		fprintf(stderr, "xfrmgw: SIGHUP: no configuration file to reload\n");
		return;
	}
	if (xgw_config_load(c->config_path, &cfg, msg, sizeof(msg))) {
		fprintf(stderr, "xfrmgw: reload refused: %s\n", msg);
		return;
	}
	if (xgw_gateway_reload(&cfg, msg, sizeof(msg)))
		fprintf(stderr, "xfrmgw: reload refused: %s\n", msg);
	else
		fprintf(stderr, "xfrmgw: configuration %s reloaded\n", c->config_path);
	xgw_config_free(&cfg);
}

static void on_signal(struct xgw_control *c)
{
	struct signalfd_siginfo si;

	while (read(c->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			c->stop = true;
		else if (si.ssi_signo == SIGHUP)
			reload(c);
	}
}

/* The kernel's acquire sequence: a counter that is never 0. */
static uint32_t next_acq_seq(const struct xgw_control *c)
{
	return c->acq_seq + 1 ? c->acq_seq + 1 : 1;
}

/* What xfrm_state_find() looks the template up with: the policy's mark and if_id. */
static void acquire_req(const struct xgw_acquire *a, const struct xfrm_policy *pol,
			uint32_t seq, struct sad_acquire_req *r)
{
	memset(r, 0, sizeof(*r));
	r->key.saddr = a->saddr;
	r->key.daddr = a->daddr;
	r->key.family = a->tmpl.mode == XFRM_MODE_TUNNEL ? a->tmpl.family : a->flow.family;
	r->key.reqid = a->tmpl.reqid;
	r->key.proto = a->tmpl.id.proto;
	r->key.mode = a->tmpl.mode;
	r->key.spi = a->tmpl.id.spi;
	r->key.mark = pol->mark.v & pol->mark.m;
	r->key.if_id = pol->if_id;
	r->sel = a->flow;
	r->mark = pol->mark;
	r->seq = seq;
}

/*
 * An outbound packet met a policy without SA: the workers only ask (at
 * most once a control tick per policy); the decision is taken here, with
 * the SAD, as the kernel's xfrm_state_find(). Find the policy again (it may
 * have gone meanwhile); if no SA and no larval SA serves the template, make
 * a larval SA (sad_acquire) and tell the IKE daemon (XFRM_MSG_ACQUIRE with
 * the larval SA's seq). While the larval SA lives (XFRM_ACQ_EXPIRES, 30 s)
 * the template is not asked for again; when it expires, the daemon gets a
 * hard XFRM_MSG_EXPIRE for it (SPI 0, the ACQUIRE's seq) and the next
 * packet asks again. As the kernel when no key manager hears the query,
 * an ACQUIRE that reached nobody leaves no larval SA behind.
 */
static void send_acquire(void *arg, const struct xgw_acquire *a)
{
	struct xgw_control *c = arg;
	struct spd_id id = { .dir = a->dir, .type = XFRM_POLICY_TYPE_MAIN, .index = a->index,
			     .mark = a->mark, .if_id = a->if_id };
	struct sad_acquire_req req;
	struct xfrm_policy *pol;
	struct xfrm_sa *larval;

	if (spd_get(c->spd, &id, &pol))
		return;
	acquire_req(a, pol, next_acq_seq(c), &req);
	if (sad_acquire(c->sad, &req, &larval) == 0) {
		c->acq_seq = req.seq;
		if (xfrm_nl_acquire(c->xnl, pol, &a->tmpl, &a->saddr, &a->daddr, &a->flow,
				    req.seq) <= 0)
			sad_delete_sa(c->sad, larval);
		sa_put(larval);
	}
	policy_put(pol);
}

/* Same SA, same new peer within a second: already told (workers report every packet). */
static bool mapping_seen(struct xgw_control *c, const struct xgw_mapping *m)
{
	uint64_t now = c->uptime_ticks;
	struct xgw_mapping_note *slot = &c->mapping_recent[0];

	for (unsigned int i = 0; i < XGW_MAPPING_RECENT; i++) {
		struct xgw_mapping_note *r = &c->mapping_recent[i];

		if (r->at && now - r->at < XGW_TICKS_PER_S && !memcmp(&r->m, m, sizeof(*m)))
			return true;
		if (r->at < slot->at)
			slot = r;
	}
	slot->m = *m;
	slot->at = now ? now : 1;
	return false;
}

/*
 * RFC 3948 / XFRM_MSG_MAPPING: a NAT-T peer moved. Find the SA again (it
 * may be gone) and tell the IKE daemon.
 */
static void send_mapping(void *arg, const struct xgw_mapping *m)
{
	struct xgw_control *c = arg;
	struct xfrm_sa *sa;

	if (mapping_seen(c, m))
		return;
	if (sad_get(c->sad, &m->daddr, m->family, m->spi, m->proto, m->mark, m->if_id, &sa))
		return;
	xfrm_nl_mapping(c->xnl, sa, &m->new_saddr, m->new_sport);
	sa_put(sa);
}

static void on_tick(struct xgw_control *c)
{
	uint64_t expirations;

	if (read(c->timerfd, &expirations, sizeof(expirations)) < 0)
		return;
	c->uptime_ticks += expirations;
	if (c->gateway) {
		xgw_gateway_drain_acquires(send_acquire, c);
		xgw_gateway_drain_mappings(send_mapping, c);
	}
	/* NEWAE: replay counters compared here, each tick (never by the data path). */
	xfrm_nl_aevent_tick(c->xnl, c->uptime_ticks * 10 / XGW_TICKS_PER_S);
	/* Lifetimes are in seconds: check them once a second. */
	c->ticks += expirations;
	if (c->ticks >= XGW_TICKS_PER_S) {
		c->ticks = 0;
		sad_tick(c->sad);
		spd_tick(c->spd);
	}
}

int xgw_control_run(struct xgw_control *c)
{
	struct epoll_event ev[8];

	while (!c->stop) {
		int n = epoll_wait(c->epfd, ev, 8, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			switch (ev[i].data.u64) {
			case EV_SERVER:
				xnl_server_process(c->srv);
				break;
			case EV_SIGNAL:
				on_signal(c);
				break;
			case EV_TIMER:
				on_tick(c);
				break;
			}
		}
	}
	return 0;
}

void xgw_control_close(struct xgw_control *c)
{
	xnl_server_close(c->srv);
	c->srv = NULL;
	xfrm_nl_destroy(c->xnl);
	c->xnl = NULL;
	if (c->spd)
		spd_destroy(c->spd);
	if (c->sad)
		sad_destroy(c->sad);	/* every SA freed: transforms wiped, keys zeroed */
	if (c->rcu)
		sa_rcu_destroy(c->rcu);
	c->spd = NULL;
	c->sad = NULL;
	c->rcu = NULL;
	if (c->timerfd >= 0)
		close(c->timerfd);
	if (c->sigfd >= 0)
		close(c->sigfd);
	if (c->epfd >= 0)
		close(c->epfd);
	c->epfd = c->sigfd = c->timerfd = -1;
}
