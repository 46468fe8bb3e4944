/* Callbacks handed to libc and start-up functions get their roles. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static void on_signal(int sig) { (void)write(2, "s", 1); (void)sig; }
static void on_exit_handler(void) { (void)write(1, "e", 1); }
static void *thread_main(void *arg) { (void)write(1, "t", 1); return arg; }
__attribute__((constructor)) static void init(void) { (void)getpid(); }
__attribute__((destructor)) static void fini(void) { (void)getppid(); }
static void plain(void) { (void)write(1, "p", 1); }

int main(int argc, char **argv)
{
	int v[3] = { 3, 1, 2 };
	pthread_t t;

	qsort(v, 3, sizeof(int), cmp);
	signal(SIGUSR1, on_signal);
	atexit(on_exit_handler);
	pthread_create(&t, NULL, thread_main, NULL);
	pthread_join(t, NULL);
	plain();
	return v[0] + argc;
}
