/* SPDX-License-Identifier: GPL-2.0 */
/*
 * atomic_file.h - replace a file or a directory so that readers see the old
 * or the new contents, never a mix: write under a temporary name in the same
 * directory (the same file system, so rename(2) is atomic), flush it to
 * disk, rename it over the target, flush the directory.  Every tool that
 * replaces an output goes through here.
 *
 * Functions return 0, or -1 with a message in @err naming the path and the
 * failing step.  On failure the previous file or directory (if any) is
 * untouched and no temporary is left behind.
 */
#ifndef LCG_ATOMIC_FILE_H
#define LCG_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * A file written through a FILE * the caller fills: lcg_atomic_open(), then
 * lcg_atomic_commit() to put it in place or lcg_atomic_abort() to drop it.
 * A replaced file keeps its permission bits (an administrator's chmod
 * survives); a new one gets @new_mode.
 */
struct lcg_atomic {
	FILE *f;		/* NULL when not open */
	char *path;
	char *tmp;
};

int lcg_atomic_open(struct lcg_atomic *a, const char *path, mode_t new_mode,
		    char *err, size_t errlen);
/* flush, rename over the path; the file is closed either way */
int lcg_atomic_commit(struct lcg_atomic *a, char *err, size_t errlen);
void lcg_atomic_abort(struct lcg_atomic *a);

/* Put @tmp, a complete file beside @path, in its place (the last step of the above). */
int lcg_atomic_rename(const char *tmp, const char *path, char *err, size_t errlen);

/* The whole of @buf as @path; a new file gets 0644: policies and graphs are not secret. */
int lcg_write_file_atomic(const char *path, const void *buf, size_t len,
			  char *err, size_t errlen);

/*
 * A new file @path in a directory no reader sees yet (one made by
 * lcg_atomic_dir_create()): written and flushed to disk in place, since the
 * directory is what gets swapped in atomically.  An existing @path is an error.
 */
int lcg_write_file_new(const char *path, const void *buf, size_t len, char *err, size_t errlen);

/*
 * Directories whose entries a tool owns: @ours tells whether a name (of a
 * regular file) is one it writes.  A directory holding anything else, or a
 * symbolic link, is the user's: refused before anything is touched.
 */
typedef bool (*lcg_dir_owned_fn)(const char *name);

/* A new empty directory (0755) beside @path to fill; *@tmp (malloc'ed) is its name. */
int lcg_atomic_dir_create(const char *path, char **tmp, char *err, size_t errlen);
/*
 * Put directory @tmp in @path's place in one rename (its entries flushed to
 * disk first); the previous directory (all @ours entries) is then removed,
 * so nothing of it survives.  On failure @tmp is left for the caller to
 * remove.
 */
int lcg_atomic_dir_install(const char *tmp, const char *path, lcg_dir_owned_fn ours,
			   char *err, size_t errlen);
/* Remove @path (absent: nothing to do) if it holds only @ours entries. */
int lcg_atomic_dir_remove(const char *path, lcg_dir_owned_fn ours, char *err, size_t errlen);

#endif /* LCG_ATOMIC_FILE_H */
