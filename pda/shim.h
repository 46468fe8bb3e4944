/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shim.h - the only header the freestanding core includes.
 *
 * The automaton core (pda/) and the image validator (formats/) compile
 * unchanged into lcg.ko and into the user-space tools.  This header maps the
 * handful of things they need (fixed-width types, memset/memcpy, allocation)
 * onto the kernel or onto libc; the core itself includes nothing else.
 */
#ifndef LCG_SHIM_H
#define LCG_SHIM_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/limits.h>
#include <linux/sched.h>
#define lcg_memset(d, c, n) memset((d), (c), (n))
#define lcg_memcpy(d, s, n) memcpy((d), (s), (n))
#define lcg_memmove(d, s, n) memmove((d), (s), (n))
#define lcg_memcmp(a, b, n) memcmp((a), (b), (n))
/*
 * Only the validator allocates and reschedules, and lcg.ko calls it from
 * process context alone (a configfs write); the monitor, which runs in
 * probes, does neither.
 */
#define lcg_zalloc(n) kvzalloc((n), GFP_KERNEL)
#define lcg_free(p) kvfree(p)
#define lcg_cond_resched() cond_resched()
#else
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
#define lcg_memset(d, c, n) memset((d), (c), (n))
#define lcg_memcpy(d, s, n) memcpy((d), (s), (n))
#define lcg_memmove(d, s, n) memmove((d), (s), (n))
#define lcg_memcmp(a, b, n) memcmp((a), (b), (n))
#define lcg_zalloc(n) calloc(1, (n))
#define lcg_free(p) free(p)
#define lcg_cond_resched() do { } while (0)
#endif

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "lcg images are little-endian and used in place: build for a little-endian target"
#endif

#define LCG_NONE 0xffffffffu

/* a + b * c without wrapping; returns false on overflow. */
static inline bool lcg_span_ok(u64 off, u64 count, u64 size, u64 limit)
{
	if (size && count > (limit / size))
		return false;
	if (off > limit)
		return false;
	return count * size <= limit - off;
}

#endif /* LCG_SHIM_H */
