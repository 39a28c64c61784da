/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A burst through its stages. Like the gateway's workers, packets of one
 * SA go to ESP/AH together, in their order in the capture (so an inbound
 * SA's replay window sees them in order); the burst call returns the good
 * packets first, and each is matched back to its slot by its mbuf.
 */
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "dataplane/pcap/pcap_mode.h"
#include "sa/sa.h"
#include "sa/spd.h"

static int first_running(const struct xpc_pkt *p, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (p[i].fate == XPC_RUN)
			return (int)i;
	return -1;
}

static struct xfrm_sa *next_sa(const struct xpc_pkt *p)
{
	return p->sa[p->stage];
}

static void decapsulated(struct xpc_ctx *x, struct xpc_pkt *p, struct xfrm_sa *sa,
			 struct xpc_sa_stats *st)
{
	if (st) {
		st->decap_packets++;
		st->decap_bytes += p->stage_bytes;
	}
	p->depth++;
	p->sp.sa[p->sp.n++] = sa;
	p->mark = policy_smark(sa, p->mark);	/* XFRMA_SET_MARK on input */
	xpc_classify(x, p, true);	/* nested SA, or the in/fwd check */
}

static void encapsulated(struct xpc_pkt *p, struct xpc_sa_stats *st)
{
	if (st) {
		st->encap_packets++;
		st->encap_bytes += p->stage_bytes;
	}
	if (++p->stage == p->nstage)
		p->fate = XPC_DONE_ENCAP;
}

/*
 * Which slot a packet handed back by a burst call belongs to. ESP/AH may
 * give back another head than they got (a head segment holding only outer
 * headers is freed; a segment is put in front when there is no headroom),
 * so every segment carries a tag: this call's generation and the slot.
 */
static int tag_field = -1;

int xpc_engine_init(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "xfrmgw_pcap_slot",
		.size = sizeof(uint64_t),
		.align = __alignof__(uint64_t),
	};

	tag_field = rte_mbuf_dynfield_register(&desc);
	return tag_field < 0 ? -1 : 0;
}

static uint64_t *tag_of(struct rte_mbuf *s)
{
	return RTE_MBUF_DYNFIELD(s, tag_field, uint64_t *);
}

static void tag(struct rte_mbuf *m, uint64_t gen, unsigned int slot)
{
	for (struct rte_mbuf *s = m; s; s = s->next)
		*tag_of(s) = gen << 8 | slot;
}

/* The first slot of this generation named along m's chain and not yet claimed. */
static int slot_of(struct rte_mbuf *m, uint64_t gen, unsigned int n, bool *seen)
{
	for (struct rte_mbuf *s = m; s; s = s->next) {
		uint64_t t = *tag_of(s);
		unsigned int slot = (unsigned int)(t & 0xff);

		if (t >> 8 == gen && slot < n && !seen[slot]) {
			seen[slot] = true;
			return (int)slot;
		}
	}
	return -1;
}

/*
 * Should a packet not come back recognisably, its slot is dropped rather
 * than left running forever, and the unclaimed mbuf freed.
 */
static void lost(struct xpc_ctx *x, struct xpc_pkt *p, const unsigned int *idx, unsigned int k,
		 const bool *seen)
{
	for (unsigned int q = 0; q < k; q++) {
		if (seen[idx[q]])
			continue;
		p[idx[q]].m = NULL;
		xpc_drop(x, &p[idx[q]], XPC_DROP_NO_MBUF);
	}
}

/* Every running packet whose next stage is the same as p[first]'s, in one call. */
static void run_group(struct xpc_ctx *x, struct xpc_pkt *p, unsigned int n, unsigned int first)
{
	struct xfrm_sa *sa = next_sa(&p[first]);
	enum xpc_dir dir = p[first].dir;
	struct rte_mbuf *m[XPC_BURST];
	unsigned int idx[XPC_BURST], k = 0;
	bool seen[XPC_BURST] = { false };
	struct xpc_sa_stats *st = xpc_sa_stats(x->cnt, sa);
	static uint64_t gen;
	uint16_t good;

	gen++;
	for (unsigned int j = first; j < n && k < XPC_BURST; j++) {
		if (p[j].fate != XPC_RUN || p[j].dir != dir || next_sa(&p[j]) != sa)
			continue;
		p[j].stage_bytes = rte_pktmbuf_pkt_len(p[j].m);
		tag(p[j].m, gen, j);
		idx[k] = j;
		m[k++] = p[j].m;
	}
	good = xpc_xform_run(x, sa, dir, m, (uint16_t)k);
	for (unsigned int r = 0; r < k; r++) {
		int j = slot_of(m[r], gen, n, seen);

		if (j < 0) {
			rte_pktmbuf_free(m[r]);
			continue;
		}
		p[j].m = m[r];
		if (r >= good) {
			xpc_xform_count_drop(x, sa, m[r]);
			if (st)
				st->dropped++;
			p[j].fate = XPC_DONE_DROP;
		} else if (dir == XPC_IN) {
			decapsulated(x, &p[j], sa, st);
		} else {
			encapsulated(&p[j], st);
		}
	}
	lost(x, p, idx, k, seen);
}

void xpc_engine_run(struct xpc_ctx *x, struct xpc_pkt *p, unsigned int n)
{
	int i;

	while ((i = first_running(p, n)) >= 0)
		run_group(x, p, n, (unsigned int)i);
}
