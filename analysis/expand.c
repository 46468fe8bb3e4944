// SPDX-License-Identifier: GPL-2.0
/*
 * expand.c - a procedure's final graph from the raw graphs: events named,
 * pasted callees copied in place of their calls.
 *
 * A pasted callee is copied at its call (entered and left by epsilon) while
 * the states budget lasts and it is not already being copied (recursion).
 * Otherwise the call links to the callee's one *shared* copy in this
 * procedure, whose exits lead back to every call that uses it (Wagner &
 * Dean): the automaton then accepts a return to any of those calls, the only
 * place pasting loses precision.  A shared copy is built once per
 * procedure; its own calls get copies while the budget lasts, which keeps
 * the procedure's size within the budget plus one copy of each function.
 * A call that keeps its brackets becomes its site's edge, labelled with its
 * PRECALL in PDA mode, epsilon in the per-procedure graphs of NFA mode (the
 * same graphs, shown); only a procedure's own graph has such calls (plan.c
 * pastes only flat callees).  The whole-program automaton of NFA mode pastes
 * every call.  In every graph one hub state links every longjmp point of a
 * procedure to every setjmp landing in it: in PDA mode a longjmp that pops
 * no bracket lands without an event (instrument.c), its landing's POSTCALL
 * only announces one that does.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "expand.h"

int expand_init(struct expander *x, struct analysis *an, u32 mode, u32 *budget)
{
	size_t n = an->n_fns ? an->n_fns : 1;

	memset(x, 0, sizeof(*x));
	x->an = an;
	x->mode = mode;
	x->budget = budget;
	x->on_stack = calloc(n, 1);
	x->shared_in = malloc(n * sizeof(u32));
	x->shared_out = malloc(n * sizeof(u32));
	x->pending = malloc(n * sizeof(u32));
	x->touched = malloc(n * sizeof(u32));
	if (!x->on_stack || !x->shared_in || !x->shared_out || !x->pending || !x->touched)
		return failf(an, "out of memory for the graph builder");
	memset(x->shared_in, 0xff, n * sizeof(u32));
	memset(x->shared_out, 0xff, n * sizeof(u32));
	for (u32 i = 0; i < an->n_fns; i++)
		x->async_longjmps |= (an->fns[i].roles & LCG_AP_ASYNC) && an->fns[i].longjmps;
	return 0;
}

void expand_free(struct expander *x)
{
	free(x->on_stack);
	free(x->shared_in);
	free(x->shared_out);
	free(x->pending);
	free(x->touched);
	lg_free(&x->w);
}

/* The event of library-call edge @k of call @c (0: none). */
static u32 library_event(const struct analysis *an, const struct call *c, u32 k)
{
	if (c->kind == CK_INDIRECT)
		return an->target_events[c->first_target + k];
	return c->libcall;
}

static void copy_graph(struct expander *x, u32 fi, u32 *in, u32 *out);

static void shared_copy(struct expander *x, u32 fi, u32 *in, u32 *out)
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

/* Is a copy of @fi of its own here worth its states? */
static bool copy_inline(const struct expander *x, u32 fi)
{
	u32 size = x->an->graphs[fi].n_states + 1;

	if (x->on_stack[fi] || size > *x->budget)
		return false;
	return !x->inline_set || x->inline_set[fi];
}

/* Paste fn @fi between states @from and @to. */
static void paste(struct expander *x, u32 fi, u32 from, u32 to)
{
	u32 in, out;

	if (copy_inline(x, fi)) {
		*x->budget -= x->an->graphs[fi].n_states + 1;
		x->on_stack[fi] = 1;
		copy_graph(x, fi, &in, &out);
		x->on_stack[fi] = 0;
		x->n_inlined++;
	} else {
		shared_copy(x, fi, &in, &out);
		x->n_shared++;
	}
	lg_add_edge(&x->w, from, in, 0, LCG_NONE);
	lg_add_edge(&x->w, out, to, 0, LCG_NONE);
}

/* Part edge @from -> @to of call @ci: its site's edge, and its pasted targets. */
static void part_edge(struct expander *x, u32 ci, u32 from, u32 to, bool top)
{
	struct analysis *an = x->an;
	const struct call *c = &an->calls[ci];

	if (c->kind == CK_SETJMP || (c->keep && x->mode != EX_NFA)) {
		if (!top && c->kind != CK_SETJMP)
			x->flat_error = true;	/* plan.c pastes only flat callees */
		for (u32 j = 0; j < c->n_sites; j++) {
			const struct lcg_site *s = &an->p->graphs.sites[c->site + j];
			u32 ev = c->kind == CK_SETJMP ? s->post_event :
				 x->mode == EX_PDA ? s->pre_event : 0;

			lg_add_edge(&x->w, from, to, ev, c->site + j);
		}
		if (c->kind == CK_SETJMP)	/* its first return issues no event */
			lg_add_edge(&x->w, from, to, 0, LCG_NONE);
	}
	for (u32 k = 0; k < c->n_targets; k++) {
		u32 plan = an->target_plan[c->first_target + k];

		if (plan == TP_PASTE || (plan == TP_KEEP && x->mode == EX_NFA))
			paste(x, an->targets[c->first_target + k], from, to);
	}
}

/*
 * A copy of fn @fi's graph; @in is its entry.  The procedure's own graph
 * keeps its exits; a pasted copy's exits lead to @out instead.
 */
static void copy_graph(struct expander *x, u32 fi, u32 *in, u32 *out)
{
	const struct lgraph *g = &x->an->graphs[fi];
	u32 base = x->w.n_states;
	bool top = !x->depth++;

	for (u32 s = 0; s < g->n_states; s++)
		if (lg_add_state(&x->w) != LCG_NONE)
			x->w.flags[base + s] = g->flags[s] & (top ? LS_EXIT | LS_KEEP : LS_KEEP);
	*in = base + g->entry;
	*out = top ? LCG_NONE : lg_add_state(&x->w);
	for (u32 s = 0; !top && !x->w.oom && s < g->n_states; s++)
		if (g->flags[s] & LS_EXIT)
			lg_add_edge(&x->w, base + s, *out, 0, LCG_NONE);
	for (u32 i = 0; !x->w.oom && i < g->n_edges; i++) {
		const struct lg_edge *e = &g->edges[i];

		if (e->site == LCG_NONE)
			lg_add_edge(&x->w, base + e->from, base + e->to, e->event, LCG_NONE);
		else if (e->event != RAW_PART)
			lg_add_edge(&x->w, base + e->from, base + e->to,
				    library_event(x->an, &x->an->calls[e->site], e->event - 1),
				    LCG_NONE);
		else
			part_edge(x, e->site, base + e->from, base + e->to, top);
	}
	x->depth--;
}

/*
 * Every longjmp point of procedure @fi may land at every setjmp landing in
 * it.  NFA mode has no event at a landing, so where an asynchronous
 * function (a handler) may longjmp, every state it may interrupt is a
 * longjmp point, and in the handler's own procedure a longjmp leaves as a
 * return does (the monitor then goes back to where it interrupted).
 */
static void link_longjmps(struct expander *x, u32 fi)
{
	struct lgraph *w = &x->w;
	bool nfa = x->mode == EX_NFA, anywhere = nfa && x->async_longjmps;
	bool leaves = nfa && (x->an->fns[fi].roles & LCG_AP_ASYNC);
	bool any_landing = false, any_longjmp = anywhere;
	u32 hub = LCG_NONE;

	for (u32 s = 0; s < w->n_states; s++) {
		any_landing |= !!(w->flags[s] & LS_LANDING);
		any_longjmp |= !!(w->flags[s] & LS_LONGJMP);
		if (leaves && (w->flags[s] & LS_LONGJMP))
			w->flags[s] |= LS_EXIT;
	}
	if (any_landing && any_longjmp)
		hub = lg_add_state(w);
	for (u32 s = 0; hub != LCG_NONE && s < hub; s++) {
		if (anywhere || (w->flags[s] & LS_LONGJMP))
			lg_add_edge(w, s, hub, 0, LCG_NONE);
		if (w->flags[s] & LS_LANDING)
			lg_add_edge(w, hub, s, 0, LCG_NONE);
	}
	for (u32 s = 0; s < w->n_states; s++)
		w->flags[s] &= (u8)~LS_KEEP;
}

static int expand_once(struct expander *x, u32 fi)
{
	u32 in, out;

	lg_free(&x->w);
	x->n_pending = x->n_touched = 0;
	x->on_stack[fi] = 1;
	copy_graph(x, fi, &in, &out);
	x->on_stack[fi] = 0;
	x->w.entry = in;
	while (x->n_pending && !x->w.oom) {
		u32 g = x->pending[--x->n_pending], bin, bout;

		x->depth++;	/* a shared copy is never the procedure's own graph */
		x->on_stack[g] = 1;	/* its recursive calls come back to it */
		copy_graph(x, g, &bin, &bout);
		x->on_stack[g] = 0;
		x->depth--;
		lg_add_edge(&x->w, x->shared_in[g], bin, 0, LCG_NONE);
		lg_add_edge(&x->w, bout, x->shared_out[g], 0, LCG_NONE);
	}
	for (u32 i = 0; i < x->n_touched; i++)
		x->shared_in[x->touched[i]] = x->shared_out[x->touched[i]] = LCG_NONE;
	if (!x->w.oom)
		link_longjmps(x, fi);
	if (x->flat_error)
		return failf(x->an, "internal error: a pasted copy of a callee of %s keeps a "
			     "bracketed call", x->an->fns[fi].name);
	if (x->w.oom || !lg_collapse(&x->w))
		return failf(x->an, "out of memory building the graph of %s", x->an->fns[fi].name);
	return 0;
}

/*
 * Build fn @fi's procedure; when its copies would make the image compiler's
 * epsilon folding too large (LCG_CLOSURE_MAX labelled edges), build it
 * again with a quarter of the budget, down to one shared copy per callee.
 * Only what the last attempt used leaves the budget.
 */
int expand_proc(struct expander *x, u32 fi)
{
	u32 *budget = x->budget, cap = *budget, trial;
	int r;

	x->budget = &trial;
	for (;;) {
		trial = cap;
		r = expand_once(x, fi);
		if (r || !cap || lg_closure_cost(&x->w, LCG_CLOSURE_MAX) <= LCG_CLOSURE_MAX)
			break;
		x->n_narrowed += cap == *budget;
		cap /= 4;
	}
	x->budget = budget;
	*budget -= cap - trial;
	return r;
}
