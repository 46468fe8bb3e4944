// SPDX-License-Identifier: GPL-2.0
/*
 * configfs.c - the user interface: /sys/kernel/config/lcg/
 *
 *   version, syscall_nr            read-only facts about this module
 *   profiles/NAME/                 mkdir to create, rmdir to remove
 *     exe      (rw)  absolute path of the executable
 *     image    (w)   the compact image (binary; taken at close())
 *     mode     (rw)  enforce | complain
 *     status   (r)   "loaded", or why not (configfs ignores a binary
 *                    attribute's write result, so this is the only answer)
 *     tasks events syscalls violations (r)  counters: tasks monitored
 *                    now, events seen, sensitive system calls checked,
 *                    violations (events and system calls refused)
 *     log_suppressed (r)  log lines the profile's rate limits suppressed
 *   stats (r)        module-wide: tasks monitored, task entries alive (freed
 *                    after a grace period), users charged, profiles and
 *                    images alive, checks deferred on a contended mmap lock
 *
 * Root only: files are 0600/0400, the top directory 0700, and every
 * callback checks CAP_SYS_ADMIN as well (lcg_check_admin()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/configfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pda/abi.h"
#include "lcg.h"

#define LCG_ATTR(_pfx, _name, _mode, _show, _store)		\
static struct configfs_attribute _pfx##attr_##_name = {		\
	.ca_name = __stringify(_name),				\
	.ca_owner = THIS_MODULE,				\
	.ca_mode = (_mode),					\
	.show = (_show),					\
	.store = (_store),					\
}

static inline struct lcg_profile *to_profile(struct config_item *item)
{
	return container_of(to_config_group(item), struct lcg_profile, group);
}

/*
 * Every callback's check (the files' modes are checked only at open, and a
 * file descriptor can be passed on): CAP_SYS_ADMIN, or EPERM.
 */
static int lcg_check_admin(void)
{
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

/* attribute values arrive with the newline echo adds */
static size_t lcg_trimmed_len(const char *buf, size_t len)
{
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	return len;
}

static ssize_t lcg_profile_exe_show(struct config_item *item, char *page)
{
	struct lcg_profile *p = to_profile(item);
	ssize_t n;
	int err;

	err = lcg_check_admin();
	if (err)
		return err;
	mutex_lock(&p->lock);
	n = sysfs_emit(page, "%s\n", p->exe ? p->exe : "");
	mutex_unlock(&p->lock);
	return n;
}

static ssize_t lcg_profile_exe_store(struct config_item *item, const char *page, size_t len)
{
	size_t n = lcg_trimmed_len(page, len);
	char *path;
	int ret;

	ret = lcg_check_admin();
	if (ret)
		return ret;
	if (!n || n >= PATH_MAX)
		return -EINVAL;
	path = kmemdup_nul(page, n, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	ret = lcg_profile_set_exe(to_profile(item), path);
	kfree(path);
	return ret ? ret : len;
}

static const char *const lcg_action_names[] = {
	[LCG_ENFORCE] = "enforce",
	[LCG_COMPLAIN] = "complain",
};

static ssize_t lcg_profile_mode_show(struct config_item *item, char *page)
{
	int err;

	err = lcg_check_admin();
	if (err)
		return err;
	return sysfs_emit(page, "%s\n", lcg_action_names[READ_ONCE(to_profile(item)->action)]);
}

static ssize_t lcg_profile_mode_store(struct config_item *item, const char *page, size_t len)
{
	size_t n = lcg_trimmed_len(page, len);
	int i;
	int err;

	err = lcg_check_admin();
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(lcg_action_names); i++) {
		if (strlen(lcg_action_names[i]) == n && !strncmp(page, lcg_action_names[i], n)) {
			WRITE_ONCE(to_profile(item)->action, i);
			return len;
		}
	}
	return -EINVAL;
}

static ssize_t lcg_profile_status_show(struct config_item *item, char *page)
{
	struct lcg_profile *p = to_profile(item);
	ssize_t n;
	int err;

	err = lcg_check_admin();
	if (err)
		return err;
	mutex_lock(&p->lock);
	if (READ_ONCE(p->stale) && !strcmp(p->status, "loaded")) {
		char shown[128];

		lcg_sanitize(shown, sizeof(shown), p->exe ? p->exe : "", false);
		n = sysfs_emit(page, "stale: %s changed since the profile was loaded; load it again\n",
			       shown);
	} else
		n = sysfs_emit(page, "%s\n", p->status);
	mutex_unlock(&p->lock);
	return n;
}

/* the profile's counters, each one attribute */
enum lcg_counter { LCG_CNT_TASKS, LCG_CNT_EVENTS, LCG_CNT_SYSCALLS, LCG_CNT_VIOLATIONS,
		   LCG_CNT_LOG_SUPPRESSED };

static u64 lcg_counter_read(struct lcg_profile *p, enum lcg_counter c)
{
	switch (c) {
	case LCG_CNT_TASKS:
		return atomic_read(&p->tasks);
	case LCG_CNT_EVENTS:
		return lcg_profile_sum(p->events);
	case LCG_CNT_SYSCALLS:
		return lcg_profile_sum(p->syscalls);
	case LCG_CNT_VIOLATIONS:
		return atomic64_read(&p->violations);
	case LCG_CNT_LOG_SUPPRESSED:
		return atomic64_read(&p->log_suppressed);
	}
	return 0;
}

/* Counters never go below zero, so one unsigned format prints them all. */
static ssize_t lcg_counter_show(struct config_item *item, char *page, enum lcg_counter c)
{
	int err;

	err = lcg_check_admin();
	if (err)
		return err;
	return sysfs_emit(page, "%llu\n", lcg_counter_read(to_profile(item), c));
}

static ssize_t lcg_profile_tasks_show(struct config_item *item, char *page)
{
	return lcg_counter_show(item, page, LCG_CNT_TASKS);
}

static ssize_t lcg_profile_events_show(struct config_item *item, char *page)
{
	return lcg_counter_show(item, page, LCG_CNT_EVENTS);
}

static ssize_t lcg_profile_syscalls_show(struct config_item *item, char *page)
{
	return lcg_counter_show(item, page, LCG_CNT_SYSCALLS);
}

static ssize_t lcg_profile_violations_show(struct config_item *item, char *page)
{
	return lcg_counter_show(item, page, LCG_CNT_VIOLATIONS);
}

static ssize_t lcg_profile_log_suppressed_show(struct config_item *item, char *page)
{
	return lcg_counter_show(item, page, LCG_CNT_LOG_SUPPRESSED);
}

static ssize_t lcg_profile_image_write(struct config_item *item, const void *data, size_t len)
{
	int err;

	err = lcg_check_admin();
	if (err)
		return err;
	lcg_profile_set_image(to_profile(item), data, len);
	return len;
}

LCG_ATTR(lcg_profile_, exe, 0600, lcg_profile_exe_show, lcg_profile_exe_store);
LCG_ATTR(lcg_profile_, mode, 0600, lcg_profile_mode_show, lcg_profile_mode_store);
LCG_ATTR(lcg_profile_, status, 0400, lcg_profile_status_show, NULL);
LCG_ATTR(lcg_profile_, tasks, 0400, lcg_profile_tasks_show, NULL);
LCG_ATTR(lcg_profile_, events, 0400, lcg_profile_events_show, NULL);
LCG_ATTR(lcg_profile_, syscalls, 0400, lcg_profile_syscalls_show, NULL);
LCG_ATTR(lcg_profile_, violations, 0400, lcg_profile_violations_show, NULL);
LCG_ATTR(lcg_profile_, log_suppressed, 0400, lcg_profile_log_suppressed_show, NULL);

static struct configfs_bin_attribute lcg_profile_attr_image = {
	.cb_attr = {
		.ca_name = "image",
		.ca_owner = THIS_MODULE,
		.ca_mode = 0200,
	},
	.cb_max_size = LCG_IMAGE_MAX_BYTES,
	.write = lcg_profile_image_write,
};

static struct configfs_attribute *lcg_profile_attrs[] = {
	&lcg_profile_attr_exe,
	&lcg_profile_attr_mode,
	&lcg_profile_attr_status,
	&lcg_profile_attr_tasks,
	&lcg_profile_attr_events,
	&lcg_profile_attr_syscalls,
	&lcg_profile_attr_violations,
	&lcg_profile_attr_log_suppressed,
	NULL,
};

static struct configfs_bin_attribute *lcg_profile_bin_attrs[] = {
	&lcg_profile_attr_image,
	NULL,
};

/* configfs is done with the directory; tasks may still hold the profile */
static void lcg_profile_item_release(struct config_item *item)
{
	lcg_profile_put(to_profile(item));
}

static struct configfs_item_operations lcg_profile_item_ops = {
	.release = lcg_profile_item_release,
};

static const struct config_item_type lcg_profile_type = {
	.ct_item_ops = &lcg_profile_item_ops,
	.ct_attrs = lcg_profile_attrs,
	.ct_bin_attrs = lcg_profile_bin_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_group *lcg_profiles_make_group(struct config_group *group, const char *name)
{
	struct lcg_profile *p;
	int err;

	err = lcg_check_admin();
	if (err)
		return ERR_PTR(err);
	p = lcg_profile_create(name);
	if (!p)
		return ERR_PTR(-ENOMEM);
	config_group_init_type_name(&p->group, name, &lcg_profile_type);
	mutex_lock(&lcg_profiles_lock);
	list_add_tail_rcu(&p->node, &lcg_profiles);
	mutex_unlock(&lcg_profiles_lock);
	return &p->group;
}

/* rmdir: no new exec attaches; running tasks keep their image until they exec or exit */
static void lcg_profiles_drop_item(struct config_group *group, struct config_item *item)
{
	struct lcg_profile *p = to_profile(item);
	char who[64];

	mutex_lock(&lcg_profiles_lock);
	list_del_rcu(&p->node);
	mutex_unlock(&lcg_profiles_lock);
	if (lcg_admin_log_allowed()) {
		lcg_sanitize(who, sizeof(who), p->name, true);
		pr_info("profile %s removed (%d tasks keep it until they exec or exit)\n",
			who, atomic_read(&p->tasks));
	}
	config_item_put(item);
}

static struct configfs_group_operations lcg_profiles_group_ops = {
	.make_group = lcg_profiles_make_group,
	.drop_item = lcg_profiles_drop_item,
};

static const struct config_item_type lcg_profiles_type = {
	.ct_group_ops = &lcg_profiles_group_ops,
	.ct_owner = THIS_MODULE,
};

static ssize_t lcg_root_version_show(struct config_item *item, char *page)
{
	int err;

	err = lcg_check_admin();
	if (err)
		return err;
	return sysfs_emit(page, "%s image=%u\n", LCG_MODULE_VERSION, LCG_IMAGE_VERSION);
}

static ssize_t lcg_root_syscall_nr_show(struct config_item *item, char *page)
{
	int err;

	err = lcg_check_admin();
	if (err)
		return err;
	return sysfs_emit(page, "%d\n", LCG_SYSCALL_NR);
}

/*
 * Module-wide counts, one "key value" per line: what the stress test checks
 * returns to zero once every monitored task is gone (task_objects after a
 * grace period).
 */
static ssize_t lcg_root_stats_show(struct config_item *item, char *page)
{
	int err;

	err = lcg_check_admin();
	if (err)
		return err;
	return sysfs_emit(page,
			  "tasks %u\ntask_objects %d\nusers %u\nprofiles %d\nimages %d\n"
			  "deferred %lld\nmax_tasks %u\nmax_tasks_per_user %u\n",
			  READ_ONCE(lcg_n_tasks), atomic_read(&lcg_live_tasks),
			  READ_ONCE(lcg_n_users), atomic_read(&lcg_live_profiles),
			  atomic_read(&lcg_live_images), atomic64_read(&lcg_deferred),
			  READ_ONCE(lcg_max_tasks), READ_ONCE(lcg_max_tasks_per_user));
}

LCG_ATTR(lcg_root_, version, 0400, lcg_root_version_show, NULL);
LCG_ATTR(lcg_root_, syscall_nr, 0400, lcg_root_syscall_nr_show, NULL);
LCG_ATTR(lcg_root_, stats, 0400, lcg_root_stats_show, NULL);

static struct configfs_attribute *lcg_root_attrs[] = {
	&lcg_root_attr_version,
	&lcg_root_attr_syscall_nr,
	&lcg_root_attr_stats,
	NULL,
};

static const struct config_item_type lcg_root_type = {
	.ct_attrs = lcg_root_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_group lcg_profiles_group;

static struct configfs_subsystem lcg_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "lcg",
			.ci_type = &lcg_root_type,
		},
	},
};

/* configfs creates directories 0755; ours are root's alone */
static void lcg_configfs_restrict(struct dentry *dentry)
{
	struct iattr ia = { .ia_valid = ATTR_MODE, .ia_mode = S_IFDIR | 0700 };
	struct inode *inode = d_inode(dentry);
	int ret;

	inode_lock(inode);
	ret = notify_change(&init_user_ns, dentry, &ia, NULL);
	inode_unlock(inode);
	if (ret)
		pr_warn("cannot make %pd root-only (errno %d); chmod 700 it\n", dentry, -ret);
}

/**
 * lcg_configfs_init() - register /sys/kernel/config/lcg/, root's alone
 *
 * Return: 0, or configfs's error: the module does not load without it.
 */
int lcg_configfs_init(void)
{
	int ret;

	config_group_init(&lcg_subsys.su_group);
	mutex_init(&lcg_subsys.su_mutex);
	config_group_init_type_name(&lcg_profiles_group, "profiles", &lcg_profiles_type);
	configfs_add_default_group(&lcg_profiles_group, &lcg_subsys.su_group);
	ret = configfs_register_subsystem(&lcg_subsys);
	if (ret) {
		pr_err("cannot register with configfs (errno %d); is configfs.ko loaded?\n",
		       -ret);
		return ret;
	}
	lcg_configfs_restrict(lcg_subsys.su_group.cg_item.ci_dentry);
	return 0;
}

/**
 * lcg_configfs_exit() - unregister /sys/kernel/config/lcg/
 *
 * Module unload: configfs holds a module reference per profile directory,
 * so every profile directory is gone by now.
 */
void lcg_configfs_exit(void)
{
	configfs_unregister_subsystem(&lcg_subsys);
}
