// SPDX-License-Identifier: GPL-2.0
/*
 * automaton.c - building the policy automaton (user space only).
 */
#include "automaton.h"
#include "../pda/limits.h"
#include "grow.h"

void lcg_aut_init(struct lcg_automaton *a)
{
	lcg_memset(a, 0, sizeof(*a));
}

void lcg_aut_free(struct lcg_automaton *a)
{
	u32 i;

	for (i = 0; i < a->n_procs; i++)
		free(a->procs[i].name);
	for (i = 0; i < a->n_sites; i++)
		free(a->sites[i].callees);
	free(a->states);
	free(a->edges);
	free(a->procs);
	free(a->sites);
	lcg_aut_init(a);
}

/* Make room for one more element of @size in *@arr; false (and ->oom) if not. */
static bool grow(struct lcg_automaton *a, void **arr, u32 n, u32 *cap, size_t size, u32 limit)
{
	if (a->oom || !lcg_grow32(arr, cap, n + 1, size, limit)) {
		a->oom = true;
		return false;
	}
	return true;
}

u32 lcg_aut_add_state(struct lcg_automaton *a, u32 proc)
{
	if (!grow(a, (void **)&a->states, a->n_states, &a->cap_states,
		  sizeof(*a->states), LCG_MAX_STATES))
		return LCG_NONE;
	a->states[a->n_states].proc = proc;
	a->states[a->n_states].flags = 0;
	return a->n_states++;
}

u32 lcg_aut_add_proc(struct lcg_automaton *a, const char *name, u32 flags)
{
	struct lcg_proc *p;
	u32 id = a->n_procs;

	if (!grow(a, (void **)&a->procs, a->n_procs, &a->cap_procs,
		  sizeof(*a->procs), LCG_MAX_PROCS))
		return LCG_NONE;
	p = &a->procs[id];
	p->name = strdup(name ? name : "");
	p->flags = flags;
	if (!p->name) {
		a->oom = true;
		return LCG_NONE;
	}
	a->n_procs++;
	p->entry = lcg_aut_add_state(a, id);
	if (p->entry == LCG_NONE)
		return LCG_NONE;
	return id;
}

void lcg_aut_set_exit(struct lcg_automaton *a, u32 state)
{
	if (state < a->n_states)
		a->states[state].flags |= LCG_AS_EXIT;
}

u32 lcg_aut_add_edge(struct lcg_automaton *a, u32 from, u32 to, u32 event, u32 site)
{
	struct lcg_edge *e;

	if (!grow(a, (void **)&a->edges, a->n_edges, &a->cap_edges,
		  sizeof(*a->edges), LCG_MAX_EDGES))
		return LCG_NONE;
	e = &a->edges[a->n_edges];
	e->from = from;
	e->to = to;
	e->event = event;
	e->site = site;
	return a->n_edges++;
}

u32 lcg_aut_add_site(struct lcg_automaton *a, const struct lcg_site *site)
{
	struct lcg_site *s;
	u32 *callees = NULL;

	if (!grow(a, (void **)&a->sites, a->n_sites, &a->cap_sites,
		  sizeof(*a->sites), LCG_MAX_SITES))
		return LCG_NONE;
	if (site->n_callees) {
		callees = malloc((size_t)site->n_callees * sizeof(*callees));
		if (!callees) {
			a->oom = true;
			return LCG_NONE;
		}
		lcg_memcpy(callees, site->callees, (size_t)site->n_callees * sizeof(*callees));
	}
	s = &a->sites[a->n_sites];
	*s = *site;
	s->callees = callees;
	return a->n_sites++;
}

static const char *check_site(const struct lcg_automaton *a, const struct lcg_site *s)
{
	u32 i;

	if (s->caller >= a->n_procs)
		return "site: caller out of range";
	if (s->from >= a->n_states || s->to >= a->n_states)
		return "site: call edge state out of range";
	if (a->states[s->from].proc != s->caller || a->states[s->to].proc != s->caller)
		return "site: call edge not inside its caller";
	if (s->n_callees > LCG_MAX_CALLEES)
		return "site: too many callees";
	for (i = 0; i < s->n_callees; i++)
		if (s->callees[i] >= a->n_procs)
			return "site: callee out of range";
	if ((s->flags & LCG_SITE_F_SETJMP) && s->pre_event)
		return "site: a setjmp site has no PRECALL";
	return NULL;
}

static const char *check_edge(const struct lcg_automaton *a, const struct lcg_edge *e)
{
	const struct lcg_site *s;

	if (e->from >= a->n_states || e->to >= a->n_states)
		return "edge: state out of range";
	if (a->states[e->from].proc != a->states[e->to].proc)
		return "edge: crosses procedures";
	if (e->site == LCG_NONE)
		return NULL;
	if (e->site >= a->n_sites)
		return "edge: site out of range";
	s = &a->sites[e->site];
	if (!lcg_site_edge_placed(s, e))
		return "edge: call edge does not match its site";
	if (e->event && e->event != s->pre_event &&
	    !((s->flags & LCG_SITE_F_SETJMP) && e->event == s->post_event))
		return "edge: call edge label is not its site's event";
	return NULL;
}

const char *lcg_aut_check(const struct lcg_automaton *a)
{
	const char *why;
	u32 i;

	if (a->oom)
		return "out of memory while building the automaton";
	for (i = 0; i < a->n_states; i++)
		if (a->states[i].proc >= a->n_procs)
			return "state: procedure out of range";
	for (i = 0; i < a->n_procs; i++) {
		if (a->procs[i].entry >= a->n_states)
			return "proc: entry out of range";
		if (a->states[a->procs[i].entry].proc != i)
			return "proc: entry belongs to another procedure";
	}
	for (i = 0; i < a->n_sites; i++)
		if ((why = check_site(a, &a->sites[i])))
			return why;
	for (i = 0; i < a->n_edges; i++)
		if ((why = check_edge(a, &a->edges[i])))
			return why;
	return NULL;
}
