/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The descriptor table: which descriptors are redirected netlink sockets,
 * shared by dup()ed descriptors, and the wrappers that keep it right
 * (close, closefrom, close_range, dup, dup2, dup3, fcntl F_DUPFD*).
 */
#include "shim.h"

static _Atomic(struct nlsock *) fd_table[SHIM_MAX_FD];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

void init_recursive(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

void sock_put(struct nlsock *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
		pthread_mutex_destroy(&s->lock);
		pthread_mutex_destroy(&s->pend_lock);
		free(s);
	}
}

/* Install s (reference taken) at fd, dropping what was there. */
void table_set(int fd, struct nlsock *s)
{
	struct nlsock *old;

	if (fd < 0 || fd >= SHIM_MAX_FD)
		return;
	if (s)
		atomic_fetch_add(&s->refs, 1);
	pthread_mutex_lock(&table_lock);
	old = atomic_exchange(&fd_table[fd], s);
	pthread_mutex_unlock(&table_lock);
	sock_put(old);
}

/* Forget fd only if it still maps to s. */
static void table_forget(int fd, struct nlsock *s)
{
	struct nlsock *expect = s;

	pthread_mutex_lock(&table_lock);
	if (!atomic_compare_exchange_strong(&fd_table[fd], &expect, NULL))
		s = NULL;
	pthread_mutex_unlock(&table_lock);
	sock_put(s);
}

static bool same_socket(int fd, const struct nlsock *s)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode) &&
	       (st.st_ino == atomic_load(&s->ino) || st.st_ino == atomic_load(&s->ino_next));
}

/*
 * The socket behind fd with a reference, or NULL when fd is not ours. A
 * descriptor closed behind our back (a raw syscall) and reused for something
 * else is noticed by its inode and forgotten.
 */
struct nlsock *sock_get(int fd)
{
	struct nlsock *s;

	if (fd < 0 || fd >= SHIM_MAX_FD ||
	    !atomic_load_explicit(&fd_table[fd], memory_order_relaxed))
		return NULL;
	pthread_mutex_lock(&table_lock);
	s = atomic_load(&fd_table[fd]);
	if (s)
		atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&table_lock);
	if (s && unlikely(!same_socket(fd, s))) {
		table_forget(fd, s);
		sock_put(s);
		return NULL;
	}
	return s;
}


/*
 * Make every descriptor of s refer to newfd's socket instead, keeping their
 * close-on-exec flags and the O_NONBLOCK status, then close newfd.
 * Caller holds s->lock.
 */
void swap_socket(struct nlsock *s, int newfd)
{
	ino_t old = atomic_load(&s->ino);
	bool status_done = false;
	struct stat st, cur;

	if (fstat(newfd, &st)) {
		REAL(close)(newfd);
		return;
	}
	atomic_store(&s->ino_next, st.st_ino);
	for (int fd = 0; fd < SHIM_MAX_FD; fd++) {
		int fdfl;

		if (atomic_load_explicit(&fd_table[fd], memory_order_relaxed) != s ||
		    fd == newfd || fstat(fd, &cur) || cur.st_ino != old)
			continue;
		if (!status_done) {
			int fl = REAL(fcntl)(fd, F_GETFL);

			if (fl >= 0 && (fl & O_NONBLOCK))
				REAL(fcntl)(newfd, F_SETFL, O_NONBLOCK);
			status_done = true;
		}
		fdfl = REAL(fcntl)(fd, F_GETFD);
		REAL(dup3)(newfd, fd, fdfl > 0 && (fdfl & FD_CLOEXEC) ? O_CLOEXEC : 0);
	}
	atomic_store(&s->ino, st.st_ino);
	REAL(close)(newfd);
}


/* ---- descriptor bookkeeping ---- */

static void forget_fd(int fd)
{
	if (fd >= 0 && fd < SHIM_MAX_FD && atomic_load_explicit(&fd_table[fd], memory_order_relaxed))
		table_set(fd, NULL);
}

SHIM_EXPORT int close(int fd)
{
	forget_fd(fd);
	return REAL(close)(fd);
}

SHIM_EXPORT void closefrom(int lowfd)
{
	for (int fd = lowfd < 0 ? 0 : lowfd; fd < SHIM_MAX_FD; fd++)
		forget_fd(fd);
	REAL(closefrom)(lowfd);
}

SHIM_EXPORT int close_range(unsigned int first, unsigned int last, int flags)
{
	if (!(flags & CLOSE_RANGE_CLOEXEC))
		for (unsigned int fd = first; fd <= last && fd < SHIM_MAX_FD; fd++)
			forget_fd(fd);
	return REAL(close_range)(first, last, flags);
}

/* newfd now refers to what oldfd does. */
static int track_dup(int oldfd, int newfd)
{
	struct nlsock *s;

	if (newfd < 0)
		return newfd;
	s = sock_get(oldfd);
	if (s && newfd >= SHIM_MAX_FD) {
		REAL(close)(newfd);
		sock_put(s);
		errno = EMFILE;
		return -1;
	}
	table_set(newfd, s);
	sock_put(s);
	return newfd;
}

SHIM_EXPORT int dup(int fd)
{
	return track_dup(fd, REAL(dup)(fd));
}

SHIM_EXPORT int dup2(int oldfd, int newfd)
{
	if (oldfd == newfd)
		return REAL(dup2)(oldfd, newfd);
	return track_dup(oldfd, REAL(dup2)(oldfd, newfd));
}

SHIM_EXPORT int dup3(int oldfd, int newfd, int flags)
{
	return track_dup(oldfd, REAL(dup3)(oldfd, newfd, flags));
}

static int shim_fcntl(int (*real)(int, int, ...), int fd, int cmd, void *arg)
{
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		return track_dup(fd, real(fd, cmd, (int)(intptr_t)arg));
	return real(fd, cmd, arg);
}

SHIM_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return shim_fcntl(REAL(fcntl), fd, cmd, arg);
}

SHIM_EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return shim_fcntl(REAL(fcntl64) ? real_fcntl64 : real_fcntl, fd, cmd, arg);
}
