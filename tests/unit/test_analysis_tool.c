// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-analyze, the tool: bad input gives a clear message, a non-zero exit
 * and no output file; --stats; the instrumented program behaves exactly
 * like the plain one.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include "test_analysis.h"

/* the build directory's tool (make BUILD=...), not a stale one */
#define TOOL LCG_BIN_DIR "/lcg-analyze"

/* Run a shell command; its exit status, stdout+stderr in @out (malloc'ed). */
static int sh(char **out, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	FILE *p;
	size_t len = 0;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	*out = calloc(1, 1 << 16);
	len = fread(*out, 1, (1 << 16) - 1, p);
	(*out)[len] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool exists(const char *dir, const char *name)
{
	char path[256];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !stat(path, &sb);
}

/* The outputs of a failed run must not exist, nor any temporary file. */
static void expect_no_outputs(const char *dir)
{
	char *out;

	cr_expect(!exists(dir, "p.cbor"), "a policy was left behind");
	cr_expect(!exists(dir, "dot"), "a DOT directory was left behind");
	cr_expect(!exists(dir, "out.bc"), "instrumented bitcode was left behind");
	cr_expect_eq(sh(&out, "ls %s | grep -q tmp", dir), 1, "temporary files left in %s", dir);
	free(out);
}

static int analyze_into(const char *dir, const char *input, char **out)
{
	return sh(out, TOOL " -o %s/p.cbor --dot %s/dot --instrument %s/out.bc %s",
		  dir, dir, dir, input);
}

Test(analysis_tool, not_bitcode)
{
	char dir[] = "/tmp/lcg-tool-XXXXXX", *out;

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(analyze_into(dir, "tests/analysis/spec_foo.c", &out), 1);
	cr_expect(strstr(out, "spec_foo.c is not LLVM bitcode"), "message: %s", out);
	expect_no_outputs(dir);
	free(out);
	sh(&out, "rm -rf %s", dir);
	free(out);
}

Test(analysis_tool, corrupt_bitcode)
{
	struct ta t;
	char *out;

	memset(&t, 0, sizeof(t));
	ta_compile(&t, "spec_foo", NULL);
	cr_assert_eq(sh(&out, "head -c 300 %s > %s/cut.bc", t.bc, t.dir), 0);
	free(out);
	cr_assert_eq(sh(&out, TOOL " -o %s/p.cbor --dot %s/dot --instrument %s/out.bc %s/cut.bc",
			t.dir, t.dir, t.dir, t.dir), 1);
	cr_expect(strstr(out, "cut.bc is corrupt"), "message: %s", out);
	expect_no_outputs(t.dir);
	free(out);
	ta_free(&t);
}

Test(analysis_tool, unreadable_input)
{
	char dir[] = "/tmp/lcg-tool-XXXXXX", *out;

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(analyze_into(dir, "/nonexistent/in.bc", &out), 1);
	cr_expect(strstr(out, "cannot read /nonexistent/in.bc"), "message: %s", out);
	expect_no_outputs(dir);
	free(out);
	sh(&out, "rm -rf %s", dir);
	free(out);
}

Test(analysis_tool, no_main)
{
	struct ta t;
	char *out;

	memset(&t, 0, sizeof(t));
	ta_compile(&t, "no_main", NULL);
	cr_assert_eq(analyze_into(t.dir, t.bc, &out), 1);
	cr_expect(strstr(out, "no definition of main"), "message: %s", out);
	expect_no_outputs(t.dir);
	free(out);
	ta_free(&t);
}

Test(analysis_tool, usage_errors)
{
	char *out;

	cr_expect_eq(sh(&out, TOOL " --mode=fast -o x.cbor in.bc"), 2);
	cr_expect(strstr(out, "unknown mode 'fast'"), "message: %s", out);
	free(out);
	cr_expect_eq(sh(&out, TOOL " in.bc"), 2);
	cr_expect(strstr(out, "-o POLICY.cbor"), "message: %s", out);
	free(out);
	cr_expect_eq(sh(&out, TOOL " --help"), 0);
	cr_expect(strstr(out, "--inline-budget") && strstr(out, "finalize"), "help: %s", out);
	free(out);
}

Test(analysis_tool, stats_json)
{
	struct ta t;
	char *out;

	memset(&t, 0, sizeof(t));
	ta_compile(&t, "spec_call", NULL);
	cr_assert_eq(sh(&out, TOOL " --stats=json -o %s/p.cbor %s", t.dir, t.bc), 0, "%s", out);
	cr_expect(strstr(out, "\"functions\":3,"), "stats: %s", out);
	cr_expect(strstr(out, "\"libcall_events\":3,"), "stats: %s", out);
	cr_expect(strstr(out, "\"precall_events\":0,"), "stats: %s", out);
	cr_expect(strstr(out, "\"pasted_calls\":2,"), "stats: %s", out);
	cr_expect(strstr(out, "\"hot_calls\":0,"), "stats: %s", out);
	cr_expect(strstr(out, "\"squelched\":[]"), "stats: %s", out);
	cr_expect(strstr(out, "\"seconds\":"), "stats: %s", out);
	cr_expect(strstr(out, "\"peak_rss_kb\":"), "stats: %s", out);
	free(out);
	cr_assert_eq(sh(&out, TOOL " --all-brackets --stats=json -o %s/p.cbor %s", t.dir, t.bc), 0,
		     "%s", out);
	cr_expect(strstr(out, "\"precall_events\":2,"), "stats: %s", out);
	free(out);
	cr_assert_eq(sh(&out, TOOL " --mode=nfa --stats -o %s/p.cbor %s", t.dir, t.bc), 0);
	cr_expect(strstr(out, "nfa_inlined            2"), "stats: %s", out);
	free(out);
	ta_free(&t);
}

/* A hot call is listed, with where it is: the precision cost of bounded cost. */
Test(analysis_tool, stats_json_lists_squelched_calls)
{
	struct ta t;
	char *out;

	memset(&t, 0, sizeof(t));
	ta_compile(&t, "hot_loop", NULL);
	cr_assert_eq(sh(&out, TOOL " --stats=json -o %s/p.cbor %s", t.dir, t.bc), 0, "%s", out);
	cr_expect(strstr(out, "\"hot_calls\":1,"), "stats: %s", out);
	cr_expect(strstr(out, "\"squelched\":[{\"function\":\"main\",\"file\":"), "stats: %s", out);
	cr_expect(strstr(out, "\"callee\":\"maybe_log\"}]"), "stats: %s", out);
	free(out);
	cr_assert_eq(sh(&out, TOOL " --stats -o %s/p.cbor %s", t.dir, t.bc), 0, "%s", out);
	cr_expect(strstr(out, "hot call of maybe_log in main (") && strstr(out, "pasted, no brackets"),
		  "stats: %s", out);
	free(out);
	ta_free(&t);
}

/* The instrumented program prints what the plain one prints, errno included. */
static void same_behaviour(const char *name, const char *cflags, const char *mode, const char *set,
			   const char *args)
{
	struct ta t;
	char *plain = NULL, *inst = NULL, *out;

	memset(&t, 0, sizeof(t));
	ta_compile(&t, name, cflags);
	cr_assert_eq(sh(&out, TOOL " -q --mode=%s --events=%s -o %s/p.cbor --dot %s/dot "
			"--instrument %s/out.bc %s", mode, set, t.dir, t.dir, t.dir, t.bc), 0,
		     "%s", out);
	free(out);
	cr_expect(exists(t.dir, "dot/program.dot") && exists(t.dir, "dot/main.dot"));
	cr_assert_eq(sh(&out, "clang-19 -O2 %s -o %s/plain && clang-19 -O2 %s/out.bc -o %s/inst",
			t.bc, t.dir, t.dir, t.dir), 0, "%s", out);
	free(out);
	cr_expect_eq(sh(&inst, "%s/inst %s", t.dir, args), sh(&plain, "%s/plain %s", t.dir, args),
		     "%s: exit status differs", name);
	cr_expect_str_eq(inst, plain);
	free(plain);
	free(inst);
	/* one .lcg_sites entry (8 bytes) at least per event */
	cr_assert_eq(sh(&out, "readelf -S -W %s/inst | grep -c ' .lcg_sites '", t.dir), 0,
		     "no .lcg_sites section");
	free(out);
	ta_free(&t);
}

Test(analysis_tool, instrumented_program_behaves_like_the_plain_one)
{
	same_behaviour("errno_kept", NULL, "pda", "effects", "");
	same_behaviour("errno_kept", NULL, "nfa", "all-libc", "");
	same_behaviour("memset_ptr", NULL, "pda", "all-libc", "");
	same_behaviour("fptr_table", NULL, "pda", "syscalls", "x y");
	same_behaviour("mixed_ptr", NULL, "pda", "all-libc", "");
	same_behaviour("mixed_ptr", NULL, "pda", "all-libc", "x");
	same_behaviour("invoke", "-O1 -g -fexceptions", "pda", "effects", "");
	same_behaviour("invoke", "-O1 -g -fexceptions", "pda", "effects", "x");
	same_behaviour("hot_loop", NULL, "pda", "effects", "");
	same_behaviour("fp_struct", TA_KCFI, "pda", "effects", "x");
}

/* Events of one run of @name's instrumented build (lcg-trace --record); LIBCALLs in *@libcalls. */
static u32 run_events(struct ta *t, const char *extra, u32 *libcalls)
{
	char *out;
	u32 events;

	cr_assert_eq(sh(&out, TOOL " -q %s -o %s/p.cbor --instrument %s/out.bc %s && "
			"clang-19 -O2 %s/out.bc -o %s/inst && " TOOL " finalize %s/p.cbor %s/inst", extra,
			t->dir, t->dir, t->bc, t->dir, t->dir, t->dir, t->dir), 0, "%s", out);
	free(out);
	cr_assert_eq(sh(&out, LCG_BIN_DIR "/lcg-trace --policy %s/p.cbor --record %s/rec -- %s/inst",
			t->dir, t->dir, t->dir), 0, "%s", out);
	free(out);
	sh(&out, "grep -vc '^#' %s/rec", t->dir);
	events = (u32)atoi(out);
	free(out);
	sh(&out, "grep -c ' LIBCALL ' %s/rec", t->dir);
	*libcalls = (u32)atoi(out);
	free(out);
	return events;
}

/*
 * Bounded cost: a loop of 10,000 calls that write 10 times makes about as
 * many events as library calls; bracketing every call makes 20,000 more.
 */
Test(analysis_tool, event_rate_follows_library_calls)
{
	struct ta t;
	u32 planned, classic, lib_planned, lib_classic;

	memset(&t, 0, sizeof(t));
	ta_compile(&t, "hot_loop", NULL);
	planned = run_events(&t, "", &lib_planned);
	classic = run_events(&t, "--all-brackets", &lib_classic);
	cr_expect_eq(lib_planned, lib_classic, "the same library calls");
	cr_expect_eq(lib_planned, 13, "10 writes in the loop, 3 after it");
	cr_expect_leq(planned, 3 * lib_planned, "%u events for %u library calls", planned,
		      lib_planned);
	cr_expect_geq(classic, 20000, "every call bracketed: %u events", classic);
	ta_free(&t);
}

/* lcg-cc compiles with KCFI ids; no binary it links, program or library, keeps a KCFI check. */
Test(analysis_tool, lcg_cc_links_leave_no_kcfi_check)
{
	struct ta t;
	char *out;

	memset(&t, 0, sizeof(t));
	ta_compile(&t, "fp_struct", NULL);
	cr_assert_eq(sh(&out, LCG_BIN_DIR "/lcg-cc -O2 -c " TA_SRC "/fp_struct.c -o %s/a.o && "
			"llvm-dis-19 %s/a.o -o - | grep -c 'kcfi'", t.dir, t.dir), 0,
		     "the object carries KCFI ids: %s", out);
	free(out);
	cr_assert_eq(sh(&out, LCG_BIN_DIR "/lcg-cc -O2 %s/a.o -o %s/prog && "
			LCG_BIN_DIR "/lcg-cc -O2 -fPIC -shared " TA_SRC "/fp_struct.c -o %s/lib.so",
			t.dir, t.dir, t.dir), 0, "%s", out);
	free(out);
	for (int i = 0; i < 2; i++) {
		const char *bin = i ? "lib.so" : "prog";

		cr_expect_eq(sh(&out, "nm %s/%s | grep -c '__cfi_\\|__kcfi_typeid'", t.dir, bin), 1,
			     "%s: KCFI symbols left: %s", bin, out);
		free(out);
		cr_expect_eq(sh(&out, "objdump -d %s/%s | grep -c 'ud2'", t.dir, bin), 1,
			     "%s: a KCFI check left: %s", bin, out);
		free(out);
	}
	cr_expect_eq(sh(&out, "cd %s && ./prog x", t.dir), 2, "runs: gp->modp is mod_a, 2 %% 7");
	free(out);
	ta_free(&t);
}
