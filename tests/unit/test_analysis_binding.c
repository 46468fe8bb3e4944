// SPDX-License-Identifier: GPL-2.0
/*
 * Binding in the analysis (docs/binding.md): the classes of the libc model,
 * their refinement by constant arguments, the classes each LIBCALL event
 * arms, opaque calls, and raw system calls in inline asm, down to their
 * pins in a finalised policy.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <llvm-c/Analysis.h>
#include <llvm-c/BitWriter.h>
#include "test_analysis.h"
#include "formats/finalize.h"
#include "analysis/internal.h"
#include "analysis/libc_model.h"
#include "formats/binary.h"
#include "pda/sensitive.h"

#define B(c) LCG_SC_BIT(LCG_SC_##c)

static const char *fmt_classes(u32 mask)
{
	static char buf[4][128];
	static int k;

	k = (k + 1) % 4;
	lcg_sclass_format(mask, buf[k], sizeof(buf[k]));
	return buf[k];
}

static void load_model(struct libc_model *m)
{
	char err[256];

	cr_assert_eq(libc_model_load(m, NULL, err, sizeof(err)), 0, "%s", err);
}

static const struct libc_fn *model_fn(const struct libc_model *m, const char *name)
{
	const struct libc_fn *f = libc_model_find(m, name, strlen(name));

	cr_assert_not_null(f, "%s is not in the model", name);
	return f;
}

Test(analysis_binding, composite_functions_have_their_classes)
{
	static const struct { const char *name; u32 sc; } want[] = {
		{ "system", B(SPAWN) | B(EXEC) },
		{ "popen", B(SPAWN) | B(EXEC) },
		{ "posix_spawn", B(SPAWN) | B(EXEC) | B(WRITE) | B(ID) },
		{ "posix_spawnp", B(SPAWN) | B(EXEC) | B(WRITE) | B(ID) },
		{ "wordexp", B(SPAWN) | B(EXEC) | B(WRITE) | B(NET) | B(EXEC_MEM) },
		{ "daemon", B(SPAWN) | B(WRITE) },
		{ "forkpty", B(SPAWN) | B(WRITE) },
		{ "remove", B(DELETE) },
		{ "tmpfile", B(WRITE) | B(DELETE) },
		{ "mkstemp", B(WRITE) }, { "mkostemps", B(WRITE) }, { "mkdtemp", B(WRITE) },
		{ "fopen", B(WRITE) | B(EXEC_MEM) }, { "freopen", B(WRITE) | B(EXEC_MEM) },
		{ "fdopen", 0 },
		{ "dlopen", LCG_SC_ALL }, { "dlmopen", LCG_SC_ALL }, { "dlclose", LCG_SC_ALL },
		{ "getaddrinfo", B(NET) | B(EXEC_MEM) }, { "gethostbyname", B(NET) | B(EXEC_MEM) },
		{ "getpwnam", B(NET) | B(EXEC_MEM) }, { "getgrgid_r", B(NET) | B(EXEC_MEM) },
		{ "getlogin", B(NET) | B(EXEC_MEM) }, { "res_query", B(NET) | B(EXEC_MEM) },
		{ "initgroups", B(ID) | B(NET) | B(EXEC_MEM) },
		{ "syslog", B(NET) | B(WRITE) }, { "openlog", B(NET) },
		{ "if_nametoindex", B(NET) }, { "getifaddrs", B(NET) },
		{ "pthread_create", B(SPAWN) | B(EXEC_MEM) },
		{ "timer_create", B(SPAWN) | B(EXEC_MEM) },
		{ "mq_notify", B(SPAWN) | B(NET) | B(EXEC_MEM) },
		{ "iconv_open", B(EXEC_MEM) }, { "pthread_exit", B(EXEC_MEM) },
		{ "pthread_cancel", B(EXEC_MEM) }, { "backtrace", B(EXEC_MEM) },
		{ "getpass", B(WRITE) }, { "posix_openpt", B(WRITE) }, { "openpty", B(WRITE) },
		{ "kill", B(PROC) }, { "killpg", B(PROC) }, { "sigqueue", B(PROC) },
		{ "raise", 0 }, { "pthread_kill", 0 }, { "abort", 0 },
		{ "setuid", B(ID) }, { "setresgid", B(ID) }, { "setgroups", B(ID) },
		{ "chmod", B(ATTR) }, { "fchownat", B(ATTR) },
		{ "rename", B(RENAME) }, { "symlink", B(RENAME) }, { "linkat", B(RENAME) },
		{ "unlink", B(DELETE) }, { "rmdir", B(DELETE) },
		{ "creat", B(WRITE) }, { "truncate", B(WRITE) }, { "ftruncate", 0 },
		{ "mkdir", B(WRITE) }, { "mkfifo", B(WRITE) }, { "mknodat", B(WRITE) },
		{ "socket", B(NET) }, { "accept4", B(NET) }, { "socketpair", 0 },
		{ "shmat", B(EXEC_MEM) }, { "personality", B(EXEC_MEM) },
		{ "ptrace", B(PROC) }, { "prctl", B(HIDE) },
		{ "mount", B(ADMIN) }, { "chroot", B(ADMIN) }, { "reboot", 0 },
		{ "fork", B(SPAWN) }, { "vfork", B(SPAWN) }, { "clone", B(SPAWN) },
		{ "execve", B(EXEC) }, { "execlp", B(EXEC) }, { "fexecve", B(EXEC) },
		{ "syscall", LCG_SC_ALL },
		{ "mbrtowc", B(EXEC_MEM) }, { "fwide", B(EXEC_MEM) },
		{ "read", 0 }, { "strlen", 0 }, { "malloc", 0 }, { "exit", 0 },
	};
	struct libc_model m;

	load_model(&m);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		u32 got = model_fn(&m, want[i].name)->sc;

		cr_expect_eq(got, want[i].sc, "%s: classes %s, expected %s", want[i].name,
			     fmt_classes(got), fmt_classes(want[i].sc));
	}
	libc_model_free(&m);
}

/* Every function the sensitive table names has a model entry that arms its class. */
Test(analysis_binding, every_sensitive_wrapper_arms_its_class)
{
	struct libc_model m;

	load_model(&m);
	for (u32 i = 0; i < lcg_n_syscalls; i++) {
		const struct libc_fn *f = libc_model_find(&m, lcg_syscalls[i].name,
							  strlen(lcg_syscalls[i].name));

		if (f)
			cr_expect(f->sc & LCG_SC_BIT(lcg_syscalls[i].cls), "%s arms %s, not %s",
				  f->name, fmt_classes(f->sc),
				  lcg_sclass_name(lcg_syscalls[i].cls));
	}
	libc_model_free(&m);
}

static u32 refine(const struct libc_model *m, const char *name, u64 value, const char *str)
{
	return libc_refine_classes(model_fn(m, name), value, str);
}

Test(analysis_binding, each_refinement_rule)
{
	struct libc_model m;

	load_model(&m);
	cr_expect_eq(model_fn(&m, "open")->refine, LR_OPENFLAGS);
	cr_expect_eq(model_fn(&m, "openat")->refine_arg, 2);
	cr_expect_eq(refine(&m, "open", O_RDONLY | O_CLOEXEC, NULL), 0);
	cr_expect_eq(refine(&m, "open", O_WRONLY, NULL), B(WRITE));
	cr_expect_eq(refine(&m, "open", O_RDWR, NULL), B(WRITE));
	cr_expect_eq(refine(&m, "open", O_RDONLY | O_CREAT, NULL), B(WRITE));
	cr_expect_eq(refine(&m, "open", O_RDONLY | O_TRUNC, NULL), B(WRITE));
	cr_expect_eq(refine(&m, "shm_open", O_RDONLY, NULL), 0);
	cr_expect_eq(refine(&m, "fopen", 0, "r"), 0);
	cr_expect_eq(refine(&m, "fopen", 0, "rbe"), 0);
	cr_expect_eq(refine(&m, "fopen", 0, "w"), B(WRITE));
	cr_expect_eq(refine(&m, "fopen", 0, "a"), B(WRITE));
	cr_expect_eq(refine(&m, "fopen", 0, "r+"), B(WRITE));
	cr_expect_eq(refine(&m, "fopen", 0, "r,ccs=UTF-16"), B(EXEC_MEM));
	cr_expect_eq(refine(&m, "freopen", 0, "wb"), B(WRITE));
	cr_expect_eq(refine(&m, "mmap", PROT_READ | PROT_WRITE, NULL), 0);
	cr_expect_eq(refine(&m, "mmap", PROT_EXEC, NULL), B(EXEC_MEM));
	cr_expect_eq(refine(&m, "mprotect", PROT_READ | PROT_EXEC, NULL), B(EXEC_MEM));
	cr_expect_eq(refine(&m, "pkey_mprotect", PROT_NONE, NULL), 0);
	cr_expect_eq(refine(&m, "syscall", SYS_getpid, NULL), 0);
	cr_expect_eq(refine(&m, "syscall", SYS_unlink, NULL), B(DELETE));
	cr_expect_eq(refine(&m, "syscall", SYS_execve, NULL), B(EXEC));
	cr_expect_eq(refine(&m, "syscall", SYS_clone3, NULL), B(SPAWN));
	cr_expect_eq(refine(&m, "syscall", (1ull << 32) | SYS_unlink, NULL), B(DELETE),
		     "the kernel reads the number's low 32 bits");
	libc_model_free(&m);
}

/* Load a one-line model; its error (or "") in @err. */
static int load_line(const char *line, char *err, size_t len)
{
	char path[] = "/tmp/lcg-model-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct libc_model m;
	int r;

	fprintf(f, "# a model\n%s\n", line);
	fclose(f);
	err[0] = 0;
	r = libc_model_load(&m, path, err, len);
	unlink(path);
	if (!r)
		libc_model_free(&m);
	return r;
}

Test(analysis_binding, model_class_errors_name_the_line)
{
	char err[512];

	cr_expect_eq(load_line("open effect sc=write", err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(load_line("syscall effect sc=all arg=0:sysno", err, sizeof(err)), 0,
		     "%s", err);
	cr_expect_eq(load_line("unlink effect sc=delete,remove", err, sizeof(err)), -1);
	cr_expect(strstr(err, ":2:") && strstr(err, "\"remove\"") && strstr(err, "exec-mem"),
		  "message: %s", err);
	cr_expect_eq(load_line("open effect sc=", err, sizeof(err)), -1);
	cr_expect(strstr(err, ":2:") && strstr(err, "unknown sensitive class"), "message: %s", err);
	cr_expect_eq(load_line("open effect sc=write arg=1:flags", err, sizeof(err)), -1);
	cr_expect(strstr(err, ":2:") && strstr(err, "openflags"), "message: %s", err);
	cr_expect_eq(load_line("mmap effect sc=write arg=2:prot", err, sizeof(err)), -1);
	cr_expect(strstr(err, ":2:") && strstr(err, "mmap") && strstr(err, "sc="),
		  "message: %s", err);
}

static bool find_syscall(const char *text, size_t *pos)
{
	*pos = 0;
	return next_syscall_insn(text, strlen(text), pos);
}

Test(analysis_binding, syscall_is_matched_as_a_mnemonic)
{
	size_t pos;

	cr_expect(find_syscall("syscall", &pos) && pos == 0);
	cr_expect(find_syscall("\tSYSCALL\n", &pos) && pos == 1);
	cr_expect(find_syscall("nop; syscall", &pos) && pos == 5);
	cr_expect(find_syscall("1: syscall", &pos) && pos == 3);
	cr_expect(find_syscall("1:\n\tsyscall # getpid", &pos) && pos == 4);
	cr_expect(find_syscall(".Ltmp${:uid}: /* here */ syscall", &pos) && pos == 25);
	cr_expect(find_syscall("movl $$39, %eax\n\tsyscall", &pos) && pos == 17);
	cr_expect(!find_syscall("mysyscall", &pos));
	cr_expect(!find_syscall("syscall_entry: nop", &pos));
	cr_expect(!find_syscall("call syscall", &pos));
	cr_expect(!find_syscall("# syscall\n", &pos));
	cr_expect(!find_syscall(".ascii \"x;syscall\"", &pos));
	cr_expect(!find_syscall("sysenter", &pos));
}

/* The LIBCALL event of @callee in function @fn. */
static const struct lcg_event_info *event_in(const struct ta *t, const char *callee,
					     const char *fn)
{
	for (u32 i = 1; i < t->p.n_events; i++) {
		const struct lcg_event_info *e = &t->p.events[i];

		if (e->kind == LCG_EV_LIBCALL && e->callee && e->function &&
		    !strcmp(e->callee, callee) && !strcmp(e->function, fn))
			return e;
	}
	cr_assert_fail("no %s event in %s", callee, fn);
	return NULL;
}

static void expect_arms(const struct ta *t, const char *callee, const char *fn, u32 want)
{
	u32 got = event_in(t, callee, fn)->classes;

	cr_expect_eq(got, want, "%s in %s arms %s, expected %s", callee, fn, fmt_classes(got),
		     fmt_classes(want));
}

static void check_event_classes(u32 set)
{
	struct ta t;

	ta_run(&t, "binding", LCG_MODE_PDA, set);
	/* constant arguments narrow, run-time ones keep every declared class */
	expect_arms(&t, "open", "open_ro", 0);
	expect_arms(&t, "open", "open_create", B(WRITE));
	expect_arms(&t, "open", "open_var", B(WRITE));
	expect_arms(&t, "openat", "openat_ro", 0);
	expect_arms(&t, "fopen", "fopen_r", 0);
	expect_arms(&t, "fopen", "fopen_a", B(WRITE));
	expect_arms(&t, "fopen", "fopen_rplus", B(WRITE));
	expect_arms(&t, "fopen", "fopen_ccs", B(EXEC_MEM));
	expect_arms(&t, "fopen", "fopen_var", B(WRITE) | B(EXEC_MEM));
	expect_arms(&t, "mmap", "map_rw", 0);
	expect_arms(&t, "mmap", "map_x", B(EXEC_MEM));
	expect_arms(&t, "mmap", "map_var", B(EXEC_MEM));
	expect_arms(&t, "mprotect", "protect_x", B(EXEC_MEM));
	expect_arms(&t, "syscall", "sys_getpid", 0);
	expect_arms(&t, "syscall", "sys_unlink", B(DELETE));
	expect_arms(&t, "syscall", "sys_var", LCG_SC_ALL);
	/* composites */
	expect_arms(&t, "system", "run_system", B(SPAWN) | B(EXEC));
	expect_arms(&t, "popen", "run_popen", B(SPAWN) | B(EXEC));
	expect_arms(&t, "tmpfile", "make_tmpfile", B(WRITE) | B(DELETE));
	expect_arms(&t, "remove", "remove_it", B(DELETE));
	/* a pure function that may load a gconv module is an event in every set */
	expect_arms(&t, "mblen", "measure", B(EXEC_MEM));
	/* the model does not know it: it may do anything */
	expect_arms(&t, "opaque_helper", "call_opaque", LCG_SC_ALL);
	/* through a pointer: the declared classes, no refinement */
	expect_arms(&t, "open", "open_through_pointer", B(WRITE));
	/* raw system calls: the class of a constant rax, else every class */
	expect_arms(&t, "syscall", "raw_getpid", 0);
	expect_arms(&t, "syscall", "raw_unlink", B(DELETE));
	expect_arms(&t, "syscall", "raw_var", LCG_SC_ALL);
	expect_arms(&t, "syscall", "raw_rewritten", LCG_SC_ALL);
	/* only LIBCALL events arm */
	for (u32 i = 1; i < t.p.n_events; i++)
		if (t.p.events[i].kind != LCG_EV_LIBCALL)
			cr_expect_eq(t.p.events[i].classes, 0);
	ta_free(&t);
}

Test(analysis_binding, events_arm_their_classes_effects)
{
	check_event_classes(LCG_EVENTS_EFFECTS);
}

Test(analysis_binding, events_arm_their_classes_all_libc)
{
	check_event_classes(LCG_EVENTS_ALL_LIBC);
}

Test(analysis_binding, raw_and_opaque_calls_reach_events_in_nfa_mode)
{
	struct ta t;
	u32 prog;
	bool raw = false, opaque = false;

	ta_run(&t, "binding", LCG_MODE_NFA, LCG_EVENTS_EFFECTS);
	prog = ta_proc(&t.p.nfa, "<program>");
	cr_assert_neq(prog, LCG_NONE);
	for (u32 i = 0; i < t.p.nfa.n_edges; i++) {
		const struct lcg_edge *e = &t.p.nfa.edges[i];
		const struct lcg_event_info *ev = &t.p.events[e->event];

		if (!e->event || t.p.nfa.states[e->from].proc != prog)
			continue;
		raw |= !strcmp(ev->callee, "syscall") && !strcmp(ev->function, "raw_var");
		opaque |= !strcmp(ev->callee, "opaque_helper");
	}
	cr_expect(raw && opaque, "the whole-program automaton has the raw and opaque events");
	ta_free(&t);
}

/* Is @i a raw system call asm as instrumented: pinned text, side effects, its event before? */
static bool is_pinned_asm(LLVMValueRef i)
{
	LLVMValueRef callee, prev;
	const char *text;
	size_t len;

	if (!LLVMIsACallInst(i) || !LLVMIsAInlineAsm(callee = LLVMGetCalledValue(i)))
		return false;
	text = LLVMGetInlineAsmAsmString(callee, &len);
	if (!strstr(text, ".long 0\n"))
		return false;	/* an event sequence */
	cr_expect(strstr(text, ".Llcg_raw${:uid}_0: ") &&
		  strstr(text, ".long .Llcg_raw${:uid}_0 - ."), "asm: %s", text);
	cr_expect(LLVMGetInlineAsmHasSideEffects(callee));
	prev = LLVMGetPreviousInstruction(i);
	cr_expect(prev && LLVMIsACallInst(prev) && LLVMIsAInlineAsm(LLVMGetCalledValue(prev)),
		  "no event right before the raw system call");
	return true;
}

static u32 count_pinned_asm(LLVMModuleRef m)
{
	u32 n = 0;

	for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f))
		for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b;
		     b = LLVMGetNextBasicBlock(b))
			for (LLVMValueRef i = LLVMGetFirstInstruction(b); i;
			     i = LLVMGetNextInstruction(i))
				n += is_pinned_asm(i);
	return n;
}

Test(analysis_binding, raw_syscalls_are_labelled_and_pinned)
{
	struct ta t;
	char *msg = NULL;

	ta_run_ex(&t, "binding", NULL, LCG_MODE_PDA, LCG_EVENTS_EFFECTS,
		  LCG_INLINE_BUDGET_DEFAULT, true);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	cr_expect(strstr(t.warnings, "4 raw system calls in inline asm"), "%s", t.warnings);
	cr_expect_eq(LLVMVerifyModule(t.m, LLVMReturnStatusAction, &msg), 0, "%s", msg);
	LLVMDisposeMessage(msg);
	cr_expect_eq(count_pinned_asm(t.m), 4);
	/* the instrumented module is refused, raw pins included */
	lcg_policy_free(&t.p);
	cr_expect_neq(lcg_analyze_module(t.m, &t.o, &t.p, NULL, t.err, sizeof(t.err)), 0);
	cr_expect(strstr(t.err, "already instrumented"), "%s", t.err);
	ta_free(&t);
}

static int run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool at(const unsigned char *bin, size_t len, u64 off, const char *bytes, size_t n)
{
	return off + n <= len && !memcmp(bin + off, bytes, n);
}

/* Event pins follow "movl $id, %edi"; raw pins are the other syscall instructions. */
static void check_raw_pins(const char *bin_path, u32 want_raw)
{
	struct lcg_policy p;
	struct lcg_bytes bin;
	char err[512];
	u32 syscalls = 0, event_pins = 0;

	lcg_policy_init(&p);
	cr_assert_eq(lcg_policy_read(&p, "policy.cbor", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(lcg_bytes_read(bin_path, &bin, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(p.n_raw_pins, want_raw);
	for (u32 k = 0; k < p.n_raw_pins; k++) {
		cr_expect(at(bin.data, bin.len, p.raw_pins[k], "\x0f\x05", 2),
			  "raw pin %llx is not a syscall instruction",
			  (unsigned long long)p.raw_pins[k]);
		cr_expect(!at(bin.data, bin.len, p.raw_pins[k] - 5, "\xbf", 1),
			  "raw pin %llx is an event's", (unsigned long long)p.raw_pins[k]);
		cr_expect(!k || p.raw_pins[k] > p.raw_pins[k - 1], "sorted, distinct");
	}
	for (u32 id = 1; id < p.n_events; id++)
		for (u32 k = 0; k < p.events[id].n_pins; k++, event_pins++) {
			u64 off = p.events[id].pins[k];

			cr_expect(at(bin.data, bin.len, off - 5, "\xbf", 1) &&
				  !memcmp(bin.data + off - 4, &id, 4) &&
				  at(bin.data, bin.len, off, "\x0f\x05", 2), "pin of event %u", id);
		}
	/* every syscall instruction of the program is either (opcode bytes may repeat in data) */
	for (size_t i = 0; i + 1 < bin.len; i++)
		syscalls += bin.data[i] == 0x0f && bin.data[i + 1] == 0x05;
	cr_expect_geq(syscalls, want_raw + event_pins);
	cr_expect_neq(p.entry, LCG_NO_ENTRY, "finalize records the entry point");
	lcg_bytes_free(&bin);
	lcg_policy_free(&p);
}

/* Analyse, instrument, build with @flags, run, finalise: the raw pins are the syscalls. */
static void raw_end_to_end(const char *flags, bool is_static)
{
	struct ta t;
	struct lcg_policy p;
	char err[512], cwd[512];

	ta_run_ex(&t, "raw_syscall", NULL, LCG_MODE_PDA, LCG_EVENTS_EFFECTS,
		  LCG_INLINE_BUDGET_DEFAULT, true);
	cr_assert_eq(t.rc, 0, "%s", t.err);
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(chdir(t.dir), 0);
	cr_assert_eq(LLVMWriteBitcodeToFile(t.m, "inst.bc"), 0);
	free(t.p.program);
	t.p.program = strdup("prog");
	cr_assert_eq(lcg_policy_write(&t.p, "policy.cbor", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(run("clang-19 -O1 %s inst.bc -o prog", flags), 0);
	cr_expect_eq(run("./prog"), 0, "the raw system calls do not work any more");
	cr_assert_eq(lcg_finalize("policy.cbor", "prog", err, sizeof(err)), 0, "%s", err);
	check_raw_pins("prog", 3);
	lcg_policy_init(&p);
	cr_assert_eq(lcg_policy_read(&p, "policy.cbor", err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(p.is_static, is_static);
	lcg_policy_free(&p);
	cr_assert_eq(chdir(cwd), 0);
	ta_free(&t);
}

Test(analysis_binding, raw_syscall_pins_after_finalize_pie)
{
	raw_end_to_end("-fPIE -pie", false);
}

Test(analysis_binding, raw_syscall_pins_after_finalize_static)
{
	raw_end_to_end("-static", true);
}
