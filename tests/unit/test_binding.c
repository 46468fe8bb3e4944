// SPDX-License-Identifier: GPL-2.0
/*
 * Binding (docs/binding.md): the table of sensitive system calls, the rule
 * that classifies one call, and the monitor's verdict on a sensitive call -
 * start-up, origin, arming, signals, callbacks, threads, fork.
 */
#include "lcg_test.h"
#include "pda/sensitive.h"

#define BIT(c) LCG_SC_BIT(LCG_SC_##c)

static const struct lcg_syscall *row(const char *name)
{
	for (u32 i = 0; i < lcg_n_syscalls; i++)
		if (!strcmp(lcg_syscalls[i].name, name))
			return &lcg_syscalls[i];
	cr_assert_fail("no row %s", name);
	return NULL;
}

/* the class of @name(a0, a1, a2) called by process 100, thread 101 */
static u32 cls3(const char *name, u64 a0, u64 a1, u64 a2)
{
	const u64 args[6] = { a0, a1, a2, 0, 0, 0 };

	return lcg_syscall_class(row(name), args, 100, 101);
}

/* ---- the table ---------------------------------------------------------- */

Test(sensitive_table, sorted_distinct_and_found_by_number)
{
	for (u32 i = 0; i < lcg_n_syscalls; i++) {
		if (i)
			cr_assert_gt(lcg_syscalls[i].nr, lcg_syscalls[i - 1].nr, "row %u", i);
		cr_assert_eq(lcg_syscall_find(lcg_syscalls[i].nr), &lcg_syscalls[i]);
		cr_assert_lt(lcg_syscalls[i].cls, LCG_SC_COUNT);
		cr_assert_lt(lcg_syscalls[i].arg, 6);
		cr_assert_lt(lcg_syscalls[i].arg2, 6);
	}
	for (u32 i = 1; i < lcg_n_syscalls_i386; i++)
		cr_assert_gt(lcg_syscalls_i386[i].nr, lcg_syscalls_i386[i - 1].nr, "i386 row %u", i);
}

Test(sensitive_table, every_class_has_system_calls)
{
	u32 seen = 0;

	for (u32 i = 0; i < lcg_n_syscalls; i++)
		seen |= LCG_SC_BIT(lcg_syscalls[i].cls);
	cr_assert_eq(seen, LCG_SC_ALL);
}

Test(sensitive_table, harmless_calls_are_absent)
{
	/* read, write, close, getpid, exit_group, the dummy event, rt_sigreturn */
	static const u32 harmless[] = { 0, 1, 3, 39, 231, 360, 15 };

	for (u32 i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++)
		cr_assert_null(lcg_syscall_find(harmless[i]), "nr %u", harmless[i]);
}

Test(sensitive_table, numbers_of_the_x86_64_abi)
{
	cr_assert_str_eq(lcg_syscall_find(87)->name, "unlink");
	cr_assert_str_eq(lcg_syscall_find(59)->name, "execve");
	cr_assert_str_eq(lcg_syscall_find(56)->name, "clone");
	cr_assert_str_eq(lcg_syscall_find(257)->name, "openat");
	cr_assert_str_eq(lcg_syscall_find(317)->name, "seccomp");
	cr_assert_str_eq(lcg_syscall_find(425)->name, "io_uring_setup");
}

/* ---- the rules ---------------------------------------------------------- */

Test(sensitive_rules, open_only_for_writing_creating_or_truncating)
{
	cr_assert_eq(cls3("open", 0, 0 /* O_RDONLY */, 0), 0);
	cr_assert_eq(cls3("open", 0, 02000000 /* O_CLOEXEC */, 0), 0);
	cr_assert_eq(cls3("open", 0, 01, 0), BIT(WRITE));
	cr_assert_eq(cls3("open", 0, 02, 0), BIT(WRITE));
	cr_assert_eq(cls3("open", 0, 0100, 0), BIT(WRITE));
	cr_assert_eq(cls3("open", 0, 01000, 0), BIT(WRITE));
	/* openat's flags are its third argument, not its path */
	cr_assert_eq(cls3("openat", 01, 0, 0), 0);
	cr_assert_eq(cls3("openat", 0, 0, 020200002 /* O_TMPFILE | O_RDWR */), BIT(WRITE));
	cr_assert_eq(cls3("creat", 0, 0, 0), BIT(WRITE));
	/* behind a pointer: always */
	cr_assert_eq(cls3("openat2", 0, 0, 0), BIT(WRITE));
}

Test(sensitive_rules, executable_memory_only_with_prot_exec)
{
	cr_assert_eq(cls3("mmap", 0, 4096, 3 /* RW */), 0);
	cr_assert_eq(cls3("mmap", 0, 4096, 5 /* RX */), BIT(EXEC_MEM));
	cr_assert_eq(cls3("mprotect", 0, 4096, 1), 0);
	cr_assert_eq(cls3("mprotect", 0, 4096, 7), BIT(EXEC_MEM));
	cr_assert_eq(cls3("shmat", 1, 0, 010000 /* SHM_RDONLY */), 0);
	cr_assert_eq(cls3("shmat", 1, 0, 0100000 /* SHM_EXEC */), BIT(EXEC_MEM));
	cr_assert_eq(cls3("personality", 0xffffffffu, 0, 0), 0);
	cr_assert_eq(cls3("personality", 0, 0, 0), 0);
	cr_assert_eq(cls3("personality", 0x0400000, 0, 0), BIT(EXEC_MEM));
}

Test(sensitive_rules, signals_to_others_not_to_oneself)
{
	cr_assert_eq(cls3("kill", 100, 9, 0), 0);
	cr_assert_eq(cls3("kill", 101, 9, 0), 0);
	cr_assert_eq(cls3("kill", 200, 9, 0), BIT(PROC));
	cr_assert_eq(cls3("kill", 200, 0, 0), 0, "signal 0 only probes");
	cr_assert_eq(cls3("kill", 0, 15, 0), BIT(PROC), "the process group");
	cr_assert_eq(cls3("kill", (u32)-1, 15, 0), BIT(PROC), "every process");
	cr_assert_eq(cls3("tgkill", 100, 102, 6), 0, "raise() and pthread_kill()");
	cr_assert_eq(cls3("tgkill", 200, 201, 6), BIT(PROC));
	cr_assert_eq(cls3("rt_sigqueueinfo", 200, 10, 0), BIT(PROC));
	cr_assert_eq(cls3("pidfd_send_signal", 3, 9, 0), BIT(PROC));
	cr_assert_eq(cls3("pidfd_send_signal", 3, 0, 0), 0);
}

Test(sensitive_rules, prctl_only_what_hides)
{
	cr_assert_eq(cls3("prctl", 15 /* PR_SET_NAME */, 0, 0), 0);
	cr_assert_eq(cls3("prctl", 38 /* PR_SET_NO_NEW_PRIVS */, 1, 0), 0);
	cr_assert_eq(cls3("prctl", 22 /* PR_SET_SECCOMP */, 2, 0), BIT(HIDE));
	cr_assert_eq(cls3("prctl", 59 /* PR_SET_SYSCALL_USER_DISPATCH */, 1, 0), BIT(HIDE));
	cr_assert_eq(cls3("prctl", 35 /* PR_SET_MM */, 13, 0), BIT(HIDE));
	/* the kernel reads an int: the upper half cannot hide the option */
	cr_assert_eq(cls3("prctl", (1ull << 32) | 22, 2, 0), BIT(HIDE));
	cr_assert_eq(cls3("seccomp", 1, 0, 0), BIT(HIDE));
}

Test(sensitive_rules, always_sensitive_ones)
{
	cr_assert_eq(cls3("unlink", 0, 0, 0), BIT(DELETE));
	cr_assert_eq(cls3("clone", 0x50f00, 0, 0), BIT(SPAWN));
	cr_assert_eq(cls3("execve", 0, 0, 0), BIT(EXEC));
	cr_assert_eq(cls3("socket", 1 /* AF_UNIX */, 1, 0), BIT(NET));
	cr_assert_eq(cls3("setuid", 0, 0, 0), BIT(ID));
	cr_assert_eq(cls3("mount", 0, 0, 0), BIT(ADMIN));
	cr_assert_eq(cls3("io_uring_setup", 8, 0, 0), BIT(HIDE));
}

Test(sensitive_rules, other_abis)
{
	cr_assert_eq(lcg_compat_syscall_class(LCG_ABI_I386, 10 /* unlink */), BIT(DELETE));
	cr_assert_eq(lcg_compat_syscall_class(LCG_ABI_I386, 11 /* execve */), BIT(EXEC));
	cr_assert_eq(lcg_compat_syscall_class(LCG_ABI_I386, 102 /* socketcall */), BIT(NET));
	cr_assert_eq(lcg_compat_syscall_class(LCG_ABI_I386, 20 /* getpid */), 0);
	cr_assert_eq(lcg_compat_syscall_class(LCG_ABI_X32, 520 /* execve */), BIT(EXEC));
	cr_assert_eq(lcg_compat_syscall_class(LCG_ABI_X32, 87 /* unlink */), BIT(DELETE));
	cr_assert_eq(lcg_compat_syscall_class(LCG_ABI_X32, 0 /* read */), 0);
}

Test(sensitive_names, parse_and_format)
{
	char buf[128];
	u32 c;

	for (c = 0; c < LCG_SC_COUNT; c++) {
		const char *n = lcg_sclass_name(c);
		u32 back = LCG_SC_COUNT;

		cr_assert(lcg_sclass_parse(n, strlen(n), &back), "%s", n);
		cr_assert_eq(back, c);
	}
	cr_assert_not(lcg_sclass_parse("exec-memory", 11, &c));
	cr_assert(lcg_sclass_parse("exec-mem", 4, &c), "the bytes given, not the string");
	cr_assert_eq(c, LCG_SC_EXEC);
	cr_assert_not(lcg_sclass_parse("", 0, &c));
	cr_assert_str_eq(lcg_sclass_name(LCG_SC_COUNT), "?");
	lcg_sclass_format(0, buf, sizeof(buf));
	cr_assert_str_eq(buf, "none");
	lcg_sclass_format(LCG_SC_ALL, buf, sizeof(buf));
	cr_assert_str_eq(buf, "all");
	lcg_sclass_format(BIT(DELETE) | BIT(WRITE), buf, sizeof(buf));
	cr_assert_str_eq(buf, "delete,write");
	lcg_sclass_format(BIT(SPAWN) | BIT(EXEC), buf, 8);
	cr_assert_str_eq(buf, "exec,sp", "truncated, still terminated");
}

/* ---- the monitor's verdict ---------------------------------------------- */

/*
 * main:  -unlink-> a -puts-> b -opaque-> c (exit)
 * cb (libc callback): -puts2-> (exit)
 * unlink arms delete, opaque arms everything, puts/puts2 nothing.
 * Finalised: raw system calls pinned at 0x2000 and 0x2400.
 */
struct bind {
	struct tp t;
	struct trun r;
	u32 unlink, puts, opaque, puts2;
};

static void bind_build(struct bind *b, bool pinned, bool is_static)
{
	static const u64 raw[] = { 0x2000, 0x2400 };
	u32 main, cb, a, s_b, c, x;

	tp_init(&b->t, LCG_MODE_PDA);
	b->unlink = tp_lib(&b->t, "unlink");
	b->puts = tp_lib(&b->t, "puts");
	b->opaque = tp_lib(&b->t, "deflate");
	b->puts2 = tp_lib(&b->t, "puts");
	b->t.pol.events[b->unlink].classes = BIT(DELETE);
	b->t.pol.events[b->opaque].classes = LCG_SC_ALL;
	main = tp_proc(&b->t, "main", LCG_AP_MAIN);
	cb = tp_proc(&b->t, "cb", LCG_AP_LIBC_CALLBACK);
	a = tp_state(&b->t, main);
	s_b = tp_state(&b->t, main);
	c = tp_state(&b->t, main);
	tp_edge(&b->t, tp_entry(&b->t, main), a, b->unlink);
	tp_edge(&b->t, a, s_b, b->puts);
	tp_edge(&b->t, s_b, c, b->opaque);
	tp_exit(&b->t, c);
	x = tp_state(&b->t, cb);
	tp_edge(&b->t, tp_entry(&b->t, cb), x, b->puts2);
	tp_exit(&b->t, x);
	if (pinned) {
		/* pins of events are not checked here (lcg_monitor_pinned's tests do) */
		b->t.pol.has_sha256 = true;
		b->t.pol.is_static = is_static;
		b->t.pol.entry = 0x1000;
		b->t.pol.raw_pins = malloc(sizeof(raw));
		memcpy(b->t.pol.raw_pins, raw, sizeof(raw));
		b->t.pol.n_raw_pins = 2;
	}
	tp_build(&b->t, LCG_DFA_FACTOR, &b->r);
}

static void bind_free(struct bind *b)
{
	tr_free(&b->r);
	lcg_policy_free(&b->t.pol);
}

/* the verdict on a call of @cls from a shared library (not the program's text) */
static enum lcg_reason lib_call(struct bind *b, u32 cls)
{
	return lcg_monitor_syscall(&b->r.m, &b->r.img, cls, false, 0);
}

static void step_ok(struct bind *b, u32 ev)
{
	cr_assert_eq(lcg_monitor_step(&b->r.m, &b->r.img, ev), LCG_R_OK, "event %u", ev);
}

Test(binding, image_carries_classes_entry_and_raw_pins)
{
	struct bind b;

	bind_build(&b, true, false);
	cr_assert_eq(b.r.img.events[b.unlink].classes, BIT(DELETE));
	cr_assert_eq(b.r.img.events[b.puts].classes, 0);
	cr_assert_eq(b.r.img.hdr->entry, 0x1000);
	cr_assert_eq(b.r.img.n_raw_pins, 2);
	cr_assert_eq(b.r.img.raw_pins[1], 0x2400);
	cr_assert_eq(b.r.img.hdr->flags, LCG_IMG_PINNED);
	bind_free(&b);
	bind_build(&b, true, true);
	cr_assert_eq(b.r.img.hdr->flags, LCG_IMG_PINNED | LCG_IMG_STATIC);
	bind_free(&b);
	bind_build(&b, false, false);
	cr_assert_eq(b.r.img.hdr->entry, LCG_NO_ENTRY);
	bind_free(&b);
}

Test(binding, start_up_is_not_checked)
{
	struct bind b;

	bind_build(&b, true, false);
	/* the dynamic loader maps libraries executable before the program runs */
	cr_assert_eq(lib_call(&b, BIT(EXEC_MEM)), LCG_R_OK);
	cr_assert_eq(lcg_monitor_syscall(&b.r.m, &b.r.img, BIT(DELETE), true, 0x5555), LCG_R_OK);
	lcg_monitor_enter_program(&b.r.m);
	cr_assert_eq(lib_call(&b, BIT(EXEC_MEM)), LCG_R_UNARMED);
	bind_free(&b);
}

Test(binding, an_accepted_event_ends_start_up)
{
	struct bind b;

	bind_build(&b, true, false);
	step_ok(&b, b.unlink);
	cr_assert_eq(lib_call(&b, BIT(EXEC_MEM)), LCG_R_UNARMED);
	bind_free(&b);
}

Test(binding, the_last_event_arms_its_classes_only)
{
	struct bind b;

	bind_build(&b, true, false);
	lcg_monitor_enter_program(&b.r.m);
	cr_assert_eq(lib_call(&b, BIT(DELETE)), LCG_R_UNARMED, "nothing armed before an event");
	step_ok(&b, b.unlink);
	cr_assert_eq(b.r.m.last_event, b.unlink);
	cr_assert_eq(lib_call(&b, BIT(DELETE)), LCG_R_OK);
	cr_assert_eq(lib_call(&b, BIT(DELETE)), LCG_R_OK, "a verdict changes nothing");
	cr_assert_eq(lib_call(&b, BIT(EXEC)), LCG_R_UNARMED);
	cr_assert_eq(lib_call(&b, 0), LCG_R_OK, "not sensitive");
	step_ok(&b, b.puts);
	cr_assert_eq(lib_call(&b, BIT(DELETE)), LCG_R_UNARMED, "the next event replaces them");
	step_ok(&b, b.opaque);
	for (u32 c = 0; c < LCG_SC_COUNT; c++)
		cr_assert_eq(lib_call(&b, LCG_SC_BIT(c)), LCG_R_OK, "opaque code arms %s",
			     lcg_sclass_name(c));
	bind_free(&b);
}

Test(binding, origin_in_the_program_text)
{
	struct bind b;

	bind_build(&b, true, false);
	step_ok(&b, b.unlink);
	/* armed, but from a place of the program where no raw system call was seen */
	cr_assert_eq(lcg_monitor_syscall(&b.r.m, &b.r.img, BIT(DELETE), true, 0x2001),
		     LCG_R_ORIGIN);
	cr_assert_eq(lcg_monitor_syscall(&b.r.m, &b.r.img, BIT(DELETE), true, 0x2000), LCG_R_OK);
	cr_assert_eq(lcg_monitor_syscall(&b.r.m, &b.r.img, BIT(DELETE), true, 0x2400), LCG_R_OK);
	/* a pinned raw system call must still be armed */
	cr_assert_eq(lcg_monitor_syscall(&b.r.m, &b.r.img, BIT(EXEC), true, 0x2400),
		     LCG_R_UNARMED);
	cr_assert_eq(lcg_monitor_syscall(&b.r.m, &b.r.img, 0, true, 0x2001), LCG_R_OK);
	bind_free(&b);
}

Test(binding, origin_off_for_static_and_unfinalised_programs)
{
	struct bind b;

	bind_build(&b, true, true);
	step_ok(&b, b.unlink);
	cr_assert_eq(lcg_monitor_syscall(&b.r.m, &b.r.img, BIT(DELETE), true, 0x7777), LCG_R_OK);
	cr_assert_eq(lcg_monitor_syscall(&b.r.m, &b.r.img, BIT(EXEC), true, 0x7777),
		     LCG_R_UNARMED, "arming still applies");
	bind_free(&b);
	bind_build(&b, false, false);
	step_ok(&b, b.unlink);
	cr_assert_eq(lcg_monitor_syscall(&b.r.m, &b.r.img, BIT(DELETE), true, 0x7777), LCG_R_OK);
	bind_free(&b);
}

Test(binding, signal_handler_gets_nothing_and_gives_back)
{
	struct bind b;

	bind_build(&b, true, false);
	step_ok(&b, b.unlink);
	/* delivered between unlink's event and its system call */
	lcg_monitor_signal_enter(&b.r.m);
	cr_assert_eq(lib_call(&b, BIT(DELETE)), LCG_R_UNARMED, "the handler announced nothing");
	step_ok(&b, b.puts2);	/* the handler's own call, an asynchronous entry */
	cr_assert_eq(b.r.m.last_event, b.puts2);
	lcg_monitor_signal_return(&b.r.m);
	cr_assert_eq(lib_call(&b, BIT(DELETE)), LCG_R_OK, "unlink goes ahead");
	cr_assert_eq(b.r.m.last_event, b.unlink, "its log line names its own event");
	bind_free(&b);
}

Test(binding, nested_signals_and_returns_without_a_handler)
{
	struct bind b;

	bind_build(&b, true, false);
	step_ok(&b, b.unlink);
	for (u32 i = 0; i < LCG_SIGNAL_MAX + 2; i++)
		lcg_monitor_signal_enter(&b.r.m);
	cr_assert_eq(b.r.m.n_signals, LCG_SIGNAL_MAX + 2);
	for (u32 i = 0; i < LCG_SIGNAL_MAX + 1; i++)
		lcg_monitor_signal_return(&b.r.m);
	cr_assert_eq(lib_call(&b, BIT(DELETE)), LCG_R_UNARMED, "handlers interrupted handlers");
	lcg_monitor_signal_return(&b.r.m);
	cr_assert_eq(lib_call(&b, BIT(DELETE)), LCG_R_OK, "the outermost gets its classes back");
	/* a sigreturn no handler entry matches (sigreturn-oriented programming) */
	lcg_monitor_signal_return(&b.r.m);
	cr_assert_eq(b.r.m.n_signals, 0);
	cr_assert_eq(lib_call(&b, BIT(DELETE)), LCG_R_UNARMED);
	bind_free(&b);
}

Test(binding, callback_keeps_the_classes_of_the_call_it_interrupted)
{
	struct bind b;

	bind_build(&b, true, false);
	step_ok(&b, b.unlink);
	step_ok(&b, b.puts);
	step_ok(&b, b.opaque);
	/* the opaque library calls back into the program, which announces puts */
	step_ok(&b, b.puts2);
	cr_assert_eq(b.r.m.n_async, 1);
	cr_assert_eq(b.r.m.armed, 0);
	/* back in the library: it may go on with anything its call armed */
	cr_assert_eq(lib_call(&b, BIT(NET)), LCG_R_OK);
	cr_assert_eq(lcg_monitor_armed(&b.r.m), LCG_SC_ALL);
	bind_free(&b);
}

Test(binding, threads_inherit_their_creators_classes)
{
	struct lcg_monitor creator, th;
	struct bind b;
	u32 main, worker, m1, w1, start;

	tp_init(&b.t, LCG_MODE_PDA);
	start = tp_lib(&b.t, "pthread_create");
	b.t.pol.events[start].classes = BIT(SPAWN) | BIT(EXEC_MEM);
	main = tp_proc(&b.t, "main", LCG_AP_MAIN);
	worker = tp_proc(&b.t, "worker", LCG_AP_THREAD_ENTRY);
	m1 = tp_state(&b.t, main);
	tp_edge(&b.t, tp_entry(&b.t, main), m1, start);
	tp_exit(&b.t, m1);
	w1 = tp_state(&b.t, worker);
	tp_edge(&b.t, tp_entry(&b.t, worker), w1, start);
	tp_exit(&b.t, w1);
	tp_build(&b.t, LCG_DFA_FACTOR, &b.r);
	step_ok(&b, start);
	creator = b.r.m;
	cr_assert(lcg_monitor_init_thread(&th, &b.r.img, &creator));
	cr_assert(th.flags & LCG_MON_ENTERED);
	cr_assert_eq(lcg_monitor_syscall(&th, &b.r.img, BIT(SPAWN), false, 0), LCG_R_OK);
	cr_assert_eq(lcg_monitor_syscall(&th, &b.r.img, BIT(DELETE), false, 0), LCG_R_UNARMED);
	cr_assert_eq(th.last_event, 0, "its own automaton starts afresh");
	tr_free(&b.r);
	lcg_policy_free(&b.t.pol);
}

Test(binding, fork_copies_the_armed_classes)
{
	struct lcg_monitor child;
	struct bind b;

	bind_build(&b, true, false);
	step_ok(&b, b.unlink);
	lcg_monitor_copy(&child, &b.r.m);
	cr_assert_eq(lcg_monitor_syscall(&child, &b.r.img, BIT(DELETE), false, 0), LCG_R_OK);
	bind_free(&b);
}

Test(binding, complain_resync_arms_the_refused_event)
{
	struct bind b;

	bind_build(&b, true, false);
	step_ok(&b, b.unlink);
	/* opaque is not allowed right after unlink: complain mode lets its call run */
	cr_assert_neq(lcg_monitor_step(&b.r.m, &b.r.img, b.opaque), LCG_R_OK);
	lcg_monitor_resync(&b.r.m, &b.r.img, b.opaque);
	cr_assert_eq(b.r.m.last_event, b.opaque);
	cr_assert_eq(lib_call(&b, BIT(NET)), LCG_R_OK);
	bind_free(&b);
}

Test(binding, calls_and_returns_arm_nothing)
{
	struct lcg_monitor *m;
	struct trun r;
	struct tp t;
	u32 main, f, s1, s2, unlink, pre, post, f1;

	tp_init(&t, LCG_MODE_PDA);
	unlink = tp_lib(&t, "unlink");
	t.pol.events[unlink].classes = BIT(DELETE);
	main = tp_proc(&t, "main", LCG_AP_MAIN);
	f = tp_proc(&t, "f", 0);
	s1 = tp_state(&t, main);
	s2 = tp_state(&t, main);
	tp_edge(&t, tp_entry(&t, main), s1, unlink);
	tp_call(&t, main, s1, s2, &f, 1, &pre, &post);
	tp_exit(&t, s2);
	f1 = tp_state(&t, f);
	tp_edge(&t, tp_entry(&t, f), f1, unlink);
	tp_exit(&t, f1);
	tp_build(&t, LCG_DFA_FACTOR, &r);
	m = &r.m;
	cr_assert_eq(lcg_monitor_step(m, &r.img, unlink), LCG_R_OK);
	cr_assert_eq(lcg_monitor_step(m, &r.img, pre), LCG_R_OK);
	cr_assert_eq(lcg_monitor_syscall(m, &r.img, BIT(DELETE), false, 0), LCG_R_UNARMED);
	cr_assert_eq(lcg_monitor_step(m, &r.img, unlink), LCG_R_OK);
	cr_assert_eq(lcg_monitor_step(m, &r.img, post), LCG_R_OK);
	cr_assert_eq(lcg_monitor_syscall(m, &r.img, BIT(DELETE), false, 0), LCG_R_UNARMED);
	tr_free(&r);
	lcg_policy_free(&t.pol);
}

Test(binding, reason_names)
{
	cr_assert_str_eq(lcg_reason_str(LCG_R_UNARMED), "unarmed");
	cr_assert_str_eq(lcg_reason_str(LCG_R_ORIGIN), "origin");
	cr_assert_str_eq(lcg_reason_str(LCG_R_ABI), "abi");
}
