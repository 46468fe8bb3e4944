// SPDX-License-Identifier: GPL-2.0
/*
 * inline.c - which pasted callees get a copy of their own at every call
 * (the *inline set*); the others share one copy per procedure (expand.c).
 *
 * The set spends the states budget where copies buy precision.  A callee of
 * one call costs nothing to copy and loses nothing by sharing: it is always
 * in.  A callee of several calls is worth copying only as far as its calls
 * continue differently (the record layer of a TLS library returns to a
 * dozen different places): its *value* is the number of different
 * continuations of its calls, less one, where a continuation is what its
 * caller may do first after the call returns (the library calls and calls
 * met before any library call, and whether the caller may return first).
 * A callee whose calls all continue alike gains nothing from copies.  A
 * copy costs its *transitive* size (its graph and the copies of its own
 * callees), once per extra call.  Callees are added in order of cost per
 * value while the procedures fit the budget, so the budget buys as many
 * distinct return contexts as it can.  Recursive callees are
 * never copied (their calls would nest without end).  The whole program is
 * estimated as each root procedure's copies plus one shared copy of each
 * callee outside the set; expand.c still stops copying when the budget is
 * spent.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct chooser {
	struct analysis *an;
	bool (*root)(const struct analysis *an, u32 fi);
	u8 *set;		/* per fn: in the inline set */
	u32 *units;		/* per fn: states of one copy, with its copied callees */
	u32 *order;		/* fns, callees' components first */
	u8 *recursive;		/* per fn: called from its own component */
	u8 *pasted;		/* per fn: pasted somewhere */
	u32 *value;		/* per fn: distinct continuations of its calls, less one */
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

/* A token's contribution to a set's hash: a sum of mixed tokens. */
static u64 mix(u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

#define TOKEN_RETURN (1ull << 40)	/* the caller may return: + its fn index */

struct walker {
	u32 fn;			/* the fn whose graph ->off indexes, or LCG_NONE */
	u32 *off;		/* lg_edge_offsets() of that graph */
	u32 *stack;
	u8 *seen;
};

/*
 * The continuation from state @s of fn @fi's raw graph, as a hash of the
 * set of what may come first: library call edges, call parts (and what
 * follows one the program can pass without a library call), the return.
 * False when out of memory.
 */
static bool continuation(const struct analysis *an, struct walker *w, u32 fi, u32 s, u64 *hash)
{
	const struct lgraph *g = &an->graphs[fi];
	u32 n = 0, top = 0;
	u64 h = 0;

	if (w->fn != fi) {	/* calls come in caller order: one index per caller */
		free(w->off);
		w->off = lg_edge_offsets(g);
		w->fn = w->off ? fi : LCG_NONE;
		if (!w->off)
			return false;
	}
	w->stack[n++] = s;
	w->seen[s] = 1;
	while (top < n) {
		u32 cur = w->stack[top++];

		if (g->flags[cur] & LS_EXIT)
			h += mix(TOKEN_RETURN + fi);
		for (u32 e = w->off[cur]; e < w->off[cur + 1]; e++) {
			const struct lg_edge *ed = &g->edges[e];

			if (ed->site != LCG_NONE)
				h += mix((u64)ed->site << 8 | (ed->event & 0xff));
			if (raw_edge_passable(an, ed) && !w->seen[ed->to]) {
				w->seen[ed->to] = 1;
				w->stack[n++] = ed->to;
			}
		}
	}
	for (u32 i = 0; i < n; i++)
		w->seen[w->stack[i]] = 0;
	*hash = h;
	return true;
}

struct cont {
	u32 fn;		/* a callee pasted at the call */
	u64 hash;	/* the call's continuation */
};

static int by_fn_hash(const void *a, const void *b)
{
	const struct cont *x = a, *y = b;

	if (x->fn != y->fn)
		return x->fn < y->fn ? -1 : 1;
	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/* Each callee's value: how many different continuations its calls have, less one. */
static int compute_values(struct chooser *ch)
{
	struct analysis *an = ch->an;
	u32 max_states = 1, n = 0;
	struct cont *conts = malloc((an->n_targets ? an->n_targets : 1) * sizeof(*conts));
	u32 *after = malloc((an->n_calls ? an->n_calls : 1) * sizeof(u32));
	struct walker w = { .fn = LCG_NONE };
	int r = -1;

	for (u32 f = 0; f < an->n_fns; f++)
		if (an->graphs[f].n_states + 1 > max_states)
			max_states = an->graphs[f].n_states + 1;
	w.stack = malloc(max_states * sizeof(u32));
	w.seen = calloc(max_states, 1);
	if (!conts || !after || !w.stack || !w.seen)
		goto out;
	memset(after, 0xff, (an->n_calls ? an->n_calls : 1) * sizeof(u32));
	for (u32 f = 0; f < an->n_fns; f++)
		for (u32 e = 0; e < an->graphs[f].n_edges; e++) {
			const struct lg_edge *ed = &an->graphs[f].edges[e];

			if (ed->site != LCG_NONE && ed->event == RAW_PART)
				after[ed->site] = ed->to;
		}
	for (u32 i = 0; i < an->n_calls; i++) {
		const struct call *c = &an->calls[i];
		bool walked = false;
		u64 h = 0;

		for (u32 k = 0; after[i] != LCG_NONE && k < c->n_targets; k++) {
			if (!slot_pasted(an, c->first_target + k))
				continue;
			if (!walked && !continuation(an, &w, c->caller, after[i], &h))
				goto out;
			walked = true;
			conts[n++] = (struct cont){ an->targets[c->first_target + k], h };
		}
	}
	qsort(conts, n, sizeof(*conts), by_fn_hash);
	for (u32 i = 1; i < n; i++)
		if (conts[i].fn == conts[i - 1].fn && conts[i].hash != conts[i - 1].hash)
			ch->value[conts[i].fn]++;
	r = 0;
out:
	free(conts);
	free(after);
	free(w.off);
	free(w.stack);
	free(w.seen);
	return r;
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
	ch->value = calloc(n, sizeof(u32));
	if (!count || !ch->set || !ch->units || !ch->order || !ch->recursive || !ch->pasted ||
	    !ch->value) {
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
	return compute_values(ch);
}

static int by_cost(const void *a, const void *b, void *ctx)
{
	const struct chooser *ch = ctx;
	u32 x = *(const u32 *)a, y = *(const u32 *)b;
	u64 cx = (u64)mul_sat(ch->units[x], ch->an->fns[x].refs - 1) * ch->value[y];
	u64 cy = (u64)mul_sat(ch->units[y], ch->an->fns[y].refs - 1) * ch->value[x];

	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x < y ? -1 : x > y;
}

/*
 * Add the pasted callees of several calls that continue differently,
 * cheapest per distinct continuation first, while the procedures fit.
 */
static int add_cheapest(struct chooser *ch, u32 budget)
{
	struct analysis *an = ch->an;
	u32 *cand = malloc((an->n_fns ? an->n_fns : 1) * sizeof(u32)), n = 0;

	if (!cand)
		return -1;
	compute_units(ch);
	for (u32 f = 0; f < an->n_fns; f++)
		if (ch->pasted[f] && an->fns[f].refs > 1 && !ch->recursive[f] && ch->value[f])
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
	free(ch.value);
	if (r) {
		free(ch.set);
		failf(an, "out of memory choosing the callees to copy");
		return NULL;
	}
	return ch.set;
}
