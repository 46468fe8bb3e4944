/* Recursion: walk() calls itself between a write and a close (not a tail call). */
#include <unistd.h>

__attribute__((noinline)) int walk(int depth)
{
	int r;

	if (depth <= 0)
		return 0;
	(void)write(1, "", 0);
	r = walk(depth - 1);
	close(-1);
	return r + 1;
}

int main(int argc, char **argv)
{
	return walk(argc) < 0;
}
