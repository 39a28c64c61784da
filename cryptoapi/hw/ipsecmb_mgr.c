/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * intel-ipsec-mb per-thread state. An IMB_MGR is not thread-safe, so every
 * thread gets its own, created on its first operation (or setkey) and freed
 * when the thread exits. The same state holds a bounce buffer for requests
 * that must be made contiguous; it grows to the largest such request seen
 * (up to IMB_BOUNCE_MAX) and is then reused, so steady-state operations
 * never allocate.
 */
#include "ipsecmb.h"

__thread struct imb_thread *imb_tls;
static pthread_key_t imb_key;
static pthread_once_t imb_key_once = PTHREAD_ONCE_INIT;

static void imb_thread_free(void *p)
{
	struct imb_thread *t = p;

	if (!t)
		return;
	if (t->mgr_sha != t->mgr)
		free_mb_mgr(t->mgr_sha);
	free_mb_mgr(t->mgr);
	if (t->bounce) {
		crypto_wipe(t->bounce, t->bounce_len);
		free(t->bounce);
	}
	free(t);
}

static void imb_key_create(void)
{
	pthread_key_create(&imb_key, imb_thread_free);
}

/* First use on this thread: allocate and initialise a manager. */
struct imb_thread *imb_thread_new(void)
{
	struct imb_thread *t;

	pthread_once(&imb_key_once, imb_key_create);
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->mgr = alloc_mb_mgr(0);
	if (!t->mgr) {
		free(t);
		return NULL;
	}
	init_mb_mgr_auto(t->mgr, NULL);
	t->mgr_sha = t->mgr;
	if (t->mgr->used_arch == IMB_ARCH_NONE || imb_get_errno(t->mgr)) {
		imb_thread_free(t);
		return NULL;
	}
	/*
	 * One HMAC at a time on the wide multi-buffer lanes waits for a flush;
	 * the SSE code path hashes a single buffer with SHA-NI instead.
	 */
	if (t->mgr->features & IMB_FEATURE_SHANI) {
		IMB_MGR *s = alloc_mb_mgr(0);

		if (s) {
			init_mb_mgr_sse(s);
			if (imb_get_errno(s) == 0)
				t->mgr_sha = s;
			else
				free_mb_mgr(s);
		}
	}
	pthread_setspecific(imb_key, t);
	imb_tls = t;
	return t;
}

/* This thread's bounce buffer, grown to at least len bytes. */
uint8_t *imb_bounce(size_t len)
{
	struct imb_thread *t = imb_tls;
	uint8_t *p;

	if (unlikely(!t) && !(t = imb_thread_new()))
		return NULL;
	if (likely(len <= t->bounce_len))
		return t->bounce;
	if (len > IMB_BOUNCE_MAX)
		return NULL;
	len = (len + 4095) & ~(size_t)4095;
	p = aligned_alloc(64, len);
	if (!p)
		return NULL;
	if (t->bounce) {
		crypto_wipe(t->bounce, t->bounce_len);
		free(t->bounce);
	}
	t->bounce = p;
	t->bounce_len = len;
	return p;
}

/* Run one job to completion (the queue is empty outside bursts). */
int imb_run_job(IMB_MGR *m)
{
	IMB_JOB *j = IMB_SUBMIT_JOB(m);

	if (!j)
		j = IMB_FLUSH_JOB(m);
	if (unlikely(!j || j->status != IMB_STATUS_COMPLETED))
		return -EINVAL;
	return 0;
}

void imb_thread_release(void)
{
	if (imb_tls) {
		pthread_setspecific(imb_key, NULL);
		imb_thread_free(imb_tls);
		imb_tls = NULL;
	}
}
