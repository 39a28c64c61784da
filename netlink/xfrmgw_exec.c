/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xfrmgw-exec [--ctl SOCKET] PROGRAM [ARGS...]
 *
 * Runs PROGRAM with libxfrmgw_shim.so preloaded, so its NETLINK_XFRM and
 * NETLINK_CRYPTO sockets talk to the gateway on SOCKET instead of the
 * kernel. The library is looked up in $XFRMGW_SHIM, next to this program
 * (build tree), in ./shim/ beside it, then in the install directory.
 *
 * If the gateway exits first, PROGRAM is told once on stderr, its next
 * receive fails with ECONNRESET, requests in flight are answered with an
 * error and new ones fail with ECONNREFUSED; the socket then stays quiet
 * (no end-of-file, so no busy loop). The shim does not reconnect: restart
 * PROGRAM after the gateway.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netlink/shim_proto.h"

#define SHIM_NAME "libxfrmgw_shim.so"

#ifndef XFRMGW_SHIM_INSTALL_PATH
#define XFRMGW_SHIM_INSTALL_PATH "/usr/local/lib/xfrmgw/" SHIM_NAME
#endif

static void usage(FILE *f)
{
	fprintf(f, "usage: xfrmgw-exec [--ctl SOCKET] PROGRAM [ARGS...]\n"
		   "  --ctl SOCKET  gateway control socket (default: $XFRMGW_CTL or %s)\n"
		   "PROGRAM's NETLINK_XFRM/NETLINK_CRYPTO sockets talk to the gateway. If the\n"
		   "gateway exits first, they fail with ECONNRESET/ECONNREFUSED from then on:\n"
		   "restart PROGRAM after the gateway.\n",
		XFRMGW_CTL_DEFAULT_PATH);
}

static int readable(const char *path)
{
	return access(path, R_OK) == 0;
}

/* The directory holding this executable, with a trailing '/'. */
static int self_dir(char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	char *slash;

	if (n <= 0)
		return -1;
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (!slash)
		return -1;
	slash[1] = '\0';
	return 0;
}

static int find_shim(char *out, size_t len)
{
	static const char *const beside[] = { SHIM_NAME, "shim/" SHIM_NAME };
	const char *env = getenv("XFRMGW_SHIM");
	char dir[PATH_MAX];

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return readable(out) ? 0 : -1;
	}
	if (self_dir(dir, sizeof(dir)) == 0) {
		for (size_t i = 0; i < sizeof(beside) / sizeof(beside[0]); i++) {
			if (snprintf(out, len, "%s%s", dir, beside[i]) < (int)len && readable(out))
				return 0;
		}
	}
	snprintf(out, len, "%s", XFRMGW_SHIM_INSTALL_PATH);
	return readable(out) ? 0 : -1;
}

/* Put the shim first in LD_PRELOAD, keeping what was there. */
static int set_preload(const char *shim)
{
	const char *old = getenv("LD_PRELOAD");
	size_t len;
	char *v;
	int rc;

	if (!old || !*old)
		return setenv("LD_PRELOAD", shim, 1);
	len = strlen(shim) + strlen(old) + 2;
	v = malloc(len);
	if (!v)
		return -1;
	snprintf(v, len, "%s:%s", shim, old);
	rc = setenv("LD_PRELOAD", v, 1);
	free(v);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ctl", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ctl = NULL;
	char shim[PATH_MAX];
	int c;

	/* '+': stop at PROGRAM, its options are its own. */
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			ctl = optarg;
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
	if (find_shim(shim, sizeof(shim))) {
		fprintf(stderr, "xfrmgw-exec: cannot find %s (tried $XFRMGW_SHIM, beside %s, %s)\n",
			SHIM_NAME, argv[0], XFRMGW_SHIM_INSTALL_PATH);
		return 127;
	}
	if (ctl && setenv("XFRMGW_CTL", ctl, 1)) {
		perror("xfrmgw-exec: setenv");
		return 127;
	}
	if (set_preload(shim)) {
		perror("xfrmgw-exec: setenv");
		return 127;
	}
	execvp(argv[optind], &argv[optind]);
	fprintf(stderr, "xfrmgw-exec: cannot run %s: %s\n", argv[optind], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
