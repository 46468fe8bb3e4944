/* Course spec, the call example: foo opens, calls bar (which reads), closes. */
#include <fcntl.h>
#include "say.h"

__attribute__((noinline)) long bar(int fd)
{
	char buf[16];

	return read(fd, buf, sizeof(buf));
}

__attribute__((noinline)) long foo(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = bar(fd);

	close(fd);
	return n;
}

int main(int argc, char **argv)
{
	say_num("read something:", foo(argv[0]) > 0);
	return 0;
}
