// SPDX-License-Identifier: GPL-2.0
/*
 * task.c - per-task monitors, found without locks on the event path.
 *
 * An RCU hash table keyed by the task_struct pointer.  Only the task itself
 * steps its monitor (events, exec and exit all run in its own context; fork
 * runs in the parent's context before the child first runs), so the monitor
 * needs no lock; the table's lock serialises insertions and removals only.
 * Entries are freed after a grace period, so the event path and module
 * unload may overlap safely.
 */
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "lcg.h"

#define LCG_TASK_HASH_BITS 10

static DEFINE_HASHTABLE(lcg_tasks, LCG_TASK_HASH_BITS);
/* a cache of its own: destroying it at unload reports any entry leaked */
static struct kmem_cache *lcg_task_cache;
static DEFINE_SPINLOCK(lcg_tasks_lock);
/* written under lcg_tasks_lock; read locklessly by the hooks' fast exit */
unsigned int lcg_n_tasks;

/*
 * Monitored tasks at once.  At the bound a new monitored task is refused:
 * killed in enforce mode, run unmonitored (and logged) in complain mode.
 */
unsigned int lcg_max_tasks = 4096;
module_param_named(max_tasks, lcg_max_tasks, uint, 0400);
MODULE_PARM_DESC(max_tasks, "monitored tasks at once (each costs about 1 KiB)");

struct lcg_task *lcg_task_find(struct task_struct *t)
{
	struct lcg_task *lt;

	hash_for_each_possible_rcu(lcg_tasks, lt, node, (unsigned long)t)
		if (lt->task == t)
			return lt;
	return NULL;
}

/* Atomic context (tracepoints): never sleeps.  Takes references to @p and @k. */
struct lcg_task *lcg_task_alloc(struct task_struct *t, struct lcg_profile *p,
				struct lcg_kimage *k)
{
	struct lcg_task *lt = kmem_cache_zalloc(lcg_task_cache, GFP_NOWAIT | __GFP_NOWARN);

	if (!lt)
		return NULL;
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
}

/* For an entry never inserted, or already unlinked. */
void lcg_task_free(struct lcg_task *lt)
{
	call_rcu(&lt->rcu, lcg_task_free_rcu);
}

static void lcg_task_unlink(struct lcg_task *lt)
{
	hash_del_rcu(&lt->node);
	WRITE_ONCE(lcg_n_tasks, lcg_n_tasks - 1);
	atomic_dec(&lt->profile->tasks);
	lcg_task_free(lt);
}

/*
 * lcg_task_insert() - publish @lt, replacing the task's previous entry (exec
 * of a monitored binary from a monitored one).  Return 0, or -ENOSPC at
 * lcg_max_tasks (the caller still owns @lt).
 */
int lcg_task_insert(struct lcg_task *lt)
{
	struct lcg_task *old;
	unsigned long flags;

	spin_lock_irqsave(&lcg_tasks_lock, flags);
	old = lcg_task_find(lt->task);
	if (old) {
		lcg_task_unlink(old);
	} else if (lcg_n_tasks >= lcg_max_tasks) {
		spin_unlock_irqrestore(&lcg_tasks_lock, flags);
		return -ENOSPC;
	}
	hash_add_rcu(lcg_tasks, &lt->node, (unsigned long)lt->task);
	WRITE_ONCE(lcg_n_tasks, lcg_n_tasks + 1);
	atomic_inc(&lt->profile->tasks);
	spin_unlock_irqrestore(&lcg_tasks_lock, flags);
	return 0;
}

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

int lcg_tasks_init(void)
{
	lcg_task_cache = KMEM_CACHE(lcg_task, 0);
	return lcg_task_cache ? 0 : -ENOMEM;
}

/* After lcg_task_detach_all() and the RCU barriers: every entry is freed. */
void lcg_tasks_exit(void)
{
	kmem_cache_destroy(lcg_task_cache);
}

/*
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
		pr_info("lcg: unloaded with %u monitored tasks; they run on unmonitored\n", n);
}

/*
 * Remember where the binary's executable mappings are, so that the event
 * path turns an address into a file offset without the mmap lock.  Needs the
 * lock once: a trylock, since the hooks cannot sleep; on contention the next
 * event tries again.
 */
bool lcg_task_cache_text(struct lcg_task *lt, struct mm_struct *mm)
{
	const struct lcg_exe_id *id = &lt->kimg->id;
	struct vm_area_struct *vma;
	struct inode *inode;

	if (!mm || !mmap_read_trylock(mm))
		return false;
	{
		VMA_ITERATOR(vmi, mm, 0);

		lt->n_text = 0;
		for_each_vma(vmi, vma) {
			if (!(vma->vm_flags & VM_EXEC) || !vma->vm_file)
				continue;
			inode = file_inode(vma->vm_file);
			if (!lcg_exe_id_same_file(id, inode))
				continue;
			if (lt->n_text == LCG_TEXT_RANGES)
				break;	/* more text mappings than expected: the rest are unpinned */
			lt->text[lt->n_text].start = vma->vm_start;
			lt->text[lt->n_text].end = vma->vm_end;
			lt->text[lt->n_text].file_off = (u64)vma->vm_pgoff << PAGE_SHIFT;
			lt->n_text++;
		}
	}
	mmap_read_unlock(mm);
	lt->text_ready = true;
	return true;
}

/* The file offset of @ip if it lies in one of the cached text mappings. */
bool lcg_task_file_offset(const struct lcg_task *lt, unsigned long ip, u64 *off)
{
	u32 i;

	for (i = 0; i < lt->n_text; i++) {
		if (ip >= lt->text[i].start && ip < lt->text[i].end) {
			*off = lt->text[i].file_off + (ip - lt->text[i].start);
			return true;
		}
	}
	return false;
}

/*
 * lcg_task_text_offset() - is @ip, a user address of the current task (@lt's
 * own), in the binary's text?  Then *@off is its file offset.  Caches the
 * text mappings first if exec could not (a trylock: false when contended).
 */
bool lcg_task_text_offset(struct lcg_task *lt, unsigned long ip, u64 *off)
{
	if (!lt->text_ready && !lcg_task_cache_text(lt, current->mm))
		return false;
	return lcg_task_file_offset(lt, ip, off);
}
