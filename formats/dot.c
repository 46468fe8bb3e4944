// SPDX-License-Identifier: GPL-2.0
/*
 * dot.c - the policy's graphs in Graphviz DOT: one file per procedure and
 * program.dot for the whole program (see docs/policy-format.md, "Graphs").
 *
 * Edges carry the library function and its event id ("open #12"), call edges
 * "call foo #7"; epsilon edges are dashed; entry states are bold with an
 * arrow from a point, exit states double circles.  The directory is
 * replaced whole (formats/atomic_file.h), so a reader never sees half of it
 * and graphs of procedures that no longer exist do not survive.
 */
#define _GNU_SOURCE	/* open_memstream */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "atomic_file.h"
#include "policy.h"

/* Longest file-name stem we derive from a procedure name (NAME_MAX is 255). */
#define DOT_STEM_MAX 200

/* ---- escaping ---------------------------------------------------------- */

/* @s as a DOT quoted string: quotes and backslashes escaped, controls dropped. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fputc('\\', f);
		fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
	}
	fputc('"', f);
}

/* ---- edge labels ------------------------------------------------------- */

static const char *event_callee(const struct lcg_policy *p, u32 event)
{
	if (event < p->n_events && p->events[event].callee)
		return p->events[event].callee;
	return "?";
}

/* "call a, b, c, ... (+2)" from the site's callee list, for unlabelled call edges. */
static void put_callee_names(FILE *f, const struct lcg_automaton *a, const struct lcg_site *s)
{
	const u32 shown = 3;

	if (!s->n_callees) {
		fputs("?", f);
		return;
	}
	for (u32 k = 0; k < s->n_callees && k < shown; k++)
		fprintf(f, "%s%s", k ? ", " : "",
			s->callees[k] < a->n_procs ? a->procs[s->callees[k]].name : "?");
	if (s->n_callees > shown)
		fprintf(f, ", ... (+%u)", s->n_callees - shown);
}

static void put_edge(FILE *f, const struct lcg_policy *p, const struct lcg_automaton *a,
		     const struct lcg_edge *e, const char *indent)
{
	char *label = NULL;
	size_t len = 0;
	FILE *l = open_memstream(&label, &len);

	if (!l) {
		fprintf(f, "%s/* out of memory */\n", indent);
		return;
	}
	if (e->site != LCG_NONE && e->site < a->n_sites) {
		fputs("call ", l);
		if (e->event)
			fputs(event_callee(p, e->event), l);
		else
			put_callee_names(l, a, &a->sites[e->site]);
	} else if (e->event) {
		fputs(event_callee(p, e->event), l);
	} else {
		fputs("\xce\xb5", l);	/* epsilon */
	}
	if (e->event)
		fprintf(l, " #%u", e->event);
	fclose(l);
	fprintf(f, "%ss%u -> s%u [label=", indent, e->from, e->to);
	put_quoted(f, label ? label : "?");
	fprintf(f, "%s];\n", e->event ? "" : ", style=dashed");
	free(label);
}

/* ---- states ------------------------------------------------------------ */

/* States and edges grouped by procedure (counting sort), so each file is linear. */
struct by_proc {
	u32 *state_first, *states;	/* states of proc i: states[state_first[i] ..] */
	u32 *edge_first, *edges;
};

static void by_proc_free(struct by_proc *b)
{
	free(b->state_first);
	free(b->states);
	free(b->edge_first);
	free(b->edges);
}

static int by_proc_build(struct by_proc *b, const struct lcg_automaton *a)
{
	u32 np = a->n_procs;

	b->state_first = calloc((size_t)np + 1, sizeof(u32));
	b->edge_first = calloc((size_t)np + 1, sizeof(u32));
	b->states = malloc(((size_t)a->n_states + 1) * sizeof(u32));
	b->edges = malloc(((size_t)a->n_edges + 1) * sizeof(u32));
	if (!b->state_first || !b->edge_first || !b->states || !b->edges)
		return -1;
	for (u32 i = 0; i < a->n_states; i++)
		b->state_first[a->states[i].proc + 1]++;
	for (u32 i = 0; i < a->n_edges; i++)
		b->edge_first[a->states[a->edges[i].from].proc + 1]++;
	for (u32 i = 0; i < np; i++) {
		b->state_first[i + 1] += b->state_first[i];
		b->edge_first[i + 1] += b->edge_first[i];
	}
	/* fill in order, using the next slot of each proc, then shift back */
	for (u32 i = 0; i < a->n_states; i++)
		b->states[b->state_first[a->states[i].proc]++] = i;
	for (u32 i = 0; i < a->n_edges; i++)
		b->edges[b->edge_first[a->states[a->edges[i].from].proc]++] = i;
	for (u32 i = np; i > 0; i--) {
		b->state_first[i] = b->state_first[i - 1];
		b->edge_first[i] = b->edge_first[i - 1];
	}
	b->state_first[0] = b->edge_first[0] = 0;
	return 0;
}

/* Roles through which a procedure is entered from outside the call graph. */
#define ENTERED_FROM_OUTSIDE (LCG_AP_ALL & ~LCG_AP_ADDRESS_TAKEN)

static void put_proc_body(FILE *f, const struct lcg_policy *p, const struct lcg_automaton *a,
			  const struct by_proc *b, u32 proc, bool start_arrow, const char *indent)
{
	u32 entry = a->procs[proc].entry;

	if (start_arrow)
		fprintf(f, "%sstart%u [shape=point, width=0.1];\n%sstart%u -> s%u;\n",
			indent, proc, indent, proc, entry);
	for (u32 k = b->state_first[proc]; k < b->state_first[proc + 1]; k++) {
		u32 s = b->states[k];

		fprintf(f, "%ss%u [label=\"%u\"%s%s];\n", indent, s, s,
			a->states[s].flags & LCG_STATE_EXIT ? ", shape=doublecircle" : "",
			s == entry ? ", style=bold" : "");
	}
	for (u32 k = b->edge_first[proc]; k < b->edge_first[proc + 1]; k++)
		put_edge(f, p, a, &a->edges[b->edges[k]], indent);
}

static const char dot_defaults[] =
	"  node [shape=circle, fontsize=10, width=0.3];\n"
	"  edge [fontsize=10];\n";

static void put_proc_graph(FILE *f, const struct lcg_policy *p, const struct by_proc *b,
			   u32 proc)
{
	const struct lcg_automaton *a = &p->graphs;

	fputs("digraph ", f);
	put_quoted(f, a->procs[proc].name);
	fputs(" {\n  label=", f);
	put_quoted(f, a->procs[proc].name);
	fputs(";\n  labelloc=t;\n", f);
	fputs(dot_defaults, f);
	put_proc_body(f, p, a, b, proc, true, "  ");
	fputs("}\n", f);
}

/* ---- the whole program ------------------------------------------------- */

/* PRECALL into each callee's entry, POSTCALL from each callee exit back. */
static void put_call_links(FILE *f, const struct lcg_automaton *a, const struct by_proc *b)
{
	for (u32 i = 0; i < a->n_sites; i++) {
		const struct lcg_site *s = &a->sites[i];

		for (u32 k = 0; k < s->n_callees; k++) {
			u32 c = s->callees[k];

			fprintf(f, "  s%u -> s%u [label=\"precall #%u\", color=blue, fontcolor=blue];\n",
				s->from, a->procs[c].entry, s->pre_event);
			for (u32 j = b->state_first[c]; j < b->state_first[c + 1]; j++) {
				u32 x = b->states[j];

				if (a->states[x].flags & LCG_STATE_EXIT)
					fprintf(f, "  s%u -> s%u [label=\"postcall #%u\", "
						"color=darkgreen, fontcolor=darkgreen];\n",
						x, s->to, s->post_event);
			}
		}
	}
}

static void put_program_graph(FILE *f, const struct lcg_policy *p, const struct lcg_automaton *a,
			      const struct by_proc *b)
{
	bool pda = p->mode == LCG_MODE_PDA;

	fputs("digraph program {\n  label=", f);
	put_quoted(f, p->program ? p->program : "program");
	fprintf(f, ";\n  labelloc=t;\n%s", dot_defaults);
	for (u32 i = 0; i < a->n_procs; i++) {
		fprintf(f, "  subgraph cluster_%u {\n    label=", i);
		put_quoted(f, a->procs[i].name);
		fputs(";\n", f);
		put_proc_body(f, p, a, b, i, a->procs[i].flags & ENTERED_FROM_OUTSIDE, "    ");
		fputs("  }\n", f);
	}
	if (pda)
		put_call_links(f, a, b);
	fputs("}\n", f);
}

/* ---- file names -------------------------------------------------------- */

/* A set of strings (open addressing), to keep file names distinct. */
struct name_set {
	char **slot;
	size_t cap;
};

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

/* Add @name (taken over); false if it was already there (then freed). */
static bool name_set_add(struct name_set *set, char *name)
{
	size_t i = name_hash(name) & (set->cap - 1);

	while (set->slot[i]) {
		if (!strcmp(set->slot[i], name)) {
			free(name);
			return false;
		}
		i = (i + 1) & (set->cap - 1);
	}
	set->slot[i] = name;
	return true;
}

static void name_set_free(struct name_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
}

/* @name with every byte outside [A-Za-z0-9._+-] replaced, never hidden, bounded. */
static void file_stem(char *out, const char *name)
{
	size_t n = 0;

	if (name[0] == '.' || !name[0])
		out[n++] = '_';
	for (; *name && n < DOT_STEM_MAX; name++) {
		char c = *name;
		bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '+';

		out[n++] = safe ? c : '_';
	}
	out[n] = '\0';
}

/*
 * File stems for every procedure: the name made safe; a name already taken
 * (two static functions "helper" in different files, or "program") gets
 * "-2", "-3", ... in procedure order, so the result is stable across runs.
 */
static char **file_stems(const struct lcg_automaton *a)
{
	struct name_set set = { NULL, 64 };
	char **stems = calloc((size_t)a->n_procs + 1, sizeof(char *));
	char base[DOT_STEM_MAX + 2], cand[DOT_STEM_MAX + 16], *reserved;

	while (set.cap < 2 * ((size_t)a->n_procs + 1))
		set.cap *= 2;
	set.slot = calloc(set.cap, sizeof(char *));
	if (!stems || !set.slot)
		goto fail;
	reserved = strdup("program");	/* program.dot is the whole program */
	if (!reserved)
		goto fail;
	name_set_add(&set, reserved);
	for (u32 i = 0; i < a->n_procs; i++) {
		file_stem(base, a->procs[i].name);
		snprintf(cand, sizeof(cand), "%s", base);
		for (u32 k = 2; ; k++) {
			char *copy = strdup(cand);

			if (!copy)
				goto fail;
			if (name_set_add(&set, copy))
				break;
			snprintf(cand, sizeof(cand), "%s-%u", base, k);
		}
		stems[i] = strdup(cand);
		if (!stems[i])
			goto fail;
	}
	name_set_free(&set);
	return stems;
fail:
	name_set_free(&set);
	for (u32 i = 0; stems && i < a->n_procs; i++)
		free(stems[i]);
	free(stems);
	return NULL;
}

/* ---- writing ----------------------------------------------------------- */

enum dot_kind { DOT_PROC, DOT_PROGRAM };

static int write_graph(const struct lcg_policy *p, const struct by_proc *b,
		       const struct lcg_automaton *a, enum dot_kind kind, u32 proc,
		       const char *path, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (!f) {
		snprintf(err, errlen, "%s: out of memory while rendering", path);
		return -1;
	}
	if (kind == DOT_PROC)
		put_proc_graph(f, p, b, proc);
	else
		put_program_graph(f, p, a, b);
	if (fclose(f)) {
		free(text);
		snprintf(err, errlen, "%s: out of memory while rendering", path);
		return -1;
	}
	rc = lcg_write_file_new(path, text, len, err, errlen);
	free(text);
	return rc;
}

static int write_procs(const struct lcg_policy *p, const struct by_proc *b, const char *dir,
		       char *err, size_t errlen)
{
	const struct lcg_automaton *a = &p->graphs;
	char **stems = file_stems(a);
	int rc = 0;

	if (!stems) {
		snprintf(err, errlen, "%s: out of memory while naming the DOT files", dir);
		return -1;
	}
	for (u32 i = 0; i < a->n_procs && !rc; i++) {
		char *path;

		if (asprintf(&path, "%s/%s.dot", dir, stems[i]) < 0) {
			snprintf(err, errlen, "%s: out of memory", dir);
			rc = -1;
			break;
		}
		rc = write_graph(p, b, a, DOT_PROC, i, path, err, errlen);
		free(path);
	}
	for (u32 i = 0; i < a->n_procs; i++)
		free(stems[i]);
	free(stems);
	return rc;
}

static int write_program(const struct lcg_policy *p, const char *dir, char *err, size_t errlen)
{
	const struct lcg_automaton *a = p->mode == LCG_MODE_NFA ? &p->nfa : &p->graphs;
	struct by_proc b = { 0 };
	char *path = NULL;
	int rc = -1;

	if (by_proc_build(&b, a) < 0 || asprintf(&path, "%s/program.dot", dir) < 0) {
		snprintf(err, errlen, "%s: out of memory while rendering program.dot", dir);
		path = NULL;
	} else {
		rc = write_graph(p, &b, a, DOT_PROGRAM, 0, path, err, errlen);
	}
	free(path);
	by_proc_free(&b);
	return rc;
}

/* What a DOT directory may hold: the graphs lcg writes. */
static bool is_dot_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strcmp(name + n - 4, ".dot");
}

static int write_graphs(const struct lcg_policy *p, const char *dir, char *err, size_t errlen)
{
	struct by_proc b = { 0 };
	int rc;

	if (by_proc_build(&b, &p->graphs) < 0) {
		by_proc_free(&b);
		snprintf(err, errlen, "%s: out of memory while rendering", dir);
		return -1;
	}
	rc = write_procs(p, &b, dir, err, errlen);
	by_proc_free(&b);
	if (!rc)
		rc = write_program(p, dir, err, errlen);
	return rc;
}

int lcg_dot_write_dir(const struct lcg_policy *p, const char *dir, char *err, size_t errlen)
{
	char why[512], *tmp;
	int rc;

	/* The graphs index states and sites freely: never render an unchecked policy. */
	if (lcg_policy_check(p, why, sizeof(why))) {
		snprintf(err, errlen, "%s: refusing to draw an inconsistent policy: %s", dir, why);
		return -1;
	}
	/* all graphs or none: built aside, then swapped in whole (no stale graph survives) */
	if (lcg_atomic_dir_create(dir, &tmp, err, errlen))
		return -1;
	rc = write_graphs(p, tmp, err, errlen);
	if (!rc)
		rc = lcg_dot_install_dir(tmp, dir, err, errlen);
	if (rc)
		lcg_atomic_dir_remove(tmp, is_dot_name, why, sizeof(why));
	free(tmp);
	return rc;
}

int lcg_dot_install_dir(const char *tmp, const char *dir, char *err, size_t errlen)
{
	return lcg_atomic_dir_install(tmp, dir, is_dot_name, err, errlen);
}

int lcg_dot_remove_dir(const char *dir, char *err, size_t errlen)
{
	return lcg_atomic_dir_remove(dir, is_dot_name, err, errlen);
}
