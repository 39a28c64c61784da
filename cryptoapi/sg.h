/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scatter-gather lists for the crypto API.
 *
 * An xsg is an array of (address, length) runs. It describes either a flat
 * buffer (one run) or an rte_mbuf segment chain (one run per segment, each
 * starting at the segment's data offset plus the requested offset). Requests
 * address bytes by their logical offset into the list; implementations never
 * see segment boundaries except through the iterator and the walker below.
 */
#ifndef XFRMGW_CRYPTOAPI_SG_H
#define XFRMGW_CRYPTOAPI_SG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rte_mbuf;

/* An mbuf chain has at most RTE_MBUF_MAX_NB_SEGS segments; ESP needs a few
 * more runs (the ESN high bits, a trailer in a new segment). */
#define XSG_MAX_ENTS 64

struct xsg_ent {
	uint8_t *addr;
	uint32_t len;
};

struct xsg {
	struct xsg_ent *ent;
	uint16_t nents;
	uint16_t max;
	uint32_t total;	/* sum of ent[i].len */
};

/* Declare an on-stack list with room for n runs. */
#define XSG_DECLARE(name, n)                                                  \
	struct xsg_ent name##_ents[n];                                        \
	struct xsg name = { .ent = name##_ents, .nents = 0, .max = (n), .total = 0 }

static inline void xsg_init(struct xsg *sg, struct xsg_ent *ents, uint16_t max)
{
	sg->ent = ents;
	sg->nents = 0;
	sg->max = max;
	sg->total = 0;
}

/* Append a run; -ENOSPC when the list is full. Zero-length runs are skipped. */
int xsg_add(struct xsg *sg, void *addr, uint32_t len);

/* Reset to a single flat buffer (needs room for one entry). */
int xsg_set_buf(struct xsg *sg, void *buf, uint32_t len);

/*
 * Append the bytes [off, off + len) of an mbuf chain, one run per segment
 * touched. -ERANGE if the chain is shorter than off + len, -ENOSPC if the
 * list has too few entries.
 */
int xsg_add_mbuf(struct xsg *sg, struct rte_mbuf *m, uint32_t off, uint32_t len);

/* Copy between a list and a flat buffer, starting at logical offset off. */
void xsg_copy_to_buf(void *buf, const struct xsg *sg, uint32_t off, uint32_t len);
void xsg_copy_from_buf(const struct xsg *sg, uint32_t off, const void *buf, uint32_t len);
/* Copy len bytes from src at soff to dst at doff (lists may be the same). */
void xsg_copy(const struct xsg *dst, uint32_t doff, const struct xsg *src,
	      uint32_t soff, uint32_t len);
/* Pointer to byte off if the len bytes there are contiguous, else NULL. */
uint8_t *xsg_contig(const struct xsg *sg, uint32_t off, uint32_t len);
/* True when both lists describe the same memory runs (in-place request). */
bool xsg_same(const struct xsg *a, const struct xsg *b);

/* Iterator over contiguous pieces of [start, start + len). */
struct xsg_iter {
	const struct xsg *sg;
	uint16_t idx;
	uint32_t off;	/* within ent[idx] */
	uint32_t left;	/* bytes still to yield */
};

void xsg_iter_init(struct xsg_iter *it, const struct xsg *sg, uint32_t start,
		   uint32_t len);
/* Next piece of at most max bytes; returns its length (0 at the end). */
uint32_t xsg_iter_next(struct xsg_iter *it, uint8_t **p, uint32_t max);

/*
 * Paired walk over a source and a destination for block-oriented modes.
 * Each step yields n bytes at w->src (read) and w->dst (write):
 *  - n is a multiple of bsize whenever at least bsize bytes remain;
 *  - a block that straddles runs in either list is gathered into a bounce
 *    block (w->src/w->dst then point into the walker) and scattered back to
 *    the destination by xsg_walk_done();
 *  - the final step yields the tail (< bsize) through the bounce block.
 * bsize must be between 1 and XSG_WALK_MAX_BLOCK. In-place requests pass the
 * same list twice.
 */
#define XSG_WALK_MAX_BLOCK 64

struct xsg_walk {
	struct xsg_iter s, d;
	uint32_t bsize;
	uint32_t left;
	uint8_t *src, *dst;
	uint32_t n;		/* bytes in the current step */
	bool bounced;
	struct xsg_iter dsave;	/* destination position of a bounced step */
	uint8_t bounce[XSG_WALK_MAX_BLOCK] __attribute__((aligned(16)));
};

void xsg_walk_init(struct xsg_walk *w, const struct xsg *dst, uint32_t doff,
		   const struct xsg *src, uint32_t soff, uint32_t len, uint32_t bsize);
/* Returns the number of bytes in this step, 0 when the walk is complete. */
uint32_t xsg_walk_next(struct xsg_walk *w);
/* Finish the current step (scatter a bounced block to the destination). */
void xsg_walk_done(struct xsg_walk *w);

#endif
