// SPDX-License-Identifier: GPL-2.0
/*
 * Policies the analysis produced, compiled by the core (lcg_image_build) and
 * run through the monitor: legal event sequences of the program accepted,
 * illegal ones refused, in both modes; inlined NFA copies more precise than
 * shared ones.
 */
#include "test_analysis.h"
#include "lcg_test.h"

static void build_image(const struct ta *t, struct trun *r)
{
	char err[256] = "";
	const char *why;

	memset(r, 0, sizeof(*r));
	cr_assert_eq(lcg_image_build(&t->p, &r->buf, &r->len, err, sizeof(err)), 0,
		     "image build failed: %s", err);
	why = lcg_image_validate(&r->img, r->buf, r->len);
	cr_assert_null(why, "validator refused the image: %s", why);
}

#define LIB(name, nth) ta_event(&t.p, LCG_EV_LIBCALL, (name), (nth))
#define PRE(name, nth) ta_event(&t.p, LCG_EV_PRECALL, (name), (nth))
#define POST(name, nth) ta_event(&t.p, LCG_EV_POSTCALL, (name), (nth))

Test(analysis_monitor, foo_pda)
{
	struct ta t;
	struct trun r;
	u32 open, read, close, pre, post;

	ta_run_classic(&t, "spec_foo", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	open = LIB("open", 0);
	read = LIB("read", 0);
	close = LIB("close", 0);
	pre = PRE("foo", 0);
	post = POST("foo", 0);
	cr_assert(open && read && close && pre && post);
	build_image(&t, &r);
	ACCEPTS(&r, pre, open, read, close, post);
	ACCEPTS(&r, pre, open);
	REFUSES_AT(&r, 0, open, read, close);	/* outside foo */
	REFUSES_AT(&r, 2, pre, open, close);	/* read skipped */
	REFUSES_AT(&r, 3, pre, open, read, post);	/* foo cannot return before close */
	REFUSES_AT(&r, 4, pre, open, read, close, close);
	tr_free(&r);
	ta_free(&t);
}

/* foo pasted into main: the same library calls, without the brackets. */
Test(analysis_monitor, foo_pasted)
{
	struct ta t;
	struct trun r;
	u32 open, read, close;

	ta_run(&t, "spec_foo", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	open = LIB("open", 0);
	read = LIB("read", 0);
	close = LIB("close", 0);
	build_image(&t, &r);
	ACCEPTS(&r, open, read, close);
	ACCEPTS(&r, open);
	REFUSES_AT(&r, 0, read, close);
	REFUSES_AT(&r, 2, open, read, read);
	REFUSES_AT(&r, 3, open, read, close, close);
	tr_free(&r);
	ta_free(&t);
}

Test(analysis_monitor, while_loop_nfa)
{
	struct ta t;
	struct trun r;
	u32 open, read, close;

	ta_run(&t, "spec_while", LCG_MODE_NFA, LCG_EVENTS_EFFECTS);
	open = LIB("open", 0);
	read = LIB("read", 0);
	close = LIB("close", 0);
	build_image(&t, &r);
	ACCEPTS(&r, open, read, close);
	ACCEPTS(&r, open, read, read, read, read, close);
	REFUSES_AT(&r, 1, open, close);		/* the loop reads at least once */
	REFUSES_AT(&r, 0, read, close);
	REFUSES_AT(&r, 3, open, read, close, read);
	tr_free(&r);
	ta_free(&t);
}

Test(analysis_monitor, read_or_write_both_modes)
{
	for (u32 mode = LCG_MODE_PDA; mode <= LCG_MODE_NFA; mode++) {
		struct ta t;
		struct trun r;
		u32 pre, post;

		ta_run_classic(&t, "spec_nondet", mode, LCG_EVENTS_EFFECTS);
		pre = PRE("foo", 0);
		post = POST("foo", 0);
		build_image(&t, &r);
		if (mode == LCG_MODE_PDA) {
			ACCEPTS(&r, pre, LIB("open", 0), LIB("read", 0), LIB("close", 0), post);
			ACCEPTS(&r, pre, LIB("open", 0), LIB("write", 0), LIB("close", 0), post);
			REFUSES_AT(&r, 3, pre, LIB("open", 0), LIB("read", 0), LIB("write", 0));
		} else {
			ACCEPTS(&r, LIB("open", 0), LIB("read", 0), LIB("close", 0));
			ACCEPTS(&r, LIB("open", 0), LIB("write", 0), LIB("close", 0));
			REFUSES_AT(&r, 2, LIB("open", 0), LIB("read", 0), LIB("write", 0));
		}
		tr_free(&r);
		ta_free(&t);
	}
}

Test(analysis_monitor, recursion_pda_nests)
{
	struct ta t;
	struct trun r;
	u32 pre_main, post_main, pre_rec, post_rec, w, c;

	ta_run(&t, "recursion", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	/* ids follow module order: walk (and its recursive call) comes before main */
	pre_rec = PRE("walk", 0);
	post_rec = POST("walk", 0);
	pre_main = PRE("walk", 1);
	post_main = POST("walk", 1);
	w = LIB("write", 0);
	c = LIB("close", 0);
	cr_assert(pre_main && pre_rec && w && c);
	cr_assert_str_eq(t.p.events[pre_main].function, "main");
	cr_assert_str_eq(t.p.events[pre_rec].function, "walk");
	build_image(&t, &r);
	ACCEPTS(&r, pre_main, w, pre_rec, w, pre_rec, post_rec, c, post_rec, c, post_main);
	REFUSES_AT(&r, 3, pre_main, w, pre_rec, post_main);	/* returns to the wrong site */
	REFUSES_AT(&r, 2, pre_main, w, c);			/* close only after the call */
	tr_free(&r);
	ta_free(&t);
}

Test(analysis_monitor, inlined_copies_are_more_precise_than_shared_ones)
{
	struct ta t;
	struct trun r;
	u32 read, getpid, getppid;

	/* enough budget: a() is pasted twice and each copy returns to its own site */
	ta_run_ex(&t, "inline", NULL, LCG_MODE_NFA, LCG_EVENTS_EFFECTS, 1000, false);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	cr_expect_eq(t.st.nfa_inlined, 2);
	cr_expect_eq(t.st.nfa_shared, 0);
	read = LIB("read", 0);
	getpid = LIB("getpid", 0);
	getppid = LIB("getppid", 0);
	build_image(&t, &r);
	ACCEPTS(&r, read, getpid, read, getppid);
	REFUSES_AT(&r, 1, read, getppid);
	tr_free(&r);
	ta_free(&t);

	/* no budget: one shared copy of a(), whose exit leads to both return points */
	ta_run_ex(&t, "inline", NULL, LCG_MODE_NFA, LCG_EVENTS_EFFECTS, 0, false);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	cr_expect_eq(t.st.nfa_inlined, 0);
	cr_expect_eq(t.st.nfa_shared, 2);
	build_image(&t, &r);
	ACCEPTS(&r, LIB("read", 0), LIB("getpid", 0), LIB("read", 0), LIB("getppid", 0));
	ACCEPTS(&r, LIB("read", 0), LIB("getppid", 0));	/* Wagner & Dean's impossible path */
	tr_free(&r);
	ta_free(&t);
}

Test(analysis_monitor, setjmp_unwinds_in_both_modes)
{
	struct ta t;
	struct trun r;
	u32 sj, pre_fail, w_fail, w_back;

	ta_run_classic(&t, "setjmp", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	sj = POST("_setjmp", 0);
	pre_fail = PRE("fail", 0);
	w_fail = ta_event(&t.p, LCG_EV_LIBCALL, "write", 0);
	cr_assert_str_eq(t.p.events[w_fail].function, "fail");
	w_back = LIB("write", 1);
	build_image(&t, &r);
	/* setjmp returns, fail() writes and longjmps back through the setjmp site */
	ACCEPTS(&r, sj, pre_fail, w_fail, sj, w_back);
	tr_free(&r);
	ta_free(&t);

	/* fail pasted into main: the longjmp needs no frame to unwind */
	ta_run(&t, "setjmp", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_expect_eq(PRE("fail", 0), 0);
	build_image(&t, &r);
	ACCEPTS(&r, POST("_setjmp", 0), LIB("write", 0), POST("_setjmp", 0), LIB("write", 1));
	tr_free(&r);
	ta_free(&t);

	ta_run(&t, "setjmp", LCG_MODE_NFA, LCG_EVENTS_EFFECTS);
	build_image(&t, &r);
	ACCEPTS(&r, LIB("write", 0), LIB("write", 1));	/* fail's write, then "back" */
	tr_free(&r);
	ta_free(&t);
}

/*
 * A longjmp from a function that makes no event (bail) lands with no event
 * in either mode; one from a signal handler announces its landing in PDA
 * mode, and in NFA mode may come from any state.
 */
Test(analysis_monitor, longjmp_without_events)
{
	struct ta t;
	struct trun r;
	u32 open, unlink, sig, write, read, land_sj, land_sig;

	ta_run(&t, "longjmp_quiet", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	open = LIB("open", 0);
	unlink = LIB("unlink", 0);
	sig = LIB("signal", 0);
	write = LIB("write", 0);
	read = LIB("read", 0);
	land_sj = POST("_setjmp", 0);
	land_sig = POST("__sigsetjmp", 0);
	cr_assert(open && unlink && sig && write && read && land_sj && land_sig);
	build_image(&t, &r);
	ACCEPTS(&r, open, unlink);		/* bail popped no frame: no event */
	ACCEPTS(&r, open, land_sj, unlink);	/* announced, as a deeper one is */
	ACCEPTS(&r, open, sig, land_sig, write);	/* the handler's longjmp */
	REFUSES_AT(&r, 3, open, sig, read, write);	/* ... is always announced */
	REFUSES_AT(&r, 3, open, sig, read, unlink);	/* no longjmp after read */
	tr_free(&r);
	ta_free(&t);

	ta_run(&t, "longjmp_quiet", LCG_MODE_NFA, LCG_EVENTS_EFFECTS);
	build_image(&t, &r);
	ACCEPTS(&r, LIB("open", 0), LIB("unlink", 0));
	ACCEPTS(&r, LIB("open", 0), LIB("signal", 0), LIB("write", 0));
	ACCEPTS(&r, LIB("open", 0), LIB("signal", 0), LIB("read", 0), LIB("write", 0));
	tr_free(&r);
	ta_free(&t);
}

Test(analysis_monitor, indirect_call_reaching_libc_or_the_program)
{
	struct ta t;
	struct trun r;
	u32 memset_id, pre, post, w_fill, w_main;

	ta_run_classic(&t, "mixed_ptr", LCG_MODE_PDA, LCG_EVENTS_ALL_LIBC);
	cr_assert_eq(t.st.indirect_sites, 1);
	cr_expect_eq(t.st.indirect[0].n_internal, 1);
	cr_expect_eq(t.st.indirect[0].n_libc, 1);
	pre = PRE("*", 0);
	post = POST("*", 0);
	memset_id = ta_event(&t.p, LCG_EV_LIBCALL, "memset", 0);
	cr_assert_str_eq(t.p.events[memset_id].function, "noisy_fill", "fill's own memset first");
	memset_id = ta_event(&t.p, LCG_EV_LIBCALL, "memset", 1);
	cr_assert_str_eq(t.p.events[memset_id].function, "main", "memset through the pointer");
	w_fill = LIB("write", 0);
	w_main = LIB("write", 1);
	cr_assert(pre && post && memset_id && w_fill && w_main);
	build_image(&t, &r);
	/* through the pointer to libc: its LIBCALL and no frame */
	ACCEPTS(&r, memset_id, w_main);
	/* through the pointer to noisy_fill: a frame around its events */
	ACCEPTS(&r, pre, w_fill, LIB("memset", 0), post, w_main);
	REFUSES_AT(&r, 1, memset_id, post);
	tr_free(&r);
	ta_free(&t);

	/* noisy_fill runs from this call only: pasted beside the libc target */
	ta_run(&t, "mixed_ptr", LCG_MODE_PDA, LCG_EVENTS_ALL_LIBC);
	cr_expect_eq(PRE("*", 0), 0);
	memset_id = ta_event(&t.p, LCG_EV_LIBCALL, "memset", 1);
	build_image(&t, &r);
	ACCEPTS(&r, memset_id, LIB("write", 1));
	ACCEPTS(&r, LIB("write", 0), LIB("memset", 0), LIB("write", 1));
	REFUSES_AT(&r, 1, memset_id, LIB("memset", 0));
	tr_free(&r);
	ta_free(&t);
}

/*
 * The inliner spends its budget where copies are cheap and buy precision:
 * small()'s three calls get copies (their returns kept apart), big(), which
 * would cost its transitive size twice, shares one copy.
 */
Test(analysis_monitor, inliner_copies_cheap_callees_of_several_calls)
{
	struct ta t;
	struct trun r;
	u32 rd, dup_, dup2_, fs, gp, gpp;

	ta_run_ex(&t, "inline_choice", NULL, LCG_MODE_NFA, LCG_EVENTS_EFFECTS, 40, false);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	cr_expect_eq(t.st.nfa_shared, 2, "big's two calls share its copy");
	rd = LIB("read", 0);
	dup_ = LIB("dup", 0);
	dup2_ = LIB("dup2", 0);
	fs = LIB("fsync", 0);
	gp = LIB("getpid", 0);
	gpp = LIB("getppid", 0);
	build_image(&t, &r);
	ACCEPTS(&r, rd, dup_, rd, dup2_, rd, fs);
	REFUSES_AT(&r, 1, rd, dup2_);			/* small's first return */
	REFUSES_AT(&r, 3, rd, dup_, rd, fs);		/* and its second */
	/* big's first call returns to its second's continuation: the shared copy's price */
	ACCEPTS(&r, rd, dup_, rd, dup2_, rd, fs, LIB("getuid", 0), LIB("geteuid", 0),
		LIB("getgid", 0), LIB("getegid", 0), LIB("getpgrp", 0), LIB("umask", 0),
		LIB("sched_yield", 0), rd, LIB("sync", 0), gpp);
	REFUSES_AT(&r, 6, rd, dup_, rd, dup2_, rd, fs, gp);
	tr_free(&r);
	ta_free(&t);

	/* the call-graph NFA: one copy of small() returns anywhere */
	ta_run_ex(&t, "inline_choice", NULL, LCG_MODE_NFA, LCG_EVENTS_EFFECTS, 0, false);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	build_image(&t, &r);
	ACCEPTS(&r, LIB("read", 0), LIB("dup2", 0));
	tr_free(&r);
	ta_free(&t);
}

/* A callee whose calls all continue alike gets no copies: they would buy nothing. */
Test(analysis_monitor, inline_skips_calls_that_continue_alike)
{
	struct ta t;
	struct trun r;
	u32 rd, dup_, dup2_, gp;

	ta_run_ex(&t, "inline_alike", NULL, LCG_MODE_NFA, LCG_EVENTS_EFFECTS,
		  LCG_INLINE_BUDGET_DEFAULT, false);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	cr_expect_eq(t.st.nfa_shared, 2, "alike's two calls share its copy");
	cr_expect_eq(t.st.nfa_inlined, 0, "no copy of its own for alike");
	rd = LIB("read", 0);
	dup_ = LIB("dup", 0);
	dup2_ = LIB("dup2", 0);
	gp = LIB("getpid", 0);
	build_image(&t, &r);
	ACCEPTS(&r, dup_, rd, gp);
	ACCEPTS(&r, dup2_, rd, gp);
	REFUSES_AT(&r, 2, dup_, rd, dup2_);	/* sharing lost nothing */
	REFUSES_AT(&r, 1, dup_, gp);
	tr_free(&r);
	ta_free(&t);
}
