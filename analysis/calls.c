// SPDX-License-Identifier: GPL-2.0
/*
 * calls.c - record every call of every definition, with the program
 * functions it may run (its part's targets): the callee, what an indirect
 * call may reach (resolve.c), the callbacks libc runs (callbacks.c).
 */
#include <string.h>
#include "internal.h"
#include "pda/abi.h"

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
	      callee->libc->flags & LF_LOADS
	      ? "the code it loads is outside the policy: its sensitive system calls are "
		"refused unless the last event armed them"
	      : "its system call is checked by its sensitive class only (every class unless "
		"the number is a constant), not as a library call");
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

/*
 * Indirect calls whose type matches no address-taken function (a pointer
 * cast to another type): counted here, one warning line at the end.
 */
static void note_fallback(struct analysis *an, const struct call *c)
{
	if (!an->n_fallback++)
		an->first_fallback = c->inst;
}

static void warn_fallback(struct analysis *an)
{
	const char *file;
	unsigned line;
	u32 fi;

	if (!an->n_fallback)
		return;
	fi = ptrmap_get(&an->fn_index,
			LLVMGetBasicBlockParent(LLVMGetInstructionParent(an->first_fallback)));
	debug_where(an->first_fallback, &file, &line);
	warnf(an, "%u indirect call%s match%s no function of %s type (the first in %s, %s:%u): "
	      "each may reach every function whose address escapes or, from a pointer of "
	      "unknown origin, every address-taken function (a function pointer cast to "
	      "another type, most likely)", an->n_fallback, an->n_fallback == 1 ? "" : "s",
	      an->n_fallback == 1 ? "es" : "", an->n_fallback == 1 ? "its" : "their",
	      fi != LCG_NONE ? an->fns[fi].name : "?", file ? file : "?", line);
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

static int add_indirect(struct analysis *an, LLVMValueRef inst, u32 caller, u32 block)
{
	struct call *c = add_call(an, inst, caller, block, CK_INDIRECT);

	if (!c || !grow_array(an, (void **)&an->targets, &an->cap_targets,
			      an->n_targets + an->n_fns, sizeof(u32)))
		return -1;
	c->part = PART_CALL;
	c->first_target = an->n_targets;
	c->how = resolve_call(an, inst, &an->targets[an->n_targets], &c->n_targets);
	an->n_targets += c->n_targets;
	if (c->how & FPR_FALLBACK)
		note_fallback(an, c);
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
		if (callee->libc->flags & LF_ESCAPES)
			warn_escape(an, callee, &an->fns[caller]);
		an->loads_code |= !!(callee->libc->flags & LF_LOADS);
		break;
	case FK_OPAQUE:
		kind = CK_OPAQUE;
		note_opaque_callbacks(an, inst);
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
	if (kind == CK_LIBC)
		return note_libc_callbacks(an, c, callee->libc);
	if (kind != CK_INTERNAL)
		return 0;
	/* the callee is its part's one target */
	if (!grow_array(an, (void **)&an->targets, &an->cap_targets, an->n_targets + 1, sizeof(u32)))
		return -1;
	c->part = PART_CALL;
	c->first_target = an->n_targets;
	c->n_targets = 1;
	an->targets[an->n_targets++] = idx;
	return 0;
}

static int scan_instruction(struct analysis *an, struct asm_syscalls *as, LLVMValueRef inst,
			    u32 caller, u32 block)
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
	return add_indirect(an, inst, caller, block);
}

static int scan_function(struct analysis *an, struct asm_syscalls *as, u32 fi)
{
	struct fn *f = &an->fns[fi];
	u32 b = 0;

	f->first_call = an->n_calls;
	for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(f->v); bb;
	     bb = LLVMGetNextBasicBlock(bb), b++)
		for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i))
			if (scan_instruction(an, as, i, fi, b))
				return failf(an, "out of memory recording the calls of %s", f->name);
	f->n_calls = an->n_calls - f->first_call;
	return 0;
}

/* Does the dynamic linker see @f: a definition LTO left external and visible? */
static bool exported(const struct fn *f)
{
	switch (LLVMGetLinkage(f->v)) {
	case LLVMExternalLinkage:
	case LLVMWeakAnyLinkage:
	case LLVMWeakODRLinkage:
	case LLVMLinkOnceAnyLinkage:
	case LLVMLinkOnceODRLinkage:
		return LLVMGetVisibility(f->v) != LLVMHiddenVisibility;
	default:
		return false;
	}
}

/*
 * Code a program loads (the model's `loads`: dlopen, dlmopen; GNU make's
 * load, a plugin) may call the functions the program exports (make's
 * gmk_eval) at any point: they are asynchronous entries, as callbacks
 * handed to a library are.  Without such a call, or in a program that
 * exports nothing (LTO internalises what --export-dynamic does not keep),
 * nothing changes.
 */
static void note_exported_entries(struct analysis *an)
{
	for (u32 i = 0; an->loads_code && i < an->n_fns; i++)
		if (an->fns[i].kind == FK_DEF && i != an->main_fn && exported(&an->fns[i]))
			an->fns[i].roles |= LCG_AP_LIBC_CALLBACK;
}

int scan_calls(struct analysis *an)
{
	struct asm_syscalls as = { 0 };
	int r;

	r = kcfi_read_functions(an);
	if (!r)
		r = resolve_init(an);
	for (u32 i = 0; !r && i < an->n_fns; i++)
		if (an->fns[i].kind == FK_DEF)
			r = scan_function(an, &as, i);
	if (!r) {
		note_exported_entries(an);
		r = note_handlers(an);
	}
	if (r)
		return r;
	if (as.lcg_events)
		return failf(an, "the module is already instrumented (it holds %s entries): "
			     "analyse the bitcode from before instrumentation", LCG_SITES_SECTION);
	for (u32 i = 0; i < an->n_fns; i++)
		if (an->fns[i].kind == FK_DEF && an->fns[i].address_taken)
			an->fns[i].roles |= LCG_AP_ADDRESS_TAKEN;
	if (an->oom)
		return failf(an, "out of memory recording calls");
	warn_opaque(an);
	warn_fallback(an);
	if (as.n)
		warnf(an, "%u raw system call%s in inline asm (the first in %s, %s:%u): each is an "
		      "event that arms its system call's class (every class unless rax is a "
		      "constant), and finalize pins its syscall instruction", as.n,
		      as.n == 1 ? "" : "s", as.function, as.file ? as.file : "?", as.line);
	return 0;
}
