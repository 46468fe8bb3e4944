/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lcg.h - what the parts of lcg.ko share: profiles (configfs), loaded images,
 * per-task monitors and the hooks that drive them.  docs/kernel.md explains
 * the design.
 */
#ifndef LCG_KERNEL_H
#define LCG_KERNEL_H

#include <linux/configfs.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/time64.h>
#include <linux/uprobes.h>
#include <linux/workqueue.h>

#include "pda/monitor.h"

#define LCG_MODULE_VERSION "1"

/*
 * The module's limits, each with what happens at it (the automaton core's
 * and the image's are in pda/limits.h; docs/kernel.md, "Bounds", lists both).
 *
 * LCG_MAX_TASKS_DEFAULT: tasks monitored at once, all users together (module
 * parameter max_tasks, root may change it at run time).  A task that would
 * go beyond is refused: killed in enforce mode (running it unmonitored would
 * switch protection off for whoever can fill the table), run unmonitored and
 * logged in complain mode.  Reason too-many-tasks.
 *
 * LCG_MAX_TASKS_PER_USER_DEFAULT: tasks monitored at once on behalf of one
 * user (parameter max_tasks_per_user; 0: no per-user bound).  The user is the
 * task's real uid, or, for a task in a user namespace, the owner of the
 * outermost namespace below the initial one: the user who created it, so
 * that the uids of a namespace cannot multiply one user's share.  At the
 * bound the same as above, reason too-many-user-tasks: one user filling
 * his share of the table cannot get other users' monitored tasks refused.
 *
 * LCG_LOG_INTERVAL, LCG_LOG_BURST: log lines per profile and per reason
 * (each violation reason, each refusal reason): at most LCG_LOG_BURST per
 * LCG_LOG_INTERVAL.  Beyond, lines are counted (the profile's log_suppressed
 * attribute) and the next line printed for that profile is preceded by
 * "lcg: profile=NAME suppressed=N"; the counters (violations, ...) still
 * count everything.  So a flood from one profile, or of one reason, cannot
 * hide another profile's or another reason's line.
 *
 * LCG_ADMIN_LOG_BURST: lines about loading and removing profiles (root's
 * doing), per LCG_LOG_INTERVAL, module-wide; the status attribute always has
 * the outcome.
 *
 * LCG_IMAGE_MAX_BYTES (pda/limits.h): the largest image configfs accepts
 * (the write fails with EFBIG beyond it).
 *
 * PATH_MAX: the exe attribute (EINVAL beyond).
 */
#define LCG_MAX_TASKS_DEFAULT 4096u
#define LCG_MAX_TASKS_PER_USER_DEFAULT 1024u
#define LCG_LOG_INTERVAL (5 * HZ)
#define LCG_LOG_BURST 20
#define LCG_ADMIN_LOG_BURST 10

/* refusals: a task lcg cannot monitor as its profile says */
enum lcg_refusal {
	LCG_REFUSE_STALE,		/* stale-binary */
	LCG_REFUSE_NOMEM,		/* out-of-memory */
	LCG_REFUSE_TASKS,		/* too-many-tasks */
	LCG_REFUSE_USER_TASKS,		/* too-many-user-tasks */
	LCG_REFUSE_COUNT
};

/* one rate limit per violation reason and per refusal reason */
#define LCG_LOG_KINDS (LCG_R_COUNT + LCG_REFUSE_COUNT)

/* what a violation does */
enum lcg_action {
	LCG_ENFORCE,	/* SIGKILL before the call runs (a refused system call returns -EPERM) */
	LCG_COMPLAIN,	/* a log line, then resynchronise and go on */
};

/*
 * The identity of an executable when its profile was loaded: of its real
 * inode (d_real_inode(): on overlayfs the lower or upper file, which is what
 * the mappings of a running program hold, since ovl_mmap() maps the real
 * file), so that exec, the text mappings and the uprobe all name one inode.
 */
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
	char *exe;		/* the binary's path, for log lines and status */
	/*
	 * Where the binary was found: its directory entry, as VFS objects (the
	 * parent dentry and the name), so that exec recognises a binary
	 * replaced at that place without resolving a path in anyone's root or
	 * mount namespace.  The path (held) keeps the inode and file system
	 * alive for the uprobe; putting them sleeps, hence the work item that
	 * releases an image.
	 */
	struct path path;
	struct dentry *dir;
	char *name;
	/*
	 * Start-up ends when the program's entry point runs: a uprobe there
	 * (img.hdr->entry), registered while the image lives.
	 */
	bool has_entry_probe;
	struct uprobe_consumer entry_probe;
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
	/*
	 * Protects exe, exe_gen and status, briefly: validating an image and
	 * hashing the binary run without it (no lock of lcg's is held across
	 * long work); exe_gen tells a load that exe changed meanwhile.
	 */
	struct mutex lock;
	struct lcg_kimage __rcu *active;
	char *name;			/* copy: configfs frees its own at rmdir */
	char *exe;			/* as written to the exe attribute */
	u64 exe_gen;			/* bumped by every write of exe */
	int action;			/* enum lcg_action, read with READ_ONCE */
	bool stale;			/* the binary changed since it was loaded */
	char status[192];
	atomic_t tasks;			/* tasks monitored now */
	u64 __percpu *events;		/* events accepted or rejected */
	u64 __percpu *syscalls;		/* sensitive system calls checked */
	atomic64_t violations;		/* events and system calls refused */
	/* log lines: one rate limit per reason (LCG_LOG_BURST per LCG_LOG_INTERVAL) */
	struct ratelimit_state log_rs[LCG_LOG_KINDS];
	atomic_t log_pending;		/* suppressed since the last line printed */
	atomic64_t log_suppressed;	/* suppressed in all */
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
extern atomic_t lcg_live_tasks;

/* event.c: log lines */
bool lcg_log_allowed(struct lcg_profile *p, unsigned int kind);
bool lcg_admin_log_allowed(void);
void lcg_sanitize(char *out, size_t size, const char *s, bool word);

/* kimage.c */
int lcg_kimages_init(void);
void lcg_kimages_exit(void);
struct lcg_kimage *lcg_kimage_load(const void *data, size_t len, const char **reason);
int lcg_kimage_bind(struct lcg_kimage *k, const char *name, char *err, size_t errlen);
bool lcg_kimage_concerns(const struct lcg_kimage *k, const struct file *exe, bool *stale);
bool lcg_kimage_tryget(struct lcg_kimage *k);
void lcg_kimage_put(struct lcg_kimage *k);
bool lcg_exe_id_matches(const struct lcg_exe_id *id, const struct inode *inode);
bool lcg_exe_id_same_file(const struct lcg_exe_id *id, const struct inode *inode);

/* The inode whose identity lcg records for @f: the real one under overlayfs. */
static inline struct inode *lcg_real_inode(const struct file *f)
{
	return d_real_inode(f->f_path.dentry);
}

/* configfs.c */
int lcg_configfs_init(void);
void lcg_configfs_exit(void);

/* task.c */

/* what lcg_task_text() found at an address */
enum lcg_text {
	LCG_TEXT_NO,		/* not in an executable mapping of the binary */
	LCG_TEXT_YES,		/* in one: the file offset is known */
	LCG_TEXT_BUSY,		/* the mmap lock is contended: not known now */
};

/* the tasks monitored on behalf of one user (task.c) */
struct lcg_user;

struct lcg_task {
	struct hlist_node node;
	struct rcu_head rcu;
	struct task_struct *task;	/* key; the entry dies with the task */
	struct lcg_profile *profile;
	struct lcg_kimage *kimg;
	struct lcg_user *user;		/* charged for this task (lcg_tasks_lock) */
	/*
	 * The answer a deferred check (lcg_task_defer()) prepared with the
	 * mmap lock held, for the system call it makes the task issue again:
	 * used once, and only for the same instruction, should the lock be
	 * contended again.  Only the task itself reads and writes them.
	 */
	unsigned long hint_ip;
	u64 hint_off;
	u8 hint;			/* enum lcg_text + 1; 0: none */
	struct lcg_monitor mon;
};

extern unsigned int lcg_max_tasks;
extern unsigned int lcg_max_tasks_per_user;
extern unsigned int lcg_n_tasks;
extern unsigned int lcg_n_users;
extern atomic64_t lcg_deferred;

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
enum lcg_text lcg_task_text(struct lcg_task *lt, unsigned long ip, u64 *off);

/* what lcg_task_defer() did */
enum lcg_defer {
	LCG_DEFERRED,		/* the call will be made and checked again */
	LCG_DEFER_UNLOADING,	/* the module is going: let the call go */
	LCG_DEFER_FAILED,	/* no memory: decide as if not in the binary's text */
};
enum lcg_defer lcg_task_defer(void);

/* event.c */
void lcg_event(struct lcg_task *lt, const struct pt_regs *uregs);
void lcg_refuse(struct task_struct *t, enum lcg_refusal why, struct lcg_profile *p,
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
