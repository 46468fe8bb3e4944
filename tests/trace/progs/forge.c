// SPDX-License-Identifier: GPL-2.0
/*
 * forge - events issued from places they are not pinned to.
 * usage: forge good | libc | unknown
 * "good" issues event 1 from site_a() and 2 from site_b(); with a policy
 * whose pins of 1 and 2 are swapped (forge-swapped.spec) both come from the
 * wrong place.  "libc" issues event 1 through libc's syscall(), from outside
 * the executable.  "unknown" issues an id the policy does not have, with
 * no .lcg_sites entry (the generator refuses pins of undefined events).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pda/abi.h"

static __attribute__((noinline)) void site_a(void)
{
	LCG_EVENT(1);
}

static __attribute__((noinline)) void site_b(void)
{
	LCG_EVENT(2);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "libc"))
		syscall(LCG_SYSCALL_NR, 1);
	else if (!strcmp(argv[1], "unknown"))
		__asm__ volatile("syscall" : : "a"(LCG_SYSCALL_NR), "D"(99)
				 : "rcx", "r11", "memory");
	else
		site_a();
	site_b();
	puts("forge: done");
	return 0;
}
