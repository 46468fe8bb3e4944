// SPDX-License-Identifier: GPL-2.0
/* record.c - write the event record as text columns or JSON lines. */
#define _GNU_SOURCE
#include "record.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pda/sensitive.h"

/* A path that is not (or not yet) a regular file: a terminal, a pipe, /dev/stdout. */
static bool is_stream(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

static int open_stream(struct recorder *r, const char *path)
{
	r->out = fopen(path, "we");
	if (!r->out) {
		fprintf(stderr, "lcg-trace: cannot open the record '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	r->own_stream = true;
	setvbuf(r->out, NULL, _IOLBF, 0);	/* someone is watching: line by line */
	return 0;
}

/* What open(2) would give a new file: 0666 less the umask (mkstemp gives 0600). */
static mode_t creation_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

/* A regular file is written under a temporary name, renamed when complete. */
static int open_file(struct recorder *r, const char *path)
{
	char err[1024];

	if (lcg_atomic_open(&r->file, path, creation_mode(), err, sizeof(err))) {
		fprintf(stderr, "lcg-trace: cannot create the record next to %s (is the "
			"directory writable?)\n", err);
		return -1;
	}
	r->out = r->file.f;
	return 0;
}

int recorder_open(struct recorder *r, const char *path, bool json, bool to_stderr)
{
	memset(r, 0, sizeof(*r));
	r->json = json;
	if (!path) {
		if (to_stderr)
			r->out = stderr;
		return 0;
	}
	if (!strcmp(path, "-")) {
		r->out = stdout;
		setvbuf(stdout, NULL, _IOLBF, 0);
		return 0;
	}
	return is_stream(path) ? open_stream(r, path) : open_file(r, path);
}

/* Column text: one word, "-" for nothing (the record splits on blanks). */
static const char *word(const char *s)
{
	return s && *s ? s : "-";
}

static void json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* "0x1f0" when in the executable, else "-" */
static void offset_text(FILE *f, const struct trace_place *at)
{
	if (at->in_exe)
		fprintf(f, "0x%" PRIx64, at->offset);
	else
		fputc('-', f);
}

/* the offset (null outside the executable) and the address, both decimal */
static void offset_json(FILE *f, const struct trace_place *at)
{
	if (at->in_exe)
		fprintf(f, "%" PRIu64, at->offset);
	else
		fputs("null", f);
	fprintf(f, ",\"address\":%" PRIu64, at->addr);
}

static void event_text(FILE *f, const struct trace_event *ev)
{
	const struct lcg_event_info *in = ev->info;

	fprintf(f, "%d %d %" PRIu32 " %s %s %s ", (int)ev->pid, (int)ev->tid, ev->id,
		in ? trace_kind_str(in->kind) : "-", word(in ? in->callee : NULL),
		word(in ? in->function : NULL));
	if (in && in->file)
		fprintf(f, "%s:%" PRIu32, in->file, in->line);
	else
		fputc('-', f);
	fputc(' ', f);
	offset_text(f, &ev->at);
	if (ev->allowed >= 0)
		fprintf(f, " %ld", ev->allowed);
	else
		fputs(" -", f);
	fprintf(f, " %s\n", ev->verdict);
}

static void event_json(FILE *f, const struct trace_event *ev)
{
	const struct lcg_event_info *in = ev->info;

	fprintf(f, "{\"type\":\"event\",\"pid\":%d,\"tid\":%d,\"event\":%" PRIu32 ",\"kind\":",
		(int)ev->pid, (int)ev->tid, ev->id);
	json_str(f, in ? trace_kind_str(in->kind) : NULL);
	fputs(",\"callee\":", f);
	json_str(f, in ? in->callee : NULL);
	fputs(",\"function\":", f);
	json_str(f, in ? in->function : NULL);
	fputs(",\"file\":", f);
	json_str(f, in ? in->file : NULL);
	fprintf(f, ",\"line\":%" PRIu32 ",\"offset\":", in ? in->line : 0);
	offset_json(f, &ev->at);
	fputs(",\"allowed\":", f);
	if (ev->allowed >= 0)
		fprintf(f, "%ld", ev->allowed);
	else
		fputs("null", f);
	fputs(",\"verdict\":", f);
	json_str(f, ev->verdict);
	fputs("}\n", f);
}

void record_event(struct recorder *r, const struct trace_event *ev)
{
	if (!r->out)
		return;
	if (r->json)
		event_json(r->out, ev);
	else
		event_text(r->out, ev);
}

static void syscall_text(FILE *f, const struct trace_syscall *sc, const char *cls,
			 const char *armed)
{
	const struct lcg_event_info *last = sc->last_info;

	fprintf(f, "# syscall %d %d %s %s ", (int)sc->pid, (int)sc->tid, sc->name, cls);
	offset_text(f, &sc->at);
	fprintf(f, " %s %" PRIu32 " %s %s\n", armed, sc->last, word(last ? last->callee : NULL),
		sc->verdict);
}

static void syscall_json(FILE *f, const struct trace_syscall *sc, const char *cls,
			 const char *armed)
{
	const struct lcg_event_info *last = sc->last_info;

	fprintf(f, "{\"type\":\"syscall\",\"pid\":%d,\"tid\":%d,\"syscall\":", (int)sc->pid,
		(int)sc->tid);
	json_str(f, sc->name);
	fprintf(f, ",\"abi\":\"%s\",\"class\":\"%s\",\"offset\":", sc->abi, cls);
	offset_json(f, &sc->at);
	fprintf(f, ",\"armed\":\"%s\",\"last_event\":%" PRIu32 ",\"last_callee\":", armed,
		sc->last);
	json_str(f, last ? last->callee : NULL);
	fputs(",\"verdict\":", f);
	json_str(f, sc->verdict);
	fputs("}\n", f);
}

void record_syscall(struct recorder *r, const struct trace_syscall *sc)
{
	char cls[160], armed[160];

	if (!r->out)
		return;
	lcg_sclass_format(sc->cls, cls, sizeof(cls));
	lcg_sclass_format(sc->armed, armed, sizeof(armed));
	if (r->json)
		syscall_json(r->out, sc, cls, armed);
	else
		syscall_text(r->out, sc, cls, armed);
}

void record_entry(struct recorder *r, pid_t pid)
{
	if (!r->out)
		return;
	if (r->json)
		fprintf(r->out, "{\"type\":\"entry\",\"pid\":%d}\n", (int)pid);
	else
		fprintf(r->out, "# entry %d\n", (int)pid);
}

void record_exec(struct recorder *r, pid_t pid, const char *exe, const char *state)
{
	if (!r->out)
		return;
	if (!r->json) {
		fprintf(r->out, "# exec %d %s %s\n", (int)pid, state, word(exe));
		return;
	}
	fprintf(r->out, "{\"type\":\"exec\",\"pid\":%d,\"exe\":", (int)pid);
	json_str(r->out, exe);
	fputs(",\"state\":", r->out);
	json_str(r->out, state);
	fputs("}\n", r->out);
}

void record_spawn(struct recorder *r, const char *how, pid_t pid, pid_t tid, pid_t child)
{
	if (!r->out)
		return;
	if (r->json)
		fprintf(r->out, "{\"type\":\"%s\",\"pid\":%d,\"tid\":%d,\"child\":%d}\n",
			how, (int)pid, (int)tid, (int)child);
	else
		fprintf(r->out, "# %s %d %d %d\n", how, (int)pid, (int)tid, (int)child);
}

void record_exit(struct recorder *r, pid_t tid, int status)
{
	bool sig = WIFSIGNALED(status);
	int value = sig ? WTERMSIG(status) : WEXITSTATUS(status);

	if (!r->out)
		return;
	if (r->json)
		fprintf(r->out, "{\"type\":\"exit\",\"tid\":%d,\"%s\":%d}\n", (int)tid,
			sig ? "signal" : "code", value);
	else
		fprintf(r->out, "# exit %d %s %d\n", (int)tid, sig ? "signal" : "code", value);
}

/* A regular file: put in place (or dropped); @keep false drops it. */
static int close_file(struct recorder *r, bool keep)
{
	char err[1024];

	r->out = NULL;
	if (!keep) {
		lcg_atomic_abort(&r->file);
		return 0;
	}
	if (!lcg_atomic_commit(&r->file, err, sizeof(err)))
		return 0;
	fprintf(stderr, "lcg-trace: cannot write the record %s\n", err);
	return -1;
}

int recorder_close(struct recorder *r, bool keep)
{
	int ret = 0;

	if (!r->out)
		return 0;
	if (r->file.f)
		return close_file(r, keep);
	if (fflush(r->out) != 0)
		ret = -1;
	if (r->own_stream && fclose(r->out) != 0)
		ret = -1;
	r->out = NULL;
	if (ret != 0)
		fprintf(stderr, "lcg-trace: cannot write the record: %s\n", strerror(errno));
	return ret;
}
