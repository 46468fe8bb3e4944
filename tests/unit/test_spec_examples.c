// SPDX-License-Identifier: GPL-2.0
/*
 * The course specification's examples, built by hand, in both modes and both
 * with and without determinisation: the monitor accepts exactly the legal
 * sequences and refuses the others at the first illegal event.
 */
#include "lcg_test.h"

struct calls {
	u32 open, read, write, close;
};

static void add_calls(struct tp *t, struct calls *c)
{
	c->open = tp_lib(t, "open");
	c->read = tp_lib(t, "read");
	c->write = tp_lib(t, "write");
	c->close = tp_lib(t, "close");
}

/* foo(): open(); read(); close(); */
static void build_sequence(struct tp *t, u32 mode, struct calls *c)
{
	u32 p, s1, s2, s3;

	tp_init(t, mode);
	add_calls(t, c);
	p = tp_proc(t, "foo", LCG_AP_MAIN);
	s1 = tp_state(t, p);
	s2 = tp_state(t, p);
	s3 = tp_state(t, p);
	tp_edge(t, tp_entry(t, p), s1, c->open);
	tp_edge(t, s1, s2, c->read);
	tp_edge(t, s2, s3, c->close);
	tp_exit(t, s3);
}

/* foo(): open(); if (x) read(); close(); */
static void build_if(struct tp *t, u32 mode, struct calls *c)
{
	u32 p, s1, s2, s3;

	tp_init(t, mode);
	add_calls(t, c);
	p = tp_proc(t, "foo", LCG_AP_MAIN);
	s1 = tp_state(t, p);
	s2 = tp_state(t, p);
	s3 = tp_state(t, p);
	tp_edge(t, tp_entry(t, p), s1, c->open);
	tp_edge(t, s1, s2, c->read);
	tp_edge(t, s1, s2, 0);
	tp_edge(t, s2, s3, c->close);
	tp_exit(t, s3);
}

/* foo(): open(); while (x) read(); close(); */
static void build_while(struct tp *t, u32 mode, struct calls *c)
{
	u32 p, s1, s2;

	tp_init(t, mode);
	add_calls(t, c);
	p = tp_proc(t, "foo", LCG_AP_MAIN);
	s1 = tp_state(t, p);
	s2 = tp_state(t, p);
	tp_edge(t, tp_entry(t, p), s1, c->open);
	tp_edge(t, s1, s1, c->read);
	tp_edge(t, s1, s2, c->close);
	tp_exit(t, s2);
}

/*
 * The nondeterministic one: two paths start with the same event (as inlined
 * copies of one site do) and continue with read or write before close.
 */
static void build_nondet(struct tp *t, u32 mode, struct calls *c)
{
	u32 p, a, b, j, e;

	tp_init(t, mode);
	add_calls(t, c);
	p = tp_proc(t, "foo", LCG_AP_MAIN);
	a = tp_state(t, p);
	b = tp_state(t, p);
	j = tp_state(t, p);
	e = tp_state(t, p);
	tp_edge(t, tp_entry(t, p), a, c->open);
	tp_edge(t, tp_entry(t, p), b, c->open);
	tp_edge(t, a, j, c->read);
	tp_edge(t, b, j, c->write);
	tp_edge(t, j, e, c->close);
	tp_exit(t, e);
}

static const u32 factors[] = TP_FACTORS;
static const u32 modes[] = { LCG_MODE_PDA, LCG_MODE_NFA };

#define FOR_EACH_CONFIG(mode, factor)						\
	for (unsigned _m = 0; _m < 2; _m++)					\
		for (unsigned _f = 0; _f < 2; _f++)				\
			for (u32 mode = modes[_m], factor = factors[_f], _once = 1; \
			     _once; _once = 0)

Test(spec_examples, sequence_open_read_close)
{
	FOR_EACH_CONFIG(mode, factor) {
		struct tp t;
		struct calls c;
		struct trun r;

		build_sequence(&t, mode, &c);
		tp_build(&t, factor, &r);
		ACCEPTS(&r, c.open, c.read, c.close);
		ACCEPTS(&r, c.open, c.read);
		REFUSES_AT(&r, 0, c.read);
		REFUSES_AT(&r, 1, c.open, c.close);
		REFUSES_AT(&r, 2, c.open, c.read, c.read);
		REFUSES_AT(&r, 3, c.open, c.read, c.close, c.open);
		REFUSES_AT(&r, 1, c.open, c.write, c.close);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}

Test(spec_examples, if_makes_read_optional)
{
	FOR_EACH_CONFIG(mode, factor) {
		struct tp t;
		struct calls c;
		struct trun r;

		build_if(&t, mode, &c);
		tp_build(&t, factor, &r);
		ACCEPTS(&r, c.open, c.read, c.close);
		ACCEPTS(&r, c.open, c.close);
		REFUSES_AT(&r, 2, c.open, c.read, c.read, c.close);
		REFUSES_AT(&r, 0, c.close);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}

Test(spec_examples, while_loop_accepts_open_read_star_close)
{
	FOR_EACH_CONFIG(mode, factor) {
		struct tp t;
		struct calls c;
		struct trun r;

		build_while(&t, mode, &c);
		tp_build(&t, factor, &r);
		ACCEPTS(&r, c.open, c.close);
		ACCEPTS(&r, c.open, c.read, c.close);
		ACCEPTS(&r, c.open, c.read, c.read, c.read, c.read, c.read, c.close);
		REFUSES_AT(&r, 2, c.open, c.close, c.read);
		REFUSES_AT(&r, 1, c.open, c.open);
		REFUSES_AT(&r, 3, c.open, c.read, c.read, c.write);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}

Test(spec_examples, nondeterministic_read_or_write)
{
	FOR_EACH_CONFIG(mode, factor) {
		struct tp t;
		struct calls c;
		struct trun r;

		build_nondet(&t, mode, &c);
		tp_build(&t, factor, &r);
		ACCEPTS(&r, c.open, c.read, c.close);
		ACCEPTS(&r, c.open, c.write, c.close);
		REFUSES_AT(&r, 2, c.open, c.read, c.write);
		REFUSES_AT(&r, 1, c.open, c.close);
		/* after open the frontier holds both branches, or one DFA state */
		lcg_monitor_init(&r.m, &r.img);
		cr_assert_eq(lcg_monitor_step(&r.m, &r.img, c.open), LCG_R_OK);
		cr_assert_eq(r.m.front.n, factor ? 1u : 2u);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}

/* foo(): open(); bar(); close();  bar(): read(); write(); -- Dyck: separate procedures */
static void build_foo_bar_pda(struct tp *t, struct calls *c, u32 *pre, u32 *post)
{
	u32 foo, bar, s1, s2, s3, b1, b2;

	tp_init(t, LCG_MODE_PDA);
	add_calls(t, c);
	foo = tp_proc(t, "foo", LCG_AP_MAIN);
	bar = tp_proc(t, "bar", 0);
	s1 = tp_state(t, foo);
	s2 = tp_state(t, foo);
	s3 = tp_state(t, foo);
	tp_edge(t, tp_entry(t, foo), s1, c->open);
	tp_call(t, foo, s1, s2, &bar, 1, pre, post);
	tp_edge(t, s2, s3, c->close);
	tp_exit(t, s3);
	b1 = tp_state(t, bar);
	b2 = tp_state(t, bar);
	tp_edge(t, tp_entry(t, bar), b1, c->read);
	tp_edge(t, b1, b2, c->write);
	tp_exit(t, b2);
}

/* the same program in NFA mode: bar's graph pasted at the call site */
static void build_foo_bar_nfa(struct tp *t, struct calls *c)
{
	u32 p, s1, b1, b2, s3;

	tp_init(t, LCG_MODE_NFA);
	add_calls(t, c);
	p = tp_proc(t, "<program>", LCG_AP_MAIN);
	s1 = tp_state(t, p);
	b1 = tp_state(t, p);
	b2 = tp_state(t, p);
	s3 = tp_state(t, p);
	tp_edge(t, tp_entry(t, p), s1, c->open);
	tp_edge(t, s1, b1, c->read);
	tp_edge(t, b1, b2, c->write);
	tp_edge(t, b2, s3, c->close);
	tp_exit(t, s3);
}

Test(spec_examples, foo_calls_bar_pda)
{
	for (unsigned f = 0; f < 2; f++) {
		struct tp t;
		struct calls c;
		struct trun r;
		u32 pre, post;

		build_foo_bar_pda(&t, &c, &pre, &post);
		tp_build(&t, factors[f], &r);
		ACCEPTS(&r, c.open, pre, c.read, c.write, post, c.close);
		REFUSES_AT(&r, 1, c.open, c.read);
		REFUSES_AT(&r, 3, c.open, pre, c.read, post);
		REFUSES_AT(&r, 2, c.open, pre, c.close);
		REFUSES_AT(&r, 5, c.open, pre, c.read, c.write, post, c.read);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}

Test(spec_examples, foo_calls_bar_inlined_nfa)
{
	for (unsigned f = 0; f < 2; f++) {
		struct tp t;
		struct calls c;
		struct trun r;

		build_foo_bar_nfa(&t, &c);
		tp_build(&t, factors[f], &r);
		ACCEPTS(&r, c.open, c.read, c.write, c.close);
		REFUSES_AT(&r, 1, c.open, c.close);
		REFUSES_AT(&r, 2, c.open, c.read, c.close);
		tr_free(&r);
		lcg_policy_free(&t.pol);
	}
}
