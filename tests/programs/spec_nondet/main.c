/* Course spec, the nondeterministic example: open, then read or write, then close. */
#include <fcntl.h>
#include "say.h"

__attribute__((noinline)) long foo(const char *path, int writing)
{
	char buf[8] = "data\n";
	long n;
	int fd = open(path, writing ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY, 0600);

	if (writing)
		n = write(fd, buf, 5);
	else
		n = read(fd, buf, sizeof(buf));
	close(fd);
	return n;
}

int main(int argc, char **argv)
{
	say_num("read:", foo(argv[0], 0) > 0);
	say_num("written:", foo(argc > 1 ? argv[1] : "/dev/null", 1));
	return 0;
}
