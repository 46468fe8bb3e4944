/* SPDX-License-Identifier: GPL-2.0 */
/*
 * grow.h - growable arrays: the one rule for how an array grows and when it
 * must stop.  The capacity doubles (from 16) until it holds what is needed,
 * never past the caller's limit on the element count, and never to a byte
 * size that overflows size_t (checked multiplication).
 */
#ifndef LCG_GROW_H
#define LCG_GROW_H

#include "../pda/shim.h"

/* the limit of a u32-counted array without one of its own (pda/limits.h) */
#define LCG_GROW_MAX32 (1u << 31)

/*
 * The capacity to grow @cap to so that @need (> @cap) elements of @elem
 * bytes fit: @cap doubled, at most @limit.  0 when @need is above @limit
 * or the byte size would overflow.
 */
size_t lcg_grow_cap(size_t cap, size_t need, size_t elem, size_t limit);

/*
 * Make room for @need elements of @elem bytes in *@arr (capacity *@cap);
 * return false when the rule above refuses or realloc fails, with *@arr
 * and *@cap unchanged.
 */
bool lcg_grow(void **arr, size_t *cap, size_t need, size_t elem, size_t limit);
/* the same for a u32 capacity (the automata, the analysis' tables) */
bool lcg_grow32(void **arr, u32 *cap, u32 need, size_t elem, u32 limit);

#endif /* LCG_GROW_H */
