// SPDX-License-Identifier: GPL-2.0
/*
 * hooks.c - where lcg.ko meets the kernel, without patching it:
 *
 *  - a kprobe on __x64_sys_ni_syscall, which every never-assigned system
 *    call number in the table reaches; its argument is the user pt_regs;
 *  - the sched_process_exec/fork/exit tracepoints, for the task lifecycle;
 *  - the signal_deliver tracepoint and the system call kprobes of binding.c,
 *    for what a monitored task does besides its events.
 *
 * All of them run with preemption off: nothing here sleeps or allocates
 * with more than GFP_NOWAIT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "pda/abi.h"
#include "lcg.h"

static int lcg_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	/* the handler's argument (rdi) is the pt_regs saved at system call entry */
	const struct pt_regs *uregs = (const struct pt_regs *)regs->di;
	struct lcg_task *lt;

	/* the kernel ignores the high half of rax; so must we */
	if ((u32)uregs->orig_ax != LCG_SYSCALL_NR)
		return 0;
	rcu_read_lock();
	lt = lcg_task_find(current);
	if (lt)
		lcg_event(lt, uregs);
	rcu_read_unlock();
	return 0;
}

static struct kprobe lcg_kprobe = {
	.symbol_name = "__x64_sys_ni_syscall",
	.pre_handler = lcg_kprobe_pre,
};

static bool lcg_enforcing(const struct lcg_profile *p)
{
	return READ_ONCE(p->action) == LCG_ENFORCE;
}

static int lcg_refusal_of(int err)
{
	return err == -ENOSPC ? LCG_REFUSE_TASKS : err == -EDQUOT ? LCG_REFUSE_USER_TASKS :
	       LCG_REFUSE_NOMEM;
}

/* exec: the old image's state is dropped; the new binary's profile, if any, attaches */
static void lcg_on_exec(void *data, struct task_struct *t, pid_t old_pid,
			struct linux_binprm *bprm)
{
	struct lcg_profile *p;
	struct lcg_kimage *k;
	struct lcg_task *lt;
	bool stale;
	int ret;

	lcg_task_remove(t);
	rcu_read_lock();
	p = lcg_profile_match(bprm->file, &k, &stale);
	rcu_read_unlock();
	if (!p)
		return;
	if (stale) {
		lcg_refuse(t, LCG_REFUSE_STALE, p, k->exe, lcg_enforcing(p));
		goto out;
	}
	lt = lcg_task_alloc(t, p, k);
	if (!lt) {
		lcg_refuse(t, LCG_REFUSE_NOMEM, p, k->exe, lcg_enforcing(p));
		goto out;
	}
	/* where the binary is mapped is looked up at each check (task.c), not cached here */
	lcg_monitor_init(&lt->mon, &k->img);
	ret = lcg_task_insert(lt);
	if (ret) {
		lcg_task_free(lt);
		lcg_refuse(t, lcg_refusal_of(ret), p, k->exe, lcg_enforcing(p));
	}
out:
	lcg_kimage_put(k);
	lcg_profile_put(p);
}

/*
 * fork and clone: a new process inherits an exact copy of the monitor; a
 * new thread starts at the policy's thread entries when it has some.  Runs
 * in the parent before the child first runs.
 */
static void lcg_on_fork(void *data, struct task_struct *parent, struct task_struct *child)
{
	struct lcg_task *plt, *lt;
	struct lcg_profile *p;
	int ret = -ENOMEM;

	rcu_read_lock();
	plt = lcg_task_find(parent);
	if (!plt) {
		rcu_read_unlock();
		return;
	}
	p = plt->profile;
	lcg_profile_get(p);
	lt = lcg_task_alloc(child, p, plt->kimg);
	if (lt) {
		if (child->tgid != parent->tgid ||
		    !lcg_monitor_init_thread(&lt->mon, &lt->kimg->img, &plt->mon))
			lcg_monitor_copy(&lt->mon, &plt->mon);
		ret = lcg_task_insert(lt);
		if (ret)
			lcg_task_free(lt);
	}
	if (ret)
		lcg_refuse(child, lcg_refusal_of(ret), p, plt->kimg->exe, lcg_enforcing(p));
	rcu_read_unlock();
	lcg_profile_put(p);
}

static void lcg_on_exit(void *data, struct task_struct *t)
{
	lcg_task_remove(t);
}

struct lcg_tracepoint {
	const char *name;
	void *probe;
	struct tracepoint *tp;
};

/*
 * In the order they are registered, and unregistered in reverse: exit
 * first, so that from the moment exec or fork can insert an entry, exit
 * removes it (an entry left behind would be keyed by a freed task_struct,
 * which a new task may reuse); exec and fork are gone, and waited for,
 * before exit goes.  signal_deliver only reads the table.
 */
static struct lcg_tracepoint lcg_tracepoints[] = {
	{ .name = "sched_process_exit", .probe = lcg_on_exit },
	{ .name = "sched_process_fork", .probe = lcg_on_fork },
	{ .name = "sched_process_exec", .probe = lcg_on_exec },
	{ .name = "signal_deliver", .probe = lcg_on_signal_deliver },
};
#define LCG_TP_EXIT 0

/* tracepoints are not exported by name: look them up among the kernel's */
static void lcg_find_tracepoint(struct tracepoint *tp, void *priv)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lcg_tracepoints); i++)
		if (!strcmp(tp->name, lcg_tracepoints[i].name))
			lcg_tracepoints[i].tp = tp;
}

/* Unregister the first @n, in reverse; exit last, once no exec or fork probe runs. */
static void lcg_tracepoints_unregister(size_t n)
{
	size_t i;

	for (i = n; i-- > LCG_TP_EXIT + 1;)
		tracepoint_probe_unregister(lcg_tracepoints[i].tp, lcg_tracepoints[i].probe, NULL);
	tracepoint_synchronize_unregister();
	if (n > LCG_TP_EXIT) {
		tracepoint_probe_unregister(lcg_tracepoints[LCG_TP_EXIT].tp,
					    lcg_tracepoints[LCG_TP_EXIT].probe, NULL);
		tracepoint_synchronize_unregister();
	}
}

/**
 * lcg_hooks_init() - attach to the kernel: the tracepoints, the event kprobe
 * and binding.c's probes
 *
 * Context: process (module init).
 *
 * The exit tracepoint first (see lcg_tracepoints); on failure whatever was
 * attached is detached again.
 *
 * Return: 0, or the error of the hook that could not be attached (-ENOENT
 * for a tracepoint this kernel does not have).
 */
int lcg_hooks_init(void)
{
	size_t i;
	int ret;

	for_each_kernel_tracepoint(lcg_find_tracepoint, NULL);
	for (i = 0; i < ARRAY_SIZE(lcg_tracepoints); i++) {
		if (!lcg_tracepoints[i].tp) {
			pr_err("tracepoint %s not found in this kernel\n",
			       lcg_tracepoints[i].name);
			ret = -ENOENT;
			goto fail;
		}
		ret = tracepoint_probe_register(lcg_tracepoints[i].tp, lcg_tracepoints[i].probe,
						NULL);
		if (ret) {
			pr_err("cannot attach to tracepoint %s (errno %d)\n",
			       lcg_tracepoints[i].name, -ret);
			goto fail;
		}
	}
	ret = register_kprobe(&lcg_kprobe);
	if (ret) {
		pr_err("cannot place a kprobe on %s (errno %d)\n", lcg_kprobe.symbol_name, -ret);
		goto fail;
	}
	ret = lcg_binding_init();
	if (ret) {
		unregister_kprobe(&lcg_kprobe);
		goto fail;
	}
	return 0;
fail:
	lcg_tracepoints_unregister(i);
	return ret;
}

/**
 * lcg_hooks_exit() - detach from the kernel
 *
 * After this returns no hook runs or will run.
 */
void lcg_hooks_exit(void)
{
	lcg_binding_exit();
	unregister_kprobe(&lcg_kprobe);
	lcg_tracepoints_unregister(ARRAY_SIZE(lcg_tracepoints));
}
