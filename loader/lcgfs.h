/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lcgfs.h - the lcg configfs tree as the tools see it: where it is, whether
 * it is usable, and reading and writing its attributes.
 */
#ifndef LCG_LOADER_LCGFS_H
#define LCG_LOADER_LCGFS_H

#include <stddef.h>

#define LCGFS_ROOT "/sys/kernel/config/lcg"
#define LCGFS_PROFILES LCGFS_ROOT "/profiles"

/*
 * lcgfs_ready() - is the tree there for this caller?  Prints what to do
 * (become root, load the module, mount configfs) and returns -1 when not.
 */
int lcgfs_ready(const char *prog);

/* A profile name that is a plain directory name: [A-Za-z0-9._-], not "." or "..". */
int lcgfs_valid_name(const char *name);

/*
 * lcgfs_read() - one attribute of profile @name into @buf, trailing newline
 * removed.  Return 0, or -1 with errno set.
 */
int lcgfs_read(const char *name, const char *attr, char *buf, size_t size);

/* lcgfs_write() - the whole of @data to one attribute, in one write(2); 0 or -1/errno. */
int lcgfs_write(const char *name, const char *attr, const void *data, size_t len);

#endif /* LCG_LOADER_LCGFS_H */
