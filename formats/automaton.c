// SPDX-License-Identifier: GPL-2.0
/*
 * automaton.c - building the policy automaton (user space only).
 */
#include "automaton.h"

#include "../pda/limits.h"
#include "err.h"
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
		a->states[state].flags |= LCG_STATE_EXIT;
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

/* The automaton being checked, its name in messages, and where they go. */
struct check {
	const struct lcg_automaton *a;
	const char *name;	/* "graphs", "nfa" */
	char *err;
	size_t errlen;
};

/* A message about field FMT... of the automaton: "graphs.edges[3].to: ..." */
#define check_fail(c, fmt, ...) \
	lcg_errf((c)->err, (c)->errlen, "%s" fmt, (c)->name, ##__VA_ARGS__)

static int check_counts(const struct check *c)
{
	const struct lcg_automaton *a = c->a;

	if (a->n_states > LCG_MAX_STATES)
		return check_fail(c, ".states: %u states exceed the limit of %u",
				  a->n_states, LCG_MAX_STATES);
	if (a->n_edges > LCG_MAX_EDGES)
		return check_fail(c, ".edges: %u edges exceed the limit of %u",
				  a->n_edges, LCG_MAX_EDGES);
	if (a->n_procs > LCG_MAX_PROCS)
		return check_fail(c, ".procs: %u procedures exceed the limit of %u",
				  a->n_procs, LCG_MAX_PROCS);
	if (a->n_sites > LCG_MAX_SITES)
		return check_fail(c, ".sites: %u sites exceed the limit of %u",
				  a->n_sites, LCG_MAX_SITES);
	return 0;
}

static int check_states(const struct check *c)
{
	const struct lcg_automaton *a = c->a;

	for (u32 i = 0; i < a->n_states; i++) {
		if (a->states[i].proc >= a->n_procs)
			return check_fail(c, ".states[%u].proc: %u is out of range (%u procs)",
					  i, a->states[i].proc, a->n_procs);
		if (a->states[i].flags & ~LCG_STATE_EXIT)
			return check_fail(c, ".states[%u]: unknown flags 0x%x",
					  i, a->states[i].flags & ~LCG_STATE_EXIT);
	}
	return 0;
}

static int check_procs(const struct check *c)
{
	const struct lcg_automaton *a = c->a;

	for (u32 i = 0; i < a->n_procs; i++) {
		const struct lcg_proc *pr = &a->procs[i];

		if (pr->entry >= a->n_states)
			return check_fail(c, ".procs[%u].entry: %u is out of range (%u states)",
					  i, pr->entry, a->n_states);
		if (a->states[pr->entry].proc != i)
			return check_fail(c, ".procs[%u].entry: state %u belongs to proc %u",
					  i, pr->entry, a->states[pr->entry].proc);
		if (pr->flags & ~LCG_AP_ALL)
			return check_fail(c, ".procs[%u].roles: unknown flags 0x%x",
					  i, pr->flags & ~LCG_AP_ALL);
	}
	return 0;
}

static int check_site(const struct check *c, u32 i, u64 *callees)
{
	const struct lcg_automaton *a = c->a;
	const struct lcg_site *s = &a->sites[i];

	if (s->caller >= a->n_procs)
		return check_fail(c, ".sites[%u].caller: %u is out of range (%u procs)",
				  i, s->caller, a->n_procs);
	if (s->from >= a->n_states || s->to >= a->n_states)
		return check_fail(c, ".sites[%u].%s: %u is out of range (%u states)",
				  i, s->from >= a->n_states ? "from" : "to",
				  s->from >= a->n_states ? s->from : s->to, a->n_states);
	if (a->states[s->from].proc != s->caller || a->states[s->to].proc != s->caller)
		return check_fail(c, ".sites[%u]: call edge %u->%u is not inside caller %u",
				  i, s->from, s->to, s->caller);
	if (s->flags & ~LCG_SITE_SETJMP)
		return check_fail(c, ".sites[%u]: unknown flags 0x%x", i, s->flags & ~LCG_SITE_SETJMP);
	if (s->n_callees > LCG_MAX_CALLEES || *callees + s->n_callees > LCG_MAX_CALLEES)
		return check_fail(c, ".sites[%u].callees: more than %u callees in all",
				  i, LCG_MAX_CALLEES);
	*callees += s->n_callees;
	for (u32 k = 0; k < s->n_callees; k++)
		if (s->callees[k] >= a->n_procs)
			return check_fail(c, ".sites[%u].callees[%u]: %u is out of range (%u procs)",
					  i, k, s->callees[k], a->n_procs);
	if ((s->flags & LCG_SITE_SETJMP) && s->pre_event)
		return check_fail(c, ".sites[%u].pre_event: a setjmp site has no PRECALL (got %u)",
				  i, s->pre_event);
	return 0;
}

static int check_edge(const struct check *c, u32 i)
{
	const struct lcg_automaton *a = c->a;
	const struct lcg_edge *e = &a->edges[i];
	const struct lcg_site *s;

	if (e->from >= a->n_states || e->to >= a->n_states)
		return check_fail(c, ".edges[%u].%s: %u is out of range (%u states)",
				  i, e->from >= a->n_states ? "from" : "to",
				  e->from >= a->n_states ? e->from : e->to, a->n_states);
	if (a->states[e->from].proc != a->states[e->to].proc)
		return check_fail(c, ".edges[%u]: %u->%u crosses from proc %u into proc %u",
				  i, e->from, e->to, a->states[e->from].proc, a->states[e->to].proc);
	if (e->site == LCG_NONE)
		return 0;
	if (e->site >= a->n_sites)
		return check_fail(c, ".edges[%u].site: %u is out of range (%u sites)",
				  i, e->site, a->n_sites);
	s = &a->sites[e->site];
	if (!lcg_site_edge_placed(s, e))
		return check_fail(c, ".edges[%u].site: site %u is the call %u->%u, not %u->%u",
				  i, e->site, s->from, s->to, e->from, e->to);
	if (e->event && e->event != lcg_site_call_event(s))
		return check_fail(c, ".edges[%u].event: %u, but the call edge of site %u carries %u",
				  i, e->event, e->site, lcg_site_call_event(s));
	return 0;
}

int lcg_aut_check(const struct lcg_automaton *a, const char *name, char *err, size_t errlen)
{
	const struct check c = { a, name, err, errlen };
	u64 callees = 0;

	if (a->oom)
		return lcg_errf(err, errlen, "%s: incomplete (ran out of memory while building it)", name);
	if (check_counts(&c) || check_states(&c) || check_procs(&c))
		return -1;
	for (u32 i = 0; i < a->n_sites; i++)
		if (check_site(&c, i, &callees))
			return -1;
	for (u32 i = 0; i < a->n_edges; i++)
		if (check_edge(&c, i))
			return -1;
	return 0;
}
