// SPDX-License-Identifier: GPL-2.0
/*
 * execs - exec starts a fresh monitor state; another program is not checked.
 * usage: execs self | vfork-self | thread-self | other PROGRAM [ARG]... | second
 * "self" execs itself as "second", whose events (2, 3) are legal only from
 * the start of the policy; "vfork-self" does so from a vfork child and
 * "thread-self" from a second thread (which takes over the process' id);
 * "other" execs PROGRAM, which is not the policy's program.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pda/abi.h"

static char self[] = "/proc/self/exe";
static char *second[] = { "execs", "second", NULL };

static void *exec_from_thread(void *arg)
{
	LCG_EVENT(1);
	execv(self, second);
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t thread;
	int status = 0;
	pid_t pid;

	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "second")) {
		LCG_EVENT(2);
		puts("execs: second");
		LCG_EVENT(3);
		return fflush(stdout) ? 1 : 0;
	}
	if (!strcmp(argv[1], "self") || (!strcmp(argv[1], "other") && argc > 2)) {
		LCG_EVENT(1);
		if (!strcmp(argv[1], "self"))
			execv(self, second);
		else
			execv(argv[2], argv + 2);
		return 1;
	}
	if (!strcmp(argv[1], "thread-self")) {
		LCG_EVENT(6);
		if (pthread_create(&thread, NULL, exec_from_thread, NULL) != 0)
			return 1;
		pthread_join(thread, NULL);
		return 1;	/* not reached: the exec ends this thread */
	}
	if (strcmp(argv[1], "vfork-self"))
		return 2;
	LCG_EVENT(4);
	pid = vfork();
	if (pid == 0) {
		LCG_EVENT(1);
		execv(self, second);
		_exit(1);
	}
	LCG_EVENT(5);
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}
