/* SPDX-License-Identifier: GPL-2.0 */
/*
 * startup.h - where start-up ends: a breakpoint on the program's entry point.
 *
 * What the dynamic loader does before the program's own code first runs is
 * not checked (docs/binding.md, "Start-up").  At the exec of a monitored
 * program the tracer writes an int3 over the first byte at AT_ENTRY; the
 * task stops there with SIGTRAP, the byte is put back, the instruction
 * pointer moved back onto it, and the monitor told that the program entered.
 */
#ifndef LCG_TRACE_STARTUP_H
#define LCG_TRACE_STARTUP_H

#include <stdint.h>
#include <sys/types.h>

/* A breakpoint in one address space. */
struct entry_bp {
	uint64_t addr;		/* the entry point; 0: no breakpoint pending */
	uint8_t byte;		/* what the int3 replaced */
};

/*
 * startup_arm() - set the breakpoint in @pid, stopped at its exec.
 * Return 0, or -1 with errno set (no AT_ENTRY, or the text cannot be written).
 */
int startup_arm(pid_t pid, struct entry_bp *bp);

/*
 * startup_hit() - is @tid's SIGTRAP stop the breakpoint of @bp?  If so, take
 * it out and move the task back onto the entry point, ready to run it.
 * A SIGTRAP from anywhere else, or one arriving after a task sharing the
 * memory took the breakpoint out, is not it.
 * Return 1 (it was: @bp is cleared), 0 (it was not), or -1 with errno set
 * when the task could not be repaired (it must not run on).
 */
int startup_hit(pid_t tid, struct entry_bp *bp);

#endif /* LCG_TRACE_STARTUP_H */
