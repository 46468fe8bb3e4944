/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expand.h - building a procedure's graph from the raw graphs (expand.c).
 */
#ifndef LCG_EXPAND_H
#define LCG_EXPAND_H

#include "lgraph.h"

struct analysis;

enum expand_mode {
	EX_PDA,		/* brackets where plan.c keeps them, pasted callees elsewhere */
	EX_NFA,		/* every callee pasted */
	EX_RELABEL,	/* as EX_PDA, but a site's edge is epsilon (NFA mode's procedures) */
};

struct expander {
	struct analysis *an;
	u32 mode;		/* enum expand_mode */
	u32 *budget;		/* states left for copies of their own, shared by procedures */
	const u8 *inline_set;	/* per fn: may have copies of its own (NULL: all may) */
	struct lgraph w;	/* the procedure being built */
	u8 *on_stack;		/* per fn: being copied right now */
	u32 *shared_in, *shared_out;	/* per fn: its shared copy in this procedure */
	u32 *pending, n_pending;	/* shared copies whose body is still to be built */
	u32 *touched, n_touched;	/* fns with a shared copy in this procedure */
	u32 depth;		/* copies being built, nested */
	bool flat_error;	/* a bracketed call met inside a copy */
	bool async_longjmps;	/* an asynchronous function may call longjmp */
	u32 n_inlined, n_shared;	/* copies of their own, links to shared copies */
	u32 n_narrowed;		/* procedures rebuilt with a smaller budget */
};

/*
 * A procedure whose epsilon closures would give the image more labelled
 * edges than this is built again with a smaller budget: the image compiler
 * folds closures into edges, and copies linked to shared copies multiply
 * them (mbed TLS's ssl_client2 at a 50,000-state budget: over 16 M, the
 * image's limit).
 */
#define LCG_CLOSURE_MAX (2u << 20)

int expand_init(struct expander *x, struct analysis *an, u32 mode, u32 *budget);
void expand_free(struct expander *x);
/*
 * Build fn @fi's procedure into x->w (collapsed), within LCG_CLOSURE_MAX.
 * -1 with the analysis's error set.
 */
int expand_proc(struct expander *x, u32 fi);

#endif /* LCG_EXPAND_H */
