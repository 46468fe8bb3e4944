// SPDX-License-Identifier: GPL-2.0
/* strmap.c - byte string -> dense index (linear probing, load factor <= 1/2). */
#include <stdlib.h>
#include <string.h>
#include "strmap.h"
#include "ptrmap.h"

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void strmap_free(struct strmap *m)
{
	for (u32 i = 0; i < m->cap; i++)
		free((void *)m->keys[i]);
	free(m->keys);
	free(m->vals);
	strmap_init(m);
}

/* FNV-1a over the bytes and the length (keys hold NULs: "P\0\0..."). */
static u32 hash(const char *s, size_t len)
{
	u32 h = 2166136261u ^ (u32)len;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (u8)s[i]) * 16777619u;
	return h;
}

/* Keys are stored with a 4-byte length prefix, so any bytes may be a key. */
static bool same(const char *stored, const char *key, size_t len)
{
	u32 n;

	memcpy(&n, stored, sizeof(n));
	return n == len && !memcmp(stored + sizeof(n), key, len);
}

/* The slot of a stored key (length prefix, then the bytes). */
static u32 slot_of(const void *stored, u32 cap)
{
	u32 n;

	memcpy(&n, stored, sizeof(n));
	return hash((const char *)stored + sizeof(n), n) & (cap - 1);
}

u32 strmap_intern(struct strmap *m, const char *key, size_t len, bool *added)
{
	u32 s, n32 = (u32)len;
	char *copy;

	*added = false;
	if (2 * (m->n + 1) > m->cap && !oa_grow(&m->keys, &m->vals, &m->cap, 256, slot_of))
		return LCG_NONE;
	for (s = hash(key, len) & (m->cap - 1); m->keys[s]; s = (s + 1) & (m->cap - 1))
		if (same(m->keys[s], key, len))
			return m->vals[s];
	copy = malloc(sizeof(n32) + len);
	if (!copy)
		return LCG_NONE;
	memcpy(copy, &n32, sizeof(n32));
	memcpy(copy + sizeof(n32), key, len);
	m->keys[s] = copy;
	m->vals[s] = m->n;
	*added = true;
	return m->n++;
}
