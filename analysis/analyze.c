// SPDX-License-Identifier: GPL-2.0
/*
 * analyze.c - lcg_analyze_module(): run the passes of internal.h in order.
 */
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "internal.h"

void lcg_analysis_opts_default(struct lcg_analysis_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = LCG_MODE_PDA;
	o->event_set = LCG_EVENTS_EFFECTS;
	o->inline_budget = LCG_INLINE_BUDGET_DEFAULT;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What became of @c's part: pasted, bracketed, hot (PDA); callbacks pasted in context. */
static void count_part(const struct analysis *an, const struct call *c,
		       struct lcg_analysis_stats *st)
{
	bool pasted = false;

	for (u32 k = 0; c->part != PART_NONE && k < c->n_targets; k++)
		pasted |= an->target_plan[c->first_target + k] == TP_PASTE;
	if (c->part == PART_LOOP) {
		st->callbacks_in_context += pasted;
		return;
	}
	if (c->part != PART_CALL || an->o->mode != LCG_MODE_PDA)
		return;
	st->pasted_calls += pasted && !c->keep;
	st->hot_calls += c->hot;
	st->flattened_calls += an->fns[c->caller].forced && !c->hot && pasted;
}

static void count_stats(const struct analysis *an, struct lcg_analysis_stats *st)
{
	const struct lcg_policy *p = an->p;

	for (u32 i = 0; i < an->n_fns; i++) {
		const struct fn *f = &an->fns[i];

		st->functions += f->kind == FK_DEF;
		st->libc_functions += f->kind == FK_LIBC && f->used;
		st->opaque_functions += f->kind == FK_OPAQUE && f->used;
	}
	for (u32 i = 0; i < an->n_calls; i++) {
		const struct call *c = &an->calls[i];

		st->libc_sites += c->kind == CK_LIBC || c->kind == CK_SETJMP || c->kind == CK_LONGJMP;
		st->internal_sites += c->kind == CK_INTERNAL || (c->kind == CK_INDIRECT && c->internal);
		st->setjmp_sites += c->kind == CK_SETJMP;
		count_part(an, c, st);
	}
	for (u32 i = 0; i < p->graphs.n_procs; i++)
		st->async_entries += !!(p->graphs.procs[i].flags & LCG_AP_ASYNC);
	for (u32 i = 1; i < p->n_events; i++) {
		st->libcall_events += p->events[i].kind == LCG_EV_LIBCALL;
		st->precall_events += p->events[i].kind == LCG_EV_PRECALL;
		st->postcall_events += p->events[i].kind == LCG_EV_POSTCALL;
	}
	st->events = p->n_events - 1;
	st->procs = p->graphs.n_procs;
	st->states = p->graphs.n_states;
	st->edges = p->graphs.n_edges;
	st->sites = p->graphs.n_sites;
	st->nfa_procs = p->nfa.n_procs;
	st->nfa_states = p->nfa.n_states;
	st->nfa_edges = p->nfa.n_edges;
}

static char *dup_where(LLVMValueRef inst, u32 *line)
{
	const char *file;
	unsigned l;

	debug_where(inst, &file, &l);
	*line = l;
	return file ? strdup(file) : NULL;
}

/* The hot calls: where brackets were squelched (the precision cost of bounded cost). */
static int record_squelched(struct analysis *an, struct lcg_analysis_stats *st)
{
	u32 n = 0;

	st->squelched = calloc(st->hot_calls ? st->hot_calls : 1, sizeof(*st->squelched));
	if (!st->squelched)
		return failf(an, "out of memory for the statistics");
	for (u32 i = 0; i < an->n_calls; i++) {
		const struct call *c = &an->calls[i];
		struct lcg_squelched_site *s;

		if (!c->hot || c->part != PART_CALL || n == st->hot_calls)
			continue;
		s = &st->squelched[n++];
		s->function = strdup(an->fns[c->caller].name);
		s->file = dup_where(c->inst, &s->line);
		s->callee = strdup(c->kind == CK_INDIRECT ? "*" : an->fns[c->callee].name);
		if (!s->function || !s->callee)
			return failf(an, "out of memory for the statistics");
	}
	return 0;
}

static int record_indirect(struct analysis *an, struct lcg_analysis_stats *st)
{
	u32 n = 0;

	for (u32 i = 0; i < an->n_calls; i++)
		n += an->calls[i].kind == CK_INDIRECT;
	st->indirect = calloc(n ? n : 1, sizeof(*st->indirect));
	if (!st->indirect)
		return failf(an, "out of memory for the statistics");
	for (u32 i = 0; i < an->n_calls; i++) {
		const struct call *c = &an->calls[i];
		struct lcg_indirect_site *s;
		const char *file;
		unsigned line;

		if (c->kind != CK_INDIRECT)
			continue;
		s = &st->indirect[st->indirect_sites++];
		debug_where(c->inst, &file, &line);
		s->function = strdup(an->fns[c->caller].name);
		s->file = file ? strdup(file) : NULL;
		s->line = line;
		s->how = c->how;
		for (u32 k = 0; k < c->n_targets; k++) {
			u32 kind = an->fns[an->targets[c->first_target + k]].kind;

			s->n_internal += kind == FK_DEF;
			s->n_libc += kind == FK_LIBC;
			s->n_other += kind == FK_OPAQUE;
		}
		st->indirect_targets += c->n_targets;
		st->indirect_libc_targets += s->n_libc;
		if (!s->function || (file && !s->file))
			return failf(an, "out of memory for the statistics");
	}
	return 0;
}

static void free_analysis(struct analysis *an)
{
	for (u32 i = 0; an->graphs && i < an->n_fns; i++)
		lg_free(&an->graphs[i]);
	free(an->graphs);
	free(an->fns);
	free(an->calls);
	free(an->targets);
	free(an->target_events);
	free(an->target_plan);
	resolve_free(an);
	ptrmap_free(&an->fn_index);
	libc_model_free(&an->model);
}

static int run_passes(struct analysis *an)
{
	if (libc_model_load(&an->model, an->o->model_path, an->err, an->errlen) ||
	    scan_functions(an) || scan_calls(an) || compute_reach(an) || build_raw_graphs(an) ||
	    plan_calls(an) || assign_events(an) || build_graphs(an))
		return -1;
	if (an->o->mode == LCG_MODE_NFA && build_nfa(an))
		return -1;
	return 0;
}

static bool valid_opts(const struct lcg_analysis_opts *o, char *err, size_t errlen)
{
	if (o->mode != LCG_MODE_PDA && o->mode != LCG_MODE_NFA) {
		snprintf(err, errlen, "unknown mode %u: use pda or nfa", o->mode);
		return false;
	}
	if (o->event_set < LCG_EVENTS_EFFECTS || o->event_set > LCG_EVENTS_ALL_LIBC) {
		snprintf(err, errlen, "unknown event set %u: use effects, syscalls or all-libc",
			 o->event_set);
		return false;
	}
	return true;
}

int lcg_analyze_module(LLVMModuleRef m, const struct lcg_analysis_opts *o,
		       struct lcg_policy *out, struct lcg_analysis_stats *st,
		       char *err, size_t errlen)
{
	struct analysis an = {
		.m = m, .ctx = LLVMGetModuleContext(m), .o = o, .p = out, .st = st,
		.err = err, .errlen = errlen,
	};
	double t0 = now();
	char bad[512];
	int r;

	err[0] = 0;
	lcg_policy_init(out);
	if (st)
		memset(st, 0, sizeof(*st));
	if (!valid_opts(o, err, errlen))
		return -1;
	out->mode = o->mode;
	out->event_set = o->event_set;
	ptrmap_init(&an.fn_index);
	r = run_passes(&an);
	if (!r && lcg_aut_check(&out->graphs, "graphs", bad, sizeof(bad)))
		r = failf(&an, "internal error: the procedures' graphs are inconsistent: %s", bad);
	if (!r && o->mode == LCG_MODE_NFA && lcg_aut_check(&out->nfa, "nfa", bad, sizeof(bad)))
		r = failf(&an, "internal error: the NFA is inconsistent: %s", bad);
	if (!r && st) {
		count_stats(&an, st);
		r = record_indirect(&an, st);
		if (!r)
			r = record_squelched(&an, st);
	}
	if (!r && o->instrument)
		r = instrument_module(&an);
	/* the binary must not keep KCFI's checks: libc functions have no type prefix */
	if (!r && o->instrument)
		r = lcg_kcfi_strip(m, err, errlen);
	if (r) {
		lcg_policy_free(out);
		lcg_policy_init(out);
	}
	free_analysis(&an);
	if (st) {
		struct rusage ru;

		st->seconds = now() - t0;
		if (!getrusage(RUSAGE_SELF, &ru))
			st->peak_rss_kb = (u64)ru.ru_maxrss;
	}
	return r;
}
