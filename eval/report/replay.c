// SPDX-License-Identifier: GPL-2.0
/* replay.c - lcg-precision's replay of recorded runs and its accounting (replay.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

const char *const attack_names[A_COUNT] = { "injected", "return", "unpinned" };

/* Library functions an attacker wants; the injected attack uses these sites. */
static const char *const sensitive[] = {
	"execve", "execv", "execvp", "execl", "execlp", "system", "popen", "fork",
	"socket", "connect", "bind", "listen", "accept", "open", "open64", "openat",
	"fopen", "fopen64", "unlink", "remove", "rename", "mprotect", "mmap", "chmod",
	"kill", "write", "send", "sendto", "fwrite", "setsockopt",
};


/* The state of one replay: a monitor per automaton model. */
struct replay {
	struct lcg_monitor pda, nfa, cg;
	u32 prev_cg;			/* last library call, call-graph NFA id */
};

static bool is_sensitive(const char *name)
{
	for (size_t i = 0; i < sizeof(sensitive) / sizeof(sensitive[0]); i++)
		if (name && !strcmp(name, sensitive[i]))
			return true;
	return false;
}

/*
 * The injected attack's targets: the sensitive sites (at most
 * MAX_INJECTED_TARGETS), or, when the program has none, its first four
 * library call sites; each site once.
 */
static void pick_targets(struct eval *ev)
{
	const struct lcg_policy *p = &ev->pda.policy;

	for (u32 i = 1; i < p->n_events && ev->n_targets < MAX_INJECTED_TARGETS; i++)
		if (p->events[i].kind == LCG_EV_LIBCALL && is_sensitive(p->events[i].callee))
			ev->targets[ev->n_targets++] = i;
	if (ev->n_targets)
		return;
	for (u32 i = 1; i < p->n_events && ev->n_targets < 4; i++)
		if (p->events[i].kind == LCG_EV_LIBCALL)
			ev->targets[ev->n_targets++] = i;
}

int eval_setup(struct eval *ev)
{
	if (ev->pda.policy.mode != LCG_MODE_PDA ||
	    (ev->have_nfa && ev->nfa.policy.mode != LCG_MODE_NFA) ||
	    (ev->have_cg && ev->cg.policy.mode != LCG_MODE_NFA)) {
		fprintf(stderr, "lcg-precision: --pda needs a PDA policy, --nfa and --cgnfa NFA "
			"policies\n");
		return -1;
	}
	if ((ev->have_nfa && model_map_libcalls(&ev->nfa, &ev->pda)) ||
	    (ev->have_cg && model_map_libcalls(&ev->cg, &ev->pda)))
		return -1;
	ev->tried = calloc(ev->pda.img.n_events + 1, 1);
	if (!ev->tried ||
	    (ev->have_cg && (digraph_build(&ev->dg, &ev->cg.img) ||
			     nextcalls_init(&ev->nc_cg, &ev->cg.img))) ||
	    (ev->have_nfa && nextcalls_init(&ev->nc_nfa, &ev->nfa.img)) ||
	    nextcalls_init(&ev->nc, &ev->pda.img)) {
		fprintf(stderr, "lcg-precision: out of memory\n");
		return -1;
	}
	pick_targets(ev);
	return 0;
}

void eval_free(struct eval *ev)
{
	free(ev->tried);
	ev->tried = NULL;
	nextcalls_free(&ev->nc);
	nextcalls_free(&ev->nc_nfa);
	nextcalls_free(&ev->nc_cg);
	digraph_free(&ev->dg);
	model_free(&ev->pda);
	model_free(&ev->nfa);
	model_free(&ev->cg);
}

static u32 kind_of(const struct eval *ev, u32 id)
{
	return id < ev->pda.img.n_events ? ev->pda.img.events[id].kind : LCG_EV_UNUSED;
}

/* One measured point: branching of each model, and the injected attack. */
static void measure(struct eval *ev, const struct replay *r, u32 actual_next)
{
	u32 n_nfa = 0, n_cg = 0;

	if (ev->have_nfa) {
		nextcalls_query(&ev->nc_nfa, &r->nfa);
		n_nfa = ev->nc_nfa.n_set;
	}
	if (ev->have_cg) {
		nextcalls_query(&ev->nc_cg, &r->cg);
		n_cg = ev->nc_cg.n_set;
	}
	nextcalls_query(&ev->nc, &r->pda);
	ev->positions++;
	ev->branching[M_ALLOW] += ev->pda.n_libcalls;
	ev->branching[M_DIGRAPH] += ev->have_cg ? digraph_count(&ev->dg, r->prev_cg) : 0;
	ev->branching[M_CGNFA] += n_cg;
	ev->branching[M_NFA] += n_nfa;
	ev->branching[M_PDA] += ev->nc.n_set;
	for (u32 t = 0; t < ev->n_targets; t++) {
		u32 id = ev->targets[t];

		if (id == actual_next)
			continue;
		ev->attempts[A_INJECTED]++;
		ev->caught[A_INJECTED][M_PDA] += !ev->nc.in_set[id];
		if (ev->have_cg) {
			ev->caught[A_INJECTED][M_DIGRAPH] +=
				!digraph_allows(&ev->dg, r->prev_cg, ev->cg.from_ref[id]);
			ev->caught[A_INJECTED][M_CGNFA] += !ev->nc_cg.in_set[ev->cg.from_ref[id]];
		}
		if (ev->have_nfa)
			ev->caught[A_INJECTED][M_NFA] += !ev->nc_nfa.in_set[ev->nfa.from_ref[id]];
	}
}

/* Advance every model over trace event @id; count the ones that refuse it. */
static void replay_step(struct eval *ev, struct replay *r, u32 id)
{
	if (lcg_monitor_step(&r->pda, &ev->pda.img, id) != LCG_R_OK) {
		ev->replay_failures++;
		lcg_monitor_resync(&r->pda, &ev->pda.img, id);
	}
	if (kind_of(ev, id) != LCG_EV_LIBCALL)
		return;
	struct { struct lcg_monitor *m; struct model *md; bool have; } nfas[2] = {
		{ &r->nfa, &ev->nfa, ev->have_nfa }, { &r->cg, &ev->cg, ev->have_cg },
	};
	for (int i = 0; i < 2; i++) {
		u32 local;

		if (!nfas[i].have)
			continue;
		local = nfas[i].md->from_ref[id];

		if (lcg_monitor_step(nfas[i].m, &nfas[i].md->img, local) != LCG_R_OK) {
			ev->replay_failures++;
			lcg_monitor_resync(nfas[i].m, &nfas[i].md->img, local);
		}
	}
	if (ev->have_cg)
		r->prev_cg = ev->cg.from_ref[id];
}

/* The index of the first library call at or after @i in @t, or t->n. */
static size_t next_libcall_at(const struct eval *ev, const struct trace *t, size_t i)
{
	while (i < t->n && kind_of(ev, t->ev[i].id) != LCG_EV_LIBCALL)
		i++;
	return i;
}

/* Per site: the first POSTCALL of it in the trace (t->n: none). */
static size_t *first_returns(const struct eval *ev, const struct trace *t)
{
	u32 n_sites = ev->pda.img.n_sites;
	size_t *first = malloc((n_sites ? n_sites : 1) * sizeof(size_t));

	if (!first)
		return NULL;
	for (u32 s = 0; s < n_sites; s++)
		first[s] = t->n;
	for (size_t i = t->n; i-- > 0;) {
		u32 id = t->ev[i].id;

		if (kind_of(ev, id) == LCG_EV_POSTCALL)
			first[ev->pda.img.events[id].site] = i;
	}
	return first;
}

static bool share_callee(const struct lcg_image *img, u32 a, u32 b)
{
	const struct lcg_img_site *x = &img->sites[a], *y = &img->sites[b];

	for (u32 i = 0; i < x->n_callees; i++)
		for (u32 k = 0; k < y->n_callees; k++)
			if (img->callees[x->first_callee + i] == img->callees[y->first_callee + k])
				return true;
	return false;
}

/*
 * The impossible-path return at trace position @p (a POSTCALL of site s):
 * return instead through another site s2 of the same callee, and go on as the
 * run went on after s2's first return.  Skipped when that continuation makes
 * the same next library call as the real one (then it is no attack).
 */
static void return_attack(struct eval *ev, const struct replay *r, const struct trace *t,
			  size_t p, const size_t *first_ret)
{
	const struct lcg_image *img = &ev->pda.img;
	u32 s = img->events[t->ev[p].id].site;
	size_t lp = next_libcall_at(ev, t, p);

	for (u32 s2 = 0; s2 < img->n_sites; s2++) {
		size_t q = first_ret[s2], lq;
		struct lcg_monitor pda;
		bool pda_caught = false;

		if (s2 == s || q == t->n || !share_callee(img, s, s2))
			continue;
		lq = next_libcall_at(ev, t, q);
		if (lq == t->n || (lp < t->n && t->ev[lq].id == t->ev[lp].id))
			continue;
		ev->attempts[A_RETURN]++;
		lcg_monitor_copy(&pda, &r->pda);
		for (size_t i = q; i <= lq && !pda_caught; i++)
			pda_caught = lcg_monitor_step(&pda, img, t->ev[i].id) != LCG_R_OK;
		u32 id = t->ev[lq].id;
		struct lcg_monitor m;

		ev->caught[A_RETURN][M_PDA] += pda_caught;
		if (ev->have_cg) {
			ev->caught[A_RETURN][M_DIGRAPH] +=
				!digraph_allows(&ev->dg, r->prev_cg, ev->cg.from_ref[id]);
			lcg_monitor_copy(&m, &r->cg);
			ev->caught[A_RETURN][M_CGNFA] +=
				lcg_monitor_step(&m, &ev->cg.img, ev->cg.from_ref[id]) != LCG_R_OK;
		}
		if (ev->have_nfa) {
			lcg_monitor_copy(&m, &r->nfa);
			ev->caught[A_RETURN][M_NFA] +=
				lcg_monitor_step(&m, &ev->nfa.img, ev->nfa.from_ref[id]) != LCG_R_OK;
		}
		return;
	}
}

/* A pinned model refuses @id from an address it was not pinned to. */
static bool refuses_unpinned(const struct model *md, u32 id)
{
	const struct lcg_image *img = &md->img;
	const struct lcg_img_event *e = &img->events[id];
	u64 elsewhere = e->n_pins ? img->pins[e->first_pin] + 1 : 0;

	return !lcg_monitor_pinned(img, id, elsewhere);
}

static void unpinned_attacks(struct eval *ev, const struct trace *t)
{
	for (size_t i = 0; i < t->n; i++) {
		u32 id = t->ev[i].id;

		if (kind_of(ev, id) != LCG_EV_LIBCALL || ev->tried[id])
			continue;
		ev->tried[id] = 1;
		ev->attempts[A_UNPINNED]++;
		ev->caught[A_UNPINNED][M_PDA] += refuses_unpinned(&ev->pda, id);
		if (ev->have_nfa)
			ev->caught[A_UNPINNED][M_NFA] +=
				refuses_unpinned(&ev->nfa, ev->nfa.from_ref[id]);
		if (ev->have_cg)
			ev->caught[A_UNPINNED][M_CGNFA] +=
				refuses_unpinned(&ev->cg, ev->cg.from_ref[id]);
	}
}

int eval_replay_trace(struct eval *ev, const struct trace *t, size_t budget)
{
	struct replay r = { .prev_cg = 0 };
	size_t n_lib = 0, stride, k = 0, ret_stride, n_ret = 0, ret_k = 0;
	size_t *first_ret = first_returns(ev, t);

	if (!first_ret)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		u32 kind = kind_of(ev, t->ev[i].id);

		n_lib += kind == LCG_EV_LIBCALL;
		n_ret += kind == LCG_EV_POSTCALL;
	}
	stride = n_lib / (budget ? budget : 1) + 1;
	ret_stride = n_ret / RETURN_ATTACKS_PER_TRACE + 1;
	ev->traces++;
	ev->events += t->n;
	ev->libcalls += n_lib;
	lcg_monitor_init(&r.pda, &ev->pda.img);
	if (ev->have_nfa)
		lcg_monitor_init(&r.nfa, &ev->nfa.img);
	if (ev->have_cg)
		lcg_monitor_init(&r.cg, &ev->cg.img);
	for (size_t i = 0; i <= t->n; i++) {
		bool at_point = i == 0 || kind_of(ev, t->ev[i - 1].id) == LCG_EV_LIBCALL;

		if (at_point && k++ % stride == 0) {
			size_t nx = next_libcall_at(ev, t, i);

			measure(ev, &r, nx < t->n ? t->ev[nx].id : 0);
		}
		if (i == t->n)
			break;
		if (kind_of(ev, t->ev[i].id) == LCG_EV_POSTCALL && ret_k++ % ret_stride == 0)
			return_attack(ev, &r, t, i, first_ret);
		replay_step(ev, &r, t->ev[i].id);
	}
	unpinned_attacks(ev, t);
	free(first_ret);
	return 0;
}

size_t eval_budget_per_trace(size_t max, size_t n_traces)
{
	return max / (n_traces ? n_traces : 1) + 1;
}

/* Is model @m (M_*) measured? */
bool eval_measured(const struct eval *ev, int m)
{
	return m == M_NFA ? ev->have_nfa : m == M_DIGRAPH || m == M_CGNFA ? ev->have_cg : true;
}

