/* Several translation units, each with its own static helper() doing other calls. */
#include "say.h"

int in_a(void);
int in_b(void);

static int helper(void)
{
	say("main's helper\n");
	return 1;
}

int main(int argc, char **argv)
{
	int n = helper() + in_a() + in_b();

	say_num("helpers run:", n);
	return 0;
}
