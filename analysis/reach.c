// SPDX-License-Identifier: GPL-2.0
/*
 * reach.c - which definitions can emit an event, themselves or through the
 * functions they may run (callees, callbacks run in context, exit
 * handlers): a fixpoint over the reversed call graph, linear in its size.
 * Only calls of such functions need PRECALL/POSTCALL or pasting.  Likewise
 * which may call longjmp: a call of one that makes no event is still a
 * point a longjmp may leave from (cfg_graph.c).
 */
#include <string.h>
#include "internal.h"

/* Does call @c itself emit an event in the current mode and event set? */
static bool emits_event(const struct analysis *an, const struct call *c)
{
	switch (c->kind) {
	case CK_LIBC:
		return is_monitored_callee(an, &an->fns[c->callee]);
	case CK_SETJMP:
		return an->o->mode == LCG_MODE_PDA;
	case CK_OPAQUE:
	case CK_RAW:
		return true;
	case CK_INDIRECT:
		for (u32 k = 0; k < c->n_targets; k++)
			if (is_monitored_callee(an, &an->fns[an->targets[c->first_target + k]]))
				return true;
		return false;
	default:
		return false;
	}
}

/* The program functions @c may run (its part's targets; some may be external). */
static u32 internal_callees(const struct analysis *an, const struct call *c, const u32 **out)
{
	*out = &an->targets[c->first_target];
	return c->part == PART_NONE ? 0 : c->n_targets;
}

/* Reversed call graph in CSR form: for each callee, the callers. */
struct rev_graph {
	u32 *start;	/* n_fns + 1 */
	u32 *callers;
};

static int build_rev(struct analysis *an, struct rev_graph *r)
{
	u32 *fill;

	r->start = calloc(an->n_fns + 1, sizeof(u32));
	if (!r->start)
		return -1;
	for (u32 i = 0; i < an->n_calls; i++) {
		const u32 *cal;
		u32 n = internal_callees(an, &an->calls[i], &cal);

		for (u32 k = 0; k < n; k++)
			if (an->fns[cal[k]].kind == FK_DEF)
				r->start[cal[k] + 1]++;
	}
	for (u32 i = 0; i < an->n_fns; i++)
		r->start[i + 1] += r->start[i];
	r->callers = malloc((r->start[an->n_fns] ? r->start[an->n_fns] : 1) * sizeof(u32));
	fill = malloc((an->n_fns ? an->n_fns : 1) * sizeof(u32));
	if (!r->callers || !fill) {
		free(fill);
		return -1;
	}
	memcpy(fill, r->start, an->n_fns * sizeof(u32));
	for (u32 i = 0; i < an->n_calls; i++) {
		const u32 *cal;
		u32 n = internal_callees(an, &an->calls[i], &cal);

		for (u32 k = 0; k < n; k++)
			if (an->fns[cal[k]].kind == FK_DEF)
				r->callers[fill[cal[k]]++] = an->calls[i].caller;
	}
	free(fill);
	return 0;
}

/* Mark every caller, transitively, of a marked fn; @work holds the first @n. */
static void mark_callers(struct analysis *an, const struct rev_graph *r, bool *mark, u32 *work,
			 u32 n)
{
	while (n) {
		u32 callee = work[--n];

		for (u32 k = r->start[callee]; k < r->start[callee + 1]; k++)
			if (!mark[r->callers[k]]) {
				mark[r->callers[k]] = true;
				work[n++] = r->callers[k];
			}
	}
}

int compute_reach(struct analysis *an)
{
	struct rev_graph r = { 0 };
	size_t n_fns = an->n_fns ? an->n_fns : 1;
	u32 *work = malloc(n_fns * sizeof(u32));
	bool *reaches = calloc(n_fns, 1), *longjmps = calloc(n_fns, 1);
	u32 n_reach = 0, n_longjmp = 0;
	int ret = 0;

	if (!work || !reaches || !longjmps || build_rev(an, &r)) {
		ret = failf(an, "out of memory computing reachability");
		goto out;
	}
	for (u32 i = 0; i < an->n_calls; i++) {
		u32 f = an->calls[i].caller;

		if (!reaches[f] && emits_event(an, &an->calls[i])) {
			reaches[f] = true;
			work[n_reach++] = f;
		}
	}
	mark_callers(an, &r, reaches, work, n_reach);
	for (u32 i = 0; i < an->n_calls; i++) {
		u32 f = an->calls[i].caller;

		if (!longjmps[f] && an->calls[i].kind == CK_LONGJMP) {
			longjmps[f] = true;
			work[n_longjmp++] = f;
		}
	}
	mark_callers(an, &r, longjmps, work, n_longjmp);
	for (u32 i = 0; i < an->n_fns; i++) {
		an->fns[i].reaches = reaches[i];
		an->fns[i].longjmps = longjmps[i];
	}
out:
	free(work);
	free(reaches);
	free(longjmps);
	free(r.start);
	free(r.callers);
	return ret;
}
