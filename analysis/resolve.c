// SPDX-License-Identifier: GPL-2.0
/*
 * resolve.c - what an indirect call may reach: the sources of its pointer
 * (fptr.c) and its C function type (kcfi.c).
 *
 * For each source: a function is itself; a complete key gives what was put
 * there and every escaped function of the call's type; an incomplete key or
 * an unknown source gives every address-taken function of the call's type.
 * The type is the KCFI id where both the call and the function have one,
 * else the LLVM function type (bitcode compiled without KCFI).  A call that
 * matches nothing falls back (fall_back(), with a warning), never to "no
 * target", which would make a legitimate call a violation.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* A KCFI id as a ptrmap key (ids may be 0; pointers may not). */
static const void *kcfi_key(u32 id)
{
	return (const void *)(uintptr_t)(((u64)1 << 32) | id);
}

static bool index_fn(struct analysis *an, struct ptrmap *first, u32 *next, const void *key, u32 i)
{
	next[i] = ptrmap_get(first, key);
	if (ptrmap_put(first, key, i))
		return true;
	an->oom = true;
	return false;
}

/*
 * KCFI entry @e, function @fi of id @id, at the front of @id's list.
 * Entries: one per function (its own id, when it has one), then one per
 * alias (kcfi.c).
 */
static bool index_kcfi(struct analysis *an, u32 e, u32 fi, u32 id)
{
	an->types.kcfi_fn[e] = fi;
	return index_fn(an, &an->types.kcfi_first, an->types.kcfi_next, kcfi_key(id), e);
}

int resolve_init(struct analysis *an)
{
	struct type_index *ti = &an->types;
	size_t n = an->n_fns ? an->n_fns : 1, n_entries = n + ti->n_alias;

	ptrmap_init(&ti->llvm_first);
	ptrmap_init(&ti->kcfi_first);
	ti->llvm_next = malloc(n * sizeof(u32));
	ti->kcfi_fn = malloc(n_entries * sizeof(u32));
	ti->kcfi_next = malloc(n_entries * sizeof(u32));
	an->mark = calloc(n, sizeof(u32));
	if (!ti->llvm_next || !ti->kcfi_fn || !ti->kcfi_next || !an->mark)
		return failf(an, "out of memory indexing function types");
	for (u32 a = ti->n_alias; a-- > 0;)
		if (an->fns[ti->alias[a].fn].address_taken &&
		    !index_kcfi(an, an->n_fns + a, ti->alias[a].fn, ti->alias[a].id))
			return failf(an, "out of memory indexing function types");
	/* backwards, so that each list is in module order */
	for (u32 i = an->n_fns; i-- > 0;) {
		struct fn *f = &an->fns[i];

		ti->llvm_next[i] = ti->kcfi_next[i] = LCG_NONE;
		if (!f->address_taken)
			continue;
		if (!index_fn(an, &ti->llvm_first, ti->llvm_next, LLVMGlobalGetValueType(f->v), i) ||
		    (f->has_kcfi && !index_kcfi(an, i, i, f->kcfi)))
			return failf(an, "out of memory indexing function types");
	}
	return fptr_analyze(an, &an->fp);
}

void resolve_free(struct analysis *an)
{
	ptrmap_free(&an->types.llvm_first);
	ptrmap_free(&an->types.kcfi_first);
	free(an->types.llvm_next);
	free(an->types.kcfi_fn);
	free(an->types.kcfi_next);
	free(an->types.alias);
	free(an->mark);
	fptr_free(&an->fp);
}

struct collect {
	struct analysis *an;
	LLVMValueRef call;	/* NULL: a callback handed to libc, of unknown type */
	u32 *out, n;
	u32 how;
	bool by_type;		/* every function of the type */
	bool unknown;		/* some source is neither a key nor a library's result */
	bool escaped;		/* the escaped functions of the type */
};

static void add(struct collect *c, u32 fi)
{
	if (c->an->mark[fi] == c->an->mark_stamp)
		return;
	c->an->mark[fi] = c->an->mark_stamp;
	c->out[c->n++] = fi;
}

static void add_set(struct collect *c, const u64 *set)
{
	const struct fptr *x = &c->an->fp;

	for (u32 w = 0; set && w < x->words; w++)
		for (u64 bits = set[w]; bits; bits &= bits - 1)
			add(c, x->fn_of_bit[w * 64 + (u32)__builtin_ctzll(bits)]);
}

static void on_source(struct fptr *x, void *ctx, u32 kind, u32 what)
{
	struct collect *c = ctx;

	if (kind == FP_SRC_FN) {
		add(c, what);
		c->how |= FPR_DIRECT;
	} else if (kind == FP_SRC_KEY) {
		add_set(c, x->keys[what].set);
		if (fptr_key_complete(x, what)) {
			c->escaped = true;
			c->how |= FPR_KEY;
		} else {
			c->by_type = true;
		}
	} else {
		c->by_type = true;
		c->unknown |= kind == FP_SRC_UNKNOWN;
	}

}

/* The functions of @call's type (only the escaped ones when @escaped_only). */
static void add_type(struct collect *c, bool escaped_only)
{
	const struct type_index *ti = &c->an->types;
	const struct fptr *x = &c->an->fp;
	u32 id;
	bool kcfi = kcfi_call_type(c->call, &id);
	LLVMTypeRef t = LLVMGetCalledFunctionType(c->call);

	if (!escaped_only)
		c->how |= kcfi ? FPR_TYPE : FPR_LLVM_TYPE;
	for (u32 e = kcfi ? ptrmap_get(&ti->kcfi_first, kcfi_key(id)) : LCG_NONE; e != LCG_NONE;
	     e = ti->kcfi_next[e])
		if (!escaped_only || fptr_in_set(x, x->escaped, ti->kcfi_fn[e]))
			add(c, ti->kcfi_fn[e]);
	for (u32 i = ptrmap_get(&ti->llvm_first, t); i != LCG_NONE; i = ti->llvm_next[i])
		if ((!kcfi || !c->an->fns[i].has_kcfi) &&
		    (!escaped_only || fptr_in_set(x, x->escaped, i)))
			add(c, i);
}

u32 resolve_by_type(struct analysis *an, LLVMValueRef call, u32 *out)
{
	struct collect c = { .an = an, .call = call, .out = out };

	an->mark_stamp++;
	add_type(&c, false);
	return c.n;
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Nothing matched the call's type.  From an unknown source: every
 * address-taken function (a pointer cast to another type, most likely).
 * From a library (dlsym): nothing, the pointer leads out of the program
 * (instrument.c issues no event for a pointer outside the targets).  From
 * complete keys nothing was put into: a function cast on its way there must
 * have escaped, so every escaped function, whatever its type (none: the
 * pointer only ever holds null).
 */
static void fall_back(struct collect *c)
{
	struct analysis *an = c->an;

	if (c->by_type) {
		if (!c->unknown)
			return;
		for (u32 i = 0; i < an->n_fns; i++)
			if (an->fns[i].address_taken)
				add(c, i);
		c->how |= FPR_FALLBACK;
		return;
	}
	add_set(c, an->fp.escaped);
	if (c->n)
		c->how |= FPR_FALLBACK;
}

u32 resolve_call(struct analysis *an, LLVMValueRef call, u32 *out, u32 *n)
{
	struct collect c = { .an = an, .call = call, .out = out };

	an->mark_stamp++;
	fptr_sources(&an->fp, LLVMGetCalledValue(call), on_source, &c);
	if (c.by_type)
		add_type(&c, false);
	else if (c.escaped)
		add_type(&c, true);
	if (!c.n)
		fall_back(&c);
	if (c.by_type)	/* the pointer may also lead out of the program */
		c.how |= FPR_OPEN;
	qsort(out, c.n, sizeof(*out), cmp_u32);
	*n = c.n;
	return c.how;
}

bool resolve_value(struct analysis *an, LLVMValueRef v, u32 *out, u32 *n)
{
	struct collect c = { .an = an, .out = out };

	an->mark_stamp++;
	fptr_sources(&an->fp, v, on_source, &c);
	if (c.by_type)
		return false;
	if (c.escaped)	/* no type to narrow them by: every escaped function */
		add_set(&c, an->fp.escaped);
	qsort(out, c.n, sizeof(*out), cmp_u32);
	*n = c.n;
	return true;
}
