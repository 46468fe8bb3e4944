// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - the monitor step, shared by lcg.ko and the user-space tools.
 *
 * Freestanding: everything it needs comes through shim.h.  The image has been
 * validated, so indices read from it are in range; event ids come from the
 * program and are checked here.
 */
#include "monitor.h"

/* the states the frontier stands for: explicit, or every target of wide_event */
static u32 front_states(const struct lcg_monitor *m, const struct lcg_image *img,
			const u32 **states)
{
	if (m->flags & LCG_MON_WIDE) {
		const struct lcg_img_evidx *x = &img->evidx[m->wide_event];

		*states = &img->evtargets[x->first];
		return x->count;
	}
	*states = m->front.s;
	return m->front.n;
}

static void set_single(struct lcg_monitor *m, u32 state)
{
	m->flags &= ~LCG_MON_WIDE;
	m->front.n = 1;
	m->front.s[0] = state;
}

/* first edge of @state labelled @event, or NULL (edges sorted by event) */
static const struct lcg_img_edge *find_edge(const struct lcg_image *img, u32 state, u32 event,
					    const struct lcg_img_edge **end)
{
	const struct lcg_img_state *st = &img->states[state];
	const struct lcg_img_edge *lo = &img->edges[st->first_edge];
	u32 n = st->n_edges;

	*end = lo + n;
	while (n) {
		u32 half = n / 2;

		if (lo[half].event < event) {
			lo += half + 1;
			n -= half + 1;
		} else {
			n = half;
		}
	}
	return (lo < *end && lo->event == event) ? lo : NULL;
}

static bool front_add(struct lcg_frontier *f, u32 s)
{
	u32 i;

	for (i = 0; i < f->n; i++)
		if (f->s[i] == s)
			return true;
	if (f->n == LCG_FRONTIER_MAX)
		return false;
	f->s[f->n++] = s;
	return true;
}

/*
 * advance() for frontiers of several states, or wide ones.  Bounded work
 * (pda/limits.h): at most LCG_MAX_EVENT_TARGETS states, one binary search
 * each, and it stops collecting at the first target that does not fit: the
 * result is then wide whatever the other states hold.
 */
static __attribute__((__noinline__)) bool advance_set(struct lcg_monitor *m,
						  const struct lcg_image *img, u32 event)
{
	struct lcg_frontier next;
	const struct lcg_img_edge *e, *end;
	const u32 *cur;
	bool any = false, overflow = false;
	u32 n, i;

	next.n = 0;
	n = front_states(m, img, &cur);
	for (i = 0; i < n && !overflow; i++) {
		for (e = find_edge(img, cur[i], event, &end); e && e < end && e->event == event; e++) {
			any = true;
			if (!front_add(&next, e->target)) {
				overflow = true;
				break;
			}
		}
	}
	if (!any)
		return false;
	if (overflow) {
		m->flags |= LCG_MON_WIDE;
		m->wide_event = event;
		return true;
	}
	m->flags &= ~LCG_MON_WIDE;
	m->front = next;
	return true;
}

/*
 * Move the frontier over @event.  Return false when no state accepts it (the
 * monitor is unchanged).  A result too large to hold widens the frontier.
 */
static inline bool advance(struct lcg_monitor *m, const struct lcg_image *img, u32 event)
{
	const struct lcg_img_edge *e, *end;

	/* the common case: one state (a DFA procedure), one matching edge */
	if (!(m->flags & LCG_MON_WIDE) && m->front.n == 1) {
		e = find_edge(img, m->front.s[0], event, &end);
		if (!e)
			return false;
		if (e + 1 == end || e[1].event != event) {
			m->front.s[0] = e->target;
			return true;
		}
	}
	return advance_set(m, img, event);
}

static bool can_advance(const struct lcg_monitor *m, const struct lcg_image *img, u32 event)
{
	const struct lcg_img_edge *end;
	const u32 *cur;
	u32 n, i;

	n = front_states(m, img, &cur);
	for (i = 0; i < n; i++)
		if (find_edge(img, cur[i], event, &end))
			return true;
	return false;
}

static bool front_has_exit(const struct lcg_monitor *m, const struct lcg_image *img)
{
	const u32 *cur;
	u32 n, i;

	n = front_states(m, img, &cur);
	for (i = 0; i < n; i++)
		if (img->states[cur[i]].flags & LCG_STATE_EXIT)
			return true;
	return false;
}

/* At LCG_STACK_MAX the oldest entry is forgotten (see limits.h). */
static void drop_oldest(struct lcg_monitor *m)
{
	if (m->stack[0] & LCG_FRAME_ASYNC) {
		lcg_memmove(&m->saved[0], &m->saved[1], (LCG_ASYNC_MAX - 1) * sizeof(m->saved[0]));
		lcg_memmove(&m->saved_wide[0], &m->saved_wide[1],
			    (LCG_ASYNC_MAX - 1) * sizeof(m->saved_wide[0]));
		lcg_memmove(&m->saved_armed[0], &m->saved_armed[1],
			    (LCG_ASYNC_MAX - 1) * sizeof(m->saved_armed[0]));
		m->n_async--;
	}
	lcg_memmove(&m->stack[0], &m->stack[1], (LCG_STACK_MAX - 1) * sizeof(m->stack[0]));
	m->depth--;
	m->forgotten++;
}

static void push(struct lcg_monitor *m, u32 frame)
{
	if (m->depth == LCG_STACK_MAX)
		drop_oldest(m);
	m->stack[m->depth++] = frame;
}

static bool top_is_async(const struct lcg_monitor *m)
{
	return m->depth && (m->stack[m->depth - 1] & LCG_FRAME_ASYNC);
}

/* leave the innermost asynchronous entry; @restore: go back to where it interrupted */
static void pop_async(struct lcg_monitor *m, bool restore)
{
	m->depth--;
	m->n_async--;
	if (!restore)
		return;
	m->front = m->saved[m->n_async];
	m->flags &= ~LCG_MON_WIDE;
	if (m->saved_wide[m->n_async]) {
		m->flags |= LCG_MON_WIDE;
		m->wide_event = m->saved_wide[m->n_async];
	}
}

/* element @i of an array of u32 or u64 (@size bytes each) */
static inline u64 sorted_at(const void *v, size_t size, u32 i)
{
	return size == sizeof(u32) ? ((const u32 *)v)[i] : ((const u64 *)v)[i];
}

/*
 * Binary search over callees (u32) or pins and raw pins (u64 file offsets),
 * which the validator checked sorted and distinct.  @size is a constant at
 * every call, so each inlined copy loads one width.
 */
static inline bool sorted_has(const void *v, size_t size, u32 n, u64 key)
{
	u32 lo = 0, hi = n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		u64 at = sorted_at(v, size, mid);

		if (at == key)
			return true;
		if (at < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool site_has_callee(const struct lcg_image *img, const struct lcg_img_site *s, u32 proc)
{
	return sorted_has(&img->callees[s->first_callee], sizeof(u32), s->n_callees, proc);
}

/* the procedure owning @state (procedures own consecutive ranges, in order) */
static u32 proc_of(const struct lcg_image *img, u32 state)
{
	u32 lo = 0, hi = img->n_procs;

	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (img->procs[mid].first_state <= state)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Land on the setjmp returns of @event (the targets of its edges: one per
 * copy of the function holding the setjmp, in every procedure it was pasted
 * into) that lie in a procedure @frame's site calls, or, for the bottom of
 * the stack (@frame NULL), in one started without a call: the frontier
 * becomes those states.  At most LCG_MAX_LANDINGS targets (validated).
 */
static bool land(struct lcg_monitor *m, const struct lcg_image *img, u32 event,
		 const struct lcg_img_site *frame)
{
	const struct lcg_img_evidx *x = &img->evidx[event];
	const u32 *t = &img->evtargets[x->first];
	struct lcg_frontier next;
	bool any = false, overflow = false;
	u32 i;

	next.n = 0;
	for (i = 0; i < x->count; i++) {
		u32 p = proc_of(img, t[i]);

		if (frame ? !site_has_callee(img, frame, p) :
			    !(img->procs[p].flags & (LCG_PROC_ROOT | LCG_PROC_ASYNC | LCG_PROC_THREAD)))
			continue;
		any = true;
		overflow |= !overflow && !front_add(&next, t[i]);
	}
	if (!any)
		return false;
	if (overflow) {
		m->flags |= LCG_MON_WIDE;
		m->wide_event = event;
	} else {
		m->flags &= ~LCG_MON_WIDE;
		m->front = next;
	}
	return true;
}

/*
 * A longjmp comes back through the POSTCALL of its setjmp site: pop frames
 * until a procedure holding a return of that setjmp can be the current one.
 * Below forgotten frames any of its returns may be (a wide frontier).
 */
static bool unwind_to(struct lcg_monitor *m, const struct lcg_image *img, u32 event)
{
	while (m->depth) {
		u32 top = m->stack[m->depth - 1];

		if (top & LCG_FRAME_ASYNC) {
			pop_async(m, false);
			continue;
		}
		if (land(m, img, event, &img->sites[top]))
			return true;
		m->depth--;
	}
	if (land(m, img, event, NULL))
		return true;
	if (!m->forgotten || !img->evidx[event].count)
		return false;
	m->flags |= LCG_MON_WIDE;
	m->wide_event = event;
	return true;
}

static enum lcg_reason step_post(struct lcg_monitor *m, const struct lcg_image *img, u32 event,
				 const struct lcg_img_event *ev)
{
	const struct lcg_img_site *site = &img->sites[ev->site];

	if (site->flags & LCG_SITE_SETJMP) {
		if (advance(m, img, event))
			return LCG_R_OK;
		return unwind_to(m, img, event) ? LCG_R_OK : LCG_R_RETURN_MISMATCH;
	}
	if (m->depth && !top_is_async(m)) {
		if (m->stack[m->depth - 1] != ev->site)
			return LCG_R_RETURN_MISMATCH;
		if (!front_has_exit(m, img))
			return LCG_R_NOT_RETURNED;
		m->depth--;
		set_single(m, site->ret_state);
		return LCG_R_OK;
	}
	if (!m->depth && m->forgotten) {
		if (!front_has_exit(m, img))
			return LCG_R_NOT_RETURNED;
		m->forgotten--;
		set_single(m, site->ret_state);
		return LCG_R_OK;
	}
	return LCG_R_RETURN_MISMATCH;
}

/* the event in the current context, without asynchronous entries */
static enum lcg_reason step_here(struct lcg_monitor *m, const struct lcg_image *img, u32 event,
				 const struct lcg_img_event *ev)
{
	const struct lcg_img_site *site;

	switch (ev->kind) {
	case LCG_EV_LIBCALL:
		return advance(m, img, event) ? LCG_R_OK : LCG_R_NO_TRANSITION;
	case LCG_EV_PRECALL:
		if (!can_advance(m, img, event))
			return LCG_R_NO_TRANSITION;
		site = &img->sites[ev->site];
		push(m, ev->site);
		set_single(m, site->dispatch_state);
		return LCG_R_OK;
	case LCG_EV_POSTCALL:
		return step_post(m, img, event, ev);
	}
	return LCG_R_UNKNOWN_EVENT;
}

/* the event as the start of an asynchronous entry (signal handler, callback) */
static enum lcg_reason step_async(struct lcg_monitor *m, const struct lcg_image *img, u32 event,
				  const struct lcg_img_event *ev)
{
	u32 saved_flags = m->flags, saved_wide = m->wide_event;
	struct lcg_frontier saved = m->front;
	enum lcg_reason r;

	if (img->hdr->async_state == LCG_NONE)
		return LCG_R_NO_TRANSITION;
	if (m->n_async == LCG_ASYNC_MAX)
		return LCG_R_ASYNC_DEPTH;
	set_single(m, img->hdr->async_state);
	r = step_here(m, img, event, ev);
	if (r != LCG_R_OK) {
		m->front = saved;
		m->flags = saved_flags;
		m->wide_event = saved_wide;
		return r;
	}
	/* the entry's own PRECALL frame, if any, sits above the marker */
	if (ev->kind == LCG_EV_PRECALL) {
		m->depth--;
		push(m, LCG_FRAME_ASYNC);
		push(m, ev->site);
	} else {
		push(m, LCG_FRAME_ASYNC);
	}
	m->saved[m->n_async] = saved;
	m->saved_wide[m->n_async] = (saved_flags & LCG_MON_WIDE) ? saved_wide : 0;
	m->saved_armed[m->n_async] = m->armed;
	m->n_async++;
	return LCG_R_OK;
}

static const struct lcg_img_event *lookup(const struct lcg_image *img, u32 event)
{
	if (!event || event >= img->n_events || img->events[event].kind == LCG_EV_UNUSED)
		return NULL;
	return &img->events[event];
}

/* An event ran: the program's code runs, and the event's call may issue its classes. */
static inline void accepted(struct lcg_monitor *m, u32 event, const struct lcg_img_event *ev)
{
	m->events++;
	m->flags |= LCG_MON_ENTERED;
	m->armed = ev->classes;
	m->last_event = event;
}

/* everything but an accepted LIBCALL: calls, returns, asynchronous entries, refusals */
static __attribute__((__noinline__)) enum lcg_reason step_general(struct lcg_monitor *m,
							      const struct lcg_image *img,
							      u32 event,
							      const struct lcg_img_event *ev)
{
	enum lcg_reason r, ra;

	r = step_here(m, img, event, ev);
	/* an asynchronous entry that can return has returned: retry where it interrupted */
	while (r != LCG_R_OK && top_is_async(m) && front_has_exit(m, img)) {
		pop_async(m, true);
		r = step_here(m, img, event, ev);
	}
	if (r != LCG_R_OK) {
		ra = step_async(m, img, event, ev);
		if (ra == LCG_R_OK || ra == LCG_R_ASYNC_DEPTH)
			r = ra;
	}
	if (r == LCG_R_OK)
		accepted(m, event, ev);
	else
		m->violations++;
	return r;
}

enum lcg_reason lcg_monitor_step(struct lcg_monitor *m, const struct lcg_image *img, u32 event)
{
	const struct lcg_img_event *ev = lookup(img, event);

	if (!ev) {
		m->violations++;
		return LCG_R_UNKNOWN_EVENT;
	}
	if (ev->kind == LCG_EV_LIBCALL && advance(m, img, event)) {
		accepted(m, event, ev);
		return LCG_R_OK;
	}
	return step_general(m, img, event, ev);
}

void lcg_monitor_init(struct lcg_monitor *m, const struct lcg_image *img)
{
	lcg_memset(m, 0, sizeof(*m));
	m->flags = LCG_MON_STARTED;
	set_single(m, img->hdr->root_state);
}

bool lcg_monitor_init_thread(struct lcg_monitor *m, const struct lcg_image *img,
			     const struct lcg_monitor *creator)
{
	if (img->hdr->thread_state == LCG_NONE)
		return false;
	lcg_memset(m, 0, sizeof(*m));
	m->flags = LCG_MON_STARTED | (creator->flags & LCG_MON_ENTERED);
	m->armed = lcg_monitor_armed(creator);
	set_single(m, img->hdr->thread_state);
	return true;
}

void lcg_monitor_copy(struct lcg_monitor *dst, const struct lcg_monitor *src)
{
	lcg_memcpy(dst, src, sizeof(*dst));
}

/* complain mode: every state reached by an edge labelled @event */
static void resync_targets(struct lcg_monitor *m, const struct lcg_image *img, u32 event)
{
	const struct lcg_img_evidx *x = &img->evidx[event];
	u32 i;

	if (!x->count)
		return;
	if (x->count > LCG_FRONTIER_MAX) {
		m->flags |= LCG_MON_WIDE;
		m->wide_event = event;
		return;
	}
	m->flags &= ~LCG_MON_WIDE;
	m->front.n = x->count;
	for (i = 0; i < x->count; i++)
		m->front.s[i] = img->evtargets[x->first + i];
}

/* complain mode, POSTCALL: return through the site's frame if it is on the stack */
static void resync_post(struct lcg_monitor *m, const struct lcg_img_site *site, u32 k)
{
	u32 d = m->depth;

	while (d && m->stack[d - 1] != k)
		d--;
	if (d) {
		while (m->depth >= d) {
			if (top_is_async(m))
				pop_async(m, false);
			else
				m->depth--;
		}
	} else {
		/* lost track of the frames below: let returns into them pass */
		m->depth = 0;
		m->n_async = 0;
		m->forgotten = LCG_STACK_MAX;
	}
	set_single(m, site->ret_state);
}

void lcg_monitor_resync(struct lcg_monitor *m, const struct lcg_image *img, u32 event)
{
	const struct lcg_img_event *ev = lookup(img, event);
	const struct lcg_img_site *site;

	if (!ev)
		return;
	/* the event's call goes ahead, as a real one would */
	m->flags |= LCG_MON_ENTERED;
	m->armed = ev->classes;
	m->last_event = event;
	switch (ev->kind) {
	case LCG_EV_LIBCALL:
		resync_targets(m, img, event);
		break;
	case LCG_EV_PRECALL:
		site = &img->sites[ev->site];
		push(m, ev->site);
		set_single(m, site->dispatch_state);
		break;
	case LCG_EV_POSTCALL:
		resync_post(m, &img->sites[ev->site], ev->site);
		break;
	}
}

bool lcg_monitor_pinned(const struct lcg_image *img, u32 event, u64 offset)
{
	const struct lcg_img_event *ev;

	if (!(img->hdr->flags & LCG_IMG_PINNED))
		return true;
	ev = lookup(img, event);
	if (!ev)
		return false;
	/* sorted and distinct (the validator checks it), at most LCG_MAX_EVENT_PINS */
	return sorted_has(&img->pins[ev->first_pin], sizeof(u64), ev->n_pins, offset);
}

void lcg_monitor_enter_program(struct lcg_monitor *m)
{
	m->flags |= LCG_MON_ENTERED;
}

u32 lcg_monitor_armed(const struct lcg_monitor *m)
{
	u32 armed = m->armed, i;

	for (i = 0; i < m->n_async && i < LCG_ASYNC_MAX; i++)
		armed |= m->saved_armed[i];
	return armed;
}

/* Was a raw system call pinned at @offset of the program's text? */
static bool raw_pinned(const struct lcg_image *img, u64 offset)
{
	return sorted_has(img->raw_pins, sizeof(u64), img->n_raw_pins, offset);
}

enum lcg_reason lcg_monitor_syscall(const struct lcg_monitor *m, const struct lcg_image *img,
				    u32 cls, bool in_text, u64 offset)
{
	if (!cls || !lcg_monitor_entered(m))
		return LCG_R_OK;
	/* an unfinalised policy knows no pins; in a static binary libc is the text */
	if (in_text && lcg_monitor_wants_origin(m, img) && !raw_pinned(img, offset))
		return LCG_R_ORIGIN;
	return (lcg_monitor_armed(m) & cls) ? LCG_R_OK : LCG_R_UNARMED;
}

void lcg_monitor_signal_enter(struct lcg_monitor *m)
{
	if (m->n_signals < LCG_SIGNAL_MAX) {
		m->signal_armed[m->n_signals] = m->armed;
		m->signal_last[m->n_signals] = m->last_event;
	}
	if (m->n_signals != ~0u)
		m->n_signals++;
	m->armed = 0;
}

void lcg_monitor_signal_return(struct lcg_monitor *m)
{
	m->armed = 0;
	if (!m->n_signals)
		return;
	m->n_signals--;
	if (m->n_signals < LCG_SIGNAL_MAX) {
		m->armed = m->signal_armed[m->n_signals];
		m->last_event = m->signal_last[m->n_signals];
	}
}

/* insert @ev into the sorted set out[0..*n), counting past @max */
static void allowed_add(u32 *out, u32 max, u32 *n, u32 ev)
{
	u32 i, lim = *n < max ? *n : max;

	for (i = 0; i < lim; i++)
		if (out[i] == ev)
			return;
	if (*n >= max) {
		(*n)++;
		return;
	}
	for (i = *n; i > 0 && out[i - 1] > ev; i--)
		out[i] = out[i - 1];
	out[i] = ev;
	(*n)++;
}

static void allowed_from(const struct lcg_image *img, const u32 *states, u32 n_states, u32 *out,
			 u32 max, u32 *n)
{
	u32 i, j;

	for (i = 0; i < n_states; i++) {
		const struct lcg_img_state *st = &img->states[states[i]];

		for (j = 0; j < st->n_edges; j++)
			allowed_add(out, max, n, img->edges[st->first_edge + j].event);
	}
}

u32 lcg_monitor_allowed(const struct lcg_monitor *m, const struct lcg_image *img, u32 *out,
			u32 max)
{
	const u32 *cur;
	u32 n = 0, n_cur, k;

	n_cur = front_states(m, img, &cur);
	allowed_from(img, cur, n_cur, out, max, &n);
	if (front_has_exit(m, img) && m->depth && !top_is_async(m)) {
		k = m->stack[m->depth - 1];
		allowed_add(out, max, &n, img->sites[k].post_event);
	}
	if (img->hdr->async_state != LCG_NONE && m->n_async < LCG_ASYNC_MAX)
		allowed_from(img, &img->hdr->async_state, 1, out, max, &n);
	return n;
}

const char *lcg_reason_str(enum lcg_reason r)
{
	static const char *const names[LCG_R_COUNT] = {
		[LCG_R_OK] = "ok",
		[LCG_R_UNKNOWN_EVENT] = "unknown-event",
		[LCG_R_NO_TRANSITION] = "no-transition",
		[LCG_R_RETURN_MISMATCH] = "return-mismatch",
		[LCG_R_NOT_RETURNED] = "not-returned",
		[LCG_R_ASYNC_DEPTH] = "async-depth",
		[LCG_R_UNPINNED] = "unpinned",
		[LCG_R_UNARMED] = "unarmed",
		[LCG_R_ORIGIN] = "origin",
		[LCG_R_ABI] = "abi",
	};

	return (unsigned int)r < LCG_R_COUNT ? names[r] : "invalid";
}
