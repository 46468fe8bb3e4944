/* SPDX-License-Identifier: GPL-2.0 */
/*
 * record.h - the event record (--record FILE, or stderr without a policy):
 * one line per event, as text columns or JSON lines; docs/lcg-trace.md gives
 * the format.  A regular file is written under a temporary name and renamed
 * into place when the trace ends, so a reader never sees half a record;
 * "-" is stdout, and pipes or terminals are written directly.
 */
#ifndef LCG_TRACE_RECORD_H
#define LCG_TRACE_RECORD_H

#include <stdbool.h>
#include <stdio.h>

#include "event.h"
#include "formats/atomic_file.h"

struct recorder {
	FILE *out;		/* NULL: recording is off */
	bool json;
	struct lcg_atomic file;	/* a regular file (file.f == out), else file.f NULL */
	bool own_stream;	/* out is a stream we opened (a pipe, a terminal) */
};

/*
 * recorder_open() - record to @path ("-": stdout), or to stderr when @path
 * is NULL and @to_stderr.  Return 0, or -1 after printing why.
 */
int recorder_open(struct recorder *r, const char *path, bool json, bool to_stderr);
void record_event(struct recorder *r, const struct trace_event *ev);
/* "# syscall" lines: each sensitive system call a monitored task made. */
void record_syscall(struct recorder *r, const struct trace_syscall *sc);
/* "# entry": the program's entry point ran, start-up is over. */
void record_entry(struct recorder *r, pid_t pid);
/* Lifecycle lines: what the analysis of a trace needs to follow processes. */
void record_exec(struct recorder *r, pid_t pid, const char *exe, const char *state);
/* @how: "fork", "vfork" or "thread"; @child is the new task's id. */
void record_spawn(struct recorder *r, const char *how, pid_t pid, pid_t tid, pid_t child);
/* @status as waitpid returned it. */
void record_exit(struct recorder *r, pid_t tid, int status);
/*
 * recorder_close() - finish the record: rename it into place when @keep,
 * else remove it.  Return 0, or -1 after printing why.
 */
int recorder_close(struct recorder *r, bool keep);

#endif /* LCG_TRACE_RECORD_H */
