/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scc.h - graphs in compressed sparse row form and their strongly
 * connected components (scc.c).
 */
#ifndef LCG_SCC_H
#define LCG_SCC_H

#include "pda/shim.h"

#define SCC_NONE 0xffffffffu

/* Edges of v are adj[off[v] .. off[v + 1]). */
struct csr {
	u32 n;
	u32 *off, *adj;
	u32 *fill;	/* while adding edges */
};

/* Build in two passes: csr_count() every edge, csr_alloc(), csr_add() every edge again. */
bool csr_init(struct csr *g, u32 n);
static inline void csr_count(struct csr *g, u32 from)
{
	g->off[from + 1]++;
}
bool csr_alloc(struct csr *g);
static inline void csr_add(struct csr *g, u32 from, u32 to)
{
	g->adj[g->fill[from]++] = to;
}
void csr_free(struct csr *g);

/*
 * scc_compute() - the component of each vertex into @comp, numbered in
 * reverse topological order (a component's successors first).  Returns the
 * number of components, or SCC_NONE when out of memory.
 */
u32 scc_compute(u32 n, const u32 *off, const u32 *adj, u32 *comp);

#endif /* LCG_SCC_H */
