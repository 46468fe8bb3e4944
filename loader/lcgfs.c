// SPDX-License-Identifier: GPL-2.0
/*
 * lcgfs.c - access to /sys/kernel/config/lcg for lcg-load and lcg-status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lcgfs.h"

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int lcgfs_ready(const char *prog)
{
	if (geteuid() != 0) {
		fprintf(stderr, "%s: must run as root: the lcg configfs tree is root-only\n", prog);
		return -1;
	}
	if (!exists("/sys/module/lcg")) {
		fprintf(stderr, "%s: the lcg kernel module is not loaded: modprobe lcg (or insmod lcg.ko)\n", prog);
		return -1;
	}
	if (!exists(LCGFS_ROOT)) {
		fprintf(stderr, "%s: %s missing: mount configfs with "
			"'mount -t configfs none /sys/kernel/config'\n", prog, LCGFS_ROOT);
		return -1;
	}
	return 0;
}

int lcgfs_valid_name(const char *name)
{
	const char *c;

	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	for (c = name; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
			return 0;
	}
	return c - name < 200;
}

static int attr_path(char *buf, size_t size, const char *name, const char *attr)
{
	int n = snprintf(buf, size, LCGFS_PROFILES "/%s/%s", name, attr);

	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int lcgfs_read(const char *name, const char *attr, char *buf, size_t size)
{
	char path[512];
	ssize_t n;
	int fd;

	if (attr_path(path, sizeof(path), name, attr))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return 0;
}

int lcgfs_write(const char *name, const char *attr, const void *data, size_t len)
{
	const char *p = data;
	char path[512];
	ssize_t n;
	int fd, saved;

	if (attr_path(path, sizeof(path), name, attr))
		return -1;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* configfs collects a binary attribute across writes and takes it at close() */
	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		p += n;
		len -= n;
	}
	return close(fd);
}
