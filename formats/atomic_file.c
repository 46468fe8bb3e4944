// SPDX-License-Identifier: GPL-2.0
/* atomic_file.c - temp file or directory + fsync + rename; see atomic_file.h. */
#define _GNU_SOURCE	/* asprintf, mkostemp, renameat2 */
#include "atomic_file.h"
#include "err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A replaced file keeps its permissions; a new one gets @new_mode. */
static mode_t target_mode(const char *path, mode_t new_mode)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return st.st_mode & 07777;
	return new_mode;
}

/* Directory entries (a rename's, a new file's) must reach the disk too. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static void sync_parent_dir(const char *path)
{
	char *copy = strdup(path);

	if (copy)
		sync_dir(dirname(copy));
	free(copy);
}

/* A hidden name beside @path (same file system, so rename is atomic), for mk*temp. */
static char *temp_template(const char *path)
{
	char *copy_dir = strdup(path), *copy_base = strdup(path), *tmp = NULL;

	if (copy_dir && copy_base &&
	    asprintf(&tmp, "%s/.%s.tmp.XXXXXX", dirname(copy_dir), basename(copy_base)) < 0)
		tmp = NULL;
	free(copy_dir);
	free(copy_base);
	return tmp;
}

/* "PATH: STEP: why", and that the previous @what is intact (@what NULL: it is not). */
static int fail_step(const char *path, const char *step, const char *what, char *err,
		     size_t errlen)
{
	int saved = errno;

	if (what)
		lcg_errf(err, errlen, "%s: %s: %s (the previous %s, if any, is unchanged)", path,
			 step, strerror(saved), what);
	else
		lcg_errf(err, errlen, "%s: %s: %s", path, step, strerror(saved));
	errno = saved;
	return -1;
}

int lcg_atomic_open(struct lcg_atomic *a, const char *path, mode_t new_mode,
		    char *err, size_t errlen)
{
	const char *step = "allocating memory";
	int fd = -1;

	memset(a, 0, sizeof(*a));
	a->path = strdup(path);
	a->tmp = temp_template(path);
	if (!a->path || !a->tmp)
		goto fail;
	step = "creating a temporary file in its directory";
	fd = mkostemp(a->tmp, O_CLOEXEC);
	if (fd < 0)
		goto fail;
	if (fchmod(fd, target_mode(path, new_mode)) < 0 || !(a->f = fdopen(fd, "w"))) {
		fail_step(path, step, "file", err, errlen);
		close(fd);
		unlink(a->tmp);
		goto out;
	}
	return 0;
fail:
	fail_step(path, step, "file", err, errlen);
out:
	free(a->path);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
	return -1;
}

static void release(struct lcg_atomic *a)
{
	free(a->path);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
}

void lcg_atomic_abort(struct lcg_atomic *a)
{
	if (!a->f)
		return;
	fclose(a->f);
	unlink(a->tmp);
	release(a);
}

int lcg_atomic_rename(const char *tmp, const char *path, char *err, size_t errlen)
{
	if (rename(tmp, path) < 0)
		return fail_step(path, "renaming the temporary file over it", "file", err, errlen);
	sync_parent_dir(path);
	return 0;
}

int lcg_atomic_commit(struct lcg_atomic *a, char *err, size_t errlen)
{
	const char *step = "writing";
	int rc;

	if (fflush(a->f) != 0 || ferror(a->f))
		goto fail;
	step = "flushing to disk";
	if (fsync(fileno(a->f)) < 0)
		goto fail;
	step = "closing";
	rc = fclose(a->f);
	a->f = NULL;
	if (rc != 0)
		goto fail;
	if (lcg_atomic_rename(a->tmp, a->path, err, errlen))
		goto drop;
	release(a);
	return 0;
fail:
	fail_step(a->path, step, "file", err, errlen);
drop:
	if (a->f)
		fclose(a->f);
	unlink(a->tmp);
	release(a);
	return -1;
}

int lcg_write_file_atomic(const char *path, const void *buf, size_t len,
			  char *err, size_t errlen)
{
	struct lcg_atomic a;

	if (lcg_atomic_open(&a, path, 0644, err, errlen))
		return -1;
	if (len && fwrite(buf, 1, len, a.f) != len) {
		fail_step(path, "writing", "file", err, errlen);
		lcg_atomic_abort(&a);
		return -1;
	}
	return lcg_atomic_commit(&a, err, errlen);
}

int lcg_write_file_new(const char *path, const void *buf, size_t len, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	const char *step = "writing";
	FILE *f = NULL;

	/* 0644 whatever the umask, as lcg_write_file_atomic() gives a new file */
	if (fd < 0 || fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w"))) {
		fail_step(path, "creating", NULL, err, errlen);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((len && fwrite(buf, 1, len, f) != len) || fflush(f) != 0)
		goto fail;
	step = "flushing to disk";
	if (fsync(fd) < 0)
		goto fail;
	step = "closing";
	if (fclose(f) != 0)
		return fail_step(path, step, NULL, err, errlen);
	return 0;
fail:
	fail_step(path, step, NULL, err, errlen);
	fclose(f);
	return -1;
}

int lcg_atomic_dir_create(const char *path, char **tmp, char *err, size_t errlen)
{
	*tmp = temp_template(path);
	if (!*tmp)
		return fail_step(path, "allocating memory", "directory", err, errlen);
	if (!mkdtemp(*tmp) || chmod(*tmp, 0755) < 0) {
		fail_step(path, "creating a temporary directory beside it", "directory", err, errlen);
		rmdir(*tmp);
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	return 0;
}

/* Some file systems leave d_type unknown: ask then. */
static bool is_regular(DIR *d, const struct dirent *e)
{
	struct stat st;

	if (e->d_type != DT_UNKNOWN)
		return e->d_type == DT_REG;
	return fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/*
 * @path opened as a directory holding only @ours entries; NULL with @err
 * set otherwise (errno ENOENT, and @err empty, when there is none).
 */
static DIR *open_owned_dir(const char *path, lcg_dir_owned_fn ours, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	*err = '\0';
	if (!d) {
		if (errno == ENOTDIR || errno == ELOOP)
			lcg_errf(err, errlen, "%s: a file of that name is in the way (it is not a "
				 "directory lcg wrote): move it away", path);
		else if (errno != ENOENT)
			lcg_errf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    (!is_regular(d, e) || !ours(e->d_name))) {
			lcg_errf(err, errlen, "%s holds %s, which lcg did not write: move it away",
				 path, e->d_name);
			closedir(d);
			errno = EEXIST;
			return NULL;
		}
	rewinddir(d);
	return d;
}

/* Empty @d (all owned entries) and remove @path, its name. */
static int remove_owned(DIR *d, const char *path, char *err, size_t errlen)
{
	struct dirent *e;
	int rc = 0;

	while (!rc && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    unlinkat(dirfd(d), e->d_name, 0) && errno != ENOENT)
			rc = fail_step(path, "removing its files", NULL, err, errlen);
	closedir(d);
	if (!rc && rmdir(path) && errno != ENOENT)
		rc = fail_step(path, "removing it", NULL, err, errlen);
	return rc;
}

int lcg_atomic_dir_remove(const char *path, lcg_dir_owned_fn ours, char *err, size_t errlen)
{
	DIR *d = open_owned_dir(path, ours, err, errlen);

	if (!d)
		return *err ? -1 : 0;
	return remove_owned(d, path, err, errlen);
}

int lcg_atomic_dir_install(const char *tmp, const char *path, lcg_dir_owned_fn ours,
			   char *err, size_t errlen)
{
	DIR *old = open_owned_dir(path, ours, err, errlen);

	if (!old && *err)
		return -1;
	sync_dir(tmp);
	/* swapped in one step: the old directory is then under the temporary name */
	if (old ? renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE)
		: rename(tmp, path)) {
		fail_step(path, "renaming the temporary directory over it", "directory", err,
			  errlen);
		if (old)
			closedir(old);
		return -1;
	}
	sync_parent_dir(path);
	return old ? remove_owned(old, tmp, err, errlen) : 0;
}
