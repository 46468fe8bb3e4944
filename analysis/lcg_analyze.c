// SPDX-License-Identifier: GPL-2.0
/*
 * lcg-analyze - build a program's policy from its whole-program bitcode,
 * optionally instrument it, and finalise a policy against the linked binary.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>
#include "analysis/analyze.h"
#include "formats/atomic_file.h"
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

/* The instrumented module under a temporary name; lcg_atomic_commit() puts it in place. */
static int write_bitcode_temp(LLVMModuleRef m, const char *path, struct lcg_atomic *bc)
{
	char err[512];

	if (lcg_atomic_open(bc, path, 0644, err, sizeof(err))) {
		fprintf(stderr, "lcg-analyze: %s\n", err);
		return -1;
	}
	if (LLVMWriteBitcodeToFD(m, fileno(bc->f), 0, 0)) {
		fprintf(stderr, "lcg-analyze: cannot write %s\n", path);
		lcg_atomic_abort(bc);
		return -1;
	}
	return 0;
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
	struct lcg_atomic bc = { 0 };
	char err[512];

	if (a->instrumented && (verify(m) || write_bitcode_temp(m, a->instrumented, &bc)))
		return -1;
	if (lcg_policy_write(p, a->policy, err, sizeof(err))) {
		fprintf(stderr, "lcg-analyze: %s\n", err);
		lcg_atomic_abort(&bc);
		return -1;
	}
	if (bc.f && lcg_atomic_commit(&bc, err, sizeof(err))) {
		fprintf(stderr, "lcg-analyze: %s\n", err);
		unlink(a->policy);
		return -1;
	}
	if (a->dot && lcg_dot_write_dir(p, a->dot, err, sizeof(err))) {
		fprintf(stderr, "lcg-analyze: %s\n", err);
		unlink(a->policy);
		if (a->instrumented)
			unlink(a->instrumented);
		return -1;
	}
	return 0;
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
