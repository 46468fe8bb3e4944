/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exe_map.h - where in its executable file a traced instruction lies.
 *
 * Policies pin each event to file offsets of the executable (what
 * lcg-analyze finalize reads from .lcg_sites), so the tracer turns a run-time
 * address into a file offset through /proc/PID/maps, exactly as the kernel
 * does with the vma's pgoff.
 */
#ifndef LCG_TRACE_EXE_MAP_H
#define LCG_TRACE_EXE_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* One line of /proc/PID/maps. */
struct maps_entry {
	uint64_t start, end;	/* [start, end) */
	uint64_t offset;	/* file offset of start */
	bool exec;		/* mapped executable */
	const char *path;	/* points into the parsed line; "" for anonymous */
};

/*
 * maps_parse_line() - split one line (its trailing newline removed) into
 * @e.  Return false when the line does not have the maps format.
 */
bool maps_parse_line(const char *line, struct maps_entry *e);

/*
 * exe_map_offset() - the file offset of @addr when it lies in an executable
 * mapping of the file @exe in task @tid.
 * @maps_fd: the task's open /proc/TID/maps, or -1 to open it here; it stays
 *           open for the next call and belongs to the caller, who closes it
 *           when the task execs (the file is bound to one address space) or
 *           goes.  Reopening on every event would double its cost.
 * Return: 1 and *@offset set; 0 when @addr is not in such a mapping (another
 * library, anonymous memory); -1 with errno set when maps cannot be read.
 */
int exe_map_offset(pid_t tid, int *maps_fd, const char *exe, uint64_t addr, uint64_t *offset);

/*
 * maps_scan_offset() - exe_map_offset() by reading the whole maps file: what
 * exe_map_offset() falls back to on kernels without PROCMAP_QUERY (before 6.11).
 */
int maps_scan_offset(pid_t tid, const char *exe, uint64_t addr, uint64_t *offset);

/*
 * maps_name() - what is mapped at @addr in task @tid, for reports: the
 * mapping's path (or "[vdso]"-like name), "" for anonymous memory.
 * Return: 1 with @name filled, 0 when nothing is mapped there, -1 on error.
 */
int maps_name(pid_t tid, uint64_t addr, char *name, size_t len);

#endif /* LCG_TRACE_EXE_MAP_H */
