// SPDX-License-Identifier: GPL-2.0
/* startup.c - the entry-point breakpoint that ends a program's start-up. */
#define _GNU_SOURCE
#include "startup.h"

#include <errno.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "proc.h"

#define INT3 0xccu
#define RIP offsetof(struct user_regs_struct, rip)

/* The word at @addr; errno tells a failure from a word of all ones. */
static long peek(pid_t tid, uint64_t addr, int *err)
{
	long word;

	errno = 0;
	word = ptrace(PTRACE_PEEKTEXT, tid, (void *)addr, 0);
	*err = errno;
	return word;
}

/* @word with its first byte (x86 is little-endian: the low one) replaced by @byte */
static long with_byte(long word, uint8_t byte)
{
	return (long)(((unsigned long)word & ~0xfful) | byte);
}

static int poke(pid_t tid, uint64_t addr, long word)
{
	return (int)ptrace(PTRACE_POKETEXT, tid, (void *)addr, (void *)word);
}

int startup_arm(pid_t pid, struct entry_bp *bp)
{
	uint64_t entry;
	long word;
	int err;

	if (proc_entry_point(pid, &entry) != 0)
		return -1;
	word = peek(pid, entry, &err);
	if (err) {
		errno = err;
		return -1;
	}
	if (poke(pid, entry, with_byte(word, INT3)) != 0)
		return -1;
	bp->addr = entry;
	bp->byte = (uint8_t)word;
	return 0;
}

int startup_hit(pid_t tid, struct entry_bp *bp)
{
	long rip, word;
	int err;

	if (!bp->addr)
		return 0;
	errno = 0;
	rip = ptrace(PTRACE_PEEKUSER, tid, (void *)RIP, 0);
	if (errno || (uint64_t)rip != bp->addr + 1)
		return 0;
	/* a task sharing this memory may have taken the breakpoint out already */
	word = peek(tid, bp->addr, &err);
	if (err || (word & 0xff) != INT3)
		return 0;
	/*
	 * Only the first byte goes back: the loader may have relocated the
	 * bytes after it (text relocations) since the breakpoint was set.
	 */
	if (poke(tid, bp->addr, with_byte(word, bp->byte)) != 0 ||
	    ptrace(PTRACE_POKEUSER, tid, (void *)RIP, (void *)bp->addr) != 0)
		return -1;
	bp->addr = 0;
	return 1;
}
