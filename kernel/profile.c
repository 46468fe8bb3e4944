// SPDX-License-Identifier: GPL-2.0
/*
 * profile.c - profiles: an executable, its active image, a mode, counters.
 *
 * Writers (configfs stores) take the profile's mutex briefly, around what
 * they read and publish, and lcg_profiles_lock to publish an image;
 * validating an image and hashing its binary run with no lock held.  Exec
 * finds profiles without locks, under RCU.  Lock order: p->lock, then
 * lcg_profiles_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "lcg.h"

LIST_HEAD(lcg_profiles);
DEFINE_MUTEX(lcg_profiles_lock);
atomic_t lcg_live_profiles = ATOMIC_INIT(0);

/**
 * lcg_profile_create() - a new profile, for a mkdir in profiles/
 * @name: the directory's name, root's choice (copied)
 *
 * Enforce mode, no executable, no image.  Process context, sleeps.
 *
 * Return: the profile with one reference (configfs's), or NULL without
 * memory.
 */
struct lcg_profile *lcg_profile_create(const char *name)
{
	struct lcg_profile *p = kzalloc(sizeof(*p), GFP_KERNEL);
	int i;

	if (!p)
		return NULL;
	p->name = kstrdup(name, GFP_KERNEL);
	p->events = alloc_percpu(u64);
	p->syscalls = alloc_percpu(u64);
	if (!p->name || !p->events || !p->syscalls) {
		kfree(p->name);
		free_percpu(p->events);
		free_percpu(p->syscalls);
		kfree(p);
		return NULL;
	}
	kref_init(&p->ref);
	mutex_init(&p->lock);
	INIT_LIST_HEAD(&p->node);
	p->action = LCG_ENFORCE;
	for (i = 0; i < LCG_LOG_KINDS; i++) {
		ratelimit_state_init(&p->log_rs[i], LCG_LOG_INTERVAL, LCG_LOG_BURST);
		/* lcg_log_allowed() reports what it suppressed, per profile */
		ratelimit_set_flags(&p->log_rs[i], RATELIMIT_MSG_ON_RELEASE);
	}
	atomic_inc(&lcg_live_profiles);
	strscpy(p->status, "empty: write exe and image", sizeof(p->status));
	return p;
}

/**
 * lcg_profile_get() - take another reference to @p
 * @p: a profile referenced by the caller, or by a task entry it found under
 *     RCU
 */
void lcg_profile_get(struct lcg_profile *p)
{
	kref_get(&p->ref);
}

static void lcg_profile_free_rcu(struct rcu_head *rcu)
{
	struct lcg_profile *p = container_of(rcu, struct lcg_profile, rcu);

	lcg_kimage_put(rcu_dereference_protected(p->active, 1));
	free_percpu(p->events);
	free_percpu(p->syscalls);
	kfree(p->exe);
	kfree(p->name);
	kfree(p);
	atomic_dec(&lcg_live_profiles);
}

static void lcg_profile_release(struct kref *ref)
{
	struct lcg_profile *p = container_of(ref, struct lcg_profile, ref);

	/* exec may still be walking past it under RCU */
	call_rcu(&p->rcu, lcg_profile_free_rcu);
}

/**
 * lcg_profile_put() - drop a reference to @p
 * @p: a profile, or NULL
 *
 * The profile is freed after a grace period, with its active image: exec
 * may still be walking past it under RCU.  Any context: the last task of a
 * removed profile drops it at exit.
 */
void lcg_profile_put(struct lcg_profile *p)
{
	if (p)
		kref_put(&p->ref, lcg_profile_release);
}

/**
 * lcg_profile_sum() - a per-CPU counter of a profile, summed
 * @counter: the profile's events or syscalls
 *
 * Return: the sum over every possible CPU, for an attribute (not a
 * snapshot: the CPUs keep counting meanwhile).
 */
u64 lcg_profile_sum(u64 __percpu *counter)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(counter, cpu);
	return sum;
}

/* The profile, other than @self, already bound to @k's file; lcg_profiles_lock held. */
static struct lcg_profile *lcg_profile_owning(const struct lcg_kimage *k,
					      const struct lcg_profile *self)
{
	struct lcg_profile *p;
	struct lcg_kimage *other;

	list_for_each_entry(p, &lcg_profiles, node) {
		if (p == self)
			continue;
		other = rcu_dereference_protected(p->active, lockdep_is_held(&lcg_profiles_lock));
		if (other && other->id.dev == k->id.dev && other->id.ino == k->id.ino)
			return p;
	}
	return NULL;
}

/*
 * Bind @k to @exe (the exe attribute when the load began, @gen its
 * generation) and make it the image new execs get.  On failure the previous
 * image stays active: a bad write never silently turns protection off.
 * Binding hashes the binary: no lock is held meanwhile; if exe was written
 * in between, @k is not published.  Consumes @k.
 */
static void lcg_profile_activate(struct lcg_profile *p, struct lcg_kimage *k, const char *exe,
				 u64 gen)
{
	struct lcg_profile *owner;
	struct lcg_kimage *old = NULL;
	char err[sizeof(p->status)], who[64], shown[128];
	const char *keep;
	int ret;

	ret = lcg_kimage_bind(k, exe, err, sizeof(err));
	mutex_lock(&p->lock);
	keep = rcu_access_pointer(p->active) ? " (the previous image stays active)" : "";
	if (ret) {
		snprintf(p->status, sizeof(p->status), "%s%s", err, keep);
		goto out;
	}
	if (p->exe_gen != gen) {
		snprintf(p->status, sizeof(p->status),
			 "error: exe was written while the image was being bound; write the image again%s",
			 keep);
		goto out;
	}
	lcg_sanitize(shown, sizeof(shown), k->exe, false);
	mutex_lock(&lcg_profiles_lock);
	owner = lcg_profile_owning(k, p);
	if (owner) {
		lcg_sanitize(who, sizeof(who), owner->name, false);
		snprintf(p->status, sizeof(p->status),
			 "error: exe %s is already bound to profile %s%s", shown, who, keep);
		mutex_unlock(&lcg_profiles_lock);
		goto out;
	}
	old = rcu_replace_pointer(p->active, k, lockdep_is_held(&lcg_profiles_lock));
	WRITE_ONCE(p->stale, false);
	mutex_unlock(&lcg_profiles_lock);
	strscpy(p->status, "loaded", sizeof(p->status));
	if (lcg_admin_log_allowed()) {
		lcg_sanitize(who, sizeof(who), p->name, true);
		lcg_sanitize(shown, sizeof(shown), k->exe, true);
		pr_info("profile %s loaded for %s (%u states, %u events)\n", who, shown,
			k->img.n_states, k->img.n_events);
	}
	k = NULL;
out:
	mutex_unlock(&p->lock);
	lcg_kimage_put(old);
	lcg_kimage_put(k);
}

/**
 * lcg_profile_set_exe() - the exe attribute was written
 * @p:    the profile
 * @path: what root wrote, without its newline: must be absolute
 *
 * Records @path, then binds a fresh copy of the active image, if any, to the
 * file @path now names (resolved from the initial root); the outcome is left
 * in the status attribute.  Process context, sleeps; takes @p->lock.
 *
 * Return: 0 (whatever the binding's outcome), -EINVAL for a relative path,
 * or -ENOMEM.
 */
int lcg_profile_set_exe(struct lcg_profile *p, const char *path)
{
	struct lcg_kimage *cur, *k;
	const char *reason;
	char *copy;
	u64 gen;

	if (path[0] != '/')
		return -EINVAL;
	copy = kstrdup(path, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	mutex_lock(&p->lock);
	kfree(p->exe);
	p->exe = copy;
	gen = ++p->exe_gen;
	cur = rcu_dereference_protected(p->active, lockdep_is_held(&p->lock));
	if (cur && !lcg_kimage_tryget(cur))
		cur = NULL;
	if (!cur)
		strscpy(p->status, "empty: write image", sizeof(p->status));
	mutex_unlock(&p->lock);
	if (!cur)
		return 0;
	/* the active image's bytes, validated and bound afresh for the new path */
	k = lcg_kimage_load(cur->buf, cur->img.hdr->size, &reason);
	lcg_kimage_put(cur);
	if (k) {
		lcg_profile_activate(p, k, path, gen);
	} else {
		mutex_lock(&p->lock);
		snprintf(p->status, sizeof(p->status), "error: %s", reason);
		mutex_unlock(&p->lock);
	}
	return 0;
}

/**
 * lcg_profile_set_image() - the image attribute was written
 * @p:    the profile
 * @data: the bytes written: copied, then validated
 * @len:  their number
 *
 * configfs hands the image over at close() and ignores the result, so the
 * outcome is left in the status attribute only.  Validation and binding run
 * with no lock held (they may take a while on a large image or binary).
 * Process context, sleeps.
 */
void lcg_profile_set_image(struct lcg_profile *p, const void *data, size_t len)
{
	struct lcg_kimage *k;
	const char *reason;
	char who[64];
	char *exe = NULL;
	u64 gen;

	k = lcg_kimage_load(data, len, &reason);
	mutex_lock(&p->lock);
	if (!k) {
		snprintf(p->status, sizeof(p->status), "error: image rejected: %s%s", reason,
			 rcu_access_pointer(p->active) ? " (the previous image stays active)" : "");
	} else if (!p->exe) {
		snprintf(p->status, sizeof(p->status), "error: write exe before image");
	} else {
		exe = kstrdup(p->exe, GFP_KERNEL);
		if (!exe)
			snprintf(p->status, sizeof(p->status), "error: out of memory");
	}
	gen = p->exe_gen;
	mutex_unlock(&p->lock);
	if (!k) {
		if (lcg_admin_log_allowed()) {
			lcg_sanitize(who, sizeof(who), p->name, true);
			pr_info("profile %s: image rejected: %s\n", who, reason);
		}
		return;
	}
	if (!exe) {
		lcg_kimage_put(k);
		return;
	}
	lcg_profile_activate(p, k, exe, gen);
	kfree(exe);
}

/*
 * The profile's active image, referenced.  Replacement publishes the new
 * image before it drops the old one, so when the old one's count has just
 * reached zero, reading the pointer again finds its successor: an exec
 * racing with a reload gets one image or the other, never none.
 */
static struct lcg_kimage *lcg_profile_image(struct lcg_profile *p)
{
	struct lcg_kimage *k;

	while ((k = rcu_dereference(p->active)) && !lcg_kimage_tryget(k))
		cpu_relax();
	return k;
}

/**
 * lcg_profile_match() - the profile of a binary being exec'ed
 * @exe:   the file being exec'ed
 * @kimg:  set to the profile's image, with a reference, or NULL
 * @stale: set when the binary changed since the profile was loaded (same
 *         file modified, or the path now names another file): the image
 *         must not run it
 *
 * Called under RCU, possibly with preemption off.
 *
 * Return: the profile, with a reference, or NULL when no profile is bound
 * to @exe.
 */
struct lcg_profile *lcg_profile_match(struct file *exe, struct lcg_kimage **kimg, bool *stale)
{
	struct lcg_profile *p;
	struct lcg_kimage *k;

	*kimg = NULL;
	list_for_each_entry_rcu(p, &lcg_profiles, node) {
		/* look without a reference first: most profiles are not this binary's */
		k = rcu_dereference(p->active);
		if (!k || !lcg_kimage_concerns(k, exe, stale))
			continue;
		k = lcg_profile_image(p);
		if (!k)
			continue;
		/* a profile being freed is no longer in the list for new execs */
		if (!lcg_kimage_concerns(k, exe, stale) || !kref_get_unless_zero(&p->ref)) {
			lcg_kimage_put(k);
			continue;
		}
		if (*stale)
			WRITE_ONCE(p->stale, true);
		*kimg = k;
		return p;
	}
	*stale = false;
	return NULL;
}
