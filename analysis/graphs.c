// SPDX-License-Identifier: GPL-2.0
/*
 * graphs.c - write each procedure's collapsed library call graph into the
 * policy (p->graphs) and connect the call sites to their edges.
 */
#include <stdlib.h>
#include "internal.h"

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

static void connect_sites(struct lcg_automaton *a, const struct lgraph *g, const u32 *map)
{
	for (u32 i = 0; i < g->n_edges; i++) {
		const struct lg_edge *e = &g->edges[i];

		if (e->site == LCG_NONE || e->site >= a->n_sites)
			continue;
		a->sites[e->site].from = map[e->from];
		a->sites[e->site].to = map[e->to];
	}
}

int build_graphs(struct analysis *an)
{
	struct lcg_automaton *a = &an->p->graphs;
	u32 *map = NULL, cap = 0;

	an->graphs = calloc(an->n_fns ? an->n_fns : 1, sizeof(*an->graphs));
	if (!an->graphs)
		return failf(an, "out of memory for the procedures' graphs");
	for (u32 i = 0; i < an->n_fns; i++) {
		struct lgraph *g = &an->graphs[i];

		if (an->fns[i].proc == LCG_NONE)
			continue;
		if (build_cfg_graph(an, i, g))
			break;
		if (!grow_array(an, (void **)&map, &cap, g->n_states, sizeof(u32)))
			break;
		emit_lgraph(a, an->fns[i].proc, g, map);
		connect_sites(a, g, map);
	}
	free(map);
	if (an->err[0])
		return -1;
	if (an->oom || a->oom)
		return failf(an, "out of memory writing the procedures' graphs");
	for (u32 i = 0; i < a->n_sites; i++)
		if (a->sites[i].from == LCG_NONE)
			return failf(an, "internal error: call site %u of %s has no edge in its graph",
				     i, a->procs[a->sites[i].caller].name);
	return 0;
}
