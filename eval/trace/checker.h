/* SPDX-License-Identifier: GPL-2.0 */
/*
 * checker.h - the policy side of lcg-trace: the policy, its compiled image,
 * and the decision for each event and sensitive system call, made by the same
 * pda/ core as the kernel.
 */
#ifndef LCG_TRACE_CHECKER_H
#define LCG_TRACE_CHECKER_H

#include <stdbool.h>
#include <sys/stat.h>

#include "event.h"
#include "formats/policy.h"
#include "pda/monitor.h"

struct checker {
	bool enabled;			/* a policy was given */
	bool complain;			/* report, resynchronise, go on */
	const char *policy_path;
	struct lcg_policy policy;
	void *image_buf;
	struct lcg_image image;
	bool program_exists;		/* the policy's program path could be stat'ed */
	struct stat program_st;
	u64 events;			/* events checked */
	u64 syscalls;			/* sensitive system calls checked */
	u64 violations;
	u64 processes;			/* execs of the policy's program */
	u32 *allowed_buf;		/* room for every event id (checker_allowed) */
};

/*
 * checker_load() - read @path, build and validate its image.  Prints what
 * went wrong and returns -1; warns (only) when the policy's program is
 * missing or has changed since the policy was made.
 */
int checker_load(struct checker *c, const char *path, bool complain);
void checker_free(struct checker *c);

/*
 * checker_owns_exe() - is @exe_link (a /proc/PID/exe link) the policy's
 * program: the same file, or a file with the policy's SHA-256?
 */
bool checker_owns_exe(const struct checker *c, const char *exe_link);

/* The policy's description of event @id, or NULL (no policy, unknown id). */
const struct lcg_event_info *checker_event(const struct checker *c, u32 id);

/*
 * checker_step() - check one event of a monitored task: its origin (@in_exe,
 * @offset) against the event's pins, then the automaton.  Return LCG_R_OK or
 * the reason of the violation; counts both.
 */
enum lcg_reason checker_step(struct checker *c, struct lcg_monitor *m, u32 id,
			     bool in_exe, u64 offset);

/*
 * checker_syscall() - check a sensitive system call of a monitored task
 * (docs/binding.md): one through another ABI than x86_64 is always refused,
 * else lcg_monitor_syscall() decides on its class and origin.  Return
 * LCG_R_OK or the reason of the violation; counts both.
 */
enum lcg_reason checker_syscall(struct checker *c, const struct lcg_monitor *m,
				const struct trace_syscall *sc);

/*
 * checker_allowed() - how many distinct events @m accepts now: the branching
 * factor that precision measurements average over a trace.
 */
u32 checker_allowed(const struct checker *c, const struct lcg_monitor *m);

#endif /* LCG_TRACE_CHECKER_H */
