/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - the state the analysis passes share.  Not part of the API.
 *
 * Passes, in order (analyze.c): functions.c classifies every function of the
 * module; calls.c records every call and resolves indirect ones; reach.c
 * finds the functions that can reach an event; events.c numbers events and
 * call sites; cfg_graph.c and lgraph.c build each function's library call
 * graph; graphs.c writes them into the policy; nfa.c builds the
 * whole-program automaton; instrument.c inserts the event sequences.
 * binding.c says what each LIBCALL event arms and pins raw system calls.
 */
#ifndef LCG_ANALYSIS_INTERNAL_H
#define LCG_ANALYSIS_INTERNAL_H

#include <stdarg.h>
#include "analyze.h"
#include "libc_model.h"
#include "ptrmap.h"
#include "lgraph.h"

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
	bool used;		/* called or address-taken (for stats) */
	bool warned;		/* its one warning line was printed */
	u32 first_call, n_calls;	/* FK_DEF: its calls, in instruction order */
	u32 proc;		/* index in the policy's graphs, or LCG_NONE */
};

enum call_kind {
	CK_LIBC,	/* direct call into libc */
	CK_SETJMP,	/* direct call of the setjmp family */
	CK_LONGJMP,	/* direct call of the longjmp family */
	CK_INTERNAL,	/* direct call of a definition */
	CK_INDIRECT,	/* call through a pointer */
	CK_OPAQUE,	/* direct call of an external function the model does not know */
	CK_RAW,		/* inline asm with a syscall instruction: a raw system call */
	CK_OTHER,	/* intrinsic, other inline asm */
};

struct call {
	LLVMValueRef inst;
	u32 caller;		/* fn index */
	u32 block;		/* block index within the caller */
	u32 kind;		/* enum call_kind */
	u32 callee;		/* direct calls: fn index, else LCG_NONE */
	u32 first_target, n_targets;	/* CK_INDIRECT: fn indices in an->targets */
	u32 libcall;		/* CK_LIBC, CK_OPAQUE, CK_RAW: LIBCALL id, 0 if not monitored */
	u32 site;		/* policy site index, or LCG_NONE */
	u32 pre, post;		/* PDA ids of the site */
	bool silent;		/* CK_INDIRECT: some target emits nothing at the site */
	bool internal;		/* CK_INDIRECT: some target is a definition */
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
	u32 *targets;			/* indirect call targets, fn indices */
	u32 *target_events;		/* parallel: LIBCALL id of an external target, else 0 */
	u32 n_targets, cap_targets;

	struct lcg_event_info *events;	/* grows; becomes p->events */
	u32 n_events, cap_events;

	struct lgraph *graphs;		/* per fn with a proc: its collapsed graph */
};

/* functions.c */
int scan_functions(struct analysis *an);
/* calls.c */
int scan_calls(struct analysis *an);
/* reach.c */
int compute_reach(struct analysis *an);
/* events.c */
int assign_events(struct analysis *an);
/* Source position of an instruction: file NULL and line 0 when unknown. */
void debug_where(LLVMValueRef inst, const char **file, unsigned *line);
/* cfg_graph.c */
int build_cfg_graph(struct analysis *an, u32 fi, struct lgraph *g);
/* graphs.c */
int build_graphs(struct analysis *an);
/* Copy @g into procedure @proc of @a (whose entry state exists); @map gets the states. */
void emit_lgraph(struct lcg_automaton *a, u32 proc, const struct lgraph *g, u32 *map);
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
