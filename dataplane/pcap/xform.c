/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ESP (esp/esp.h) and AH (ah/ah.h) calls of the offline mode: the same
 * burst functions the gateway's workers call, chosen once per SA.
 * XPC_HAVE_AH is set when the build has ah/.
 */
#include <errno.h>
#include <netinet/in.h>

#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "dataplane/pcap/pcap_mode.h"
#include "dataplane/xform.h"
#include "esp/esp.h"
#include "sa/sa.h"
#ifdef XPC_HAVE_AH
#include "ah/ah.h"
#endif

/* The gateway's own choice of per-SA functions (dataplane/xform.c). */
int xpc_xform_init(struct xfrm_sa *sa, const char **why)
{
	return xgw_xform_init(sa, why);
}

int xpc_xform_lcore_init(struct xpc_ctx *x)
{
	x->esp = esp_lcore_create(x->pool, SOCKET_ID_ANY);
	if (!x->esp)
		return -ENOMEM;
#ifdef XPC_HAVE_AH
	x->ah = ah_lcore_create(x->pool, SOCKET_ID_ANY);
	if (!x->ah) {
		xpc_xform_lcore_free(x);
		return -ENOMEM;
	}
#endif
	return 0;
}

void xpc_xform_lcore_free(struct xpc_ctx *x)
{
#ifdef XPC_HAVE_AH
	if (x->ah)
		ah_lcore_free(x->ah);
#endif
	if (x->esp)
		esp_lcore_free(x->esp);
	x->esp = NULL;
	x->ah = NULL;
}

uint16_t xpc_xform_run(struct xpc_ctx *x, struct xfrm_sa *sa, enum xpc_dir dir,
		       struct rte_mbuf **m, uint16_t n)
{
	if (sa->id.proto == IPPROTO_ESP)
		return dir == XPC_IN ? esp_inbound(x->esp, sa, m, n) :
				       esp_outbound(x->esp, sa, m, n);
#ifdef XPC_HAVE_AH
	if (sa->id.proto == IPPROTO_AH)
		return dir == XPC_IN ? ah_inbound(x->ah, sa, m, n) : ah_outbound(x->ah, sa, m, n);
#endif
	return 0;	/* refused at load time: never reached */
}

void xpc_xform_count_drop(struct xpc_ctx *x, const struct xfrm_sa *sa, struct rte_mbuf *m)
{
	unsigned int r;

	if (sa->id.proto == IPPROTO_ESP) {
		r = esp_mbuf_reason(m);
		if (r >= ESP_DROP_MAX || r >= XPC_REASONS)
			r = ESP_DROP_CRYPTO;
		x->cnt->drop[XPC_DROP_ESP]++;
		x->cnt->esp_drop[r]++;
		return;
	}
#ifdef XPC_HAVE_AH
	r = ah_mbuf_reason(m);
	if (r >= AH_DROP_MAX || r >= XPC_REASONS)
		r = AH_DROP_CRYPTO;
#else
	r = 0;
#endif
	x->cnt->drop[XPC_DROP_AH]++;
	x->cnt->ah_drop[r]++;
}

const char *xpc_esp_reason_name(unsigned int r)
{
	return esp_drop_name((enum esp_drop)r);
}

const char *xpc_ah_reason_name(unsigned int r)
{
#ifdef XPC_HAVE_AH
	return ah_drop_name((enum ah_drop)r);
#else
	return r == 0 ? "not_built" : "unknown";
#endif
}
