// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-precision's accounting (eval/report/replay.h): the map between the PDA's
 * and the NFAs' event ids, the sampling of measurement points, and the counts
 * of staged attacks, on the two-call-site program of tests/unit/two_sites.h:
 *   main(): bar(); open(); bar(); close();   bar(): read();
 * Its one run: pre1 read post1 open pre2 read post2 close.
 */
#include "lcg_test.h"
#include "two_sites.h"
#include "eval/report/replay.h"

/* Every event pinned at 0x1000 + 16 * id (as finalize pins a real binary). */
static void pin_all(struct lcg_policy *p)
{
	p->has_sha256 = true;
	for (u32 i = 1; i < p->n_events; i++) {
		p->events[i].pins = malloc(sizeof(u64));
		cr_assert_not_null(p->events[i].pins);
		p->events[i].pins[0] = 0x1000 + 16 * (u64)i;
		p->events[i].n_pins = 1;
	}
}

static const char *const READ_OPEN_CLOSE[3] = { "read", "open", "close" };

/*
 * An eval of the interleaved PDA, with the call-graph NFA as both NFA models;
 * @pinned_nfa: whether the NFA policies are pinned too.
 */
static void setup(struct eval *ev, struct two_sites *e, bool pinned_nfa)
{
	struct tp pda, nfa, cg;
	struct two_sites n;

	memset(ev, 0, sizeof(*ev));
	build_two_sites_pda_numbered(&pda, e, true);
	build_two_sites_callgraph_nfa_ordered(&nfa, &n, READ_OPEN_CLOSE);
	build_two_sites_callgraph_nfa_ordered(&cg, &n, READ_OPEN_CLOSE);
	pin_all(&pda.pol);
	if (pinned_nfa) {
		pin_all(&nfa.pol);
		pin_all(&cg.pol);
	}
	cr_assert_eq(model_from_policy(&ev->pda, &pda.pol, "pda"), 0);
	cr_assert_eq(model_from_policy(&ev->nfa, &nfa.pol, "nfa"), 0);
	cr_assert_eq(model_from_policy(&ev->cg, &cg.pol, "cgnfa"), 0);
	ev->have_nfa = ev->have_cg = true;
	cr_assert_eq(eval_setup(ev), 0);
}

/* A trace of PDA ids, each from its pinned address. */
static void make_trace(struct trace *t, const u32 *ids, u32 n)
{
	memset(t, 0, sizeof(*t));
	t->ev = calloc(n, sizeof(*t->ev));
	cr_assert_not_null(t->ev);
	for (u32 i = 0; i < n; i++) {
		t->ev[i].id = ids[i];
		t->ev[i].offset = 0x1000 + 16 * (u64)ids[i];
	}
	t->n = t->cap = n;
}

#define RUN(e) (e).pre1, (e).read, (e).post1, (e).open, (e).pre2, (e).read, (e).post2, (e).close

static void replay(struct eval *ev, const u32 *ids, u32 n, size_t budget)
{
	struct trace t;

	make_trace(&t, ids, n);
	cr_assert_eq(eval_replay_trace(ev, &t, budget), 0);
	trace_free(&t);
}

Test(replay, libcall_ids_map_by_order_not_by_number)
{
	struct two_sites e;
	struct eval ev;

	setup(&ev, &e, true);
	cr_assert_eq(e.read, 1);
	cr_assert_eq(e.open, 4);
	cr_assert_eq(e.close, 7);
	cr_assert_eq(ev.nfa.from_ref[e.read], 1, "the first library call of each");
	cr_assert_eq(ev.nfa.from_ref[e.open], 2);
	cr_assert_eq(ev.nfa.from_ref[e.close], 3);
	cr_assert_eq(ev.cg.from_ref[e.close], 3);
	cr_assert_eq(ev.nfa.from_ref[e.pre1], 0, "a PRECALL has no NFA counterpart");
	cr_assert_eq(ev.nfa.from_ref[e.post2], 0);
	cr_assert_eq(ev.pda.n_libcalls, 3);
	eval_free(&ev);
}

Test(replay, a_policy_that_numbers_its_calls_otherwise_is_refused)
{
	static const char *const open_first[3] = { "open", "read", "close" };
	struct model pda, nfa;
	struct two_sites e, n;
	struct tp tp, tn;

	build_two_sites_pda_numbered(&tp, &e, true);
	build_two_sites_callgraph_nfa_ordered(&tn, &n, open_first);
	cr_assert_eq(model_from_policy(&pda, &tp.pol, "pda"), 0);
	cr_assert_eq(model_from_policy(&nfa, &tn.pol, "nfa"), 0);
	cr_assert_eq(model_map_libcalls(&nfa, &pda), -1, "read (PDA) against open (NFA)");
	model_free(&pda);
	model_free(&nfa);
}

Test(replay, a_policy_with_other_library_calls_is_refused)
{
	struct model pda, nfa;
	struct two_sites e;
	struct tp tp, tn;

	build_two_sites_pda_numbered(&tp, &e, true);
	tp_init(&tn, LCG_MODE_NFA);
	tp_lib(&tn, "read");
	tp_lib(&tn, "open");
	tp_exit(&tn, tp_entry(&tn, tp_proc(&tn, "<program>", LCG_AP_MAIN)));
	cr_assert_eq(model_from_policy(&pda, &tp.pol, "pda"), 0);
	cr_assert_eq(model_from_policy(&nfa, &tn.pol, "nfa"), 0);
	cr_assert_eq(model_map_libcalls(&nfa, &pda), -1, "3 library calls against 2");
	model_free(&pda);
	model_free(&nfa);
}

Test(replay, the_mapped_run_replays_without_failures)
{
	struct two_sites e;
	struct eval ev;

	setup(&ev, &e, true);
	replay(&ev, SEQ(RUN(e)), 100);
	cr_assert_eq(ev.traces, 1);
	cr_assert_eq(ev.events, 8);
	cr_assert_eq(ev.libcalls, 4);
	cr_assert_eq(ev.replay_failures, 0, "every model accepts the program's own run");
	eval_free(&ev);
}

Test(replay, a_refused_event_counts_as_a_replay_failure)
{
	struct two_sites e;
	struct eval ev;

	setup(&ev, &e, true);
	/* open skipped: the PDA refuses close after the first call, the NFA does not */
	replay(&ev, SEQ(e.pre1, e.read, e.post1, e.close), 100);
	cr_assert_eq(ev.replay_failures, 1);
	eval_free(&ev);
}

Test(replay, points_are_the_start_and_after_each_library_call)
{
	struct two_sites e;
	struct eval ev;

	setup(&ev, &e, true);
	replay(&ev, SEQ(RUN(e)), 100);
	cr_assert_eq(ev.positions, 5, "start + 4 library calls");
	/* next calls: start {read}, after read {open}, after open {read},
	 * after read {close}, after close {} */
	cr_assert_float_eq(ev.branching[M_PDA], 4.0, 1e-9);
	/* the NFA forgets which call it is in: {open, close} after each read */
	cr_assert_float_eq(ev.branching[M_CGNFA], 6.0, 1e-9);
	cr_assert_float_eq(ev.branching[M_NFA], 6.0, 1e-9);
	cr_assert_float_eq(ev.branching[M_DIGRAPH], 6.0, 1e-9);
	cr_assert_float_eq(ev.branching[M_ALLOW], 15.0, 1e-9, "3 sites at each of 5 points");
	eval_free(&ev);
}

Test(replay, sampling_keeps_within_the_budget_evenly)
{
	for (size_t budget = 1; budget <= 6; budget++) {
		struct two_sites e;
		struct eval ev;
		size_t stride = 4 / budget + 1, want = (5 + stride - 1) / stride;

		setup(&ev, &e, true);
		replay(&ev, SEQ(RUN(e)), budget);
		cr_assert_eq(ev.positions, want, "budget %zu: every %zu-th point, %zu of 5",
			     budget, stride, want);
		cr_assert_leq(ev.positions, budget < 5 ? budget : 5);
		eval_free(&ev);
	}
}

Test(replay, the_budget_is_shared_by_the_traces)
{
	cr_assert_eq(eval_budget_per_trace(20000, 1), 20001);
	cr_assert_eq(eval_budget_per_trace(20000, 3), 6667);
	cr_assert_eq(eval_budget_per_trace(10, 20), 1, "at least one point per trace");
	cr_assert_eq(eval_budget_per_trace(10, 0), 11, "no traces: as one");
}

Test(replay, injected_calls_of_the_sensitive_site_at_each_point)
{
	struct two_sites e;
	struct eval ev;

	setup(&ev, &e, true);
	cr_assert_eq(ev.n_targets, 1, "open is the only sensitive site, taken once");
	cr_assert_eq(ev.targets[0], e.open);
	replay(&ev, SEQ(RUN(e)), 100);
	/* 5 points; after the first read open comes next anyway: 4 attempts */
	cr_assert_eq(ev.attempts[A_INJECTED], 4);
	cr_assert_eq(ev.caught[A_INJECTED][M_PDA], 4);
	/* the NFA allows open after the second read too */
	cr_assert_eq(ev.caught[A_INJECTED][M_CGNFA], 3);
	cr_assert_eq(ev.caught[A_INJECTED][M_NFA], 3);
	cr_assert_eq(ev.caught[A_INJECTED][M_DIGRAPH], 3);
	cr_assert_eq(ev.caught[A_INJECTED][M_ALLOW], 0, "open is on the allow-list");
	eval_free(&ev);
}

Test(replay, without_sensitive_sites_the_first_four_are_targets_once_each)
{
	struct eval ev;
	struct tp t;
	u32 ids[6];

	memset(&ev, 0, sizeof(ev));
	tp_init(&t, LCG_MODE_PDA);
	for (int i = 0; i < 6; i++)
		ids[i] = tp_lib(&t, i % 2 ? "strlen" : "puts");
	tp_exit(&t, tp_entry(&t, tp_proc(&t, "main", LCG_AP_MAIN)));
	cr_assert_eq(model_from_policy(&ev.pda, &t.pol, "pda"), 0);
	cr_assert_eq(eval_setup(&ev), 0);
	cr_assert_eq(ev.n_targets, 4);
	for (u32 i = 0; i < 4; i++)
		cr_assert_eq(ev.targets[i], ids[i]);
	eval_free(&ev);
}

Test(replay, impossible_returns_are_caught_by_the_stack_alone)
{
	struct two_sites e;
	struct eval ev;

	setup(&ev, &e, true);
	replay(&ev, SEQ(RUN(e)), 100);
	/* each POSTCALL returns instead through the other site: two attempts */
	cr_assert_eq(ev.attempts[A_RETURN], 2);
	cr_assert_eq(ev.caught[A_RETURN][M_PDA], 2);
	cr_assert_eq(ev.caught[A_RETURN][M_CGNFA], 0);
	cr_assert_eq(ev.caught[A_RETURN][M_NFA], 0);
	cr_assert_eq(ev.caught[A_RETURN][M_DIGRAPH], 0);
	eval_free(&ev);
}

Test(replay, unpinned_events_are_tried_once_per_site_over_all_traces)
{
	struct two_sites e;
	struct eval ev;

	setup(&ev, &e, false);
	replay(&ev, SEQ(RUN(e)), 100);
	replay(&ev, SEQ(RUN(e)), 100);
	cr_assert_eq(ev.traces, 2);
	cr_assert_eq(ev.attempts[A_UNPINNED], 3, "read, open and close, once each");
	cr_assert_eq(ev.caught[A_UNPINNED][M_PDA], 3, "the pinned PDA refuses each");
	cr_assert_eq(ev.caught[A_UNPINNED][M_NFA], 0, "an unpinned policy refuses none");
	cr_assert_eq(ev.caught[A_UNPINNED][M_CGNFA], 0);
	eval_free(&ev);
}

Test(replay, a_missing_nfa_is_not_measured)
{
	struct two_sites e;
	struct eval ev;
	struct tp pda;

	memset(&ev, 0, sizeof(ev));
	build_two_sites_pda_numbered(&pda, &e, true);
	cr_assert_eq(model_from_policy(&ev.pda, &pda.pol, "pda"), 0);
	cr_assert_eq(eval_setup(&ev), 0);
	replay(&ev, SEQ(RUN(e)), 100);
	cr_assert(eval_measured(&ev, M_PDA));
	cr_assert(eval_measured(&ev, M_ALLOW));
	cr_assert_not(eval_measured(&ev, M_NFA));
	cr_assert_not(eval_measured(&ev, M_CGNFA));
	cr_assert_not(eval_measured(&ev, M_DIGRAPH));
	cr_assert_eq(ev.caught[A_INJECTED][M_NFA], 0);
	eval_free(&ev);
}
