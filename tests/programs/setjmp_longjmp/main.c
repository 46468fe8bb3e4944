/* setjmp/longjmp across frames: a deep call chain unwinds to main. */
#include <setjmp.h>
#include <stdlib.h>
#include "say.h"

static jmp_buf env;

__attribute__((noinline)) void dive(int depth)
{
	say_num("depth", depth);
	if (depth == 3)
		longjmp(env, depth);
	dive(depth + 1);
	say("never printed\n");
}

__attribute__((noinline)) int attempt(int round)
{
	int v = setjmp(env);

	if (v == 0) {
		dive(round);
		return -1;
	}
	say_num("unwound from", v);
	return v;
}

int main(int argc, char **argv)
{
	for (int round = 0; round < 3; round++)
		say_num("attempt returned", attempt(round));
	return 0;
}
