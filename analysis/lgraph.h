/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lgraph.h - a library call graph under construction: states with flags and
 * labelled edges, before it is written into the policy's automaton.
 */
#ifndef LCG_LGRAPH_H
#define LCG_LGRAPH_H

#include "pda/shim.h"

#define LS_EXIT 0x1u	/* the procedure may return here */
#define LS_LANDING 0x2u	/* where a setjmp returns (a longjmp target) */
#define LS_LONGJMP 0x4u	/* a longjmp may be called here */
#define LS_KEEP (LS_LANDING | LS_LONGJMP)	/* collapse must not merge it away */

struct lg_edge {
	u32 from, to;
	u32 event;	/* 0: epsilon */
	u32 site;	/* policy site of a call edge, else LCG_NONE */
};

struct lgraph {
	u8 *flags;
	u32 n_states, cap_states;
	u32 entry;
	struct lg_edge *edges;
	u32 n_edges, cap_edges;
	bool oom;
};

void lg_init(struct lgraph *g);
void lg_free(struct lgraph *g);
u32 lg_add_state(struct lgraph *g);
void lg_add_edge(struct lgraph *g, u32 from, u32 to, u32 event, u32 site);

/*
 * lg_collapse() - remove epsilon structure without changing the language
 * (states merged only where that is exact), then renumber the states that
 * remain.  Labelled edges are never dropped, so call sites keep their edge.
 * Returns false when out of memory (the graph is then unusable).
 */
bool lg_collapse(struct lgraph *g);

/*
 * lg_merge_eps_cycles() - for lg_collapse(): merge each cycle of epsilon
 * edges into one state (@parent: union-find over states; the edges must
 * already name representatives).  Returns false when out of memory.
 */
bool lg_merge_eps_cycles(struct lgraph *g, u32 *parent, bool *merged);

/*
 * lg_edge_offsets() - the edges of state s of @g are edges[off[s] ..
 * off[s + 1]) once lg_collapse() has sorted them: that array (n_states + 1
 * entries, calloc'd), or NULL when out of memory.
 */
u32 *lg_edge_offsets(const struct lgraph *g);

/*
 * lg_closure_cost() - the labelled edges the image compiler's epsilon
 * folding gives @g (each state an event can lead to gets every labelled edge
 * of its epsilon closure); counting stops past @limit.  Requires edges
 * sorted by source (lg_collapse() leaves them so).
 */
u64 lg_closure_cost(const struct lgraph *g, u64 limit);

#endif /* LCG_LGRAPH_H */
