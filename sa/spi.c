/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Larval SAs (state ACQ), the kernel's acquire states: one is made when an
 * outbound template has no SA and an ACQUIRE goes to the IKE daemon
 * (sad_acquire, SPI 0), or by ALLOCSPI (with a unique SPI). NEWSA or UPDSA
 * replace it; else its acquire lifetime (XFRM_ACQ_EXPIRES) runs out.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "sa/internal.h"

static uint32_t random_u32(void)
{
	uint32_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (uint32_t)random();
	return r;
}

static bool spi_in_use(struct sad *sad, const struct xfrm_sa *x, uint32_t spi_host)
{
	return sad_locate_locked(sad, &x->id.daddr, x->family, htonl(spi_host), x->id.proto,
				 0, 0, true) != NULL;
}

/* Random tries first, then a scan from a random start when the range is small. */
static int pick_spi(struct sad *sad, const struct xfrm_sa *x, uint32_t lo, uint32_t hi,
		    uint32_t *out)
{
	uint64_t range = (uint64_t)hi - lo + 1;
	uint64_t start;

	if (range == 1) {
		if (spi_in_use(sad, x, lo))
			return -ENOENT;
		*out = lo;
		return 0;
	}
	for (int i = 0; i < 64; i++) {
		uint32_t spi = lo + (uint32_t)(random_u32() % range);

		if (!spi_in_use(sad, x, spi)) {
			*out = spi;
			return 0;
		}
	}
	if (range > (1u << 24))
		return -ENOENT;
	start = random_u32() % range;
	for (uint64_t i = 0; i < range; i++) {
		uint32_t spi = lo + (uint32_t)((start + i) % range);

		if (!spi_in_use(sad, x, spi)) {
			*out = spi;
			return 0;
		}
	}
	return -ENOENT;
}

static bool addr_eq(const xfrm_address_t *a, const xfrm_address_t *b, uint16_t family)
{
	return !memcmp(a, b, sa_addr_len(family));
}

static struct xfrm_sa *larval_of(struct sa_list_node *n)
{
	return sa_container_of(n, struct xfrm_sa, larval);
}

/* The larval SA of an ACQUIRE by its seq (__xfrm_find_acq_byseq), same daddr. */
static struct xfrm_sa *find_by_seq(struct sad *sad, uint32_t seq, uint16_t family,
				   const xfrm_address_t *daddr)
{
	for (struct sa_list_node *n = sad->larval.next; n != &sad->larval; n = n->next) {
		struct xfrm_sa *x = larval_of(n);

		if (x->seq == seq && x->family == family && addr_eq(&x->id.daddr, daddr, family))
			return x;
	}
	return NULL;
}

/* What a larval SA is waiting for: the template it was made for. */
struct larval_key {
	const xfrm_address_t *daddr, *saddr;
	uint16_t family;
	uint8_t proto, mode;
	uint32_t reqid, if_id;
	const struct xfrm_mark *mark;
};

/* A larval SA without an SPI for the same template (__find_acq_core). */
static struct xfrm_sa *find_acq(struct sad *sad, const struct larval_key *k)
{
	for (struct sa_list_node *n = sad->larval.next; n != &sad->larval; n = n->next) {
		struct xfrm_sa *x = larval_of(n);

		if (x->family != k->family || x->id.spi || x->id.proto != k->proto ||
		    x->mode != k->mode || x->reqid != k->reqid || x->if_id != k->if_id ||
		    x->mark.v != k->mark->v || x->mark.m != k->mark->m ||
		    !addr_eq(&x->id.daddr, k->daddr, k->family) ||
		    !addr_eq(&x->saddr, k->saddr, k->family))
			continue;
		return x;
	}
	return NULL;
}

struct xfrm_sa *sad_larval_answered_locked(struct sad *sad, const struct xfrm_sa *sa)
{
	struct larval_key k = {
		.daddr = &sa->id.daddr, .saddr = &sa->saddr, .family = sa->family,
		.proto = sa->id.proto, .mode = sa->mode, .reqid = sa->reqid,
		.if_id = sa->if_id, .mark = &sa->mark,
	};
	struct xfrm_sa *x = NULL;

	if (sa->seq)
		x = find_by_seq(sad, sa->seq, sa->family, &sa->id.daddr);
	if (x && x->id.proto == sa->id.proto)
		return x;
	return find_acq(sad, &k);
}

static struct xfrm_sa *new_larval(const struct xfrm_userspi_info *req,
				  const struct xfrm_mark *mark, uint32_t if_id)
{
	const struct xfrm_usersa_info *p = &req->info;
	struct xfrm_sa *x = sa_alloc();

	if (!x)
		return NULL;
	x->id.daddr = p->id.daddr;
	x->id.proto = p->id.proto;
	x->saddr = p->saddr;
	x->sel = p->sel;
	x->family = p->family;
	x->mode = p->mode;
	x->reqid = p->reqid;
	x->seq = p->seq;
	x->mark = *mark;
	x->if_id = if_id;
	x->lft.hard_add_expires_seconds = XFRM_ACQ_EXPIRES;
	return x;
}

static int check_req(const struct xfrm_userspi_info *req, const char **msg)
{
	const struct xfrm_usersa_info *p = &req->info;

	if (p->family != AF_INET && p->family != AF_INET6) {
		*msg = "bad address family";
		return -EINVAL;
	}
	if (p->id.proto != IPPROTO_ESP && p->id.proto != IPPROTO_AH &&
	    p->id.proto != IPPROTO_COMP) {
		*msg = "SPIs exist only for ESP, AH and IPComp";
		return -EINVAL;
	}
	if (req->min > req->max || req->max == 0 ||
	    (p->id.proto == IPPROTO_COMP && req->max >= 0x10000)) {
		*msg = "bad SPI range";
		return -EINVAL;
	}
	return 0;
}

int sad_alloc_spi(struct sad *sad, const struct xfrm_userspi_info *req,
		  const struct xfrm_mark *mark, uint32_t if_id,
		  struct xfrm_sa **out, const char **msg)
{
	static const struct xfrm_mark no_mark;
	const char *dummy;
	struct xfrm_sa *x = NULL;
	bool created = false;
	uint32_t spi;
	int rc;

	if (!msg)
		msg = &dummy;
	if (!mark)
		mark = &no_mark;
	rc = check_req(req, msg);
	if (rc)
		return rc;
	pthread_mutex_lock(&sad->lock);
	if (req->info.seq)
		x = find_by_seq(sad, req->info.seq, req->info.family, &req->info.id.daddr);
	if (!x) {
		const struct xfrm_usersa_info *p = &req->info;
		struct larval_key k = {
			.daddr = &p->id.daddr, .saddr = &p->saddr, .family = p->family,
			.proto = p->id.proto, .mode = p->mode, .reqid = p->reqid,
			.if_id = if_id, .mark = mark,
		};

		x = find_acq(sad, &k);
	}
	if (!x) {
		x = new_larval(req, mark, if_id);
		if (!x) {
			rc = -ENOMEM;
			goto unlock;
		}
		rc = sad_insert_locked(sad, x, SA_STATE_ACQ);
		sa_put(x);		/* the SAD holds it now, or it is gone */
		if (rc)
			goto unlock;
		created = true;
	}
	if (!x->id.spi) {
		rc = pick_spi(sad, x, req->min ? req->min : 1, req->max, &spi);
		if (rc) {
			*msg = "no SPI available in the requested range";
			goto fail_new;
		}
		x->id.spi = htonl(spi);
		rc = sad_hash_insert_locked(sad, x);
		if (rc) {
			x->id.spi = 0;
			goto fail_new;
		}
	}
	sa_hold(x);
	*out = x;
	goto unlock;

fail_new:
	if (created)
		sad_unlink_locked(sad, x);
unlock:
	pthread_mutex_unlock(&sad->lock);
	sa_rcu_reclaim(sad->rcu);
	return rc;
}

/* ---- ACQUIRE ---- */

/* An outbound template's larval SA, with or without an SPI (xfrm_state_find). */
static struct xfrm_sa *find_acquiring(struct sad *sad, const struct sad_out_key *k)
{
	for (struct sa_list_node *n = sad->larval.next; n != &sad->larval; n = n->next) {
		struct xfrm_sa *x = larval_of(n);

		if (x->family != k->family || x->reqid != k->reqid || x->id.proto != k->proto ||
		    x->mode != k->mode || !sa_mark_match(x, k->mark, k->if_id) ||
		    (k->spi && x->id.spi != k->spi) ||
		    !addr_eq(&x->id.daddr, &k->daddr, k->family) ||
		    !addr_eq(&x->saddr, &k->saddr, k->family))
			continue;
		return x;
	}
	return NULL;
}

/* xfrm_init_tempstate(): the template's identity, the flow's selector. */
static struct xfrm_sa *acquire_larval(const struct sad_acquire_req *req)
{
	const struct sad_out_key *k = &req->key;
	struct xfrm_sa *x = sa_alloc();

	if (!x)
		return NULL;
	x->id.daddr = k->daddr;
	x->id.spi = k->spi;
	x->id.proto = k->proto;
	x->saddr = k->saddr;
	x->family = k->family;
	x->mode = k->mode;
	x->reqid = k->reqid;
	x->if_id = k->if_id;
	x->mark = req->mark;
	x->sel = req->sel;
	x->seq = req->seq;
	x->lft.hard_add_expires_seconds = XFRM_ACQ_EXPIRES;
	return x;
}

int sad_acquire(struct sad *sad, const struct sad_acquire_req *req, struct xfrm_sa **out)
{
	const struct sad_out_key *k = &req->key;
	struct xfrm_sa *x;
	int rc;

	if ((k->family != AF_INET && k->family != AF_INET6) ||
	    (k->proto != IPPROTO_ESP && k->proto != IPPROTO_AH && k->proto != IPPROTO_COMP))
		return -EINVAL;
	pthread_mutex_lock(&sad->lock);
	if (sad_lookup_out(sad, k)) {
		rc = -EEXIST;		/* installed since the packet path asked */
		goto unlock;
	}
	if (find_acquiring(sad, k)) {
		rc = -EINPROGRESS;	/* already asked: one ACQUIRE per larval SA */
		goto unlock;
	}
	x = acquire_larval(req);
	if (unlikely(!x)) {
		rc = -ENOMEM;
		goto unlock;
	}
	rc = sad_insert_locked(sad, x, SA_STATE_ACQ);
	if (rc)
		sa_put(x);
	else
		*out = x;	/* the builder's reference goes to the caller */
unlock:
	pthread_mutex_unlock(&sad->lock);
	return rc;
}

unsigned int sad_larval_count(struct sad *sad)
{
	unsigned int n = 0;

	pthread_mutex_lock(&sad->lock);
	for (struct sa_list_node *p = sad->larval.next; p != &sad->larval; p = p->next)
		n++;
	pthread_mutex_unlock(&sad->lock);
	return n;
}
