/* SPDX-License-Identifier: GPL-2.0 */
/*
 * digraph.h - the digraph model (Wagner and Dean): which library call may
 * follow which, and nothing more.  Built from a policy image: b may follow a
 * when some state entered by an a-edge has a b-edge.  Built from the
 * call-graph NFA, as in the original model.
 */
#ifndef LCG_REPORT_DIGRAPH_H
#define LCG_REPORT_DIGRAPH_H

#include "pda/monitor.h"

struct digraph {
	u32 n_events;
	u32 *first;		/* per event: into next[] (n_events + 1 entries) */
	u32 *next;		/* sorted successors of each event */
	u32 *start;		/* events allowed first */
	u32 n_start;
};

/* Return 0, or -1 when out of memory. */
int digraph_build(struct digraph *d, const struct lcg_image *img);
void digraph_free(struct digraph *d);

/* Successors of @prev (0: the program's first library calls). */
u32 digraph_count(const struct digraph *d, u32 prev);
bool digraph_allows(const struct digraph *d, u32 prev, u32 ev);

#endif
