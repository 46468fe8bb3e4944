// SPDX-License-Identifier: GPL-2.0
/*
 * instrument.c - insert the event sequence of formats/abi.h at every site.
 *
 * A LIBCALL id goes right before its call, a PRECALL id before and a
 * POSTCALL id after an internal call (in the normal destination of an
 * invoke), a setjmp site's POSTCALL right after the setjmp call, so it also
 * runs when a longjmp returns there.  The sequence is inline asm that
 * clobbers only what the syscall instruction clobbers, so registers, errno
 * and return values are untouched.
 *
 * An indirect call may reach libc functions as well as the program's own:
 * the id is then chosen at run time by comparing the pointer with each
 * external function of the call's type (its LIBCALL id if monitored, else
 * nothing), defaulting to the site's PRECALL id; the asm skips the syscall
 * when the chosen id is 0 and pins every id it may issue to its one syscall
 * instruction.
 *
 * A raw system call in inline asm gets its LIBCALL id before it, and its
 * syscall instructions are labelled and pinned (binding.c).
 */
#include <stdio.h>
#include <string.h>
#include <llvm-c/DebugInfo.h>
#include "internal.h"
#include "formats/abi.h"

#define CLOBBERS "~{rax},~{rdi},~{rcx},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"

struct emitter {
	struct analysis *an;
	LLVMBuilderRef b;
	LLVMTypeRef i32, void_fn, id_fn;
	char *text;		/* asm text buffer */
	size_t cap;
};

static bool append(struct emitter *e, size_t *len, const char *fmt, u32 v)
{
	for (;;) {
		int n = snprintf(e->text + *len, e->cap - *len, fmt, v);
		char *t;

		if (n >= 0 && (size_t)n < e->cap - *len) {
			*len += (size_t)n;
			return true;
		}
		t = realloc(e->text, e->cap * 2);
		if (!t)
			return false;
		e->text = t;
		e->cap *= 2;
	}
}

static bool pin(struct emitter *e, size_t *len, u32 id)
{
	return append(e, len, "\n\t.long %u\n\t.long 1b - .", id);
}

/* The abi.h sequence for a constant id, before the builder's position. */
static void emit_const(struct emitter *e, u32 id)
{
	size_t len = 0;
	LLVMValueRef asmv;

	if (!append(e, &len, "movl $$" LCG_STR(LCG_SYSCALL_NR) ", %%eax\n\tmovl $$%u, %%edi\n1:\n\tsyscall"
		    "\n\t.pushsection " LCG_SITES_SECTION ",\"aR\",@progbits", id) ||
	    !pin(e, &len, id) || !append(e, &len, "\n\t.popsection", 0)) {
		e->an->oom = true;
		return;
	}
	asmv = LLVMGetInlineAsm(e->void_fn, e->text, len, CLOBBERS, strlen(CLOBBERS), 1, 0,
				LLVMInlineAsmDialectATT, 0);
	LLVMBuildCall2(e->b, e->void_fn, asmv, NULL, 0, "");
}

/* The sequence for an id computed at run time (0: no event); @ids may be pinned. */
static void emit_dynamic(struct emitter *e, LLVMValueRef id, const u32 *ids, u32 n_ids)
{
	static const char constraints[] = "r," CLOBBERS;
	size_t len = 0;
	LLVMValueRef asmv;
	bool ok = append(e, &len, "movl $0, %%edi\n\ttestl %%edi, %%edi\n\tjz 2f\n\tmovl $$"
			 LCG_STR(LCG_SYSCALL_NR) ", %%eax\n1:\n\tsyscall\n2:\n\t.pushsection "
			 LCG_SITES_SECTION ",\"aR\",@progbits", 0);

	for (u32 i = 0; ok && i < n_ids; i++)
		if (ids[i])
			ok = pin(e, &len, ids[i]);
	if (!ok || !append(e, &len, "\n\t.popsection", 0)) {
		e->an->oom = true;
		return;
	}
	asmv = LLVMGetInlineAsm(e->id_fn, e->text, len, constraints, strlen(constraints), 1, 0,
				LLVMInlineAsmDialectATT, 0);
	LLVMBuildCall2(e->b, e->id_fn, asmv, &id, 1, "");
}

static void position_before(struct emitter *e, LLVMValueRef inst, LLVMValueRef debug_from)
{
	LLVMPositionBuilderBefore(e->b, inst);
	LLVMSetCurrentDebugLocation2(e->b, LLVMInstructionGetDebugLoc(debug_from));
}

/* Rebuild @dest's phis so that values coming from @old_pred come from @new_pred. */
static void retarget_phis(struct emitter *e, LLVMBasicBlockRef dest, LLVMBasicBlockRef old_pred,
			  LLVMBasicBlockRef new_pred)
{
	LLVMValueRef phi = LLVMGetFirstInstruction(dest);

	while (phi && LLVMIsAPHINode(phi)) {
		LLVMValueRef next = LLVMGetNextInstruction(phi);
		unsigned n = LLVMCountIncoming(phi);
		LLVMValueRef np;

		LLVMPositionBuilderBefore(e->b, phi);
		np = LLVMBuildPhi(e->b, LLVMTypeOf(phi), "");
		for (unsigned i = 0; i < n; i++) {
			LLVMValueRef v = LLVMGetIncomingValue(phi, i);
			LLVMBasicBlockRef bb = LLVMGetIncomingBlock(phi, i);

			if (bb == old_pred)
				bb = new_pred;
			LLVMAddIncoming(np, &v, &bb, 1);
		}
		LLVMReplaceAllUsesWith(phi, np);
		LLVMInstructionEraseFromParent(phi);
		phi = next;
	}
}

/* Position the builder where the code after call @inst starts. */
static void position_after(struct emitter *e, LLVMValueRef inst)
{
	LLVMBasicBlockRef dest, block, mid;
	LLVMValueRef first;

	if (!LLVMIsAInvokeInst(inst)) {
		if (LLVMIsACallInst(inst) && LLVMGetTailCallKind(inst) == LLVMTailCallKindMustTail) {
			/* nothing may follow a musttail call: make it a plain tail call */
			LLVMSetTailCallKind(inst, LLVMTailCallKindTail);
			warnf(e->an, "%s: a musttail call became a plain call to record its return",
			      e->an->fns[ptrmap_get(&e->an->fn_index,
						    LLVMGetBasicBlockParent(LLVMGetInstructionParent(inst)))].name);
		}
		position_before(e, LLVMGetNextInstruction(inst), inst);
		return;
	}
	dest = LLVMGetNormalDest(inst);
	block = LLVMGetInstructionParent(inst);
	mid = LLVMInsertBasicBlockInContext(e->an->ctx, dest, "lcg.post");
	LLVMSetNormalDest(inst, mid);
	retarget_phis(e, dest, block, mid);
	LLVMPositionBuilderAtEnd(e->b, mid);
	first = LLVMBuildBr(e->b, dest);
	position_before(e, first, inst);
}

/*
 * Id to issue at indirect call @c: for each external target, its LIBCALL id
 * (or 0 when @post or not monitored), else @dflt.  Collects the ids into @ids.
 */
static LLVMValueRef choose_id(struct emitter *e, const struct call *c, u32 dflt, bool post,
			      u32 *ids, u32 *n_ids)
{
	LLVMValueRef callee = LLVMGetCalledValue(c->inst);
	LLVMValueRef v = LLVMConstInt(e->i32, dflt, 0);

	*n_ids = 0;
	ids[(*n_ids)++] = dflt;
	for (u32 k = c->n_targets; k-- > 0;) {
		const struct fn *t = &e->an->fns[e->an->targets[c->first_target + k]];
		u32 id = post ? 0 : e->an->target_events[c->first_target + k];
		LLVMValueRef eq;

		if (t->kind == FK_DEF)
			continue;
		eq = LLVMBuildICmp(e->b, LLVMIntEQ, callee, t->v, "lcg.is");
		v = LLVMBuildSelect(e->b, eq, LLVMConstInt(e->i32, id, 0), v, "lcg.id");
		ids[(*n_ids)++] = id;
	}
	return v;
}

static bool has_external_target(const struct analysis *an, const struct call *c)
{
	for (u32 k = 0; k < c->n_targets; k++)
		if (an->fns[an->targets[c->first_target + k]].kind != FK_DEF)
			return true;
	return false;
}

static void instrument_indirect(struct emitter *e, const struct call *c)
{
	u32 ids[c->n_targets + 1], n_ids, any = c->pre;
	LLVMValueRef id;

	for (u32 k = 0; k < c->n_targets; k++)
		any |= e->an->target_events[c->first_target + k];
	if (!has_external_target(e->an, c)) {
		if (c->pre) {
			position_before(e, c->inst, c->inst);
			emit_const(e, c->pre);
		}
	} else if (any) {
		position_before(e, c->inst, c->inst);
		id = choose_id(e, c, c->pre, false, ids, &n_ids);
		emit_dynamic(e, id, ids, n_ids);
	}
	if (!c->post)
		return;
	position_after(e, c->inst);
	if (!has_external_target(e->an, c)) {
		emit_const(e, c->post);
		return;
	}
	id = choose_id(e, c, c->post, true, ids, &n_ids);
	emit_dynamic(e, id, ids, n_ids);
}

static void instrument_call(struct emitter *e, const struct call *c)
{
	if (c->kind == CK_INDIRECT) {
		instrument_indirect(e, c);
		return;
	}
	if (c->kind == CK_RAW && pin_raw_syscalls(e->an, c->inst))
		return;
	if (c->libcall || c->pre) {
		position_before(e, c->inst, c->inst);
		emit_const(e, c->libcall ? c->libcall : c->pre);
	}
	if (c->post) {
		position_after(e, c->inst);
		emit_const(e, c->post);
	}
}

int instrument_module(struct analysis *an)
{
	struct emitter e = {
		.an = an,
		.b = LLVMCreateBuilderInContext(an->ctx),
		.i32 = LLVMInt32TypeInContext(an->ctx),
		.cap = 256,
	};

	e.text = malloc(e.cap);
	e.void_fn = LLVMFunctionType(LLVMVoidTypeInContext(an->ctx), NULL, 0, 0);
	e.id_fn = LLVMFunctionType(LLVMVoidTypeInContext(an->ctx), &e.i32, 1, 0);
	for (u32 i = 0; e.text && !an->oom && i < an->n_calls; i++)
		instrument_call(&e, &an->calls[i]);
	LLVMDisposeBuilder(e.b);
	free(e.text);
	if (!e.text || an->oom)
		return failf(an, "out of memory while instrumenting the module");
	return 0;
}
