// SPDX-License-Identifier: GPL-2.0
/* nextcalls.c - library calls reachable through call/return events. */
#include <stdlib.h>
#include <string.h>

#include "nextcalls.h"

#define SEEN_CAP (4 * NEXTCALLS_MAX_CONFIGS)

int nextcalls_init(struct nextcalls *nc, const struct lcg_image *img)
{
	u32 n = img->n_events ? img->n_events : 1;

	memset(nc, 0, sizeof(*nc));
	nc->img = img;
	nc->in_set = calloc(n, 1);
	nc->set = calloc(n, sizeof(u32));
	nc->allowed = calloc(n, sizeof(u32));
	nc->seen_cap = SEEN_CAP;
	nc->seen = calloc(nc->seen_cap, sizeof(u64));
	nc->used = calloc(NEXTCALLS_MAX_CONFIGS + 1, sizeof(u32));
	nc->stack_cap = NEXTCALLS_MAX_CONFIGS;
	nc->stack = calloc(nc->stack_cap, sizeof(*nc->stack));
	if (!nc->in_set || !nc->set || !nc->allowed || !nc->seen || !nc->used || !nc->stack) {
		nextcalls_free(nc);
		return -1;
	}
	return 0;
}

void nextcalls_free(struct nextcalls *nc)
{
	free(nc->in_set);
	free(nc->set);
	free(nc->allowed);
	free(nc->seen);
	free(nc->used);
	free(nc->stack);
	memset(nc, 0, sizeof(*nc));
}

static u64 mix(u64 h, u64 v)
{
	h ^= v;
	return h * 0x100000001b3ull;
}

/* What identifies a configuration: flags, frontier, the whole stack. */
static u64 config_hash(const struct lcg_monitor *m)
{
	u64 h = 0xcbf29ce484222325ull;

	h = mix(h, m->flags);
	h = mix(h, m->wide_event);
	h = mix(h, m->front.n);
	for (u32 i = 0; i < m->front.n && i < LCG_FRONTIER_MAX; i++)
		h = mix(h, m->front.s[i]);
	h = mix(h, m->depth);
	for (u32 i = 0; i < m->depth && i < LCG_STACK_MAX; i++)
		h = mix(h, m->stack[i]);
	h = mix(h, m->n_async);
	return h ? h : 1;
}

/* Mark @h seen; false when it already was. */
static bool first_visit(struct nextcalls *nc, u64 h)
{
	u32 i = (u32)(h % nc->seen_cap);

	while (nc->seen[i]) {
		if (nc->seen[i] == h)
			return false;
		i = (i + 1) % nc->seen_cap;
	}
	nc->seen[i] = h;
	nc->used[nc->n_used++] = i;
	return true;
}

static void add_libcall(struct nextcalls *nc, u32 ev)
{
	if (!nc->in_set[ev]) {
		nc->in_set[ev] = 1;
		nc->set[nc->n_set++] = ev;
	}
}

int nextcalls_query(struct nextcalls *nc, const struct lcg_monitor *m)
{
	const struct lcg_image *img = nc->img;
	u32 top = 0, visited = 1, base_depth = m->depth;
	bool truncated = false;

	for (u32 i = 0; i < nc->n_set; i++)
		nc->in_set[nc->set[i]] = 0;
	nc->n_set = 0;
	for (u32 i = 0; i < nc->n_used; i++)	/* clear only what the last query used */
		nc->seen[nc->used[i]] = 0;
	nc->n_used = 0;
	lcg_monitor_copy(&nc->stack[top++], m);
	first_visit(nc, config_hash(m));
	while (top) {
		struct lcg_monitor cur;
		u32 n;

		lcg_monitor_copy(&cur, &nc->stack[--top]);
		n = lcg_monitor_allowed(&cur, img, nc->allowed, img->n_events);
		for (u32 i = 0; i < n && i < img->n_events; i++) {
			u32 ev = nc->allowed[i];
			struct lcg_monitor *next;

			if (img->events[ev].kind == LCG_EV_LIBCALL) {
				add_libcall(nc, ev);
				continue;
			}
			if (top == nc->stack_cap || visited == NEXTCALLS_MAX_CONFIGS) {
				truncated = true;
				continue;
			}
			next = &nc->stack[top];
			lcg_monitor_copy(next, &cur);
			if (lcg_monitor_step(next, img, ev) != LCG_R_OK)
				continue;
			if (next->depth > base_depth + NEXTCALLS_MAX_PUSH) {
				truncated = true;
				continue;
			}
			if (!first_visit(nc, config_hash(next)))
				continue;
			visited++;
			top++;
		}
	}
	if (truncated)
		nc->truncated++;
	return 0;
}
