// SPDX-License-Identifier: GPL-2.0
/*
 * lgraph_scc.c - merge the states of each epsilon cycle.
 *
 * States on one cycle of epsilon edges reach each other without an event,
 * so they accept the same sequences: one state stands for all of them (an
 * exit if any was).  Tarjan's algorithm over the epsilon edges, iterative so
 * that a function with thousands of blocks cannot exhaust the C stack.
 */
#include <stdlib.h>
#include <string.h>
#include "lgraph.h"

struct tarjan {
	u32 *off, *to;		/* epsilon edges by source (CSR) */
	u32 *index, *low, *stack, *call, *cursor;
	u8 *on_stack;
	u32 n_stack, next_index;
};

static bool plain_eps(const struct lg_edge *e)
{
	return !e->event && e->site == LCG_NONE;
}

static bool build_csr(const struct lgraph *g, struct tarjan *t)
{
	u32 n = 0;

	t->off = calloc(g->n_states + 1, sizeof(u32));
	if (!t->off)
		return false;
	for (u32 i = 0; i < g->n_edges; i++)
		if (plain_eps(&g->edges[i])) {
			t->off[g->edges[i].from + 1]++;
			n++;
		}
	for (u32 s = 0; s < g->n_states; s++)
		t->off[s + 1] += t->off[s];
	t->to = malloc((n ? n : 1) * sizeof(u32));
	t->cursor = malloc((g->n_states ? g->n_states : 1) * sizeof(u32));
	if (!t->to || !t->cursor)
		return false;
	memcpy(t->cursor, t->off, g->n_states * sizeof(u32));
	for (u32 i = 0; i < g->n_edges; i++)
		if (plain_eps(&g->edges[i]))
			t->to[t->cursor[g->edges[i].from]++] = g->edges[i].to;
	return true;
}

/* Pop the component rooted at @v; merge it into @v when it has several states. */
static bool pop_component(struct lgraph *g, struct tarjan *t, u32 *parent, u32 v)
{
	bool merged = false;
	u32 m;

	do {
		m = t->stack[--t->n_stack];
		t->on_stack[m] = 0;
		if (m != v) {
			parent[m] = v;
			g->flags[v] |= g->flags[m];
			merged = true;
		}
	} while (m != v);
	return merged;
}

/* Depth-first search from @root; @call holds the path, @cursor each state's next edge. */
static bool visit(struct lgraph *g, struct tarjan *t, u32 *parent, u32 root)
{
	u32 depth = 0;
	bool merged = false;

	t->call[depth++] = root;
	t->index[root] = t->low[root] = t->next_index++;
	t->stack[t->n_stack++] = root;
	t->on_stack[root] = 1;
	t->cursor[root] = t->off[root];
	while (depth) {
		u32 v = t->call[depth - 1];

		if (t->cursor[v] < t->off[v + 1]) {
			u32 w = t->to[t->cursor[v]++];

			if (t->index[w] == LCG_NONE) {
				t->index[w] = t->low[w] = t->next_index++;
				t->stack[t->n_stack++] = w;
				t->on_stack[w] = 1;
				t->cursor[w] = t->off[w];
				t->call[depth++] = w;
			} else if (t->on_stack[w] && t->index[w] < t->low[v]) {
				t->low[v] = t->index[w];
			}
			continue;
		}
		depth--;
		if (depth && t->low[v] < t->low[t->call[depth - 1]])
			t->low[t->call[depth - 1]] = t->low[v];
		if (t->low[v] == t->index[v])
			merged |= pop_component(g, t, parent, v);
	}
	return merged;
}

bool lg_merge_eps_cycles(struct lgraph *g, u32 *parent, bool *merged)
{
	size_t n = g->n_states ? g->n_states : 1;
	struct tarjan t = {
		.index = malloc(n * sizeof(u32)), .low = malloc(n * sizeof(u32)),
		.stack = malloc(n * sizeof(u32)), .call = malloc(n * sizeof(u32)),
		.on_stack = calloc(n, 1),
	};
	bool ok = t.index && t.low && t.stack && t.call && t.on_stack && build_csr(g, &t);

	*merged = false;
	if (ok) {
		memset(t.index, 0xff, g->n_states * sizeof(u32));
		for (u32 s = 0; s < g->n_states; s++)
			if (parent[s] == s && t.index[s] == LCG_NONE)
				*merged |= visit(g, &t, parent, s);
	}
	free(t.off);
	free(t.to);
	free(t.cursor);
	free(t.index);
	free(t.low);
	free(t.stack);
	free(t.call);
	free(t.on_stack);
	return ok;
}
