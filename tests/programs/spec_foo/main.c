/* Course spec, first example: foo opens a file, reads it, closes it. */
#include <fcntl.h>
#include "say.h"

__attribute__((noinline)) int foo(const char *path)
{
	char buf[16];
	int fd = open(path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf));

	close(fd);
	return n > 0;
}

int main(int argc, char **argv)
{
	say_num("read something:", foo(argv[0]));
	return 0;
}
