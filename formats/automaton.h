/* SPDX-License-Identifier: GPL-2.0 */
/*
 * automaton.h - the policy automaton as the analysis builds it.
 *
 * States are numbered globally; each belongs to one procedure.  Edges carry an
 * event id, or 0 for epsilon.  A call edge also names its call site: in PDA
 * mode it is labelled with the site's PRECALL id (or, for a setjmp site, its
 * POSTCALL id); in the per-procedure graphs of NFA mode it is an epsilon edge
 * that the inliner replaces with the callee's graph.  This is a user-space
 * structure: the kernel only ever sees the compiled image (pda/image.h).
 *
 * Allocation failures are sticky: every adder returns LCG_NONE and sets
 * ->oom, so a builder checks once at the end.
 */
#ifndef LCG_AUTOMATON_H
#define LCG_AUTOMATON_H

#include "../pda/image.h"

/* procedure roles (a procedure may have several) */
#define LCG_AP_MAIN 0x01u		/* entered at program start */
#define LCG_AP_SIGNAL_HANDLER 0x02u	/* installed with signal/sigaction */
#define LCG_AP_EXIT_HANDLER 0x04u	/* atexit, on_exit, destructor */
#define LCG_AP_CONSTRUCTOR 0x08u	/* global constructor */
#define LCG_AP_LIBC_CALLBACK 0x10u	/* called back by libc (qsort, bsearch, ...) */
#define LCG_AP_THREAD_ENTRY 0x20u	/* pthread_create start routine */
#define LCG_AP_ADDRESS_TAKEN 0x40u	/* possible target of indirect calls */
#define LCG_AP_ALL 0x7fu
/* roles the monitor lets start at any point */
#define LCG_AP_ASYNC (LCG_AP_SIGNAL_HANDLER | LCG_AP_EXIT_HANDLER | \
		      LCG_AP_CONSTRUCTOR | LCG_AP_LIBC_CALLBACK)

/* State and site flags are the image's (pda/image.h): compiling copies them. */
struct lcg_state {
	u32 proc;
	u32 flags;	/* LCG_STATE_EXIT */
};

struct lcg_edge {
	u32 from;
	u32 to;
	u32 event;	/* 0: epsilon */
	u32 site;	/* call site of a call edge, else LCG_NONE */
};

struct lcg_proc {
	char *name;
	u32 entry;
	u32 flags;	/* LCG_AP_* */
};

struct lcg_site {
	u32 caller;
	u32 from, to;		/* the call edge in the caller */
	u32 pre_event;		/* PDA: PRECALL id (0 for setjmp sites); NFA: 0 */
	u32 post_event;		/* PDA: POSTCALL id; NFA: 0 */
	u32 *callees;
	u32 n_callees;
	u32 flags;		/* LCG_SITE_SETJMP */
};

struct lcg_automaton {
	struct lcg_state *states;
	struct lcg_edge *edges;
	struct lcg_proc *procs;
	struct lcg_site *sites;
	u32 n_states, n_edges, n_procs, n_sites;
	u32 cap_states, cap_edges, cap_procs, cap_sites;
	bool oom;
};

void lcg_aut_init(struct lcg_automaton *a);
void lcg_aut_free(struct lcg_automaton *a);

/* A new procedure with a fresh entry state; returns its index. */
u32 lcg_aut_add_proc(struct lcg_automaton *a, const char *name, u32 flags);
u32 lcg_aut_add_state(struct lcg_automaton *a, u32 proc);
void lcg_aut_set_exit(struct lcg_automaton *a, u32 state);
u32 lcg_aut_add_edge(struct lcg_automaton *a, u32 from, u32 to, u32 event, u32 site);
/* Copies @callees. */
u32 lcg_aut_add_site(struct lcg_automaton *a, const struct lcg_site *site);

/*
 * lcg_site_edge_placed() - may @e, an edge naming @s, stand where it does?
 * It is the site's call edge, or a copy of a setjmp site's return edge
 * labelled with its POSTCALL (the function holding the setjmp pasted into
 * another procedure).
 */
static inline bool lcg_site_edge_placed(const struct lcg_site *s, const struct lcg_edge *e)
{
	return (s->from == e->from && s->to == e->to) ||
	       ((s->flags & LCG_SITE_SETJMP) && e->event == s->post_event);
}

/* The event a labelled call edge of @s carries: its PRECALL, or a setjmp site's POSTCALL. */
static inline u32 lcg_site_call_event(const struct lcg_site *s)
{
	return s->pre_event ? s->pre_event : s->post_event;
}

/*
 * lcg_aut_check() - the automaton's structure, the one checker of it: counts
 * within pda/limits.h, every index in range, known flags, edges inside their
 * procedure, call edges where their site is and, when labelled, carrying its
 * event.  Return 0, or -1 with a message in @err naming the field under
 * @name ("graphs.edges[3].to: 99 is out of range (12 states)").
 * lcg_policy_check() adds the rules that involve the policy's events.
 */
int lcg_aut_check(const struct lcg_automaton *a, const char *name, char *err, size_t errlen);

#endif /* LCG_AUTOMATON_H */
