/*
 * A recursion that may descend without a library call (the event comes
 * after the recursive call, and only sometimes): its brackets could come in
 * any number between two library calls, so the recursive call is hot and
 * pasted as a shared copy, which lets a return go to either call of the
 * copy (the precision cost of bounded cost).
 */
#include <unistd.h>

__attribute__((noinline)) static int depth(int n)
{
	int r = n > 0 ? depth(n - 1) + 1 : 0;

	if (r % 64 == 63)
		(void)write(1, "", 0);
	return r;
}

int main(int argc, char **argv)
{
	int d = depth(argc * 100);

	(void)getpid();
	d += depth(argc);
	(void)getppid();
	return d & 1;
}
