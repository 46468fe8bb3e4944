/* SPDX-License-Identifier: GPL-2.0 */
/*
 * two_sites.h - a fixture shared by the Dyck tests and the precision tests:
 * a program whose only impossible path is a return to the wrong call site.
 */
#ifndef LCG_TEST_TWO_SITES_H
#define LCG_TEST_TWO_SITES_H

#include <string.h>
#include "lcg_test.h"

/*
 * main(): bar(); open(); bar(); close();   bar(): read();
 * The impossible path leaves bar from the first call through the second
 * call's return, skipping open().
 */
struct two_sites {
	u32 open, read, close, pre1, post1, pre2, post2;
};

/*
 * The PDA.  Its library calls are open (1), read (2), close (3), or with
 * @interleaved numbered apart from the NFA's: read (1), the first call's
 * PRECALL/POSTCALL (2, 3), open (4), the second call's (5, 6), close (7).
 */
static inline void build_two_sites_pda_numbered(struct tp *t, struct two_sites *e,
						bool interleaved)
{
	u32 main, bar, s1, s2, s3, s4, b1;

	tp_init(t, LCG_MODE_PDA);
	if (!interleaved)
		e->open = tp_lib(t, "open");
	e->read = tp_lib(t, "read");
	if (!interleaved)
		e->close = tp_lib(t, "close");
	main = tp_proc(t, "main", LCG_AP_MAIN);
	bar = tp_proc(t, "bar", 0);
	s1 = tp_state(t, main);
	s2 = tp_state(t, main);
	s3 = tp_state(t, main);
	s4 = tp_state(t, main);
	tp_call(t, main, tp_entry(t, main), s1, &bar, 1, &e->pre1, &e->post1);
	if (interleaved)
		e->open = tp_lib(t, "open");
	tp_edge(t, s1, s2, e->open);
	tp_call(t, main, s2, s3, &bar, 1, &e->pre2, &e->post2);
	if (interleaved)
		e->close = tp_lib(t, "close");
	tp_edge(t, s3, s4, e->close);
	tp_exit(t, s4);
	b1 = tp_state(t, bar);
	tp_edge(t, tp_entry(t, bar), b1, e->read);
	tp_exit(t, b1);
}

static inline void build_two_sites_pda(struct tp *t, struct two_sites *e)
{
	build_two_sites_pda_numbered(t, e, false);
}

/*
 * The same program as a Wagner-Dean call-graph NFA (bar shared, linked by
 * epsilon), its library calls numbered in @order ("open", "read", "close"
 * in any order).
 */
static inline void build_two_sites_callgraph_nfa_ordered(struct tp *t, struct two_sites *e,
							 const char *const order[3])
{
	u32 p, s1, s2, s3, s4, b0, b1, *id[3];

	tp_init(t, LCG_MODE_NFA);
	for (int i = 0; i < 3; i++) {
		id[i] = !strcmp(order[i], "open") ? &e->open : !strcmp(order[i], "read") ?
			&e->read : &e->close;
		*id[i] = tp_lib(t, order[i]);
	}
	p = tp_proc(t, "<program>", LCG_AP_MAIN);
	s1 = tp_state(t, p);
	s2 = tp_state(t, p);
	s3 = tp_state(t, p);
	s4 = tp_state(t, p);
	b0 = tp_state(t, p);
	b1 = tp_state(t, p);
	tp_edge(t, b0, b1, e->read);
	tp_edge(t, tp_entry(t, p), b0, 0);
	tp_edge(t, b1, s1, 0);
	tp_edge(t, s1, s2, e->open);
	tp_edge(t, s2, b0, 0);
	tp_edge(t, b1, s3, 0);
	tp_edge(t, s3, s4, e->close);
	tp_exit(t, s4);
}

static inline void build_two_sites_callgraph_nfa(struct tp *t, struct two_sites *e)
{
	static const char *const order[3] = { "open", "read", "close" };

	build_two_sites_callgraph_nfa_ordered(t, e, order);
}

#endif /* LCG_TEST_TWO_SITES_H */
