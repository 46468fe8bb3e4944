// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-trace - record a program's lcg events in user space and check them,
 * and its sensitive system calls, against its policy, for tests and policy
 * debugging (never as the enforcement: that is lcg.ko).  docs/lcg-trace.md
 * is the manual.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "record.h"
#include "report.h"
#include "tracer.h"

/* lcg-trace could not run the command at all (bad usage, unusable policy). */
#define EXIT_USAGE 2

struct options {
	const char *policy;
	const char *record;
	bool complain;
	bool json;
	char **argv;
};

static void usage(FILE *f)
{
	fputs("usage: lcg-trace [--policy POLICY [--complain]] [--record FILE [--json]] -- COMMAND [ARG]...\n"
	      "\n"
	      "Run COMMAND and follow it (forks, vforks, threads, execs), stopping it at lcg\n"
	      "events (the dummy system call an lcg-instrumented program makes before each\n"
	      "monitored library call) and at sensitive system calls (exec, delete, write, ...).\n"
	      "A testing and policy-debugging tool; lcg.ko enforces.\n"
	      "\n"
	      "  -p, --policy POLICY  check every event of the policy's program (policy.cbor from\n"
	      "                       lcg-cc or lcg-analyze) with the same automaton code as the\n"
	      "                       kernel, and every sensitive system call against the classes\n"
	      "                       the last event armed; at a violation kill the whole program\n"
	      "                       before the call runs, explain it on stderr and exit 125\n"
	      "  -c, --complain       report violations, resynchronise and go on; print a summary\n"
	      "  -o, --record FILE    write every event to FILE, one line each (and lines\n"
	      "                       starting with '#': lifecycle, sensitive system calls);\n"
	      "                       without --policy and --record, events go to stderr\n"
	      "  -j, --json           write the record as JSON lines\n"
	      "  -h, --help           show this help\n"
	      "\n"
	      "Processes that exec another program than the policy's are recorded, not checked.\n"
	      "\n"
	      "Exit status: COMMAND's own (128+N when signal N killed it); 125 after a violation;\n"
	      "126 or 127 when COMMAND cannot be executed or found; 2 when lcg-trace failed.\n"
	      "Record format and examples: lcg-trace(1), docs/lcg-trace.md in the source\n", f);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "complain", no_argument, NULL, 'c' },
		{ "record", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	/* "+": options end at the command, whose own options stay its own. */
	while ((ch = getopt_long(argc, argv, "+p:co:jh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			o->policy = optarg;
			break;
		case 'c':
			o->complain = true;
			break;
		case 'o':
			o->record = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind >= argc) {
		fputs("lcg-trace: no command given: put it after '--', e.g. "
		      "lcg-trace --policy prog.lcg.cbor -- ./prog\n", stderr);
		return -1;
	}
	if (o->complain && !o->policy) {
		fputs("lcg-trace: --complain needs --policy (without a policy nothing is checked)\n",
		      stderr);
		return -1;
	}
	o->argv = argv + optind;
	return 0;
}

static void report_end(const struct checker *c)
{
	if (!c->enabled)
		return;
	if (c->processes == 0)
		fprintf(stderr, "lcg-trace: warning: the policy's program (%s) never ran: "
			"nothing was checked\n", c->policy.program ? c->policy.program : "?");
	else if (c->complain)
		report_summary(c);
}

int main(int argc, char **argv)
{
	struct options o;
	struct checker checker = { 0 };
	struct recorder rec;
	struct tracer tr = { 0 };
	int status;

	if (parse_options(argc, argv, &o) != 0)
		return EXIT_USAGE;
	if (o.policy && checker_load(&checker, o.policy, o.complain) != 0) {
		checker_free(&checker);
		return EXIT_USAGE;
	}
	if (recorder_open(&rec, o.record, o.json, !o.policy) != 0) {
		checker_free(&checker);
		return EXIT_USAGE;
	}
	tr.checker = &checker;
	tr.rec = &rec;
	status = tracer_run(&tr, o.argv);
	if (recorder_close(&rec, true) != 0 && status == 0)
		status = EXIT_USAGE;
	report_end(&checker);
	checker_free(&checker);
	return status;
}
