/* SPDX-License-Identifier: GPL-2.0 */
/* proc.h - what lcg-trace reads about a traced task from /proc. */
#ifndef LCG_TRACE_PROC_H
#define LCG_TRACE_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* The path /proc/PID/exe names (malloc'ed), or NULL when it cannot be read. */
char *proc_exe(pid_t pid);

/* The thread group of @tid, or 0 when /proc no longer knows it. */
pid_t proc_tgid(pid_t tid);

/*
 * proc_signal_caught() - does signal @sig run a handler in @tid's process
 * (SigCgt of /proc/TID/status)?  False when it cannot be read: the task is
 * gone, or dying.
 */
bool proc_signal_caught(pid_t tid, int sig);

/*
 * proc_entry_point() - the program's entry point (AT_ENTRY of
 * /proc/PID/auxv: the address, load bias included).
 * Return 0, or -1 with errno set (ENOENT: no AT_ENTRY).
 */
int proc_entry_point(pid_t pid, uint64_t *entry);

#endif /* LCG_TRACE_PROC_H */
