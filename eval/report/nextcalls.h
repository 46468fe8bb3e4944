/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nextcalls.h - which library calls a model lets the program make next.
 *
 * For an NFA image every event is a LIBCALL, so this is what
 * lcg_monitor_allowed() says.  A PDA image also accepts PRECALL/POSTCALL
 * events, which make no library call: the next library calls are those
 * reachable through any sequence of them that the stack allows.  The search
 * explores monitor configurations, at most NEXTCALLS_MAX_PUSH calls deeper
 * than where it starts and NEXTCALLS_MAX_CONFIGS configurations per query;
 * a query that hits a bound is counted as truncated (its set is then a lower
 * bound, which flatters the PDA slightly).
 */
#ifndef LCG_REPORT_NEXTCALLS_H
#define LCG_REPORT_NEXTCALLS_H

#include "pda/monitor.h"

#define NEXTCALLS_MAX_PUSH 24
#define NEXTCALLS_MAX_CONFIGS 20000

struct nextcalls {
	const struct lcg_image *img;
	u8 *in_set;		/* per event id: in the current answer */
	u32 *set;		/* the answer: LIBCALL ids */
	u32 n_set;
	u32 *allowed;		/* scratch for lcg_monitor_allowed */
	u64 *seen;		/* open-addressing table of configuration hashes */
	u32 seen_cap;
	u32 *used;		/* slots of seen[] in use */
	u32 n_used;
	struct lcg_monitor *stack;	/* depth-first search stack */
	u32 stack_cap;
	u64 truncated;		/* queries that hit a bound */
};

int nextcalls_init(struct nextcalls *nc, const struct lcg_image *img);
void nextcalls_free(struct nextcalls *nc);

/*
 * nextcalls_query() - the LIBCALL ids accepted from @m, directly or after
 * PRECALL/POSTCALL steps; left in nc->set[0..n_set).  Return 0, or -1 when
 * out of memory.
 */
int nextcalls_query(struct nextcalls *nc, const struct lcg_monitor *m);

#endif
