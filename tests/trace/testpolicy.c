// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-testpolicy - write a policy.cbor for a hand-instrumented test program
 * (events made with pda/abi.h's LCG_EVENT) from a spec (tests/lib/spec.h),
 * with the pins read from the binary's .lcg_sites (raw system calls
 * included), its entry point, whether it is static, and its SHA-256: the
 * policy that lcg-cc would produce, for tests that must not depend on the
 * analysis.
 *
 * usage: lcg-testpolicy [--unfinalised] [--program PATH] -o POLICY SPEC BINARY
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/binary.h"
#include "formats/err.h"
#include "pda/abi.h"
#include "formats/policy.h"
#include "tests/lib/spec.h"

struct builder {
	const struct spec *spec;
	struct lcg_policy *p;
	char err[512];
};

static int add_pin(struct lcg_event_info *e, u64 offset)
{
	u64 *pins = realloc(e->pins, (e->n_pins + 1) * sizeof(*pins));

	if (!pins)
		return -1;
	pins[e->n_pins++] = offset;
	e->pins = pins;
	return 0;
}

static int pins_line(struct builder *b, const struct spec_line *l)
{
	struct lcg_event_info *ev = b->p->events;
	u32 x, y;

	if (l->n == 4 && !strcmp(l->w[1], "swap") && spec_u32(l->w[2], &x) &&
	    spec_u32(l->w[3], &y) && x < b->p->n_events && y < b->p->n_events) {
		struct lcg_event_info t = ev[x];

		ev[x].pins = ev[y].pins;
		ev[x].n_pins = ev[y].n_pins;
		ev[y].pins = t.pins;
		ev[y].n_pins = t.n_pins;
		return 0;
	}
	if (l->n == 3 && !strcmp(l->w[1], "drop") && spec_u32(l->w[2], &x) &&
	    x < b->p->n_events) {
		free(ev[x].pins);
		ev[x].pins = NULL;
		ev[x].n_pins = 0;
		return 0;
	}
	return spec_fail(b->spec, l, b->err, sizeof(b->err),
			 "usage: pins swap ID ID | pins drop ID (defined ids)");
}

/* .lcg_sites entries of LCG_RAW_SITE_ID: the raw system calls the analysis saw. */
static int add_raw_pin(struct lcg_policy *p, u64 offset)
{
	u64 *pins;

	/* sorted by offset already: only repeats (a duplicated block) to drop */
	if (p->n_raw_pins && p->raw_pins[p->n_raw_pins - 1] == offset)
		return 0;
	pins = realloc(p->raw_pins, (p->n_raw_pins + 1) * sizeof(*pins));
	if (!pins)
		return -1;
	pins[p->n_raw_pins++] = offset;
	p->raw_pins = pins;
	return 0;
}

static int pin_site(struct builder *b, const struct lcg_pin *site, const char *binary)
{
	struct lcg_policy *p = b->p;

	if (site->id == LCG_RAW_SITE_ID)
		return add_raw_pin(p, site->offset) ? lcg_errf(b->err, sizeof(b->err), "out of memory")
							       : 0;
	if (site->id >= p->n_events || p->events[site->id].kind == LCG_EV_UNUSED)
		return lcg_errf(b->err, sizeof(b->err), "%s: event %u is in %s but not in %s",
				binary, site->id, LCG_SITES_SECTION, b->spec->path);
	if (add_pin(&p->events[site->id], site->offset) != 0)
		return lcg_errf(b->err, sizeof(b->err), "out of memory");
	return 0;
}

static int read_pins(struct builder *b, const struct lcg_bytes *bytes, const char *binary)
{
	struct lcg_pin *sites;
	size_t n;

	if (lcg_elf_pins(bytes, binary, false, &sites, &n, b->err, sizeof(b->err)) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (pin_site(b, &sites[i], binary) != 0) {
			free(sites);
			return -1;
		}
	}
	free(sites);
	for (int i = 0; i < b->spec->n; i++)
		if (!strcmp(b->spec->lines[i].w[0], "pins") && pins_line(b, &b->spec->lines[i]))
			return -1;
	return 0;
}

/*
 * What lcg-analyze finalize records of the binary, from one reading of it:
 * pins, raw pins, entry point, static or not, SHA-256.
 */
static int finalise_from(struct builder *b, const char *binary)
{
	struct lcg_policy *p = b->p;
	struct lcg_elf_layout layout;
	struct lcg_bytes bytes;
	int rc = -1;

	if (lcg_bytes_read(binary, &bytes, b->err, sizeof(b->err)) != 0)
		return -1;
	if (read_pins(b, &bytes, binary) != 0 ||
	    lcg_elf_layout(&bytes, binary, &layout, b->err, sizeof(b->err)) != 0)
		goto out;
	p->entry = layout.entry;
	p->is_static = layout.is_static;
	if (lcg_sha256(bytes.data, bytes.len, p->sha256) != 0) {
		lcg_errf(b->err, sizeof(b->err), "%s: SHA-256 computation failed (libcrypto)", binary);
		goto out;
	}
	p->has_sha256 = true;
	rc = 0;
out:
	lcg_bytes_free(&bytes);
	return rc;
}

/* @program: the path to record, or NULL for @binary's absolute path. */
static int identify(struct builder *b, const char *binary, const char *program)
{
	char path[PATH_MAX];

	if (!realpath(binary, path))
		return lcg_errf(b->err, sizeof(b->err), "%s: %s", binary, strerror(errno));
	b->p->program = strdup(program ? program : path);
	if (!b->p->program)
		return lcg_errf(b->err, sizeof(b->err), "out of memory");
	return 0;
}

static int build_policy(struct builder *b, const char *binary, const char *program,
			bool finalise)
{
	if (spec_build(b->spec, b->p, b->err, sizeof(b->err)) != 0)
		return -1;
	if (finalise && finalise_from(b, binary) != 0)
		return -1;
	return identify(b, binary, program);
}

static void usage(FILE *f)
{
	fputs("usage: lcg-testpolicy [--unfinalised] [--program PATH] -o POLICY SPEC BINARY\n"
	      "Write POLICY (policy.cbor) for BINARY, a test program instrumented by hand with\n"
	      "LCG_EVENT (pda/abi.h), from the automaton described in SPEC (syntax at the\n"
	      "top of tests/lib/spec.h).  Pins and raw system call pins come from\n"
	      "BINARY's .lcg_sites, and the policy records BINARY's absolute path, entry point,\n"
	      "static linking and SHA-256, as lcg-analyze finalize does; --unfinalised leaves\n"
	      "all but the path out; --program records PATH instead (where BINARY will be\n"
	      "installed, e.g. in a test VM).\n", f);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "unfinalised", no_argument, NULL, 'u' },
		{ "program", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *program = NULL;
	bool finalise = true;
	struct lcg_policy p;
	struct spec spec;
	struct builder b = { .spec = &spec };
	int ch, rc = 1;

	while ((ch = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		if (ch == 'o') {
			out = optarg;
		} else if (ch == 'u') {
			finalise = false;
		} else if (ch == 'P') {
			program = optarg;
		} else if (ch == 'h') {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!out || argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	lcg_policy_init(&p);
	b.p = &p;
	if (spec_read(&spec, argv[optind], b.err, sizeof(b.err)) == 0 &&
	    build_policy(&b, argv[optind + 1], program, finalise) == 0 &&
	    lcg_policy_write(&p, out, b.err, sizeof(b.err)) == 0)
		rc = 0;
	else
		fprintf(stderr, "lcg-testpolicy: %s\n", b.err);
	spec_free(&spec);
	lcg_policy_free(&p);
	return rc;
}
