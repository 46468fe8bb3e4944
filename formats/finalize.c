// SPDX-License-Identifier: GPL-2.0
/*
 * finalize.c - pin a policy's events to the syscall instructions of its
 * binary (.lcg_sites, read by formats/binary.c), pin its raw system calls
 * (entries of id LCG_RAW_SITE_ID), and record the binary's identity, entry
 * point and whether it is statically linked (docs/binding.md).
 *
 * The binary is read into memory once: the SHA-256 and the sites come from
 * the same bytes, so a binary replaced while we read it cannot give a policy
 * whose hash and pins disagree.
 */
#define _GNU_SOURCE	/* program_invocation_short_name */
#include "formats/finalize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pda/abi.h"
#include "formats/binary.h"
#include "formats/policy.h"
#include "pda/limits.h"

static bool is_event(const struct lcg_policy *p, u32 id)
{
	return id && id < p->n_events && p->events[id].kind != LCG_EV_UNUSED;
}

static bool has_events(const struct lcg_policy *p)
{
	for (u32 id = 1; id < p->n_events; id++)
		if (is_event(p, id))
			return true;
	return false;
}

/* Replace every event's pins with the offsets of its sites (@pins sorted by id, offset). */
static int pin_events(struct lcg_policy *p, const struct lcg_pin *pins, size_t n,
		      const char *policy_path, const char *binary, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (!is_event(p, pins[i].id)) {
			snprintf(err, errlen, "%s has a site for event %u, which %s does not define: "
				 "policy and binary come from different builds; relink with lcg-cc",
				 binary, pins[i].id, policy_path);
			return -1;
		}
	}
	for (u32 id = 0; id < p->n_events; id++) {
		free(p->events[id].pins);
		p->events[id].pins = NULL;
		p->events[id].n_pins = 0;
	}
	for (size_t i = 0, j; i < n; i = j) {
		struct lcg_event_info *ev = &p->events[pins[i].id];

		for (j = i; j < n && pins[j].id == pins[i].id; j++)
			;
		ev->pins = malloc((j - i) * sizeof(*ev->pins));
		if (!ev->pins) {
			snprintf(err, errlen, "out of memory pinning %zu sites", n);
			return -1;
		}
		for (size_t k = i; k < j; k++)
			if (!ev->n_pins || ev->pins[ev->n_pins - 1] != pins[k].offset)
				ev->pins[ev->n_pins++] = pins[k].offset;
	}
	return 0;
}

/* Replace the raw system call pins with the offsets of @pins (sorted by offset). */
static int pin_raw(struct lcg_policy *p, const struct lcg_pin *pins, size_t n,
		   const char *binary, char *err, size_t errlen)
{
	free(p->raw_pins);
	p->raw_pins = NULL;
	p->n_raw_pins = 0;
	if (!n)
		return 0;
	p->raw_pins = malloc(n * sizeof(*p->raw_pins));
	if (!p->raw_pins) {
		snprintf(err, errlen, "out of memory pinning %zu raw system calls", n);
		return -1;
	}
	for (size_t k = 0; k < n; k++)	/* a site codegen duplicated may repeat an offset */
		if (!p->n_raw_pins || p->raw_pins[p->n_raw_pins - 1] != pins[k].offset)
			p->raw_pins[p->n_raw_pins++] = pins[k].offset;
	if (p->n_raw_pins > LCG_MAX_RAW_PINS) {
		snprintf(err, errlen, "%s has %u raw system calls (syscall instructions in inline "
			 "asm), more than the %u a policy may pin (pda/limits.h): make the others "
			 "through libc's syscall()", binary, p->n_raw_pins, LCG_MAX_RAW_PINS);
		return -1;
	}
	return 0;
}

static void warn_unpinned(const struct lcg_policy *p, const char *binary)
{
	char list[160] = "";
	size_t used = 0;
	u32 n = 0;

	for (u32 id = 1; id < p->n_events; id++) {
		const struct lcg_event_info *ev = &p->events[id];

		if (ev->kind == LCG_EV_UNUSED || ev->n_pins)
			continue;
		if (n++ < 4 && used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%u (%s in %s)",
						 n > 1 ? ", " : "", id,
						 ev->callee ? ev->callee : "?",
						 ev->function ? ev->function : "?");
	}
	if (n)
		fprintf(stderr, "%s: warning: %u event(s) have no site in %s and will always be "
			"refused: %s%s\n", program_invocation_short_name, n, binary, list,
			n > 4 ? ", ..." : "");
}

static int record_identity(struct lcg_policy *p, const struct lcg_bytes *f,
			   const char *binary, char *err, size_t errlen)
{
	char *abs = realpath(binary, NULL);

	if (!abs) {
		snprintf(err, errlen, "%s: cannot resolve its absolute path: %s", binary,
			 strerror(errno));
		return -1;
	}
	if (lcg_sha256(f->data, f->len, p->sha256)) {
		snprintf(err, errlen, "%s: SHA-256 computation failed (libcrypto)", binary);
		free(abs);
		return -1;
	}
	free(p->program);
	p->program = abs;
	p->has_sha256 = true;
	return 0;
}

static int record_layout(struct lcg_policy *p, const struct lcg_bytes *f, const char *binary,
			 char *err, size_t errlen)
{
	struct lcg_elf_layout l;

	if (lcg_elf_layout(f, binary, &l, err, errlen))
		return -1;
	p->entry = l.entry;
	p->is_static = l.is_static;
	return 0;
}

/*
 * Compile the image lcg-load and lcg-trace would compile: a policy they
 * would refuse (a limit of pda/limits.h) fails the build, not the load.
 */
static int check_loadable(const struct lcg_policy *p, const char *binary, char *err,
			  size_t errlen)
{
	char why[512];
	void *img;
	size_t len;

	if (!lcg_image_build(p, &img, &len, why, sizeof(why))) {
		free(img);
		return 0;
	}
	snprintf(err, errlen, "the policy of %s could not be loaded: %s (lcg-cc "
		 "--lcg-mode, --lcg-inline-budget; lcg-analyze --mode, --inline-budget)",
		 binary, why);
	return -1;
}

int lcg_finalize(const char *policy_path, const char *binary, char *err, size_t errlen)
{
	struct lcg_policy p;
	struct lcg_bytes f = { 0 };
	struct lcg_pin *pins = NULL;
	size_t n_pins = 0, n_raw = 0;
	int ret = -1;

	lcg_policy_init(&p);
	if (lcg_policy_read(&p, policy_path, err, errlen))
		goto out;
	if (lcg_bytes_read(binary, &f, err, errlen))
		goto out;
	/* a program that makes no monitored call has no sites, and needs none */
	if (lcg_elf_pins(&f, binary, has_events(&p), &pins, &n_pins, err, errlen))
		goto out;
	/* raw system calls come first (lcg_elf_pins sorts by id) */
	while (n_raw < n_pins && pins[n_raw].id == LCG_RAW_SITE_ID)
		n_raw++;
	if (pin_raw(&p, pins, n_raw, binary, err, errlen))
		goto out;
	if (pin_events(&p, pins + n_raw, n_pins - n_raw, policy_path, binary, err, errlen))
		goto out;
	if (record_layout(&p, &f, binary, err, errlen))
		goto out;
	if (record_identity(&p, &f, binary, err, errlen))
		goto out;
	if (check_loadable(&p, binary, err, errlen))
		goto out;
	if (lcg_policy_write(&p, policy_path, err, errlen))
		goto out;
	warn_unpinned(&p, binary);
	ret = 0;
out:
	free(pins);
	lcg_bytes_free(&f);
	lcg_policy_free(&p);
	return ret;
}
