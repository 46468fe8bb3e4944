/* Instrumentation changes nothing the program can see: errno and return values. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) int try_open(const char *p)
{
	return open(p, O_RDONLY);
}

int main(void)
{
	int fd = try_open("/nonexistent/lcg");
	int e = errno;
	pid_t pid = getpid();

	printf("fd=%d errno=%s same=%d pid_ok=%d\n", fd, strerror(e), e == errno, pid > 0);
	return 0;
}
