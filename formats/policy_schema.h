/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy_schema.h - the words of policy.cbor (docs/policy-format.md): the
 * strings that stand for modes, event sets, event kinds and procedure roles.
 * Shared by the reader, the writer and the DOT writer so they cannot drift;
 * the tools and test specs name modes and event sets through lcg_mode_parse()
 * and its kin (policy.h), which read the same tables.
 */
#ifndef LCG_POLICY_SCHEMA_H
#define LCG_POLICY_SCHEMA_H

#include "policy.h"

/* Strings in policy.cbor are at most this long (bytes, without the NUL). */
#define LCG_POLICY_MAX_STRING 4096u

struct lcg_schema_word {
	const char *name;
	u32 value;
};

static const struct lcg_schema_word lcg_schema_modes[] = {
	{ "pda", LCG_MODE_PDA },
	{ "nfa", LCG_MODE_NFA },
};

static const struct lcg_schema_word lcg_schema_event_sets[] = {
	{ "effects", LCG_EVENTS_EFFECTS },
	{ "syscalls", LCG_EVENTS_SYSCALLS },
	{ "all-libc", LCG_EVENTS_ALL_LIBC },
};

static const struct lcg_schema_word lcg_schema_kinds[] = {
	{ "libcall", LCG_EV_LIBCALL },
	{ "precall", LCG_EV_PRECALL },
	{ "postcall", LCG_EV_POSTCALL },
};

/* Procedure roles, one bit each, in the order the writer lists them. */
static const struct lcg_schema_word lcg_schema_roles[] = {
	{ "main", LCG_AP_MAIN },
	{ "signal-handler", LCG_AP_SIGNAL_HANDLER },
	{ "exit-handler", LCG_AP_EXIT_HANDLER },
	{ "constructor", LCG_AP_CONSTRUCTOR },
	{ "libc-callback", LCG_AP_LIBC_CALLBACK },
	{ "thread-entry", LCG_AP_THREAD_ENTRY },
	{ "address-taken", LCG_AP_ADDRESS_TAKEN },
};

#define LCG_SCHEMA_COUNT(words) (sizeof(words) / sizeof((words)[0]))

/* The name of @value in @words, or NULL. */
static inline const char *lcg_schema_name(const struct lcg_schema_word *words, size_t n,
					  u32 value)
{
	for (size_t i = 0; i < n; i++)
		if (words[i].value == value)
			return words[i].name;
	return NULL;
}

/* The value of the @len bytes at @name in @words; false if it is not a word. */
static inline bool lcg_schema_value(const struct lcg_schema_word *words, size_t n,
				    const char *name, size_t len, u32 *value)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(words[i].name) == len && !memcmp(words[i].name, name, len)) {
			*value = words[i].value;
			return true;
		}
	return false;
}

/* RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static inline bool lcg_schema_utf8_valid(const u8 *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		u8 c = s[i];
		u32 len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
			: (c & 0xf8) == 0xf0 ? 4 : 0;
		u32 cp;

		if (!len || n - i < len || (len == 2 && c < 0xc2))
			return false;
		cp = len == 1 ? c : c & (0x7fu >> len);
		for (u32 k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* Why @n bytes at @s cannot be a policy.cbor string, or NULL when they can. */
static inline const char *lcg_schema_string_problem(const char *s, size_t n)
{
	if (!n)
		return "empty string";
	if (n > LCG_POLICY_MAX_STRING)
		return "string longer than 4096 bytes";
	if (memchr(s, '\0', n))
		return "string contains a NUL byte";
	if (!lcg_schema_utf8_valid((const u8 *)s, n))
		return "string is not valid UTF-8";
	return NULL;
}

static inline bool lcg_schema_string_ok(const char *s, size_t n)
{
	return !lcg_schema_string_problem(s, n);
}

#endif /* LCG_POLICY_SCHEMA_H */
