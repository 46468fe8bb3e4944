/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_read.h - the events of one lcg-trace record (docs/lcg-trace.md):
 * those of the main thread of the first process that ran the policy's
 * program, in order.  mbed TLS's programs are single-threaded and do not
 * fork; other threads and processes are counted and left out.
 */
#ifndef LCG_REPORT_TRACE_READ_H
#define LCG_REPORT_TRACE_READ_H

#include "pda/shim.h"

/* An event as read back from a record (lcg-trace's own is struct trace_event). */
struct recorded_event {
	u32 id;
	u64 offset;		/* file offset of the syscall instruction */
};

struct trace {
	struct recorded_event *ev;
	size_t n, cap;
	size_t ignored;		/* events of other threads or processes */
	size_t unverified;	/* events lcg-trace did not accept ("ok") */
};

/* Return 0, or -1 after printing what was wrong with @path. */
int trace_read(struct trace *t, const char *path);
void trace_free(struct trace *t);

#endif
