// SPDX-License-Identifier: GPL-2.0
/* nextcalls.c - library calls reachable through call/return events. */
#include <stdlib.h>
#include <string.h>

#include "nextcalls.h"

static bool bit_get(const u64 *set, u32 i)
{
	return set[i / 64] >> (i % 64) & 1;
}

static void bit_set(u64 *set, u32 i)
{
	set[i / 64] |= 1ull << (i % 64);
}

/* a |= b; true when a changed */
static bool bits_or(u64 *a, const u64 *b, u32 words)
{
	bool changed = false;

	for (u32 i = 0; i < words; i++) {
		changed |= (a[i] | b[i]) != a[i];
		a[i] |= b[i];
	}
	return changed;
}

static void visit(struct nextcalls *nc, u32 state, u32 *n_todo)
{
	if (state >= nc->img->n_states || nc->visited[state])
		return;
	nc->visited[state] = 1;
	nc->touched[nc->n_touched++] = state;
	nc->todo[(*n_todo)++] = state;
}

/*
 * One activation: from @start[0..n), the library calls reachable before the
 * next one, into nc->acc (ORed); return whether the activation can return
 * without making one.  Calls are taken from the current site summaries.
 */
static bool walk(struct nextcalls *nc, const u32 *start, u32 n)
{
	const struct lcg_image *img = nc->img;
	u32 n_todo = 0;
	bool returns = false;

	for (u32 i = 0; i < nc->n_touched; i++)
		nc->visited[nc->touched[i]] = 0;
	nc->n_touched = 0;
	for (u32 i = 0; i < n; i++)
		visit(nc, start[i], &n_todo);
	while (n_todo) {
		const struct lcg_img_state *s = &img->states[nc->todo[--n_todo]];

		returns |= (s->flags & LCG_STATE_EXIT) != 0;
		for (u32 e = 0; e < s->n_edges; e++) {
			const struct lcg_img_edge *edge = &img->edges[s->first_edge + e];
			const struct lcg_img_event *ev = &img->events[edge->event];

			if (ev->kind == LCG_EV_LIBCALL) {
				bit_set(nc->acc, edge->event);
			} else if (ev->kind == LCG_EV_PRECALL) {
				bits_or(nc->acc, nc->site_first + (size_t)ev->site * nc->words,
					nc->words);
				if (nc->site_returns[ev->site])
					visit(nc, img->sites[ev->site].ret_state, &n_todo);
			} else {
				visit(nc, edge->target, &n_todo);	/* setjmp's POSTCALL */
			}
		}
	}
	return returns;
}

/* Site summaries: iterate until no site's first calls or return flag grow. */
static void summarise_sites(struct nextcalls *nc)
{
	const struct lcg_image *img = nc->img;
	bool changed = true;

	while (changed) {
		changed = false;
		for (u32 k = 0; k < img->n_sites; k++) {
			u32 d = img->sites[k].dispatch_state;
			bool returns;

			if (d == LCG_NONE)
				continue;
			memset(nc->acc, 0, nc->words * sizeof(u64));
			returns = walk(nc, &d, 1);
			changed |= bits_or(nc->site_first + (size_t)k * nc->words, nc->acc, nc->words);
			if (returns && !nc->site_returns[k]) {
				nc->site_returns[k] = 1;
				changed = true;
			}
		}
	}
}

int nextcalls_init(struct nextcalls *nc, const struct lcg_image *img)
{
	u32 n_ev = img->n_events ? img->n_events : 1, n_st = img->n_states ? img->n_states : 1;

	memset(nc, 0, sizeof(*nc));
	nc->img = img;
	nc->words = (n_ev + 63) / 64;
	nc->site_first = calloc((size_t)(img->n_sites ? img->n_sites : 1) * nc->words, sizeof(u64));
	nc->site_returns = calloc(img->n_sites ? img->n_sites : 1, 1);
	nc->acc = calloc(nc->words, sizeof(u64));
	nc->visited = calloc(n_st, 1);
	nc->todo = calloc(n_st, sizeof(u32));
	nc->touched = calloc(n_st, sizeof(u32));
	nc->in_set = calloc(n_ev, 1);
	nc->set = calloc(n_ev, sizeof(u32));
	if (!nc->site_first || !nc->site_returns || !nc->acc || !nc->visited || !nc->todo ||
	    !nc->touched || !nc->in_set || !nc->set) {
		nextcalls_free(nc);
		return -1;
	}
	summarise_sites(nc);
	return 0;
}

void nextcalls_free(struct nextcalls *nc)
{
	free(nc->site_first);
	free(nc->site_returns);
	free(nc->acc);
	free(nc->visited);
	free(nc->todo);
	free(nc->touched);
	free(nc->in_set);
	free(nc->set);
	memset(nc, 0, sizeof(*nc));
}

/* The states a frontier stands for (a wide one: every target of its event). */
static u32 frontier_states(const struct lcg_image *img, const struct lcg_frontier *f,
			   bool wide, u32 wide_event, const u32 **out)
{
	if (wide && wide_event < img->n_events) {
		const struct lcg_img_evidx *x = &img->evidx[wide_event];

		*out = img->evtargets + x->first;
		return x->count;
	}
	*out = f->s;
	return f->n;
}

void nextcalls_query(struct nextcalls *nc, const struct lcg_monitor *m)
{
	const struct lcg_image *img = nc->img;
	const u32 *states;
	u32 n, depth = m->depth, n_async = m->n_async, ret;
	bool wide = m->flags & LCG_MON_WIDE;

	for (u32 i = 0; i < nc->n_set; i++)
		nc->in_set[nc->set[i]] = 0;
	nc->n_set = 0;
	memset(nc->acc, 0, nc->words * sizeof(u64));
	n = frontier_states(img, &m->front, wide, m->wide_event, &states);
	/* Return through the stack while the activation can end here. */
	while (walk(nc, states, n) && depth) {
		u32 frame = m->stack[--depth];

		if (frame & LCG_FRAME_ASYNC) {
			if (!n_async)
				break;
			n_async--;
			n = frontier_states(img, &m->saved[n_async], m->saved_wide[n_async] != 0,
					    m->saved_wide[n_async], &states);
			continue;
		}
		if (frame >= img->n_sites)
			break;
		ret = img->sites[frame].ret_state;
		states = &ret;
		n = 1;
	}
	/* A signal handler or callback may start anywhere. */
	if (img->hdr->async_state != LCG_NONE && m->n_async < LCG_ASYNC_MAX)
		walk(nc, &img->hdr->async_state, 1);
	for (u32 i = 1; i < img->n_events; i++)
		if (bit_get(nc->acc, i) && img->events[i].kind == LCG_EV_LIBCALL) {
			nc->in_set[i] = 1;
			nc->set[nc->n_set++] = i;
		}
}
