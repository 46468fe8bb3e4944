// SPDX-License-Identifier: GPL-2.0
/* stats.c - lcg-analyze --stats: plain text or one JSON object. */
#include <stdlib.h>
#include "analyze.h"
#include "formats/json.h"

/* The LCG_RESOLVED_* bits' names, lowest bit first. */
static const char *const resolved_names[] = { "direct", "key", "type", "llvm-type", "fallback",
					      "open" };

struct counter {
	const char *name;
	u64 value;
};

#define COUNTERS(st) {							\
	{ "functions", (st)->functions },				\
	{ "libc_functions", (st)->libc_functions },			\
	{ "opaque_functions", (st)->opaque_functions },			\
	{ "libc_sites", (st)->libc_sites },				\
	{ "internal_sites", (st)->internal_sites },			\
	{ "setjmp_sites", (st)->setjmp_sites },				\
	{ "events", (st)->events },					\
	{ "libcall_events", (st)->libcall_events },			\
	{ "precall_events", (st)->precall_events },			\
	{ "postcall_events", (st)->postcall_events },			\
	{ "procs", (st)->procs },					\
	{ "states", (st)->states },					\
	{ "edges", (st)->edges },					\
	{ "call_sites", (st)->sites },					\
	{ "pasted_calls", (st)->pasted_calls },				\
	{ "hot_calls", (st)->hot_calls },				\
	{ "flattened_calls", (st)->flattened_calls },			\
	{ "callbacks_in_context", (st)->callbacks_in_context },		\
	{ "async_entries", (st)->async_entries },			\
	{ "pasted_copies", (st)->pasted_copies },			\
	{ "pasted_shared", (st)->pasted_shared },			\
	{ "narrowed_procs", (st)->narrowed_procs },			\
	{ "nfa_procs", (st)->nfa_procs },				\
	{ "nfa_states", (st)->nfa_states },				\
	{ "nfa_edges", (st)->nfa_edges },				\
	{ "nfa_inlined", (st)->nfa_inlined },				\
	{ "nfa_shared", (st)->nfa_shared },				\
	{ "indirect_sites", (st)->indirect_sites },			\
	{ "indirect_targets", (st)->indirect_targets },			\
	{ "indirect_libc_targets", (st)->indirect_libc_targets },	\
	{ "warnings", (st)->warnings },					\
	{ "peak_rss_kb", (st)->peak_rss_kb },				\
}

/* The ways an indirect call was resolved, as text: "key+type". */
static void print_resolved(FILE *f, u32 how)
{
	bool first = true;

	for (u32 i = 0; i < sizeof(resolved_names) / sizeof(resolved_names[0]); i++) {
		if (!(how & (1u << i)))
			continue;
		fprintf(f, "%s%s", first ? "" : "+", resolved_names[i]);
		first = false;
	}
}

/* ... and as a JSON array: ["key","type"]. */
static struct json_object *resolved_json(u32 how)
{
	struct json_object *a = json_object_new_array();

	for (u32 i = 0; i < sizeof(resolved_names) / sizeof(resolved_names[0]); i++)
		if (how & (1u << i))
			json_object_array_add(a, json_object_new_string(resolved_names[i]));
	return a;
}

/* An element of a JSON array of call sites: where the call is. */
static struct json_object *json_where(const char *function, const char *file, u32 line)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "function", json_object_new_string(function ? function : ""));
	json_object_object_add(o, "file", lcg_json_string(file));
	json_object_object_add(o, "line", json_object_new_uint64(line));
	return o;
}

static void print_json(FILE *f, const struct lcg_analysis_stats *st)
{
	const struct counter c[] = COUNTERS(st);
	struct json_object *o = json_object_new_object(), *indirect, *squelched;
	char seconds[32];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		json_object_object_add(o, c[i].name, json_object_new_uint64(c[i].value));
	/* six decimals as ever: tests/analysis/bench reads the number as printed */
	snprintf(seconds, sizeof(seconds), "%.6f", st->seconds);
	json_object_object_add(o, "seconds", json_object_new_double_s(st->seconds, seconds));
	indirect = json_object_new_array();
	for (u32 i = 0; i < st->indirect_sites; i++) {
		const struct lcg_indirect_site *s = &st->indirect[i];
		struct json_object *w = json_where(s->function, s->file, s->line);

		json_object_object_add(w, "internal", json_object_new_uint64(s->n_internal));
		json_object_object_add(w, "libc", json_object_new_uint64(s->n_libc));
		json_object_object_add(w, "other", json_object_new_uint64(s->n_other));
		json_object_object_add(w, "resolved", resolved_json(s->how));
		json_object_array_add(indirect, w);
	}
	json_object_object_add(o, "indirect", indirect);
	squelched = json_object_new_array();
	for (u32 i = 0; i < st->hot_calls && st->squelched; i++) {
		const struct lcg_squelched_site *s = &st->squelched[i];
		struct json_object *w = json_where(s->function, s->file, s->line);

		json_object_object_add(w, "callee", json_object_new_string(s->callee ? s->callee : ""));
		json_object_array_add(squelched, w);
	}
	json_object_object_add(o, "squelched", squelched);
	lcg_json_print(f, o, false);
}

static void print_text(FILE *f, const struct lcg_analysis_stats *st)
{
	const struct counter c[] = COUNTERS(st);

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		fprintf(f, "%-22s %llu\n", c[i].name, (unsigned long long)c[i].value);
	fprintf(f, "%-22s %.3f\n", "seconds", st->seconds);
	for (u32 i = 0; i < st->indirect_sites; i++) {
		const struct lcg_indirect_site *s = &st->indirect[i];

		fprintf(f, "indirect call in %s (%s:%u): %u internal, %u libc, %u other targets (",
			s->function, s->file ? s->file : "?", s->line,
			s->n_internal, s->n_libc, s->n_other);
		print_resolved(f, s->how);
		fputs(")\n", f);
	}
	for (u32 i = 0; i < st->hot_calls && st->squelched; i++) {
		const struct lcg_squelched_site *s = &st->squelched[i];

		fprintf(f, "hot call of %s in %s (%s:%u): pasted, no brackets\n", s->callee,
			s->function, s->file ? s->file : "?", s->line);
	}
}

void lcg_analysis_stats_print(FILE *f, const struct lcg_analysis_stats *st, bool json)
{
	if (json)
		print_json(f, st);
	else
		print_text(f, st);
}

void lcg_analysis_stats_free(struct lcg_analysis_stats *st)
{
	for (u32 i = 0; st->indirect && i < st->indirect_sites; i++) {
		free(st->indirect[i].function);
		free(st->indirect[i].file);
	}
	free(st->indirect);
	st->indirect = NULL;
	st->indirect_sites = 0;
	for (u32 i = 0; st->squelched && i < st->hot_calls; i++) {
		free(st->squelched[i].function);
		free(st->squelched[i].file);
		free(st->squelched[i].callee);
	}
	free(st->squelched);
	st->squelched = NULL;
}
