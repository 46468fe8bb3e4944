/*
 * A library lcg cannot see may call exit(): then the exit handlers may run
 * after any of its calls, so they stay asynchronous entries.
 */
#include <stdlib.h>
#include <unistd.h>

extern int lib_work(int);

__attribute__((noinline)) static void on_exit_handler(void)
{
	(void)write(1, "bye", 0);
}

int main(int argc, char **argv)
{
	atexit(on_exit_handler);
	return lib_work(argc);
}
