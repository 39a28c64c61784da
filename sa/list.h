/* SPDX-License-Identifier: BSD-3-Clause */
/* Intrusive circular doubly linked list (control plane only). Internal. */
#ifndef XFRMGW_SA_LIST_H
#define XFRMGW_SA_LIST_H

#include <stddef.h>

#include "sa/sa.h"

#define sa_container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

static inline void sa_list_init(struct sa_list_node *h)
{
	h->prev = h->next = h;
}

static inline void sa_list_add_tail(struct sa_list_node *h, struct sa_list_node *n)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

/* Insert n right after pos. */
static inline void sa_list_add_after(struct sa_list_node *pos, struct sa_list_node *n)
{
	sa_list_add_tail(pos->next, n);
}

static inline void sa_list_del(struct sa_list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = NULL;
}

static inline int sa_list_linked(const struct sa_list_node *n)
{
	return n->next != NULL;
}

#endif
