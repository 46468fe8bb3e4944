/* Mutual recursion: is_even and is_odd call each other and libc. */
#include <stdlib.h>
#include "say.h"

int is_odd(int n);

__attribute__((noinline)) int is_even(int n)
{
	if (n == 0)
		return 1;
	say("e");
	return is_odd(n - 1);
}

__attribute__((noinline)) int is_odd(int n)
{
	if (n == 0)
		return 0;
	say("o");
	return is_even(n - 1);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 7;
	int even = is_even(n);

	say("\n");
	say_num("even:", even);
	return 0;
}
