// SPDX-License-Identifier: GPL-2.0
/* event.c - names shared by the record and the reports. */
#include "event.h"

const char *trace_kind_str(uint32_t kind)
{
	switch (kind) {
	case LCG_EV_LIBCALL:
		return "LIBCALL";
	case LCG_EV_PRECALL:
		return "PRECALL";
	case LCG_EV_POSTCALL:
		return "POSTCALL";
	default:
		return "UNUSED";
	}
}
