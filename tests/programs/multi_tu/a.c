#include "say.h"

__attribute__((noinline)) static int helper(void)
{
	say_num("a's helper, pid positive:", getpid() > 0);
	return 1;
}

int in_a(void) { return helper(); }
