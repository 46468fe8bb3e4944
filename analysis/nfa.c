// SPDX-License-Identifier: GPL-2.0
/*
 * nfa.c - the whole-program automaton of NFA mode (Wagner & Dean's
 * call-graph model, with inlining).
 *
 * Procedure "<program>" is main's graph with each call edge replaced by a
 * copy of the callee's graph (entered and left by epsilon edges), as long as
 * the copies fit in the states budget.  A recursive call, or any call once
 * the budget is spent, links instead to the callee's one shared copy in that
 * procedure, whose exits lead back to every call that uses it: that is
 * where the model loses precision (impossible paths), and only there.  Each
 * asynchronous entry and thread entry becomes its own procedure built the
 * same way.  A longjmp point reaches every setjmp landing of its procedure
 * through one hub state, so a longjmp causes no false alarm.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct nfa_ctx {
	struct analysis *an;
	struct lgraph w;	/* the procedure being built */
	u32 budget;		/* states left for inlined copies, across procedures */
	u8 *on_stack;		/* per fn: being inlined right now */
	u32 *shared_in, *shared_out;	/* per fn: its shared copy in this procedure */
	u32 *pending, n_pending;	/* shared copies whose body is still to be built */
	u32 *touched, n_touched;	/* fns with a shared copy in this procedure */
	u32 *proc_fn;		/* policy procedure -> fn */
};

static void copy_graph(struct nfa_ctx *x, u32 fi, bool shared_mode, u32 *in, u32 *out);

static void shared_copy(struct nfa_ctx *x, u32 fi, u32 *in, u32 *out)
{
	if (x->shared_in[fi] == LCG_NONE) {
		x->shared_in[fi] = lg_add_state(&x->w);
		x->shared_out[fi] = lg_add_state(&x->w);
		x->pending[x->n_pending++] = fi;
		x->touched[x->n_touched++] = fi;
	}
	*in = x->shared_in[fi];
	*out = x->shared_out[fi];
}

/* Replace call edge @from -> @to of site @site with its callees' graphs. */
static void link_call(struct nfa_ctx *x, u32 site, u32 from, u32 to, bool shared_mode)
{
	const struct lcg_site *s = &x->an->p->graphs.sites[site];
	bool silent = false;

	for (u32 k = 0; k < s->n_callees; k++) {
		u32 fi = x->proc_fn[s->callees[k]];
		u32 size = x->an->graphs[fi].n_states + 1, in, out;

		if (!x->an->fns[fi].reaches) {
			silent = true;
			continue;
		}
		if (!shared_mode && !x->on_stack[fi] && size <= x->budget) {
			x->budget -= size;
			x->on_stack[fi] = 1;
			copy_graph(x, fi, false, &in, &out);
			x->on_stack[fi] = 0;
			if (x->an->st)
				x->an->st->nfa_inlined++;
		} else {
			shared_copy(x, fi, &in, &out);
			if (x->an->st)
				x->an->st->nfa_shared++;
		}
		lg_add_edge(&x->w, from, in, 0, LCG_NONE);
		lg_add_edge(&x->w, out, to, 0, LCG_NONE);
	}
	if (silent)
		lg_add_edge(&x->w, from, to, 0, LCG_NONE);
}

/* A copy of fn @fi's graph; @in is its entry, @out a state its exits lead to. */
static void copy_graph(struct nfa_ctx *x, u32 fi, bool shared_mode, u32 *in, u32 *out)
{
	const struct lgraph *g = &x->an->graphs[fi];
	u32 base = x->w.n_states;

	for (u32 s = 0; s < g->n_states; s++)
		if (lg_add_state(&x->w) != LCG_NONE)
			x->w.flags[base + s] = g->flags[s] & LS_KEEP;
	*out = lg_add_state(&x->w);
	*in = base + g->entry;
	if (x->w.oom)
		return;
	for (u32 s = 0; s < g->n_states; s++)
		if (g->flags[s] & LS_EXIT)
			lg_add_edge(&x->w, base + s, *out, 0, LCG_NONE);
	for (u32 i = 0; i < g->n_edges; i++) {
		const struct lg_edge *e = &g->edges[i];

		if (e->site == LCG_NONE)
			lg_add_edge(&x->w, base + e->from, base + e->to, e->event, LCG_NONE);
		else
			link_call(x, e->site, base + e->from, base + e->to, shared_mode);
	}
}

/* Every longjmp point of the procedure may land at every setjmp landing. */
static void link_longjmps(struct lgraph *w)
{
	u32 hub = LCG_NONE;
	bool any_landing = false, any_longjmp = false;

	for (u32 s = 0; s < w->n_states; s++) {
		any_landing |= !!(w->flags[s] & LS_LANDING);
		any_longjmp |= !!(w->flags[s] & LS_LONGJMP);
	}
	if (any_landing && any_longjmp)
		hub = lg_add_state(w);
	for (u32 s = 0; hub != LCG_NONE && s < hub; s++) {
		if (w->flags[s] & LS_LONGJMP)
			lg_add_edge(w, s, hub, 0, LCG_NONE);
		if (w->flags[s] & LS_LANDING)
			lg_add_edge(w, hub, s, 0, LCG_NONE);
	}
	for (u32 s = 0; s < w->n_states; s++)
		w->flags[s] &= (u8)~LS_KEEP;
}

static int build_proc(struct nfa_ctx *x, u32 fi, const char *name, u32 flags)
{
	struct analysis *an = x->an;
	struct lcg_automaton *a = &an->p->nfa;
	u32 in, out, proc, *map;

	lg_init(&x->w);
	x->n_pending = x->n_touched = 0;
	x->on_stack[fi] = 1;
	copy_graph(x, fi, false, &in, &out);
	x->on_stack[fi] = 0;
	x->w.entry = in;
	if (!x->w.oom)
		x->w.flags[out] |= LS_EXIT;
	while (x->n_pending && !x->w.oom) {
		u32 g = x->pending[--x->n_pending], bin, bout;

		copy_graph(x, g, true, &bin, &bout);
		lg_add_edge(&x->w, x->shared_in[g], bin, 0, LCG_NONE);
		lg_add_edge(&x->w, bout, x->shared_out[g], 0, LCG_NONE);
	}
	for (u32 i = 0; i < x->n_touched; i++)
		x->shared_in[x->touched[i]] = x->shared_out[x->touched[i]] = LCG_NONE;
	if (!x->w.oom)
		link_longjmps(&x->w);
	if (x->w.oom || !lg_collapse(&x->w)) {
		lg_free(&x->w);
		return failf(an, "out of memory building the NFA of %s", name);
	}
	map = malloc((x->w.n_states ? x->w.n_states : 1) * sizeof(u32));
	proc = lcg_aut_add_proc(a, name, flags);
	if (map && proc != LCG_NONE)
		emit_lgraph(a, proc, &x->w, map);
	free(map);
	lg_free(&x->w);
	if (!map || a->oom)
		return failf(an, "out of memory writing the NFA of %s", name);
	return 0;
}

static int alloc_ctx(struct nfa_ctx *x, struct analysis *an)
{
	size_t n = an->n_fns ? an->n_fns : 1;

	memset(x, 0, sizeof(*x));
	x->an = an;
	x->budget = an->o->inline_budget;
	x->on_stack = calloc(n, 1);
	x->shared_in = malloc(n * sizeof(u32));
	x->shared_out = malloc(n * sizeof(u32));
	x->pending = malloc(n * sizeof(u32));
	x->touched = malloc(n * sizeof(u32));
	x->proc_fn = malloc((an->p->graphs.n_procs ? an->p->graphs.n_procs : 1) * sizeof(u32));
	if (!x->on_stack || !x->shared_in || !x->shared_out || !x->pending || !x->touched ||
	    !x->proc_fn)
		return failf(an, "out of memory for the NFA builder");
	memset(x->shared_in, 0xff, n * sizeof(u32));
	memset(x->shared_out, 0xff, n * sizeof(u32));
	for (u32 i = 0; i < an->n_fns; i++)
		if (an->fns[i].proc != LCG_NONE)
			x->proc_fn[an->fns[i].proc] = i;
	return 0;
}

static void free_ctx(struct nfa_ctx *x)
{
	free(x->on_stack);
	free(x->shared_in);
	free(x->shared_out);
	free(x->pending);
	free(x->touched);
	free(x->proc_fn);
}

int build_nfa(struct analysis *an)
{
	const u32 entry_roles = LCG_AP_ASYNC | LCG_AP_THREAD_ENTRY;
	struct nfa_ctx x;
	int r = alloc_ctx(&x, an);

	if (!r)
		r = build_proc(&x, an->main_fn, "<program>", LCG_AP_MAIN);
	for (u32 i = 0; !r && i < an->n_fns; i++) {
		const struct fn *f = &an->fns[i];

		if (f->proc != LCG_NONE && (f->roles & entry_roles))
			r = build_proc(&x, i, f->name, f->roles & entry_roles);
	}
	free_ctx(&x);
	return r;
}
