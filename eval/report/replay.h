/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay.h - lcg-precision's accounting: replay recorded runs of a program's
 * PDA build against five models, measure the branching factor at sampled
 * points, and count the staged attacks each model catches
 * (docs/evaluation.md, "Precision: the five models").
 *
 *   allow    the set of the program's library call sites, in any order
 *   digraph  previous library call -> next one (from the call-graph NFA)
 *   cgnfa    the call-graph NFA (no inlining)
 *   nfa      the inlined NFA
 *   pda      the Dyck PDA (call-site stack)
 *
 * Sampling: in a trace with L library calls and a budget of B points, the
 * points are the start and every k-th library call, k = L / B + 1, so at
 * most B points per trace, evenly spaced; the budget per trace is the
 * program's budget divided by its number of traces (plus one).
 *
 * Attacks are mutations of the recorded runs:
 *   injected  at a measured point, the program calls one of its sensitive
 *             library call sites that it does not call next (what a
 *             hijacked function pointer or return address leads to)
 *   return    a call returns to another call site of the same callee, and
 *             the run goes on as after that site (impossible path); tried
 *             at every k-th return, k = returns / RETURN_ATTACKS_PER_TRACE + 1,
 *             and only where the next library call changes
 *   unpinned  a genuine event id issued from another address of the binary
 *             (once per distinct library-call id over all traces)
 */
#ifndef LCG_REPORT_REPLAY_H
#define LCG_REPORT_REPLAY_H

#include "digraph.h"
#include "model.h"
#include "nextcalls.h"
#include "trace_read.h"

enum { M_ALLOW, M_DIGRAPH, M_CGNFA, M_NFA, M_PDA, M_COUNT };

enum { A_INJECTED, A_RETURN, A_UNPINNED, A_COUNT };

#define RETURN_ATTACKS_PER_TRACE 64
#define MAX_INJECTED_TARGETS 16

struct eval {
	struct model pda, nfa, cg;
	bool have_nfa, have_cg;		/* false: its image could not be built */
	struct digraph dg;
	struct nextcalls nc, nc_nfa, nc_cg;	/* next library calls per automaton */
	u32 targets[MAX_INJECTED_TARGETS];	/* reference ids of sensitive sites */
	u32 n_targets;
	u8 *tried;			/* per PDA event id: unpinned attack made */
	/* results */
	u64 traces, events, libcalls, positions, replay_failures;
	double branching[M_COUNT];	/* sums over the points; divide by positions */
	u64 attempts[A_COUNT], caught[A_COUNT][M_COUNT];
};

extern const char *const attack_names[A_COUNT];

/*
 * eval_setup() - once ev->pda (and ev->nfa, ev->cg when have_nfa, have_cg)
 * are loaded: check the modes, map the NFAs' library-call ids to the PDA's,
 * build the digraph and the next-call tables, pick the injected attack's
 * targets.  Return 0, or -1 after printing why.
 */
int eval_setup(struct eval *ev);

/* Free everything eval_setup() and the models hold. */
void eval_free(struct eval *ev);

/* The points budget of each of @n_traces traces, from the program's @max. */
size_t eval_budget_per_trace(size_t max, size_t n_traces);

/* Replay one trace with a budget of @budget points.  Return 0, -1 out of memory. */
int eval_replay_trace(struct eval *ev, const struct trace *t, size_t budget);

/* Is model @m (M_*) measured (its policy could be built)? */
bool eval_measured(const struct eval *ev, int m);

#endif
