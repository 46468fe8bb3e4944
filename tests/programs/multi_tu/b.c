#include <time.h>
#include "say.h"

__attribute__((noinline)) static int helper(void)
{
	say_num("b's helper, time positive:", time(NULL) > 0);
	return 1;
}

int in_b(void) { return helper(); }
