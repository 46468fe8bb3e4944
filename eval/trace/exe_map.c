// SPDX-License-Identifier: GPL-2.0
/* exe_map.c - run-time address to executable file offset via /proc/PID/maps. */
#include "exe_map.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/*
 * PROCMAP_QUERY (Linux 6.11, uapi/linux/fs.h): one vma by address, without
 * formatting and parsing the whole maps file (4 us instead of 18 here).
 * Defined here because Debian 12's headers predate it.
 */
struct procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};

#define PROCMAP_QUERY _IOWR('f', 17, struct procmap_query)
#define PROCMAP_QUERY_VMA_EXECUTABLE 0x04

/*
 * Format (fs/proc/task_mmu.c): "start-end perms offset dev inode   path",
 * numbers in hex except the inode; the path is padded with spaces and may
 * itself contain spaces, so it is everything after the inode's padding.
 */
bool maps_parse_line(const char *line, struct maps_entry *e)
{
	char perms[5];
	unsigned long long start, end, offset;
	unsigned int major, minor;
	unsigned long long inode;
	int path_at = -1;

	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu %n", &start, &end, perms, &offset,
		   &major, &minor, &inode, &path_at) < 7)
		return false;
	if (start > end || strlen(perms) != 4)
		return false;
	e->start = start;
	e->end = end;
	e->offset = offset;
	e->exec = perms[2] == 'x';
	e->path = path_at >= 0 ? line + path_at : "";
	return true;
}

/* 1, 0 or -1 as exe_map_offset(); -2 when the kernel lacks PROCMAP_QUERY. */
static int query_offset(int fd, const char *exe, uint64_t addr, uint64_t *offset)
{
	char name[PATH_MAX];
	struct procmap_query q = {
		.size = sizeof(q),
		.query_addr = addr,
		.vma_name_size = sizeof(name),
		.vma_name_addr = (uint64_t)(uintptr_t)name,
	};

	if (ioctl(fd, PROCMAP_QUERY, &q) != 0) {
		if (errno == ENOENT)
			return 0;	/* no vma there */
		return errno == ENOTTY || errno == EINVAL ? -2 : -1;
	}
	if (!(q.vma_flags & PROCMAP_QUERY_VMA_EXECUTABLE) || !q.vma_name_size ||
	    strcmp(name, exe) != 0)
		return 0;
	*offset = addr - q.vma_start + q.vma_offset;
	return 1;
}

/*
 * The mapping of @f (a maps file) holding @addr, its path copied to @path.
 * Return 1, or 0 when no mapping holds @addr.
 */
static int scan_maps(FILE *f, uint64_t addr, struct maps_entry *e, char *path, size_t len)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int found = 0;

	while (!found && (n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (!maps_parse_line(line, e) || addr < e->start || addr >= e->end)
			continue;
		snprintf(path, len, "%s", e->path);
		e->path = path;
		found = 1;	/* mappings do not overlap: this is the only one */
	}
	free(line);
	return found;
}

static int scan_offset(FILE *f, const char *exe, uint64_t addr, uint64_t *offset)
{
	char path[PATH_MAX];
	struct maps_entry e;

	if (!scan_maps(f, addr, &e, path, sizeof(path)) || !e.exec || strcmp(path, exe) != 0)
		return 0;
	*offset = addr - e.start + e.offset;
	return 1;
}

static void maps_path(pid_t tid, char *path, size_t len)
{
	snprintf(path, len, "/proc/%d/maps", (int)tid);
}

static FILE *maps_open(pid_t tid)
{
	char maps[64];

	maps_path(tid, maps, sizeof(maps));
	return fopen(maps, "re");
}

int maps_scan_offset(pid_t tid, const char *exe, uint64_t addr, uint64_t *offset)
{
	int found;
	FILE *f = maps_open(tid);

	if (!f)
		return -1;
	found = scan_offset(f, exe, addr, offset);
	fclose(f);
	return found;
}

int exe_map_offset(pid_t tid, int *maps_fd, const char *exe, uint64_t addr, uint64_t *offset)
{
	static bool no_query;	/* the kernel said it has no PROCMAP_QUERY */
	char maps[64];
	int found;

	maps_path(tid, maps, sizeof(maps));
	if (!no_query) {
		if (*maps_fd < 0)
			*maps_fd = open(maps, O_RDONLY | O_CLOEXEC);
		if (*maps_fd < 0)
			return -1;
		found = query_offset(*maps_fd, exe, addr, offset);
		if (found != -2)
			return found;
		no_query = true;
	}
	return maps_scan_offset(tid, exe, addr, offset);
}

int maps_name(pid_t tid, uint64_t addr, char *name, size_t len)
{
	struct maps_entry e;
	int found;
	FILE *f = maps_open(tid);

	if (!f)
		return -1;
	found = scan_maps(f, addr, &e, name, len);
	fclose(f);
	return found;
}
