// SPDX-License-Identifier: GPL-2.0
/*
 * fptr.c - how function pointers flow between keys (fptr.h), and what an
 * indirect call may reach.
 *
 * One pass over the module records, for every place a pointer is put (a
 * store, an argument of a call of a definition, a global initializer),
 * where it comes from: a function, a key it was loaded from or a parameter
 * (an edge between keys), or something else (the receiving key becomes
 * incomplete).  The arguments of a call through a pointer go to the
 * parameters of every function of the call's type.  A pointer put where no
 * key names (a store the analysis cannot name, an argument of a library lcg
 * cannot see, a return value) escapes, with everything it may hold; so does
 * a function used in any other way.  The parameters of main, of escaped
 * functions and of functions handed to libraries get arguments from
 * anywhere: they are incomplete.  The contents of every key are then closed
 * along the edges.
 *
 * resolve.c turns the sources of a called pointer into its targets.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "fptr.h"


u32 fp_function_of(struct fptr *x, LLVMValueRef v)
{
	for (int depth = 0; v && depth < 8; depth++) {
		if (LLVMIsAFunction(v))
			return ptrmap_get(&x->an->fn_index, v);
		if (LLVMIsAGlobalAlias(v))
			v = LLVMAliasGetAliasee(v);
		else if (LLVMIsAConstantExpr(v) && (LLVMGetConstOpcode(v) == LLVMBitCast ||
						     LLVMGetConstOpcode(v) == LLVMAddrSpaceCast))
			v = LLVMGetOperand(v, 0);
		else
			return LCG_NONE;
	}
	return LCG_NONE;
}

static bool set_bit(struct fptr *x, u64 **set, u32 bit)
{
	if (!*set && !(*set = calloc(x->words, sizeof(u64)))) {
		x->oom = true;
		return false;
	}
	(*set)[bit / 64] |= 1ull << (bit % 64);
	return true;
}

void fp_add_fn(struct fptr *x, u32 k, u32 fi)
{
	if (k != LCG_NONE && fi != LCG_NONE && x->bit_of[fi] != LCG_NONE)
		set_bit(x, &x->keys[k].set, x->bit_of[fi]);
}

void fp_escape_fn(struct fptr *x, u32 fi)
{
	if (fi != LCG_NONE && x->bit_of[fi] != LCG_NONE)
		set_bit(x, &x->escaped, x->bit_of[fi]);
}

static void add_edge(struct fptr *x, u32 from, u32 to)
{
	struct fp_key *k = &x->keys[from];

	if (from == to)
		return;
	if (k->n_succ && k->succ[k->n_succ - 1] == to)
		return;
	if (!grow_array(x->an, (void **)&k->succ, &k->cap_succ, k->n_succ + 1, sizeof(u32))) {
		x->oom = true;
		return;
	}
	k->succ[k->n_succ++] = to;
}

/* ---- walking back from a value to where it comes from ---- */

static void push(struct fptr *x, LLVMValueRef v)
{
	if (ptrmap_get(&x->seen, v) == x->walk)
		return;
	if (!ptrmap_put(&x->seen, v, x->walk) ||
	    !grow_array(x->an, (void **)&x->stack, &x->cap_stack, x->n_stack + 1, sizeof(*x->stack))) {
		x->oom = true;
		return;
	}
	x->stack[x->n_stack++] = v;
}

static u32 param_index(LLVMValueRef arg)
{
	LLVMValueRef fn = LLVMGetParamParent(arg);
	u32 n = LLVMCountParams(fn);

	for (u32 i = 0; i < n; i++)
		if (LLVMGetParam(fn, i) == arg)
			return i;
	return LCG_NONE;
}

static bool is_cast(LLVMValueRef v)
{
	if (LLVMIsABitCastInst(v) || LLVMIsAAddrSpaceCastInst(v) || LLVMIsAFreezeInst(v))
		return true;
	return LLVMIsAConstantExpr(v) && (LLVMGetConstOpcode(v) == LLVMBitCast ||
					  LLVMGetConstOpcode(v) == LLVMAddrSpaceCast);
}

static bool is_call(LLVMValueRef i)
{
	return LLVMIsACallInst(i) || LLVMIsAInvokeInst(i) || LLVMIsACallBrInst(i);
}

/* Is @v what a call of a function outside the program returned? */
static bool returned_by_library(struct fptr *x, LLVMValueRef v)
{
	u32 fi;

	if (!is_call(v))
		return false;
	fi = fp_function_of(x, LLVMGetCalledValue(v));
	return fi != LCG_NONE && x->an->fns[fi].kind != FK_DEF;
}

/* One value of the walk: report it, or queue what it is made of. */
static void source_of(struct fptr *x, LLVMValueRef v, fp_src_cb cb, void *ctx)
{
	u32 fi = fp_function_of(x, v), k;

	if (fi != LCG_NONE) {
		cb(x, ctx, FP_SRC_FN, fi);
	} else if (LLVMIsAConstantPointerNull(v) || LLVMIsUndef(v) || LLVMIsPoison(v) ||
		   (LLVMIsAConstantExpr(v) && LLVMGetConstOpcode(v) == LLVMIntToPtr)) {
		/* null, or a constant address such as SIG_IGN: no function */
	} else if (LLVMIsAArgument(v)) {
		k = fp_param_key(x, LLVMGetParamParent(v), param_index(v));
		cb(x, ctx, k == LCG_NONE ? FP_SRC_UNKNOWN : FP_SRC_KEY, k);
	} else if (LLVMIsALoadInst(v)) {
		u32 keys[2], n = fp_access_keys(x, v, LLVMGetOperand(v, 0), keys);

		if (!n)
			cb(x, ctx, FP_SRC_UNKNOWN, 0);
		for (u32 i = 0; i < n; i++)
			cb(x, ctx, FP_SRC_KEY, keys[i]);
	} else if (LLVMIsAPHINode(v)) {
		for (unsigned i = 0; i < LLVMCountIncoming(v); i++)
			push(x, LLVMGetIncomingValue(v, i));
	} else if (LLVMIsASelectInst(v)) {
		push(x, LLVMGetOperand(v, 1));
		push(x, LLVMGetOperand(v, 2));
	} else if (is_cast(v)) {
		push(x, LLVMGetOperand(v, 0));
	} else if (returned_by_library(x, v)) {
		cb(x, ctx, FP_SRC_EXTERNAL, 0);
	} else {
		cb(x, ctx, FP_SRC_UNKNOWN, 0);
	}
}

void fptr_sources(struct fptr *x, LLVMValueRef v, fp_src_cb cb, void *ctx)
{
	x->walk++;
	x->n_stack = 0;
	push(x, v);
	while (x->n_stack && !x->oom)
		source_of(x, x->stack[--x->n_stack], cb, ctx);
}

/* A value put into key *@ctx, or (LCG_NONE) somewhere no key names. */
static void put_into(struct fptr *x, void *ctx, u32 kind, u32 what)
{
	u32 dst = *(u32 *)ctx;

	if (kind == FP_SRC_FN) {
		if (dst == LCG_NONE)
			fp_escape_fn(x, what);
		else
			fp_add_fn(x, dst, what);
	} else if (kind == FP_SRC_KEY) {
		if (dst == LCG_NONE)
			x->keys[what].flags |= FPK_ESCAPES;
		else
			add_edge(x, what, dst);
	} else if (dst != LCG_NONE) {	/* unknown, or from outside the program */
		x->keys[dst].flags |= FPK_INCOMPLETE;
	}
}

static bool is_pointer(LLVMValueRef v)
{
	return LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMPointerTypeKind;
}

static void put_value(struct fptr *x, LLVMValueRef v, u32 dst)
{
	if (is_pointer(v))
		fptr_sources(x, v, put_into, &dst);
}

/* The arguments of @inst go to the parameters of definition @f (LCG_NONE: @f has no such one). */
static void pass_arguments(struct fptr *x, LLVMValueRef inst, const struct fn *f)
{
	u32 n = LLVMGetNumArgOperands(inst), np = LLVMCountParams(f->v);

	for (u32 i = 0; i < n; i++)
		put_value(x, LLVMGetOperand(inst, i), i < np ? fp_param_key(x, f->v, i) : LCG_NONE);
	/* a parameter the call does not pass holds whatever the register held */
	for (u32 i = n; i < np; i++)
		x->keys[fp_param_key(x, f->v, i)].flags |= FPK_INCOMPLETE;
}

static void scan_call(struct fptr *x, LLVMValueRef inst)
{
	LLVMValueRef callee = LLVMGetCalledValue(inst);
	u32 fi = fp_function_of(x, callee), n = LLVMGetNumArgOperands(inst);
	struct analysis *an = x->an;

	if (fi != LCG_NONE && an->fns[fi].kind == FK_DEF) {
		pass_arguments(x, inst, &an->fns[fi]);
	} else if (fi == LCG_NONE && !LLVMIsAInlineAsm(callee)) {
		/* through a pointer: to the parameters of every function of its type */
		u32 *t = malloc((an->n_fns ? an->n_fns : 1) * sizeof(u32)), nt;

		if (!t) {
			x->oom = true;
			return;
		}
		nt = resolve_by_type(an, inst, t);
		for (u32 k = 0; k < nt; k++)
			if (an->fns[t[k]].kind == FK_DEF)
				pass_arguments(x, inst, &an->fns[t[k]]);
		free(t);
	} else if (fi == LCG_NONE || an->fns[fi].kind == FK_OPAQUE) {
		for (u32 i = 0; i < n; i++)	/* inline asm, a library lcg cannot see */
			put_value(x, LLVMGetOperand(inst, i), LCG_NONE);
	}
	/* libc does not call through the program's keys: its callbacks have roles */
}

static void scan_store(struct fptr *x, LLVMValueRef inst)
{
	u32 keys[2], n = fp_access_keys(x, inst, LLVMGetOperand(inst, 1), keys);

	if (!n)
		put_value(x, LLVMGetOperand(inst, 0), LCG_NONE);
	for (u32 i = 0; i < n; i++)
		put_value(x, LLVMGetOperand(inst, 0), keys[i]);
}

static void scan_instruction(struct fptr *x, LLVMValueRef inst)
{
	if (LLVMIsAStoreInst(inst))
		scan_store(x, inst);
	else if (is_call(inst))
		scan_call(x, inst);
	else if (LLVMIsAReturnInst(inst) && LLVMGetNumOperands(inst))
		put_value(x, LLVMGetOperand(inst, 0), LCG_NONE);
}

/* ---- uses of a function the scan above does not see ---- */

static bool only_in_initializers(LLVMValueRef c, int depth)
{
	for (LLVMUseRef u = LLVMGetFirstUse(c); u; u = LLVMGetNextUse(u)) {
		LLVMValueRef user = LLVMGetUser(u);

		if (LLVMIsAGlobalVariable(user))
			continue;
		if (depth == 0 || !LLVMIsAConstant(user) || LLVMIsAConstantExpr(user) ||
		    !only_in_initializers(user, depth - 1))
			return false;
	}
	return true;
}

/* Is the use of @v by @user one the scan handles (or harmless)? */
static bool use_followed(LLVMValueRef v, LLVMValueRef user)
{
	if (is_call(user) || LLVMIsAICmpInst(user) || LLVMIsAReturnInst(user) ||
	    LLVMIsAGlobalVariable(user))
		return true;
	if (LLVMIsAStoreInst(user))
		return LLVMGetOperand(user, 0) == v;
	if (LLVMIsAConstant(user) && !LLVMIsAConstantExpr(user))
		return only_in_initializers(user, 4);
	return false;
}

/* Function @fi escapes unless every use of @v (it, or a copy of it) is followed. */
static void check_uses(struct fptr *x, u32 fi, LLVMValueRef v, int depth)
{
	for (LLVMUseRef u = LLVMGetFirstUse(v); u; u = LLVMGetNextUse(u)) {
		LLVMValueRef user = LLVMGetUser(u);

		if (use_followed(v, user))
			continue;
		if (depth && (LLVMIsAPHINode(user) || LLVMIsASelectInst(user) || is_cast(user) ||
			      (LLVMIsAConstantExpr(user) && LLVMGetConstOpcode(user) == LLVMICmp))) {
			if (ptrmap_get(&x->seen, user) == x->walk)
				continue;
			ptrmap_put(&x->seen, user, x->walk);
			check_uses(x, fi, user, depth - 1);
			continue;
		}
		fp_escape_fn(x, fi);
		return;
	}
}

/* ---- closing the keys' contents along the edges ---- */

static bool merge(struct fptr *x, struct fp_key *from, struct fp_key *to)
{
	bool changed = false;

	if ((from->flags & FPK_INCOMPLETE) && !(to->flags & FPK_INCOMPLETE)) {
		to->flags |= FPK_INCOMPLETE;
		changed = true;
	}
	if (!from->set)
		return changed;
	if (!to->set && !(to->set = calloc(x->words, sizeof(u64)))) {
		x->oom = true;
		return false;
	}
	for (u32 w = 0; w < x->words; w++)
		if (from->set[w] & ~to->set[w]) {
			to->set[w] |= from->set[w];
			changed = true;
		}
	return changed;
}

static int close_keys(struct fptr *x)
{
	u32 *queue = malloc((x->n_keys ? x->n_keys : 1) * sizeof(u32)), n = 0;

	if (!queue)
		return -1;
	for (u32 k = 0; k < x->n_keys; k++) {
		queue[n++] = k;
		x->keys[k].flags |= FPK_QUEUED;
	}
	while (n && !x->oom) {
		struct fp_key *k = &x->keys[queue[--n]];

		k->flags &= ~FPK_QUEUED;
		for (u32 i = 0; i < k->n_succ; i++) {
			struct fp_key *s = &x->keys[k->succ[i]];

			if (merge(x, k, s) && !(s->flags & FPK_QUEUED)) {
				s->flags |= FPK_QUEUED;
				queue[n++] = k->succ[i];
			}
		}
	}
	free(queue);
	for (u32 k = 0; k < x->n_keys && x->escaped; k++)
		if ((x->keys[k].flags & FPK_ESCAPES) && x->keys[k].set)
			for (u32 w = 0; w < x->words; w++)
				x->escaped[w] |= x->keys[k].set[w];
	return x->oom ? -1 : 0;
}

static int init(struct analysis *an, struct fptr *x)
{
	memset(x, 0, sizeof(*x));
	x->an = an;
	strmap_init(&x->names);
	ptrmap_init(&x->seen);
	x->tbaa_kind = LLVMGetMDKindIDInContext(an->ctx, "tbaa", 4);
	x->bit_of = malloc((an->n_fns ? an->n_fns : 1) * sizeof(u32));
	x->fn_of_bit = malloc((an->n_fns ? an->n_fns : 1) * sizeof(u32));
	if (!x->bit_of || !x->fn_of_bit)
		return -1;
	for (u32 i = 0; i < an->n_fns; i++) {
		x->bit_of[i] = an->fns[i].address_taken ? x->n_bits : LCG_NONE;
		if (an->fns[i].address_taken)
			x->fn_of_bit[x->n_bits++] = i;
	}
	x->words = (x->n_bits + 63) / 64 ? (x->n_bits + 63) / 64 : 1;
	x->escaped = calloc(x->words, sizeof(u64));
	x->open = calloc(an->n_fns ? an->n_fns : 1, 1);
	return x->escaped && x->open ? 0 : -1;
}

/* Functions external code calls (main, libc's and opaque libraries' callbacks). */
static void mark_called_from_outside(struct fptr *x)
{
	struct analysis *an = x->an;

	x->open[an->main_fn] = 1;
	for (u32 i = 0; i < an->n_fns; i++) {
		if (an->fns[i].kind != FK_DEF)
			continue;
		for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(an->fns[i].v); bb;
		     bb = LLVMGetNextBasicBlock(bb))
			for (LLVMValueRef in = LLVMGetFirstInstruction(bb); in;
			     in = LLVMGetNextInstruction(in)) {
				u32 callee, n;

				if (!is_call(in))
					continue;
				callee = fp_function_of(x, LLVMGetCalledValue(in));
				if (callee != LCG_NONE && an->fns[callee].kind == FK_DEF)
					continue;
				n = LLVMGetNumArgOperands(in);
				for (u32 k = 0; k < n; k++) {
					u32 f = fp_function_of(x, LLVMGetOperand(in, k));

					if (f != LCG_NONE)
						x->open[f] = 1;
				}
			}
	}
}

int fptr_analyze(struct analysis *an, struct fptr *x)
{
	if (init(an, x))
		return failf(an, "out of memory following function pointers");
	/* escapes by use first: an escaped function may be called with anything */
	for (u32 b = 0; b < x->n_bits; b++) {
		x->walk++;
		check_uses(x, x->fn_of_bit[b], an->fns[x->fn_of_bit[b]].v, 8);
	}
	for (u32 b = 0; b < x->n_bits; b++)
		if (fptr_in_set(x, x->escaped, x->fn_of_bit[b]))
			x->open[x->fn_of_bit[b]] = 1;
	mark_called_from_outside(x);
	fp_scan_initializers(x);
	for (u32 i = 0; i < an->n_fns && !x->oom; i++) {
		if (an->fns[i].kind != FK_DEF)
			continue;
		for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(an->fns[i].v); bb;
		     bb = LLVMGetNextBasicBlock(bb))
			for (LLVMValueRef in = LLVMGetFirstInstruction(bb); in;
			     in = LLVMGetNextInstruction(in))
				scan_instruction(x, in);
	}
	if (x->oom || close_keys(x))
		return failf(an, "out of memory following function pointers");
	return 0;
}

void fptr_free(struct fptr *x)
{
	for (u32 k = 0; k < x->n_keys; k++) {
		free(x->keys[k].succ);
		free(x->keys[k].set);
	}
	free(x->keys);
	strmap_free(&x->names);
	ptrmap_free(&x->seen);
	free(x->bit_of);
	free(x->fn_of_bit);
	free(x->escaped);
	free(x->open);
	free(x->stack);
	memset(x, 0, sizeof(*x));
}
