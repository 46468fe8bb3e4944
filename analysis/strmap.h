/* SPDX-License-Identifier: GPL-2.0 */
/*
 * strmap.h - a map from byte strings to dense indices (0, 1, 2, ... in
 * insertion order), for naming things the analysis meets by description
 * rather than by LLVM object: struct fields, parameters.
 */
#ifndef LCG_STRMAP_H
#define LCG_STRMAP_H

#include <stddef.h>
#include "pda/shim.h"

struct strmap {
	const void **keys;	/* owned copies, by slot (oa_grow, ptrmap.h) */
	u32 *vals;
	u32 cap, n;	/* cap is a power of two */
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/*
 * strmap_intern() - the index of @key (@len bytes), adding it with the next
 * index when new (*@added set).  LCG_NONE when out of memory.
 */
u32 strmap_intern(struct strmap *m, const char *key, size_t len, bool *added);

#endif /* LCG_STRMAP_H */
