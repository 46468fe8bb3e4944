// SPDX-License-Identifier: GPL-2.0
/*
 * Indirect calls resolved like the best C analyses: by C function type
 * (KCFI ids, as lcg-cc compiles) and by where the pointer was stored and
 * loaded (struct fields, globals, parameters).  Casts, function pointers in
 * structs, arrays of function pointers, callbacks kept in globals, varargs;
 * a call that matches nothing falls back, never to "no target"; the KCFI
 * ids are gone from the instrumented module.
 */
#include "test_analysis.h"

static void run_kcfi(struct ta *t, const char *name)
{
	ta_run_ex(t, name, TA_KCFI, LCG_MODE_PDA, LCG_EVENTS_EFFECTS, LCG_INLINE_BUDGET_DEFAULT,
		  false);
	cr_assert_eq(t->rc, 0, "analysis of %s failed: %s", name, t->err);
}

/* The indirect call at @line of the program (its statistics entry). */
static const struct lcg_indirect_site *at_line(const struct ta *t, u32 line, u32 nth)
{
	for (u32 i = 0; i < t->st.indirect_sites; i++)
		if (t->st.indirect[i].line == line && !nth--)
			return &t->st.indirect[i];
	cr_assert_fail("no indirect call at line %u", line);
	return NULL;
}

Test(analysis_indirect, casts_never_end_at_no_target)
{
	struct ta t;

	run_kcfi(&t, "fp_cast");
	/* cast into an initializer: the field's key holds nothing of its type */
	cr_expect_eq(at_line(&t, 34, 0)->n_internal, 1, "do_write, which escaped there");
	cr_expect(at_line(&t, 34, 0)->how & LCG_RESOLVED_FALLBACK);
	/* stored into a global: the global's key says which, whatever its type */
	cr_expect_eq(at_line(&t, 36, 0)->n_internal, 1);
	cr_expect_eq(at_line(&t, 36, 0)->how, LCG_RESOLVED_KEY);
	/* unknown origin, a type no function has: every address-taken function */
	cr_expect_eq(at_line(&t, 38, 0)->n_internal, 2);
	cr_expect(at_line(&t, 38, 0)->how & LCG_RESOLVED_FALLBACK);
	cr_expect(strstr(t.warnings, "2 indirect calls match no function of their type"),
		  "one warning line: %s", t.warnings);
	ta_free(&t);
}

Test(analysis_indirect, struct_fields_keep_their_own_functions)
{
	struct ta t;

	run_kcfi(&t, "fp_struct");
	cr_expect_eq(at_line(&t, 45, 0)->n_internal, 2, "gp->modp: mod_a, mod_b, not tick");
	cr_expect_eq(at_line(&t, 45, 0)->how, LCG_RESOLVED_KEY);
	cr_expect_eq(at_line(&t, 47, 0)->n_internal, 1, "tp->cb: tick");
	/* the modular reduction reaches no event: no brackets, no procedure */
	cr_expect_eq(ta_count_events(&t.p, LCG_EV_PRECALL, NULL), 0);
	cr_expect_eq(ta_proc(&t.p.graphs, "mod_a"), LCG_NONE);
	ta_free(&t);
}

Test(analysis_indirect, callback_kept_in_a_global)
{
	struct ta t;

	run_kcfi(&t, "fp_global");
	cr_expect_eq(t.st.indirect_sites, 1);
	cr_expect_eq(t.st.indirect[0].n_internal, 2, "on_a and on_b, not on_other");
	cr_expect_eq(t.st.indirect[0].how, LCG_RESOLVED_KEY);
	ta_free(&t);
}

Test(analysis_indirect, varargs_by_c_type)
{
	struct ta t;

	run_kcfi(&t, "fp_varargs");
	cr_expect_eq(at_line(&t, 21, 0)->n_internal, 1, "const char *: log_const only");
	cr_expect_eq(at_line(&t, 26, 0)->n_internal, 1, "char *: log_mutable only");
	ta_free(&t);
	/* without KCFI ids the two are one LLVM type */
	ta_run(&t, "fp_varargs", LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
	cr_expect_eq(at_line(&t, 21, 0)->n_internal, 2);
	ta_free(&t);
}

Test(analysis_indirect, arrays_of_function_pointers)
{
	struct ta t;

	run_kcfi(&t, "fp_tables");
	cr_assert_eq(t.st.indirect_sites, 2);
	cr_expect_eq(t.st.indirect[0].n_internal, 2, "readers: t_read, t_dup");
	cr_expect_eq(t.st.indirect[1].n_internal, 2, "writers: t_write, t_close");
	cr_expect_eq(t.st.indirect[0].how, LCG_RESOLVED_KEY);
	ta_free(&t);
}

/* Every target of the KCFI build is a target of the LLVM-type build: only precision changes. */
Test(analysis_indirect, kcfi_targets_within_llvm_type_targets)
{
	static const char *const progs[] = { "fp_struct", "fp_global", "fp_varargs", "fp_tables",
					     "fptr_table", "mixed_ptr" };

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		struct ta k, l;

		run_kcfi(&k, progs[i]);
		ta_run(&l, progs[i], LCG_MODE_PDA, LCG_EVENTS_EFFECTS);
		cr_assert_eq(k.st.indirect_sites, l.st.indirect_sites, "%s", progs[i]);
		for (u32 s = 0; s < k.st.indirect_sites; s++)
			cr_expect_leq(k.st.indirect[s].n_internal + k.st.indirect[s].n_libc,
				      l.st.indirect[s].n_internal + l.st.indirect[s].n_libc,
				      "%s: call %u", progs[i], s);
		ta_free(&k);
		ta_free(&l);
	}
}

/* What clang put there for the analysis must not reach code generation. */
static bool has_kcfi_left(LLVMModuleRef m)
{
	size_t len = 0;
	const char *text = LLVMGetModuleInlineAsm(m, &len);

	if (text && memmem(text, len, "__kcfi_typeid_", 14))
		return true;
	for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) {
		char *ir = LLVMPrintValueToString(f);
		bool found = strstr(ir, "kcfi") != NULL;

		LLVMDisposeMessage(ir);
		if (found)
			return true;
	}
	return false;
}

Test(analysis_indirect, kcfi_ids_stripped_when_instrumenting)
{
	struct ta t;

	ta_run_ex(&t, "fp_cast", TA_KCFI, LCG_MODE_PDA, LCG_EVENTS_EFFECTS,
		  LCG_INLINE_BUDGET_DEFAULT, false);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	cr_expect(has_kcfi_left(t.m), "the input has KCFI ids (the test needs them)");
	ta_free(&t);
	ta_run_ex(&t, "fp_cast", TA_KCFI, LCG_MODE_PDA, LCG_EVENTS_EFFECTS,
		  LCG_INLINE_BUDGET_DEFAULT, true);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	cr_expect_not(has_kcfi_left(t.m), "bundles, type ids and module asm removed");
	cr_expect_null(LLVMGetNamedFunction(t.m, "__kcfi_typeid_strtoul"));
	ta_free(&t);
}
