/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy_fixture.h - small, complete policies that use every field of the
 * policy model, for the policy.cbor and DOT tests and the fuzzers' seeds.
 * No criterion here: tests/fuzz/make_seeds.c links it too.
 */
#ifndef LCG_POLICY_FIXTURE_H
#define LCG_POLICY_FIXTURE_H

#include "formats/policy.h"

/* Event ids of fixture_pda(). */
enum {
	FX_OPEN = 1,		/* libcall in main, with file, line, two pins, classes write and exec-mem */
	FX_READ = 2,		/* libcall in bar, no debug information, no pins */
	FX_PRE_BAR = 3,		/* PRECALL of site 0 (main calls bar) */
	FX_POST_BAR = 4,	/* POSTCALL of site 0 */
	FX_POST_SETJMP = 5,	/* POSTCALL of site 1 (setjmp in main) */
	FX_WRITE = 6,		/* libcall in the signal handler */
	/* 7 is a hole: an unused id */
	FX_CLOSE = 8,		/* libcall in the exit handler */
	FX_N_EVENTS = 9,
};

/*
 * PDA mode, procedures:
 *   0 main (main)            s0 -open-> s1 -call bar-> s2 -setjmp-> s3 (exit), s2 -eps-> s3
 *   1 bar (address-taken)    s4 -read-> s5 (exit), s4 -eps-> s5
 *   2 on_signal (signal-handler, libc-callback)   s6 -write-> s7 (exit)
 *   3 worker (thread-entry)  s8 (exit)
 *   4 cleanup (exit-handler) s9 -close-> s10 (exit)
 *   5 setup (constructor)    s11 (exit)
 * sites: 0 = main calls bar (PRECALL 3, POSTCALL 4), 1 = setjmp in main (POSTCALL 5).
 * Finalised: a SHA-256, pins, an entry point and two raw system call pins.
 */
void fixture_pda(struct lcg_policy *p);

/* Drop what finalisation adds (SHA-256, entry, static, raw pins); event pins stay. */
void fixture_unfinalise(struct lcg_policy *p);

/*
 * NFA mode: graphs with main calling bar through an epsilon call edge
 * (site 0), and the whole-program automaton "program" with bar inlined:
 * s0 -open-> s1 -read-> s2 (exit), s1 -eps-> s2.  Not finalised.
 */
void fixture_nfa(struct lcg_policy *p);

/* A procedure "name" with no library calls (entry is its exit), for DOT tests. */
u32 fixture_add_empty_proc(struct lcg_automaton *a, const char *name, u32 roles);

#endif /* LCG_POLICY_FIXTURE_H */
