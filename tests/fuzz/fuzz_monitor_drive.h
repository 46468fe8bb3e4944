/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_monitor_drive.h - run the monitor over an image the validator
 * accepted, with events taken from the fuzzer's input: what the kernel does
 * with a hostile image and a hostile program.  Any crash here means the
 * validator let through something the monitor cannot use safely.
 */
#ifndef LCG_FUZZ_MONITOR_DRIVE_H
#define LCG_FUZZ_MONITOR_DRIVE_H

#include "pda/monitor.h"
#include "pda/sensitive.h"

#define FUZZ_MAX_STEPS 64

static inline void fuzz_drive_monitor(const struct lcg_image *img, const u8 *data, size_t size)
{
	struct lcg_monitor m, child;
	u32 allowed[8];

	lcg_monitor_init(&m, img);
	for (size_t i = 0; i + 1 < size && i / 2 < FUZZ_MAX_STEPS; i += 2) {
		/* ids in range most of the time, out of range now and then */
		u32 ev = (u32)(data[i] | data[i + 1] << 8) % (img->n_events + 2);

		if (lcg_monitor_step(&m, img, ev) != LCG_R_OK)
			lcg_monitor_resync(&m, img, ev);
		lcg_monitor_pinned(img, ev, data[i]);
		/* binding: a sensitive call, and now and then a signal or its return */
		lcg_monitor_syscall(&m, img, LCG_SC_BIT(data[i + 1] % LCG_SC_COUNT), data[i] & 1,
				    data[i]);
		if ((data[i] & 0x3c) == 0x3c)
			lcg_monitor_signal_enter(&m);
		else if ((data[i] & 0x3c) == 0x38)
			lcg_monitor_signal_return(&m);
		else if ((data[i] & 0x3c) == 0x34)
			lcg_monitor_enter_program(&m);
	}
	lcg_monitor_allowed(&m, img, allowed, 8);
	lcg_monitor_copy(&child, &m);
	if (lcg_monitor_init_thread(&child, img, &m) && img->n_events > 1)
		lcg_monitor_step(&child, img, 1);
}

#endif /* LCG_FUZZ_MONITOR_DRIVE_H */
