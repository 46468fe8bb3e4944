/* Constructors run before main, atexit handlers and destructors after it. */
#include <stdlib.h>
#include "say.h"

__attribute__((constructor)) static void setup(void)
{
	say_num("constructor, pid positive:", getpid() > 0);
}

__attribute__((destructor)) static void teardown(void)
{
	say("destructor\n");
}

static void at_exit_1(void) { say("atexit 1\n"); }
static void at_exit_2(void) { say("atexit 2\n"); }

int main(int argc, char **argv)
{
	atexit(at_exit_1);
	atexit(at_exit_2);
	say("main\n");
	if (argc > 1)
		exit(3);
	return 0;
}
