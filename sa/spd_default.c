/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Default policies per direction (see spd.h): one byte each, read by the
 * data path without a lock, so a change is seen by the next packet.
 */
#include <errno.h>

#include "sa/internal.h"
#include "sa/spd.h"

int spd_set_default(struct spd *spd, uint8_t dir, uint8_t action)
{
	if (dir >= XFRM_POLICY_MAX)
		return -EINVAL;
	if (action != XFRM_USERPOLICY_BLOCK && action != XFRM_USERPOLICY_ACCEPT)
		return 0;
	__atomic_store_n(&spd->default_action[dir], action, __ATOMIC_RELEASE);
	return 0;
}

uint8_t spd_get_default(const struct spd *spd, uint8_t dir)
{
	uint8_t v;

	if (!spd || dir >= XFRM_POLICY_MAX)
		return XFRM_USERPOLICY_ACCEPT;
	v = __atomic_load_n(&spd->default_action[dir], __ATOMIC_ACQUIRE);
	return v ? v : XFRM_USERPOLICY_ACCEPT;	/* the kernel starts with accept */
}
