/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lcg_test.h - building small policies by hand and running the monitor over
 * event sequences, for the criterion suites.
 */
#ifndef LCG_TEST_H
#define LCG_TEST_H

#include <criterion/criterion.h>
#include "formats/policy.h"
#include "pda/monitor.h"
#include "pda/limits.h"

struct tp {
	struct lcg_policy pol;
	struct lcg_automaton *a;	/* the automaton the image is built from */
};

static inline void tp_init(struct tp *t, u32 mode)
{
	lcg_policy_init(&t->pol);
	t->pol.mode = mode;
	t->pol.event_set = LCG_EVENTS_EFFECTS;
	t->a = mode == LCG_MODE_NFA ? &t->pol.nfa : &t->pol.graphs;
	cr_assert_eq(lcg_policy_add_event(&t->pol, NULL), 0);
}

static inline u32 tp_event(struct tp *t, u32 kind, const char *callee, u32 site)
{
	u32 id = lcg_policy_add_event(&t->pol, &(struct lcg_event_info){
		.kind = kind, .site = site, .callee = (char *)callee, .function = "test" });

	cr_assert_neq(id, LCG_NONE);
	return id;
}

static inline u32 tp_lib(struct tp *t, const char *callee)
{
	return tp_event(t, LCG_EV_LIBCALL, callee, LCG_NONE);
}

static inline u32 tp_proc(struct tp *t, const char *name, u32 flags)
{
	u32 p = lcg_aut_add_proc(t->a, name, flags);

	cr_assert_neq(p, LCG_NONE);
	return p;
}

static inline u32 tp_entry(struct tp *t, u32 proc)
{
	return t->a->procs[proc].entry;
}

static inline u32 tp_state(struct tp *t, u32 proc)
{
	return lcg_aut_add_state(t->a, proc);
}

static inline void tp_edge(struct tp *t, u32 from, u32 to, u32 ev)
{
	cr_assert_neq(lcg_aut_add_edge(t->a, from, to, ev, LCG_NONE), LCG_NONE);
}

static inline void tp_exit(struct tp *t, u32 s)
{
	lcg_aut_set_exit(t->a, s);
}

/*
 * A Dyck call site from -> to in @caller calling @callees; returns the site
 * index and its PRECALL / POSTCALL ids.
 */
static inline u32 tp_call(struct tp *t, u32 caller, u32 from, u32 to, const u32 *callees, u32 n,
			  u32 *pre, u32 *post)
{
	struct lcg_site s = {
		.caller = caller, .from = from, .to = to,
		.callees = (u32 *)callees, .n_callees = n,
	};
	u32 k = t->a->n_sites;

	s.pre_event = tp_event(t, LCG_EV_PRECALL, t->a->procs[callees[0]].name, k);
	s.post_event = tp_event(t, LCG_EV_POSTCALL, t->a->procs[callees[0]].name, k);
	cr_assert_eq(lcg_aut_add_site(t->a, &s), k);
	cr_assert_neq(lcg_aut_add_edge(t->a, from, to, s.pre_event, k), LCG_NONE);
	if (pre)
		*pre = s.pre_event;
	if (post)
		*post = s.post_event;
	return k;
}

/* a setjmp site: only a POSTCALL, which longjmp comes back through */
static inline u32 tp_setjmp(struct tp *t, u32 caller, u32 from, u32 to)
{
	struct lcg_site s = {
		.caller = caller, .from = from, .to = to, .flags = LCG_SITE_SETJMP,
	};
	u32 k = t->a->n_sites;

	s.post_event = tp_event(t, LCG_EV_POSTCALL, "setjmp", k);
	cr_assert_eq(lcg_aut_add_site(t->a, &s), k);
	cr_assert_neq(lcg_aut_add_edge(t->a, from, to, s.post_event, k), LCG_NONE);
	return s.post_event;
}

/*
 * A copy of setjmp site @sj's return edge from -> to (its function pasted
 * into another procedure): labelled with its POSTCALL, and an epsilon edge
 * for its first return, which issues no event.
 */
static inline void tp_setjmp_copy(struct tp *t, u32 sj, u32 from, u32 to)
{
	u32 site = t->pol.events[sj].site;

	cr_assert_neq(lcg_aut_add_edge(t->a, from, to, sj, site), LCG_NONE);
	tp_edge(t, from, to, 0);
}

struct trun {
	void *buf;
	size_t len;
	struct lcg_image img;
	struct lcg_monitor m;
};

static inline void tp_build(struct tp *t, u32 dfa_factor, struct trun *r)
{
	char err[256] = "";
	const char *why;

	memset(r, 0, sizeof(*r));
	cr_assert_eq(lcg_image_build_ex(&t->pol, dfa_factor, &r->buf, &r->len, err, sizeof(err)), 0,
		     "image build failed: %s", err);
	why = lcg_image_validate(&r->img, r->buf, r->len);
	cr_assert_null(why, "validator refused a built image: %s", why);
	lcg_monitor_init(&r->m, &r->img);
}

/* index of the first event the monitor refuses, or -1 when it accepts all */
static inline int tr_feed(struct trun *r, const u32 *ev, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (lcg_monitor_step(&r->m, &r->img, ev[i]) != LCG_R_OK)
			return (int)i;
	return -1;
}

/* run from a fresh start */
static inline int tr_run(struct trun *r, const u32 *ev, u32 n)
{
	lcg_monitor_init(&r->m, &r->img);
	return tr_feed(r, ev, n);
}

static inline void tr_free(struct trun *r)
{
	free(r->buf);
	r->buf = NULL;
}

#define SEQ(...) ((const u32[]){ __VA_ARGS__ }), (sizeof((const u32[]){ __VA_ARGS__ }) / sizeof(u32))
#define ACCEPTS(r, ...) cr_assert_eq(tr_run((r), SEQ(__VA_ARGS__)), -1, "refused: " #__VA_ARGS__)
#define REFUSES_AT(r, at, ...) cr_assert_eq(tr_run((r), SEQ(__VA_ARGS__)), (at), \
					    "expected a refusal at %d: " #__VA_ARGS__, (at))

/* determinisation factors every automaton test runs under: DFA and plain NFA */
#define TP_FACTORS { LCG_DFA_FACTOR, 0 }

#endif /* LCG_TEST_H */
