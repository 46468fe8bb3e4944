/*
 * The NFA inliner's budget: small() is called three times and continues
 * differently each time; big() is called twice and is large.  A budget that
 * pays for small()'s copies but not big()'s (whose transitive size counts its
 * own callee, small()) gives small() a copy per call and big() one shared
 * copy: tighter than the call-graph NFA where it is cheap.
 */
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

__attribute__((noinline)) static void small(void)
{
	(void)read(0, 0, 0);
}

__attribute__((noinline)) static void big(void)
{
	(void)getuid();
	(void)geteuid();
	(void)getgid();
	(void)getegid();
	(void)getpgrp();
	(void)umask(022);
	(void)sched_yield();
	small();
	sync();
}

int main(int argc, char **argv)
{
	small();
	(void)dup(0);
	small();
	(void)dup2(0, 0);
	small();
	(void)fsync(0);
	big();
	(void)getpid();
	big();
	(void)getppid();
	return argc;
}
