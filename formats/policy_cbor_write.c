// SPDX-License-Identifier: GPL-2.0
/*
 * policy_cbor_write.c - encode a policy as policy.cbor (docs/policy-format.md)
 * with libcbor's streaming encoder, straight into one buffer: no item tree,
 * so a policy of millions of edges costs its encoded size and no more.
 */
#include <cbor.h>
#include <stdio.h>

#include "atomic_file.h"
#include "grow.h"
#include "policy.h"
#include "policy_schema.h"
#include "../pda/sensitive.h"

struct wbuf {
	u8 *data;
	size_t len, cap;
	bool oom;
};

static void put_raw(struct wbuf *w, const void *src, size_t n)
{
	if (w->oom)
		return;
	if (!lcg_grow((void **)&w->data, &w->cap, w->len + n, 1, SIZE_MAX)) {
		w->oom = true;
		return;
	}
	memcpy(w->data + w->len, src, n);
	w->len += n;
}

/* Every CBOR head fits in 9 bytes. */
#define HEAD(w, encoder, ...) do {				\
	unsigned char head_[9];					\
	size_t n_ = encoder(__VA_ARGS__, head_, sizeof(head_));	\
	put_raw((w), head_, n_);				\
} while (0)

static void put_uint(struct wbuf *w, u64 v)
{
	HEAD(w, cbor_encode_uint, v);
}

static void put_array(struct wbuf *w, size_t n)
{
	HEAD(w, cbor_encode_array_start, n);
}

static void put_map(struct wbuf *w, size_t n)
{
	HEAD(w, cbor_encode_map_start, n);
}

static void put_bool(struct wbuf *w, bool b)
{
	HEAD(w, cbor_encode_bool, b);
}

static void put_null(struct wbuf *w)
{
	unsigned char head[1];

	put_raw(w, head, cbor_encode_null(head, sizeof(head)));
}

static void put_text(struct wbuf *w, const char *s)
{
	size_t n = strlen(s);

	HEAD(w, cbor_encode_string_start, n);
	put_raw(w, s, n);
}

static void put_bytes(struct wbuf *w, const u8 *b, size_t n)
{
	HEAD(w, cbor_encode_bytestring_start, n);
	put_raw(w, b, n);
}

static void put_classes(struct wbuf *w, u32 mask)
{
	u32 n = 0;

	for (u32 c = 0; c < LCG_SC_COUNT; c++)
		n += !!(mask & LCG_SC_BIT(c));
	put_array(w, n);
	for (u32 c = 0; c < LCG_SC_COUNT; c++)
		if (mask & LCG_SC_BIT(c))
			put_text(w, lcg_sclass_name(c));
}

static void put_event(struct wbuf *w, const struct lcg_event_info *e, u32 id)
{
	bool has_site = e->kind != LCG_EV_LIBCALL, has_file = e->file && e->file[0];

	put_map(w, 5 + has_file + !!e->line + has_site + !has_site);
	put_text(w, "id");
	put_uint(w, id);
	put_text(w, "kind");
	put_text(w, lcg_schema_name(lcg_schema_kinds, LCG_SCHEMA_COUNT(lcg_schema_kinds),
				    e->kind));
	put_text(w, "callee");
	put_text(w, e->callee);
	put_text(w, "function");
	put_text(w, e->function);
	if (has_file) {
		put_text(w, "file");
		put_text(w, e->file);
	}
	if (e->line) {
		put_text(w, "line");
		put_uint(w, e->line);
	}
	if (has_site) {
		put_text(w, "site");
		put_uint(w, e->site);
	} else {
		put_text(w, "classes");
		put_classes(w, e->classes);
	}
	put_text(w, "pins");
	put_array(w, e->n_pins);
	for (u32 k = 0; k < e->n_pins; k++)
		put_uint(w, e->pins[k]);
}

static void put_events(struct wbuf *w, const struct lcg_policy *p)
{
	put_array(w, p->n_events);
	for (u32 i = 0; i < p->n_events; i++) {
		if (p->events[i].kind == LCG_EV_UNUSED)
			put_null(w);
		else
			put_event(w, &p->events[i], i);
	}
}

static void put_roles(struct wbuf *w, u32 flags)
{
	size_t n = 0;

	for (size_t r = 0; r < LCG_SCHEMA_COUNT(lcg_schema_roles); r++)
		n += !!(flags & lcg_schema_roles[r].value);
	put_array(w, n);
	for (size_t r = 0; r < LCG_SCHEMA_COUNT(lcg_schema_roles); r++)
		if (flags & lcg_schema_roles[r].value)
			put_text(w, lcg_schema_roles[r].name);
}

static void put_site(struct wbuf *w, const struct lcg_site *s)
{
	put_map(w, 7);
	put_text(w, "caller");
	put_uint(w, s->caller);
	put_text(w, "from");
	put_uint(w, s->from);
	put_text(w, "to");
	put_uint(w, s->to);
	put_text(w, "pre_event");
	put_uint(w, s->pre_event);
	put_text(w, "post_event");
	put_uint(w, s->post_event);
	put_text(w, "callees");
	put_array(w, s->n_callees);
	for (u32 k = 0; k < s->n_callees; k++)
		put_uint(w, s->callees[k]);
	put_text(w, "setjmp");
	put_bool(w, s->flags & LCG_SITE_SETJMP);
}

static void put_automaton(struct wbuf *w, const struct lcg_automaton *a)
{
	put_map(w, 4);
	put_text(w, "states");
	put_array(w, a->n_states);
	for (u32 i = 0; i < a->n_states; i++) {
		put_array(w, 2);
		put_uint(w, a->states[i].proc);
		put_bool(w, a->states[i].flags & LCG_STATE_EXIT);
	}
	put_text(w, "edges");
	put_array(w, a->n_edges);
	for (u32 i = 0; i < a->n_edges; i++) {
		const struct lcg_edge *e = &a->edges[i];

		put_array(w, 4);
		put_uint(w, e->from);
		put_uint(w, e->to);
		put_uint(w, e->event);
		if (e->site == LCG_NONE)
			put_null(w);
		else
			put_uint(w, e->site);
	}
	put_text(w, "procs");
	put_array(w, a->n_procs);
	for (u32 i = 0; i < a->n_procs; i++) {
		put_map(w, 3);
		put_text(w, "name");
		put_text(w, a->procs[i].name);
		put_text(w, "entry");
		put_uint(w, a->procs[i].entry);
		put_text(w, "roles");
		put_roles(w, a->procs[i].flags);
	}
	put_text(w, "sites");
	put_array(w, a->n_sites);
	for (u32 i = 0; i < a->n_sites; i++)
		put_site(w, &a->sites[i]);
}

/* The procedures having @role, as an explicit list (the reader cross-checks). */
static void put_procs_with(struct wbuf *w, const struct lcg_automaton *a, u32 role)
{
	u32 n = 0;

	for (u32 i = 0; i < a->n_procs; i++)
		n += !!(a->procs[i].flags & role);
	put_array(w, n);
	for (u32 i = 0; i < a->n_procs; i++)
		if (a->procs[i].flags & role)
			put_uint(w, i);
}

static void put_setjmp_sites(struct wbuf *w, const struct lcg_automaton *a)
{
	u32 n = 0;

	for (u32 i = 0; i < a->n_sites; i++)
		n += !!(a->sites[i].flags & LCG_SITE_SETJMP);
	put_array(w, n);
	for (u32 i = 0; i < a->n_sites; i++)
		if (a->sites[i].flags & LCG_SITE_SETJMP)
			put_uint(w, i);
}

static void put_policy(struct wbuf *w, const struct lcg_policy *p)
{
	bool nfa = p->mode == LCG_MODE_NFA, entry = p->entry != LCG_NO_ENTRY;

	put_map(w, 11 + p->has_sha256 * 2 + entry + p->is_static + nfa);
	put_text(w, "version");	/* first, so any reader finds it before the rest */
	put_uint(w, LCG_POLICY_VERSION);
	put_text(w, "program");
	put_text(w, p->program);
	if (p->has_sha256) {
		put_text(w, "sha256");
		put_bytes(w, p->sha256, sizeof(p->sha256));
		put_text(w, "raw_pins");
		put_array(w, p->n_raw_pins);
		for (u32 i = 0; i < p->n_raw_pins; i++)
			put_uint(w, p->raw_pins[i]);
	}
	if (entry) {
		put_text(w, "entry");
		put_uint(w, p->entry);
	}
	if (p->is_static) {
		put_text(w, "static");
		put_bool(w, true);
	}
	put_text(w, "mode");
	put_text(w, lcg_schema_name(lcg_schema_modes, LCG_SCHEMA_COUNT(lcg_schema_modes),
				    p->mode));
	put_text(w, "event_set");
	put_text(w, lcg_schema_name(lcg_schema_event_sets,
				    LCG_SCHEMA_COUNT(lcg_schema_event_sets), p->event_set));
	put_text(w, "events");
	put_events(w, p);
	put_text(w, "graphs");
	put_automaton(w, &p->graphs);
	if (nfa) {
		put_text(w, "nfa");
		put_automaton(w, &p->nfa);
	}
	put_text(w, "signal_handlers");
	put_procs_with(w, &p->graphs, LCG_AP_SIGNAL_HANDLER);
	put_text(w, "thread_entries");
	put_procs_with(w, &p->graphs, LCG_AP_THREAD_ENTRY);
	put_text(w, "exit_handlers");
	put_procs_with(w, &p->graphs, LCG_AP_EXIT_HANDLER);
	put_text(w, "constructors");
	put_procs_with(w, &p->graphs, LCG_AP_CONSTRUCTOR);
	put_text(w, "setjmp_sites");
	put_setjmp_sites(w, &p->graphs);
}

int lcg_policy_encode(const struct lcg_policy *p, u8 **out, size_t *len,
		      char *err, size_t errlen)
{
	struct wbuf w = { 0 };
	char why[512];

	*out = NULL;
	*len = 0;
	if (lcg_policy_check(p, why, sizeof(why))) {
		snprintf(err, errlen, "refusing to encode an inconsistent policy: %s", why);
		return -1;
	}
	put_policy(&w, p);
	if (w.oom) {
		free(w.data);
		snprintf(err, errlen, "out of memory while encoding the policy (%zu bytes so far)",
			 w.len);
		return -1;
	}
	*out = w.data;
	*len = w.len;
	return 0;
}

int lcg_policy_write(const struct lcg_policy *p, const char *path, char *err, size_t errlen)
{
	char why[768];
	u8 *buf;
	size_t len;
	int rc;

	if (lcg_policy_encode(p, &buf, &len, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s (nothing written)", path, why);
		return -1;
	}
	rc = lcg_write_file_atomic(path, buf, len, err, errlen);
	free(buf);
	return rc;
}
