// SPDX-License-Identifier: GPL-2.0
/*
 * tiny - the smallest monitored program: no libc, no dynamic loader, a few
 * kilobytes, so that exec and the kernel's SHA-256 of it cost almost
 * nothing under TCG.  The configfs fuzz (tests/vm/programs/imgfuzz.c) runs
 * it on every image it gets loaded: images compiled from seq.spec,
 * family.spec and stress.spec against builds of it with TINY_EVENTS set to
 * the number of events of that policy (events 1..TINY_EVENTS each have a
 * pinned site here; a site of an event the policy lacks would make
 * finalize refuse the pair).
 *
 *   tiny ID...   issue the events ID (1-9) in order, then exit 0
 */
#include "pda/abi.h"

__asm__(".globl _start\n"
	"_start:\n\t"
	"movq %rsp, %rdi\n\t"
	"call tiny_main\n\t"
	"ud2\n");

#ifndef TINY_EVENTS
#define TINY_EVENTS 9
#endif

static void event(int id)
{
	switch (id) {
	case 1: LCG_EVENT(1); break;
	case 2: LCG_EVENT(2); break;
	case 3: LCG_EVENT(3); break;
	case 4: LCG_EVENT(4); break;
#if TINY_EVENTS >= 6
	case 5: LCG_EVENT(5); break;
	case 6: LCG_EVENT(6); break;
#endif
#if TINY_EVENTS >= 9
	case 7: LCG_EVENT(7); break;
	case 8: LCG_EVENT(8); break;
	case 9: LCG_EVENT(9); break;
#endif
	}
}

__attribute__((noreturn, used)) void tiny_main(long *sp);

void tiny_main(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);

	for (long i = 1; i < argc; i++)
		event(argv[i][0] - '0');
	__asm__ volatile("syscall" : : "a"(231), "D"(0) : "rcx", "r11", "memory");
	__builtin_unreachable();
}
