// SPDX-License-Identifier: GPL-2.0
/* warnings.c - one-line warnings, error messages and growable arrays (formats/grow.h). */
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"
#include "../formats/grow.h"

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

/* lcg_grow32() with the analysis' sticky ->oom, so a pass checks once at its end. */
bool grow_array(struct analysis *an, void **arr, u32 *cap, u32 need, size_t elem)
{
	if (lcg_grow32(arr, cap, need, elem, LCG_GROW_MAX32))
		return true;
	an->oom = true;
	return false;
}
