/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracer.h - follow the command and everything it starts, stop by stop.
 *
 * The calls of filter.h stop (lcg events, sensitive system calls,
 * rt_sigreturn, other ABIs' calls), plus forks, vforks, clones, execs,
 * signals, exits and the entry-point breakpoint of startup.h.  At each
 * seccomp stop the call has not run yet, nor has the library call after an
 * event: an enforce-mode violation kills every traced process there.
 */
#ifndef LCG_TRACE_TRACER_H
#define LCG_TRACE_TRACER_H

#include <stdbool.h>
#include <sys/types.h>

#include "checker.h"
#include "record.h"
#include "tasks.h"

/* lcg-trace's exit status after an enforce-mode violation. */
#define TRACE_EXIT_VIOLATION 125

struct tracer {
	struct checker *checker;
	struct recorder *rec;
	struct task_table tasks;
	pid_t root;		/* the command's process */
	int root_status;	/* as waitpid returned it */
	bool root_done;
	bool killing;		/* every task is being killed */
	int interrupted;	/* the signal that interrupted lcg-trace, or 0 */
	bool failed;		/* lcg-trace itself failed and killed the program */
};

/*
 * tracer_run() - run @argv under the tracer until every traced task is gone.
 * SIGINT, SIGTERM or SIGHUP to lcg-trace kill the program and end the trace
 * (the record is kept).  Return lcg-trace's exit status: 125 after an
 * enforce-mode violation, 128 + signal when interrupted, else the command's
 * own (128 + signal when a signal killed it).
 */
int tracer_run(struct tracer *tr, char **argv);

#endif /* LCG_TRACE_TRACER_H */
