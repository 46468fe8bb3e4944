/* say.h - output for the test programs: unbuffered write(2), so that plain
 * and instrumented runs print the same bytes in the same order. */
#ifndef LCG_TEST_SAY_H
#define LCG_TEST_SAY_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static inline void say(const char *s)
{
	ssize_t r = write(1, s, strlen(s));

	(void)r;
}

static inline void say_num(const char *label, long v)
{
	char b[96];

	snprintf(b, sizeof(b), "%s %ld\n", label, v);
	say(b);
}

#endif
