/* SPDX-License-Identifier: GPL-2.0 */
/*
 * monitor.h - per-task monitor state and its step over a validated image.
 *
 * NFA mode: a frontier of states advanced on each event; an empty frontier is
 * a violation.  Dyck (PDA) mode adds a stack of call-site frames: PRECALL
 * pushes its site, POSTCALL must match the top frame and requires that the
 * callee could have returned.  Both modes share the code: an NFA image simply
 * has no PRECALL/POSTCALL events.  The state has a fixed size, independent of
 * the policy; docs/design-core.md describes the algorithm and its limits.
 */
#ifndef LCG_MONITOR_H
#define LCG_MONITOR_H

#include "shim.h"
#include "limits.h"
#include "image.h"

/* monitor flags */
#define LCG_MON_WIDE 0x1u	/* frontier = every target of wide_event */
#define LCG_MON_STARTED 0x2u	/* initialised */
#define LCG_MON_ENTERED 0x4u	/* the program's own code runs: start-up is over */

/* a stack entry with this bit is an asynchronous-entry marker, not a site */
#define LCG_FRAME_ASYNC 0x80000000u

enum lcg_reason {
	LCG_R_OK = 0,
	LCG_R_UNKNOWN_EVENT,	/* id not in the policy */
	LCG_R_NO_TRANSITION,	/* no state of the frontier accepts the event */
	LCG_R_RETURN_MISMATCH,	/* POSTCALL of a site that is not on top of the stack */
	LCG_R_NOT_RETURNED,	/* POSTCALL while the callee could not have returned */
	LCG_R_ASYNC_DEPTH,	/* asynchronous entries nested beyond LCG_ASYNC_MAX */
	LCG_R_UNPINNED,		/* event issued from an address not pinned to it */
	LCG_R_UNARMED,		/* sensitive system call of a class no event armed */
	LCG_R_ORIGIN,		/* sensitive system call from the program's text, not pinned there */
	LCG_R_ABI,		/* sensitive system call through another ABI (i386, x32) */
	LCG_R_COUNT
};

struct lcg_frontier {
	u32 n;
	u32 s[LCG_FRONTIER_MAX];
};

struct lcg_monitor {
	u32 flags;
	u32 wide_event;		/* valid with LCG_MON_WIDE */
	struct lcg_frontier front;
	u32 depth;		/* frames on the stack */
	u32 forgotten;		/* frames dropped at LCG_STACK_MAX */
	u32 stack[LCG_STACK_MAX];
	u32 n_async;
	struct lcg_frontier saved[LCG_ASYNC_MAX];	/* interrupted frontiers */
	u32 saved_wide[LCG_ASYNC_MAX];			/* their wide_event, or 0 */
	u32 saved_armed[LCG_ASYNC_MAX];			/* their armed classes */
	u32 armed;		/* sensitive classes the last accepted event armed */
	u32 last_event;		/* the last accepted event, 0 before the first */
	u32 n_signals;		/* signal handlers entered and not returned from */
	u32 signal_armed[LCG_SIGNAL_MAX];		/* armed classes they interrupted */
	u32 signal_last[LCG_SIGNAL_MAX];		/* and the last event there */
	u64 events;		/* events accepted */
	u64 violations;
};

/**
 * lcg_monitor_init() - the state of a task that just exec'ed the policy's binary
 * @m:   the task's monitor, overwritten
 * @img: a validated image
 */
void lcg_monitor_init(struct lcg_monitor *m, const struct lcg_image *img);

/**
 * lcg_monitor_init_thread() - the state of a new thread
 * @m:       the new thread's monitor, overwritten
 * @img:     a validated image
 * @creator: the monitor of the thread that created it (not changed)
 *
 * The thread starts at the policy's thread entries, with the classes its
 * creator had armed (the clone that made it was one of them; a thread libc
 * starts for itself, such as timer_create's helper, announces nothing before
 * it creates threads in turn).
 *
 * Return: false when the image has no thread entry (@m is not written:
 * callers then copy the creating thread's state, as for fork).
 */
bool lcg_monitor_init_thread(struct lcg_monitor *m, const struct lcg_image *img,
			     const struct lcg_monitor *creator);

/**
 * lcg_monitor_copy() - the child's state after fork: an exact copy
 * @dst: the child's monitor
 * @src: the parent's
 */
void lcg_monitor_copy(struct lcg_monitor *dst, const struct lcg_monitor *src);

/**
 * lcg_monitor_step() - advance over one event
 * @m:     the task's monitor; on a violation its state is unspecified but
 *         valid (enforce mode kills the task; complain mode calls
 *         lcg_monitor_resync())
 * @img:   a validated image
 * @event: the id the program passed in rdi: the program's choice, checked
 *         here
 *
 * Return: LCG_R_OK, or the reason of the violation.
 */
enum lcg_reason lcg_monitor_step(struct lcg_monitor *m, const struct lcg_image *img,
				 u32 event);

/**
 * lcg_monitor_resync() - complain mode: continue after a violation
 * @m:     the task's monitor
 * @img:   a validated image
 * @event: the event refused (the program's choice: an id the image does not
 *         know leaves @m as it is)
 *
 * The monitor goes on from every state that accepts @event (matching the
 * stack where the event is a POSTCALL), and the event's call may issue its
 * classes, as after an accepted event.
 */
void lcg_monitor_resync(struct lcg_monitor *m, const struct lcg_image *img, u32 event);

/**
 * lcg_monitor_pinned() - was the event issued from a place it was pinned to?
 * @img:    a validated image
 * @event:  the id the program passed (its choice)
 * @offset: the file offset of the syscall instruction that issued it
 *
 * A binary search: the validator checked each event's pins sorted, at most
 * LCG_MAX_EVENT_PINS.  In a pinned image an event without pins is never
 * accepted.  An image not marked LCG_IMG_PINNED (a policy not yet finalised)
 * accepts any offset: only the user-space tools run such images; lcg.ko
 * refuses them at load, so the check can never be switched off by a flag in
 * the image.
 *
 * Return: true when @offset is one of @event's pins, or the image is not
 * pinned.
 */
bool lcg_monitor_pinned(const struct lcg_image *img, u32 event, u64 offset);

/**
 * lcg_monitor_enter_program() - the program's entry point ran
 * @m: the task's monitor
 *
 * Start-up (the dynamic loader's work, unchecked) is over.  An accepted
 * event implies it.
 */
void lcg_monitor_enter_program(struct lcg_monitor *m);

/* Has the program's own code started (start-up over)? */
static inline bool lcg_monitor_entered(const struct lcg_monitor *m)
{
	return m->flags & LCG_MON_ENTERED;
}

/**
 * lcg_monitor_armed() - the sensitive classes the task may issue now
 * @m: the task's monitor
 *
 * Return: the classes the last event armed, and those of every context an
 * asynchronous entry interrupted (a callback returns into its libc call
 * without an event), as a mask of LCG_SC_BIT().
 */
u32 lcg_monitor_armed(const struct lcg_monitor *m);

/**
 * lcg_monitor_wants_origin() - does lcg_monitor_syscall() need to know where
 * the call comes from?
 * @m:   the task's monitor
 * @img: a validated image
 *
 * Callers look the address up (in_text, offset) only when it does.
 *
 * Return: true after start-up, in a pinned image of a dynamically linked
 * program.
 */
static inline bool lcg_monitor_wants_origin(const struct lcg_monitor *m,
					    const struct lcg_image *img)
{
	return lcg_monitor_entered(m) &&
	       (img->hdr->flags & (LCG_IMG_PINNED | LCG_IMG_STATIC)) == LCG_IMG_PINNED;
}

/**
 * lcg_monitor_syscall() - may the task issue a sensitive system call now?
 * @m:       the task's monitor (not changed)
 * @img:     a validated image
 * @cls:     LCG_SC_BIT() of the call's class (pda/sensitive.h); 0: not sensitive
 * @in_text: the syscall instruction lies in the program's own text ...
 * @offset:  ... at this file offset
 *
 * Before the program's entry point ran everything is allowed.  Then a call
 * from the program's text must be at a raw system call the analysis pinned
 * (unless the image is statically linked, where libc's code is the
 * program's text), and its class must be armed.
 *
 * Return: LCG_R_OK, LCG_R_ORIGIN or LCG_R_UNARMED.
 */
enum lcg_reason lcg_monitor_syscall(const struct lcg_monitor *m, const struct lcg_image *img,
				    u32 cls, bool in_text, u64 offset);

/**
 * lcg_monitor_signal_enter() - a signal handler is about to run
 * @m: the task's monitor
 *
 * The handler starts with nothing armed, and the interrupted classes are
 * kept for its return.  At LCG_SIGNAL_MAX nested handlers the deeper ones'
 * classes are not kept.
 */
void lcg_monitor_signal_enter(struct lcg_monitor *m);

/**
 * lcg_monitor_signal_return() - the task called rt_sigreturn
 * @m: the task's monitor
 *
 * The interrupted code resumes with the classes it had armed (and its last
 * event, for log lines).  A return without a recorded handler
 * (sigreturn-oriented programming, or nesting beyond LCG_SIGNAL_MAX) arms
 * nothing.
 */
void lcg_monitor_signal_return(struct lcg_monitor *m);

/**
 * lcg_monitor_allowed() - the events the monitor would accept now
 * @m:   the task's monitor (not changed)
 * @img: a validated image
 * @out: filled with the events, sorted and distinct
 * @max: the room in @out
 *
 * For reports and precision measurement; not used on the kernel's event
 * path.
 *
 * Return: how many events are allowed (may exceed @max).
 */
u32 lcg_monitor_allowed(const struct lcg_monitor *m, const struct lcg_image *img,
			u32 *out, u32 max);

/**
 * lcg_reason_str() - a short, stable name for a reason, for log lines
 * @r: the reason
 *
 * Return: a static string; "invalid" when @r is out of range.
 */
const char *lcg_reason_str(enum lcg_reason r);

#endif /* LCG_MONITOR_H */
