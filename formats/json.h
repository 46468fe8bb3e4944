/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - how the tools write JSON (lcg-trace's record, lcg-analyze
 * --stats=json, lcg-status --json): objects built with json-c and printed
 * here.  Slashes are not escaped: readers grep for paths.
 */
#ifndef LCG_JSON_H
#define LCG_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

/* A JSON string of @s, or NULL, which json-c writes as null, when @s is NULL. */
struct json_object *lcg_json_string(const char *s);

/*
 * lcg_json_print() - write @obj and a newline to @f, then release @obj.
 * @pretty: spaced and indented for people; else one compact line.
 * Return 0, or -1 when it could not be formatted or written.
 */
int lcg_json_print(FILE *f, struct json_object *obj, bool pretty);

#endif /* LCG_JSON_H */
