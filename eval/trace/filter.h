/* SPDX-License-Identifier: GPL-2.0 */
/*
 * filter.h - the seccomp filter lcg-trace puts on the command: which system
 * calls stop the program (SECCOMP_RET_TRACE) and with which tag.
 *
 * Every other call runs without a stop.  The filter reads only the
 * architecture and the number, never the arguments, so the kernel's seccomp
 * action cache answers the calls that are never trapped without running it,
 * and the tracer decides on the arguments (pda/sensitive.h's rules) itself.
 */
#ifndef LCG_TRACE_FILTER_H
#define LCG_TRACE_FILTER_H

#include <linux/filter.h>
#include <stddef.h>

#include "pda/shim.h"

/* Why a call stops: the SECCOMP_RET_DATA our filter attaches. */
enum trace_stop {
	TRACE_STOP_NONE = 0,		/* not trapped */
	TRACE_STOP_EVENT = 0x1c9,	/* x86_64 LCG_SYSCALL_NR: an lcg event */
	TRACE_STOP_SENSITIVE,		/* an x86_64 call of the sensitive table */
	TRACE_STOP_SIGRETURN,		/* a signal handler returns: rt_sigreturn of x86_64
					 * or x32, sigreturn or rt_sigreturn of i386 */
	TRACE_STOP_X32,			/* any other x32 call (nr has LCG_X32_SYSCALL_BIT) */
	TRACE_STOP_I386,		/* any other i386 call (int 0x80, sysenter) */
};

/* Room for the filter: 12 fixed instructions, one per table row, 6 returns. */
#define FILTER_MAX 256

/*
 * filter_stop() - what the filter answers for system call @nr of audit
 * architecture @arch.  The tracer asks it when another filter of the
 * program won the tie between two SECCOMP_RET_TRACE actions and the stop
 * carries that filter's tag instead of ours.
 */
enum trace_stop filter_stop(u32 arch, u32 nr);

/* filter_is_tag() - is @data one of our tags? */
bool filter_is_tag(u32 data);

/*
 * filter_build() - the BPF program implementing filter_stop() (generated
 * from pda/sensitive.h's table) into @code, room for @max instructions.
 * Return its length, or 0 when it does not fit @max or a jump's 8-bit range
 * (the table outgrew a linear filter).
 */
size_t filter_build(struct sock_filter *code, size_t max);

#endif /* LCG_TRACE_FILTER_H */
