/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The gateway's configuration file: ports, addresses, routes, lcore roles,
 * mempool sizes, crypto preferences. SAs and policies never live here: they
 * come over XFRM netlink. The format is documented in docs/CONFIG.md.
 */
#ifndef XFRMGW_DATAPLANE_CONFIG_H
#define XFRMGW_DATAPLANE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XGW_MAX_PORTS		16
#define XGW_MAX_ADDRS		64
#define XGW_MAX_WORKERS		32
#define XGW_MAX_RXQ_PER_WORKER	16
#define XGW_MAX_PREFER		8
#define XGW_NAME_LEN		32
#define XGW_DEVARGS_LEN		256
#define XGW_MAX_XFRMI		16
#define XGW_MAX_NEIGHS		256
#define XGW_ROUTES_DEFAULT	UINT32_MAX

struct xgw_port_cfg {
	char name[XGW_NAME_LEN];	/* name used by the rest of the file */
	char devargs[XGW_DEVARGS_LEN];	/* PCI address or vdev string */
	uint16_t mtu;			/* IP MTU of the link (default 1500) */
	uint16_t nb_rxq, nb_txq;	/* default 1 / one per worker */
	char tap[XGW_NAME_LEN];		/* exception-path TAP interface name, or "" */
	uint32_t mark;			/* mark of the packets it receives (0: none) */
	int line;			/* where it was defined, for later errors */
};

/*
 * An XFRM interface (route-based VPN): packets routed into it are matched
 * against policies with its if_id and sent through the SAs with that if_id;
 * packets decapsulated by an SA with its if_id arrive on it.
 */
struct xgw_xfrmi_cfg {
	char name[XGW_NAME_LEN];
	uint32_t if_id;			/* not 0 */
	int line;
};

struct xgw_addr_cfg {
	int port;			/* index into ports[] */
	int family;			/* AF_INET / AF_INET6 */
	uint8_t addr[16];
	uint8_t plen;
	int line;
};

struct xgw_route_cfg {
	int family;
	uint8_t prefix[16];
	uint8_t plen;
	bool has_via;
	uint8_t via[16];
	int port;			/* index into ports[], or -1 */
	int xfrmi;			/* index into xfrmi[] (dev is an XFRM interface), or -1 */
	int line;
};

/* `neighbour PORT IP lladdr MAC`: a static neighbour (no ARP / ND). */
struct xgw_neigh_cfg {
	int port;
	int family;
	uint8_t addr[16];
	uint8_t mac[6];
	int line;
};

struct xgw_rxq_ref {
	uint16_t port;
	uint16_t queue;
};

struct xgw_worker_cfg {
	unsigned int lcore;
	unsigned int nb_rxq;
	struct xgw_rxq_ref rxq[XGW_MAX_RXQ_PER_WORKER];	/* empty: assigned round robin */
	int line;
};

enum xgw_crypto_pref {
	XGW_CRYPTO_PRIORITY = 0,	/* the registry's priority order (default) */
	XGW_CRYPTO_FASTEST,		/* measured throughput */
	XGW_CRYPTO_HARDWARE,		/* hardware drivers only */
	XGW_CRYPTO_SOFTWARE,		/* never hardware */
};

struct xgw_config {
	char path[256];
	unsigned int nb_ports;
	struct xgw_port_cfg ports[XGW_MAX_PORTS];
	unsigned int nb_addrs;
	struct xgw_addr_cfg addrs[XGW_MAX_ADDRS];
	unsigned int nb_xfrmi;
	struct xgw_xfrmi_cfg xfrmi[XGW_MAX_XFRMI];
	unsigned int nb_routes;
	struct xgw_route_cfg *routes;	/* heap, grown as needed */
	unsigned int routes_cap;
	unsigned int nb_workers;
	struct xgw_worker_cfg workers[XGW_MAX_WORKERS];
	bool has_control_lcore;
	unsigned int control_lcore;
	/* mempool */
	unsigned int nb_mbufs;		/* default 16384 */
	unsigned int mbuf_cache;	/* default 256 */
	unsigned int mbuf_dataroom;	/* default RTE_MBUF_DEFAULT_BUF_SIZE */
	/* crypto */
	enum xgw_crypto_pref crypto_pref;
	unsigned int nb_disable;
	char disable[XGW_MAX_PREFER][XGW_NAME_LEN];	/* driver modules not to use */
	/* limits */
	unsigned int icmp_rate;		/* ICMP errors per second (default 100) */
	unsigned int neigh_queue;	/* packets held per unresolved neighbour (default 4) */
	unsigned int idle_us;		/* longest sleep of an idle worker, 0: busy poll (default 100) */
	/* routing (docs/ROUTING.md) */
	bool routes_sized;		/* `routes max4 N max6 N` given */
	unsigned int route_max4;	/* 0: sized by the gateway */
	unsigned int route_max6;	/* XGW_ROUTES_DEFAULT: not given */
	uint32_t mirror_off;		/* bit per port: `mirror PORT off` */
	unsigned int nb_neighs;
	struct xgw_neigh_cfg neighs[XGW_MAX_NEIGHS];
	unsigned int sad_max;		/* SAs at most: sad max N (default 1M; 0: the SAD's default) */
};

/*
 * Parse path into cfg (which is reset first). On error returns -1 and writes
 * "FILE:LINE: what is wrong" into err; cfg is left empty (nothing to free).
 */
int xgw_config_load(const char *path, struct xgw_config *cfg, char *err, size_t errlen);
/* The same from a string (name is used in messages). */
int xgw_config_parse(const char *name, const char *text, struct xgw_config *cfg, char *err,
		     size_t errlen);
void xgw_config_free(struct xgw_config *cfg);
/* Port index by name, -1 if none. */
int xgw_config_port(const struct xgw_config *cfg, const char *name);
/* XFRM interface index by name, -1 if none. */
int xgw_config_xfrmi(const struct xgw_config *cfg, const char *name);

#endif
