/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tasks.h - the threads and processes lcg-trace follows, by thread id.
 *
 * A new task may report its first ptrace stop before or after the fork,
 * vfork or clone event of its creator; it is resumed only once both were
 * seen, so that it never runs without its monitor state.
 */
#ifndef LCG_TRACE_TASKS_H
#define LCG_TRACE_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "pda/monitor.h"
#include "startup.h"

struct task {
	pid_t tid;
	pid_t tgid;
	bool attached;		/* its first ptrace stop was seen */
	bool linked;		/* its creator's event was seen */
	bool monitored;		/* runs the policy's program and is checked */
	char *exe;		/* path of its executable (as /proc/PID/exe names it) */
	int maps_fd;		/* its /proc/TID/maps while open, else -1 (exe_map.h) */
	struct entry_bp entry;	/* start-up not over: the entry breakpoint (startup.h) */
	struct lcg_monitor mon;	/* valid when monitored */
};

struct task_table {
	struct task **v;
	size_t n, cap;
};

struct task *tasks_find(const struct task_table *t, pid_t tid);
/* A zeroed task for @tid; NULL when out of memory. */
struct task *tasks_add(struct task_table *t, pid_t tid);
/* Drop what belongs to the old program at an exec: exe path, maps file, breakpoint. */
void task_forget_exe(struct task *task);
void tasks_remove(struct task_table *t, pid_t tid);
void tasks_free(struct task_table *t);

#endif /* LCG_TRACE_TASKS_H */
