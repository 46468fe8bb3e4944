// SPDX-License-Identifier: GPL-2.0
/* filter.c - generate lcg-trace's seccomp filter from the sensitive table. */
#include "filter.h"

#include <linux/audit.h>
#include <linux/seccomp.h>

#include "pda/abi.h"
#include "pda/sensitive.h"

/* A signal handler returns, through any ABI (lcg.ko watches them all). */
static bool is_sigreturn(u32 arch, u32 nr)
{
	if (arch == AUDIT_ARCH_I386)
		return nr == LCG_NR32_SIGRETURN || nr == LCG_NR32_RT_SIGRETURN;
	return nr == LCG_NR_RT_SIGRETURN || nr == (LCG_X32_SYSCALL_BIT | LCG_NRX32_RT_SIGRETURN);
}

enum trace_stop filter_stop(u32 arch, u32 nr)
{
	if (arch != AUDIT_ARCH_X86_64 && arch != AUDIT_ARCH_I386)
		return TRACE_STOP_NONE;
	if (is_sigreturn(arch, nr))
		return TRACE_STOP_SIGRETURN;
	if (arch == AUDIT_ARCH_I386)
		return TRACE_STOP_I386;
	if (nr & LCG_X32_SYSCALL_BIT)
		return TRACE_STOP_X32;
	if (nr == LCG_SYSCALL_NR)
		return TRACE_STOP_EVENT;
	return lcg_syscall_find(nr) ? TRACE_STOP_SENSITIVE : TRACE_STOP_NONE;
}

bool filter_is_tag(u32 data)
{
	return data >= TRACE_STOP_EVENT && data <= TRACE_STOP_I386;
}

/*
 * The program is straight-line tests that jump forward to one of the
 * returns placed after them; a failed test falls through to the next.  The
 * x86_64 tests come first, then the i386 ones, which fall through into the
 * first return.
 */
static const enum trace_stop ret_slots[] = {
	TRACE_STOP_I386, TRACE_STOP_NONE, TRACE_STOP_EVENT, TRACE_STOP_SENSITIVE,
	TRACE_STOP_SIGRETURN, TRACE_STOP_X32,
};
#define N_SLOTS (sizeof(ret_slots) / sizeof(ret_slots[0]))

/* Instructions around the table's: 7 before it, 1 after; then the i386 part. */
#define X86_FIXED 8
#define I386_LEN 4

struct gen {
	struct sock_filter *code;
	size_t n, max;
	size_t i386;		/* index of the i386 part */
	size_t slots;		/* index of the first return */
	bool bad;		/* out of room or out of jump range */
};

static void emit(struct gen *g, struct sock_filter insn)
{
	if (g->n == g->max) {
		g->bad = true;
		return;
	}
	g->code[g->n++] = insn;
}

/* Offset from the instruction being emitted to the one at @to. */
static u8 to_index(struct gen *g, size_t to)
{
	size_t off = to - (g->n + 1);

	if (to <= g->n || off > 255)
		g->bad = true;
	return (u8)off;
}

static u8 to_slot(struct gen *g, enum trace_stop stop)
{
	size_t slot = 0;

	while (ret_slots[slot] != stop)
		slot++;
	return to_index(g, g->slots + slot);
}

/* if (A <op> k) return stop; else go on */
static void test(struct gen *g, u16 op, u32 k, enum trace_stop stop)
{
	emit(g, (struct sock_filter)BPF_JUMP(BPF_JMP | op | BPF_K, k, to_slot(g, stop), 0));
}

static void load(struct gen *g, u32 offset)
{
	emit(g, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset));
}

static void x86_64_part(struct gen *g)
{
	load(g, offsetof(struct seccomp_data, arch));
	emit(g, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0,
					     to_index(g, g->i386)));
	load(g, offsetof(struct seccomp_data, nr));
	test(g, BPF_JEQ, LCG_X32_SYSCALL_BIT | LCG_NRX32_RT_SIGRETURN, TRACE_STOP_SIGRETURN);
	test(g, BPF_JSET, LCG_X32_SYSCALL_BIT, TRACE_STOP_X32);
	test(g, BPF_JEQ, LCG_SYSCALL_NR, TRACE_STOP_EVENT);
	test(g, BPF_JEQ, LCG_NR_RT_SIGRETURN, TRACE_STOP_SIGRETURN);
	for (u32 i = 0; i < lcg_n_syscalls; i++)
		test(g, BPF_JEQ, lcg_syscalls[i].nr, TRACE_STOP_SENSITIVE);
	emit(g, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, to_slot(g, TRACE_STOP_NONE), 0, 0));
}

/* A is still the architecture here. */
static void i386_part(struct gen *g)
{
	emit(g, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0,
					     to_slot(g, TRACE_STOP_NONE)));
	load(g, offsetof(struct seccomp_data, nr));
	test(g, BPF_JEQ, LCG_NR32_SIGRETURN, TRACE_STOP_SIGRETURN);
	test(g, BPF_JEQ, LCG_NR32_RT_SIGRETURN, TRACE_STOP_SIGRETURN);
}

size_t filter_build(struct sock_filter *code, size_t max)
{
	struct gen g = { .code = code, .max = max, .i386 = X86_FIXED + lcg_n_syscalls };

	g.slots = g.i386 + I386_LEN;
	x86_64_part(&g);
	if (g.n != g.i386)	/* X86_FIXED miscounted: every jump is off */
		g.bad = true;
	i386_part(&g);
	if (g.n != g.slots)	/* I386_LEN miscounted */
		g.bad = true;
	for (size_t s = 0; s < N_SLOTS; s++)
		emit(&g, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      ret_slots[s] == TRACE_STOP_NONE ?
						      SECCOMP_RET_ALLOW :
						      SECCOMP_RET_TRACE | ret_slots[s]));
	return g.bad ? 0 : g.n;
}
