// SPDX-License-Identifier: GPL-2.0
/*
 * cfg_graph.c - a function's library call graph from its CFG.
 *
 * One state at the start of each block and one after each call that
 * matters; epsilon edges along the CFG; the function's exits are the ends of
 * blocks that return (a block that ends in `unreachable`, e.g. after exit(),
 * has none).  lg_collapse() then removes the epsilon structure.
 */
#include "internal.h"
#include "lgraph.h"

/* Edges of call @c from state @cur; returns the state after the call. */
static u32 add_call_edges(const struct analysis *an, struct lgraph *g, const struct call *c,
			  u32 cur)
{
	bool pda = an->o->mode == LCG_MODE_PDA;
	u32 next;

	switch (c->kind) {
	case CK_LIBC:
	case CK_OPAQUE:
	case CK_RAW:
		if (!c->libcall)
			return cur;
		next = lg_add_state(g);
		lg_add_edge(g, cur, next, c->libcall, LCG_NONE);
		return next;
	case CK_INTERNAL:
		if (c->site == LCG_NONE)
			return cur;
		next = lg_add_state(g);
		lg_add_edge(g, cur, next, c->pre, c->site);
		return next;
	case CK_SETJMP:
		next = lg_add_state(g);
		if (pda) {
			lg_add_edge(g, cur, next, c->post, c->site);
		} else if (next != LCG_NONE) {
			lg_add_edge(g, cur, next, 0, LCG_NONE);
			g->flags[next] |= LS_LANDING;
		}
		return next;
	case CK_LONGJMP:
		if (!pda && cur != LCG_NONE)
			g->flags[cur] |= LS_LONGJMP;
		return cur;
	case CK_INDIRECT:
		break;
	default:
		return cur;
	}
	next = lg_add_state(g);
	for (u32 k = 0; k < c->n_targets; k++)
		if (an->target_events[c->first_target + k])
			lg_add_edge(g, cur, next, an->target_events[c->first_target + k], LCG_NONE);
	if (c->site != LCG_NONE)
		lg_add_edge(g, cur, next, c->pre, c->site);
	if (c->silent)
		lg_add_edge(g, cur, next, 0, LCG_NONE);
	return next;
}

static bool block_returns(LLVMValueRef term)
{
	LLVMOpcode op = term ? LLVMGetInstructionOpcode(term) : LLVMUnreachable;

	return op == LLVMRet || op == LLVMResume;
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
	if (g->oom || !lg_collapse(g))
		return failf(an, "out of memory building the graph of %s", f->name);
	return 0;
}
