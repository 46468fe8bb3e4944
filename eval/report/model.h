/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model.h - one policy model for the precision report: the policy, its
 * validated image, and the map from the reference (PDA) policy's LIBCALL ids
 * to this policy's ids.  lcg-analyze numbers LIBCALL events in module order
 * in every mode, so the n-th LIBCALL id of one policy is the n-th of another
 * built from the same module; model_map_libcalls() checks that the two event
 * tables agree (callee, function, line) before trusting it.
 */
#ifndef LCG_REPORT_MODEL_H
#define LCG_REPORT_MODEL_H

#include "formats/policy.h"
#include "pda/monitor.h"

struct model {
	const char *path;
	struct lcg_policy policy;
	void *image_buf;
	size_t image_len;
	struct lcg_image img;
	u32 *from_ref;		/* reference LIBCALL id -> this model's id (0: none) */
	u32 n_ref;		/* entries in from_ref (reference n_events) */
	u32 n_libcalls;		/* LIBCALL ids in this policy */
};

/* Read @path and build its image.  Return 0, or -1 after printing why. */
int model_load(struct model *m, const char *path);

/*
 * model_from_policy() - the same from a policy in memory: @m takes @pol's
 * contents over (@pol is left empty) and names it @name in messages.
 */
int model_from_policy(struct model *m, struct lcg_policy *pol, const char *name);
void model_free(struct model *m);

/*
 * model_map_libcalls() - fill @m->from_ref against @ref.  Return 0, or -1
 * after printing the first LIBCALL the two policies describe differently.
 */
int model_map_libcalls(struct model *m, const struct model *ref);

#endif
