/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw [EAL options] -- [--config FILE] [--ctl SOCKET]
 *
 * Starts DPDK's EAL, the crypto API (self-tests), and the control plane:
 * SA/SPD databases and the XFRM netlink server on the control socket.
 * Packet ports come later; the control loop lives in control.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "cryptoapi/crypto.h"
#include "dataplane/config.h"
#include "dataplane/control.h"
#include "dataplane/gw/gateway.h"
#include "dataplane/xform.h"
#include "sa/sa_crypto.h"
#include "netlink/shim_proto.h"

struct xgw_args {
	const char *config;
	const char *ctl;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: xfrmgw [EAL options] -- [--config FILE] [--ctl SOCKET]\n"
		   "  --config FILE   gateway configuration (ports, addresses, routes)\n"
		   "  --ctl SOCKET    control socket (default %s)\n", XFRMGW_CTL_DEFAULT_PATH);
}

static int parse_args(int argc, char **argv, struct xgw_args *a)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ctl", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int o;

	a->config = NULL;
	a->ctl = XFRMGW_CTL_DEFAULT_PATH;
	optind = 1;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			a->config = optarg;
			break;
		case 's':
			a->ctl = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "xfrmgw: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/*
 * "crypto disable" adds driver modules to XFRMGW_CRYPTO_DISABLE (read by
 * crypto_init); "crypto prefer" picks each SA's driver (sa_crypto.h).
 */
static void crypto_apply_config(const struct xgw_config *cfg)
{
	static const enum sa_crypto_pref pref[] = {
		[XGW_CRYPTO_PRIORITY] = SA_CRYPTO_PREF_PRIORITY,
		[XGW_CRYPTO_FASTEST] = SA_CRYPTO_PREF_FASTEST,
		[XGW_CRYPTO_HARDWARE] = SA_CRYPTO_PREF_HARDWARE,
		[XGW_CRYPTO_SOFTWARE] = SA_CRYPTO_PREF_SOFTWARE,
	};
	const char *env = getenv("XFRMGW_CRYPTO_DISABLE");
	char list[1024];
	size_t n = (size_t)snprintf(list, sizeof(list), "%s", env ? env : "");

	for (unsigned int i = 0; i < cfg->nb_disable && n < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? "," : "",
				      cfg->disable[i]);
	if (cfg->nb_disable)
		setenv("XFRMGW_CRYPTO_DISABLE", list, 1);
	if ((unsigned int)cfg->crypto_pref < sizeof(pref) / sizeof(pref[0]))
		sa_crypto_set_pref(pref[cfg->crypto_pref]);
}

int main(int argc, char **argv)
{
	static struct xgw_config cfg;
	struct xgw_control ctl;
	struct xgw_args args;
	char msg[256];
	int n, rc = 1;

	/* Our usage first: EAL's own --help would hide the gateway's options. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			printf("EAL options (before --): see the DPDK EAL documentation, e.g.\n"
			       "  -l 0-1 --no-huge --in-memory --no-pci --vdev net_af_packet0,iface=eth0\n");
			return 0;
		}
	}
	if (xgw_control_block_signals()) {
		fprintf(stderr, "xfrmgw: cannot block signals\n");
		return 1;
	}
	xgw_eal_args_fixup(argc, argv);
	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "xfrmgw: EAL initialisation failed: %s\n", strerror(rte_errno));
		return 1;
	}
	argv[n] = argv[0];
	if (parse_args(argc - n, argv + n, &args))
		goto out_eal;
	if (args.config && xgw_config_load(args.config, &cfg, msg, sizeof(msg))) {
		fprintf(stderr, "xfrmgw: %s\n", msg);
		goto out_eal;
	}
	crypto_apply_config(&cfg);
	if (crypto_init()) {
		fprintf(stderr, "xfrmgw: crypto API initialisation failed\n");
		goto out_config;
	}
	/* SAs get their ESP/AH functions when they are built. */
	if (xgw_xform_register()) {
		fprintf(stderr, "xfrmgw: cannot register the ESP and AH packet types\n");
		goto out_crypto;
	}
	/* sad max: from --config, else the SAD's default */
	if (xgw_control_open(&ctl, args.ctl, cfg.sad_max, msg, sizeof(msg))) {
		fprintf(stderr, "xfrmgw: %s\n", msg);
		goto out_crypto;
	}
	fprintf(stderr, "xfrmgw: control socket %s\n", args.ctl);
	if (args.config) {
		struct xgw_gateway_env env = { .sad = ctl.sad, .spd = ctl.spd, .rcu = ctl.rcu };

		if (xgw_gateway_start(&cfg, &env, msg, sizeof(msg))) {
			fprintf(stderr, "xfrmgw: %s\n", msg);
			goto out_control;
		}
		ctl.gateway = true;
		ctl.config_path = args.config;
		fprintf(stderr, "xfrmgw: packet path running (%u ports)\n", cfg.nb_ports);
	} else {
		fprintf(stderr, "xfrmgw: no --config: control plane only, no packet path\n");
	}
	rc = xgw_control_run(&ctl) ? 1 : 0;
	/* Workers leave RCU before the databases go. */
	if (ctl.gateway)
		xgw_gateway_stop();
out_control:
	xgw_control_close(&ctl);
out_crypto:
	crypto_exit();
out_config:
	if (args.config)
		xgw_config_free(&cfg);
out_eal:
	rte_eal_cleanup();
	return rc;
}
