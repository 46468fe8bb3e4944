/*
 * A control-flow hijack: a heap buffer overflow (simulated: the attacker's
 * bytes are built here) overwrites a function pointer with the address of
 * remove_file(), whose unlink() the policy allows only in "admin" mode.
 *   main NAME            greets NAME through the pointer (benign)
 *   main admin FILE      removes FILE (the legitimate use of unlink)
 *   main attack FILE     overflows, then "greets" FILE: runs remove_file(FILE)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "say.h"

struct session {
	char name[16];
	void (*greet)(const char *who);
};

static void greet_plain(const char *who) { say("hello "); say(who); say("\n"); }
static void greet_loud(const char *who) { say("HELLO "); say(who); say("!\n"); }

/* Not of the greeters' type: never a legitimate target of s->greet. */
__attribute__((noinline)) int remove_file(const char *path, int verbose)
{
	int r = unlink(path);

	if (verbose == 1)
		say("removed\n");
	return r;
}

int main(int argc, char **argv)
{
	const char *who = argc > 2 ? argv[2] : argv[argc > 1];
	struct session *s;

	if (argc > 2 && !strcmp(argv[1], "admin"))
		return remove_file(argv[2], 1) != 0;
	/* from here on, no path of the program leads to unlink() */
	s = malloc(sizeof(*s));
	s->greet = argc > 3 ? greet_loud : greet_plain;
	say("new session\n");
	if (argc > 2 && !strcmp(argv[1], "attack")) {
		unsigned char payload[sizeof(s->name) + sizeof(uintptr_t)];
		uintptr_t target = (uintptr_t)&remove_file;

		memset(payload, 'A', sizeof(s->name));
		memcpy(payload + sizeof(s->name), &target, sizeof(target));
		memcpy(s->name, payload, sizeof(payload));	/* the overflow */
		__asm__ volatile("" : : "r"(s) : "memory");	/* as if unknown code wrote it */
	} else {
		strncpy(s->name, who, sizeof(s->name) - 1);
		s->name[sizeof(s->name) - 1] = '\0';
	}
	s->greet(who);
	free(s);
	return 0;
}
