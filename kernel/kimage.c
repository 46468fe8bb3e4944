// SPDX-License-Identifier: GPL-2.0
/*
 * kimage.c - a policy image as the kernel keeps it: copied out of the
 * configfs buffer, validated by the shared validator, then bound to the
 * executable it was made for (path resolved, SHA-256 checked, identity
 * recorded so that a binary changed later is recognised as stale).
 */
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/sha2.h>

#include "lcg.h"

/* Bytes hashed per kernel_read(): large enough to be quick, small enough for kmalloc. */
#define LCG_HASH_CHUNK (64 * 1024)

atomic_t lcg_live_images = ATOMIC_INIT(0);

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
 * lcg_kimage_bind() - tie @k to the executable at @path: it must be a
 * regular file whose SHA-256 is the one the policy was made for, and must not
 * change while it is hashed.  Fills k->id and k->exe; @err says what failed.
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
	if (ret)
		snprintf(err, errlen, "error: exe %s: cannot name it (errno %d)", path, -ret);
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

/* Callable from any context; exec may still be looking at @k under RCU. */
void lcg_kimage_put(struct lcg_kimage *k)
{
	if (k && refcount_dec_and_test(&k->ref))
		call_rcu(&k->rcu, lcg_kimage_free_rcu);
}
