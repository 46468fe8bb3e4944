#include <fcntl.h>
#include <unistd.h>

int lib_count_bytes(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY), total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0 && total < 4096)
		total += (int)n;
	close(fd);
	return total;
}
