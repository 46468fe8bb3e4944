// SPDX-License-Identifier: GPL-2.0
/*
 * compile.c - dispatcher, epsilon closures and determinisation (user space).
 *
 * Working numbering: dispatcher states first (root, thread, async, one per
 * call site), then the input's states shifted by ->base.  Procedures are
 * shifted by one so that the dispatcher is procedure 0.
 */
#define _GNU_SOURCE
#include "compile.h"
#include "../pda/limits.h"
#include "grow.h"

struct vec {
	u32 *v;
	u32 n, cap;
};

static bool vec_push(struct vec *x, u32 val)
{
	if (!lcg_grow32((void **)&x->v, &x->cap, x->n + 1, sizeof(*x->v),
			LCG_GROW_MAX32))
		return false;
	x->v[x->n++] = val;
	return true;
}

/* compressed adjacency: edges of s are [off[s], off[s + 1]) */
struct csr {
	u32 *off;
	u32 *ev;	/* NULL for epsilon adjacency */
	u32 *to;
};

static void csr_free(struct csr *c)
{
	free(c->off);
	free(c->ev);
	free(c->to);
	lcg_memset(c, 0, sizeof(*c));
}

struct work {
	u32 n_states, n_procs, base;
	u32 *proc;
	u8 *exit;
	struct vec lfrom, lev, lto;	/* labelled edges, as lists */
	struct vec efrom, eto;		/* epsilon edges */
	struct csr lab, eps, fre;	/* fre: epsilon-free */
	u8 *fexit;
	u8 *reach;
	u32 *map;			/* working state -> output state */
	u32 root, thread, async;
	u32 *site_dispatch;
};

static int csr_build(struct csr *c, u32 n, const struct vec *from, const struct vec *ev,
		     const struct vec *to)
{
	u32 *fill, i;

	c->off = calloc((size_t)n + 1, sizeof(u32));
	c->to = malloc(((size_t)to->n + 1) * sizeof(u32));
	c->ev = ev ? malloc(((size_t)to->n + 1) * sizeof(u32)) : NULL;
	fill = calloc((size_t)n + 1, sizeof(u32));
	if (!c->off || !c->to || (ev && !c->ev) || !fill) {
		free(fill);
		return -1;
	}
	for (i = 0; i < from->n; i++)
		c->off[from->v[i] + 1]++;
	for (i = 0; i < n; i++)
		c->off[i + 1] += c->off[i];
	for (i = 0; i < from->n; i++) {
		u32 s = from->v[i], at = c->off[s] + fill[s]++;

		c->to[at] = to->v[i];
		if (ev)
			c->ev[at] = ev->v[i];
	}
	free(fill);
	return 0;
}

static bool add_eps(struct work *w, u32 from, u32 to)
{
	return vec_push(&w->efrom, from) && vec_push(&w->eto, to);
}

static bool add_lab(struct work *w, u32 from, u32 ev, u32 to)
{
	return vec_push(&w->lfrom, from) && vec_push(&w->lev, ev) && vec_push(&w->lto, to);
}

static bool any_proc_with(const struct lcg_automaton *in, u32 flags)
{
	u32 i;

	for (i = 0; i < in->n_procs; i++)
		if (in->procs[i].flags & flags)
			return true;
	return false;
}

/* epsilon edges from dispatcher state @d to the entries of procs with @flags */
static bool link_entries(struct work *w, const struct lcg_automaton *in, u32 d, u32 flags)
{
	u32 i;

	for (i = 0; i < in->n_procs; i++)
		if ((in->procs[i].flags & flags) && !add_eps(w, d, in->procs[i].entry + w->base))
			return false;
	return true;
}

static int build_work(struct work *w, const struct lcg_automaton *in, const char **err)
{
	u32 i, n_disp = 1;

	w->thread = w->async = LCG_NONE;
	w->root = 0;
	if (any_proc_with(in, LCG_AP_THREAD_ENTRY))
		w->thread = n_disp++;
	if (any_proc_with(in, LCG_AP_ASYNC))
		w->async = n_disp++;
	w->site_dispatch = malloc(((size_t)in->n_sites + 1) * sizeof(u32));
	if (!w->site_dispatch)
		goto oom;
	for (i = 0; i < in->n_sites; i++)
		w->site_dispatch[i] = in->sites[i].pre_event ? n_disp++ : LCG_NONE;
	w->base = n_disp;
	w->n_states = n_disp + in->n_states;
	w->n_procs = in->n_procs + 1;
	if (w->n_states > LCG_MAX_STATES) {
		*err = "too many states (LCG_MAX_STATES)";
		return -1;
	}
	w->proc = calloc(w->n_states, sizeof(u32));
	w->exit = calloc(w->n_states, 1);
	if (!w->proc || !w->exit)
		goto oom;
	for (i = 0; i < in->n_states; i++) {
		w->proc[w->base + i] = in->states[i].proc + 1;
		w->exit[w->base + i] = !!(in->states[i].flags & LCG_STATE_EXIT);
	}
	if (!link_entries(w, in, w->root, LCG_AP_MAIN))
		goto oom;
	if (w->thread != LCG_NONE && !link_entries(w, in, w->thread, LCG_AP_THREAD_ENTRY))
		goto oom;
	if (w->async != LCG_NONE && !link_entries(w, in, w->async, LCG_AP_ASYNC))
		goto oom;
	for (i = 0; i < in->n_sites; i++) {
		const struct lcg_site *s = &in->sites[i];
		u32 c, d = w->site_dispatch[i];

		if (d == LCG_NONE)
			continue;
		/* no known callee: let the call return rather than raise a false alarm */
		if (!s->n_callees)
			w->exit[d] = 1;
		for (c = 0; c < s->n_callees; c++)
			if (!add_eps(w, d, in->procs[s->callees[c]].entry + w->base))
				goto oom;
	}
	for (i = 0; i < in->n_edges; i++) {
		const struct lcg_edge *e = &in->edges[i];
		bool ok = e->event ? add_lab(w, e->from + w->base, e->event, e->to + w->base)
				   : add_eps(w, e->from + w->base, e->to + w->base);
		if (!ok)
			goto oom;
	}
	if (csr_build(&w->lab, w->n_states, &w->lfrom, &w->lev, &w->lto) ||
	    csr_build(&w->eps, w->n_states, &w->efrom, NULL, &w->eto))
		goto oom;
	return 0;
oom:
	*err = "out of memory while compiling the automaton";
	return -1;
}

struct pair {
	u32 ev, to;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->ev != y->ev)
		return x->ev < y->ev ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

struct pairs {
	struct pair *p;
	u32 n, cap;
	struct pair *tmp;	/* pairs_sort()'s buffer */
	u32 tmp_cap;
};

static void pairs_free(struct pairs *x)
{
	free(x->p);
	free(x->tmp);
}

static bool pairs_push(struct pairs *x, u32 ev, u32 to)
{
	if (!lcg_grow32((void **)&x->p, &x->cap, x->n + 1, sizeof(*x->p),
			LCG_GROW_MAX32))
		return false;
	x->p[x->n].ev = ev;
	x->p[x->n++].to = to;
	return true;
}

static u32 pair_byte(const struct pair *p, u32 b)
{
	return ((b < 4 ? p->to : p->ev) >> (8 * (b & 3))) & 0xff;
}

/*
 * Sort by (ev, to): a least-significant-byte radix sort, skipping the bytes
 * where every pair agrees.  A state's folded closure and a DFA state's
 * targets run to tens of thousands of pairs (gzip's policy spent 80 % of
 * its compilation in qsort).  Small inputs use qsort.
 */
static int pairs_sort(struct pairs *x)
{
	u32 count[256], n = x->n;
	struct pair *src = x->p, *dst;

	if (n < 64) {
		qsort(x->p, n, sizeof(*x->p), cmp_pair);
		return 0;
	}
	if (!lcg_grow32((void **)&x->tmp, &x->tmp_cap, n, sizeof(*x->tmp), LCG_GROW_MAX32))
		return -1;
	dst = x->tmp;
	for (u32 b = 0; b < 8; b++) {
		u32 sum = 0, i;

		lcg_memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[pair_byte(&src[i], b)]++;
		if (count[pair_byte(&src[0], b)] == n)
			continue;
		for (i = 0; i < 256; i++) {
			u32 c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[pair_byte(&src[i], b)]++] = src[i];
		dst = src;
		src = dst == x->p ? x->tmp : x->p;
	}
	if (src != x->p) {
		/* the sorted pairs are in the buffer: swap the two arrays */
		u32 cap = x->cap;

		x->tmp = x->p;
		x->p = src;
		x->cap = x->tmp_cap;
		x->tmp_cap = cap;
	}
	return 0;
}

/* sort and drop duplicates */
static int pairs_unique(struct pairs *x)
{
	u32 i, k = 0;

	if (x->n < 2)
		return 0;
	if (pairs_sort(x))
		return -1;
	for (i = 0; i < x->n; i++)
		if (!k || cmp_pair(&x->p[k - 1], &x->p[i]))
			x->p[k++] = x->p[i];
	x->n = k;
	return 0;
}

/*
 * States the epsilon-free automaton can be in: the dispatcher, entries,
 * return points and targets of labelled edges.  A state reached only through
 * epsilon edges disappears, so its closure is never computed.
 */
static u8 *needed_states(const struct work *w, const struct lcg_automaton *in)
{
	u8 *need = calloc(w->n_states, 1);
	u32 i;

	if (!need)
		return NULL;
	for (i = 0; i < w->base; i++)
		need[i] = 1;
	for (i = 0; i < in->n_procs; i++)
		need[in->procs[i].entry + w->base] = 1;
	for (i = 0; i < in->n_sites; i++)
		need[in->sites[i].to + w->base] = 1;
	for (i = 0; i < w->lto.n; i++)
		need[w->lto.v[i]] = 1;
	return need;
}

/*
 * Fold epsilon closures into the edges: s gets every labelled edge of every
 * state in closure(s), and is an exit if any of them is.
 */
static int eliminate_epsilon(struct work *w, const struct lcg_automaton *in)
{
	struct vec from = {0}, ev = {0}, to = {0}, stack = {0};
	struct pairs out = {0};
	u32 *stamp = calloc(w->n_states, sizeof(u32));
	u8 *need = needed_states(w, in);
	int rc = -1;
	u32 s, i;

	w->fexit = calloc(w->n_states, 1);
	if (!stamp || !need || !w->fexit)
		goto done;
	for (s = 0; s < w->n_states; s++) {
		if (!need[s])
			continue;
		out.n = 0;
		stack.n = 0;
		stamp[s] = s + 1;
		if (!vec_push(&stack, s))
			goto done;
		while (stack.n) {
			u32 q = stack.v[--stack.n];

			w->fexit[s] |= w->exit[q];
			for (i = w->lab.off[q]; i < w->lab.off[q + 1]; i++)
				if (!pairs_push(&out, w->lab.ev[i], w->lab.to[i]))
					goto done;
			for (i = w->eps.off[q]; i < w->eps.off[q + 1]; i++) {
				u32 r = w->eps.to[i];

				if (stamp[r] == s + 1)
					continue;
				stamp[r] = s + 1;
				if (!vec_push(&stack, r))
					goto done;
			}
		}
		if (pairs_unique(&out))
			goto done;
		for (i = 0; i < out.n; i++)
			if (!vec_push(&from, s) || !vec_push(&ev, out.p[i].ev) ||
			    !vec_push(&to, out.p[i].to))
				goto done;
		if (from.n > LCG_MAX_EDGES) {
			rc = -2;
			goto done;
		}
	}
	rc = csr_build(&w->fre, w->n_states, &from, &ev, &to);
done:
	free(stamp);
	free(need);
	free(stack.v);
	pairs_free(&out);
	free(from.v);
	free(ev.v);
	free(to.v);
	return rc;
}

/* states reachable from the dispatcher, every entry and every return point */
static int mark_reachable(struct work *w, const struct lcg_automaton *in)
{
	struct vec q = {0};
	u32 i;
	int rc = -1;

	w->reach = calloc(w->n_states, 1);
	if (!w->reach)
		return -1;
	for (i = 0; i < w->base; i++)
		w->reach[i] = 1;
	for (i = 0; i < in->n_procs; i++)
		w->reach[in->procs[i].entry + w->base] = 1;
	for (i = 0; i < in->n_sites; i++)
		w->reach[in->sites[i].to + w->base] = 1;
	for (i = 0; i < w->n_states; i++)
		if (w->reach[i] && !vec_push(&q, i))
			goto done;
	while (q.n) {
		u32 s = q.v[--q.n];

		for (i = w->fre.off[s]; i < w->fre.off[s + 1]; i++) {
			u32 t = w->fre.to[i];

			if (w->reach[t])
				continue;
			w->reach[t] = 1;
			if (!vec_push(&q, t))
				goto done;
		}
	}
	rc = 0;
done:
	free(q.v);
	return rc;
}

/* ---- output assembly ---- */

struct out {
	struct lcg_automaton *a;
	struct vec efrom, eev, eto;	/* edges in output numbering */
};

static u32 out_state(struct out *o, u32 proc, bool exit)
{
	u32 s = lcg_aut_add_state(o->a, proc);

	if (s != LCG_NONE && exit)
		lcg_aut_set_exit(o->a, s);
	return s;
}

static bool out_edge(struct out *o, u32 from, u32 ev, u32 to)
{
	return vec_push(&o->efrom, from) && vec_push(&o->eev, ev) && vec_push(&o->eto, to);
}

/* ---- subset construction of one procedure ---- */

struct subsets {
	struct vec pool;	/* members of every subset, back to back */
	struct vec start, len;	/* per DFA state */
	u32 *table;		/* open addressing: DFA state + 1, 0 = empty */
	u32 table_size;
};

static u32 hash_set(const u32 *v, u32 n)
{
	u32 h = 2166136261u, i;

	for (i = 0; i < n; i++)
		h = (h ^ v[i]) * 16777619u;
	return h;
}

/* index of the subset @v[0..n) (sorted), adding it if new; LCG_NONE on failure */
static u32 subset_intern(struct subsets *ss, const u32 *v, u32 n, u32 limit, bool *added)
{
	u32 h = hash_set(v, n), slot, id, i;

	*added = false;
	for (slot = h & (ss->table_size - 1);; slot = (slot + 1) & (ss->table_size - 1)) {
		u32 cand = ss->table[slot];

		if (!cand)
			break;
		cand--;
		if (ss->len.v[cand] == n &&
		    !memcmp(&ss->pool.v[ss->start.v[cand]], v, (size_t)n * sizeof(u32)))
			return cand;
	}
	id = ss->start.n;
	if (id >= limit)
		return LCG_NONE;
	if (!vec_push(&ss->start, ss->pool.n) || !vec_push(&ss->len, n))
		return LCG_NONE;
	for (i = 0; i < n; i++)
		if (!vec_push(&ss->pool, v[i]))
			return LCG_NONE;
	ss->table[slot] = id + 1;
	*added = true;
	return id;
}

static void subsets_free(struct subsets *ss)
{
	free(ss->pool.v);
	free(ss->start.v);
	free(ss->len.v);
	free(ss->table);
	lcg_memset(ss, 0, sizeof(*ss));
}

struct dfa_edge {
	u32 from, ev, to;
};

struct dfa {
	struct subsets ss;
	struct dfa_edge *e;
	u32 n_e, cap_e;
};

static bool dfa_edge(struct dfa *d, u32 from, u32 ev, u32 to)
{
	if (!lcg_grow32((void **)&d->e, &d->cap_e, d->n_e + 1, sizeof(*d->e),
			LCG_GROW_MAX32))
		return false;
	d->e[d->n_e].from = from;
	d->e[d->n_e].ev = ev;
	d->e[d->n_e++].to = to;
	return true;
}

/* expand DFA state @id: one edge per event to the subset of all targets */
static int dfa_expand(struct work *w, struct dfa *d, u32 id, u32 limit, struct vec *todo,
		      struct pairs *tmp, struct vec *set)
{
	u32 i, j, k;

	tmp->n = 0;
	for (i = 0; i < d->ss.len.v[id]; i++) {
		u32 s = d->ss.pool.v[d->ss.start.v[id] + i];

		for (j = w->fre.off[s]; j < w->fre.off[s + 1]; j++)
			if (!pairs_push(tmp, w->fre.ev[j], w->fre.to[j]))
				return -1;
	}
	if (pairs_unique(tmp))
		return -1;
	for (i = 0; i < tmp->n; i = k) {
		bool added;
		u32 t;

		set->n = 0;
		for (k = i; k < tmp->n && tmp->p[k].ev == tmp->p[i].ev; k++)
			if (!vec_push(set, tmp->p[k].to))
				return -1;
		t = subset_intern(&d->ss, set->v, set->n, limit, &added);
		if (t == LCG_NONE || !dfa_edge(d, id, tmp->p[i].ev, t))
			return -1;
		if (added && !vec_push(todo, t))
			return -1;
	}
	return 0;
}

/*
 * Seeds of one procedure's subset construction: its entry and return points
 * as singletons, and for each dispatcher state and event the set of targets
 * in this procedure, so that entering a procedure lands on one DFA state.
 */
struct seeds {
	struct vec pool, start, len;
	struct vec group;	/* dispatcher group of each seed, or LCG_NONE */
};

static void seeds_free(struct seeds *sd)
{
	free(sd->pool.v);
	free(sd->start.v);
	free(sd->len.v);
	free(sd->group.v);
}

static bool seed_add(struct seeds *sd, const u32 *v, u32 n, u32 group)
{
	u32 i;

	if (!vec_push(&sd->start, sd->pool.n) || !vec_push(&sd->len, n) ||
	    !vec_push(&sd->group, group))
		return false;
	for (i = 0; i < n; i++)
		if (!vec_push(&sd->pool, v[i]))
			return false;
	return true;
}

/* dispatcher edges grouped by (dispatcher state, event, target procedure) */
struct group {
	u32 d, ev, proc;
	u32 first, n;	/* targets in groups.pool, sorted */
	u32 out;	/* output state when the procedure became a DFA, else LCG_NONE */
};

struct groups {
	struct group *g;
	u32 n;
	struct vec pool;
};

static int cmp_by_proc(const void *a, const void *b, void *ctx)
{
	const struct work *w = ctx;
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	if (w->proc[x] != w->proc[y])
		return w->proc[x] < w->proc[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int build_groups(struct work *w, struct groups *gs)
{
	u32 d, i, j, k, cap = 0;

	for (d = 0; d < w->base; d++)
		cap += w->fre.off[d + 1] - w->fre.off[d];
	gs->g = calloc((size_t)cap + 1, sizeof(*gs->g));
	if (!gs->g)
		return -1;
	for (d = 0; d < w->base; d++) {
		for (i = w->fre.off[d]; i < w->fre.off[d + 1]; i = j) {
			u32 first = gs->pool.n;

			for (j = i; j < w->fre.off[d + 1] && w->fre.ev[j] == w->fre.ev[i]; j++)
				if (!vec_push(&gs->pool, w->fre.to[j]))
					return -1;
			qsort_r(&gs->pool.v[first], j - i, sizeof(u32), cmp_by_proc, w);
			for (k = first; k < gs->pool.n;) {
				struct group *g = &gs->g[gs->n++];

				g->d = d;
				g->ev = w->fre.ev[i];
				g->proc = w->proc[gs->pool.v[k]];
				g->first = k;
				g->out = LCG_NONE;
				while (k < gs->pool.n && w->proc[gs->pool.v[k]] == g->proc)
					k++;
				g->n = k - g->first;
			}
		}
	}
	return 0;
}


static void groups_free(struct groups *gs)
{
	free(gs->g);
	free(gs->pool.v);
}

/* sites by calling procedure and dispatcher groups by target procedure */
struct by_proc_index {
	u32 *site_off, *site;
	u32 *group_off, *group;
};

static int index_build(u32 **off, u32 **items, u32 n_procs, u32 n, const u32 *key)
{
	u32 *fill, i;

	*off = calloc((size_t)n_procs + 1, sizeof(u32));
	*items = malloc(((size_t)n + 1) * sizeof(u32));
	fill = calloc((size_t)n_procs + 1, sizeof(u32));
	if (!*off || !*items || !fill) {
		free(fill);
		return -1;
	}
	for (i = 0; i < n; i++)
		(*off)[key[i] + 1]++;
	for (i = 0; i < n_procs; i++)
		(*off)[i + 1] += (*off)[i];
	for (i = 0; i < n; i++)
		(*items)[(*off)[key[i]] + fill[key[i]]++] = i;
	free(fill);
	return 0;
}

static int by_proc_build(struct by_proc_index *x, const struct work *w,
			 const struct lcg_automaton *in, const struct groups *gs)
{
	u32 *key = malloc(((size_t)(in->n_sites > gs->n ? in->n_sites : gs->n) + 1) * sizeof(u32));
	u32 i;
	int rc;

	if (!key)
		return -1;
	for (i = 0; i < in->n_sites; i++)
		key[i] = in->sites[i].caller + 1;
	rc = index_build(&x->site_off, &x->site, w->n_procs, in->n_sites, key);
	for (i = 0; i < gs->n; i++)
		key[i] = gs->g[i].proc;
	if (!rc)
		rc = index_build(&x->group_off, &x->group, w->n_procs, gs->n, key);
	free(key);
	return rc;
}

static void by_proc_free(struct by_proc_index *x)
{
	free(x->site_off);
	free(x->site);
	free(x->group_off);
	free(x->group);
}

static int collect_seeds(struct work *w, const struct lcg_automaton *in, const struct groups *gs,
			 const struct by_proc_index *x, u32 p, struct seeds *sd)
{
	u32 i, s;

	s = in->procs[p - 1].entry + w->base;
	if (!seed_add(sd, &s, 1, LCG_NONE))
		return -1;
	for (i = x->site_off[p]; i < x->site_off[p + 1]; i++) {
		s = in->sites[x->site[i]].to + w->base;
		if (!seed_add(sd, &s, 1, LCG_NONE))
			return -1;
	}
	for (i = x->group_off[p]; i < x->group_off[p + 1]; i++) {
		const struct group *g = &gs->g[x->group[i]];

		if (!seed_add(sd, &gs->pool.v[g->first], g->n, x->group[i]))
			return -1;
	}
	return 0;
}

/*
 * Determinise from @sd; @ids receives each seed's DFA state.  Return 0 with
 * the DFA in @d, 1 when it would exceed @limit states, -1 on allocation failure.
 */
static int determinise(struct work *w, const struct seeds *sd, u32 limit, struct dfa *d, u32 *ids)
{
	struct vec todo = {0}, set = {0};
	struct pairs tmp = {0};
	u32 i, size = 64;
	int rc = -1;

	while (size < 2 * limit + 2)
		size *= 2;
	d->ss.table = calloc(size, sizeof(u32));
	d->ss.table_size = size;
	if (!d->ss.table)
		return -1;
	for (i = 0; i < sd->start.n; i++) {
		bool added;

		ids[i] = subset_intern(&d->ss, &sd->pool.v[sd->start.v[i]], sd->len.v[i], limit, &added);
		if (ids[i] == LCG_NONE) {
			rc = d->ss.start.n >= limit ? 1 : -1;
			goto done;
		}
		if (added && !vec_push(&todo, ids[i]))
			goto done;
	}
	while (todo.n) {
		if (dfa_expand(w, d, todo.v[--todo.n], limit, &todo, &tmp, &set)) {
			rc = d->ss.start.n >= limit ? 1 : -1;
			goto done;
		}
	}
	rc = 0;
done:
	free(todo.v);
	free(set.v);
	pairs_free(&tmp);
	return rc;
}

static void dfa_free(struct dfa *d)
{
	subsets_free(&d->ss);
	free(d->e);
	lcg_memset(d, 0, sizeof(*d));
}

/* emit procedure @p as its DFA; seeds map to their subsets' states */
static int emit_dfa(struct work *w, struct out *o, u32 p, const struct seeds *sd, const u32 *ids,
		    struct groups *gs, struct dfa *d)
{
	u32 n = d->ss.start.n, first = o->a->n_states, i, j;

	for (i = 0; i < n; i++) {
		bool exit = false;

		for (j = 0; j < d->ss.len.v[i]; j++)
			exit |= w->fexit[d->ss.pool.v[d->ss.start.v[i] + j]];
		if (out_state(o, p, exit) == LCG_NONE)
			return -1;
	}
	for (i = 0; i < d->n_e; i++)
		if (!out_edge(o, first + d->e[i].from, d->e[i].ev, first + d->e[i].to))
			return -1;
	for (i = 0; i < sd->start.n; i++) {
		if (sd->group.v[i] != LCG_NONE)
			gs->g[sd->group.v[i]].out = first + ids[i];
		else
			w->map[sd->pool.v[sd->start.v[i]]] = first + ids[i];
	}
	return 0;
}

/* emit procedure @p as its reachable epsilon-free states */
static int emit_nfa(struct work *w, struct out *o, u32 p, const u32 *members, u32 n)
{
	u32 i, j;

	for (i = 0; i < n; i++) {
		u32 s = out_state(o, p, w->fexit[members[i]]);

		if (s == LCG_NONE)
			return -1;
		w->map[members[i]] = s;
	}
	for (i = 0; i < n; i++) {
		u32 s = members[i];

		for (j = w->fre.off[s]; j < w->fre.off[s + 1]; j++)
			if (!out_edge(o, w->map[s], w->fre.ev[j], w->map[w->fre.to[j]]))
				return -1;
	}
	return 0;
}

static int emit_proc(struct work *w, const struct lcg_automaton *in, struct out *o, u32 p,
		     const struct vec *members, u32 factor, struct groups *gs,
		     const struct by_proc_index *x, u32 *n_det)
{
	struct seeds sd = {0};
	struct dfa d = {0};
	u32 limit, *ids = NULL;
	int rc = -1;

	if (collect_seeds(w, in, gs, x, p, &sd))
		goto done;
	ids = malloc(((size_t)sd.start.n + 1) * sizeof(u32));
	if (!ids)
		goto done;
	limit = members->n * factor;
	if (factor && limit < 8)
		limit = 8;
	if (limit > LCG_DFA_MAX_STATES)
		limit = LCG_DFA_MAX_STATES;
	rc = factor ? determinise(w, &sd, limit, &d, ids) : 1;
	if (rc == 0) {
		rc = emit_dfa(w, o, p, &sd, ids, gs, &d);
		(*n_det)++;
	} else if (rc == 1) {
		rc = emit_nfa(w, o, p, members->v, members->n);
	}
done:
	dfa_free(&d);
	seeds_free(&sd);
	free(ids);
	return rc;
}

/* group reachable working states by procedure (proc 0 excluded) */
static int group_members(struct work *w, struct vec *by_proc)
{
	u32 s;

	for (s = w->base; s < w->n_states; s++)
		if (w->reach[s] && !vec_push(&by_proc[w->proc[s]], s))
			return -1;
	return 0;
}

/* dispatcher edges: one per group into a DFA, else one per target */
static int emit_dispatch_edges(struct work *w, struct out *o, const struct groups *gs)
{
	u32 i, j;

	for (i = 0; i < gs->n; i++) {
		const struct group *g = &gs->g[i];

		if (g->out != LCG_NONE) {
			if (!out_edge(o, g->d, g->ev, g->out))
				return -1;
			continue;
		}
		for (j = 0; j < g->n; j++)
			if (!out_edge(o, g->d, g->ev, w->map[gs->pool.v[g->first + j]]))
				return -1;
	}
	return 0;
}

static int emit_all(struct work *w, const struct lcg_automaton *in, u32 factor,
		    struct lcg_compiled *c)
{
	struct out o = { .a = &c->aut };
	struct vec *by_proc = calloc(w->n_procs, sizeof(*by_proc));
	struct groups gs = {0};
	struct by_proc_index x = {0};
	u32 p, i;
	int rc = -1;

	w->map = malloc((size_t)w->n_states * sizeof(u32));
	if (!by_proc || !w->map || group_members(w, by_proc) || build_groups(w, &gs) ||
	    by_proc_build(&x, w, in, &gs))
		goto done;
	lcg_memset(w->map, 0xff, (size_t)w->n_states * sizeof(u32));
	/* dispatcher: proc 0 keeps its working numbering */
	if (lcg_aut_add_proc(o.a, "<dispatch>", 0) == LCG_NONE)
		goto done;
	if (w->fexit[0])
		lcg_aut_set_exit(o.a, 0);
	for (i = 1; i < w->base; i++)
		if (out_state(&o, 0, w->fexit[i]) == LCG_NONE)
			goto done;
	for (p = 1; p < w->n_procs; p++) {
		if (lcg_aut_add_proc(o.a, in->procs[p - 1].name, in->procs[p - 1].flags) == LCG_NONE)
			goto done;
		/* lcg_aut_add_proc made a placeholder entry state; reuse the slot */
		o.a->n_states--;
		if (emit_proc(w, in, &o, p, &by_proc[p], factor, &gs, &x, &c->n_deterministic))
			goto done;
		o.a->procs[p].entry = w->map[in->procs[p - 1].entry + w->base];
	}
	if (emit_dispatch_edges(w, &o, &gs))
		goto done;
	for (i = 0; i < o.efrom.n; i++)
		if (lcg_aut_add_edge(o.a, o.efrom.v[i], o.eto.v[i], o.eev.v[i], LCG_NONE) == LCG_NONE)
			goto done;
	rc = o.a->oom ? -1 : 0;
done:
	if (by_proc)
		for (p = 0; p < w->n_procs; p++)
			free(by_proc[p].v);
	free(by_proc);
	groups_free(&gs);
	by_proc_free(&x);
	free(o.efrom.v);
	free(o.eev.v);
	free(o.eto.v);
	return rc;
}

static void work_free(struct work *w)
{
	free(w->proc);
	free(w->exit);
	free(w->lfrom.v);
	free(w->lev.v);
	free(w->lto.v);
	free(w->efrom.v);
	free(w->eto.v);
	csr_free(&w->lab);
	csr_free(&w->eps);
	csr_free(&w->fre);
	free(w->fexit);
	free(w->reach);
	free(w->map);
	free(w->site_dispatch);
}

static int fill_sites(struct work *w, const struct lcg_automaton *in, struct lcg_compiled *c)
{
	u32 i;

	c->n_sites = in->n_sites;
	c->site_ret = malloc(((size_t)in->n_sites + 1) * sizeof(u32));
	c->site_dispatch = malloc(((size_t)in->n_sites + 1) * sizeof(u32));
	if (!c->site_ret || !c->site_dispatch)
		return -1;
	for (i = 0; i < in->n_sites; i++) {
		c->site_ret[i] = w->map[in->sites[i].to + w->base];
		c->site_dispatch[i] = w->site_dispatch[i];
	}
	return 0;
}

int lcg_compile(const struct lcg_automaton *in, u32 dfa_factor, struct lcg_compiled *out,
		const char **err)
{
	struct work w = {0};
	int rc = -1;

	lcg_memset(out, 0, sizeof(*out));
	lcg_aut_init(&out->aut);
	if (!any_proc_with(in, LCG_AP_MAIN)) {
		*err = "no procedure is marked as the program entry (main)";
		return -1;
	}
	if (build_work(&w, in, err))
		goto done;
	*err = "out of memory while compiling the automaton";
	rc = eliminate_epsilon(&w, in);
	if (rc == -2)
		*err = "folding epsilon closures exceeds LCG_MAX_EDGES edges";
	if (rc || mark_reachable(&w, in) || emit_all(&w, in, dfa_factor, out) ||
	    fill_sites(&w, in, out)) {
		rc = -1;
		goto done;
	}
	out->root_state = w.root;
	out->thread_state = w.thread;
	out->async_state = w.async;
	*err = NULL;
	rc = 0;
done:
	work_free(&w);
	if (rc)
		lcg_compiled_free(out);
	return rc;
}

void lcg_compiled_free(struct lcg_compiled *c)
{
	lcg_aut_free(&c->aut);
	free(c->site_ret);
	free(c->site_dispatch);
	lcg_memset(c, 0, sizeof(*c));
}
