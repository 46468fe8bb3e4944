// SPDX-License-Identifier: GPL-2.0
/*
 * bench_monitor - nanoseconds per event of the monitor step, both modes, on
 * synthetic automata of growing size and long random legal traces.
 *
 * Each figure is also given as a ratio against a baseline measured in the
 * same run (walking the same trace and touching one state per event without
 * the monitor), because absolute times on a shared machine are noisy.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "formats/policy.h"
#include "pda/monitor.h"

#define STATES_PER_PROC 10
#ifndef TRACE_LEN
#define TRACE_LEN (1u << 21)
#endif
#define REPEATS 5

static u64 rng_state = 0x853c49e6748fea9bull;

static u32 rnd(u32 n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (u32)(rng_state % n);
}

static u32 new_event(struct lcg_policy *p, u32 kind, u32 site)
{
	u32 id = lcg_policy_add_event(p, &(struct lcg_event_info){
		.kind = kind, .site = site, .callee = "f", .function = "g" });

	if (id == LCG_NONE) {
		fprintf(stderr, "bench_monitor: out of memory\n");
		exit(1);
	}
	return id;
}

/*
 * PDA: procedures of STATES_PER_PROC states in a chain (the last one an
 * exit, main's last looping back), random branches inside each procedure,
 * and calls only to higher-numbered procedures so every walk terminates.
 */
static void build_pda(struct lcg_policy *p, u32 n_states)
{
	struct lcg_automaton *a = &p->graphs;
	u32 n_procs = n_states / STATES_PER_PROC, i, k;

	p->mode = LCG_MODE_PDA;
	for (i = 0; i < n_procs; i++) {
		u32 proc = lcg_aut_add_proc(a, "p", i ? 0 : LCG_AP_MAIN), prev = a->procs[proc].entry;

		for (k = 1; k < STATES_PER_PROC; k++) {
			u32 s = lcg_aut_add_state(a, proc);

			if (i + 1 < n_procs && rnd(4) == 0) {
				u32 callee = i + 1 + rnd(n_procs - i - 1 < 8 ? n_procs - i - 1 : 8);
				u32 id = a->n_sites;
				struct lcg_site site = {
					.caller = proc, .from = prev, .to = s,
					.callees = &callee, .n_callees = 1,
				};

				site.pre_event = new_event(p, LCG_EV_PRECALL, id);
				site.post_event = new_event(p, LCG_EV_POSTCALL, id);
				lcg_aut_add_site(a, &site);
				lcg_aut_add_edge(a, prev, s, site.pre_event, id);
			} else {
				lcg_aut_add_edge(a, prev, s, new_event(p, LCG_EV_LIBCALL, LCG_NONE), LCG_NONE);
			}
			if (k > 1 && rnd(3) == 0)
				lcg_aut_add_edge(a, prev, a->procs[proc].entry + 1 + rnd(k),
						 new_event(p, LCG_EV_LIBCALL, LCG_NONE), LCG_NONE);
			prev = s;
		}
		if (i)
			lcg_aut_set_exit(a, prev);
		else
			lcg_aut_add_edge(a, prev, a->procs[proc].entry,
					 new_event(p, LCG_EV_LIBCALL, LCG_NONE), LCG_NONE);
	}
}

/* NFA: one procedure, a ring plus random edges whose labels repeat */
static void build_nfa(struct lcg_policy *p, u32 n_states)
{
	struct lcg_automaton *a = &p->nfa;
	u32 proc, i, n_labels = n_states / 2 + 1, first;

	p->mode = LCG_MODE_NFA;
	while (p->n_events < n_labels)
		new_event(p, LCG_EV_LIBCALL, LCG_NONE);
	proc = lcg_aut_add_proc(a, "<program>", LCG_AP_MAIN);
	first = a->procs[proc].entry;
	for (i = 1; i < n_states; i++)
		lcg_aut_add_state(a, proc);
	for (i = 0; i < n_states; i++) {
		lcg_aut_add_edge(a, first + i, first + (i + 1) % n_states, 1 + rnd(n_labels - 1), LCG_NONE);
		if (rnd(2))
			lcg_aut_add_edge(a, first + i, first + rnd(n_states), 1 + rnd(n_labels - 1), LCG_NONE);
	}
}

/* a random legal trace: walk the automaton with an explicit call stack */
static u32 *random_trace(const struct lcg_policy *p, u32 len)
{
	const struct lcg_automaton *a = p->mode == LCG_MODE_NFA ? &p->nfa : &p->graphs;
	u32 *off = calloc(a->n_states + 1, sizeof(u32)), *idx = malloc(a->n_edges * sizeof(u32));
	u32 *trace = malloc(len * sizeof(u32)), *stack = malloc(len * sizeof(u32));
	u32 i, n = 0, depth = 0, s = a->procs[0].entry;

	for (i = 0; i < a->n_edges; i++)
		off[a->edges[i].from + 1]++;
	for (i = 0; i < a->n_states; i++)
		off[i + 1] += off[i];
	for (i = 0; i < a->n_edges; i++)
		idx[off[a->edges[i].from]++] = i;
	for (i = a->n_states; i > 0; i--)
		off[i] = off[i - 1];
	off[0] = 0;
	while (n < len) {
		u32 n_out = off[s + 1] - off[s];
		const struct lcg_edge *e;

		if (depth && (a->states[s].flags & LCG_STATE_EXIT) && (!n_out || rnd(2))) {
			const struct lcg_site *site = &a->sites[stack[--depth]];

			trace[n++] = site->post_event;
			s = site->to;
			continue;
		}
		e = &a->edges[idx[off[s] + rnd(n_out)]];
		trace[n++] = e->event;
		if (e->site != LCG_NONE) {
			stack[depth++] = e->site;
			s = a->procs[a->sites[e->site].callees[0]].entry;
		} else {
			s = e->to;
		}
	}
	free(off);
	free(idx);
	free(stack);
	return trace;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* baseline: the same trace, one dependent load per event, no monitor */
static double time_baseline(const struct lcg_image *img, const u32 *trace, u32 len)
{
	double runs[REPEATS];
	volatile u32 sink = 0;
	int r;

	for (r = 0; r < REPEATS; r++) {
		double t0 = now_ns();
		u32 acc = 0, i;

		for (i = 0; i < len; i++)
			acc = img->states[(trace[i] + acc) % img->n_states].n_edges;
		sink = acc;
		runs[r] = (now_ns() - t0) / len;
	}
	(void)sink;
	return median(runs, REPEATS);
}

static double time_monitor(const struct lcg_image *img, const u32 *trace, u32 len)
{
	double runs[REPEATS];
	struct lcg_monitor m;
	int r;

	for (r = 0; r < REPEATS; r++) {
		double t0;
		u32 i;

		lcg_monitor_init(&m, img);
		t0 = now_ns();
		for (i = 0; i < len; i++) {
			if (lcg_monitor_step(&m, img, trace[i]) != LCG_R_OK) {
				fprintf(stderr, "bench_monitor: legal trace refused at event %u (id %u)\n",
					i, trace[i]);
				exit(1);
			}
		}
		runs[r] = (now_ns() - t0) / len;
	}
	return median(runs, REPEATS);
}

static void bench_one(const char *mode, u32 n_states)
{
	struct lcg_policy p;
	struct lcg_image img;
	char err[256];
	void *buf;
	size_t len;
	u32 *trace;
	double base, mon;

	lcg_policy_init(&p);
	p.event_set = LCG_EVENTS_EFFECTS;
	if (!strcmp(mode, "pda"))
		build_pda(&p, n_states);
	else
		build_nfa(&p, n_states);
	if (lcg_image_build(&p, &buf, &len, err, sizeof(err)) ||
	    lcg_image_validate(&img, buf, len)) {
		fprintf(stderr, "bench_monitor: cannot build the %s image: %s\n", mode, err);
		exit(1);
	}
	trace = random_trace(&p, TRACE_LEN);
	base = time_baseline(&img, trace, TRACE_LEN);
	mon = time_monitor(&img, trace, TRACE_LEN);
	printf("%-4s %8u %10u %9zu %8.1f %8.1f %7.2fx\n", mode, n_states, img.n_states, len, mon,
	       base, mon / base);
	free(trace);
	free(buf);
	lcg_policy_free(&p);
}

int main(int argc, char **argv)
{
	static const u32 sizes[] = { 10, 1000, 100000 };
	unsigned i;

	/* one configuration, e.g. under valgrind --tool=callgrind for instruction counts */
	if (argc == 3) {
		printf("mode   states  img-states  img-bytes  ns/event  base-ns  ratio\n");
		bench_one(argv[1], (u32)strtoul(argv[2], NULL, 10));
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: bench_monitor [pda|nfa STATES]\n");
		return 2;
	}

	printf("monitor step, median of %d runs over a random legal trace of %u events\n",
	       REPEATS, TRACE_LEN);
	printf("per-task monitor state: %zu bytes (fixed: independent of the policy's size)\n\n",
	       sizeof(struct lcg_monitor));
	printf("mode   states  img-states  img-bytes  ns/event  base-ns  ratio\n");
	for (i = 0; i < 3; i++) {
		bench_one("nfa", sizes[i]);
		bench_one("pda", sizes[i] < STATES_PER_PROC ? STATES_PER_PROC : sizes[i]);
	}
	return 0;
}
