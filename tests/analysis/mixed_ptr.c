/* One indirect call that may reach libc (memset) or the program's own
 * function (which calls write): the id is chosen at run time. */
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) void *noisy_fill(void *p, int c, size_t n)
{
	(void)write(1, "fill\n", 5);
	return memset(p, c, n);
}

void *(*volatile fill)(void *, int, size_t);

int main(int argc, char **argv)
{
	char buf[16];

	fill = argc > 1 ? noisy_fill : memset;
	fill(buf, 0, sizeof(buf));
	(void)write(1, buf, 0);
	return buf[0];
}
