// SPDX-License-Identifier: GPL-2.0
/* json.c - printing json-c objects for the tools' JSON output. */
#include "json.h"

struct json_object *lcg_json_string(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

int lcg_json_print(FILE *f, struct json_object *obj, bool pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : 0);
	const char *s = json_object_to_json_string_ext(obj, flags);
	int ret = s && fputs(s, f) >= 0 && fputc('\n', f) != EOF ? 0 : -1;

	json_object_put(obj);
	return ret;
}
