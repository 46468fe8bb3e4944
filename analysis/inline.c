// SPDX-License-Identifier: GPL-2.0
/*
 * inline.c - which pasted callees get a copy of their own at every call
 * (the *inline set*); the others share one copy per procedure (expand.c).
 *
 * The set spends the states budget where copies buy precision.  A callee of
 * one call costs nothing to copy and loses nothing by sharing: it is always
 * in.  A callee of several calls is worth copying because its calls
 * continue differently (the record layer of a TLS library returns to a
 * dozen different places); a copy costs its *transitive* size (its graph
 * and the copies of its own callees), once per extra call.  Callees are
 * added cheapest first while the procedures fit the budget, so the budget
 * buys as many distinct return contexts as it can.  Recursive callees are
 * never copied (their calls would nest without end).  The whole program is
 * estimated as each root procedure's copies plus one shared copy of each
 * callee outside the set; expand.c still stops copying when the budget is
 * spent.
 */
#include <stdlib.h>
#include "internal.h"

struct chooser {
	struct analysis *an;
	bool (*root)(const struct analysis *an, u32 fi);
	u8 *set;		/* per fn: in the inline set */
	u32 *units;		/* per fn: states of one copy, with its copied callees */
	u32 *order;		/* fns, callees' components first */
	u8 *recursive;		/* per fn: called from its own component */
	u8 *pasted;		/* per fn: pasted somewhere */
};

static u32 add_sat(u32 a, u32 b)
{
	return a + b < a || a + b > (1u << 30) ? 1u << 30 : a + b;
}

static u32 mul_sat(u32 a, u32 b)
{
	u64 p = (u64)a * b;

	return p > (1u << 30) ? 1u << 30 : (u32)p;
}

/* Is slot @slot's target pasted (NFA mode pastes the bracketed ones too)? */
static bool slot_pasted(const struct analysis *an, u32 slot)
{
	u32 plan = an->target_plan[slot];

	return plan == TP_PASTE || (plan == TP_KEEP && an->o->mode == LCG_MODE_NFA);
}

/* units of every function, callees first, for the current inline set. */
static void compute_units(struct chooser *ch)
{
	struct analysis *an = ch->an;

	for (u32 o = 0; o < an->n_fns; o++) {
		u32 f = ch->order[o];
		const struct fn *fn = &an->fns[f];

		ch->units[f] = an->graphs[f].n_states + 1;
		for (u32 i = 0; fn->kind == FK_DEF && i < fn->n_calls + 2; i++) {
			u32 ci = i < fn->n_calls ? fn->first_call + i
				 : i == fn->n_calls ? fn->entry_part : fn->exit_part;
			const struct call *c = ci != LCG_NONE ? &an->calls[ci] : NULL;

			for (u32 k = 0; c && k < c->n_targets; k++) {
				u32 slot = c->first_target + k, t = an->targets[slot];

				if (slot_pasted(an, slot) && ch->set[t] && an->fns[t].scc != fn->scc)
					ch->units[f] = add_sat(ch->units[f], ch->units[t]);
			}
		}
	}
}

/* States the procedures take: their copies, and one shared copy of each other callee. */
static u32 total_units(struct chooser *ch)
{
	struct analysis *an = ch->an;
	u32 total = 0;

	compute_units(ch);
	for (u32 i = 0; i < an->n_fns; i++) {
		if (ch->root(an, i))
			total = add_sat(total, ch->units[i]);
		else if (ch->pasted[i] && !ch->set[i])
			total = add_sat(total, ch->units[i]);
	}
	return total;
}

static int prepare(struct chooser *ch)
{
	struct analysis *an = ch->an;
	size_t n = an->n_fns ? an->n_fns : 1;
	u32 *count = calloc(n + 1, sizeof(u32));

	ch->set = calloc(n, 1);
	ch->units = calloc(n, sizeof(u32));
	ch->order = malloc(n * sizeof(u32));
	ch->recursive = calloc(n, 1);
	ch->pasted = calloc(n, 1);
	if (!count || !ch->set || !ch->units || !ch->order || !ch->recursive || !ch->pasted) {
		free(count);
		return -1;
	}
	/* by component: plan.c numbered them callees first */
	for (u32 f = 0; f < an->n_fns; f++)
		count[an->fns[f].scc + 1]++;
	for (u32 k = 0; k < n; k++)
		count[k + 1] += count[k];
	for (u32 f = 0; f < an->n_fns; f++)
		ch->order[count[an->fns[f].scc]++] = f;
	free(count);
	for (u32 i = 0; i < an->n_calls; i++) {
		const struct call *c = &an->calls[i];

		for (u32 k = 0; c->part != PART_NONE && k < c->n_targets; k++) {
			u32 slot = c->first_target + k, t = an->targets[slot];

			if (!slot_pasted(an, slot))
				continue;
			ch->pasted[t] = 1;
			if (an->fns[t].scc == an->fns[c->caller].scc)
				ch->recursive[t] = 1;
		}
	}
	for (u32 f = 0; f < an->n_fns; f++)
		ch->set[f] = an->fns[f].refs <= 1 && !ch->recursive[f];
	return 0;
}

static int by_cost(const void *a, const void *b, void *ctx)
{
	const struct chooser *ch = ctx;
	u32 x = *(const u32 *)a, y = *(const u32 *)b;
	u32 cx = mul_sat(ch->units[x], ch->an->fns[x].refs - 1);
	u32 cy = mul_sat(ch->units[y], ch->an->fns[y].refs - 1);

	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Add the pasted callees of several calls, cheapest first, while the procedures fit. */
static int add_cheapest(struct chooser *ch, u32 budget)
{
	struct analysis *an = ch->an;
	u32 *cand = malloc((an->n_fns ? an->n_fns : 1) * sizeof(u32)), n = 0;

	if (!cand)
		return -1;
	compute_units(ch);
	for (u32 f = 0; f < an->n_fns; f++)
		if (ch->pasted[f] && an->fns[f].refs > 1 && !ch->recursive[f])
			cand[n++] = f;
	qsort_r(cand, n, sizeof(u32), by_cost, ch);
	for (u32 i = 0; i < n; i++) {
		ch->set[cand[i]] = 1;
		if (total_units(ch) > budget)
			ch->set[cand[i]] = 0;
	}
	free(cand);
	return 0;
}

u8 *choose_inline(struct analysis *an, u32 budget,
		  bool (*root)(const struct analysis *an, u32 fi))
{
	struct chooser ch = { .an = an, .root = root };
	int r = prepare(&ch);

	if (!r)
		r = add_cheapest(&ch, budget);

	free(ch.units);
	free(ch.order);
	free(ch.recursive);
	free(ch.pasted);
	if (r) {
		free(ch.set);
		failf(an, "out of memory choosing the callees to copy");
		return NULL;
	}
	return ch.set;
}
