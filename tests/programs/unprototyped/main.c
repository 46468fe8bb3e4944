/*
 * A command table as dash's builtins.c has it: each command declared with
 * its prototype and called through int (*)(int, char **).  times_cmd is
 * defined without one (times.c, K&R style), as dash's timescmd is: legal
 * C, but its own KCFI type is int(), not the pointer's.  lcg must still
 * count it as a target of the call (before: a false alarm at its first
 * library call).
 */
#include <stdlib.h>
#include <string.h>
#include "say.h"

int times_cmd(int argc, char **argv);
int echo_cmd(int argc, char **argv);

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "echo", echo_cmd },
	{ "times", times_cmd },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	say("no such command\n");
	return 2;
}
