// SPDX-License-Identifier: GPL-2.0
/* tracer.c - the ptrace loop of lcg-trace. */
#define _GNU_SOURCE
#include "tracer.h"

#include <errno.h>
#include <limits.h>
#include <linux/audit.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exe_map.h"
#include "filter.h"
#include "pda/abi.h"
#include "proc.h"
#include "report.h"
#include "spawn.h"
#include "syscalls.h"

/* lcg-trace's own failure while the program ran (it was killed). */
#define TRACE_EXIT_FAILED 2

/* ESRCH means the task died meanwhile; its exit is reported by waitpid. */
static void resume(pid_t tid, int sig)
{
	ptrace(PTRACE_CONT, tid, 0, (void *)(long)sig);
}

static void kill_all(struct tracer *tr)
{
	tr->killing = true;
	for (size_t i = 0; i < tr->tasks.n; i++)
		kill(tr->tasks.v[i]->tgid, SIGKILL);
}

static void fail(struct tracer *tr, const char *what)
{
	fprintf(stderr, "lcg-trace: %s: %s; killed the program\n", what, strerror(errno));
	tr->failed = true;
	kill_all(tr);
}

/* A task's first stop: hold it until its creator's event gave it a state. */
static void on_first_stop(struct tracer *tr, struct task *t)
{
	t->attached = true;
	if (t->linked)
		resume(t->tid, 0);
}

static void on_event_stop(struct tracer *tr, pid_t tid, int sig)
{
	struct task *t = tasks_find(&tr->tasks, tid);

	if (!t) {
		t = tasks_add(&tr->tasks, tid);
		if (!t) {
			fail(tr, "cannot follow a new task");
			return;
		}
		t->attached = true;
		return;
	}
	if (!t->attached) {
		on_first_stop(tr, t);
		return;
	}
	/* Group-stop: stay stopped, without blocking the tracer, until SIGCONT. */
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
		ptrace(PTRACE_LISTEN, tid, 0, 0);
	else
		resume(tid, 0);
}

static void give_state(struct tracer *tr, struct task *child, const struct task *parent,
		       bool thread)
{
	const struct lcg_image *img = &tr->checker->image;

	child->monitored = parent->monitored;
	if (!child->monitored)
		return;
	if (thread && lcg_monitor_init_thread(&child->mon, img, &parent->mon))
		return;
	lcg_monitor_copy(&child->mon, &parent->mon);
}

static void on_new_task(struct tracer *tr, pid_t tid, int event)
{
	struct task *parent = tasks_find(&tr->tasks, tid);
	unsigned long msg = 0;
	struct task *child;
	pid_t ctid;
	bool thread;

	if (!parent || ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) != 0) {
		resume(tid, 0);
		return;
	}
	ctid = (pid_t)msg;
	child = tasks_find(&tr->tasks, ctid);
	if (!child)
		child = tasks_add(&tr->tasks, ctid);
	if (!child) {
		fail(tr, "cannot follow a new task");
		return;
	}
	thread = event == PTRACE_EVENT_CLONE && proc_tgid(ctid) == parent->tgid;
	child->tgid = thread ? parent->tgid : ctid;
	child->exe = parent->exe ? strdup(parent->exe) : NULL;
	/* a child made before the entry point ran has the breakpoint in its copy of the text */
	child->entry = parent->entry;
	give_state(tr, child, parent, thread);
	child->linked = true;
	record_spawn(tr->rec, thread ? "thread" : event == PTRACE_EVENT_VFORK ? "vfork" : "fork",
		     parent->tgid, tid, ctid);
	if (child->attached)
		resume(ctid, 0);
	resume(tid, 0);
}

/*
 * Start-up ends when the entry point runs.  Without the breakpoint it ends
 * at the first accepted event instead: later, so more goes unchecked, but
 * nothing is refused that should pass.  A task killed meanwhile (ESRCH)
 * needs no breakpoint.
 */
static void arm_entry(struct task *t)
{
	if (startup_arm(t->tid, &t->entry) == 0 || errno == ESRCH)
		return;
	fprintf(stderr, "lcg-trace: warning: cannot set a breakpoint on the entry point of "
		"process %d (%s): %s; its start-up checks end at its first event instead\n",
		(int)t->tid, t->exe ? t->exe : "?", strerror(errno));
}

static const char *exec_state(struct tracer *tr, struct task *t)
{
	char link[64];

	if (!tr->checker->enabled)
		return "unchecked";
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)t->tid);
	t->monitored = checker_owns_exe(tr->checker, link);
	if (t->monitored) {
		lcg_monitor_init(&t->mon, &tr->checker->image);
		tr->checker->processes++;
		arm_entry(t);
		return "monitored";
	}
	fprintf(stderr, "lcg-trace: note: process %d runs %s, not the policy's program: "
		"its events are recorded, not checked\n", (int)t->tid, t->exe ? t->exe : "?");
	return "unmonitored";
}

/*
 * An exec from a non-leader thread takes over the leader's id; the old
 * thread id disappears without an exit report.
 */
static void on_exec(struct tracer *tr, pid_t pid)
{
	unsigned long former = (unsigned long)pid;
	struct task *t = tasks_find(&tr->tasks, pid);

	ptrace(PTRACE_GETEVENTMSG, pid, 0, &former);
	if ((pid_t)former != pid) {
		struct task *old = tasks_find(&tr->tasks, (pid_t)former);

		if (old && !t) {
			old->tid = pid;
			t = old;
		} else if (old) {
			tasks_remove(&tr->tasks, (pid_t)former);
		}
	}
	if (!t && !(t = tasks_add(&tr->tasks, pid))) {
		fail(tr, "cannot follow an exec");
		return;
	}
	t->tgid = pid;
	t->attached = t->linked = true;
	task_forget_exe(t);
	t->exe = proc_exe(pid);
	record_exec(tr->rec, pid, t->exe, exec_state(tr, t));
	resume(pid, 0);
}

/*
 * A seccomp stop in one request: op, arch, tag, number, arguments and
 * instruction pointer.  False when it is none (the task died meanwhile).
 */
static bool read_seccomp_stop(pid_t tid, struct __ptrace_syscall_info *si)
{
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(*si), si);

	return n >= (long)(offsetof(struct __ptrace_syscall_info, seccomp.ret_data) +
			   sizeof(si->seccomp.ret_data)) &&
	       si->op == PTRACE_SYSCALL_INFO_SECCOMP;
}

/*
 * Why our filter stopped the call.  A filter the program installed itself
 * wins a tie between two SECCOMP_RET_TRACE and leaves its own tag: the call
 * is then judged as ours would have, or a program allowed to install
 * filters could slip sensitive calls past the checks.
 */
static enum trace_stop stop_kind(const struct __ptrace_syscall_info *si)
{
	if (filter_is_tag(si->seccomp.ret_data))
		return (enum trace_stop)si->seccomp.ret_data;
	return filter_stop(si->arch, (u32)si->seccomp.nr);
}

/* Where the system call instruction of the stop lies: ip points past it. */
static void fill_place(struct trace_place *at, struct task *t, u64 ip)
{
	memset(at, 0, sizeof(*at));
	at->addr = ip - LCG_SYSCALL_INSN_LEN;
	at->exe = t->exe;
	at->in_exe = t->exe &&
		     exe_map_offset(t->tid, &t->maps_fd, t->exe, at->addr, &at->offset) == 1;
}

/* For reports: what is mapped at @at outside the executable, into @buf. */
static void name_place(struct trace_place *at, pid_t tid, char *buf, size_t len)
{
	if (!at->in_exe && maps_name(tid, at->addr, buf, len) == 1)
		at->where = buf;
}

static void fill_event(struct trace_event *ev, struct task *t,
		       const struct __ptrace_syscall_info *si)
{
	memset(ev, 0, sizeof(*ev));
	ev->allowed = -1;
	ev->pid = t->tgid;
	ev->tid = t->tid;
	ev->id = (u32)si->seccomp.args[0];
	fill_place(&ev->at, t, si->instruction_pointer);
}

/* Check a monitored task's event; false when the program must die now. */
static bool check_event(struct tracer *tr, struct task *t, struct trace_event *ev)
{
	struct checker *c = tr->checker;
	struct lcg_monitor before;
	enum lcg_reason r;

	lcg_monitor_copy(&before, &t->mon);
	if (tr->rec->out)
		ev->allowed = checker_allowed(c, &before);
	r = checker_step(c, &t->mon, ev->id, ev->at.in_exe, ev->at.offset);
	if (r != LCG_R_OK && !c->complain)
		kill_all(tr);	/* before anything else: no other thread may go on */
	ev->verdict = r == LCG_R_OK ? "ok" : lcg_reason_str(r);
	record_event(tr->rec, ev);
	if (r == LCG_R_OK)
		return true;
	report_violation(c, &before, ev, r);
	if (!c->complain)
		return false;
	lcg_monitor_resync(&t->mon, &c->image, ev->id);
	return true;
}

static void on_lcg_event(struct tracer *tr, struct task *t,
			 const struct __ptrace_syscall_info *si)
{
	struct trace_event ev;
	char where[PATH_MAX];

	fill_event(&ev, t, si);
	if (t->monitored)
		name_place(&ev.at, t->tid, where, sizeof(where));
	ev.info = t->monitored ? checker_event(tr->checker, ev.id) : NULL;
	if (t->monitored) {
		if (!check_event(tr, t, &ev))
			return;
	} else {
		ev.verdict = tr->checker->enabled ? "unmonitored" : "unchecked";
		record_event(tr->rec, &ev);
	}
	resume(t->tid, 0);
}

static void fill_syscall(struct trace_syscall *sc, const struct checker *c, struct task *t,
			 u64 ip)
{
	sc->pid = t->tgid;
	sc->tid = t->tid;
	fill_place(&sc->at, t, ip);
	sc->armed = lcg_monitor_armed(&t->mon);
	sc->last = t->mon.last_event;
	sc->last_info = checker_event(c, sc->last);
}

/* Check a sensitive call of a monitored task; false when the program must die now. */
static bool check_syscall(struct tracer *tr, struct task *t, struct trace_syscall *sc)
{
	struct checker *c = tr->checker;
	enum lcg_reason r = checker_syscall(c, &t->mon, sc);
	char where[PATH_MAX];

	if (r != LCG_R_OK) {
		/* named while the task's memory is still there to read */
		name_place(&sc->at, t->tid, where, sizeof(where));
		if (!c->complain)
			kill_all(tr);	/* the call has not run: it never will */
	}
	if (r == LCG_R_OK)
		sc->verdict = lcg_monitor_entered(&t->mon) ? "ok" : "start-up";
	else
		sc->verdict = lcg_reason_str(r);
	record_syscall(tr->rec, sc);
	if (r == LCG_R_OK)
		return true;
	report_syscall_violation(c, sc, r);
	return c->complain;
}

static void on_sensitive(struct tracer *tr, struct task *t, enum trace_stop kind,
			 const struct __ptrace_syscall_info *si)
{
	struct trace_syscall sc = { 0 };

	if (t->monitored &&
	    syscall_classify(&sc, kind, (u32)si->seccomp.nr, si->seccomp.args, t->tgid, t->tid)) {
		fill_syscall(&sc, tr->checker, t, si->instruction_pointer);
		if (!check_syscall(tr, t, &sc))
			return;
	}
	resume(t->tid, 0);
}

static void on_seccomp(struct tracer *tr, pid_t tid)
{
	struct task *t = tasks_find(&tr->tasks, tid);
	struct __ptrace_syscall_info si;
	enum trace_stop kind;

	if (!t || !read_seccomp_stop(tid, &si)) {
		resume(tid, 0);
		return;
	}
	kind = stop_kind(&si);
	switch (kind) {
	case TRACE_STOP_EVENT:
		on_lcg_event(tr, t, &si);
		return;
	case TRACE_STOP_SENSITIVE:
	case TRACE_STOP_X32:
	case TRACE_STOP_I386:
		on_sensitive(tr, t, kind, &si);
		return;
	case TRACE_STOP_SIGRETURN:
		if (t->monitored)
			lcg_monitor_signal_return(&t->mon);
		break;
	case TRACE_STOP_NONE:
		break;
	}
	resume(tid, 0);
}

/*
 * A SIGTRAP of a task whose entry breakpoint is pending.  Return 1 when it
 * was the breakpoint (start-up is over, the task runs on), 0 when it was
 * another SIGTRAP, -1 when the task could not be repaired (all killed).
 */
static int on_entry_trap(struct tracer *tr, struct task *t)
{
	int hit = startup_hit(t->tid, &t->entry);

	if (hit < 0) {
		/* a task that died meanwhile is reported by waitpid */
		if (errno != ESRCH)
			fail(tr, "cannot take out the breakpoint on the program's entry point");
		return -1;
	}
	if (hit) {
		lcg_monitor_enter_program(&t->mon);
		record_entry(tr->rec, t->tgid);
		resume(t->tid, 0);
	}
	return hit;
}

/*
 * A signal-delivery-stop: the signal is delivered as we resume.  A handler
 * it runs starts with nothing armed, until its rt_sigreturn.
 */
static void on_signal(struct tracer *tr, pid_t tid, int sig)
{
	struct task *t = tasks_find(&tr->tasks, tid);

	if (t && sig == SIGTRAP && t->entry.addr && on_entry_trap(tr, t) != 0)
		return;
	if (t && t->monitored && proc_signal_caught(tid, sig))
		lcg_monitor_signal_enter(&t->mon);
	resume(tid, sig);
}

static void on_gone(struct tracer *tr, pid_t tid, int status)
{
	struct task *t = tasks_find(&tr->tasks, tid);

	if (t && t->tgid == tid)
		record_exit(tr->rec, tid, status);
	if (tid == tr->root) {
		tr->root_status = status;
		tr->root_done = true;
	}
	tasks_remove(&tr->tasks, tid);
}

static void on_stop(struct tracer *tr, pid_t tid, int status)
{
	int sig = WSTOPSIG(status);
	int event = (unsigned int)status >> 16;

	if (tr->killing) {
		kill(tid, SIGKILL);
		return;
	}
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_seccomp(tr, tid);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_new_task(tr, tid, event);
		break;
	case PTRACE_EVENT_EXEC:
		on_exec(tr, tid);
		break;
	case PTRACE_EVENT_STOP:
		on_event_stop(tr, tid, sig);
		break;
	case 0:
		on_signal(tr, tid, sig);
		break;
	default:
		resume(tid, 0);
	}
}

static int exit_status(const struct tracer *tr)
{
	if (tr->failed)
		return TRACE_EXIT_FAILED;
	if (tr->interrupted)
		return 128 + tr->interrupted;
	if (tr->killing)
		return TRACE_EXIT_VIOLATION;
	if (!tr->root_done)
		return TRACE_EXIT_FAILED;
	if (WIFSIGNALED(tr->root_status))
		return 128 + WTERMSIG(tr->root_status);
	return WEXITSTATUS(tr->root_status);
}

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

/* No SA_RESTART: the signal interrupts waitpid, and the loop ends the trace. */
static void catch_stop_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void check_stop_signal(struct tracer *tr)
{
	if (!stop_signal || tr->interrupted)
		return;
	tr->interrupted = stop_signal;
	fprintf(stderr, "lcg-trace: interrupted by %s: killing the program\n",
		strsignal(stop_signal));
	kill_all(tr);
}

int tracer_run(struct tracer *tr, char **argv)
{
	struct task *root;

	tr->root = spawn_traced(argv);
	if (tr->root < 0)
		return TRACE_EXIT_FAILED;
	root = tasks_add(&tr->tasks, tr->root);
	if (!root) {
		errno = ENOMEM;
		fail(tr, "cannot follow the command");
	} else {
		root->attached = root->linked = true;
	}
	catch_stop_signals();
	for (;;) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);

		check_stop_signal(tr);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				fail(tr, "waitpid");
			break;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			on_gone(tr, tid, status);
		else if (WIFSTOPPED(status))
			on_stop(tr, tid, status);
	}
	tasks_free(&tr->tasks);
	return exit_status(tr);
}
