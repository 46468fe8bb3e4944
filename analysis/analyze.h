/* SPDX-License-Identifier: GPL-2.0 */
/*
 * analyze.h - the analysis library shared by lcg-analyze and the LTO plugin.
 *
 * lcg_analyze_module() reads a merged whole-program module, builds the
 * program's policy (per-procedure library call graphs, call sites, and in NFA
 * mode the whole-program automaton) and, when asked, instruments the module
 * in place with the event sequence of pda/abi.h.  docs/analysis.md
 * describes the algorithm.
 */
#ifndef LCG_ANALYZE_H
#define LCG_ANALYZE_H

#include <stdio.h>
#include <llvm-c/Core.h>
#include "formats/policy.h"

/*
 * States the copies of pasted callees may take before a procedure's calls
 * share one copy per callee (both modes; inline.c chooses which callees get
 * copies).  The image compiler folds epsilon closures into edges, which
 * grows faster than the automaton; expand.c rebuilds a procedure past
 * LCG_CLOSURE_MAX with less.  On mbed TLS's ssl_server2 every image then
 * compiles in at most 1.2 s and 43 MB.
 */
#define LCG_INLINE_BUDGET_DEFAULT 50000u

struct lcg_analysis_opts {
	u32 mode;		/* enum lcg_mode */
	u32 event_set;		/* enum lcg_event_set */
	u32 inline_budget;	/* states for copies of pasted callees (both modes) */
	const char *model_path;	/* libc model file; NULL = the built-in model */
	bool instrument;	/* insert the event sequences into the module */
	bool all_brackets;	/* PDA: bracket every call, paste nothing (Giffin et al.'s
				 * model as is: for comparisons; unbounded event rate) */
	FILE *warnings;		/* one line per warning; NULL = silent */
};

/* An indirect call site, how many functions it may reach, and how they were found. */
struct lcg_indirect_site {
	char *function;		/* enclosing function */
	char *file;		/* NULL without debug information */
	u32 line;
	u32 n_internal;		/* definitions it may reach */
	u32 n_libc;		/* libc functions it may reach */
	u32 n_other;		/* opaque externals it may reach */
	u32 how;		/* how the targets were found: LCG_RESOLVED_* */
};

/* Ways an indirect call's targets were found (docs/analysis.md "Indirect calls"). */
#define LCG_RESOLVED_DIRECT 0x01u	/* a function constant */
#define LCG_RESOLVED_KEY 0x02u		/* what was stored in a struct field, global or parameter */
#define LCG_RESOLVED_TYPE 0x04u		/* the C function type (KCFI) */
#define LCG_RESOLVED_LLVM_TYPE 0x08u	/* the LLVM function type (no KCFI ids) */
#define LCG_RESOLVED_FALLBACK 0x10u	/* nothing matched: every address-taken function */
#define LCG_RESOLVED_OPEN 0x20u		/* it may also hold a pointer out of the program (dlsym) */

/* A call squelched to bound the event rate (PDA): no brackets, its callees pasted. */
struct lcg_squelched_site {
	char *function;		/* enclosing function */
	char *file;		/* NULL without debug information */
	u32 line;
	char *callee;		/* "*" for an indirect call */
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
	u32 pasted_calls;	/* PDA: calls pasted instead of bracketed */
	u32 hot_calls;		/* PDA: calls on cycles without a library call (squelched) */
	u32 flattened_calls;	/* PDA: calls pasted because a hot call runs them */
	u32 callbacks_in_context;	/* callbacks, handlers, constructors pasted where they run */
	u32 async_entries;	/* procedures entered asynchronously (signal handlers, ...) */
	u32 pasted_copies;	/* PDA: copies of their own pasted into procedures */
	u32 pasted_shared;	/* PDA: calls linked to a procedure's shared copy (approximate) */
	u32 narrowed_procs;	/* procedures built again with a smaller budget (image size) */
	struct lcg_squelched_site *squelched;	/* per hot call, n = hot_calls */
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

/*
 * lcg_kcfi_strip() - remove what -fsanitize=kcfi (lcg-cc's compiles) put in
 * @m: the "kcfi" operand bundles of indirect calls, the functions' type ids
 * and the __kcfi_typeid_ symbols, so that code generation emits no KCFI
 * check.  lcg_analyze_module() does it when it instruments; lcg-cc's plugin
 * also calls it on links that get no policy.  -1 with @err when out of memory.
 */
int lcg_kcfi_strip(LLVMModuleRef m, char *err, size_t errlen);

void lcg_analysis_stats_print(FILE *f, const struct lcg_analysis_stats *st, bool json);
void lcg_analysis_stats_free(struct lcg_analysis_stats *st);

#endif /* LCG_ANALYZE_H */
