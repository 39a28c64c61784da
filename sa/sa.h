/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The security association (RFC 4301 4.4.2), as XFRM describes it.
 *
 * struct xfrm_sa mirrors the kernel's xfrm_state as <linux/xfrm.h> exposes
 * it: the fixed part is a struct xfrm_usersa_info (id, saddr, selector,
 * lifetimes, stats, reqid, family, mode, replay_window, flags) and every
 * optional XFRMA_* attribute has a field. The netlink layer builds one with
 * sa_alloc() + the sa_set_*() helpers, binds its crypto (sa_crypto.h), and
 * hands it to the SAD (sad.h), which owns it from then on.
 *
 * Life of an SA: allocated (refcnt 1, owned by the builder) -> sad_add()
 * (the SAD takes that reference) -> readers find it by lookup without a
 * reference (RCU, rcu.h) -> deleted: unlinked, and its reference is dropped
 * after a grace period -> the last sa_put() frees it: transforms freed
 * (their contexts wiped by the crypto API) and key bytes zeroed.
 *
 * All multi-byte fields taken from XFRM keep XFRM's byte order: addresses,
 * SPI and ports in network order, everything else in host order.
 */
#ifndef XFRMGW_SA_SA_H
#define XFRMGW_SA_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/xfrm.h>

#include "sa/replay.h"

/* Kernel default of net.core.xfrm_acq_expires: larval SAs live 30 s. */
#ifndef XFRM_ACQ_EXPIRES
#define XFRM_ACQ_EXPIRES 30
#endif

/* "No limit" for lifetime fields, as in the kernel. */
#ifndef XFRM_INF
#define XFRM_INF (~(uint64_t)0)
#endif

/* km.state of the kernel. */
enum sa_state {
	SA_STATE_VOID = 0,
	SA_STATE_ACQ,		/* larval: an ACQUIRE's (SPI 0 until ALLOCSPI) or ALLOCSPI's; no keys */
	SA_STATE_VALID,		/* in use */
	SA_STATE_ERROR,
	SA_STATE_EXPIRED,	/* hard limit reached: no more packets */
	SA_STATE_DEAD,		/* unlinked from the SAD, waiting to be freed */
};

/* Expiry events raised at most once each (sa->ev_raised). */
#define SA_EV_SOFT	0x1u
#define SA_EV_HARD	0x2u

struct sa_crypto;
struct sad;
struct xfrm_state_ops;
struct xfrm_type;

/*
 * Current lifetime, updated by the data path (relaxed atomics). add_time is
 * set when the SA enters the SAD; use_time at its first packet, as the
 * kernel's xfrm_state (not the last use: that is a policy's meaning).
 */
struct sa_lifetime_cur {
	uint64_t bytes;
	uint64_t packets;
	uint64_t add_time;	/* seconds, the SAD's clock */
	uint64_t use_time;	/* 0 until first use */
};

/* Counters kept beside the kernel's struct xfrm_stats, updated atomically. */
struct sa_stats {
	uint32_t replay_window;		/* packets below the window */
	uint32_t replay;		/* duplicates */
	uint32_t integrity_failed;	/* ICV did not verify */
};

struct xfrm_sa {
	/* ---- identity (struct xfrm_id + family), never changes once added ---- */
	struct xfrm_id id;		/* daddr, spi (network order), proto */
	xfrm_address_t saddr;
	uint16_t family;		/* AF_INET / AF_INET6 */
	uint8_t mode;			/* XFRM_MODE_TRANSPORT / TUNNEL / BEET */
	uint8_t flags;			/* XFRM_STATE_* (ESN, NOECN, DECAP_DSCP, ...) */
	uint32_t extra_flags;		/* XFRMA_SA_EXTRA_FLAGS: XFRM_SA_XFLAG_* */
	uint32_t reqid;
	struct xfrm_mark mark;		/* XFRMA_MARK: matches when (m & mark.m) == mark.v */
	uint32_t if_id;			/* XFRMA_IF_ID */

	/* ---- data-path state ---- */
	uint8_t state;			/* enum sa_state; read with an acquire load */
	uint32_t ev_raised;		/* SA_EV_* already raised (atomic) */
	uint32_t ev_delivered;		/* SA_EV_* already told (control thread) */
	uint64_t oseq;			/* last outbound sequence number (atomic) */
	struct sa_replay *replay;	/* inbound window, NULL if none configured */
	struct sa_crypto *crypto;	/* bound transforms (sa_crypto.h), or NULL */
	struct sa_lifetime_cur curlft;
	struct sa_stats stats;
	const struct xfrm_type *type;	/* its protocol's ops (xfrm_type.h), set when bound */
	const struct xfrm_state_ops *ops; /* burst functions type->init_state chose */
	uintptr_t type_priv;		/* the type's own word (ESP: last NAT-T mapping report) */

	/* ---- configuration, as XFRM gave it ---- */
	struct xfrm_selector sel;
	struct xfrm_lifetime_cfg lft;
	uint32_t seq;			/* xfrm_usersa_info.seq (the ACQUIRE's seq) */
	uint8_t replay_window;		/* xfrm_usersa_info.replay_window (legacy) */
	bool has_replay_esn;		/* XFRMA_REPLAY_ESN_VAL was given */
	uint32_t replay_esn_window;	/* its replay_window (bits) */
	uint32_t replay_esn_bmp_len;	/* its bmp_len (32-bit words) */
	uint32_t replay_maxdiff;	/* XFRMA_REPLAY_THRESH: packets (0: no count events) */
	uint32_t replay_maxage;		/* XFRMA_ETIMER_THRESH: tenths of a second (0: no timer) */

	/*
	 * Algorithms with their keys, as XFRM gives them (copies owned by the
	 * SA, zeroed when it is freed). Names are canonical ("hmac(sha1)"
	 * for "sha1"), as the kernel reports them in GETSA. An ALG_AUTH
	 * without truncation is stored with the default truncation.
	 */
	struct xfrm_algo_aead *aead;	/* XFRMA_ALG_AEAD: alg_icv_len bits */
	struct xfrm_algo *ealg;		/* XFRMA_ALG_CRYPT */
	struct xfrm_algo_auth *aalg;	/* XFRMA_ALG_AUTH(_TRUNC): alg_trunc_len bits */
	bool aalg_trunc_given;		/* came as XFRMA_ALG_AUTH_TRUNC */
	struct xfrm_algo *calg;		/* XFRMA_ALG_COMP (stored, not implemented) */

	bool has_encap;			/* XFRMA_ENCAP: UDP encapsulation (RFC 3948) */
	struct xfrm_encap_tmpl encap;	/* type, sport, dport (network order), oa */
	bool has_coaddr;
	xfrm_address_t coaddr;		/* XFRMA_COADDR */
	uint32_t tfcpad;		/* XFRMA_TFCPAD */
	bool has_smark;
	struct xfrm_mark smark;		/* XFRMA_SET_MARK / _MASK: output mark */
	struct xfrm_user_sec_ctx *sec_ctx; /* XFRMA_SEC_CTX, opaque copy with its bytes */
	size_t sec_ctx_len;		/* total bytes of *sec_ctx */
	bool has_offload;
	struct xfrm_user_offload offload; /* XFRMA_OFFLOAD_DEV: stored, software path used */
	uint32_t mtimer_thresh;		/* XFRMA_MTIMER_THRESH */

	/* ---- async events (XFRM_MSG_NEWAE, sad_aevent_tick): control thread only ---- */
	struct sa_aevent_state {
		uint64_t seq;		/* inbound highest sequence number at the last event */
		uint64_t oseq;		/* outbound sequence number at the last event */
		uint64_t due;		/* timer deadline, tenths of a second; 0: not armed */
		bool defer;		/* the timer found no change: tell the next one at once */
	} ae;

	/* ---- bookkeeping (SAD, control plane only) ---- */
	uint32_t refcnt;		/* atomic */
	uint64_t serial;		/* insertion order, for dumps */
	struct xfrm_sa *spi_next;	/* RCU chain: same (daddr, spi, proto) */
	struct xfrm_sa *out_next;	/* RCU chain: same outbound template key */
	struct sa_list_node {
		struct sa_list_node *prev, *next;
		bool marker;		/* a dump cursor, not an entry */
	} all, larval;			/* SAD lists (marker nodes for dumps share them) */
	struct sad *sad;		/* owner once added */
	bool hashed;			/* in the SAD's hash indexes */
};

/* ---- construction and references ---- */

/*
 * A zeroed SA with refcnt 1, state VOID, lifetimes infinite (XFRM_INF), as
 * xfrm_state_alloc leaves one. NULL on no memory.
 */
struct xfrm_sa *sa_alloc(void);

/*
 * Fill the fixed part from a NEWSA/UPDSA/ALLOCSPI message body: id, saddr,
 * sel, lft, seq, reqid, family, mode, replay_window, flags. curlft and stats
 * from userspace are ignored, as the kernel ignores them.
 */
void sa_set_usersa_info(struct xfrm_sa *sa, const struct xfrm_usersa_info *p);

/* The fixed part back, for GETSA/dumps/events (curlft and stats current). */
void sa_get_usersa_info(const struct xfrm_sa *sa, struct xfrm_usersa_info *p);

/*
 * Algorithms. Each copies the attribute (len bytes, at least the struct plus
 * DIV_ROUND_UP(alg_key_len, 8) key bytes), canonicalises the name and checks
 * it against the algorithms XFRM knows. Errors (with *msg set to a constant
 * string for extack when msg is not NULL):
 *  -ENOSYS  unknown algorithm name ("not supported"), or an AEAD ICV length
 *           the algorithm does not offer
 *  -EINVAL  attribute shorter than its key, truncation longer than the
 *           digest or not a multiple of 8 bits, a second algorithm of a kind
 *  -ENOMEM
 * sa_set_auth() applies the default truncation of the name (96 bits for
 * hmac(sha1)/hmac(sha256)/xcbc/cmac, 192 for sha384, 256 for sha512, 0 for
 * digest_null), as the kernel's XFRMA_ALG_AUTH does.
 */
int sa_set_aead(struct xfrm_sa *sa, const struct xfrm_algo_aead *a, size_t len, const char **msg);
int sa_set_crypt(struct xfrm_sa *sa, const struct xfrm_algo *a, size_t len, const char **msg);
int sa_set_auth(struct xfrm_sa *sa, const struct xfrm_algo *a, size_t len, const char **msg);
int sa_set_auth_trunc(struct xfrm_sa *sa, const struct xfrm_algo_auth *a, size_t len,
		      const char **msg);
int sa_set_comp(struct xfrm_sa *sa, const struct xfrm_algo *a, size_t len, const char **msg);

/* Opaque security context copy (len = whole attribute). 0 / -EINVAL / -ENOMEM. */
int sa_set_sec_ctx(struct xfrm_sa *sa, const struct xfrm_user_sec_ctx *ctx, size_t len);

/*
 * Replay state. window: bits (XFRMA_REPLAY_ESN_VAL's replay_window when that
 * attribute came, else xfrm_usersa_info.replay_window); esn from
 * XFRM_STATE_ESN. Allocates sa->replay when window > 0 or esn. init (may be
 * NULL) seeds seq/oseq and the bitmap from XFRMA_REPLAY_ESN_VAL; legacy
 * (may be NULL) from XFRMA_REPLAY_VAL. 0, -EINVAL, -ENOMEM.
 */
int sa_replay_setup(struct xfrm_sa *sa, uint32_t window,
		    const struct xfrm_replay_state_esn *init,
		    const struct xfrm_replay_state *legacy);

/* Kernel's xfrm_state_kern-like helpers. */
static inline bool sa_is_esn(const struct xfrm_sa *sa)
{
	return sa->flags & XFRM_STATE_ESN;
}

static inline enum sa_state sa_state_get(const struct xfrm_sa *sa)
{
	return (enum sa_state)__atomic_load_n(&sa->state, __ATOMIC_ACQUIRE);
}

static inline bool sa_is_valid(const struct xfrm_sa *sa)
{
	return sa_state_get(sa) == SA_STATE_VALID;
}

/* Does this SA answer a lookup with mark m and interface id if_id? */
static inline bool sa_mark_match(const struct xfrm_sa *sa, uint32_t m, uint32_t if_id)
{
	return (m & sa->mark.m) == sa->mark.v && sa->if_id == if_id;
}

static inline void sa_hold(struct xfrm_sa *sa)
{
	__atomic_add_fetch(&sa->refcnt, 1, __ATOMIC_RELAXED);
}

/*
 * Drop a reference; the last one frees the SA: crypto transforms freed
 * (contexts wiped), key copies and replay window zeroed and freed. Callers
 * that found the SA by an RCU lookup hold no reference and must not put.
 */
void sa_put(struct xfrm_sa *sa);

/* Outbound sequence number for this SA (replay.h sa_seq_next). */
static inline int sa_oseq_next(struct xfrm_sa *sa, uint64_t *seq)
{
	return sa_seq_next(&sa->oseq, sa_is_esn(sa),
			   sa->extra_flags & XFRM_SA_XFLAG_OSEQ_MAY_WRAP, seq);
}

/* Address helpers: bytes of an address of this family (4 or 16). */
static inline size_t sa_addr_len(uint16_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

#endif
