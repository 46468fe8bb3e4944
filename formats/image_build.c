// SPDX-License-Identifier: GPL-2.0
/*
 * image_build.c - compile a policy into the compact kernel image.
 *
 * lcg_compile() (formats/compile.c) does the automaton work; this file lays the
 * result out as pda/image.h describes and checks it with the same
 * validator the kernel runs, so that a tool never hands over an image the
 * kernel would refuse.
 */
#include <stdio.h>
#include "policy.h"
#include "compile.h"
#include "../pda/limits.h"
#include "err.h"
#include "grow.h"

struct strtab {
	char *buf;
	u32 len, cap;
	u32 *slots;	/* open addressing: offset + 1, 0 = empty */
	u32 n_slots, used;
};

static u32 str_hash(const char *s)
{
	u32 h = 2166136261u;

	while (*s)
		h = (h ^ (u8)*s++) * 16777619u;
	return h;
}

static bool strtab_grow_slots(struct strtab *t)
{
	u32 n = t->n_slots ? t->n_slots * 2 : 1024, i;
	u32 *slots = calloc(n, sizeof(u32));

	if (!slots)
		return false;
	for (i = 0; i < t->n_slots; i++) {
		u32 off = t->slots[i], j;

		if (!off)
			continue;
		for (j = str_hash(t->buf + off - 1) & (n - 1); slots[j]; j = (j + 1) & (n - 1))
			;
		slots[j] = off;
	}
	free(t->slots);
	t->slots = slots;
	t->n_slots = n;
	return true;
}

/* offset of @s in the table (0 = empty string); LCG_NONE on failure */
static u32 strtab_add(struct strtab *t, const char *s)
{
	u32 n, j, off;

	if (!s || !*s)
		return 0;
	if ((t->used + 1) * 2 > t->n_slots && !strtab_grow_slots(t))
		return LCG_NONE;
	for (j = str_hash(s) & (t->n_slots - 1); t->slots[j]; j = (j + 1) & (t->n_slots - 1))
		if (!strcmp(t->buf + t->slots[j] - 1, s))
			return t->slots[j] - 1;
	n = strlen(s) + 1;
	if (t->len + (u64)n > LCG_MAX_STRTAB)
		return LCG_NONE;
	if (!lcg_grow32((void **)&t->buf, &t->cap, t->len + (u32)n, 1, LCG_MAX_STRTAB))
		return LCG_NONE;
	off = t->len;
	memcpy(t->buf + off, s, n);
	t->len += n;
	t->slots[j] = off + 1;
	t->used++;
	return off;
}

static int strtab_init(struct strtab *t)
{
	memset(t, 0, sizeof(*t));
	t->buf = malloc(4096);
	if (!t->buf)
		return -1;
	t->cap = 4096;
	t->buf[0] = '\0';
	t->len = 1;
	return 0;
}

struct img_edge_rec {
	u32 from, event, target;
};

static int cmp_edge_rec(const void *a, const void *b)
{
	const struct img_edge_rec *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->event != y->event)
		return x->event < y->event ? -1 : 1;
	return x->target < y->target ? -1 : x->target > y->target;
}

/* every section's contents, before layout */
struct parts {
	struct lcg_img_header hdr;
	struct lcg_img_state *states;
	struct lcg_img_edge *edges;
	struct lcg_img_proc *procs;
	struct lcg_img_site *sites;
	u32 *callees;
	struct lcg_img_event *events;
	u64 *pins;
	struct lcg_img_evidx *evidx;
	u32 *evtargets;
	struct strtab str;
	const u64 *raw_pins;	/* the policy's own array */
	u32 n[LCG_SEC_COUNT];
};

static void parts_free(struct parts *p)
{
	free(p->states);
	free(p->edges);
	free(p->procs);
	free(p->sites);
	free(p->callees);
	free(p->events);
	free(p->pins);
	free(p->evidx);
	free(p->evtargets);
	free(p->str.buf);
	free(p->str.slots);
}

static u32 image_proc_flags(u32 ap)
{
	u32 f = 0;

	if (ap & LCG_AP_MAIN)
		f |= LCG_PROC_ROOT;
	if (ap & LCG_AP_ASYNC)
		f |= LCG_PROC_ASYNC;
	if (ap & LCG_AP_THREAD_ENTRY)
		f |= LCG_PROC_THREAD;
	return f;
}

/* states (grouped by procedure already) and sorted, distinct edges */
static int lay_states(struct parts *p, const struct lcg_compiled *c)
{
	const struct lcg_automaton *a = &c->aut;
	struct img_edge_rec *rec = malloc(((size_t)a->n_edges + 1) * sizeof(*rec));
	u32 i, k = 0, e;

	p->states = calloc((size_t)a->n_states + 1, sizeof(*p->states));
	p->edges = malloc(((size_t)a->n_edges + 1) * sizeof(*p->edges));
	if (!rec || !p->states || !p->edges) {
		free(rec);
		return -1;
	}
	for (i = 0; i < a->n_edges; i++) {
		rec[i].from = a->edges[i].from;
		rec[i].event = a->edges[i].event;
		rec[i].target = a->edges[i].to;
	}
	qsort(rec, a->n_edges, sizeof(*rec), cmp_edge_rec);
	for (i = 0, e = 0; i < a->n_states; i++) {
		p->states[i].proc = a->states[i].proc;
		p->states[i].flags = a->states[i].flags & LCG_STATE_EXIT;
		p->states[i].first_edge = k;
		for (; e < a->n_edges && rec[e].from == i; e++) {
			if (k > p->states[i].first_edge && p->edges[k - 1].event == rec[e].event &&
			    p->edges[k - 1].target == rec[e].target)
				continue;
			p->edges[k].event = rec[e].event;
			p->edges[k++].target = rec[e].target;
		}
		p->states[i].n_edges = k - p->states[i].first_edge;
	}
	free(rec);
	p->n[LCG_SEC_STATES] = a->n_states;
	p->n[LCG_SEC_EDGES] = k;
	return 0;
}

static int lay_procs(struct parts *p, const struct lcg_compiled *c)
{
	const struct lcg_automaton *a = &c->aut;
	u32 i;

	p->procs = calloc((size_t)a->n_procs + 1, sizeof(*p->procs));
	if (!p->procs)
		return -1;
	for (i = 0; i < a->n_procs; i++) {
		p->procs[i].first_state = LCG_NONE;
		p->procs[i].entry = a->procs[i].entry;
		p->procs[i].flags = i ? image_proc_flags(a->procs[i].flags) : LCG_PROC_DISPATCH;
		p->procs[i].name = strtab_add(&p->str, a->procs[i].name);
		if (p->procs[i].name == LCG_NONE)
			return -1;
	}
	for (i = 0; i < a->n_states; i++) {
		struct lcg_img_proc *pr = &p->procs[a->states[i].proc];

		if (pr->first_state == LCG_NONE)
			pr->first_state = i;
		pr->n_states++;
	}
	p->n[LCG_SEC_PROCS] = a->n_procs;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* sort @v[0..n) and drop repeats; the new count */
static u32 sort_distinct_u32(u32 *v, u32 n)
{
	u32 i, k = 0;

	qsort(v, n, sizeof(*v), cmp_u32);
	for (i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

static u32 sort_distinct_u64(u64 *v, u32 n)
{
	u32 i, k = 0;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* callees of each site sorted and distinct: the monitor searches them */
static int lay_sites(struct parts *p, const struct lcg_automaton *in, const struct lcg_compiled *c)
{
	u32 i, j, total = 0;

	for (i = 0; i < in->n_sites; i++)
		total += in->sites[i].n_callees;
	p->sites = calloc((size_t)in->n_sites + 1, sizeof(*p->sites));
	p->callees = malloc(((size_t)total + 1) * sizeof(u32));
	if (!p->sites || !p->callees)
		return -1;
	total = 0;
	for (i = 0; i < in->n_sites; i++) {
		const struct lcg_site *s = &in->sites[i];
		struct lcg_img_site *d = &p->sites[i];

		d->caller = s->caller + 1;
		d->pre_event = s->pre_event;
		d->post_event = s->post_event;
		d->ret_state = c->site_ret[i];
		d->dispatch_state = c->site_dispatch[i];
		d->first_callee = total;
		d->flags = s->flags & LCG_SITE_SETJMP;
		for (j = 0; j < s->n_callees; j++)
			p->callees[total + j] = s->callees[j] + 1;
		d->n_callees = sort_distinct_u32(p->callees + total, s->n_callees);
		total += d->n_callees;
	}
	p->n[LCG_SEC_SITES] = in->n_sites;
	p->n[LCG_SEC_CALLEES] = total;
	return 0;
}

static int lay_events(struct parts *p, const struct lcg_policy *pol)
{
	u32 i, j, pins = 0, n_events = pol->n_events ? pol->n_events : 1;

	for (i = 0; i < pol->n_events; i++)
		pins += pol->events[i].n_pins;
	/* event 0 is reserved: even a policy without events has it */
	p->events = calloc((size_t)n_events + 1, sizeof(*p->events));
	p->pins = malloc(((size_t)pins + 1) * sizeof(u64));
	if (!p->events || !p->pins)
		return -1;
	pins = 0;
	for (i = 0; i < pol->n_events; i++) {
		const struct lcg_event_info *e = &pol->events[i];
		struct lcg_img_event *d = &p->events[i];

		d->kind = i ? e->kind : LCG_EV_UNUSED;
		d->site = (d->kind == LCG_EV_PRECALL || d->kind == LCG_EV_POSTCALL) ? e->site : LCG_NONE;
		/* sorted and distinct: the pin check is a binary search */
		d->first_pin = pins;
		for (j = 0; j < e->n_pins; j++)
			p->pins[pins + j] = e->pins[j];
		d->n_pins = sort_distinct_u64(p->pins + pins, e->n_pins);
		pins += d->n_pins;
		d->callee = strtab_add(&p->str, e->callee);
		d->function = strtab_add(&p->str, e->function);
		d->file = strtab_add(&p->str, e->file);
		d->line = e->line;
		d->classes = d->kind == LCG_EV_LIBCALL ? e->classes : 0;
		if (d->callee == LCG_NONE || d->function == LCG_NONE || d->file == LCG_NONE)
			return -1;
	}
	p->n[LCG_SEC_EVENTS] = n_events;
	p->n[LCG_SEC_PINS] = pins;
	return 0;
}

/*
 * Per event: the distinct targets of its edges, sorted (complain-mode
 * resync, wide frontiers).  The entries partition the event targets in event
 * order, empty ones included (the validator checks both).
 */
static int lay_event_index(struct parts *p, u32 n_events)
{
	struct img_edge_rec *rec = malloc(((size_t)p->n[LCG_SEC_EDGES] + 1) * sizeof(*rec));
	u32 i, k = 0, n = 0;

	p->evidx = calloc((size_t)n_events + 1, sizeof(*p->evidx));
	p->evtargets = malloc(((size_t)p->n[LCG_SEC_EDGES] + 1) * sizeof(u32));
	if (!rec || !p->evidx || !p->evtargets) {
		free(rec);
		return -1;
	}
	for (i = 0; i < p->n[LCG_SEC_EDGES]; i++) {
		rec[n].from = p->edges[i].event;
		rec[n].event = 0;
		rec[n++].target = p->edges[i].target;
	}
	qsort(rec, n, sizeof(*rec), cmp_edge_rec);
	for (i = 0; i < n; i++) {
		u32 ev = rec[i].from;

		if (ev >= n_events)
			continue;
		if (i && rec[i - 1].from == ev && rec[i - 1].target == rec[i].target)
			continue;
		p->evidx[ev].count++;
		p->evtargets[k++] = rec[i].target;
	}
	free(rec);
	for (i = 0, n = 0; i < n_events; i++) {
		p->evidx[i].first = n;
		n += p->evidx[i].count;
	}
	p->n[LCG_SEC_EVIDX] = n_events;
	p->n[LCG_SEC_EVTARGETS] = k;
	return 0;
}

static size_t align8(size_t x)
{
	return (x + 7) & ~(size_t)7;
}

static void *emit(struct parts *p, size_t *len)
{
	static const u32 elem[LCG_SEC_COUNT] = {
		sizeof(struct lcg_img_state), sizeof(struct lcg_img_edge),
		sizeof(struct lcg_img_proc), sizeof(struct lcg_img_site), sizeof(u32),
		sizeof(struct lcg_img_event), sizeof(u64), sizeof(struct lcg_img_evidx),
		sizeof(u32), 1, sizeof(u64),
	};
	const void *src[LCG_SEC_COUNT] = {
		p->states, p->edges, p->procs, p->sites, p->callees,
		p->events, p->pins, p->evidx, p->evtargets, p->str.buf, p->raw_pins,
	};
	size_t off = align8(sizeof(p->hdr)), total;
	u8 *buf;
	int i;

	p->n[LCG_SEC_STRTAB] = p->str.len;
	for (i = 0; i < LCG_SEC_COUNT; i++) {
		p->hdr.sec[i].off = off;
		p->hdr.sec[i].count = p->n[i];
		off = align8(off + (size_t)p->n[i] * elem[i]);
	}
	total = off;
	if (total > LCG_IMAGE_MAX_BYTES || posix_memalign((void **)&buf, 8, total))
		return NULL;
	memset(buf, 0, total);
	p->hdr.size = total;
	memcpy(buf, &p->hdr, sizeof(p->hdr));
	for (i = 0; i < LCG_SEC_COUNT; i++)
		if (p->n[i])
			memcpy(buf + p->hdr.sec[i].off, src[i], (size_t)p->n[i] * elem[i]);
	*len = total;
	return buf;
}

static void fill_header(struct parts *p, const struct lcg_policy *pol, const struct lcg_compiled *c)
{
	p->hdr.magic = LCG_IMAGE_MAGIC;
	p->hdr.version = LCG_IMAGE_VERSION;
	p->hdr.mode = pol->mode;
	p->hdr.event_set = pol->event_set;
	p->hdr.flags = pol->has_sha256 ? LCG_IMG_PINNED : 0;
	if (pol->is_static)
		p->hdr.flags |= LCG_IMG_STATIC;
	p->hdr.entry = pol->entry;
	p->hdr.root_state = c->root_state;
	p->hdr.thread_state = c->thread_state;
	p->hdr.async_state = c->async_state;
	if (pol->has_sha256)
		memcpy(p->hdr.sha256, pol->sha256, sizeof(p->hdr.sha256));
}

int lcg_image_build(const struct lcg_policy *pol, void **out, size_t *len, char *err, size_t errlen)
{
	return lcg_image_build_ex(pol, LCG_DFA_FACTOR, out, len, err, errlen);
}

int lcg_image_build_ex(const struct lcg_policy *pol, u32 dfa_factor, void **out, size_t *len,
		       char *err, size_t errlen)
{
	const struct lcg_automaton *in = pol->mode == LCG_MODE_NFA ? &pol->nfa : &pol->graphs;
	struct lcg_compiled c;
	struct parts p;
	struct lcg_image check;
	const char *why;
	char bad[512];
	void *buf = NULL;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	if (lcg_aut_check(in, pol->mode == LCG_MODE_NFA ? "nfa" : "graphs", bad, sizeof(bad))) {
		lcg_errf(err, errlen, "cannot compile the policy automaton: %s", bad);
		return -1;
	}
	if (lcg_compile(in, dfa_factor, &c, &why)) {
		lcg_errf(err, errlen, "cannot compile the policy automaton: %s; analyse the "
			 "program with a smaller inline budget or in %s mode", why,
			 pol->mode == LCG_MODE_NFA ? "PDA" : "NFA");
		return -1;
	}
	if (strtab_init(&p.str) || lay_states(&p, &c) || lay_procs(&p, &c) ||
	    lay_sites(&p, in, &c) || lay_events(&p, pol) || lay_event_index(&p, p.n[LCG_SEC_EVENTS])) {
		lcg_errf(err, errlen, "out of memory (or a limit of pda/limits.h) while laying out the image");
		goto done;
	}
	fill_header(&p, pol, &c);
	p.raw_pins = pol->raw_pins;
	p.n[LCG_SEC_RAW_PINS] = pol->n_raw_pins;
	buf = emit(&p, len);
	if (!buf) {
		lcg_errf(err, errlen, "image larger than LCG_IMAGE_MAX_BYTES, or out of memory");
		goto done;
	}
	why = lcg_image_validate(&check, buf, *len);
	if (why) {
		if (strstr(why, "LCG_MAX_"))
			lcg_errf(err, errlen, "the policy exceeds a limit of pda/limits.h: %s; "
				 "analyse the program with a smaller inline budget or in %s mode",
				 why, pol->mode == LCG_MODE_NFA ? "PDA" : "NFA");
		else
			lcg_errf(err, errlen, "the policy is inconsistent; its image fails validation: %s",
				 why);
		free(buf);
		buf = NULL;
		goto done;
	}
	*out = buf;
done:
	parts_free(&p);
	lcg_compiled_free(&c);
	return buf ? 0 : -1;
}
