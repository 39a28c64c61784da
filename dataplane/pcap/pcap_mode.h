/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-pcap: the offline mode. Private to dataplane/pcap/.
 *
 *   xfrm_load.c  runs `ip -batch FILE` under xfrmgw-exec against an
 *                in-process XFRM netlink server, then readies every SA
 *   link.c       L2 headers of each link type: strip, rebuild
 *   io.c         pcap records <-> rte_mbuf chains (--segments)
 *   classify.c   inbound (SA by SPI) or outbound (SPD -> templates -> SAs)
 *   engine.c     a burst through its stages, grouped by SA as the gateway
 *   xform.c      the ESP/AH calls
 *   counters.c   counters, printed to stderr (format in docs/PCAP.md)
 */
#ifndef XFRMGW_DATAPLANE_PCAP_PCAP_MODE_H
#define XFRMGW_DATAPLANE_PCAP_PCAP_MODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include <linux/xfrm.h>

#include "sa/policy_path.h"
#include "sa/spd.h"
#include "sa/xfrm_type.h"

#define XPC_BURST	32
#define XPC_L2_MAX	64		/* longest L2 header we keep (Ethernet + 12 VLAN tags) */
#define XPC_PKT_MAX	(256 * 1024)	/* largest packet read or written */
#define XPC_MAX_STAGES	XFRM_MAX_DEPTH	/* SAs one packet goes through */
#define XPC_REASONS	32		/* room for esp/'s and ah/'s drop reasons */

struct rte_mbuf;
struct rte_mempool;
struct sa_rcu;
struct sad;
struct xfrm_sa;

/* ---- counters ---- */

/* Where a packet ended; each packet counts under exactly one. */
enum xpc_drop {
	XPC_DROP_MALFORMED = 0,	/* IP header or lengths inconsistent */
	XPC_DROP_SNAPLEN,	/* record shorter than the packet (caplen < len) */
	XPC_DROP_TRUNCATED,	/* too short to hold the SPI / UDP header it announces */
	XPC_DROP_NO_SA,		/* inbound SA not VALID, or NAT-T state differs */
	XPC_DROP_POLICY_BLOCK,	/* out policy with action block */
	XPC_DROP_ACQUIRE,	/* out policy, a template without SA: "no SA (acquire)" */
	XPC_DROP_POLICY_MISMATCH, /* decapsulated packet outside its SA's selector */
	XPC_DROP_NATT_KEEPALIVE,/* RFC 3948 2.3 keepalive, absorbed as the gateway does */
	XPC_DROP_TOO_DEEP,	/* more nested SAs than XFRM_MAX_DEPTH */
	XPC_DROP_LINK_FAMILY,	/* IPv6 result in a LINKTYPE_IPV4 file (or v4 in IPV6) */
	XPC_DROP_NO_MBUF,	/* mbuf pool exhausted */
	XPC_DROP_TOO_BIG,	/* result larger than XPC_PKT_MAX */
	XPC_DROP_ESP,		/* esp/ refused it: see the esp.* reasons */
	XPC_DROP_AH,		/* ah/ refused it: see the ah.* reasons */
	XPC_DROP_POLICY_CLEARTEXT, /* in clear, its in/fwd policy wants IPsec (RFC 4301 5.2) */
	XPC_DROP_POLICY_TEMPLATES, /* decapsulated, the SAs are not what its policy wants */
	XPC_DROP_POLICY_NONE_TUNNEL, /* out of a tunnel-mode SA, no in/fwd policy matches */
	XPC_DROP_POLICY_DEFAULT_BLOCK, /* no policy, the direction's default is block */
	XPC_DROP_BAD_EXT_HDRS,	/* IPv6 extension header chain too long or truncated */
	XPC_DROP_MAX
};

/* Why a packet left unchanged. */
enum xpc_pass {
	XPC_PASS_NOT_IP = 0,	/* ARP, LLDP, ... (the whole frame is copied) */
	XPC_PASS_NO_POLICY,	/* no out policy matched */
	XPC_PASS_BYPASS,	/* out policy allow without templates */
	XPC_PASS_NATT_IKE,	/* non-ESP marker on the NAT-T port: IKE */
	XPC_PASS_LOCAL,		/* cleartext for one of our addresses, its in check passed */
	XPC_PASS_MAX
};

struct xpc_sa_stats {
	struct xfrm_sa *sa;
	uint64_t decap_packets, decap_bytes;	/* bytes of the ESP/AH packet in */
	uint64_t encap_packets, encap_bytes;	/* bytes of the packet given to ESP/AH */
	uint64_t dropped;
};

struct xpc_counters {
	uint64_t read, written;
	uint64_t decapsulated, encapsulated;
	uint64_t passed[XPC_PASS_MAX];
	uint64_t drop[XPC_DROP_MAX];
	uint64_t type_drop[XFRM_SLOTS][XPC_REASONS];	/* by type (slot), by its reason */
	uint64_t natt_esp;			/* UDP-encapsulated ESP seen */
	uint64_t unknown_spi;			/* ESP/AH with no SA: tried as cleartext */
	unsigned int nsa;
	struct xpc_sa_stats *sa;		/* in the SAD's insertion order */
	struct xpc_sa_stats **index;		/* the same, sorted by SA address */
};

int xpc_counters_init(struct xpc_counters *c, struct xfrm_sa *const *sas, unsigned int n);
void xpc_counters_free(struct xpc_counters *c);
struct xpc_sa_stats *xpc_sa_stats(struct xpc_counters *c, const struct xfrm_sa *sa);
void xpc_counters_print(const struct xpc_counters *c);

/* ---- the databases and the XFRM file (xfrm_load.c) ---- */

/* UDP ports (with their address) where ESP-in-UDP arrives (RFC 3948). */
struct xpc_natt_port {
	uint16_t family;
	uint16_t port;			/* network order */
	xfrm_address_t daddr;
};

/* One of "our" addresses: what is for them is checked against in policies. */
struct xpc_local_addr {
	uint16_t family;
	xfrm_address_t addr;
};

struct xpc_db {
	struct sa_rcu *rcu;
	struct sad *sad;
	struct spd *spd;
	struct xfrm_sa **sas;		/* every SA, one reference each */
	unsigned int nsa;
	struct xpc_natt_port *natt;
	unsigned int nnatt;
	struct xpc_local_addr *local;	/* --local, then what the policies name */
	unsigned int nlocal;
};

/* Add one of our addresses (--local, or derived). 0 or -1 (no memory). */
int xpc_db_add_local(struct xpc_db *db, uint16_t family, const xfrm_address_t *addr);

/* Where to find the helper programs (NULL: the defaults). */
struct xpc_tools {
	const char *ip;			/* iproute2 ip */
	const char *exec;		/* xfrmgw-exec */
	unsigned int timeout_s;		/* how long ip -batch may take */
};

int xpc_db_open(struct xpc_db *db, char *msg, size_t msglen);
void xpc_db_close(struct xpc_db *db);

/*
 * Program db from FILE (`ip -batch` lines) through the real iproute2 and
 * the XFRM netlink server, then choose every SA's ESP/AH functions.
 * 0, or -1 with the reason printed to stderr (iproute2's text, FILE:LINE
 * and the line).
 */
int xpc_xfrm_load(struct xpc_db *db, const char *file, const struct xpc_tools *tools);

/* ---- link types (link.c) ---- */

struct xpc_link {
	int dlt;
	const char *name;
};

/* The link type if supported, else NULL. */
const struct xpc_link *xpc_link_find(int dlt);

/*
 * Length of the L2 header of a frame and the IP version it announces
 * (4, 6, or 0: not IP). -1 if the frame is shorter than its L2 header.
 */
int xpc_l2_parse(const struct xpc_link *lk, const uint8_t *p, uint32_t len,
		 uint32_t *l2_len, unsigned int *ipver);

/*
 * Rewrite an original L2 header (in place) for an IP packet of version
 * ipver. false if the link type cannot carry that version.
 */
bool xpc_l2_fix(const struct xpc_link *lk, uint8_t *l2, uint32_t l2_len, unsigned int ipver);

/* ---- a packet in flight ---- */

enum xpc_fate {
	XPC_RUN = 0,		/* stages left */
	XPC_DONE_DECAP,
	XPC_DONE_ENCAP,
	XPC_DONE_PASS,		/* unchanged: write the original record */
	XPC_DONE_DROP,
};

enum xpc_dir { XPC_IN = 0, XPC_OUT = 1 };

struct xpc_pkt {
	uint64_t number;		/* 1-based, in IN */
	struct timeval ts;		/* micro- or nanoseconds, as IN */
	uint32_t caplen, len;
	const uint8_t *frame;		/* the record as read (valid for this burst) */
	uint8_t l2[XPC_L2_MAX];
	uint32_t l2_len;
	struct rte_mbuf *m;		/* at the IP header */
	enum xpc_fate fate;
	enum xpc_dir dir;
	uint8_t stage, nstage;		/* outbound: next SA, SA count */
	uint8_t depth;			/* inbound: SAs removed so far */
	uint32_t mark;			/* 0, then each SA's SET_MARK (inbound) */
	struct secpath sp;		/* inbound: the SAs removed, outermost first */
	struct xfrm_sa *sa[XPC_MAX_STAGES];
	uint32_t stage_bytes;		/* length given to the current stage */
};

/* ---- classification (classify.c) ---- */

struct xpc_ctx {
	struct xpc_db *db;
	struct xpc_counters *cnt;
	struct rte_mempool *pool;
	struct xfrm_lcore xl;		/* ESP's and AH's per-lcore state */
	const struct xpc_link *link;
	unsigned int segments;
	uint64_t now;			/* the SAD's clock at start */
};

/*
 * Set the packet's first stage (or its fate). decapsulated: the packet
 * came out of an SA; only further inbound SAs apply then.
 */
void xpc_classify(struct xpc_ctx *x, struct xpc_pkt *p, bool decapsulated);

/* Addresses, protocol, ports (ICMP type/code) as XFRM selectors see them. */
void xpc_flow_of(const struct rte_mbuf *m, struct spd_flow *f);

void xpc_drop(struct xpc_ctx *x, struct xpc_pkt *p, enum xpc_drop why);
void xpc_pass(struct xpc_ctx *x, struct xpc_pkt *p, enum xpc_pass why);

/* ---- ESP/AH (xform.c) ---- */

int xpc_xform_lcore_init(struct xpc_ctx *x);
void xpc_xform_lcore_free(struct xpc_ctx *x);

/* Run n packets of one SA; the good ones first (esp.h's contract). */
uint16_t xpc_xform_run(struct xpc_ctx *x, struct xfrm_sa *sa, enum xpc_dir dir,
		       struct rte_mbuf **m, uint16_t n);

/* Count why m (behind the good ones) was refused. */
void xpc_xform_count_drop(struct xpc_ctx *x, const struct xfrm_sa *sa, struct rte_mbuf *m);


/* ---- the burst (engine.c) ---- */

/* Register the mbuf field the engine tags packets with. 0 or -1. */
int xpc_engine_init(void);
void xpc_engine_run(struct xpc_ctx *x, struct xpc_pkt *p, unsigned int n);

/* ---- packets <-> mbufs (io.c) ---- */

/* A chain holding data, cut into segs segments at odd offsets (1: flat). */
struct rte_mbuf *xpc_mbuf_build(struct rte_mempool *pool, const uint8_t *data, uint32_t len,
				unsigned int segs);
/* Copy m out behind l2 (l2_len bytes) into buf; the total, or -1 if it does not fit. */
int xpc_mbuf_flatten(const struct rte_mbuf *m, const uint8_t *l2, uint32_t l2_len,
		     uint8_t *buf, uint32_t cap);

#endif
