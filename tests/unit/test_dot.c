// SPDX-License-Identifier: GPL-2.0
/*
 * DOT output: the files exist, carry the labels, dashed epsilon edges, entry
 * and exit marks and clusters, never overwrite each other, and render with
 * graphviz (`dot -Tsvg` must exit 0 on every file).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/policy.h"
#include "policy_fixture.h"

static char tmpdir[64], outdir[128];

static void make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/lcg-dot-test.XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(outdir, sizeof(outdir), "%s/graphs", tmpdir);
}

static void remove_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(dot, .init = make_tmpdir, .fini = remove_tmpdir);

static char *slurp(const char *name)
{
	char path[256];
	FILE *f;
	char *buf;
	long len;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s was not written", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, len + 1);
	cr_assert_eq(fread(buf, 1, len, f), (size_t)len);
	fclose(f);
	return buf;
}

static void assert_contains(const char *name, const char *needle)
{
	char *text = slurp(name);

	cr_assert_not_null(strstr(text, needle), "%s lacks: %s\n---\n%s", name, needle, text);
	free(text);
}

static void assert_lacks(const char *name, const char *needle)
{
	char *text = slurp(name);

	cr_assert_null(strstr(text, needle), "%s should not contain: %s", name, needle);
	free(text);
}

static void write_dir(struct lcg_policy *p)
{
	char err[512] = "";

	cr_assert_eq(lcg_dot_write_dir(p, outdir, err, sizeof(err)), 0, "%s", err);
}

/* Every file in outdir renders with graphviz; returns how many there are. */
static int render_all(void)
{
	DIR *d = opendir(outdir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		char cmd[512];

		if (e->d_name[0] == '.')
			continue;
		cr_assert_not_null(strstr(e->d_name, ".dot"), "unexpected file %s", e->d_name);
		snprintf(cmd, sizeof(cmd), "dot -Tsvg -o /dev/null '%s/%s'", outdir, e->d_name);
		cr_assert_eq(system(cmd), 0, "graphviz refused %s", e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

Test(dot, one_file_per_procedure_and_program)
{
	struct lcg_policy p;
	static const char *const files[] = {
		"main.dot", "bar.dot", "on_signal.dot", "worker.dot", "cleanup.dot", "setup.dot",
		"program.dot",
	};

	fixture_pda(&p);
	write_dir(&p);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		free(slurp(files[i]));
	cr_assert_eq(render_all(), 7);
	lcg_policy_free(&p);
}

Test(dot, library_calls_labelled_with_name_and_id)
{
	struct lcg_policy p;

	fixture_pda(&p);
	write_dir(&p);
	assert_contains("main.dot", "s0 -> s1 [label=\"open #1\"];");
	assert_contains("bar.dot", "s4 -> s5 [label=\"read #2\"];");
	assert_contains("cleanup.dot", "[label=\"close #8\"]");
	lcg_policy_free(&p);
}

Test(dot, call_edges_labelled_call_callee_id)
{
	struct lcg_policy p;

	fixture_pda(&p);
	write_dir(&p);
	assert_contains("main.dot", "s1 -> s2 [label=\"call bar #3\"];");
	assert_contains("main.dot", "s2 -> s3 [label=\"call setjmp #5\"];");
	lcg_policy_free(&p);
}

Test(dot, epsilon_edges_dashed)
{
	struct lcg_policy p;

	fixture_pda(&p);
	write_dir(&p);
	assert_contains("main.dot", "s2 -> s3 [label=\"\xce\xb5\", style=dashed];");
	assert_contains("bar.dot", "s4 -> s5 [label=\"\xce\xb5\", style=dashed];");
	assert_lacks("cleanup.dot", "dashed");
	lcg_policy_free(&p);
}

Test(dot, entry_and_exit_states_marked)
{
	struct lcg_policy p;

	fixture_pda(&p);
	write_dir(&p);
	assert_contains("main.dot", "start0 [shape=point");
	assert_contains("main.dot", "start0 -> s0;");
	assert_contains("main.dot", "s0 [label=\"0\", style=bold];");
	assert_contains("main.dot", "s3 [label=\"3\", shape=doublecircle];");
	assert_contains("worker.dot", "s8 [label=\"8\", shape=doublecircle, style=bold];");
	assert_contains("main.dot", "s1 [label=\"1\"];");
	lcg_policy_free(&p);
}

Test(dot, program_clusters_with_precall_and_postcall_edges)
{
	struct lcg_policy p;

	fixture_pda(&p);
	write_dir(&p);
	assert_contains("program.dot", "subgraph cluster_0 {\n    label=\"main\";");
	assert_contains("program.dot", "subgraph cluster_1 {\n    label=\"bar\";");
	/* main's call edge s1->s2 enters bar's entry s4; bar's exit s5 returns to s2 */
	assert_contains("program.dot", "s1 -> s4 [label=\"precall #3\"");
	assert_contains("program.dot", "s5 -> s2 [label=\"postcall #4\"");
	/* entered from outside the call graph: a start arrow; bar is only called */
	assert_contains("program.dot", "start2 -> s6;");
	assert_lacks("program.dot", "start1 ");
	lcg_policy_free(&p);
}

Test(dot, nfa_program_is_the_whole_program_automaton)
{
	struct lcg_policy p;

	fixture_nfa(&p);
	write_dir(&p);
	assert_contains("program.dot", "label=\"program\";");
	assert_contains("program.dot", "s0 -> s1 [label=\"open #1\"];");
	assert_contains("program.dot", "s1 -> s2 [label=\"read #2\"];");
	assert_lacks("program.dot", "precall");
	/* the per-procedure graphs keep NFA mode's epsilon call edges */
	assert_contains("main.dot", "s1 -> s2 [label=\"call bar\", style=dashed];");
	cr_assert_eq(render_all(), 3);
	lcg_policy_free(&p);
}

Test(dot, same_named_procedures_do_not_overwrite_each_other)
{
	struct lcg_policy p;

	fixture_pda(&p);
	fixture_add_empty_proc(&p.graphs, "helper", 0);	/* static in a.c */
	fixture_add_empty_proc(&p.graphs, "helper", 0);	/* static in b.c */
	fixture_add_empty_proc(&p.graphs, "helper-2", 0);	/* a real name clashing with the suffix */
	fixture_add_empty_proc(&p.graphs, "program", 0);	/* would clobber program.dot */
	write_dir(&p);
	assert_contains("helper.dot", "digraph \"helper\"");
	assert_contains("helper-2.dot", "digraph \"helper\"");
	assert_contains("helper-2-2.dot", "digraph \"helper-2\"");
	assert_contains("program-2.dot", "digraph \"program\"");
	assert_contains("program.dot", "digraph program {");
	cr_assert_eq(render_all(), 11);
	lcg_policy_free(&p);
}

Test(dot, names_made_file_safe_and_escaped)
{
	struct lcg_policy p;

	fixture_pda(&p);
	fixture_add_empty_proc(&p.graphs, "../etc/x \"q\"\\", 0);
	fixture_add_empty_proc(&p.graphs, ".hidden", 0);
	write_dir(&p);
	assert_contains("_.._etc_x__q__.dot", "digraph \"../etc/x \\\"q\\\"\\\\\" {");
	assert_contains("_.hidden.dot", "digraph \".hidden\"");
	cr_assert_eq(render_all(), 9);
	lcg_policy_free(&p);
}

Test(dot, rewriting_an_existing_directory_replaces_files)
{
	struct lcg_policy p;

	fixture_pda(&p);
	write_dir(&p);
	free(p.graphs.procs[0].name);
	p.graphs.procs[0].name = strdup("main");
	p.events[FX_OPEN].callee[0] = 'O';
	write_dir(&p);
	assert_contains("main.dot", "label=\"Open #1\"");
	cr_assert_eq(render_all(), 7);
	lcg_policy_free(&p);
}

/* The directory is replaced whole: a procedure gone since the last run leaves no graph. */
Test(dot, graphs_of_procedures_that_no_longer_exist_are_removed)
{
	struct lcg_policy p;
	struct stat st;
	char path[256];

	fixture_pda(&p);
	write_dir(&p);
	snprintf(path, sizeof(path), "%s/setup.dot", outdir);
	cr_assert_eq(stat(path, &st), 0, "the first run wrote no setup.dot");
	free(p.graphs.procs[p.graphs.n_procs - 1].name);
	p.graphs.procs[p.graphs.n_procs - 1].name = strdup("init");
	write_dir(&p);
	cr_expect_neq(stat(path, &st), 0, "setup.dot, of a procedure no longer there, survived");
	assert_contains("init.dot", "digraph \"init\"");
	cr_assert_eq(render_all(), 7);
	lcg_policy_free(&p);
}

Test(dot, a_directory_holding_other_files_is_refused_and_kept)
{
	struct lcg_policy p;
	char err[512], path[256];
	FILE *f;

	cr_assert_eq(mkdir(outdir, 0755), 0);
	snprintf(path, sizeof(path), "%s/notes.txt", outdir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fclose(f);
	fixture_pda(&p);
	cr_assert_eq(lcg_dot_write_dir(&p, outdir, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "holds notes.txt, which lcg did not write"), "%s", err);
	cr_assert_eq(access(path, F_OK), 0, "the user's file was removed");
	lcg_policy_free(&p);
}

Test(dot, file_in_the_way_is_a_clear_error)
{
	struct lcg_policy p;
	char err[512];
	FILE *f = fopen(outdir, "w");

	cr_assert_not_null(f);
	fclose(f);
	fixture_pda(&p);
	cr_assert_eq(lcg_dot_write_dir(&p, outdir, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "a file of that name is in the way"), "%s", err);
	lcg_policy_free(&p);
}

Test(dot, inconsistent_policy_not_drawn)
{
	struct lcg_policy p;
	char err[512];
	struct stat st;

	fixture_pda(&p);
	p.graphs.sites[0].callees[0] = 77;
	cr_assert_eq(lcg_dot_write_dir(&p, outdir, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "graphs.sites[0].callees[0]: 77 is out of range"), "%s", err);
	cr_assert_neq(stat(outdir, &st), 0, "nothing may be created for a refused policy");
	lcg_policy_free(&p);
}
