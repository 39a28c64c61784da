/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scatterlists: building from buffers and rte_mbuf chains, copying, the
 * iterator, and the paired block walker against a flat reference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <rte_eal.h>
#include <rte_mbuf.h>

#include "cryptoapi/sg.h"

struct fixture {
	struct rte_mempool *pool;
};

static int setup(void **state)
{
	static struct fixture f;
	char *argv[] = { "test_sg", "--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
			 "--file-prefix", "test_sg", "-l", "0", "--log-level", "lib.*:error" };

	if (rte_eal_init(sizeof(argv) / sizeof(argv[0]), argv) < 0)
		return -1;
	f.pool = rte_pktmbuf_pool_create("sg_pool", 256, 0, 0, 256 + RTE_PKTMBUF_HEADROOM, 0);
	if (!f.pool)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	rte_mempool_free(f->pool);
	rte_eal_cleanup();
	return 0;
}

static void test_add(void **state)
{
	uint8_t buf[8];
	XSG_DECLARE(sg, 2);

	(void)state;
	assert_int_equal(xsg_add(&sg, buf, 0), 0);	/* skipped */
	assert_int_equal(sg.nents, 0);
	assert_int_equal(xsg_add(&sg, buf, 4), 0);
	assert_int_equal(xsg_add(&sg, buf + 4, 4), 0);
	assert_int_equal(xsg_add(&sg, buf, 1), -ENOSPC);
	assert_int_equal(sg.total, 8);
	assert_ptr_equal(xsg_contig(&sg, 1, 3), buf + 1);
	assert_null(xsg_contig(&sg, 3, 2));	/* straddles runs */
	assert_int_equal(xsg_set_buf(&sg, buf, 8), 0);
	assert_int_equal(sg.nents, 1);
	assert_ptr_equal(xsg_contig(&sg, 3, 2), buf + 3);
}

/* Split a flat buffer into runs of the given lengths (the last takes the rest). */
static void split(struct xsg *sg, uint8_t *buf, uint32_t len, const uint32_t *runs, int n)
{
	uint32_t off = 0;

	sg->nents = 0;
	sg->total = 0;
	for (int i = 0; i < n && off < len; i++) {
		uint32_t r = runs[i] < len - off ? runs[i] : len - off;

		assert_int_equal(xsg_add(sg, buf + off, r), 0);
		off += r;
	}
	if (off < len)
		assert_int_equal(xsg_add(sg, buf + off, len - off), 0);
}

static void test_copy_and_iter(void **state)
{
	static const uint32_t runs[] = { 1, 2, 3, 5, 8, 13, 21 };
	uint8_t buf[100], out[100], in[100];
	struct xsg_iter it;
	uint8_t *p;
	uint32_t n, total = 0;
	XSG_DECLARE(sg, 8);

	(void)state;
	for (int i = 0; i < 100; i++)
		buf[i] = (uint8_t)i;
	split(&sg, buf, 100, runs, 7);
	assert_int_equal(sg.total, 100);

	/* Iterator pieces follow the runs and add up. */
	xsg_iter_init(&it, &sg, 4, 50);
	while ((n = xsg_iter_next(&it, &p, 7)) != 0) {
		assert_true(n <= 7);
		assert_int_equal(p[0], 4 + total);
		total += n;
	}
	assert_int_equal(total, 50);

	for (uint32_t off = 0; off < 100; off += 7) {
		uint32_t len = 100 - off < 30 ? 100 - off : 30;

		xsg_copy_to_buf(out, &sg, off, len);
		assert_memory_equal(out, buf + off, len);
	}
	for (int i = 0; i < 100; i++)
		in[i] = (uint8_t)(200 - i);
	xsg_copy_from_buf(&sg, 10, in, 60);
	assert_memory_equal(buf + 10, in, 60);
	assert_int_equal(buf[9], 9);
	assert_int_equal(buf[70], 70);
}

/*
 * Walker: a toy block transform (each byte XORed with its block index and
 * offset in the block) must give the flat result for every split of src and
 * dst, every block size, in place and out of place.
 */
static void toy_blocks(uint8_t *dst, const uint8_t *src, uint32_t n, uint32_t *pos, uint32_t bs)
{
	for (uint32_t i = 0; i < n; i++, (*pos)++)
		dst[i] = src[i] ^ (uint8_t)(*pos / bs * 31 + *pos % bs);
}

static void test_walk(void **state)
{
	static const uint32_t bsizes[] = { 1, 8, 16, 64 };
	uint8_t ref[600], a[600], b[600], orig[600];
	struct xsg_ent ea[XSG_MAX_ENTS], eb[XSG_MAX_ENTS];
	struct xsg sa, sb;
	unsigned int seed = 1;

	(void)state;
	xsg_init(&sa, ea, XSG_MAX_ENTS);
	xsg_init(&sb, eb, XSG_MAX_ENTS);
	for (int iter = 0; iter < 400; iter++) {
		uint32_t bs = bsizes[iter % 4];
		uint32_t len = (uint32_t)rand_r(&seed) % 520;
		uint32_t ra[8], rb[8], pos = 0, steps_tail = 0;
		bool inplace = iter & 1;
		struct xsg_walk w;
		uint32_t n;

		for (int i = 0; i < 8; i++) {
			ra[i] = 1 + (uint32_t)rand_r(&seed) % 97;
			rb[i] = 1 + (uint32_t)rand_r(&seed) % 97;
		}
		for (uint32_t i = 0; i < len; i++)
			orig[i] = a[i] = (uint8_t)rand_r(&seed);
		memset(b, 0xee, sizeof(b));
		pos = 0;
		toy_blocks(ref, orig, len, &pos, bs);

		split(&sa, a, len, ra, 8);
		split(&sb, b, len, rb, 8);
		pos = 0;
		xsg_walk_init(&w, inplace ? &sa : &sb, 0, &sa, 0, len, bs);
		while ((n = xsg_walk_next(&w)) != 0) {
			if (n % bs) {
				/* only the final tail may be short */
				assert_true(n < bs);
				steps_tail++;
			}
			toy_blocks(w.dst, w.src, n, &pos, bs);
			xsg_walk_done(&w);
		}
		assert_int_equal(pos, len);
		assert_true(steps_tail <= 1);
		assert_memory_equal(inplace ? a : b, ref, len);
		if (!inplace) {
			assert_memory_equal(a, orig, len);	/* source untouched */
			assert_int_equal(b[len], 0xee);		/* nothing past the end */
		}
	}
}

static struct rte_mbuf *make_chain(struct rte_mempool *mp, const uint32_t *seglens, int nseg,
				   uint8_t start)
{
	struct rte_mbuf *head = NULL;
	uint8_t v = start;

	for (int i = 0; i < nseg; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
		uint8_t *p;

		assert_non_null(m);
		p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)seglens[i]);
		assert_non_null(p);
		for (uint32_t k = 0; k < seglens[i]; k++)
			p[k] = v++;
		if (!head)
			head = m;
		else
			assert_int_equal(rte_pktmbuf_chain(head, m), 0);
	}
	return head;
}

static void test_mbuf(void **state)
{
	struct fixture *f = *state;
	static const uint32_t segs[] = { 3, 17, 1, 64, 9 };
	struct rte_mbuf *m = make_chain(f->pool, segs, 5, 0);
	uint8_t out[94];
	XSG_DECLARE(sg, 8);
	XSG_DECLARE(small, 2);

	assert_int_equal(rte_pktmbuf_pkt_len(m), 94);
	/* Offsets that start inside and at the edges of segments. */
	for (uint32_t off = 0; off < 94; off++) {
		sg.nents = 0;
		sg.total = 0;
		assert_int_equal(xsg_add_mbuf(&sg, m, off, 94 - off), 0);
		assert_int_equal(sg.total, 94 - off);
		xsg_copy_to_buf(out, &sg, 0, 94 - off);
		for (uint32_t k = 0; k < 94 - off; k++)
			assert_int_equal(out[k], (uint8_t)(off + k));
	}
	/* Past the end of the chain. */
	sg.nents = 0;
	sg.total = 0;
	assert_int_equal(xsg_add_mbuf(&sg, m, 90, 5), -ERANGE);
	/* Too few entries for the segments touched. */
	assert_int_equal(xsg_add_mbuf(&small, m, 0, 94), -ENOSPC);
	rte_pktmbuf_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_copy_and_iter),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_mbuf),
	};

	return cmocka_run_group_tests_name("cryptoapi_sg", tests, setup, teardown);
}
