// SPDX-License-Identifier: GPL-2.0
/*
 * Callbacks in context: qsort's comparator runs inside qsort, constructors
 * before main, exit handlers only at exit, signal handlers anywhere; what
 * libc runs later, in a thread, or from a struct handed to a library lcg
 * cannot see keeps an asynchronous or thread role; and the classes armed
 * while a callback runs inside its libc call stay sound (docs/binding.md,
 * "Callbacks").
 */
#include "test_analysis.h"
#include "lcg_test.h"
#include "analysis/libc_model.h"
#include "pda/sensitive.h"

static void build_image(const struct ta *t, struct trun *r)
{
	char err[256] = "";

	memset(r, 0, sizeof(*r));
	cr_assert_eq(lcg_image_build(&t->p, &r->buf, &r->len, err, sizeof(err)), 0, "%s", err);
	cr_assert_null(lcg_image_validate(&r->img, r->buf, r->len));
}

/* The LIBCALL of @callee made in @function. */
static u32 lib_in(const struct ta *t, const char *callee, const char *function)
{
	for (u32 i = 1; i < t->p.n_events; i++) {
		const struct lcg_event_info *e = &t->p.events[i];

		if (e->kind == LCG_EV_LIBCALL && !strcmp(e->callee, callee) &&
		    !strcmp(e->function, function))
			return i;
	}
	cr_assert_fail("no LIBCALL of %s in %s", callee, function);
	return 0;
}

static u32 flags_of(const struct ta *t, const char *fn)
{
	u32 p = ta_proc(&t->p.graphs, fn);

	return p == LCG_NONE ? 0 : t->p.graphs.procs[p].flags;
}

Test(analysis_callbacks, in_context_ordering)
{
	struct ta t;
	struct trun r;
	u32 ctor, sreg, closing, cmp, atex, dup_, bye, sig;

	ta_run(&t, "callbacks", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	ctor = lib_in(&t, "getppid", "init");
	sreg = lib_in(&t, "signal", "main");
	closing = lib_in(&t, "close", "main");
	cmp = lib_in(&t, "getpid", "cmp");
	atex = lib_in(&t, "atexit", "main");
	dup_ = lib_in(&t, "dup", "main");
	bye = lib_in(&t, "write", "on_exit_handler");
	sig = lib_in(&t, "write", "on_signal");
	build_image(&t, &r);
	ACCEPTS(&r, ctor, sreg, closing, cmp, cmp, cmp, atex, dup_, bye);
	ACCEPTS(&r, sreg, closing, atex, dup_);
	ACCEPTS(&r, ctor, sreg, sig, closing, cmp, sig, atex, dup_, bye);	/* the handler, anywhere */
	ACCEPTS(&r, sreg, closing, atex, lib_in(&t, "exit", "main"), bye);	/* handlers after exit() */
	REFUSES_AT(&r, 0, cmp);				/* the comparator outside qsort */
	REFUSES_AT(&r, 2, sreg, closing, ctor);		/* the constructor after main started */
	REFUSES_AT(&r, 2, sreg, closing, bye);		/* the exit handler before exit */
	REFUSES_AT(&r, 4, sreg, closing, cmp, atex, cmp);
	tr_free(&r);
	ta_free(&t);
	/* Giffin's model as is: each of them an asynchronous entry, allowed anywhere */
	ta_run_classic(&t, "callbacks", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	build_image(&t, &r);
	ACCEPTS(&r, lib_in(&t, "getpid", "cmp"));
	tr_free(&r);
	ta_free(&t);
}

Test(analysis_callbacks, where_libc_runs_them)
{
	struct ta t;

	ta_run(&t, "callback_kinds", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	/* later, at any point: asynchronous entries */
	cr_expect(flags_of(&t, "by_name") & LCG_AP_LIBC_CALLBACK, "fts_open's compar");
	cr_expect(flags_of(&t, "coroutine") & LCG_AP_LIBC_CALLBACK, "makecontext's function");
	/* in a new thread or process */
	cr_expect(flags_of(&t, "child") & LCG_AP_THREAD_ENTRY, "clone's function, a thread");
	cr_expect(flags_of(&t, "child") & LCG_AP_LIBC_CALLBACK, "... or a process");
	cr_expect(flags_of(&t, "on_timer") & LCG_AP_THREAD_ENTRY, "timer_create, SIGEV_THREAD");
	cr_expect(flags_of(&t, "on_message") & LCG_AP_THREAD_ENTRY, "mq_notify, SIGEV_THREAD");
	cr_expect_eq(flags_of(&t, "on_timer") & LCG_AP_LIBC_CALLBACK, 0);
	/* a SA_SIGINFO handler declared with two parameters */
	cr_expect(flags_of(&t, "on_info") & LCG_AP_SIGNAL_HANDLER);
	/* a libc function that issues sensitive calls after its callback: asynchronous */
	cr_expect(flags_of(&t, "on_glob_error") & LCG_AP_LIBC_CALLBACK);
	/* a struct handed to a library lcg cannot see, like zlib's z_stream */
	cr_expect(flags_of(&t, "my_alloc") & LCG_AP_LIBC_CALLBACK);
	ta_free(&t);
}

/*
 * glob() may talk to the network after its error callback returned: the
 * callback is an asynchronous entry, so the classes glob armed are kept
 * while it runs, and after it, until the next event.
 */
Test(analysis_callbacks, classes_stay_armed_around_a_callback)
{
	struct ta t;
	struct trun r;
	struct lcg_monitor m;
	u32 net = LCG_SC_BIT(LCG_SC_NET), glob, in_cb;

	ta_run(&t, "glob_callback", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	glob = lib_in(&t, "glob", "main");
	in_cb = lib_in(&t, "write", "on_error");
	cr_assert(t.p.events[glob].classes & net, "glob arms net (NSS)");
	cr_assert_eq(t.p.events[in_cb].classes & net, 0);
	build_image(&t, &r);
	lcg_monitor_init(&m, &r.img);
	cr_assert_eq(lcg_monitor_step(&m, &r.img, glob), LCG_R_OK);
	cr_assert_eq(lcg_monitor_step(&m, &r.img, in_cb), LCG_R_OK);
	cr_expect_eq(lcg_monitor_syscall(&m, &r.img, net, false, 0), LCG_R_OK,
		     "glob's classes while its callback runs and after it returns");
	tr_free(&r);
	ta_free(&t);
}

/* Only libc functions that issue no sensitive system call run their callbacks in context. */
Test(analysis_callbacks, in_context_only_without_sensitive_classes)
{
	struct libc_model m;
	char err[256];
	u32 n = 0;

	cr_assert_eq(libc_model_load(&m, NULL, err, sizeof(err)), 0, "%s", err);
	for (u32 i = 0; i < m.n; i++)
		for (u32 k = 0; k < m.fns[i].n_callbacks; k++)
			if (m.fns[i].callbacks[k].role == CB_LIBC && !m.fns[i].sc)
				n++;
	cr_expect_geq(n, 10, "qsort, bsearch, tsearch, ftw, scandir, ...");
	cr_expect(libc_model_find(&m, "glob", 4)->sc, "glob keeps its callback asynchronous");
	cr_expect_eq(libc_model_find(&m, "pthread_atfork", 14)->callbacks[0].role, CB_ASYNC);
	cr_expect_eq(libc_model_find(&m, "pthread_key_create", 18)->callbacks[0].role, CB_ASYNC);
	cr_expect(libc_model_find(&m, "exit", 4)->flags & LF_EXITS);
	cr_expect(libc_model_find(&m, "errx", 4)->flags & LF_EXITS);
	cr_expect_eq(libc_model_find(&m, "_exit", 5)->flags & LF_EXITS, 0, "no handlers run");
	libc_model_free(&m);
}

/* A program that may exit where lcg cannot see keeps its exit handlers asynchronous. */
Test(analysis_callbacks, unknown_exits_keep_handlers_async)
{
	struct ta t;

	ta_run(&t, "exit_opaque", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_expect(flags_of(&t, "on_exit_handler") & LCG_AP_EXIT_HANDLER);
	ta_free(&t);
	ta_run(&t, "callbacks", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_expect_eq(flags_of(&t, "on_exit_handler"), 0, "no opaque call: pasted at exit");
	ta_free(&t);
}
