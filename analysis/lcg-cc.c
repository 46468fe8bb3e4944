// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-cc - a drop-in C compiler (make CC=lcg-cc, configure, CMake) that
 * builds programs confined by lcg.
 *
 * Compiles (-c, -S, -E, -M, ...) run clang-19 with full LTO and KCFI type
 * ids added, so that objects are bitcode that says the C type of every
 * function and indirect call (the plugin removes the ids before code
 * generation).  A link runs clang-19 with lld and lcg's pass plugin:
 * the plugin analyses and instruments the merged, optimised program at the
 * full-LTO-last extension point, so the policy describes the calls the binary
 * really makes.  After the link, lcg-cc pins the policy's events to the
 * binary (lcg_finalize) and installs, for -o prog: prog, prog.lcg.cbor and
 * prog.lcg-dot/.  Successful runs print nothing (configure scripts take any
 * output for a failure) unless --lcg-verbose.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "formats/atomic_file.h"
#include "formats/finalize.h"
#include "formats/policy.h"
#include "analysis/lto_plugin.h"

#define PROG "lcg-cc"
#define DEFAULT_CLANG "clang-19"
#define PLUGIN_NAME "lcg-plugin.so"
#define MODEL_NAME "libc-model.txt"
#define KCFI_FLAG "-fsanitize=kcfi"

extern char **environ;

struct cc_options {
	const char *mode;	/* pda | nfa */
	const char *events;	/* effects | syscalls | all-libc */
	const char *budget;	/* NFA inline budget, or NULL for the default */
	const char *model;	/* libc model file, or NULL for the built-in one */
	bool verbose;
	bool help;
};

/* What the clang command line asks for, as far as lcg-cc cares. */
struct invocation {
	bool compile_only;	/* -c, -S, -E, -M, -MM, -fsyntax-only, ... */
	bool dry_run;		/* -###: print the commands, run nothing */
	bool not_program;	/* -shared, -r: no program, no policy */
	bool other_cfi;		/* -fsanitize=cfi*: clang's CFI, which excludes KCFI */
	const char *not_program_flag;
	const char *output;	/* -o, or a.out */
	int inputs;		/* files and "-" */
};

/* The files a link produces, beside the binary: final and in-progress names. */
struct link_outputs {
	char *policy, *dot;
	char *tmp_policy, *tmp_dot, *tmp_status;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--lcg-mode=pda|nfa] [--lcg-events=SET] [--lcg-verbose] "
		"CLANG-ARGS...\n"
		"\n"
		"A drop-in C compiler: compiles like " DEFAULT_CLANG " (objects are LTO bitcode);\n"
		"a link of a program `-o prog` also analyses and instruments it and writes\n"
		"prog.lcg.cbor (its policy, pinned to the binary) and prog.lcg-dot/ (its graphs).\n"
		"\n"
		"  --lcg-mode=pda|nfa     policy automaton (default pda; env LCG_MODE)\n"
		"  --lcg-events=SET       effects (default), syscalls or all-libc (env LCG_EVENTS)\n"
		"  --lcg-inline-budget=N  states for copies of pasted callees (env LCG_INLINE_BUDGET)\n"
		"  --lcg-model=FILE       libc model (env LCG_MODEL; default: " MODEL_NAME " beside\n"
		"                         the plugin if installed there, else the built-in one)\n"
		"  --lcg-verbose          print the commands run and the analysis statistics\n"
		"  --help                 this text (" DEFAULT_CLANG " --help lists clang's options)\n"
		"\n"
		"Environment: LCG_CLANG (compiler driver, default " DEFAULT_CLANG "), LCG_PLUGIN\n"
		"(the pass plugin, default ../lib/" PLUGIN_NAME " or ../lib/lcg/" PLUGIN_NAME
		" next to\nthis program).  Archives of bitcode objects: use AR=llvm-ar-19.\n"
		"Shared libraries (-shared) and links without main() get no policy.\n");
}

/* "--lcg-NAME=VALUE": VALUE when @arg is that option, else NULL. */
static const char *lcg_option_value(const char *arg, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n) || arg[n] != '=')
		return NULL;
	return arg + n + 1;
}

/* Remove lcg-cc's own options from argv (in place); returns the new argc. */
static int take_lcg_options(int argc, char **argv, struct cc_options *o)
{
	int out = 1;

	o->mode = getenv("LCG_MODE");
	o->events = getenv("LCG_EVENTS");
	o->budget = getenv("LCG_INLINE_BUDGET");
	o->model = getenv("LCG_MODEL");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;

		if ((v = lcg_option_value(a, "--lcg-mode")))
			o->mode = v;
		else if ((v = lcg_option_value(a, "--lcg-events")))
			o->events = v;
		else if ((v = lcg_option_value(a, "--lcg-inline-budget")))
			o->budget = v;
		else if ((v = lcg_option_value(a, "--lcg-model")))
			o->model = v;
		else if (!strcmp(a, "--lcg-verbose"))
			o->verbose = true;
		else if (!strcmp(a, "--help") || !strcmp(a, "--lcg-help"))
			o->help = true;
		else if (!strncmp(a, "--lcg-", 6)) {
			fprintf(stderr, PROG ": unknown option %s (see " PROG " --help)\n", a);
			exit(2);
		} else
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

static int check_options(const struct cc_options *o)
{
	if (o->mode && *o->mode && !lcg_mode_parse(o->mode)) {
		fprintf(stderr, PROG ": unknown mode '%s': use --lcg-mode=pda or nfa\n", o->mode);
		return -1;
	}
	if (o->budget && *o->budget && strspn(o->budget, "0123456789") != strlen(o->budget)) {
		fprintf(stderr, PROG ": inline budget '%s' is not a number of states: use "
			"--lcg-inline-budget=N\n", o->budget);
		return -1;
	}
	if (o->events && *o->events && !lcg_event_set_parse(o->events)) {
		fprintf(stderr, PROG ": unknown event set '%s': use --lcg-events=effects, "
			"syscalls or all-libc\n", o->events);
		return -1;
	}
	return 0;
}

/* clang driver options whose value is the next argument. */
static bool takes_separate_value(const char *a)
{
	static const char *const opts[] = {
		"-o", "--output", "-x", "-I", "-L", "-l", "-D", "-U", "-F", "-T", "-u", "-z", "-e",
		"-include", "-imacros", "-isystem", "-iquote", "-idirafter", "-iprefix",
		"-iwithprefix", "-iwithprefixbefore", "-isysroot", "-imultilib",
		"-MF", "-MT", "-MQ", "-Xlinker", "-Xassembler", "-Xpreprocessor",
		"-Xclang", "-Xanalyzer", "-mllvm", "-target", "-arch", "--param",
		"-aux-info", "-dumpdir", "-dumpbase", "-dumpbase-ext", "--sysroot",
		"-serialize-diagnostics", "-working-directory", "--config",
		"-Xopenmp-target",
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(a, opts[i]))
			return true;
	return false;
}

static bool is_compile_only_flag(const char *a)
{
	static const char *const flags[] = {
		"-c", "-S", "-E", "-M", "-MM", "-fsyntax-only", "--precompile",
		"-emit-ast", "--analyze",
	};

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (!strcmp(a, flags[i]))
			return true;
	return false;
}

static bool is_not_program_flag(const char *a)
{
	return !strcmp(a, "-shared") || !strcmp(a, "--shared") || !strcmp(a, "-r") ||
	       !strcmp(a, "-Wl,-shared") || !strcmp(a, "-Wl,--shared") ||
	       !strcmp(a, "-Wl,-r") || !strcmp(a, "-Wl,--relocatable");
}

static void classify(int argc, char **argv, struct invocation *inv)
{
	memset(inv, 0, sizeof(*inv));
	inv->output = "a.out";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc)
			inv->output = argv[i + 1];
		else if (!strncmp(a, "--output=", 9))
			inv->output = a + 9;
		else if (!strncmp(a, "-o", 2) && a[2])
			inv->output = a + 2;
		if (takes_separate_value(a)) {
			i++;
			continue;
		}
		if (!strncmp(a, "-fsanitize=", 11) && strstr(a, "cfi") && !strstr(a, "kcfi"))
			inv->other_cfi = true;
		if (is_compile_only_flag(a))
			inv->compile_only = true;
		else if (!strcmp(a, "-###"))
			inv->dry_run = true;
		else if (is_not_program_flag(a) && !inv->not_program) {
			inv->not_program = true;
			inv->not_program_flag = a;
		} else if (a[0] != '-' || !strcmp(a, "-"))
			inv->inputs++;
	}
}

/* Directory holding this executable, for finding the plugin next to it. */
static char *self_dir(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return strdup(path);
}

/* The pass plugin: $LCG_PLUGIN, else build/lib/ in the tree or $PREFIX/lib/lcg/. */
static char *find_plugin(void)
{
	static const char *const rel[] = { "/../lib/" PLUGIN_NAME, "/../lib/lcg/" PLUGIN_NAME };
	const char *env = getenv("LCG_PLUGIN");
	char *dir, *path = NULL;

	if (env && *env) {
		if (access(env, R_OK)) {
			fprintf(stderr, PROG ": LCG_PLUGIN=%s: %s\n", env, strerror(errno));
			return NULL;
		}
		return strdup(env);
	}
	dir = self_dir();
	for (size_t i = 0; dir && i < sizeof(rel) / sizeof(rel[0]); i++) {
		if (asprintf(&path, "%s%s", dir, rel[i]) < 0) {
			path = NULL;
			break;
		}
		if (!access(path, R_OK))
			break;
		free(path);
		path = NULL;
	}
	if (!path)
		fprintf(stderr, PROG ": cannot find " PLUGIN_NAME " in %s/../lib/ or "
			"%s/../lib/lcg/: reinstall lcg or set LCG_PLUGIN\n",
			dir ? dir : "?", dir ? dir : "?");
	free(dir);
	return path;
}

static const char *clang_driver(void)
{
	const char *c = getenv("LCG_CLANG");

	return c && *c ? c : DEFAULT_CLANG;
}

/* A new argv: clang, the user's arguments, then @extra (NULL-terminated). */
static char **clang_argv(int argc, char **argv, const char *const *extra)
{
	size_t n_extra = 0, k = 0;
	char **v;

	while (extra[n_extra])
		n_extra++;
	v = calloc((size_t)argc + n_extra + 1, sizeof(*v));
	if (!v) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(1);
	}
	v[k++] = (char *)clang_driver();
	for (int i = 1; i < argc; i++)
		v[k++] = argv[i];
	for (size_t i = 0; i < n_extra; i++)
		v[k++] = (char *)extra[i];
	v[k] = NULL;
	return v;
}

static void print_command(char **v)
{
	fputs(PROG ": running", stderr);
	for (; *v; v++)
		fprintf(stderr, " %s", *v);
	fputc('\n', stderr);
}

/* Replace this process with clang (compiles, dry runs, no-input queries). */
static int exec_clang(char **v, bool verbose)
{
	if (verbose)
		print_command(v);
	execvp(v[0], v);
	fprintf(stderr, PROG ": cannot run %s: %s (install clang-19 or set LCG_CLANG)\n",
		v[0], strerror(errno));
	return 127;
}

/*
 * Run clang and wait; returns its wait status, or -1.  Like system(), ignore
 * SIGINT and SIGQUIT meanwhile: the terminal sends them to clang as well, and
 * lcg-cc must live on to remove its temporary files.
 */
static int run_clang(char **v, bool verbose)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	posix_spawnattr_t attr;
	sigset_t deflt;
	pid_t pid;
	int status = -1, err;

	if (verbose)
		print_command(v);
	sigemptyset(&deflt);
	sigaddset(&deflt, SIGINT);
	sigaddset(&deflt, SIGQUIT);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigdefault(&attr, &deflt);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	err = posix_spawnp(&pid, v[0], NULL, &attr, v, environ);
	if (err)
		fprintf(stderr, PROG ": cannot run %s: %s (install clang-19 or set LCG_CLANG)\n",
			v[0], strerror(err));
	else
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	posix_spawnattr_destroy(&attr);
	return err ? -1 : status;
}

static bool is_regular_or_absent(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? errno == ENOENT : S_ISREG(st.st_mode);
}

static char *path_with_suffix(const char *base, const char *suffix)
{
	char *s;

	if (asprintf(&s, "%s%s", base, suffix) < 0) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(1);
	}
	return s;
}

static void link_outputs_init(struct link_outputs *lo, const char *output)
{
	char tmp[64];

	lo->policy = path_with_suffix(output, ".lcg.cbor");
	lo->dot = path_with_suffix(output, ".lcg-dot");
	snprintf(tmp, sizeof(tmp), ".lcg-tmp%ld.cbor", (long)getpid());
	lo->tmp_policy = path_with_suffix(output, tmp);
	snprintf(tmp, sizeof(tmp), ".lcg-tmp%ld.dot", (long)getpid());
	lo->tmp_dot = path_with_suffix(output, tmp);
	snprintf(tmp, sizeof(tmp), ".lcg-tmp%ld.status", (long)getpid());
	lo->tmp_status = path_with_suffix(output, tmp);
}

static void link_outputs_free(struct link_outputs *lo)
{
	free(lo->policy);
	free(lo->dot);
	free(lo->tmp_policy);
	free(lo->tmp_dot);
	free(lo->tmp_status);
}

/* A DOT directory lcg wrote, removed; a user's (other files, a link) is refused. */
static int remove_dot_dir(const char *dir)
{
	char err[1024];

	if (!lcg_dot_remove_dir(dir, err, sizeof(err)))
		return 0;
	fprintf(stderr, PROG ": %s; then link again\n", err);
	return -1;
}

static void remove_temporaries(const struct link_outputs *lo)
{
	unlink(lo->tmp_policy);
	unlink(lo->tmp_status);
	remove_dot_dir(lo->tmp_dot);
}

/* A policy left from an earlier link describes another binary: drop it. */
static void remove_stale_policy(const struct link_outputs *lo)
{
	if (unlink(lo->policy) && errno != ENOENT)
		fprintf(stderr, PROG ": warning: cannot remove stale %s: %s\n", lo->policy,
			strerror(errno));
	remove_dot_dir(lo->dot);
}

/* The plugin's status: its first line into @word, the rest into @msg. */
static bool read_status(const char *path, char *word, size_t wlen, char *msg, size_t mlen)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	if (!fgets(word, (int)wlen, f)) {
		fclose(f);
		return false;
	}
	word[strcspn(word, "\n")] = '\0';
	n = fread(msg, 1, mlen - 1, f);
	msg[n] = '\0';
	fclose(f);
	return true;
}

/* Pin the fresh policy to the binary, then move policy and graphs in place. */
static int install_policy(const struct link_outputs *lo, const char *output, bool verbose)
{
	char err[1024];

	if (lcg_finalize(lo->tmp_policy, output, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		return -1;
	}
	if (lcg_dot_install_dir(lo->tmp_dot, lo->dot, err, sizeof(err))) {
		fprintf(stderr, PROG ": cannot put the graphs of %s in place: %s; then link again\n",
			output, err);
		return -1;
	}
	if (lcg_atomic_rename(lo->tmp_policy, lo->policy, err, sizeof(err))) {
		fprintf(stderr, PROG ": cannot move the policy of %s in place: %s\n", output, err);
		return -1;
	}
	if (verbose)
		fprintf(stderr, PROG ": wrote %s, %s and %s/\n", output, lo->policy, lo->dot);
	return 0;
}

/* After a successful link: act on what the plugin reported. */
static int after_link(const struct link_outputs *lo, const char *output, bool verbose)
{
	char word[32], msg[1024];

	if (!read_status(lo->tmp_status, word, sizeof(word), msg, sizeof(msg))) {
		fprintf(stderr, PROG ": warning: %s: no LTO bitcode was linked, so nothing was "
			"analysed and it has no policy (compile its sources with " PROG ")\n",
			output);
		remove_stale_policy(lo);
		return 0;
	}
	if (!strcmp(word, LCG_LTO_ST_NO_MAIN)) {
		fprintf(stderr, PROG ": warning: %s has no main(): linked without a policy\n",
			output);
		remove_stale_policy(lo);
		return 0;
	}
	if (!strcmp(word, LCG_LTO_ST_POLICY))
		return install_policy(lo, output, verbose);
	fprintf(stderr, PROG ": analysis of %s failed: %s\n", output,
		strcmp(word, LCG_LTO_ST_ERROR) ? "the plugin's status is unreadable" : msg);
	return -1;
}

static void set_env(const char *name, const char *value)
{
	if (value && *value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

/*
 * An installed lcg keeps the libc model beside the plugin, where an
 * administrator may adapt it; the build tree has none there and uses the
 * model compiled into the analysis.  NULL: use the built-in one.
 */
static char *installed_model(const char *plugin)
{
	const char *slash = strrchr(plugin, '/');
	char *path;

	if (!slash || asprintf(&path, "%.*s/" MODEL_NAME, (int)(slash - plugin), plugin) < 0)
		return NULL;
	if (!access(path, R_OK))
		return path;
	free(path);
	return NULL;
}

static void pass_request(const struct cc_options *o, const char *model,
			 const struct link_outputs *lo, const char *output)
{
	set_env(LCG_LTO_ENV_OUTPUT, output);
	set_env(LCG_LTO_ENV_POLICY, lo->tmp_policy);
	set_env(LCG_LTO_ENV_DOT, lo->tmp_dot);
	set_env(LCG_LTO_ENV_STATUS, lo->tmp_status);
	set_env(LCG_LTO_ENV_MODE, o->mode);
	set_env(LCG_LTO_ENV_EVENTS, o->events);
	set_env(LCG_LTO_ENV_BUDGET, o->budget);
	set_env(LCG_LTO_ENV_MODEL, o->model ? o->model : model);
	set_env(LCG_LTO_ENV_VERBOSE, o->verbose ? "1" : NULL);
}

/*
 * The flags lcg-cc adds to every clang command that may compile: full LTO
 * (objects are bitcode), and KCFI type ids, which give the analysis the C
 * type of every function and indirect call (analysis/kcfi.c; the plugin
 * removes them before code generation, so the binary has no KCFI checks).
 * Clang's own CFI excludes KCFI: a build that asks for it gets LLVM types.
 * Then @more (NULL-terminated), into @out (room for 8).
 */
static const char **lcg_flags(const struct invocation *inv, const char *const *more,
			      const char **out)
{
	size_t n = 0;

	out[n++] = "-flto=full";
	if (!inv->other_cfi)
		out[n++] = KCFI_FLAG;
	while (*more && n < 7)
		out[n++] = *more++;
	out[n] = NULL;
	return out;
}

/* Exit like clang did: its code, or re-raise the signal that killed it. */
static int exit_like(int status)
{
	if (status >= 0 && WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
	}
	return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* "-Wl,--load-pass-plugin=PATH", with PATH in *@plugin; NULL if not found. */
static char *plugin_option(char **plugin)
{
	char *opt;

	*plugin = find_plugin();
	if (!*plugin)
		return NULL;
	if (asprintf(&opt, "-Wl,--load-pass-plugin=%s", *plugin) < 0) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(1);
	}
	return opt;
}

static int link_program(int argc, char **argv, const struct cc_options *o,
			const struct invocation *inv)
{
	struct link_outputs lo;
	char *plugin = NULL, *load = plugin_option(&plugin), *model;
	const char *flags[8];
	int status, ret;

	if (!load)
		return 1;
	model = o->model ? NULL : installed_model(plugin);
	link_outputs_init(&lo, inv->output);
	pass_request(o, model, &lo, inv->output);
	{
		const char *more[] = { "-fuse-ld=lld", load, NULL };
		char **v = clang_argv(argc, argv, lcg_flags(inv, more, flags));

		status = run_clang(v, o->verbose);
		free(v);
	}
	if (status == 0)
		ret = after_link(&lo, inv->output, o->verbose) ? 1 : 0;
	else
		ret = exit_like(status);
	if (ret && status == 0 && is_regular_or_absent(inv->output)) {
		unlink(inv->output);	/* no binary without its policy, */
		unlink(lo.policy);	/* nor a policy without its binary */
	}
	remove_temporaries(&lo);
	link_outputs_free(&lo);
	free(load);
	free(model);
	free(plugin);
	return ret;
}

/* -###: show the link as it would run, plugin included; nothing is written. */
static int dry_run(int argc, char **argv, const struct invocation *inv, bool verbose)
{
	char *plugin = NULL, *load = plugin_option(&plugin);
	const char *more[] = { "-fuse-ld=lld", load, NULL }, *flags[8];

	if (!load)
		return 1;
	return exec_clang(clang_argv(argc, argv, lcg_flags(inv, more, flags)), verbose);
}

/*
 * A link that makes no program (-shared, -r) gets no policy, but its code
 * must lose the KCFI checks all the same: the plugin only strips them.
 */
static int link_other(int argc, char **argv, const struct invocation *inv, bool verbose)
{
	char *plugin = NULL, *load = plugin_option(&plugin);
	const char *more[] = { "-fuse-ld=lld", load, NULL }, *flags[8];

	if (!load)
		return 1;
	set_env(LCG_LTO_ENV_STRIP_ONLY, "1");
	return exec_clang(clang_argv(argc, argv, lcg_flags(inv, more, flags)), verbose);
}

int main(int argc, char **argv)
{
	struct cc_options o = { 0 };
	struct invocation inv;
	static const char *const ld[] = { "-fuse-ld=lld", NULL };
	static const char *const none[] = { NULL };
	const char *flags[8];

	argc = take_lcg_options(argc, argv, &o);
	if (o.help) {
		usage(stdout);
		return 0;
	}
	if (check_options(&o))
		return 2;
	classify(argc, argv, &inv);
	if (!inv.inputs)	/* --version, -print-*, -dumpmachine, ... */
		return exec_clang(clang_argv(argc, argv, none), o.verbose);
	if (inv.compile_only)
		return exec_clang(clang_argv(argc, argv, lcg_flags(&inv, none, flags)), o.verbose);
	if (inv.not_program) {
		/* a library never has a policy: silent, as a successful build must be */
		if (o.verbose)
			fprintf(stderr, PROG ": %s: %s builds no program, so it gets no policy\n",
				inv.output, inv.not_program_flag);
		return link_other(argc, argv, &inv, o.verbose);
	}
	if (inv.dry_run)
		return dry_run(argc, argv, &inv, o.verbose);
	if (!is_regular_or_absent(inv.output))	/* -o /dev/null: nothing to confine */
		return exec_clang(clang_argv(argc, argv, lcg_flags(&inv, ld, flags)), o.verbose);
	return link_program(argc, argv, &o, &inv);
}
