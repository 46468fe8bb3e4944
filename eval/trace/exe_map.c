// SPDX-License-Identifier: GPL-2.0
/* exe_map.c - run-time address to executable file offset via /proc/PID/maps. */
#include "exe_map.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int exe_map_offset(pid_t tid, const char *exe, uint64_t addr, uint64_t *offset)
{
	char maps[64];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int found = 0;
	FILE *f;

	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)tid);
	f = fopen(maps, "re");
	if (!f)
		return -1;
	while (!found && (len = getline(&line, &cap, f)) > 0) {
		struct maps_entry e;

		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (!maps_parse_line(line, &e) || addr < e.start || addr >= e.end)
			continue;
		if (e.exec && strcmp(e.path, exe) == 0) {
			*offset = addr - e.start + e.offset;
			found = 1;
		}
		break;	/* mappings do not overlap: this was the only candidate */
	}
	free(line);
	fclose(f);
	return found;
}
