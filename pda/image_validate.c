// SPDX-License-Identifier: GPL-2.0
/*
 * image_validate.c - bounds-check a compact image before anyone uses it.
 *
 * Freestanding, compiled into lcg.ko and the user-space tools.  The kernel
 * gets images from user space, so this checks every count, offset and index
 * the monitor will follow, and the invariants the monitor relies on (sorted
 * edges, pins and callees, procedures owning contiguous states, events
 * matching their sites, an event index that is exactly the targets of each
 * event's edges).
 *
 * Bounded work: the ranges that states, sites, events and the event index
 * hold into the edge, callee, pin and event-target sections must partition
 * those sections in order, so that every loop here visits each element once
 * (overlapping ranges would otherwise let a 64 MiB image ask for ~10^12
 * steps).  Every LCG_VALIDATE_STRIDE elements it calls lcg_cond_resched():
 * in the kernel it runs in process context (a configfs write), with no lock
 * of lcg's held.  The only allocation is a bitmap over the event targets.
 */
#include "image.h"
#include "limits.h"
#include "sensitive.h"

struct sec_rule {
	u32 elem_size;
	u32 max_count;
};

static const struct sec_rule sec_rules[LCG_SEC_COUNT] = {
	[LCG_SEC_STATES] = { sizeof(struct lcg_img_state), LCG_MAX_STATES },
	[LCG_SEC_EDGES] = { sizeof(struct lcg_img_edge), LCG_MAX_EDGES },
	[LCG_SEC_PROCS] = { sizeof(struct lcg_img_proc), LCG_MAX_PROCS },
	[LCG_SEC_SITES] = { sizeof(struct lcg_img_site), LCG_MAX_SITES },
	[LCG_SEC_CALLEES] = { sizeof(u32), LCG_MAX_CALLEES },
	[LCG_SEC_EVENTS] = { sizeof(struct lcg_img_event), LCG_MAX_EVENTS },
	[LCG_SEC_PINS] = { sizeof(u64), LCG_MAX_PINS },
	[LCG_SEC_EVIDX] = { sizeof(struct lcg_img_evidx), LCG_MAX_EVENTS },
	[LCG_SEC_EVTARGETS] = { sizeof(u32), LCG_MAX_EDGES },
	[LCG_SEC_STRTAB] = { 1, LCG_MAX_STRTAB },
	[LCG_SEC_RAW_PINS] = { sizeof(u64), LCG_MAX_RAW_PINS },
};

static const char *check_header(const struct lcg_img_header *h, u64 len)
{
	if (h->magic != LCG_IMAGE_MAGIC)
		return "bad magic: not an lcg image";
	if (h->version != LCG_IMAGE_VERSION)
		return "unsupported image version";
	if (h->size != len)
		return "header size does not match the image length";
	if (h->mode != LCG_MODE_PDA && h->mode != LCG_MODE_NFA)
		return "unknown mode";
	if (h->event_set < LCG_EVENTS_EFFECTS || h->event_set > LCG_EVENTS_ALL_LIBC)
		return "unknown event set";
	if ((h->flags & ~LCG_IMG_ALL_FLAGS) || h->pad)
		return "reserved header bits set";
	return NULL;
}

static const char *map_sections(struct lcg_image *img, const u8 *base, u64 len)
{
	const struct lcg_img_header *h = img->hdr;
	const void *p[LCG_SEC_COUNT];
	int i;

	for (i = 0; i < LCG_SEC_COUNT; i++) {
		const struct lcg_img_section *s = &h->sec[i];

		if (s->off % 8 || s->off < sizeof(*h))
			return "section offset misaligned or inside the header";
		if (s->count > sec_rules[i].max_count)
			return "section count beyond its limit";
		if (!lcg_span_ok(s->off, s->count, sec_rules[i].elem_size, len))
			return "section runs past the end of the image";
		p[i] = base + s->off;
	}
	img->states = p[LCG_SEC_STATES];
	img->edges = p[LCG_SEC_EDGES];
	img->procs = p[LCG_SEC_PROCS];
	img->sites = p[LCG_SEC_SITES];
	img->callees = p[LCG_SEC_CALLEES];
	img->events = p[LCG_SEC_EVENTS];
	img->pins = p[LCG_SEC_PINS];
	img->evidx = p[LCG_SEC_EVIDX];
	img->evtargets = p[LCG_SEC_EVTARGETS];
	img->strtab = p[LCG_SEC_STRTAB];
	img->raw_pins = p[LCG_SEC_RAW_PINS];
	img->n_states = h->sec[LCG_SEC_STATES].count;
	img->n_edges = h->sec[LCG_SEC_EDGES].count;
	img->n_procs = h->sec[LCG_SEC_PROCS].count;
	img->n_sites = h->sec[LCG_SEC_SITES].count;
	img->n_callees = h->sec[LCG_SEC_CALLEES].count;
	img->n_events = h->sec[LCG_SEC_EVENTS].count;
	img->n_pins = h->sec[LCG_SEC_PINS].count;
	img->n_evtargets = h->sec[LCG_SEC_EVTARGETS].count;
	img->strtab_size = h->sec[LCG_SEC_STRTAB].count;
	img->n_raw_pins = h->sec[LCG_SEC_RAW_PINS].count;
	return NULL;
}

/* offers to reschedule every LCG_VALIDATE_STRIDE elements */
static inline void tick(u32 *t)
{
	if (++*t >= LCG_VALIDATE_STRIDE) {
		*t = 0;
		lcg_cond_resched();
	}
}

static const char *check_strtab(const struct lcg_image *img)
{
	if (!img->strtab_size || img->strtab[0] || img->strtab[img->strtab_size - 1])
		return "string table must start and end with a NUL byte";
	return NULL;
}

static bool span_in_range(u32 first, u32 count, u32 total)
{
	return first <= total && count <= total - first;
}

static bool state_in_proc(const struct lcg_image *img, u32 s, u32 proc)
{
	const struct lcg_img_proc *p = &img->procs[proc];

	return s >= p->first_state && s - p->first_state < p->n_states;
}

static const char *check_procs(const struct lcg_image *img)
{
	u32 i, next = 0, t = 0;

	if (!img->n_procs || img->procs[0].flags != LCG_PROC_DISPATCH)
		return "proc 0 must be the dispatcher";
	for (i = 0; i < img->n_procs; i++) {
		const struct lcg_img_proc *p = &img->procs[i];

		tick(&t);
		if (p->first_state != next || !p->n_states ||
		    !span_in_range(p->first_state, p->n_states, img->n_states))
			return "procedures must own contiguous, non-empty state ranges";
		next = p->first_state + p->n_states;
		if (!state_in_proc(img, p->entry, i))
			return "procedure entry outside its states";
		if ((p->flags & ~LCG_PROC_ALL_FLAGS) || (i && (p->flags & LCG_PROC_DISPATCH)))
			return "bad procedure flags";
		if (p->name >= img->strtab_size || p->pad)
			return "bad procedure name";
	}
	if (next != img->n_states)
		return "states not covered by procedures";
	return NULL;
}

/* The position of @target among @event's targets in the event index, or LCG_NONE. */
static u32 index_find(const struct lcg_image *img, u32 event, u32 target)
{
	const struct lcg_img_evidx *x = &img->evidx[event];
	u32 lo = 0, hi = x->count;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2, v = img->evtargets[x->first + mid];

		if (v == target)
			return x->first + mid;
		if (v < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	return LCG_NONE;
}

/*
 * @seen: one bit per event target, set when an edge enters it; every bit
 * must be set at the end (the index holds nothing an edge does not enter).
 */
static const char *check_state_edges(const struct lcg_image *img, u32 s, u32 proc, u32 *seen,
				      u32 *t)
{
	const struct lcg_img_state *st = &img->states[s];
	u32 i, prev_ev = 0, prev_to = 0, pos;

	for (i = 0; i < st->n_edges; i++) {
		const struct lcg_img_edge *e = &img->edges[st->first_edge + i];

		tick(t);
		if (!e->event || e->event >= img->n_events ||
		    img->events[e->event].kind == LCG_EV_UNUSED)
			return "edge labelled with an unknown event";
		if (e->target >= img->n_states)
			return "edge target out of range";
		if (proc && !state_in_proc(img, e->target, proc))
			return "edge leaves its procedure";
		if (i && (e->event < prev_ev || (e->event == prev_ev && e->target <= prev_to)))
			return "edges of a state not sorted by event";
		prev_ev = e->event;
		prev_to = e->target;
		pos = index_find(img, e->event, e->target);
		if (pos == LCG_NONE)
			return "event index lacks a target of the event's edges";
		seen[pos / 32] |= 1u << (pos % 32);
	}
	return NULL;
}

static const char *check_states(const struct lcg_image *img)
{
	const char *why = NULL;
	u32 s, i, proc = 0, next = 0, t = 0, *seen = NULL;

	if (img->n_evtargets) {
		seen = lcg_zalloc(((size_t)img->n_evtargets + 31) / 32 * sizeof(u32));
		if (!seen)
			return "out of memory while validating the event index";
	}
	for (s = 0; !why && s < img->n_states; s++) {
		const struct lcg_img_state *st = &img->states[s];

		tick(&t);
		while (!state_in_proc(img, s, proc))
			proc++;
		if (st->proc != proc)
			why = "state names the wrong procedure";
		else if (st->flags & ~LCG_STATE_EXIT)
			why = "bad state flags";
		else if (!span_in_range(st->first_edge, st->n_edges, img->n_edges))
			why = "state edges out of range";
		else if (st->first_edge != next)
			why = "state edge ranges must partition the edges in order";
		else if (st->n_edges > LCG_MAX_STATE_EDGES)
			why = "state has more edges than LCG_MAX_STATE_EDGES";
		else
			why = check_state_edges(img, s, proc, seen, &t);
		next = st->first_edge + st->n_edges;
	}
	if (!why && next != img->n_edges)
		why = "state edge ranges must partition the edges in order";
	for (i = 0; !why && i < img->n_evtargets; i++) {
		tick(&t);
		if (!(seen[i / 32] & (1u << (i % 32))))
			why = "event index names a target no edge of the event enters";
	}
	lcg_free(seen);
	return why;
}

static bool dispatch_state_ok(const struct lcg_image *img, u32 s, bool optional)
{
	if (s == LCG_NONE)
		return optional;
	return state_in_proc(img, s, 0);
}

static const char *check_site(const struct lcg_image *img, u32 k, u32 *next_callee, u32 *t)
{
	const struct lcg_img_site *s = &img->sites[k];
	bool setjmp = s->flags & LCG_SITE_SETJMP;
	u32 i;

	if (!s->caller || s->caller >= img->n_procs)
		return "site caller out of range";
	if (s->flags & ~LCG_SITE_ALL_FLAGS)
		return "bad site flags";
	if (!state_in_proc(img, s->ret_state, s->caller))
		return "site return state outside its caller";
	if (setjmp ? (s->pre_event || s->dispatch_state != LCG_NONE)
		   : (!s->pre_event || !dispatch_state_ok(img, s->dispatch_state, false)))
		return "site events or dispatcher state inconsistent with its kind";
	if (s->pre_event && (s->pre_event >= img->n_events ||
			     img->events[s->pre_event].kind != LCG_EV_PRECALL ||
			     img->events[s->pre_event].site != k))
		return "site PRECALL event does not point back to the site";
	if (!s->post_event || s->post_event >= img->n_events ||
	    img->events[s->post_event].kind != LCG_EV_POSTCALL ||
	    img->events[s->post_event].site != k)
		return "site POSTCALL event does not point back to the site";
	if (!span_in_range(s->first_callee, s->n_callees, img->n_callees))
		return "site callees out of range";
	if (s->first_callee != *next_callee)
		return "site callee ranges must partition the callees in order";
	if (s->n_callees > LCG_MAX_SITE_CALLEES)
		return "site has more callees than LCG_MAX_SITE_CALLEES";
	*next_callee += s->n_callees;
	for (i = 0; i < s->n_callees; i++) {
		u32 c = img->callees[s->first_callee + i];

		tick(t);
		if (c >= img->n_procs)
			return "callee out of range";
		/* the monitor searches them */
		if (i && c <= img->callees[s->first_callee + i - 1])
			return "site callees not sorted and distinct";
	}
	return NULL;
}

static const char *check_sites(const struct lcg_image *img)
{
	const char *why;
	u32 k, next = 0, t = 0;

	for (k = 0; k < img->n_sites; k++) {
		tick(&t);
		why = check_site(img, k, &next, &t);
		if (why)
			return why;
	}
	if (next != img->n_callees)
		return "site callee ranges must partition the callees in order";
	return NULL;
}

/* an event's pins: sorted and distinct, since the monitor searches them */
static const char *check_event_pins(const struct lcg_image *img, const struct lcg_img_event *ev,
				    u32 *t)
{
	u32 i;

	if (ev->n_pins > LCG_MAX_EVENT_PINS)
		return "event has more pins than LCG_MAX_EVENT_PINS";
	for (i = 1; i < ev->n_pins; i++) {
		tick(t);
		if (img->pins[ev->first_pin + i] <= img->pins[ev->first_pin + i - 1])
			return "event pins not sorted and distinct";
	}
	return NULL;
}

/* an event's entry of the event index: in range, sorted, distinct (searched) */
static const char *check_event_index(const struct lcg_image *img, u32 e, u32 *t)
{
	const struct lcg_img_evidx *x = &img->evidx[e];
	u32 i;

	if (x->count > LCG_MAX_EVENT_TARGETS)
		return "event has more targets than LCG_MAX_EVENT_TARGETS";
	if (img->events[e].kind == LCG_EV_POSTCALL &&
	    (img->sites[img->events[e].site].flags & LCG_SITE_SETJMP) && x->count > LCG_MAX_LANDINGS)
		return "setjmp site has more returns than LCG_MAX_LANDINGS";
	for (i = 0; i < x->count; i++) {
		u32 s = img->evtargets[x->first + i];

		tick(t);
		if (s >= img->n_states)
			return "event target out of range";
		if (i && s <= img->evtargets[x->first + i - 1])
			return "event targets not sorted and distinct";
	}
	return NULL;
}

static const char *check_events(const struct lcg_image *img)
{
	u32 i, next_pin = 0, next_target = 0, t = 0;
	const char *why;

	if (!img->n_events || img->events[0].kind != LCG_EV_UNUSED)
		return "event 0 is reserved";
	for (i = 0; i < img->n_events; i++) {
		const struct lcg_img_event *ev = &img->events[i];
		const struct lcg_img_evidx *x = &img->evidx[i];
		bool call = ev->kind == LCG_EV_PRECALL || ev->kind == LCG_EV_POSTCALL;

		tick(&t);
		if (ev->kind > LCG_EV_POSTCALL)
			return "unknown event kind";
		if (call ? ev->site >= img->n_sites : ev->site != LCG_NONE)
			return "event site out of range";
		if (call && (ev->kind == LCG_EV_PRECALL ? img->sites[ev->site].pre_event
							 : img->sites[ev->site].post_event) != i)
			return "event and site disagree";
		if (!span_in_range(ev->first_pin, ev->n_pins, img->n_pins))
			return "event pins out of range";
		if (ev->first_pin != next_pin)
			return "event pin ranges must partition the pins in order";
		next_pin += ev->n_pins;
		why = check_event_pins(img, ev, &t);
		if (why)
			return why;
		if ((ev->classes & ~LCG_SC_ALL) || ev->pad)
			return "event classes hold unknown bits";
		if (ev->classes && ev->kind != LCG_EV_LIBCALL)
			return "only LIBCALL events arm classes";
		if (ev->callee >= img->strtab_size || ev->function >= img->strtab_size ||
		    ev->file >= img->strtab_size)
			return "event string out of range";
		if (!span_in_range(x->first, x->count, img->n_evtargets))
			return "event index out of range";
		if (x->first != next_target)
			return "event index ranges must partition the event targets in order";
		next_target += x->count;
		why = check_event_index(img, i, &t);
		if (why)
			return why;
	}
	if (next_pin != img->n_pins)
		return "event pin ranges must partition the pins in order";
	if (next_target != img->n_evtargets)
		return "event index ranges must partition the event targets in order";
	return NULL;
}

/* binary search in the monitor relies on it */
static const char *check_raw_pins(const struct lcg_image *img)
{
	u32 i, t = 0;

	for (i = 1; i < img->n_raw_pins; i++) {
		tick(&t);
		if (img->raw_pins[i] <= img->raw_pins[i - 1])
			return "raw system call pins not sorted and distinct";
	}
	return NULL;
}

const char *lcg_image_validate(struct lcg_image *img, const void *buf, u64 len)
{
	const char *why;

	lcg_memset(img, 0, sizeof(*img));
	if (!buf || len < sizeof(struct lcg_img_header))
		return "image shorter than its header";
	if ((unsigned long)buf % 8)
		return "image buffer not 8-byte aligned";
	if (len > LCG_IMAGE_MAX_BYTES)
		return "image larger than LCG_IMAGE_MAX_BYTES";
	img->hdr = buf;
	why = check_header(img->hdr, len);
	if (!why)
		why = map_sections(img, buf, len);
	if (!why && img->hdr->sec[LCG_SEC_EVIDX].count != img->n_events)
		why = "event index does not cover every event";
	if (!why)
		why = check_strtab(img);
	if (!why)
		why = check_procs(img);
	if (!why)
		why = check_events(img);
	if (!why)
		why = check_raw_pins(img);
	if (!why)
		why = check_sites(img);
	if (!why)
		why = check_states(img);
	if (!why && (!dispatch_state_ok(img, img->hdr->root_state, false) ||
		     !dispatch_state_ok(img, img->hdr->thread_state, true) ||
		     !dispatch_state_ok(img, img->hdr->async_state, true)))
		why = "start states must be dispatcher states";
	if (why)
		lcg_memset(img, 0, sizeof(*img));
	return why;
}
