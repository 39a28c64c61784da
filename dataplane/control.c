/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control loop: one epoll over the netlink server, a signalfd and a
 * 1-second timerfd. Everything that changes the SAD/SPD runs here.
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

static int open_databases(struct xgw_control *c, char *msg, size_t msglen)
{
	struct sad_config sc = { .name = "xfrmgw_sad", .socket_id = SOCKET_ID_ANY };
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

int xgw_control_open(struct xgw_control *c, const char *ctl_path, char *msg, size_t msglen)
{
	int err;

	memset(c, 0, sizeof(*c));
	c->epfd = c->sigfd = c->timerfd = -1;
	err = open_fds(c);
	if (err) {
		snprintf(msg, msglen, "epoll/signalfd/timerfd: %s", strerror(-err));
		goto err_close;
	}
	err = open_databases(c, msg, msglen);
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

/*
 * An outbound packet met a policy without SA: find the policy again (it
 * may have gone meanwhile) and tell the IKE daemon (XFRM_MSG_ACQUIRE).
 *
 * Unlike the kernel, no larval (ACQ) SA is created here: the kernel's has
 * SPI 0 until ALLOCSPI, and sa/ can hold a larval SA only through
 * sad_alloc_spi(), which always picks an SPI (sad_add refuses SPI 0). The
 * daemon's ALLOCSPI quoting this seq therefore creates a fresh larval SA;
 * and the workers repeat the ACQUIRE once a second per policy while no SA
 * exists, where the kernel sends one per ACQ state (XFRM_ACQ_EXPIRES, 30 s).
 */
static void send_acquire(void *arg, const struct xgw_acquire *a)
{
	struct xgw_control *c = arg;
	struct spd_id id = { .dir = a->dir, .type = XFRM_POLICY_TYPE_MAIN, .index = a->index };
	struct xfrm_policy *pol;

	if (spd_get(c->spd, &id, &pol))
		return;
	/* Like the kernel's acquire sequence: never 0. */
	if (++c->acq_seq == 0)
		c->acq_seq = 1;
	xfrm_nl_acquire(c->xnl, pol, &a->tmpl, &a->saddr, &a->daddr, &a->flow, c->acq_seq);
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
