// SPDX-License-Identifier: GPL-2.0
/*
 * task.c - per-task monitors, found without locks on the event path; what
 * they cost each user; where a task's binary is mapped.
 *
 * An RCU hash table keyed by the task_struct pointer.  Only the task itself
 * steps its monitor (events, exec and exit all run in its own context; fork
 * runs in the parent's context before the child first runs), so the monitor
 * needs no lock; the table's lock serialises insertions and removals, and
 * the per-user counts, only.  Entries are freed after a grace period, so the
 * event path and module unload may overlap safely.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/task_work.h>
#include <linux/user_namespace.h>

#include "pda/abi.h"
#include "lcg.h"

#define LCG_TASK_HASH_BITS 10
#define LCG_USER_HASH_BITS 6

static DEFINE_HASHTABLE(lcg_tasks, LCG_TASK_HASH_BITS);
/* a cache of its own: destroying it at unload reports any entry leaked */
static struct kmem_cache *lcg_task_cache;
static DEFINE_SPINLOCK(lcg_tasks_lock);
/* written under lcg_tasks_lock; read locklessly by the hooks' fast exit and stats */
unsigned int lcg_n_tasks;
unsigned int lcg_n_users;
/* entries allocated and not yet freed (inserted, or on their way to RCU) */
atomic_t lcg_live_tasks = ATOMIC_INIT(0);
/* checks completed after waiting for a contended mmap lock (lcg_task_defer) */
atomic64_t lcg_deferred = ATOMIC64_INIT(0);

/* Limits and their outcomes: kernel/lcg.h.  Root may change them at run time. */
unsigned int lcg_max_tasks = LCG_MAX_TASKS_DEFAULT;
module_param_named(max_tasks, lcg_max_tasks, uint, 0600);
MODULE_PARM_DESC(max_tasks, "monitored tasks at once, all users (each costs about 1 KiB)");
unsigned int lcg_max_tasks_per_user = LCG_MAX_TASKS_PER_USER_DEFAULT;
module_param_named(max_tasks_per_user, lcg_max_tasks_per_user, uint, 0600);
MODULE_PARM_DESC(max_tasks_per_user, "monitored tasks at once on behalf of one user (0: no bound)");

/* tasks monitored on behalf of one user; exists while n > 0 */
struct lcg_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int n;
};

static DEFINE_HASHTABLE(lcg_users, LCG_USER_HASH_BITS);

/**
 * lcg_task_find() - the monitor entry of task @t
 * @t: any task
 *
 * Under RCU or lcg_tasks_lock; any context.
 *
 * Return: the entry, or NULL when @t is not monitored.
 */
struct lcg_task *lcg_task_find(struct task_struct *t)
{
	struct lcg_task *lt;

	hash_for_each_possible_rcu(lcg_tasks, lt, node, (unsigned long)t)
		if (lt->task == t)
			return lt;
	return NULL;
}

/*
 * The user a task is charged to: its real uid, or for a task in a user
 * namespace the owner of the outermost namespace below the initial one (an
 * unprivileged user may map many uids in a namespace of his own: they all
 * count as his).
 */
static kuid_t lcg_charged_uid(struct task_struct *t)
{
	const struct user_namespace *ns;
	const struct cred *c;
	kuid_t uid;

	rcu_read_lock();
	c = __task_cred(t);
	uid = c->uid;
	for (ns = c->user_ns; ns != &init_user_ns && ns->parent != &init_user_ns; ns = ns->parent)
		;
	if (ns != &init_user_ns)
		uid = ns->owner;
	rcu_read_unlock();
	return uid;
}

/**
 * lcg_task_alloc() - a monitor entry for @t, not yet published
 * @t: the task to monitor (current at exec, the new child at fork)
 * @p: its profile: the entry takes a reference
 * @k: the image it runs: the entry takes a reference
 *
 * Atomic context (tracepoints): never sleeps.  The caller initialises the
 * monitor, then publishes the entry with lcg_task_insert().
 *
 * Return: the entry, or NULL without memory.
 */
struct lcg_task *lcg_task_alloc(struct task_struct *t, struct lcg_profile *p,
				struct lcg_kimage *k)
{
	struct lcg_task *lt = kmem_cache_zalloc(lcg_task_cache, GFP_NOWAIT | __GFP_NOWARN);

	if (!lt)
		return NULL;
	atomic_inc(&lcg_live_tasks);
	lt->task = t;
	lcg_profile_get(p);
	lt->profile = p;
	refcount_inc(&k->ref);
	lt->kimg = k;
	return lt;
}

static void lcg_task_free_rcu(struct rcu_head *rcu)
{
	struct lcg_task *lt = container_of(rcu, struct lcg_task, rcu);

	lcg_kimage_put(lt->kimg);
	lcg_profile_put(lt->profile);
	kmem_cache_free(lcg_task_cache, lt);
	atomic_dec(&lcg_live_tasks);
}

/**
 * lcg_task_free() - free an entry never inserted, or already unlinked
 * @lt: the entry
 *
 * After a grace period (the event path may still be reading it), with its
 * references to profile and image.  Any context.
 */
void lcg_task_free(struct lcg_task *lt)
{
	call_rcu(&lt->rcu, lcg_task_free_rcu);
}

/* lcg_tasks_lock held */
static struct lcg_user *lcg_user_find(kuid_t uid)
{
	struct lcg_user *u;

	hash_for_each_possible(lcg_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/* lcg_tasks_lock held */
static void lcg_user_uncharge(struct lcg_user *u)
{
	if (--u->n)
		return;
	hash_del(&u->node);
	lcg_n_users--;
	kfree(u);
}

static void lcg_task_unlink(struct lcg_task *lt)
{
	hash_del_rcu(&lt->node);
	WRITE_ONCE(lcg_n_tasks, lcg_n_tasks - 1);
	atomic_dec(&lt->profile->tasks);
	lcg_user_uncharge(lt->user);
	lcg_task_free(lt);
}

/**
 * lcg_task_insert() - publish @lt, replacing the task's previous entry (exec
 * of a monitored binary from a monitored one), and charge its user.
 * @lt: an entry from lcg_task_alloc()
 *
 * Atomic context.  The limits (kernel/lcg.h) are checked here.
 *
 * Return: 0; -ENOSPC at max_tasks, -EDQUOT at max_tasks_per_user, -ENOMEM
 * (the caller still owns @lt).
 */
int lcg_task_insert(struct lcg_task *lt)
{
	unsigned int per_user = READ_ONCE(lcg_max_tasks_per_user);
	kuid_t uid = lcg_charged_uid(lt->task);
	struct lcg_user *u, *spare;
	struct lcg_task *old;
	unsigned long flags;
	int ret = 0;

	/* allocated before the lock: kfree()d unused when the user has an entry */
	spare = kmalloc(sizeof(*spare), GFP_NOWAIT | __GFP_NOWARN);
	spin_lock_irqsave(&lcg_tasks_lock, flags);
	old = lcg_task_find(lt->task);
	if (old)
		lcg_task_unlink(old);
	u = lcg_user_find(uid);
	if (lcg_n_tasks >= READ_ONCE(lcg_max_tasks)) {
		ret = -ENOSPC;
	} else if (u && per_user && u->n >= per_user) {
		ret = -EDQUOT;
	} else if (!u && !spare) {
		ret = -ENOMEM;
	} else {
		if (!u) {
			u = spare;
			spare = NULL;
			u->uid = uid;
			u->n = 0;
			hash_add(lcg_users, &u->node, __kuid_val(uid));
			lcg_n_users++;
		}
		u->n++;
		lt->user = u;
		hash_add_rcu(lcg_tasks, &lt->node, (unsigned long)lt->task);
		WRITE_ONCE(lcg_n_tasks, lcg_n_tasks + 1);
		atomic_inc(&lt->profile->tasks);
	}
	spin_unlock_irqrestore(&lcg_tasks_lock, flags);
	kfree(spare);
	return ret;
}

/**
 * lcg_task_remove() - @t no longer runs its monitored binary (exec, exit)
 * @t: any task
 *
 * Unlinks its entry, if any, and uncharges its user; the entry is freed after
 * a grace period.  Atomic context.
 */
void lcg_task_remove(struct task_struct *t)
{
	struct lcg_task *lt;
	unsigned long flags;
	bool monitored;

	/*
	 * Every exit and exec in the system comes here: look without the lock
	 * first.  Only @t's own context and its parent's fork insert its entry,
	 * both before now, so a miss is final.
	 */
	rcu_read_lock();
	monitored = lcg_task_find(t) != NULL;
	rcu_read_unlock();
	if (!monitored)
		return;
	spin_lock_irqsave(&lcg_tasks_lock, flags);
	lt = lcg_task_find(t);
	if (lt)
		lcg_task_unlink(lt);
	spin_unlock_irqrestore(&lcg_tasks_lock, flags);
}

/**
 * lcg_tasks_init() - create the entries' cache
 *
 * Return: 0 or -ENOMEM.
 */
int lcg_tasks_init(void)
{
	lcg_task_cache = KMEM_CACHE(lcg_task, 0);
	return lcg_task_cache ? 0 : -ENOMEM;
}

/**
 * lcg_tasks_exit() - destroy the entries' cache
 *
 * After lcg_task_detach_all() and the RCU barriers: every entry is freed,
 * and any left is reported as a leak.
 */
void lcg_tasks_exit(void)
{
	WARN(atomic_read(&lcg_live_tasks), "lcg: %d task entries leaked\n",
	     atomic_read(&lcg_live_tasks));
	kmem_cache_destroy(lcg_task_cache);
}

/**
 * lcg_task_detach_all() - stop monitoring every task
 *
 * Module unload: the hooks are gone, so nothing adds entries any more; the
 * tasks go on unmonitored.  Returns after every entry is freed.
 */
void lcg_task_detach_all(void)
{
	struct hlist_node *tmp;
	struct lcg_task *lt;
	unsigned long flags;
	unsigned int n = 0;
	int bkt;

	spin_lock_irqsave(&lcg_tasks_lock, flags);
	hash_for_each_safe(lcg_tasks, bkt, tmp, lt, node) {
		lcg_task_unlink(lt);
		n++;
	}
	spin_unlock_irqrestore(&lcg_tasks_lock, flags);
	rcu_barrier();
	if (n)
		pr_info("unloaded with %u monitored tasks; they run on unmonitored\n", n);
}

/* Is @ip in @vma, an executable mapping of @k's binary?  mmap lock held. */
static enum lcg_text lcg_vma_text(const struct lcg_kimage *k, const struct vm_area_struct *vma,
				  unsigned long ip, u64 *off)
{
	if (!vma || !(vma->vm_flags & VM_EXEC) || !vma->vm_file ||
	    !lcg_exe_id_same_file(&k->id, lcg_real_inode(vma->vm_file)))
		return LCG_TEXT_NO;
	*off = ((u64)vma->vm_pgoff << PAGE_SHIFT) + (ip - vma->vm_start);
	return LCG_TEXT_YES;
}

/**
 * lcg_task_text() - is @ip, a user address of the current task (@lt's own),
 * in an executable mapping of its binary, and at which file offset?
 * @lt:  the current task's entry (under RCU)
 * @ip:  the address of a syscall instruction
 * @off: set to its file offset when the answer is LCG_TEXT_YES
 *
 * Looked up in the task's address space now, not in a snapshot: mmap,
 * mprotect, munmap and mremap may have changed the mappings since exec.
 * The hooks cannot sleep, so the mmap lock is only tried.  When it is
 * contended, the answer a deferred check prepared for this very instruction
 * (lcg_task_defer()) is used, once; otherwise the answer is LCG_TEXT_BUSY
 * and the caller defers the check.
 *
 * Return: LCG_TEXT_NO, LCG_TEXT_YES or LCG_TEXT_BUSY.
 */
enum lcg_text lcg_task_text(struct lcg_task *lt, unsigned long ip, u64 *off)
{
	struct mm_struct *mm = current->mm;
	enum lcg_text r;

	if (!mm)
		return LCG_TEXT_NO;
	if (!mmap_read_trylock(mm)) {
		if (lt->hint && lt->hint_ip == ip) {
			r = lt->hint - 1;
			*off = lt->hint_off;
			lt->hint = 0;
			return r;
		}
		return LCG_TEXT_BUSY;
	}
	lt->hint = 0;
	r = lcg_vma_text(lt->kimg, vma_lookup(mm, ip), ip, off);
	mmap_read_unlock(mm);
	return r;
}

struct lcg_defer_work {
	struct callback_head cb;
};

/*
 * Task work, in the task's own context on its way back to user space
 * (get_signal(), before the system call restart logic): wait for the mmap
 * lock, prepare the answer for the system call instruction, and have the
 * call issued again.
 */
static void lcg_defer_run(struct callback_head *cb)
{
	struct pt_regs *regs = current_pt_regs();
	unsigned long ip = regs->ip - LCG_SYSCALL_INSN_LEN;
	struct mm_struct *mm = current->mm;
	struct lcg_task *lt;
	enum lcg_text r;
	u64 off = 0;

	kfree(container_of(cb, struct lcg_defer_work, cb));
	/* at exit (the task was killed meanwhile) mm is gone: nothing to prepare */
	if (mm && !mmap_read_lock_killable(mm)) {
		rcu_read_lock();
		lt = lcg_task_find(current);
		if (lt) {
			r = lcg_vma_text(lt->kimg, vma_lookup(mm, ip), ip, &off);
			lt->hint_ip = ip;
			lt->hint_off = off;
			lt->hint = r + 1;
		}
		rcu_read_unlock();
		mmap_read_unlock(mm);
	}
	/* arch_do_signal_or_restart() rewinds ip and issues the call again */
	regs->ax = -ERESTARTNOINTR;
	atomic64_inc(&lcg_deferred);
	/* last: the module cannot go while this runs (lcg_binding_exit waits for it) */
	module_put(THIS_MODULE);
}

/**
 * lcg_task_defer() - the mmap lock was contended: check the current system
 * call (an event or a sensitive call) again once the task could wait for it.
 *
 * Context: atomic.
 *
 * Queues task work (TWA_SIGNAL) that runs before the task returns to user
 * space: it waits for the mmap lock, prepares the answer for the call's
 * instruction and sets the call's result to -ERESTARTNOINTR, so that the
 * kernel rewinds the task to its syscall instruction and the call is made
 * again, and checked again, before any of the task's code runs.  The caller
 * must keep a sensitive call from running (binding.c) and must not count or
 * judge the call now.
 *
 * Return: LCG_DEFERRED when queued; LCG_DEFER_UNLOADING when the module is
 * being unloaded (monitoring is ending: the caller lets the call go, as it
 * will every call once the hooks are gone); LCG_DEFER_FAILED when there was
 * no memory for 16 bytes: the caller then decides without the mappings, as
 * if the address were not in the binary's text.
 */
enum lcg_defer lcg_task_defer(void)
{
	struct lcg_defer_work *d;

	if (!try_module_get(THIS_MODULE))
		return LCG_DEFER_UNLOADING;
	d = kmalloc(sizeof(*d), GFP_ATOMIC | __GFP_NOWARN);
	if (d) {
		init_task_work(&d->cb, lcg_defer_run);
		if (!task_work_add(current, &d->cb, TWA_SIGNAL))
			return LCG_DEFERRED;
		kfree(d);	/* the task is exiting: it makes no more calls */
	}
	module_put(THIS_MODULE);
	return LCG_DEFER_FAILED;
}
