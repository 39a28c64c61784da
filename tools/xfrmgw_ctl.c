/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-ctl: query the gateway. With --local, the crypto API is brought up
 * in this process and its listing printed (no gateway needed).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cryptoapi/crypto.h"
#include "cryptoapi/listing.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: xfrmgw-ctl [--ctl SOCKET] [--local] algs\n"
		   "  algs      algorithm listing in /proc/crypto format\n"
		   "  --local   run the crypto self-tests in this process and list\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "local", no_argument, NULL, 'l' },
		{ "ctl", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int local = 0, c, rc;

	while ((c = getopt_long(argc, argv, "lc:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			local = 1;
			break;
		case 'c':
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[optind], "algs") != 0) {
		fprintf(stderr, "xfrmgw-ctl: unknown command '%s'\n", argv[optind]);
		return 2;
	}
	if (!local) {
		fprintf(stderr, "xfrmgw-ctl: talking to a running gateway is not built yet; use --local\n");
		return 2;
	}
	rc = crypto_init();
	crypto_show_all(stdout);
	crypto_exit();
	return rc ? 1 : 0;
}
