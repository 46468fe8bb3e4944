// SPDX-License-Identifier: GPL-2.0
/*
 * policy.cbor: round trips in both modes, every class of malformed input
 * rejected with the field named (and nothing left allocated), and atomic
 * replacement of the file.
 */
#define _GNU_SOURCE	/* memmem */
#include <cbor.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/policy.h"
#include "policy_fixture.h"
#include "pda/sensitive.h"

/* ---- comparing policies ------------------------------------------------ */

static void assert_str_eq(const char *a, const char *b, const char *what)
{
	if (!a || !b)
		cr_assert_eq(a, b, "%s: one side is NULL", what);
	else
		cr_assert_str_eq(a, b, "%s", what);
}

static void assert_aut_eq(const struct lcg_automaton *a, const struct lcg_automaton *b)
{
	cr_assert_eq(a->n_states, b->n_states);
	cr_assert_eq(a->n_edges, b->n_edges);
	cr_assert_eq(a->n_procs, b->n_procs);
	cr_assert_eq(a->n_sites, b->n_sites);
	for (u32 i = 0; i < a->n_states; i++) {
		cr_assert_eq(a->states[i].proc, b->states[i].proc, "states[%u].proc", i);
		cr_assert_eq(a->states[i].flags, b->states[i].flags, "states[%u].flags", i);
	}
	for (u32 i = 0; i < a->n_edges; i++)
		cr_assert_arr_eq(&a->edges[i], &b->edges[i], sizeof(a->edges[i]), "edges[%u]", i);
	for (u32 i = 0; i < a->n_procs; i++) {
		assert_str_eq(a->procs[i].name, b->procs[i].name, "procs[].name");
		cr_assert_eq(a->procs[i].entry, b->procs[i].entry, "procs[%u].entry", i);
		cr_assert_eq(a->procs[i].flags, b->procs[i].flags, "procs[%u].flags", i);
	}
	for (u32 i = 0; i < a->n_sites; i++) {
		const struct lcg_site *x = &a->sites[i], *y = &b->sites[i];

		cr_assert_eq(x->caller, y->caller);
		cr_assert_eq(x->from, y->from);
		cr_assert_eq(x->to, y->to);
		cr_assert_eq(x->pre_event, y->pre_event);
		cr_assert_eq(x->post_event, y->post_event);
		cr_assert_eq(x->flags, y->flags, "sites[%u].flags", i);
		cr_assert_eq(x->n_callees, y->n_callees);
		for (u32 k = 0; k < x->n_callees; k++)
			cr_assert_eq(x->callees[k], y->callees[k]);
	}
}

static void assert_policy_eq(const struct lcg_policy *a, const struct lcg_policy *b)
{
	assert_str_eq(a->program, b->program, "program");
	cr_assert_eq(a->has_sha256, b->has_sha256);
	if (a->has_sha256)
		cr_assert_arr_eq(a->sha256, b->sha256, 32);
	cr_assert_eq(a->entry, b->entry);
	cr_assert_eq(a->is_static, b->is_static);
	cr_assert_eq(a->n_raw_pins, b->n_raw_pins);
	if (a->n_raw_pins)
		cr_assert_arr_eq(a->raw_pins, b->raw_pins, a->n_raw_pins * sizeof(u64));
	cr_assert_eq(a->mode, b->mode);
	cr_assert_eq(a->event_set, b->event_set);
	cr_assert_eq(a->n_events, b->n_events);
	for (u32 i = 0; i < a->n_events; i++) {
		const struct lcg_event_info *x = &a->events[i], *y = &b->events[i];

		cr_assert_eq(x->kind, y->kind, "events[%u].kind", i);
		if (x->kind == LCG_EV_UNUSED)
			continue;
		cr_assert_eq(x->site, y->site, "events[%u].site", i);
		assert_str_eq(x->callee, y->callee, "callee");
		assert_str_eq(x->function, y->function, "function");
		assert_str_eq(x->file, y->file, "file");
		cr_assert_eq(x->line, y->line);
		cr_assert_eq(x->classes, y->classes, "events[%u].classes", i);
		cr_assert_eq(x->n_pins, y->n_pins);
		if (x->n_pins)
			cr_assert_arr_eq(x->pins, y->pins, x->n_pins * sizeof(u64));
	}
	assert_aut_eq(&a->graphs, &b->graphs);
	assert_aut_eq(&a->nfa, &b->nfa);
}

static void assert_empty(const struct lcg_policy *p)
{
	cr_assert_null(p->program);
	cr_assert_null(p->events);
	cr_assert_eq(p->n_events, 0);
	cr_assert_null(p->graphs.states);
	cr_assert_null(p->graphs.procs);
	cr_assert_null(p->nfa.states);
	cr_assert_eq(p->graphs.n_procs + p->graphs.n_sites + p->nfa.n_procs, 0);
}

/* ---- temporary directory ----------------------------------------------- */

static char tmpdir[64];

static void make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/lcg-policy-test.XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

/* Files in tmpdir whose names start with ".": temporary files left behind. */
static int leftover_temp_files(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;

	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	*len = ftell(f);
	rewind(f);
	buf = malloc(*len + 1);
	cr_assert_eq(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

/* ---- round trips ------------------------------------------------------- */

static void round_trip(void (*build)(struct lcg_policy *))
{
	struct lcg_policy orig, back;
	char path[128], err[512] = "";
	u8 *enc1, *enc2;
	size_t len1, len2;

	build(&orig);
	cr_assert_eq(lcg_policy_check(&orig, err, sizeof(err)), 0, "fixture: %s", err);
	snprintf(path, sizeof(path), "%s/policy.cbor", tmpdir);
	cr_assert_eq(lcg_policy_write(&orig, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(lcg_policy_read(&back, path, err, sizeof(err)), 0, "%s", err);
	assert_policy_eq(&orig, &back);
	/* the encoding is canonical: re-encoding what was read gives the same bytes */
	cr_assert_eq(lcg_policy_encode(&orig, &enc1, &len1, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(lcg_policy_encode(&back, &enc2, &len2, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(len1, len2);
	cr_assert_arr_eq(enc1, enc2, len1);
	free(enc1);
	free(enc2);
	lcg_policy_free(&orig);
	lcg_policy_free(&back);
	cr_assert_eq(leftover_temp_files(), 0);
}

TestSuite(policy_cbor, .init = make_tmpdir, .fini = remove_tmpdir);

Test(policy_cbor, round_trip_pda_every_field)
{
	round_trip(fixture_pda);
}

Test(policy_cbor, round_trip_nfa_with_whole_program_automaton)
{
	round_trip(fixture_nfa);
}

Test(policy_cbor, round_trip_keeps_the_event_hole_unused)
{
	struct lcg_policy p;
	u8 *buf;
	size_t len;
	char err[512];

	fixture_pda(&p);
	cr_assert_eq(lcg_policy_encode(&p, &buf, &len, err, sizeof(err)), 0, "%s", err);
	lcg_policy_free(&p);
	cr_assert_eq(lcg_policy_decode(&p, buf, len, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(p.events[0].kind, LCG_EV_UNUSED);
	cr_assert_eq(p.events[7].kind, LCG_EV_UNUSED);
	cr_assert_eq(p.events[FX_OPEN].n_pins, 2);
	cr_assert_eq(p.events[FX_OPEN].pins[1], 0x11c4);
	cr_assert_null(p.events[FX_READ].file);
	cr_assert_eq(p.graphs.procs[2].flags, LCG_AP_SIGNAL_HANDLER | LCG_AP_LIBC_CALLBACK);
	cr_assert_eq(p.graphs.sites[1].flags, LCG_SITE_SETJMP);
	free(buf);
	lcg_policy_free(&p);
}

Test(policy_cbor, unfinalised_policy_has_no_sha256)
{
	struct lcg_policy p, back;
	u8 *buf;
	size_t len;
	char err[512];

	fixture_nfa(&p);
	cr_assert_eq(lcg_policy_encode(&p, &buf, &len, err, sizeof(err)), 0, "%s", err);
	cr_assert_null(memmem(buf, len, "sha256", 6));
	cr_assert_eq(lcg_policy_decode(&back, buf, len, err, sizeof(err)), 0, "%s", err);
	cr_assert_not(back.has_sha256);
	cr_assert_eq(back.entry, LCG_NO_ENTRY);
	cr_assert_eq(back.n_raw_pins, 0);
	free(buf);
	lcg_policy_free(&p);
	lcg_policy_free(&back);
}

Test(policy_cbor, binding_fields_round_trip)
{
	struct lcg_policy p, back;
	u8 *buf;
	size_t len;
	char err[512];

	fixture_pda(&p);
	p.is_static = true;
	p.events[FX_CLOSE].classes = LCG_SC_ALL;
	cr_assert_eq(lcg_policy_encode(&p, &buf, &len, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(lcg_policy_decode(&back, buf, len, err, sizeof(err)), 0, "%s", err);
	assert_policy_eq(&p, &back);
	cr_assert(back.is_static);
	cr_assert_eq(back.entry, 0x1040);
	cr_assert_eq(back.raw_pins[1], 0x1310);
	cr_assert_eq(back.events[FX_OPEN].classes,
		     LCG_SC_BIT(LCG_SC_WRITE) | LCG_SC_BIT(LCG_SC_EXEC_MEM));
	cr_assert_eq(back.events[FX_READ].classes, 0);
	free(buf);
	lcg_policy_free(&p);
	lcg_policy_free(&back);
}

/* ---- malformed input --------------------------------------------------- */

/* Decoding @buf fails with a message containing every string of @expect. */
static void expect_reject_bytes(const u8 *buf, size_t len, const char *const *expect)
{
	struct lcg_policy p;
	char err[512] = "";

	memset(&p, 0x5a, sizeof(p));	/* garbage: the decoder must not rely on it */
	cr_assert_eq(lcg_policy_decode(&p, buf, len, err, sizeof(err)), -1,
		     "accepted, expected: %s", expect[0]);
	for (; *expect; expect++)
		cr_assert_not_null(strstr(err, *expect), "message \"%s\" lacks \"%s\"", err, *expect);
	assert_empty(&p);
}

#define REJECT_BYTES(buf, len, ...) \
	expect_reject_bytes((buf), (len), (const char *const[]){ __VA_ARGS__, NULL })

static cbor_item_t *encoded_tree(void (*build)(struct lcg_policy *))
{
	struct lcg_policy p;
	struct cbor_load_result res;
	cbor_item_t *root;
	u8 *buf;
	size_t len;
	char err[512];

	build(&p);
	cr_assert_eq(lcg_policy_encode(&p, &buf, &len, err, sizeof(err)), 0, "%s", err);
	lcg_policy_free(&p);
	root = cbor_load(buf, len, &res);
	cr_assert_not_null(root);
	free(buf);
	return root;
}

static cbor_item_t *map_get(cbor_item_t *map, const char *key)
{
	struct cbor_pair *pairs = cbor_map_handle(map);

	for (size_t i = 0; i < cbor_map_size(map); i++)
		if (cbor_string_length(pairs[i].key) == strlen(key) &&
		    !memcmp(cbor_string_handle(pairs[i].key), key, strlen(key)))
			return pairs[i].value;
	cr_assert_fail("no key %s", key);
	return NULL;
}

/* Replace the value of @key (takes @value). */
static void map_set(cbor_item_t *map, const char *key, cbor_item_t *value)
{
	struct cbor_pair *pairs = cbor_map_handle(map);

	for (size_t i = 0; i < cbor_map_size(map); i++)
		if (cbor_string_length(pairs[i].key) == strlen(key) &&
		    !memcmp(cbor_string_handle(pairs[i].key), key, strlen(key))) {
			cbor_decref(&pairs[i].value);
			pairs[i].value = value;
			return;
		}
	cr_assert_fail("no key %s", key);
}

/* A copy of @map without @drop (may be NULL), with @add = @value appended (may be NULL). */
static cbor_item_t *map_edit(cbor_item_t *map, const char *drop, const char *add,
			     cbor_item_t *value)
{
	struct cbor_pair *pairs = cbor_map_handle(map);
	cbor_item_t *out = cbor_new_definite_map(cbor_map_size(map) + 1);

	for (size_t i = 0; i < cbor_map_size(map); i++) {
		if (drop && cbor_string_length(pairs[i].key) == strlen(drop) &&
		    !memcmp(cbor_string_handle(pairs[i].key), drop, strlen(drop)))
			continue;
		cbor_map_add(out, (struct cbor_pair){ pairs[i].key, pairs[i].value });
	}
	if (add)
		cbor_map_add(out, (struct cbor_pair){ cbor_move(cbor_build_string(add)),
						      cbor_move(value) });
	return out;
}

static cbor_item_t *at(cbor_item_t *array, size_t i)
{
	cr_assert_lt(i, cbor_array_size(array));
	return cbor_array_handle(array)[i];
}

static void set_at(cbor_item_t *array, size_t i, cbor_item_t *value)
{
	cr_assert(cbor_array_replace(array, i, cbor_move(value)));
}

static void reject_tree(cbor_item_t *root, const char *const *expect)
{
	unsigned char *buf = NULL;
	size_t cap = 0, len = cbor_serialize_alloc(root, &buf, &cap);

	cr_assert_gt(len, 0);
	expect_reject_bytes(buf, len, expect);
	free(buf);
	cbor_decref(&root);
}

#define REJECT_TREE(root, ...) reject_tree((root), (const char *const[]){ __VA_ARGS__, NULL })

static cbor_item_t *uint_item(u64 v)
{
	return cbor_build_uint64(v);
}

Test(policy_cbor_reject, empty_input)
{
	REJECT_BYTES((const u8 *)"", 0, "policy: ", "truncated");
}

Test(policy_cbor_reject, truncated_file)
{
	struct lcg_policy p;
	u8 *buf;
	size_t len;
	char err[512];

	fixture_pda(&p);
	cr_assert_eq(lcg_policy_encode(&p, &buf, &len, err, sizeof(err)), 0, "%s", err);
	lcg_policy_free(&p);
	for (size_t cut = 0; cut < len; cut += 1 + cut / 8)
		REJECT_BYTES(buf, cut, "truncated");
	free(buf);
}

Test(policy_cbor_reject, top_level_not_a_map)
{
	static const u8 array[] = { 0x82, 0x01, 0x02 };

	REJECT_BYTES(array, sizeof(array), "top level is an array, expected a map");
}

Test(policy_cbor_reject, garbage_bytes)
{
	static const u8 garbage[] = { 0xff, 0x00, 0x13, 0x37 };

	REJECT_BYTES(garbage, sizeof(garbage), "policy: ");
}

Test(policy_cbor_reject, version_not_first)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edited = map_edit(root, "version", "version", uint_item(1));

	cbor_decref(&root);
	REJECT_TREE(edited, "missing key \"version\"", "first key");
}

Test(policy_cbor_reject, unknown_version)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	/* a policy from before binding (version 1) has no classes: regenerate it */
	map_set(root, "version", uint_item(1));
	REJECT_TREE(root, "version: 1 is not supported", "reads version 2", "regenerate");
}

Test(policy_cbor_reject, bad_mode_string)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	map_set(root, "mode", cbor_build_string("dfa"));
	REJECT_TREE(root, "mode: \"dfa\" is not a mode (pda, nfa)");
}

Test(policy_cbor_reject, bad_event_set)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	map_set(root, "event_set", cbor_build_string("everything"));
	REJECT_TREE(root, "event_set: \"everything\" is not an event set");
}

Test(policy_cbor_reject, wrong_type_for_program)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	map_set(root, "program", uint_item(7));
	REJECT_TREE(root, "program: expected a text string, got an unsigned integer");
}

Test(policy_cbor_reject, missing_key)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edited = map_edit(root, "graphs", NULL, NULL);

	cbor_decref(&root);
	REJECT_TREE(edited, "missing key \"graphs\"");
}

Test(policy_cbor_reject, unknown_key)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edited = map_edit(root, NULL, "bogus", uint_item(1));

	cbor_decref(&root);
	REJECT_TREE(edited, "unknown key \"bogus\"");
}

Test(policy_cbor_reject, duplicate_key)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edited = map_edit(root, NULL, "mode", cbor_build_string("pda"));

	cbor_decref(&root);
	REJECT_TREE(edited, "duplicate key \"mode\"");
}

Test(policy_cbor_reject, trailing_data)
{
	struct lcg_policy p;
	u8 *buf;
	size_t len;
	char err[512];

	fixture_pda(&p);
	cr_assert_eq(lcg_policy_encode(&p, &buf, &len, err, sizeof(err)), 0, "%s", err);
	lcg_policy_free(&p);
	buf = realloc(buf, len + 1);
	buf[len] = 0x00;
	REJECT_BYTES(buf, len + 1, "1 bytes of trailing data");
	free(buf);
}

Test(policy_cbor_reject, sha256_wrong_length)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	map_set(root, "sha256", cbor_build_bytestring((const u8 *)"short", 5));
	REJECT_TREE(root, "sha256: 5 bytes, expected 32");
}

Test(policy_cbor_reject, edge_state_out_of_range)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edges = map_get(map_get(root, "graphs"), "edges");

	set_at(at(edges, 1), 1, uint_item(99));
	REJECT_TREE(root, "graphs.edges[1].to: 99 is out of range (12 states)");
}

Test(policy_cbor_reject, edge_event_out_of_range)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edges = map_get(map_get(root, "graphs"), "edges");

	set_at(at(edges, 0), 2, uint_item(4000));
	REJECT_TREE(root, "graphs.edges[0].event: 4000 is out of range (9 events)");
}

Test(policy_cbor_reject, edge_uses_undefined_event)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edges = map_get(map_get(root, "graphs"), "edges");

	set_at(at(edges, 0), 2, uint_item(7));
	REJECT_TREE(root, "graphs.edges[0].event: event 7 is not defined");
}

Test(policy_cbor_reject, event_site_out_of_range)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	map_set(at(map_get(root, "events"), FX_PRE_BAR), "site", uint_item(40));
	REJECT_TREE(root, "policy: events[3].site: 40 is out of range (2 sites)");
}

Test(policy_cbor_reject, event_id_not_its_position)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	map_set(at(map_get(root, "events"), FX_OPEN), "id", uint_item(2));
	REJECT_TREE(root, "events[1].id: 2 does not match the entry's position 1");
}

Test(policy_cbor_reject, event_kind_unknown)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	map_set(at(map_get(root, "events"), FX_OPEN), "kind", cbor_build_string("syscall"));
	REJECT_TREE(root, "events[1].kind: \"syscall\" is not an event kind");
}

Test(policy_cbor_reject, unknown_class)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *classes = map_get(at(map_get(root, "events"), FX_OPEN), "classes");

	set_at(classes, 0, cbor_build_string("teleport"));
	REJECT_TREE(root, "events[1].classes[0]: \"teleport\" is not a sensitive class");
}

Test(policy_cbor_reject, class_listed_twice)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *classes = map_get(at(map_get(root, "events"), FX_OPEN), "classes");

	set_at(classes, 1, cbor_build_string("write"));
	REJECT_TREE(root, "events[1].classes[1]: class \"write\" listed twice");
}

Test(policy_cbor_reject, classes_on_a_call_event)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *events = map_get(root, "events");
	cbor_item_t *classes = cbor_new_definite_array(1);

	cbor_array_push(classes, cbor_move(cbor_build_string("delete")));
	set_at(events, FX_PRE_BAR, map_edit(at(events, FX_PRE_BAR), NULL, "classes", classes));
	REJECT_TREE(root, "events[3].classes: only libcall events arm classes");
}

Test(policy_cbor_reject, raw_pins_unsorted)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	set_at(map_get(root, "raw_pins"), 1, uint_item(0x10));
	REJECT_TREE(root, "raw_pins[1]: not above the previous pin");
}

Test(policy_cbor_reject, entry_reserved_value)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	map_set(root, "entry", uint_item(LCG_NO_ENTRY));
	REJECT_TREE(root, "entry: 0 is the ELF header");
}

Test(policy_cbor_reject, binding_fields_without_sha256)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edited = map_edit(root, "sha256", "static", cbor_build_bool(true));

	cbor_decref(&root);
	REJECT_TREE(edited, "only a finalised policy (with sha256) has them");
}

Test(policy_cbor_reject, precall_event_without_site)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *events = map_get(root, "events");

	set_at(events, FX_PRE_BAR, map_edit(at(events, FX_PRE_BAR), "site", NULL, NULL));
	REJECT_TREE(root, "events[3]: missing key \"site\"");
}

Test(policy_cbor_reject, precall_event_in_nfa_mode)
{
	cbor_item_t *root = encoded_tree(fixture_nfa);
	cbor_item_t *ev = at(map_get(root, "events"), 1);

	map_set(ev, "kind", cbor_build_string("precall"));
	cbor_item_t *edited = map_edit(ev, NULL, "site", uint_item(0));

	set_at(map_get(root, "events"), 1, edited);
	REJECT_TREE(root, "events[1].kind: precall event in an NFA-mode policy");
}

Test(policy_cbor_reject, site_callee_out_of_range)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *site = at(map_get(map_get(root, "graphs"), "sites"), 0);

	set_at(map_get(site, "callees"), 0, uint_item(50));
	REJECT_TREE(root, "graphs.sites[0].callees[0]: 50 is out of range (6 procs)");
}

Test(policy_cbor_reject, call_edge_names_the_wrong_site)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edges = map_get(map_get(root, "graphs"), "edges");

	/* edges[1] is main's call of bar (site 0); claim it is the setjmp site */
	set_at(at(edges, 1), 3, uint_item(1));
	REJECT_TREE(root, "graphs.edges[1].site: site 1 is the call 2->3, not 1->2");
}

Test(policy_cbor_reject, call_edge_with_wrong_event)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edges = map_get(map_get(root, "graphs"), "edges");

	set_at(at(edges, 1), 2, uint_item(FX_POST_BAR));
	REJECT_TREE(root, "graphs.edges[1].event: 4, but the call edge of site 0 carries 3");
}

Test(policy_cbor_reject, state_proc_out_of_range)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *states = map_get(map_get(root, "graphs"), "states");

	set_at(at(states, 5), 0, uint_item(6));
	REJECT_TREE(root, "graphs.states[5].proc: 6 is out of range (6 procs)");
}

Test(policy_cbor_reject, proc_entry_in_another_proc)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *procs = map_get(map_get(root, "graphs"), "procs");

	map_set(at(procs, 1), "entry", uint_item(0));
	REJECT_TREE(root, "graphs.procs[1].entry: state 0 belongs to proc 0");
}

Test(policy_cbor_reject, unknown_role)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *procs = map_get(map_get(root, "graphs"), "procs");

	set_at(map_get(at(procs, 0), "roles"), 0, cbor_build_string("superuser"));
	REJECT_TREE(root, "graphs.procs[0].roles[0]: \"superuser\" is not a procedure role");
}

Test(policy_cbor_reject, edge_tuple_of_wrong_length)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edges = map_get(map_get(root, "graphs"), "edges");
	cbor_item_t *short_edge = cbor_new_definite_array(3);

	for (int k = 0; k < 3; k++)
		cbor_array_push(short_edge, cbor_move(uint_item(0)));
	set_at(edges, 2, short_edge);
	REJECT_TREE(root, "graphs.edges[2]: expected [from, to, event, site or null]");
}

Test(policy_cbor_reject, negative_integer_index)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *procs = map_get(map_get(root, "graphs"), "procs");

	map_set(at(procs, 0), "entry", cbor_build_negint8(0));
	REJECT_TREE(root, "graphs.procs[0].entry: expected an unsigned integer, got a negative integer");
}

Test(policy_cbor_reject, index_wider_than_32_bits)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edges = map_get(map_get(root, "graphs"), "edges");

	set_at(at(edges, 0), 0, uint_item(1ull << 32));
	REJECT_TREE(root, "graphs.edges[0].from: 4294967296 does not fit in 32 bits");
}

Test(policy_cbor_reject, signal_handler_not_listed)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	map_set(root, "signal_handlers", cbor_new_definite_array(0));
	REJECT_TREE(root, "signal_handlers: proc 2 is a signal-handler but is not listed");
}

Test(policy_cbor_reject, listed_thread_entry_lacks_the_role)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *list = cbor_new_definite_array(2);

	cbor_array_push(list, cbor_move(uint_item(1)));
	cbor_array_push(list, cbor_move(uint_item(3)));
	map_set(root, "thread_entries", list);
	REJECT_TREE(root, "thread_entries[0]: proc 1 is listed but is not a thread-entry");
}

Test(policy_cbor_reject, setjmp_sites_disagree_with_site_flags)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *list = cbor_new_definite_array(1);

	cbor_array_push(list, cbor_move(uint_item(0)));
	map_set(root, "setjmp_sites", list);
	REJECT_TREE(root, "setjmp_sites[0]: site 0 is listed but is not a setjmp site");
}

Test(policy_cbor_reject, nfa_automaton_in_pda_policy)
{
	cbor_item_t *nfa_root = encoded_tree(fixture_nfa);
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *edited = map_edit(root, NULL, "nfa", cbor_incref(map_get(nfa_root, "nfa")));

	cbor_decref(&root);
	cbor_decref(&nfa_root);
	REJECT_TREE(edited, "key \"nfa\" in a PDA-mode policy");
}

Test(policy_cbor_reject, nfa_policy_without_whole_program_automaton)
{
	cbor_item_t *root = encoded_tree(fixture_nfa);
	cbor_item_t *edited = map_edit(root, "nfa", NULL, NULL);

	cbor_decref(&root);
	REJECT_TREE(edited, "missing key \"nfa\"");
}

Test(policy_cbor_reject, string_with_nul_byte)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	map_set(root, "program", cbor_build_stringn("/bin/a\0b", 8));
	REJECT_TREE(root, "program: string contains a NUL byte");
}

Test(policy_cbor_reject, string_not_utf8)
{
	cbor_item_t *root = encoded_tree(fixture_pda);

	map_set(root, "program", cbor_build_stringn("/bin/\xc0\xaf", 7));
	REJECT_TREE(root, "program: string is not valid UTF-8");
}

Test(policy_cbor_reject, indefinite_length_map)
{
	/* {_ "version": 1} */
	static const u8 indef[] = { 0xbf, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x01, 0xff };

	REJECT_BYTES(indef, sizeof(indef), "an indefinite-length item, expected a map");
}

Test(policy_cbor_reject, huge_count_from_a_tiny_file)
{
	/* {"version": 2, "events": array of 2^32 elements} with nothing after */
	static const u8 huge[] = {
		0xa2, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x02,
		0x66, 'e', 'v', 'e', 'n', 't', 's',
		0x9b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	};

	REJECT_BYTES(huge, sizeof(huge), "events: truncated: an array of 4294967296 items");
}

Test(policy_cbor_reject, count_above_the_limit)
{
	cbor_item_t *root = encoded_tree(fixture_pda);
	cbor_item_t *procs = map_get(map_get(root, "graphs"), "procs");
	cbor_item_t *roles = cbor_new_definite_array(8);

	for (int k = 0; k < 8; k++)
		cbor_array_push(roles, cbor_move(cbor_build_string("main")));
	map_set(at(procs, 0), "roles", roles);
	REJECT_TREE(root, "graphs.procs[0].roles: 8 roles exceed the limit of 7");
}

Test(policy_cbor_reject, missing_file_names_the_path)
{
	struct lcg_policy p;
	char err[512];

	cr_assert_eq(lcg_policy_read(&p, "/nonexistent/policy.cbor", err, sizeof(err)), -1);
	cr_assert_str_eq(err, "/nonexistent/policy.cbor: cannot open: No such file or directory");
	assert_empty(&p);
}

Test(policy_cbor_reject, file_name_prefixes_field_errors, .init = make_tmpdir,
     .fini = remove_tmpdir)
{
	struct lcg_policy p;
	char path[128], err[512], expect[256];
	static const u8 v1[] = { 0xa1, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x01 };
	FILE *f;

	snprintf(path, sizeof(path), "%s/policy.cbor", tmpdir);
	f = fopen(path, "wb");
	cr_assert_eq(fwrite(v1, 1, sizeof(v1), f), sizeof(v1));
	fclose(f);
	cr_assert_eq(lcg_policy_read(&p, path, err, sizeof(err)), -1);
	snprintf(expect, sizeof(expect), "%s: version: 1 is not supported", path);
	cr_assert_eq(strncmp(err, expect, strlen(expect)), 0, "%s", err);
	assert_empty(&p);
}

/* ---- atomic writing ---------------------------------------------------- */

Test(policy_cbor, write_creates_a_readable_0644_file_and_no_temp)
{
	struct lcg_policy p;
	char path[128], err[512];
	struct stat st;

	fixture_pda(&p);
	snprintf(path, sizeof(path), "%s/policy.cbor", tmpdir);
	cr_assert_eq(lcg_policy_write(&p, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0644);
	cr_assert_eq(leftover_temp_files(), 0);
	lcg_policy_free(&p);
}

Test(policy_cbor, refused_write_keeps_the_previous_file)
{
	struct lcg_policy p;
	char path[128], err[512];
	char *before, *after;
	size_t len_before, len_after;

	fixture_pda(&p);
	snprintf(path, sizeof(path), "%s/policy.cbor", tmpdir);
	cr_assert_eq(lcg_policy_write(&p, path, err, sizeof(err)), 0, "%s", err);
	before = read_all(path, &len_before);
	p.graphs.edges[0].to = 1000;	/* inconsistent: must not be written */
	cr_assert_eq(lcg_policy_write(&p, path, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "graphs.edges[0].to: 1000 is out of range"), "%s", err);
	cr_assert_not_null(strstr(err, "nothing written"), "%s", err);
	after = read_all(path, &len_after);
	cr_assert_eq(len_before, len_after);
	cr_assert_arr_eq(before, after, len_before);
	cr_assert_eq(leftover_temp_files(), 0);
	free(before);
	free(after);
	lcg_policy_free(&p);
}

Test(policy_cbor, failed_rename_leaves_target_and_no_temp)
{
	struct lcg_policy p;
	char path[128], err[512];
	struct stat st;

	/* a directory where the file should go: everything succeeds up to rename(2) */
	snprintf(path, sizeof(path), "%s/policy.cbor", tmpdir);
	cr_assert_eq(mkdir(path, 0755), 0);
	fixture_pda(&p);
	cr_assert_eq(lcg_policy_write(&p, path, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "renaming the temporary file over it"), "%s", err);
	cr_assert_not_null(strstr(err, "the previous file, if any, is unchanged"), "%s", err);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(leftover_temp_files(), 0);
	lcg_policy_free(&p);
}

Test(policy_cbor, unwritable_directory_gives_a_clear_error)
{
	struct lcg_policy p;
	char err[512];

	fixture_pda(&p);
	/* procfs accepts no new files, even from root */
	cr_assert_eq(lcg_policy_write(&p, "/proc/lcg-policy.cbor", err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "/proc/lcg-policy.cbor: creating a temporary file in its directory: "),
			   "%s", err);
	cr_assert_eq(lcg_policy_write(&p, "/nonexistent-dir/p.cbor", err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "No such file or directory"), "%s", err);
	lcg_policy_free(&p);
}

Test(policy_cbor, writer_refuses_what_the_reader_would_reject)
{
	struct lcg_policy p;
	char path[128], err[512];
	struct stat st;

	fixture_pda(&p);
	free(p.graphs.procs[1].name);
	p.graphs.procs[1].name = strdup("bar\xff");
	snprintf(path, sizeof(path), "%s/policy.cbor", tmpdir);
	cr_assert_eq(lcg_policy_write(&p, path, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "graphs.procs[1].name: string is not valid UTF-8"), "%s", err);
	cr_assert_neq(stat(path, &st), 0);
	cr_assert_eq(leftover_temp_files(), 0);
	lcg_policy_free(&p);
}

Test(policy_cbor, empty_file_name_is_written_as_none)
{
	struct lcg_policy p, back;
	char err[512];
	u8 *buf;
	size_t len;

	fixture_pda(&p);
	free(p.events[FX_OPEN].file);
	p.events[FX_OPEN].file = strdup("");
	cr_assert_eq(lcg_policy_encode(&p, &buf, &len, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(lcg_policy_decode(&back, buf, len, err, sizeof(err)), 0, "%s", err);
	cr_assert_null(back.events[FX_OPEN].file);
	cr_assert_eq(back.events[FX_OPEN].line, 42);
	free(buf);
	lcg_policy_free(&p);
	lcg_policy_free(&back);
}

Test(policy_cbor_reject, directory_is_not_a_policy_file)
{
	struct lcg_policy p;
	char err[512];

	cr_assert_eq(lcg_policy_read(&p, "/tmp", err, sizeof(err)), -1);
	cr_assert_str_eq(err, "/tmp: not a regular file");
	assert_empty(&p);
}

Test(policy_cbor_reject, empty_file, .init = make_tmpdir, .fini = remove_tmpdir)
{
	struct lcg_policy p;
	char path[128], err[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/empty.cbor", tmpdir);
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	fclose(f);
	cr_assert_eq(lcg_policy_read(&p, path, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "empty.cbor: truncated: the file ends here (0 bytes)"), "%s", err);
	assert_empty(&p);
}

Test(policy_cbor, rewrite_keeps_the_permission_bits)
{
	struct lcg_policy p;
	char path[128], err[512];
	struct stat st;

	fixture_pda(&p);
	snprintf(path, sizeof(path), "%s/policy.cbor", tmpdir);
	cr_assert_eq(lcg_policy_write(&p, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(chmod(path, 0600), 0);
	fixture_unfinalise(&p);
	cr_assert_eq(lcg_policy_write(&p, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	lcg_policy_free(&p);
}
