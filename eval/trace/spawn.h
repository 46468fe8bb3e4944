/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spawn.h - start the command under ptrace with the event filter installed.
 *
 * The child waits on a pipe until the tracer has seized it, installs a
 * seccomp filter that sends only the lcg dummy system call to the tracer
 * (SECCOMP_RET_TRACE; every other call runs untouched, without a stop), and
 * execs the command.  The filter and the tracing are inherited by every
 * process and thread the command creates.
 */
#ifndef LCG_TRACE_SPAWN_H
#define LCG_TRACE_SPAWN_H

#include <sys/types.h>

/* The SECCOMP_RET_DATA our filter attaches, to tell its stops from others'. */
#define SPAWN_FILTER_TAG 0x1c9u

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
