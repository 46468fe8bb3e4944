// SPDX-License-Identifier: GPL-2.0
/* report.c - readable violation reports. */
#include "report.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "pda/sensitive.h"

/* Allowed events listed in a report; the rest are counted. */
#define REPORT_ALLOWED_MAX 24
/* Pinned offsets listed in a report; the rest are counted. */
#define REPORT_PINS_MAX 8

/* "open (main, files.c:12)" for an event the policy knows. */
static void print_site(const struct lcg_event_info *in)
{
	fprintf(stderr, "%s %s in %s", trace_kind_str(in->kind), in->callee ? in->callee : "?",
		in->function ? in->function : "?");
	if (in->file)
		fprintf(stderr, " at %s:%" PRIu32, in->file, in->line);
}

/* "  from     ..." - where a system call instruction lies */
static void print_place(const struct trace_place *at)
{
	const char *exe = at->exe ? at->exe : "the executable";

	if (at->in_exe) {
		fprintf(stderr, "  from     offset 0x%" PRIx64 " of %s\n", at->offset, exe);
		return;
	}
	fprintf(stderr, "  from     0x%" PRIx64 ", ", at->addr);
	if (at->where && *at->where)
		fprintf(stderr, "in %s, ", at->where);
	else if (at->where)
		fputs("in anonymous memory, ", stderr);
	fprintf(stderr, "outside the code of %s\n", exe);
}

/* "  pinned   0x1a0, 0x1f0 only": the offsets a refused place is not one of */
static void print_pins(const char *label, const u64 *pins, u32 n)
{
	u32 shown = n < REPORT_PINS_MAX ? n : REPORT_PINS_MAX;

	fprintf(stderr, "  %-8s ", label);
	for (u32 i = 0; i < shown; i++)
		fprintf(stderr, "%s0x%" PRIx64, i ? ", " : "", pins[i]);
	if (n > shown)
		fprintf(stderr, " and %" PRIu32 " more", n - shown);
	fputs(n ? " only\n" : "nowhere\n", stderr);
}

static void print_origin(const struct trace_event *ev, enum lcg_reason r)
{
	const struct lcg_event_info *in = ev->info;

	print_place(&ev->at);
	if (ev->at.in_exe && r == LCG_R_UNPINNED && in)
		print_pins("pinned", in->pins, in->n_pins);
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

/* "  LABEL    [NOUN]4 LIBCALL creat in main at files.c:43" */
static void print_event(const char *label, const char *noun, u32 id,
			const struct lcg_event_info *in)
{
	fprintf(stderr, "  %-8s %s%" PRIu32 " ", label, noun, id);
	if (in)
		print_site(in);
	else
		fputs("(not in the policy)", stderr);
	fputc('\n', stderr);
}

static void print_header(const struct checker *c, pid_t pid, pid_t tid, const char *exe)
{
	fprintf(stderr, "lcg-trace: %sviolation in process %d (thread %d), %s\n",
		c->complain ? "complain: " : "", (int)pid, (int)tid, exe ? exe : "?");
}

/*
 * The one-line summary closing a report, in the form of lcg.ko's log line
 * (kernel/event.c) so that one grep serves both: "lcg-trace: violation
 * pid=.. tid=.. exe=.. <what> reason=.. action=killed|logged".
 */
static void log_word(const char *s)
{
	if (!s || !*s) {
		fputc('?', stderr);
		return;
	}
	for (; *s; s++)
		fputc(isgraph((unsigned char)*s) && *s != '=' ? *s : '?', stderr);
}

static void log_head(pid_t pid, pid_t tid, const char *exe)
{
	fprintf(stderr, "lcg-trace: violation pid=%d tid=%d exe=", (int)pid, (int)tid);
	log_word(exe);
}

static void log_tail(const struct checker *c, enum lcg_reason r)
{
	fprintf(stderr, " reason=%s action=%s\n", lcg_reason_str(r),
		c->complain ? "logged" : "killed");
}

static void log_event(const struct checker *c, const struct trace_event *ev, enum lcg_reason r)
{
	static const char *const kinds[] = {
		[LCG_EV_LIBCALL] = "libcall", [LCG_EV_PRECALL] = "precall",
		[LCG_EV_POSTCALL] = "postcall",
	};
	const struct lcg_event_info *in = ev->info;

	log_head(ev->pid, ev->tid, ev->at.exe);
	fprintf(stderr, " event=%" PRIu32 " kind=%s callee=", ev->id,
		in && in->kind <= LCG_EV_POSTCALL && kinds[in->kind] ? kinds[in->kind] : "unknown");
	log_word(in ? in->callee : NULL);
	fputs(" site=", stderr);
	log_word(in ? in->function : NULL);
	fputc('@', stderr);
	log_word(in ? in->file : NULL);
	fprintf(stderr, ":%" PRIu32, in ? in->line : 0);
	log_tail(c, r);
}

static void log_syscall(const struct checker *c, const struct trace_syscall *sc, const char *cls,
			enum lcg_reason r)
{
	log_head(sc->pid, sc->tid, sc->at.exe);
	fputs(" syscall=", stderr);
	log_word(sc->name);
	fprintf(stderr, " class=%s last-event=%" PRIu32 " last-callee=", cls, sc->last);
	if (sc->last)
		log_word(sc->last_info ? sc->last_info->callee : NULL);
	else
		fputc('-', stderr);
	log_tail(c, r);
}

void report_syscall_violation(const struct checker *c, const struct trace_syscall *sc,
			      enum lcg_reason r)
{
	char cls[160], armed[160];
	const struct lcg_image *img = &c->image;

	lcg_sclass_format(sc->cls, cls, sizeof(cls));
	lcg_sclass_format(sc->armed, armed, sizeof(armed));
	print_header(c, sc->pid, sc->tid, sc->at.exe);
	fprintf(stderr, "  syscall  %s (%s)\n", sc->name, cls);
	print_place(&sc->at);
	if (r == LCG_R_ORIGIN)
		print_pins("raw pins", img->raw_pins, img->n_raw_pins);
	fprintf(stderr, "  armed    %s\n", armed);
	if (sc->last)
		print_event("last", "event ", sc->last, sc->last_info);
	else
		fputs("  last     no event yet\n", stderr);
	fprintf(stderr, "  reason   %s\n", lcg_reason_str(r));
	if (c->complain)
		fputs("lcg-trace: complain mode: the program goes on\n", stderr);
	else
		fprintf(stderr, "lcg-trace: killed the program before %s ran\n", sc->name);
	log_syscall(c, sc, cls, r);
}

void report_violation(const struct checker *c, const struct lcg_monitor *before,
		      const struct trace_event *ev, enum lcg_reason r)
{
	print_header(c, ev->pid, ev->tid, ev->at.exe);
	print_event("event", "", ev->id, ev->info);
	print_origin(ev, r);
	fprintf(stderr, "  reason   %s\n", lcg_reason_str(r));
	print_allowed(c, before);
	if (c->complain)
		fputs("lcg-trace: complain mode: resynchronised, the program goes on\n", stderr);
	else
		print_killed(ev->info);
	log_event(c, ev, r);
}

void report_summary(const struct checker *c)
{
	fprintf(stderr, "lcg-trace: complain mode: %" PRIu64 " violation%s in %" PRIu64
		" checked event%s and %" PRIu64 " sensitive system call%s\n", c->violations,
		c->violations == 1 ? "" : "s", c->events, c->events == 1 ? "" : "s",
		c->syscalls, c->syscalls == 1 ? "" : "s");
}
