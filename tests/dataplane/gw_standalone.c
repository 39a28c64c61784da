/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * gw_standalone [EAL options] -- --config FILE
 *
 * The packet path alone (no netlink server, no SAs), for the netns tests
 * until xfrmgw itself starts the gateway. SIGHUP reloads, SIGTERM stops.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "dataplane/config.h"
#include "dataplane/gw/gateway.h"

int main(int argc, char **argv)
{
	static struct xgw_config cfg;
	const char *path = NULL;
	char msg[512];
	sigset_t set;
	int n, sig, rc = 1;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	xgw_eal_args_fixup(argc, argv);
	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "gw_standalone: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	for (int i = n + 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--config"))
			path = argv[i + 1];
	if (!path || xgw_config_load(path, &cfg, msg, sizeof(msg))) {
		fprintf(stderr, "gw_standalone: %s\n", path ? msg : "usage: ... -- --config FILE");
		goto out;
	}
	if (xgw_gateway_start(&cfg, NULL, msg, sizeof(msg))) {
		fprintf(stderr, "gw_standalone: %s\n", msg);
		goto out_cfg;
	}
	fprintf(stderr, "gw_standalone: running\n");
	while (sigwait(&set, &sig) == 0 && sig == SIGHUP) {
		static struct xgw_config next;

		if (xgw_config_load(path, &next, msg, sizeof(msg)) ||
		    xgw_gateway_reload(&next, msg, sizeof(msg)))
			fprintf(stderr, "gw_standalone: reload: %s\n", msg);
		else
			fprintf(stderr, "gw_standalone: reloaded\n");
		xgw_config_free(&next);
	}
	xgw_gateway_stop();
	fprintf(stderr, "gw_standalone: stopped\n");
	rc = 0;
out_cfg:
	xgw_config_free(&cfg);
out:
	rte_eal_cleanup();
	return rc;
}
