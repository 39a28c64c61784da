/* SPDX-License-Identifier: BSD-3-Clause */
/* Describe a byte range of an rte_mbuf segment chain as a scatterlist. */
#include <errno.h>

#include <rte_mbuf.h>

#include "sg.h"

int xsg_add_mbuf(struct xsg *sg, struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	/* Skip whole segments before off. */
	while (m && off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	while (len) {
		uint32_t n;
		int rc;

		if (!m)
			return -ERANGE;
		n = m->data_len - off;
		if (n > len)
			n = len;
		rc = xsg_add(sg, rte_pktmbuf_mtod_offset(m, uint8_t *, off), n);
		if (rc)
			return rc;
		len -= n;
		off = 0;
		m = m->next;
	}
	return 0;
}
