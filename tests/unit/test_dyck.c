// SPDX-License-Identifier: GPL-2.0
/*
 * Dyck (PDA) mode against the call-graph NFA: returns to the wrong call site,
 * recursion, the stack bound, setjmp/longjmp, asynchronous entries, threads,
 * fork copies and complain-mode resynchronisation.
 */
#include "lcg_test.h"
#include "two_sites.h"

static const u32 factors[] = TP_FACTORS;

Test(dyck, return_to_wrong_site_refused_by_pda)
{
	for (unsigned f = 0; f < 2; f++) {
		struct two_sites e;
		struct trun r;
		struct tp t;

		build_two_sites_pda(&t, &e);
		tp_build(&t, factors[f], &r);
		ACCEPTS(&r, e.pre1, e.read, e.post1, e.open, e.pre2, e.read, e.post2, e.close);
		REFUSES_AT(&r, 2, e.pre1, e.read, e.post2);
		cr_assert_eq(tr_run(&r, SEQ(e.pre1, e.read)), -1);
		cr_assert_eq(lcg_monitor_step(&r.m, &r.img, e.post2), LCG_R_RETURN_MISMATCH);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}

Test(dyck, return_to_wrong_site_accepted_by_callgraph_nfa)
{
	for (unsigned f = 0; f < 2; f++) {
		struct two_sites e;
		struct trun r;
		struct tp t;

		build_two_sites_callgraph_nfa(&t, &e);
		tp_build(&t, factors[f], &r);
		ACCEPTS(&r, e.read, e.open, e.read, e.close);
		/* the impossible path: bar's first return taken to the second site */
		ACCEPTS(&r, e.read, e.close);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}

Test(dyck, post_before_callee_can_return_refused)
{
	struct two_sites e;
	struct trun r;
	struct tp t;

	build_two_sites_pda(&t, &e);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	cr_assert_eq(tr_run(&r, SEQ(e.pre1)), -1);
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, e.post1), LCG_R_NOT_RETURNED);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

/* f(n): open(); if (n) f(n - 1); close();   main(): f(); */
struct rec {
	u32 open, close, pre_main, post_main, pre_rec, post_rec;
};

static void build_recursion(struct tp *t, struct rec *e)
{
	u32 main, f, m1, f1, f2, f3;

	tp_init(t, LCG_MODE_PDA);
	e->open = tp_lib(t, "open");
	e->close = tp_lib(t, "close");
	main = tp_proc(t, "main", LCG_AP_MAIN);
	f = tp_proc(t, "f", 0);
	m1 = tp_state(t, main);
	tp_call(t, main, tp_entry(t, main), m1, &f, 1, &e->pre_main, &e->post_main);
	tp_exit(t, m1);
	f1 = tp_state(t, f);
	f2 = tp_state(t, f);
	f3 = tp_state(t, f);
	tp_edge(t, tp_entry(t, f), f1, e->open);
	tp_call(t, f, f1, f2, &f, 1, &e->pre_rec, &e->post_rec);
	tp_edge(t, f1, f2, 0);
	tp_edge(t, f2, f3, e->close);
	tp_exit(t, f3);
}

/* the events of main() calling f with recursion depth @depth */
static u32 recursion_trace(const struct rec *e, u32 depth, u32 *out)
{
	u32 n = 0, i;

	out[n++] = e->pre_main;
	out[n++] = e->open;
	for (i = 0; i < depth; i++) {
		out[n++] = e->pre_rec;
		out[n++] = e->open;
	}
	for (i = 0; i < depth; i++) {
		out[n++] = e->close;
		out[n++] = e->post_rec;
	}
	out[n++] = e->close;
	out[n++] = e->post_main;
	return n;
}

Test(dyck, recursion_balanced)
{
	for (unsigned f = 0; f < 2; f++) {
		u32 trace[64];
		struct rec e;
		struct trun r;
		struct tp t;

		build_recursion(&t, &e);
		tp_build(&t, factors[f], &r);
		for (u32 depth = 0; depth < 10; depth++)
			cr_assert_eq(tr_run(&r, trace, recursion_trace(&e, depth, trace)), -1,
				     "depth %u refused", depth);
		/* returning before the callee's close */
		REFUSES_AT(&r, 4, e.pre_main, e.open, e.pre_rec, e.open, e.post_rec);
		/* returning from a recursive call that was never made */
		REFUSES_AT(&r, 3, e.pre_main, e.open, e.close, e.post_rec);
		/* one return too many */
		REFUSES_AT(&r, 4, e.pre_main, e.open, e.close, e.post_main, e.post_main);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}

Test(dyck, stack_bound_forgets_oldest_frames_without_false_alarm)
{
	u32 depth = LCG_STACK_MAX * 3, *trace = malloc((4 * depth + 8) * sizeof(u32));
	struct rec e;
	struct trun r;
	struct tp t;

	build_recursion(&t, &e);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	u32 n = recursion_trace(&e, depth, trace);

	lcg_monitor_init(&r.m, &r.img);
	cr_assert_eq(tr_feed(&r, trace, 2 + 2 * depth), -1);
	cr_assert_eq(r.m.depth, LCG_STACK_MAX);
	cr_assert_eq(r.m.forgotten, depth + 1 - LCG_STACK_MAX);
	cr_assert_eq(tr_feed(&r, trace + 2 + 2 * depth, n - 2 - 2 * depth), -1);
	cr_assert_eq(r.m.depth, 0);
	cr_assert_eq(r.m.forgotten, 0);
	/* below the bound, returns are still checked against the callee */
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, e.post_rec), LCG_R_RETURN_MISMATCH);
	free(trace);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

/*
 * main(): if (setjmp(env) == 0) work(); close();
 * work(): open(); deep();   deep(): write(); longjmp(env, 1);
 */
struct sj {
	u32 open, write, close, sj, pre_work, post_work, pre_deep, post_deep;
	u32 other;	/* setjmp site of a procedure not on the stack */
};

static void build_setjmp(struct tp *t, struct sj *e)
{
	u32 main, work, deep, lone, m1, m2, m3, w1, w2, d1, l1;

	tp_init(t, LCG_MODE_PDA);
	e->open = tp_lib(t, "open");
	e->write = tp_lib(t, "write");
	e->close = tp_lib(t, "close");
	main = tp_proc(t, "main", LCG_AP_MAIN);
	work = tp_proc(t, "work", 0);
	deep = tp_proc(t, "deep", 0);
	lone = tp_proc(t, "lone", 0);
	m1 = tp_state(t, main);
	m2 = tp_state(t, main);
	m3 = tp_state(t, main);
	e->sj = tp_setjmp(t, main, tp_entry(t, main), m1);
	tp_call(t, main, m1, m2, &work, 1, &e->pre_work, &e->post_work);
	tp_edge(t, m1, m2, 0);
	tp_edge(t, m2, m3, e->close);
	tp_exit(t, m3);
	w1 = tp_state(t, work);
	w2 = tp_state(t, work);
	tp_edge(t, tp_entry(t, work), w1, e->open);
	tp_call(t, work, w1, w2, &deep, 1, &e->pre_deep, &e->post_deep);
	tp_exit(t, w2);
	d1 = tp_state(t, deep);
	tp_edge(t, tp_entry(t, deep), d1, e->write);	/* then longjmp: no exit */
	l1 = tp_state(t, lone);
	e->other = tp_setjmp(t, lone, tp_entry(t, lone), l1);
	tp_exit(t, l1);
}

Test(dyck, longjmp_unwinds_to_setjmp_frame)
{
	for (unsigned f = 0; f < 2; f++) {
		struct trun r;
		struct tp t;
		struct sj e;

		build_setjmp(&t, &e);
		tp_build(&t, factors[f], &r);
		/* first return of setjmp, the call chain, then longjmp back into main */
		ACCEPTS(&r, e.sj, e.pre_work, e.open, e.pre_deep, e.write, e.sj, e.close);
		cr_assert_eq(r.m.depth, 0);
		/* longjmp again after the unwinding, from a fresh call chain */
		ACCEPTS(&r, e.sj, e.pre_work, e.open, e.pre_deep, e.write, e.sj,
			e.pre_work, e.open, e.pre_deep, e.write, e.sj, e.close);
		/* after unwinding, main continues after setjmp, not inside work */
		REFUSES_AT(&r, 6, e.sj, e.pre_work, e.open, e.pre_deep, e.write, e.sj, e.write);
		/* a setjmp site whose procedure is not on the stack cannot be returned to */
		REFUSES_AT(&r, 5, e.sj, e.pre_work, e.open, e.pre_deep, e.write, e.other);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}

/*
 * protect(f): if (setjmp(env) == 0) f();  -- pasted into a() and b(), so its
 * setjmp returns in both:
 * main(): a(); b();
 * a(): protect(deep); open();   b(): protect(deep); close();
 * deep(): write(); longjmp(env, 1);
 */
struct sj_copies {
	u32 sj, open, close, write, pre_a, post_a, pre_b, post_b, pre_da, pre_db;
};

static void build_setjmp_copies(struct tp *t, struct sj_copies *e)
{
	u32 main, a, b, prot, deep, m1, m2, a1, a2, a3, b1, b2, b3, p1, d1;

	tp_init(t, LCG_MODE_PDA);
	e->open = tp_lib(t, "open");
	e->close = tp_lib(t, "close");
	e->write = tp_lib(t, "write");
	main = tp_proc(t, "main", LCG_AP_MAIN);
	a = tp_proc(t, "a", 0);
	b = tp_proc(t, "b", 0);
	prot = tp_proc(t, "protect", 0);
	deep = tp_proc(t, "deep", 0);
	/* protect's own procedure holds the site; nothing calls it */
	p1 = tp_state(t, prot);
	e->sj = tp_setjmp(t, prot, tp_entry(t, prot), p1);
	tp_exit(t, p1);
	m1 = tp_state(t, main);
	m2 = tp_state(t, main);
	tp_call(t, main, tp_entry(t, main), m1, &a, 1, &e->pre_a, &e->post_a);
	tp_call(t, main, m1, m2, &b, 1, &e->pre_b, &e->post_b);
	tp_exit(t, m2);
	a1 = tp_state(t, a);
	a2 = tp_state(t, a);
	a3 = tp_state(t, a);
	tp_setjmp_copy(t, e->sj, tp_entry(t, a), a1);
	tp_call(t, a, a1, a2, &deep, 1, &e->pre_da, NULL);
	tp_edge(t, a1, a2, 0);
	tp_edge(t, a2, a3, e->open);
	tp_exit(t, a3);
	b1 = tp_state(t, b);
	b2 = tp_state(t, b);
	b3 = tp_state(t, b);
	tp_setjmp_copy(t, e->sj, tp_entry(t, b), b1);
	tp_call(t, b, b1, b2, &deep, 1, &e->pre_db, NULL);
	tp_edge(t, b1, b2, 0);
	tp_edge(t, b2, b3, e->close);
	tp_exit(t, b3);
	d1 = tp_state(t, deep);
	tp_edge(t, tp_entry(t, deep), d1, e->write);	/* then longjmp: no exit */
}

Test(dyck, longjmp_lands_on_the_copy_in_the_procedure_it_unwinds_to)
{
	for (unsigned f = 0; f < 2; f++) {
		struct sj_copies e;
		struct trun r;
		struct tp t;

		build_setjmp_copies(&t, &e);
		tp_build(&t, factors[f], &r);
		ACCEPTS(&r, e.pre_a, e.pre_da, e.write, e.sj, e.open, e.post_a,
			e.pre_b, e.pre_db, e.write, e.sj, e.close, e.post_b);
		cr_assert_eq(r.m.depth, 0);
		/* unwound into a, the run continues as a does, not as b */
		REFUSES_AT(&r, 4, e.pre_a, e.pre_da, e.write, e.sj, e.close);
		REFUSES_AT(&r, 7, e.pre_a, e.open, e.post_a, e.pre_b, e.pre_db, e.write, e.sj,
			   e.open);
		/* with protect never entered, a longjmp has nowhere to land */
		REFUSES_AT(&r, 0, e.sj);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}

/* main(): open(); read(); close();  handler(): write(); kill(); */
struct sig {
	u32 open, read, close, write, kill, pre_log, post_log, log_write;
};

static void build_signal(struct tp *t, struct sig *e)
{
	u32 main, h, lg, s1, s2, s3, h1, h2, h3, l1;

	tp_init(t, LCG_MODE_PDA);
	e->open = tp_lib(t, "open");
	e->read = tp_lib(t, "read");
	e->close = tp_lib(t, "close");
	e->write = tp_lib(t, "write");
	e->kill = tp_lib(t, "kill");
	e->log_write = tp_lib(t, "fputs");
	main = tp_proc(t, "main", LCG_AP_MAIN);
	h = tp_proc(t, "handler", LCG_AP_SIGNAL_HANDLER | LCG_AP_ADDRESS_TAKEN);
	lg = tp_proc(t, "log_line", 0);
	s1 = tp_state(t, main);
	s2 = tp_state(t, main);
	s3 = tp_state(t, main);
	tp_edge(t, tp_entry(t, main), s1, e->open);
	tp_edge(t, s1, s2, e->read);
	tp_edge(t, s2, s3, e->close);
	tp_exit(t, s3);
	h1 = tp_state(t, h);
	h2 = tp_state(t, h);
	h3 = tp_state(t, h);
	tp_edge(t, tp_entry(t, h), h1, e->write);
	tp_edge(t, h1, h2, e->kill);
	tp_call(t, h, h2, h3, &lg, 1, &e->pre_log, &e->post_log);
	tp_edge(t, h2, h3, 0);
	tp_exit(t, h3);
	l1 = tp_state(t, lg);
	tp_edge(t, tp_entry(t, lg), l1, e->log_write);
	tp_exit(t, l1);
}

Test(dyck, signal_handler_runs_anywhere_and_returns_where_it_interrupted)
{
	for (unsigned f = 0; f < 2; f++) {
		struct trun r;
		struct tp t;
		struct sig e;

		build_signal(&t, &e);
		tp_build(&t, factors[f], &r);
		ACCEPTS(&r, e.open, e.write, e.kill, e.read, e.close);
		ACCEPTS(&r, e.write, e.kill, e.open, e.read, e.write, e.kill, e.close);
		ACCEPTS(&r, e.open, e.write, e.kill, e.pre_log, e.log_write, e.post_log, e.read, e.close);
		/* nested: a handler interrupted by the handler */
		ACCEPTS(&r, e.open, e.write, e.write, e.kill, e.kill, e.read, e.close);
		/* the handler cannot return before kill(), so read is refused */
		REFUSES_AT(&r, 2, e.open, e.write, e.read);
		/* and main's order is still enforced around it */
		REFUSES_AT(&r, 3, e.open, e.write, e.kill, e.close);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}

Test(dyck, async_entries_nested_beyond_bound_refused)
{
	struct trun r;
	struct tp t;
	struct sig e;
	u32 trace[LCG_ASYNC_MAX + 2], i;

	build_signal(&t, &e);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	trace[0] = e.open;
	for (i = 0; i <= LCG_ASYNC_MAX; i++)
		trace[i + 1] = e.write;
	lcg_monitor_init(&r.m, &r.img);
	cr_assert_eq(tr_feed(&r, trace, LCG_ASYNC_MAX + 1), -1);
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, e.write), LCG_R_ASYNC_DEPTH);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

Test(dyck, fork_copy_continues_independently)
{
	struct lcg_monitor child;
	struct two_sites e;
	struct trun r;
	struct tp t;

	build_two_sites_pda(&t, &e);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	cr_assert_eq(tr_run(&r, SEQ(e.pre1, e.read)), -1);
	lcg_monitor_copy(&child, &r.m);
	cr_assert_eq(lcg_monitor_step(&child, &r.img, e.post1), LCG_R_OK);
	cr_assert_eq(lcg_monitor_step(&child, &r.img, e.open), LCG_R_OK);
	/* the parent is where it was: still inside bar */
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, e.open), LCG_R_NO_TRANSITION);
	cr_assert_eq(r.m.depth, 1);
	cr_assert_eq(child.depth, 0);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

Test(dyck, complain_resync_continues_from_states_accepting_the_event)
{
	struct two_sites e;
	struct trun r;
	struct tp t;

	build_two_sites_pda(&t, &e);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	/* open before any call: refused, then resynchronised onto open's target */
	cr_assert_eq(tr_run(&r, SEQ(e.open)), 0);
	lcg_monitor_resync(&r.m, &r.img, e.open);
	cr_assert_eq(tr_feed(&r, SEQ(e.pre2, e.read, e.post2, e.close)), -1);
	/* a POSTCALL with no frame: resync returns to the site's return point */
	cr_assert_eq(tr_run(&r, SEQ(e.post1)), 0);
	lcg_monitor_resync(&r.m, &r.img, e.post1);
	cr_assert_eq(tr_feed(&r, SEQ(e.open, e.pre2, e.read, e.post2, e.close)), -1);
	/* a return to the wrong site pops the right frame when it is on the stack */
	cr_assert_eq(tr_run(&r, SEQ(e.pre1, e.read, e.post2)), 2);
	lcg_monitor_resync(&r.m, &r.img, e.post2);
	cr_assert_eq(r.m.depth, 0);
	cr_assert_eq(tr_feed(&r, SEQ(e.close)), -1);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

Test(dyck, thread_starts_at_its_entry)
{
	struct lcg_monitor creator;
	struct trun r;
	struct tp t;
	u32 main, th, m1, t1, open, read;

	tp_init(&t, LCG_MODE_PDA);
	open = tp_lib(&t, "open");
	read = tp_lib(&t, "read");
	main = tp_proc(&t, "main", LCG_AP_MAIN);
	th = tp_proc(&t, "worker", LCG_AP_THREAD_ENTRY);
	m1 = tp_state(&t, main);
	tp_edge(&t, tp_entry(&t, main), m1, open);
	tp_exit(&t, m1);
	t1 = tp_state(&t, th);
	tp_edge(&t, tp_entry(&t, th), t1, read);
	tp_exit(&t, t1);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	creator = r.m;
	cr_assert(lcg_monitor_init_thread(&r.m, &r.img, &creator));
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, read), LCG_R_OK);
	cr_assert(lcg_monitor_init_thread(&r.m, &r.img, &creator));
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, open), LCG_R_NO_TRANSITION);
	ACCEPTS(&r, open);
	REFUSES_AT(&r, 0, read);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

Test(dyck, program_without_threads_has_no_thread_start)
{
	struct two_sites e;
	struct trun r;
	struct tp t;

	build_two_sites_pda(&t, &e);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	cr_assert_not(lcg_monitor_init_thread(&r.m, &r.img, &r.m));
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

Test(dyck, indirect_call_enters_any_callee)
{
	struct trun r;
	struct tp t;
	u32 main, a, b, m1, a1, b1, pre, post, ra, rb, callees[2];

	tp_init(&t, LCG_MODE_PDA);
	ra = tp_lib(&t, "read");
	rb = tp_lib(&t, "write");
	main = tp_proc(&t, "main", LCG_AP_MAIN);
	a = tp_proc(&t, "a", LCG_AP_ADDRESS_TAKEN);
	b = tp_proc(&t, "b", LCG_AP_ADDRESS_TAKEN);
	callees[0] = a;
	callees[1] = b;
	m1 = tp_state(&t, main);
	tp_call(&t, main, tp_entry(&t, main), m1, callees, 2, &pre, &post);
	tp_exit(&t, m1);
	a1 = tp_state(&t, a);
	tp_edge(&t, tp_entry(&t, a), a1, ra);
	tp_exit(&t, a1);
	b1 = tp_state(&t, b);
	tp_edge(&t, tp_entry(&t, b), b1, rb);
	tp_exit(&t, b1);
	for (unsigned f = 0; f < 2; f++) {
		tp_build(&t, factors[f], &r);
		ACCEPTS(&r, pre, ra, post);
		ACCEPTS(&r, pre, rb, post);
		REFUSES_AT(&r, 2, pre, ra, rb);
		tr_free(&r);
	}
	lcg_policy_free(&t.pol);
}

Test(dyck, unknown_event_ids_refused)
{
	struct two_sites e;
	struct trun r;
	struct tp t;

	build_two_sites_pda(&t, &e);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, 0), LCG_R_UNKNOWN_EVENT);
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, t.pol.n_events), LCG_R_UNKNOWN_EVENT);
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, 0xffffffffu), LCG_R_UNKNOWN_EVENT);
	cr_assert_eq(r.m.violations, 3);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

/*
 * A longjmp into a procedure that an indirect call site entered: the site's
 * callees (given unsorted, with a repeat) are searched by binary search, so
 * the image keeps them sorted and distinct.
 * main(): fp();   (fp: any of 40 procedures, work among them)
 * work(): if (setjmp(env) == 0) deep(); close();   deep(): write(); longjmp(env, 1);
 */
Test(dyck, longjmp_finds_its_frame_among_many_sorted_callees)
{
	struct trun r;
	struct tp t;
	u32 main, work, deep, other[40], callees[42], n = 0, m1, w1, w2, w3, d1, i;
	u32 pre, post, pre_deep, sj, write, close;
	const struct lcg_img_site *site;

	tp_init(&t, LCG_MODE_PDA);
	write = tp_lib(&t, "write");
	close = tp_lib(&t, "close");
	main = tp_proc(&t, "main", LCG_AP_MAIN);
	for (i = 0; i < 20; i++)
		other[i] = tp_proc(&t, "before", LCG_AP_ADDRESS_TAKEN);
	work = tp_proc(&t, "work", LCG_AP_ADDRESS_TAKEN);
	for (i = 20; i < 40; i++)
		other[i] = tp_proc(&t, "after", LCG_AP_ADDRESS_TAKEN);
	deep = tp_proc(&t, "deep", 0);
	/* descending, work in the middle and twice */
	for (i = 40; i-- > 20;)
		callees[n++] = other[i];
	callees[n++] = work;
	callees[n++] = work;
	for (i = 20; i-- > 0;)
		callees[n++] = other[i];
	for (i = 0; i < 40; i++)
		tp_exit(&t, tp_entry(&t, other[i]));
	m1 = tp_state(&t, main);
	tp_call(&t, main, tp_entry(&t, main), m1, callees, n, &pre, &post);
	tp_exit(&t, m1);
	w1 = tp_state(&t, work);
	w2 = tp_state(&t, work);
	w3 = tp_state(&t, work);
	sj = tp_setjmp(&t, work, tp_entry(&t, work), w1);
	tp_call(&t, work, w1, w2, &deep, 1, &pre_deep, NULL);
	tp_edge(&t, w1, w2, 0);
	tp_edge(&t, w2, w3, close);
	tp_exit(&t, w3);
	d1 = tp_state(&t, deep);
	tp_edge(&t, tp_entry(&t, deep), d1, write);
	for (unsigned f = 0; f < 2; f++) {
		tp_build(&t, factors[f], &r);
		site = &r.img.sites[t.pol.events[pre].site];
		cr_assert_eq(site->n_callees, 41, "40 others and work, once");
		for (i = 1; i < site->n_callees; i++)
			cr_assert_lt(r.img.callees[site->first_callee + i - 1],
				     r.img.callees[site->first_callee + i]);
		/* the longjmp pops deep's frame and stops at the frame that entered work */
		ACCEPTS(&r, pre, sj, pre_deep, write, sj, close, post);
		cr_assert_eq(r.m.depth, 0);
		tr_free(&r);
	}
	lcg_policy_free(&t.pol);
}
