/* Course example: open, then read or write, then close. */
#include <fcntl.h>
#include <unistd.h>

__attribute__((noinline)) int foo(const char *path, int w)
{
	char buf[16] = "x";
	int fd = open(path, O_RDWR);
	ssize_t n;

	if (w)
		n = write(fd, buf, 1);
	else
		n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0;
}

int main(int argc, char **argv)
{
	return foo(argv[0], argc > 1);
}
