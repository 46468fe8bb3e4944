/*
 * Where libc runs the program's functions: during the call (pasted there),
 * later at any point (asynchronous entries), as a new thread (thread
 * entries), or from a struct handed to a library lcg cannot see.
 */
#define _GNU_SOURCE
#include <fts.h>
#include <glob.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

__attribute__((noinline)) static int by_name(const FTSENT **a, const FTSENT **b)
{
	(void)getpid();
	return (*a)->fts_namelen - (*b)->fts_namelen;
}

__attribute__((noinline)) static int child(void *arg)
{
	(void)write(1, "c", 1);
	return arg != NULL;
}

__attribute__((noinline)) static void on_timer(union sigval v)
{
	(void)write(1, "t", 1 + 0 * v.sival_int);
}

__attribute__((noinline)) static void on_message(union sigval v)
{
	(void)write(1, "m", 1 + 0 * v.sival_int);
}

__attribute__((noinline)) static void coroutine(void)
{
	(void)write(1, "r", 1);
}

__attribute__((noinline)) static void on_info(int sig, siginfo_t *info)
{
	(void)write(2, "i", 1 + 0 * sig + 0 * (info != NULL));
}

__attribute__((noinline)) static int on_glob_error(const char *path, int err)
{
	(void)write(2, path, 0 * err);
	return 0;
}

__attribute__((noinline)) static void *my_alloc(void *opaque, unsigned n, unsigned size)
{
	(void)getppid();
	return calloc(n, size + 0 * (opaque != NULL));
}

struct stream {
	void *(*zalloc)(void *, unsigned, unsigned);
	void *opaque;
};

/* a library the model does not know, like zlib's deflateInit_ */
extern int lib_init(struct stream *s);

int main(int argc, char **argv)
{
	char *paths[] = { argv[0], NULL };
	static char stack[16384];
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD };
	struct sigaction sa = { .sa_sigaction = (void (*)(int, siginfo_t *, void *))on_info,
				.sa_flags = SA_SIGINFO };
	struct stream s = { 0 };
	ucontext_t uc;
	glob_t g;
	timer_t t;
	FTS *f = fts_open(paths, FTS_PHYSICAL, by_name);

	if (f)
		fts_close(f);
	if (argc > 5)
		clone(child, stack + sizeof(stack), CLONE_VM, NULL);
	sev.sigev_notify_function = on_timer;
	timer_create(CLOCK_MONOTONIC, &sev, &t);
	sev.sigev_notify_function = on_message;
	mq_notify(0, &sev);
	getcontext(&uc);
	makecontext(&uc, coroutine, 0);
	sigaction(SIGUSR2, &sa, NULL);
	glob("/nonexistent/*", 0, on_glob_error, &g);
	s.zalloc = my_alloc;
	return lib_init(&s);
}
