// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-precision's models on the two-call-site program of tests/unit/test_dyck.c:
 *   main(): bar(); open(); bar(); close();   bar(): read();
 * The PDA's next library calls follow the call stack; the digraph only knows
 * which call followed which, so it allows the impossible path read -> close
 * after the first call.
 */
#include "lcg_test.h"
#include "two_sites.h"
#include "eval/report/digraph.h"
#include "eval/report/nextcalls.h"

/* The answer of nextcalls_query() after feeding @ev, as one sorted set. */
static void query_after(struct trun *r, const u32 *ev, u32 n, u32 *out, u32 *n_out)
{
	struct nextcalls nc;

	cr_assert_eq(tr_feed(r, ev, n), -1, "the program's own run was refused");
	cr_assert_eq(nextcalls_init(&nc, &r->img), 0);
	nextcalls_query(&nc, &r->m);
	*n_out = nc.n_set;
	memcpy(out, nc.set, nc.n_set * sizeof(u32));
	nextcalls_free(&nc);
}

Test(precision, pda_next_calls_at_start_go_through_the_call)
{
	struct two_sites e;
	struct trun r;
	struct tp t;
	u32 set[8], n;

	build_two_sites_pda(&t, &e);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	query_after(&r, NULL, 0, set, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(set[0], e.read, "only bar's read can come first");
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

Test(precision, pda_next_calls_follow_the_return_site)
{
	struct two_sites e;
	struct trun r;
	struct tp t;
	u32 set[8], n;

	build_two_sites_pda(&t, &e);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	query_after(&r, SEQ(e.pre1, e.read), set, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(set[0], e.open, "after the first call's read only open may follow");
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

Test(precision, pda_next_calls_after_second_call_are_close)
{
	struct two_sites e;
	struct trun r;
	struct tp t;
	u32 set[8], n;

	build_two_sites_pda(&t, &e);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	query_after(&r, SEQ(e.pre1, e.read, e.post1, e.open, e.pre2, e.read), set, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(set[0], e.close);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

Test(precision, digraph_allows_the_impossible_path)
{
	struct digraph d;
	struct two_sites e;
	struct trun r;
	struct tp t;

	build_two_sites_callgraph_nfa(&t, &e);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	cr_assert_eq(digraph_build(&d, &r.img), 0);
	cr_assert(digraph_allows(&d, 0, e.read), "read starts the program");
	cr_assert_not(digraph_allows(&d, 0, e.open));
	cr_assert(digraph_allows(&d, e.read, e.open));
	cr_assert(digraph_allows(&d, e.read, e.close), "read -> close: the impossible path");
	cr_assert_not(digraph_allows(&d, e.open, e.close), "open is always followed by read");
	cr_assert_eq(digraph_count(&d, e.open), 1);
	cr_assert_eq(digraph_count(&d, e.close), 0, "close ends the program");
	digraph_free(&d);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

/*
 * main(): f(); close();   f(): read(); if (...) f();
 * The summaries need a fixpoint (f's first call is read whether or not it
 * recurses); after a read anywhere in the recursion, read or close may come.
 */
Test(precision, pda_next_calls_through_recursion)
{
	u32 read, close, pre_main, post_main, pre_rec, post_rec, set[8], n;
	u32 main, f, m1, m2, f1, f2;
	struct trun r;
	struct tp t;

	tp_init(&t, LCG_MODE_PDA);
	read = tp_lib(&t, "read");
	close = tp_lib(&t, "close");
	main = tp_proc(&t, "main", LCG_AP_MAIN);
	f = tp_proc(&t, "f", 0);
	m1 = tp_state(&t, main);
	m2 = tp_state(&t, main);
	tp_call(&t, main, tp_entry(&t, main), m1, &f, 1, &pre_main, &post_main);
	tp_edge(&t, m1, m2, close);
	tp_exit(&t, m2);
	f1 = tp_state(&t, f);
	f2 = tp_state(&t, f);
	tp_edge(&t, tp_entry(&t, f), f1, read);
	tp_call(&t, f, f1, f2, &f, 1, &pre_rec, &post_rec);
	tp_exit(&t, f1);
	tp_exit(&t, f2);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	query_after(&r, NULL, 0, set, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(set[0], read);
	tr_free(&r);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	query_after(&r, SEQ(pre_main, read, pre_rec, read, pre_rec, read), set, &n);
	cr_assert_eq(n, 2, "read (recursing again) or close (returning twice, then main)");
	cr_assert(set[0] == read || set[1] == read);
	cr_assert(set[0] == close || set[1] == close);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}
