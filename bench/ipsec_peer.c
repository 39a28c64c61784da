/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-bench traffic, the DPDK peer: the same ESP tunnel SA (keys, SPI,
 * outer addresses, replay window) processed by DPDK's own librte_ipsec over
 * a crypto_aesni_mb cryptodev session, the way ipsec-secgw drives it:
 *
 *   CPU crypto (RTE_SECURITY_ACTION_TYPE_CPU_CRYPTO):
 *     rte_ipsec_pkt_cpu_prepare() does the crypto in line, then
 *     rte_ipsec_pkt_process()
 *   lookaside (RTE_SECURITY_ACTION_TYPE_NONE):
 *     crypto ops from a pool, rte_ipsec_pkt_crypto_prepare(),
 *     enqueue/dequeue on the lcore's queue pair, rte_ipsec_pkt_crypto_group(),
 *     rte_ipsec_pkt_process() per group, ops back to the pool
 *
 * As in ipsec-secgw without checksum offload, the outer IPv4 checksum is
 * computed in software after outbound processing (librte_ipsec leaves it).
 * The device is a vdev created after crypto_init(), so the crypto API's own
 * cryptodev backend, which configures every device present at its probe,
 * does not take it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cryptodev.h>
#include <rte_ip.h>
#include <rte_ipsec.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "cryptoapi/crypto.h"
#include "traffic.h"

#define PEER_VDEV	"crypto_aesni_mb_xfrmgw_bench"
#define PEER_SESSIONS	2048u
#define PEER_OPS	8192u
#define PEER_QP_DEPTH	2048u
/* Where rte_ipsec writes the per-operation IV: right after the symmetric op. */
#define PEER_IV_OFS	(sizeof(struct rte_crypto_op) + sizeof(struct rte_crypto_sym_op))
#define PEER_REPLAY	1024u

static struct {
	bool up;
	uint8_t dev;
	unsigned int nqp;
	bool cpu_crypto;
	struct rte_mempool *sess_pool;
	struct rte_mempool *cop_pool;
} peer;

struct peer_sa {
	struct rte_ipsec_session ss;	/* cache aligned: first */
	struct rte_ipsec_sa *sa;
	void *cs;			/* cryptodev session */
};

struct peer_pair {
	struct peer_sa out, in;
};

struct peer_lcore {
	uint16_t qp;
};

bool tr_peer_cpu_crypto(void)
{
	return peer.cpu_crypto;
}

bool tr_peer_supports(const struct tr_alg *a)
{
	if (a->aead)
		return (!strcmp(a->aead, "rfc4106(gcm(aes))") ||
			!strcmp(a->aead, "rfc7539esp(chacha20,poly1305)")) && a->icv_bits == 128;
	return !strcmp(a->enc, "cbc(aes)") && (!strcmp(a->auth, "hmac(sha256)") ||
					       !strcmp(a->auth, "hmac(sha1)"));
}

static int peer_dev_setup(unsigned int nqp, int socket)
{
	struct rte_cryptodev_config conf = {
		.socket_id = socket,
		.nb_queue_pairs = (uint16_t)nqp,
		.ff_disable = RTE_CRYPTODEV_FF_ASYMMETRIC_CRYPTO | RTE_CRYPTODEV_FF_SECURITY,
	};
	struct rte_cryptodev_qp_conf qconf = { .nb_descriptors = PEER_QP_DEPTH };
	struct rte_cryptodev_info info;

	rte_cryptodev_info_get(peer.dev, &info);
	peer.cpu_crypto = info.feature_flags & RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO;
	if (rte_cryptodev_configure(peer.dev, &conf))
		return -EIO;
	peer.sess_pool = rte_cryptodev_sym_session_pool_create("xb_peer_sess", PEER_SESSIONS,
			rte_cryptodev_sym_get_private_session_size(peer.dev), 0, 0, socket);
	peer.cop_pool = rte_crypto_op_pool_create("xb_peer_cop", RTE_CRYPTO_OP_TYPE_SYMMETRIC,
						  PEER_OPS, 128, 32, socket);
	if (!peer.sess_pool || !peer.cop_pool)
		return -ENOMEM;
	qconf.mp_session = peer.sess_pool;
	for (uint16_t q = 0; q < nqp; q++)
		if (rte_cryptodev_queue_pair_setup(peer.dev, q, &qconf, socket))
			return -EIO;
	return rte_cryptodev_start(peer.dev) ? -EIO : 0;
}

int tr_peer_init(unsigned int nqp, const char **why)
{
	char args[64];
	int id, rc;

	snprintf(args, sizeof(args), "max_nb_queue_pairs=%u", nqp);
	if (rte_vdev_init(PEER_VDEV, args)) {
		*why = "cannot create the crypto_aesni_mb vdev";
		return -ENODEV;
	}
	id = rte_cryptodev_get_dev_id(PEER_VDEV);
	if (id < 0) {
		rte_vdev_uninit(PEER_VDEV);
		*why = "crypto_aesni_mb vdev has no device id";
		return -ENODEV;
	}
	peer.dev = (uint8_t)id;
	peer.nqp = nqp;
	rc = peer_dev_setup(nqp, (int)rte_socket_id());
	if (rc) {
		*why = "crypto_aesni_mb configuration failed";
		peer.up = true;
		tr_peer_fini();
		return rc;
	}
	peer.up = true;
	return 0;
}

void tr_peer_fini(void)
{
	if (!peer.up)
		return;
	rte_cryptodev_stop(peer.dev);
	rte_cryptodev_close(peer.dev);
	rte_mempool_free(peer.cop_pool);
	rte_mempool_free(peer.sess_pool);
	rte_vdev_uninit(PEER_VDEV);
	memset(&peer, 0, sizeof(peer));
}

/* ---- SA and session ---- */

struct peer_xf {
	struct rte_crypto_sym_xform x[2];
	uint8_t ek[64], ak[64];
};

/* The cryptodev transform chain of the algorithm, for one direction. */
static struct rte_crypto_sym_xform *peer_xform(const struct tr_alg *a, bool out,
					       struct peer_xf *f)
{
	struct rte_crypto_sym_xform *c = &f->x[0], *h = &f->x[1];

	memset(f->x, 0, sizeof(f->x));
	tr_alg_keys(a, f->ek, f->ak);
	if (a->aead) {
		c->type = RTE_CRYPTO_SYM_XFORM_AEAD;
		c->aead.op = out ? RTE_CRYPTO_AEAD_OP_ENCRYPT : RTE_CRYPTO_AEAD_OP_DECRYPT;
		c->aead.algo = strstr(a->aead, "chacha") ? RTE_CRYPTO_AEAD_CHACHA20_POLY1305 :
			       RTE_CRYPTO_AEAD_AES_GCM;
		c->aead.key.data = f->ek;
		c->aead.key.length = (uint16_t)(a->enckey - 4);
		c->aead.iv.offset = PEER_IV_OFS;
		c->aead.iv.length = 12;
		c->aead.digest_length = (uint16_t)(a->icv_bits / 8);
		c->aead.aad_length = 8;	/* SPI || 32-bit sequence number */
		return c;
	}
	c->type = RTE_CRYPTO_SYM_XFORM_CIPHER;
	c->cipher.op = out ? RTE_CRYPTO_CIPHER_OP_ENCRYPT : RTE_CRYPTO_CIPHER_OP_DECRYPT;
	c->cipher.algo = RTE_CRYPTO_CIPHER_AES_CBC;
	c->cipher.key.data = f->ek;
	c->cipher.key.length = (uint16_t)a->enckey;
	c->cipher.iv.offset = PEER_IV_OFS;
	c->cipher.iv.length = 16;
	h->type = RTE_CRYPTO_SYM_XFORM_AUTH;
	h->auth.op = out ? RTE_CRYPTO_AUTH_OP_GENERATE : RTE_CRYPTO_AUTH_OP_VERIFY;
	h->auth.algo = strstr(a->auth, "sha256") ? RTE_CRYPTO_AUTH_SHA256_HMAC :
		       RTE_CRYPTO_AUTH_SHA1_HMAC;
	h->auth.key.data = f->ak;
	h->auth.key.length = (uint16_t)a->authkey;
	h->auth.digest_length = (uint16_t)(a->icv_bits / 8);
	/* RFC 4303 3.3.2 / 3.4.4: encrypt then MAC out, verify then decrypt in. */
	if (out) {
		c->next = h;
		return c;
	}
	h->next = c;
	return h;
}

static int peer_sa_init(struct peer_sa *ps, const struct tr_alg *a, unsigned int idx, bool out,
			enum rte_security_session_action_type type, const char **why)
{
	struct rte_ipv4_hdr hdr = {
		.version_ihl = 0x45,
		.time_to_live = 64,
		.next_proto_id = IPPROTO_ESP,
	};
	struct rte_ipsec_sa_prm prm;
	struct peer_xf f;
	int size, rc = -EINVAL;

	memset(&prm, 0, sizeof(prm));
	inet_pton(AF_INET, TR_OUTER_SRC, &hdr.src_addr);
	inet_pton(AF_INET, TR_OUTER_DST, &hdr.dst_addr);
	prm.crypto_xform = peer_xform(a, out, &f);
	prm.ipsec_xform.spi = TR_SPI + idx;
	if (a->aead)
		memcpy(&prm.ipsec_xform.salt, f.ek + a->enckey - 4, 4);
	prm.ipsec_xform.direction = out ? RTE_SECURITY_IPSEC_SA_DIR_EGRESS :
				    RTE_SECURITY_IPSEC_SA_DIR_INGRESS;
	prm.ipsec_xform.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
	prm.ipsec_xform.mode = RTE_SECURITY_IPSEC_SA_MODE_TUNNEL;
	prm.ipsec_xform.tunnel.type = RTE_SECURITY_IPSEC_TUNNEL_IPV4;
	prm.ipsec_xform.tunnel.ipv4.src_ip.s_addr = hdr.src_addr;
	prm.ipsec_xform.tunnel.ipv4.dst_ip.s_addr = hdr.dst_addr;
	prm.ipsec_xform.tunnel.ipv4.ttl = 64;
	prm.ipsec_xform.replay_win_sz = out ? 0 : PEER_REPLAY;
	/* Outbound SQN shared by lcores, as ipsec-secgw sets it. */
	prm.flags = out ? RTE_IPSEC_SAFLAG_SQN_ATOM : 0;
	prm.tun.hdr_len = sizeof(hdr);
	prm.tun.hdr_l3_off = 0;
	prm.tun.next_proto = IPPROTO_IPIP;
	prm.tun.hdr = &hdr;

	size = rte_ipsec_sa_size(&prm);
	if (size < 0) {
		*why = "rte_ipsec_sa_size refused the SA";
		goto out;
	}
	ps->sa = rte_zmalloc_socket("xb_peer_sa", (size_t)size, RTE_CACHE_LINE_SIZE,
				    (int)rte_socket_id());
	if (!ps->sa || rte_ipsec_sa_init(ps->sa, &prm, (uint32_t)size) < 0) {
		*why = "rte_ipsec_sa_init failed";
		goto out;
	}
	ps->cs = rte_cryptodev_sym_session_create(peer.dev, prm.crypto_xform, peer.sess_pool);
	if (!ps->cs) {
		*why = "crypto_aesni_mb refused the session";
		goto out;
	}
	ps->ss.sa = ps->sa;
	ps->ss.type = type;
	ps->ss.crypto.ses = ps->cs;
	ps->ss.crypto.dev_id = peer.dev;
	if (rte_ipsec_session_prepare(&ps->ss)) {
		*why = "rte_ipsec_session_prepare failed";
		goto out;
	}
	/* rte_ipsec_pkt_crypto_group() finds the session through this. */
	rte_cryptodev_sym_session_opaque_data_set(ps->cs, (uint64_t)(uintptr_t)&ps->ss);
	rc = 0;
out:
	crypto_wipe(&f, sizeof(f));
	return rc;
}

static void peer_sa_fini(struct peer_sa *ps)
{
	if (ps->cs)
		rte_cryptodev_sym_session_free(peer.dev, ps->cs);
	if (ps->sa) {
		rte_ipsec_sa_fini(ps->sa);
		rte_free(ps->sa);
	}
}

static void peer_pair_free(void *pair)
{
	struct peer_pair *p = pair;

	if (!p)
		return;
	peer_sa_fini(&p->out);
	peer_sa_fini(&p->in);
	rte_free(p);
}

static void *peer_pair_new_type(const struct tr_alg *a, unsigned int idx,
				enum rte_security_session_action_type type, const char **why)
{
	struct peer_pair *p;

	if (!peer.up) {
		*why = "no crypto_aesni_mb device";
		return NULL;
	}
	if (!tr_peer_supports(a)) {
		*why = "algorithm not mapped to rte_ipsec";
		return NULL;
	}
	if (type == RTE_SECURITY_ACTION_TYPE_CPU_CRYPTO && !peer.cpu_crypto) {
		*why = "crypto_aesni_mb offers no CPU crypto";
		return NULL;
	}
	p = rte_zmalloc("xb_peer_pair", sizeof(*p), RTE_CACHE_LINE_SIZE);
	if (!p) {
		*why = "no memory";
		return NULL;
	}
	if (peer_sa_init(&p->out, a, idx, true, type, why) ||
	    peer_sa_init(&p->in, a, idx, false, type, why)) {
		peer_pair_free(p);
		return NULL;
	}
	return p;
}

static void *peer_cpu_pair_new(const struct tr_alg *a, unsigned int idx, const char **why)
{
	return peer_pair_new_type(a, idx, RTE_SECURITY_ACTION_TYPE_CPU_CRYPTO, why);
}

static void *peer_lksd_pair_new(const struct tr_alg *a, unsigned int idx, const char **why)
{
	return peer_pair_new_type(a, idx, RTE_SECURITY_ACTION_TYPE_NONE, why);
}

static void *peer_lcore_init(unsigned int lcore_idx, struct rte_mempool *pool)
{
	struct peer_lcore *lc = rte_zmalloc("xb_peer_lcore", sizeof(*lc), RTE_CACHE_LINE_SIZE);

	(void)pool;
	if (lc)
		lc->qp = (uint16_t)(peer.nqp ? lcore_idx % peer.nqp : 0);
	return lc;
}

static void peer_lcore_fini(void *ctx)
{
	rte_free(ctx);
}

/* What the RX path of ipsec-secgw leaves in the mbuf: L2 gone, L3 length known. */
static void peer_rx_meta(struct rte_mbuf *mb[], uint16_t n, bool inbound)
{
	for (uint16_t i = 0; i < n; i++) {
		mb[i]->ol_flags = 0;
		mb[i]->l2_len = 0;
		mb[i]->l3_len = inbound ? sizeof(struct rte_ipv4_hdr) : 0;
	}
}

static uint16_t peer_cpu_run(struct peer_sa *ps, struct rte_mbuf *mb[], uint16_t n, bool out)
{
	uint16_t k, good;

	peer_rx_meta(mb, n, !out);
	k = rte_ipsec_pkt_cpu_prepare(&ps->ss, mb, n);
	good = rte_ipsec_pkt_process(&ps->ss, mb, k);
	if (out)
		for (uint16_t i = 0; i < good; i++)
			tr_ipv4_cksum(mb[i]);
	return good;
}

static uint16_t peer_lksd_run(struct peer_lcore *lc, struct peer_sa *ps, struct rte_mbuf *mb[],
			      uint16_t n, bool out)
{
	struct rte_crypto_op *cop[TR_BURST], *done[TR_BURST];
	struct rte_ipsec_group grp[TR_BURST];
	uint16_t k, enq, deq = 0, ng, good = 0;

	if (unlikely(n > TR_BURST))
		n = TR_BURST;
	peer_rx_meta(mb, n, !out);
	if (rte_crypto_op_bulk_alloc(peer.cop_pool, RTE_CRYPTO_OP_TYPE_SYMMETRIC, cop, n) != n)
		return 0;
	k = rte_ipsec_pkt_crypto_prepare(&ps->ss, mb, cop, n);
	enq = rte_cryptodev_enqueue_burst(peer.dev, lc->qp, cop, k);
	while (deq < enq)
		deq += rte_cryptodev_dequeue_burst(peer.dev, lc->qp, done + deq, enq - deq);
	ng = rte_ipsec_pkt_crypto_group((const struct rte_crypto_op **)(uintptr_t)done, mb, grp,
					deq);
	for (uint16_t g = 0; g < ng; g++)
		good += rte_ipsec_pkt_process(grp[g].id.ptr, grp[g].m, (uint16_t)grp[g].cnt);
	rte_mempool_put_bulk(peer.cop_pool, (void **)cop, n);
	if (out)
		for (uint16_t i = 0; i < good; i++)
			tr_ipv4_cksum(mb[i]);
	return good;
}

static uint16_t peer_cpu_out(void *ctx, void *pair, struct rte_mbuf *mb[], uint16_t n)
{
	(void)ctx;
	return peer_cpu_run(&((struct peer_pair *)pair)->out, mb, n, true);
}

static uint16_t peer_cpu_in(void *ctx, void *pair, struct rte_mbuf *mb[], uint16_t n)
{
	(void)ctx;
	return peer_cpu_run(&((struct peer_pair *)pair)->in, mb, n, false);
}

static uint16_t peer_lksd_out(void *ctx, void *pair, struct rte_mbuf *mb[], uint16_t n)
{
	return peer_lksd_run(ctx, &((struct peer_pair *)pair)->out, mb, n, true);
}

static uint16_t peer_lksd_in(void *ctx, void *pair, struct rte_mbuf *mb[], uint16_t n)
{
	return peer_lksd_run(ctx, &((struct peer_pair *)pair)->in, mb, n, false);
}

static const char *peer_cpu_driver(void *pair)
{
	(void)pair;
	return "rte_ipsec+crypto_aesni_mb (cpu-crypto)";
}

static const char *peer_lksd_driver(void *pair)
{
	(void)pair;
	return "rte_ipsec+crypto_aesni_mb (lookaside)";
}

const struct tr_ops tr_peer_cpu_ops = {
	.lcore_init = peer_lcore_init,
	.lcore_fini = peer_lcore_fini,
	.pair_new = peer_cpu_pair_new,
	.pair_free = peer_pair_free,
	.out = peer_cpu_out,
	.in = peer_cpu_in,
	.driver = peer_cpu_driver,
};

const struct tr_ops tr_peer_lksd_ops = {
	.lcore_init = peer_lcore_init,
	.lcore_fini = peer_lcore_fini,
	.pair_new = peer_lksd_pair_new,
	.pair_free = peer_pair_free,
	.out = peer_lksd_out,
	.in = peer_lksd_in,
	.driver = peer_lksd_driver,
};
