// SPDX-License-Identifier: GPL-2.0
/*
 * instrument.c - insert the event sequence of pda/abi.h at every site.
 *
 * A LIBCALL id goes right before its call, a PRECALL id before and a
 * POSTCALL id after an internal call (in the normal destination of an
 * invoke), a setjmp site's POSTCALL right after the setjmp call when it
 * returns non-zero: only a longjmp's return there is an event.  The sequence is inline asm that
 * clobbers only what the syscall instruction clobbers, so registers, errno
 * and return values are untouched.
 *
 * An indirect call may reach libc functions as well as the program's own,
 * some bracketed, some pasted or making no event: the id is then chosen at
 * run time by comparing the pointer with the targets that issue one (a
 * library function's LIBCALL id if monitored, the PRECALL of the target's
 * site for a bracketed one; nothing otherwise); the asm skips the syscall
 * when the chosen id is 0, and has one pinned syscall instruction per id.
 * After the call the same comparison picks the target's POSTCALL.
 *
 * A raw system call in inline asm gets its LIBCALL id before it, and its
 * syscall instructions are labelled and pinned (binding.c).
 *
 * A PDA module with setjmp sites counts, per thread, the frames its
 * PRECALL/POSTCALL events open (lcg.depth), as the monitor's stack does;
 * entering an asynchronous function (a handler) counts as one too, since the
 * monitor may give it a frame.  A setjmp site notes the count, and a longjmp
 * landing there announces itself only when the count differs: a longjmp that
 * popped no frame stays in its procedure, whose graph links every longjmp
 * point to every landing (expand.c), and costs no system call.  Only the
 * program's own consistency rests on the count, not the monitor's: an
 * attacker who changes it can only drop events, which it can anyway.
 */
#include <stdio.h>
#include <string.h>
#include <llvm-c/DebugInfo.h>
#include "internal.h"
#include "formats/grow.h"
#include "pda/abi.h"

#define CLOBBERS "~{rax},~{rdi},~{rcx},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"

struct emitter {
	struct analysis *an;
	LLVMBuilderRef b;
	LLVMTypeRef i32, void_fn, id_fn;
	LLVMValueRef depth;	/* thread-local frame count, or NULL when not kept */
	char *text;		/* asm text buffer */
	size_t cap;
};

static bool append(struct emitter *e, size_t *len, const char *fmt, u32 v)
{
	for (;;) {
		int n = snprintf(e->text + *len, e->cap - *len, fmt, v);

		if (n >= 0 && (size_t)n < e->cap - *len) {
			*len += (size_t)n;
			return true;
		}
		if (!lcg_grow((void **)&e->text, &e->cap, e->cap + 1, 1, SIZE_MAX))
			return false;
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

/*
 * The sequence for an id computed at run time (0: no event): one
 * "movl $id, %edi; syscall" per id it may issue, each pinned to its own id,
 * picked by comparing the computed id.  So every syscall instruction lcg
 * plants issues one id only, as a constant sequence does.
 */
static void emit_dynamic(struct emitter *e, LLVMValueRef id, const u32 *ids, u32 n_ids)
{
	static const char constraints[] = "r," CLOBBERS;
	size_t len = 0;
	LLVMValueRef asmv;
	bool ok = append(e, &len, "testl $0, $0\n\tjz .Llcg_end${:uid}", 0);

	for (u32 i = 0; ok && i < n_ids; i++)
		ok = append(e, &len, "\n\tcmpl $$%u, $0", ids[i]) &&
		     append(e, &len, "\n\tjne .Llcg_next${:uid}_%u", i) &&
		     append(e, &len, "\n\tmovl $$" LCG_STR(LCG_SYSCALL_NR) ", %%eax\n\tmovl $$%u, %%edi",
			    ids[i]) &&
		     append(e, &len, "\n.Llcg_sc${:uid}_%u:\n\tsyscall\n\tjmp .Llcg_end${:uid}", i) &&
		     append(e, &len, "\n.Llcg_next${:uid}_%u:", i);
	ok = ok && append(e, &len, "\n.Llcg_end${:uid}:\n\t.pushsection " LCG_SITES_SECTION
			  ",\"aR\",@progbits", 0);
	for (u32 i = 0; ok && i < n_ids; i++)
		ok = append(e, &len, "\n\t.long %u", ids[i]) &&
		     append(e, &len, "\n\t.long .Llcg_sc${:uid}_%u - .", i);
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

static LLVMValueRef load_volatile(struct emitter *e, LLVMValueRef ptr)
{
	LLVMValueRef v = LLVMBuildLoad2(e->b, e->i32, ptr, "");

	LLVMSetVolatile(v, 1);
	return v;
}

static void store_volatile(struct emitter *e, LLVMValueRef v, LLVMValueRef ptr)
{
	LLVMSetVolatile(LLVMBuildStore(e->b, v, ptr), 1);
}

/* lcg.depth += @delta (an i32), at the builder's position, when it is kept. */
static void add_depth(struct emitter *e, LLVMValueRef delta)
{
	if (e->depth)
		store_volatile(e, LLVMBuildAdd(e->b, load_volatile(e, e->depth), delta, ""),
			       e->depth);
}

static void add_depth_const(struct emitter *e, int delta)
{
	add_depth(e, LLVMConstInt(e->i32, (unsigned long long)(long long)delta, 1));
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

static void add_id(u32 *ids, u32 *n, u32 id)
{
	for (u32 i = 0; i < *n; i++)
		if (ids[i] == id)
			return;
	ids[(*n)++] = id;
}

static bool has_library_target(const struct analysis *an, const struct call *c, bool post)
{
	for (u32 k = 0; !post && k < c->n_targets; k++)
		if (an->target_plan[c->first_target + k] == TP_LIB)
			return true;
	return false;
}

/* The PRECALL (@post: POSTCALL) id of the site bracketing target slot @k of @c, or 0. */
static u32 site_id(const struct analysis *an, const struct call *c, u32 k, bool post)
{
	u32 site = call_target_site(an, c, k);
	const struct lcg_site *s;

	if (site == LCG_NONE)
		return 0;
	s = &an->p->graphs.sites[site];
	return post ? s->post_event : s->pre_event;
}

/*
 * The id to issue at indirect call @c, chosen by the target: a library
 * function's LIBCALL id (before the call, when monitored), the PRECALL
 * (before) or POSTCALL (after, @post) of the site bracketing the target,
 * nothing for any other pointer: a program function pasted or making no
 * event, or a pointer out of the program (from dlsym), which lcg does not
 * follow.  The ids it may issue go to @ids; *@opened is 1 when the id is a
 * site's (a frame opened or closed), else 0.
 */
static LLVMValueRef choose_id(struct emitter *e, const struct call *c, bool post,
			      u32 *ids, u32 *n_ids, LLVMValueRef *opened)
{
	struct analysis *an = e->an;
	LLVMValueRef callee = LLVMGetCalledValue(c->inst);
	LLVMValueRef v = LLVMConstInt(e->i32, 0, 0);

	*opened = v;
	*n_ids = 0;
	for (u32 k = c->n_targets; k-- > 0;) {
		u32 slot = c->first_target + k, plan = an->target_plan[slot], tid;
		LLVMValueRef eq;

		tid = plan == TP_KEEP ? site_id(an, c, k, post) :
		      plan == TP_LIB && !post ? an->target_events[slot] : 0;
		if (!tid)
			continue;
		eq = LLVMBuildICmp(e->b, LLVMIntEQ, callee, an->fns[an->targets[slot]].v, "lcg.is");
		v = LLVMBuildSelect(e->b, eq, LLVMConstInt(e->i32, tid, 0), v, "lcg.id");
		if (plan == TP_KEEP)
			*opened = LLVMBuildSelect(e->b, eq, LLVMConstInt(e->i32, 1, 0), *opened, "");
		add_id(ids, n_ids, tid);
	}
	return v;
}

/*
 * Does every pointer the call may hold get the same id?  Then no comparison
 * is needed: every target bracketed, and nothing else possible.
 */
static bool one_id(const struct analysis *an, const struct call *c, bool post)
{
	if (c->n_sites > 1)
		return false;
	if (c->how & FPR_OPEN)
		return c->site == LCG_NONE && !has_library_target(an, c, post);
	for (u32 k = 0; k < c->n_targets; k++) {
		u32 plan = an->target_plan[c->first_target + k];

		if (c->site != LCG_NONE ? plan != TP_KEEP : plan == TP_LIB && !post)
			return false;
	}
	return true;
}

static void emit_at(struct emitter *e, const struct call *c, bool post)
{
	u32 ids[c->n_targets + 1], n_ids, id = post ? c->post : c->pre;
	LLVMValueRef v, opened;

	if (one_id(e->an, c, post)) {
		if (id) {
			emit_const(e, id);
			add_depth_const(e, post ? -1 : 1);
		}
		return;
	}
	v = choose_id(e, c, post, ids, &n_ids, &opened);
	emit_dynamic(e, v, ids, n_ids);
	/* a frame only when a site's id was issued, not a LIBCALL */
	if (c->site != LCG_NONE)
		add_depth(e, post ? LLVMBuildNeg(e->b, opened, "") : opened);
}

static void instrument_indirect(struct emitter *e, const struct call *c)
{
	position_before(e, c->inst, c->inst);
	emit_at(e, c, false);
	if (!c->post)
		return;
	position_after(e, c->inst);
	emit_at(e, c, true);
}

/* A volatile i32 slot in the entry block of @inst's function. */
static LLVMValueRef entry_slot(struct emitter *e, LLVMValueRef inst)
{
	LLVMValueRef fn = LLVMGetBasicBlockParent(LLVMGetInstructionParent(inst));

	LLVMPositionBuilderBefore(e->b, LLVMGetFirstInstruction(LLVMGetEntryBasicBlock(fn)));
	return LLVMBuildAlloca(e->b, e->i32, "lcg.depth.saved");
}

/*
 * A setjmp's POSTCALL only when it returns through a longjmp (non-zero):
 * its first return is no event (the graph has an epsilon edge for it), so a
 * protected call costs no system call.  With lcg.depth kept, only a longjmp
 * that left frames open announces itself, and the count is set back to the
 * one at the setjmp, as the monitor's unwinding sets its stack back.
 */
static void emit_landing(struct emitter *e, const struct call *c)
{
	LLVMTypeRef t = LLVMTypeOf(c->inst);
	LLVMValueRef need, id, slot = NULL, saved;

	if (e->depth) {
		slot = entry_slot(e, c->inst);
		position_before(e, c->inst, c->inst);
		store_volatile(e, load_volatile(e, e->depth), slot);
	}
	position_after(e, c->inst);
	if (LLVMGetTypeKind(t) != LLVMIntegerTypeKind) {
		emit_const(e, c->post);
		if (slot)
			store_volatile(e, load_volatile(e, slot), e->depth);
		return;
	}
	need = LLVMBuildICmp(e->b, LLVMIntNE, c->inst, LLVMConstInt(t, 0, 0), "");
	if (slot) {
		saved = load_volatile(e, slot);
		need = LLVMBuildAnd(e->b, need, LLVMBuildICmp(e->b, LLVMIntNE,
							     load_volatile(e, e->depth), saved, ""), "");
		store_volatile(e, saved, e->depth);
	}
	id = LLVMBuildSelect(e->b, need, LLVMConstInt(e->i32, c->post, 0),
			     LLVMConstInt(e->i32, 0, 0), "");
	emit_dynamic(e, id, &c->post, 1);
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
		if (!c->libcall)
			add_depth_const(e, 1);
	}
	if (c->kind == CK_SETJMP && c->post) {
		emit_landing(e, c);
	} else if (c->post) {
		position_after(e, c->inst);
		emit_const(e, c->post);
		add_depth_const(e, -1);
	}
}

/* Does a longjmp need lcg.depth to land without an event? */
static bool keeps_depth(const struct analysis *an)
{
	for (u32 i = 0; an->o->mode == LCG_MODE_PDA && i < an->n_calls; i++)
		if (an->calls[i].kind == CK_SETJMP && an->calls[i].post)
			return true;
	return false;
}

static LLVMValueRef add_depth_global(struct emitter *e)
{
	LLVMValueRef g = LLVMAddGlobal(e->an->m, e->i32, "lcg.depth");

	LLVMSetInitializer(g, LLVMConstInt(e->i32, 0, 0));
	LLVMSetLinkage(g, LLVMInternalLinkage);
	LLVMSetThreadLocal(g, 1);
	return g;
}

/* Does a musttail call end the block of return @ret (nothing may go between)? */
static bool after_musttail(LLVMValueRef ret)
{
	LLVMValueRef prev = LLVMGetPreviousInstruction(ret);

	if (prev && LLVMIsABitCastInst(prev))
		prev = LLVMGetPreviousInstruction(prev);
	return prev && LLVMIsACallInst(prev) &&
	       LLVMGetTailCallKind(prev) == LLVMTailCallKindMustTail;
}

/*
 * An asynchronous function (a handler, a callback libc runs) counts as a
 * frame while it runs: a longjmp out of it must announce its landing, the
 * monitor may have given it a frame.  A return through a musttail call
 * keeps the count (the callee still runs in that frame): a count too high
 * only makes a later landing announce itself.
 */
static void count_async_frame(struct emitter *e, const struct fn *f)
{
	LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(f->v);

	LLVMPositionBuilderBefore(e->b, LLVMGetFirstInstruction(entry));
	add_depth_const(e, 1);
	for (LLVMBasicBlockRef bb = entry; bb; bb = LLVMGetNextBasicBlock(bb)) {
		LLVMValueRef term = LLVMGetBasicBlockTerminator(bb);

		if (term && LLVMGetInstructionOpcode(term) == LLVMRet && !after_musttail(term)) {
			LLVMPositionBuilderBefore(e->b, term);
			add_depth_const(e, -1);
		}
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
	if (keeps_depth(an)) {
		e.depth = add_depth_global(&e);
		for (u32 i = 0; i < an->n_fns; i++)
			if (an->fns[i].kind == FK_DEF && (an->fns[i].roles & LCG_AP_ASYNC))
				count_async_frame(&e, &an->fns[i]);
	}
	for (u32 i = 0; e.text && !an->oom && i < an->n_calls; i++)
		instrument_call(&e, &an->calls[i]);
	LLVMDisposeBuilder(e.b);
	free(e.text);
	if (!e.text || an->oom)
		return failf(an, "out of memory while instrumenting the module");
	return 0;
}
