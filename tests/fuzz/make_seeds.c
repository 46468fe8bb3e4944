// SPDX-License-Identifier: GPL-2.0
/*
 * make_seeds.c - write the fuzzers' seed corpora from the test fixtures, so
 * that no binary blob is kept in the repository:
 *   DIR/policy/{pda,nfa}.cbor   policy.cbor files using every field
 *   DIR/image/{pda,nfa}{,-nfa}.img   the kernel images built from them,
 *                                    determinised and left as NFAs
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "formats/atomic_file.h"
#include "formats/policy.h"
#include "pda/limits.h"
#include "tests/unit/policy_fixture.h"

static int make_dir(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST) {
		fprintf(stderr, "make-seeds: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_seed(const char *dir, const char *sub, const char *name, const void *buf,
		      size_t len)
{
	char path[4096], err[512];

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	if (lcg_write_file_atomic(path, buf, len, err, sizeof(err))) {
		fprintf(stderr, "make-seeds: %s\n", err);
		return -1;
	}
	return 0;
}

static int seeds_of(const char *dir, const char *name, void (*build)(struct lcg_policy *))
{
	struct lcg_policy p;
	char err[512], file[64];
	u8 *cbor;
	void *img;
	size_t len;
	int rc = -1;

	build(&p);
	if (lcg_policy_encode(&p, &cbor, &len, err, sizeof(err))) {
		fprintf(stderr, "make-seeds: %s policy: %s\n", name, err);
		goto out;
	}
	snprintf(file, sizeof(file), "%s.cbor", name);
	rc = write_seed(dir, "policy", file, cbor, len);
	free(cbor);
	if (rc)
		goto out;
	/* factor 0: no determinisation, so the image keeps nondeterministic states */
	for (u32 factor = 0; factor <= LCG_DFA_FACTOR && !rc; factor += LCG_DFA_FACTOR) {
		if (lcg_image_build_ex(&p, factor, &img, &len, err, sizeof(err))) {
			fprintf(stderr, "make-seeds: %s image: %s\n", name, err);
			rc = -1;
			break;
		}
		snprintf(file, sizeof(file), "%s%s.img", name, factor ? "" : "-nfa");
		rc = write_seed(dir, "image", file, img, len);
		free(img);
	}
out:
	lcg_policy_free(&p);
	return rc;
}

int main(int argc, char **argv)
{
	char sub[4096];

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: make-seeds DIR\n"
			"Writes the fuzzers' seed corpora into DIR/policy and DIR/image.\n");
		return argc == 2 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	snprintf(sub, sizeof(sub), "%s/policy", argv[1]);
	if (make_dir(argv[1]) || make_dir(sub))
		return 1;
	snprintf(sub, sizeof(sub), "%s/image", argv[1]);
	if (make_dir(sub))
		return 1;
	if (seeds_of(argv[1], "pda", fixture_pda) || seeds_of(argv[1], "nfa", fixture_nfa))
		return 1;
	return 0;
}
