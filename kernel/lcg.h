/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lcg.h - what the parts of lcg.ko share: profiles (configfs), loaded images,
 * per-task monitors and the hooks that drive them.  docs/kernel.md explains
 * the design.
 */
#ifndef LCG_KERNEL_H
#define LCG_KERNEL_H

#include <linux/configfs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/time64.h>
#include <linux/uprobes.h>
#include <linux/workqueue.h>

#include "pda/monitor.h"

#define LCG_MODULE_VERSION "1"

/* what a violation does */
enum lcg_action {
	LCG_ENFORCE,	/* SIGKILL before the call runs (a refused system call returns -EPERM) */
	LCG_COMPLAIN,	/* a log line, then resynchronise and go on */
};

/* the identity of an executable when its profile was loaded */
struct lcg_exe_id {
	dev_t dev;
	unsigned long ino;
	struct timespec64 mtime;
	struct timespec64 ctime;
	loff_t size;
};

/*
 * A validated image bound to the binary it was checked against.  Immutable
 * once published; running tasks hold references, so replacing a profile's
 * image never changes the automaton under a task's feet.
 */
struct lcg_kimage {
	refcount_t ref;
	struct rcu_head rcu;
	void *buf;		/* kvmalloc'ed copy of what user space wrote */
	struct lcg_image img;	/* pointers into buf, filled by the validator */
	struct lcg_exe_id id;
	char *exe;		/* canonical path of the binary */
	const char *exe_base;	/* its last component */
	/*
	 * Start-up ends when the program's entry point runs: a uprobe there
	 * (img.hdr->entry), registered while the image lives.  It needs the
	 * binary's inode alive, hence the path; unregistering sleeps, hence
	 * the work item that releases an image which had one.
	 */
	bool has_entry_probe;
	struct uprobe_consumer entry_probe;
	struct path entry_path;
	struct inode *entry_inode;
	struct work_struct release;
};

/*
 * A profile: a configfs directory under profiles/.  Referenced by configfs
 * while the directory exists and by every task it monitors, so a task that
 * outlives `rmdir` can still count and log against it.
 */
struct lcg_profile {
	struct config_group group;
	struct kref ref;
	struct rcu_head rcu;
	struct list_head node;		/* lcg_profiles, walked under RCU at exec */
	struct mutex lock;		/* serialises writers of exe, image, status */
	struct lcg_kimage __rcu *active;
	char *name;			/* copy: configfs frees its own at rmdir */
	char *exe;			/* as written to the exe attribute */
	int action;			/* enum lcg_action, read with READ_ONCE */
	bool stale;			/* the binary changed since it was loaded */
	char status[160];
	atomic_t tasks;			/* tasks monitored now */
	u64 __percpu *events;		/* events accepted or rejected */
	u64 __percpu *syscalls;		/* sensitive system calls checked */
	atomic64_t violations;		/* events and system calls refused */
};

/* profile.c */
extern struct list_head lcg_profiles;
extern struct mutex lcg_profiles_lock;
struct lcg_profile *lcg_profile_create(const char *name);
void lcg_profile_get(struct lcg_profile *p);
void lcg_profile_put(struct lcg_profile *p);
int lcg_profile_set_exe(struct lcg_profile *p, const char *path);
void lcg_profile_set_image(struct lcg_profile *p, const void *data, size_t len);
u64 lcg_profile_sum(u64 __percpu *counter);
struct lcg_profile *lcg_profile_match(struct file *exe, struct lcg_kimage **kimg, bool *stale);

/* objects alive, checked at unload: anything left is a leak */
extern atomic_t lcg_live_profiles;
extern atomic_t lcg_live_images;

/* kimage.c */
int lcg_kimages_init(void);
void lcg_kimages_exit(void);
struct lcg_kimage *lcg_kimage_load(const void *data, size_t len, const char **reason);
int lcg_kimage_bind(struct lcg_kimage *k, const char *path, char *err, size_t errlen);
bool lcg_kimage_tryget(struct lcg_kimage *k);
void lcg_kimage_put(struct lcg_kimage *k);
bool lcg_exe_id_matches(const struct lcg_exe_id *id, const struct inode *inode);
bool lcg_exe_id_same_file(const struct lcg_exe_id *id, const struct inode *inode);

/* configfs.c */
int lcg_configfs_init(void);
void lcg_configfs_exit(void);

/* task.c */
#define LCG_TEXT_RANGES 4
struct lcg_text_range {
	unsigned long start, end;	/* user addresses of an r-x mapping of the binary */
	u64 file_off;			/* file offset of start */
};

struct lcg_task {
	struct hlist_node node;
	struct rcu_head rcu;
	struct task_struct *task;	/* key; the entry dies with the task */
	struct lcg_profile *profile;
	struct lcg_kimage *kimg;
	bool text_ready;		/* text[] filled (needs the mmap lock once) */
	u32 n_text;
	struct lcg_text_range text[LCG_TEXT_RANGES];
	struct lcg_monitor mon;
};

extern unsigned int lcg_max_tasks;
extern unsigned int lcg_n_tasks;

/* Is any task monitored?  The hooks' fast exit for a system with none. */
static inline bool lcg_tasks_monitored(void)
{
	return READ_ONCE(lcg_n_tasks) != 0;
}

int lcg_tasks_init(void);
void lcg_tasks_exit(void);
struct lcg_task *lcg_task_find(struct task_struct *t);
struct lcg_task *lcg_task_alloc(struct task_struct *t, struct lcg_profile *p,
				struct lcg_kimage *k);
int lcg_task_insert(struct lcg_task *lt);
void lcg_task_remove(struct task_struct *t);
void lcg_task_free(struct lcg_task *lt);
void lcg_task_detach_all(void);
bool lcg_task_cache_text(struct lcg_task *lt, struct mm_struct *mm);
bool lcg_task_file_offset(const struct lcg_task *lt, unsigned long ip, u64 *off);
bool lcg_task_text_offset(struct lcg_task *lt, unsigned long ip, u64 *off);

/* event.c */
void lcg_event(struct lcg_task *lt, const struct pt_regs *uregs);
void lcg_refuse(struct task_struct *t, const char *what, struct lcg_profile *p,
		const char *exe, bool kill);
bool lcg_syscall_violation(struct lcg_task *lt, const char *syscall, u32 cls,
			   enum lcg_reason r);

/* binding.c */
int lcg_binding_init(void);
void lcg_binding_exit(void);
struct k_sigaction;
struct kernel_siginfo;
void lcg_on_signal_deliver(void *data, int sig, struct kernel_siginfo *info,
			   struct k_sigaction *ka);

/* hooks.c */
int lcg_hooks_init(void);
void lcg_hooks_exit(void);

#endif /* LCG_KERNEL_H */
