// SPDX-License-Identifier: GPL-2.0
/*
 * plan.c - which calls keep PRECALL/POSTCALL brackets (PDA mode), and which
 * are pasted: the callee's graph copied in place of the call (expand.c).
 *
 * Pasting a callee that makes no bracketed call of its own (a *flat* one)
 * and is not recursive accepts exactly the library calls the bracketed call
 * did, in the same order, returning to the same place: Giffin et al.'s
 * language is kept, and the monitor never hears of the call.  Working
 * bottom-up over the call graph's components, a call is pasted when its
 * callee is flat and runs from that call only (a copy then costs nothing:
 * the callee needs no procedure of its own).  A call into a callee of
 * several calls keeps its brackets: they cost events only where the call
 * runs often, and that is the case handled next.
 *
 * Bounded cost.  A call part is *hot* when it lies on a cycle the program
 * can go round without a library call: a loop in its function through a
 * callee that may return without one (nullable), a recursion that may
 * descend without one, or a callback libc runs repeatedly.  Every hot call
 * is pasted, and so is every call below it (a pasted callee must be flat),
 * with one copy per callee as long as the states budget lasts and a copy
 * shared by the procedure's calls after that, or when the callee is
 * recursive (Wagner & Dean: there the automaton over-approximates, a return
 * may go back to any call of the shared copy).  What remains bracketed lies
 * on no such cycle, so between two library calls the program makes a
 * bounded number of PRECALL/POSTCALL events, whatever its input: the event
 * rate follows what the program does to the world.  A setjmp does not stop
 * pasting: each copy of its function has its own return from the setjmp,
 * and a longjmp lands on those of the procedure it unwinds to
 * (pda/monitor.c).
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "scc.h"

static bool is_reaching_def(const struct analysis *an, u32 fi)
{
	return an->fns[fi].kind == FK_DEF && an->fns[fi].reaches;
}

/* States of @g reachable from its entry without a library call, into @seen. */
static void reach_passable(const struct analysis *an, const struct lgraph *g, const u32 *off,
			   u8 *seen, u32 *stack)
{
	u32 n = 0;

	memset(seen, 0, g->n_states);
	seen[g->entry] = 1;
	stack[n++] = g->entry;
	while (n) {
		u32 s = stack[--n];

		for (u32 i = off[s]; i < off[s + 1]; i++) {
			const struct lg_edge *e = &g->edges[i];

			if (!seen[e->to] && raw_edge_passable(an, e)) {
				seen[e->to] = 1;
				stack[n++] = e->to;
			}
		}
	}
}

struct planner {
	struct analysis *an;
	u32 *order;		/* fns by component, callees' components first */
	u32 *comp_start;	/* members of component c: order[comp_start[c] ..] */
	u32 n_comps;
	u32 **offs;		/* per fn with a graph: its edge offsets */
	u8 *seen;
	u32 *stack;
	u32 max_states;
};

static int index_graphs(struct planner *pl)
{
	struct analysis *an = pl->an;

	pl->offs = calloc(an->n_fns ? an->n_fns : 1, sizeof(*pl->offs));
	if (!pl->offs)
		return -1;
	for (u32 i = 0; i < an->n_fns; i++) {
		const struct lgraph *g = &an->graphs[i];

		if (!g->n_states)
			continue;
		pl->offs[i] = lg_edge_offsets(g);
		if (!pl->offs[i])
			return -1;
		if (g->n_states > pl->max_states)
			pl->max_states = g->n_states;
	}
	pl->seen = malloc(pl->max_states + 1);
	pl->stack = malloc((pl->max_states + 1) * sizeof(u32));
	return pl->seen && pl->stack ? 0 : -1;
}

/* Visit the part slots of fn @fi's calls (its own, and its handler parts). */
#define for_each_part_call(an, fi, c)						\
	for (u32 _i = 0, _n = (an)->fns[fi].n_calls + 2; _i < _n; _i++)		\
		if (((c) = part_call((an), (fi), _i)))

static struct call *part_call(struct analysis *an, u32 fi, u32 i)
{
	const struct fn *f = &an->fns[fi];
	u32 ci = i < f->n_calls ? f->first_call + i
		 : i == f->n_calls ? f->entry_part : f->exit_part;

	if (ci == LCG_NONE || an->calls[ci].part == PART_NONE)
		return NULL;
	return &an->calls[ci];
}

/* The call graph's components: fn->scc, and pl->order grouped by component. */
static int components(struct planner *pl)
{
	struct analysis *an = pl->an;
	size_t n = an->n_fns ? an->n_fns : 1;
	u32 *comp = malloc(n * sizeof(u32)), *fill = NULL;
	struct csr g;
	struct call *c;
	int r = -1;

	if (!comp || !csr_init(&g, an->n_fns))
		goto out;
	for (u32 pass = 0; pass < 2; pass++) {
		for (u32 f = 0; f < an->n_fns; f++) {
			if (an->fns[f].kind != FK_DEF)
				continue;
			for_each_part_call(an, f, c)
				for (u32 k = 0; k < c->n_targets; k++) {
					u32 t = an->targets[c->first_target + k];

					if (!is_reaching_def(an, t))
						continue;
					an->fns[t].refs += pass == 0;
					if (pass)
						csr_add(&g, f, t);
					else
						csr_count(&g, f);
				}
		}
		if (!pass && !csr_alloc(&g))
			goto out;
	}
	pl->n_comps = scc_compute(an->n_fns, g.off, g.adj, comp);
	if (pl->n_comps == SCC_NONE)
		goto out;
	pl->comp_start = calloc((size_t)pl->n_comps + 1, sizeof(u32));
	pl->order = malloc(n * sizeof(u32));
	fill = malloc(((size_t)pl->n_comps + 1) * sizeof(u32));
	if (!pl->comp_start || !pl->order || !fill)
		goto out;
	for (u32 f = 0; f < an->n_fns; f++) {
		an->fns[f].scc = comp[f];
		pl->comp_start[comp[f] + 1]++;
	}
	for (u32 k = 0; k < pl->n_comps; k++)
		pl->comp_start[k + 1] += pl->comp_start[k];
	memcpy(fill, pl->comp_start, pl->n_comps * sizeof(u32));
	for (u32 f = 0; f < an->n_fns; f++)
		pl->order[fill[comp[f]]++] = f;
	r = 0;
out:
	csr_free(&g);
	free(comp);
	free(fill);
	return r;
}

#define for_each_member(pl, k, f)						\
	for (u32 _m = (pl)->comp_start[k], f;					\
	     _m < (pl)->comp_start[(k) + 1] && ((f) = (pl)->order[_m], 1); _m++)

/* May fn @fi return without a library call (given its callees' answers)? */
static bool nullable(struct planner *pl, u32 fi)
{
	const struct lgraph *g = &pl->an->graphs[fi];

	if (!g->n_states)
		return true;
	reach_passable(pl->an, g, pl->offs[fi], pl->seen, pl->stack);
	for (u32 s = 0; s < g->n_states; s++)
		if (pl->seen[s] && (g->flags[s] & LS_EXIT))
			return true;
	return false;
}

/* Bottom-up, iterating within a component until nothing changes. */
static void compute_nullable(struct planner *pl)
{
	for (u32 k = 0; k < pl->n_comps; k++) {
		bool changed = true;

		while (changed) {
			changed = false;
			for_each_member(pl, k, f) {
				struct fn *fn = &pl->an->fns[f];

				if (fn->kind == FK_DEF && !fn->nullable && nullable(pl, f)) {
					fn->nullable = true;
					changed = true;
				}
			}
		}
	}
}

/*
 * Hot parts inside fn @fi: a part whose edge lies on a cycle of @fi's graph
 * that needs no library call (a loop through a nullable callee), and every
 * loop part (callbacks, handlers: run any number of times).
 */
static int hot_in_loops(struct planner *pl, u32 fi)
{
	struct analysis *an = pl->an;
	const struct lgraph *g = &an->graphs[fi];
	const u32 *off = pl->offs[fi];
	u32 *comp = malloc((g->n_states ? g->n_states : 1) * sizeof(u32));
	struct csr cg;
	int r = -1;

	if (!comp || !csr_init(&cg, g->n_states))
		goto out;
	for (u32 pass = 0; pass < 2; pass++) {
		for (u32 i = 0; i < g->n_edges; i++)
			if (raw_edge_passable(an, &g->edges[i])) {
				if (pass)
					csr_add(&cg, g->edges[i].from, g->edges[i].to);
				else
					csr_count(&cg, g->edges[i].from);
			}
		if (!pass && !csr_alloc(&cg))
			goto out;
	}
	if (scc_compute(g->n_states, cg.off, cg.adj, comp) == SCC_NONE)
		goto out;
	for (u32 s = 0; s < g->n_states; s++)
		for (u32 i = off[s]; i < off[s + 1]; i++) {
			const struct lg_edge *e = &g->edges[i];
			struct call *c;

			if (e->site == LCG_NONE || e->event != RAW_PART)
				continue;
			c = &an->calls[e->site];
			if (c->part == PART_LOOP ||
			    (raw_edge_passable(an, e) && comp[e->from] == comp[e->to]))
				c->hot = true;
		}
	r = 0;
out:
	csr_free(&cg);
	free(comp);
	return r;
}

/*
 * Hot recursive parts of component @k: f calls t (both in @k) from a state
 * f reaches without a library call, and t can come back to f that way: a
 * descent that pushes frames without a library call.
 */
static int hot_in_recursion(struct planner *pl, u32 k)
{
	struct analysis *an = pl->an;
	u32 first = pl->comp_start[k], n = pl->comp_start[k + 1] - first;
	u32 *local = NULL, *comp = NULL;
	struct csr rg = { 0 };
	int r = -1;

	local = malloc(an->n_fns * sizeof(u32));
	comp = malloc(n * sizeof(u32));
	if (!local || !comp || !csr_init(&rg, n))
		goto out;
	for (u32 m = 0; m < n; m++)
		local[pl->order[first + m]] = m;
	for (u32 pass = 0; pass < 3; pass++) {
		for (u32 m = 0; m < n; m++) {
			u32 f = pl->order[first + m];
			const struct lgraph *g = &an->graphs[f];

			if (!g->n_states)
				continue;
			reach_passable(an, g, pl->offs[f], pl->seen, pl->stack);
			for (u32 i = 0; i < g->n_edges; i++) {
				const struct lg_edge *e = &g->edges[i];
				struct call *c;

				if (e->site == LCG_NONE || e->event != RAW_PART || !pl->seen[e->from])
					continue;
				c = &an->calls[e->site];
				for (u32 t = 0; t < c->n_targets; t++) {
					u32 to = an->targets[c->first_target + t];

					if (!is_reaching_def(an, to) || an->fns[to].scc != k)
						continue;
					if (pass == 0)
						csr_count(&rg, m);
					else if (pass == 1)
						csr_add(&rg, m, local[to]);
					else if (comp[m] == comp[local[to]])
						c->hot = true;
				}
			}
		}
		if (pass == 0 && !csr_alloc(&rg))
			goto out;
		if (pass == 1 && scc_compute(n, rg.off, rg.adj, comp) == SCC_NONE)
			goto out;
	}
	r = 0;
out:
	csr_free(&rg);
	free(local);
	free(comp);
	return r;
}

static bool recursive_comp(struct planner *pl, u32 k)
{
	struct analysis *an = pl->an;
	struct call *c;

	if (pl->comp_start[k + 1] - pl->comp_start[k] > 1)
		return true;
	for_each_member(pl, k, f)
		for_each_part_call(an, f, c)
			for (u32 t = 0; t < c->n_targets; t++)
				if (an->targets[c->first_target + t] == f)
					return true;
	return false;
}

static int find_hot(struct planner *pl)
{
	for (u32 f = 0; f < pl->an->n_fns; f++)
		if (pl->an->graphs[f].n_states && hot_in_loops(pl, f))
			return -1;
	for (u32 k = 0; k < pl->n_comps; k++)
		if (recursive_comp(pl, k) && hot_in_recursion(pl, k))
			return -1;
	return 0;
}

/* Everything below a hot part is pasted: mark those functions forced. */
static int force_below_hot(struct planner *pl)
{
	struct analysis *an = pl->an;
	u32 *queue = malloc((an->n_fns ? an->n_fns : 1) * sizeof(u32)), n = 0;
	struct call *c;

	if (!queue)
		return -1;
	for (u32 i = 0; i < an->n_calls; i++) {
		c = &an->calls[i];
		for (u32 t = 0; c->hot && t < c->n_targets; t++) {
			struct fn *to = &an->fns[an->targets[c->first_target + t]];

			if (is_reaching_def(an, an->targets[c->first_target + t]) &&
			    !to->forced) {
				to->forced = true;
				queue[n++] = an->targets[c->first_target + t];
			}
		}
	}
	while (n) {
		u32 f = queue[--n];

		for_each_part_call(an, f, c)
			for (u32 t = 0; t < c->n_targets; t++) {
				u32 to = an->targets[c->first_target + t];

				if (is_reaching_def(an, to) && !an->fns[to].forced) {
					an->fns[to].forced = true;
					queue[n++] = to;
				}
			}
	}
	free(queue);
	return 0;
}

static u32 add_sat(u32 a, u32 b)
{
	return a + b < a || a + b > (1u << 30) ? 1u << 30 : a + b;
}

/* The fate of target @t of part @c in fn @f. */
static u32 decide(const struct analysis *an, const struct fn *f, const struct call *c, u32 t)
{
	const struct fn *to = &an->fns[t];

	if (an->o->all_brackets)
		return c->part == PART_LOOP ? TP_NONE : TP_KEEP;
	if (c->part == PART_LOOP || f->forced || c->hot)	/* callbacks, handlers, hot */
		return TP_PASTE;
	/* a flat callee of this one call: the copy replaces its procedure */
	if (to->flat && to->scc != f->scc && to->refs == 1 && to->size <= PASTE_MAX_STATES)
		return TP_PASTE;
	return TP_KEEP;
}

/* Bottom-up: each target slot's fate, then whether each function is flat. */
static void decide_all(struct planner *pl)
{
	struct analysis *an = pl->an;
	struct call *c;

	for (u32 k = 0; k < pl->n_comps; k++) {
		for_each_member(pl, k, f) {
			struct fn *fn = &an->fns[f];

			fn->flat = true;
			fn->size = an->graphs[f].n_states;
			for_each_part_call(an, f, c)
				for (u32 i = 0; i < c->n_targets; i++) {
					u32 slot = c->first_target + i, t = an->targets[slot];

					if (!is_reaching_def(an, t))
						continue;
					an->target_plan[slot] = (u8)decide(an, fn, c, t);
					if (an->target_plan[slot] == TP_KEEP)
						fn->flat = false;
					if (an->target_plan[slot] == TP_PASTE && an->fns[t].scc != k)
						fn->size = add_sat(fn->size, an->fns[t].size);
				}
		}
	}
}

/* A function outside the program: its LIBCALL when monitored, else nothing. */
static void plan_external(struct analysis *an)
{
	for (u32 i = 0; i < an->n_calls; i++) {
		const struct call *c = &an->calls[i];

		for (u32 k = 0; c->part != PART_NONE && k < c->n_targets; k++) {
			u32 slot = c->first_target + k, t = an->targets[slot];

			if (an->fns[t].kind != FK_DEF && is_monitored_callee(an, &an->fns[t]))
				an->target_plan[slot] = TP_LIB;
		}
	}
}

static void free_planner(struct planner *pl)
{
	for (u32 i = 0; pl->offs && i < pl->an->n_fns; i++)
		free(pl->offs[i]);
	free(pl->offs);
	free(pl->order);
	free(pl->comp_start);
	free(pl->seen);
	free(pl->stack);
}

int plan_calls(struct analysis *an)
{
	struct planner pl = { .an = an };
	int r = 0;

	an->target_plan = calloc(an->n_targets ? an->n_targets : 1, 1);
	if (!an->target_plan)
		return failf(an, "out of memory planning calls");
	plan_external(an);
	/* NFA mode plans the same: its procedures' graphs show what PDA mode brackets */
	if (index_graphs(&pl) || components(&pl))
		r = -1;
	if (!r) {
		compute_nullable(&pl);
		r = find_hot(&pl);
		if (!r)
			r = force_below_hot(&pl);
		if (!r)
			decide_all(&pl);
	}
	free_planner(&pl);
	if (r)
		return failf(an, "out of memory planning calls");
	settle_roles(an);
	for (u32 i = 0; i < an->n_calls; i++) {
		struct call *c = &an->calls[i];

		for (u32 k = 0; c->part == PART_CALL && k < c->n_targets; k++)
			c->keep |= an->target_plan[c->first_target + k] == TP_KEEP;
	}
	return 0;
}
