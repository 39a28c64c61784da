/* SPDX-License-Identifier: BSD-3-Clause */
/* The libc functions the shim wraps, found on first use, and debug output. */
#define SHIM_DEFINE_REAL
#include "shim.h"

static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;
static int shim_debug = -1;
atomic_bool shim_resolved;

#define RESOLVE(name) (real_##name = (__typeof__(real_##name))dlsym(RTLD_NEXT, #name))

static void resolve_all(void)
{
	RESOLVE(socket); RESOLVE(bind); RESOLVE(connect); RESOLVE(getsockname);
	RESOLVE(getpeername); RESOLVE(send); RESOLVE(sendto); RESOLVE(sendmsg);
	RESOLVE(recv); RESOLVE(recvfrom); RESOLVE(recvmsg); RESOLVE(read);
	RESOLVE(write); RESOLVE(setsockopt); RESOLVE(getsockopt); RESOLVE(close);
	RESOLVE(closefrom); RESOLVE(close_range); RESOLVE(dup); RESOLVE(dup2);
	RESOLVE(dup3); RESOLVE(fcntl); RESOLVE(fcntl64);
	atomic_store(&shim_resolved, true);
}

void shim_resolve_all(void)
{
	pthread_once(&resolve_once, resolve_all);
}

void dbg(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	if (shim_debug < 0) {
		const char *e = getenv("XFRMGW_SHIM_DEBUG");

		shim_debug = e && *e && strcmp(e, "0") != 0;
	}
	if (!shim_debug)
		return;
	n = snprintf(line, sizeof(line), "xfrmgw-shim[%d]: ", (int)getpid());
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	REAL(write)(STDERR_FILENO, line, n);
}
