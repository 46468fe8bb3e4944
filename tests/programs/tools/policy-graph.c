// SPDX-License-Identifier: GPL-2.0
/*
 * policy-graph - test helper: canonical forms of the graphs in a policy and
 * of graphs written down by hand, and a check of a finalised policy's pins.
 *
 * Labels: a library call is its callee's name ("open"); a call site is
 * "call:" followed by its possible callees ("call:bar", "call:f|g"), in both
 * modes, so one written-down graph serves PDA and NFA policies.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pda/abi.h"
#include "formats/policy.h"
#include "canon.h"

#define MAX_DFA_STATES 20000u

static void usage(FILE *f)
{
	fprintf(f,
		"usage: policy-graph proc POLICY PROC   canonical graph of procedure PROC\n"
		"       policy-graph program POLICY     canonical whole-program automaton (NFA mode)\n"
		"       policy-graph file GRAPH         canonical form of a written-down graph\n"
		"       policy-graph pins POLICY BINARY check the pins of a finalised policy\n"
		"\n"
		"GRAPH lines: \"entry S\", \"FROM LABEL TO\" (LABEL eps for epsilon), \"exit S\";\n"
		"'#' starts a comment.  States are any words.\n");
}

static int cmp_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* "call:f|g": the callees of site @s, sorted. */
static char *site_label(const struct lcg_automaton *a, const struct lcg_site *s)
{
	const char **names = calloc(s->n_callees + 1, sizeof(*names));
	size_t len = 16;
	char *l;

	if (!names)
		return NULL;
	for (u32 i = 0; i < s->n_callees; i++) {
		names[i] = s->callees[i] < a->n_procs ? a->procs[s->callees[i]].name : "?";
		len += strlen(names[i]) + 1;
	}
	qsort(names, s->n_callees, sizeof(*names), cmp_name);
	l = malloc(len);
	if (l) {
		strcpy(l, s->flags & LCG_SITE_SETJMP && !s->n_callees ? "setjmp" : "call:");
		for (u32 i = 0; i < s->n_callees; i++) {
			if (i)
				strcat(l, "|");
			strcat(l, names[i]);
		}
	}
	free(names);
	return l;
}

static const char *event_label(const struct lcg_policy *p, u32 id)
{
	if (id >= p->n_events || !p->events[id].callee)
		return "?";
	return p->events[id].callee;
}

/* The language of @a from @entry, accepting at the exits of @entry's procedure. */
static char *automaton_canon(const struct lcg_policy *p, const struct lcg_automaton *a, u32 entry)
{
	struct canon_nfa c = { .n_states = a->n_states, .entry = entry };
	char *text = NULL;
	bool ok = true;

	c.exit = calloc(a->n_states + 1, sizeof(*c.exit));
	if (!c.exit)
		return NULL;
	for (u32 s = 0; s < a->n_states; s++)
		c.exit[s] = a->states[s].flags & LCG_STATE_EXIT && a->states[s].proc == a->states[entry].proc;
	for (u32 i = 0; ok && i < a->n_edges; i++) {
		const struct lcg_edge *e = &a->edges[i];

		if (e->site != LCG_NONE && e->site < a->n_sites) {
			char *l = site_label(a, &a->sites[e->site]);

			ok = l && canon_add_edge(&c, e->from, e->to, l);
			free(l);
		} else {
			ok = canon_add_edge(&c, e->from, e->to, e->event ? event_label(p, e->event) : NULL);
		}
	}
	if (ok)
		text = canon_text(&c, MAX_DFA_STATES);
	canon_free(&c);
	return text;
}

static int find_proc(const struct lcg_automaton *a, const char *name, u32 flags)
{
	for (u32 i = 0; i < a->n_procs; i++)
		if (name ? !strcmp(a->procs[i].name, name) : (a->procs[i].flags & flags) != 0)
			return (int)i;
	return -1;
}

static int print_canon(char *text)
{
	if (!text) {
		fprintf(stderr, "policy-graph: out of memory or graph too large\n");
		return 1;
	}
	fputs(text, stdout);
	free(text);
	return 0;
}

static int cmd_proc(const struct lcg_policy *p, const char *name)
{
	int i = find_proc(&p->graphs, name, 0);

	if (i < 0) {
		fprintf(stderr, "policy-graph: no procedure %s in the policy\n", name);
		return 1;
	}
	return print_canon(automaton_canon(p, &p->graphs, p->graphs.procs[i].entry));
}

static int cmd_program(const struct lcg_policy *p)
{
	int i = find_proc(&p->nfa, NULL, LCG_AP_MAIN);

	if (p->mode != LCG_MODE_NFA || i < 0) {
		fprintf(stderr, "policy-graph: not an NFA-mode policy with a main procedure\n");
		return 1;
	}
	return print_canon(automaton_canon(p, &p->nfa, p->nfa.procs[i].entry));
}

/* State names of a written-down graph, numbered in order of appearance. */
struct names {
	char *v[256];
	uint32_t n;
};

static uint32_t state_of(struct names *n, const char *s)
{
	for (uint32_t i = 0; i < n->n; i++)
		if (!strcmp(n->v[i], s))
			return i;
	if (n->n == 256)
		return UINT32_MAX;
	n->v[n->n] = strdup(s);
	return n->v[n->n] ? n->n++ : UINT32_MAX;
}

static int cmd_file(const char *path)
{
	FILE *f = fopen(path, "r");
	struct canon_nfa c = { 0 };
	struct names n = { .n = 0 };
	uint32_t exits[256], n_exits = 0, lineno = 0;
	char line[512];
	int ret = 1;

	if (!f) {
		fprintf(stderr, "policy-graph: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char a[128], b[128], d[128];
		int k;

		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		k = sscanf(line, "%127s %127s %127s", a, b, d);
		if (k <= 0)
			continue;
		if (k == 2 && !strcmp(a, "entry"))
			c.entry = state_of(&n, b);
		else if (k == 2 && !strcmp(a, "exit") && n_exits < 256)
			exits[n_exits++] = state_of(&n, b);
		else if (k == 3)
			canon_add_edge(&c, state_of(&n, a), state_of(&n, d), strcmp(b, "eps") ? b : NULL);
		else {
			fprintf(stderr, "policy-graph: %s:%u: expected \"entry S\", \"exit S\" or "
				"\"FROM LABEL TO\"\n", path, lineno);
			goto out;
		}
	}
	c.n_states = n.n;
	c.exit = calloc(n.n + 1, sizeof(*c.exit));
	if (!c.exit || c.entry >= n.n)
		goto out;
	for (uint32_t i = 0; i < n_exits; i++)
		if (exits[i] < n.n)
			c.exit[exits[i]] = true;
	ret = print_canon(canon_text(&c, MAX_DFA_STATES));
out:
	for (uint32_t i = 0; i < n.n; i++)
		free(n.v[i]);
	canon_free(&c);
	fclose(f);
	return ret;
}

/* Every pin must hold "movl $id, %edi; syscall" for its own event id. */
static int cmd_pins(const struct lcg_policy *p, const char *binary)
{
	FILE *f = fopen(binary, "rb");
	u32 pinned = 0, events = 0;
	int ret = 0;

	if (!f) {
		fprintf(stderr, "policy-graph: %s: %s\n", binary, strerror(errno));
		return 1;
	}
	if (!p->has_sha256 || !p->program || p->program[0] != '/') {
		fprintf(stderr, "policy-graph: policy not finalised (no SHA-256 or relative path)\n");
		ret = 1;
	}
	for (u32 id = 1; id < p->n_events; id++) {
		const struct lcg_event_info *e = &p->events[id];

		if (e->kind == LCG_EV_UNUSED)
			continue;
		events++;
		pinned += e->n_pins != 0;
		for (u32 k = 0; k < e->n_pins; k++) {
			unsigned char b[7];
			u32 got;

			if (e->pins[k] < 5 || fseek(f, (long)(e->pins[k] - 5), SEEK_SET) ||
			    fread(b, 1, 7, f) != 7) {
				fprintf(stderr, "policy-graph: event %u: pin %llu out of the file\n", id,
					(unsigned long long)e->pins[k]);
				ret = 1;
				continue;
			}
			memcpy(&got, b + 1, 4);
			if (b[0] != 0xbf || got != id || b[5] != 0x0f || b[6] != 0x05) {
				fprintf(stderr, "policy-graph: event %u: pin %llu does not hold "
					"\"movl $%u, %%edi; syscall\"\n", id,
					(unsigned long long)e->pins[k], id);
				ret = 1;
			}
		}
	}
	fclose(f);
	printf("%u of %u events pinned\n", pinned, events);
	return ret;
}

int main(int argc, char **argv)
{
	struct lcg_policy p;
	char err[512];
	int ret;

	if (argc == 3 && !strcmp(argv[1], "file"))
		return cmd_file(argv[2]);
	if (argc < 3 || (!strcmp(argv[1], "proc") && argc != 4) ||
	    (!strcmp(argv[1], "pins") && argc != 4) || (!strcmp(argv[1], "program") && argc != 3)) {
		usage(argc > 1 && !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc > 1 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	lcg_policy_init(&p);
	if (lcg_policy_read(&p, argv[2], err, sizeof(err))) {
		fprintf(stderr, "policy-graph: %s\n", err);
		return 1;
	}
	if (!strcmp(argv[1], "proc"))
		ret = cmd_proc(&p, argv[3]);
	else if (!strcmp(argv[1], "program"))
		ret = cmd_program(&p);
	else if (!strcmp(argv[1], "pins"))
		ret = cmd_pins(&p, argv[3]);
	else {
		usage(stderr);
		ret = 2;
	}
	lcg_policy_free(&p);
	return ret;
}
