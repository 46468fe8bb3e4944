/* SPDX-License-Identifier: GPL-2.0 */
/*
 * canon.h - a canonical text for the language of a small labelled automaton,
 * so that a graph the analysis built and a graph written down by hand compare
 * equal exactly when they accept the same label sequences: epsilon edges are
 * removed, the automaton is determinised, states that cannot reach an exit
 * are dropped, the result is minimised and its states are numbered in
 * breadth-first order over sorted labels.
 */
#ifndef LCG_TEST_CANON_H
#define LCG_TEST_CANON_H

#include <stdbool.h>
#include <stdint.h>

struct canon_edge {
	uint32_t from, to;
	char *label;		/* NULL: epsilon */
};

struct canon_nfa {
	uint32_t n_states;
	uint32_t entry;
	bool *exit;		/* n_states flags: accepting states */
	struct canon_edge *edges;
	uint32_t n_edges, cap_edges;
};

/* Adds an edge (copies @label); false when out of memory. */
bool canon_add_edge(struct canon_nfa *a, uint32_t from, uint32_t to, const char *label);
void canon_free(struct canon_nfa *a);

/*
 * canon_text() - the canonical form: "entry 0", then "FROM LABEL TO" lines in
 * breadth-first order, then "exit S" lines; "empty" when no exit is
 * reachable.  Returns a malloc'ed string, or NULL (out of memory, or more
 * than @max_states deterministic states).
 */
char *canon_text(const struct canon_nfa *a, uint32_t max_states);

#endif /* LCG_TEST_CANON_H */
