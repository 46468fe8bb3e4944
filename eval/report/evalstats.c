// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-evalstats - the numbers of the evaluation report, computed in C so that
 * they are unit-tested (stats.h): medians and spreads of repeated timings,
 * ratios to the baseline build of the same round, mbed TLS benchmark scores,
 * and the events and false alarms of lcg-trace records.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats.h"
#include "pda/abi.h"
#include "formats/grow.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lcg-evalstats summary [--baseline NAME] ROUNDS.tsv...\n"
		"       lcg-evalstats spread VALUE...\n"
		"       lcg-evalstats score FILE\n"
		"       lcg-evalstats trace-count RECORD...\n"
		"       lcg-evalstats event-cost\n\n"
		"summary      per workload and variant of rounds files (eval/lib/rounds): counts\n"
		"             of ok / failed / timed-out / skipped runs (the warm-up, round 0, left\n"
		"             out), the spread of the ratio to the baseline run of the same round\n"
		"             (default baseline: plain) and of the seconds.  One line each:\n"
		"             WORKLOAD VARIANT OK FAILED TIMEOUT SKIPPED PAIRS BY RATIO_MEDIAN\n"
		"             RATIO_MIN RATIO_Q1 RATIO_Q3 RATIO_MAX SECONDS_MEDIAN SECONDS_MIN\n"
		"             SECONDS_MAX BASELINE_SECONDS_MEDIAN   (BY: seconds or score; '-'\n"
		"             where there is no value)\n"
		"spread       N MIN Q1 MEDIAN Q3 MAX of the numbers given\n"
		"score        the geometric mean of the throughputs in mbed TLS benchmark's output\n"
		"trace-count  over lcg-trace records: RECORDS PROCESSES EVENTS REFUSED_EVENTS\n"
		"             SYSCALLS REFUSED_SYSCALLS (refused: a false alarm in a legitimate run)\n"
		"event-cost   microseconds per dummy system call on this machine, issued as\n"
		"             instrumented programs issue it, from a process lcg does not\n"
		"             monitor: the floor of an event's cost (the median of 5 batches\n"
		"             of 200,000, after a warm-up batch)\n"
		"Quantiles interpolate linearly between closest ranks (the median of an even\n"
		"sample is the mean of the middle two).  Exit status: 0, 1 on bad input, 2 usage.\n");
}

static void print_value(double v)
{
	if (isnan(v))
		printf("\t-");
	else
		printf("\t%.4f", v);
}

/* Append the runs of @path to *@runs. */
static int read_rounds(const char *path, struct run **runs, size_t *n, size_t *cap)
{
	FILE *f = fopen(path, "r");
	char line[512], err[256];
	unsigned long lineno = 0;

	if (!f) {
		fprintf(stderr, "lcg-evalstats: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct run r;
		int rc;

		lineno++;
		rc = run_parse(line, &r, err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "lcg-evalstats: %s:%lu: %s; fix or remove the line "
				"(eval/lib/rounds writes this file)\n", path, lineno, err);
			fclose(f);
			return -1;
		}
		if (rc)
			continue;
		if (!lcg_grow((void **)runs, cap, *n + 1, sizeof(**runs), SIZE_MAX)) {
			fclose(f);
			fprintf(stderr, "lcg-evalstats: out of memory\n");
			return -1;
		}
		(*runs)[(*n)++] = r;
	}
	fclose(f);
	return 0;
}

static double baseline_seconds(const struct summary *s, long n, const char *workload,
			       const char *baseline)
{
	for (long i = 0; i < n; i++)
		if (!strcmp(s[i].workload, workload) && !strcmp(s[i].variant, baseline) && s[i].ok)
			return s[i].seconds.median;
	return NAN;
}

static void print_summary(const struct summary *s, double base)
{
	printf("%s\t%s\t%zu\t%zu\t%zu\t%zu\t%zu\t%s", s->workload, s->variant, s->ok, s->failed,
	       s->timeout, s->skipped, s->pairs, s->by_score ? "score" : "seconds");
	if (s->pairs) {
		print_value(s->ratio.median);
		print_value(s->ratio.min);
		print_value(s->ratio.q1);
		print_value(s->ratio.q3);
		print_value(s->ratio.max);
	} else {
		printf("\t-\t-\t-\t-\t-");
	}
	print_value(s->ok ? s->seconds.median : NAN);
	print_value(s->ok ? s->seconds.min : NAN);
	print_value(s->ok ? s->seconds.max : NAN);
	print_value(base);
	printf("\n");
}

static int cmd_summary(int argc, char **argv)
{
	const char *baseline = "plain";
	struct run *runs = NULL;
	struct summary *s = NULL;
	size_t n = 0, cap = 0;
	long k;
	int i = 0;

	if (argc > 1 && !strcmp(argv[0], "--baseline")) {
		baseline = argv[1];
		i = 2;
	}
	if (i == argc) {
		usage(stderr);
		return 2;
	}
	for (; i < argc; i++)
		if (read_rounds(argv[i], &runs, &n, &cap)) {
			free(runs);
			return 1;
		}
	k = stats_summarise(runs, n, baseline, &s);
	if (k < 0) {
		fprintf(stderr, "lcg-evalstats: out of memory\n");
		free(runs);
		return 1;
	}
	for (long j = 0; j < k; j++)
		print_summary(&s[j], baseline_seconds(s, k, s[j].workload, baseline));
	free(s);
	free(runs);
	return 0;
}

static int cmd_spread(int argc, char **argv)
{
	double *v = malloc((argc ? argc : 1) * sizeof(double));
	struct spread s;

	if (!v || !argc) {
		free(v);
		fprintf(stderr, "lcg-evalstats: spread needs at least one number\n");
		return 2;
	}
	for (int i = 0; i < argc; i++) {
		char *end;

		v[i] = strtod(argv[i], &end);
		if (end == argv[i] || *end || !isfinite(v[i])) {
			fprintf(stderr, "lcg-evalstats: spread: '%s' is not a number\n", argv[i]);
			free(v);
			return 1;
		}
	}
	stats_spread(v, (size_t)argc, &s);
	printf("%zu\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", s.n, s.min, s.q1, s.median, s.q3, s.max);
	free(v);
	return 0;
}

static int cmd_score(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	double v;

	if (!f) {
		fprintf(stderr, "lcg-evalstats: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		text = strdup("");
	}
	fclose(f);
	v = text ? stats_rates_score(text) : NAN;
	free(text);
	if (isnan(v))
		printf("-\n");
	else
		printf("%.6g\n", v);
	return 0;
}

static int cmd_trace_count(int argc, char **argv)
{
	struct trace_count c = { 0 };

	for (int i = 0; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		unsigned long bad = 0;

		if (!f) {
			fprintf(stderr, "lcg-evalstats: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (trace_count_file(&c, f, &bad)) {
			fprintf(stderr, "lcg-evalstats: %s:%lu: not an lcg-trace record line "
				"(lcg-trace --record, text format)\n", argv[i], bad);
			fclose(f);
			return 1;
		}
		fclose(f);
	}
	printf("%d\t%llu\t%llu\t%llu\t%llu\t%llu\n", argc, c.processes, c.events,
	       c.refused_events, c.syscalls, c.refused_syscalls);
	return 0;
}

static double seconds_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Seconds for @n dummy system calls. */
static double time_events(long n)
{
	double t0 = seconds_now();

	for (long i = 0; i < n; i++)
		LCG_EVENT(1);
	return seconds_now() - t0;
}

static int cmd_event_cost(void)
{
	enum { BATCHES = 5, PER_BATCH = 200000 };
	double us[BATCHES];
	struct spread s;

	time_events(PER_BATCH);
	for (int i = 0; i < BATCHES; i++)
		us[i] = time_events(PER_BATCH) * 1e6 / PER_BATCH;
	stats_spread(us, BATCHES, &s);
	printf("%.4f\n", s.median);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "summary"))
		return cmd_summary(argc - 2, argv + 2);
	if (!strcmp(argv[1], "spread"))
		return cmd_spread(argc - 2, argv + 2);
	if (!strcmp(argv[1], "score") && argc == 3)
		return cmd_score(argv[2]);
	if (!strcmp(argv[1], "trace-count"))
		return cmd_trace_count(argc - 2, argv + 2);
	if (!strcmp(argv[1], "event-cost") && argc == 2)
		return cmd_event_cost();
	fprintf(stderr, "lcg-evalstats: unknown command or wrong arguments: %s\n", argv[1]);
	usage(stderr);
	return 2;
}
