/*
 * Callbacks where they run: qsort's comparator during qsort, the
 * constructor before main, the exit handler and the destructor at exit;
 * the signal handler anywhere (asynchronous).
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) static int cmp(const void *a, const void *b)
{
	(void)getpid();
	return *(const int *)a - *(const int *)b;
}

__attribute__((noinline)) static void on_exit_handler(void)
{
	(void)write(1, "bye", 0);
}

__attribute__((constructor)) static void init(void)
{
	(void)getppid();
}

__attribute__((noinline)) static void on_signal(int sig)
{
	(void)write(2, "s", (size_t)(sig & 0));
}

int main(int argc, char **argv)
{
	int v[3] = { 3, 1, 2 };

	signal(SIGUSR1, on_signal);
	(void)close(-1);
	qsort(v, 3, sizeof(int), cmp);
	atexit(on_exit_handler);
	if (argc > 1)
		exit(v[0]);
	(void)dup(0);
	return v[0];
}
