/* SPDX-License-Identifier: GPL-2.0 */
/*
 * limits.h - every limit of the automaton core and the image, in one place.
 *
 * Each limit has a defined outcome, written next to it; docs/design-core.md
 * explains them at length.
 */
#ifndef LCG_LIMITS_H
#define LCG_LIMITS_H

/*
 * Call-site frames a Dyck monitor keeps.  At the bound the oldest frame is
 * forgotten (the monitor counts forgotten frames); a POSTCALL that returns into
 * a forgotten frame is checked only against its callee having been able to
 * return.  Precision degrades past this depth, soundness does not.
 */
#define LCG_STACK_MAX 96

/*
 * States a frontier holds explicitly.  A step whose result is larger widens
 * the frontier to "every target of the event just seen" (LCG_MON_WIDE), an
 * over-approximation that stays exact for the next event's check against the
 * policy's edges, and narrows back as soon as a step fits again.
 */
#define LCG_FRONTIER_MAX 16

/*
 * Nested asynchronous entries (signal handlers, exit handlers, callbacks run
 * from libc) that the monitor tracks at once.  An entry beyond the bound is a
 * violation with reason LCG_R_ASYNC_DEPTH: it needs signals nested deeper
 * than any legitimate program uses.
 */
#define LCG_ASYNC_MAX 3

/*
 * Nested signal handlers whose interrupted armed classes the monitor keeps
 * (lcg_monitor_signal_enter).  Deeper handlers still run; when one of them
 * returns, the code it interrupted resumes with nothing armed (a sensitive
 * call there is refused until its next event).
 */
#define LCG_SIGNAL_MAX 8

/* Image-wide bounds; an image beyond any of them is refused by the validator. */
#define LCG_IMAGE_MAX_BYTES (64u << 20)
#define LCG_MAX_STATES (1u << 22)
#define LCG_MAX_EDGES (1u << 24)
#define LCG_MAX_EVENTS (1u << 22)
#define LCG_MAX_PROCS (1u << 20)
#define LCG_MAX_SITES (1u << 22)
#define LCG_MAX_CALLEES (1u << 24)
#define LCG_MAX_PINS (1u << 22)
#define LCG_MAX_RAW_PINS (1u << 16)
#define LCG_MAX_STRTAB (16u << 20)

/*
 * Subset construction of one procedure stops when it would create more than
 * LCG_DFA_FACTOR times the procedure's states (and never more than
 * LCG_DFA_MAX_STATES); the procedure then stays a (epsilon-free) NFA.
 */
#define LCG_DFA_FACTOR 4
#define LCG_DFA_MAX_STATES (1u << 16)

#endif /* LCG_LIMITS_H */
