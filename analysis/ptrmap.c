// SPDX-License-Identifier: GPL-2.0
/*
 * ptrmap.c - pointer -> index map (linear probing, load factor <= 1/2), and
 * the growth every open-addressing table of the analysis shares (oa_grow:
 * a rehash into a fresh table, sized by formats/grow.h's rule).
 */
#include <stdlib.h>
#include "ptrmap.h"
#include "../formats/grow.h"

void ptrmap_init(struct ptrmap *m)
{
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}

void ptrmap_free(struct ptrmap *m)
{
	free(m->keys);
	free(m->vals);
	ptrmap_init(m);
}

static u32 slot_of(const void *key, u32 cap)
{
	u64 h = (u64)(uintptr_t)key * 0x9e3779b97f4a7c15ull;

	return (u32)(h >> 32) & (cap - 1);
}

bool oa_grow(const void ***keys, u32 **vals, u32 *cap, u32 first_cap, oa_slot_fn slot)
{
	/* the growth rule of every array (a power of two stays one) */
	u32 ncap = (u32)lcg_grow_cap(*cap, *cap ? *cap + 1 : first_cap, sizeof(**keys),
				     LCG_GROW_MAX32);
	const void **nkeys = ncap ? calloc(ncap, sizeof(*nkeys)) : NULL;
	u32 *nvals = ncap ? malloc(ncap * sizeof(*nvals)) : NULL;

	if (!nkeys || !nvals) {
		free(nkeys);
		free(nvals);
		return false;
	}
	for (u32 i = 0; i < *cap; i++) {
		u32 s;

		if (!(*keys)[i])
			continue;
		for (s = slot((*keys)[i], ncap); nkeys[s]; s = (s + 1) & (ncap - 1))
			;
		nkeys[s] = (*keys)[i];
		nvals[s] = (*vals)[i];
	}
	free(*keys);
	free(*vals);
	*keys = nkeys;
	*vals = nvals;
	*cap = ncap;
	return true;
}

static bool grow(struct ptrmap *m)
{
	return oa_grow(&m->keys, &m->vals, &m->cap, 64, slot_of);
}

bool ptrmap_put(struct ptrmap *m, const void *key, u32 val)
{
	u32 s;

	if (2 * (m->n + 1) > m->cap && !grow(m))
		return false;
	for (s = slot_of(key, m->cap); m->keys[s]; s = (s + 1) & (m->cap - 1))
		if (m->keys[s] == key) {
			m->vals[s] = val;
			return true;
		}
	m->keys[s] = key;
	m->vals[s] = val;
	m->n++;
	return true;
}

u32 ptrmap_get(const struct ptrmap *m, const void *key)
{
	if (!m->cap)
		return LCG_NONE;
	for (u32 s = slot_of(key, m->cap); m->keys[s]; s = (s + 1) & (m->cap - 1))
		if (m->keys[s] == key)
			return m->vals[s];
	return LCG_NONE;
}
