/* SPDX-License-Identifier: BSD-3-Clause */
/* Scatter-gather lists: building, copying, iterating, paired block walks. */
#include <errno.h>
#include <string.h>

#include "sg.h"

int xsg_add(struct xsg *sg, void *addr, uint32_t len)
{
	if (len == 0)
		return 0;
	if (sg->nents >= sg->max)
		return -ENOSPC;
	sg->ent[sg->nents].addr = addr;
	sg->ent[sg->nents].len = len;
	sg->nents++;
	sg->total += len;
	return 0;
}

int xsg_set_buf(struct xsg *sg, void *buf, uint32_t len)
{
	sg->nents = 0;
	sg->total = 0;
	return xsg_add(sg, buf, len);
}

/* Position the iterator's cursor on a non-exhausted run. */
static inline void iter_settle(struct xsg_iter *it)
{
	while (it->idx < it->sg->nents && it->off >= it->sg->ent[it->idx].len) {
		it->off -= it->sg->ent[it->idx].len;
		it->idx++;
	}
}

void xsg_iter_init(struct xsg_iter *it, const struct xsg *sg, uint32_t start, uint32_t len)
{
	it->sg = sg;
	it->idx = 0;
	it->off = start;
	it->left = len;
	iter_settle(it);
}

/* Contiguous bytes at the cursor (bounded by what is left). */
static inline uint32_t iter_peek(const struct xsg_iter *it, uint8_t **p)
{
	uint32_t n;

	if (it->left == 0 || it->idx >= it->sg->nents)
		return 0;
	n = it->sg->ent[it->idx].len - it->off;
	if (n > it->left)
		n = it->left;
	*p = it->sg->ent[it->idx].addr + it->off;
	return n;
}

static inline void iter_advance(struct xsg_iter *it, uint32_t n)
{
	it->off += n;
	it->left -= n;
	iter_settle(it);
}

uint32_t xsg_iter_next(struct xsg_iter *it, uint8_t **p, uint32_t max)
{
	uint32_t n = iter_peek(it, p);

	if (n > max)
		n = max;
	iter_advance(it, n);
	return n;
}

void xsg_copy_to_buf(void *buf, const struct xsg *sg, uint32_t off, uint32_t len)
{
	struct xsg_iter it;
	uint8_t *out = buf, *p;
	uint32_t n;

	xsg_iter_init(&it, sg, off, len);
	while ((n = xsg_iter_next(&it, &p, UINT32_MAX)) != 0) {
		memcpy(out, p, n);
		out += n;
	}
}

void xsg_copy_from_buf(const struct xsg *sg, uint32_t off, const void *buf, uint32_t len)
{
	struct xsg_iter it;
	const uint8_t *in = buf;
	uint8_t *p;
	uint32_t n;

	xsg_iter_init(&it, sg, off, len);
	while ((n = xsg_iter_next(&it, &p, UINT32_MAX)) != 0) {
		memcpy(p, in, n);
		in += n;
	}
}

void xsg_copy(const struct xsg *dst, uint32_t doff, const struct xsg *src, uint32_t soff,
	      uint32_t len)
{
	struct xsg_iter s, d;
	uint8_t *sp = NULL, *dp = NULL;

	xsg_iter_init(&s, src, soff, len);
	xsg_iter_init(&d, dst, doff, len);
	for (;;) {
		uint32_t sn = iter_peek(&s, &sp), dn = iter_peek(&d, &dp);
		uint32_t n = sn < dn ? sn : dn;

		if (n == 0)
			break;
		if (sp != dp)
			memmove(dp, sp, n);
		iter_advance(&s, n);
		iter_advance(&d, n);
	}
}

uint8_t *xsg_contig(const struct xsg *sg, uint32_t off, uint32_t len)
{
	struct xsg_iter it;
	uint8_t *p = NULL;

	xsg_iter_init(&it, sg, off, len);
	if (len == 0)
		return it.idx < sg->nents ? sg->ent[it.idx].addr + it.off : NULL;
	return iter_peek(&it, &p) == len ? p : NULL;
}

bool xsg_same(const struct xsg *a, const struct xsg *b)
{
	if (a == b)
		return true;
	if (a->nents != b->nents)
		return false;
	for (uint16_t i = 0; i < a->nents; i++)
		if (a->ent[i].addr != b->ent[i].addr || a->ent[i].len != b->ent[i].len)
			return false;
	return true;
}

void xsg_walk_init(struct xsg_walk *w, const struct xsg *dst, uint32_t doff,
		   const struct xsg *src, uint32_t soff, uint32_t len, uint32_t bsize)
{
	xsg_iter_init(&w->s, src, soff, len);
	xsg_iter_init(&w->d, dst, doff, len);
	w->bsize = bsize ? bsize : 1;
	w->left = len;
	w->n = 0;
	w->bounced = false;
	w->src = w->dst = NULL;
}

uint32_t xsg_walk_next(struct xsg_walk *w)
{
	uint8_t *sp = NULL, *dp = NULL;
	uint32_t sn, dn, n;

	if (w->left == 0)
		return 0;
	sn = iter_peek(&w->s, &sp);
	dn = iter_peek(&w->d, &dp);
	n = sn < dn ? sn : dn;
	if (n >= w->bsize) {
		/* Direct: whole blocks contiguous in both lists. */
		n -= n % w->bsize;
		w->src = sp;
		w->dst = dp;
		w->bounced = false;
		iter_advance(&w->s, n);
		iter_advance(&w->d, n);
	} else {
		/* A block straddles runs, or the tail: go through the bounce block. */
		uint32_t k = 0, m;

		n = w->left < w->bsize ? w->left : w->bsize;
		while (k < n && (m = xsg_iter_next(&w->s, &sp, n - k)) != 0) {
			memcpy(w->bounce + k, sp, m);
			k += m;
		}
		w->dsave = w->d;
		iter_advance(&w->d, n);
		w->src = w->dst = w->bounce;
		w->bounced = true;
	}
	w->n = n;
	w->left -= n;
	return n;
}

void xsg_walk_done(struct xsg_walk *w)
{
	if (w->bounced) {
		uint32_t k = 0, m;
		uint8_t *dp;

		while (k < w->n && (m = xsg_iter_next(&w->dsave, &dp, w->n - k)) != 0) {
			memcpy(dp, w->bounce + k, m);
			k += m;
		}
		w->bounced = false;
	}
	w->n = 0;
}
