/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lto_plugin.h - the request lcg-cc hands to its pass plugin, and the
 * plugin's entry point.
 *
 * lcg-cc cannot talk to a pass that runs inside lld, three processes down
 * (lcg-cc -> clang -> ld.lld), except through the environment it passes on.
 * It sets the variables below for the link only; the plugin answers through
 * the status file, whose first line is one of the LCG_LTO_ST_* words and, for
 * an error, whose rest is the message.
 */
#ifndef LCG_LTO_PLUGIN_H
#define LCG_LTO_PLUGIN_H

#include <stdbool.h>
#include <llvm-c/Core.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LCG_LTO_ENV_OUTPUT "LCG_LTO_OUTPUT"	/* the program being linked */
#define LCG_LTO_ENV_POLICY "LCG_LTO_POLICY"	/* where to write the policy */
#define LCG_LTO_ENV_DOT "LCG_LTO_DOT"		/* directory for the DOT files */
#define LCG_LTO_ENV_STATUS "LCG_LTO_STATUS"	/* where to write the status */
#define LCG_LTO_ENV_MODE "LCG_LTO_MODE"		/* pda | nfa */
#define LCG_LTO_ENV_EVENTS "LCG_LTO_EVENTS"	/* effects | syscalls | all-libc */
#define LCG_LTO_ENV_BUDGET "LCG_LTO_BUDGET"	/* NFA inline budget (states) */
#define LCG_LTO_ENV_MODEL "LCG_LTO_MODEL"	/* libc model file; unset: built-in */
#define LCG_LTO_ENV_VERBOSE "LCG_LTO_VERBOSE"	/* set: print the analysis statistics */
#define LCG_LTO_ENV_STRIP_ONLY "LCG_LTO_STRIP_ONLY"	/* set: no program, only remove KCFI */

#define LCG_LTO_ST_POLICY "policy"	/* analysed and instrumented, policy written */
#define LCG_LTO_ST_NO_MAIN "no-main"	/* not a program: left alone */
#define LCG_LTO_ST_ERROR "error"	/* analysis failed: the link must fail */

/*
 * lcg_lto_run() - analyse and instrument the merged module of a full-LTO
 * link as the environment asks.  Return true when @m was changed.
 */
bool lcg_lto_run(LLVMModuleRef m);

#ifdef __cplusplus
}
#endif

#endif /* LCG_LTO_PLUGIN_H */
