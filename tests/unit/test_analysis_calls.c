// SPDX-License-Identifier: GPL-2.0
/*
 * The analysis's view of calls: indirect calls resolved by type, libc
 * functions reached through pointers, callback roles, setjmp sites, event
 * sets, name normalisation, and calls outside the policy.
 */
#include "test_analysis.h"
#include "analysis/libc_model.h"

Test(analysis_calls, function_pointer_table_resolved_by_type)
{
	struct ta t;
	const struct lcg_site *s;
	u32 pre, open_p, unlink_p;

	ta_run(&t, "fptr_table", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_assert_eq(t.st.indirect_sites, 2);
	/* table[i](p): the three functions of its initializer (the global's key) */
	cr_expect_eq(t.st.indirect[0].n_internal, 3);
	cr_expect_eq(t.st.indirect[0].how, LCG_RESOLVED_KEY);
	cr_expect_eq(t.st.indirect[1].n_internal, 1, "other(0): only other_type was stored there");
	/* each target runs from this call only: pasted, no site */
	cr_expect_eq(ta_count_events(&t.p, LCG_EV_PRECALL, NULL), 0);
	ta_free(&t);

	/*
	 * bracketed (Giffin's model as is): a site for each of the two targets
	 * that reach events, whose PRECALL leads into that target only
	 */
	ta_run_classic(&t, "fptr_table", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_expect_eq(ta_event(&t.p, LCG_EV_PRECALL, "op_len", 0), 0,
		     "op_len makes no event: it issues no PRECALL");
	open_p = ta_proc(&t.p.graphs, "op_open");
	unlink_p = ta_proc(&t.p.graphs, "op_unlink");
	for (int i = 0; i < 2; i++) {
		u32 want = i ? unlink_p : open_p;

		pre = ta_event(&t.p, LCG_EV_PRECALL, i ? "op_unlink" : "op_open", 0);
		cr_assert_neq(pre, 0, "the table call's target %s is a site", i ? "op_unlink" : "op_open");
		s = &t.p.graphs.sites[t.p.events[pre].site];
		cr_assert_eq(s->n_callees, 1);
		cr_expect_eq(s->callees[0], want);
		cr_expect_neq(s->post_event, 0);
	}
	cr_expect(t.p.graphs.procs[open_p].flags & LCG_AP_ADDRESS_TAKEN);
	ta_free(&t);
}

Test(analysis_calls, libc_function_through_a_pointer)
{
	struct ta t;

	ta_run(&t, "memset_ptr", LCG_MODE_PDA, LCG_EVENTS_ALL_LIBC);
	cr_assert_eq(t.st.indirect_sites, 1);
	cr_expect_eq(t.st.indirect[0].n_libc, 1);
	cr_expect_eq(t.st.indirect_libc_targets, 1);
	cr_expect_neq(ta_event(&t.p, LCG_EV_LIBCALL, "memset", 0), 0,
		      "memset reached through the pointer is monitored in all-libc");
	ta_free(&t);
	ta_run(&t, "memset_ptr", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_expect_eq(ta_event(&t.p, LCG_EV_LIBCALL, "memset", 0), 0,
		     "memset is pure: not an event in effects");
	ta_free(&t);
}

static u32 roles_of(const struct ta *t, const char *fn)
{
	u32 p = ta_proc(&t->p.graphs, fn);

	cr_assert_neq(p, LCG_NONE, "no procedure %s", fn);
	return t->p.graphs.procs[p].flags;
}

/*
 * Signal handlers and threads keep their roles; callbacks that run during
 * their libc call, constructors and exit handlers are pasted where they run.
 */
Test(analysis_calls, callback_roles)
{
	struct ta t;

	ta_run(&t, "roles", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_expect(roles_of(&t, "main") & LCG_AP_MAIN);
	cr_expect(roles_of(&t, "on_signal") & LCG_AP_SIGNAL_HANDLER);
	cr_expect(roles_of(&t, "thread_main") & LCG_AP_THREAD_ENTRY);
	cr_expect_eq(roles_of(&t, "on_signal") & LCG_AP_THREAD_ENTRY, 0);
	cr_expect_eq(ta_proc(&t.p.graphs, "cmp"), LCG_NONE, "no event: nothing to paste");
	cr_expect_eq(ta_proc(&t.p.graphs, "init"), LCG_NONE, "pasted before main");
	cr_expect_eq(ta_proc(&t.p.graphs, "fini"), LCG_NONE, "pasted at exit");
	cr_expect_eq(ta_proc(&t.p.graphs, "on_exit_handler"), LCG_NONE, "pasted at exit");
	cr_expect_eq(t.st.callbacks_in_context, 3,
		     "constructors; exit handlers at the returns of main and of thread_main");
	cr_expect_eq(t.st.async_entries, 1, "only the signal handler");
	ta_free(&t);
	/* Giffin's model as is: every one of them an asynchronous entry */
	ta_run_classic(&t, "roles", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_expect(roles_of(&t, "init") & LCG_AP_CONSTRUCTOR);
	cr_expect(roles_of(&t, "fini") & LCG_AP_EXIT_HANDLER);
	cr_expect(roles_of(&t, "on_exit_handler") & LCG_AP_EXIT_HANDLER);
	ta_free(&t);
}

Test(analysis_calls, nfa_has_one_procedure_per_entry)
{
	struct ta t;

	ta_run(&t, "roles", LCG_MODE_NFA, LCG_EVENTS_EFFECTS);
	cr_expect_neq(ta_proc(&t.p.nfa, "<program>"), LCG_NONE);
	cr_expect(t.p.nfa.procs[ta_proc(&t.p.nfa, "on_signal")].flags & LCG_AP_SIGNAL_HANDLER);
	cr_expect(t.p.nfa.procs[ta_proc(&t.p.nfa, "thread_main")].flags & LCG_AP_THREAD_ENTRY);
	cr_expect_eq(ta_proc(&t.p.nfa, "init"), LCG_NONE, "pasted into <program>");
	cr_expect_eq(ta_proc(&t.p.nfa, "on_exit_handler"), LCG_NONE, "pasted into <program>");
	ta_free(&t);
}

Test(analysis_calls, setjmp_site)
{
	struct ta t;
	u32 post, site;
	const struct lcg_site *s;
	bool edge = false;

	ta_run(&t, "setjmp", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_expect_eq(t.st.setjmp_sites, 1);
	post = ta_event(&t.p, LCG_EV_POSTCALL, "_setjmp", 0);
	cr_assert_neq(post, 0, "the setjmp site has a POSTCALL");
	site = t.p.events[post].site;
	s = &t.p.graphs.sites[site];
	cr_expect(s->flags & LCG_SITE_SETJMP);
	cr_expect_eq(s->pre_event, 0);
	cr_expect_eq(s->post_event, post);
	cr_expect_eq(ta_count_events(&t.p, LCG_EV_PRECALL, "_setjmp"), 0);
	for (u32 i = 0; i < t.p.graphs.n_edges; i++) {
		const struct lcg_edge *e = &t.p.graphs.edges[i];

		if (e->site == site) {
			edge = true;
			cr_expect_eq(e->event, post, "the setjmp call edge carries its POSTCALL");
			cr_expect_eq(e->from, s->from);
			cr_expect_eq(e->to, s->to);
		}
	}
	cr_expect(edge);
	ta_free(&t);
}

static void expect_classes(u32 set, bool stream, bool stdio, bool alloc, bool pure)
{
	struct ta t;

	ta_run(&t, "classes", LCG_MODE_PDA, set);
	cr_expect_eq(t.p.event_set, set);
	cr_expect_neq(ta_event(&t.p, LCG_EV_LIBCALL, "open", 0), 0, "effects are always events");
	cr_expect_eq(ta_event(&t.p, LCG_EV_LIBCALL, "fopen", 0) != 0, stream);
	cr_expect_eq(ta_event(&t.p, LCG_EV_LIBCALL, "fclose", 0) != 0, stream);
	cr_expect_eq(ta_event(&t.p, LCG_EV_LIBCALL, "fread", 0) != 0, stdio);
	cr_expect_eq(ta_event(&t.p, LCG_EV_LIBCALL, "malloc", 0) != 0, alloc);
	cr_expect_eq(ta_event(&t.p, LCG_EV_LIBCALL, "free", 0) != 0, alloc);
	cr_expect_eq(ta_event(&t.p, LCG_EV_LIBCALL, "strlen", 0) != 0, pure);
	cr_expect_eq(ta_event(&t.p, LCG_EV_LIBCALL, "memcpy", 0) != 0, pure,
		     "the llvm.memcpy intrinsic is a call of memcpy");
	ta_free(&t);
}

Test(analysis_calls, event_set_effects)
{
	expect_classes(LCG_EVENTS_EFFECTS, true, false, false, false);
}

Test(analysis_calls, event_set_syscalls)
{
	expect_classes(LCG_EVENTS_SYSCALLS, true, true, true, false);
}

Test(analysis_calls, event_set_all_libc)
{
	expect_classes(LCG_EVENTS_ALL_LIBC, true, true, true, true);
}

Test(analysis_calls, names_normalised_by_the_model)
{
	struct libc_model m;
	char err[256];
	static const char *const pairs[][2] = {
		{ "open64", "open" }, { "fopen64", "fopen" }, { "lseek64", "lseek" },
		{ "__isoc99_sscanf", "sscanf" }, { "__isoc23_strtol", "strtol" },
		{ "__printf_chk", "printf" }, { "__fprintf_chk", "fprintf" },
		{ "__memcpy_chk", "memcpy" }, { "__read_chk", "read" },
		{ "__sysv_signal", "signal" }, { "__open_2", "open" }, { "__open64_2", "open" },
		{ "bcmp", "bcmp" }, { "puts", "puts" }, { "putchar", "putchar" },
		{ "strtol", "strtol" }, { "fwrite", "fwrite" },
	};

	cr_assert_eq(libc_model_load(&m, NULL, err, sizeof(err)), 0, "%s", err);
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const struct libc_fn *f = libc_model_lookup(&m, pairs[i][0], strlen(pairs[i][0]));

		cr_expect_not_null(f, "%s is not recognised", pairs[i][0]);
		if (f)
			cr_expect_str_eq(f->name, pairs[i][1]);
	}
	cr_expect_null(libc_model_lookup(&m, "deflate", 7), "zlib is not libc");
	cr_expect_null(libc_model_lookup(&m, "__foo_chk", 9));
	cr_expect_null(libc_model_lookup(&m, "x64", 3));
	libc_model_free(&m);
}

Test(analysis_calls, model_classes_and_flags)
{
	struct libc_model m;
	char err[256];
	const struct libc_fn *f;

	cr_assert_eq(libc_model_load(&m, NULL, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(libc_model_find(&m, "open", 4)->cls, LC_EFFECT);
	cr_expect_eq(libc_model_find(&m, "fopen", 5)->cls, LC_STREAM);
	cr_expect_eq(libc_model_find(&m, "fwrite", 6)->cls, LC_STDIO);
	cr_expect_eq(libc_model_find(&m, "malloc", 6)->cls, LC_ALLOC);
	cr_expect_eq(libc_model_find(&m, "bcmp", 4)->cls, LC_PURE);
	cr_expect(libc_model_find(&m, "exit", 4)->flags & LF_NORETURN);
	cr_expect(libc_model_find(&m, "longjmp", 7)->flags & LF_LONGJMP);
	cr_expect(libc_model_find(&m, "__sigsetjmp", 11)->flags & LF_SETJMP);
	cr_expect(libc_model_find(&m, "dlopen", 6)->flags & LF_LOADS);
	cr_expect(libc_model_find(&m, "dlmopen", 7)->flags & LF_LOADS);
	cr_expect_eq(libc_model_find(&m, "syscall", 7)->flags & LF_LOADS, 0, "loads no code");
	f = libc_model_find(&m, "qsort", 5);
	cr_assert_eq(f->n_callbacks, 1);
	cr_expect_eq(f->callbacks[0].arg, 3);
	cr_expect_eq(f->callbacks[0].role, CB_LIBC);
	f = libc_model_find(&m, "pthread_create", 14);
	cr_expect_eq(f->callbacks[0].arg, 2);
	cr_expect_eq(f->callbacks[0].role, CB_THREAD);
	f = libc_model_find(&m, "fopencookie", 11);
	cr_expect_eq(f->callbacks[0].arg, 2);
	cr_expect_eq(f->callbacks[0].role, CB_STRUCT);
	libc_model_free(&m);
}

Test(analysis_calls, model_file_errors_name_the_line)
{
	struct libc_model m;
	char err[256], path[] = "/tmp/lcg-model-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("# comment\nopen effect\nread sometimes\n", f);
	fclose(f);
	cr_expect_eq(libc_model_load(&m, path, err, sizeof(err)), -1);
	cr_expect(strstr(err, ":3:") && strstr(err, "class"), "message: %s", err);
	unlink(path);
	cr_expect_eq(libc_model_load(&m, "/nonexistent/model", err, sizeof(err)), -1);
	cr_expect(strstr(err, "/nonexistent/model"), "message: %s", err);
}

Test(analysis_calls, fortify_largefile_and_optimiser_rewrites)
{
	struct ta t;

	ta_run_ex(&t, "normalise", "-O2 -g -D_FILE_OFFSET_BITS=64 -D_FORTIFY_SOURCE=2",
		  LCG_MODE_PDA, LCG_EVENTS_ALL_LIBC, LCG_INLINE_BUDGET_DEFAULT, false);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	cr_expect_neq(ta_event(&t.p, LCG_EV_LIBCALL, "open", 0), 0, "open64 is open");
	cr_expect_neq(ta_event(&t.p, LCG_EV_LIBCALL, "read", 0), 0, "__read_chk is read");
	cr_expect_neq(ta_event(&t.p, LCG_EV_LIBCALL, "printf", 0), 0, "__printf_chk is printf");
	cr_expect_neq(ta_event(&t.p, LCG_EV_LIBCALL, "sscanf", 0), 0, "__isoc99_sscanf is sscanf");
	cr_expect_neq(ta_event(&t.p, LCG_EV_LIBCALL, "strtol", 0), 0, "atoi is strtol");
	cr_expect_neq(ta_event(&t.p, LCG_EV_LIBCALL, "bcmp", 0), 0, "memcmp is bcmp");
	cr_expect_eq(t.st.opaque_functions, 0, "every name was recognised: %s", t.warnings);
	ta_free(&t);
	ta_run_ex(&t, "normalise", "-O2 -g", LCG_MODE_PDA, LCG_EVENTS_ALL_LIBC,
		  LCG_INLINE_BUDGET_DEFAULT, false);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	cr_expect_neq(ta_event(&t.p, LCG_EV_LIBCALL, "puts", 0), 0, "printf(\"hello\\n\") is puts");
	cr_expect_eq(t.st.opaque_functions, 0, "every name was recognised: %s", t.warnings);
	ta_free(&t);
}

Test(analysis_calls, calls_outside_the_policy_warn_once_each)
{
	struct ta t;

	ta_run(&t, "outside", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_expect(strstr(t.warnings, "deflate_something"), "warnings:\n%s", t.warnings);
	cr_expect(strstr(t.warnings, "dlopen"), "warnings:\n%s", t.warnings);
	cr_expect(strstr(t.warnings, "syscall"), "warnings:\n%s", t.warnings);
	cr_expect(strstr(t.warnings, "inline asm"), "warnings:\n%s", t.warnings);
	cr_expect_eq(t.st.warnings, 4, "one line each:\n%s", t.warnings);
	cr_expect_eq(t.st.opaque_functions, 1);
	cr_expect_neq(ta_event(&t.p, LCG_EV_LIBCALL, "deflate_something", 0), 0,
		      "an opaque call is an event in every set");
	ta_free(&t);
}

Test(analysis_calls, missing_main_is_an_error)
{
	struct ta t;

	ta_run_ex(&t, "no_main", NULL, LCG_MODE_PDA, LCG_EVENTS_EFFECTS, 0, true);
	cr_expect_eq(t.rc, -1);
	cr_expect(strstr(t.err, "main"), "message: %s", t.err);
	cr_expect_eq(t.p.n_events, 0, "nothing left in the policy");
	cr_expect_eq(t.p.graphs.n_procs, 0);
	ta_free(&t);
}

Test(analysis_calls, bad_options_are_refused)
{
	struct ta t;

	ta_run_ex(&t, "spec_foo", NULL, 7, LCG_EVENTS_EFFECTS, 0, false);
	cr_expect_eq(t.rc, -1);
	cr_expect(strstr(t.err, "mode"), "message: %s", t.err);
	ta_free(&t);
}

Test(analysis_calls, instrumented_module_is_refused)
{
	struct ta t;
	struct lcg_policy again;
	char err[256];

	ta_run_ex(&t, "spec_foo", NULL, LCG_MODE_PDA, LCG_EVENTS_EFFECTS, 0, true);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	cr_expect_eq(lcg_analyze_module(t.m, &t.o, &again, NULL, err, sizeof(err)), -1);
	cr_expect(strstr(err, "already instrumented"), "message: %s", err);
	ta_free(&t);
}
