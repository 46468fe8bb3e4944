/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.h - the numbers of the evaluation report: order statistics of
 * repeated timings, per-round ratios to a baseline build, the throughput
 * score of mbed TLS's benchmark program, and the accounting of lcg-trace
 * records (events, false alarms).  The command-line front end is
 * lcg-evalstats (evalstats.c); the unit tests are tests/unit/test_eval_stats.c.
 *
 * A rounds file (eval/lib/rounds) has one line per timed run:
 *   WORKLOAD VARIANT ROUND POSITION SECONDS SCORE STATUS
 * tab-separated, with a header line starting with "workload".  ROUND 0 is
 * the warm-up (never counted), STATUS ok, failed, timeout or skipped; SCORE
 * is a throughput (higher is better) or "-", SECONDS "-" when not ok.
 */
#ifndef LCG_REPORT_STATS_H
#define LCG_REPORT_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Order statistics of a sample (n >= 1). */
struct spread {
	size_t n;
	double min, q1, median, q3, max;
};

/*
 * stats_quantile() - the @q quantile (0..1) of @sorted[0..n), n >= 1, by
 * linear interpolation between closest ranks (Hyndman and Fan's type 7, the
 * default of R and NumPy): the median of an even sample is the mean of the
 * middle two.
 */
double stats_quantile(const double *sorted, size_t n, double q);

/* stats_spread() - sort @v[0..n) in place and describe it.  -1 if n == 0. */
int stats_spread(double *v, size_t n, struct spread *s);

/*
 * stats_ratio() - the cost of a run against the baseline run of its round:
 * seconds / base_seconds, or, when both runs have a score (a throughput),
 * base_score / score.  NAN when a needed value is not positive.
 */
double stats_ratio(double base_seconds, double seconds, double base_score, double score);

enum run_status { RUN_OK, RUN_FAILED, RUN_TIMEOUT, RUN_SKIPPED };

struct run {
	char workload[64], variant[64];
	int round, position;
	double seconds, score;	/* NAN when "-" */
	enum run_status status;
};

/*
 * run_parse() - one line of a rounds file into @r.  Return 0, 1 for the
 * header line, or -1 with the reason in @err (which field, what it holds).
 */
int run_parse(const char *line, struct run *r, char *err, size_t errlen);

/* One line of the summary: a variant of a workload against the baseline. */
struct summary {
	char workload[64], variant[64];
	size_t ok, failed, timeout, skipped;	/* counted runs (warm-up excluded) */
	size_t pairs;				/* rounds with a ratio */
	struct spread ratio;			/* valid when pairs > 0 */
	struct spread seconds;			/* valid when ok > 0 */
	bool by_score;				/* the ratios compare scores */
};

/*
 * stats_summarise() - for every (workload, variant) of @runs, in order of
 * first appearance: its counts, the spread of its seconds, and of its
 * ratio to @baseline's run of the same workload and round (the baseline's
 * own line has ratio 1 in every round it completed).  Warm-up rounds
 * (round 0) are not counted; a run that is not ok never gives a time or a
 * ratio.  Return the number of summaries written to *@out (malloc'd), or
 * -1 when out of memory.
 */
long stats_summarise(const struct run *runs, size_t n, const char *baseline,
		     struct summary **out);

/*
 * stats_rates_score() - the geometric mean of the throughputs in mbed TLS
 * benchmark's output @text: on each line holding a ':', the first number
 * followed by a unit ending in "/s" ("KiB/s", "ops/s", "handshake/s",
 * optionally with a trailing comma).  NAN when there is none.
 */
double stats_rates_score(const char *text);

/* The accounting of lcg-trace records (docs/lcg-trace.md, "The record"). */
struct trace_count {
	unsigned long long events;		/* event lines */
	unsigned long long refused_events;	/* verdict not ok/unmonitored/unchecked */
	unsigned long long syscalls;		/* "# syscall" lines */
	unsigned long long refused_syscalls;	/* verdict not ok/start-up */
	unsigned long long processes;		/* "# exec ... monitored" lines */
};

/*
 * trace_count_line() - add one record line to @c.  Return 0, or -1 when the
 * line is neither a comment nor an event line (fewer than 9 fields).
 */
int trace_count_line(struct trace_count *c, const char *line);

/* trace_count_file() - every line of @f; -1 (and the line number) on a bad line. */
int trace_count_file(struct trace_count *c, FILE *f, unsigned long *bad_line);

#endif
