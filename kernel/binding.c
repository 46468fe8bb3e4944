// SPDX-License-Identifier: GPL-2.0
/*
 * binding.c - what a monitored task does, checked against what it announced
 * (docs/binding.md): its sensitive system calls are refused before they run
 * unless its last event armed their class (and, from the program's own text,
 * unless the analysis pinned a raw system call there); signal handlers start
 * with nothing armed and give the interrupted code its classes back.
 *
 *  - a kprobe on the kernel entry of every sensitive system call: the
 *    __x64_sys_<name> entries of pda/sensitive.c's lcg_syscalls, and the i386
 *    (__ia32_<entry>) and x32 entries of the other ABIs.  They sit on the
 *    entries' fentry call, so they are ftrace-based (KPROBES_ON_FTRACE): other
 *    system calls, and every process's getppid(), pay nothing;
 *  - kprobes on the rt_sigreturn entries, and the signal_deliver tracepoint
 *    (registered by hooks.c): lcg_monitor_signal_return/enter().
 *
 * A refused call must not run at all: the SIGKILL that enforce mode sends is
 * delivered only on the way back to user space.  So the probe makes the entry
 * return -EPERM at once, as bpf_override_return() does (Debian's 6.1 has no
 * CONFIG_FUNCTION_ERROR_INJECTION): regs->ax is the return value, regs->ip
 * points at a bare return, and the pre-handler returns 1 so that kprobes
 * keeps that ip.  Every probe has a post-handler (it does nothing) so that
 * kprobes registers it through its FTRACE_OPS_FL_IPMODIFY ftrace_ops, which
 * is what may change ip (kernel/fail_function.c does the same).
 *
 * Where a call comes from (the origin check) is looked up in the task's
 * mappings at the time of the call, under the mmap lock, which the handler
 * only tries: when it is contended the call does not run yet and is made
 * again once the task could wait for the lock (task.c, lcg_task_defer()).
 *
 * The handlers run with preemption off: no sleeping, no lock but a tried
 * mmap lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/rcupdate.h>
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#include "pda/abi.h"
#include "pda/sensitive.h"
#include "lcg.h"

/**
 * lcg_refused_entry() - where a refused system call entry "returns" from
 *
 * Never called: the probe sets the entry's ip here, so that the entry goes
 * straight back to the system call dispatcher with the -EPERM (or
 * -ERESTARTNOINTR) the probe put in ax.  arch/x86/lib/error-inject.c has the
 * same stub for bpf_override_return().  ASM_RET is the return thunk under
 * CONFIG_RETHUNK.
 */
asmlinkage void lcg_refused_entry(void);
asm(
	".pushsection .text, \"ax\"\n"
	".type lcg_refused_entry, @function\n"
	".globl lcg_refused_entry\n"
	"lcg_refused_entry:\n\t"
	ANNOTATE_NOENDBR
	ASM_RET
	".size lcg_refused_entry, .-lcg_refused_entry\n"
	".popsection\n"
);

enum lcg_probe_kind {
	LCG_PROBE_X64,		/* __x64_sys_<row name>: classified from its arguments */
	LCG_PROBE_I386,		/* __ia32_<entry> */
	LCG_PROBE_X32,		/* the x32 ABI's own entries */
	LCG_PROBE_SIGRETURN,	/* a signal handler returns */
};

/* the ABI of the system call in progress */
enum lcg_call_abi { LCG_CALL_X64, LCG_CALL_I386, LCG_CALL_X32 };

struct lcg_sprobe {
	struct kprobe kp;
	u8 kind;			/* enum lcg_probe_kind */
	bool registered;
	u32 cls;			/* LCG_SC_BIT(class) */
	const struct lcg_syscall *row;	/* LCG_PROBE_X64 */
	const char *entry;		/* LCG_PROBE_I386/X32: entry without its ABI prefix */
	char sym[56];
};

static struct lcg_sprobe *lcg_sprobes;
static u32 lcg_n_sprobes;

/* The system call's name in a log line: "unlink", "i386:unlink", "x32:execve". */
static void lcg_call_name(const struct lcg_sprobe *sp, enum lcg_call_abi abi, char *buf,
			  size_t size)
{
	const char *name = sp->row ? sp->row->name : sp->entry;

	if (!sp->row) {
		if (str_has_prefix(name, "compat_sys_"))
			name += strlen("compat_sys_");
		else if (str_has_prefix(name, "sys_"))
			name += strlen("sys_");
	}
	snprintf(buf, size, "%s%s",
		 abi == LCG_CALL_I386 ? "i386:" : abi == LCG_CALL_X32 ? "x32:" : "", name);
}

/* what the probe does with the call */
enum lcg_call_verdict {
	LCG_CALL_ALLOW,
	LCG_CALL_REFUSE,	/* the entry returns -EPERM (enforce mode) */
	LCG_CALL_AGAIN,		/* the entry returns -ERESTARTNOINTR: checked again (lcg_task_defer) */
};

/*
 * lcg_check_call() - may the current task, monitored as @lt, make this call?
 * @uregs: its user registers, saved at system call entry
 *
 * The ABI comes from the task, not from the probe: the entries of
 * argument-less calls (fork, vfork) are one function for x86_64 and i386.
 * Where the call comes from is looked up only when the policy's origin
 * check needs it (lcg_monitor_wants_origin()).
 */
static enum lcg_call_verdict lcg_check_call(struct lcg_task *lt, const struct lcg_sprobe *sp,
					    const struct pt_regs *uregs)
{
	const struct lcg_image *img = &lt->kimg->img;
	enum lcg_call_abi abi;
	enum lcg_reason r;
	bool in_text = false;
	char name[48];
	u64 off = 0;
	u32 cls;

	if (in_ia32_syscall())
		abi = LCG_CALL_I386;
	else if (uregs->orig_ax & __X32_SYSCALL_BIT)
		abi = LCG_CALL_X32;
	else
		abi = LCG_CALL_X64;

	if (abi == LCG_CALL_X64) {
		u64 args[6] = { uregs->di, uregs->si, uregs->dx, uregs->r10, uregs->r8, uregs->r9 };
		u32 tgid = 0, tid = 0;

		/* an i386 or x32 entry reached by an x86_64 call: never happens */
		if (!sp->row)
			return LCG_CALL_ALLOW;
		/* only signals look at who the caller is (a signal to itself is harmless) */
		if (sp->row->rule == LCG_RULE_SIGNAL_OTHER) {
			tgid = task_tgid_vnr(current);
			tid = task_pid_vnr(current);
		}
		cls = lcg_syscall_class(sp->row, args, tgid, tid);
		if (!cls)
			return LCG_CALL_ALLOW;	/* these arguments make it harmless */
		if (lcg_monitor_wants_origin(&lt->mon, img)) {
			switch (lcg_task_text(lt, uregs->ip - LCG_SYSCALL_INSN_LEN, &off)) {
			case LCG_TEXT_BUSY:
				switch (lcg_task_defer()) {
				case LCG_DEFERRED:
					return LCG_CALL_AGAIN;
				case LCG_DEFER_UNLOADING:
					return LCG_CALL_ALLOW;
				case LCG_DEFER_FAILED:
					break;	/* cannot wait: as if from a library */
				}
				break;
			case LCG_TEXT_YES:
				in_text = true;
				break;
			case LCG_TEXT_NO:
				break;
			}
		}
		r = lcg_monitor_syscall(&lt->mon, img, cls, in_text, off);
	} else {
		/* a sensitive call through another ABI: whatever its arguments */
		cls = sp->cls;
		r = LCG_R_ABI;
	}
	this_cpu_inc(*lt->profile->syscalls);
	if (likely(r == LCG_R_OK))
		return LCG_CALL_ALLOW;
	lcg_call_name(sp, abi, name, sizeof(name));
	return lcg_syscall_violation(lt, name, cls, r) ? LCG_CALL_REFUSE : LCG_CALL_ALLOW;
}

static int lcg_syscall_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct lcg_sprobe *sp = container_of(kp, struct lcg_sprobe, kp);
	enum lcg_call_verdict v = LCG_CALL_ALLOW;
	struct lcg_task *lt;

	if (likely(!lcg_tasks_monitored()))
		return 0;
	rcu_read_lock();
	lt = lcg_task_find(current);
	/* the entry's argument (rdi) is the pt_regs saved at system call entry */
	if (lt)
		v = lcg_check_call(lt, sp, (const struct pt_regs *)regs->di);
	rcu_read_unlock();
	if (v == LCG_CALL_ALLOW)
		return 0;
	/* the entry returns at once without running: kprobes keeps this ip */
	regs->ax = v == LCG_CALL_REFUSE ? (unsigned long)-EPERM : (unsigned long)-ERESTARTNOINTR;
	instruction_pointer_set(regs, (unsigned long)lcg_refused_entry);
	return 1;
}

/* Its presence makes kprobes register the probe as one that may change ip. */
static void lcg_syscall_post(struct kprobe *kp, struct pt_regs *regs, unsigned long flags)
{
}

static int lcg_sigreturn_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct lcg_task *lt;

	if (likely(!lcg_tasks_monitored()))
		return 0;
	rcu_read_lock();
	lt = lcg_task_find(current);
	if (lt)
		lcg_monitor_signal_return(&lt->mon);
	rcu_read_unlock();
	return 0;
}

/**
 * lcg_on_signal_deliver() - the signal_deliver tracepoint's probe.
 * @data: unused (tracepoint probe data)
 * @sig:  the signal delivered to the current task
 * @info: its siginfo (unused)
 * @ka:   its action: a handler about to run, or SIG_IGN or SIG_DFL, which do
 *        not concern lcg
 *
 * A handler starts with nothing armed; lcg_monitor_signal_return() gives
 * the interrupted code its classes back at rt_sigreturn.
 */
void lcg_on_signal_deliver(void *data, int sig, struct kernel_siginfo *info,
			   struct k_sigaction *ka)
{
	struct lcg_task *lt;

	if (likely(!lcg_tasks_monitored()) || !ka ||
	    ka->sa.sa_handler == SIG_DFL || ka->sa.sa_handler == SIG_IGN)
		return;
	rcu_read_lock();
	lt = lcg_task_find(current);
	if (lt)
		lcg_monitor_signal_enter(&lt->mon);
	rcu_read_unlock();
}

/*
 * The rt_sigreturn entries of every ABI: a handler returns.  (The x86_64 and
 * i386 rt_sigreturn entries are one function.)
 */
static const char *const lcg_sigreturn_syms[][2] = {
	{ "__x64_sys_rt_sigreturn", NULL },
	{ "__ia32_compat_sys_rt_sigreturn", NULL },
	{ "__ia32_compat_sys_sigreturn", NULL },
	{ "__x32_compat_sys_x32_rt_sigreturn", "__x64_compat_sys_x32_rt_sigreturn" },
};

/*
 * Kernel entries whose name is not __x64_sys_<the system call's name>: the
 * kernel defines umount2 as SYSCALL_DEFINE2(umount, ...).
 */
static const char *lcg_x64_entry_name(const char *name)
{
	return strcmp(name, "umount2") ? name : "umount";
}

/*
 * Place @sp's kprobe on the first of @n candidate symbols that this kernel
 * has.  Return 0, -ENOENT when it has none of them, or the error that
 * register_kprobe() gave for one it has.
 */
static int lcg_sprobe_register(struct lcg_sprobe *sp, const char *const *candidates, int n)
{
	int i, ret = -ENOENT;

	for (i = 0; i < n && candidates[i]; i++) {
		memset(&sp->kp, 0, sizeof(sp->kp));
		strscpy(sp->sym, candidates[i], sizeof(sp->sym));
		sp->kp.symbol_name = sp->sym;
		if (sp->kind == LCG_PROBE_SIGRETURN) {
			sp->kp.pre_handler = lcg_sigreturn_pre;
		} else {
			sp->kp.pre_handler = lcg_syscall_pre;
			sp->kp.post_handler = lcg_syscall_post;
		}
		ret = register_kprobe(&sp->kp);
		if (ret != -ENOENT)
			break;
	}
	if (!ret)
		sp->registered = true;
	return ret;
}

/*
 * Argument-less entries are aliases (__ia32_sys_fork is __x64_sys_fork): a
 * second probe at the same address would run the checks twice.  Keep the
 * first, which finds the call's ABI from the task anyway.
 */
static void lcg_sprobe_dedup(struct lcg_sprobe *sp, u32 upto)
{
	u32 i;

	for (i = 0; i < upto; i++) {
		if (lcg_sprobes[i].registered && lcg_sprobes[i].kp.addr == sp->kp.addr) {
			unregister_kprobe(&sp->kp);
			sp->registered = false;
			return;
		}
	}
}

static void lcg_sprobes_unregister(void)
{
	struct kprobe **kps;
	u32 i, n = 0;

	if (!lcg_sprobes)
		return;
	kps = kcalloc(lcg_n_sprobes, sizeof(*kps), GFP_KERNEL);
	for (i = 0; i < lcg_n_sprobes; i++) {
		if (!lcg_sprobes[i].registered)
			continue;
		if (kps)
			kps[n++] = &lcg_sprobes[i].kp;
		else
			unregister_kprobe(&lcg_sprobes[i].kp);
	}
	/* one RCU grace period for all of them, not one each */
	if (kps && n)
		unregister_kprobes(kps, n);
	kfree(kps);
	kvfree(lcg_sprobes);
	lcg_sprobes = NULL;
}

/* Append @sym to the list of entries this kernel lacks (for one info line). */
static void lcg_note_absent(char *list, size_t size, const char *sym)
{
	size_t used = strlen(list);

	if (used + strlen(sym) + 2 < size)
		snprintf(list + used, size - used, "%s%s", used ? " " : "", sym);
	else if (used + 5 < size && !strstr(list, " ..."))
		strlcat(list, " ...", size);
}

/**
 * lcg_binding_init() - place the kprobes on the sensitive system calls'
 * entries and on the rt_sigreturn entries
 *
 * Context: process (module init).
 *
 * An entry this kernel does not have (a system call newer than it, an ABI it
 * was built without) is skipped, and named in one info line; any other
 * failure fails the module load: lcg must not run with a sensitive entry
 * unwatched.
 *
 * Return: 0, -ENOMEM, or the error register_kprobe() gave.
 */
int lcg_binding_init(void)
{
	u32 n = lcg_n_syscalls + lcg_n_syscalls_i386 + lcg_n_syscalls_x32 +
		ARRAY_SIZE(lcg_sigreturn_syms);
	char cand[2][56], absent[256] = "";
	const char *names[2];
	u32 i, probed = 0;
	int ret;

	lcg_sprobes = kvcalloc(n, sizeof(*lcg_sprobes), GFP_KERNEL);
	if (!lcg_sprobes)
		return -ENOMEM;
	lcg_n_sprobes = n;
	for (i = 0; i < n; i++) {
		struct lcg_sprobe *sp = &lcg_sprobes[i];

		names[0] = cand[0];
		names[1] = NULL;
		if (i < lcg_n_syscalls) {
			const struct lcg_syscall *row = &lcg_syscalls[i];

			sp->kind = LCG_PROBE_X64;
			sp->row = row;
			sp->cls = LCG_SC_BIT(row->cls);
			snprintf(cand[0], sizeof(cand[0]), "__x64_sys_%s", lcg_x64_entry_name(row->name));
		} else if (i < lcg_n_syscalls + lcg_n_syscalls_i386) {
			const struct lcg_compat_syscall *row = &lcg_syscalls_i386[i - lcg_n_syscalls];

			sp->kind = LCG_PROBE_I386;
			sp->entry = row->entry;
			sp->cls = LCG_SC_BIT(row->cls);
			snprintf(cand[0], sizeof(cand[0]), "__ia32_%s", row->entry);
		} else if (i < lcg_n_syscalls + lcg_n_syscalls_i386 + lcg_n_syscalls_x32) {
			const struct lcg_compat_syscall *row =
				&lcg_syscalls_x32[i - lcg_n_syscalls - lcg_n_syscalls_i386];

			sp->kind = LCG_PROBE_X32;
			sp->entry = row->entry;
			sp->cls = LCG_SC_BIT(row->cls);
			/* 6.1 names the x32 entries __x64_compat_sys_*; later kernels __x32_ */
			snprintf(cand[0], sizeof(cand[0]), "__x32_%s", row->entry);
			snprintf(cand[1], sizeof(cand[1]), "__x64_%s", row->entry);
			names[1] = cand[1];
		} else {
			const char *const *s =
				lcg_sigreturn_syms[i - lcg_n_syscalls - lcg_n_syscalls_i386 -
						   lcg_n_syscalls_x32];

			sp->kind = LCG_PROBE_SIGRETURN;
			strscpy(cand[0], s[0], sizeof(cand[0]));
			if (s[1]) {
				strscpy(cand[1], s[1], sizeof(cand[1]));
				names[1] = cand[1];
			}
		}
		ret = lcg_sprobe_register(sp, names, 2);
		if (ret == -ENOENT) {
			lcg_note_absent(absent, sizeof(absent), cand[0]);
			continue;
		}
		if (ret) {
			pr_err("cannot place a kprobe on %s (errno %d)\n", sp->sym, -ret);
			lcg_sprobes_unregister();
			return ret;
		}
		lcg_sprobe_dedup(sp, i);
		if (sp->registered)
			probed++;
	}
	pr_info("%u system call entries probed%s%s\n", probed,
		absent[0] ? "; not in this kernel, skipped: " : "", absent);
	return 0;
}

/**
 * lcg_binding_exit() - remove the probes lcg_binding_init() placed
 *
 * After it returns no probe runs or will run, and no task is left on its way
 * through lcg_refused_entry.  Sleeps.
 */
void lcg_binding_exit(void)
{
	lcg_sprobes_unregister();
	/*
	 * A refused entry returns through this module's lcg_refused_entry
	 * after the probe handler is done, and a deferred check's task work
	 * (task.c) runs its last instructions after it dropped its module
	 * reference: wait until every task has passed through a voluntary
	 * context switch, as ftrace does before it frees a trampoline.
	 */
	synchronize_rcu_tasks();
}
