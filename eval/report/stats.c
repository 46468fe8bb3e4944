// SPDX-License-Identifier: GPL-2.0
/* stats.c - order statistics, per-round ratios, benchmark scores, trace counts. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

double stats_quantile(const double *sorted, size_t n, double q)
{
	double h, lo;
	size_t i;

	if (n == 0)
		return NAN;
	if (q <= 0)
		return sorted[0];
	if (q >= 1)
		return sorted[n - 1];
	h = (double)(n - 1) * q;
	i = (size_t)h;
	lo = sorted[i];
	if (i + 1 >= n)
		return lo;
	return lo + (h - (double)i) * (sorted[i + 1] - lo);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int stats_spread(double *v, size_t n, struct spread *s)
{
	memset(s, 0, sizeof(*s));
	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), cmp_double);
	s->n = n;
	s->min = v[0];
	s->q1 = stats_quantile(v, n, 0.25);
	s->median = stats_quantile(v, n, 0.5);
	s->q3 = stats_quantile(v, n, 0.75);
	s->max = v[n - 1];
	return 0;
}

double stats_ratio(double base_seconds, double seconds, double base_score, double score)
{
	if (!isnan(base_score) || !isnan(score)) {
		if (!(base_score > 0) || !(score > 0))
			return NAN;
		return base_score / score;
	}
	if (!(base_seconds > 0) || !(seconds >= 0))
		return NAN;
	return seconds / base_seconds;
}

/* A number or "-" (NAN); false when it is neither. */
static bool parse_value(const char *s, double *v)
{
	char *end;

	if (!strcmp(s, "-")) {
		*v = NAN;
		return true;
	}
	*v = strtod(s, &end);
	return end != s && !*end && isfinite(*v);
}

static bool parse_status(const char *s, enum run_status *st)
{
	static const char *const names[] = { "ok", "failed", "timeout", "skipped" };

	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*st = (enum run_status)i;
			return true;
		}
	return false;
}

/* Split @line at tabs into at most @max fields (in @buf); return the count. */
static int split_tabs(const char *line, char *buf, size_t buflen, char **field, int max)
{
	int n = 0;
	char *p;

	snprintf(buf, buflen, "%s", line);
	buf[strcspn(buf, "\r\n")] = '\0';
	for (p = buf; n < max; n++) {
		field[n] = p;
		p = strchr(p, '\t');
		if (!p)
			return n + 1;
		*p++ = '\0';
	}
	return n + 1;	/* more fields than max */
}

int run_parse(const char *line, struct run *r, char *err, size_t errlen)
{
	char buf[512], *f[8];
	int n = split_tabs(line, buf, sizeof(buf), f, 7);
	char *end;

	memset(r, 0, sizeof(*r));
	if (!strncmp(line, "workload\t", 9))
		return 1;
	if (n != 7) {
		snprintf(err, errlen, "%d fields, expected 7 (WORKLOAD VARIANT ROUND POSITION "
			 "SECONDS SCORE STATUS, tab-separated)", n);
		return -1;
	}
	if (!*f[0] || strlen(f[0]) >= sizeof(r->workload) || !*f[1] ||
	    strlen(f[1]) >= sizeof(r->variant)) {
		snprintf(err, errlen, "workload or variant name empty or longer than %zu bytes",
			 sizeof(r->workload) - 1);
		return -1;
	}
	strcpy(r->workload, f[0]);
	strcpy(r->variant, f[1]);
	r->round = (int)strtol(f[2], &end, 10);
	if (end == f[2] || *end || r->round < 0) {
		snprintf(err, errlen, "ROUND '%s' is not a round number (0: the warm-up)", f[2]);
		return -1;
	}
	r->position = (int)strtol(f[3], &end, 10);
	if (end == f[3] || *end) {
		snprintf(err, errlen, "POSITION '%s' is not a number", f[3]);
		return -1;
	}
	if (!parse_value(f[4], &r->seconds) || !parse_value(f[5], &r->score)) {
		snprintf(err, errlen, "SECONDS '%s' or SCORE '%s' is neither a number nor '-'",
			 f[4], f[5]);
		return -1;
	}
	if (!parse_status(f[6], &r->status)) {
		snprintf(err, errlen, "STATUS '%s' is not ok, failed, timeout or skipped", f[6]);
		return -1;
	}
	if (r->status == RUN_OK && isnan(r->seconds)) {
		snprintf(err, errlen, "an ok run without SECONDS");
		return -1;
	}
	return 0;
}

static bool same_cell(const struct run *r, const char *workload, const char *variant)
{
	return !strcmp(r->workload, workload) && !strcmp(r->variant, variant);
}

/* The ok baseline run of @r's workload and round, or NULL. */
static const struct run *baseline_of(const struct run *runs, size_t n, const struct run *r,
				     const char *baseline)
{
	for (size_t i = 0; i < n; i++)
		if (runs[i].round == r->round && runs[i].status == RUN_OK &&
		    same_cell(&runs[i], r->workload, baseline))
			return &runs[i];
	return NULL;
}

/* Fill @s for the cell (workload, variant) of runs[first]. */
static int summarise_cell(const struct run *runs, size_t n, size_t first, const char *baseline,
			  struct summary *s, double *ratios, double *secs)
{
	const struct run *c = &runs[first];

	memset(s, 0, sizeof(*s));
	strcpy(s->workload, c->workload);
	strcpy(s->variant, c->variant);
	for (size_t i = first; i < n; i++) {
		const struct run *r = &runs[i], *b;
		double q;

		if (!same_cell(r, c->workload, c->variant) || r->round == 0)
			continue;
		s->failed += r->status == RUN_FAILED;
		s->timeout += r->status == RUN_TIMEOUT;
		s->skipped += r->status == RUN_SKIPPED;
		if (r->status != RUN_OK)
			continue;
		secs[s->ok++] = r->seconds;
		b = baseline_of(runs, n, r, baseline);
		if (!b)
			continue;
		q = stats_ratio(b->seconds, r->seconds, b->score, r->score);
		if (isnan(q))
			continue;
		s->by_score = !isnan(r->score);
		ratios[s->pairs++] = q;
	}
	stats_spread(secs, s->ok, &s->seconds);
	stats_spread(ratios, s->pairs, &s->ratio);
	return 0;
}

static bool seen_before(const struct run *runs, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (same_cell(&runs[k], runs[i].workload, runs[i].variant))
			return true;
	return false;
}

long stats_summarise(const struct run *runs, size_t n, const char *baseline,
		     struct summary **out)
{
	double *ratios = malloc((n ? n : 1) * sizeof(double));
	double *secs = malloc((n ? n : 1) * sizeof(double));
	struct summary *s = calloc(n ? n : 1, sizeof(*s));
	long k = 0;

	if (!ratios || !secs || !s) {
		free(ratios);
		free(secs);
		free(s);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!seen_before(runs, i))
			summarise_cell(runs, n, i, baseline, &s[k++], ratios, secs);
	free(ratios);
	free(secs);
	*out = s;
	return k;
}

/* The first "NUMBER UNIT/s" pair of one line, or NAN. */
static double line_rate(const char *line, size_t len)
{
	char buf[1024], *save = NULL, *tok, *prev = NULL;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (!strchr(buf, ':'))
		return NAN;
	for (tok = strtok_r(buf, " \t", &save); tok; prev = tok, tok = strtok_r(NULL, " \t", &save)) {
		size_t l = strlen(tok);
		double v;
		char *end;

		if (l && tok[l - 1] == ',')
			tok[--l] = '\0';
		if (!prev || l < 2 || strcmp(tok + l - 2, "/s"))
			continue;
		v = strtod(prev, &end);
		if (end != prev && !*end && v > 0 && isdigit((unsigned char)prev[0]))
			return v;
	}
	return NAN;
}

double stats_rates_score(const char *text)
{
	double sum = 0;
	size_t n = 0;

	while (*text) {
		size_t len = strcspn(text, "\n");
		double v = line_rate(text, len);

		if (!isnan(v)) {
			sum += log(v);
			n++;
		}
		text += len + (text[len] == '\n');
	}
	return n ? exp(sum / (double)n) : NAN;
}

/* The last blank-separated field of @line (without its newline). */
static void last_field(const char *line, char *out, size_t outlen, int *fields)
{
	const char *p = line, *start = NULL, *end = NULL;

	*fields = 0;
	while (*p && *p != '\n') {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '\n')
			break;
		start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			p++;
		end = p;
		(*fields)++;
	}
	snprintf(out, outlen, "%.*s", start ? (int)(end - start) : 0, start ? start : "");
}

int trace_count_line(struct trace_count *c, const char *line)
{
	char verdict[64];
	int fields;

	if (line[0] == '#') {
		if (!strncmp(line, "# syscall ", 10)) {
			last_field(line, verdict, sizeof(verdict), &fields);
			c->syscalls++;
			c->refused_syscalls += strcmp(verdict, "ok") && strcmp(verdict, "start-up");
		} else if (!strncmp(line, "# exec ", 7) && strstr(line, " monitored ")) {
			c->processes++;
		}
		return 0;
	}
	last_field(line, verdict, sizeof(verdict), &fields);
	if (fields == 0)
		return 0;
	if (fields < 9)
		return -1;
	c->events++;
	c->refused_events += strcmp(verdict, "ok") && strcmp(verdict, "unmonitored") &&
			     strcmp(verdict, "unchecked");
	return 0;
}

int trace_count_file(struct trace_count *c, FILE *f, unsigned long *bad_line)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned long n = 0;
	int rc = 0;

	while (getline(&line, &cap, f) >= 0) {
		n++;
		if (trace_count_line(c, line)) {
			*bad_line = n;
			rc = -1;
			break;
		}
	}
	free(line);
	return rc;
}
