/* SPDX-License-Identifier: GPL-2.0 */
/*
 * event.h - an event or a sensitive system call as lcg-trace saw it, for the
 * record and the reports.
 */
#ifndef LCG_TRACE_EVENT_H
#define LCG_TRACE_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "formats/policy.h"

/* Where a system call instruction lies. */
struct trace_place {
	uint64_t addr;		/* its address */
	bool in_exe;		/* addr lies in the executable's code */
	uint64_t offset;	/* file offset of addr, valid when in_exe */
	const char *exe;	/* the task's executable, or NULL */
	const char *where;	/* outside exe: what is mapped at addr ("" anonymous), or NULL */
};

struct trace_event {
	pid_t pid;		/* process (thread group) */
	pid_t tid;		/* thread */
	uint32_t id;		/* rdi of the dummy system call */
	struct trace_place at;
	const struct lcg_event_info *info;	/* the policy's entry, or NULL */
	const char *verdict;	/* "ok", a reason name, "unmonitored", "unchecked" */
	long allowed;		/* events the policy accepted at this point, -1 unknown */
};

/* A sensitive system call of a monitored task (pda/sensitive.h). */
struct trace_syscall {
	pid_t pid;
	pid_t tid;
	bool native;		/* made through the x86_64 ABI */
	const char *abi;	/* "x86_64", "i386" or "x32" */
	char name[48];		/* "unlink"; another ABI's prefixed with it: "i386:unlink" */
	uint32_t cls;		/* LCG_SC_BIT() of its class */
	struct trace_place at;
	uint32_t armed;		/* lcg_monitor_armed() when it was made */
	uint32_t last;		/* the last accepted event, 0 before the first */
	const struct lcg_event_info *last_info;	/* the policy's entry for it, or NULL */
	const char *verdict;	/* "ok", "start-up", or the reason of the violation */
};

/* Name of an event kind as the record and reports print it. */
const char *trace_kind_str(uint32_t kind);

#endif /* LCG_TRACE_EVENT_H */
