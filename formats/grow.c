// SPDX-License-Identifier: GPL-2.0
/* grow.c - growable arrays; see grow.h. */
#include "grow.h"

#define FIRST_CAP 16

size_t lcg_grow_cap(size_t cap, size_t need, size_t elem, size_t limit)
{
	size_t ncap, bytes;

	if (need > limit)
		return 0;
	ncap = cap ? cap : FIRST_CAP;
	while (ncap < need)
		ncap = ncap > limit / 2 ? limit : ncap * 2;
	if (ncap > limit)
		ncap = limit;
	if (__builtin_mul_overflow(ncap, elem, &bytes))
		return 0;
	return ncap;
}

bool lcg_grow(void **arr, size_t *cap, size_t need, size_t elem, size_t limit)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return true;
	ncap = lcg_grow_cap(*cap, need, elem, limit);
	if (!ncap)
		return false;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return false;
	*arr = p;
	*cap = ncap;
	return true;
}

bool lcg_grow32(void **arr, u32 *cap, u32 need, size_t elem, u32 limit)
{
	size_t c = *cap;

	if (!lcg_grow(arr, &c, need, elem, limit))
		return false;
	*cap = (u32)c;
	return true;
}
