// SPDX-License-Identifier: GPL-2.0
/*
 * lg_collapse(): the epsilon structure goes, the language stays.  Small
 * graphs built by hand for each rule, and random graphs whose canonical
 * language (complete paths) and prefix language (what the monitor can see of
 * a run that never returns) must be the same before and after.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "analysis/lgraph.h"
#include "tests/programs/tools/canon.h"

static const char *const names[] = { NULL, "open", "read", "write", "close" };

/* Canonical text of the sequences the graph accepts (@prefixes: every sequence it can read). */
static char *canon_of(const struct lgraph *g, bool prefixes)
{
	struct canon_nfa c = { 0 };
	char *text;

	c.n_states = g->n_states;
	c.entry = g->entry;
	c.exit = calloc(g->n_states ? g->n_states : 1, sizeof(bool));
	cr_assert_not_null(c.exit);
	for (u32 s = 0; s < g->n_states; s++)
		c.exit[s] = prefixes || (g->flags[s] & LS_EXIT);
	for (u32 i = 0; i < g->n_edges; i++)
		cr_assert(canon_add_edge(&c, g->edges[i].from, g->edges[i].to,
					 names[g->edges[i].event]));
	text = canon_text(&c, 1u << 16);
	cr_assert_not_null(text);
	canon_free(&c);
	return text;
}

static char *language(const struct lgraph *g)
{
	return canon_of(g, false);
}

static u32 states(struct lgraph *g, u32 n)
{
	u32 first = g->n_states;

	for (u32 i = 0; i < n; i++)
		lg_add_state(g);
	return first;
}

#define EPS 0
#define OPEN 1
#define READ 2
#define CLOSE 4

Test(analysis_lgraph, epsilon_chain_disappears)
{
	struct lgraph g;
	u32 s;

	lg_init(&g);
	s = states(&g, 5);
	lg_add_edge(&g, s, s + 1, EPS, LCG_NONE);
	lg_add_edge(&g, s + 1, s + 2, EPS, LCG_NONE);
	lg_add_edge(&g, s + 2, s + 3, OPEN, LCG_NONE);
	lg_add_edge(&g, s + 3, s + 4, EPS, LCG_NONE);
	g.flags[s + 4] |= LS_EXIT;
	cr_assert(lg_collapse(&g));
	cr_expect_eq(g.n_states, 2);
	cr_expect_eq(g.n_edges, 1);
	cr_expect_eq(g.edges[0].event, OPEN);
	cr_expect(g.flags[g.edges[0].to] & LS_EXIT);
	cr_expect_eq(g.edges[0].from, g.entry);
	lg_free(&g);
}

Test(analysis_lgraph, epsilon_cycle_is_one_state)
{
	struct lgraph g;
	u32 s;

	/* a loop header and two branches joined by epsilon, with a read inside */
	lg_init(&g);
	s = states(&g, 5);
	lg_add_edge(&g, s, s + 1, OPEN, LCG_NONE);
	lg_add_edge(&g, s + 1, s + 2, EPS, LCG_NONE);
	lg_add_edge(&g, s + 2, s + 1, EPS, LCG_NONE);
	lg_add_edge(&g, s + 1, s + 3, EPS, LCG_NONE);
	lg_add_edge(&g, s + 3, s + 2, EPS, LCG_NONE);
	lg_add_edge(&g, s + 2, s + 2, READ, LCG_NONE);
	lg_add_edge(&g, s + 3, s + 4, CLOSE, LCG_NONE);
	g.flags[s + 4] |= LS_EXIT;
	char *before = language(&g);
	cr_assert(lg_collapse(&g));
	char *after = language(&g);
	cr_expect_str_eq(after, before);
	cr_expect_eq(g.n_states, 3, "entry, the loop, the end");
	free(before);
	free(after);
	lg_free(&g);
}

Test(analysis_lgraph, an_exit_is_not_merged_into_a_non_exit)
{
	struct lgraph g;
	u32 s;

	/* s may return; its only way on is epsilon to t, which may not */
	lg_init(&g);
	s = states(&g, 4);
	lg_add_edge(&g, s, s + 1, OPEN, LCG_NONE);
	lg_add_edge(&g, s + 1, s + 2, EPS, LCG_NONE);
	lg_add_edge(&g, s + 2, s + 3, READ, LCG_NONE);
	g.flags[s + 1] |= LS_EXIT;
	g.flags[s + 3] |= LS_EXIT;
	char *before = language(&g);
	cr_assert(lg_collapse(&g));
	char *after = language(&g);
	cr_expect_str_eq(after, before, "open must stay accepted on its own");
	free(before);
	free(after);
	lg_free(&g);
}

Test(analysis_lgraph, call_edges_and_kept_states_survive)
{
	struct lgraph g;
	u32 s;
	bool site = false, landing = false;

	lg_init(&g);
	s = states(&g, 4);
	lg_add_edge(&g, s, s + 1, EPS, 7);	/* an NFA call edge: epsilon with a site */
	lg_add_edge(&g, s + 1, s + 2, EPS, LCG_NONE);
	g.flags[s + 2] |= LS_LANDING;
	lg_add_edge(&g, s + 2, s + 3, CLOSE, LCG_NONE);
	g.flags[s + 3] |= LS_EXIT;
	cr_assert(lg_collapse(&g));
	for (u32 i = 0; i < g.n_edges; i++)
		site |= g.edges[i].site == 7;
	for (u32 i = 0; i < g.n_states; i++)
		landing |= !!(g.flags[i] & LS_LANDING);
	cr_expect(site, "the call edge is never dropped");
	cr_expect(landing, "a setjmp landing is never merged away");
	lg_free(&g);
}

Test(analysis_lgraph, random_graphs_keep_their_language)
{
	srand(4242);
	for (int round = 0; round < 1000; round++) {
		struct lgraph g;
		u32 n = 2 + (u32)(rand() % 9), m = (u32)(rand() % (3 * n));
		char *before, *after;

		lg_init(&g);
		states(&g, n);
		g.entry = (u32)(rand() % n);
		for (u32 s = 0; s < n; s++)
			if (rand() % 4 == 0)
				g.flags[s] |= LS_EXIT;
		for (u32 i = 0; i < m; i++) {
			u32 ev = rand() % 2 ? EPS : 1 + (u32)(rand() % 4);

			lg_add_edge(&g, (u32)(rand() % n), (u32)(rand() % n), ev, LCG_NONE);
		}
		char *pre_before = canon_of(&g, true), *pre_after;

		before = language(&g);
		cr_assert(lg_collapse(&g));
		after = language(&g);
		pre_after = canon_of(&g, true);
		cr_assert_str_eq(after, before, "round %d changed the language", round);
		cr_assert_str_eq(pre_after, pre_before, "round %d changed what the monitor may see",
				 round);
		cr_assert_leq(g.n_states, n);
		free(before);
		free(after);
		free(pre_before);
		free(pre_after);
		lg_free(&g);
	}
}
