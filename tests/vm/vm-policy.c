// SPDX-License-Identifier: GPL-2.0
/*
 * vm-policy - hand-made policies for the kernel tests, without the analysis.
 *
 * Reads a spec (tests/lib/spec.h, shared with lcg-testpolicy), writes
 * policy.cbor through lcg_policy_write(), then finalises it against the
 * built test program (lcg_finalize(): pins from .lcg_sites, SHA-256) the
 * same way lcg-cc does.  With --image it also writes the compiled image and,
 * with --hostile DIR, images damaged on purpose for the validator tests.
 *
 * lcg_finalize() also records what binding needs (docs/binding.md): the
 * entry point, whether the binary is static, and its raw system call sites
 * (.lcg_sites entries of id LCG_RAW_SITE_ID) as raw pins.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/finalize.h"
#include "formats/policy.h"
#include "tests/lib/spec.h"

static char *xstrdup(const char *str)
{
	char *d = strdup(str);

	if (!d) {
		perror("vm-policy");
		exit(1);
	}
	return d;
}

/* The spec's policy for @binary; pins come from lcg_finalize() later. */
static void read_spec(struct lcg_policy *pol, const char *path, const char *binary)
{
	struct spec s;
	char err[512];

	lcg_policy_init(pol);
	if (spec_read(&s, path, err, sizeof(err)) || spec_build(&s, pol, err, sizeof(err))) {
		fprintf(stderr, "vm-policy: %s\n", err);
		exit(1);
	}
	for (int i = 0; i < s.n; i++)
		if (!strcmp(s.lines[i].w[0], "pins")) {
			fprintf(stderr, "vm-policy: %s:%d: pins is lcg-testpolicy's: lcg_finalize() "
				"pins every event here\n", path, s.lines[i].lineno);
			exit(1);
		}
	spec_free(&s);
	pol->program = xstrdup(binary);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "vm-policy: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* Each damaged copy breaks one rule the validator must enforce. */
static void write_hostile(const char *dir, const u8 *img, size_t len)
{
	struct lcg_img_header h;
	char path[4096];
	u8 *bad = malloc(len);
	u32 off;

	if (!bad)
		exit(1);
	memcpy(&h, img, sizeof(h));
	snprintf(path, sizeof(path), "%s/truncated.img", dir);
	write_file(path, img, len / 2);
	for (size_t i = 0; i < len; i++)
		bad[i] = (u8)(i * 2654435761u >> 13);
	snprintf(path, sizeof(path), "%s/garbage.img", dir);
	write_file(path, bad, len);

	/* an edge whose target is past the last state */
	memcpy(bad, img, len);
	off = h.sec[LCG_SEC_EDGES].off + offsetof(struct lcg_img_edge, target);
	memset(bad + off, 0xff, 4);
	snprintf(path, sizeof(path), "%s/bad-edge-target.img", dir);
	write_file(path, bad, len);

	/* a section that claims to extend past the end of the image */
	memcpy(bad, img, len);
	off = offsetof(struct lcg_img_header, sec) + LCG_SEC_STATES * sizeof(struct lcg_img_section) +
	      offsetof(struct lcg_img_section, count);
	memset(bad + off, 0x7f, 4);
	snprintf(path, sizeof(path), "%s/bad-section.img", dir);
	write_file(path, bad, len);

	/* a root state out of range */
	memcpy(bad, img, len);
	off = offsetof(struct lcg_img_header, root_state);
	memset(bad + off, 0xee, 4);
	snprintf(path, sizeof(path), "%s/bad-root.img", dir);
	write_file(path, bad, len);

	/*
	 * valid for the validator, but its entry point lies past the end of
	 * the binary: the kernel cannot place its start-up uprobe (not .img:
	 * the image is refused at binding, not by the validator)
	 */
	memcpy(bad, img, len);
	off = offsetof(struct lcg_img_header, entry);
	memcpy(bad + off, &(u64){ 0x7ffffff000ull }, sizeof(u64));
	snprintf(path, sizeof(path), "%s/entry-past-end.image", dir);
	write_file(path, bad, len);

	/*
	 * every state claims the edges of the first state that has some: the
	 * overlapping ranges that once made the validator's work quadratic
	 */
	memcpy(bad, img, len);
	{
		struct lcg_img_state *st = (struct lcg_img_state *)(bad + h.sec[LCG_SEC_STATES].off);
		u32 n = h.sec[LCG_SEC_STATES].count, first = n, i;

		for (i = 0; i < n && first == n; i++)
			if (st[i].n_edges)
				first = i;
		for (i = 0; first < n && i < n; i++) {
			st[i].first_edge = st[first].first_edge;
			st[i].n_edges = st[first].n_edges;
		}
	}
	snprintf(path, sizeof(path), "%s/overlapping.img", dir);
	write_file(path, bad, len);

	/* an event index naming a state the event's edges do not enter */
	memcpy(bad, img, len);
	if (h.sec[LCG_SEC_EVTARGETS].count && h.sec[LCG_SEC_STATES].count > 1) {
		u32 *t = (u32 *)(bad + h.sec[LCG_SEC_EVTARGETS].off);

		t[0] = (t[0] + 1) % h.sec[LCG_SEC_STATES].count;
		snprintf(path, sizeof(path), "%s/bad-index.img", dir);
		write_file(path, bad, len);
	}

	/* not finalised: the pin check must not be switched off by a flag */
	memcpy(bad, img, len);
	((struct lcg_img_header *)bad)->flags &= ~LCG_IMG_PINNED;
	snprintf(path, sizeof(path), "%s/unpinned.img", dir);
	write_file(path, bad, len);

	/*
	 * valid for the validator, but says the (dynamically linked) binary is
	 * static, which would switch the origin check off: refused at binding
	 */
	memcpy(bad, img, len);
	((struct lcg_img_header *)bad)->flags |= LCG_IMG_STATIC;
	snprintf(path, sizeof(path), "%s/static.image", dir);
	write_file(path, bad, len);

	/* a string table that does not end with a terminator */
	memcpy(bad, img, len);
	if (h.sec[LCG_SEC_STRTAB].count) {
		memset(bad + h.sec[LCG_SEC_STRTAB].off, 'A', h.sec[LCG_SEC_STRTAB].count);
		snprintf(path, sizeof(path), "%s/bad-strtab.img", dir);
		write_file(path, bad, len);
	}
	free(bad);
}

static void usage(void)
{
	fprintf(stderr, "usage: vm-policy SPEC BINARY OUT.cbor [--image OUT.img] [--hostile DIR]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *image_out = NULL, *hostile = NULL;
	struct lcg_policy pol, fin;
	char err[512];
	size_t len;
	void *img;
	int i;

	if (argc < 4)
		usage();
	for (i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "--image") && i + 1 < argc)
			image_out = argv[++i];
		else if (!strcmp(argv[i], "--hostile") && i + 1 < argc)
			hostile = argv[++i];
		else
			usage();
	}
	read_spec(&pol, argv[1], argv[2]);
	if (lcg_policy_write(&pol, argv[3], err, sizeof(err)) ||
	    lcg_finalize(argv[3], argv[2], err, sizeof(err))) {
		fprintf(stderr, "vm-policy: %s\n", err);
		return 1;
	}
	lcg_policy_free(&pol);
	if (!image_out && !hostile)
		return 0;
	lcg_policy_init(&fin);
	if (lcg_policy_read(&fin, argv[3], err, sizeof(err)) ||
	    lcg_image_build(&fin, &img, &len, err, sizeof(err))) {
		fprintf(stderr, "vm-policy: %s\n", err);
		return 1;
	}
	if (image_out)
		write_file(image_out, img, len);
	if (hostile)
		write_hostile(hostile, img, len);
	free(img);
	lcg_policy_free(&fin);
	return 0;
}
