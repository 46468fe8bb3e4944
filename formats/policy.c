// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - the in-memory policy: initialisation, release, and the
 * consistency rules every policy obeys (checked before writing and after
 * reading, so that what lcg writes it can always read back).
 */
#include "policy.h"

#include <stdio.h>

#include "../pda/limits.h"
#include "../pda/sensitive.h"
#include "err.h"
#include "grow.h"
#include "policy_schema.h"

void lcg_policy_init(struct lcg_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->entry = LCG_NO_ENTRY;
	lcg_aut_init(&p->graphs);
	lcg_aut_init(&p->nfa);
}

static void event_info_free(struct lcg_event_info *e)
{
	free(e->callee);
	free(e->function);
	free(e->file);
	free(e->pins);
}

static bool dup_field(char **to, const char *s)
{
	*to = s ? strdup(s) : NULL;
	return !s || *to;
}

static bool append_event(struct lcg_policy *p, const struct lcg_event_info *e)
{
	struct lcg_event_info *d;

	if (!lcg_grow32((void **)&p->events, &p->cap_events, p->n_events + 1, sizeof(*d),
			LCG_GROW_MAX32))
		return false;
	d = &p->events[p->n_events];
	*d = (struct lcg_event_info){ .kind = e->kind, .site = e->site, .line = e->line,
				      .classes = e->classes };
	if (!dup_field(&d->callee, e->callee) || !dup_field(&d->function, e->function) ||
	    !dup_field(&d->file, e->file)) {
		event_info_free(d);
		return false;
	}
	p->n_events++;
	return true;
}

u32 lcg_policy_add_event(struct lcg_policy *p, const struct lcg_event_info *e)
{
	static const struct lcg_event_info reserved = { .kind = LCG_EV_UNUSED, .site = LCG_NONE };

	if (!p->n_events && !append_event(p, &reserved))
		return LCG_NONE;
	if (!e)
		return 0;
	return append_event(p, e) ? p->n_events - 1 : LCG_NONE;
}

void lcg_policy_free(struct lcg_policy *p)
{
	for (u32 i = 0; p->events && i < p->n_events; i++)
		event_info_free(&p->events[i]);
	free(p->events);
	free(p->program);
	free(p->raw_pins);
	lcg_aut_free(&p->graphs);
	lcg_aut_free(&p->nfa);
	lcg_policy_init(p);
}

static u32 word_value(const struct lcg_schema_word *words, size_t n, const char *name)
{
	u32 value;

	return name && lcg_schema_value(words, n, name, strlen(name), &value) ? value : 0;
}

static const char *word_name(const struct lcg_schema_word *words, size_t n, u32 value)
{
	const char *name = lcg_schema_name(words, n, value);

	return name ? name : "?";
}

u32 lcg_mode_parse(const char *name)
{
	return word_value(lcg_schema_modes, LCG_SCHEMA_COUNT(lcg_schema_modes), name);
}

const char *lcg_mode_name(u32 mode)
{
	return word_name(lcg_schema_modes, LCG_SCHEMA_COUNT(lcg_schema_modes), mode);
}

u32 lcg_event_set_parse(const char *name)
{
	return word_value(lcg_schema_event_sets, LCG_SCHEMA_COUNT(lcg_schema_event_sets), name);
}

const char *lcg_event_set_name(u32 set)
{
	return word_name(lcg_schema_event_sets, LCG_SCHEMA_COUNT(lcg_schema_event_sets), set);
}

/* @s is a string policy.cbor can hold (NULL is refused by the callers first). */
static const char *string_problem(const char *s)
{
	return lcg_schema_string_problem(s, strlen(s));
}

/* What a checked automaton is: its name in messages and the events it may use. */
struct aut_ctx {
	const struct lcg_policy *p;
	const struct lcg_automaton *a;
	const char *name;	/* "graphs" or "nfa" */
	bool dyck;		/* call edges carry PRECALL/POSTCALL ids */
	char *err;
	size_t errlen;
};

/* Names are the policy file's strings: the schema's rules (the structure is lcg_aut_check()'s). */
static int check_proc_names(const struct aut_ctx *c)
{
	const struct lcg_automaton *a = c->a;

	for (u32 i = 0; i < a->n_procs; i++) {
		const char *name = a->procs[i].name;

		if (!name)
			return lcg_errf(c->err, c->errlen, "%s.procs[%u].name: missing", c->name, i);
		if (string_problem(name))
			return lcg_errf(c->err, c->errlen, "%s.procs[%u].name: %s", c->name, i,
					string_problem(name));
	}
	return 0;
}

/* @id is a used event of @kind whose site is @site (LCG_NONE: any). */
static int check_event_ref(const struct aut_ctx *c, const char *field, u32 i, u32 id,
			   u32 kind, u32 site)
{
	static const char *const kinds[] = { "unused", "libcall", "precall", "postcall" };
	const struct lcg_policy *p = c->p;

	if (id >= p->n_events)
		return lcg_errf(c->err, c->errlen, "%s.%s[%u]: event %u is out of range (%u events)",
				c->name, field, i, id, p->n_events);
	if (p->events[id].kind != kind)
		return lcg_errf(c->err, c->errlen, "%s.%s[%u]: event %u is %s, expected %s",
				c->name, field, i, id,
				p->events[id].kind < 4 ? kinds[p->events[id].kind] : "invalid",
				kinds[kind]);
	if (site != LCG_NONE && p->events[id].site != site)
		return lcg_errf(c->err, c->errlen, "%s.%s[%u]: event %u belongs to site %u, not %u",
				c->name, field, i, id, p->events[id].site, site);
	return 0;
}

/* A site's PRECALL and POSTCALL events: its own in PDA mode, none in NFA mode. */
static int check_site_events(const struct aut_ctx *c, u32 i)
{
	const struct lcg_site *s = &c->a->sites[i];

	if (!c->dyck) {
		if (s->pre_event || s->post_event)
			return lcg_errf(c->err, c->errlen,
					"%s.sites[%u]: NFA-mode sites have no PRECALL/POSTCALL events",
					c->name, i);
		return 0;
	}
	if (!(s->flags & LCG_SITE_SETJMP) &&
	    check_event_ref(c, "sites", i, s->pre_event, LCG_EV_PRECALL, i))
		return -1;
	return check_event_ref(c, "sites", i, s->post_event, LCG_EV_POSTCALL, i);
}

/* The event a call edge of @site must carry. */
static u32 call_edge_event(const struct aut_ctx *c, const struct lcg_site *s)
{
	return c->dyck ? lcg_site_call_event(s) : 0;
}

static int check_edge_event(const struct aut_ctx *c, u32 i, bool *site_has_edge)
{
	const struct lcg_edge *e = &c->a->edges[i];
	const struct lcg_policy *p = c->p;

	if (e->event >= p->n_events)
		return lcg_errf(c->err, c->errlen, "%s.edges[%u].event: %u is out of range (%u events)",
				c->name, i, e->event, p->n_events);
	if (e->event && p->events[e->event].kind == LCG_EV_UNUSED)
		return lcg_errf(c->err, c->errlen, "%s.edges[%u].event: event %u is not defined",
				c->name, i, e->event);
	if (e->site == LCG_NONE) {
		if (e->event && p->events[e->event].kind != LCG_EV_LIBCALL)
			return lcg_errf(c->err, c->errlen,
					"%s.edges[%u].event: call event %u on an edge without a site",
					c->name, i, e->event);
		return 0;
	}
	if (e->event != call_edge_event(c, &c->a->sites[e->site]))
		return lcg_errf(c->err, c->errlen,
				"%s.edges[%u].event: %u, but the call edge of site %u carries %u",
				c->name, i, e->event, e->site,
				call_edge_event(c, &c->a->sites[e->site]));
	site_has_edge[e->site] = true;
	return 0;
}

static int check_edge_events(const struct aut_ctx *c)
{
	const struct lcg_automaton *a = c->a;
	bool *site_has_edge = calloc(a->n_sites ? a->n_sites : 1, sizeof(bool));
	int rc = 0;

	if (!site_has_edge)
		return lcg_errf(c->err, c->errlen, "%s: out of memory", c->name);
	for (u32 i = 0; i < a->n_edges && !rc; i++)
		rc = check_edge_event(c, i, site_has_edge);
	for (u32 i = 0; i < a->n_sites && !rc; i++)
		if (!site_has_edge[i])
			rc = lcg_errf(c->err, c->errlen, "%s.sites[%u]: no call edge %u->%u names it",
				      c->name, i, a->sites[i].from, a->sites[i].to);
	free(site_has_edge);
	return rc;
}

/* The structure (lcg_aut_check()), then what involves the policy's events and strings. */
static int check_automaton(const struct lcg_policy *p, const struct lcg_automaton *a,
			   const char *name, bool dyck, char *err, size_t errlen)
{
	const struct aut_ctx c = { p, a, name, dyck, err, errlen };

	if (lcg_aut_check(a, name, err, errlen) || check_proc_names(&c))
		return -1;
	for (u32 i = 0; i < a->n_sites; i++)
		if (check_site_events(&c, i))
			return -1;
	return check_edge_events(&c);
}

static int check_event(const struct lcg_policy *p, u32 i, u64 *pins, char *err, size_t errlen)
{
	const struct lcg_event_info *e = &p->events[i];

	if (e->kind == LCG_EV_UNUSED)
		return 0;
	if (i == 0)
		return lcg_errf(err, errlen, "events[0]: id 0 is reserved and must be unused");
	if (e->kind > LCG_EV_POSTCALL)
		return lcg_errf(err, errlen, "events[%u].kind: unknown kind %u", i, e->kind);
	if (!e->callee)
		return lcg_errf(err, errlen, "events[%u].callee: missing", i);
	if (string_problem(e->callee))
		return lcg_errf(err, errlen, "events[%u].callee: %s", i, string_problem(e->callee));
	if (!e->function)
		return lcg_errf(err, errlen, "events[%u].function: missing", i);
	if (string_problem(e->function))
		return lcg_errf(err, errlen, "events[%u].function: %s", i, string_problem(e->function));
	/* an empty file name is written as no file name */
	if (e->file && e->file[0] && string_problem(e->file))
		return lcg_errf(err, errlen, "events[%u].file: %s", i, string_problem(e->file));
	if (e->n_pins > LCG_MAX_PINS || *pins + e->n_pins > LCG_MAX_PINS)
		return lcg_errf(err, errlen, "events[%u].pins: more than %u pins in all",
				i, LCG_MAX_PINS);
	*pins += e->n_pins;
	if (e->classes & ~LCG_SC_ALL)
		return lcg_errf(err, errlen, "events[%u].classes: unknown class bits 0x%x", i,
				e->classes & ~LCG_SC_ALL);
	if (e->classes && e->kind != LCG_EV_LIBCALL)
		return lcg_errf(err, errlen, "events[%u].classes: only libcall events arm classes", i);
	if (e->kind == LCG_EV_LIBCALL) {
		if (e->site != LCG_NONE)
			return lcg_errf(err, errlen, "events[%u].site: a libcall event has no site", i);
		return 0;
	}
	if (p->mode != LCG_MODE_PDA)
		return lcg_errf(err, errlen,
				"events[%u].kind: %s event in an NFA-mode policy (only libcall exists there)",
				i, e->kind == LCG_EV_PRECALL ? "precall" : "postcall");
	if (e->site >= p->graphs.n_sites)
		return lcg_errf(err, errlen, "events[%u].site: %u is out of range (%u sites)",
				i, e->site, p->graphs.n_sites);
	const struct lcg_site *s = &p->graphs.sites[e->site];
	u32 expect = e->kind == LCG_EV_PRECALL ? s->pre_event : s->post_event;

	if (expect != i)
		return lcg_errf(err, errlen, "events[%u].site: site %u has %s event %u, not %u",
				i, e->site, e->kind == LCG_EV_PRECALL ? "PRECALL" : "POSTCALL",
				expect, i);
	return 0;
}

static int check_header(const struct lcg_policy *p, char *err, size_t errlen)
{
	if (!p->program)
		return lcg_errf(err, errlen, "program: missing");
	if (string_problem(p->program))
		return lcg_errf(err, errlen, "program: %s", string_problem(p->program));
	if (p->mode != LCG_MODE_PDA && p->mode != LCG_MODE_NFA)
		return lcg_errf(err, errlen, "mode: unknown mode %u", p->mode);
	if (p->event_set < LCG_EVENTS_EFFECTS || p->event_set > LCG_EVENTS_ALL_LIBC)
		return lcg_errf(err, errlen, "event_set: unknown event set %u", p->event_set);
	if (p->n_events == 0 || !p->events)
		return lcg_errf(err, errlen, "events: missing (entry 0 is always present)");
	if (p->n_events > LCG_MAX_EVENTS)
		return lcg_errf(err, errlen, "events: %u events exceed the limit of %u",
				p->n_events, LCG_MAX_EVENTS);
	if (p->mode == LCG_MODE_PDA && (p->nfa.n_states || p->nfa.n_procs || p->nfa.n_edges))
		return lcg_errf(err, errlen, "nfa: a PDA-mode policy has no whole-program automaton");
	if (p->mode == LCG_MODE_NFA && !p->nfa.n_procs)
		return lcg_errf(err, errlen, "nfa: an NFA-mode policy needs its whole-program automaton");
	if (p->n_raw_pins > LCG_MAX_RAW_PINS)
		return lcg_errf(err, errlen, "raw_pins: %u pins exceed the limit of %u", p->n_raw_pins,
				LCG_MAX_RAW_PINS);
	for (u32 i = 1; i < p->n_raw_pins; i++)
		if (p->raw_pins[i] <= p->raw_pins[i - 1])
			return lcg_errf(err, errlen, "raw_pins[%u]: not above the previous pin "
					"(sorted, no repeats)", i);
	if (!p->has_sha256 && (p->n_raw_pins || p->is_static || p->entry != LCG_NO_ENTRY))
		return lcg_errf(err, errlen, "raw_pins, entry, static: only a finalised policy "
				"(with sha256) has them");
	return 0;
}

int lcg_policy_check(const struct lcg_policy *p, char *err, size_t errlen)
{
	u64 pins = 0;

	if (check_header(p, err, errlen))
		return -1;
	for (u32 i = 0; i < p->n_events; i++)
		if (check_event(p, i, &pins, err, errlen))
			return -1;
	if (check_automaton(p, &p->graphs, "graphs", p->mode == LCG_MODE_PDA, err, errlen))
		return -1;
	if (p->mode == LCG_MODE_NFA &&
	    check_automaton(p, &p->nfa, "nfa", false, err, errlen))
		return -1;
	return 0;
}
