/* Course example: open, then read only if asked, then close. */
#include <fcntl.h>
#include <unistd.h>

__attribute__((noinline)) int foo(const char *path, int x)
{
	char buf[16];
	int fd = open(path, O_RDONLY);
	ssize_t n = 0;

	if (x)
		n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0;
}

int main(int argc, char **argv)
{
	return foo(argv[0], argc > 1);
}
