// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_image.c - libFuzzer target for lcg_image_validate(), the check the
 * kernel runs on every image handed to it through configfs.
 *
 * The input is copied into an exact-size, 8-aligned buffer so that ASan
 * sees any read past its end.  An accepted image must be usable: the monitor
 * runs over it with events taken from the same input.
 */
#include <stdio.h>

#include "pda/image.h"
#include "fuzz_monitor_drive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lcg_image img;
	const char *why;
	void *buf;

	if (posix_memalign(&buf, 8, size ? size : 1))
		return 0;
	memcpy(buf, data, size);
	why = lcg_image_validate(&img, buf, size);
	if (!why) {
		if (!img.hdr || img.hdr->size > size) {
			fprintf(stderr, "fuzz_image: accepted image has no header or claims more than its length\n");
			abort();
		}
		fuzz_drive_monitor(&img, data, size);
	} else if (!why[0]) {
		fprintf(stderr, "fuzz_image: refused with an empty reason\n");
		abort();
	}
	free(buf);
	return 0;
}
