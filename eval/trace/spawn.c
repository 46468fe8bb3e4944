// SPDX-License-Identifier: GPL-2.0
/* spawn.c - fork the command, attach to it, filter, exec. */
#define _GNU_SOURCE
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"
#include "pda/sensitive.h"

/* The filter, built before the fork so that a failure is lcg-trace's own. */
static int build_filter(struct sock_filter *code, struct sock_fprog *prog)
{
	prog->len = (unsigned short)filter_build(code, FILTER_MAX);
	prog->filter = code;
	if (prog->len)
		return 0;
	fprintf(stderr, "lcg-trace: the table of sensitive system calls (%u rows) no longer "
		"fits a linear seccomp filter (%d instructions, 8-bit jumps): make the filter "
		"in eval/trace/filter.c a tree\n", lcg_n_syscalls, FILTER_MAX);
	return -1;
}

static int install_filter(const struct sock_fprog *prog)
{
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) == 0)
		return 0;
	/* Without CAP_SYS_ADMIN the kernel wants no_new_privs first. */
	if (errno != EACCES || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog);
}

static void run_child(int go, const struct sock_fprog *prog, char **argv)
{
	char byte;

	/* EOF instead of the byte: the tracer could not attach and gave up. */
	if (read(go, &byte, 1) != 1)
		_exit(SPAWN_EXIT_SETUP);
	close(go);
	if (install_filter(prog) != 0) {
		fprintf(stderr, "lcg-trace: cannot install the seccomp filter: %s "
			"(does the kernel have CONFIG_SECCOMP_FILTER?)\n", strerror(errno));
		_exit(SPAWN_EXIT_SETUP);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "lcg-trace: cannot run '%s': %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? SPAWN_EXIT_NOTFOUND : SPAWN_EXIT_NOEXEC);
}

pid_t spawn_traced(char **argv)
{
	const long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
			  PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	struct sock_filter code[FILTER_MAX];
	struct sock_fprog prog;
	int go[2];
	pid_t pid;

	if (build_filter(code, &prog) != 0)
		return -1;
	if (pipe2(go, O_CLOEXEC) != 0) {
		fprintf(stderr, "lcg-trace: cannot create a pipe: %s\n", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "lcg-trace: cannot fork: %s\n", strerror(errno));
		close(go[0]);
		close(go[1]);
		return -1;
	}
	if (pid == 0) {
		close(go[1]);
		run_child(go[0], &prog, argv);
	}
	close(go[0]);
	if (ptrace(PTRACE_SEIZE, pid, 0, opts) != 0) {
		fprintf(stderr, "lcg-trace: cannot trace the command: ptrace(PTRACE_SEIZE): %s "
			"(is lcg-trace itself being traced, or ptrace forbidden here?)\n",
			strerror(errno));
		close(go[1]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	if (write(go[1], "", 1) != 1) {
		fprintf(stderr, "lcg-trace: cannot start the command: %s\n", strerror(errno));
		kill(pid, SIGKILL);
		close(go[1]);
		return -1;
	}
	close(go[1]);
	return pid;
}
