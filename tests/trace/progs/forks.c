// SPDX-License-Identifier: GPL-2.0
/*
 * forks - a child inherits a copy of its parent's monitor state.
 * usage: forks fork|vfork|bad-child
 * After the fork event the child may only write (event 2) and the parent
 * only wait (3) then write (4); "bad-child" makes the child issue the
 * parent's event 4, a violation that must kill both processes.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pda/abi.h"

int main(int argc, char **argv)
{
	int status = 0;
	pid_t pid;

	if (argc != 2)
		return 2;
	LCG_EVENT(1);
	pid = strcmp(argv[1], "vfork") ? fork() : vfork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		if (!strcmp(argv[1], "bad-child")) {
			LCG_EVENT(4);
		} else {
			LCG_EVENT(2);
		}
		if (write(1, "forks: child\n", 13) != 13)
			_exit(1);
		_exit(3);
	}
	LCG_EVENT(3);
	waitpid(pid, &status, 0);
	LCG_EVENT(4);
	printf("forks: child exited with %d\n", WEXITSTATUS(status));
	return WEXITSTATUS(status);
}
