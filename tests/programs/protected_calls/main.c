/*
 * Protected calls the way an interpreter makes them (Lua's
 * luaD_rawrunprotected): a function holding a setjmp, below a call in a
 * loop that mostly makes no library call, and recursive through a function
 * pointer, with longjmps from deeper
 * calls back to the innermost protected call.  The analysis pastes the
 * setjmp's function into its callers; a longjmp must land on the right
 * copy's return, in both modes.
 */
#include <setjmp.h>
#include "say.h"

typedef int (*body_fn)(int);

static jmp_buf *handler;

__attribute__((noinline)) static int protected_call(body_fn f, int arg)
{
	jmp_buf here, *outer = handler;
	volatile int r = -1;

	handler = &here;
	if (setjmp(here) == 0)
		r = f(arg);
	handler = outer;
	return r;
}

__attribute__((noinline)) static void raise_error(int code)
{
	if (code % 50 == 0)
		say_num("error", code);
	longjmp(*handler, 1);
}

__attribute__((noinline)) static int leaf(int x)
{
	if (x % 7 == 0)
		raise_error(x);
	return x + 1;
}

/* a protected call inside a protected call: the setjmp's function recursive */
__attribute__((noinline)) static int nested(int x)
{
	int a = protected_call(leaf, x);

	if (x % 11 == 0)
		raise_error(x);
	return a + protected_call(leaf, x + 1);
}

static body_fn bodies[2] = { leaf, nested };

/*
 * Mostly plain arithmetic, now and then a protected call: a loop calling
 * this makes no library call on most rounds (a hot call), and everything
 * below it, the setjmp included, is pasted.
 */
__attribute__((noinline)) static int work(int x)
{
	if (x % 3)
		return x * 2;
	return protected_call(bodies[x & 1], x);
}

int main(int argc, char **argv)
{
	long acc = 0;
	int n = argc > 1 ? 1000 : 200;

	for (int i = 1; i <= n; i++)
		acc += work(i);
	say_num("acc", acc);
	if (protected_call(nested, 77) < 0)
		say("unwound to main\n");
	return 0;
}
