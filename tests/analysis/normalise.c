/* Built with -D_FILE_OFFSET_BITS=64 -D_FORTIFY_SOURCE=2 -O2: open64, __read_chk,
 * __printf_chk, __isoc99_sscanf, and the optimiser's printf -> puts, memcmp -> bcmp,
 * atoi -> strtol. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[8];
	int fd = open(argv[0], O_RDONLY);
	int x = 0;
	ssize_t n = read(fd, buf, (size_t)argc);

	printf("hello\n");
	printf("%d\n", argc);
	sscanf(argv[0], "%d", &x);
	x += atoi(argv[0]);
	if (!memcmp(buf, argv[0], 4))
		x++;
	return x + (int)n;
}
