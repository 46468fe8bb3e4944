// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace_maps.c - lcg-trace's /proc/PID/maps reading: the line parser on
 * every shape the kernel prints, and the address-to-file-offset lookup on
 * this very process (through PROCMAP_QUERY where the kernel has it).
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <sys/mman.h>
#include <unistd.h>

#include "eval/trace/exe_map.h"

Test(trace_maps, file_mapping_with_path)
{
	struct maps_entry e;

	cr_assert(maps_parse_line("55d0c8a00000-55d0c8a01000 r-xp 00001000 fe:01 1234567"
				  "                   /usr/bin/prog", &e));
	cr_assert_eq(e.start, 0x55d0c8a00000ull);
	cr_assert_eq(e.end, 0x55d0c8a01000ull);
	cr_assert_eq(e.offset, 0x1000);
	cr_assert(e.exec);
	cr_assert_str_eq(e.path, "/usr/bin/prog");
}

Test(trace_maps, anonymous_mapping_has_empty_path)
{
	struct maps_entry e;

	cr_assert(maps_parse_line("7ffd5e1c3000-7ffd5e1e4000 rw-p 00000000 00:00 0", &e));
	cr_assert_not(e.exec);
	cr_assert_str_eq(e.path, "");
}

Test(trace_maps, path_with_spaces_and_deleted_mark)
{
	struct maps_entry e;

	cr_assert(maps_parse_line("400000-401000 r-xp 00000000 08:02 42 /tmp/my prog (deleted)",
				  &e));
	cr_assert_str_eq(e.path, "/tmp/my prog (deleted)");
}

Test(trace_maps, pseudo_paths_are_kept)
{
	struct maps_entry e;

	cr_assert(maps_parse_line("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
				  "                  [vsyscall]", &e));
	cr_assert(e.exec);
	cr_assert_str_eq(e.path, "[vsyscall]");
}

Test(trace_maps, malformed_lines_are_refused)
{
	struct maps_entry e;

	cr_assert_not(maps_parse_line("", &e));
	cr_assert_not(maps_parse_line("hello world", &e));
	cr_assert_not(maps_parse_line("1000-2000 r-xp 0 fe:01", &e), "no inode");
	cr_assert_not(maps_parse_line("2000-1000 r-xp 00000000 fe:01 1 /x", &e), "end < start");
	cr_assert_not(maps_parse_line("1000-2000 r-x 00000000 fe:01 1 /x", &e), "3 perms");
}

static const char *self_exe(void)
{
	static char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	cr_assert_gt(n, 0);
	path[n] = '\0';
	return path;
}

/* Our own code lies in our executable, at an offset inside the file. */
Test(trace_maps, own_code_maps_to_an_offset_of_the_executable)
{
	int fd = -1;
	uint64_t off = 0, again = 0;

	cr_assert_eq(exe_map_offset(getpid(), &fd, self_exe(),
				    (uint64_t)(uintptr_t)&maps_parse_line, &off), 1);
	cr_assert_gt(off, 0);
	cr_assert_geq(fd, 0, "the maps file stays open for the next event");
	cr_assert_eq(exe_map_offset(getpid(), &fd, self_exe(),
				    (uint64_t)(uintptr_t)&maps_parse_line, &again), 1);
	cr_assert_eq(off, again);
	close(fd);
}

Test(trace_maps, library_code_is_outside_the_executable)
{
	int fd = -1;
	uint64_t off;

	cr_assert_eq(exe_map_offset(getpid(), &fd, self_exe(), (uint64_t)(uintptr_t)&getpid,
				    &off), 0);
	close(fd);
}

Test(trace_maps, data_and_unmapped_addresses_are_outside)
{
	static int data;
	int fd = -1;
	uint64_t off;

	cr_assert_eq(exe_map_offset(getpid(), &fd, self_exe(), (uint64_t)(uintptr_t)&data,
				    &off), 0, "writable data is not code");
	cr_assert_eq(exe_map_offset(getpid(), &fd, self_exe(), 16, &off), 0);
	close(fd);
}

Test(trace_maps, vanished_task_is_an_error)
{
	int fd = -1;
	uint64_t off;

	cr_assert_eq(exe_map_offset(INT_MAX, &fd, "/x", 0x1000, &off), -1);
}

Test(trace_maps, name_of_what_is_mapped)
{
	char name[PATH_MAX];
	void *anon = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	cr_assert_neq(anon, MAP_FAILED);
	cr_assert_eq(maps_name(getpid(), (uint64_t)(uintptr_t)&maps_parse_line, name,
			       sizeof(name)), 1);
	cr_assert_str_eq(name, self_exe());
	cr_assert_eq(maps_name(getpid(), (uint64_t)(uintptr_t)anon, name, sizeof(name)), 1);
	cr_assert_str_eq(name, "", "anonymous memory has no name");
	cr_assert_eq(maps_name(getpid(), 16, name, sizeof(name)), 0, "nothing mapped at 16");
	munmap(anon, 4096);
}

/* The parsing fallback of kernels before 6.11 agrees with PROCMAP_QUERY. */
Test(trace_maps, maps_file_scan_agrees_with_the_query)
{
	int fd = -1;
	uint64_t queried = 0, scanned = 1;
	uint64_t code = (uint64_t)(uintptr_t)&maps_parse_line;

	cr_assert_eq(exe_map_offset(getpid(), &fd, self_exe(), code, &queried), 1);
	cr_assert_eq(maps_scan_offset(getpid(), self_exe(), code, &scanned), 1);
	cr_assert_eq(queried, scanned);
	cr_assert_eq(maps_scan_offset(getpid(), self_exe(), (uint64_t)(uintptr_t)&getpid,
				      &scanned), 0, "libc is not the executable");
	cr_assert_eq(maps_scan_offset(getpid(), "/not/this", code, &scanned), 0);
	close(fd);
}
