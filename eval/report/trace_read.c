// SPDX-License-Identifier: GPL-2.0
/* trace_read.c - parse an lcg-trace text record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_read.h"
#include "formats/grow.h"

static int push(struct trace *t, u32 id, u64 offset)
{
	if (!lcg_grow((void **)&t->ev, &t->cap, t->n + 1, sizeof(*t->ev), SIZE_MAX))
		return -1;
	t->ev[t->n].id = id;
	t->ev[t->n].offset = offset;
	t->n++;
	return 0;
}

/*
 * PID TID EVENT KIND CALLEE FUNCTION FILE:LINE OFFSET [ALLOWED] VERDICT
 * (ALLOWED came later: both layouts are read; the verdict is the last field).
 */
static int parse_event(struct trace *t, char *line, long main_pid,
		       const char *path, unsigned long lineno)
{
	char *field[12], *save = NULL, *tok;
	int n = 0;
	long pid, tid;

	for (tok = strtok_r(line, " \t\n", &save); tok && n < 12; tok = strtok_r(NULL, " \t\n", &save))
		field[n++] = tok;
	if (n != 9 && n != 10) {
		fprintf(stderr, "lcg-precision: %s:%lu: not an event line (PID TID EVENT KIND "
			"CALLEE FUNCTION FILE:LINE OFFSET [ALLOWED] VERDICT)\n", path, lineno);
		return -1;
	}
	pid = strtol(field[0], NULL, 10);
	tid = strtol(field[1], NULL, 10);
	if (pid != main_pid || tid != main_pid) {
		t->ignored++;
		return 0;
	}
	if (strcmp(field[n - 1], "ok")) {
		t->unverified++;
		return 0;
	}
	if (push(t, (u32)strtoul(field[2], NULL, 10),
		 strcmp(field[7], "-") ? strtoull(field[7], NULL, 16) : ~0ull)) {
		fprintf(stderr, "lcg-precision: out of memory reading %s\n", path);
		return -1;
	}
	return 0;
}

int trace_read(struct trace *t, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	unsigned long lineno = 0;
	long main_pid = -1;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (!f) {
		perror(path);
		return -1;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		long pid;

		lineno++;
		if (line[0] == '#') {
			if (main_pid < 0 && sscanf(line, "# exec %ld monitored", &pid) == 1)
				main_pid = pid;
			continue;
		}
		if (main_pid < 0) {
			t->ignored++;
			continue;
		}
		rc = parse_event(t, line, main_pid, path, lineno);
	}
	if (ferror(f)) {
		fprintf(stderr, "lcg-precision: reading %s failed\n", path);
		rc = -1;
	}
	fclose(f);
	if (rc)
		trace_free(t);
	return rc;
}

void trace_free(struct trace *t)
{
	free(t->ev);
	memset(t, 0, sizeof(*t));
}
