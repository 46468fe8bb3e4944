// SPDX-License-Identifier: GPL-2.0
/* atomic_file.c - temp file + fsync + rename; see atomic_file.h. */
#define _GNU_SOURCE	/* asprintf, mkostemp */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A replaced file keeps its permissions; a new one gets 0644. */
static mode_t target_mode(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return st.st_mode & 07777;
	return 0644;
}

/* The directory entry of the rename must reach the disk too. */
static void sync_parent_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	fsync(fd);
	close(fd);
}

int lcg_write_file_atomic(const char *path, const void *buf, size_t len,
			  char *err, size_t errlen)
{
	char *copy_dir = strdup(path), *copy_base = strdup(path);
	char *tmp = NULL;
	const char *dir, *base, *step = "allocating memory";
	int fd = -1, saved, rc = -1;

	if (!copy_dir || !copy_base)
		goto out;
	dir = dirname(copy_dir);
	base = basename(copy_base);

	/* A hidden name beside the target: same file system, so rename is atomic. */
	if (asprintf(&tmp, "%s/.%s.tmp.XXXXXX", dir, base) < 0) {
		tmp = NULL;
		goto out;
	}
	step = "creating a temporary file in its directory";
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		free(tmp);
		tmp = NULL;
		goto out;
	}
	step = "writing";
	if (fchmod(fd, target_mode(path)) < 0 || write_all(fd, buf, len) < 0)
		goto out;
	step = "flushing to disk";
	if (fsync(fd) < 0)
		goto out;
	step = "closing";
	saved = close(fd);
	fd = -1;
	if (saved < 0)
		goto out;
	step = "renaming the temporary file over it";
	if (rename(tmp, path) < 0)
		goto out;
	free(tmp);
	tmp = NULL;
	sync_parent_dir(dir);
	rc = 0;
out:
	saved = errno;
	if (rc < 0)
		snprintf(err, errlen, "%s: %s: %s (the previous file, if any, is unchanged)",
			 path, step, strerror(saved));
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(copy_dir);
	free(copy_base);
	errno = saved;
	return rc;
}
