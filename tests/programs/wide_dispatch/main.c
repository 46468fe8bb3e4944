/*
 * An indirect call with many bracketed targets, each of which may start
 * with any of a thousand library calls: 80 handlers, each with its own
 * copy of a 1024-way switch of unlink calls (a hot loop pastes it), reached
 * through a table from two calls (so they keep their brackets).  With one
 * site for all targets, the state the monitor enters at the call's PRECALL
 * held every handler's first calls: 80 x 1024 edges, beyond the image's
 * limit per state (pda/limits.h), and lcg-trace could not load the policy.
 * With a site per target it holds one handler's.
 */
#include <stdlib.h>
#include "say.h"

#define U1(n) case n: removed += unlink("/nonexistent/lcg-wide-" #n) == 0; break;
#define U4(n) U1(n##0) U1(n##1) U1(n##2) U1(n##3)
#define U16(n) U4(n##0) U4(n##1) U4(n##2) U4(n##3)
#define U64(n) U16(n##0) U16(n##1) U16(n##2) U16(n##3)
#define U256(n) U64(n##0) U64(n##1) U64(n##2) U64(n##3)
#define U1024 U256(10) U256(11) U256(12) U256(13)

static long removed;

/* optnone: -O2 would turn the switch into one call through a table of paths */
__attribute__((optnone, noinline)) static void pick(int k)
{
	switch (k) {
	U1024
	default:
		break;
	}
}

/* handler j: calls pick in a loop, so each gets its own copy of it */
#define H(j) static void handler##j(int n) { for (int i = 0; i < n; i++) pick(100000 + i * j); }
#define H8(d) H(d##0) H(d##1) H(d##2) H(d##3) H(d##4) H(d##5) H(d##6) H(d##7)
#define T8(d) handler##d##0, handler##d##1, handler##d##2, handler##d##3, \
	      handler##d##4, handler##d##5, handler##d##6, handler##d##7
H8(1) H8(2) H8(3) H8(4) H8(5) H8(6) H8(7) H8(8) H8(9) H8(10)
static void (*const table[])(int) = {
	T8(1), T8(2), T8(3), T8(4), T8(5), T8(6), T8(7), T8(8), T8(9), T8(10)
};
#define N_HANDLERS (sizeof(table) / sizeof(table[0]))

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 0;

	table[(unsigned)n % N_HANDLERS](n);
	say("first call returned\n");
	table[(unsigned)(n + 1) % N_HANDLERS](n);
	say_num("removed", removed);
	return 0;
}
