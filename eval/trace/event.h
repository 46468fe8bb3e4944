/* SPDX-License-Identifier: GPL-2.0 */
/* event.h - one event as lcg-trace saw it, for the record and the reports. */
#ifndef LCG_TRACE_EVENT_H
#define LCG_TRACE_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "formats/policy.h"

struct trace_event {
	pid_t pid;		/* process (thread group) */
	pid_t tid;		/* thread */
	uint32_t id;		/* rdi of the dummy system call */
	uint64_t addr;		/* address of its syscall instruction */
	bool in_exe;		/* addr lies in the executable's code */
	uint64_t offset;	/* file offset of addr, valid when in_exe */
	const char *exe;	/* the task's executable, or NULL */
	const char *where;	/* outside exe: what is mapped at addr ("" anonymous), or NULL */
	const struct lcg_event_info *info;	/* the policy's entry, or NULL */
	const char *verdict;	/* "ok", a reason name, "unmonitored", "unchecked" */
	long allowed;		/* events the policy accepted at this point, -1 unknown */
};

/* Name of an event kind as the record and reports print it. */
const char *trace_kind_str(uint32_t kind);

#endif /* LCG_TRACE_EVENT_H */
