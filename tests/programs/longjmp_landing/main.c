/*
 * Longjmp landings in PDA mode: a longjmp that pops no frame lands without
 * an event, one that leaves frames (a recursive function's, a signal
 * handler's, also through a musttail call) announces its landing.  And, in every mode, a longjmp from a
 * function that makes no event of its own still lands.
 */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include "say.h"

static jmp_buf env;
static sigjmp_buf sigenv;

/* makes no event: a longjmp from here pops no frame */
__attribute__((noinline)) static void bail(int code)
{
	if (code)
		longjmp(env, code);
}

/* recursive, so bracketed in PDA mode: its longjmp leaves frames */
__attribute__((noinline)) void deep(int n)
{
	say_num("deep", n);
	if (n == 0)
		longjmp(env, 7);
	deep(n - 1);
	say("never printed\n");
}

static void on_signal(int sig)
{
	(void)sig;
	siglongjmp(sigenv, 1);
}

/* the handler's frame goes on in the function it tail-calls */
__attribute__((noinline)) void leave(int sig)
{
	say_num("leaving the handler of", sig);
	siglongjmp(sigenv, 2);
}

static void on_signal_tail(int sig)
{
	__attribute__((musttail)) return leave(sig);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "local";

	if (!strcmp(what, "local")) {
		for (volatile int i = 1; i <= 3; i++) {
			int v = setjmp(env);

			if (v) {
				say_num("landed", v);
				continue;
			}
			bail(i);
		}
		return 0;
	}
	if (!strcmp(what, "deep")) {
		if (setjmp(env)) {
			say("landed from deep\n");
			return 0;
		}
		deep(3);
		return 1;
	}
	if (signal(SIGUSR1, on_signal) == SIG_ERR || signal(SIGUSR2, on_signal_tail) == SIG_ERR)
		return 2;
	if (sigsetjmp(sigenv, 1)) {
		say("landed from the handler\n");
		return 0;
	}
	raise(strcmp(what, "tail") ? SIGUSR1 : SIGUSR2);
	return 1;
}
