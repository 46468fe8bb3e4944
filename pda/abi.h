/* SPDX-License-Identifier: GPL-2.0 */
/*
 * abi.h - the contract between instrumented programs and their monitors.
 *
 * Before each monitored call an instrumented program runs, as inline asm:
 *
 *	movl $LCG_SYSCALL_NR, %eax
 *	movl $<event id>, %edi
 *   1:	syscall
 *	.pushsection .lcg_sites, "aR", @progbits
 *	.long <event id>
 *	.long 1b - .
 *	.popsection
 *
 * clobbering only rax, rdi, rcx and r11 (the syscall instruction's own
 * clobbers); errno is untouched because no libc wrapper runs.  The kernel
 * ignores the result.  Each .lcg_sites entry pins an event id to the address
 * of its syscall instruction, PC-relative so that a PIE needs no relocation;
 * "R" (SHF_GNU_RETAIN) keeps the section under --gc-sections.
 */
#ifndef LCG_ABI_H
#define LCG_ABI_H

/* Never assigned on x86_64: reaches __x64_sys_ni_syscall through the table. */
#define LCG_SYSCALL_NR 360

#define LCG_SITES_SECTION ".lcg_sites"

/*
 * An .lcg_sites entry with this id pins a raw system call the analysis saw
 * in the program (inline asm with a syscall instruction), not an event: a
 * sensitive system call from the program's text must come from one of them
 * (docs/binding.md, "Origin").  Event ids start at 1.
 */
#define LCG_RAW_SITE_ID 0u

/* One .lcg_sites entry, 8 bytes. */
struct lcg_site_entry {
	unsigned int id;
	int rel;	/* address of the syscall instruction minus address of this field */
};

/* The syscall instruction is 2 bytes: the user ip at entry points past it. */
#define LCG_SYSCALL_INSN_LEN 2

/* stringification for the asm below */
#define LCG__STR(x) #x
#define LCG_STR(x) LCG__STR(x)

/*
 * LCG_EVENT(id) - the same sequence the analysis emits, for hand-written
 * test programs (id must be a constant expression).  A statement
 * expression: one statement wherever it is used.
 */
#define LCG_EVENT(id) ({						\
	__asm__ volatile("movl $" LCG_STR(LCG_SYSCALL_NR) ", %%eax\n\t"	\
			 "movl $%c0, %%edi\n\t"					\
			 "1: syscall\n\t"					\
			 ".pushsection " LCG_SITES_SECTION ", \"aR\", @progbits\n\t" \
			 ".long %c0\n\t"					\
			 ".long 1b - .\n\t"					\
			 ".popsection"						\
			 : : "i"(id) : "rax", "rdi", "rcx", "r11", "memory");	\
})

#endif /* LCG_ABI_H */
