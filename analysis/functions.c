// SPDX-License-Identifier: GPL-2.0
/*
 * functions.c - classify every function of the module (definition, libc,
 * opaque external, ignored intrinsic), find the address-taken ones and the
 * roles the program's start-up gives them (main, constructors, destructors).
 */
#include <string.h>
#include "internal.h"

/* LLVM's memory intrinsics become calls of these when not expanded inline. */
static const char *intrinsic_libc_name(const char *name)
{
	static const char *const map[][2] = {
		{ "llvm.memcpy.", "memcpy" },
		{ "llvm.memmove.", "memmove" },
		{ "llvm.memset.", "memset" },
	};

	if (strstr(name, ".inline"))
		return NULL;	/* always expanded, never a call */
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strncmp(name, map[i][0], strlen(map[i][0])))
			return map[i][1];
	return NULL;
}

static void classify(struct analysis *an, struct fn *f)
{
	size_t len;

	f->name = LLVMGetValueName2(f->v, &len);
	f->proc = LCG_NONE;
	if (!LLVMIsDeclaration(f->v)) {
		f->kind = FK_DEF;
		return;
	}
	if (LLVMGetIntrinsicID(f->v)) {
		const char *libc = intrinsic_libc_name(f->name);

		f->libc = libc ? libc_model_find(&an->model, libc, strlen(libc)) : NULL;
		f->kind = f->libc ? FK_LIBC : FK_IGNORED;
	} else {
		f->libc = libc_model_lookup(&an->model, f->name, len);
		f->kind = f->libc ? FK_LIBC : FK_OPAQUE;
	}
	if (f->libc)
		f->libc_name = f->libc->name;
}

static bool is_start_up_list(LLVMValueRef g)
{
	static const char *const lists[] = {
		"llvm.global_ctors", "llvm.global_dtors", "llvm.used", "llvm.compiler.used",
	};
	size_t len;
	const char *name = LLVMGetValueName2(g, &len);

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (!strcmp(name, lists[i]))
			return true;
	return false;
}

/* Is constant @c only used (through a few levels of constants) by the start-up lists? */
static bool only_in_start_up_lists(LLVMValueRef c, int depth)
{
	for (LLVMUseRef u = LLVMGetFirstUse(c); u; u = LLVMGetNextUse(u)) {
		LLVMValueRef user = LLVMGetUser(u);

		if (LLVMIsAGlobalVariable(user)) {
			if (!is_start_up_list(user))
				return false;
		} else if (depth == 0 || !LLVMIsAConstant(user) ||
			   !only_in_start_up_lists(user, depth - 1))
			return false;
	}
	return true;
}

static bool use_takes_address(LLVMValueRef fv, LLVMValueRef user)
{
	if (LLVMIsACallInst(user) || LLVMIsAInvokeInst(user) || LLVMIsACallBrInst(user)) {
		unsigned n = LLVMGetNumArgOperands(user);

		if (LLVMGetCalledValue(user) != fv)
			return true;
		for (unsigned i = 0; i < n; i++)
			if (LLVMGetOperand(user, i) == fv)
				return true;
		return false;
	}
	if (LLVMIsAFunction(user))
		return false;	/* a personality function: called by the unwinder only */
	if (LLVMIsAConstant(user) && !LLVMIsAGlobalValue(user))
		return !only_in_start_up_lists(user, 3);
	return true;
}

static void find_address_taken(struct fn *f)
{
	for (LLVMUseRef u = LLVMGetFirstUse(f->v); u; u = LLVMGetNextUse(u))
		if (use_takes_address(f->v, LLVMGetUser(u))) {
			f->address_taken = true;
			f->used = true;
			return;
		}
}

/*
 * Functions listed in llvm.global_ctors / llvm.global_dtors run before main
 * or at exit: callbacks.c pastes them there, or gives them @role.
 */
static void mark_start_up_list(struct analysis *an, const char *list, u32 role)
{
	LLVMValueRef g = LLVMGetNamedGlobal(an->m, list);
	LLVMValueRef init;
	int n;

	if (!g || !(init = LLVMGetInitializer(g)) || !LLVMIsAConstantArray(init))
		return;
	n = LLVMGetNumOperands(init);
	for (int i = 0; i < n; i++) {
		LLVMValueRef entry = LLVMGetOperand(init, i);
		LLVMValueRef fv;
		u32 idx;

		if (LLVMGetNumOperands(entry) < 2)
			continue;
		fv = LLVMGetOperand(entry, 1);
		idx = ptrmap_get(&an->fn_index, fv);
		if (idx != LCG_NONE && an->fns[idx].kind == FK_DEF)
			an->fns[idx].ctx_roles |= role;
	}
}

int scan_functions(struct analysis *an)
{
	u32 n = 0, i = 0;

	for (LLVMValueRef v = LLVMGetFirstFunction(an->m); v; v = LLVMGetNextFunction(v))
		n++;
	an->fns = calloc(n ? n : 1, sizeof(*an->fns));
	if (!an->fns)
		return failf(an, "out of memory for %u functions", n);
	an->n_fns = n;
	an->main_fn = LCG_NONE;
	for (LLVMValueRef v = LLVMGetFirstFunction(an->m); v; v = LLVMGetNextFunction(v), i++) {
		struct fn *f = &an->fns[i];

		f->v = v;
		classify(an, f);
		if (!ptrmap_put(&an->fn_index, v, i))
			return failf(an, "out of memory indexing functions");
		if (f->kind != FK_IGNORED)
			find_address_taken(f);
		if (f->kind == FK_DEF && !strcmp(f->name, "main"))
			an->main_fn = i;
	}
	if (an->main_fn == LCG_NONE)
		return failf(an, "the module has no definition of main: lcg analyses whole programs; "
			     "give it the bitcode of a linked program (all objects and archives merged)");
	an->fns[an->main_fn].roles |= LCG_AP_MAIN;
	mark_start_up_list(an, "llvm.global_ctors", LCG_AP_CONSTRUCTOR);
	mark_start_up_list(an, "llvm.global_dtors", LCG_AP_EXIT_HANDLER);
	return 0;
}
