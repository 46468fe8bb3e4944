/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - the state the analysis passes share.  Not part of the API.
 *
 * Passes, in order (analyze.c): functions.c classifies every function of the
 * module; calls.c records every call, resolves indirect ones (resolve.c,
 * fptr.c, kcfi.c) and finds the callbacks libc runs in context
 * (callbacks.c); reach.c finds the functions that can reach an event;
 * cfg_graph.c and lgraph.c build each function's library call graph, with
 * its calls still unlabelled; plan.c decides, in PDA mode, which calls keep
 * PRECALL/POSTCALL brackets and which are pasted; events.c numbers events
 * and call sites; graphs.c writes the procedures' graphs into the policy,
 * pasting callees (expand.c); nfa.c builds the whole-program automaton;
 * instrument.c inserts the event sequences.  binding.c says what each
 * LIBCALL event arms and pins raw system calls.
 */
#ifndef LCG_ANALYSIS_INTERNAL_H
#define LCG_ANALYSIS_INTERNAL_H

#include <stdarg.h>
#include "analyze.h"
#include "libc_model.h"
#include "ptrmap.h"
#include "lgraph.h"
#include "fptr.h"

enum fn_kind {
	FK_DEF,		/* defined in the module: a procedure */
	FK_LIBC,	/* libc declaration known to the model */
	FK_OPAQUE,	/* external function the model does not know */
	FK_IGNORED,	/* intrinsic without a library call behind it */
};

struct fn {
	LLVMValueRef v;
	const char *name;	/* LLVM's name, not owned */
	const char *libc_name;	/* FK_LIBC: the model's name (memcpy for llvm.memcpy.*) */
	u32 kind;		/* enum fn_kind */
	const struct libc_fn *libc;
	u32 roles;		/* LCG_AP_* */
	bool address_taken;
	bool reaches;		/* FK_DEF: emits an event itself or through its callees */
	bool longjmps;		/* FK_DEF: may call longjmp, itself or through its callees */
	bool used;		/* called or address-taken (for stats) */
	bool warned;		/* its one warning line was printed */
	bool has_kcfi;		/* clang gave it a KCFI type id (kcfi.c) */
	u32 kcfi;		/* that id: a hash of its C type */
	u32 first_call, n_calls;	/* FK_DEF: its calls, in instruction order */
	u32 proc;		/* index in the policy's graphs, or LCG_NONE */
	u32 ctx_roles;		/* roles it gets unless pasted where libc runs it (callbacks.c) */
	u32 entry_part;		/* main: the constructors' part before its entry, or LCG_NONE */
	u32 exit_part;		/* main, thread entries: the exit handlers' part at their returns */
	u32 refs;		/* plan.c: call-part slots that may run it */
	u32 scc;		/* plan.c: its component of the call graph */
	u32 size;		/* plan.c: states of one pasted copy (estimate, saturating) */
	bool nullable;		/* plan.c: may return without a library call */
	bool forced;		/* plan.c: below a hot call part: every call in it is pasted */
	bool flat;		/* plan.c: every call in it is pasted: its graph may be copied */
};

enum call_kind {
	CK_LIBC,	/* direct call into libc */
	CK_SETJMP,	/* direct call of the setjmp family */
	CK_LONGJMP,	/* direct call of the longjmp family */
	CK_INTERNAL,	/* direct call of a definition */
	CK_INDIRECT,	/* call through a pointer */
	CK_OPAQUE,	/* direct call of an external function the model does not know */
	CK_RAW,		/* inline asm with a syscall instruction: a raw system call */
	CK_HANDLERS,	/* no instruction: constructors before main, exit handlers at a return */
	CK_OTHER,	/* intrinsic, other inline asm */
};

/*
 * A call's *part*: the program functions it may run, its targets.  An
 * internal or indirect call runs its callee; a libc call runs callbacks
 * (qsort's comparator, any number of times) or, when it exits, the exit
 * handlers; CK_HANDLERS runs constructors or exit handlers.
 */
enum part_kind {
	PART_NONE,
	PART_CALL,	/* runs one of its targets once */
	PART_LOOP,	/* runs its targets any number of times, in any order */
};

/* What each target slot of a call becomes (plan.c, events.c). */
enum target_plan {
	TP_NONE,	/* nothing: a function that makes no event, or one lcg leaves async */
	TP_LIB,		/* a monitored function outside the program: its LIBCALL id */
	TP_KEEP,	/* a program function entered through the site's PRECALL/POSTCALL */
	TP_PASTE,	/* a program function whose graph is pasted in place of the call */
};

struct call {
	LLVMValueRef inst;
	u32 caller;		/* fn index */
	u32 block;		/* block index within the caller */
	u32 kind;		/* enum call_kind */
	u32 callee;		/* direct calls: fn index, else LCG_NONE */
	u32 first_target, n_targets;	/* its part's targets (fn indices in an->targets) */
	u32 part;		/* enum part_kind */
	u32 libcall;		/* CK_LIBC, CK_OPAQUE, CK_RAW: LIBCALL id, 0 if not monitored */
	u32 site;		/* first policy site index, or LCG_NONE */
	u32 n_sites;		/* sites from ->site on: one per bracketed target (indirect, PDA) */
	u32 pre, post;		/* PDA ids of the first site */
	bool silent;		/* CK_INDIRECT: some target makes no event (call_silent()) */
	bool internal;		/* CK_INDIRECT: some target is a definition */
	u32 how;		/* CK_INDIRECT: how its targets were found (FPR_*) */
	bool keep;		/* some target stays bracketed: the call is a site */
	bool hot;		/* plan.c: on a cycle that can run without a library call */
};

/* How an indirect call was resolved (resolve.c; a call may use several ways). */
#define FPR_DIRECT LCG_RESOLVED_DIRECT		/* a function constant (through phis, selects) */
#define FPR_KEY LCG_RESOLVED_KEY		/* a complete key: what was stored there */
#define FPR_TYPE LCG_RESOLVED_TYPE		/* the C function type (KCFI id) */
#define FPR_LLVM_TYPE LCG_RESOLVED_LLVM_TYPE	/* the LLVM function type (no KCFI id) */
#define FPR_FALLBACK LCG_RESOLVED_FALLBACK	/* nothing matched: every address-taken function */
#define FPR_OPEN LCG_RESOLVED_OPEN		/* it may hold a pointer out of the program */

/* A function's KCFI id beside its own: another TU took its address under that type. */
struct kcfi_alias {
	u32 fn, id;
};

/* Address-taken functions by LLVM type and by KCFI id, each list in module order. */
struct type_index {
	struct ptrmap llvm_first, kcfi_first;
	u32 *llvm_next;
	u32 *kcfi_fn, *kcfi_next;	/* KCFI entries: own ids, then aliases */
	struct kcfi_alias *alias;	/* kcfi.c */
	u32 n_alias;
};

struct analysis {
	LLVMModuleRef m;
	LLVMContextRef ctx;
	const struct lcg_analysis_opts *o;
	struct lcg_policy *p;
	struct lcg_analysis_stats *st;
	char *err;
	size_t errlen;
	bool oom;

	struct libc_model model;
	struct fn *fns;
	u32 n_fns;
	struct ptrmap fn_index;		/* LLVMValueRef -> fn index */
	u32 main_fn;

	struct call *calls;
	u32 n_calls, cap_calls;
	u32 *targets;			/* call parts' targets, fn indices */
	u32 *target_events;		/* parallel: LIBCALL id of an external target, else 0 */
	u8 *target_plan;		/* parallel: enum target_plan */
	u32 n_targets, cap_targets;

	struct lgraph *graphs;		/* per fn: its collapsed graph, calls unlabelled (cfg_graph.c) */

	struct type_index types;	/* resolve.c */
	struct fptr fp;			/* fptr.c: where function pointers are kept */
	u32 *mark, mark_stamp;		/* per fn: scratch set membership */
	u32 n_fallback;			/* indirect calls that matched no function */
	bool loads_code;		/* calls a `loads` function: loaded code may call back */
	LLVMValueRef first_fallback;
};

/*
 * Raw graphs (cfg_graph.c) label a call's edges with the call's index in
 * ->site: event RAW_PART is the call's part (the program functions it
 * runs), RAW_LIB(k) its k-th library call (for an indirect call, the k-th
 * target; else 0).  Plain epsilon edges keep site LCG_NONE.
 */
#define RAW_PART 0u
#define RAW_LIB(k) (1u + (k))

/* A callee of one call is pasted there when a copy has at most this many states. */
#define PASTE_MAX_STATES 2000u

/* functions.c */
int scan_functions(struct analysis *an);
/* kcfi.c */
/* Read each function's KCFI type id (has_kcfi, kcfi) and its aliases (types.alias). */
int kcfi_read_functions(struct analysis *an);
/* The KCFI id of the "kcfi" operand bundle of @call: false when it has none. */
bool kcfi_call_type(LLVMValueRef call, u32 *id);
/* resolve.c */
/* Index the address-taken functions by type and follow function pointers (fptr.c). */
int resolve_init(struct analysis *an);
void resolve_free(struct analysis *an);
/* The targets of indirect @call into @out (room for n_fns), in module order; FPR_* ways. */
u32 resolve_call(struct analysis *an, LLVMValueRef call, u32 *out, u32 *n);
/* The address-taken functions of indirect @call's type, into @out; how many. */
u32 resolve_by_type(struct analysis *an, LLVMValueRef call, u32 *out);
/* The functions pointer @v handed to libc may be; false when only a type could say. */
bool resolve_value(struct analysis *an, LLVMValueRef v, u32 *out, u32 *n);
/* calls.c */
int scan_calls(struct analysis *an);
/* callbacks.c */
LLVMValueRef strip_alias(LLVMValueRef v);
/* Record the callbacks libc call @c (of @lf) runs: its part, or roles. */
int note_libc_callbacks(struct analysis *an, struct call *c, const struct libc_fn *lf);
/* Functions handed to a library lcg cannot see become libc callbacks. */
void note_opaque_callbacks(struct analysis *an, LLVMValueRef inst);
/* After every call is known: exit handlers and constructors become parts, or roles. */
int note_handlers(struct analysis *an);
/* After planning: what could not be pasted keeps its asynchronous role. */
void settle_roles(struct analysis *an);
/* reach.c */
int compute_reach(struct analysis *an);
/* events.c */
int assign_events(struct analysis *an);
/* The site bracketing @c's target slot @k, or LCG_NONE when that target is not bracketed. */
u32 call_target_site(const struct analysis *an, const struct call *c, u32 k);
/* Source position of an instruction: file NULL and line 0 when unknown. */
void debug_where(LLVMValueRef inst, const char **file, unsigned *line);
/* cfg_graph.c */
int build_cfg_graph(struct analysis *an, u32 fi, struct lgraph *g);
/* The raw graph of every function later passes read, into an->graphs. */
int build_raw_graphs(struct analysis *an);
/* Does @c run nothing at some target (no target, an unmonitored or eventless one)? */
bool call_silent(const struct analysis *an, const struct call *c);
/* Does @c's part run a program function that reaches an event? */
bool part_runs_events(const struct analysis *an, const struct call *c);
/* Can the program go along raw edge @e without a library call? */
bool raw_edge_passable(const struct analysis *an, const struct lg_edge *e);
/* plan.c */
/* Each part target's fate (an->target_plan), hot parts, roles of what stays async. */
int plan_calls(struct analysis *an);
/* graphs.c */
int build_graphs(struct analysis *an);
/* Copy @g into procedure @proc of @a (whose entry state exists); @map gets the states. */
void emit_lgraph(struct lcg_automaton *a, u32 proc, const struct lgraph *g, u32 *map);
/* inline.c */
/*
 * choose_inline() - per fn, whether pasted calls of it get copies of their
 * own (else one shared copy per procedure), within @budget states for the
 * procedures @root names.  NULL, with the analysis's error set, when out of
 * memory.
 */
u8 *choose_inline(struct analysis *an, u32 budget,
		  bool (*root)(const struct analysis *an, u32 fi));
/* nfa.c */
int build_nfa(struct analysis *an);
/* instrument.c */
int instrument_module(struct analysis *an);
/* binding.c */
/* The classes a call @inst of @f arms: its sc=, narrowed by a constant argument. */
u32 libc_call_classes(const struct libc_fn *f, LLVMValueRef inst);
/* Does inline asm @asmv hold a syscall instruction? */
bool asm_has_syscall(LLVMValueRef asmv);
/*
 * next_syscall_insn() - the next syscall instruction of asm text @t at or
 * after *@pos: a statement (after newlines, ';' and labels) whose mnemonic is
 * syscall.  Return true with *@pos at its mnemonic, false when none is left.
 */
bool next_syscall_insn(const char *t, size_t len, size_t *pos);
/* The classes raw system call asm @asmv at @inst arms: LCG_SC_ALL unless rax is a constant. */
u32 raw_syscall_classes(LLVMValueRef inst, LLVMValueRef asmv);
/* Label each syscall instruction of @inst's asm and pin it in .lcg_sites (LCG_RAW_SITE_ID). */
int pin_raw_syscalls(struct analysis *an, LLVMValueRef inst);

/* warnings.c */
void warnf(struct analysis *an, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int failf(struct analysis *an, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Growable arrays: false (and an->oom) when out of memory. */
bool grow_array(struct analysis *an, void **arr, u32 *cap, u32 need, size_t elem);

/*
 * Is a call of external function @f a LIBCALL event?  Its class decides in
 * the event set, but one that may issue a sensitive system call, or that
 * the model does not know (it may do anything), is an event in every set.
 */
static inline bool is_monitored_callee(const struct analysis *an, const struct fn *f)
{
	if (f->kind == FK_OPAQUE)
		return true;
	return f->kind == FK_LIBC &&
	       (f->libc->sc || libc_class_monitored(f->libc->cls, an->o->event_set));
}

#endif /* LCG_ANALYSIS_INTERNAL_H */
