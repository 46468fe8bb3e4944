/* One call of each class: effect, stream, stdio, allocator, pure (strlen, and
 * the llvm.memcpy intrinsic of a structure copy). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct big {
	char b[4096];
};

struct big src, dst;

int main(int argc, char **argv)
{
	FILE *f = fopen(argv[0], "r");
	char *buf = malloc(64);
	size_t n = f ? fread(buf, 1, 64, f) : 0;
	int fd = open(argv[0], O_RDONLY);
	size_t len = strlen(argv[0]);

	src.b[0] = (char)argc;
	dst = src;
	if (f)
		fclose(f);
	free(buf);
	return (int)(n + len) + fd + dst.b[0];
}
