/*
 * The NFA inliner's value: alike() is called twice, and both calls continue
 * alike (the calls between make no event: getpid() comes next either way),
 * so a copy per call would buy nothing: its calls share one copy, whatever
 * the budget.
 */
#include <unistd.h>

static volatile int ticks;

__attribute__((noinline)) static void tick(void)
{
	ticks++;
}

__attribute__((noinline)) static void tock(void)
{
	ticks--;
}

__attribute__((noinline)) static void alike(int fd)
{
	(void)read(fd, 0, 0);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		(void)dup(0);
		alike(1);
		tick();
	} else {
		(void)dup2(0, 0);
		alike(2);
		tock();
	}
	(void)getpid();
	return 0;
}
