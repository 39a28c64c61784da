/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Configuration file parser. One directive per line, '#' starts a comment:
 *
 *   port NAME DEVARGS [mtu N] [rxq N] [txq N] [tap IFNAME]
 *   address PORT IP/PLEN
 *   route PREFIX/PLEN [via IP] dev PORT
 *   worker LCORE [rx PORT:QUEUE[,PORT:QUEUE...]]
 *   control LCORE
 *   mempool mbufs N [cache N] [dataroom N]
 *   crypto prefer priority|fastest|hardware|software
 *   crypto disable MODULE[,MODULE...]
 *   icmp rate N
 *   neighbour queue N
 *   neighbour PORT IP lladdr MAC
 *   routes max4 N [max6 N]
 *   mirror PORT on|off
 *   idle sleep US
 *   sad max N
 *
 * Every error names the file and line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dataplane/config.h"

#define MAX_TOKENS 16
#define MAX_LINE 1024

struct parser {
	const char *name;
	int line;
	char *err;
	size_t errlen;
	struct xgw_config *cfg;
};

static int perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct parser *p, const char *fmt, ...)
{
	size_t n = (size_t)snprintf(p->err, p->errlen, "%s:%d: ", p->name, p->line);
	va_list ap;

	if (n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int parse_uint(struct parser *p, const char *s, const char *what, unsigned long min,
		      unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s || s[0] == '-')
		return perr(p, "%s: '%s' is not a number", what, s);
	if (v < min || v > max)
		return perr(p, "%s: %lu is outside %lu..%lu", what, v, min, max);
	*out = (unsigned int)v;
	return 0;
}

static int parse_ip(struct parser *p, const char *s, int *family, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return perr(p, "'%s' is not an IPv4 or IPv6 address", s);
}

static int parse_prefix(struct parser *p, const char *s, int *family, uint8_t addr[16],
			uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	unsigned int len;

	if (strlen(s) >= sizeof(buf))
		return perr(p, "'%s' is not a prefix", s);
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return perr(p, "'%s' needs a prefix length (ADDRESS/LEN)", s);
	*slash = '\0';
	if (parse_ip(p, buf, family, addr))
		return -1;
	if (parse_uint(p, slash + 1, "prefix length", 0, *family == AF_INET ? 32 : 128, &len))
		return -1;
	*plen = (uint8_t)len;
	return 0;
}

static int find_port(struct parser *p, const char *name)
{
	int i = xgw_config_port(p->cfg, name);

	if (i < 0)
		perr(p, "no port named '%s' (ports must be defined before use)", name);
	return i;
}

static int d_port(struct parser *p, char **t, int n)
{
	struct xgw_config *cfg = p->cfg;
	struct xgw_port_cfg *pc;
	unsigned int v;

	if (n < 3)
		return perr(p, "usage: port NAME DEVARGS [mtu N] [rxq N] [txq N] [tap IFNAME] [mark N]");
	if (cfg->nb_ports == XGW_MAX_PORTS)
		return perr(p, "too many ports (at most %d)", XGW_MAX_PORTS);
	if (strlen(t[1]) >= XGW_NAME_LEN)
		return perr(p, "port name '%s' longer than %d characters", t[1], XGW_NAME_LEN - 1);
	if (xgw_config_port(cfg, t[1]) >= 0)
		return perr(p, "port '%s' defined twice", t[1]);
	if (xgw_config_xfrmi(cfg, t[1]) >= 0)
		return perr(p, "port '%s': the name of an XFRM interface already", t[1]);
	if (strlen(t[2]) >= XGW_DEVARGS_LEN)
		return perr(p, "device arguments longer than %d characters", XGW_DEVARGS_LEN - 1);
	pc = &cfg->ports[cfg->nb_ports];
	memset(pc, 0, sizeof(*pc));
	strcpy(pc->name, t[1]);
	strcpy(pc->devargs, t[2]);
	pc->mtu = 1500;
	pc->line = p->line;
	for (int i = 3; i < n; i += 2) {
		if (i + 1 >= n)
			return perr(p, "port option '%s' needs a value", t[i]);
		if (!strcmp(t[i], "mtu")) {
			if (parse_uint(p, t[i + 1], "mtu", 576, 9600, &v))
				return -1;
			pc->mtu = (uint16_t)v;
		} else if (!strcmp(t[i], "rxq")) {
			if (parse_uint(p, t[i + 1], "rxq", 1, 64, &v))
				return -1;
			pc->nb_rxq = (uint16_t)v;
		} else if (!strcmp(t[i], "txq")) {
			if (parse_uint(p, t[i + 1], "txq", 1, 64, &v))
				return -1;
			pc->nb_txq = (uint16_t)v;
		} else if (!strcmp(t[i], "tap")) {
			if (strlen(t[i + 1]) >= XGW_NAME_LEN || strlen(t[i + 1]) >= 16)
				return perr(p, "tap interface name '%s' too long (at most 15)", t[i + 1]);
			strcpy(pc->tap, t[i + 1]);
		} else if (!strcmp(t[i], "mark")) {
			unsigned long m;
			char *end;

			errno = 0;
			m = strtoul(t[i + 1], &end, 0);
			if (errno || *end || end == t[i + 1] || m > UINT32_MAX)
				return perr(p, "mark '%s' is not a 32-bit number", t[i + 1]);
			pc->mark = (uint32_t)m;
		} else {
			return perr(p, "unknown port option '%s' (mtu, rxq, txq, tap, mark)", t[i]);
		}
	}
	cfg->nb_ports++;
	return 0;
}

static int d_address(struct parser *p, char **t, int n)
{
	struct xgw_config *cfg = p->cfg;
	struct xgw_addr_cfg *a;
	int port;

	if (n != 3)
		return perr(p, "usage: address PORT IP/PLEN");
	if ((port = find_port(p, t[1])) < 0)
		return -1;
	if (cfg->nb_addrs == XGW_MAX_ADDRS)
		return perr(p, "too many addresses (at most %d)", XGW_MAX_ADDRS);
	a = &cfg->addrs[cfg->nb_addrs];
	if (parse_prefix(p, t[2], &a->family, a->addr, &a->plen))
		return -1;
	a->port = port;
	a->line = p->line;
	cfg->nb_addrs++;
	return 0;
}

static int d_xfrmi(struct parser *p, char **t, int n)
{
	struct xgw_config *cfg = p->cfg;
	struct xgw_xfrmi_cfg *x;
	unsigned int id;

	if (n != 4 || strcmp(t[2], "if_id"))
		return perr(p, "usage: xfrmi NAME if_id N");
	if (strlen(t[1]) >= XGW_NAME_LEN)
		return perr(p, "interface name '%s' longer than %d characters", t[1],
			    XGW_NAME_LEN - 1);
	if (xgw_config_xfrmi(cfg, t[1]) >= 0)
		return perr(p, "XFRM interface '%s' defined twice", t[1]);
	if (xgw_config_port(cfg, t[1]) >= 0)
		return perr(p, "XFRM interface '%s': the name of a port already", t[1]);
	if (cfg->nb_xfrmi == XGW_MAX_XFRMI)
		return perr(p, "too many XFRM interfaces (at most %d)", XGW_MAX_XFRMI);
	if (parse_uint(p, t[3], "if_id", 1, UINT32_MAX, &id))
		return -1;
	for (unsigned int i = 0; i < cfg->nb_xfrmi; i++)
		if (cfg->xfrmi[i].if_id == id)
			return perr(p, "if_id %u already belongs to %s", id, cfg->xfrmi[i].name);
	x = &cfg->xfrmi[cfg->nb_xfrmi++];
	memset(x, 0, sizeof(*x));
	strcpy(x->name, t[1]);
	x->if_id = id;
	x->line = p->line;
	return 0;
}

static int d_route(struct parser *p, char **t, int n)
{
	struct xgw_config *cfg = p->cfg;
	struct xgw_route_cfg r = { .port = -1, .xfrmi = -1, .line = p->line };
	int i;

	if (n < 4)
		return perr(p, "usage: route PREFIX/PLEN [via IP] dev PORT");
	if (parse_prefix(p, t[1], &r.family, r.prefix, &r.plen))
		return -1;
	for (i = 2; i < n; i += 2) {
		if (i + 1 >= n)
			return perr(p, "route option '%s' needs a value", t[i]);
		if (!strcmp(t[i], "via")) {
			int fam;

			if (parse_ip(p, t[i + 1], &fam, r.via))
				return -1;
			if (fam != r.family)
				return perr(p, "gateway %s is not of the prefix's family", t[i + 1]);
			r.has_via = true;
		} else if (!strcmp(t[i], "dev")) {
			r.xfrmi = xgw_config_xfrmi(cfg, t[i + 1]);
			if (r.xfrmi < 0 && (r.port = find_port(p, t[i + 1])) < 0)
				return -1;
		} else {
			return perr(p, "unknown route option '%s' (via, dev)", t[i]);
		}
	}
	if (r.port < 0 && r.xfrmi < 0)
		return perr(p, "route needs 'dev PORT'");
	if (r.xfrmi >= 0 && r.has_via)
		return perr(p, "a route into XFRM interface %s takes no 'via'", t[n - 1]);
	if (cfg->nb_routes == cfg->routes_cap) {
		unsigned int cap = cfg->routes_cap ? cfg->routes_cap * 2 : 64;
		struct xgw_route_cfg *nr = realloc(cfg->routes, cap * sizeof(*nr));

		if (!nr)
			return perr(p, "out of memory");
		cfg->routes = nr;
		cfg->routes_cap = cap;
	}
	cfg->routes[cfg->nb_routes++] = r;
	return 0;
}

static int d_worker(struct parser *p, char **t, int n)
{
	struct xgw_config *cfg = p->cfg;
	struct xgw_worker_cfg *w;
	unsigned int lcore;

	if (n != 2 && !(n == 4 && !strcmp(t[2], "rx")))
		return perr(p, "usage: worker LCORE [rx PORT:QUEUE[,PORT:QUEUE...]]");
	if (parse_uint(p, t[1], "lcore", 0, 1023, &lcore))
		return -1;
	if (cfg->nb_workers == XGW_MAX_WORKERS)
		return perr(p, "too many workers (at most %d)", XGW_MAX_WORKERS);
	for (unsigned int i = 0; i < cfg->nb_workers; i++)
		if (cfg->workers[i].lcore == lcore)
			return perr(p, "lcore %u is already a worker", lcore);
	if (cfg->has_control_lcore && cfg->control_lcore == lcore)
		return perr(p, "lcore %u is the control lcore", lcore);
	w = &cfg->workers[cfg->nb_workers];
	memset(w, 0, sizeof(*w));
	w->lcore = lcore;
	w->line = p->line;
	if (n == 4) {
		char *save = NULL, *item;

		for (item = strtok_r(t[3], ",", &save); item; item = strtok_r(NULL, ",", &save)) {
			char *colon = strchr(item, ':');
			unsigned int q;
			int port;

			if (!colon)
				return perr(p, "rx queue '%s' must be PORT:QUEUE", item);
			*colon = '\0';
			if ((port = find_port(p, item)) < 0 ||
			    parse_uint(p, colon + 1, "queue", 0, 63, &q))
				return -1;
			if (w->nb_rxq == XGW_MAX_RXQ_PER_WORKER)
				return perr(p, "too many rx queues for one worker");
			w->rxq[w->nb_rxq].port = (uint16_t)port;
			w->rxq[w->nb_rxq].queue = (uint16_t)q;
			w->nb_rxq++;
		}
	}
	cfg->nb_workers++;
	return 0;
}

static int d_control(struct parser *p, char **t, int n)
{
	unsigned int lcore;

	if (n != 2)
		return perr(p, "usage: control LCORE");
	if (parse_uint(p, t[1], "lcore", 0, 1023, &lcore))
		return -1;
	for (unsigned int i = 0; i < p->cfg->nb_workers; i++)
		if (p->cfg->workers[i].lcore == lcore)
			return perr(p, "lcore %u is already a worker", lcore);
	p->cfg->has_control_lcore = true;
	p->cfg->control_lcore = lcore;
	return 0;
}

static int d_mempool(struct parser *p, char **t, int n)
{
	struct xgw_config *cfg = p->cfg;

	if (n < 3 || (n % 2) == 0)
		return perr(p, "usage: mempool mbufs N [cache N] [dataroom N]");
	for (int i = 1; i < n; i += 2) {
		if (!strcmp(t[i], "mbufs")) {
			if (parse_uint(p, t[i + 1], "mbufs", 1024, 16u << 20, &cfg->nb_mbufs))
				return -1;
		} else if (!strcmp(t[i], "cache")) {
			if (parse_uint(p, t[i + 1], "cache", 0, 512, &cfg->mbuf_cache))
				return -1;
		} else if (!strcmp(t[i], "dataroom")) {
			if (parse_uint(p, t[i + 1], "dataroom", 512, 65535 - 128, &cfg->mbuf_dataroom))
				return -1;
		} else {
			return perr(p, "unknown mempool option '%s' (mbufs, cache, dataroom)", t[i]);
		}
	}
	return 0;
}

static int d_crypto(struct parser *p, char **t, int n)
{
	struct xgw_config *cfg = p->cfg;

	if (n == 3 && !strcmp(t[1], "prefer")) {
		static const char *const names[] = { "priority", "fastest", "hardware", "software" };

		for (unsigned int i = 0; i < 4; i++) {
			if (!strcmp(t[2], names[i])) {
				cfg->crypto_pref = (enum xgw_crypto_pref)i;
				return 0;
			}
		}
		return perr(p, "crypto prefer: '%s' is not priority, fastest, hardware or software",
			    t[2]);
	}
	if (n == 3 && !strcmp(t[1], "disable")) {
		char *save = NULL, *item;

		for (item = strtok_r(t[2], ",", &save); item; item = strtok_r(NULL, ",", &save)) {
			if (cfg->nb_disable == XGW_MAX_PREFER)
				return perr(p, "too many modules to disable");
			if (strlen(item) >= XGW_NAME_LEN)
				return perr(p, "module name '%s' too long", item);
			strcpy(cfg->disable[cfg->nb_disable++], item);
		}
		return 0;
	}
	return perr(p, "usage: crypto prefer priority|fastest|hardware|software | "
		       "crypto disable MODULE[,MODULE...]");
}

static int d_icmp(struct parser *p, char **t, int n)
{
	if (n != 3 || strcmp(t[1], "rate"))
		return perr(p, "usage: icmp rate N");
	return parse_uint(p, t[2], "icmp rate", 0, 1000000, &p->cfg->icmp_rate);
}

static int parse_mac(struct parser *p, const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6)
		return perr(p, "'%s' is not a MAC address (xx:xx:xx:xx:xx:xx)", s);
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	if (mac[0] & 1)
		return perr(p, "%s is a multicast MAC address", s);
	return 0;
}

/* neighbour PORT IP lladdr MAC: used as is, never resolved (docs/ROUTING.md). */
static int d_static_neighbour(struct parser *p, char **t, int n)
{
	struct xgw_config *cfg = p->cfg;
	struct xgw_neigh_cfg *e;

	if (n != 5 || strcmp(t[3], "lladdr"))
		return perr(p, "usage: neighbour PORT IP lladdr MAC");
	if (cfg->nb_neighs == XGW_MAX_NEIGHS)
		return perr(p, "too many static neighbours (at most %d)", XGW_MAX_NEIGHS);
	e = &cfg->neighs[cfg->nb_neighs];
	memset(e, 0, sizeof(*e));
	if ((e->port = find_port(p, t[1])) < 0 || parse_ip(p, t[2], &e->family, e->addr) ||
	    parse_mac(p, t[4], e->mac))
		return -1;
	for (unsigned int i = 0; i < cfg->nb_neighs; i++)
		if (cfg->neighs[i].port == e->port && cfg->neighs[i].family == e->family &&
		    !memcmp(cfg->neighs[i].addr, e->addr, 16))
			return perr(p, "neighbour %s on %s given twice (line %d)", t[2], t[1],
				    cfg->neighs[i].line);
	e->line = p->line;
	cfg->nb_neighs++;
	return 0;
}

static int d_neighbour(struct parser *p, char **t, int n)
{
	if (n == 5)
		return d_static_neighbour(p, t, n);
	if (n != 3 || strcmp(t[1], "queue"))
		return perr(p, "usage: neighbour queue N | neighbour PORT IP lladdr MAC");
	return parse_uint(p, t[2], "neighbour queue", 0, 64, &p->cfg->neigh_queue);
}

/* routes max4 N [max6 N]: the route tables' capacity (docs/ROUTING.md). */
static int d_routes(struct parser *p, char **t, int n)
{
	struct xgw_config *cfg = p->cfg;

	if (n != 3 && n != 5)
		return perr(p, "usage: routes max4 N [max6 N]");
	for (int i = 1; i < n; i += 2) {
		if (!strcmp(t[i], "max4")) {
			if (parse_uint(p, t[i + 1], "max4", 16, 16u << 20, &cfg->route_max4))
				return -1;
		} else if (!strcmp(t[i], "max6")) {
			if (parse_uint(p, t[i + 1], "max6", 0, 4u << 20, &cfg->route_max6))
				return -1;
		} else {
			return perr(p, "unknown routes option '%s' (max4, max6)", t[i]);
		}
	}
	cfg->routes_sized = true;
	return 0;
}

/* mirror PORT on|off: the host kernel's routes on the port's TAP reach the gateway. */
static int d_mirror(struct parser *p, char **t, int n)
{
	int port;

	if (n != 3 || (strcmp(t[2], "on") && strcmp(t[2], "off")))
		return perr(p, "usage: mirror PORT on|off");
	if ((port = find_port(p, t[1])) < 0)
		return -1;
	if (!p->cfg->ports[port].tap[0])
		return perr(p, "port %s has no tap: there is no kernel view to mirror", t[1]);
	if (!strcmp(t[2], "off"))
		p->cfg->mirror_off |= 1u << port;
	else
		p->cfg->mirror_off &= ~(1u << port);
	return 0;
}

static int d_idle(struct parser *p, char **t, int n)
{
	if (n != 3 || strcmp(t[1], "sleep"))
		return perr(p, "usage: idle sleep MICROSECONDS");
	return parse_uint(p, t[2], "idle sleep", 0, 100000, &p->cfg->idle_us);
}

static int d_sad(struct parser *p, char **t, int n)
{
	if (n != 3 || strcmp(t[1], "max"))
		return perr(p, "usage: sad max N");
	return parse_uint(p, t[2], "sad max", 1, 1u << 26, &p->cfg->sad_max);
}

static const struct {
	const char *name;
	int (*fn)(struct parser *p, char **t, int n);
} directives[] = {
	{ "port", d_port },
	{ "address", d_address },
	{ "route", d_route },
	{ "xfrmi", d_xfrmi },
	{ "worker", d_worker },
	{ "control", d_control },
	{ "mempool", d_mempool },
	{ "crypto", d_crypto },
	{ "icmp", d_icmp },
	{ "neighbour", d_neighbour },
	{ "idle", d_idle },
	{ "routes", d_routes },
	{ "mirror", d_mirror },
	{ "sad", d_sad },
};

static int parse_line(struct parser *p, char *line)
{
	char *t[MAX_TOKENS], *save = NULL, *tok;
	int n = 0;
	char *hash = strchr(line, '#');

	if (hash)
		*hash = '\0';
	for (tok = strtok_r(line, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save)) {
		if (n == MAX_TOKENS)
			return perr(p, "too many words on one line (at most %d)", MAX_TOKENS);
		t[n++] = tok;
	}
	if (n == 0)
		return 0;
	for (size_t i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
		if (!strcmp(t[0], directives[i].name))
			return directives[i].fn(p, t, n);
	return perr(p, "unknown directive '%s'", t[0]);
}

static void defaults(struct xgw_config *cfg, const char *name)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	cfg->nb_mbufs = 16384;
	cfg->mbuf_cache = 256;
	cfg->mbuf_dataroom = 2048 + 128;
	cfg->icmp_rate = 100;
	cfg->neigh_queue = 4;
	cfg->idle_us = 100;
	cfg->route_max6 = XGW_ROUTES_DEFAULT;
	cfg->sad_max = 1u << 20;
}

/* Checks that need the whole file. */
static int finish(struct parser *p)
{
	struct xgw_config *cfg = p->cfg;

	for (unsigned int i = 0; i < cfg->nb_workers; i++) {
		for (unsigned int k = 0; k < cfg->workers[i].nb_rxq; k++) {
			const struct xgw_rxq_ref *r = &cfg->workers[i].rxq[k];
			const struct xgw_port_cfg *pc = &cfg->ports[r->port];
			unsigned int nq = pc->nb_rxq ? pc->nb_rxq : 1;

			if (r->queue >= nq) {
				p->line = cfg->workers[i].line;
				return perr(p, "port %s has %u rx queue(s); queue %u does not exist",
					    pc->name, nq, r->queue);
			}
		}
	}
	return 0;
}

int xgw_config_parse(const char *name, const char *text, struct xgw_config *cfg, char *err,
		     size_t errlen)
{
	struct parser p = { .name = name, .err = err, .errlen = errlen, .cfg = cfg };
	const char *s = text;

	defaults(cfg, name);
	while (*s) {
		char line[MAX_LINE];
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		p.line++;
		if (len >= sizeof(line)) {
			perr(&p, "line longer than %d characters", MAX_LINE - 1);
			goto fail;
		}
		memcpy(line, s, len);
		line[len] = '\0';
		if (parse_line(&p, line))
			goto fail;
		s += len + (nl ? 1 : 0);
	}
	if (finish(&p))
		goto fail;
	return 0;
fail:
	xgw_config_free(cfg);
	defaults(cfg, name);
	return -1;
}

int xgw_config_load(const char *path, struct xgw_config *cfg, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, len = 0, n;
	int rc;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		defaults(cfg, path);
		return -1;
	}
	do {
		if (len + 4096 + 1 > cap) {
			char *nt = realloc(text, cap = cap ? cap * 2 : 8192);

			if (!nt) {
				free(text);
				fclose(f);
				snprintf(err, errlen, "%s: out of memory", path);
				return -1;
			}
			text = nt;
		}
		n = fread(text + len, 1, 4096, f);
		len += n;
	} while (n > 0 && len < (16u << 20));
	fclose(f);
	if (!text) {
		defaults(cfg, path);
		return 0;
	}
	text[len] = '\0';
	if (strlen(text) != len) {
		free(text);
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		defaults(cfg, path);
		return -1;
	}
	rc = xgw_config_parse(path, text, cfg, err, errlen);
	free(text);
	return rc;
}

void xgw_config_free(struct xgw_config *cfg)
{
	free(cfg->routes);
	cfg->routes = NULL;
	cfg->routes_cap = 0;
	cfg->nb_routes = 0;
}

int xgw_config_port(const struct xgw_config *cfg, const char *name)
{
	for (unsigned int i = 0; i < cfg->nb_ports; i++)
		if (!strcmp(cfg->ports[i].name, name))
			return (int)i;
	return -1;
}

int xgw_config_xfrmi(const struct xgw_config *cfg, const char *name)
{
	for (unsigned int i = 0; i < cfg->nb_xfrmi; i++)
		if (!strcmp(cfg->xfrmi[i].name, name))
			return (int)i;
	return -1;
}
