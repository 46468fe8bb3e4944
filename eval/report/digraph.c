// SPDX-License-Identifier: GPL-2.0
/* digraph.c - the previous-call -> next-call model from a policy image. */
#include <stdlib.h>
#include <string.h>

#include "digraph.h"
#include "formats/grow.h"

/* Add the events of @state's edges to out[0..*n). */
static void add_state_events(const struct lcg_image *img, u32 state, u8 *mark, u32 *out, u32 *n)
{
	const struct lcg_img_state *s = &img->states[state];

	for (u32 e = 0; e < s->n_edges; e++) {
		u32 b = img->edges[s->first_edge + e].event;

		if (!mark[b]) {
			mark[b] = 1;
			out[(*n)++] = b;
		}
	}
}

/* Can a signal handler or callback end in @state?  Then anything may follow. */
static bool ends_async_entry(const struct lcg_image *img, u32 state)
{
	const struct lcg_img_state *s = &img->states[state];

	return (s->flags & LCG_STATE_EXIT) && (img->procs[s->proc].flags & LCG_PROC_ASYNC);
}

static u32 all_events(const struct lcg_image *img, u8 *mark, u32 *out)
{
	u32 n = 0;

	for (u32 i = 1; i < img->n_events; i++) {
		mark[i] = 0;
		if (img->events[i].kind == LCG_EV_LIBCALL)
			out[n++] = i;
	}
	return n;
}

/*
 * Events of the edges leaving the states @ev's edges enter, into @out; plus
 * the first events of asynchronous entries (signal handlers, callbacks),
 * which the automata accept anywhere, so that the digraph is never stricter
 * than the automaton it was built from.  The digraph does not know where a
 * handler interrupted the program: after a handler's last call, any call.
 */
static u32 successors(const struct lcg_image *img, u32 ev, u8 *mark, u32 *out)
{
	const struct lcg_img_evidx *x = &img->evidx[ev];
	u32 n = 0;

	for (u32 i = 0; i < x->count; i++) {
		u32 t = img->evtargets[x->first + i];

		add_state_events(img, t, mark, out, &n);
		if (ends_async_entry(img, t))
			return all_events(img, mark, out);
	}
	if (img->hdr->async_state != LCG_NONE)
		add_state_events(img, img->hdr->async_state, mark, out, &n);
	for (u32 i = 0; i < n; i++)
		mark[out[i]] = 0;
	return n;
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

int digraph_build(struct digraph *d, const struct lcg_image *img)
{
	u32 n = img->n_events, total = 0, cap = 0;
	u8 *mark = calloc(n ? n : 1, 1);
	u32 *tmp = calloc(n ? n : 1, sizeof(u32));
	struct lcg_monitor m;

	memset(d, 0, sizeof(*d));
	d->n_events = n;
	d->first = calloc(n + 1, sizeof(u32));
	d->start = calloc(n ? n : 1, sizeof(u32));
	if (!mark || !tmp || !d->first || !d->start)
		goto oom;
	for (u32 a = 0; a < n; a++) {
		u32 k = a ? successors(img, a, mark, tmp) : 0;

		if (!lcg_grow32((void **)&d->next, &cap, total + k, sizeof(u32), LCG_GROW_MAX32))
			goto oom;
		qsort(tmp, k, sizeof(u32), cmp_u32);
		memcpy(d->next + total, tmp, k * sizeof(u32));
		d->first[a] = total;
		total += k;
	}
	d->first[n] = total;
	lcg_monitor_init(&m, img);
	d->n_start = lcg_monitor_allowed(&m, img, d->start, n);
	free(mark);
	free(tmp);
	return 0;
oom:
	free(mark);
	free(tmp);
	digraph_free(d);
	return -1;
}

void digraph_free(struct digraph *d)
{
	free(d->first);
	free(d->next);
	free(d->start);
	memset(d, 0, sizeof(*d));
}

u32 digraph_count(const struct digraph *d, u32 prev)
{
	if (!prev || prev >= d->n_events)
		return d->n_start;
	return d->first[prev + 1] - d->first[prev];
}

bool digraph_allows(const struct digraph *d, u32 prev, u32 ev)
{
	const u32 *set = prev && prev < d->n_events ? d->next + d->first[prev] : d->start;
	u32 n = digraph_count(d, prev);

	return bsearch(&ev, set, n, sizeof(u32), cmp_u32) != NULL;
}
