// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-analyze - build a program's policy from its whole-program bitcode,
 * optionally instrument it, and finalise a policy against the linked binary.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>
#include "analysis/analyze.h"
#include "formats/finalize.h"

static const char usage[] =
"usage: lcg-analyze [OPTION...] -o POLICY.cbor IN.bc\n"
"       lcg-analyze finalize POLICY.cbor BINARY\n"
"\n"
"Build the library-call policy of a whole program from its bitcode (all of\n"
"its objects merged, e.g. with llvm-link-19 or an LTO link).\n"
"\n"
"  --mode=pda|nfa          pda: per-procedure graphs and a call-site stack\n"
"                          (default); nfa: one whole-program automaton\n"
"  --events=SET            effects (default): effects outside the process and\n"
"                          stream open/close; syscalls: + every libc function\n"
"                          that may issue a system call; all-libc: every call\n"
"  --inline-budget=N       states the copies of pasted callees may use before\n"
"                          calls share one copy per procedure (default %u;\n"
"                          nfa: 0 = plain call-graph NFA)\n"
"  --all-brackets          pda: bracket every call, paste nothing (Giffin et\n"
"                          al.'s model as is; for comparisons: no bound on\n"
"                          the events a run makes)\n"
"  -o, --output=FILE       write the policy (CBOR) to FILE\n"
"  --dot=DIR               write one DOT graph per procedure and program.dot\n"
"  --instrument=OUT.bc     write the instrumented bitcode to OUT.bc\n"
"  --model=FILE            classify libc functions with FILE instead of the\n"
"                          built-in analysis/libc-model.txt\n"
"  --stats[=json]          print statistics on stdout\n"
"  -q, --quiet             no warnings\n"
"  -h, --help              this text\n"
"\n"
"finalize pins each event of POLICY to the addresses of its syscall\n"
"instruction in BINARY (.lcg_sites) and records BINARY's path and SHA-256.\n"
"Every output is written atomically; on error none is left behind.\n"
"Exit status: 0 success, 1 error, 2 usage error.\n";

struct args {
	struct lcg_analysis_opts opts;
	const char *input, *policy, *dot, *instrumented;
	int stats;		/* 0, 1 text, 2 json */
};

static int usage_error(const char *fmt, const char *what)
{
	fprintf(stderr, "lcg-analyze: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\nTry 'lcg-analyze --help'.\n");
	return 2;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	enum { O_MODE = 256, O_EVENTS, O_BUDGET, O_DOT, O_INSTRUMENT, O_MODEL, O_STATS,
	       O_ALL_BRACKETS };
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, O_MODE },
		{ "events", required_argument, NULL, O_EVENTS },
		{ "inline-budget", required_argument, NULL, O_BUDGET },
		{ "output", required_argument, NULL, 'o' },
		{ "dot", required_argument, NULL, O_DOT },
		{ "instrument", required_argument, NULL, O_INSTRUMENT },
		{ "model", required_argument, NULL, O_MODEL },
		{ "stats", optional_argument, NULL, O_STATS },
		{ "all-brackets", no_argument, NULL, O_ALL_BRACKETS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	lcg_analysis_opts_default(&a->opts);
	a->opts.warnings = stderr;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		char *end;

		switch (c) {
		case O_MODE:
			if (!(a->opts.mode = lcg_mode_parse(optarg)))
				return usage_error("unknown mode '%s': use pda or nfa", optarg);
			break;
		case O_EVENTS:
			if (!(a->opts.event_set = lcg_event_set_parse(optarg)))
				return usage_error("unknown event set '%s': use effects, syscalls "
						   "or all-libc", optarg);
			break;
		case O_BUDGET:
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || v > 0xffffffffu || optarg[0] == '-')
				return usage_error("--inline-budget wants a number of states, "
						   "not '%s'", optarg);
			a->opts.inline_budget = (u32)v;
			break;
		case 'o':
			a->policy = optarg;
			break;
		case O_DOT:
			a->dot = optarg;
			break;
		case O_INSTRUMENT:
			a->instrumented = optarg;
			a->opts.instrument = true;
			break;
		case O_MODEL:
			a->opts.model_path = optarg;
			break;
		case O_STATS:
			if (optarg && strcmp(optarg, "json"))
				return usage_error("--stats takes no value or =json, not '%s'", optarg);
			a->stats = optarg ? 2 : 1;
			break;
		case O_ALL_BRACKETS:
			a->opts.all_brackets = true;
			break;
		case 'q':
			a->opts.warnings = NULL;
			break;
		case 'h':
			printf(usage, LCG_INLINE_BUDGET_DEFAULT);
			exit(0);
		default:
			return usage_error("%s", "invalid option");
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", optind == argc ? "no input bitcode file"
				   : "more than one input file");
	a->input = argv[optind];
	if (!a->policy)
		return usage_error("%s", "no policy file: give -o POLICY.cbor");
	return 0;
}

static char diag_text[1024];

static void on_diagnostic(LLVMDiagnosticInfoRef di, void *ctx)
{
	char *msg = LLVMGetDiagInfoDescription(di);

	if (LLVMGetDiagInfoSeverity(di) == LLVMDSError && !diag_text[0])
		snprintf(diag_text, sizeof(diag_text), "%s", msg);
	LLVMDisposeMessage(msg);
}

static bool looks_like_bitcode(const char *buf, size_t len)
{
	static const unsigned char raw[] = { 'B', 'C', 0xc0, 0xde };
	static const unsigned char wrapper[] = { 0xde, 0xc0, 0x17, 0x0b };

	return len >= 4 && (!memcmp(buf, raw, 4) || !memcmp(buf, wrapper, 4));
}

static LLVMModuleRef read_bitcode(LLVMContextRef ctx, const char *path)
{
	LLVMMemoryBufferRef mb;
	LLVMModuleRef m = NULL;
	char *msg = NULL;

	if (LLVMCreateMemoryBufferWithContentsOfFile(path, &mb, &msg)) {
		fprintf(stderr, "lcg-analyze: cannot read %s: %s\n", path, msg ? msg : "error");
		LLVMDisposeMessage(msg);
		return NULL;
	}
	if (!looks_like_bitcode(LLVMGetBufferStart(mb), LLVMGetBufferSize(mb))) {
		fprintf(stderr, "lcg-analyze: %s is not LLVM bitcode: produce it with "
			"clang-19 -c -emit-llvm (or -flto) and merge with llvm-link-19\n", path);
		LLVMDisposeMemoryBuffer(mb);
		return NULL;
	}
	LLVMContextSetDiagnosticHandler(ctx, on_diagnostic, NULL);
	if (LLVMParseBitcodeInContext2(ctx, mb, &m)) {
		fprintf(stderr, "lcg-analyze: %s is corrupt or from an unsupported LLVM version: %s\n",
			path, diag_text[0] ? diag_text : "cannot parse it");
		m = NULL;
	}
	LLVMDisposeMemoryBuffer(mb);
	return m;
}

/* A new temporary name next to @path (for an atomic rename later). */
static char *temp_name(const char *path)
{
	size_t n = strlen(path) + 16;
	char *t = malloc(n);

	if (t)
		snprintf(t, n, "%s.tmpXXXXXX", path);
	return t;
}

static int write_bitcode_temp(LLVMModuleRef m, const char *path, char **tmp)
{
	int fd;

	*tmp = temp_name(path);
	if (!*tmp || (fd = mkstemp(*tmp)) < 0) {
		fprintf(stderr, "lcg-analyze: cannot create a file next to %s: %s\n", path,
			strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	if (LLVMWriteBitcodeToFD(m, fd, 1, 0) || chmod(*tmp, 0644)) {
		fprintf(stderr, "lcg-analyze: cannot write %s\n", path);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	return 0;
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char p[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Write the graphs into a temporary directory; @tmp gets its name. */
static int write_dot_temp(const struct lcg_policy *p, const char *dir, char **tmp)
{
	char err[512];

	*tmp = temp_name(dir);
	if (!*tmp || !mkdtemp(*tmp)) {
		fprintf(stderr, "lcg-analyze: cannot create a directory next to %s: %s\n", dir,
			strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	if (lcg_dot_write_dir(p, *tmp, err, sizeof(err))) {
		fprintf(stderr, "lcg-analyze: %s\n", err);
		remove_dir(*tmp);
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	return 0;
}

/* Move the graphs of @tmp into @dir (created if needed); files of the same name are replaced. */
static int install_dot(const char *tmp, const char *dir)
{
	DIR *d;
	struct dirent *e;
	int r = 0;

	if (!rename(tmp, dir))
		return 0;
	if (mkdir(dir, 0755) && errno != EEXIST)
		goto fail;
	if (!(d = opendir(tmp)))
		goto fail;
	while (!r && (e = readdir(d))) {
		char from[4096], to[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(from, sizeof(from), "%s/%s", tmp, e->d_name);
		snprintf(to, sizeof(to), "%s/%s", dir, e->d_name);
		r = rename(from, to);
	}
	closedir(d);
	if (!r) {
		rmdir(tmp);
		return 0;
	}
fail:
	fprintf(stderr, "lcg-analyze: cannot install the graphs in %s: %s\n", dir, strerror(errno));
	remove_dir(tmp);
	return -1;
}

static int verify(LLVMModuleRef m)
{
	char *msg = NULL;

	if (!LLVMVerifyModule(m, LLVMReturnStatusAction, &msg)) {
		LLVMDisposeMessage(msg);
		return 0;
	}
	fprintf(stderr, "lcg-analyze: internal error: the instrumented module does not verify: %s\n",
		msg ? msg : "?");
	LLVMDisposeMessage(msg);
	return -1;
}

/* Everything is computed first; outputs appear only when all of them can. */
static int write_outputs(const struct args *a, LLVMModuleRef m, struct lcg_policy *p)
{
	char *bc_tmp = NULL, *dot_tmp = NULL, err[512];
	int r = -1;

	if (a->instrumented && (verify(m) || write_bitcode_temp(m, a->instrumented, &bc_tmp)))
		return -1;
	if (a->dot && write_dot_temp(p, a->dot, &dot_tmp))
		goto out;
	if (lcg_policy_write(p, a->policy, err, sizeof(err))) {
		fprintf(stderr, "lcg-analyze: %s\n", err);
		goto out;
	}
	if (bc_tmp && rename(bc_tmp, a->instrumented)) {
		fprintf(stderr, "lcg-analyze: cannot write %s: %s\n", a->instrumented,
			strerror(errno));
		unlink(a->policy);
		goto out;
	}
	free(bc_tmp);
	bc_tmp = NULL;
	if (dot_tmp && install_dot(dot_tmp, a->dot)) {
		free(dot_tmp);
		dot_tmp = NULL;
		unlink(a->policy);
		if (a->instrumented)
			unlink(a->instrumented);
		goto out;
	}
	r = 0;
out:
	if (bc_tmp)
		unlink(bc_tmp);
	if (dot_tmp) {
		remove_dir(dot_tmp);
	}
	free(bc_tmp);
	free(dot_tmp);
	return r;
}

static int analyze(const struct args *a)
{
	LLVMContextRef ctx = LLVMContextCreate();
	LLVMModuleRef m = read_bitcode(ctx, a->input);
	struct lcg_analysis_stats st;
	struct lcg_policy p;
	char err[1024];
	int r = 1;

	memset(&st, 0, sizeof(st));
	if (!m)
		goto out;
	if (lcg_analyze_module(m, &a->opts, &p, &st, err, sizeof(err))) {
		fprintf(stderr, "lcg-analyze: %s: %s\n", a->input, err);
		goto out;
	}
	p.program = strdup(a->input);
	if (p.program && !write_outputs(a, m, &p)) {
		r = 0;
		if (a->stats)
			lcg_analysis_stats_print(stdout, &st, a->stats == 2);
	}
	lcg_policy_free(&p);
out:
	lcg_analysis_stats_free(&st);
	if (m)
		LLVMDisposeModule(m);
	LLVMContextDispose(ctx);
	return r;
}

static int finalize(int argc, char **argv)
{
	char err[1024];

	if (argc != 4)
		return usage_error("%s", "finalize wants POLICY.cbor BINARY");
	if (lcg_finalize(argv[2], argv[3], err, sizeof(err))) {
		fprintf(stderr, "lcg-analyze: finalize: %s\n", err);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct args a;
	int r;

	if (argc > 1 && !strcmp(argv[1], "finalize"))
		return finalize(argc, argv);
	memset(&a, 0, sizeof(a));
	r = parse_args(argc, argv, &a);
	return r ? r : analyze(&a);
}
