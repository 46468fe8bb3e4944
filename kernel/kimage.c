// SPDX-License-Identifier: GPL-2.0
/*
 * kimage.c - a policy image as the kernel keeps it: copied out of the
 * configfs buffer, validated by the shared validator, then bound to the
 * executable it was made for (path resolved, SHA-256 checked, identity
 * recorded so that a binary changed later is recognised as stale), with a
 * uprobe at the program's entry point that ends start-up.
 */
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uprobes.h>
#include <linux/workqueue.h>
#include <crypto/sha2.h>

#include "lcg.h"

/* Bytes hashed per kernel_read(): large enough to be quick, small enough for kmalloc. */
#define LCG_HASH_CHUNK (64 * 1024)

atomic_t lcg_live_images = ATOMIC_INIT(0);

/* releases images whose entry uprobe must be unregistered (that sleeps) */
static struct workqueue_struct *lcg_release_wq;

static void lcg_kimage_release(struct work_struct *work);

struct lcg_kimage *lcg_kimage_load(const void *data, size_t len, const char **reason)
{
	struct lcg_kimage *k;

	if (len > LCG_IMAGE_MAX_BYTES) {
		*reason = "image larger than LCG_IMAGE_MAX_BYTES";
		return NULL;
	}
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		goto oom;
	/* the validator wants 8-aligned memory; kvmalloc gives at least that */
	k->buf = kvmalloc(len ? len : 1, GFP_KERNEL);
	if (!k->buf)
		goto oom;
	memcpy(k->buf, data, len);
	*reason = lcg_image_validate(&k->img, k->buf, len);
	if (*reason) {
		kvfree(k->buf);
		kfree(k);
		return NULL;
	}
	refcount_set(&k->ref, 1);
	INIT_WORK(&k->release, lcg_kimage_release);
	atomic_inc(&lcg_live_images);
	return k;
oom:
	if (k)
		kfree(k);
	*reason = "out of memory";
	return NULL;
}

static void lcg_exe_id_read(struct lcg_exe_id *id, const struct inode *inode)
{
	id->dev = inode->i_sb->s_dev;
	id->ino = inode->i_ino;
	id->mtime = inode->i_mtime;
	id->ctime = inode->i_ctime;
	id->size = i_size_read(inode);
}

static bool lcg_exe_id_equal(const struct lcg_exe_id *a, const struct lcg_exe_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       timespec64_equal(&a->mtime, &b->mtime) && timespec64_equal(&a->ctime, &b->ctime);
}

bool lcg_exe_id_same_file(const struct lcg_exe_id *id, const struct inode *inode)
{
	return id->dev == inode->i_sb->s_dev && id->ino == inode->i_ino;
}

/* Same file, and unchanged: any write or metadata change moves ctime. */
bool lcg_exe_id_matches(const struct lcg_exe_id *id, const struct inode *inode)
{
	return lcg_exe_id_same_file(id, inode) &&
	       timespec64_equal(&id->mtime, &inode->i_mtime) &&
	       timespec64_equal(&id->ctime, &inode->i_ctime) &&
	       id->size == i_size_read(inode);
}

static int lcg_hash_file(struct file *f, u8 out[SHA256_DIGEST_SIZE])
{
	struct sha256_state st;
	loff_t pos = 0;
	ssize_t n;
	u8 *chunk;

	chunk = kmalloc(LCG_HASH_CHUNK, GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	sha256_init(&st);
	while ((n = kernel_read(f, chunk, LCG_HASH_CHUNK, &pos)) > 0) {
		sha256_update(&st, chunk, n);
		cond_resched();
	}
	sha256_final(&st, out);
	kfree(chunk);
	return n < 0 ? n : 0;
}

static int lcg_kimage_set_path(struct lcg_kimage *k, const struct path *path)
{
	char *buf, *p;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	p = d_path(path, buf, PATH_MAX);
	if (IS_ERR(p)) {
		kfree(buf);
		return PTR_ERR(p);
	}
	k->exe = kstrdup(p, GFP_KERNEL);
	kfree(buf);
	if (!k->exe)
		return -ENOMEM;
	k->exe_base = strrchr(k->exe, '/');
	k->exe_base = k->exe_base ? k->exe_base + 1 : k->exe;
	return 0;
}

/*
 * The program's entry point runs in a task: start-up (the dynamic loader's
 * work, not checked) is over.  Process context, from the breakpoint trap.
 */
static int lcg_entry_hit(struct uprobe_consumer *uc, struct pt_regs *regs)
{
	struct lcg_kimage *k = container_of(uc, struct lcg_kimage, entry_probe);
	struct lcg_task *lt;

	if (!lcg_tasks_monitored())
		return 0;
	rcu_read_lock();
	lt = lcg_task_find(current);
	/* every image of this binary has a consumer here: its own tasks only */
	if (lt && lt->kimg == k)
		lcg_monitor_enter_program(&lt->mon);
	rcu_read_unlock();
	return 0;
}

/*
 * A uprobe at the entry point the policy records, on the binary @f, for as
 * long as @k lives; none for a policy that records none (start-up then ends
 * at the first event).  The uprobe needs the inode alive: @k keeps the path.
 */
static int lcg_kimage_probe_entry(struct lcg_kimage *k, struct file *f, char *err,
				  size_t errlen)
{
	u64 entry = k->img.hdr->entry;
	int ret;

	if (entry == LCG_NO_ENTRY)
		return 0;
	k->entry_probe.handler = lcg_entry_hit;
	k->entry_path = f->f_path;
	path_get(&k->entry_path);
	/* on overlayfs, the mappings (and so the uprobe) are the real file's */
	k->entry_inode = d_real_inode(k->entry_path.dentry);
	ret = entry > LLONG_MAX ? -EINVAL : uprobe_register(k->entry_inode, entry, &k->entry_probe);
	if (ret) {
		path_put(&k->entry_path);
		snprintf(err, errlen,
			 "error: exe %s: cannot place the start-up probe at its entry point (offset %llu, errno %d)",
			 k->exe, entry, -ret);
		return ret;
	}
	k->has_entry_probe = true;
	return 0;
}

/*
 * lcg_kimage_bind() - tie @k to the executable at @path: it must be a
 * regular file whose SHA-256 is the one the policy was made for, and must not
 * change while it is hashed.  Fills k->id and k->exe and places the entry
 * uprobe; @err says what failed.  Process context (it sleeps).
 */
int lcg_kimage_bind(struct lcg_kimage *k, const char *path, char *err, size_t errlen)
{
	u8 digest[SHA256_DIGEST_SIZE];
	struct lcg_exe_id after;
	struct file *f;
	int ret;

	f = filp_open(path, O_RDONLY | O_LARGEFILE, 0);
	if (IS_ERR(f)) {
		snprintf(err, errlen, "error: exe %s: cannot open (errno %ld)", path, -PTR_ERR(f));
		return PTR_ERR(f);
	}
	ret = -EINVAL;
	if (!S_ISREG(file_inode(f)->i_mode)) {
		snprintf(err, errlen, "error: exe %s: not a regular file", path);
		goto out;
	}
	lcg_exe_id_read(&k->id, file_inode(f));
	ret = lcg_hash_file(f, digest);
	if (ret) {
		snprintf(err, errlen, "error: exe %s: read failed (errno %d)", path, -ret);
		goto out;
	}
	lcg_exe_id_read(&after, file_inode(f));
	ret = -EAGAIN;
	if (!lcg_exe_id_equal(&after, &k->id)) {
		snprintf(err, errlen, "error: exe %s: changed while it was hashed; load again", path);
		goto out;
	}
	ret = -EKEYREJECTED;
	if (memcmp(digest, k->img.hdr->sha256, sizeof(digest))) {
		snprintf(err, errlen,
			 "error: exe %s: SHA-256 differs from the policy's; rebuild the policy", path);
		goto out;
	}
	ret = lcg_kimage_set_path(k, &f->f_path);
	if (ret) {
		snprintf(err, errlen, "error: exe %s: cannot name it (errno %d)", path, -ret);
		goto out;
	}
	ret = lcg_kimage_probe_entry(k, f, err, errlen);
out:
	fput(f);
	return ret;
}

bool lcg_kimage_tryget(struct lcg_kimage *k)
{
	return refcount_inc_not_zero(&k->ref);
}

static void lcg_kimage_free_rcu(struct rcu_head *rcu)
{
	struct lcg_kimage *k = container_of(rcu, struct lcg_kimage, rcu);

	/* kvfree defers vfree itself when called from this softirq context */
	kvfree(k->buf);
	kfree(k->exe);
	kfree(k);
	atomic_dec(&lcg_live_images);
}

/* Process context: unregistering a uprobe sleeps. */
static void lcg_kimage_release(struct work_struct *work)
{
	struct lcg_kimage *k = container_of(work, struct lcg_kimage, release);

	/* once it returns, lcg_entry_hit() no longer runs for @k */
	uprobe_unregister(k->entry_inode, k->img.hdr->entry, &k->entry_probe);
	path_put(&k->entry_path);
	call_rcu(&k->rcu, lcg_kimage_free_rcu);
}

/* Callable from any context; exec may still be looking at @k under RCU. */
void lcg_kimage_put(struct lcg_kimage *k)
{
	if (!k || !refcount_dec_and_test(&k->ref))
		return;
	if (k->has_entry_probe)
		queue_work(lcg_release_wq, &k->release);
	else
		call_rcu(&k->rcu, lcg_kimage_free_rcu);
}

int lcg_kimages_init(void)
{
	lcg_release_wq = alloc_workqueue("lcg_release", 0, 0);
	return lcg_release_wq ? 0 : -ENOMEM;
}

/*
 * Module unload, once nothing references an image any more: wait for the
 * releases in flight (each ends with a call_rcu(), for the caller's barrier).
 */
void lcg_kimages_exit(void)
{
	destroy_workqueue(lcg_release_wq);
}
