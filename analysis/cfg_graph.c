// SPDX-License-Identifier: GPL-2.0
/*
 * cfg_graph.c - a function's library call graph from its CFG, its calls
 * still unlabelled.
 *
 * One state at the start of each block and one after each call that
 * matters; epsilon edges along the CFG; the function's exits are the ends of
 * blocks that return (a block that ends in `unreachable`, e.g. after exit(),
 * has none).  A call's edges name the call, not an event (RAW_* below): its
 * library calls, monitored or not, and its *part*, the program functions it
 * may run, whose fate (bracketed or pasted) plan.c decides before events.c
 * numbers anything.  A part that runs its targets any number of times
 * (callbacks libc runs during the call, exit handlers) is a loop on the state
 * after the call.  Constructors are a loop before main's entry, exit
 * handlers one at the returns of main and of thread entries.  lg_collapse()
 * then removes the epsilon structure.
 */
#include "internal.h"
#include "lgraph.h"

bool call_silent(const struct analysis *an, const struct call *c)
{
	if (!c->n_targets)
		return true;
	for (u32 k = 0; k < c->n_targets; k++) {
		const struct fn *t = &an->fns[an->targets[c->first_target + k]];

		if (t->kind == FK_DEF ? !t->reaches : !is_monitored_callee(an, t))
			return true;
	}
	return false;
}

bool part_runs_events(const struct analysis *an, const struct call *c)
{
	for (u32 k = 0; c->part != PART_NONE && k < c->n_targets; k++) {
		const struct fn *t = &an->fns[an->targets[c->first_target + k]];

		if (t->kind == FK_DEF && t->reaches)
			return true;
	}
	return false;
}

/* Can the program go along raw edge @e without a library call? */
bool raw_edge_passable(const struct analysis *an, const struct lg_edge *e)
{
	const struct call *c;

	if (e->site == LCG_NONE)
		return true;
	if (e->event != RAW_PART)
		return false;
	c = &an->calls[e->site];
	if (c->kind == CK_SETJMP)
		return true;	/* its first return is no event (a longjmp's follows one) */
	if (c->part == PART_LOOP)
		return true;	/* zero runs */
	for (u32 k = 0; k < c->n_targets; k++) {
		const struct fn *t = &an->fns[an->targets[c->first_target + k]];

		if (t->kind == FK_DEF && t->reaches && t->nullable)
			return true;
	}
	return false;
}

/*
 * A longjmp may leave from state @s when @c runs a function that may call
 * longjmp and makes no event, so has no graph to be pasted with its own
 * longjmp points.
 */
static void mark_longjmp_point(const struct analysis *an, struct lgraph *g, const struct call *c,
			       u32 s)
{
	for (u32 k = 0; s != LCG_NONE && c->part != PART_NONE && k < c->n_targets; k++) {
		const struct fn *t = &an->fns[an->targets[c->first_target + k]];

		if (t->kind == FK_DEF && t->longjmps && !t->reaches) {
			g->flags[s] |= LS_LONGJMP;
			return;
		}
	}
}

/* A loop of @c's part on state @s. */
static void add_loop(const struct analysis *an, struct lgraph *g, const struct call *c, u32 s)
{
	mark_longjmp_point(an, g, c, s);
	if (part_runs_events(an, c))
		lg_add_edge(g, s, s, RAW_PART, (u32)(c - an->calls));
}

static u32 library_call_edges(const struct analysis *an, struct lgraph *g, const struct call *c,
			      u32 cur)
{
	u32 ci = (u32)(c - an->calls), next = cur;
	bool monitored = c->kind != CK_LIBC || is_monitored_callee(an, &an->fns[c->callee]);

	if (monitored) {
		next = lg_add_state(g);
		lg_add_edge(g, cur, next, RAW_LIB(0), ci);
	}
	mark_longjmp_point(an, g, c, cur);
	add_loop(an, g, c, next);
	return next;
}

static u32 indirect_call_edges(const struct analysis *an, struct lgraph *g, const struct call *c,
			       u32 cur)
{
	u32 ci = (u32)(c - an->calls), next = lg_add_state(g);

	mark_longjmp_point(an, g, c, cur);
	for (u32 k = 0; k < c->n_targets; k++) {
		const struct fn *t = &an->fns[an->targets[c->first_target + k]];

		if (t->kind != FK_DEF && is_monitored_callee(an, t))
			lg_add_edge(g, cur, next, RAW_LIB(k), ci);
	}
	if (part_runs_events(an, c))
		lg_add_edge(g, cur, next, RAW_PART, ci);
	if (call_silent(an, c))
		lg_add_edge(g, cur, next, 0, LCG_NONE);
	return next;
}

/* Edges of call @c from state @cur; returns the state after the call. */
static u32 add_call_edges(const struct analysis *an, struct lgraph *g, const struct call *c,
			  u32 cur)
{
	bool pda = an->o->mode == LCG_MODE_PDA;
	u32 next;

	if (cur == LCG_NONE)
		return cur;
	switch (c->kind) {
	case CK_LIBC:
	case CK_OPAQUE:
	case CK_RAW:
		return library_call_edges(an, g, c, cur);
	case CK_INTERNAL:
		if (!an->fns[c->callee].reaches) {
			mark_longjmp_point(an, g, c, cur);
			return cur;
		}
		next = lg_add_state(g);
		lg_add_edge(g, cur, next, RAW_PART, (u32)(c - an->calls));
		return next;
	case CK_SETJMP:
		next = lg_add_state(g);
		if (next == LCG_NONE)
			return next;
		/* PDA: a site of its own, whose POSTCALL labels this edge */
		lg_add_edge(g, cur, next, pda ? RAW_PART : 0, pda ? (u32)(c - an->calls) : LCG_NONE);
		g->flags[next] |= LS_LANDING;
		return next;
	case CK_LONGJMP:
		g->flags[cur] |= LS_LONGJMP;
		return cur;
	case CK_INDIRECT:
		return indirect_call_edges(an, g, c, cur);
	default:
		return cur;
	}
}

static bool block_returns(LLVMValueRef term)
{
	LLVMOpcode op = term ? LLVMGetInstructionOpcode(term) : LLVMUnreachable;

	return op == LLVMRet || op == LLVMResume;
}

/* Constructors loop before the entry; exit handlers after every return. */
static void add_handler_parts(const struct analysis *an, const struct fn *f, struct lgraph *g)
{
	u32 n = g->n_states, s;

	if (f->exit_part != LCG_NONE) {
		u32 h = lg_add_state(g);

		for (s = 0; h != LCG_NONE && s < n; s++)
			if (g->flags[s] & LS_EXIT) {
				g->flags[s] &= (u8)~LS_EXIT;
				lg_add_edge(g, s, h, 0, LCG_NONE);
			}
		if (h != LCG_NONE)
			g->flags[h] |= LS_EXIT;
		add_loop(an, g, &an->calls[f->exit_part], h);
	}
	if (f->entry_part != LCG_NONE) {
		u32 e = lg_add_state(g);

		lg_add_edge(g, e, g->entry, 0, LCG_NONE);
		add_loop(an, g, &an->calls[f->entry_part], e);
		if (e != LCG_NONE)
			g->entry = e;
	}
}

int build_cfg_graph(struct analysis *an, u32 fi, struct lgraph *g)
{
	const struct fn *f = &an->fns[fi];
	u32 n_blocks = LLVMCountBasicBlocks(f->v);
	u32 ci = f->first_call, end = f->first_call + f->n_calls, b = 0;
	struct ptrmap block_state;

	ptrmap_init(&block_state);
	lg_init(g);
	for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(f->v); bb; bb = LLVMGetNextBasicBlock(bb))
		if (!ptrmap_put(&block_state, bb, lg_add_state(g)))
			g->oom = true;
	g->entry = 0;
	for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(f->v); bb && b < n_blocks;
	     bb = LLVMGetNextBasicBlock(bb), b++) {
		LLVMValueRef term = LLVMGetBasicBlockTerminator(bb);
		u32 cur = b;

		for (; ci < end && an->calls[ci].block == b; ci++)
			cur = add_call_edges(an, g, &an->calls[ci], cur);
		if (cur != LCG_NONE && block_returns(term))
			g->flags[cur] |= LS_EXIT;
		for (unsigned s = 0; term && s < LLVMGetNumSuccessors(term); s++)
			lg_add_edge(g, cur, ptrmap_get(&block_state, LLVMGetSuccessor(term, s)),
				    0, LCG_NONE);
	}
	ptrmap_free(&block_state);
	if (!g->oom)
		add_handler_parts(an, f, g);
	if (g->oom || !lg_collapse(g))
		return failf(an, "out of memory building the graph of %s", f->name);
	return 0;
}

/* Functions whose graphs later passes read: those that reach events or have a role. */
static bool wants_graph(const struct fn *f)
{
	return f->kind == FK_DEF &&
	       (f->reaches || (f->roles & ~LCG_AP_ADDRESS_TAKEN) || f->ctx_roles ||
		f->entry_part != LCG_NONE || f->exit_part != LCG_NONE);
}

int build_raw_graphs(struct analysis *an)
{
	an->graphs = calloc(an->n_fns ? an->n_fns : 1, sizeof(*an->graphs));
	if (!an->graphs)
		return failf(an, "out of memory for the functions' graphs");
	for (u32 i = 0; i < an->n_fns; i++)
		if (wants_graph(&an->fns[i]) && build_cfg_graph(an, i, &an->graphs[i]))
			return -1;
	return 0;
}
