// SPDX-License-Identifier: GPL-2.0
/*
 * fptr_keys.c - naming the places a function pointer lives (fptr.h).
 *
 * Struct fields come from clang's struct-path TBAA access tags
 * (!{base type, access type, offset}): after optimisation the address is a
 * byte offset from some pointer, but the tag still says which struct and
 * where.  A field of a nested struct is named after the innermost struct
 * holding it, whichever outer struct the access went through, so `a->b.f`
 * and `pb->f` name the same key.  Anonymous structs (TBAA name "") and C++
 * types (mangled names, which LLVM's type names do not match) make
 * incomplete keys: their calls fall back to the function type.  Without
 * TBAA (-O0, -fno-strict-aliasing) there are no field keys at all.
 *
 * A global variable is a key of its own: loads and stores through it (or an
 * offset into it), whether a TBAA tag also names a field or not (an array
 * of pointers has no field; a struct's initializer fills the global's key).
 */
#include <string.h>
#include "internal.h"
#include "fptr.h"

#define ROOT_TBAA_OPS 1
#define TBAA_CHAR "omnipotent char"

static u32 key_of(struct fptr *x, const char *desc, size_t len, u32 flags)
{
	bool added;
	u32 k = strmap_intern(&x->names, desc, len, &added);

	if (k == LCG_NONE) {
		x->oom = true;
		return LCG_NONE;
	}
	if (added) {
		if (!grow_array(x->an, (void **)&x->keys, &x->cap_keys, k + 1, sizeof(*x->keys))) {
			x->oom = true;
			return LCG_NONE;
		}
		memset(&x->keys[k], 0, sizeof(x->keys[k]));
		x->keys[k].flags = flags;
		x->n_keys = k + 1;
	}
	return k;
}

/* "F" name NUL offset: field @off of struct @name. */
static u32 field_key(struct fptr *x, const char *name, size_t len, u64 off)
{
	char desc[1 + len + 1 + sizeof(off)];
	u32 flags = 0;

	desc[0] = 'F';
	memcpy(desc + 1, name, len);
	desc[1 + len] = 0;
	memcpy(desc + 2 + len, &off, sizeof(off));
	/* anonymous structs share one name; C++ names are mangled differently */
	if (!len || (len > 4 && !memcmp(name, "_ZTS", 4)))
		flags = FPK_INCOMPLETE;
	return key_of(x, desc, sizeof(desc), flags);
}

static u32 pointer_key(struct fptr *x, char kind, const void *p, u32 extra, u32 flags)
{
	char desc[1 + sizeof(p) + sizeof(extra)];

	desc[0] = kind;
	memcpy(desc + 1, &p, sizeof(p));
	memcpy(desc + 1 + sizeof(p), &extra, sizeof(extra));
	return key_of(x, desc, sizeof(desc), flags);
}

static u32 global_key(struct fptr *x, LLVMValueRef g)
{
	return pointer_key(x, 'G', g, 0, 0);
}

u32 fp_param_key(struct fptr *x, LLVMValueRef fn, u32 idx)
{
	u32 fi = ptrmap_get(&x->an->fn_index, fn);
	bool open = fi == LCG_NONE || x->open[fi];

	return pointer_key(x, 'P', fn, idx, open ? FPK_INCOMPLETE : 0);
}

/* ---- TBAA type nodes ---- */

static unsigned md_ops(LLVMValueRef node, LLVMValueRef *ops, unsigned max)
{
	unsigned n = LLVMGetMDNodeNumOperands(node);

	if (n > max)
		return 0;
	LLVMGetMDNodeOperands(node, ops);
	return n;
}

static const char *md_name(LLVMValueRef node, unsigned *len)
{
	LLVMValueRef ops[1];
	unsigned n = LLVMGetMDNodeNumOperands(node);

	*len = 0;
	if (!n)
		return NULL;
	if (n == 1) {
		LLVMGetMDNodeOperands(node, ops);
	} else {
		LLVMValueRef all[n];

		LLVMGetMDNodeOperands(node, all);
		ops[0] = all[0];
	}
	return ops[0] ? LLVMGetMDString(ops[0], len) : NULL;
}

static bool name_is(LLVMValueRef node, const char *s)
{
	unsigned len;
	const char *n = node ? md_name(node, &len) : NULL;

	return n && len == strlen(s) && !memcmp(n, s, len);
}

/*
 * Is TBAA type node @t a scalar?  A struct of one member at offset 0 has a
 * scalar's shape (name, member, 0); scalars hang off "omnipotent char" (or
 * are pointer types under "any pointer"), a struct's member type does not.
 */
static bool tbaa_scalar(LLVMValueRef t)
{
	LLVMValueRef ops[3];
	unsigned n = LLVMGetMDNodeNumOperands(t), len;
	const char *name = md_name(t, &len);

	if (n == ROOT_TBAA_OPS || name_is(t, TBAA_CHAR))
		return true;
	if (n != 3 || md_ops(t, ops, 3) != 3 || !ops[1])
		return false;
	if (LLVMGetMDNodeNumOperands(ops[1]) == ROOT_TBAA_OPS || name_is(ops[1], TBAA_CHAR))
		return true;
	return name && len > 1 && name[0] == 'p' && name[1] >= '1' && name[1] <= '9';
}

/* Descend from struct node @t to the innermost struct holding offset *@off. */
static LLVMValueRef tbaa_innermost(LLVMValueRef t, u64 *off)
{
	for (int depth = 0; depth < 32; depth++) {
		unsigned n = LLVMGetMDNodeNumOperands(t);
		LLVMValueRef ops[n], best = NULL;
		u64 best_off = 0;

		LLVMGetMDNodeOperands(t, ops);
		for (unsigned i = 1; i + 1 < n; i += 2) {
			u64 o;

			if (!ops[i] || !ops[i + 1] || !LLVMIsAConstantInt(ops[i + 1]))
				return t;
			o = LLVMConstIntGetZExtValue(ops[i + 1]);
			if (o <= *off && (!best || o >= best_off)) {
				best = ops[i];
				best_off = o;
			}
		}
		if (!best || tbaa_scalar(best))
			return t;
		*off -= best_off;
		t = best;
	}
	return t;
}

/* The field key of access tag @tag (base type, access type, offset), or LCG_NONE. */
static u32 tbaa_key(struct fptr *x, LLVMValueRef tag)
{
	LLVMValueRef ops[4], base;
	unsigned n = md_ops(tag, ops, 4), len;
	const char *name;
	u64 off;

	if (n < 3 || !ops[0] || !ops[1] || ops[0] == ops[1] || !ops[2] ||
	    !LLVMIsAConstantInt(ops[2]) || tbaa_scalar(ops[0]))
		return LCG_NONE;
	off = LLVMConstIntGetZExtValue(ops[2]);
	base = tbaa_innermost(ops[0], &off);
	name = md_name(base, &len);
	return name ? field_key(x, name, len, off) : LCG_NONE;
}

/* The global variable @p points into (through GEPs and casts), or NULL. */
static LLVMValueRef global_base(LLVMValueRef p)
{
	for (int depth = 0; p && depth < 16; depth++) {
		if (LLVMIsAGlobalVariable(p))
			return p;
		if (LLVMIsAGetElementPtrInst(p) || LLVMIsAAddrSpaceCastInst(p) ||
		    LLVMIsABitCastInst(p))
			p = LLVMGetOperand(p, 0);
		else if (LLVMIsAConstantExpr(p) &&
			 (LLVMGetConstOpcode(p) == LLVMGetElementPtr ||
			  LLVMGetConstOpcode(p) == LLVMBitCast ||
			  LLVMGetConstOpcode(p) == LLVMAddrSpaceCast))
			p = LLVMGetOperand(p, 0);
		else
			return NULL;
	}
	return NULL;
}

u32 fp_access_keys(struct fptr *x, LLVMValueRef inst, LLVMValueRef ptr, u32 *keys)
{
	LLVMValueRef tag = LLVMGetMetadata(inst, x->tbaa_kind), g = global_base(ptr);
	u32 n = 0;

	if (tag && (keys[n] = tbaa_key(x, tag)) != LCG_NONE)
		n++;
	if (g && (keys[n] = global_key(x, g)) != LCG_NONE)
		n++;
	return n;
}

/* ---- global initializers ---- */

/*
 * A function in a global's initializer is in that global's key.  Inside a
 * struct it also escapes: the IR linker merges struct types of the same
 * layout under one name (mbed TLS's RSA pk_info ends up typed as a cipher
 * base), so the initializer cannot say which struct's field it fills; as an
 * escaped function it stays a target of every call of its C type through a
 * complete key.
 */
static void walk_init(struct fptr *x, LLVMValueRef c, u32 global, bool in_struct, int depth)
{
	u32 fi = fp_function_of(x, c);

	if (fi != LCG_NONE) {
		fp_add_fn(x, global, fi);
		if (in_struct)
			fp_escape_fn(x, fi);
		return;
	}
	if (depth > 32 || LLVMIsAGlobalValue(c) || LLVMIsAConstantAggregateZero(c) ||
	    LLVMIsAConstantDataSequential(c))
		return;
	if (LLVMIsAConstantStruct(c))
		in_struct = true;
	else if (!LLVMIsAConstantArray(c) && !LLVMIsAConstantVector(c))
		in_struct = true;	/* inside another constant expression: unknown place */
	for (int i = 0; i < LLVMGetNumOperands(c); i++)
		walk_init(x, LLVMGetOperand(c, i), global, in_struct, depth + 1);
}

static bool start_up_list(LLVMValueRef g)
{
	size_t len;
	const char *name = LLVMGetValueName2(g, &len);

	return !strncmp(name, "llvm.", 5);
}

void fp_scan_initializers(struct fptr *x)
{
	for (LLVMValueRef g = LLVMGetFirstGlobal(x->an->m); g; g = LLVMGetNextGlobal(g)) {
		LLVMValueRef init = LLVMGetInitializer(g);
		if (init && !start_up_list(g))
			walk_init(x, init, global_key(x, g), false, 0);
	}
}
