// SPDX-License-Identifier: GPL-2.0
/*
 * libc_model.c - parse the libc model and look names up the way the
 * optimiser and glibc's headers spell them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "pda/image.h"
#include "pda/sensitive.h"
#include "libc_model.h"
#include "formats/grow.h"

extern const char lcg_libc_model_text[];	/* generated from libc-model.txt */

static const char *const class_names[LC_N_CLASSES] = {
	[LC_EFFECT] = "effect", [LC_STREAM] = "stream", [LC_STDIO] = "stdio",
	[LC_ALLOC] = "alloc", [LC_SYS] = "sys", [LC_PURE] = "pure",
};

static const char *const role_names[] = {
	[CB_LIBC] = "libc", [CB_SIGNAL] = "signal", [CB_SIGACTION] = "sigaction",
	[CB_EXIT] = "exit", [CB_THREAD] = "thread", [CB_STRUCT] = "struct",
	[CB_ASYNC] = "async", [CB_SIGEVENT] = "sigevent",
};

#define LR_N (LR_SYSNO + 1)
static const char *const refine_names[LR_N] = {
	[LR_OPENFLAGS] = "openflags", [LR_FMODE] = "fmode", [LR_PROT] = "prot",
	[LR_SYSNO] = "sysno",
};

#define CLASS_LIST "exec, spawn, delete, rename, attr, write, net, exec-mem, proc, id, hide, " \
		   "admin or all"

bool libc_class_monitored(u32 cls, u32 set)
{
	switch (set) {
	case LCG_EVENTS_ALL_LIBC:
		return true;
	case LCG_EVENTS_SYSCALLS:
		return cls != LC_PURE;
	default:
		return cls == LC_EFFECT || cls == LC_STREAM;
	}
}

/* The class the sensitive table gives system call @nr when its rule's argument is @value. */
static u32 table_class(u32 nr, u64 value)
{
	const struct lcg_syscall *sc = lcg_syscall_find(nr);
	u64 args[6] = { 0 };

	args[sc->arg % 6] = value;
	return lcg_syscall_class(sc, args, 0, 0);
}

u32 libc_refine_classes(const struct libc_fn *f, u64 value, const char *str)
{
	const u32 write = LCG_SC_BIT(LCG_SC_WRITE), exec_mem = LCG_SC_BIT(LCG_SC_EXEC_MEM);
	const struct lcg_syscall *sc;
	u32 keep = f->sc;

	switch (f->refine) {
	case LR_OPENFLAGS:
		return (keep & ~write) | (keep & table_class(SYS_open, value));
	case LR_PROT:
		return (keep & ~exec_mem) | (keep & table_class(SYS_mprotect, value));
	case LR_FMODE:
		if (!str)
			return keep;
		if (!strpbrk(str, "wa+"))
			keep &= ~write;
		if (!strstr(str, "ccs="))
			keep &= ~exec_mem;	/* only a ccs= mode loads a gconv module */
		return keep;
	case LR_SYSNO:
		/* the kernel reads the number's low 32 bits */
		sc = lcg_syscall_find((u32)value);
		return sc ? keep & LCG_SC_BIT(sc->cls) : 0;
	default:
		return keep;
	}
}

static int lookup_word(const char *const *names, u32 n, const char *w)
{
	for (u32 i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], w))
			return (int)i;
	return -1;
}

/* "exec,write" or "all" into @f->sc. */
static int parse_classes(struct libc_fn *f, const char *list, char *msg, size_t len)
{
	if (!strcmp(list, "all")) {
		f->sc = LCG_SC_ALL;
		return 0;
	}
	for (const char *p = list;; p++) {
		size_t n = strcspn(p, ",");
		u32 c;

		if (!lcg_sclass_parse(p, n, &c)) {
			snprintf(msg, len, "unknown sensitive class \"%.*s\" in sc= (use %s)",
				 (int)n, p, CLASS_LIST);
			return -1;
		}
		f->sc |= LCG_SC_BIT(c);
		p += n;
		if (!*p)
			break;
	}
	return 0;
}

/* "I:KIND" of arg=. */
static int parse_refine(struct libc_fn *f, const char *w, char *msg, size_t len)
{
	char *end;
	unsigned long arg = strtoul(w, &end, 10);
	int kind;

	if (end == w || *end != ':' || arg > 16 ||
	    (kind = lookup_word(refine_names, LR_N, end + 1)) <= LR_NONE) {
		snprintf(msg, len, "arg=%s is not arg=I:KIND with I at most 16 and KIND among "
			 "openflags, fmode, prot, sysno", w);
		return -1;
	}
	f->refine = (u32)kind;
	f->refine_arg = (u32)arg;
	return 0;
}

static int parse_flag(struct libc_fn *f, const char *w, char *msg, size_t len)
{
	if (!strcmp(w, "noreturn"))
		f->flags |= LF_NORETURN;
	else if (!strcmp(w, "setjmp"))
		f->flags |= LF_SETJMP;
	else if (!strcmp(w, "longjmp"))
		f->flags |= LF_LONGJMP;
	else if (!strcmp(w, "escapes"))
		f->flags |= LF_ESCAPES;
	else if (!strcmp(w, "exits"))
		f->flags |= LF_EXITS;
	else if (!strcmp(w, "loads"))
		f->flags |= LF_LOADS;
	else if (!strncmp(w, "sc=", 3))
		return parse_classes(f, w + 3, msg, len);
	else if (!strncmp(w, "arg=", 4))
		return parse_refine(f, w + 4, msg, len);
	else if (!strncmp(w, "callback=", 9)) {
		char *end;
		unsigned long arg = strtoul(w + 9, &end, 10);
		int role;

		if (end == w + 9 || *end != ':' || arg > 16 ||
		    f->n_callbacks == LIBC_MAX_CALLBACKS)
			goto bad;
		role = lookup_word(role_names, sizeof(role_names) / sizeof(role_names[0]), end + 1);
		if (role < 0)
			goto bad;
		f->callbacks[f->n_callbacks].arg = (u32)arg;
		f->callbacks[f->n_callbacks].role = (u32)role;
		f->n_callbacks++;
	} else
		goto bad;
	return 0;
bad:
	snprintf(msg, len, "expected flags among noreturn, setjmp, longjmp, escapes, exits, loads, "
		 "callback=ARG:ROLE, sc=CLASS,..., arg=I:KIND, not \"%s\"", w);
	return -1;
}

/* The classes each refinement narrows: it must have one of them to narrow. */
static u32 refined_classes(u32 refine)
{
	switch (refine) {
	case LR_OPENFLAGS:
		return LCG_SC_BIT(LCG_SC_WRITE);
	case LR_FMODE:
		return LCG_SC_BIT(LCG_SC_WRITE) | LCG_SC_BIT(LCG_SC_EXEC_MEM);
	case LR_PROT:
		return LCG_SC_BIT(LCG_SC_EXEC_MEM);
	default:
		return LCG_SC_ALL;
	}
}

/* One line "NAME CLASS FLAG..." (comments and blanks already skipped). */
static int parse_line(struct libc_fn *f, char *line, char *msg, size_t len)
{
	char *save = NULL;
	char *name = strtok_r(line, " \t", &save);
	char *cls = strtok_r(NULL, " \t", &save);
	char *w;
	int c;

	memset(f, 0, sizeof(*f));
	if (!name || !cls) {
		snprintf(msg, len, "expected a class after the name");
		return -1;
	}
	c = lookup_word(class_names, LC_N_CLASSES, cls);
	if (c < 0) {
		snprintf(msg, len, "expected a class among effect, stream, stdio, alloc, sys, "
			 "pure");
		return -1;
	}
	f->cls = (u32)c;
	while ((w = strtok_r(NULL, " \t", &save)))
		if (parse_flag(f, w, msg, len))
			return -1;
	if (f->refine && !(f->sc & refined_classes(f->refine))) {
		snprintf(msg, len, "%s: arg=%u:%s narrows classes its sc= does not list: "
			 "add them to sc= or drop arg=", name, f->refine_arg,
			 refine_names[f->refine]);
		return -1;
	}
	f->name = strdup(name);
	if (!f->name)
		snprintf(msg, len, "out of memory");
	return f->name ? 0 : -1;
}

static int cmp_fn(const void *a, const void *b)
{
	return strcmp(((const struct libc_fn *)a)->name, ((const struct libc_fn *)b)->name);
}

static int parse_text(struct libc_model *m, char *text, const char *src, char *err, size_t errlen)
{
	u32 cap = 0, lineno = 0;
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char msg[256];
		char *p = line;

		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		if (!lcg_grow32((void **)&m->fns, &cap, m->n + 1, sizeof(*m->fns), LCG_GROW_MAX32)) {
			snprintf(err, errlen, "%s: out of memory", src);
			return -1;
		}
		if (parse_line(&m->fns[m->n], p, msg, sizeof(msg))) {
			snprintf(err, errlen, "%s:%u: %s", src, lineno, msg);
			return -1;
		}
		m->n++;
	}
	qsort(m->fns, m->n, sizeof(*m->fns), cmp_fn);
	for (u32 i = 1; i < m->n; i++)
		if (!strcmp(m->fns[i - 1].name, m->fns[i].name)) {
			snprintf(err, errlen, "%s: %s is listed twice; keep one line", src, m->fns[i].name);
			return -1;
		}
	return 0;
}

static char *read_text(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open the libc model: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (!lcg_grow((void **)&buf, &cap, len + 4096, 1, SIZE_MAX)) {
			free(buf);
			fclose(f);
			snprintf(err, errlen, "%s: out of memory", path);
			return NULL;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
		free(buf);
		buf = NULL;
	} else
		buf[len] = 0;
	fclose(f);
	return buf;
}

int libc_model_load(struct libc_model *m, const char *path, char *err, size_t errlen)
{
	char *text = path ? read_text(path, err, errlen) : strdup(lcg_libc_model_text);
	int r;

	memset(m, 0, sizeof(*m));
	if (!text) {
		if (!path)
			snprintf(err, errlen, "built-in libc model: out of memory");
		return -1;
	}
	r = parse_text(m, text, path ? path : "built-in libc model", err, errlen);
	free(text);
	if (r)
		libc_model_free(m);
	return r;
}

void libc_model_free(struct libc_model *m)
{
	for (u32 i = 0; i < m->n; i++)
		free(m->fns[i].name);
	free(m->fns);
	memset(m, 0, sizeof(*m));
}

const struct libc_fn *libc_model_find(const struct libc_model *m, const char *name, size_t len)
{
	u32 lo = 0, hi = m->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int c = strncmp(m->fns[mid].name, name, len);

		if (!c && m->fns[mid].name[len])
			c = 1;
		if (!c)
			return &m->fns[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool has_prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len > n && !memcmp(s, p, n);
}

const struct libc_fn *libc_model_lookup(const struct libc_model *m, const char *name, size_t len)
{
	const struct libc_fn *f = libc_model_find(m, name, len);

	if (f)
		return f;
	if (has_prefix(name, len, "__isoc99_") || has_prefix(name, len, "__isoc23_"))
		return libc_model_lookup(m, name + 9, len - 9);
	if (len == 13 && !memcmp(name, "__sysv_signal", 13))
		return libc_model_find(m, "signal", 6);
	/* _FORTIFY_SOURCE: __memcpy_chk, __printf_chk, __read_chk, ... */
	if (len > 6 && has_prefix(name, len, "__") && !memcmp(name + len - 4, "_chk", 4))
		return libc_model_lookup(m, name + 2, len - 6);
	/* fortified open: __open_2, __open64_2, __openat_2 */
	if (len > 4 && has_prefix(name, len, "__") && !memcmp(name + len - 2, "_2", 2))
		return libc_model_lookup(m, name + 2, len - 4);
	/* _FILE_OFFSET_BITS=64: open64, fopen64, lseek64, readdir64, ... */
	if (len > 2 && !memcmp(name + len - 2, "64", 2))
		return libc_model_find(m, name, len - 2);
	return NULL;
}
