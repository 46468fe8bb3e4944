/*
 * A loop through a function that may return without a library call: its
 * brackets could come in any number between two library calls, so that call
 * is hot, and maybe_log is pasted into the loop (no PRECALL/POSTCALL).  Its
 * call after the loop, and the calls of log_always (which always writes),
 * keep their brackets.
 */
#include <unistd.h>

__attribute__((noinline)) void maybe_log(int i)
{
	if (i % 1000 == 999)
		(void)write(1, "", 0);
}

__attribute__((noinline)) void log_always(void)
{
	(void)write(1, "", 0);
}

int main(int argc, char **argv)
{
	for (int i = 0; i < 10000 * argc; i++)
		maybe_log(i);
	maybe_log(999);
	for (int i = 0; i < argc; i++)
		log_always();
	log_always();
	return 0;
}
