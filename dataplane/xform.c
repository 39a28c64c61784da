/* SPDX-License-Identifier: BSD-3-Clause */
/* ESP or AH functions for an SA, chosen once when it is built. */
#include <errno.h>
#include <netinet/in.h>

#include "ah/ah.h"
#include "dataplane/xform.h"
#include "esp/esp.h"
#include "sa/sa.h"

int xgw_xform_init(struct xfrm_sa *sa, const char **why)
{
	switch (sa->id.proto) {
	case IPPROTO_ESP:
		return esp_sa_init_msg(sa, why);
	case IPPROTO_AH:
		return ah_sa_init_msg(sa, why);
	default:
		*why = "only ESP and AH SAs carry packets";
		return -EPROTONOSUPPORT;
	}
}
