// SPDX-License-Identifier: GPL-2.0
/* ptrmap.c - pointer -> index map (linear probing, load factor <= 1/2). */
#include <stdlib.h>
#include "ptrmap.h"

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

static bool grow(struct ptrmap *m)
{
	u32 cap = m->cap ? 2 * m->cap : 64;
	const void **keys = calloc(cap, sizeof(*keys));
	u32 *vals = malloc(cap * sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return false;
	}
	for (u32 i = 0; i < m->cap; i++) {
		u32 s;

		if (!m->keys[i])
			continue;
		for (s = slot_of(m->keys[i], cap); keys[s]; s = (s + 1) & (cap - 1))
			;
		keys[s] = m->keys[i];
		vals[s] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return true;
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
