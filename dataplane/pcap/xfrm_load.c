/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The XFRM file of the offline mode, parsed by the real iproute2: this
 * process serves NETLINK_XFRM on a private socket (the same netlink/ code
 * as the gateway's control socket) while `xfrmgw-exec --ctl SOCK ip -batch
 * FILE` runs, so every `ip xfrm` option iproute2 knows means what it means
 * for the gateway. iproute2's output is relayed. It exits on a bad line
 * without naming it, so the line is found again by running prefixes of
 * the file, and quoted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_memory.h>

#include "dataplane/pcap/pcap_mode.h"
#include "dataplane/pcap/xfrm_file.h"
#include "netlink/server.h"
#include "netlink/xfrm_netlink.h"
#include "sa/rcu.h"
#include "dataplane/xform.h"
#include "sa/sa_crypto.h"
#include "sa/sad.h"
#include "sa/spd.h"
#include "sa/xfrm_type.h"

#ifndef XPC_EXEC_BUILD_PATH
#define XPC_EXEC_BUILD_PATH ""
#endif
#ifndef XPC_EXEC_INSTALL_PATH
#define XPC_EXEC_INSTALL_PATH "/usr/local/bin/xfrmgw-exec"
#endif

#define PROG		"xfrmgw-pcap"
#define OUTPUT_MAX	(64 * 1024)	/* iproute2 output kept for the report */
#define RCU_READERS	4

/* ---- databases ---- */

int xpc_db_open(struct xpc_db *db, char *msg, size_t msglen)
{
	struct sad_config sc = { .name = "xfrmgw_pcap_sad", .socket_id = SOCKET_ID_ANY };
	struct spd_config pc = { .name = "xfrmgw_pcap_spd", .socket_id = SOCKET_ID_ANY };

	memset(db, 0, sizeof(*db));
	db->rcu = sa_rcu_create(RCU_READERS);
	if (!db->rcu) {
		snprintf(msg, msglen, "cannot create the RCU domain");
		return -ENOMEM;
	}
	sc.rcu = pc.rcu = db->rcu;
	db->sad = sad_create(&sc);
	db->spd = db->sad ? spd_create(&pc) : NULL;
	if (!db->spd) {
		snprintf(msg, msglen, "cannot create the SAD/SPD");
		xpc_db_close(db);
		return -ENOMEM;
	}
	return 0;
}

void xpc_db_close(struct xpc_db *db)
{
	for (unsigned int i = 0; i < db->nsa; i++)
		sa_put(db->sas[i]);
	free(db->sas);
	free(db->natt);
	free(db->local);
	if (db->spd)
		spd_destroy(db->spd);
	if (db->sad)
		sad_destroy(db->sad);	/* SAs freed, keys zeroed */
	if (db->rcu)
		sa_rcu_destroy(db->rcu);
	memset(db, 0, sizeof(*db));
}

/* ---- the helper programs ---- */

static bool executable(const char *path)
{
	return path && *path && access(path, X_OK) == 0;
}

static const char *find_exec(const struct xpc_tools *t, char *buf, size_t len)
{
	const char *env = getenv("XFRMGW_EXEC");
	ssize_t n;
	char *slash;

	if (t->exec)
		return t->exec;
	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", buf, len - 1);
	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash && (size_t)(slash - buf) + sizeof("/xfrmgw-exec") <= len) {
			strcpy(slash, "/xfrmgw-exec");
			if (executable(buf))
				return buf;
		}
	}
	if (executable(XPC_EXEC_BUILD_PATH))
		return XPC_EXEC_BUILD_PATH;
	return XPC_EXEC_INSTALL_PATH;
}

static const char *find_ip(const struct xpc_tools *t)
{
	static const char *const paths[] = { "/usr/sbin/ip", "/sbin/ip", "/bin/ip", "/usr/bin/ip" };
	const char *env = getenv("XFRMGW_IP");

	if (t->ip)
		return t->ip;
	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (executable(paths[i]))
			return paths[i];
	return "ip";
}

/* ---- running ip -batch against our server ---- */

/* One run: the server on the socket, ip's output, its exit status. */
struct batch {
	struct xnl_server *srv;
	struct xfrm_nl *xnl;
	pid_t pid;
	int out_fd;		/* iproute2's stdout+stderr */
	char out[OUTPUT_MAX];
	size_t out_len;
	int status;
};

/* What every run of one load shares. */
struct loader {
	const struct xfrm_file *f;
	const struct xpc_tools *t;
	const char *exec, *ip;
	char dir[PATH_MAX];
	char sock[PATH_MAX];
	char prefix[PATH_MAX];	/* the first commands, to find the failing one */
};

/* For a signal during a run: the child and our files go too. */
static volatile sig_atomic_t cleanup_pid;
static char cleanup_sock[PATH_MAX], cleanup_prefix[PATH_MAX], cleanup_dir[PATH_MAX];

static void on_fatal_signal(int sig)
{
	if (cleanup_pid > 0)
		kill(cleanup_pid, SIGKILL);
	if (cleanup_sock[0])
		unlink(cleanup_sock);
	if (cleanup_prefix[0])
		unlink(cleanup_prefix);
	if (cleanup_dir[0])
		rmdir(cleanup_dir);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(bool on)
{
	struct sigaction sa = { .sa_handler = on ? on_fatal_signal : SIG_DFL };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int loader_open(struct loader *l)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(l->dir, sizeof(l->dir), "%s/xfrmgw-pcap.XXXXXX", tmp);
	if (!mkdtemp(l->dir)) {
		fprintf(stderr, PROG ": cannot create a directory in %s: %s\n", tmp,
			strerror(errno));
		l->dir[0] = '\0';
		return -1;
	}
	if (snprintf(l->sock, sizeof(l->sock), "%s/xfrm.sock", l->dir) >= (int)sizeof(l->sock) ||
	    snprintf(l->prefix, sizeof(l->prefix), "%s/prefix", l->dir) >= (int)sizeof(l->prefix)) {
		fprintf(stderr, PROG ": %s: path too long\n", l->dir);
		return -1;
	}
	snprintf(cleanup_dir, sizeof(cleanup_dir), "%s", l->dir);
	snprintf(cleanup_sock, sizeof(cleanup_sock), "%s", l->sock);
	snprintf(cleanup_prefix, sizeof(cleanup_prefix), "%s", l->prefix);
	catch_signals(true);
	return 0;
}

static void loader_close(struct loader *l)
{
	if (l->dir[0]) {
		unlink(l->prefix);
		rmdir(l->dir);
	}
	cleanup_sock[0] = cleanup_prefix[0] = cleanup_dir[0] = '\0';
	catch_signals(false);
}

static int batch_server(struct batch *b, const struct loader *l, struct xpc_db *db)
{
	int err = xnl_server_open(&b->srv, l->sock, 0600);

	if (err) {
		fprintf(stderr, PROG ": netlink server on %s: %s\n", l->sock, strerror(-err));
		return -1;
	}
	b->xnl = xfrm_nl_create(b->srv, db->sad, db->spd);
	if (!b->xnl) {
		fprintf(stderr, PROG ": cannot start the XFRM netlink family\n");
		return -1;
	}
	return 0;
}

static void batch_close(struct batch *b)
{
	if (b->out_fd >= 0)
		close(b->out_fd);
	b->out_fd = -1;
	xnl_server_close(b->srv);	/* unlinks the socket */
	b->srv = NULL;
	xfrm_nl_destroy(b->xnl);
	b->xnl = NULL;
}

static int batch_spawn(struct batch *b, const struct loader *l, const char *file)
{
	char *const argv[] = { (char *)l->exec, "--ctl", (char *)l->sock, (char *)l->ip,
			       "-batch", (char *)file, NULL };
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0) {
		fprintf(stderr, PROG ": pipe: %s\n", strerror(errno));
		return -1;
	}
	b->pid = fork();
	if (b->pid < 0) {
		fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (b->pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		execv(l->exec, argv);
		fprintf(stderr, "cannot run %s: %s\n", l->exec, strerror(errno));
		_exit(127);
	}
	cleanup_pid = b->pid;
	close(fds[1]);
	b->out_fd = fds[0];
	fcntl(b->out_fd, F_SETFL, O_NONBLOCK);
	return 0;
}

/* Keep what iproute2 says (the first OUTPUT_MAX bytes). 0 at EOF. */
static int batch_read_output(struct batch *b)
{
	char buf[4096];
	ssize_t n = read(b->out_fd, buf, sizeof(buf));

	if (n > 0) {
		size_t keep = (size_t)n;

		if (keep > sizeof(b->out) - 1 - b->out_len)
			keep = sizeof(b->out) - 1 - b->out_len;
		memcpy(b->out + b->out_len, buf, keep);
		b->out_len += keep;
		b->out[b->out_len] = '\0';
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Serve requests until ip exits and its output ends (or the deadline). */
static int batch_serve(struct batch *b, unsigned int timeout_s)
{
	double deadline = now_s() + timeout_s;
	bool exited = false, eof = false;

	while (!exited || !eof) {
		struct pollfd pf[2] = {
			{ .fd = xnl_server_fd(b->srv), .events = POLLIN },
			{ .fd = eof ? -1 : b->out_fd, .events = POLLIN },
		};

		if (poll(pf, 2, 50) < 0 && errno != EINTR)
			return -errno;
		if (pf[0].revents)
			xnl_server_process(b->srv);
		if (pf[1].revents)
			eof = !batch_read_output(b);
		if (!exited && waitpid(b->pid, &b->status, WNOHANG) == b->pid) {
			exited = true;
			cleanup_pid = 0;
		}
		if (now_s() > deadline) {
			if (!exited) {
				kill(b->pid, SIGKILL);
				waitpid(b->pid, &b->status, 0);
				cleanup_pid = 0;
			}
			return -ETIMEDOUT;
		}
	}
	xnl_server_process(b->srv);	/* the client's close */
	return 0;
}

enum run_result { RUN_OK, RUN_FAILED, RUN_ERROR };

/* `xfrmgw-exec --ctl SOCK ip -batch file` against db. */
static enum run_result batch_run(struct batch *b, const struct loader *l, struct xpc_db *db,
				 const char *file)
{
	enum run_result r = RUN_ERROR;
	int err;

	memset(b, 0, sizeof(*b));
	b->out_fd = -1;
	if (batch_server(b, l, db) || batch_spawn(b, l, file))
		goto out;
	err = batch_serve(b, l->t->timeout_s);
	if (err == -ETIMEDOUT) {
		fprintf(stderr, PROG ": %s: ip -batch did not finish within %u s\n", l->f->name,
			l->t->timeout_s);
		goto out;
	}
	if (err) {
		fprintf(stderr, PROG ": poll: %s\n", strerror(-err));
		goto out;
	}
	if (WIFEXITED(b->status) && WEXITSTATUS(b->status) == 0)
		r = RUN_OK;
	else if (WIFEXITED(b->status) &&
		 (WEXITSTATUS(b->status) == 126 || WEXITSTATUS(b->status) == 127))
		fprintf(stderr, PROG ": could not run %s under %s (status %d)\n", l->ip, l->exec,
			WEXITSTATUS(b->status));
	else
		r = RUN_FAILED;
out:
	batch_close(b);
	return r;
}

/* Relay iproute2's words, one prefixed line each. */
static void relay_output(const struct batch *b)
{
	const char *p = b->out;

	while (*p) {
		size_t n = strcspn(p, "\n");

		fprintf(stderr, PROG ": ip: %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/*
 * iproute2 exits on the first bad line without naming it, so find it:
 * the shortest prefix of commands that fails, each run on fresh databases
 * (a prefix fails exactly when it holds the failing command). -1 if the
 * failure does not come back.
 */
static int find_failing(const struct loader *l, struct xpc_db *db, struct batch *b)
{
	unsigned int good = 0, bad = l->f->ncmds;
	char msg[128];

	while (bad - good > 1) {
		unsigned int mid = good + (bad - good) / 2;
		enum run_result r;

		xpc_db_close(db);
		if (xpc_db_open(db, msg, sizeof(msg))) {
			fprintf(stderr, PROG ": %s\n", msg);
			return -1;
		}
		if (xfrm_file_write_prefix(l->f, mid, l->prefix))
			return -1;
		r = batch_run(b, l, db, l->prefix);
		if (r == RUN_ERROR)
			return -1;
		if (r == RUN_FAILED)
			bad = mid;
		else
			good = mid;
	}
	return bad ? (int)bad - 1 : -1;
}

static int run_batch(struct xpc_db *db, const struct xfrm_file *f, const struct xpc_tools *t)
{
	struct loader l = { .f = f, .t = t };
	char self[PATH_MAX];
	struct batch *b = calloc(2, sizeof(*b));
	enum run_result r;
	int rc = -1, cmd;

	l.exec = find_exec(t, self, sizeof(self));
	l.ip = find_ip(t);
	if (!b) {
		fprintf(stderr, PROG ": out of memory\n");
		return -1;
	}
	if (!executable(l.exec)) {
		fprintf(stderr, PROG ": cannot find xfrmgw-exec (tried --exec, $XFRMGW_EXEC, "
			"beside this program, %s)\n", XPC_EXEC_INSTALL_PATH);
		goto out;
	}
	if (loader_open(&l))
		goto out;
	r = batch_run(&b[0], &l, db, f->name);
	relay_output(&b[0]);
	if (r == RUN_OK)
		rc = 0;
	if (r != RUN_FAILED)
		goto out;
	cmd = find_failing(&l, db, &b[1]);
	if (cmd < 0) {
		fprintf(stderr, PROG ": %s: ip -batch failed (status %d)\n", f->name,
			WIFEXITED(b[0].status) ? WEXITSTATUS(b[0].status) : -1);
		goto out;
	}
	fprintf(stderr, PROG ": %s:%u: iproute2 rejected this command:\n", f->name,
		f->first[cmd]);
	xfrm_file_quote(f, (unsigned int)cmd);
out:
	loader_close(&l);
	free(b);
	return rc;
}

/* ---- readying the SAs ---- */

struct collect {
	struct xpc_db *db;
	const char *file;
	unsigned int cap;
	int err;
};

static int add_natt_port(struct xpc_db *db, const struct xfrm_sa *sa)
{
	struct xpc_natt_port *n;

	for (unsigned int i = 0; i < db->nnatt; i++)
		if (db->natt[i].port == sa->encap.encap_dport && db->natt[i].family == sa->family &&
		    !memcmp(&db->natt[i].daddr, &sa->id.daddr, sizeof(sa->id.daddr)))
			return 0;
	n = realloc(db->natt, (db->nnatt + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	db->natt = n;
	n = &db->natt[db->nnatt++];
	memset(n, 0, sizeof(*n));
	n->family = sa->family;
	n->port = sa->encap.encap_dport;
	n->daddr = sa->id.daddr;
	return 0;
}

static void sa_refused(const char *file, const struct xfrm_sa *sa, const char *why)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(sa->family, &sa->id.daddr, addr, sizeof(addr));
	fprintf(stderr, PROG ": %s: SA %s spi 0x%08x dst %s cannot carry packets: %s\n", file,
		sa->id.proto == IPPROTO_ESP ? "esp" : sa->id.proto == IPPROTO_AH ? "ah" : "comp",
		ntohl(sa->id.spi), addr, why);
}

/* Each SA of the SAD: its ESP/AH functions chosen, a reference kept. */
static int collect_sa(struct xfrm_sa *sa, void *arg)
{
	struct collect *c = arg;
	struct xpc_db *db = c->db;
	const char *why = "unsupported";

	if (!sa_is_valid(sa))
		return 0;	/* larval (allocspi): no keys, no packets */
	if (!sa->ops && xfrm_init_state(sa, &why)) {
		sa_refused(c->file, sa, why ? why : "unsupported");
		c->err = -EINVAL;
		return 0;
	}
	if (sa->has_encap && add_natt_port(db, sa)) {
		c->err = -ENOMEM;
		return 0;
	}
	if (db->nsa == c->cap) {
		struct xfrm_sa **n = realloc(db->sas, (c->cap = c->cap * 2 + 16) * sizeof(*n));

		if (!n) {
			c->err = -ENOMEM;
			return 0;
		}
		db->sas = n;
	}
	sa_hold(sa);
	db->sas[db->nsa++] = sa;
	return 0;
}

static int ready_sas(struct xpc_db *db, const char *file)
{
	struct collect c = { .db = db, .file = file };
	struct sad_cursor cur;

	sad_cursor_init(&cur, 0, NULL);
	while (sad_walk(db->sad, &cur, collect_sa, &c) == 1)
		;
	if (c.err == -ENOMEM)
		fprintf(stderr, PROG ": out of memory\n");
	return c.err ? -1 : 0;
}

int xpc_db_add_local(struct xpc_db *db, uint16_t family, const xfrm_address_t *addr)
{
	static const xfrm_address_t zero;
	struct xpc_local_addr *n;

	if (!memcmp(addr, &zero, sizeof(zero)))
		return 0;
	for (unsigned int i = 0; i < db->nlocal; i++)
		if (db->local[i].family == family && !memcmp(&db->local[i].addr, addr, sizeof(*addr)))
			return 0;
	n = realloc(db->local, (db->nlocal + 1) * sizeof(*n));
	if (!n)
		return -1;
	db->local = n;
	n[db->nlocal].family = family;
	n[db->nlocal++].addr = *addr;
	return 0;
}

/*
 * Our addresses, as the policies name them: the local end of every tunnel
 * template of an in or fwd policy (where our SAs terminate), and the
 * destination of an in policy whose selector names one host (what in
 * means: for this host).
 */
static int collect_local(struct xfrm_policy *pol, void *arg)
{
	struct xpc_db *db = arg;
	unsigned int full = pol->sel.family == AF_INET6 ? 128 : 32;

	if (pol->dir != XFRM_POLICY_IN && pol->dir != XFRM_POLICY_FWD)
		return 0;
	for (unsigned int i = 0; i < pol->ntmpl; i++)
		if (pol->tmpl[i].mode == XFRM_MODE_TUNNEL &&
		    xpc_db_add_local(db, pol->tmpl[i].family, &pol->tmpl[i].id.daddr))
			return -1;
	if (pol->dir == XFRM_POLICY_IN && pol->sel.prefixlen_d == full &&
	    xpc_db_add_local(db, pol->sel.family, &pol->sel.daddr))
		return -1;
	return 0;
}

static void derive_local(struct xpc_db *db)
{
	struct spd_cursor cur;

	spd_cursor_init(&cur);
	cur.any_type = true;
	while (spd_walk(db->spd, &cur, collect_local, db) == 1)
		;
}

int xpc_xfrm_load(struct xpc_db *db, const char *file, const struct xpc_tools *tools)
{
	struct xfrm_file f = { 0 };
	int rc = -1;

	/* SAs ESP/AH cannot carry are refused by NEWSA itself, with the reason */
	if (xgw_xform_register()) {
		fprintf(stderr, PROG ": cannot register the ESP and AH packet types\n");
		goto out;
	}
	if (xfrm_file_read(&f, file) || run_batch(db, &f, tools))
		goto out;
	if (spd_publish(db->spd)) {
		fprintf(stderr, PROG ": %s: cannot build the policy tables\n", file);
		goto out;
	}
	derive_local(db);
	rc = ready_sas(db, file);
out:
	xfrm_file_free(&f);
	return rc;
}
