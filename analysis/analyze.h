/* SPDX-License-Identifier: GPL-2.0 */
/*
 * analyze.h - the analysis library shared by lcg-analyze and the LTO plugin.
 *
 * lcg_analyze_module() reads a merged whole-program module, builds the
 * program's policy (per-procedure library call graphs, call sites, and in NFA
 * mode the whole-program automaton) and, when asked, instruments the module
 * in place with the event sequence of formats/abi.h.  docs/analysis.md
 * describes the algorithm.
 */
#ifndef LCG_ANALYZE_H
#define LCG_ANALYZE_H

#include <stdio.h>
#include <llvm-c/Core.h>
#include "formats/policy.h"

/*
 * NFA states the inliner may create before it falls back to shared copies.
 * The image compiler folds epsilon closures into edges, which grows faster
 * than the automaton: on mbed TLS's ssl_server2, 10000 gives a 1,648-state
 * NFA that compiles in 0.5 s and 45 MB (20000: 3,242 states, 1.7 s, 170 MB).
 */
#define LCG_INLINE_BUDGET_DEFAULT 10000u

struct lcg_analysis_opts {
	u32 mode;		/* enum lcg_mode */
	u32 event_set;		/* enum lcg_event_set */
	u32 inline_budget;	/* NFA mode: states budget for pasted callee copies */
	const char *model_path;	/* libc model file; NULL = the built-in model */
	bool instrument;	/* insert the event sequences into the module */
	FILE *warnings;		/* one line per warning; NULL = silent */
};

/* An indirect call site and how many functions it may reach. */
struct lcg_indirect_site {
	char *function;		/* enclosing function */
	char *file;		/* NULL without debug information */
	u32 line;
	u32 n_internal;		/* address-taken definitions of the call's type */
	u32 n_libc;		/* libc functions of the call's type */
	u32 n_other;		/* opaque externals of the call's type */
};

struct lcg_analysis_stats {
	u32 functions;		/* definitions analysed */
	u32 libc_functions;	/* libc declarations called or address-taken */
	u32 opaque_functions;	/* external functions unknown to the model */
	u32 libc_sites;		/* direct calls into libc (any class) */
	u32 libcall_events;	/* LIBCALL ids (monitored libc sites) */
	u32 internal_sites;	/* calls to definitions (direct or indirect) */
	u32 precall_events;	/* PDA: PRECALL ids */
	u32 postcall_events;	/* PDA: POSTCALL ids (setjmp sites included) */
	u32 setjmp_sites;
	u32 events;		/* ids allocated (n_events - 1) */
	u32 procs, states, edges, sites;	/* per-procedure graphs */
	u32 nfa_procs, nfa_states, nfa_edges;	/* NFA mode: whole-program automaton */
	u32 nfa_inlined;	/* callee copies pasted at call sites */
	u32 nfa_shared;		/* call sites linked to shared copies */
	u32 indirect_sites;
	u32 indirect_targets;	/* sum over indirect sites */
	u32 indirect_libc_targets;
	struct lcg_indirect_site *indirect;	/* per site, n = indirect_sites */
	u32 warnings;
	double seconds;
	u64 peak_rss_kb;
};

/* Defaults: PDA mode, effects event set, LCG_INLINE_BUDGET_DEFAULT, built-in model. */
void lcg_analysis_opts_default(struct lcg_analysis_opts *o);

/*
 * lcg_analyze_module() - build @m's policy into @out (initialised here) and
 * instrument @m when @o->instrument.
 * @st: may be NULL; otherwise filled (release with lcg_analysis_stats_free())
 *
 * Return: 0, or -1 with a message in @err (nothing instrumented then, @out
 * left empty).
 */
int lcg_analyze_module(LLVMModuleRef m, const struct lcg_analysis_opts *o,
		       struct lcg_policy *out, struct lcg_analysis_stats *st,
		       char *err, size_t errlen);

void lcg_analysis_stats_print(FILE *f, const struct lcg_analysis_stats *st, bool json);
void lcg_analysis_stats_free(struct lcg_analysis_stats *st);

/* Parse "pda"/"nfa" and "effects"/"syscalls"/"all-libc"; 0 when unknown. */
u32 lcg_mode_parse(const char *s);
u32 lcg_event_set_parse(const char *s);
const char *lcg_mode_name(u32 mode);
const char *lcg_event_set_name(u32 set);

#endif /* LCG_ANALYZE_H */
