// SPDX-License-Identifier: GPL-2.0
/*
 * kcfi.c - the C-level type of functions and of indirect calls, from clang's
 * KCFI type ids, and their removal before code generation.
 *
 * LLVM's opaque pointers leave every function of one machine signature the
 * same type: i32(ptr) is mbed TLS's modular reduction and a timer callback
 * alike.  lcg-cc compiles with -fsanitize=kcfi, so clang gives each function
 * a hash of its C type (!kcfi_type, or for an address-taken declaration a
 * module asm line ".set __kcfi_typeid_NAME, ID") and each call through a
 * pointer a "kcfi" operand bundle with the hash of the pointer's type.  The
 * analysis matches those; the binary must not keep KCFI's checks (they
 * would trap on libc functions, which carry no type prefix), so once the
 * module is instrumented kcfi_strip() removes bundles, type ids and the
 * module asm.  Bitcode compiled without KCFI has none: every function then
 * matches by LLVM type, as before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <llvm-c/DebugInfo.h>
#include "internal.h"

#define KCFI_MD "kcfi_type"
#define KCFI_BUNDLE "kcfi"
#define KCFI_ASM_SET ".set __kcfi_typeid_"

static unsigned kcfi_md_kind(struct analysis *an)
{
	return LLVMGetMDKindIDInContext(an->ctx, KCFI_MD, sizeof(KCFI_MD) - 1);
}

/* The id in metadata node !{i32 ID}. */
static bool md_id(struct analysis *an, LLVMMetadataRef md, u32 *id)
{
	LLVMValueRef node = LLVMMetadataAsValue(an->ctx, md), op;

	if (LLVMGetMDNodeNumOperands(node) != 1)
		return false;
	LLVMGetMDNodeOperands(node, &op);
	if (!op || !LLVMIsAConstantInt(op))
		return false;
	*id = (u32)LLVMConstIntGetZExtValue(op);
	return true;
}

static bool fn_md_id(struct analysis *an, LLVMValueRef fn, u32 *id)
{
	unsigned kind = kcfi_md_kind(an);
	size_t n = 0;
	LLVMValueMetadataEntry *md = LLVMGlobalCopyAllMetadata(fn, &n);
	bool found = false;

	for (size_t i = 0; i < n && !found; i++)
		if (LLVMValueMetadataEntriesGetKind(md, (unsigned)i) == kind)
			found = md_id(an, LLVMValueMetadataEntriesGetMetadata(md, (unsigned)i), id);
	if (md)
		LLVMDisposeValueMetadataEntries(md);
	return found;
}

/*
 * One line ".set __kcfi_typeid_NAME, ID" of the module asm: the id of NAME
 * where it is an address-taken declaration (the first line for it), or,
 * for a definition with an id of its own, an alias: another TU took its
 * address under its declaration there.  C allows it: dash defines
 * `int timescmd() {...}` without a prototype, and its builtin table,
 * declaring `int timescmd(int, char **)`, calls it through
 * int (*)(int, char **).  Calls of that type must reach it.
 */
static int read_typeid(struct analysis *an, const char *name, size_t nlen, u32 id, u32 *cap)
{
	struct type_index *ti = &an->types;
	char buf[256];
	LLVMValueRef v;
	struct fn *f;
	u32 fi;

	if (nlen >= sizeof(buf))
		return 0;
	memcpy(buf, name, nlen);
	buf[nlen] = '\0';
	v = LLVMGetNamedFunction(an->m, buf);
	fi = v ? ptrmap_get(&an->fn_index, v) : LCG_NONE;
	if (fi == LCG_NONE)
		return 0;
	f = &an->fns[fi];
	if (f->kind != FK_DEF) {
		if (!f->has_kcfi) {
			f->has_kcfi = true;
			f->kcfi = id;
		}
		return 0;
	}
	if (!f->has_kcfi || f->kcfi == id)
		return 0;
	if (!grow_array(an, (void **)&ti->alias, cap, ti->n_alias + 1, sizeof(*ti->alias)))
		return failf(an, "out of memory reading KCFI type ids");
	ti->alias[ti->n_alias].fn = fi;
	ti->alias[ti->n_alias++].id = id;
	return 0;
}

int kcfi_read_functions(struct analysis *an)
{
	size_t alen = 0, plen = strlen(KCFI_ASM_SET);
	const char *p = LLVMGetModuleInlineAsm(an->m, &alen), *end = p ? p + alen : NULL;
	u32 cap = 0;

	for (u32 i = 0; i < an->n_fns; i++)
		an->fns[i].has_kcfi = fn_md_id(an, an->fns[i].v, &an->fns[i].kcfi);
	while (p && (p = memmem(p, (size_t)(end - p), KCFI_ASM_SET, plen))) {
		const char *name = p + plen, *comma = memchr(name, ',', (size_t)(end - name));

		p = name;
		if (comma && read_typeid(an, name, (size_t)(comma - name),
					 (u32)strtoul(comma + 1, NULL, 0), &cap))
			return -1;
	}
	return 0;
}

/* Bundle @b's tag is "kcfi"? */
static bool is_kcfi_bundle(LLVMOperandBundleRef b)
{
	size_t len = 0;
	const char *tag = LLVMGetOperandBundleTag(b, &len);

	return len == sizeof(KCFI_BUNDLE) - 1 && !memcmp(tag, KCFI_BUNDLE, len);
}

bool kcfi_call_type(LLVMValueRef call, u32 *id)
{
	unsigned n = LLVMGetNumOperandBundles(call);
	bool found = false;

	for (unsigned i = 0; i < n && !found; i++) {
		LLVMOperandBundleRef b = LLVMGetOperandBundleAtIndex(call, i);
		LLVMValueRef v;

		if (is_kcfi_bundle(b) && LLVMGetNumOperandBundleArgs(b) == 1 &&
		    LLVMIsAConstantInt(v = LLVMGetOperandBundleArgAtIndex(b, 0))) {
			*id = (u32)LLVMConstIntGetZExtValue(v);
			found = true;
		}
		LLVMDisposeOperandBundle(b);
	}
	return found;
}

/* Give @to everything of call @from that LLVM-C can copy: attributes, flags, metadata. */
static void copy_call_details(LLVMContextRef ctx, LLVMValueRef from, LLVMValueRef to)
{
	unsigned nargs = LLVMGetNumArgOperands(from);
	size_t n_md = 0;
	LLVMValueMetadataEntry *md;

	for (int idx = -1; idx <= (int)nargs; idx++) {
		unsigned n = LLVMGetCallSiteAttributeCount(from, (LLVMAttributeIndex)idx);
		LLVMAttributeRef attrs[n ? n : 1];

		LLVMGetCallSiteAttributes(from, (LLVMAttributeIndex)idx, attrs);
		for (unsigned k = 0; k < n; k++)
			LLVMAddCallSiteAttribute(to, (LLVMAttributeIndex)idx, attrs[k]);
	}
	LLVMSetInstructionCallConv(to, LLVMGetInstructionCallConv(from));
	if (LLVMIsACallInst(from))
		LLVMSetTailCallKind(to, LLVMGetTailCallKind(from));
	if (LLVMCanValueUseFastMathFlags(from) && LLVMCanValueUseFastMathFlags(to))
		LLVMSetFastMathFlags(to, LLVMGetFastMathFlags(from));
	md = LLVMInstructionGetAllMetadataOtherThanDebugLoc(from, &n_md);
	for (size_t i = 0; i < n_md; i++)
		LLVMSetMetadata(to, LLVMValueMetadataEntriesGetKind(md, (unsigned)i),
				LLVMMetadataAsValue(ctx, LLVMValueMetadataEntriesGetMetadata(md, (unsigned)i)));
	if (md)
		LLVMDisposeValueMetadataEntries(md);
	LLVMInstructionSetDebugLoc(to, LLVMInstructionGetDebugLoc(from));
}

/* Replace call or invoke @old, which has a kcfi bundle, with one without it. */
static void rebuild_without_kcfi(LLVMContextRef ctx, LLVMBuilderRef b, LLVMValueRef old)
{
	unsigned nb = LLVMGetNumOperandBundles(old), nargs = LLVMGetNumArgOperands(old), nk = 0;
	LLVMOperandBundleRef keep[nb], all[nb];
	LLVMValueRef args[nargs ? nargs : 1], callee = LLVMGetCalledValue(old), nw;
	LLVMTypeRef ty = LLVMGetCalledFunctionType(old);
	size_t len = 0;
	char *name = strdup(LLVMGetValueName2(old, &len));

	for (unsigned i = 0; i < nb; i++) {
		all[i] = LLVMGetOperandBundleAtIndex(old, i);
		if (!is_kcfi_bundle(all[i]))
			keep[nk++] = all[i];
	}
	for (unsigned i = 0; i < nargs; i++)
		args[i] = LLVMGetOperand(old, i);
	LLVMPositionBuilderBefore(b, old);
	if (LLVMIsAInvokeInst(old))
		nw = LLVMBuildInvokeWithOperandBundles(b, ty, callee, args, nargs,
						       LLVMGetNormalDest(old),
						       LLVMGetUnwindDest(old), keep, nk, "");
	else
		nw = LLVMBuildCallWithOperandBundles(b, ty, callee, args, nargs, keep, nk, "");
	for (unsigned i = 0; i < nb; i++)
		LLVMDisposeOperandBundle(all[i]);
	copy_call_details(ctx, old, nw);
	LLVMReplaceAllUsesWith(old, nw);
	LLVMInstructionEraseFromParent(old);
	if (name && *name)
		LLVMSetValueName2(nw, name, strlen(name));
	free(name);
}

static bool has_kcfi_bundle(LLVMValueRef inst)
{
	u32 id;

	return (LLVMIsACallInst(inst) || LLVMIsAInvokeInst(inst)) && kcfi_call_type(inst, &id);
}

static void strip_function(LLVMContextRef ctx, LLVMBuilderRef b, LLVMValueRef fn, unsigned kind)
{
	LLVMGlobalEraseMetadata(fn, kind);
	for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb)) {
		LLVMValueRef i = LLVMGetFirstInstruction(bb);

		while (i) {
			LLVMValueRef next = LLVMGetNextInstruction(i);

			if (has_kcfi_bundle(i))
				rebuild_without_kcfi(ctx, b, i);
			i = next;
		}
	}
}

/* Drop the module asm lines that define __kcfi_typeid_ symbols. */
static bool strip_module_asm(LLVMModuleRef m)
{
	size_t len = 0, out = 0;
	const char *text = LLVMGetModuleInlineAsm(m, &len);
	char *kept;

	if (!text || !memmem(text, len, "__kcfi_typeid_", 14))
		return true;
	kept = malloc(len + 1);
	if (!kept)
		return false;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) + 1 : len - i;

		if (!memmem(text + i, n, "__kcfi_typeid_", 14)) {
			memcpy(kept + out, text + i, n);
			out += n;
		}
		i += n;
	}
	LLVMSetModuleInlineAsm2(m, kept, out);
	free(kept);
	return true;
}

int lcg_kcfi_strip(LLVMModuleRef m, char *err, size_t errlen)
{
	LLVMContextRef ctx = LLVMGetModuleContext(m);
	unsigned kind = LLVMGetMDKindIDInContext(ctx, KCFI_MD, sizeof(KCFI_MD) - 1);
	LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);

	for (LLVMValueRef fn = LLVMGetFirstFunction(m); fn; fn = LLVMGetNextFunction(fn))
		strip_function(ctx, b, fn, kind);
	LLVMDisposeBuilder(b);
	if (!strip_module_asm(m)) {
		snprintf(err, errlen, "out of memory removing the KCFI type ids from the module asm");
		return -1;
	}
	return 0;
}
