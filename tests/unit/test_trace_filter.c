// SPDX-License-Identifier: GPL-2.0
/*
 * test_trace_filter.c - lcg-trace's seccomp filter, generated from the table
 * of sensitive system calls, says for every number what filter_stop() says:
 * the tracer falls back on filter_stop() when a filter of the program hides
 * our tag, so the two must never disagree.  The BPF runs in a small
 * interpreter of the instructions filter_build() emits.
 */
#include <criterion/criterion.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "eval/trace/filter.h"
#include "pda/abi.h"
#include "pda/sensitive.h"

/* Run @code on (@arch, @nr); fails the test on an instruction it does not know. */
static u32 run_bpf(const struct sock_filter *code, size_t len, u32 arch, u32 nr)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch };
	u32 a = 0;

	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *i = &code[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			cr_assert_leq(i->k + 4, sizeof(d));
			memcpy(&a, (const char *)&d + i->k, 4);
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += (a & i->k) ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JA:
			pc += i->k;
			break;
		case BPF_RET | BPF_K:
			return i->k;
		default:
			cr_assert_fail("instruction 0x%x at %zu", i->code, pc);
		}
	}
	cr_assert_fail("ran off the end of the filter");
	return 0;
}

static u32 expected(u32 arch, u32 nr)
{
	enum trace_stop s = filter_stop(arch, nr);

	return s == TRACE_STOP_NONE ? SECCOMP_RET_ALLOW : SECCOMP_RET_TRACE | s;
}

static void check_range(const struct sock_filter *code, size_t len, u32 arch, u32 from, u32 to)
{
	for (u32 nr = from; nr < to; nr++)
		cr_assert_eq(run_bpf(code, len, arch, nr), expected(arch, nr),
			     "arch 0x%x nr 0x%x: the filter and filter_stop() disagree", arch, nr);
}

Test(trace_filter, bpf_matches_filter_stop_everywhere)
{
	struct sock_filter code[FILTER_MAX];
	size_t len = filter_build(code, FILTER_MAX);

	cr_assert_gt(len, 0);
	check_range(code, len, AUDIT_ARCH_X86_64, 0, 1024);
	check_range(code, len, AUDIT_ARCH_X86_64, LCG_X32_SYSCALL_BIT, LCG_X32_SYSCALL_BIT + 1024);
	check_range(code, len, AUDIT_ARCH_X86_64, 0xfffffff0u, 0xffffffffu);
	/* -1, which ptrace uses to skip a call */
	cr_assert_eq(run_bpf(code, len, AUDIT_ARCH_X86_64, ~0u), expected(AUDIT_ARCH_X86_64, ~0u));
	check_range(code, len, AUDIT_ARCH_I386, 0, 512);
	check_range(code, len, AUDIT_ARCH_AARCH64, 0, 64);
}

Test(trace_filter, traps_what_binding_needs)
{
	cr_assert_eq(filter_stop(AUDIT_ARCH_X86_64, LCG_SYSCALL_NR), TRACE_STOP_EVENT);
	cr_assert_eq(filter_stop(AUDIT_ARCH_X86_64, LCG_NR_RT_SIGRETURN), TRACE_STOP_SIGRETURN);
	cr_assert_eq(filter_stop(AUDIT_ARCH_X86_64, LCG_X32_SYSCALL_BIT | LCG_NRX32_RT_SIGRETURN),
		     TRACE_STOP_SIGRETURN);
	cr_assert_eq(filter_stop(AUDIT_ARCH_I386, LCG_NR32_SIGRETURN), TRACE_STOP_SIGRETURN);
	cr_assert_eq(filter_stop(AUDIT_ARCH_I386, LCG_NR32_RT_SIGRETURN), TRACE_STOP_SIGRETURN);
	for (u32 i = 0; i < lcg_n_syscalls; i++)
		cr_assert_eq(filter_stop(AUDIT_ARCH_X86_64, lcg_syscalls[i].nr),
			     TRACE_STOP_SENSITIVE, "%s", lcg_syscalls[i].name);
	cr_assert_eq(filter_stop(AUDIT_ARCH_X86_64, LCG_X32_SYSCALL_BIT | 87), TRACE_STOP_X32);
	cr_assert_eq(filter_stop(AUDIT_ARCH_I386, 20), TRACE_STOP_I386);
	/* read, write, getpid: never a stop */
	cr_assert_eq(filter_stop(AUDIT_ARCH_X86_64, 0), TRACE_STOP_NONE);
	cr_assert_eq(filter_stop(AUDIT_ARCH_X86_64, 1), TRACE_STOP_NONE);
	cr_assert_eq(filter_stop(AUDIT_ARCH_X86_64, 39), TRACE_STOP_NONE);
}

Test(trace_filter, refuses_a_buffer_too_small)
{
	struct sock_filter code[16];

	cr_assert_eq(filter_build(code, 16), 0);
}

Test(trace_filter, tags_are_ours_only)
{
	cr_assert(filter_is_tag(TRACE_STOP_EVENT));
	cr_assert(filter_is_tag(TRACE_STOP_I386));
	cr_assert_not(filter_is_tag(TRACE_STOP_NONE));
	cr_assert_not(filter_is_tag(TRACE_STOP_I386 + 1));
}
