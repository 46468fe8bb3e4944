// SPDX-License-Identifier: GPL-2.0
/*
 * canon.c - canonical form of an automaton's language (see canon.h).
 * The graphs compared here have tens of states: plain quadratic algorithms
 * (subset construction over bitsets, Moore's partition refinement) are the
 * simplest that are obviously right.
 */
#include "canon.h"
#include "formats/grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

typedef uint64_t word;
#define WORD_BITS 64u

struct dfa {
	uint32_t n, cap;
	uint32_t n_labels;
	word *sets;		/* n * words: the NFA states of each DFA state */
	uint32_t *next;		/* n * n_labels: target or NONE */
	bool *exit;
};

bool canon_add_edge(struct canon_nfa *a, uint32_t from, uint32_t to, const char *label)
{
	if (!lcg_grow32((void **)&a->edges, &a->cap_edges, a->n_edges + 1, sizeof(*a->edges),
			LCG_GROW_MAX32))
		return false;
	a->edges[a->n_edges] = (struct canon_edge){ from, to, label ? strdup(label) : NULL };
	if (label && !a->edges[a->n_edges].label)
		return false;
	a->n_edges++;
	return true;
}

void canon_free(struct canon_nfa *a)
{
	for (uint32_t i = 0; i < a->n_edges; i++)
		free(a->edges[i].label);
	free(a->edges);
	free(a->exit);
	memset(a, 0, sizeof(*a));
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Distinct labels, sorted; *n gets their number. */
static char **sorted_labels(const struct canon_nfa *a, uint32_t *n)
{
	char **v = calloc(a->n_edges + 1, sizeof(*v));
	uint32_t k = 0, out = 0;

	if (!v)
		return NULL;
	for (uint32_t i = 0; i < a->n_edges; i++)
		if (a->edges[i].label)
			v[k++] = a->edges[i].label;
	qsort(v, k, sizeof(*v), cmp_str);
	for (uint32_t i = 0; i < k; i++)
		if (!out || strcmp(v[out - 1], v[i]))
			v[out++] = v[i];
	*n = out;
	return v;
}

static void set_bit(word *s, uint32_t i) { s[i / WORD_BITS] |= (word)1 << (i % WORD_BITS); }
static bool has_bit(const word *s, uint32_t i) { return s[i / WORD_BITS] >> (i % WORD_BITS) & 1; }

/* Close @s over epsilon edges, in place. */
static void eps_close(const struct canon_nfa *a, word *s)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (uint32_t i = 0; i < a->n_edges; i++) {
			const struct canon_edge *e = &a->edges[i];

			if (!e->label && has_bit(s, e->from) && !has_bit(s, e->to)) {
				set_bit(s, e->to);
				changed = true;
			}
		}
	}
}

/* Index of the DFA state holding @s, adding it if new; NONE when full. */
static uint32_t dfa_state(struct dfa *d, const struct canon_nfa *a, const word *s,
			  uint32_t words, uint32_t max)
{
	for (uint32_t i = 0; i < d->n; i++)
		if (!memcmp(d->sets + (size_t)i * words, s, words * sizeof(word)))
			return i;
	if (d->n == max)
		return NONE;
	if (d->n == d->cap) {
		/* three arrays of one capacity: the one rule grows each alike */
		size_t sets = d->cap, next = d->cap, ex = d->cap;

		if (!lcg_grow((void **)&d->sets, &sets, d->n + 1, words * sizeof(word), max) ||
		    !lcg_grow((void **)&d->next, &next, d->n + 1,
			      (d->n_labels + 1) * sizeof(*d->next), max) ||
		    !lcg_grow((void **)&d->exit, &ex, d->n + 1, sizeof(*d->exit), max))
			return NONE;
		d->cap = (uint32_t)sets;
	}
	memcpy(d->sets + (size_t)d->n * words, s, words * sizeof(word));
	for (uint32_t l = 0; l < d->n_labels; l++)
		d->next[(size_t)d->n * d->n_labels + l] = NONE;
	d->exit[d->n] = false;
	for (uint32_t q = 0; q < a->n_states; q++)
		if (has_bit(s, q) && a->exit[q])
			d->exit[d->n] = true;
	return d->n++;
}

static bool determinise(const struct canon_nfa *a, char **labels, struct dfa *d, uint32_t max)
{
	uint32_t words = (a->n_states + WORD_BITS - 1) / WORD_BITS + 1;
	word *s = calloc(words, sizeof(word));
	bool ok = s != NULL;

	if (!ok)
		return false;
	set_bit(s, a->entry);
	eps_close(a, s);
	ok = dfa_state(d, a, s, words, max) != NONE;
	for (uint32_t i = 0; ok && i < d->n; i++) {
		for (uint32_t l = 0; ok && l < d->n_labels; l++) {
			bool any = false;

			memset(s, 0, words * sizeof(word));
			for (uint32_t e = 0; e < a->n_edges; e++) {
				const struct canon_edge *x = &a->edges[e];

				if (x->label && !strcmp(x->label, labels[l]) &&
				    has_bit(d->sets + (size_t)i * words, x->from)) {
					set_bit(s, x->to);
					any = true;
				}
			}
			if (!any)
				continue;
			eps_close(a, s);
			uint32_t t = dfa_state(d, a, s, words, max);

			ok = t != NONE;
			if (ok)
				d->next[(size_t)i * d->n_labels + l] = t;
		}
	}
	free(s);
	return ok;
}

/* Mark the DFA states from which an exit is reachable. */
static bool *live_states(const struct dfa *d)
{
	bool *live = calloc(d->n + 1, sizeof(*live));
	bool changed = true;

	if (!live)
		return NULL;
	for (uint32_t i = 0; i < d->n; i++)
		live[i] = d->exit[i];
	while (changed) {
		changed = false;
		for (uint32_t i = 0; i < d->n; i++)
			for (uint32_t l = 0; !live[i] && l < d->n_labels; l++) {
				uint32_t t = d->next[(size_t)i * d->n_labels + l];

				if (t != NONE && live[t]) {
					live[i] = true;
					changed = true;
				}
			}
	}
	return live;
}

/* Moore refinement: class[] of equivalent states (dead targets count as NONE). */
static uint32_t *minimise(const struct dfa *d, const bool *live)
{
	uint32_t *cls = calloc(d->n + 1, sizeof(*cls)), *nc = calloc(d->n + 1, sizeof(*nc));
	uint32_t n_cls = 0;

	if (!cls || !nc) {
		free(cls);
		free(nc);
		return NULL;
	}
	for (uint32_t i = 0; i < d->n; i++)
		cls[i] = d->exit[i];
	for (;;) {
		uint32_t n_new = 0;

		for (uint32_t i = 0; i < d->n; i++) {
			nc[i] = NONE;
			for (uint32_t j = 0; j < i && nc[i] == NONE; j++) {
				bool same = cls[i] == cls[j];

				for (uint32_t l = 0; same && l < d->n_labels; l++) {
					uint32_t ti = d->next[(size_t)i * d->n_labels + l];
					uint32_t tj = d->next[(size_t)j * d->n_labels + l];
					uint32_t ci = ti != NONE && live[ti] ? cls[ti] : NONE;
					uint32_t cj = tj != NONE && live[tj] ? cls[tj] : NONE;

					same = ci == cj;
				}
				if (same)
					nc[i] = nc[j];
			}
			if (nc[i] == NONE)
				nc[i] = n_new++;
		}
		memcpy(cls, nc, d->n * sizeof(*cls));
		if (n_new == n_cls)
			break;
		n_cls = n_new;
	}
	free(nc);
	return cls;
}

struct text {
	char *buf;
	size_t len, cap;
	bool oom;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->oom || n < 0)
		return;
	if (!lcg_grow((void **)&t->buf, &t->cap, t->len + (size_t)n + 1, 1, SIZE_MAX)) {
		t->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* Number the classes breadth-first from the entry, labels in sorted order. */
static void emit(const struct dfa *d, const bool *live, const uint32_t *cls, char **labels,
		 struct text *t)
{
	uint32_t *num = malloc((d->n + 1) * sizeof(*num)), *queue = malloc((d->n + 1) * sizeof(*queue));
	uint32_t *rep = malloc((d->n + 1) * sizeof(*rep));
	uint32_t head = 0, tail = 0;

	if (!num || !queue || !rep) {
		t->oom = true;
		goto out;
	}
	for (uint32_t i = 0; i < d->n; i++)
		num[i] = NONE;
	num[cls[0]] = tail;
	rep[tail] = 0;
	queue[tail++] = cls[0];
	put(t, "entry 0\n");
	while (head < tail) {
		uint32_t c = queue[head], r = rep[head];

		head++;
		for (uint32_t l = 0; l < d->n_labels; l++) {
			uint32_t to = d->next[(size_t)r * d->n_labels + l];

			if (to == NONE || !live[to])
				continue;
			if (num[cls[to]] == NONE) {
				num[cls[to]] = tail;
				rep[tail] = to;
				queue[tail++] = cls[to];
			}
			put(t, "%u %s %u\n", num[c], labels[l], num[cls[to]]);
		}
	}
	for (uint32_t k = 0; k < tail; k++)
		if (d->exit[rep[k]])
			put(t, "exit %u\n", k);
out:
	free(num);
	free(queue);
	free(rep);
}

char *canon_text(const struct canon_nfa *a, uint32_t max_states)
{
	struct dfa d = { 0 };
	struct text t = { 0 };
	char **labels = sorted_labels(a, &d.n_labels);
	bool *live = NULL;
	uint32_t *cls = NULL;
	char *out = NULL;

	if (!labels || !determinise(a, labels, &d, max_states))
		goto done;
	live = live_states(&d);
	if (!live)
		goto done;
	if (!live[0]) {
		put(&t, "empty\n");
	} else {
		cls = minimise(&d, live);
		if (!cls)
			goto done;
		emit(&d, live, cls, labels, &t);
	}
	if (!t.oom) {
		out = t.buf;
		t.buf = NULL;
	}
done:
	free(t.buf);
	free(cls);
	free(live);
	free(labels);
	free(d.sets);
	free(d.next);
	free(d.exit);
	return out;
}
