/* SPDX-License-Identifier: GPL-2.0 */
/*
 * err.h - how liblcg and its tools report a failure: the function writes
 * what was wrong (naming the file or field, and what to do) into the
 * caller's buffer and returns -1.
 */
#ifndef LCG_ERR_H
#define LCG_ERR_H

#include <stddef.h>

/* printf into @err (truncated to @errlen); returns -1 */
__attribute__((format(printf, 3, 4)))
int lcg_errf(char *err, size_t errlen, const char *fmt, ...);

#endif /* LCG_ERR_H */
