// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-precision - how much each policy model constrains a program along its
 * recorded runs, and which staged attacks each model catches.  The models,
 * the sampling of measurement points and the attacks are described in
 * replay.h (the accounting, unit-tested in tests/unit/test_eval_replay.c); this file
 * reads the options, loads the policies and prints the results.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

struct options {
	const char *pda, *nfa, *cgnfa, *program;
	size_t max_positions;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lcg-precision --pda POLICY --nfa POLICY --cgnfa POLICY [--program NAME]\n"
		"                     [--max-positions N] TRACE...\n\n"
		"Replay lcg-trace records of a program's PDA build (TRACE: `lcg-trace --record`)\n"
		"against five models -- allow-list, digraph, call-graph NFA (POLICY from\n"
		"--inline-budget=0 or 1), inlined NFA, Dyck PDA -- and print, as tab-separated\n"
		"lines, the average branching factor of each model and the staged attacks each\n"
		"catches.  The three policies must come from the same program and event set.\n"
		"An NFA policy whose image cannot be built is reported as \"-\" (with the reason\n"
		"on stderr), as is the digraph when the call-graph NFA is missing.\n\n"
		"  --pda POLICY          the PDA policy the traces were recorded with\n"
		"  --nfa POLICY          the inlined NFA policy\n"
		"  --cgnfa POLICY        the call-graph NFA policy\n"
		"  --program NAME        the name in the output (default: the PDA policy's program)\n"
		"  --max-positions N     measure at most N points over all traces (default 20000)\n"
		"  -h, --help            this text\n\n"
		"Output lines:\n"
		"  branching PROGRAM TRACES EVENTS LIBCALLS POSITIONS ALLOW DIGRAPH CGNFA NFA PDA\n"
		"            REPLAY_FAILURES\n"
		"  attack PROGRAM KIND ATTEMPTS ALLOW DIGRAPH CGNFA NFA PDA   (caught per model)\n"
		"  model PROGRAM pda|nfa|cgnfa IMAGE_BYTES STATES EDGES PROCS LIBCALL_SITES\n"
		"Exit status: 0 success, 1 error, 2 usage error.\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "pda", required_argument, NULL, 'p' },
		{ "nfa", required_argument, NULL, 'n' },
		{ "cgnfa", required_argument, NULL, 'c' },
		{ "program", required_argument, NULL, 'P' },
		{ "max-positions", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	o->max_positions = 20000;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->pda = optarg; break;
		case 'n': o->nfa = optarg; break;
		case 'c': o->cgnfa = optarg; break;
		case 'P': o->program = optarg; break;
		case 'm':
			o->max_positions = strtoul(optarg, NULL, 10);
			if (!o->max_positions) {
				fprintf(stderr, "lcg-precision: --max-positions %s: expected a "
					"number of points, 1 or more\n", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return 2;
		}
	}
	if (!o->pda || !o->nfa || !o->cgnfa || optind == argc) {
		fprintf(stderr, "lcg-precision: --pda, --nfa, --cgnfa and at least one trace "
			"are required\n");
		usage(stderr);
		return 2;
	}
	return 0;
}

static int eval_init(struct eval *ev, const struct options *o)
{
	memset(ev, 0, sizeof(*ev));
	if (model_load(&ev->pda, o->pda))
		return -1;
	/* An NFA whose image cannot be built is reported as missing, not fatal. */
	ev->have_nfa = !model_load(&ev->nfa, o->nfa);
	ev->have_cg = !model_load(&ev->cg, o->cgnfa);
	return eval_setup(ev);
}

static void print_model(const char *program, const char *name, const struct model *md,
			bool have)
{
	if (!have) {
		printf("model\t%s\t%s\t-\t-\t-\t-\t-\n", program, name);
		return;
	}
	printf("model\t%s\t%s\t%zu\t%u\t%u\t%u\t%u\n", program, name, md->image_len,
	       md->img.n_states, md->img.n_edges, md->img.n_procs, md->n_libcalls);
}

static void print_results(const struct eval *ev, const char *program)
{
	double n = ev->positions ? (double)ev->positions : 1.0;

	print_model(program, "pda", &ev->pda, true);
	print_model(program, "nfa", &ev->nfa, ev->have_nfa);
	print_model(program, "cgnfa", &ev->cg, ev->have_cg);

	printf("branching\t%s\t%llu\t%llu\t%llu\t%llu", program,
	       (unsigned long long)ev->traces, (unsigned long long)ev->events,
	       (unsigned long long)ev->libcalls, (unsigned long long)ev->positions);
	for (int m = 0; m < M_COUNT; m++)
		if (eval_measured(ev, m))
			printf("\t%.2f", ev->branching[m] / n);
		else
			printf("\t-");
	printf("\t%llu\n", (unsigned long long)ev->replay_failures);
	for (int a = 0; a < A_COUNT; a++) {
		printf("attack\t%s\t%s\t%llu", program, attack_names[a],
		       (unsigned long long)ev->attempts[a]);
		for (int m = 0; m < M_COUNT; m++)
			if (eval_measured(ev, m))
				printf("\t%llu", (unsigned long long)ev->caught[a][m]);
			else
				printf("\t-");
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct eval ev;
	int n_traces, rc = parse_options(argc, argv, &o);

	if (rc)
		return rc;
	if (eval_init(&ev, &o)) {
		eval_free(&ev);
		return 1;
	}
	n_traces = argc - optind;
	for (int i = optind; i < argc && !rc; i++) {
		struct trace t;

		if (trace_read(&t, argv[i])) {
			rc = 1;
			break;
		}
		if (eval_replay_trace(&ev, &t, eval_budget_per_trace(o.max_positions, n_traces))) {
			fprintf(stderr, "lcg-precision: out of memory replaying %s\n", argv[i]);
			rc = 1;
		}
		trace_free(&t);
	}
	if (!rc)
		print_results(&ev, o.program ? o.program : ev.pda.policy.program);
	eval_free(&ev);
	return rc;
}
