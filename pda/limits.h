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

/*
 * Image-wide bounds; an image beyond any of them is refused by the validator
 * (and lcg_image_build() names the limit).  They bound the memory an image
 * may claim and, with the ranges below, the validator's work: every loop of
 * lcg_image_validate() is linear in the image's size (the ranges of states,
 * sites, events and the event index must partition their sections in order,
 * so no element is visited twice), and it offers to reschedule every
 * LCG_VALIDATE_STRIDE elements (lcg_cond_resched(), pda/shim.h).
 */
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
#define LCG_VALIDATE_STRIDE 4096u

/*
 * Per-element bounds: they bound the monitor's work per event, whatever the
 * image (the kernel runs the step in a kprobe, preemption off).  An image
 * beyond one is refused by the validator.  The largest values measured on
 * real policies (mbed TLS 2.28 and lua, every mode and event set) are in
 * brackets.
 *
 * LCG_MAX_STATE_EDGES [1010]: labelled edges leaving one state; an event is
 * looked up by binary search (at most 17 probes).
 *
 * LCG_MAX_EVENT_TARGETS [573]: distinct states one event's edges enter (its
 * event-index entry).  A wide frontier (LCG_FRONTIER_MAX) stands for these
 * states, so a step from a wide frontier visits at most this many states.
 *
 * LCG_MAX_EVENT_PINS [8]: file offsets pinned to one event, sorted: the pin
 * check is a binary search.
 *
 * LCG_MAX_SITE_CALLEES [177]: possible callees of one call site, sorted: a
 * longjmp's unwinding tests each frame by binary search.
 *
 * Work of one lcg_monitor_step() in the worst case: (LCG_ASYNC_MAX + 2)
 * contexts, each visiting at most LCG_MAX_EVENT_TARGETS states with one
 * binary search over LCG_MAX_STATE_EDGES edges and at most LCG_FRONTIER_MAX
 * + 1 matching edges each (a frontier that overflows stops collecting), plus
 * LCG_STACK_MAX frames for a longjmp.
 */
#define LCG_MAX_STATE_EDGES (1u << 16)
/*
 * LCG_MAX_LANDINGS: states a setjmp site's POSTCALL enters (one per copy of
 * the function holding the setjmp).  A longjmp tests each against the callees
 * of each frame it pops: at most LCG_STACK_MAX * LCG_MAX_LANDINGS binary
 * searches.
 */
#define LCG_MAX_LANDINGS (1u << 8)
#define LCG_MAX_EVENT_TARGETS (1u << 13)
#define LCG_MAX_EVENT_PINS (1u << 10)
#define LCG_MAX_SITE_CALLEES (1u << 16)

/*
 * Subset construction of one procedure stops when it would create more than
 * LCG_DFA_FACTOR times the procedure's states (and never more than
 * LCG_DFA_MAX_STATES); the procedure then stays a (epsilon-free) NFA.
 */
#define LCG_DFA_FACTOR 4
#define LCG_DFA_MAX_STATES (1u << 16)

#endif /* LCG_LIMITS_H */
