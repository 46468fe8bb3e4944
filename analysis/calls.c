// SPDX-License-Identifier: GPL-2.0
/*
 * calls.c - record every call of every definition, resolve indirect calls to
 * the address-taken functions of the call's type, and give callbacks handed
 * to libc their roles.
 */
#include <string.h>
#include "internal.h"
#include "formats/abi.h"

/* Address-taken functions grouped by function type, in module order. */
struct type_index {
	struct ptrmap first;	/* LLVMTypeRef -> first fn of that type */
	u32 *next;		/* per fn: next fn of the same type, or LCG_NONE */
};

static int build_type_index(struct analysis *an, struct type_index *ti)
{
	ptrmap_init(&ti->first);
	ti->next = malloc((an->n_fns ? an->n_fns : 1) * sizeof(*ti->next));
	if (!ti->next)
		return failf(an, "out of memory indexing function types");
	for (u32 i = an->n_fns; i-- > 0;) {
		struct fn *f = &an->fns[i];
		LLVMTypeRef t;

		ti->next[i] = LCG_NONE;
		if (!f->address_taken)
			continue;
		t = LLVMGlobalGetValueType(f->v);
		ti->next[i] = ptrmap_get(&ti->first, t);
		if (!ptrmap_put(&ti->first, t, i))
			return failf(an, "out of memory indexing function types");
	}
	return 0;
}

static void free_type_index(struct type_index *ti)
{
	ptrmap_free(&ti->first);
	free(ti->next);
}

static u32 role_of_callback(u32 role)
{
	switch (role) {
	case CB_SIGNAL:
	case CB_SIGACTION:
		return LCG_AP_SIGNAL_HANDLER;
	case CB_EXIT:
		return LCG_AP_EXIT_HANDLER;
	case CB_THREAD:
		return LCG_AP_THREAD_ENTRY;
	default:
		return LCG_AP_LIBC_CALLBACK;
	}
}

static LLVMValueRef strip_alias(LLVMValueRef v)
{
	for (int i = 0; i < 8 && v && LLVMIsAGlobalAlias(v); i++)
		v = LLVMAliasGetAliasee(v);
	return v;
}

/* Does an address-taken definition look like a handler of @role? */
static bool fits_role(const struct fn *f, u32 role)
{
	LLVMTypeRef t = LLVMGlobalGetValueType(f->v);
	unsigned n = LLVMCountParamTypes(t);
	LLVMTypeRef params[3];

	if (role != CB_SIGNAL && role != CB_SIGACTION)
		return true;
	if (n != 1 && n != 3)
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

static void mark_callbacks(struct analysis *an, LLVMValueRef inst, const struct libc_fn *lf)
{
	unsigned nargs = LLVMGetNumArgOperands(inst);

	for (u32 k = 0; k < lf->n_callbacks; k++) {
		u32 role = lf->callbacks[k].role;
		LLVMValueRef arg;
		u32 idx;

		if (lf->callbacks[k].arg >= nargs)
			continue;
		if (role == CB_SIGACTION || role == CB_STRUCT) {	/* inside a struct */
			mark_unknown_callback(an, role);
			continue;
		}
		arg = strip_alias(LLVMGetOperand(inst, lf->callbacks[k].arg));
		idx = ptrmap_get(&an->fn_index, arg);
		if (idx != LCG_NONE) {
			if (an->fns[idx].kind == FK_DEF)
				an->fns[idx].roles |= role_of_callback(role);
		} else if (!LLVMIsAConstant(arg)) {
			mark_unknown_callback(an, role);
		}
	}
}

/* Definitions handed to a library lcg cannot see into may be called back by it. */
static void mark_opaque_callbacks(struct analysis *an, LLVMValueRef inst)
{
	unsigned nargs = LLVMGetNumArgOperands(inst);

	for (unsigned i = 0; i < nargs; i++) {
		u32 idx = ptrmap_get(&an->fn_index, strip_alias(LLVMGetOperand(inst, i)));

		if (idx != LCG_NONE && an->fns[idx].kind == FK_DEF)
			an->fns[idx].roles |= LCG_AP_LIBC_CALLBACK;
	}
}

/* Raw system calls in inline asm: counted here, reported in one line at the end. */
struct asm_syscalls {
	u32 n;
	const char *function, *file;
	unsigned line;
	bool lcg_events;	/* the module already carries lcg's event sequences */
};

/* Is @asmv a raw system call (to record), rather than other asm or lcg's own events? */
static bool note_inline_syscall(struct asm_syscalls *as, const struct fn *caller,
				LLVMValueRef inst, LLVMValueRef asmv)
{
	size_t len = 0;
	const char *text = LLVMGetInlineAsmAsmString(asmv, &len);

	if (text && memmem(text, len, LCG_SITES_SECTION, strlen(LCG_SITES_SECTION)))
		as->lcg_events = true;
	if (as->lcg_events || !asm_has_syscall(asmv))
		return false;
	if (!as->n++) {
		as->function = caller->name;
		debug_where(inst, &as->file, &as->line);
	}
	return true;
}

static void warn_escape(struct analysis *an, struct fn *callee, const struct fn *caller)
{
	if (callee->warned)
		return;
	callee->warned = true;
	warnf(an, "%s calls %s: %s", caller->name, callee->name,
	      !strcmp(callee->libc->name, "syscall")
	      ? "its system call is checked by its sensitive class only (every class unless "
		"the number is a constant), not as a library call"
	      : "the code it loads is outside the policy: its sensitive system calls are "
		"refused unless the last event armed them");
}

/* One line for all the external functions the model does not know. */
static void warn_opaque(struct analysis *an)
{
	char list[512] = "";
	size_t len = 0;
	u32 n = 0, shown = 0;

	for (u32 i = 0; i < an->n_fns; i++) {
		const struct fn *f = &an->fns[i];

		if (f->kind != FK_OPAQUE || !f->used)
			continue;
		if (n++ < 8 && len + strlen(f->name) + 3 < sizeof(list)) {
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						shown ? ", " : "", f->name);
			shown++;
		}
	}
	if (!n)
		return;
	if (shown < n)
		snprintf(list + len, sizeof(list) - len, " and %u more", n - shown);
	warnf(an, "%u external function%s outside the libc model, each call an event that arms "
	      "every sensitive class: %s (add libc functions to the model to narrow them)",
	      n, n == 1 ? " is" : "s are", list);
}

static struct call *add_call(struct analysis *an, LLVMValueRef inst, u32 caller, u32 block, u32 kind)
{
	struct call *c;

	if (!grow_array(an, (void **)&an->calls, &an->cap_calls, an->n_calls + 1, sizeof(*c)))
		return NULL;
	c = &an->calls[an->n_calls++];
	memset(c, 0, sizeof(*c));
	c->inst = inst;
	c->caller = caller;
	c->block = block;
	c->kind = kind;
	c->callee = LCG_NONE;
	c->site = LCG_NONE;
	return c;
}

static int add_indirect(struct analysis *an, const struct type_index *ti, LLVMValueRef inst,
			u32 caller, u32 block)
{
	struct call *c = add_call(an, inst, caller, block, CK_INDIRECT);
	LLVMTypeRef t = LLVMGetCalledFunctionType(inst);

	if (!c)
		return -1;
	c->first_target = an->n_targets;
	for (u32 i = ptrmap_get(&ti->first, t); i != LCG_NONE; i = ti->next[i]) {
		if (!grow_array(an, (void **)&an->targets, &an->cap_targets, an->n_targets + 1,
				sizeof(u32)))
			return -1;
		an->targets[an->n_targets++] = i;
		c->n_targets++;
	}
	return 0;
}

static int add_direct(struct analysis *an, LLVMValueRef inst, u32 caller, u32 block, u32 idx)
{
	struct fn *callee = &an->fns[idx];
	u32 kind = CK_OTHER;
	struct call *c;

	switch (callee->kind) {
	case FK_DEF:
		kind = CK_INTERNAL;
		break;
	case FK_LIBC:
		kind = callee->libc->flags & LF_SETJMP ? CK_SETJMP
			: callee->libc->flags & LF_LONGJMP ? CK_LONGJMP : CK_LIBC;
		mark_callbacks(an, inst, callee->libc);
		if (callee->libc->flags & LF_ESCAPES)
			warn_escape(an, callee, &an->fns[caller]);
		break;
	case FK_OPAQUE:
		kind = CK_OPAQUE;
		mark_opaque_callbacks(an, inst);
		break;
	default:
		break;
	}
	if (callee->kind != FK_IGNORED)
		callee->used = true;
	if (kind == CK_OTHER)
		return 0;
	c = add_call(an, inst, caller, block, kind);
	if (!c)
		return -1;
	c->callee = idx;
	return 0;
}

static int scan_instruction(struct analysis *an, const struct type_index *ti,
			    struct asm_syscalls *as, LLVMValueRef inst, u32 caller, u32 block)
{
	LLVMOpcode op = LLVMGetInstructionOpcode(inst);
	LLVMValueRef callee;
	u32 idx;

	if (op != LLVMCall && op != LLVMInvoke && op != LLVMCallBr)
		return 0;
	callee = strip_alias(LLVMGetCalledValue(inst));
	if (LLVMIsAInlineAsm(callee)) {
		if (!note_inline_syscall(as, &an->fns[caller], inst, callee))
			return 0;
		return add_call(an, inst, caller, block, CK_RAW) ? 0 : -1;
	}
	idx = ptrmap_get(&an->fn_index, callee);
	if (idx != LCG_NONE)
		return add_direct(an, inst, caller, block, idx);
	return add_indirect(an, ti, inst, caller, block);
}

static int scan_function(struct analysis *an, const struct type_index *ti,
			 struct asm_syscalls *as, u32 fi)
{
	struct fn *f = &an->fns[fi];
	u32 b = 0;

	f->first_call = an->n_calls;
	for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(f->v); bb;
	     bb = LLVMGetNextBasicBlock(bb), b++)
		for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i))
			if (scan_instruction(an, ti, as, i, fi, b))
				return failf(an, "out of memory recording the calls of %s", f->name);
	f->n_calls = an->n_calls - f->first_call;
	return 0;
}

int scan_calls(struct analysis *an)
{
	struct asm_syscalls as = { 0 };
	struct type_index ti;
	int r = build_type_index(an, &ti);

	for (u32 i = 0; !r && i < an->n_fns; i++)
		if (an->fns[i].kind == FK_DEF)
			r = scan_function(an, &ti, &as, i);
	free_type_index(&ti);
	if (r)
		return r;
	if (as.lcg_events)
		return failf(an, "the module is already instrumented (it holds %s entries): "
			     "analyse the bitcode from before instrumentation", LCG_SITES_SECTION);
	for (u32 i = 0; i < an->n_fns; i++)
		if (an->fns[i].kind == FK_DEF && an->fns[i].address_taken)
			an->fns[i].roles |= LCG_AP_ADDRESS_TAKEN;
	warn_opaque(an);
	if (as.n)
		warnf(an, "%u raw system call%s in inline asm (the first in %s, %s:%u): each is an "
		      "event that arms its system call's class (every class unless rax is a "
		      "constant), and finalize pins its syscall instruction", as.n,
		      as.n == 1 ? "" : "s", as.function, as.file ? as.file : "?", as.line);
	return 0;
}
