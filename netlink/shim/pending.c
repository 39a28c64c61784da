/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Requests the gateway owes an answer. Each socket remembers the requests
 * sent that the kernel always answers, and forgets each at its last answer,
 * so that when the gateway goes away every one still open gets the error
 * reply the program waits for instead of a hang.
 */
#include "shim.h"

/* The kernel answers these for sure: an ACK asked for, or a get/dump. */
static bool always_answered(const struct nlsock *s, const struct nlmsghdr *h)
{
	if (!(h->nlmsg_flags & NLM_F_REQUEST))
		return false;
	if (h->nlmsg_flags & NLM_F_ACK)
		return true;
	if (s->protocol == NETLINK_CRYPTO)
		return h->nlmsg_type == CRYPTO_MSG_GETALG;
	switch (h->nlmsg_type) {
	case XFRM_MSG_GETSA:
	case XFRM_MSG_GETPOLICY:
	case XFRM_MSG_ALLOCSPI:
	case XFRM_MSG_GETAE:
	case XFRM_MSG_GETSADINFO:
	case XFRM_MSG_GETSPDINFO:
	case XFRM_MSG_GETDEFAULT:
		return true;
	default:
		return false;
	}
}

/* Remember a request about to be sent (the oldest is forgotten when full). */
void pend_add(struct nlsock *s, const struct nlmsghdr *h)
{
	struct pending_req *p = NULL;

	if (!always_answered(s, h))
		return;
	pthread_mutex_lock(&s->pend_lock);
	for (unsigned int i = 0; i < SHIM_MAX_PENDING && !p; i++)
		if (!s->pend[i].req.nlmsg_len)
			p = &s->pend[i];
	if (p) {
		atomic_fetch_add(&s->npend, 1);
	} else {
		p = &s->pend[s->pend_next];
		s->pend_next = (s->pend_next + 1) % SHIM_MAX_PENDING;
	}
	p->req = *h;
	p->ack = h->nlmsg_flags & NLM_F_ACK;
	pthread_mutex_unlock(&s->pend_lock);
}

static void pend_drop(struct nlsock *s, struct pending_req *p)
{
	p->req.nlmsg_len = 0;
	atomic_fetch_sub(&s->npend, 1);
}

/* The request was not sent after all. */
void pend_forget(struct nlsock *s, const struct nlmsghdr *h)
{
	pthread_mutex_lock(&s->pend_lock);
	for (unsigned int i = 0; i < SHIM_MAX_PENDING; i++) {
		struct pending_req *p = &s->pend[i];

		if (p->req.nlmsg_len && p->req.nlmsg_seq == h->nlmsg_seq &&
		    p->req.nlmsg_type == h->nlmsg_type)
			pend_drop(s, p);
	}
	pthread_mutex_unlock(&s->pend_lock);
}

/*
 * A unicast message arrived: the last one for a request is its NLMSG_ERROR
 * (error or ACK), the NLMSG_DONE of a dump, or the reply itself when no ACK
 * was asked for.
 */
void pend_answered(struct nlsock *s, const struct nlmsghdr *h)
{
	pthread_mutex_lock(&s->pend_lock);
	for (unsigned int i = 0; i < SHIM_MAX_PENDING; i++) {
		struct pending_req *p = &s->pend[i];

		if (!p->req.nlmsg_len || p->req.nlmsg_seq != h->nlmsg_seq)
			continue;
		if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE ||
		    (!p->ack && !(h->nlmsg_flags & NLM_F_MULTI)))
			pend_drop(s, p);
	}
	pthread_mutex_unlock(&s->pend_lock);
}

/* Queue on fd an NLMSG_ERROR (-ECONNRESET) for each request in flight. */
void answer_pending(struct nlsock *s, int fd)
{
	struct {
		struct xfrmgw_shim_hdr hdr;
		struct nlmsghdr nlh;
		struct nlmsgerr err;
	} f = { .hdr = { .type = XFRMGW_SHIM_DATA } };

	pthread_mutex_lock(&s->pend_lock);
	for (unsigned int i = 0; i < SHIM_MAX_PENDING; i++) {
		struct pending_req *p = &s->pend[i];

		if (!p->req.nlmsg_len)
			continue;
		/* RFC 3549 2.3.2.2 error message; only the header quoted (NLM_F_CAPPED). */
		f.nlh = (struct nlmsghdr){
			.nlmsg_len = sizeof(f) - sizeof(f.hdr), .nlmsg_type = NLMSG_ERROR,
			.nlmsg_flags = NLM_F_CAPPED, .nlmsg_seq = p->req.nlmsg_seq,
			.nlmsg_pid = s->nl_pid,
		};
		f.err = (struct nlmsgerr){ .error = -ECONNRESET, .msg = p->req };
		dbg("answering seq %u type %u with ECONNRESET", p->req.nlmsg_seq, p->req.nlmsg_type);
		REAL(send)(fd, &f, sizeof(f), MSG_DONTWAIT | MSG_NOSIGNAL);
		pend_drop(s, p);
	}
	s->pend_next = 0;
	pthread_mutex_unlock(&s->pend_lock);
}

