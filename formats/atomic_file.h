/* SPDX-License-Identifier: GPL-2.0 */
/*
 * atomic_file.h - replace a file so that readers see the old or the new
 * contents, never a mix: write a temporary file in the same directory,
 * fsync it, rename(2) it over the target, fsync the directory.
 */
#ifndef LCG_ATOMIC_FILE_H
#define LCG_ATOMIC_FILE_H

#include <stddef.h>

/*
 * Return 0, or -1 with a message in @err naming @path and the failing step.
 * On failure the previous file (if any) is untouched and no temporary file
 * is left behind.  A replaced file keeps its permission bits (an
 * administrator's chmod survives lcg-analyze finalize); a new file gets 0644:
 * policies and graphs are not secret.
 */
int lcg_write_file_atomic(const char *path, const void *buf, size_t len,
			  char *err, size_t errlen);

#endif /* LCG_ATOMIC_FILE_H */
