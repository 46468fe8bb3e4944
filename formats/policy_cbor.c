// SPDX-License-Identifier: GPL-2.0
/*
 * policy_cbor.c - read policy.cbor (docs/policy-format.md).
 *
 * A pull parser over libcbor's streaming decoder: each call decodes one item
 * head, and the schema walks the file top-down.  No item tree is built, so a
 * hostile file cannot make libcbor preallocate a huge array from a 9-byte
 * head, nor nest deep enough to exhaust the stack when freeing: the schema
 * fixes the depth, every count is bounded by pda/limits.h and by the bytes
 * left in the buffer before anything is allocated, and every index is checked
 * by lcg_policy_check() before the policy is handed out.
 */
#include <cbor.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>

#include "../pda/limits.h"
#include "../pda/sensitive.h"
#include "policy.h"
#include "policy_schema.h"

/* Files above this size are refused before being read (a real policy of
 * LCG_MAX_EDGES edges at ~10 bytes each stays well below). */
#define LCG_POLICY_MAX_FILE (512u << 20)

enum tok_type {
	T_UINT, T_NEGINT, T_BYTES, T_TEXT, T_ARRAY, T_MAP, T_BOOL, T_NULL,
	T_FLOAT, T_TAG, T_UNDEF, T_INDEFINITE, T_BREAK,
};

static const char *const tok_names[] = {
	[T_UINT] = "an unsigned integer", [T_NEGINT] = "a negative integer",
	[T_BYTES] = "a byte string", [T_TEXT] = "a text string", [T_ARRAY] = "an array",
	[T_MAP] = "a map", [T_BOOL] = "a boolean", [T_NULL] = "null",
	[T_FLOAT] = "a float", [T_TAG] = "a tag", [T_UNDEF] = "undefined",
	[T_INDEFINITE] = "an indefinite-length item", [T_BREAK] = "a break",
};

/* One decoded item head. */
struct tok {
	enum tok_type type;
	u64 u;			/* integer value, boolean, or item count */
	const u8 *data;		/* byte and text strings */
};

#define PATH_MAX_DEPTH 8

struct path_seg {
	const char *key;	/* NULL: an array index */
	u32 index;
};

struct rd {
	const u8 *buf;
	size_t len, pos;
	const char *file;
	char *err;
	size_t errlen;
	struct path_seg segs[PATH_MAX_DEPTH];	/* field path of the item being read */
	size_t depth;
	struct lcg_policy *p;
	/* the explicit role lists, cross-checked against the flags at the end */
	u32 *lists[5];
	u32 n_lists[5];
	bool has_nfa;
};

/* ---- item heads ------------------------------------------------------- */

#define TOK(ctx) ((struct tok *)(ctx))
static void on_uint8(void *c, uint8_t v) { TOK(c)->type = T_UINT; TOK(c)->u = v; }
static void on_uint16(void *c, uint16_t v) { TOK(c)->type = T_UINT; TOK(c)->u = v; }
static void on_uint32(void *c, uint32_t v) { TOK(c)->type = T_UINT; TOK(c)->u = v; }
static void on_uint64(void *c, uint64_t v) { TOK(c)->type = T_UINT; TOK(c)->u = v; }
static void on_neg8(void *c, uint8_t v) { TOK(c)->type = T_NEGINT; TOK(c)->u = v; }
static void on_neg16(void *c, uint16_t v) { TOK(c)->type = T_NEGINT; TOK(c)->u = v; }
static void on_neg32(void *c, uint32_t v) { TOK(c)->type = T_NEGINT; TOK(c)->u = v; }
static void on_neg64(void *c, uint64_t v) { TOK(c)->type = T_NEGINT; TOK(c)->u = v; }
static void on_bytes(void *c, cbor_data d, size_t n)
{
	TOK(c)->type = T_BYTES;
	TOK(c)->data = d;
	TOK(c)->u = n;
}
static void on_text(void *c, cbor_data d, size_t n)
{
	TOK(c)->type = T_TEXT;
	TOK(c)->data = d;
	TOK(c)->u = n;
}
static void on_array(void *c, size_t n) { TOK(c)->type = T_ARRAY; TOK(c)->u = n; }
static void on_map(void *c, size_t n) { TOK(c)->type = T_MAP; TOK(c)->u = n; }
static void on_indefinite(void *c) { TOK(c)->type = T_INDEFINITE; }
static void on_tag(void *c, uint64_t v) { TOK(c)->type = T_TAG; TOK(c)->u = v; }
static void on_float(void *c, float v) { TOK(c)->type = T_FLOAT; }
static void on_double(void *c, double v) { TOK(c)->type = T_FLOAT; }
static void on_undef(void *c) { TOK(c)->type = T_UNDEF; }
static void on_null(void *c) { TOK(c)->type = T_NULL; }
static void on_bool(void *c, bool v) { TOK(c)->type = T_BOOL; TOK(c)->u = v; }
static void on_break(void *c) { TOK(c)->type = T_BREAK; }

static const struct cbor_callbacks tok_callbacks = {
	.uint8 = on_uint8, .uint16 = on_uint16, .uint32 = on_uint32, .uint64 = on_uint64,
	.negint8 = on_neg8, .negint16 = on_neg16, .negint32 = on_neg32, .negint64 = on_neg64,
	.byte_string = on_bytes, .byte_string_start = on_indefinite,
	.string = on_text, .string_start = on_indefinite,
	.array_start = on_array, .indef_array_start = on_indefinite,
	.map_start = on_map, .indef_map_start = on_indefinite,
	.tag = on_tag, .float2 = on_float, .float4 = on_float, .float8 = on_double,
	.undefined = on_undef, .null = on_null, .boolean = on_bool, .indef_break = on_break,
};

/* ---- errors and field paths ------------------------------------------- */

/*
 * The path is kept as segments and formatted only for a message: reading a
 * policy of millions of edges must not print millions of paths.  The schema
 * nests a handful of levels; deeper pushes are dropped from messages only.
 */
static size_t path_push(struct rd *r, const char *key, u32 index)
{
	size_t mark = r->depth;

	if (r->depth < PATH_MAX_DEPTH)
		r->segs[r->depth] = (struct path_seg){ key, index };
	r->depth++;
	return mark;
}

static size_t push_key(struct rd *r, const char *key)
{
	return path_push(r, key, 0);
}

static size_t push_index(struct rd *r, u32 index)
{
	return path_push(r, NULL, index);
}

static void path_pop(struct rd *r, size_t mark)
{
	r->depth = mark;
}

static void path_format(const struct rd *r, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < r->depth && i < PATH_MAX_DEPTH && n < cap; i++) {
		const struct path_seg *g = &r->segs[i];
		int k = g->key ? snprintf(out + n, cap - n, "%s%s", n ? "." : "", g->key)
			       : snprintf(out + n, cap - n, "[%u]", g->index);

		if (k < 0)
			break;
		n += (size_t)k;
	}
}

__attribute__((format(printf, 2, 3)))
static int rd_fail(struct rd *r, const char *fmt, ...)
{
	char msg[384], path[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	path_format(r, path, sizeof(path));
	snprintf(r->err, r->errlen, "%s: %s%s%s", r->file, path, path[0] ? ": " : "", msg);
	return -1;
}

/* @n bytes of untrusted text, printable and short, for a message. */
static const char *quoted(char *dst, size_t cap, const u8 *s, u64 n)
{
	size_t k = 0;

	for (u64 i = 0; i < n && k + 4 < cap; i++)
		dst[k++] = s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' ? (char)s[i] : '?';
	if (n > k && k + 4 >= cap)
		dst[k++] = '.', dst[k++] = '.', dst[k++] = '.';
	dst[k] = '\0';
	return dst;
}

/* ---- typed reads ------------------------------------------------------ */

static int rd_next(struct rd *r, struct tok *t)
{
	struct cbor_decoder_result res;
	size_t left = r->len - r->pos;

	if (!left)
		return rd_fail(r, "truncated: the file ends here (%zu bytes)", r->len);
	memset(t, 0, sizeof(*t));
	res = cbor_stream_decode(r->buf + r->pos, left, &tok_callbacks, t);
	if (res.status == CBOR_DECODER_NEDATA)
		return rd_fail(r, "truncated: item at byte %zu needs %zu bytes, %zu left",
			       r->pos, res.required, left);
	if (res.status != CBOR_DECODER_FINISHED || !res.read)
		return rd_fail(r, "malformed CBOR at byte %zu", r->pos);
	r->pos += res.read;
	left = r->len - r->pos;
	/* Every element takes at least one byte: refuse counts the rest cannot hold. */
	if ((t->type == T_ARRAY && t->u > left) || (t->type == T_MAP && t->u > left / 2))
		return rd_fail(r, "truncated: %s of %llu items at byte %zu, %zu bytes left",
			       tok_names[t->type], (unsigned long long)t->u,
			       r->pos - res.read, left);
	return 0;
}

static int rd_expect(struct rd *r, struct tok *t, enum tok_type type)
{
	if (rd_next(r, t))
		return -1;
	if (t->type != type)
		return rd_fail(r, "expected %s, got %s", tok_names[type], tok_names[t->type]);
	return 0;
}

static int rd_u64(struct rd *r, u64 *v)
{
	struct tok t;

	if (rd_expect(r, &t, T_UINT))
		return -1;
	*v = t.u;
	return 0;
}

/* 32-bit fields; 0xffffffff (LCG_NONE) is never written as a number. */
static int rd_u32(struct rd *r, u32 *v)
{
	u64 x;

	if (rd_u64(r, &x))
		return -1;
	if (x >= LCG_NONE)
		return rd_fail(r, "%llu does not fit in 32 bits (at most %u)",
			       (unsigned long long)x, LCG_NONE - 1);
	*v = (u32)x;
	return 0;
}

static int rd_bool(struct rd *r, bool *b)
{
	struct tok t;

	if (rd_expect(r, &t, T_BOOL))
		return -1;
	*b = t.u;
	return 0;
}

static int rd_string(struct rd *r, char **out)
{
	struct tok t;

	if (rd_expect(r, &t, T_TEXT))
		return -1;
	if (!t.u)
		return rd_fail(r, "empty string");
	if (!lcg_schema_string_ok((const char *)t.data, t.u))
		return rd_fail(r, "%s", lcg_schema_string_problem((const char *)t.data, t.u));
	*out = strndup((const char *)t.data, t.u);
	if (!*out)
		return rd_fail(r, "out of memory");
	return 0;
}

/* A text string that must be one of @words; @what names them in the message. */
static int rd_word(struct rd *r, const struct lcg_schema_word *words, size_t n,
		   const char *what, u32 *value)
{
	char shown[48], list[160] = "";
	struct tok t;

	if (rd_expect(r, &t, T_TEXT))
		return -1;
	if (lcg_schema_value(words, n, (const char *)t.data, t.u, value))
		return 0;
	for (size_t i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? ", " : "", words[i].name);
	return rd_fail(r, "\"%s\" is not %s (%s)", quoted(shown, sizeof(shown), t.data, t.u),
		       what, list);
}

/* An array of at most @max elements; its count in *@n. */
static int rd_array(struct rd *r, u64 max, const char *elements, u32 *n)
{
	struct tok t;

	if (rd_expect(r, &t, T_ARRAY))
		return -1;
	if (t.u > max)
		return rd_fail(r, "%llu %s exceed the limit of %llu", (unsigned long long)t.u,
			       elements, (unsigned long long)max);
	*n = (u32)t.u;
	return 0;
}

/* Element @name of a tuple, with its name in the path. */
static int rd_u32_named(struct rd *r, const char *name, u32 *v)
{
	size_t mark = push_key(r, name);

	if (rd_u32(r, v))
		return -1;
	path_pop(r, mark);
	return 0;
}

/* A fixed-size tuple such as [from, to, event, site]. */
static int rd_tuple(struct rd *r, u32 n, const char *shape)
{
	struct tok t;

	if (rd_next(r, &t))
		return -1;
	if (t.type != T_ARRAY || t.u != n)
		return rd_fail(r, "expected %s, got %s%s", shape, tok_names[t.type],
			       t.type == T_ARRAY ? " of another length" : "");
	return 0;
}

static void *rd_alloc(struct rd *r, u32 n, size_t size)
{
	void *mem = calloc(n ? n : 1, size);

	if (!mem)
		rd_fail(r, "out of memory for %u elements", n);
	return mem;
}

/* ---- maps ------------------------------------------------------------- */

struct field {
	const char *key;
	bool required;
	int (*read)(struct rd *r, void *obj);
};

/* @pairs key/value pairs of a map whose fields are @f; bits of seen keys in *@seen. */
static int rd_map_pairs(struct rd *r, u64 pairs, const struct field *f, size_t nf,
			void *obj, u32 *seen)
{
	char shown[48];

	for (u64 i = 0; i < pairs; i++) {
		struct tok k;
		size_t j, mark;

		if (rd_next(r, &k))
			return -1;
		if (k.type != T_TEXT)
			return rd_fail(r, "key %llu is %s, expected a text string",
				       (unsigned long long)i, tok_names[k.type]);
		for (j = 0; j < nf; j++)
			if (strlen(f[j].key) == k.u && !memcmp(f[j].key, k.data, k.u))
				break;
		if (j == nf)
			return rd_fail(r, "unknown key \"%s\"",
				       quoted(shown, sizeof(shown), k.data, k.u));
		if (*seen & (1u << j))
			return rd_fail(r, "duplicate key \"%s\"", f[j].key);
		*seen |= 1u << j;
		mark = push_key(r, f[j].key);
		if (f[j].read(r, obj))
			return -1;
		path_pop(r, mark);
	}
	for (size_t j = 0; j < nf; j++)
		if (f[j].required && !(*seen & (1u << j)))
			return rd_fail(r, "missing key \"%s\"", f[j].key);
	return 0;
}

static int rd_map(struct rd *r, const struct field *f, size_t nf, void *obj, u32 *seen)
{
	struct tok t;

	*seen = 0;
	if (rd_expect(r, &t, T_MAP))
		return -1;
	return rd_map_pairs(r, t.u, f, nf, obj, seen);
}

#define FIELD_COUNT(f) (sizeof(f) / sizeof((f)[0]))
#define FIELD_BIT(f, key) (1u << field_index(f, FIELD_COUNT(f), key))

static size_t field_index(const struct field *f, size_t nf, const char *key)
{
	size_t j = 0;

	while (j < nf && strcmp(f[j].key, key))
		j++;
	return j;
}

/* ---- events ----------------------------------------------------------- */

struct event_ctx {
	struct lcg_event_info *e;
	u32 id;
};

#define EV(obj) (((struct event_ctx *)(obj))->e)

static int ev_id(struct rd *r, void *obj)
{
	u32 id;

	if (rd_u32(r, &id))
		return -1;
	if (id != ((struct event_ctx *)obj)->id)
		return rd_fail(r, "%u does not match the entry's position %u (events are listed by id)",
			       id, ((struct event_ctx *)obj)->id);
	return 0;
}

static int ev_kind(struct rd *r, void *obj)
{
	return rd_word(r, lcg_schema_kinds, LCG_SCHEMA_COUNT(lcg_schema_kinds), "an event kind",
		       &EV(obj)->kind);
}

static int ev_callee(struct rd *r, void *obj) { return rd_string(r, &EV(obj)->callee); }
static int ev_function(struct rd *r, void *obj) { return rd_string(r, &EV(obj)->function); }
static int ev_file(struct rd *r, void *obj) { return rd_string(r, &EV(obj)->file); }
static int ev_line(struct rd *r, void *obj) { return rd_u32(r, &EV(obj)->line); }
static int ev_site(struct rd *r, void *obj) { return rd_u32(r, &EV(obj)->site); }

static int ev_pins(struct rd *r, void *obj)
{
	struct lcg_event_info *e = EV(obj);
	u32 n;

	if (rd_array(r, LCG_MAX_PINS, "pins", &n))
		return -1;
	e->pins = rd_alloc(r, n, sizeof(*e->pins));
	if (!e->pins)
		return -1;
	e->n_pins = n;
	for (u32 i = 0; i < n; i++) {
		size_t mark = push_index(r, i);

		if (rd_u64(r, &e->pins[i]))
			return -1;
		path_pop(r, mark);
	}
	return 0;
}

static int ev_classes(struct rd *r, void *obj)
{
	struct lcg_event_info *e = EV(obj);
	struct tok t;
	u32 n, cls;

	if (rd_array(r, LCG_SC_COUNT, "classes", &n))
		return -1;
	for (u32 i = 0; i < n; i++) {
		size_t mark = push_index(r, i);

		if (rd_expect(r, &t, T_TEXT))
			return -1;
		if (!lcg_sclass_parse((const char *)t.data, t.u, &cls))
			return rd_fail(r, "\"%.*s\" is not a sensitive class (see lcg(7))",
				       (int)(t.u < 32 ? t.u : 32), (const char *)t.data);
		if (e->classes & LCG_SC_BIT(cls))
			return rd_fail(r, "class \"%s\" listed twice", lcg_sclass_name(cls));
		e->classes |= LCG_SC_BIT(cls);
		path_pop(r, mark);
	}
	return 0;
}

static const struct field event_fields[] = {
	{ "id", true, ev_id },
	{ "kind", true, ev_kind },
	{ "callee", true, ev_callee },
	{ "function", true, ev_function },
	{ "file", false, ev_file },
	{ "line", false, ev_line },
	{ "site", false, ev_site },
	{ "classes", false, ev_classes },
	{ "pins", true, ev_pins },
};

static int rd_event(struct rd *r, struct lcg_event_info *e, u32 id)
{
	struct event_ctx ctx = { e, id };
	struct tok t;
	u32 seen;

	e->kind = LCG_EV_UNUSED;
	e->site = LCG_NONE;
	if (rd_next(r, &t))
		return -1;
	if (t.type == T_NULL)
		return 0;
	if (t.type != T_MAP)
		return rd_fail(r, "expected a map or null, got %s", tok_names[t.type]);
	seen = 0;
	if (rd_map_pairs(r, t.u, event_fields, FIELD_COUNT(event_fields), &ctx, &seen))
		return -1;
	if (e->kind != LCG_EV_LIBCALL && !(seen & FIELD_BIT(event_fields, "site")))
		return rd_fail(r, "missing key \"site\" (precall and postcall events name their call site)");
	return 0;
}

static int top_events(struct rd *r, void *obj)
{
	struct lcg_policy *p = obj;
	u32 n;

	if (rd_array(r, LCG_MAX_EVENTS, "events", &n))
		return -1;
	if (!n)
		return rd_fail(r, "empty (entry 0, the reserved id, is always present as null)");
	p->events = rd_alloc(r, n, sizeof(*p->events));
	if (!p->events)
		return -1;
	p->n_events = n;
	for (u32 i = 0; i < n; i++) {
		size_t mark = push_index(r, i);

		if (rd_event(r, &p->events[i], i))
			return -1;
		path_pop(r, mark);
	}
	return 0;
}

/* ---- automata ---------------------------------------------------------- */

static int rd_state(struct rd *r, struct lcg_state *s)
{
	bool exit;

	size_t mark;

	if (rd_tuple(r, 2, "[proc, exit]") || rd_u32_named(r, "proc", &s->proc))
		return -1;
	mark = push_key(r, "exit");
	if (rd_bool(r, &exit))
		return -1;
	path_pop(r, mark);
	s->flags = exit ? LCG_STATE_EXIT : 0;
	return 0;
}

static int aut_states(struct rd *r, void *obj)
{
	struct lcg_automaton *a = obj;
	u32 n;

	if (rd_array(r, LCG_MAX_STATES, "states", &n))
		return -1;
	a->states = rd_alloc(r, n, sizeof(*a->states));
	if (!a->states)
		return -1;
	a->n_states = a->cap_states = n;
	for (u32 i = 0; i < n; i++) {
		size_t mark = push_index(r, i);

		if (rd_state(r, &a->states[i]))
			return -1;
		path_pop(r, mark);
	}
	return 0;
}

static int rd_edge(struct rd *r, struct lcg_edge *e)
{
	struct tok t;
	size_t mark;

	if (rd_tuple(r, 4, "[from, to, event, site or null]") ||
	    rd_u32_named(r, "from", &e->from) || rd_u32_named(r, "to", &e->to) ||
	    rd_u32_named(r, "event", &e->event))
		return -1;
	mark = push_key(r, "site");
	if (rd_next(r, &t))
		return -1;
	if (t.type == T_UINT && t.u < LCG_NONE)
		e->site = (u32)t.u;
	else if (t.type == T_NULL)	/* not a call edge */
		e->site = LCG_NONE;
	else
		return rd_fail(r, "expected null or a site index, got %s",
			       t.type == T_UINT ? "a number too large" : tok_names[t.type]);
	path_pop(r, mark);
	return 0;
}

static int aut_edges(struct rd *r, void *obj)
{
	struct lcg_automaton *a = obj;
	u32 n;

	if (rd_array(r, LCG_MAX_EDGES, "edges", &n))
		return -1;
	a->edges = rd_alloc(r, n, sizeof(*a->edges));
	if (!a->edges)
		return -1;
	a->n_edges = a->cap_edges = n;
	for (u32 i = 0; i < n; i++) {
		size_t mark = push_index(r, i);

		if (rd_edge(r, &a->edges[i]))
			return -1;
		path_pop(r, mark);
	}
	return 0;
}

static int proc_name(struct rd *r, void *obj)
{
	return rd_string(r, &((struct lcg_proc *)obj)->name);
}

static int proc_entry(struct rd *r, void *obj)
{
	return rd_u32(r, &((struct lcg_proc *)obj)->entry);
}

static int proc_roles(struct rd *r, void *obj)
{
	struct lcg_proc *pr = obj;
	u32 n;

	if (rd_array(r, LCG_SCHEMA_COUNT(lcg_schema_roles), "roles", &n))
		return -1;
	for (u32 i = 0; i < n; i++) {
		size_t mark = push_index(r, i);
		u32 role;

		if (rd_word(r, lcg_schema_roles, LCG_SCHEMA_COUNT(lcg_schema_roles),
			    "a procedure role", &role))
			return -1;
		if (pr->flags & role)
			return rd_fail(r, "role listed twice");
		pr->flags |= role;
		path_pop(r, mark);
	}
	return 0;
}

static const struct field proc_fields[] = {
	{ "name", true, proc_name },
	{ "entry", true, proc_entry },
	{ "roles", true, proc_roles },
};

static int aut_procs(struct rd *r, void *obj)
{
	struct lcg_automaton *a = obj;
	u32 n, seen;

	if (rd_array(r, LCG_MAX_PROCS, "procs", &n))
		return -1;
	a->procs = rd_alloc(r, n, sizeof(*a->procs));
	if (!a->procs)
		return -1;
	a->n_procs = a->cap_procs = n;
	for (u32 i = 0; i < n; i++) {
		size_t mark = push_index(r, i);

		if (rd_map(r, proc_fields, FIELD_COUNT(proc_fields), &a->procs[i], &seen))
			return -1;
		path_pop(r, mark);
	}
	return 0;
}

#define SITE(obj) ((struct lcg_site *)(obj))
static int site_caller(struct rd *r, void *obj) { return rd_u32(r, &SITE(obj)->caller); }
static int site_from(struct rd *r, void *obj) { return rd_u32(r, &SITE(obj)->from); }
static int site_to(struct rd *r, void *obj) { return rd_u32(r, &SITE(obj)->to); }
static int site_pre(struct rd *r, void *obj) { return rd_u32(r, &SITE(obj)->pre_event); }
static int site_post(struct rd *r, void *obj) { return rd_u32(r, &SITE(obj)->post_event); }

static int site_callees(struct rd *r, void *obj)
{
	struct lcg_site *s = obj;
	u32 n;

	if (rd_array(r, LCG_MAX_CALLEES, "callees", &n))
		return -1;
	s->callees = rd_alloc(r, n, sizeof(*s->callees));
	if (!s->callees)
		return -1;
	s->n_callees = n;
	for (u32 i = 0; i < n; i++) {
		size_t mark = push_index(r, i);

		if (rd_u32(r, &s->callees[i]))
			return -1;
		path_pop(r, mark);
	}
	return 0;
}

static int site_setjmp(struct rd *r, void *obj)
{
	bool setjmp;

	if (rd_bool(r, &setjmp))
		return -1;
	SITE(obj)->flags = setjmp ? LCG_SITE_SETJMP : 0;
	return 0;
}

static const struct field site_fields[] = {
	{ "caller", true, site_caller },
	{ "from", true, site_from },
	{ "to", true, site_to },
	{ "pre_event", true, site_pre },
	{ "post_event", true, site_post },
	{ "callees", true, site_callees },
	{ "setjmp", true, site_setjmp },
};

static int aut_sites(struct rd *r, void *obj)
{
	struct lcg_automaton *a = obj;
	u32 n, seen;

	if (rd_array(r, LCG_MAX_SITES, "sites", &n))
		return -1;
	a->sites = rd_alloc(r, n, sizeof(*a->sites));
	if (!a->sites)
		return -1;
	a->n_sites = a->cap_sites = n;
	for (u32 i = 0; i < n; i++) {
		size_t mark = push_index(r, i);

		if (rd_map(r, site_fields, FIELD_COUNT(site_fields), &a->sites[i], &seen))
			return -1;
		path_pop(r, mark);
	}
	return 0;
}

static const struct field automaton_fields[] = {
	{ "states", true, aut_states },
	{ "edges", true, aut_edges },
	{ "procs", true, aut_procs },
	{ "sites", true, aut_sites },
};

static int rd_automaton(struct rd *r, struct lcg_automaton *a)
{
	u32 seen;

	return rd_map(r, automaton_fields, FIELD_COUNT(automaton_fields), a, &seen);
}

/* ---- role lists -------------------------------------------------------- */

/* The explicit lists and the flag each must agree with. */
static const struct role_list {
	const char *key;
	u32 flag;		/* proc role, or site flag for setjmp_sites */
	bool sites;
} role_lists[5] = {
	{ "signal_handlers", LCG_AP_SIGNAL_HANDLER, false },
	{ "thread_entries", LCG_AP_THREAD_ENTRY, false },
	{ "exit_handlers", LCG_AP_EXIT_HANDLER, false },
	{ "constructors", LCG_AP_CONSTRUCTOR, false },
	{ "setjmp_sites", LCG_SITE_SETJMP, true },
};

static int rd_list(struct rd *r, u32 k)
{
	u32 n;

	if (rd_array(r, role_lists[k].sites ? LCG_MAX_SITES : LCG_MAX_PROCS, "entries", &n))
		return -1;
	r->lists[k] = rd_alloc(r, n, sizeof(u32));
	if (!r->lists[k])
		return -1;
	r->n_lists[k] = n;
	for (u32 i = 0; i < n; i++) {
		size_t mark = push_index(r, i);

		if (rd_u32(r, &r->lists[k][i]))
			return -1;
		path_pop(r, mark);
	}
	return 0;
}

static int top_signal_handlers(struct rd *r, void *obj) { return rd_list(r, 0); }
static int top_thread_entries(struct rd *r, void *obj) { return rd_list(r, 1); }
static int top_exit_handlers(struct rd *r, void *obj) { return rd_list(r, 2); }
static int top_constructors(struct rd *r, void *obj) { return rd_list(r, 3); }
static int top_setjmp_sites(struct rd *r, void *obj) { return rd_list(r, 4); }

static const char *role_name(u32 flag)
{
	return lcg_schema_name(lcg_schema_roles, LCG_SCHEMA_COUNT(lcg_schema_roles), flag);
}

static u32 list_flags(const struct role_list *l, const struct lcg_automaton *a, u32 i)
{
	return l->sites ? a->sites[i].flags : a->procs[i].flags;
}

/* The first proc (or site) in [@from, @to) that has @l's flag, or LCG_NONE. */
static u32 first_flagged(const struct role_list *l, const struct lcg_automaton *a,
			 u32 from, u32 to)
{
	for (u32 i = from; i < to; i++)
		if (list_flags(l, a, i) & l->flag)
			return i;
	return LCG_NONE;
}

/* List @k names exactly the procs (or sites) having its flag, in increasing order. */
static int check_list(struct rd *r, u32 k)
{
	const struct role_list *l = &role_lists[k];
	const struct lcg_automaton *a = &r->p->graphs;
	const char *what = l->sites ? "site" : "proc";
	const char *flag = l->sites ? "setjmp site" : role_name(l->flag);
	u32 n = l->sites ? a->n_sites : a->n_procs, next = 0, missing;
	size_t mark = push_key(r, l->key);

	for (u32 i = 0; i < r->n_lists[k]; i++) {
		u32 v = r->lists[k][i];
		size_t item = push_index(r, i);

		if (v >= n)
			return rd_fail(r, "%u is out of range (%u %ss)", v, n, what);
		if (i && v <= r->lists[k][i - 1])
			return rd_fail(r, "%u is not above the previous entry (sorted, no repeats)",
				       v);
		if (!(list_flags(l, a, v) & l->flag))
			return rd_fail(r, "%s %u is listed but is not a %s", what, v, flag);
		path_pop(r, item);
		missing = first_flagged(l, a, next, v);
		if (missing != LCG_NONE)
			return rd_fail(r, "%s %u is a %s but is not listed", what, missing, flag);
		next = v + 1;
	}
	missing = first_flagged(l, a, next, n);
	if (missing != LCG_NONE)
		return rd_fail(r, "%s %u is a %s but is not listed", what, missing, flag);
	path_pop(r, mark);
	return 0;
}

/* ---- the top-level map ------------------------------------------------- */

#define POL(obj) ((struct lcg_policy *)(obj))

static int top_program(struct rd *r, void *obj) { return rd_string(r, &POL(obj)->program); }

static int top_sha256(struct rd *r, void *obj)
{
	struct tok t;

	if (rd_expect(r, &t, T_BYTES))
		return -1;
	if (t.u != sizeof(POL(obj)->sha256))
		return rd_fail(r, "%llu bytes, expected %zu", (unsigned long long)t.u,
			       sizeof(POL(obj)->sha256));
	memcpy(POL(obj)->sha256, t.data, t.u);
	POL(obj)->has_sha256 = true;
	return 0;
}

static int top_raw_pins(struct rd *r, void *obj)
{
	struct lcg_policy *p = POL(obj);
	u32 n;

	if (rd_array(r, LCG_MAX_RAW_PINS, "raw_pins", &n))
		return -1;
	p->raw_pins = rd_alloc(r, n, sizeof(*p->raw_pins));
	if (!p->raw_pins)
		return -1;
	p->n_raw_pins = n;
	for (u32 i = 0; i < n; i++) {
		size_t mark = push_index(r, i);

		if (rd_u64(r, &p->raw_pins[i]))
			return -1;
		path_pop(r, mark);
	}
	return 0;
}

static int top_entry(struct rd *r, void *obj)
{
	if (rd_u64(r, &POL(obj)->entry))
		return -1;
	if (POL(obj)->entry == LCG_NO_ENTRY)
		return rd_fail(r, "0 is the ELF header, never an entry point: leave the key out "
			       "when the entry is unknown");
	return 0;
}

static int top_static(struct rd *r, void *obj) { return rd_bool(r, &POL(obj)->is_static); }

static int top_mode(struct rd *r, void *obj)
{
	return rd_word(r, lcg_schema_modes, LCG_SCHEMA_COUNT(lcg_schema_modes), "a mode",
		       &POL(obj)->mode);
}

static int top_event_set(struct rd *r, void *obj)
{
	return rd_word(r, lcg_schema_event_sets, LCG_SCHEMA_COUNT(lcg_schema_event_sets),
		       "an event set", &POL(obj)->event_set);
}

static int top_graphs(struct rd *r, void *obj) { return rd_automaton(r, &POL(obj)->graphs); }

static int top_nfa(struct rd *r, void *obj)
{
	r->has_nfa = true;
	return rd_automaton(r, &POL(obj)->nfa);
}

static int top_version(struct rd *r, void *obj)
{
	u64 v;

	if (rd_u64(r, &v))
		return -1;
	if (v != LCG_POLICY_VERSION)
		return rd_fail(r, "%llu is not supported (this lcg reads version %u; "
			       "regenerate the policy with this lcg's lcg-analyze)",
			       (unsigned long long)v, LCG_POLICY_VERSION);
	return 0;
}

static const struct field top_fields[] = {
	{ "version", true, top_version },
	{ "program", true, top_program },
	{ "sha256", false, top_sha256 },
	{ "raw_pins", false, top_raw_pins },
	{ "entry", false, top_entry },
	{ "static", false, top_static },
	{ "mode", true, top_mode },
	{ "event_set", true, top_event_set },
	{ "events", true, top_events },
	{ "graphs", true, top_graphs },
	{ "nfa", false, top_nfa },
	{ "signal_handlers", true, top_signal_handlers },
	{ "thread_entries", true, top_thread_entries },
	{ "exit_handlers", true, top_exit_handlers },
	{ "constructors", true, top_constructors },
	{ "setjmp_sites", true, top_setjmp_sites },
};

/* "version" comes first, so that a reader learns the layout before the rest. */
static int rd_version_first(struct rd *r, struct tok *map)
{
	struct tok k;
	size_t mark;

	if (rd_next(r, map))
		return -1;
	if (map->type != T_MAP)
		return rd_fail(r, "the top level is %s, expected a map (is this a policy.cbor?)",
			       tok_names[map->type]);
	if (!map->u)
		return rd_fail(r, "empty map: missing key \"version\"");
	if (rd_next(r, &k))
		return -1;
	if (k.type != T_TEXT || k.u != 7 || memcmp(k.data, "version", 7))
		return rd_fail(r, "missing key \"version\" (it must be the first key)");
	mark = push_key(r, "version");
	if (top_version(r, r->p))
		return -1;
	path_pop(r, mark);
	return 0;
}

static int rd_policy(struct rd *r)
{
	struct tok map;
	u32 seen = FIELD_BIT(top_fields, "version");
	char why[512];

	if (rd_version_first(r, &map) ||
	    rd_map_pairs(r, map.u - 1, top_fields, FIELD_COUNT(top_fields), r->p, &seen))
		return -1;
	if (r->pos != r->len)
		return rd_fail(r, "%zu bytes of trailing data after the top-level map",
			       r->len - r->pos);
	if (r->p->mode == LCG_MODE_PDA && r->has_nfa)
		return rd_fail(r, "key \"nfa\" in a PDA-mode policy (only NFA mode has one)");
	if (r->p->mode == LCG_MODE_NFA && !r->has_nfa)
		return rd_fail(r, "missing key \"nfa\" (an NFA-mode policy needs it)");
	for (u32 k = 0; k < 5; k++)
		if (check_list(r, k))
			return -1;
	if (lcg_policy_check(r->p, why, sizeof(why)))
		return rd_fail(r, "%s", why);
	return 0;
}

static int decode_named(struct lcg_policy *p, const u8 *buf, size_t len, const char *name,
			char *err, size_t errlen)
{
	struct lcg_policy tmp;
	struct rd r = { .buf = buf, .len = len, .file = name, .err = err, .errlen = errlen,
			.p = &tmp };
	int rc;

	lcg_policy_init(&tmp);
	rc = rd_policy(&r);
	for (u32 k = 0; k < 5; k++)
		free(r.lists[k]);
	if (rc) {
		lcg_policy_free(&tmp);
		lcg_policy_init(p);
		return -1;
	}
	*p = tmp;
	return 0;
}

int lcg_policy_decode(struct lcg_policy *p, const u8 *buf, size_t len, char *err, size_t errlen)
{
	return decode_named(p, buf, len, "policy", err, errlen);
}

static u8 *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	u8 *buf = NULL;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
	} else if ((u64)st.st_size > LCG_POLICY_MAX_FILE) {
		snprintf(err, errlen, "%s: %lld bytes, larger than any policy (%u MiB at most)",
			 path, (long long)st.st_size, LCG_POLICY_MAX_FILE >> 20);
	} else if (!(buf = malloc(st.st_size ? st.st_size : 1))) {
		snprintf(err, errlen, "%s: out of memory for %lld bytes", path,
			 (long long)st.st_size);
	} else if (fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		snprintf(err, errlen, "%s: read error: %s", path,
			 ferror(f) ? strerror(errno) : "file shrank while reading");
		free(buf);
		buf = NULL;
	}
	*len = st.st_size;
	fclose(f);
	return buf;
}

int lcg_policy_read(struct lcg_policy *p, const char *path, char *err, size_t errlen)
{
	size_t len;
	u8 *buf = slurp(path, &len, err, errlen);
	int rc;

	if (!buf) {
		lcg_policy_init(p);
		return -1;
	}
	rc = decode_named(p, buf, len, path, err, errlen);
	free(buf);
	return rc;
}
