// SPDX-License-Identifier: GPL-2.0
/*
 * The evaluation report's numbers (eval/report/stats.h): quantiles, the
 * per-round ratio to the baseline, the summary of rounds files (warm-up and
 * failed runs never counted as times), mbed TLS benchmark scores, and the
 * false-alarm accounting of lcg-trace records.
 */
#include <math.h>
#include <criterion/criterion.h>

#include "eval/report/stats.h"

Test(stats, median_of_an_odd_sample_is_its_middle)
{
	double v[] = { 5, 1, 4, 2, 3 };
	struct spread s;

	cr_assert_eq(stats_spread(v, 5, &s), 0);
	cr_assert_eq(s.n, 5);
	cr_assert_float_eq(s.median, 3, 1e-12);
	cr_assert_float_eq(s.min, 1, 1e-12);
	cr_assert_float_eq(s.max, 5, 1e-12);
	cr_assert_float_eq(s.q1, 2, 1e-12);
	cr_assert_float_eq(s.q3, 4, 1e-12);
	cr_assert_float_eq(v[0], 1, 1e-12, "sorted in place");
}

Test(stats, median_of_an_even_sample_is_the_mean_of_the_middle_two)
{
	double v[] = { 4, 1, 3, 2 };
	struct spread s;

	stats_spread(v, 4, &s);
	cr_assert_float_eq(s.median, 2.5, 1e-12);
	cr_assert_float_eq(s.q1, 1.75, 1e-12, "linear between ranks (type 7)");
	cr_assert_float_eq(s.q3, 3.25, 1e-12);
}

Test(stats, one_value_is_every_quantile)
{
	double v[] = { 7 };
	struct spread s;

	stats_spread(v, 1, &s);
	cr_assert_float_eq(s.min, 7, 1e-12);
	cr_assert_float_eq(s.q1, 7, 1e-12);
	cr_assert_float_eq(s.median, 7, 1e-12);
	cr_assert_float_eq(s.max, 7, 1e-12);
}

Test(stats, an_empty_sample_has_no_spread)
{
	struct spread s;

	cr_assert_eq(stats_spread(NULL, 0, &s), -1);
	cr_assert(isnan(stats_quantile(NULL, 0, 0.5)));
}

Test(stats, ratio_of_times_and_of_throughputs)
{
	cr_assert_float_eq(stats_ratio(2.0, 2.5, NAN, NAN), 1.25, 1e-12, "slower: above 1");
	cr_assert_float_eq(stats_ratio(2.0, 1.0, NAN, NAN), 0.5, 1e-12);
	cr_assert_float_eq(stats_ratio(9, 9, 300, 200), 1.5, 1e-12,
			   "a lower throughput is a cost above 1, whatever the seconds");
	cr_assert(isnan(stats_ratio(0, 1, NAN, NAN)), "no baseline time");
	cr_assert(isnan(stats_ratio(1, 1, 100, NAN)), "one score missing");
	cr_assert(isnan(stats_ratio(1, 1, 100, 0)), "a zero throughput");
}

Test(stats, rounds_lines_parse)
{
	struct run r;
	char err[256];

	cr_assert_eq(run_parse("workload\tvariant\tround\tposition\tseconds\tscore\tstatus\n",
			       &r, err, sizeof(err)), 1, "the header");
	cr_assert_eq(run_parse("tls\tpda-effects\t3\t2\t1.2500\t-\tok\n", &r, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_str_eq(r.workload, "tls");
	cr_assert_str_eq(r.variant, "pda-effects");
	cr_assert_eq(r.round, 3);
	cr_assert_eq(r.position, 2);
	cr_assert_float_eq(r.seconds, 1.25, 1e-12);
	cr_assert(isnan(r.score));
	cr_assert_eq(r.status, RUN_OK);
	cr_assert_eq(run_parse("lua\tpda\t1\t0\t-\t-\ttimeout", &r, err, sizeof(err)), 0);
	cr_assert_eq(r.status, RUN_TIMEOUT);
}

Test(stats, bad_rounds_lines_say_what_is_wrong)
{
	struct run r;
	char err[256];

	cr_assert_eq(run_parse("tls\tpda\t1\t0\t1.0\t-", &r, err, sizeof(err)), -1);
	cr_assert(strstr(err, "6 fields"), "%s", err);
	cr_assert_eq(run_parse("tls\tpda\t1\t0\t1.0\t-\tcrashed", &r, err, sizeof(err)), -1);
	cr_assert(strstr(err, "crashed"), "%s", err);
	cr_assert_eq(run_parse("tls\tpda\tone\t0\t1.0\t-\tok", &r, err, sizeof(err)), -1);
	cr_assert(strstr(err, "ROUND"), "%s", err);
	cr_assert_eq(run_parse("tls\tpda\t1\t0\t-\t-\tok", &r, err, sizeof(err)), -1,
		     "an ok run must have a time");
}

/* runs from "W V ROUND SECONDS STATUS" tuples */
static struct run mk(const char *w, const char *v, int round, double secs, double score,
		     enum run_status st)
{
	struct run r = { .round = round, .seconds = secs, .score = score, .status = st };

	strcpy(r.workload, w);
	strcpy(r.variant, v);
	return r;
}

static const struct summary *find(const struct summary *s, long n, const char *w, const char *v)
{
	for (long i = 0; i < n; i++)
		if (!strcmp(s[i].workload, w) && !strcmp(s[i].variant, v))
			return &s[i];
	cr_assert_fail("no summary for %s %s", w, v);
	return NULL;
}

Test(stats, summary_pairs_each_run_with_the_baseline_of_its_round)
{
	struct run runs[] = {
		mk("tls", "plain", 0, 9.0, NAN, RUN_OK),	/* warm-up: ignored */
		mk("tls", "pda", 0, 90.0, NAN, RUN_OK),
		mk("tls", "plain", 1, 1.0, NAN, RUN_OK),
		mk("tls", "pda", 1, 1.2, NAN, RUN_OK),
		mk("tls", "pda", 2, 2.2, NAN, RUN_OK),		/* rotated: before plain */
		mk("tls", "plain", 2, 2.0, NAN, RUN_OK),
		mk("tls", "plain", 3, 1.0, NAN, RUN_OK),
		mk("tls", "pda", 3, 1.3, NAN, RUN_OK),
	};
	struct summary *s;
	long n = stats_summarise(runs, 8, "plain", &s);
	const struct summary *p;

	cr_assert_eq(n, 2);
	p = find(s, n, "tls", "pda");
	cr_assert_eq(p->ok, 3, "the warm-up is not counted");
	cr_assert_eq(p->pairs, 3);
	cr_assert_float_eq(p->ratio.median, 1.2, 1e-12, "ratios 1.2, 1.1, 1.3");
	cr_assert_float_eq(p->ratio.min, 1.1, 1e-12);
	cr_assert_float_eq(p->ratio.max, 1.3, 1e-12);
	cr_assert_float_eq(p->seconds.median, 1.3, 1e-12);
	cr_assert_not(p->by_score);
	p = find(s, n, "tls", "plain");
	cr_assert_float_eq(p->ratio.median, 1.0, 1e-12, "the baseline against itself");
	cr_assert_float_eq(p->seconds.median, 1.0, 1e-12);
	free(s);
}

Test(stats, failed_runs_are_counted_never_timed)
{
	struct run runs[] = {
		mk("lua", "plain", 1, 1.0, NAN, RUN_OK),
		mk("lua", "pda", 1, NAN, NAN, RUN_FAILED),
		mk("lua", "plain", 2, NAN, NAN, RUN_FAILED),	/* no baseline: no ratio */
		mk("lua", "pda", 2, 1.5, NAN, RUN_OK),
		mk("lua", "plain", 3, 1.0, NAN, RUN_OK),
		mk("lua", "pda", 3, NAN, NAN, RUN_TIMEOUT),
		mk("lua", "plain", 4, 1.0, NAN, RUN_OK),
		mk("lua", "pda", 4, NAN, NAN, RUN_SKIPPED),
		mk("lua", "plain", 5, 1.0, NAN, RUN_OK),
		mk("lua", "pda", 5, 1.1, NAN, RUN_OK),
	};
	struct summary *s;
	long n = stats_summarise(runs, 10, "plain", &s);
	const struct summary *p = find(s, n, "lua", "pda");

	cr_assert_eq(p->ok, 2);
	cr_assert_eq(p->failed, 1);
	cr_assert_eq(p->timeout, 1);
	cr_assert_eq(p->skipped, 1);
	cr_assert_eq(p->pairs, 1, "round 2's baseline failed: only round 5 has a ratio");
	cr_assert_float_eq(p->ratio.median, 1.1, 1e-12);
	cr_assert_float_eq(p->seconds.median, 1.3, 1e-12, "1.5 and 1.1: both ok runs timed");
	p = find(s, n, "lua", "plain");
	cr_assert_eq(p->ok, 4);
	cr_assert_eq(p->failed, 1);
	free(s);
}

Test(stats, workloads_and_scores_are_kept_apart)
{
	struct run runs[] = {
		mk("benchmark", "plain", 1, 10, 400, RUN_OK),
		mk("benchmark", "nfa", 1, 10, 200, RUN_OK),
		mk("tls", "plain", 1, 1, NAN, RUN_OK),
		mk("tls", "nfa", 1, 3, NAN, RUN_OK),
	};
	struct summary *s;
	long n = stats_summarise(runs, 4, "plain", &s);
	const struct summary *p;

	cr_assert_eq(n, 4);
	p = find(s, n, "benchmark", "nfa");
	cr_assert(p->by_score);
	cr_assert_float_eq(p->ratio.median, 2.0, 1e-12, "half the throughput");
	p = find(s, n, "tls", "nfa");
	cr_assert_float_eq(p->ratio.median, 3.0, 1e-12, "not paired with benchmark's plain");
	cr_assert_str_eq(s[0].workload, "benchmark", "in order of first appearance");
	cr_assert_str_eq(s[1].variant, "nfa");
	free(s);
}

Test(stats, benchmark_score_is_the_geometric_mean_of_its_rates)
{
	const char *out =
		"  SHA-256                        :     100000 KiB/s,         10 cycles/byte\n"
		"  ChaCha20                       :     400000 KiB/s,          3 cycles/byte\n"
		"Usage: benchmark [algorithms]\n"
		"  RSA-2048                       :      50 ops/s\n"
		"  no rate here                   :      12 cycles/byte\n";

	cr_assert_float_eq(stats_rates_score(out), cbrt(100000.0 * 400000.0 * 50.0), 1e-6);
	cr_assert(isnan(stats_rates_score("no figures\n")));
	cr_assert(isnan(stats_rates_score("")));
}

Test(stats, trace_records_count_refused_events_and_system_calls)
{
	static const char *const lines[] = {
		"# exec 10 monitored /usr/bin/prog\n",
		"# syscall 10 10 mmap exec-mem - none 0 - start-up\n",
		"# entry 10\n",
		"10 10 4 LIBCALL open main main.c:3 0x1a2b 3 ok\n",
		"10 10 5 PRECALL f main main.c:4 0x1a3b 2 ok\n",
		"10 10 9 LIBCALL unlink f f.c:9 0x1b00 1 no-transition\n",
		"# syscall 10 10 unlink delete - none 4 open unarmed\n",
		"# syscall 10 10 openat write - write 4 open ok\n",
		"# exec 11 unmonitored /bin/sh\n",
		"11 11 1 - - - - - - unmonitored\n",
		"\n",
	};
	struct trace_count c = { 0 };

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		cr_assert_eq(trace_count_line(&c, lines[i]), 0, "line %zu", i);
	cr_assert_eq(c.processes, 1);
	cr_assert_eq(c.events, 4);
	cr_assert_eq(c.refused_events, 1, "no-transition; unmonitored is no alarm");
	cr_assert_eq(c.syscalls, 3);
	cr_assert_eq(c.refused_syscalls, 1, "unarmed; start-up and ok are not alarms");
	cr_assert_eq(trace_count_line(&c, "10 10 4 LIBCALL ok\n"), -1, "too few fields");
}

Test(stats, trace_files_are_read_whole)
{
	char *text = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&text, &len);
	struct trace_count c = { 0 };
	unsigned long bad = 0;
	FILE *r;

	for (int i = 0; i < 1000; i++)
		fprintf(w, "1 1 %d LIBCALL read main m.c:1 0x10 2 ok\n", i);
	fprintf(w, "1 1 7 LIBCALL read main m.c:1 0x10 2 unpinned\n");
	fclose(w);
	r = fmemopen(text, len, "r");
	cr_assert_eq(trace_count_file(&c, r, &bad), 0);
	cr_assert_eq(c.events, 1001);
	cr_assert_eq(c.refused_events, 1);
	fclose(r);
	free(text);
	r = fmemopen((char *)"garbage\n", 8, "r");
	cr_assert_eq(trace_count_file(&c, r, &bad), -1);
	cr_assert_eq(bad, 1);
	fclose(r);
}
