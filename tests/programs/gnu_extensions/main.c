/*
 * glibc's GNU extensions that gnulib-based programs (sed, grep, tar,
 * coreutils) call: GNU regex, gettext, wide ctype, getdtablesize.  The libc
 * model must know them: an unknown external is an event that arms every
 * sensitive class, and its link warns (this test expects a silent link).
 */
#define _GNU_SOURCE
#include <libintl.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wctype.h>
#include "say.h"

static int grep_line(struct re_pattern_buffer *re, const char *line)
{
	return re_search(re, line, (int)strlen(line), 0, (int)strlen(line), NULL) >= 0;
}

int main(int argc, char **argv)
{
	struct re_pattern_buffer re;
	const char *err;
	int matches = 0, punct = 0;

	textdomain("lcg-test");
	bindtextdomain("lcg-test", "/nonexistent");
	memset(&re, 0, sizeof(re));
	re_set_syntax(RE_SYNTAX_POSIX_EXTENDED);
	err = re_compile_pattern("([0-9])\\1", 9, &re);
	if (err) {
		say(err);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		matches += grep_line(&re, argv[i]);
		for (const char *p = argv[i]; *p; p++)
			punct += iswpunct((wint_t)(unsigned char)*p) != 0;
	}
	regfree(&re);
	say_num(gettext("lines with a doubled digit:"), matches);
	say_num(dcgettext(NULL, "punctuation:", LC_MESSAGES), punct);
	say_num("descriptors known:", getdtablesize() > 0);
	return 0;
}
