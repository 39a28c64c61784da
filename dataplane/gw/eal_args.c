/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK 22.11 refuses --in-memory together with --no-huge ("Option
 * --legacy-mem is not compatible with --in-memory": --no-huge implies
 * legacy memory). What a user means by the pair is "no hugepages and no
 * files in /var/run", which is --no-huge --no-shconf: ask EAL for that.
 */
#include <string.h>

#include "dataplane/gw/gateway.h"

int xgw_eal_args_fixup(int argc, char **argv)
{
	static char no_shconf[] = "--no-shconf";
	int no_huge = 0, in_mem = -1;

	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--no-huge"))
			no_huge = 1;
		else if (!strcmp(argv[i], "--in-memory"))
			in_mem = i;
	}
	if (!no_huge || in_mem < 0)
		return 0;
	argv[in_mem] = no_shconf;
	return 1;
}
