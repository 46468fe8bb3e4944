// SPDX-License-Identifier: GPL-2.0
/*
 * calls - PDA mode: internal calls bracketed by PRECALL/POSTCALL events.
 * usage: calls good | wrong-return
 * main opens (1), calls helper() from two sites (20/21 and 22/23), closes
 * (3); helper reads (10).  "wrong-return" returns from the first call
 * through the second site's POSTCALL: an impossible path that only the
 * call stack can reject.
 */
#include <stdio.h>
#include <string.h>

#include "pda/abi.h"

static __attribute__((noinline)) void helper(void)
{
	LCG_EVENT(10);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	LCG_EVENT(1);
	LCG_EVENT(20);
	helper();
	if (!strcmp(argv[1], "wrong-return")) {
		LCG_EVENT(23);
	} else {
		LCG_EVENT(21);
	}
	LCG_EVENT(22);
	helper();
	LCG_EVENT(23);
	LCG_EVENT(3);
	puts("calls: done");
	return 0;
}
