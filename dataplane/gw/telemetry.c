/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK telemetry (dpdk-telemetry.py): /xfrmgw/stats [LCORE], /xfrmgw/ports
 * [PORT], /xfrmgw/sa. Counters are read without stopping the workers
 * (64-bit loads: possibly a burst old, never torn).
 *  /xfrmgw/stats: packet path counters, "drop" by reason, "ipsec_drop" by
 *    ESP's reason (auth, replay, ...) and AH's (ah_auth, ...), summed over
 *    the workers or one lcore;
 *  /xfrmgw/sa: one entry per SA named PROTO_0xSPI_N (telemetry names allow
 *    no ':' or '@'), with daddr, family, encap and its counters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "dataplane/gw/gw.h"
#include "sa/sad.h"

#ifdef XGW_HAVE_ESP
#include "esp/esp.h"
#endif

static const char *const drop_names[GW_DROP_MAX] = {
	[GW_DROP_MALFORMED] = "malformed",
	[GW_DROP_NOT_OURS] = "not_ours",
	[GW_DROP_NO_ROUTE] = "no_route",
	[GW_DROP_TTL] = "ttl_exceeded",
	[GW_DROP_MTU] = "too_big",
	[GW_DROP_NEIGH_FAILED] = "neighbour_failed",
	[GW_DROP_NEIGH_QUEUE] = "neighbour_queue_full",
	[GW_DROP_NEIGH_TABLE] = "neighbour_table_full",
	[GW_DROP_NO_MBUF] = "no_mbuf",
	[GW_DROP_FRAG] = "fragmentation",
	[GW_DROP_REASM] = "reassembly",
	[GW_DROP_NO_HOST] = "no_host_path",
	[GW_DROP_NO_SA] = "no_sa",
	[GW_DROP_NO_IPSEC] = "no_ipsec",
	[GW_DROP_IPSEC] = "ipsec",
	[GW_DROP_POLICY_BLOCK] = "policy_block",
	[GW_DROP_POLICY_MISMATCH] = "policy_mismatch",
	[GW_DROP_ACQUIRE] = "no_sa_acquire",
	[GW_DROP_TX] = "tx_full",
	[GW_DROP_HOST_REPLY] = "host_reply",
	[GW_DROP_POLICY_CLEARTEXT] = "policy_cleartext",
	[GW_DROP_POLICY_TEMPLATES] = "policy_templates",
	[GW_DROP_POLICY_NONE_TUNNEL] = "policy_none_tunnel",
	[GW_DROP_POLICY_DEFAULT_BLOCK] = "policy_default_block",
	[GW_DROP_BAD_EXT_HDRS] = "bad_ext_headers",
	[GW_DROP_XFRMI_NO_POLICY] = "xfrmi_no_policy",
	[GW_DROP_ROUTE_BLACKHOLE] = "route_blackhole",
	[GW_DROP_ROUTE_UNREACHABLE] = "route_unreachable",
	[GW_DROP_ROUTE_PROHIBIT] = "route_prohibit",
};

const char *gw_drop_name(enum gw_drop d)
{
	return d < GW_DROP_MAX && drop_names[d] ? drop_names[d] : "unknown";
}

#define COUNTERS(X) \
	X(rx) X(tx) X(forwarded) X(to_host) X(from_host) X(esp_in) X(esp_out) \
	X(ah_in) X(ah_out) \
	X(arp_replies) X(arp_requests) X(nd_adverts) X(nd_solicits) X(icmp_errors) \
	X(icmp_ratelimited) X(fragments_out) X(reassembled) X(acquires)

static void add_stats(struct gw_lcore_stats *sum, const struct gw_lcore_stats *s)
{
#define ADD(f) sum->f += s->f;
	COUNTERS(ADD)
#undef ADD
	for (unsigned int d = 0; d < GW_DROP_MAX; d++)
		sum->drop[d] += s->drop[d];
	for (unsigned int p = 0; p < XGW_MAX_PORTS; p++) {
		sum->port[p].rx_packets += s->port[p].rx_packets;
		sum->port[p].rx_bytes += s->port[p].rx_bytes;
		sum->port[p].tx_packets += s->port[p].tx_packets;
		sum->port[p].tx_bytes += s->port[p].tx_bytes;
		sum->port[p].to_host += s->port[p].to_host;
		sum->port[p].from_host += s->port[p].from_host;
	}
	for (unsigned int i = 0; i < XGW_MAX_XFRMI; i++) {
		sum->xfrmi[i].rx_packets += s->xfrmi[i].rx_packets;
		sum->xfrmi[i].rx_bytes += s->xfrmi[i].rx_bytes;
		sum->xfrmi[i].tx_packets += s->xfrmi[i].tx_packets;
		sum->xfrmi[i].tx_bytes += s->xfrmi[i].tx_bytes;
		sum->xfrmi[i].tx_errors += s->xfrmi[i].tx_errors;
	}
}

/* One dictionary per XFRM interface, by name, as a network device counts. */
static void put_xfrmi(struct gw *g, struct rte_tel_data *d, const struct gw_lcore_stats *sum)
{
	struct rte_tel_data *all;

	if (!g->cfg.nb_xfrmi || !(all = rte_tel_data_alloc()))
		return;
	rte_tel_data_start_dict(all);
	for (unsigned int i = 0; i < g->cfg.nb_xfrmi; i++) {
		const struct gw_xfrmi_counters *c = &sum->xfrmi[i];
		struct rte_tel_data *x = rte_tel_data_alloc();

		if (!x)
			break;
		rte_tel_data_start_dict(x);
		rte_tel_data_add_dict_u64(x, "if_id", g->cfg.xfrmi[i].if_id);
		rte_tel_data_add_dict_u64(x, "rx_packets", c->rx_packets);
		rte_tel_data_add_dict_u64(x, "rx_bytes", c->rx_bytes);
		rte_tel_data_add_dict_u64(x, "tx_packets", c->tx_packets);
		rte_tel_data_add_dict_u64(x, "tx_bytes", c->tx_bytes);
		rte_tel_data_add_dict_u64(x, "tx_errors", c->tx_errors);
		rte_tel_data_add_dict_container(all, g->cfg.xfrmi[i].name, x, 0);
	}
	rte_tel_data_add_dict_container(d, "xfrmi", all, 0);
}

#define IPSEC_DROPS 64

/* ESP's and AH's own reasons behind the "ipsec" drops (auth, replay, ah_auth, ...). */
struct ipsec_drops {
	unsigned int n;
	const char *names[IPSEC_DROPS];
	uint64_t drop[IPSEC_DROPS];
};

static void put_stats(struct rte_tel_data *d, const struct gw_lcore_stats *s,
		      const struct ipsec_drops *x)
{
	struct rte_tel_data *drops = rte_tel_data_alloc();
	struct rte_tel_data *esp = x->n ? rte_tel_data_alloc() : NULL;

#define PUT(f) rte_tel_data_add_dict_u64(d, #f, s->f);
	COUNTERS(PUT)
#undef PUT
	if (drops) {
		rte_tel_data_start_dict(drops);
		for (unsigned int i = 0; i < GW_DROP_MAX; i++)
			rte_tel_data_add_dict_u64(drops, drop_names[i], s->drop[i]);
		rte_tel_data_add_dict_container(d, "drop", drops, 0);
	}
	if (esp) {
		rte_tel_data_start_dict(esp);
		for (unsigned int i = 0; i < x->n; i++)
			rte_tel_data_add_dict_u64(esp, x->names[i], x->drop[i]);
		rte_tel_data_add_dict_container(d, "ipsec_drop", esp, 0);
	}
}

static int cmd_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct gw *g = gw_running;
	struct gw_lcore_stats *sum;
	struct ipsec_drops x = { 0 };
	struct rte_tel_data *lcores;
	long want = params && *params ? strtol(params, NULL, 0) : -1;

	(void)cmd;
	rte_tel_data_start_dict(d);
	if (!g)
		return 0;
	sum = calloc(1, sizeof(*sum));
	lcores = rte_tel_data_alloc();
	if (!sum || !lcores) {
		free(sum);
		rte_tel_data_free(lcores);
		return -1;
	}
	rte_tel_data_start_array(lcores, RTE_TEL_INT_VAL);
	for (unsigned int i = 0; i < g->nb_workers; i++) {
		if (want >= 0 && (unsigned long)want != g->w[i].lcore)
			continue;
		add_stats(sum, &g->w[i].stats);
		x.n = gw_ipsec_drops(&g->w[i], x.drop, x.names, IPSEC_DROPS);
		rte_tel_data_add_array_int(lcores, (int)g->w[i].lcore);
	}
	put_stats(d, sum, &x);
	put_xfrmi(g, d, sum);
	rte_tel_data_add_dict_u64(d, "mappings_lost",
				  __atomic_load_n(&g->mappings_lost, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_container(d, "lcores", lcores, 0);
	free(sum);
	return 0;
}

static void put_port(struct gw *g, unsigned int p, const struct gw_lcore_stats *sum,
		     struct rte_tel_data *d)
{
	const struct gw_port *port = &g->port[p];
	struct rte_eth_stats es;
	char mac[18];

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", g->cfg.ports[p].name);
	rte_tel_data_add_dict_int(d, "port_id", port->id);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", port->mac[0], port->mac[1],
		 port->mac[2], port->mac[3], port->mac[4], port->mac[5]);
	rte_tel_data_add_dict_string(d, "mac", mac);
	rte_tel_data_add_dict_string(d, "tap", port->tap_name);
	rte_tel_data_add_dict_u64(d, "rx_packets", sum->port[p].rx_packets);
	rte_tel_data_add_dict_u64(d, "rx_bytes", sum->port[p].rx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_packets", sum->port[p].tx_packets);
	rte_tel_data_add_dict_u64(d, "tx_bytes", sum->port[p].tx_bytes);
	rte_tel_data_add_dict_u64(d, "to_host", sum->port[p].to_host);
	rte_tel_data_add_dict_u64(d, "from_host", sum->port[p].from_host);
	if (rte_eth_stats_get(port->id, &es) == 0) {
		rte_tel_data_add_dict_u64(d, "hw_ipackets", es.ipackets);
		rte_tel_data_add_dict_u64(d, "hw_opackets", es.opackets);
		rte_tel_data_add_dict_u64(d, "hw_imissed", es.imissed);
		rte_tel_data_add_dict_u64(d, "hw_ierrors", es.ierrors);
		rte_tel_data_add_dict_u64(d, "hw_oerrors", es.oerrors);
		rte_tel_data_add_dict_u64(d, "rx_nombuf", es.rx_nombuf);
	}
}

static int cmd_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct gw *g = gw_running;
	struct gw_lcore_stats *sum;

	(void)cmd;
	rte_tel_data_start_dict(d);
	if (!g)
		return 0;
	sum = calloc(1, sizeof(*sum));
	if (!sum)
		return -1;
	for (unsigned int i = 0; i < g->nb_workers; i++)
		add_stats(sum, &g->w[i].stats);
	for (unsigned int p = 0; p < g->nb_ports; p++) {
		struct rte_tel_data *pd;

		if (params && *params && strcmp(params, g->cfg.ports[p].name))
			continue;
		pd = rte_tel_data_alloc();
		if (!pd)
			break;
		put_port(g, p, sum, pd);
		rte_tel_data_add_dict_container(d, g->cfg.ports[p].name, pd, 0);
	}
	free(sum);
	return 0;
}

struct sa_walk {
	struct rte_tel_data *d;
	unsigned int n;
};

/* Telemetry answers are bounded (16 KB): the first SAs, each in a few words. */
#define SA_MAX 48

static int put_sa(struct xfrm_sa *sa, void *arg)
{
	struct sa_walk *s = arg;
	struct rte_tel_data *e;
	char key[80], addr[64] = "";
	const uint8_t *a = (const uint8_t *)&sa->id.daddr;

	if (s->n >= SA_MAX)
		return 0;
	e = rte_tel_data_alloc();
	if (!e)
		return 0;
	if (sa->family == AF_INET)
		snprintf(addr, sizeof(addr), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	else
		for (int i = 0; i < 16; i += 2)
			snprintf(addr + strlen(addr), sizeof(addr) - strlen(addr), "%s%x",
				 i ? ":" : "", (unsigned int)(a[i] << 8 | a[i + 1]));
	/* telemetry names allow letters, digits, '_', '-', '.', '/': no ':' or '@' */
	snprintf(key, sizeof(key), "%s_0x%08x_%u", sa->id.proto == IPPROTO_AH ? "ah" : "esp",
		 rte_be_to_cpu_32(sa->id.spi), s->n);
	rte_tel_data_start_dict(e);
	rte_tel_data_add_dict_string(e, "daddr", addr);
	rte_tel_data_add_dict_int(e, "family", sa->family == AF_INET6 ? 6 : 4);
	rte_tel_data_add_dict_int(e, "encap", sa->has_encap);
	rte_tel_data_add_dict_int(e, "state", sa->state);
	rte_tel_data_add_dict_int(e, "reqid", (int)sa->reqid);
	rte_tel_data_add_dict_u64(e, "packets", __atomic_load_n(&sa->curlft.packets, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(e, "bytes", __atomic_load_n(&sa->curlft.bytes, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(e, "oseq", __atomic_load_n(&sa->oseq, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(e, "replay", sa->stats.replay);
	rte_tel_data_add_dict_u64(e, "replay_window", sa->stats.replay_window);
	rte_tel_data_add_dict_u64(e, "integrity_failed", sa->stats.integrity_failed);
	rte_tel_data_add_dict_container(s->d, key, e, 0);
	s->n++;
	return 0;
}

static int cmd_sa(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct gw *g = gw_running;
	struct sa_walk s = { d, 0 };
	struct sad_cursor c;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	if (!g || !g->sad)
		return 0;
	sad_cursor_init(&c, 0, NULL);
	while (sad_walk(g->sad, &c, put_sa, &s) == 1)
		;
	return 0;
}

void gw_telemetry_register(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	rte_telemetry_register_cmd("/xfrmgw/stats", cmd_stats,
				   "Packet path counters, drops by reason. Parameters: lcore id (optional)");
	rte_telemetry_register_cmd("/xfrmgw/ports", cmd_ports,
				   "Per-port counters. Parameters: port name (optional)");
	rte_telemetry_register_cmd("/xfrmgw/sa", cmd_sa,
				   "Per-SA counters (first 48 SAs)");
}
