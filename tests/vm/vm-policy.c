// SPDX-License-Identifier: GPL-2.0
/*
 * vm-policy - hand-made policies for the kernel tests, without the analysis.
 *
 * Reads a small text description of per-procedure library call graphs,
 * writes policy.cbor through lcg_policy_write(), then finalises it against
 * the built test program (lcg_finalize(): pins from .lcg_sites, SHA-256) the
 * same way lcg-cc does.  With --image it also writes the compiled image and,
 * with --hostile DIR, images damaged on purpose for the validator tests.
 *
 * lcg_finalize() also records what binding needs (docs/binding.md): the
 * entry point, whether the binary is static, and its raw system call sites
 * (.lcg_sites entries of id LCG_RAW_SITE_ID) as raw pins.
 *
 * Description, one item per line ('#' starts a comment):
 *   event ID CALLEE FUNCTION [FILE:LINE] [classes=LIST]
 *                                          a LIBCALL event; LIST: the sensitive
 *                                          classes it arms (pda/sensitive.h names,
 *                                          comma-separated, or all, or none)
 *   proc NAME ROLES                        ROLES: main,signal,thread,exit,callback or -
 *   edge FROM TO ID                        in the current proc; "entry" is its entry,
 *                                          other state names are created on first use;
 *                                          ID 0 is epsilon
 *   exit STATE                             the procedure may return from STATE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/finalize.h"
#include "formats/policy.h"
#include "pda/sensitive.h"

#define MAX_NAMES 256

struct spec_state {
	char name[64];
	u32 id;
};

struct spec {
	struct lcg_policy *pol;
	u32 proc;			/* current procedure, LCG_NONE before the first */
	struct spec_state names[MAX_NAMES];
	u32 n_names;
	const char *path;
	unsigned int line;
};

static void die(const struct spec *s, const char *msg)
{
	fprintf(stderr, "vm-policy: %s:%u: %s\n", s->path, s->line, msg);
	exit(1);
}

static char *xstrdup(const char *str)
{
	char *d = strdup(str);

	if (!d) {
		perror("vm-policy");
		exit(1);
	}
	return d;
}

static u32 parse_roles(const struct spec *s, char *roles)
{
	static const struct { const char *name; u32 flag; } table[] = {
		{ "main", LCG_AP_MAIN }, { "signal", LCG_AP_SIGNAL_HANDLER },
		{ "thread", LCG_AP_THREAD_ENTRY }, { "exit", LCG_AP_EXIT_HANDLER },
		{ "callback", LCG_AP_LIBC_CALLBACK },
	};
	u32 flags = 0;
	char *tok, *save;
	size_t i;

	if (!strcmp(roles, "-"))
		return 0;
	for (tok = strtok_r(roles, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
			if (!strcmp(tok, table[i].name))
				break;
		if (i == sizeof(table) / sizeof(table[0]))
			die(s, "unknown role (main, signal, thread, exit, callback)");
		flags |= table[i].flag;
	}
	return flags;
}

/* A state of the current procedure by name, created on first use. */
static u32 state(struct spec *s, const char *name)
{
	struct lcg_automaton *a = &s->pol->graphs;
	u32 i;

	if (s->proc == LCG_NONE)
		die(s, "edge or exit before any proc");
	if (!strcmp(name, "entry"))
		return a->procs[s->proc].entry;
	for (i = 0; i < s->n_names; i++)
		if (!strcmp(s->names[i].name, name))
			return s->names[i].id;
	if (s->n_names == MAX_NAMES || strlen(name) >= sizeof(s->names[0].name))
		die(s, "too many or too long state names");
	snprintf(s->names[s->n_names].name, sizeof(s->names[0].name), "%s", name);
	s->names[s->n_names].id = lcg_aut_add_state(a, s->proc);
	return s->names[s->n_names++].id;
}

static u32 parse_classes(const struct spec *s, const char *list)
{
	u32 mask = 0, cls;
	const char *p = list, *end;

	if (!strcmp(list, "all"))
		return LCG_SC_ALL;
	if (!strcmp(list, "none"))
		return 0;
	while (*p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (!lcg_sclass_parse(p, (size_t)(end - p), &cls))
			die(s, "unknown class in classes= (see pda/sensitive.c's names)");
		mask |= LCG_SC_BIT(cls);
		p = *end ? end + 1 : end;
	}
	return mask;
}

static void add_event(struct spec *s, u32 id, const char *callee, const char *func,
		      const char *where, u32 classes)
{
	struct lcg_policy *p = s->pol;
	struct lcg_event_info *e;
	const char *colon;

	if (id == 0 || id > 100000)
		die(s, "event ids are 1..100000");
	if (id >= p->n_events) {
		p->events = realloc(p->events, (id + 1) * sizeof(*p->events));
		if (!p->events)
			die(s, "out of memory");
		memset(p->events + p->n_events, 0, (id + 1 - p->n_events) * sizeof(*p->events));
		for (u32 i = p->n_events; i <= id; i++)
			p->events[i].site = LCG_NONE;
		p->n_events = id + 1;
	}
	e = &p->events[id];
	if (e->kind != LCG_EV_UNUSED)
		die(s, "event defined twice");
	e->kind = LCG_EV_LIBCALL;
	e->classes = classes;
	e->callee = xstrdup(callee);
	e->function = xstrdup(func);
	if (where) {
		colon = strrchr(where, ':');
		if (!colon)
			die(s, "FILE:LINE expected");
		e->file = strndup(where, colon - where);
		e->line = strtoul(colon + 1, NULL, 10);
	}
}

static void parse_line(struct spec *s, char *line)
{
	char *argv[7], *save;
	const char *classes = NULL;
	int argc = 0;

	for (char *t = strtok_r(line, " \t\n", &save); t && argc < 7; t = strtok_r(NULL, " \t\n", &save)) {
		if (*t == '#')
			break;
		argv[argc++] = t;
	}
	if (!argc)
		return;
	if (!strcmp(argv[0], "event") && argc >= 5 && !strncmp(argv[argc - 1], "classes=", 8))
		classes = argv[--argc] + 8;
	if (!strcmp(argv[0], "event") && (argc == 4 || argc == 5)) {
		add_event(s, strtoul(argv[1], NULL, 10), argv[2], argv[3], argc == 5 ? argv[4] : NULL,
			  classes ? parse_classes(s, classes) : 0);
	} else if (!strcmp(argv[0], "proc") && argc == 3) {
		s->proc = lcg_aut_add_proc(&s->pol->graphs, argv[1], parse_roles(s, argv[2]));
		s->n_names = 0;
	} else if (!strcmp(argv[0], "edge") && argc == 4) {
		u32 from = state(s, argv[1]), to = state(s, argv[2]);

		lcg_aut_add_edge(&s->pol->graphs, from, to, strtoul(argv[3], NULL, 10), LCG_NONE);
	} else if (!strcmp(argv[0], "exit") && argc == 2) {
		lcg_aut_set_exit(&s->pol->graphs, state(s, argv[1]));
	} else {
		die(s, "expected: event ID CALLEE FUNCTION [FILE:LINE] [classes=LIST] | "
		       "proc NAME ROLES | edge FROM TO ID | exit STATE");
	}
}

static void read_spec(struct lcg_policy *pol, const char *path, const char *binary)
{
	struct spec s = { .pol = pol, .proc = LCG_NONE, .path = path };
	char buf[512];
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "vm-policy: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	lcg_policy_init(pol);
	pol->program = xstrdup(binary);
	pol->mode = LCG_MODE_PDA;
	pol->event_set = LCG_EVENTS_EFFECTS;
	pol->n_events = 1;
	pol->events = calloc(1, sizeof(*pol->events));
	pol->events[0].site = LCG_NONE;
	while (fgets(buf, sizeof(buf), f)) {
		s.line++;
		parse_line(&s, buf);
	}
	fclose(f);
	if (pol->graphs.oom)
		die(&s, "out of memory");
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "vm-policy: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* Each damaged copy breaks one rule the validator must enforce. */
static void write_hostile(const char *dir, const u8 *img, size_t len)
{
	struct lcg_img_header h;
	char path[4096];
	u8 *bad = malloc(len);
	u32 off;

	if (!bad)
		exit(1);
	memcpy(&h, img, sizeof(h));
	snprintf(path, sizeof(path), "%s/truncated.img", dir);
	write_file(path, img, len / 2);
	for (size_t i = 0; i < len; i++)
		bad[i] = (u8)(i * 2654435761u >> 13);
	snprintf(path, sizeof(path), "%s/garbage.img", dir);
	write_file(path, bad, len);

	/* an edge whose target is past the last state */
	memcpy(bad, img, len);
	off = h.sec[LCG_SEC_EDGES].off + offsetof(struct lcg_img_edge, target);
	memset(bad + off, 0xff, 4);
	snprintf(path, sizeof(path), "%s/bad-edge-target.img", dir);
	write_file(path, bad, len);

	/* a section that claims to extend past the end of the image */
	memcpy(bad, img, len);
	off = offsetof(struct lcg_img_header, sec) + LCG_SEC_STATES * sizeof(struct lcg_img_section) +
	      offsetof(struct lcg_img_section, count);
	memset(bad + off, 0x7f, 4);
	snprintf(path, sizeof(path), "%s/bad-section.img", dir);
	write_file(path, bad, len);

	/* a root state out of range */
	memcpy(bad, img, len);
	off = offsetof(struct lcg_img_header, root_state);
	memset(bad + off, 0xee, 4);
	snprintf(path, sizeof(path), "%s/bad-root.img", dir);
	write_file(path, bad, len);

	/*
	 * valid for the validator, but its entry point lies past the end of
	 * the binary: the kernel cannot place its start-up uprobe (not .img:
	 * the image is refused at binding, not by the validator)
	 */
	memcpy(bad, img, len);
	off = offsetof(struct lcg_img_header, entry);
	memcpy(bad + off, &(u64){ 0x7ffffff000ull }, sizeof(u64));
	snprintf(path, sizeof(path), "%s/entry-past-end.image", dir);
	write_file(path, bad, len);

	/*
	 * every state claims the edges of the first state that has some: the
	 * overlapping ranges that once made the validator's work quadratic
	 */
	memcpy(bad, img, len);
	{
		struct lcg_img_state *st = (struct lcg_img_state *)(bad + h.sec[LCG_SEC_STATES].off);
		u32 n = h.sec[LCG_SEC_STATES].count, first = n, i;

		for (i = 0; i < n && first == n; i++)
			if (st[i].n_edges)
				first = i;
		for (i = 0; first < n && i < n; i++) {
			st[i].first_edge = st[first].first_edge;
			st[i].n_edges = st[first].n_edges;
		}
	}
	snprintf(path, sizeof(path), "%s/overlapping.img", dir);
	write_file(path, bad, len);

	/* an event index naming a state the event's edges do not enter */
	memcpy(bad, img, len);
	if (h.sec[LCG_SEC_EVTARGETS].count && h.sec[LCG_SEC_STATES].count > 1) {
		u32 *t = (u32 *)(bad + h.sec[LCG_SEC_EVTARGETS].off);

		t[0] = (t[0] + 1) % h.sec[LCG_SEC_STATES].count;
		snprintf(path, sizeof(path), "%s/bad-index.img", dir);
		write_file(path, bad, len);
	}

	/* not finalised: the pin check must not be switched off by a flag */
	memcpy(bad, img, len);
	((struct lcg_img_header *)bad)->flags &= ~LCG_IMG_PINNED;
	snprintf(path, sizeof(path), "%s/unpinned.img", dir);
	write_file(path, bad, len);

	/*
	 * valid for the validator, but says the (dynamically linked) binary is
	 * static, which would switch the origin check off: refused at binding
	 */
	memcpy(bad, img, len);
	((struct lcg_img_header *)bad)->flags |= LCG_IMG_STATIC;
	snprintf(path, sizeof(path), "%s/static.image", dir);
	write_file(path, bad, len);

	/* a string table that does not end with a terminator */
	memcpy(bad, img, len);
	if (h.sec[LCG_SEC_STRTAB].count) {
		memset(bad + h.sec[LCG_SEC_STRTAB].off, 'A', h.sec[LCG_SEC_STRTAB].count);
		snprintf(path, sizeof(path), "%s/bad-strtab.img", dir);
		write_file(path, bad, len);
	}
	free(bad);
}

static void usage(void)
{
	fprintf(stderr, "usage: vm-policy SPEC BINARY OUT.cbor [--image OUT.img] [--hostile DIR]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *image_out = NULL, *hostile = NULL;
	struct lcg_policy pol, fin;
	char err[512];
	size_t len;
	void *img;
	int i;

	if (argc < 4)
		usage();
	for (i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "--image") && i + 1 < argc)
			image_out = argv[++i];
		else if (!strcmp(argv[i], "--hostile") && i + 1 < argc)
			hostile = argv[++i];
		else
			usage();
	}
	read_spec(&pol, argv[1], argv[2]);
	if (lcg_policy_write(&pol, argv[3], err, sizeof(err)) ||
	    lcg_finalize(argv[3], argv[2], err, sizeof(err))) {
		fprintf(stderr, "vm-policy: %s\n", err);
		return 1;
	}
	lcg_policy_free(&pol);
	if (!image_out && !hostile)
		return 0;
	lcg_policy_init(&fin);
	if (lcg_policy_read(&fin, argv[3], err, sizeof(err)) ||
	    lcg_image_build(&fin, &img, &len, err, sizeof(err))) {
		fprintf(stderr, "vm-policy: %s\n", err);
		return 1;
	}
	if (image_out)
		write_file(image_out, img, len);
	if (hostile)
		write_hostile(hostile, img, len);
	free(img);
	lcg_policy_free(&fin);
	return 0;
}
