/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptrmap.h - an open-addressing map from LLVM object pointers to indices,
 * so that the analysis stays linear in the size of the module.
 */
#ifndef LCG_PTRMAP_H
#define LCG_PTRMAP_H

#include "pda/shim.h"

struct ptrmap {
	const void **keys;
	u32 *vals;
	u32 cap, n;	/* cap is a power of two */
};

/* The slot of @key in a table of @cap slots (a power of two). */
typedef u32 (*oa_slot_fn)(const void *key, u32 cap);

/*
 * oa_grow() - double an open-addressing table (NULL keys are free slots;
 * @first_cap slots when empty), moving each key and its value to the slot
 * @slot gives it.  Returns false, the table unchanged, when out of memory.
 */
bool oa_grow(const void ***keys, u32 **vals, u32 *cap, u32 first_cap, oa_slot_fn slot);

void ptrmap_init(struct ptrmap *m);
void ptrmap_free(struct ptrmap *m);
/* Returns false when out of memory. */
bool ptrmap_put(struct ptrmap *m, const void *key, u32 val);
/* LCG_NONE when absent. */
u32 ptrmap_get(const struct ptrmap *m, const void *key);

#endif /* LCG_PTRMAP_H */
