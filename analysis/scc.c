// SPDX-License-Identifier: GPL-2.0
/*
 * scc.c - strongly connected components of a graph in CSR form (Tarjan's
 * algorithm, iterative so that a deep call graph or a function with
 * thousands of blocks cannot exhaust the C stack).
 *
 * Components are numbered in the order they complete, which is a reverse
 * topological order: a component's successors are numbered before it, so
 * walking them in increasing order visits callees before callers.
 */
#include <stdlib.h>
#include "scc.h"

struct tarjan {
	const u32 *off, *adj;
	u32 *index, *low, *stack, *call, *cursor, *comp;
	u8 *on_stack;
	u32 n_stack, n_call, next_index, n_comp;
};

static void open_node(struct tarjan *t, u32 v)
{
	t->index[v] = t->low[v] = t->next_index++;
	t->cursor[v] = t->off[v];
	t->stack[t->n_stack++] = v;
	t->on_stack[v] = 1;
	t->call[t->n_call++] = v;
}

static void close_node(struct tarjan *t, u32 v)
{
	u32 m;

	if (t->low[v] != t->index[v])
		return;
	do {
		m = t->stack[--t->n_stack];
		t->on_stack[m] = 0;
		t->comp[m] = t->n_comp;
	} while (m != v);
	t->n_comp++;
}

static void visit(struct tarjan *t, u32 root)
{
	open_node(t, root);
	while (t->n_call) {
		u32 v = t->call[t->n_call - 1];

		if (t->cursor[v] < t->off[v + 1]) {
			u32 w = t->adj[t->cursor[v]++];

			if (t->index[w] == SCC_NONE)
				open_node(t, w);
			else if (t->on_stack[w] && t->index[w] < t->low[v])
				t->low[v] = t->index[w];
			continue;
		}
		t->n_call--;
		close_node(t, v);
		if (t->n_call) {
			u32 u = t->call[t->n_call - 1];

			if (t->low[v] < t->low[u])
				t->low[u] = t->low[v];
		}
	}
}

u32 scc_compute(u32 n, const u32 *off, const u32 *adj, u32 *comp)
{
	size_t sz = n ? n : 1;
	struct tarjan t = {
		.off = off, .adj = adj, .comp = comp,
		.index = malloc(sz * sizeof(u32)), .low = malloc(sz * sizeof(u32)),
		.stack = malloc(sz * sizeof(u32)), .call = malloc(sz * sizeof(u32)),
		.cursor = malloc(sz * sizeof(u32)), .on_stack = calloc(sz, 1),
	};
	u32 r = SCC_NONE;

	if (t.index && t.low && t.stack && t.call && t.cursor && t.on_stack) {
		for (u32 v = 0; v < n; v++)
			t.index[v] = SCC_NONE;
		for (u32 v = 0; v < n; v++)
			if (t.index[v] == SCC_NONE)
				visit(&t, v);
		r = t.n_comp;
	}
	free(t.index);
	free(t.low);
	free(t.stack);
	free(t.call);
	free(t.cursor);
	free(t.on_stack);
	return r;
}

bool csr_init(struct csr *g, u32 n)
{
	g->n = n;
	g->off = calloc((size_t)n + 1, sizeof(u32));
	g->adj = g->fill = NULL;
	return g->off != NULL;
}

bool csr_alloc(struct csr *g)
{
	for (u32 v = 0; v < g->n; v++)
		g->off[v + 1] += g->off[v];
	g->adj = malloc((g->off[g->n] ? g->off[g->n] : 1) * sizeof(u32));
	g->fill = malloc((g->n ? g->n : 1) * sizeof(u32));
	if (!g->adj || !g->fill)
		return false;
	for (u32 v = 0; v < g->n; v++)
		g->fill[v] = g->off[v];
	return true;
}

void csr_free(struct csr *g)
{
	free(g->off);
	free(g->adj);
	free(g->fill);
	g->off = g->adj = g->fill = NULL;
}
