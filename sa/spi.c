/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ALLOCSPI: a larval SA holding a unique SPI until UPDSA completes it or
 * its acquire lifetime (XFRM_ACQ_EXPIRES) runs out.
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

static struct xfrm_sa *find_by_seq(struct sad *sad, const struct xfrm_userspi_info *req)
{
	struct sa_list_node *n;

	for (n = sad->larval.next; n != &sad->larval; n = n->next) {
		struct xfrm_sa *x = sa_container_of(n, struct xfrm_sa, larval);

		if (x->seq == req->info.seq && x->family == req->info.family &&
		    !memcmp(&x->id.daddr, &req->info.id.daddr, sa_addr_len(x->family)))
			return x;
	}
	return NULL;
}

/* A larval SA without an SPI for the same template (__find_acq_core). */
static struct xfrm_sa *find_acq(struct sad *sad, const struct xfrm_userspi_info *req,
				const struct xfrm_mark *mark, uint32_t if_id)
{
	const struct xfrm_usersa_info *p = &req->info;
	struct sa_list_node *n;

	for (n = sad->larval.next; n != &sad->larval; n = n->next) {
		struct xfrm_sa *x = sa_container_of(n, struct xfrm_sa, larval);
		size_t alen = sa_addr_len(x->family);

		if (x->family != p->family || x->id.spi || x->id.proto != p->id.proto ||
		    x->mode != p->mode || x->reqid != p->reqid || x->if_id != if_id ||
		    x->mark.v != mark->v || x->mark.m != mark->m ||
		    memcmp(&x->id.daddr, &p->id.daddr, alen) || memcmp(&x->saddr, &p->saddr, alen))
			continue;
		return x;
	}
	return NULL;
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
		x = find_by_seq(sad, req);
	if (!x)
		x = find_acq(sad, req, mark, if_id);
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
