/* A longjmp from a function that makes no event, and one from a handler. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>

static jmp_buf env;
static sigjmp_buf sigenv;

__attribute__((noinline)) static void bail(int code)
{
	if (code)
		longjmp(env, code);
}

static void on_signal(int sig)
{
	siglongjmp(sigenv, sig);
}

int main(int argc, char **argv)
{
	int fd;

	if (setjmp(env)) {
		(void)unlink("landed");
		return 0;
	}
	fd = open("/dev/null", O_RDONLY);
	bail(argc);
	signal(SIGUSR1, on_signal);
	if (sigsetjmp(sigenv, 1)) {
		(void)write(1, "handled\n", 8);
		return 1;
	}
	(void)read(fd, argv, 1);
	return 0;
}
