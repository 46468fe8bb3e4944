// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-testpolicy - write a policy.cbor for a hand-instrumented test program
 * (events made with pda/abi.h's LCG_EVENT) from a small text spec, with
 * the pins read from the binary's .lcg_sites (raw system calls included),
 * its entry point, whether it is static, and its SHA-256: the policy that
 * lcg-cc would produce, for tests that must not depend on the analysis.
 *
 * usage: lcg-testpolicy [--unfinalised] [--program PATH] -o POLICY SPEC BINARY
 *
 * SPEC, one directive per line ('#' starts a comment):
 *   mode pda|nfa                       (default pda)
 *   events effects|syscalls|all-libc   (default effects)
 *   event ID libcall|precall|postcall CALLEE FUNCTION [FILE:LINE] [classes=C,...]
 *                                      C: a sensitive class the libcall arms
 *                                      (pda/sensitive.h: delete, write, exec,
 *                                      spawn, ...), or all; without classes=
 *                                      it arms none
 *   proc NAME [main|thread|signal|exit|constructor|callback|address-taken]...
 *   edge FROM TO ID|eps                states are names local to the current
 *                                      proc; "entry" is its entry state
 *   exit STATE
 *   call FROM TO PRE POST CALLEE...    PDA call site in the current proc
 *                                      (PRE 0 and the word setjmp at the end
 *                                      for a setjmp site)
 *   pins swap A B | pins drop ID       tamper with the binary's pins (tests
 *                                      of events from unpinned addresses)
 * In NFA mode the procedures form the whole-program automaton (and are also
 * written as the per-procedure graphs).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/binary.h"
#include "pda/abi.h"
#include "formats/policy.h"
#include "pda/limits.h"
#include "pda/sensitive.h"

#define MAX_WORDS 32
#define EVENT_USAGE "event ID KIND CALLEE FUNCTION [FILE:LINE] [classes=C,...]"
#define MAX_LINES 4096

struct spec_line {
	int lineno;
	int n;
	char *w[MAX_WORDS];
};

struct spec {
	const char *path;
	struct spec_line *lines;
	int n;
	char *text;
};

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
	char err[512];
};

__attribute__((format(printf, 3, 4)))
static int failf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* An error at spec line @l: "SPEC:LINE: message". */
#define spec_fail(b, l, fmt, ...) \
	failf((b)->err, sizeof((b)->err), "%s:%d: " fmt, (b)->spec->path, (l)->lineno, ##__VA_ARGS__)

/* Split @line (modified) into words; '#' starts a comment. */
static int split_words(struct spec_line *l, char *line)
{
	char *hash = strchr(line, '#'), *save, *w;

	if (hash)
		*hash = '\0';
	for (w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
		if (l->n == MAX_WORDS)
			return -1;
		l->w[l->n++] = w;
	}
	return 0;
}

static int spec_read(struct spec *s, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0;
	char *line, *next;
	int lineno = 0;

	memset(s, 0, sizeof(*s));
	s->path = path;
	if (!f)
		return failf(err, errlen, "%s: %s", path, strerror(errno));
	if (getdelim(&s->text, &cap, '\0', f) < 0 && ferror(f)) {
		fclose(f);
		return failf(err, errlen, "%s: %s", path, strerror(errno));
	}
	fclose(f);
	s->lines = calloc(MAX_LINES, sizeof(*s->lines));
	if (!s->lines)
		return failf(err, errlen, "%s: out of memory", path);
	for (line = s->text; line && *line; line = next) {
		struct spec_line *l = &s->lines[s->n];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		l->lineno = ++lineno;
		if (split_words(l, line) != 0)
			return failf(err, errlen, "%s:%d: more than %d words", path, lineno,
				     MAX_WORDS);
		if (l->n && ++s->n == MAX_LINES)
			return failf(err, errlen, "%s: more than %d directives", path, MAX_LINES);
	}
	return 0;
}

static void spec_free(struct spec *s)
{
	free(s->text);
	free(s->lines);
}

static bool parse_u32(const char *s, u32 *v)
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
		    parse_u32(s->lines[i].w[1], &id) && id > max && id < LCG_MAX_EVENTS)
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
			return spec_fail(b, l, "unknown class '%.*s' in classes= (exec, spawn, "
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

	if (!colon || !parse_u32(colon + 1, &e->line))
		return spec_fail(b, l, "'%s' is not FILE:LINE", w);
	e->file = strndup(w, (size_t)(colon - w));
	return e->file ? 0 : spec_fail(b, l, "out of memory");
}

/* The words after FUNCTION: [FILE:LINE] [classes=...], in this order. */
static int event_extras(struct builder *b, const struct spec_line *l, struct lcg_event_info *e)
{
	int i = 5;

	if (i < l->n && strncmp(l->w[i], "classes=", 8) && event_place(b, l, l->w[i++], e))
		return -1;
	if (i < l->n && !strncmp(l->w[i], "classes=", 8)) {
		if (e->kind != LCG_EV_LIBCALL)
			return spec_fail(b, l, "only a libcall event arms classes");
		if (parse_classes(b, l, l->w[i++] + 8, &e->classes))
			return -1;
	}
	return i == l->n ? 0 : spec_fail(b, l, "'%s' after the event: usage: %s", l->w[i],
					 EVENT_USAGE);
}

static int event_line(struct builder *b, const struct spec_line *l)
{
	struct lcg_event_info *e;
	u32 id, kind;

	if (l->n < 5 || l->n > 7)
		return spec_fail(b, l, "usage: %s", EVENT_USAGE);
	if (!parse_u32(l->w[1], &id) || id == 0 || id >= b->p->n_events)
		return spec_fail(b, l, "bad event id '%s' (1..%u)",
				 l->w[1], LCG_MAX_EVENTS - 1);
	if (parse_kind(l->w[2], &kind) != 0)
		return spec_fail(b, l, "unknown kind '%s' (libcall, precall or postcall)", l->w[2]);
	e = &b->p->events[id];
	if (e->kind != LCG_EV_UNUSED)
		return spec_fail(b, l, "event %u defined twice", id);
	e->kind = kind;
	e->callee = strdup(l->w[3]);
	e->function = strdup(l->w[4]);
	if (!e->callee || !e->function)
		return spec_fail(b, l, "out of memory");
	return event_extras(b, l, e);
}

static int header_line(struct builder *b, const struct spec_line *l)
{
	const char *k = l->w[0];

	if (!strcmp(k, "mode")) {
		if (l->n != 2 || !(b->p->mode = lcg_mode_parse(l->w[1])))
			return spec_fail(b, l, "usage: mode pda|nfa");
	} else if (!strcmp(k, "events")) {
		if (l->n != 2 || !(b->p->event_set = lcg_event_set_parse(l->w[1])))
			return spec_fail(b, l, "usage: events effects|syscalls|all-libc");
	} else if (!strcmp(k, "event")) {
		return event_line(b, l);
	} else if (strcmp(k, "proc") && strcmp(k, "edge") && strcmp(k, "exit") &&
		   strcmp(k, "call") && strcmp(k, "pins")) {
		return spec_fail(b, l, "unknown directive '%s'", k);
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
	if (b->n_names == b->cap_names) {
		size_t cap = b->cap_names ? 2 * b->cap_names : 16;

		n = realloc(b->names, cap * sizeof(*n));
		if (!n)
			return LCG_NONE;
		b->names = n;
		b->cap_names = cap;
	}
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
		return spec_fail(b, l, "usage: proc NAME [ROLE]...");
	for (int i = 2; i < l->n; i++)
		if (parse_role(l->w[i], &flags) != 0)
			return spec_fail(b, l, "unknown role '%s' (main, thread, signal, exit, "
					 "constructor, callback, address-taken)", l->w[i]);
	b->proc = lcg_aut_add_proc(b->a, l->w[1], flags);
	b->n_names = 0;
	return b->proc == LCG_NONE ? spec_fail(b, l, "out of memory")
				   : 0;
}

static int edge_line(struct builder *b, const struct spec_line *l)
{
	u32 ev = 0;

	if (l->n != 4)
		return spec_fail(b, l, "usage: edge FROM TO ID|eps");
	if (strcmp(l->w[3], "eps") && (!parse_u32(l->w[3], &ev) || ev == 0))
		return spec_fail(b, l, "bad event '%s' (an id or eps)",
				 l->w[3]);
	lcg_aut_add_edge(b->a, state_of(b, l->w[1]), state_of(b, l->w[2]), ev, LCG_NONE);
	return 0;
}

static int call_line(struct builder *b, const struct spec_line *l)
{
	struct lcg_site site = { .caller = b->proc };
	bool setjmp_site = !strcmp(l->w[l->n - 1], "setjmp");
	int last = setjmp_site ? l->n - 1 : l->n;
	u32 callees[MAX_WORDS], idx;

	if (b->p->mode != LCG_MODE_PDA)
		return spec_fail(b, l, "call sites exist in pda mode only");
	if (last < 6 || !parse_u32(l->w[3], &site.pre_event) ||
	    !parse_u32(l->w[4], &site.post_event))
		return spec_fail(b, l, "usage: call FROM TO PRE POST CALLEE... [setjmp]");
	for (int i = 5; i < last; i++) {
		callees[i - 5] = proc_index(b->spec, l->w[i]);
		if (callees[i - 5] == LCG_NONE)
			return spec_fail(b, l, "no procedure '%s'",
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
		return spec_fail(b, l, "'%s' before the first proc", k);
	if (!strcmp(k, "edge"))
		return edge_line(b, l);
	if (!strcmp(k, "call"))
		return call_line(b, l);
	if (l->n != 2)
		return spec_fail(b, l, "usage: exit STATE");
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
		return failf(b->err, sizeof(b->err), "%s: out of memory", b->spec->path);
	return 0;
}

static int add_pin(struct lcg_event_info *e, u64 offset)
{
	u64 *pins = realloc(e->pins, (e->n_pins + 1) * sizeof(*pins));

	if (!pins)
		return -1;
	pins[e->n_pins++] = offset;
	e->pins = pins;
	return 0;
}

static int pins_line(struct builder *b, const struct spec_line *l)
{
	struct lcg_event_info *ev = b->p->events;
	u32 x, y;

	if (l->n == 4 && !strcmp(l->w[1], "swap") && parse_u32(l->w[2], &x) &&
	    parse_u32(l->w[3], &y) && x < b->p->n_events && y < b->p->n_events) {
		struct lcg_event_info t = ev[x];

		ev[x].pins = ev[y].pins;
		ev[x].n_pins = ev[y].n_pins;
		ev[y].pins = t.pins;
		ev[y].n_pins = t.n_pins;
		return 0;
	}
	if (l->n == 3 && !strcmp(l->w[1], "drop") && parse_u32(l->w[2], &x) &&
	    x < b->p->n_events) {
		free(ev[x].pins);
		ev[x].pins = NULL;
		ev[x].n_pins = 0;
		return 0;
	}
	return spec_fail(b, l, "usage: pins swap ID ID | pins drop ID (defined ids)");
}

/* .lcg_sites entries of LCG_RAW_SITE_ID: the raw system calls the analysis saw. */
static int add_raw_pin(struct lcg_policy *p, u64 offset)
{
	u64 *pins;

	/* sorted by offset already: only repeats (a duplicated block) to drop */
	if (p->n_raw_pins && p->raw_pins[p->n_raw_pins - 1] == offset)
		return 0;
	pins = realloc(p->raw_pins, (p->n_raw_pins + 1) * sizeof(*pins));
	if (!pins)
		return -1;
	pins[p->n_raw_pins++] = offset;
	p->raw_pins = pins;
	return 0;
}

static int pin_site(struct builder *b, const struct lcg_pin *site, const char *binary)
{
	struct lcg_policy *p = b->p;

	if (site->id == LCG_RAW_SITE_ID)
		return add_raw_pin(p, site->offset) ? failf(b->err, sizeof(b->err), "out of memory")
						    : 0;
	if (site->id >= p->n_events || p->events[site->id].kind == LCG_EV_UNUSED)
		return failf(b->err, sizeof(b->err), "%s: event %u is in %s but not in %s",
			     binary, site->id, LCG_SITES_SECTION, b->spec->path);
	if (add_pin(&p->events[site->id], site->offset) != 0)
		return failf(b->err, sizeof(b->err), "out of memory");
	return 0;
}

static int read_pins(struct builder *b, const struct lcg_bytes *bytes, const char *binary)
{
	struct lcg_pin *sites;
	size_t n;

	if (lcg_elf_pins(bytes, binary, false, &sites, &n, b->err, sizeof(b->err)) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (pin_site(b, &sites[i], binary) != 0) {
			free(sites);
			return -1;
		}
	}
	free(sites);
	for (int i = 0; i < b->spec->n; i++)
		if (!strcmp(b->spec->lines[i].w[0], "pins") && pins_line(b, &b->spec->lines[i]))
			return -1;
	return 0;
}

/*
 * What lcg-analyze finalize records of the binary, from one reading of it:
 * pins, raw pins, entry point, static or not, SHA-256.
 */
static int finalise_from(struct builder *b, const char *binary)
{
	struct lcg_policy *p = b->p;
	struct lcg_elf_layout layout;
	struct lcg_bytes bytes;
	int rc = -1;

	if (lcg_bytes_read(binary, &bytes, b->err, sizeof(b->err)) != 0)
		return -1;
	if (read_pins(b, &bytes, binary) != 0 ||
	    lcg_elf_layout(&bytes, binary, &layout, b->err, sizeof(b->err)) != 0)
		goto out;
	p->entry = layout.entry;
	p->is_static = layout.is_static;
	if (lcg_sha256(bytes.data, bytes.len, p->sha256) != 0) {
		failf(b->err, sizeof(b->err), "%s: SHA-256 computation failed (libcrypto)", binary);
		goto out;
	}
	p->has_sha256 = true;
	rc = 0;
out:
	lcg_bytes_free(&bytes);
	return rc;
}

/* @program: the path to record, or NULL for @binary's absolute path. */
static int identify(struct builder *b, const char *binary, const char *program)
{
	char path[PATH_MAX];

	if (!realpath(binary, path))
		return failf(b->err, sizeof(b->err), "%s: %s", binary, strerror(errno));
	b->p->program = strdup(program ? program : path);
	if (!b->p->program)
		return failf(b->err, sizeof(b->err), "out of memory");
	return 0;
}

static int build_policy(struct builder *b, const char *binary, const char *program,
			bool finalise)
{
	struct lcg_policy *p = b->p;

	p->mode = LCG_MODE_PDA;
	p->event_set = LCG_EVENTS_EFFECTS;
	p->n_events = max_event_id(b->spec) + 1;
	p->events = calloc(p->n_events, sizeof(*p->events));
	if (!p->events)
		return failf(b->err, sizeof(b->err), "out of memory");
	for (u32 i = 0; i < p->n_events; i++)
		p->events[i].site = LCG_NONE;
	for (int i = 0; i < b->spec->n; i++)
		if (header_line(b, &b->spec->lines[i]) != 0)
			return -1;
	if (build_automaton(b, &p->graphs) != 0 ||
	    (p->mode == LCG_MODE_NFA && build_automaton(b, &p->nfa) != 0))
		return -1;
	if (finalise && finalise_from(b, binary) != 0)
		return -1;
	return identify(b, binary, program);
}

static void usage(FILE *f)
{
	fputs("usage: lcg-testpolicy [--unfinalised] [--program PATH] -o POLICY SPEC BINARY\n"
	      "Write POLICY (policy.cbor) for BINARY, a test program instrumented by hand with\n"
	      "LCG_EVENT (pda/abi.h), from the automaton described in SPEC (syntax at the\n"
	      "top of tests/trace/testpolicy.c).  Pins and raw system call pins come from\n"
	      "BINARY's .lcg_sites, and the policy records BINARY's absolute path, entry point,\n"
	      "static linking and SHA-256, as lcg-analyze finalize does; --unfinalised leaves\n"
	      "all but the path out; --program records PATH instead (where BINARY will be\n"
	      "installed, e.g. in a test VM).\n", f);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "unfinalised", no_argument, NULL, 'u' },
		{ "program", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *program = NULL;
	bool finalise = true;
	struct lcg_policy p;
	struct spec spec;
	struct builder b = { .spec = &spec };
	int ch, rc = 1;

	while ((ch = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		if (ch == 'o') {
			out = optarg;
		} else if (ch == 'u') {
			finalise = false;
		} else if (ch == 'P') {
			program = optarg;
		} else if (ch == 'h') {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!out || argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	lcg_policy_init(&p);
	b.p = &p;
	if (spec_read(&spec, argv[optind], b.err, sizeof(b.err)) == 0 &&
	    build_policy(&b, argv[optind + 1], program, finalise) == 0 &&
	    lcg_policy_write(&p, out, b.err, sizeof(b.err)) == 0)
		rc = 0;
	else
		fprintf(stderr, "lcg-testpolicy: %s\n", b.err);
	free(b.names);
	spec_free(&spec);
	lcg_policy_free(&p);
	return rc;
}
