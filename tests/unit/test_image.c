// SPDX-License-Identifier: GPL-2.0
/*
 * The compact image: what the builder lays out, and the validator refusing
 * truncated, garbage and out-of-range images with a reason (never crashing).
 */
#include <time.h>

#include "lcg_test.h"

/* main(): open(); helper(); close();  helper(): read();  sig(): write(); */
static void build_sample(struct tp *t, u32 *open, u32 *pre, u32 *post)
{
	u32 main, helper, sig, s1, s2, s3, h1, g1, read, close, write;

	tp_init(t, LCG_MODE_PDA);
	*open = tp_lib(t, "open");
	read = tp_lib(t, "read");
	close = tp_lib(t, "close");
	write = tp_lib(t, "write");
	main = tp_proc(t, "main", LCG_AP_MAIN);
	helper = tp_proc(t, "helper", 0);
	sig = tp_proc(t, "on_signal", LCG_AP_SIGNAL_HANDLER);
	s1 = tp_state(t, main);
	s2 = tp_state(t, main);
	s3 = tp_state(t, main);
	tp_edge(t, tp_entry(t, main), s1, *open);
	tp_call(t, main, s1, s2, &helper, 1, pre, post);
	tp_edge(t, s2, s3, close);
	tp_exit(t, s3);
	h1 = tp_state(t, helper);
	tp_edge(t, tp_entry(t, helper), h1, read);
	tp_edge(t, tp_entry(t, helper), h1, write);
	tp_exit(t, h1);
	g1 = tp_state(t, sig);
	tp_edge(t, tp_entry(t, sig), g1, write);
	tp_exit(t, g1);
}

struct sample {
	struct tp t;
	struct trun r;
	u32 open, pre, post;
};

static void sample_build(struct sample *s)
{
	build_sample(&s->t, &s->open, &s->pre, &s->post);
	tp_build(&s->t, LCG_DFA_FACTOR, &s->r);
}

static void sample_free(struct sample *s)
{
	tr_free(&s->r);
	lcg_policy_free(&s->t.pol);
}

/* a writable, aligned copy of the sample image */
static u8 *copy_image(const struct sample *s)
{
	u8 *c = aligned_alloc(8, (s->r.len + 7) & ~7ul);

	memcpy(c, s->r.buf, s->r.len);
	return c;
}

static struct lcg_img_header *hdr(u8 *img)
{
	return (struct lcg_img_header *)img;
}

static void *section(u8 *img, enum lcg_img_sec sec)
{
	return img + hdr(img)->sec[sec].off;
}

#define REFUSED_WITH(img, len, text)						\
	do {									\
		struct lcg_image _v;						\
		const char *_why = lcg_image_validate(&_v, (img), (len));	\
		cr_assert_not_null(_why, "validator accepted a bad image");	\
		cr_assert(strstr(_why, (text)), "reason \"%s\" lacks \"%s\"", _why, (text)); \
		cr_assert_null(_v.hdr, "a refused image leaves the view empty"); \
	} while (0)

Test(image, round_trip_keeps_structure)
{
	struct sample s;
	const struct lcg_image *v = &s.r.img;

	sample_build(&s);
	cr_assert_eq(v->hdr->mode, LCG_MODE_PDA);
	cr_assert_eq(v->hdr->event_set, LCG_EVENTS_EFFECTS);
	cr_assert_eq(v->n_events, s.t.pol.n_events);
	cr_assert_eq(v->n_procs, 4, "dispatcher + three procedures");
	cr_assert_eq(v->procs[0].flags, LCG_PROC_DISPATCH);
	cr_assert_str_eq(lcg_image_str(v, v->procs[1].name), "main");
	cr_assert_eq(v->procs[1].flags, LCG_PROC_ROOT);
	cr_assert_eq(v->procs[3].flags, LCG_PROC_ASYNC);
	cr_assert_eq(v->n_sites, 1);
	cr_assert_eq(v->sites[0].caller, 1);
	cr_assert_eq(v->events[s.pre].kind, LCG_EV_PRECALL);
	cr_assert_eq(v->events[s.pre].site, 0);
	cr_assert_str_eq(lcg_image_str(v, v->events[s.open].callee), "open");
	cr_assert_neq(v->hdr->async_state, LCG_NONE);
	cr_assert_eq(v->hdr->thread_state, LCG_NONE);
	cr_assert_eq(v->hdr->flags & LCG_IMG_PINNED, 0, "not finalised: not pinned");
	sample_free(&s);
}

Test(image, building_twice_gives_identical_bytes)
{
	struct sample s;
	void *again;
	size_t len;
	char err[128];

	sample_build(&s);
	cr_assert_eq(lcg_image_build(&s.t.pol, &again, &len, err, sizeof(err)), 0);
	cr_assert_eq(len, s.r.len);
	cr_assert_eq(memcmp(again, s.r.buf, len), 0);
	free(again);
	sample_free(&s);
}

Test(image, refuses_truncated)
{
	struct sample s;

	sample_build(&s);
	REFUSED_WITH(s.r.buf, 0, "shorter than its header");
	REFUSED_WITH(s.r.buf, sizeof(struct lcg_img_header) - 1, "shorter than its header");
	REFUSED_WITH(s.r.buf, s.r.len - 8, "size does not match");
	sample_free(&s);
}

Test(image, refuses_null_and_misaligned)
{
	struct sample s;
	u8 *c;

	sample_build(&s);
	REFUSED_WITH(NULL, 100, "shorter than its header");
	c = aligned_alloc(8, s.r.len + 8);
	memcpy(c + 1, s.r.buf, s.r.len);
	REFUSED_WITH(c + 1, s.r.len, "aligned");
	free(c);
	sample_free(&s);
}

Test(image, refuses_garbage)
{
	u64 junk[64];

	for (unsigned i = 0; i < 64; i++)
		junk[i] = 0x9e3779b97f4a7c15ull * (i + 1);
	REFUSED_WITH(junk, sizeof(junk), "magic");
}

Test(image, refuses_wrong_version_mode_and_flags)
{
	struct sample s;
	u8 *c;

	sample_build(&s);
	c = copy_image(&s);
	hdr(c)->version = 99;
	REFUSED_WITH(c, s.r.len, "version");
	memcpy(c, s.r.buf, s.r.len);
	hdr(c)->mode = 7;
	REFUSED_WITH(c, s.r.len, "mode");
	memcpy(c, s.r.buf, s.r.len);
	hdr(c)->event_set = 0;
	REFUSED_WITH(c, s.r.len, "event set");
	memcpy(c, s.r.buf, s.r.len);
	hdr(c)->flags = 0x80;
	REFUSED_WITH(c, s.r.len, "reserved");
	free(c);
	sample_free(&s);
}

Test(image, refuses_sections_out_of_bounds)
{
	struct sample s;
	u8 *c;

	sample_build(&s);
	c = copy_image(&s);
	hdr(c)->sec[LCG_SEC_EDGES].count = 0x7fffffff;
	REFUSED_WITH(c, s.r.len, "section");
	memcpy(c, s.r.buf, s.r.len);
	hdr(c)->sec[LCG_SEC_STATES].off = s.r.len + 8;
	REFUSED_WITH(c, s.r.len, "past the end");
	memcpy(c, s.r.buf, s.r.len);
	hdr(c)->sec[LCG_SEC_PROCS].off += 4;
	REFUSED_WITH(c, s.r.len, "misaligned");
	memcpy(c, s.r.buf, s.r.len);
	hdr(c)->sec[LCG_SEC_SITES].off = 0;
	REFUSED_WITH(c, s.r.len, "inside the header");
	free(c);
	sample_free(&s);
}

Test(image, refuses_edge_target_out_of_range)
{
	struct sample s;
	struct lcg_img_edge *e;
	u8 *c;

	sample_build(&s);
	c = copy_image(&s);
	e = section(c, LCG_SEC_EDGES);
	e[0].target = s.r.img.n_states;
	REFUSED_WITH(c, s.r.len, "edge target out of range");
	free(c);
	sample_free(&s);
}

Test(image, refuses_edge_leaving_its_procedure)
{
	struct sample s;
	struct lcg_img_edge *e;
	struct lcg_img_state *st;
	u8 *c;
	u32 i;

	sample_build(&s);
	c = copy_image(&s);
	st = section(c, LCG_SEC_STATES);
	e = section(c, LCG_SEC_EDGES);
	/* first edge of a state outside the dispatcher, pointed at state 0 */
	for (i = 0; i < s.r.img.n_states; i++)
		if (st[i].proc && st[i].n_edges)
			break;
	cr_assert_lt(i, s.r.img.n_states);
	e[st[i].first_edge].target = 0;
	REFUSED_WITH(c, s.r.len, "leaves its procedure");
	free(c);
	sample_free(&s);
}

Test(image, refuses_unknown_edge_event)
{
	struct sample s;
	struct lcg_img_edge *e;
	u8 *c;

	sample_build(&s);
	c = copy_image(&s);
	e = section(c, LCG_SEC_EDGES);
	e[0].event = 0;
	REFUSED_WITH(c, s.r.len, "unknown event");
	memcpy(c, s.r.buf, s.r.len);
	e[0].event = s.r.img.n_events + 5;
	REFUSED_WITH(c, s.r.len, "unknown event");
	free(c);
	sample_free(&s);
}

Test(image, refuses_state_edges_out_of_range)
{
	struct sample s;
	struct lcg_img_state *st;
	u8 *c;

	sample_build(&s);
	c = copy_image(&s);
	st = section(c, LCG_SEC_STATES);
	st[1].first_edge = 0xfffffff0u;
	st[1].n_edges = 0x20;
	REFUSED_WITH(c, s.r.len, "state edges out of range");
	free(c);
	sample_free(&s);
}

Test(image, refuses_broken_procedure_ranges)
{
	struct sample s;
	struct lcg_img_proc *p;
	u8 *c;

	sample_build(&s);
	c = copy_image(&s);
	p = section(c, LCG_SEC_PROCS);
	p[1].n_states += 1;
	REFUSED_WITH(c, s.r.len, "contiguous");
	memcpy(c, s.r.buf, s.r.len);
	p[2].entry = 0;
	REFUSED_WITH(c, s.r.len, "entry outside");
	memcpy(c, s.r.buf, s.r.len);
	p[0].flags = 0;
	REFUSED_WITH(c, s.r.len, "dispatcher");
	memcpy(c, s.r.buf, s.r.len);
	p[1].name = 0xffffff;
	REFUSED_WITH(c, s.r.len, "name");
	free(c);
	sample_free(&s);
}

Test(image, refuses_site_and_event_disagreement)
{
	struct sample s;
	struct lcg_img_site *site;
	struct lcg_img_event *ev;
	u8 *c;

	sample_build(&s);
	c = copy_image(&s);
	site = section(c, LCG_SEC_SITES);
	ev = section(c, LCG_SEC_EVENTS);
	site[0].ret_state = 0;
	REFUSED_WITH(c, s.r.len, "return state");
	memcpy(c, s.r.buf, s.r.len);
	site[0].dispatch_state = LCG_NONE;
	REFUSED_WITH(c, s.r.len, "dispatcher state");
	memcpy(c, s.r.buf, s.r.len);
	site[0].n_callees = 1000;
	REFUSED_WITH(c, s.r.len, "callees out of range");
	memcpy(c, s.r.buf, s.r.len);
	ev[s.pre].site = 5;
	REFUSED_WITH(c, s.r.len, "site out of range");
	memcpy(c, s.r.buf, s.r.len);
	ev[s.open].kind = LCG_EV_PRECALL;
	ev[s.open].site = 0;
	REFUSED_WITH(c, s.r.len, "disagree");
	memcpy(c, s.r.buf, s.r.len);
	ev[0].kind = LCG_EV_LIBCALL;
	REFUSED_WITH(c, s.r.len, "reserved");
	free(c);
	sample_free(&s);
}

Test(image, refuses_unterminated_strings_and_bad_pins)
{
	struct sample s;
	struct lcg_img_event *ev;
	u8 *c;

	sample_build(&s);
	c = copy_image(&s);
	c[hdr(c)->sec[LCG_SEC_STRTAB].off + hdr(c)->sec[LCG_SEC_STRTAB].count - 1] = 'x';
	REFUSED_WITH(c, s.r.len, "NUL");
	memcpy(c, s.r.buf, s.r.len);
	ev = section(c, LCG_SEC_EVENTS);
	ev[1].n_pins = 3;
	REFUSED_WITH(c, s.r.len, "pins out of range");
	memcpy(c, s.r.buf, s.r.len);
	ev[1].callee = 0x7fffffff;
	REFUSED_WITH(c, s.r.len, "string out of range");
	free(c);
	sample_free(&s);
}

Test(image, refuses_bad_classes)
{
	struct sample s;
	struct lcg_img_event *ev;
	u8 *c;

	sample_build(&s);
	c = copy_image(&s);
	ev = section(c, LCG_SEC_EVENTS);
	ev[s.open].classes = 1u << 20;
	REFUSED_WITH(c, s.r.len, "event classes hold unknown bits");
	ev[s.open].classes = 0;
	ev[s.open].pad = 1;
	REFUSED_WITH(c, s.r.len, "event classes hold unknown bits");
	ev[s.open].pad = 0;
	ev[s.pre].classes = 1;
	REFUSED_WITH(c, s.r.len, "only LIBCALL events arm classes");
	free(c);
	sample_free(&s);
}

Test(image, refuses_unsorted_raw_pins)
{
	static const u64 raw[] = { 0x100, 0x200, 0x300 };
	struct sample s;
	u64 *pins;
	u8 *c;

	build_sample(&s.t, &s.open, &s.pre, &s.post);
	s.t.pol.has_sha256 = true;
	s.t.pol.raw_pins = malloc(sizeof(raw));
	memcpy(s.t.pol.raw_pins, raw, sizeof(raw));
	s.t.pol.n_raw_pins = 3;
	tp_build(&s.t, LCG_DFA_FACTOR, &s.r);
	cr_assert_eq(s.r.img.n_raw_pins, 3);
	c = copy_image(&s);
	pins = section(c, LCG_SEC_RAW_PINS);
	pins[2] = 0x200;
	REFUSED_WITH(c, s.r.len, "raw system call pins not sorted and distinct");
	pins[2] = 0x300;
	hdr(c)->sec[LCG_SEC_RAW_PINS].count = LCG_MAX_RAW_PINS + 1;
	REFUSED_WITH(c, s.r.len, "section count beyond its limit");
	free(c);
	sample_free(&s);
}

Test(image, refuses_unsorted_edges)
{
	struct sample s;
	struct lcg_img_state *st;
	struct lcg_img_edge *e, tmp;
	u8 *c;
	u32 i;

	sample_build(&s);
	c = copy_image(&s);
	st = section(c, LCG_SEC_STATES);
	e = section(c, LCG_SEC_EDGES);
	for (i = 0; i < s.r.img.n_states; i++)
		if (st[i].n_edges >= 2)
			break;
	cr_assert_lt(i, s.r.img.n_states, "sample has a state with two edges (helper's entry)");
	tmp = e[st[i].first_edge];
	e[st[i].first_edge] = e[st[i].first_edge + 1];
	e[st[i].first_edge + 1] = tmp;
	REFUSED_WITH(c, s.r.len, "sorted");
	free(c);
	sample_free(&s);
}

/* every single-byte corruption is either refused or leaves a usable image */
Test(image, byte_flips_never_crash_validator_or_monitor)
{
	struct sample s;
	u8 *c;
	size_t i;
	unsigned accepted = 0;

	sample_build(&s);
	c = copy_image(&s);
	for (i = 0; i < s.r.len; i++) {
		for (unsigned bit = 0; bit < 8; bit += 3) {
			struct lcg_image v;
			struct lcg_monitor m;

			memcpy(c, s.r.buf, s.r.len);
			c[i] ^= (u8)(1u << bit);
			if (lcg_image_validate(&v, c, s.r.len))
				continue;
			accepted++;
			lcg_monitor_init(&m, &v);
			for (u32 ev = 0; ev < v.n_events + 2; ev++)
				lcg_monitor_step(&m, &v, ev);
		}
	}
	cr_assert_gt(accepted, 0, "some flips (names, pins, lines) are harmless");
	free(c);
	sample_free(&s);
}

Test(image, pinned_events_only_from_their_offsets)
{
	struct sample s;
	struct lcg_image v;
	void *buf;
	size_t len;
	char err[128];
	u64 pin = 0x1234;

	build_sample(&s.t, &s.open, &s.pre, &s.post);
	s.t.pol.has_sha256 = true;
	s.t.pol.events[s.open].pins = malloc(sizeof(u64));
	s.t.pol.events[s.open].pins[0] = pin;
	s.t.pol.events[s.open].n_pins = 1;
	cr_assert_eq(lcg_image_build(&s.t.pol, &buf, &len, err, sizeof(err)), 0, "%s", err);
	cr_assert_null(lcg_image_validate(&v, buf, len));
	cr_assert(v.hdr->flags & LCG_IMG_PINNED);
	cr_assert(lcg_monitor_pinned(&v, s.open, pin));
	cr_assert_not(lcg_monitor_pinned(&v, s.open, pin + 2));
	cr_assert_not(lcg_monitor_pinned(&v, s.pre, pin), "an event without pins is never pinned");
	cr_assert_not(lcg_monitor_pinned(&v, 0, pin));
	free(buf);
	lcg_policy_free(&s.t.pol);
}

Test(image, unpinned_image_accepts_any_offset)
{
	struct sample s;

	sample_build(&s);
	cr_assert(lcg_monitor_pinned(&s.r.img, s.open, 42));
	sample_free(&s);
}

Test(image, policy_without_main_refused)
{
	struct tp t;
	void *buf;
	size_t len;
	char err[256];

	tp_init(&t, LCG_MODE_PDA);
	tp_proc(&t, "helper", 0);
	cr_assert_eq(lcg_image_build(&t.pol, &buf, &len, err, sizeof(err)), -1);
	cr_assert(strstr(err, "main"), "%s", err);
	cr_assert_null(buf);
	lcg_policy_free(&t.pol);
}

/*
 * A frontier larger than LCG_FRONTIER_MAX widens to every target of the
 * event and stays exact on the next check.
 */
Test(image, wide_frontier_stays_sound_and_narrows_back)
{
	struct tp t;
	struct trun r;
	u32 p, open, close, bad, mid[LCG_FRONTIER_MAX + 4], end, i, reads[LCG_FRONTIER_MAX + 4];

	tp_init(&t, LCG_MODE_NFA);
	open = tp_lib(&t, "open");
	close = tp_lib(&t, "close");
	bad = tp_lib(&t, "unlink");
	for (i = 0; i < LCG_FRONTIER_MAX + 4; i++)
		reads[i] = tp_lib(&t, "read");
	p = tp_proc(&t, "<program>", LCG_AP_MAIN);
	end = tp_state(&t, p);
	tp_exit(&t, end);
	for (i = 0; i < LCG_FRONTIER_MAX + 4; i++) {
		u32 after = tp_state(&t, p);

		mid[i] = tp_state(&t, p);
		tp_edge(&t, tp_entry(&t, p), mid[i], open);
		tp_edge(&t, mid[i], after, reads[i]);
		tp_edge(&t, after, end, close);
	}
	tp_build(&t, 0, &r);
	lcg_monitor_init(&r.m, &r.img);
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, open), LCG_R_OK);
	cr_assert(r.m.flags & LCG_MON_WIDE);
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, bad), LCG_R_NO_TRANSITION);
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, reads[LCG_FRONTIER_MAX + 2]), LCG_R_OK);
	cr_assert_not(r.m.flags & LCG_MON_WIDE);
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, close), LCG_R_OK);
	cr_assert_eq(lcg_monitor_step(&r.m, &r.img, close), LCG_R_NO_TRANSITION);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

Test(image, allowed_lists_what_the_monitor_accepts)
{
	struct sample s;
	u32 out[16], n, i, read = 2;

	sample_build(&s);
	n = lcg_monitor_allowed(&s.r.m, &s.r.img, out, 16);
	/* at the start: open, or the signal handler's write */
	cr_assert_eq(n, 2);
	cr_assert_eq(out[0], s.open);
	cr_assert_str_eq(s.t.pol.events[out[1]].callee, "write");
	cr_assert_eq(tr_feed(&s.r, SEQ(s.open, s.pre, read)), -1);
	n = lcg_monitor_allowed(&s.r.m, &s.r.img, out, 16);
	for (i = 0; i < n && out[i] != s.post; i++)
		;
	cr_assert_lt(i, n, "the POSTCALL of the top frame is allowed once the callee can return");
	cr_assert_eq(lcg_monitor_allowed(&s.r.m, &s.r.img, out, 1), n, "count goes past max");
	sample_free(&s);
}

Test(image, reason_names_are_stable)
{
	cr_assert_str_eq(lcg_reason_str(LCG_R_OK), "ok");
	cr_assert_str_eq(lcg_reason_str(LCG_R_NO_TRANSITION), "no-transition");
	cr_assert_str_eq(lcg_reason_str(LCG_R_RETURN_MISMATCH), "return-mismatch");
	cr_assert_str_eq(lcg_reason_str(LCG_R_UNPINNED), "unpinned");
	cr_assert_str_eq(lcg_reason_str((enum lcg_reason)1000), "invalid");
}

/*
 * Bounded validation: ranges that overlap (every state claiming the same
 * edges, ...) are refused, so the validator visits each element once.
 */
Test(image, refuses_overlapping_ranges)
{
	struct sample s;
	struct lcg_img_state *st;
	struct lcg_img_site *site;
	struct lcg_img_event *ev;
	struct lcg_img_evidx *x;
	u8 *c;
	u32 i, a = LCG_NONE, b = LCG_NONE;

	sample_build(&s);
	c = copy_image(&s);
	st = section(c, LCG_SEC_STATES);
	/* two states with edges: the second claims the first one's edges too */
	for (i = 0; i < s.r.img.n_states; i++) {
		if (!st[i].n_edges)
			continue;
		if (a == LCG_NONE)
			a = i;
		else if (b == LCG_NONE)
			b = i;
	}
	cr_assert_neq(b, LCG_NONE);
	st[b].n_edges += st[b].first_edge - st[a].first_edge;
	st[b].first_edge = st[a].first_edge;
	REFUSED_WITH(c, s.r.len, "partition the edges");
	memcpy(c, s.r.buf, s.r.len);
	site = section(c, LCG_SEC_SITES);
	site[0].first_callee = 0;
	site[0].n_callees = s.r.img.n_callees;
	hdr(c)->sec[LCG_SEC_CALLEES].count = s.r.img.n_callees;	/* unchanged: one site */
	cr_assert_null(lcg_image_validate(&(struct lcg_image){ 0 }, c, s.r.len), "one site: fine");
	memcpy(c, s.r.buf, s.r.len);
	ev = section(c, LCG_SEC_EVENTS);
	ev[s.open].first_pin = 0;
	ev[s.open].n_pins = 0;
	ev[s.pre].first_pin = 1;	/* past the (empty) pin section's running end */
	REFUSED_WITH(c, s.r.len, "pins out of range");
	memcpy(c, s.r.buf, s.r.len);
	x = section(c, LCG_SEC_EVIDX);
	for (i = 1; i < s.r.img.n_events && !x[i].count; i++)
		;
	cr_assert_lt(i + 1, s.r.img.n_events);
	x[i + 1].first = x[i].first;	/* the next event shares its targets */
	REFUSED_WITH(c, s.r.len, "event index ranges must partition");
	free(c);
	sample_free(&s);
}

/*
 * The finding: an image whose 2^21 states each claim the same 2^20 edges
 * asked the old validator for ~2^41 steps.  Refused now by the per-event
 * bound, and with ranges within the bounds (every state claiming the same
 * edge) at the second state, in linear time.
 */
Test(image, overlapping_64mib_image_refused_in_linear_time)
{
	const u32 n_states = 1u << 21, n_edges = 1u << 20;
	struct lcg_img_header *h;
	struct lcg_img_state *st;
	struct lcg_img_edge *e;
	struct lcg_img_proc *p;
	struct lcg_img_event *ev;
	struct lcg_img_evidx *x;
	u32 *targets, i, off;
	struct timespec t0, t1;
	const char *why;
	struct lcg_image v;
	size_t len;
	u8 *img;

	len = sizeof(*h);
	len = (len + 7) & ~7ul;
	off = len;
	len += (size_t)n_states * sizeof(*st) + (size_t)n_edges * sizeof(*e) + sizeof(*p) +
	       2 * sizeof(*ev) + 2 * sizeof(*x) + (size_t)n_edges * sizeof(u32) + 8;
	cr_assert_leq(len, LCG_IMAGE_MAX_BYTES);
	img = aligned_alloc(8, len);
	memset(img, 0, len);
	h = (struct lcg_img_header *)img;
	h->magic = LCG_IMAGE_MAGIC;
	h->version = LCG_IMAGE_VERSION;
	h->size = len;
	h->mode = LCG_MODE_NFA;
	h->event_set = LCG_EVENTS_EFFECTS;
	h->thread_state = h->async_state = LCG_NONE;
#define SEC(k, n, sz) do { h->sec[k].off = off; h->sec[k].count = (n); off += (u32)(((size_t)(n) * (sz) + 7) & ~7ul); } while (0)
	SEC(LCG_SEC_STATES, n_states, sizeof(*st));
	SEC(LCG_SEC_EDGES, n_edges, sizeof(*e));
	SEC(LCG_SEC_PROCS, 1, sizeof(*p));
	SEC(LCG_SEC_SITES, 0, 1);
	SEC(LCG_SEC_CALLEES, 0, 1);
	SEC(LCG_SEC_EVENTS, 2, sizeof(*ev));
	SEC(LCG_SEC_PINS, 0, 1);
	SEC(LCG_SEC_EVIDX, 2, sizeof(*x));
	SEC(LCG_SEC_EVTARGETS, n_edges, sizeof(u32));
	SEC(LCG_SEC_STRTAB, 1, 1);
	SEC(LCG_SEC_RAW_PINS, 0, 1);
#undef SEC
	cr_assert_leq(off, len);
	st = (void *)(img + h->sec[LCG_SEC_STATES].off);
	e = (void *)(img + h->sec[LCG_SEC_EDGES].off);
	p = (void *)(img + h->sec[LCG_SEC_PROCS].off);
	ev = (void *)(img + h->sec[LCG_SEC_EVENTS].off);
	x = (void *)(img + h->sec[LCG_SEC_EVIDX].off);
	targets = (void *)(img + h->sec[LCG_SEC_EVTARGETS].off);
	for (i = 0; i < n_states; i++) {
		st[i].first_edge = 0;
		st[i].n_edges = n_edges;	/* every state: every edge */
	}
	for (i = 0; i < n_edges; i++) {
		e[i].event = 1;
		e[i].target = i;
		targets[i] = i;
	}
	p->n_states = n_states;
	p->flags = LCG_PROC_DISPATCH;
	ev[0].site = ev[1].site = LCG_NONE;
	ev[1].kind = LCG_EV_LIBCALL;
	x[1].count = n_edges;
	why = lcg_image_validate(&v, img, len);
	/* beyond the per-element bounds: every state has 2^20 edges, the event 2^20 targets */
	cr_assert(why && strstr(why, "LCG_MAX_EVENT_TARGETS"), "%s", why);
	/* within them: every state claims the same single edge, into state 0 */
	for (i = 0; i < n_states; i++)
		st[i].n_edges = 1;
	x[1].count = 1;
	h->sec[LCG_SEC_EVTARGETS].count = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	why = lcg_image_validate(&v, img, len);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert(why && strstr(why, "state edge ranges must partition the edges in order"), "%s", why);
	cr_assert_lt((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6, 2000.0,
		     "linear, not quadratic");
	free(img);
}

/* main: entry -a-> s1 -c-> s3;  entry -b-> s2 -c-> s4: event c enters s3 and s4 */
Test(image, event_index_must_be_exactly_the_targets_of_the_edges)
{
	struct tp t;
	struct trun r;
	struct lcg_img_edge *e;
	struct lcg_img_evidx *x;
	u32 *targets;
	u32 main, a, b, cc, s1, s2, s3, s4, i, first = LCG_NONE, second = LCG_NONE;
	u8 *c;

	tp_init(&t, LCG_MODE_NFA);
	a = tp_lib(&t, "a");
	b = tp_lib(&t, "b");
	cc = tp_lib(&t, "c");
	main = tp_proc(&t, "<program>", LCG_AP_MAIN);
	s1 = tp_state(&t, main);
	s2 = tp_state(&t, main);
	s3 = tp_state(&t, main);
	s4 = tp_state(&t, main);
	tp_edge(&t, tp_entry(&t, main), s1, a);
	tp_edge(&t, tp_entry(&t, main), s2, b);
	tp_edge(&t, s1, s3, cc);
	tp_edge(&t, s2, s4, cc);
	tp_exit(&t, s3);
	tp_exit(&t, s4);
	tp_build(&t, 0, &r);
	cr_assert_eq(r.img.evidx[cc].count, 2);
	c = aligned_alloc(8, (r.len + 7) & ~7ul);
	memcpy(c, r.buf, r.len);
	e = section(c, LCG_SEC_EDGES);
	x = section(c, LCG_SEC_EVIDX);
	targets = section(c, LCG_SEC_EVTARGETS);
	for (i = 0; i < r.img.n_edges; i++) {
		if (e[i].event != cc)
			continue;
		if (first == LCG_NONE)
			first = i;
		else
			second = i;
	}
	cr_assert_neq(second, LCG_NONE);
	/* both edges into one target: the index names a state no edge of c enters */
	e[second].target = e[first].target;
	REFUSED_WITH(c, r.len, "event index names a target no edge of the event enters");
	memcpy(c, r.buf, r.len);
	/* an index that misses a target: a wide frontier would forget a state */
	targets[x[cc].first + 1] = r.img.n_states - 1 > targets[x[cc].first + 1] ?
		r.img.n_states - 1 : targets[x[cc].first + 1];
	if (targets[x[cc].first + 1] == r.img.evtargets[r.img.evidx[cc].first + 1])
		targets[x[cc].first] = 0;	/* (the last state is a target: change the first) */
	REFUSED_WITH(c, r.len, "event index lacks a target of the event's edges");
	memcpy(c, r.buf, r.len);
	/* unsorted: the validator searches the index */
	i = targets[x[cc].first];
	targets[x[cc].first] = targets[x[cc].first + 1];
	targets[x[cc].first + 1] = i;
	REFUSED_WITH(c, r.len, "event targets not sorted and distinct");
	free(c);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

/* pins as finalize records them (any order, repeats): sorted, searched */
Test(image, pins_are_sorted_distinct_and_searched)
{
	static const u64 given[] = { 0x300, 0x100, 0x2f0, 0x100, 0x1234 };
	struct sample s;
	struct lcg_image v;
	struct lcg_img_event *ev;
	u64 *pins;
	void *buf;
	size_t len;
	char err[256];
	u8 *c;
	u32 i;

	build_sample(&s.t, &s.open, &s.pre, &s.post);
	s.t.pol.has_sha256 = true;
	s.t.pol.events[s.open].pins = malloc(sizeof(given));
	memcpy(s.t.pol.events[s.open].pins, given, sizeof(given));
	s.t.pol.events[s.open].n_pins = 5;
	cr_assert_eq(lcg_image_build(&s.t.pol, &buf, &len, err, sizeof(err)), 0, "%s", err);
	cr_assert_null(lcg_image_validate(&v, buf, len));
	cr_assert_eq(v.events[s.open].n_pins, 4);
	for (i = 0; i < 5; i++)
		cr_assert(lcg_monitor_pinned(&v, s.open, given[i]));
	for (i = 0; i < 0x1300; i += 0x10)
		if (i != 0x100 && i != 0x2f0 && i != 0x300)
			cr_assert_not(lcg_monitor_pinned(&v, s.open, i), "0x%x", i);
	c = aligned_alloc(8, (len + 7) & ~7ul);
	memcpy(c, buf, len);
	ev = section(c, LCG_SEC_EVENTS);
	pins = section(c, LCG_SEC_PINS);
	pins[ev[s.open].first_pin] = 0x5000;
	REFUSED_WITH(c, len, "event pins not sorted and distinct");
	free(c);
	free(buf);
	lcg_policy_free(&s.t.pol);
}

Test(image, site_callees_must_be_sorted)
{
	struct sample s;
	u32 *callees;
	u8 *c;

	sample_build(&s);
	cr_assert_eq(s.r.img.n_callees, 1);
	c = copy_image(&s);
	callees = section(c, LCG_SEC_CALLEES);
	callees[0] = s.r.img.n_procs;
	REFUSED_WITH(c, s.r.len, "callee out of range");
	free(c);
	sample_free(&s);
}

/*
 * Per-element bounds (pda/limits.h): the builder refuses a policy beyond
 * one and names it; the validator refuses an image beyond one.
 */
Test(image, per_event_and_per_state_bounds_refused_by_name)
{
	struct tp t;
	void *buf;
	size_t len;
	char err[256];
	u32 p, open, i, *ev;

	/* one event entering LCG_MAX_EVENT_TARGETS + 1 states */
	tp_init(&t, LCG_MODE_NFA);
	open = tp_lib(&t, "open");
	p = tp_proc(&t, "<program>", LCG_AP_MAIN);
	for (i = 0; i <= LCG_MAX_EVENT_TARGETS; i++) {
		u32 s = tp_state(&t, p);

		tp_edge(&t, tp_entry(&t, p), s, open);
		tp_exit(&t, s);
	}
	cr_assert_eq(lcg_image_build_ex(&t.pol, 0, &buf, &len, err, sizeof(err)), -1);
	cr_assert(strstr(err, "limit of pda/limits.h") && strstr(err, "LCG_MAX_EVENT_TARGETS"), "%s", err);
	lcg_policy_free(&t.pol);

	/* one state with LCG_MAX_STATE_EDGES + 1 edges */
	tp_init(&t, LCG_MODE_NFA);
	ev = malloc((LCG_MAX_STATE_EDGES + 1) * sizeof(*ev));
	for (i = 0; i <= LCG_MAX_STATE_EDGES; i++)
		ev[i] = tp_lib(&t, "f");
	p = tp_proc(&t, "<program>", LCG_AP_MAIN);
	{
		u32 s = tp_state(&t, p);

		tp_exit(&t, s);
		for (i = 0; i <= LCG_MAX_STATE_EDGES; i++)
			tp_edge(&t, tp_entry(&t, p), s, ev[i]);
	}
	cr_assert_eq(lcg_image_build_ex(&t.pol, 0, &buf, &len, err, sizeof(err)), -1);
	cr_assert(strstr(err, "LCG_MAX_STATE_EDGES"), "%s", err);
	free(ev);
	lcg_policy_free(&t.pol);

	/* a setjmp returning in LCG_MAX_LANDINGS + 1 places (a longjmp tests each) */
	tp_init(&t, LCG_MODE_PDA);
	p = tp_proc(&t, "main", LCG_AP_MAIN);
	{
		u32 s = tp_state(&t, p), sj = tp_setjmp(&t, p, tp_entry(&t, p), s);

		tp_exit(&t, s);
		for (i = 0; i < LCG_MAX_LANDINGS; i++) {
			s = tp_state(&t, p);
			tp_setjmp_copy(&t, sj, tp_entry(&t, p), s);
			tp_exit(&t, s);
		}
	}
	cr_assert_eq(lcg_image_build_ex(&t.pol, 0, &buf, &len, err, sizeof(err)), -1);
	cr_assert(strstr(err, "LCG_MAX_LANDINGS"), "%s", err);
	lcg_policy_free(&t.pol);
}
