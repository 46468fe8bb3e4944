// SPDX-License-Identifier: GPL-2.0
/* stats.c - lcg-analyze --stats: plain text or one JSON object. */
#include <stdlib.h>
#include "analyze.h"

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

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* The ways an indirect call was resolved: "key+type", or a JSON array of them. */
static void print_resolved(FILE *f, u32 how, bool json)
{
	static const char *const names[] = { "direct", "key", "type", "llvm-type", "fallback",
						 "open" };
	bool first = true;

	fputs(json ? "[" : "", f);
	for (u32 i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(how & (1u << i)))
			continue;
		fprintf(f, json ? "%s\"%s\"" : "%s%s", first ? "" : json ? "," : "+", names[i]);
		first = false;
	}
	fputs(json ? "]" : "", f);
}

/* Opens element @i of a JSON array of call sites: where the call is. */
static void json_where(FILE *f, u32 i, const char *function, const char *file, u32 line)
{
	fputs(i ? ",{\"function\":" : "{\"function\":", f);
	json_string(f, function);
	fputs(",\"file\":", f);
	if (file)
		json_string(f, file);
	else
		fputs("null", f);
	fprintf(f, ",\"line\":%u", line);
}

static void print_json(FILE *f, const struct lcg_analysis_stats *st)
{
	const struct counter c[] = COUNTERS(st);

	fputc('{', f);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		fprintf(f, "\"%s\":%llu,", c[i].name, (unsigned long long)c[i].value);
	fprintf(f, "\"seconds\":%.6f,\"indirect\":[", st->seconds);
	for (u32 i = 0; i < st->indirect_sites; i++) {
		const struct lcg_indirect_site *s = &st->indirect[i];

		json_where(f, i, s->function, s->file, s->line);
		fprintf(f, ",\"internal\":%u,\"libc\":%u,\"other\":%u,\"resolved\":",
			s->n_internal, s->n_libc, s->n_other);
		print_resolved(f, s->how, true);
		fputc('}', f);
	}
	fputs("],\"squelched\":[", f);
	for (u32 i = 0; i < st->hot_calls && st->squelched; i++) {
		const struct lcg_squelched_site *s = &st->squelched[i];

		json_where(f, i, s->function, s->file, s->line);
		fputs(",\"callee\":", f);
		json_string(f, s->callee);
		fputc('}', f);
	}
	fputs("]}\n", f);
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
		print_resolved(f, s->how, false);
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
