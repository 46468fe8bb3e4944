// SPDX-License-Identifier: GPL-2.0
/*
 * tasks.c - a flat table of traced tasks.  Lookups are linear: a ptrace stop
 * costs microseconds, far more than scanning the few tasks a test runs.
 */
#include "tasks.h"
#include "formats/grow.h"

#include <stdlib.h>
#include <unistd.h>

struct task *tasks_find(const struct task_table *t, pid_t tid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i]->tid == tid)
			return t->v[i];
	return NULL;
}

struct task *tasks_add(struct task_table *t, pid_t tid)
{
	struct task *task;

	if (!lcg_grow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v), SIZE_MAX))
		return NULL;
	task = calloc(1, sizeof(*task));
	if (!task)
		return NULL;
	task->tid = tid;
	task->tgid = tid;
	task->maps_fd = -1;
	t->v[t->n++] = task;
	return task;
}

void task_forget_exe(struct task *task)
{
	free(task->exe);
	task->exe = NULL;
	if (task->maps_fd >= 0)
		close(task->maps_fd);
	task->maps_fd = -1;
	task->entry.addr = 0;
}

static void task_free(struct task *task)
{
	task_forget_exe(task);
	free(task);
}

void tasks_remove(struct task_table *t, pid_t tid)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i]->tid != tid)
			continue;
		task_free(t->v[i]);
		t->v[i] = t->v[--t->n];
		return;
	}
}

void tasks_free(struct task_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		task_free(t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}
