/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test_analysis.h - compile a program of tests/analysis/ with clang-19 at
 * test time (llvm-tutor style), analyse it with lcg_analyze_module() and
 * look at the result: canonical graphs, events, sites, roles, warnings.
 */
#ifndef LCG_TEST_ANALYSIS_H
#define LCG_TEST_ANALYSIS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <llvm-c/BitReader.h>
#include "analysis/analyze.h"
#include "tests/programs/tools/canon.h"

#define TA_SRC "tests/analysis"
#define TA_CFLAGS "-O1 -g"

struct ta {
	char dir[64];		/* scratch directory */
	char bc[128];
	LLVMContextRef ctx;
	LLVMModuleRef m;
	struct lcg_analysis_opts o;
	struct lcg_policy p;
	struct lcg_analysis_stats st;
	char err[512];
	char *warnings;		/* the warning lines */
	size_t wlen;
	FILE *wf;
	int rc;
};

/* tests/analysis/NAME.c -> bitcode in a scratch directory. */
static inline void ta_compile(struct ta *t, const char *name, const char *cflags)
{
	char cmd[512];

	snprintf(t->dir, sizeof(t->dir), "/tmp/lcg-ta-XXXXXX");
	cr_assert_not_null(mkdtemp(t->dir));
	snprintf(t->bc, sizeof(t->bc), "%s/%s.bc", t->dir, name);
	snprintf(cmd, sizeof(cmd), "clang-19 %s -c -emit-llvm %s/%s.c -o %s", cflags ? cflags : TA_CFLAGS,
		 TA_SRC, name, t->bc);
	cr_assert_eq(system(cmd), 0, "cannot compile: %s", cmd);
}

static inline void ta_load(struct ta *t)
{
	LLVMMemoryBufferRef mb;
	char *msg = NULL;

	t->ctx = LLVMContextCreate();
	cr_assert_eq(LLVMCreateMemoryBufferWithContentsOfFile(t->bc, &mb, &msg), 0, "%s", msg);
	cr_assert_eq(LLVMParseBitcodeInContext2(t->ctx, mb, &t->m), 0, "cannot parse %s", t->bc);
	LLVMDisposeMemoryBuffer(mb);
}

/* Analyse the loaded module with t->o (warnings captured); the outcome is in t->rc / t->err. */
static inline int ta_analyse(struct ta *t)
{
	t->wf = open_memstream(&t->warnings, &t->wlen);
	t->o.warnings = t->wf;
	t->rc = lcg_analyze_module(t->m, &t->o, &t->p, &t->st, t->err, sizeof(t->err));
	fflush(t->wf);
	return t->rc;
}

/* Compile, load and analyse NAME.c; the outcome is in t->rc / t->err. */
static inline int ta_run_ex(struct ta *t, const char *name, const char *cflags, u32 mode, u32 set,
			    u32 budget, bool instrument)
{
	memset(t, 0, sizeof(*t));
	ta_compile(t, name, cflags);
	ta_load(t);
	lcg_analysis_opts_default(&t->o);
	t->o.mode = mode;
	t->o.event_set = set;
	t->o.inline_budget = budget;
	t->o.instrument = instrument;
	return ta_analyse(t);
}

/* lcg-cc compiles with KCFI type ids: the C types of functions and calls. */
#define TA_KCFI "-O1 -g -fsanitize=kcfi"

/* Giffin et al.'s model as is: every call bracketed, nothing pasted (the course's graphs). */
static inline void ta_run_classic(struct ta *t, const char *name, u32 mode, u32 set)
{
	memset(t, 0, sizeof(*t));
	ta_compile(t, name, NULL);
	ta_load(t);
	lcg_analysis_opts_default(&t->o);
	t->o.mode = mode;
	t->o.event_set = set;
	t->o.all_brackets = true;
	ta_analyse(t);
	cr_assert_eq(t->rc, 0, "analysis of %s failed: %s", name, t->err);
}

/* The usual case: PDA or NFA mode, must succeed. */
static inline void ta_run(struct ta *t, const char *name, u32 mode, u32 set)
{
	ta_run_ex(t, name, NULL, mode, set, LCG_INLINE_BUDGET_DEFAULT, false);
	cr_assert_eq(t->rc, 0, "analysis of %s failed: %s", name, t->err);
}

static inline void ta_free(struct ta *t)
{
	char cmd[128];

	lcg_policy_free(&t->p);
	lcg_analysis_stats_free(&t->st);
	if (t->wf)
		fclose(t->wf);
	free(t->warnings);
	if (t->m)
		LLVMDisposeModule(t->m);
	if (t->ctx)
		LLVMContextDispose(t->ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", t->dir);
	if (t->dir[0] && system(cmd))
		cr_log_warn("cannot remove %s", t->dir);
}

static inline u32 ta_proc(const struct lcg_automaton *a, const char *name)
{
	for (u32 i = 0; i < a->n_procs; i++)
		if (!strcmp(a->procs[i].name, name))
			return i;
	return LCG_NONE;
}

/* How an edge reads in the expected graphs (tests/analysis/README.md). */
static inline const char *ta_label(const struct lcg_policy *p, const struct lcg_automaton *a,
				   const struct lcg_edge *e, char *buf, size_t len)
{
	const struct lcg_event_info *ev;

	if (!e->event)
		return e->site == LCG_NONE ? NULL : "call";
	ev = &p->events[e->event];
	switch (ev->kind) {
	case LCG_EV_PRECALL:
		snprintf(buf, len, "call:%s", ev->callee);
		return buf;
	case LCG_EV_POSTCALL:
		snprintf(buf, len, "%s:post", ev->callee);
		return buf;
	default:
		return ev->callee;
	}
}

/* Canonical text of procedure @name of automaton @a (NULL: no such procedure). */
static inline char *ta_canon(const struct lcg_policy *p, const struct lcg_automaton *a,
			     const char *name)
{
	u32 proc = ta_proc(a, name), n = 0, *local;
	struct canon_nfa c;
	char *text;

	if (proc == LCG_NONE)
		return NULL;
	memset(&c, 0, sizeof(c));
	local = calloc(a->n_states, sizeof(u32));
	c.exit = calloc(a->n_states, sizeof(bool));
	cr_assert(local && c.exit);
	for (u32 s = 0; s < a->n_states; s++)
		if (a->states[s].proc == proc) {
			local[s] = n;
			c.exit[n++] = a->states[s].flags & LCG_STATE_EXIT;
		}
	c.n_states = n;
	c.entry = local[a->procs[proc].entry];
	for (u32 i = 0; i < a->n_edges; i++) {
		const struct lcg_edge *e = &a->edges[i];
		char buf[128];

		if (a->states[e->from].proc == proc)
			cr_assert(canon_add_edge(&c, local[e->from], local[e->to],
						 ta_label(p, a, e, buf, sizeof(buf))));
	}
	text = canon_text(&c, 4096);
	canon_free(&c);
	free(local);
	return text;
}

static inline char *ta_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);
	size_t n;

	cr_assert_not_null(f, "cannot open %s", path);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* Procedure @proc of @a must have the graph of tests/analysis/@file. */
static inline void ta_expect_graph(const struct ta *t, const struct lcg_automaton *a,
				   const char *proc, const char *file)
{
	char path[256];
	char *want, *got = ta_canon(&t->p, a, proc);

	snprintf(path, sizeof(path), "%s/%s", TA_SRC, file);
	want = ta_read_file(path);
	cr_assert_not_null(got, "no procedure %s", proc);
	cr_expect_str_eq(got, want, "graph of %s differs from %s:\n--- got\n%s--- expected\n%s",
			 proc, path, got, want);
	free(got);
	free(want);
}

/* Id of the @nth (from 0) event of @kind with @callee, or 0. */
static inline u32 ta_event(const struct lcg_policy *p, u32 kind, const char *callee, u32 nth)
{
	for (u32 i = 1; i < p->n_events; i++)
		if (p->events[i].kind == kind && p->events[i].callee &&
		    !strcmp(p->events[i].callee, callee) && !nth--)
			return i;
	return 0;
}

static inline u32 ta_count_events(const struct lcg_policy *p, u32 kind, const char *callee)
{
	u32 n = 0;

	for (u32 i = 1; i < p->n_events; i++)
		n += p->events[i].kind == kind &&
		     (!callee || (p->events[i].callee && !strcmp(p->events[i].callee, callee)));
	return n;
}

#endif /* LCG_TEST_ANALYSIS_H */
