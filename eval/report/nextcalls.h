/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nextcalls.h - which library calls a model lets the program make next.
 *
 * For an NFA image every event is a LIBCALL, so this is what
 * lcg_monitor_allowed() says.  A PDA image also accepts PRECALL/POSTCALL
 * events, which make no library call: the next library calls are those
 * reachable through any sequence of calls and returns the stack allows.
 *
 * Computed exactly with procedure summaries (as in interprocedural
 * dataflow): for each call site, the library calls its callees can make
 * first and whether they can return without making one (a fixpoint over
 * the whole image, once); a query then walks the current procedure's states
 * and, where the activation can return, the callers named by the stack.
 */
#ifndef LCG_REPORT_NEXTCALLS_H
#define LCG_REPORT_NEXTCALLS_H

#include "pda/monitor.h"

struct nextcalls {
	const struct lcg_image *img;
	u32 words;		/* u64 words per event bitset */
	u64 *site_first;	/* per site: library calls its callees may make first */
	u8 *site_returns;	/* per site: its callees may return without one */
	u64 *acc;		/* scratch bitset of a walk */
	u8 *visited;		/* per state, for one walk */
	u32 *todo;		/* states to visit (each at most once per walk) */
	u32 *touched;		/* states marked in visited[], to clear them */
	u32 n_touched;
	u8 *in_set;		/* per event id: in the answer */
	u32 *set;		/* the answer: LIBCALL ids */
	u32 n_set;
};

/* Return 0, or -1 when out of memory. */
int nextcalls_init(struct nextcalls *nc, const struct lcg_image *img);
void nextcalls_free(struct nextcalls *nc);

/*
 * nextcalls_query() - the LIBCALL ids accepted from @m, directly or after
 * PRECALL/POSTCALL steps (and at the start of an asynchronous entry); left
 * in nc->set[0..n_set) and marked in nc->in_set.
 */
void nextcalls_query(struct nextcalls *nc, const struct lcg_monitor *m);

#endif
