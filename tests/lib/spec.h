/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spec.h - test-policy spec files: a policy described by hand, without the
 * analysis, for programs instrumented by hand with LCG_EVENT (pda/abi.h).
 * lcg-testpolicy (tests/trace/) and vm-policy (tests/vm/) both read them.
 *
 * One directive per line ('#' starts a comment):
 *   mode pda|nfa                       (default pda)
 *   events effects|syscalls|all-libc   (default effects)
 *   event ID libcall|precall|postcall CALLEE FUNCTION [FILE:LINE] [classes=C,...]
 *                                      C: a sensitive class the libcall arms
 *                                      (pda/sensitive.h: delete, write, exec,
 *                                      spawn, ...), or all; without classes=
 *                                      it arms none
 *   proc NAME [main|thread|signal|exit|constructor|callback|address-taken]...
 *   edge FROM TO ID|eps                states are names local to the current
 *                                      proc; "entry" is its entry state
 *   exit STATE
 *   call FROM TO PRE POST CALLEE...    PDA call site in the current proc
 *                                      (PRE 0 and the word setjmp at the end
 *                                      for a setjmp site)
 *   pins swap A B | pins drop ID       tamper with the binary's pins (tests
 *                                      of events from unpinned addresses);
 *                                      lcg-testpolicy only
 * In NFA mode the procedures form the whole-program automaton (and are also
 * written as the per-procedure graphs).
 */
#ifndef LCG_TESTS_SPEC_H
#define LCG_TESTS_SPEC_H

#include "formats/err.h"
#include "formats/policy.h"

#define SPEC_MAX_WORDS 32

struct spec_line {
	int lineno;
	int n;
	char *w[SPEC_MAX_WORDS];
};

/* A spec file as lines of words (comments and empty lines dropped). */
struct spec {
	const char *path;
	struct spec_line *lines;
	int n;
	char *text;
};

/* Return 0, or -1 with a message in @err naming the file (and line). */
int spec_read(struct spec *s, const char *path, char *err, size_t errlen);
void spec_free(struct spec *s);

/*
 * spec_build() - mode, event set, events and automata of @s into @p (which
 * lcg_policy_init() prepared); the program, the pins and the binary's facts
 * are the caller's.  Return 0, or -1 with "SPEC:LINE: what" in @err.
 */
int spec_build(const struct spec *s, struct lcg_policy *p, char *err, size_t errlen);

/* "SPEC:LINE: " and the message into @err; returns -1. */
#define spec_fail(s, l, err, errlen, fmt, ...) \
	lcg_errf((err), (errlen), "%s:%d: " fmt, (s)->path, (l)->lineno, ##__VA_ARGS__)

bool spec_u32(const char *s, u32 *v);

#endif /* LCG_TESTS_SPEC_H */
