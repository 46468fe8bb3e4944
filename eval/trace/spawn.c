// SPDX-License-Identifier: GPL-2.0
/* spawn.c - fork the command, attach to it, filter, exec. */
#define _GNU_SOURCE
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
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

#include "formats/abi.h"

/*
 * (u32)nr == LCG_SYSCALL_NR on x86_64 -> trace; anything else -> allow.
 * Other ABIs (i386 through int 0x80, x32) never reach lcg's handler.
 */
static int install_filter(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LCG_SYSCALL_NR, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | SPAWN_FILTER_TAG),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	/* Without CAP_SYS_ADMIN the kernel wants no_new_privs first. */
	if (errno != EACCES || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static void run_child(int go, char **argv)
{
	char byte;

	/* EOF instead of the byte: the tracer could not attach and gave up. */
	if (read(go, &byte, 1) != 1)
		_exit(SPAWN_EXIT_SETUP);
	close(go);
	if (install_filter() != 0) {
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
	int go[2];
	pid_t pid;

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
		run_child(go[0], argv);
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
