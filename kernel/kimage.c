// SPDX-License-Identifier: GPL-2.0
/*
 * kimage.c - a policy image as the kernel keeps it: copied out of the
 * configfs buffer, validated by the shared validator, then bound to the
 * executable it was made for (path resolved from the initial root, type
 * checked before the file is opened, SHA-256 checked, identity recorded so
 * that a binary changed later is recognised as stale), with a uprobe at the
 * program's entry point that ends start-up.
 *
 * Process context (a configfs write), no lock of lcg's held: validating and
 * hashing are long work; both reschedule, and hashing stops at a fatal
 * signal.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/elf.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/namei.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
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

/**
 * lcg_kimage_load() - copy and validate an image written to configfs
 * @data:   the bytes written to the image attribute: anyone's choice until
 *          validated
 * @len:    their number
 * @reason: set to why the image is refused (a static string)
 *
 * The validator checks the copy, which is what the monitor then runs on:
 * user space cannot change it afterwards.  An image of a policy never
 * finalised (no pins) is refused.  Process context, sleeps.
 *
 * Return: a new image with one reference, not yet bound to its binary, or
 * NULL (*@reason says why).
 */
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
	/*
	 * The pin check cannot be switched off by a flag in the image: an
	 * image of a policy never finalised (no pins, no binary digest) is
	 * refused here, not run with every offset accepted.
	 */
	if (!*reason && !(k->img.hdr->flags & LCG_IMG_PINNED))
		*reason = "not finalised (no pins): finalise the policy against its binary (lcg-analyze finalize)";
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

/**
 * lcg_exe_id_same_file() - is @inode the file @id was recorded from?
 * @id:    an identity recorded when an image was bound
 * @inode: a real inode (lcg_real_inode())
 *
 * Return: true when device and inode number are the same, changed or not.
 */
bool lcg_exe_id_same_file(const struct lcg_exe_id *id, const struct inode *inode)
{
	return id->dev == inode->i_sb->s_dev && id->ino == inode->i_ino;
}

/**
 * lcg_exe_id_matches() - is @inode the file @id was recorded from, unchanged?
 * @id:    an identity recorded when an image was bound
 * @inode: a real inode (lcg_real_inode())
 *
 * Any write or metadata change moves ctime.
 *
 * Return: true when it is the same file with the same size, mtime and ctime.
 */
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
		/* a large binary, or a slow file system: the writer may give up */
		if (fatal_signal_pending(current)) {
			n = -EINTR;
			break;
		}
		cond_resched();
	}
	sha256_final(&st, out);
	kfree(chunk);
	return n < 0 ? n : 0;
}

/* Program headers read from a binary at most: more is not an executable lcg knows. */
#define LCG_MAX_PHDRS 64

/*
 * The image's flags and entry point say things about the binary that the
 * kernel can check in its ELF headers: the entry point (where the start-up
 * uprobe goes: an offset inside an instruction would corrupt the program)
 * and whether it is statically linked (which turns the origin check off).
 * An image that disagrees is refused; the digest alone does not vouch for
 * them.  Return NULL, or what is wrong.
 */
static const char *lcg_check_elf(struct file *f, const struct lcg_image *img)
{
	Elf64_Phdr *ph = NULL;
	bool is_static = true, found = false;
	const char *why = NULL;
	u64 entry = 0;
	Elf64_Ehdr eh;
	loff_t pos = 0;
	size_t size;
	u16 i;

	if (kernel_read(f, &eh, sizeof(eh), &pos) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(*ph) || !eh.e_phnum || eh.e_phnum > LCG_MAX_PHDRS)
		return "not a 64-bit ELF executable lcg knows";
	size = (size_t)eh.e_phnum * sizeof(*ph);
	ph = kmalloc(size, GFP_KERNEL);
	if (!ph)
		return "out of memory";
	pos = eh.e_phoff;
	if (kernel_read(f, ph, size, &pos) != size) {
		why = "cannot read its program headers";
		goto out;
	}
	for (i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			is_static = false;
		if (!found && ph[i].p_type == PT_LOAD && eh.e_entry >= ph[i].p_vaddr &&
		    eh.e_entry - ph[i].p_vaddr < ph[i].p_filesz) {
			entry = ph[i].p_offset + (eh.e_entry - ph[i].p_vaddr);
			found = true;
		}
	}
	if (!found)
		why = "its entry point lies outside every loaded segment";
	else if (img->hdr->entry != entry)
		why = "the image's entry point is not the binary's";
	else if (!!(img->hdr->flags & LCG_IMG_STATIC) != is_static)
		why = is_static ? "the image says dynamically linked, the binary is static" :
				  "the image says statically linked, the binary is not";
out:
	kfree(ph);
	return why;
}

/*
 * Resolve @name from the initial root (init_task's), not from the writer's:
 * a writer in a chroot or another mount namespace names the same file as
 * everyone else, and a writer that is exiting (no fs_struct) can be served.  Symbolic links are followed (within that root).  An O_PATH
 * open resolves without opening: no open method runs (a FIFO's would block,
 * a device's could act).
 */
static int lcg_lookup_exe(const char *name, struct path *out)
{
	struct path root;
	struct file *f;

	get_fs_root(init_task.fs, &root);
	f = file_open_root(&root, name, O_PATH, 0);
	path_put(&root);
	if (IS_ERR(f))
		return PTR_ERR(f);
	*out = f->f_path;
	path_get(out);
	fput(f);
	return 0;
}

/*
 * The writer's root is the initial one: d_path() then names the file from
 * it.  A writer that is exiting has no root any more: configfs hands an
 * image over at the last close, which for a process that ends without
 * closing the file runs in do_exit(), after exit_fs().
 */
static bool lcg_in_init_root(void)
{
	struct path mine, init;
	bool same;

	if (!current->fs)
		return false;
	get_fs_root(current->fs, &mine);
	get_fs_root(init_task.fs, &init);
	same = path_equal(&mine, &init);
	path_put(&mine);
	path_put(&init);
	return same;
}

/*
 * The binary's name for log lines and status: its canonical path, or, for a
 * writer whose root is not the initial one (d_path() would name it from that
 * root), the name written, which was resolved from the initial root.
 */
static int lcg_kimage_set_name(struct lcg_kimage *k, const struct path *path, const char *written)
{
	char *buf, *p;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	p = lcg_in_init_root() ? d_path(path, buf, PATH_MAX) : ERR_PTR(-EXDEV);
	k->exe = kstrdup(IS_ERR(p) ? written : p, GFP_KERNEL);
	kfree(buf);
	return k->exe ? 0 : -ENOMEM;
}

/* Where the binary was found, as VFS objects: its directory and its name. */
static int lcg_kimage_set_place(struct lcg_kimage *k, const struct path *path)
{
	struct name_snapshot name;

	take_dentry_name_snapshot(&name, path->dentry);
	k->name = kstrdup(name.name.name, GFP_KERNEL);
	release_dentry_name_snapshot(&name);
	if (!k->name)
		return -ENOMEM;
	k->path = *path;
	path_get(&k->path);
	k->dir = dget_parent(path->dentry);
	return 0;
}

/**
 * lcg_kimage_in_place() - is @exe at the place @k's binary was found?
 * @exe: the file being exec'ed, not the one @k was bound to
 * @k:   an image
 *
 * Compares VFS objects, never resolves a path: chroots and mount namespaces
 * do not matter.  Any context (takes the dentry's spinlock).
 *
 * Return: true when @exe has the same directory and name: the binary was
 * replaced there (rename, or delete and create).
 */
static bool lcg_kimage_in_place(const struct file *exe, const struct lcg_kimage *k)
{
	struct dentry *d = exe->f_path.dentry;
	bool same;

	if (READ_ONCE(d->d_parent) != k->dir)
		return false;
	spin_lock(&d->d_lock);
	same = d->d_parent == k->dir && !strcmp(d->d_name.name, k->name);
	spin_unlock(&d->d_lock);
	return same;
}

/**
 * lcg_kimage_concerns() - is @k bound to @exe, the binary being exec'ed?
 * @k:     an image, under RCU or referenced
 * @exe:   the file being exec'ed
 * @stale: set when @exe is @k's file but changed since (size, mtime, ctime),
 *         or another file at the place @k's was found
 *
 * Identity is the real inode (lcg_real_inode()): a program on overlayfs is
 * recognised through the overlay and through its layer alike.  Any context.
 *
 * Return: true when @exe is @k's binary, or stands in its place (then
 * *@stale is set and @k must not run it).
 */
bool lcg_kimage_concerns(const struct lcg_kimage *k, const struct file *exe, bool *stale)
{
	const struct inode *inode = lcg_real_inode(exe);

	if (lcg_exe_id_same_file(&k->id, inode)) {
		*stale = !lcg_exe_id_matches(&k->id, inode);
		return true;
	}
	*stale = lcg_kimage_in_place(exe, k);
	return *stale;
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
static int lcg_kimage_probe_entry(struct lcg_kimage *k, const char *shown, char *err,
				  size_t errlen)
{
	u64 entry = k->img.hdr->entry;
	int ret;

	if (entry == LCG_NO_ENTRY)
		return 0;
	k->entry_probe.handler = lcg_entry_hit;
	/* on overlayfs, the mappings (and so the uprobe) are the real file's */
	k->entry_inode = d_real_inode(k->path.dentry);
	ret = entry > LLONG_MAX ? -EINVAL : uprobe_register(k->entry_inode, entry, &k->entry_probe);
	if (ret) {
		snprintf(err, errlen,
			 "error: exe %s: cannot place the start-up probe at its entry point (offset %llu, errno %d)",
			 shown, entry, -ret);
		return ret;
	}
	k->has_entry_probe = true;
	return 0;
}

/**
 * lcg_kimage_bind() - tie @k to the executable at @name.
 * @k:      a validated image, not yet published
 * @name:   the exe attribute: an absolute path, resolved from the initial root
 * @err:    what failed, for the status attribute (sanitised)
 * @errlen: its size
 *
 * The file must be a regular file, checked before it is opened (a FIFO
 * would block the open, a device could act on it), whose SHA-256 is the one
 * the policy was made for, must not change while it is hashed, and its ELF
 * headers must agree with the image's entry point and static flag.  Fills
 * k->id (of the real inode), k->exe, where the file was found, and places
 * the entry uprobe.  Process context, sleeps; no lock of lcg's held.
 *
 * Return: 0 or a negative errno (@err says why).
 */
int lcg_kimage_bind(struct lcg_kimage *k, const char *name, char *err, size_t errlen)
{
	u8 digest[SHA256_DIGEST_SIZE];
	struct lcg_exe_id after;
	const char *elf_why;
	char shown[128];
	struct path path;
	struct file *f;
	int ret;

	lcg_sanitize(shown, sizeof(shown), name, false);
	ret = lcg_lookup_exe(name, &path);
	if (ret) {
		snprintf(err, errlen, "error: exe %s: cannot resolve it (errno %d)", shown, -ret);
		return ret;
	}
	/* the type from the dentry: nothing but a regular file is ever opened */
	if (!d_is_reg(path.dentry)) {
		snprintf(err, errlen, "error: exe %s: not a regular file", shown);
		path_put(&path);
		return -EINVAL;
	}
	f = dentry_open(&path, O_RDONLY | O_LARGEFILE, current_cred());
	if (IS_ERR(f)) {
		snprintf(err, errlen, "error: exe %s: cannot open (errno %ld)", shown, -PTR_ERR(f));
		path_put(&path);
		return PTR_ERR(f);
	}
	ret = -EINVAL;
	if (!S_ISREG(file_inode(f)->i_mode)) {
		snprintf(err, errlen, "error: exe %s: not a regular file", shown);
		goto out;
	}
	lcg_exe_id_read(&k->id, lcg_real_inode(f));
	ret = lcg_hash_file(f, digest);
	if (ret) {
		snprintf(err, errlen, "error: exe %s: read failed (errno %d)", shown, -ret);
		goto out;
	}
	lcg_exe_id_read(&after, lcg_real_inode(f));
	ret = -EAGAIN;
	if (!lcg_exe_id_equal(&after, &k->id)) {
		snprintf(err, errlen, "error: exe %s: changed while it was hashed; load again", shown);
		goto out;
	}
	ret = -EKEYREJECTED;
	if (memcmp(digest, k->img.hdr->sha256, sizeof(digest))) {
		snprintf(err, errlen,
			 "error: exe %s: SHA-256 differs from the policy's; rebuild the policy", shown);
		goto out;
	}
	elf_why = lcg_check_elf(f, &k->img);
	if (elf_why) {
		snprintf(err, errlen, "error: exe %s: %s", shown, elf_why);
		goto out;
	}
	ret = lcg_kimage_set_name(k, &f->f_path, name);
	if (!ret)
		ret = lcg_kimage_set_place(k, &f->f_path);
	if (ret) {
		snprintf(err, errlen, "error: exe %s: cannot name it (errno %d)", shown, -ret);
		goto out;
	}
	lcg_sanitize(shown, sizeof(shown), k->exe, false);
	ret = lcg_kimage_probe_entry(k, shown, err, errlen);
out:
	fput(f);
	path_put(&path);
	return ret;
}

/**
 * lcg_kimage_tryget() - take a reference to @k unless it is being released
 * @k: an image found under RCU or under a profile's lock
 *
 * Return: true when the reference was taken.
 */
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
	kfree(k->name);
	kfree(k);
	atomic_dec(&lcg_live_images);
}

/* Process context: unregistering a uprobe and putting a path sleep. */
static void lcg_kimage_release(struct work_struct *work)
{
	struct lcg_kimage *k = container_of(work, struct lcg_kimage, release);

	/* once it returns, lcg_entry_hit() no longer runs for @k */
	if (k->has_entry_probe)
		uprobe_unregister(k->entry_inode, k->img.hdr->entry, &k->entry_probe);
	dput(k->dir);
	if (k->path.dentry)
		path_put(&k->path);
	call_rcu(&k->rcu, lcg_kimage_free_rcu);
}

/**
 * lcg_kimage_put() - drop a reference to @k
 * @k: an image, or NULL
 *
 * The last reference queues the release (unregistering the entry uprobe and
 * putting the path sleep); the memory goes after a grace period, since exec
 * may still be looking at @k under RCU.  Any context.
 */
void lcg_kimage_put(struct lcg_kimage *k)
{
	if (!k || !refcount_dec_and_test(&k->ref))
		return;
	queue_work(lcg_release_wq, &k->release);
}

/**
 * lcg_kimages_init() - create the workqueue that releases images
 *
 * Return: 0 or -ENOMEM.
 */
int lcg_kimages_init(void)
{
	lcg_release_wq = alloc_workqueue("lcg_release", 0, 0);
	return lcg_release_wq ? 0 : -ENOMEM;
}

/**
 * lcg_kimages_exit() - wait for the image releases in flight
 *
 * Module unload, once nothing references an image any more.  Each release
 * ends with a call_rcu(), for the caller's rcu_barrier().
 */
void lcg_kimages_exit(void)
{
	destroy_workqueue(lcg_release_wq);
}
