// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_policy.c - libFuzzer target for the policy.cbor reader.
 *
 * Properties checked on every input, besides ASan/UBSan/leak cleanliness:
 * a rejection always says why; an accepted policy re-encodes, decodes again
 * and re-encodes to the same bytes; lcg_image_build() either explains its
 * refusal or produces an image the validator accepts and the monitor runs.
 */
#include <stdio.h>

#include "formats/policy.h"
#include "fuzz_monitor_drive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_policy: %s: %s\n", what, detail);
	abort();
}

static void check_round_trip(const struct lcg_policy *p)
{
	struct lcg_policy again;
	char err[512] = "";
	u8 *enc1, *enc2;
	size_t len1, len2;

	if (lcg_policy_encode(p, &enc1, &len1, err, sizeof(err)))
		fail("an accepted policy does not encode", err);
	if (lcg_policy_decode(&again, enc1, len1, err, sizeof(err)))
		fail("the writer's output is rejected by the reader", err);
	if (lcg_policy_encode(&again, &enc2, &len2, err, sizeof(err)))
		fail("a re-read policy does not encode", err);
	if (len1 != len2 || memcmp(enc1, enc2, len1))
		fail("encoding is not stable", "write(read(write(p))) != write(p)");
	free(enc1);
	free(enc2);
	lcg_policy_free(&again);
}

static void check_image(const struct lcg_policy *p, const u8 *data, size_t size)
{
	struct lcg_image img;
	char err[512] = "";
	const char *why;
	void *buf;
	size_t len;

	if (lcg_image_build(p, &buf, &len, err, sizeof(err))) {
		if (!err[0])
			fail("lcg_image_build", "refused without a reason");
		return;
	}
	why = lcg_image_validate(&img, buf, len);
	if (why)
		fail("the validator refuses a built image", why);
	fuzz_drive_monitor(&img, data, size);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lcg_policy p;
	char err[512] = "";

	if (lcg_policy_decode(&p, data, size, err, sizeof(err))) {
		if (!err[0])
			fail("lcg_policy_decode", "rejected without a message");
		if (p.events || p.program || p.graphs.states || p.nfa.states)
			fail("lcg_policy_decode", "rejected but left the policy non-empty");
		return 0;
	}
	check_round_trip(&p);
	check_image(&p, data, size);
	lcg_policy_free(&p);
	return 0;
}
