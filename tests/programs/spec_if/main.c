/* Course spec, the if variant: foo reads only when asked to. */
#include <fcntl.h>
#include "say.h"

__attribute__((noinline)) int foo(const char *path, int want)
{
	char buf[16];
	ssize_t n = 0;
	int fd = open(path, O_RDONLY);

	if (want)
		n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0;
}

int main(int argc, char **argv)
{
	say_num("read something:", foo(argv[0], argc > 1));
	return 0;
}
