// SPDX-License-Identifier: GPL-2.0
/*
 * lto_plugin.c - what lcg-plugin.so does with the merged module of a link:
 * read lcg-cc's request from the environment, analyse and instrument the
 * module, write the (not yet finalised) policy and the DOT graphs where
 * lcg-cc asked, and report the outcome in the status file.  lcg-cc finalises
 * the policy once lld has written the binary.
 *
 * This runs inside ld.lld: it never exits and never aborts; a failure is
 * reported through the status file and lcg-cc fails the link.
 */
#include "analysis/lto_plugin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyze.h"

struct lto_request {
	const char *output;
	const char *policy;
	const char *dot;
	const char *status;
	bool verbose;
	struct lcg_analysis_opts opts;
};

static void write_status(const char *path, const char *word, const char *message)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "lcg-plugin: cannot write status file %s: %s\n", path,
			strerror(errno));
		return;
	}
	fprintf(f, "%s\n%s", word, message ? message : "");
	if (fclose(f))
		fprintf(stderr, "lcg-plugin: cannot write status file %s: %s\n", path,
			strerror(errno));
}

/* Read the request; false (with @err set) when it is incomplete or invalid. */
static bool read_request(struct lto_request *rq, char *err, size_t errlen)
{
	const char *mode = getenv(LCG_LTO_ENV_MODE);
	const char *events = getenv(LCG_LTO_ENV_EVENTS);
	const char *budget = getenv(LCG_LTO_ENV_BUDGET);

	rq->output = getenv(LCG_LTO_ENV_OUTPUT);
	rq->policy = getenv(LCG_LTO_ENV_POLICY);
	rq->dot = getenv(LCG_LTO_ENV_DOT);
	rq->verbose = getenv(LCG_LTO_ENV_VERBOSE) != NULL;
	lcg_analysis_opts_default(&rq->opts);
	rq->opts.instrument = true;
	rq->opts.warnings = stderr;
	rq->opts.model_path = getenv(LCG_LTO_ENV_MODEL);
	if (mode && !(rq->opts.mode = lcg_mode_parse(mode))) {
		snprintf(err, errlen, "%s=%s: expected pda or nfa", LCG_LTO_ENV_MODE, mode);
		return false;
	}
	if (events && !(rq->opts.event_set = lcg_event_set_parse(events))) {
		snprintf(err, errlen, "%s=%s: expected effects, syscalls or all-libc",
			 LCG_LTO_ENV_EVENTS, events);
		return false;
	}
	if (budget) {
		char *end;
		unsigned long v = strtoul(budget, &end, 10);

		/* 0 is allowed: no pasted copies, the plain call-graph NFA */
		if (*budget < '0' || *budget > '9' || *end || v > 0xffffffffu) {
			snprintf(err, errlen, "%s=%s: expected a number of states",
				 LCG_LTO_ENV_BUDGET, budget);
			return false;
		}
		rq->opts.inline_budget = (u32)v;
	}
	if (!rq->output || !rq->policy || !rq->dot) {
		snprintf(err, errlen, "%s, %s or %s is not set", LCG_LTO_ENV_OUTPUT,
			 LCG_LTO_ENV_POLICY, LCG_LTO_ENV_DOT);
		return false;
	}
	return true;
}

static bool defines_main(LLVMModuleRef m)
{
	LLVMValueRef f = LLVMGetNamedFunction(m, "main");

	return f && !LLVMIsDeclaration(f);
}

/* Analyse, instrument and write the outputs; -1 with @err on failure. */
static int analyse(LLVMModuleRef m, const struct lto_request *rq, char *err, size_t errlen)
{
	struct lcg_policy p;
	struct lcg_analysis_stats st;
	int ret = -1;

	memset(&st, 0, sizeof(st));
	if (lcg_analyze_module(m, &rq->opts, &p, &st, err, errlen))
		return -1;
	if (!p.program && !(p.program = strdup(rq->output))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (lcg_policy_write(&p, rq->policy, err, errlen) ||
	    lcg_dot_write_dir(&p, rq->dot, err, errlen))
		goto out;
	if (rq->verbose) {
		fprintf(stderr, "lcg-cc: analysis of %s (%s mode, %s events):\n", rq->output,
			lcg_mode_name(rq->opts.mode), lcg_event_set_name(rq->opts.event_set));
		lcg_analysis_stats_print(stderr, &st, false);
	}
	ret = 0;
out:
	lcg_analysis_stats_free(&st);
	lcg_policy_free(&p);
	return ret;
}

/* Code generation must not see KCFI's checks (analysis/kcfi.c). */
static bool strip_kcfi(LLVMModuleRef m)
{
	char err[256];

	if (lcg_kcfi_strip(m, err, sizeof(err)))
		fprintf(stderr, "lcg-plugin: %s\n", err);
	return true;
}

bool lcg_lto_run(LLVMModuleRef m)
{
	struct lto_request rq;
	char err[1024];

	if (getenv(LCG_LTO_ENV_STRIP_ONLY))
		return strip_kcfi(m);
	rq.status = getenv(LCG_LTO_ENV_STATUS);
	if (!rq.status) {
		fprintf(stderr, "lcg-plugin: warning: %s is not set: this plugin only works "
			"inside a link run by lcg-cc; the program is left uninstrumented\n",
			LCG_LTO_ENV_STATUS);
		return strip_kcfi(m);
	}
	if (!read_request(&rq, err, sizeof(err))) {
		write_status(rq.status, LCG_LTO_ST_ERROR, err);
		return false;
	}
	if (!defines_main(m)) {
		write_status(rq.status, LCG_LTO_ST_NO_MAIN, NULL);
		return strip_kcfi(m);
	}
	if (analyse(m, &rq, err, sizeof(err))) {
		write_status(rq.status, LCG_LTO_ST_ERROR, err);
		return true;	/* the module may be half-instrumented: lcg-cc drops the binary */
	}
	write_status(rq.status, LCG_LTO_ST_POLICY, NULL);
	return true;
}
