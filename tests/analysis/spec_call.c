/* Course example: foo calls bar; bar's graph is pasted at the call site. */
#include <fcntl.h>
#include <unistd.h>

__attribute__((noinline)) ssize_t bar(int fd, char *buf)
{
	return read(fd, buf, 8);
}

__attribute__((noinline)) int foo(const char *path)
{
	char buf[16];
	int fd = open(path, O_RDONLY);
	ssize_t n = bar(fd, buf);

	close(fd);
	return n > 0;
}

int main(int argc, char **argv)
{
	return foo(argv[0]);
}
