// SPDX-License-Identifier: GPL-2.0
/*
 * Fewer brackets, same language: the library-call sequences a policy
 * accepts, with PRECALL/POSTCALL events hidden (they say nothing about what
 * the program does to the world), compared between Giffin et al.'s model
 * as is (every call bracketed: all_brackets) and the default plan (callees
 * pasted, hot calls squelched, callbacks in context).
 *
 * The sequences are enumerated by running the monitor itself over every
 * event from every configuration it reaches, up to MAX_LIBCALLS library
 * calls and MAX_DEPTH frames; a library call is named by its rank among the
 * LIBCALL ids (module order, the same in every policy of one module).
 * Pasting is exact, so the two sets are equal; where a squelched recursion
 * shares a callee's copy, the default set may only be larger.
 */
#include "test_analysis.h"
#include "lcg_test.h"
#include "formats/grow.h"

#define MAX_LIBCALLS 6
#define MAX_DEPTH 16
#define MAX_CONFIGS 200000

struct config {
	struct lcg_monitor m;
	u8 seq[MAX_LIBCALLS];	/* LIBCALL ranks */
	u32 len;
};

struct explorer {
	const struct lcg_policy *p;
	struct lcg_image img;
	void *buf;
	u32 *rank;		/* event id -> LIBCALL rank + 1, 0 for others */
	struct config *configs;
	u32 n, cap;
	char **seqs;		/* the distinct sequences seen, as text */
	u32 n_seqs, cap_seqs;
};

/* The monitor without its counters: two runs in the same place compare equal. */
static void normalise(struct lcg_monitor *m)
{
	m->events = m->violations = 0;
	m->armed = m->last_event = 0;
	m->flags &= ~LCG_MON_ENTERED;
}

static bool seen_config(const struct explorer *x, const struct config *c)
{
	for (u32 i = 0; i < x->n; i++)
		if (x->configs[i].len == c->len && !memcmp(x->configs[i].seq, c->seq, c->len) &&
		    !memcmp(&x->configs[i].m, &c->m, sizeof(c->m)))
			return true;
	return false;
}

static void add_seq(struct explorer *x, const struct config *c)
{
	char text[MAX_LIBCALLS * 4 + 1] = "";

	for (u32 i = 0; i < c->len; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%u.", c->seq[i]);
	for (u32 i = 0; i < x->n_seqs; i++)
		if (!strcmp(x->seqs[i], text))
			return;
	cr_assert(lcg_grow32((void **)&x->seqs, &x->cap_seqs, x->n_seqs + 1, sizeof(*x->seqs),
			     LCG_GROW_MAX32));
	x->seqs[x->n_seqs++] = strdup(text);
}

static void push_config(struct explorer *x, const struct config *c)
{
	if (c->m.depth > MAX_DEPTH || seen_config(x, c))
		return;
	cr_assert_lt(x->n, MAX_CONFIGS, "too many configurations: choose a smaller program");
	cr_assert(lcg_grow32((void **)&x->configs, &x->cap, x->n + 1, sizeof(*x->configs),
			     LCG_GROW_MAX32));
	x->configs[x->n++] = *c;
	add_seq(x, c);
}

static void explore(struct explorer *x)
{
	struct config start = { 0 };

	lcg_monitor_init(&start.m, &x->img);
	normalise(&start.m);
	push_config(x, &start);
	for (u32 i = 0; i < x->n; i++) {
		for (u32 ev = 1; ev < x->p->n_events; ev++) {
			struct config next = x->configs[i];

			if (x->rank[ev] && next.len == MAX_LIBCALLS)
				continue;
			if (lcg_monitor_step(&next.m, &x->img, ev) != LCG_R_OK)
				continue;
			normalise(&next.m);
			if (x->rank[ev])
				next.seq[next.len++] = (u8)(x->rank[ev] - 1);
			push_config(x, &next);
		}
	}
}

static void explorer_init(struct explorer *x, const struct lcg_policy *p)
{
	char err[256] = "";
	size_t len;
	u32 r = 0;

	memset(x, 0, sizeof(*x));
	x->p = p;
	cr_assert_eq(lcg_image_build(p, &x->buf, &len, err, sizeof(err)), 0, "image: %s", err);
	cr_assert_null(lcg_image_validate(&x->img, x->buf, len));
	x->rank = calloc(p->n_events, sizeof(u32));
	for (u32 ev = 1; ev < p->n_events; ev++)
		if (p->events[ev].kind == LCG_EV_LIBCALL)
			x->rank[ev] = ++r;
	cr_assert_lt(r, 255);
}

static void explorer_free(struct explorer *x)
{
	for (u32 i = 0; i < x->n_seqs; i++)
		free(x->seqs[i]);
	free(x->seqs);
	free(x->configs);
	free(x->rank);
	free(x->buf);
}

/* Is every sequence of @a one of @b?  Report the first that is not. */
static bool included(const struct explorer *a, const struct explorer *b, const char *what)
{
	for (u32 i = 0; i < a->n_seqs; i++) {
		bool found = false;

		for (u32 k = 0; k < b->n_seqs && !found; k++)
			found = !strcmp(a->seqs[i], b->seqs[k]);
		if (!found) {
			cr_log_error("%s: sequence %s (LIBCALL ranks) missing", what, a->seqs[i]);
			return false;
		}
	}
	return true;
}

enum relation {
	SAME,		/* pasting: exact */
	FEWER,		/* the default refuses more (callbacks in context) */
	MORE,		/* the default accepts more (a squelched recursion's shared copy) */
};

/* The classic and the default policy of @name, in @mode and @set. */
static void compare(const char *name, const char *cflags, u32 mode, u32 set, u32 rel)
{
	struct ta classic, planned;
	struct explorer xc, xp;
	char what[128];

	memset(&classic, 0, sizeof(classic));
	ta_compile(&classic, name, cflags);
	ta_load(&classic);
	lcg_analysis_opts_default(&classic.o);
	classic.o.mode = mode;
	classic.o.event_set = set;
	classic.o.all_brackets = true;
	cr_assert_eq(ta_analyse(&classic), 0, "%s: %s", name, classic.err);
	ta_run_ex(&planned, name, cflags, mode, set, LCG_INLINE_BUDGET_DEFAULT, false);
	cr_assert_eq(planned.rc, 0, "%s: %s", name, planned.err);
	explorer_init(&xc, &classic.p);
	explorer_init(&xp, &planned.p);
	explore(&xc);
	explore(&xp);
	snprintf(what, sizeof(what), "%s, %s mode: classic within planned", name,
		 lcg_mode_name(mode));
	if (rel != FEWER)
		cr_expect(included(&xc, &xp, what), "%s", what);
	snprintf(what, sizeof(what), "%s, %s mode: planned within classic", name,
		 lcg_mode_name(mode));
	if (rel != MORE)
		cr_expect(included(&xp, &xc, what), "%s", what);
	if (rel == FEWER)
		cr_expect_lt(xp.n_seqs, xc.n_seqs, "%s: nothing refused", name);
	cr_expect_gt(xc.n_seqs, 1, "%s: nothing explored", name);
	explorer_free(&xc);
	explorer_free(&xp);
	ta_free(&classic);
	ta_free(&planned);
}

Test(analysis_language, pasting_keeps_the_language)
{
	static const char *const progs[] = {
		"spec_foo", "spec_if", "spec_while", "spec_nondet", "spec_call", "recursion",
		"inline", "setjmp", "fptr_table", "hot_loop", "two_callers",
	};

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		compare(progs[i], NULL, LCG_MODE_PDA, LCG_EVENTS_EFFECTS, SAME);
	compare("mixed_ptr", NULL, LCG_MODE_PDA, LCG_EVENTS_ALL_LIBC, SAME);
	compare("fp_struct", TA_KCFI, LCG_MODE_PDA, LCG_EVENTS_EFFECTS, SAME);
}

/* Callbacks pasted where libc runs them: only the sequences that start them elsewhere go. */
Test(analysis_language, callbacks_in_context_refuse_only_impossible_paths)
{
	compare("callbacks", NULL, LCG_MODE_PDA, LCG_EVENTS_EFFECTS, FEWER);
}

/* A squelched recursion shares its copy: the language may only grow. */
Test(analysis_language, squelched_recursion_over_approximates)
{
	compare("hot_recursion", NULL, LCG_MODE_PDA, LCG_EVENTS_EFFECTS, MORE);
}

/* KCFI types refine the targets: every sequence of the KCFI build is one of the LLVM-type build. */
Test(analysis_language, c_types_refuse_only_impossible_targets)
{
	struct ta k, l;
	struct explorer xk, xl;

	ta_run_ex(&k, "fp_varargs", TA_KCFI, LCG_MODE_PDA, LCG_EVENTS_EFFECTS,
		  LCG_INLINE_BUDGET_DEFAULT, false);
	cr_assert_eq(k.rc, 0, "%s", k.err);
	ta_run(&l, "fp_varargs", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	explorer_init(&xk, &k.p);
	explorer_init(&xl, &l.p);
	explore(&xk);
	explore(&xl);
	cr_expect(included(&xk, &xl, "fp_varargs: KCFI within LLVM types"));
	cr_expect_lt(xk.n_seqs, xl.n_seqs, "KCFI refuses log_mutable's close at call_const");
	explorer_free(&xk);
	explorer_free(&xl);
	ta_free(&k);
	ta_free(&l);
}
