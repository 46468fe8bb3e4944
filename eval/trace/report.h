/* SPDX-License-Identifier: GPL-2.0 */
/* report.h - what lcg-trace tells a person on stderr. */
#ifndef LCG_TRACE_REPORT_H
#define LCG_TRACE_REPORT_H

#include "checker.h"
#include "event.h"

/*
 * report_violation() - the event, its site, the reason and what the policy
 * allowed at that point (@m's state before the step, so the report shows
 * why the event did not fit).
 */
void report_violation(const struct checker *c, const struct lcg_monitor *before,
		      const struct trace_event *ev, enum lcg_reason r);

/*
 * report_syscall_violation() - the sensitive system call, its class and
 * site, what was armed, the last accepted event and the reason.
 */
void report_syscall_violation(const struct checker *c, const struct trace_syscall *sc,
			      enum lcg_reason r);

/* The closing line of a complain-mode run. */
void report_summary(const struct checker *c);

#endif /* LCG_TRACE_REPORT_H */
