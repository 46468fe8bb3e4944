// SPDX-License-Identifier: GPL-2.0
/*
 * replay - test helper: feed a written-down event sequence through the
 * monitor of a policy's image, as the kernel would.  It exercises what no
 * benign run can produce, such as a return to the wrong call site.
 *
 * An event is named KIND:CALLEE@FUNCTION[#N]: KIND is lib, pre or post; N
 * picks the N-th such site by source line (default 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/policy.h"
#include "pda/monitor.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: replay POLICY EVENT...\n"
		"  EVENT: KIND:CALLEE@FUNCTION[#N], KIND lib|pre|post, N-th site by line\n"
		"exit status: 0 all accepted, 1 a violation (reported), 2 bad usage or input\n");
}

static u32 kind_of(const char *s, size_t n)
{
	if (n == 3 && !strncmp(s, "lib", 3))
		return LCG_EV_LIBCALL;
	if (n == 3 && !strncmp(s, "pre", 3))
		return LCG_EV_PRECALL;
	if (n == 4 && !strncmp(s, "post", 4))
		return LCG_EV_POSTCALL;
	return LCG_EV_UNUSED;
}

/* The id named by @spec, or 0 with a message. */
static u32 resolve(const struct lcg_policy *p, const char *spec)
{
	const char *colon = strchr(spec, ':'), *at = strchr(spec, '@'), *hash = strchr(spec, '#');
	u32 kind, want = hash ? (u32)atoi(hash + 1) : 1, best = 0, rank;

	if (!colon || !at || at < colon || !(kind = kind_of(spec, (size_t)(colon - spec)))) {
		fprintf(stderr, "replay: %s: expected KIND:CALLEE@FUNCTION[#N]\n", spec);
		return 0;
	}
	size_t clen = (size_t)(at - colon - 1), flen = hash ? (size_t)(hash - at - 1) : strlen(at + 1);

	/* the want-th match in (line, id) order: count matches ordered before each */
	for (u32 id = 1; id < p->n_events; id++) {
		const struct lcg_event_info *e = &p->events[id];

		if (e->kind != kind || strlen(e->callee) != clen || strncmp(e->callee, colon + 1, clen) ||
		    strlen(e->function) != flen || strncmp(e->function, at + 1, flen))
			continue;
		rank = 1;
		for (u32 j = 1; j < p->n_events; j++) {
			const struct lcg_event_info *o = &p->events[j];

			if (j != id && o->kind == kind && !strcmp(o->callee, e->callee) &&
			    !strcmp(o->function, e->function) &&
			    (o->line < e->line || (o->line == e->line && j < id)))
				rank++;
		}
		if (rank == want)
			best = id;
	}
	if (!best)
		fprintf(stderr, "replay: %s: no such event in the policy\n", spec);
	return best;
}

int main(int argc, char **argv)
{
	struct lcg_policy p;
	struct lcg_image img;
	struct lcg_monitor *m;
	void *buf = NULL;
	size_t len = 0;
	char err[512];
	const char *why;
	int ret = 2;

	if (argc < 3) {
		usage(argc > 1 && !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc > 1 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	lcg_policy_init(&p);
	m = calloc(1, sizeof(*m));
	if (!m || lcg_policy_read(&p, argv[1], err, sizeof(err)) ||
	    lcg_image_build(&p, &buf, &len, err, sizeof(err))) {
		fprintf(stderr, "replay: %s\n", m ? err : "out of memory");
		goto out;
	}
	if ((why = lcg_image_validate(&img, buf, len))) {
		fprintf(stderr, "replay: the image of %s is invalid: %s\n", argv[1], why);
		goto out;
	}
	lcg_monitor_init(m, &img);
	for (int i = 2; i < argc; i++) {
		u32 id = resolve(&p, argv[i]);
		enum lcg_reason r;

		if (!id)
			goto out;
		r = lcg_monitor_step(m, &img, id);
		if (r != LCG_R_OK) {
			printf("violation at event %d (%s, id %u): %s\n", i - 1, argv[i], id,
			       lcg_reason_str(r));
			ret = 1;
			goto out;
		}
	}
	printf("accepted %d events\n", argc - 2);
	ret = 0;
out:
	free(buf);
	free(m);
	lcg_policy_free(&p);
	return ret;
}
