// SPDX-License-Identifier: GPL-2.0
/*
 * forker - LD_PRELOAD library whose constructor forks before the program's
 * entry point ran: the child's copy of the text holds lcg-trace's entry
 * breakpoint, which must end its start-up as it does the parent's, not kill
 * it with SIGTRAP.  Both processes then run the program.
 */
#include <unistd.h>

__attribute__((constructor)) static void fork_before_entry(void)
{
	fork();
}
