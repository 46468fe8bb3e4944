// SPDX-License-Identifier: GPL-2.0
/*
 * callbacks.c - the program functions that libc (or a library lcg cannot
 * see) runs, and where.
 *
 * A callback that runs *during* its libc call (qsort's comparator, ftw's
 * visitor) becomes the call's part: a loop of its graph pasted after the
 * call (plan.c, expand.c), so its events are accepted there and nowhere
 * else.  Exit handlers (atexit, on_exit, destructors) become the part of
 * every call that exits (the model's `exits` flag) and of the returns of
 * main and of thread entries; constructors the part before main's entry.
 * What cannot be pasted (a callback below which a setjmp returns, a libc
 * function that issues sensitive system calls after its callback returned,
 * exit handlers in a program that calls a library lcg cannot see, which may
 * exit) keeps the role it always had: an asynchronous entry, allowed to
 * start anywhere (docs/design-core.md).  Signal handlers stay asynchronous.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static u32 role_of_callback(u32 role)
{
	switch (role) {
	case CB_SIGNAL:
	case CB_SIGACTION:
		return LCG_AP_SIGNAL_HANDLER;
	case CB_EXIT:
		return LCG_AP_EXIT_HANDLER;
	case CB_THREAD:
	case CB_SIGEVENT:
		return LCG_AP_THREAD_ENTRY;
	default:
		return LCG_AP_LIBC_CALLBACK;
	}
}

LLVMValueRef strip_alias(LLVMValueRef v)
{
	for (int i = 0; i < 8 && v && LLVMIsAGlobalAlias(v); i++)
		v = LLVMAliasGetAliasee(v);
	return v;
}

/*
 * Does an address-taken definition look like a callback of @role?  Signal
 * handlers take the signal number first (one, two or three parameters: a
 * SA_SIGINFO handler is often declared with two); a sigevent thread takes
 * one union sigval.
 */
static bool fits_role(const struct fn *f, u32 role)
{
	LLVMTypeRef t = LLVMGlobalGetValueType(f->v);
	unsigned n = LLVMCountParamTypes(t);
	LLVMTypeRef params[3];

	if (role == CB_SIGEVENT)
		return n == 1;
	if (role != CB_SIGNAL && role != CB_SIGACTION)
		return true;
	if (n < 1 || n > 3)
		return false;
	LLVMGetParamTypes(t, params);
	return LLVMGetTypeKind(params[0]) == LLVMIntegerTypeKind;
}

/* Every address-taken definition that may be the callback gets the role. */
static void mark_unknown_callback(struct analysis *an, u32 role)
{
	for (u32 i = 0; i < an->n_fns; i++) {
		struct fn *f = &an->fns[i];

		if (f->kind == FK_DEF && f->address_taken && fits_role(f, role))
			f->roles |= role_of_callback(role);
	}
}

/* The program functions in constant @c, into @out from @n (those marked in an->mark skipped). */
static u32 functions_in_constant(struct analysis *an, LLVMValueRef c, u32 *out, u32 n, int depth)
{
	u32 fi = ptrmap_get(&an->fn_index, strip_alias(c));

	if (fi != LCG_NONE) {
		if (an->fns[fi].kind == FK_DEF && an->mark[fi] != an->mark_stamp) {
			an->mark[fi] = an->mark_stamp;
			out[n++] = fi;
		}
		return n;
	}
	if (depth > 16 || LLVMIsAGlobalValue(c) || !LLVMIsAConstant(c))
		return n;
	for (int i = 0; i < LLVMGetNumOperands(c); i++)
		n = functions_in_constant(an, LLVMGetOperand(c, i), out, n, depth + 1);
	return n;
}

/* Functions written into the object @v points into (a struct argument), into @out. */
static u32 stored_into(struct analysis *an, LLVMValueRef v, u32 *out, u32 n, int depth)
{
	while (!depth && (LLVMIsAGetElementPtrInst(v) || LLVMIsABitCastInst(v)))
		v = LLVMGetOperand(v, 0);	/* the object itself, then its fields */
	if (!depth && LLVMIsAGlobalVariable(v) && LLVMGetInitializer(v))
		n = functions_in_constant(an, LLVMGetInitializer(v), out, n, 0);
	for (LLVMUseRef u = LLVMGetFirstUse(v); u && depth < 4; u = LLVMGetNextUse(u)) {
		LLVMValueRef user = LLVMGetUser(u);

		if (LLVMIsAGetElementPtrInst(user) || LLVMIsABitCastInst(user))
			n = stored_into(an, user, out, n, depth + 1);
		else if (LLVMIsAStoreInst(user) && LLVMGetOperand(user, 1) == v)
			n = functions_in_constant(an, LLVMGetOperand(user, 0), out, n, 0);
	}
	return n;
}

/*
 * The program functions argument @arg may be: true with them in @out, or
 * false when only a type could say (then every fitting function is).
 */
static bool callback_values(struct analysis *an, LLVMValueRef arg, u32 *out, u32 *n)
{
	u32 fi = ptrmap_get(&an->fn_index, arg), all;

	*n = 0;
	if (fi != LCG_NONE) {
		if (an->fns[fi].kind == FK_DEF)
			out[(*n)++] = fi;
		return true;
	}
	if (LLVMIsAConstant(arg) && !LLVMIsAConstantExpr(arg))
		return true;	/* NULL, SIG_IGN, SIG_DFL */
	if (!resolve_value(an, arg, out, &all))
		return false;
	for (u32 i = 0; i < all; i++)	/* libc's functions are not the program's callbacks */
		if (an->fns[out[i]].kind == FK_DEF)
			out[(*n)++] = out[i];
	return true;
}

/* Give the role to every function in @fns that fits it. */
static void give_role(struct analysis *an, const u32 *fns, u32 n, u32 role)
{
	for (u32 i = 0; i < n; i++)
		if (fits_role(&an->fns[fns[i]], role))
			an->fns[fns[i]].roles |= role_of_callback(role);
}

/* The functions a struct argument holds (sigevent): those stored into it, or every fitting one. */
static void struct_callbacks(struct analysis *an, LLVMValueRef arg, u32 role, u32 *buf)
{
	u32 n;

	an->mark_stamp++;
	n = stored_into(an, arg, buf, 0, 0);
	if (role == CB_SIGEVENT && n)
		give_role(an, buf, n, role);
	else
		mark_unknown_callback(an, role);
}

/*
 * Append the callbacks that run during call @c to its part.  Only when the
 * libc function issues no sensitive system call: the callback's events arm
 * their own classes, and the libc code that runs after it returns would
 * have nothing armed (an asynchronous entry keeps the interrupted classes).
 */
static bool in_context(const struct libc_fn *lf, u32 role)
{
	return role == CB_LIBC && !lf->sc;
}

static int add_part_targets(struct analysis *an, struct call *c, const u32 *fns, u32 n)
{
	if (!n)
		return 0;
	if (!grow_array(an, (void **)&an->targets, &an->cap_targets, an->n_targets + n,
			sizeof(u32)))
		return -1;
	if (c->part == PART_NONE) {
		c->part = PART_LOOP;
		c->first_target = an->n_targets;
	}
	memcpy(&an->targets[an->n_targets], fns, n * sizeof(u32));
	an->n_targets += n;
	c->n_targets += n;
	for (u32 i = 0; i < n; i++)
		an->fns[fns[i]].ctx_roles |= LCG_AP_LIBC_CALLBACK;
	return 0;
}

int note_libc_callbacks(struct analysis *an, struct call *c, const struct libc_fn *lf)
{
	unsigned nargs = LLVMGetNumArgOperands(c->inst);
	u32 *buf = malloc((an->n_fns ? an->n_fns : 1) * sizeof(u32)), n;
	int r = 0;

	if (!buf)
		return failf(an, "out of memory following callbacks");
	for (u32 k = 0; k < lf->n_callbacks && !r; k++) {
		u32 role = lf->callbacks[k].role;
		LLVMValueRef arg;

		if (lf->callbacks[k].arg >= nargs)
			continue;
		arg = strip_alias(LLVMGetOperand(c->inst, lf->callbacks[k].arg));
		if (role == CB_SIGACTION || role == CB_STRUCT || role == CB_SIGEVENT) {
			struct_callbacks(an, arg, role, buf);
		} else if (!callback_values(an, arg, buf, &n)) {
			mark_unknown_callback(an, role);
		} else if (in_context(lf, role)) {
			r = add_part_targets(an, c, buf, n);
		} else if (role == CB_EXIT) {
			for (u32 i = 0; i < n; i++)
				an->fns[buf[i]].ctx_roles |= LCG_AP_EXIT_HANDLER;
		} else {
			give_role(an, buf, n, role);
		}
	}
	free(buf);
	return r;
}

/*
 * A library lcg cannot see may call back the program functions handed to
 * it: as arguments, or written into a struct whose address it gets (zlib's
 * zalloc and zfree in its z_stream).
 */
void note_opaque_callbacks(struct analysis *an, LLVMValueRef inst)
{
	unsigned nargs = LLVMGetNumArgOperands(inst);
	u32 *buf = malloc((an->n_fns ? an->n_fns : 1) * sizeof(u32)), n;

	if (!buf) {
		an->oom = true;
		return;
	}
	an->mark_stamp++;
	for (unsigned i = 0; i < nargs; i++) {
		LLVMValueRef arg = strip_alias(LLVMGetOperand(inst, i));
		u32 fi = ptrmap_get(&an->fn_index, arg);

		if (fi != LCG_NONE && an->fns[fi].kind == FK_DEF)
			an->fns[fi].roles |= LCG_AP_LIBC_CALLBACK;
		else if (LLVMGetTypeKind(LLVMTypeOf(arg)) == LLVMPointerTypeKind && fi == LCG_NONE)
			for (n = stored_into(an, arg, buf, 0, 0); n--;)
				an->fns[buf[n]].roles |= LCG_AP_LIBC_CALLBACK;
	}
	free(buf);
}

/* ---- exit handlers and constructors ---- */

/* Append every function waiting for @role to the targets: the first slot, or LCG_NONE. */
static u32 append_handlers(struct analysis *an, u32 role, u32 *n)
{
	u32 first = an->n_targets;

	*n = 0;
	for (u32 i = 0; i < an->n_fns; i++) {
		if (!(an->fns[i].ctx_roles & role) || (an->fns[i].roles & role))
			continue;
		if (!grow_array(an, (void **)&an->targets, &an->cap_targets, an->n_targets + 1,
				sizeof(u32)))
			return LCG_NONE;
		an->targets[an->n_targets++] = i;
		(*n)++;
	}
	return first;
}

/* A CK_HANDLERS call of @caller running the functions waiting for @role; its index. */
static u32 add_handlers_call(struct analysis *an, u32 caller, u32 role)
{
	struct call *c;
	u32 n, first = append_handlers(an, role, &n);

	if (first == LCG_NONE ||
	    !grow_array(an, (void **)&an->calls, &an->cap_calls, an->n_calls + 1, sizeof(*c)))
		return LCG_NONE;
	c = &an->calls[an->n_calls];
	memset(c, 0, sizeof(*c));
	c->caller = caller;
	c->block = LCG_NONE;
	c->kind = CK_HANDLERS;
	c->callee = c->site = LCG_NONE;
	c->part = PART_LOOP;
	c->first_target = first;
	c->n_targets = n;
	return an->n_calls++;
}

/*
 * Exit handlers are pasted where the program can exit only when every such
 * place is known: no library lcg cannot see (it may call exit), no pointer
 * to a function that exits.
 */
static bool exits_known(const struct analysis *an)
{
	for (u32 i = 0; i < an->n_fns; i++) {
		const struct fn *f = &an->fns[i];

		if (f->kind == FK_OPAQUE && f->used)
			return false;
		if (f->kind == FK_LIBC && (f->libc->flags & LF_EXITS) && f->address_taken)
			return false;
	}
	return true;
}

static bool any_ctx_role(const struct analysis *an, u32 role)
{
	for (u32 i = 0; i < an->n_fns; i++)
		if ((an->fns[i].ctx_roles & role) && !(an->fns[i].roles & role))
			return true;
	return false;
}

/* The exit handlers' part of every call that exits, and of the returns of entries. */
static int exit_parts(struct analysis *an)
{
	u32 n, first = append_handlers(an, LCG_AP_EXIT_HANDLER, &n);

	if (first == LCG_NONE)
		return -1;
	for (u32 i = 0; i < an->n_calls; i++) {
		struct call *c = &an->calls[i];

		if (c->kind == CK_LIBC && (an->fns[c->callee].libc->flags & LF_EXITS)) {
			c->part = PART_LOOP;
			c->first_target = first;
			c->n_targets = n;
		}
	}
	for (u32 i = 0; i < an->n_fns; i++) {
		const struct fn *f = &an->fns[i];
		u32 h;

		if (f->kind != FK_DEF || !(i == an->main_fn || (f->roles & LCG_AP_THREAD_ENTRY)))
			continue;
		h = add_handlers_call(an, i, LCG_AP_EXIT_HANDLER);
		if (h == LCG_NONE)
			return -1;
		an->fns[i].exit_part = h;
	}
	return 0;
}

int note_handlers(struct analysis *an)
{
	for (u32 i = 0; i < an->n_fns; i++)
		an->fns[i].entry_part = an->fns[i].exit_part = LCG_NONE;
	if (any_ctx_role(an, LCG_AP_EXIT_HANDLER)) {
		if (!exits_known(an)) {
			for (u32 i = 0; i < an->n_fns; i++)
				an->fns[i].roles |= an->fns[i].ctx_roles & LCG_AP_EXIT_HANDLER;
		} else if (exit_parts(an)) {
			return failf(an, "out of memory pasting exit handlers");
		}
	}
	if (any_ctx_role(an, LCG_AP_CONSTRUCTOR)) {
		u32 h = add_handlers_call(an, an->main_fn, LCG_AP_CONSTRUCTOR);

		if (h == LCG_NONE)
			return failf(an, "out of memory pasting constructors");
		an->fns[an->main_fn].entry_part = h;
	}
	return 0;
}

void settle_roles(struct analysis *an)
{
	for (u32 i = 0; i < an->n_fns; i++) {
		struct fn *f = &an->fns[i];

		if (f->kind == FK_DEF && an->o->all_brackets)
			f->roles |= f->ctx_roles;
	}
}
