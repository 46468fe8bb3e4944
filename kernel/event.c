// SPDX-License-Identifier: GPL-2.0
/*
 * event.c - one event of a monitored task: pin check, monitor step, and what
 * a violation does; and the violations of binding.c's system call checks.
 *
 * Runs in the task's own context, inside a kprobe (preemption off): no
 * sleeping, no locks.  A violation in enforce mode queues SIGKILL, which is
 * delivered on the way back to user space, so the library call the event
 * announced never runs; a refused system call is also kept from running
 * (binding.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/ratelimit.h>
#include <linux/sched/signal.h>

#include "pda/abi.h"
#include "pda/sensitive.h"
#include "lcg.h"

/* Lines about profiles being loaded and removed: root's doing, module-wide. */
static DEFINE_RATELIMIT_STATE(lcg_admin_rs, LCG_LOG_INTERVAL, LCG_ADMIN_LOG_BURST);

/**
 * lcg_admin_log_allowed() - may a line about loading or removing a profile be
 * printed now?
 *
 * Context: any.
 *
 * One rate limit for the whole module (LCG_ADMIN_LOG_BURST per
 * LCG_LOG_INTERVAL): those lines are root's doing, and the profile's status
 * attribute has the outcome anyway.
 *
 * Return: true when the line may be printed.
 */
bool lcg_admin_log_allowed(void)
{
	return __ratelimit(&lcg_admin_rs);
}

/**
 * lcg_log_allowed() - may a line of this kind about @p be printed now?
 * @p:    the profile the line is about
 * @kind: its reason: an enum lcg_reason, or LCG_R_COUNT + enum lcg_refusal
 *
 * One rate limit per profile and per reason (kernel/lcg.h): a flood of
 * forged events from one profile does not use up another profile's lines,
 * nor the lines of another reason.  A suppressed line is counted; the next
 * line printed for @p is preceded by the count.  Any context.
 *
 * Return: true when the line may be printed.
 */
bool lcg_log_allowed(struct lcg_profile *p, unsigned int kind)
{
	char name[64];
	int missed;

	if (kind >= LCG_LOG_KINDS)
		kind = LCG_LOG_KINDS - 1;
	if (!__ratelimit(&p->log_rs[kind])) {
		atomic_inc(&p->log_pending);
		atomic64_inc(&p->log_suppressed);
		return false;
	}
	missed = atomic_xchg(&p->log_pending, 0);
	if (missed) {
		lcg_sanitize(name, sizeof(name), p->name, true);
		pr_warn("profile=%s suppressed=%d\n", name, missed);
	}
	return true;
}

/**
 * lcg_sanitize() - make a string fit for a log line or an attribute
 * @out:  the result, NUL-terminated (unless @size is 0)
 * @size: its size: a longer string is truncated
 * @s:    a string from the image, a task or a path: anyone's choice
 * @word: replace spaces and '=' as well, so that a key=value line stays
 *        parseable
 *
 * Control characters (a newline could forge a line) and bytes outside ASCII
 * become '?'.  An empty result is "?".  Any context.
 */
void lcg_sanitize(char *out, size_t size, const char *s, bool word)
{
	size_t i;

	if (!size)
		return;
	for (i = 0; i + 1 < size && s[i]; i++) {
		unsigned char c = s[i];

		out[i] = (word ? isgraph(c) && c != '=' : isprint(c)) && c < 0x7f ? c : '?';
	}
	out[i] = '\0';
	if (!i && size > 1)
		strscpy(out, "?", size);
}

static void lcg_log_word(char *out, size_t size, const char *s)
{
	lcg_sanitize(out, size, s, true);
}

/* the task and profile fields of a log line, sanitised: a program chooses its own comm */
struct lcg_log_who {
	char comm[TASK_COMM_LEN];
	char exe[160];
	char profile[64];
};

static void lcg_log_who(struct lcg_log_who *w, struct task_struct *t, const char *exe,
			const struct lcg_profile *p)
{
	char comm[TASK_COMM_LEN];

	get_task_comm(comm, t);
	lcg_log_word(w->comm, sizeof(w->comm), comm);
	lcg_log_word(w->exe, sizeof(w->exe), exe);
	lcg_log_word(w->profile, sizeof(w->profile), p->name);
}

static const char *lcg_kind_name(u32 kind)
{
	switch (kind) {
	case LCG_EV_LIBCALL:
		return "libcall";
	case LCG_EV_PRECALL:
		return "precall";
	case LCG_EV_POSTCALL:
		return "postcall";
	default:
		return "unknown";
	}
}

static void lcg_log_violation(struct lcg_task *lt, u32 event, enum lcg_reason r, bool killed)
{
	const struct lcg_image *img = &lt->kimg->img;
	const struct lcg_img_event *ev = NULL;
	char callee[64], func[64], file[96];
	struct lcg_log_who who;
	u32 line = 0;

	if (!lcg_log_allowed(lt->profile, r))
		return;
	lcg_log_who(&who, current, lt->kimg->exe, lt->profile);
	if (event < img->n_events && img->events[event].kind != LCG_EV_UNUSED)
		ev = &img->events[event];
	lcg_log_word(callee, sizeof(callee), ev ? lcg_image_str(img, ev->callee) : "");
	lcg_log_word(func, sizeof(func), ev ? lcg_image_str(img, ev->function) : "");
	lcg_log_word(file, sizeof(file), ev ? lcg_image_str(img, ev->file) : "");
	if (ev)
		line = ev->line;
	pr_warn("violation pid=%d comm=%s exe=%s profile=%s event=%u kind=%s callee=%s site=%s@%s:%u reason=%s action=%s\n",
		task_pid_nr(current), who.comm, who.exe, who.profile, event,
		lcg_kind_name(ev ? ev->kind : 0), callee, func, file, line,
		lcg_reason_str(r), killed ? "killed" : "logged");
}

/**
 * lcg_event() - the current task, monitored as @lt, issued an event.
 * @lt:    its entry (under RCU)
 * @uregs: its user registers: rdi is the event id (the program's choice,
 *         checked against the image), ip is past the syscall
 *
 * Pin check, then the monitor step.  When the mmap lock is contended the
 * pin check cannot be made now: the event is issued again once the task
 * could wait for the lock (lcg_task_defer()), before its call starts.
 */
void lcg_event(struct lcg_task *lt, const struct pt_regs *uregs)
{
	const struct lcg_image *img = &lt->kimg->img;
	struct lcg_profile *p = lt->profile;
	u32 event = (u32)uregs->di;
	enum lcg_reason r;
	bool enforce;
	u64 off = 0;

	switch (lcg_task_text(lt, uregs->ip - LCG_SYSCALL_INSN_LEN, &off)) {
	case LCG_TEXT_BUSY:
		/* checked when it is issued again; or the module is going */
		if (lcg_task_defer() != LCG_DEFER_FAILED)
			return;
		fallthrough;	/* cannot wait: decided as if not in the text */
	case LCG_TEXT_NO:
		r = LCG_R_UNPINNED;
		break;
	case LCG_TEXT_YES:
	default:
		r = lcg_monitor_pinned(img, event, off) ? lcg_monitor_step(&lt->mon, img, event)
							 : LCG_R_UNPINNED;
		break;
	}
	this_cpu_inc(*p->events);
	if (likely(r == LCG_R_OK))
		return;

	atomic64_inc(&p->violations);
	enforce = READ_ONCE(p->action) == LCG_ENFORCE;
	lcg_log_violation(lt, event, r, enforce);
	if (enforce) {
		send_sig(SIGKILL, current, 1);
		return;
	}
	/* complain: a forged event still moves the monitor as a real one would */
	if (r == LCG_R_UNPINNED && lcg_monitor_step(&lt->mon, img, event) == LCG_R_OK)
		return;
	lcg_monitor_resync(&lt->mon, img, event);
}

/* The log line of a refused system call. */
static void lcg_log_syscall(struct lcg_task *lt, const char *syscall, u32 cls,
			    enum lcg_reason r, bool killed)
{
	const struct lcg_image *img = &lt->kimg->img;
	u32 last = lt->mon.last_event;
	char callee[64], name[48];
	struct lcg_log_who who;

	if (!lcg_log_allowed(lt->profile, r))
		return;
	lcg_log_who(&who, current, lt->kimg->exe, lt->profile);
	lcg_log_word(name, sizeof(name), syscall);
	if (last && last < img->n_events && img->events[last].kind != LCG_EV_UNUSED)
		lcg_log_word(callee, sizeof(callee), lcg_image_str(img, img->events[last].callee));
	else
		strscpy(callee, "-", sizeof(callee));
	pr_warn("violation pid=%d comm=%s exe=%s profile=%s syscall=%s class=%s last-event=%u last-callee=%s reason=%s action=%s\n",
		task_pid_nr(current), who.comm, who.exe, who.profile, name,
		cls ? lcg_sclass_name(__ffs(cls)) : "?", last, callee, lcg_reason_str(r),
		killed ? "killed" : "logged");
}

/**
 * lcg_syscall_violation() - the current task made a sensitive system call it
 * may not make: count it, log it and, in enforce mode, queue SIGKILL.
 * @lt:      the current task's entry (under RCU)
 * @syscall: the call's name for the log ("unlink", "i386:unlink")
 * @cls:     LCG_SC_BIT() of its class
 * @r:       LCG_R_UNARMED, LCG_R_ORIGIN or LCG_R_ABI
 *
 * The signal alone would come too late (it is delivered on the way back to
 * user space, after the call ran): in enforce mode the caller must also keep
 * the call from running.
 *
 * Return: true in enforce mode (refuse the call), false in complain mode
 * (let it run).
 */
bool lcg_syscall_violation(struct lcg_task *lt, const char *syscall, u32 cls,
			   enum lcg_reason r)
{
	struct lcg_profile *p = lt->profile;
	bool enforce = READ_ONCE(p->action) == LCG_ENFORCE;

	atomic64_inc(&p->violations);
	lt->mon.violations++;
	lcg_log_syscall(lt, syscall, cls, r, enforce);
	if (enforce)
		send_sig(SIGKILL, current, 1);
	return enforce;
}

static const char *const lcg_refusal_names[LCG_REFUSE_COUNT] = {
	[LCG_REFUSE_STALE] = "stale-binary",
	[LCG_REFUSE_NOMEM] = "out-of-memory",
	[LCG_REFUSE_TASKS] = "too-many-tasks",
	[LCG_REFUSE_USER_TASKS] = "too-many-user-tasks",
};

/**
 * lcg_refuse() - a task lcg cannot monitor as its profile says
 * @t:    the task (current at exec; the new child at fork)
 * @why:  the reason (stale binary, no memory, or a task limit reached), for
 *        the log line and its rate limit
 * @p:    the profile
 * @exe:  its binary's path, for the log line
 * @kill: enforce mode
 *
 * Killed in enforce mode, since running it unmonitored would switch
 * protection off; logged in either mode.  Atomic context.
 */
void lcg_refuse(struct task_struct *t, enum lcg_refusal why, struct lcg_profile *p,
		const char *exe, bool kill)
{
	struct lcg_log_who who;

	if (lcg_log_allowed(p, LCG_R_COUNT + why)) {
		lcg_log_who(&who, t, exe, p);
		pr_warn("refused pid=%d comm=%s exe=%s profile=%s reason=%s action=%s\n",
			task_pid_nr(t), who.comm, who.exe, who.profile, lcg_refusal_names[why],
			kill ? "killed" : "unmonitored");
	}
	if (kill)
		send_sig(SIGKILL, t, 1);
}
