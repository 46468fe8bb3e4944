/* With -fexceptions a cleanup turns calls into invokes: POSTCALL goes on
 * the normal edge, phis of the destination follow it. */
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline)) int work(int x)
{
	return (int)write(1, "w\n", 2) + x;
}

static void done(int *p)
{
	(void)write(1, "c\n", 2);
	(void)p;
}

int main(int argc, char **argv)
{
	int r;
	{
		int guard __attribute__((cleanup(done))) = 0;

		r = work(argc) + (argc > 1 ? work(2) : 0);
		r += work(r);
	}
	printf("%d\n", r);
	return 0;
}
