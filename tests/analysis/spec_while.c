/* Course example: open . (read)* . close */
#include <fcntl.h>
#include <unistd.h>

__attribute__((noinline)) int foo(const char *path)
{
	char buf[16];
	int fd = open(path, O_RDONLY);
	long total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	close(fd);
	return total > 0;
}

int main(int argc, char **argv)
{
	return foo(argv[0]);
}
