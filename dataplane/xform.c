/* SPDX-License-Identifier: BSD-3-Clause */
/* The packet types (sa/xfrm_type.h) of every process that carries packets. */
#include "ah/ah.h"
#include "dataplane/xform.h"
#include "esp/esp.h"
#include "sa/xfrm_type.h"

int xgw_xform_register(void)
{
	int rc = xfrm_type_register(&esp_type);

	if (!rc)
		rc = xfrm_type_register(&ah_type);
	return rc;
}
