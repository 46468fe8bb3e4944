// SPDX-License-Identifier: GPL-2.0
/*
 * nfa.c - the whole-program automaton of NFA mode (Wagner & Dean's
 * call-graph model, with inlining).
 *
 * Procedure "<program>" is main's graph with every call replaced by the
 * callee's graph (expand.c); one more procedure per asynchronous entry and
 * per thread entry, built the same way.  A callee gets a copy of its own at
 * each call when it is in the *inline set*, else the calls share one copy,
 * whose exits lead back to every call that uses it: that is where the model
 * loses precision (impossible paths), and only there.
 * inline.c chooses the inline set.
 */
#include <stdlib.h>
#include "internal.h"
#include "expand.h"

static int build_proc(struct analysis *an, struct expander *x, u32 fi, const char *name,
		      u32 flags)
{
	struct lcg_automaton *a = &an->p->nfa;
	u32 proc, *map;

	if (expand_proc(x, fi))
		return -1;
	map = malloc((x->w.n_states ? x->w.n_states : 1) * sizeof(u32));
	proc = lcg_aut_add_proc(a, name, flags);
	if (map && proc != LCG_NONE)
		emit_lgraph(a, proc, &x->w, map);
	free(map);
	if (!map || a->oom)
		return failf(an, "out of memory writing the NFA of %s", name);
	return 0;
}

/* The procedures for inline set @set and states @budget; *@narrowed: a procedure was. */
static int build_procs(struct analysis *an, const u8 *set, u32 budget, bool *narrowed)
{
	const u32 entry_roles = LCG_AP_ASYNC | LCG_AP_THREAD_ENTRY;
	struct expander x;
	int r = expand_init(&x, an, EX_NFA, &budget);

	x.inline_set = set;
	if (!r)
		r = build_proc(an, &x, an->main_fn, "<program>", LCG_AP_MAIN);
	for (u32 i = 0; !r && i < an->n_fns; i++) {
		const struct fn *f = &an->fns[i];

		if (f->proc != LCG_NONE && (f->roles & entry_roles))
			r = build_proc(an, &x, i, f->name, f->roles & entry_roles);
	}
	if (an->st) {
		an->st->nfa_inlined = x.n_inlined;
		an->st->nfa_shared = x.n_shared;
		an->st->narrowed_procs += x.n_narrowed;
	}
	*narrowed = x.n_narrowed;
	expand_free(&x);
	return r;
}

/* The entries of the whole-program automaton: main, asynchronous entries, threads. */
static bool nfa_root(const struct analysis *an, u32 fi)
{
	return fi == an->main_fn ||
	       (an->fns[fi].proc != LCG_NONE &&
		(an->fns[fi].roles & (LCG_AP_ASYNC | LCG_AP_THREAD_ENTRY)));
}

/*
 * A procedure whose copies make the image compiler's epsilon folding too
 * large is built again by expand.c with less budget, which it spends on the
 * first copies it meets; so the whole automaton is built again with half
 * the budget and an inline set chosen for it, down to none.
 */
int build_nfa(struct analysis *an)
{
	u32 budget = an->o->inline_budget;

	for (;;) {
		u8 *set = choose_inline(an, budget, nfa_root);
		bool narrowed = false;
		int r = set ? build_procs(an, set, budget, &narrowed) : -1;

		free(set);
		if (r || !narrowed || !budget)
			return r;
		lcg_aut_free(&an->p->nfa);
		budget /= 2;
	}
}
