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

#include "formats/json.h"
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

/* "0x1f0" when in the executable, else "-" */
static void offset_text(FILE *f, const struct trace_place *at)
{
	if (at->in_exe)
		fprintf(f, "0x%" PRIx64, at->offset);
	else
		fputc('-', f);
}

/* the offset (null outside the executable) and the address, both decimal */
static void offset_json(struct json_object *o, const struct trace_place *at)
{
	json_object_object_add(o, "offset", at->in_exe ? json_object_new_uint64(at->offset) : NULL);
	json_object_object_add(o, "address", json_object_new_uint64(at->addr));
}

/* A record line's object, its "type" first. */
static struct json_object *line_json(const char *type)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string(type));
	return o;
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
	struct json_object *o = line_json("event");

	json_object_object_add(o, "pid", json_object_new_int(ev->pid));
	json_object_object_add(o, "tid", json_object_new_int(ev->tid));
	json_object_object_add(o, "event", json_object_new_uint64(ev->id));
	json_object_object_add(o, "kind", lcg_json_string(in ? trace_kind_str(in->kind) : NULL));
	json_object_object_add(o, "callee", lcg_json_string(in ? in->callee : NULL));
	json_object_object_add(o, "function", lcg_json_string(in ? in->function : NULL));
	json_object_object_add(o, "file", lcg_json_string(in ? in->file : NULL));
	json_object_object_add(o, "line", json_object_new_uint64(in ? in->line : 0));
	offset_json(o, &ev->at);
	json_object_object_add(o, "allowed",
			       ev->allowed >= 0 ? json_object_new_int64(ev->allowed) : NULL);
	json_object_object_add(o, "verdict", lcg_json_string(ev->verdict));
	lcg_json_print(f, o, false);
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
	struct json_object *o = line_json("syscall");

	json_object_object_add(o, "pid", json_object_new_int(sc->pid));
	json_object_object_add(o, "tid", json_object_new_int(sc->tid));
	json_object_object_add(o, "syscall", json_object_new_string(sc->name));
	json_object_object_add(o, "abi", json_object_new_string(sc->abi));
	json_object_object_add(o, "class", json_object_new_string(cls));
	offset_json(o, &sc->at);
	json_object_object_add(o, "armed", json_object_new_string(armed));
	json_object_object_add(o, "last_event", json_object_new_uint64(sc->last));
	json_object_object_add(o, "last_callee", lcg_json_string(last ? last->callee : NULL));
	json_object_object_add(o, "verdict", lcg_json_string(sc->verdict));
	lcg_json_print(f, o, false);
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
	struct json_object *o;

	if (!r->out)
		return;
	if (!r->json) {
		fprintf(r->out, "# entry %d\n", (int)pid);
		return;
	}
	o = line_json("entry");
	json_object_object_add(o, "pid", json_object_new_int(pid));
	lcg_json_print(r->out, o, false);
}

void record_exec(struct recorder *r, pid_t pid, const char *exe, const char *state)
{
	struct json_object *o;

	if (!r->out)
		return;
	if (!r->json) {
		fprintf(r->out, "# exec %d %s %s\n", (int)pid, state, word(exe));
		return;
	}
	o = line_json("exec");
	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "exe", lcg_json_string(exe));
	json_object_object_add(o, "state", lcg_json_string(state));
	lcg_json_print(r->out, o, false);
}

void record_spawn(struct recorder *r, const char *how, pid_t pid, pid_t tid, pid_t child)
{
	struct json_object *o;

	if (!r->out)
		return;
	if (!r->json) {
		fprintf(r->out, "# %s %d %d %d\n", how, (int)pid, (int)tid, (int)child);
		return;
	}
	o = line_json(how);
	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "tid", json_object_new_int(tid));
	json_object_object_add(o, "child", json_object_new_int(child));
	lcg_json_print(r->out, o, false);
}

void record_exit(struct recorder *r, pid_t tid, int status)
{
	bool sig = WIFSIGNALED(status);
	int value = sig ? WTERMSIG(status) : WEXITSTATUS(status);
	struct json_object *o;

	if (!r->out)
		return;
	if (!r->json) {
		fprintf(r->out, "# exit %d %s %d\n", (int)tid, sig ? "signal" : "code", value);
		return;
	}
	o = line_json("exit");
	json_object_object_add(o, "tid", json_object_new_int(tid));
	json_object_object_add(o, sig ? "signal" : "code", json_object_new_int(value));
	lcg_json_print(r->out, o, false);
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
