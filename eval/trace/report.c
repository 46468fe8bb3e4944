// SPDX-License-Identifier: GPL-2.0
/* report.c - readable violation reports. */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

/* Allowed events listed in a report; the rest are counted. */
#define REPORT_ALLOWED_MAX 24

/* "open (main, files.c:12)" for an event the policy knows. */
static void print_site(const struct lcg_event_info *in)
{
	fprintf(stderr, "%s %s in %s", trace_kind_str(in->kind), in->callee ? in->callee : "?",
		in->function ? in->function : "?");
	if (in->file)
		fprintf(stderr, " at %s:%" PRIu32, in->file, in->line);
}

static void print_origin(const struct checker *c, const struct trace_event *ev,
			 enum lcg_reason r)
{
	const struct lcg_event_info *in = ev->info;

	if (!ev->in_exe) {
		fprintf(stderr, "  from     0x%" PRIx64 ", ", ev->addr);
		if (ev->where && *ev->where)
			fprintf(stderr, "in %s, ", ev->where);
		else if (ev->where)
			fputs("in anonymous memory, ", stderr);
		fprintf(stderr, "outside the code of %s\n", ev->exe ? ev->exe : "the executable");
		return;
	}
	fprintf(stderr, "  from     offset 0x%" PRIx64 " of %s\n", ev->offset,
		ev->exe ? ev->exe : "the executable");
	if (r != LCG_R_UNPINNED || !in)
		return;
	fputs("  pinned   ", stderr);
	for (u32 i = 0; i < in->n_pins; i++)
		fprintf(stderr, "%s0x%" PRIx64, i ? ", " : "", in->pins[i]);
	fputs(in->n_pins ? " only\n" : "nowhere\n", stderr);
}

static void print_allowed(const struct checker *c, const struct lcg_monitor *m)
{
	u32 ids[REPORT_ALLOWED_MAX];
	u32 n = lcg_monitor_allowed(m, &c->image, ids, REPORT_ALLOWED_MAX);
	u32 shown = n < REPORT_ALLOWED_MAX ? n : REPORT_ALLOWED_MAX;

	if (n == 0) {
		fputs("  allowed  no event: the policy expected the program to end here\n", stderr);
		return;
	}
	for (u32 i = 0; i < shown; i++) {
		const struct lcg_event_info *in = checker_event(c, ids[i]);

		fprintf(stderr, "  %s event %" PRIu32 " ", i ? "        " : "allowed", ids[i]);
		if (in)
			print_site(in);
		fputc('\n', stderr);
	}
	if (n > shown)
		fprintf(stderr, "           ... and %" PRIu32 " more\n", n - shown);
}

/* Where the program stopped, in the terms of the event's kind. */
static void print_killed(const struct lcg_event_info *in)
{
	const char *callee = in && in->callee ? in->callee : NULL;

	if (!callee)
		fputs("lcg-trace: killed the program at this event\n", stderr);
	else if (in->kind == LCG_EV_PRECALL)
		fprintf(stderr, "lcg-trace: killed the program before it called %s\n", callee);
	else if (in->kind == LCG_EV_POSTCALL)
		fprintf(stderr, "lcg-trace: killed the program as %s returned\n", callee);
	else
		fprintf(stderr, "lcg-trace: killed the program before %s ran\n", callee);
}

void report_violation(const struct checker *c, const struct lcg_monitor *before,
		      const struct trace_event *ev, enum lcg_reason r)
{
	fprintf(stderr, "lcg-trace: %sviolation in process %d (thread %d), %s\n",
		c->complain ? "complain: " : "", (int)ev->pid, (int)ev->tid,
		ev->exe ? ev->exe : "?");
	fprintf(stderr, "  event    %" PRIu32 " ", ev->id);
	if (ev->info)
		print_site(ev->info);
	else
		fputs("(not in the policy)", stderr);
	fputc('\n', stderr);
	print_origin(c, ev, r);
	fprintf(stderr, "  reason   %s\n", lcg_reason_str(r));
	print_allowed(c, before);
	if (c->complain)
		fputs("lcg-trace: complain mode: resynchronised, the program goes on\n", stderr);
	else
		print_killed(ev->info);
}

void report_summary(const struct checker *c)
{
	fprintf(stderr, "lcg-trace: complain mode: %" PRIu64 " violation%s in %" PRIu64
		" checked event%s\n", c->violations, c->violations == 1 ? "" : "s",
		c->events, c->events == 1 ? "" : "s");
}
