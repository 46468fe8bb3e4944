// SPDX-License-Identifier: GPL-2.0
/* policy_fixture.c - see policy_fixture.h. */
#include "policy_fixture.h"
#include "pda/sensitive.h"

#include <stdio.h>

static void must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "policy fixture: %s failed\n", what);
		abort();
	}
}

static char *dup(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	must(!s || d, "strdup");
	return d;
}

/* @e as event @id, unused ids before it left as holes */
static void add_event(struct lcg_policy *p, u32 id, struct lcg_event_info e)
{
	static const struct lcg_event_info hole = { .kind = LCG_EV_UNUSED, .site = LCG_NONE };

	while (p->n_events < id)
		must(lcg_policy_add_event(p, p->n_events ? &hole : NULL) != LCG_NONE,
		     "lcg_policy_add_event");
	must(lcg_policy_add_event(p, &e) == id, "lcg_policy_add_event");
}

static void set_event(struct lcg_policy *p, u32 id, u32 kind, const char *callee,
		      const char *function, u32 site)
{
	add_event(p, id, (struct lcg_event_info){ .kind = kind, .callee = (char *)callee,
						 .function = (char *)function, .site = site });
}

static void start(struct lcg_policy *p, u32 mode, const char *program)
{
	lcg_policy_init(p);
	p->program = dup(program);
	p->mode = mode;
	p->event_set = mode == LCG_MODE_PDA ? LCG_EVENTS_SYSCALLS : LCG_EVENTS_ALL_LIBC;
}

u32 fixture_add_empty_proc(struct lcg_automaton *a, const char *name, u32 roles)
{
	u32 proc = lcg_aut_add_proc(a, name, roles);

	must(proc != LCG_NONE, "lcg_aut_add_proc");
	lcg_aut_set_exit(a, a->procs[proc].entry);
	return proc;
}

/* from -event-> a fresh exit state of @proc, and an epsilon edge beside it */
static u32 lib_then_exit(struct lcg_automaton *a, u32 proc, u32 from, u32 event, bool skippable)
{
	u32 to = lcg_aut_add_state(a, proc);

	lcg_aut_add_edge(a, from, to, event, LCG_NONE);
	if (skippable)
		lcg_aut_add_edge(a, from, to, 0, LCG_NONE);
	lcg_aut_set_exit(a, to);
	return to;
}

void fixture_unfinalise(struct lcg_policy *p)
{
	p->has_sha256 = false;
	p->entry = LCG_NO_ENTRY;
	p->is_static = false;
	free(p->raw_pins);
	p->raw_pins = NULL;
	p->n_raw_pins = 0;
}

void fixture_pda(struct lcg_policy *p)
{
	struct lcg_automaton *a = &p->graphs;
	static const u64 open_pins[] = { 0x1180, 0x11c4 };
	static const u64 raw_pins[] = { 0x1204, 0x1310 };
	u32 bar_callee[1];

	start(p, LCG_MODE_PDA, "/usr/local/bin/fixture");
	for (u32 i = 0; i < 32; i++)
		p->sha256[i] = (u8)(0xa0 + i);
	p->has_sha256 = true;
	p->entry = 0x1040;
	p->raw_pins = malloc(sizeof(raw_pins));
	must(p->raw_pins, "malloc");
	memcpy(p->raw_pins, raw_pins, sizeof(raw_pins));
	p->n_raw_pins = 2;
	add_event(p, FX_OPEN, (struct lcg_event_info){ .kind = LCG_EV_LIBCALL, .callee = "open",
		.function = "main", .site = LCG_NONE, .file = "src/main.c", .line = 42,
		.classes = LCG_SC_BIT(LCG_SC_WRITE) | LCG_SC_BIT(LCG_SC_EXEC_MEM) });
	p->events[FX_OPEN].pins = malloc(sizeof(open_pins));
	must(p->events[FX_OPEN].pins, "malloc");
	memcpy(p->events[FX_OPEN].pins, open_pins, sizeof(open_pins));
	p->events[FX_OPEN].n_pins = 2;
	set_event(p, FX_READ, LCG_EV_LIBCALL, "read", "bar", LCG_NONE);
	set_event(p, FX_PRE_BAR, LCG_EV_PRECALL, "bar", "main", 0);
	set_event(p, FX_POST_BAR, LCG_EV_POSTCALL, "bar", "main", 0);
	set_event(p, FX_POST_SETJMP, LCG_EV_POSTCALL, "setjmp", "main", 1);
	set_event(p, FX_WRITE, LCG_EV_LIBCALL, "write", "on_signal", LCG_NONE);
	set_event(p, FX_CLOSE, LCG_EV_LIBCALL, "close", "cleanup", LCG_NONE);
	must(p->n_events == FX_N_EVENTS, "the fixture's events");

	u32 main_p = lcg_aut_add_proc(a, "main", LCG_AP_MAIN);
	u32 s0 = a->procs[main_p].entry;
	u32 s1 = lcg_aut_add_state(a, main_p), s2 = lcg_aut_add_state(a, main_p);
	u32 s3 = lcg_aut_add_state(a, main_p);
	u32 bar = lcg_aut_add_proc(a, "bar", LCG_AP_ADDRESS_TAKEN);

	lcg_aut_add_edge(a, s0, s1, FX_OPEN, LCG_NONE);
	bar_callee[0] = bar;
	lcg_aut_add_site(a, &(struct lcg_site){ .caller = main_p, .from = s1, .to = s2,
		.pre_event = FX_PRE_BAR, .post_event = FX_POST_BAR,
		.callees = bar_callee, .n_callees = 1 });
	lcg_aut_add_edge(a, s1, s2, FX_PRE_BAR, 0);
	lcg_aut_add_site(a, &(struct lcg_site){ .caller = main_p, .from = s2, .to = s3,
		.post_event = FX_POST_SETJMP, .flags = LCG_SITE_SETJMP });
	lcg_aut_add_edge(a, s2, s3, FX_POST_SETJMP, 1);
	lcg_aut_add_edge(a, s2, s3, 0, LCG_NONE);
	lcg_aut_set_exit(a, s3);
	lib_then_exit(a, bar, a->procs[bar].entry, FX_READ, true);

	u32 sig = lcg_aut_add_proc(a, "on_signal", LCG_AP_SIGNAL_HANDLER | LCG_AP_LIBC_CALLBACK);

	lib_then_exit(a, sig, a->procs[sig].entry, FX_WRITE, false);
	fixture_add_empty_proc(a, "worker", LCG_AP_THREAD_ENTRY);
	u32 cleanup = lcg_aut_add_proc(a, "cleanup", LCG_AP_EXIT_HANDLER);

	lib_then_exit(a, cleanup, a->procs[cleanup].entry, FX_CLOSE, false);
	fixture_add_empty_proc(a, "setup", LCG_AP_CONSTRUCTOR);
	must(!a->oom, "building the PDA fixture");
}

void fixture_nfa(struct lcg_policy *p)
{
	struct lcg_automaton *g = &p->graphs, *n = &p->nfa;
	u32 bar_callee[1];

	start(p, LCG_MODE_NFA, "fixture-nfa");
	set_event(p, 1, LCG_EV_LIBCALL, "open", "main", LCG_NONE);
	set_event(p, 2, LCG_EV_LIBCALL, "read", "bar", LCG_NONE);

	u32 main_p = lcg_aut_add_proc(g, "main", LCG_AP_MAIN);
	u32 s1 = lcg_aut_add_state(g, main_p), s2 = lcg_aut_add_state(g, main_p);
	u32 bar = lcg_aut_add_proc(g, "bar", 0);

	lcg_aut_add_edge(g, g->procs[main_p].entry, s1, 1, LCG_NONE);
	bar_callee[0] = bar;
	lcg_aut_add_site(g, &(struct lcg_site){ .caller = main_p, .from = s1, .to = s2,
		.callees = bar_callee, .n_callees = 1 });
	lcg_aut_add_edge(g, s1, s2, 0, 0);
	lcg_aut_set_exit(g, s2);
	lib_then_exit(g, bar, g->procs[bar].entry, 2, false);

	u32 prog = lcg_aut_add_proc(n, "program", LCG_AP_MAIN);
	u32 t1 = lcg_aut_add_state(n, prog);

	lcg_aut_add_edge(n, n->procs[prog].entry, t1, 1, LCG_NONE);
	lib_then_exit(n, prog, t1, 2, true);
	must(!g->oom && !n->oom, "building the NFA fixture");
}
