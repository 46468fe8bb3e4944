// SPDX-License-Identifier: GPL-2.0
/*
 * greeter - the demo's victim: a control-flow hijack that lcg stops in the
 * kernel.  A session greets its user through a function pointer; an
 * overflow of the session's name overwrites the pointer with remove_file(),
 * whose unlink() the program only ever calls in admin mode, or with libc's
 * own unlink(), which the hijack then enters without announcing anything.
 *
 *   greeter NAME            greets NAME (benign)
 *   greeter admin FILE      removes FILE (the legitimate use of unlink)
 *   greeter attack FILE     overflows the name, then "greets" FILE: remove_file(FILE)
 *   greeter libc FILE       the same with libc's unlink (its address leaked):
 *                           no event, stopped at the unlink system call
 *
 * Built with lcg-cc, the analysis instruments it.  With DEMO_HAND=1, make
 * demo builds it with -DLCG_HAND_INSTRUMENTED instead: the events below are
 * issued by hand and greeter.spec is its policy.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef LCG_HAND_INSTRUMENTED
#include "pda/abi.h"
#define EVENT(id) LCG_EVENT(id)
#else
#define EVENT(id) do { } while (0)
#endif

enum { EV_UNLINK = 1, EV_WRITE_SESSION = 2, EV_WRITE_GREETING = 3 };

struct session {
	char name[16];
	void (*greet)(const char *who);
};

static void say(const char *s)
{
	EVENT(EV_WRITE_GREETING);
	if (write(1, s, strlen(s)) < 0)
		_exit(1);
}

static void greet_plain(const char *who)
{
	say("hello ");
	say(who);
	say("\n");
}

/* not of the greeter's type: never a legitimate target of s->greet */
__attribute__((noinline)) int remove_file(const char *path, int verbose)
{
	int r;

	EVENT(EV_UNLINK);
	r = unlink(path);
	if (verbose == 1)
		say("removed\n");
	return r;
}

int main(int argc, char **argv)
{
	const char *who = argc > 2 ? argv[2] : argc > 1 ? argv[1] : "world";
	struct session *s;

	if (argc > 2 && !strcmp(argv[1], "admin"))
		return remove_file(argv[2], 1) != 0;
	/* from here on, no path of the program leads to unlink() */
	s = malloc(sizeof(*s));
	if (!s)
		return 1;
	s->greet = greet_plain;
	EVENT(EV_WRITE_SESSION);
	if (write(1, "new session\n", 12) < 0)
		return 1;
	if (argc > 2 && (!strcmp(argv[1], "attack") || !strcmp(argv[1], "libc"))) {
		unsigned char payload[sizeof(s->name) + sizeof(uintptr_t)];
		/* what the attacker learnt of the binary's, or of libc's, layout */
		uintptr_t target = !strcmp(argv[1], "attack") ? (uintptr_t)&remove_file
				   : (uintptr_t)dlsym(RTLD_DEFAULT, "unlink");

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
