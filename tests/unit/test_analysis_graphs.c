// SPDX-License-Identifier: GPL-2.0
/*
 * The analysis on the course specification's examples and on recursion:
 * per-procedure library call graphs compared, after canonicalisation, with
 * the graphs written down in tests/analysis/.
 */
#include "test_analysis.h"

Test(analysis_graphs, foo_open_read_close)
{
	struct ta t;

	ta_run(&t, "spec_foo", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "foo", "spec_foo.foo.graph");
	ta_expect_graph(&t, &t.p.graphs, "main", "spec_foo.main.graph");
	ta_free(&t);
}

Test(analysis_graphs, foo_is_small)
{
	struct ta t;
	u32 foo;

	ta_run(&t, "spec_foo", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
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

	ta_run(&t, "spec_if", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "foo", "spec_if.foo.graph");
	ta_free(&t);
}

Test(analysis_graphs, while_loop)
{
	struct ta t;

	ta_run(&t, "spec_while", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "foo", "spec_while.foo.graph");
	ta_free(&t);
}

Test(analysis_graphs, read_or_write)
{
	struct ta t;

	ta_run(&t, "spec_nondet", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ta_expect_graph(&t, &t.p.graphs, "foo", "spec_nondet.foo.graph");
	ta_free(&t);
}

Test(analysis_graphs, foo_calls_bar_pda)
{
	struct ta t;
	u32 site, bar, foo;

	ta_run(&t, "spec_call", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
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
	cr_expect_eq(t.st.nfa_inlined, 1, "walk is pasted once into main, then shared");
	ta_free(&t);
}
