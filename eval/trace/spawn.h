/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spawn.h - start the command under ptrace with the event filter installed.
 *
 * The child waits on a pipe until the tracer has seized it, installs the
 * seccomp filter of filter.h (lcg events, sensitive system calls,
 * rt_sigreturn and every call of another ABI stop; every other call runs
 * untouched), and execs the command.  The filter and the tracing are
 * inherited by every process and thread the command creates.
 */
#ifndef LCG_TRACE_SPAWN_H
#define LCG_TRACE_SPAWN_H

#include <sys/types.h>

/* Exit statuses of the child when it could not become the command. */
#define SPAWN_EXIT_SETUP 2	/* filter or synchronisation failed */
#define SPAWN_EXIT_NOEXEC 126	/* found but cannot be executed */
#define SPAWN_EXIT_NOTFOUND 127	/* not found */

/*
 * spawn_traced() - fork, seize and release the child that execs @argv
 * (searched in PATH like a shell).  Return the child's pid, or -1 after
 * printing why.
 */
pid_t spawn_traced(char **argv);

#endif /* LCG_TRACE_SPAWN_H */
