/* Recursion: every level of the recursion makes a library call. */
#include <stdlib.h>
#include "say.h"

__attribute__((noinline)) long fact(int n)
{
	if (n <= 1)
		return 1;
	say(".");
	return n * fact(n - 1);
}

int main(int argc, char **argv)
{
	long f = fact(argc > 1 ? atoi(argv[1]) : 5);

	say("\n");
	say_num("fact:", f);
	return 0;
}
