// SPDX-License-Identifier: GPL-2.0
/*
 * events.c - give the policy its procedures, call sites and event ids.
 *
 * Ids are allocated in module order (functions, then their calls in
 * instruction order), so the same module always gets the same ids, and the
 * n-th LIBCALL id is the same call in every mode.  A monitored libc call, a
 * call of an external function the model does not know and a raw system
 * call in inline asm get a LIBCALL id; an indirect call gets one LIBCALL id
 * per monitored external function it may reach (instrument.c compares the
 * pointer at run time).  A call that keeps brackets (plan.c) becomes a call
 * site whose callees are the targets it brackets, with PRECALL/POSTCALL ids
 * in PDA mode (none in NFA mode, which pastes it: the site only shows in the
 * procedures' graphs); a setjmp call is a site with only a POSTCALL id (PDA
 * mode).  In PDA mode an indirect call that brackets several targets gets a
 * site per target: the pointer comparison names the target anyway, and
 * then PRECALL leads into that callee only, so what the monitor allows next
 * (and the image's state for the site) is one callee's entry, not the union
 * of all of them.  Each LIBCALL event records the sensitive classes it arms
 * (binding.c).
 */
#include <string.h>
#include "internal.h"
#include "pda/limits.h"
#include "pda/sensitive.h"

void debug_where(LLVMValueRef inst, const char **file, unsigned *line)
{
	unsigned len = 0;

	*file = LLVMGetDebugLocFilename(inst, &len);
	if (!*file || !len)
		*file = NULL;
	*line = *file ? LLVMGetDebugLocLine(inst) : 0;
}

static u32 new_event(struct analysis *an, u32 kind, u32 site, const char *callee,
		     const struct call *c, u32 classes)
{
	struct lcg_event_info e = { .kind = kind, .site = site, .callee = (char *)callee,
				    .function = (char *)an->fns[c->caller].name, .classes = classes };
	const char *file;
	unsigned line;
	u32 id;

	debug_where(c->inst, &file, &line);
	e.file = (char *)file;
	e.line = line;
	id = lcg_policy_add_event(an->p, &e);
	if (id != LCG_NONE)
		return id;
	an->oom = true;
	return 0;
}

/* Is @c a call site: a call that keeps its brackets (plan.c; in NFA mode, shown so)? */
static bool is_site(const struct analysis *an, const struct call *c)
{
	return c->part == PART_CALL && c->keep;
}

/* Is target slot @slot one of its site's callees? */
static bool site_callee(const struct analysis *an, u32 slot)
{
	return an->target_plan[slot] == TP_KEEP;
}

/* Procedures: main, definitions with a role, the callees and callers of sites. */
static int create_procs(struct analysis *an)
{
	struct lcg_automaton *g = &an->p->graphs;
	bool *need = calloc(an->n_fns ? an->n_fns : 1, sizeof(bool));

	if (!need)
		return failf(an, "out of memory choosing procedures");
	for (u32 i = 0; i < an->n_fns; i++) {
		const struct fn *f = &an->fns[i];

		need[i] = f->kind == FK_DEF &&
			  (i == an->main_fn || (f->roles & ~LCG_AP_ADDRESS_TAKEN));
	}
	for (u32 i = 0; i < an->n_calls; i++) {
		const struct call *c = &an->calls[i];

		/* a function whose calls stay sites is never pasted: it needs its own graph */
		if (is_site(an, c) || (c->kind == CK_SETJMP && an->o->mode == LCG_MODE_PDA))
			need[c->caller] = true;
		for (u32 k = 0; is_site(an, c) && k < c->n_targets; k++)
			if (site_callee(an, c->first_target + k))
				need[an->targets[c->first_target + k]] = true;
	}
	for (u32 i = 0; i < an->n_fns; i++)
		if (need[i])
			an->fns[i].proc = lcg_aut_add_proc(g, an->fns[i].name, an->fns[i].roles);
	free(need);
	return g->oom ? failf(an, "out of memory creating procedures") : 0;
}

/* A site of @c bracketing its target slot @only, or every bracketed target (LCG_NONE). */
static u32 add_site(struct analysis *an, struct call *c, u32 flags, u32 only)
{
	struct lcg_automaton *g = &an->p->graphs;
	u32 callees[c->n_targets + 1];
	struct lcg_site s = {
		.caller = an->fns[c->caller].proc,
		.from = LCG_NONE, .to = LCG_NONE,
		.callees = callees,
		.flags = flags,
	};

	for (u32 k = 0; k < c->n_targets; k++)
		if (site_callee(an, c->first_target + k) && (only == LCG_NONE || only == k))
			callees[s.n_callees++] = an->fns[an->targets[c->first_target + k]].proc;
	return lcg_aut_add_site(g, &s);
}

/* Site @site of @c; PDA mode gives it its PRECALL and POSTCALL ids. */
static void name_site(struct analysis *an, struct call *c, u32 site, const char *callee, u32 flags)
{
	struct lcg_site *s;
	u32 pre = 0, post;

	if (site == LCG_NONE || an->o->mode != LCG_MODE_PDA)
		return;
	if (!(flags & LCG_SITE_SETJMP))
		pre = new_event(an, LCG_EV_PRECALL, site, callee, c, 0);
	post = new_event(an, LCG_EV_POSTCALL, site, callee, c, 0);
	s = &an->p->graphs.sites[site];
	s->pre_event = pre;
	s->post_event = post;
	if (site == c->site) {
		c->pre = pre;
		c->post = post;
	}
}

/* A site for @c, bracketing every target it keeps. */
static void make_site(struct analysis *an, struct call *c, const char *callee, u32 flags)
{
	c->site = add_site(an, c, flags, LCG_NONE);
	c->n_sites = c->site != LCG_NONE;
	name_site(an, c, c->site, callee, flags);
}

/* One site per bracketed target of indirect call @c, in target order. */
static void make_target_sites(struct analysis *an, struct call *c)
{
	for (u32 k = 0; k < c->n_targets; k++) {
		u32 site;

		if (!site_callee(an, c->first_target + k))
			continue;
		site = add_site(an, c, 0, k);
		if (site == LCG_NONE)
			return;
		if (!c->n_sites++)
			c->site = site;
		name_site(an, c, site, an->fns[an->targets[c->first_target + k]].name, 0);
	}
}

u32 call_target_site(const struct analysis *an, const struct call *c, u32 k)
{
	u32 j = 0;

	if (!site_callee(an, c->first_target + k) || c->site == LCG_NONE)
		return LCG_NONE;
	if (c->n_sites == 1)
		return c->site;
	for (u32 i = 0; i < k; i++)
		j += site_callee(an, c->first_target + i);
	return c->site + j;
}

static u32 kept_targets(const struct analysis *an, const struct call *c)
{
	u32 n = 0;

	for (u32 k = 0; k < c->n_targets; k++)
		n += site_callee(an, c->first_target + k);
	return n;
}

static void assign_indirect(struct analysis *an, struct call *c)
{
	c->silent = call_silent(an, c);
	for (u32 k = 0; k < c->n_targets; k++) {
		u32 ti = c->first_target + k;
		const struct fn *t = &an->fns[an->targets[ti]];

		an->target_events[ti] = 0;
		if (an->target_plan[ti] == TP_LIB)	/* no refinement through a pointer */
			an->target_events[ti] = new_event(an, LCG_EV_LIBCALL, LCG_NONE,
							  t->libc ? t->libc_name : t->name, c,
							  t->libc ? t->libc->sc : LCG_SC_ALL);
		else if (t->kind == FK_DEF)
			c->internal = true;
	}
	if (!is_site(an, c))
		return;
	if (an->o->mode == LCG_MODE_PDA && kept_targets(an, c) > 1)
		make_target_sites(an, c);
	else
		make_site(an, c, "*", 0);
}

static void assign_call(struct analysis *an, struct call *c)
{
	const struct fn *callee = c->callee != LCG_NONE ? &an->fns[c->callee] : NULL;

	switch (c->kind) {
	case CK_LIBC:
		if (is_monitored_callee(an, callee))
			c->libcall = new_event(an, LCG_EV_LIBCALL, LCG_NONE, callee->libc_name, c,
					       libc_call_classes(callee->libc, c->inst));
		break;
	case CK_OPAQUE:	/* it may do anything */
		c->libcall = new_event(an, LCG_EV_LIBCALL, LCG_NONE, callee->name, c, LCG_SC_ALL);
		break;
	case CK_RAW:
		c->libcall = new_event(an, LCG_EV_LIBCALL, LCG_NONE, "syscall", c,
				       raw_syscall_classes(c->inst, LLVMGetCalledValue(c->inst)));
		break;
	case CK_SETJMP:
		if (an->o->mode == LCG_MODE_PDA)
			make_site(an, c, callee->libc_name, LCG_SITE_SETJMP);
		break;
	case CK_INTERNAL:
		if (is_site(an, c))
			make_site(an, c, callee->name, 0);
		break;
	case CK_INDIRECT:
		assign_indirect(an, c);
		break;
	default:
		break;
	}
}

int assign_events(struct analysis *an)
{
	if (create_procs(an))
		return -1;
	an->target_events = calloc(an->n_targets ? an->n_targets : 1, sizeof(u32));
	if (!an->target_events || lcg_policy_add_event(an->p, NULL) == LCG_NONE)
		return failf(an, "out of memory numbering events");
	for (u32 i = 0; i < an->n_calls; i++)
		assign_call(an, &an->calls[i]);
	if (an->oom || an->p->graphs.oom)
		return failf(an, "out of memory numbering events");
	if (an->p->n_events > LCG_MAX_EVENTS)
		return failf(an, "%u events exceed the image limit of %u (pda/limits.h); "
			     "choose a smaller event set", an->p->n_events - 1, LCG_MAX_EVENTS);
	return 0;
}
