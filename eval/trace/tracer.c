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
#include "formats/abi.h"
#include "report.h"
#include "spawn.h"

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

static char *read_exe(pid_t pid)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return NULL;
	path[n] = '\0';
	return strdup(path);
}

/* The thread group of @tid, or 0 when /proc no longer knows it. */
static pid_t tgid_of(pid_t tid)
{
	char path[64], line[128];
	pid_t tgid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
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
	thread = event == PTRACE_EVENT_CLONE && tgid_of(ctid) == parent->tgid;
	child->tgid = thread ? parent->tgid : ctid;
	child->exe = parent->exe ? strdup(parent->exe) : NULL;
	give_state(tr, child, parent, thread);
	child->linked = true;
	record_spawn(tr->rec, thread ? "thread" : event == PTRACE_EVENT_VFORK ? "vfork" : "fork",
		     parent->tgid, tid, ctid);
	if (child->attached)
		resume(ctid, 0);
	resume(tid, 0);
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
	t->exe = read_exe(pid);
	record_exec(tr->rec, pid, t->exe, exec_state(tr, t));
	resume(pid, 0);
}

/*
 * The stop of our filter on the dummy call, in one request: op, arch, the
 * filter's tag (the program may run a tracing filter of its own), number and
 * event id.  False for any other stop.
 */
static bool read_lcg_stop(pid_t tid, struct __ptrace_syscall_info *si)
{
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(*si), si);

	return n >= (long)(offsetof(struct __ptrace_syscall_info, seccomp.ret_data) +
			   sizeof(si->seccomp.ret_data)) &&
	       si->op == PTRACE_SYSCALL_INFO_SECCOMP && si->arch == AUDIT_ARCH_X86_64 &&
	       si->seccomp.ret_data == SPAWN_FILTER_TAG && (u32)si->seccomp.nr == LCG_SYSCALL_NR;
}

static void fill_event(struct trace_event *ev, struct task *t,
		       const struct __ptrace_syscall_info *si)
{
	memset(ev, 0, sizeof(*ev));
	ev->allowed = -1;
	ev->pid = t->tgid;
	ev->tid = t->tid;
	ev->id = (u32)si->seccomp.args[0];
	/* the ip at a system call stop points past the syscall instruction */
	ev->addr = si->instruction_pointer - LCG_SYSCALL_INSN_LEN;
	ev->exe = t->exe;
	ev->in_exe = t->exe &&
		     exe_map_offset(t->tid, &t->maps_fd, t->exe, ev->addr, &ev->offset) == 1;
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
	r = checker_step(c, &t->mon, ev->id, ev->in_exe, ev->offset);
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

static void on_lcg_event(struct tracer *tr, pid_t tid)
{
	struct task *t = tasks_find(&tr->tasks, tid);
	struct __ptrace_syscall_info si;
	struct trace_event ev;
	char where[PATH_MAX];

	if (!t || !read_lcg_stop(tid, &si)) {
		resume(tid, 0);
		return;
	}
	fill_event(&ev, t, &si);
	if (t->monitored && !ev.in_exe && maps_name(tid, ev.addr, where, sizeof(where)) >= 0)
		ev.where = where;
	ev.info = t->monitored ? checker_event(tr->checker, ev.id) : NULL;
	if (t->monitored) {
		if (!check_event(tr, t, &ev))
			return;
	} else {
		ev.verdict = tr->checker->enabled ? "unmonitored" : "unchecked";
		record_event(tr->rec, &ev);
	}
	resume(tid, 0);
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
		on_lcg_event(tr, tid);
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
		resume(tid, sig);	/* signal-delivery-stop: deliver it */
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
