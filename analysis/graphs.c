// SPDX-License-Identifier: GPL-2.0
/*
 * graphs.c - write each procedure's library call graph into the policy
 * (p->graphs) and connect the call sites to their edges.  A procedure's
 * graph has its pasted callees copied in (expand.c) and its bracketed calls
 * as site edges: PRECALL in PDA mode, epsilon in NFA mode, where nfa.c
 * builds the automaton the monitor runs from the same raw graphs.
 */
#include <stdlib.h>
#include "internal.h"
#include "expand.h"

void emit_lgraph(struct lcg_automaton *a, u32 proc, const struct lgraph *g, u32 *map)
{
	for (u32 s = 0; s < g->n_states; s++) {
		map[s] = s == g->entry ? a->procs[proc].entry : lcg_aut_add_state(a, proc);
		if (map[s] != LCG_NONE && (g->flags[s] & LS_EXIT))
			lcg_aut_set_exit(a, map[s]);
	}
	for (u32 i = 0; i < g->n_edges; i++) {
		const struct lg_edge *e = &g->edges[i];

		lcg_aut_add_edge(a, map[e->from], map[e->to], e->event, e->site);
	}
}

/*
 * A site's edge in its caller's own graph; pasted copies of a setjmp site
 * in other procedures are found by the monitor through the event index.
 */
static void connect_sites(struct lcg_automaton *a, u32 proc, const struct lgraph *g,
			  const u32 *map)
{
	for (u32 i = 0; i < g->n_edges; i++) {
		const struct lg_edge *e = &g->edges[i];

		if (e->site == LCG_NONE || e->site >= a->n_sites || a->sites[e->site].caller != proc)
			continue;
		a->sites[e->site].from = map[e->from];
		a->sites[e->site].to = map[e->to];
	}
}

static int emit_procs(struct analysis *an, struct expander *x)
{
	struct lcg_automaton *a = &an->p->graphs;
	u32 *map = NULL, cap = 0;

	for (u32 i = 0; i < an->n_fns; i++) {
		if (an->fns[i].proc == LCG_NONE)
			continue;
		if (expand_proc(x, i))
			break;
		if (!grow_array(an, (void **)&map, &cap, x->w.n_states, sizeof(u32)))
			break;
		emit_lgraph(a, an->fns[i].proc, &x->w, map);
		connect_sites(a, an->fns[i].proc, &x->w, map);
	}
	free(map);
	if (an->err[0])
		return -1;
	if (an->oom || a->oom)
		return failf(an, "out of memory writing the procedures' graphs");
	return 0;
}

static bool has_proc(const struct analysis *an, u32 fi)
{
	return an->fns[fi].proc != LCG_NONE;
}

int build_graphs(struct analysis *an)
{
	struct lcg_automaton *a = &an->p->graphs;
	u32 budget = an->o->inline_budget;
	struct expander x;
	u8 *set = choose_inline(an, budget, has_proc);
	int r;

	if (!set)
		return -1;
	r = expand_init(&x, an, an->o->mode == LCG_MODE_PDA ? EX_PDA : EX_RELABEL, &budget);
	x.inline_set = set;
	if (!r)
		r = emit_procs(an, &x);
	if (an->st && an->o->mode == LCG_MODE_PDA) {
		an->st->pasted_copies = x.n_inlined;
		an->st->pasted_shared = x.n_shared;
		an->st->narrowed_procs = x.n_narrowed;
	}
	expand_free(&x);
	free(set);
	if (r)
		return r;
	for (u32 i = 0; i < a->n_sites; i++)
		if (a->sites[i].from == LCG_NONE)
			return failf(an, "internal error: call site %u of %s has no edge in its "
				     "graph", i, a->sites[i].caller < a->n_procs ?
				     a->procs[a->sites[i].caller].name : "a function without one");
	return 0;
}
