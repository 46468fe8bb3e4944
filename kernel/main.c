// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - lcg.ko: a library-call sandbox enforced in the kernel.
 *
 * Instrumented programs announce each monitored library call with a dummy
 * system call; this module checks the sequence against the program's policy
 * automaton (the shared pda/ core) and kills the program before a call its
 * policy does not allow.  It also checks the program's sensitive system
 * calls against what its last event announced (binding.c), so a hijacked
 * program that announces nothing is stopped too.  docs/kernel.md describes
 * the design.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "pda/abi.h"
#include "lcg.h"

static int __init lcg_init(void)
{
	int ret;

	ret = lcg_tasks_init();
	if (ret)
		return ret;
	ret = lcg_kimages_init();
	if (ret)
		goto fail_kimages;
	/* hooks first: no profile, hence no monitored task, before every hook is in place */
	ret = lcg_hooks_init();
	if (ret)
		goto fail_hooks;
	ret = lcg_configfs_init();
	if (ret)
		goto fail_configfs;
	pr_info("loaded (version %s, syscall %d, at most %u monitored tasks)\n",
		LCG_MODULE_VERSION, LCG_SYSCALL_NR, lcg_max_tasks);
	return 0;
fail_configfs:
	lcg_hooks_exit();
fail_hooks:
	lcg_kimages_exit();
fail_kimages:
	lcg_tasks_exit();
	return ret;
}

/*
 * Unloading is possible only once every profile directory is removed
 * (configfs holds a module reference per directory).  Tasks still monitored
 * with a removed profile are detached and run on unmonitored.
 */
static void __exit lcg_exit(void)
{
	lcg_hooks_exit();
	lcg_task_detach_all();
	lcg_configfs_exit();
	/*
	 * frees are chained through RCU: task -> profile -> image; an image
	 * with an entry uprobe goes through a work item first (unregistering
	 * sleeps), which ends with its own call_rcu()
	 */
	rcu_barrier();
	rcu_barrier();
	rcu_barrier();
	lcg_kimages_exit();
	rcu_barrier();
	lcg_tasks_exit();
	WARN(atomic_read(&lcg_live_profiles) || atomic_read(&lcg_live_images),
	     "lcg: %d profiles and %d images leaked\n",
	     atomic_read(&lcg_live_profiles), atomic_read(&lcg_live_images));
	pr_info("unloaded\n");
}

module_init(lcg_init);
module_exit(lcg_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lcg: library-call sandbox (policy automata enforced on dummy system calls)");
MODULE_VERSION(LCG_MODULE_VERSION);
