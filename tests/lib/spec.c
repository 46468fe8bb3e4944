// SPDX-License-Identifier: GPL-2.0
/* spec.c - test-policy spec files; see spec.h. */
#define _GNU_SOURCE
#include "spec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/err.h"
#include "formats/grow.h"
#include "pda/limits.h"
#include "pda/sensitive.h"

#define EVENT_USAGE "event ID KIND CALLEE FUNCTION [FILE:LINE] [classes=C,...]"
#define MAX_LINES 4096

/* A state name of the procedure being built, and its number. */
struct state_name {
	const char *name;
	u32 state;
};

struct builder {
	const struct spec *spec;
	struct lcg_policy *p;
	struct lcg_automaton *a;
	u32 proc;			/* current procedure, LCG_NONE before the first */
	struct state_name *names;
	size_t n_names, cap_names;
	char *err;
	size_t errlen;
};

/* An error at spec line @l of the builder's spec. */
#define build_fail(b, l, fmt, ...) \
	spec_fail((b)->spec, (l), (b)->err, (b)->errlen, fmt, ##__VA_ARGS__)

/* Split @line (modified) into words; '#' starts a comment. */
static int split_words(struct spec_line *l, char *line)
{
	char *hash = strchr(line, '#'), *save, *w;

	if (hash)
		*hash = '\0';
	for (w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
		if (l->n == SPEC_MAX_WORDS)
			return -1;
		l->w[l->n++] = w;
	}
	return 0;
}

int spec_read(struct spec *s, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0;
	char *line, *next;
	int lineno = 0;

	memset(s, 0, sizeof(*s));
	s->path = path;
	if (!f)
		return lcg_errf(err, errlen, "%s: %s", path, strerror(errno));
	if (getdelim(&s->text, &cap, '\0', f) < 0 && ferror(f)) {
		fclose(f);
		return lcg_errf(err, errlen, "%s: %s", path, strerror(errno));
	}
	fclose(f);
	s->lines = calloc(MAX_LINES, sizeof(*s->lines));
	if (!s->lines)
		return lcg_errf(err, errlen, "%s: out of memory", path);
	for (line = s->text; line && *line; line = next) {
		struct spec_line *l = &s->lines[s->n];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		l->lineno = ++lineno;
		if (split_words(l, line) != 0)
			return lcg_errf(err, errlen, "%s:%d: more than %d words", path, lineno,
					SPEC_MAX_WORDS);
		if (l->n && ++s->n == MAX_LINES)
			return lcg_errf(err, errlen, "%s: more than %d directives", path, MAX_LINES);
	}
	return 0;
}

void spec_free(struct spec *s)
{
	free(s->text);
	free(s->lines);
}

bool spec_u32(const char *s, u32 *v)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(s, &end, 0);
	if (errno || *end || end == s || x > UINT32_MAX)
		return false;
	*v = (u32)x;
	return true;
}

static int parse_kind(const char *s, u32 *kind)
{
	static const char *const names[] = { "libcall", "precall", "postcall" };
	static const u32 kinds[] = { LCG_EV_LIBCALL, LCG_EV_PRECALL, LCG_EV_POSTCALL };

	for (size_t i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*kind = kinds[i];
			return 0;
		}
	return -1;
}

static int parse_role(const char *s, u32 *flags)
{
	static const struct { const char *name; u32 flag; } roles[] = {
		{ "main", LCG_AP_MAIN }, { "thread", LCG_AP_THREAD_ENTRY },
		{ "signal", LCG_AP_SIGNAL_HANDLER }, { "exit", LCG_AP_EXIT_HANDLER },
		{ "constructor", LCG_AP_CONSTRUCTOR }, { "callback", LCG_AP_LIBC_CALLBACK },
		{ "address-taken", LCG_AP_ADDRESS_TAKEN },
	};

	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(s, roles[i].name) == 0) {
			*flags |= roles[i].flag;
			return 0;
		}
	return -1;
}

/* The index the procedure @name gets: its rank among the proc lines. */
static u32 proc_index(const struct spec *s, const char *name)
{
	u32 idx = 0;

	for (int i = 0; i < s->n; i++) {
		const struct spec_line *l = &s->lines[i];

		if (strcmp(l->w[0], "proc") || l->n < 2)
			continue;
		if (strcmp(l->w[1], name) == 0)
			return idx;
		idx++;
	}
	return LCG_NONE;
}

static u32 max_event_id(const struct spec *s)
{
	u32 max = 0, id;

	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->lines[i].w[0], "event") && s->lines[i].n > 1 &&
		    spec_u32(s->lines[i].w[1], &id) && id > max && id < LCG_MAX_EVENTS)
			max = id;
	return max;
}

/* "classes=delete,write" (or "classes=all") into a mask of LCG_SC_BIT()s. */
static int parse_classes(struct builder *b, const struct spec_line *l, const char *list,
			 u32 *mask)
{
	const char *p = list;

	*mask = 0;
	if (!strcmp(list, "all")) {
		*mask = LCG_SC_ALL;
		return 0;
	}
	while (*p) {
		size_t len = strcspn(p, ",");
		u32 cls;

		if (!lcg_sclass_parse(p, len, &cls))
			return build_fail(b, l, "unknown class '%.*s' in classes= (exec, spawn, "
					 "delete, rename, attr, write, net, exec-mem, proc, id, "
					 "hide, admin, or all)", (int)len, p);
		*mask |= LCG_SC_BIT(cls);
		p += len + (p[len] == ',');
	}
	return 0;
}

static int event_place(struct builder *b, const struct spec_line *l, const char *w,
		       struct lcg_event_info *e)
{
	const char *colon = strrchr(w, ':');

	if (!colon || !spec_u32(colon + 1, &e->line))
		return build_fail(b, l, "'%s' is not FILE:LINE", w);
	e->file = strndup(w, (size_t)(colon - w));
	return e->file ? 0 : build_fail(b, l, "out of memory");
}

/* The words after FUNCTION: [FILE:LINE] [classes=...], in this order. */
static int event_extras(struct builder *b, const struct spec_line *l, struct lcg_event_info *e)
{
	int i = 5;

	if (i < l->n && strncmp(l->w[i], "classes=", 8) && event_place(b, l, l->w[i++], e))
		return -1;
	if (i < l->n && !strncmp(l->w[i], "classes=", 8)) {
		if (e->kind != LCG_EV_LIBCALL)
			return build_fail(b, l, "only a libcall event arms classes");
		if (parse_classes(b, l, l->w[i++] + 8, &e->classes))
			return -1;
	}
	return i == l->n ? 0 : build_fail(b, l, "'%s' after the event: usage: %s", l->w[i],
					 EVENT_USAGE);
}

static int event_line(struct builder *b, const struct spec_line *l)
{
	struct lcg_event_info *e;
	u32 id, kind;

	if (l->n < 5 || l->n > 7)
		return build_fail(b, l, "usage: %s", EVENT_USAGE);
	if (!spec_u32(l->w[1], &id) || id == 0 || id >= b->p->n_events)
		return build_fail(b, l, "bad event id '%s' (1..%u)",
				 l->w[1], LCG_MAX_EVENTS - 1);
	if (parse_kind(l->w[2], &kind) != 0)
		return build_fail(b, l, "unknown kind '%s' (libcall, precall or postcall)", l->w[2]);
	e = &b->p->events[id];
	if (e->kind != LCG_EV_UNUSED)
		return build_fail(b, l, "event %u defined twice", id);
	e->kind = kind;
	e->callee = strdup(l->w[3]);
	e->function = strdup(l->w[4]);
	if (!e->callee || !e->function)
		return build_fail(b, l, "out of memory");
	return event_extras(b, l, e);
}

static int header_line(struct builder *b, const struct spec_line *l)
{
	const char *k = l->w[0];

	if (!strcmp(k, "mode")) {
		if (l->n != 2 || !(b->p->mode = lcg_mode_parse(l->w[1])))
			return build_fail(b, l, "usage: mode pda|nfa");
	} else if (!strcmp(k, "events")) {
		if (l->n != 2 || !(b->p->event_set = lcg_event_set_parse(l->w[1])))
			return build_fail(b, l, "usage: events effects|syscalls|all-libc");
	} else if (!strcmp(k, "event")) {
		return event_line(b, l);
	} else if (strcmp(k, "proc") && strcmp(k, "edge") && strcmp(k, "exit") &&
		   strcmp(k, "call") && strcmp(k, "pins")) {
		return build_fail(b, l, "unknown directive '%s'", k);
	}
	return 0;
}

/* The state @name of the current procedure, created on first use. */
static u32 state_of(struct builder *b, const char *name)
{
	struct state_name *n;

	if (!strcmp(name, "entry"))
		return b->a->procs[b->proc].entry;
	for (size_t i = 0; i < b->n_names; i++)
		if (!strcmp(b->names[i].name, name))
			return b->names[i].state;
	if (!lcg_grow((void **)&b->names, &b->cap_names, b->n_names + 1, sizeof(*n), SIZE_MAX))
		return LCG_NONE;
	n = &b->names[b->n_names];
	n->state = lcg_aut_add_state(b->a, b->proc);
	n->name = name;
	if (n->state != LCG_NONE)
		b->n_names++;
	return n->state;
}

static int proc_line(struct builder *b, const struct spec_line *l)
{
	u32 flags = 0;

	if (l->n < 2)
		return build_fail(b, l, "usage: proc NAME [ROLE]...");
	for (int i = 2; i < l->n; i++)
		if (parse_role(l->w[i], &flags) != 0)
			return build_fail(b, l, "unknown role '%s' (main, thread, signal, exit, "
					 "constructor, callback, address-taken)", l->w[i]);
	b->proc = lcg_aut_add_proc(b->a, l->w[1], flags);
	b->n_names = 0;
	return b->proc == LCG_NONE ? build_fail(b, l, "out of memory")
				   : 0;
}

static int edge_line(struct builder *b, const struct spec_line *l)
{
	u32 ev = 0;

	if (l->n != 4)
		return build_fail(b, l, "usage: edge FROM TO ID|eps");
	if (strcmp(l->w[3], "eps") && (!spec_u32(l->w[3], &ev) || ev == 0))
		return build_fail(b, l, "bad event '%s' (an id or eps)",
				 l->w[3]);
	lcg_aut_add_edge(b->a, state_of(b, l->w[1]), state_of(b, l->w[2]), ev, LCG_NONE);
	return 0;
}

static int call_line(struct builder *b, const struct spec_line *l)
{
	struct lcg_site site = { .caller = b->proc };
	bool setjmp_site = !strcmp(l->w[l->n - 1], "setjmp");
	int last = setjmp_site ? l->n - 1 : l->n;
	u32 callees[SPEC_MAX_WORDS], idx;

	if (b->p->mode != LCG_MODE_PDA)
		return build_fail(b, l, "call sites exist in pda mode only");
	if (last < 6 || !spec_u32(l->w[3], &site.pre_event) ||
	    !spec_u32(l->w[4], &site.post_event))
		return build_fail(b, l, "usage: call FROM TO PRE POST CALLEE... [setjmp]");
	for (int i = 5; i < last; i++) {
		callees[i - 5] = proc_index(b->spec, l->w[i]);
		if (callees[i - 5] == LCG_NONE)
			return build_fail(b, l, "no procedure '%s'",
					 l->w[i]);
	}
	site.from = state_of(b, l->w[1]);
	site.to = state_of(b, l->w[2]);
	site.callees = callees;
	site.n_callees = (u32)(last - 5);
	site.flags = setjmp_site ? LCG_SITE_SETJMP : 0;
	idx = lcg_aut_add_site(b->a, &site);
	lcg_aut_add_edge(b->a, site.from, site.to, site.pre_event ? site.pre_event
								   : site.post_event, idx);
	if (site.pre_event && site.pre_event < b->p->n_events)
		b->p->events[site.pre_event].site = idx;
	if (site.post_event < b->p->n_events)
		b->p->events[site.post_event].site = idx;
	return 0;
}

static int automaton_line(struct builder *b, const struct spec_line *l)
{
	const char *k = l->w[0];

	if (!strcmp(k, "proc"))
		return proc_line(b, l);
	if (strcmp(k, "edge") && strcmp(k, "exit") && strcmp(k, "call"))
		return 0;
	if (b->proc == LCG_NONE)
		return build_fail(b, l, "'%s' before the first proc", k);
	if (!strcmp(k, "edge"))
		return edge_line(b, l);
	if (!strcmp(k, "call"))
		return call_line(b, l);
	if (l->n != 2)
		return build_fail(b, l, "usage: exit STATE");
	lcg_aut_set_exit(b->a, state_of(b, l->w[1]));
	return 0;
}

static int build_automaton(struct builder *b, struct lcg_automaton *a)
{
	b->a = a;
	b->proc = LCG_NONE;
	for (int i = 0; i < b->spec->n; i++)
		if (automaton_line(b, &b->spec->lines[i]) != 0)
			return -1;
	if (a->oom)
		return lcg_errf(b->err, b->errlen, "%s: out of memory", b->spec->path);
	return 0;
}


/* Ids 0..max of the spec's event lines, unused until their line is read. */
static int event_table(struct builder *b)
{
	static const struct lcg_event_info hole = { .kind = LCG_EV_UNUSED, .site = LCG_NONE };
	u32 n = max_event_id(b->spec) + 1;

	while (b->p->n_events < n)
		if (lcg_policy_add_event(b->p, b->p->n_events ? &hole : NULL) == LCG_NONE)
			return lcg_errf(b->err, b->errlen, "%s: out of memory", b->spec->path);
	return 0;
}

int spec_build(const struct spec *s, struct lcg_policy *p, char *err, size_t errlen)
{
	struct builder b = { .spec = s, .p = p, .err = err, .errlen = errlen };
	int rc = -1;

	p->mode = LCG_MODE_PDA;
	p->event_set = LCG_EVENTS_EFFECTS;
	if (event_table(&b))
		goto out;
	for (int i = 0; i < s->n; i++)
		if (header_line(&b, &s->lines[i]) != 0)
			goto out;
	if (build_automaton(&b, &p->graphs) != 0 ||
	    (p->mode == LCG_MODE_NFA && build_automaton(&b, &p->nfa) != 0))
		goto out;
	rc = 0;
out:
	free(b.names);
	return rc;
}
