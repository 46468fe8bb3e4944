// SPDX-License-Identifier: GPL-2.0
/* warnings.c - one-line warnings, error messages and growable arrays. */
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"

void warnf(struct analysis *an, const char *fmt, ...)
{
	va_list ap;

	if (an->st)
		an->st->warnings++;
	if (!an->o->warnings)
		return;
	fputs("lcg-analyze: warning: ", an->o->warnings);
	va_start(ap, fmt);
	vfprintf(an->o->warnings, fmt, ap);
	va_end(ap);
	fputc('\n', an->o->warnings);
}

int failf(struct analysis *an, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(an->err, an->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

bool grow_array(struct analysis *an, void **arr, u32 *cap, u32 need, size_t elem)
{
	u32 ncap;
	void *n;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > (1u << 30)) {
			an->oom = true;
			return false;
		}
		ncap *= 2;
	}
	n = realloc(*arr, (size_t)ncap * elem);
	if (!n) {
		an->oom = true;
		return false;
	}
	*arr = n;
	*cap = ncap;
	return true;
}
