/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compile.h - from the analysis' automaton to the one the monitor runs.
 *
 * lcg_compile() adds the dispatcher procedure (proc 0): a root state with
 * epsilon edges to main, a thread state to every thread entry, an async state
 * to every asynchronous entry, and one state per call site to its callees.
 * It then folds epsilon closures into the edges (so the monitor never
 * computes a closure), drops unreachable states, and determinises every
 * procedure whose subset construction stays within LCG_DFA_FACTOR times its
 * size, so that its step is a single lookup.
 */
#ifndef LCG_COMPILE_H
#define LCG_COMPILE_H

#include "automaton.h"

struct lcg_compiled {
	struct lcg_automaton aut;	/* epsilon-free; proc 0 is the dispatcher */
	u32 root_state;
	u32 thread_state;		/* LCG_NONE without thread entries */
	u32 async_state;		/* LCG_NONE without asynchronous entries */
	u32 n_sites;			/* = input sites */
	u32 *site_ret;			/* caller state after each site returns */
	u32 *site_dispatch;		/* dispatcher state of each site, or LCG_NONE */
	u32 n_deterministic;		/* procedures that were determinised */
};

/*
 * lcg_compile() - return 0, or -1 with *@err set to a static message.
 * @in must pass lcg_aut_check().
 * Input procedure i becomes procedure i + 1 of the output.  @dfa_factor is
 * normally LCG_DFA_FACTOR; 0 keeps every procedure an epsilon-free NFA.
 */
int lcg_compile(const struct lcg_automaton *in, u32 dfa_factor, struct lcg_compiled *out,
		const char **err);
void lcg_compiled_free(struct lcg_compiled *c);

#endif /* LCG_COMPILE_H */
