// SPDX-License-Identifier: GPL-2.0
/*
 * lgraph.c - library call graphs under construction, and their collapse.
 *
 * The CFG gives one state per block boundary and per call; most of them are
 * joined by epsilon edges only.  Collapse applies two exact rules until
 * nothing changes (a state is "plain" when it has no KEEP flag):
 *   1. a plain state whose only out-edge is epsilon, to t, is t (merge it
 *      into t), unless it is an exit and t is not;
 *   2. a plain state other than the entry whose only in-edge is epsilon, from
 *      p, adds nothing to p (merge it into p, p inherits its exit flag);
 * merges the states of every epsilon cycle (lgraph_scc.c), and drops epsilon
 * self-loops, duplicate edges and epsilon edges into dead ends (no out-edge,
 * not an exit).  Each rule is applied to all states in one pass (see why at
 * each rule), so a round handles whole chains.
 */
#include <stdlib.h>
#include <string.h>
#include "lgraph.h"
#include "../formats/grow.h"

void lg_init(struct lgraph *g)
{
	memset(g, 0, sizeof(*g));
}

void lg_free(struct lgraph *g)
{
	free(g->flags);
	free(g->edges);
	lg_init(g);
}

u32 lg_add_state(struct lgraph *g)
{
	if (g->oom || !lcg_grow32((void **)&g->flags, &g->cap_states, g->n_states + 1, 1,
				       LCG_GROW_MAX32)) {
		g->oom = true;
		return LCG_NONE;
	}
	g->flags[g->n_states] = 0;
	return g->n_states++;
}

void lg_add_edge(struct lgraph *g, u32 from, u32 to, u32 event, u32 site)
{
	if (g->oom || from == LCG_NONE || to == LCG_NONE ||
	    !lcg_grow32((void **)&g->edges, &g->cap_edges, g->n_edges + 1, sizeof(*g->edges),
			LCG_GROW_MAX32)) {
		g->oom = true;
		return;
	}
	g->edges[g->n_edges++] = (struct lg_edge){ from, to, event, site };
}

static bool plain_eps(const struct lg_edge *e)
{
	return !e->event && e->site == LCG_NONE;
}

static u32 find(u32 *parent, u32 s)
{
	while (parent[s] != s) {
		parent[s] = parent[parent[s]];
		s = parent[s];
	}
	return s;
}

static int cmp_edge(const void *a, const void *b)
{
	const struct lg_edge *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to != y->to)
		return x->to < y->to ? -1 : 1;
	if (x->event != y->event)
		return x->event < y->event ? -1 : 1;
	return x->site < y->site ? -1 : x->site > y->site;
}

struct work {
	u32 *parent, *outn, *inn, *oute, *ine;
};

/* Map edges to representatives, drop epsilon self-loops and duplicates. */
static void canonicalise(struct lgraph *g, u32 *parent)
{
	u32 n = 0;

	for (u32 i = 0; i < g->n_edges; i++) {
		struct lg_edge e = g->edges[i];

		e.from = find(parent, e.from);
		e.to = find(parent, e.to);
		if (plain_eps(&e) && e.from == e.to)
			continue;
		g->edges[n++] = e;
	}
	qsort(g->edges, n, sizeof(*g->edges), cmp_edge);
	g->n_edges = n;
	n = 0;
	for (u32 i = 0; i < g->n_edges; i++)
		if (!n || cmp_edge(&g->edges[n - 1], &g->edges[i]))
			g->edges[n++] = g->edges[i];
	g->n_edges = n;
}

static void count(const struct lgraph *g, struct work *w)
{
	memset(w->outn, 0, g->n_states * sizeof(u32));
	memset(w->inn, 0, g->n_states * sizeof(u32));
	for (u32 i = 0; i < g->n_edges; i++) {
		w->outn[g->edges[i].from]++;
		w->oute[g->edges[i].from] = i;
		w->inn[g->edges[i].to]++;
		w->ine[g->edges[i].to] = i;
	}
}

/* Drop epsilon edges into states with no way on and no exit. */
static bool prune_dead_ends(struct lgraph *g, const struct work *w)
{
	u32 n = 0;

	for (u32 i = 0; i < g->n_edges; i++) {
		const struct lg_edge *e = &g->edges[i];

		if (plain_eps(e) && !w->outn[e->to] && !(g->flags[e->to] & (LS_EXIT | LS_KEEP)))
			continue;
		g->edges[n++] = *e;
	}
	if (n == g->n_edges)
		return false;
	g->n_edges = n;
	return true;
}

/*
 * Rule 1, for every state at once: merging never adds an out-edge to any
 * state, so each state's count stays true, and a state merged into t has
 * t's language, so a chain s -> t -> u ends in u.
 */
static bool merge_single_out(struct lgraph *g, struct work *w)
{
	bool changed = false;

	for (u32 s = 0; s < g->n_states; s++) {
		const struct lg_edge *e;
		u32 t;

		if (w->parent[s] != s || (g->flags[s] & LS_KEEP) || w->outn[s] != 1)
			continue;
		e = &g->edges[w->oute[s]];
		if (!plain_eps(e))
			continue;
		t = find(w->parent, e->to);
		if (t == s || ((g->flags[s] & LS_EXIT) && !(g->flags[t] & LS_EXIT)))
			continue;
		w->parent[s] = t;
		changed = true;
	}
	return changed;
}

/*
 * Rule 2, for every state at once: merging never adds an in-edge to any
 * state, and the state a predecessor was merged into still reaches s
 * without an event.
 */
static bool merge_single_in(struct lgraph *g, struct work *w)
{
	u32 entry = find(w->parent, g->entry);
	bool changed = false;

	for (u32 s = 0; s < g->n_states; s++) {
		const struct lg_edge *e;
		u32 p;

		if (w->parent[s] != s || s == entry || (g->flags[s] & LS_KEEP) || w->inn[s] != 1)
			continue;
		e = &g->edges[w->ine[s]];
		if (!plain_eps(e))
			continue;
		p = find(w->parent, e->from);
		if (p == s)
			continue;
		w->parent[s] = p;
		g->flags[p] |= g->flags[s] & LS_EXIT;
		changed = true;
	}
	return changed;
}

/* Number the representatives densely, keeping their order. */
static void renumber(struct lgraph *g, u32 *parent, u32 *map)
{
	u32 n = 0;

	for (u32 s = 0; s < g->n_states; s++)
		if (parent[s] == s) {
			map[s] = n;
			g->flags[n++] = g->flags[s];
		}
	for (u32 i = 0; i < g->n_edges; i++) {
		g->edges[i].from = map[g->edges[i].from];
		g->edges[i].to = map[g->edges[i].to];
	}
	g->entry = map[find(parent, g->entry)];
	g->n_states = n;
}

bool lg_collapse(struct lgraph *g)
{
	size_t n = g->n_states ? g->n_states : 1;
	struct work w = {
		.parent = malloc(n * sizeof(u32)), .outn = malloc(n * sizeof(u32)),
		.inn = malloc(n * sizeof(u32)), .oute = malloc(n * sizeof(u32)),
		.ine = malloc(n * sizeof(u32)),
	};
	bool ok = w.parent && w.outn && w.inn && w.oute && w.ine && !g->oom;

	if (ok) {
		for (u32 s = 0; s < g->n_states; s++)
			w.parent[s] = s;
		for (;;) {
			bool pruned, out_merged, in_merged, cycles;

			canonicalise(g, w.parent);
			if (!lg_merge_eps_cycles(g, w.parent, &cycles)) {
				ok = false;
				break;
			}
			if (cycles)
				canonicalise(g, w.parent);
			count(g, &w);
			pruned = prune_dead_ends(g, &w);
			if (pruned)
				count(g, &w);
			out_merged = merge_single_out(g, &w);
			if (out_merged) {
				canonicalise(g, w.parent);
				count(g, &w);
			}
			in_merged = merge_single_in(g, &w);
			if (!cycles && !pruned && !out_merged && !in_merged)
				break;
		}
		if (ok)
			renumber(g, w.parent, w.outn);
	}
	free(w.parent);
	free(w.outn);
	free(w.inn);
	free(w.oute);
	free(w.ine);
	return ok;
}

/* Labelled edges of @s's epsilon closure, added to *@sum (stops past @limit). */
static void closure_cost(const struct lgraph *g, const u32 *off, u32 s, u32 *mark, u32 *stack,
			 u64 *sum, u64 limit)
{
	u32 n = 0;

	mark[s] = s + 1;
	stack[n++] = s;
	while (n && *sum <= limit) {
		u32 q = stack[--n];

		for (u32 i = off[q]; i < off[q + 1]; i++) {
			const struct lg_edge *e = &g->edges[i];

			if (!plain_eps(e)) {
				(*sum)++;
			} else if (mark[e->to] != s + 1) {
				mark[e->to] = s + 1;
				stack[n++] = e->to;
			}
		}
	}
}

u32 *lg_edge_offsets(const struct lgraph *g)
{
	u32 *off = calloc((size_t)g->n_states + 1, sizeof(u32));

	if (!off)
		return NULL;
	for (u32 i = 0; i < g->n_edges; i++)
		off[g->edges[i].from + 1]++;
	for (u32 s = 0; s < g->n_states; s++)
		off[s + 1] += off[s];
	return off;
}

u64 lg_closure_cost(const struct lgraph *g, u64 limit)
{
	size_t n = g->n_states ? g->n_states : 1;
	u32 *off = calloc(n + 1, sizeof(u32)), *mark = calloc(n, sizeof(u32));
	u32 *stack = malloc(n * sizeof(u32));
	u8 *need = calloc(n, 1);
	u64 sum = 0;

	if (!off || !mark || !stack || !need) {
		sum = limit + 1;	/* out of memory: as if too large */
		goto out;
	}
	for (u32 i = 0; i < g->n_edges; i++) {
		off[g->edges[i].from + 1]++;
		if (!plain_eps(&g->edges[i]))
			need[g->edges[i].to] = 1;
	}
	for (u32 s = 0; s < g->n_states; s++)
		off[s + 1] += off[s];
	need[g->entry] = 1;
	for (u32 s = 0; s < g->n_states && sum <= limit; s++)
		if (need[s])
			closure_cost(g, off, s, mark, stack, &sum, limit);
out:
	free(off);
	free(mark);
	free(stack);
	free(need);
	return sum;
}
