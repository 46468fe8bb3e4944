// SPDX-License-Identifier: GPL-2.0
/*
 * The analysis on the course specification's examples and on recursion:
 * per-procedure library call graphs compared, after canonicalisation, with
 * the graphs written down in tests/analysis/.  The course's graphs are
 * Giffin et al.'s model as is (every call bracketed: all_brackets); by
 * default a callee of one call is pasted into its caller.
 */
#include "test_analysis.h"

Test(analysis_graphs, foo_open_read_close)
{
	struct ta t;

	ta_run_classic(&t, "spec_foo", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "foo", "spec_foo.foo.graph");
	ta_expect_graph(&t, &t.p.graphs, "main", "spec_foo.main.graph");
	ta_free(&t);
}

Test(analysis_graphs, foo_is_small)
{
	struct ta t;
	u32 foo;

	ta_run_classic(&t, "spec_foo", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	foo = ta_proc(&t.p.graphs, "foo");
	cr_assert_neq(foo, LCG_NONE);
	/* blocks without events collapse: exactly one state per event plus the entry */
	u32 states = 0, edges = 0;
	for (u32 s = 0; s < t.p.graphs.n_states; s++)
		states += t.p.graphs.states[s].proc == foo;
	for (u32 i = 0; i < t.p.graphs.n_edges; i++)
		edges += t.p.graphs.states[t.p.graphs.edges[i].from].proc == foo;
	cr_expect_eq(states, 4);
	cr_expect_eq(edges, 3);
	ta_free(&t);
}

Test(analysis_graphs, if_variant)
{
	struct ta t;

	ta_run_classic(&t, "spec_if", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "foo", "spec_if.foo.graph");
	ta_free(&t);
}

Test(analysis_graphs, while_loop)
{
	struct ta t;

	ta_run_classic(&t, "spec_while", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "foo", "spec_while.foo.graph");
	ta_free(&t);
}

Test(analysis_graphs, read_or_write)
{
	struct ta t;

	ta_run_classic(&t, "spec_nondet", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "foo", "spec_nondet.foo.graph");
	ta_free(&t);
}

Test(analysis_graphs, foo_calls_bar_pda)
{
	struct ta t;
	u32 site, bar, foo;

	ta_run_classic(&t, "spec_call", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "foo", "spec_call.foo.graph");
	ta_expect_graph(&t, &t.p.graphs, "bar", "spec_call.bar.graph");
	bar = ta_proc(&t.p.graphs, "bar");
	foo = ta_proc(&t.p.graphs, "foo");
	site = t.p.events[ta_event(&t.p, LCG_EV_PRECALL, "bar", 0)].site;
	cr_assert_lt(site, t.p.graphs.n_sites);
	cr_expect_eq(t.p.graphs.sites[site].caller, foo);
	cr_expect_eq(t.p.graphs.sites[site].n_callees, 1);
	cr_expect_eq(t.p.graphs.sites[site].callees[0], bar);
	cr_expect_eq(t.p.events[t.p.graphs.sites[site].post_event].kind, LCG_EV_POSTCALL);
	ta_free(&t);
}

Test(analysis_graphs, foo_calls_bar_nfa_pasted)
{
	struct ta t;

	ta_run(&t, "spec_call", LCG_MODE_NFA, LCG_EVENTS_EFFECTS);
	cr_expect_eq(ta_count_events(&t.p, LCG_EV_PRECALL, NULL), 0, "NFA mode has only LIBCALLs");
	cr_expect_eq(ta_count_events(&t.p, LCG_EV_POSTCALL, NULL), 0);
	ta_expect_graph(&t, &t.p.nfa, "<program>", "spec_call.program.graph");
	cr_expect_eq(t.p.nfa.procs[ta_proc(&t.p.nfa, "<program>")].flags, LCG_AP_MAIN);
	ta_free(&t);
}

Test(analysis_graphs, recursion)
{
	struct ta t;
	u32 walk, site;

	ta_run(&t, "recursion", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "walk", "recursion.walk.graph");
	walk = ta_proc(&t.p.graphs, "walk");
	site = t.p.events[ta_event(&t.p, LCG_EV_PRECALL, "walk", 0)].site;
	cr_expect_eq(t.p.graphs.sites[site].caller, walk);
	cr_expect_eq(t.p.graphs.sites[site].callees[0], walk);
	ta_free(&t);
}

Test(analysis_graphs, recursion_nfa_uses_a_shared_copy)
{
	struct ta t;

	ta_run(&t, "recursion", LCG_MODE_NFA, LCG_EVENTS_EFFECTS);
	cr_expect_geq(t.st.nfa_shared, 1, "the recursive call must link to a shared copy");
	cr_expect_eq(t.st.nfa_inlined, 0, "a recursive callee never gets a copy of its own");
	ta_free(&t);
}

/* A callee of one call is pasted: main is foo's graph, and foo has no procedure. */
Test(analysis_graphs, callee_of_one_call_is_pasted)
{
	struct ta t;

	ta_run(&t, "spec_foo", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "main", "spec_foo.foo.graph");
	cr_expect_eq(ta_proc(&t.p.graphs, "foo"), LCG_NONE);
	cr_expect_eq(ta_count_events(&t.p, LCG_EV_PRECALL, NULL), 0);
	cr_expect_eq(t.st.pasted_calls, 1);
	cr_expect_eq(t.st.hot_calls, 0);
	ta_free(&t);
	/* bottom-up: bar into foo, then foo into main */
	ta_run(&t, "spec_call", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "main", "spec_call.program.graph");
	cr_expect_eq(t.p.graphs.n_procs, 1);
	cr_expect_eq(t.st.pasted_calls, 2);
	ta_free(&t);
}

/* NFA mode's procedures show the same plan: the same graphs as PDA mode's. */
Test(analysis_graphs, nfa_procedures_show_the_pda_plan)
{
	struct ta t;

	ta_run(&t, "spec_call", LCG_MODE_NFA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "main", "spec_call.program.graph");
	ta_free(&t);
	ta_run(&t, "recursion", LCG_MODE_NFA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "walk", "recursion.walk.nfa.graph");
	ta_free(&t);
}

/* A callee of two calls keeps its brackets: the stack keeps the returns apart. */
Test(analysis_graphs, callee_of_two_calls_keeps_brackets)
{
	struct ta t;
	u32 pre;

	ta_run(&t, "inline", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_expect_eq(ta_count_events(&t.p, LCG_EV_PRECALL, "a"), 2);
	pre = ta_event(&t.p, LCG_EV_PRECALL, "a", 0);
	cr_assert_neq(pre, 0);
	cr_expect_eq(t.p.graphs.sites[t.p.events[pre].site].callees[0], ta_proc(&t.p.graphs, "a"));
	cr_expect_eq(t.st.pasted_calls, 0);
	ta_free(&t);
}
