/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fptr.h - where function pointers are stored and loaded: the second layer
 * of indirect-call resolution (multi-layer type analysis, Lu & Hu, CCS 2019),
 * on top of the C function type (kcfi.c).
 *
 * A *key* names a place a function pointer may live: a struct field (the
 * innermost struct and the offset in it, from clang's struct-path TBAA tags,
 * which survive optimisation and LTO), a global variable (for tables and
 * callbacks kept in globals), or a parameter of a function.  Stores, call
 * arguments and global initializers put functions into keys, or move the
 * contents of one key into another; a value the analysis cannot follow makes
 * the receiving key *incomplete*.  A function whose address goes anywhere the
 * analysis cannot follow *escapes*.  A call through a pointer loaded from a
 * complete key can only reach what was put there, or an escaped function of
 * its type (fptr.c, docs/analysis.md "Indirect calls").
 */
#ifndef LCG_FPTR_H
#define LCG_FPTR_H

#include "strmap.h"
#include "ptrmap.h"
#include <llvm-c/Core.h>

struct analysis;

#define FPK_INCOMPLETE 0x1u	/* a value the analysis cannot follow may be in it */
#define FPK_ESCAPES 0x2u	/* its values go where the analysis cannot follow */
#define FPK_QUEUED 0x4u

struct fp_key {
	u32 *succ;		/* keys its values flow into */
	u32 n_succ, cap_succ;
	u64 *set;		/* functions put into it (bit per address-taken function) */
	u32 flags;
};

struct fptr {
	struct analysis *an;
	struct strmap names;	/* key description -> key index */
	struct fp_key *keys;
	u32 n_keys, cap_keys;
	unsigned tbaa_kind;
	u32 *bit_of;		/* fn index -> bit, or LCG_NONE when not address-taken */
	u32 *fn_of_bit;
	u32 n_bits, words;
	u64 *escaped;		/* functions that escape */
	u8 *open;		/* per fn: called with arguments from anywhere (main, callbacks
				 * libraries run, escaped functions): its parameters are incomplete */
	struct ptrmap seen;	/* values met by the current walk (value: walk number) */
	u32 walk;
	LLVMValueRef *stack;	/* values still to visit in the current walk */
	u32 n_stack, cap_stack;
	bool oom;
};

/* fptr_keys.c: naming the places function pointers live */
/*
 * The keys of the memory load or store @inst accesses at @ptr: its field,
 * and its global variable (into @keys, room for 2); how many (0: none).
 */
u32 fp_access_keys(struct fptr *x, LLVMValueRef inst, LLVMValueRef ptr, u32 *keys);
/* The key of parameter @idx of function @fn. */
u32 fp_param_key(struct fptr *x, LLVMValueRef fn, u32 idx);
/* Put the functions of each global initializer into their keys. */
void fp_scan_initializers(struct fptr *x);
/* Bit @bit of function fn index @fi in key @k; escape: mark it escaped. */
void fp_add_fn(struct fptr *x, u32 k, u32 fi);
void fp_escape_fn(struct fptr *x, u32 fi);
/* The fn index of function constant @v (through aliases and casts), or LCG_NONE. */
u32 fp_function_of(struct fptr *x, LLVMValueRef v);

/* fptr.c */
int fptr_analyze(struct analysis *an, struct fptr *x);
void fptr_free(struct fptr *x);

/*
 * Where a value comes from: a function, a key, what a library call returned
 * (dlsym, signal: a pointer from outside the program), or something the
 * analysis cannot follow.
 */
enum fp_src { FP_SRC_FN, FP_SRC_KEY, FP_SRC_EXTERNAL, FP_SRC_UNKNOWN };
typedef void (*fp_src_cb)(struct fptr *x, void *ctx, u32 kind, u32 what);
/* Report each source of @v (fn index, key index, or 0) to @cb. */
void fptr_sources(struct fptr *x, LLVMValueRef v, fp_src_cb cb, void *ctx);

static inline bool fptr_key_complete(const struct fptr *x, u32 k)
{
	return !(x->keys[k].flags & FPK_INCOMPLETE);
}

static inline bool fptr_in_set(const struct fptr *x, const u64 *set, u32 fi)
{
	u32 b = x->bit_of[fi];

	return set && b != LCG_NONE && (set[b / 64] >> (b % 64) & 1);
}

#endif /* LCG_FPTR_H */
