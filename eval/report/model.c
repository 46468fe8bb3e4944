// SPDX-License-Identifier: GPL-2.0
/* model.c - load a policy as a model; map LIBCALL ids between policies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

int model_load(struct model *m, const char *path)
{
	struct lcg_policy pol;
	char err[512];

	memset(m, 0, sizeof(*m));
	if (lcg_policy_read(&pol, path, err, sizeof(err))) {
		fprintf(stderr, "lcg-precision: %s\n", err);
		return -1;
	}
	return model_from_policy(m, &pol, path);
}

int model_from_policy(struct model *m, struct lcg_policy *pol, const char *name)
{
	char err[512];
	const char *bad;

	memset(m, 0, sizeof(*m));
	m->path = name;
	m->policy = *pol;
	lcg_policy_init(pol);
	if (lcg_image_build(&m->policy, &m->image_buf, &m->image_len, err, sizeof(err))) {
		fprintf(stderr, "lcg-precision: %s: building the image: %s\n", name, err);
		model_free(m);
		return -1;
	}
	bad = lcg_image_validate(&m->img, m->image_buf, m->image_len);
	if (bad) {
		fprintf(stderr, "lcg-precision: %s: the image does not validate: %s "
			"(a bug in lcg_image_build)\n", name, bad);
		model_free(m);
		return -1;
	}
	for (u32 i = 1; i < m->policy.n_events; i++)
		if (m->policy.events[i].kind == LCG_EV_LIBCALL)
			m->n_libcalls++;
	return 0;
}

void model_free(struct model *m)
{
	free(m->from_ref);
	free(m->image_buf);
	lcg_policy_free(&m->policy);
	memset(m, 0, sizeof(*m));
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_libcall(const struct lcg_event_info *a, const struct lcg_event_info *b)
{
	return same_text(a->callee, b->callee) && same_text(a->function, b->function) &&
	       a->line == b->line;
}

/* The next LIBCALL id at or after @i, or n_events. */
static u32 next_libcall(const struct lcg_policy *p, u32 i)
{
	while (i < p->n_events && p->events[i].kind != LCG_EV_LIBCALL)
		i++;
	return i;
}

int model_map_libcalls(struct model *m, const struct model *ref)
{
	const struct lcg_policy *rp = &ref->policy, *mp = &m->policy;
	u32 r = next_libcall(rp, 1), k = next_libcall(mp, 1);

	if (m->n_libcalls != ref->n_libcalls) {
		fprintf(stderr, "lcg-precision: %s has %u library-call events, %s %u: they were "
			"not built from the same program and event set\n",
			m->path, m->n_libcalls, ref->path, ref->n_libcalls);
		return -1;
	}
	m->n_ref = rp->n_events;
	m->from_ref = calloc(rp->n_events ? rp->n_events : 1, sizeof(u32));
	if (!m->from_ref) {
		fprintf(stderr, "lcg-precision: out of memory mapping %s\n", m->path);
		return -1;
	}
	for (; r < rp->n_events; r = next_libcall(rp, r + 1), k = next_libcall(mp, k + 1)) {
		if (!same_libcall(&rp->events[r], &mp->events[k])) {
			fprintf(stderr, "lcg-precision: %s event %u (%s in %s) and %s event %u "
				"(%s in %s) differ: the policies number library calls differently\n",
				ref->path, r, rp->events[r].callee, rp->events[r].function,
				m->path, k, mp->events[k].callee, mp->events[k].function);
			return -1;
		}
		m->from_ref[r] = k;
	}
	return 0;
}
