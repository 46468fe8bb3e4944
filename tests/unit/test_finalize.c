// SPDX-License-Identifier: GPL-2.0
/*
 * test_finalize.c - lcg_finalize(): pins from .lcg_sites as file offsets,
 * raw system call pins (id 0), the binary's identity, entry point and static
 * flag, and every way a binary can fail to match its policy.
 * Test binaries are compiled at test time with clang-19 from hand-written
 * LCG_EVENT() sequences (pda/abi.h), so the sites are known exactly.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <elf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/finalize.h"
#include "formats/binary.h"
#include "pda/abi.h"
#include "pda/limits.h"
#include "formats/policy.h"
#include "policy_fixture.h"

static char dir[64];
static char policy_path[128];
static char err[512];

static void setup(void)
{
	cr_redirect_stderr();	/* the unpinned-events warning; read by one test */
	strcpy(dir, "/tmp/lcg-finalize-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(policy_path, sizeof(policy_path), "%s/p.lcg.cbor", dir);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Compile @body (the inside of main) into @dir/@name with @flags; returns the path. */
static const char *build(const char *name, const char *flags, const char *body)
{
	static char bin[160];
	char src[160], cwd[PATH_MAX], cmd[1024];
	FILE *f;

	snprintf(src, sizeof(src), "%s/%s.c", dir, name);
	snprintf(bin, sizeof(bin), "%s/%s", dir, name);
	f = fopen(src, "w");
	cr_assert_not_null(f);
	fprintf(f, "#include \"pda/abi.h\"\nint main(int argc, char **argv)\n{\n%s\nreturn 0;\n}\n",
		body);
	fclose(f);
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	snprintf(cmd, sizeof(cmd), "clang-19 -O1 %s -I'%s' -o '%s' '%s'", flags, cwd, bin, src);
	cr_assert_eq(system(cmd), 0, "cannot compile %s", src);
	return bin;
}

static void write_policy(const struct lcg_policy *p)
{
	cr_assert_eq(lcg_policy_write(p, policy_path, err, sizeof(err)), 0, "%s", err);
}

static void read_policy(struct lcg_policy *p)
{
	lcg_policy_init(p);
	cr_assert_eq(lcg_policy_read(p, policy_path, err, sizeof(err)), 0, "%s", err);
}

/* The bytes at @off in @bin must be the event sequence's "movl $id,%edi; syscall". */
static void assert_pin_holds(const char *bin, u64 off, u32 id)
{
	unsigned char b[7];
	u32 got;
	FILE *f = fopen(bin, "rb");

	cr_assert_not_null(f);
	cr_assert_eq(fseek(f, (long)off - 5, SEEK_SET), 0);
	cr_assert_eq(fread(b, 1, sizeof(b), f), sizeof(b));
	fclose(f);
	memcpy(&got, b + 1, 4);
	cr_assert(b[0] == 0xbf && got == id, "pin %llu of event %u: no movl $%u, %%edi before it",
		  (unsigned long long)off, id, id);
	cr_assert(b[5] == 0x0f && b[6] == 0x05, "pin %llu of event %u is not a syscall",
		  (unsigned long long)off, id);
}

/* e_entry's file offset, from the headers by hand. */
static u64 entry_offset(const char *bin)
{
	struct lcg_bytes b;
	const Elf64_Ehdr *eh;
	u64 off = LCG_NO_ENTRY;

	cr_assert_eq(lcg_bytes_read(bin, &b, err, sizeof(err)), 0, "%s", err);
	eh = (const Elf64_Ehdr *)b.data;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(b.data + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD && eh->e_entry >= ph->p_vaddr &&
		    eh->e_entry < ph->p_vaddr + ph->p_filesz)
			off = eh->e_entry - ph->p_vaddr + ph->p_offset;
	}
	lcg_bytes_free(&b);
	cr_assert_neq(off, LCG_NO_ENTRY, "no PT_LOAD maps the entry point of %s", bin);
	return off;
}

#define TWO_OPENS_READ_PRE \
	"if (argc > 5) LCG_EVENT(1);\nLCG_EVENT(1);\nLCG_EVENT(2);\nLCG_EVENT(3);"

static void check_pins(const char *flags)
{
	struct lcg_policy p;
	const char *bin = build("prog", flags, TWO_OPENS_READ_PRE);

	fixture_pda(&p);
	write_policy(&p);
	lcg_policy_free(&p);
	cr_assert_eq(lcg_finalize(policy_path, bin, err, sizeof(err)), 0, "%s", err);
	read_policy(&p);
	cr_assert_eq(p.events[FX_OPEN].n_pins, 2);
	cr_assert_lt(p.events[FX_OPEN].pins[0], p.events[FX_OPEN].pins[1], "pins sorted, distinct");
	cr_assert_eq(p.events[FX_READ].n_pins, 1);
	cr_assert_eq(p.events[FX_PRE_BAR].n_pins, 1);
	for (u32 id = 1; id < p.n_events; id++)
		for (u32 k = 0; k < p.events[id].n_pins; k++)
			assert_pin_holds(bin, p.events[id].pins[k], id);
	/* the fixture's earlier pins, raw pins and entry are replaced, not kept */
	cr_assert_eq(p.events[FX_POST_BAR].n_pins, 0);
	cr_assert_eq(p.events[FX_CLOSE].n_pins, 0);
	cr_assert_eq(p.n_raw_pins, 0);
	cr_assert_eq(p.entry, entry_offset(bin));
	lcg_policy_free(&p);
}

TestSuite(finalize, .init = setup, .fini = teardown);

Test(finalize, pins_are_file_offsets_of_the_syscalls_pie)
{
	check_pins("-fPIE -pie");
}

Test(finalize, pins_are_file_offsets_of_the_syscalls_static_no_pie)
{
	check_pins("-static");
}

Test(finalize, records_absolute_path_and_sha256)
{
	struct lcg_policy p;
	char cwd[PATH_MAX], rel[PATH_MAX];
	u8 sha[32];
	const char *bin = build("prog", "", TWO_OPENS_READ_PRE);

	fixture_pda(&p);
	fixture_unfinalise(&p);
	write_policy(&p);
	lcg_policy_free(&p);
	/* a relative path in, the absolute path out */
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(chdir(dir), 0);
	snprintf(rel, sizeof(rel), "./prog");
	cr_assert_eq(lcg_finalize(policy_path, rel, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(chdir(cwd), 0);
	read_policy(&p);
	cr_assert_str_eq(p.program, bin);
	cr_assert(p.has_sha256);
	cr_assert_eq(lcg_sha256_file(bin, sha, err, sizeof(err)), 0, "%s", err);
	cr_assert_arr_eq(p.sha256, sha, sizeof(sha));
	lcg_policy_free(&p);
}

Test(finalize, warns_once_about_events_without_a_site)
{
	struct lcg_policy p;
	const char *bin = build("prog", "", TWO_OPENS_READ_PRE);
	char line[512] = "";
	FILE *f;

	fixture_pda(&p);
	write_policy(&p);
	lcg_policy_free(&p);
	cr_assert_eq(lcg_finalize(policy_path, bin, err, sizeof(err)), 0, "%s", err);
	fflush(stderr);
	f = cr_get_redirected_stderr();
	cr_assert(fgets(line, sizeof(line), f));
	cr_assert(strstr(line, "warning: 4 event(s) have no site in"), "got \"%s\"", line);
	cr_assert(strstr(line, "8 (close in cleanup)"), "got \"%s\"", line);
	cr_assert_not(fgets(line, sizeof(line), f), "more than one warning line");
}

Test(finalize, twice_gives_the_same_policy)
{
	struct lcg_policy p;
	const char *bin = build("prog", "", TWO_OPENS_READ_PRE);

	fixture_pda(&p);
	write_policy(&p);
	lcg_policy_free(&p);
	cr_assert_eq(lcg_finalize(policy_path, bin, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(lcg_finalize(policy_path, bin, err, sizeof(err)), 0, "%s", err);
	read_policy(&p);
	cr_assert_eq(p.events[FX_OPEN].n_pins, 2);
	lcg_policy_free(&p);
}

/* Finalising must fail with @expect in the message and leave the policy untouched. */
static void assert_refused(const char *bin, const char *expect)
{
	struct lcg_policy p;
	FILE *f;
	char before[8192], after[8192];
	size_t nb, na;

	fixture_pda(&p);
	write_policy(&p);
	lcg_policy_free(&p);
	f = fopen(policy_path, "rb");
	nb = fread(before, 1, sizeof(before), f);
	fclose(f);
	cr_assert_eq(lcg_finalize(policy_path, bin, err, sizeof(err)), -1, "accepted %s", bin);
	cr_assert(strstr(err, expect), "message \"%s\" does not say \"%s\"", err, expect);
	f = fopen(policy_path, "rb");
	na = fread(after, 1, sizeof(after), f);
	fclose(f);
	cr_assert(na == nb && !memcmp(before, after, nb), "the policy was changed");
}

Test(finalize, refuses_a_binary_without_sites)
{
	assert_refused(build("plain", "", ""), "no .lcg_sites section");
}

Test(finalize, refuses_an_id_the_policy_leaves_unused)
{
	assert_refused(build("hole", "", "LCG_EVENT(1);\nLCG_EVENT(7);"), "does not define");
}

Test(finalize, refuses_an_id_beyond_the_policy)
{
	assert_refused(build("beyond", "", "LCG_EVENT(1);\nLCG_EVENT(99);"), "does not define");
}

Test(finalize, refuses_a_truncated_sites_section)
{
	assert_refused(build("odd", "", "__asm__(\".pushsection .lcg_sites, \\\"a\\\", @progbits\\n"
				       ".long 1\\n.popsection\");"), "malformed");
}

Test(finalize, refuses_a_site_outside_the_loaded_segments)
{
	assert_refused(build("wild", "", "__asm__(\".pushsection .lcg_sites, \\\"a\\\", @progbits\\n"
					".long 1\\n.long 0x40000000\\n.popsection\");"),
		       "outside every loaded segment");
}

Test(finalize, refuses_what_is_not_elf)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/text", dir);
	f = fopen(path, "w");
	fputs("#!/bin/sh\necho not a binary\n", f);
	fclose(f);
	assert_refused(path, "not a 64-bit ELF file");
}

Test(finalize, refuses_a_missing_binary)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_refused(path, "cannot open");
}

Test(finalize, refuses_an_unreadable_policy)
{
	const char *bin = build("prog", "", TWO_OPENS_READ_PRE);

	cr_assert_eq(lcg_finalize(policy_path, bin, err, sizeof(err)), -1);
	cr_assert(strstr(err, "p.lcg.cbor"), "message \"%s\" does not name the policy", err);
}

Test(finalize, accepts_a_program_without_events_and_without_sites)
{
	struct lcg_policy p;
	const char *bin = build("quiet", "", "");

	lcg_policy_init(&p);
	p.program = strdup("quiet");
	p.mode = LCG_MODE_PDA;
	p.event_set = LCG_EVENTS_EFFECTS;
	cr_assert_eq(lcg_policy_add_event(&p, NULL), 0);
	fixture_add_empty_proc(&p.graphs, "main", LCG_AP_MAIN);
	write_policy(&p);
	lcg_policy_free(&p);
	cr_assert_eq(lcg_finalize(policy_path, bin, err, sizeof(err)), 0, "%s", err);
	read_policy(&p);
	cr_assert(p.has_sha256);
	lcg_policy_free(&p);
}

/*
 * A policy lcg-load and lcg-trace would refuse (a state with more edges than
 * pda/limits.h allows) fails finalisation, naming the limit and what to do,
 * and stays as it was: the build fails, not the load.
 */
Test(finalize, refuses_a_policy_beyond_the_image_limits)
{
	struct lcg_policy p;
	struct lcg_event_info e = { .kind = LCG_EV_LIBCALL, .site = LCG_NONE,
				    .callee = "unlink", .function = "main" };
	const char *bin = build("wide", "", "LCG_EVENT(1);");
	u32 main_p, to;

	lcg_policy_init(&p);
	p.program = strdup("wide");
	p.mode = LCG_MODE_PDA;
	p.event_set = LCG_EVENTS_EFFECTS;
	cr_assert_eq(lcg_policy_add_event(&p, NULL), 0);
	main_p = fixture_add_empty_proc(&p.graphs, "main", LCG_AP_MAIN);
	to = lcg_aut_add_state(&p.graphs, main_p);
	lcg_aut_set_exit(&p.graphs, to);
	for (u32 i = 0; i <= LCG_MAX_STATE_EDGES; i++)
		lcg_aut_add_edge(&p.graphs, p.graphs.procs[main_p].entry, to,
				 lcg_policy_add_event(&p, &e), LCG_NONE);
	cr_assert(!p.graphs.oom);
	write_policy(&p);
	lcg_policy_free(&p);
	cr_assert_eq(lcg_finalize(policy_path, bin, err, sizeof(err)), -1, "accepted");
	cr_expect(strstr(err, "could not be loaded") && strstr(err, "LCG_MAX_STATE_EDGES") &&
		  strstr(err, "--lcg-mode"), "message \"%s\" does not say why and what to do", err);
	read_policy(&p);
	cr_expect(!p.has_sha256, "the policy was finalised");
	lcg_policy_free(&p);
}

/*
 * A raw system call (getpid) pinned the way the analysis pins one: an
 * .lcg_sites entry of id 0, here twice for the same instruction, as a block
 * codegen duplicated would be.
 */
#define RAW_GETPID \
	"__asm__ volatile(\"movl $39, %%eax\\n2: syscall\\n" \
	".pushsection .lcg_sites, \\\"aR\\\", @progbits\\n" \
	".long 0\\n.long 2b - .\\n.long 0\\n.long 2b - .\\n.popsection\"" \
	" ::: \"rax\", \"rcx\", \"r11\", \"memory\");\n"

/* The bytes at @off in @bin must be "movl $39, %eax; syscall". */
static void assert_raw_pin_holds(const char *bin, u64 off)
{
	static const unsigned char want[] = { 0xb8, 39, 0, 0, 0, 0x0f, 0x05 };
	unsigned char b[sizeof(want)];
	FILE *f = fopen(bin, "rb");

	cr_assert_not_null(f);
	cr_assert_eq(fseek(f, (long)off - 5, SEEK_SET), 0);
	cr_assert_eq(fread(b, 1, sizeof(b), f), sizeof(b));
	fclose(f);
	cr_assert_arr_eq(b, want, sizeof(want), "raw pin %llx is not the syscall of "
			 "\"movl $39, %%eax; syscall\"", (unsigned long long)off);
}

static void check_raw_pins(const char *flags, bool is_static)
{
	struct lcg_policy p;
	const char *bin = build("raw", flags, TWO_OPENS_READ_PRE RAW_GETPID
				"if (argc > 7) {\n" RAW_GETPID "}\n");

	fixture_pda(&p);
	write_policy(&p);
	lcg_policy_free(&p);
	cr_assert_eq(lcg_finalize(policy_path, bin, err, sizeof(err)), 0, "%s", err);
	read_policy(&p);
	cr_assert_eq(p.n_raw_pins, 2, "two raw system calls, each once");
	cr_assert_lt(p.raw_pins[0], p.raw_pins[1], "sorted, distinct");
	for (u32 k = 0; k < p.n_raw_pins; k++)
		assert_raw_pin_holds(bin, p.raw_pins[k]);
	for (u32 id = 1; id < p.n_events; id++)
		for (u32 k = 0; k < p.events[id].n_pins; k++)
			assert_pin_holds(bin, p.events[id].pins[k], id);
	cr_assert_eq(p.entry, entry_offset(bin));
	cr_assert_eq(p.is_static, is_static);
	lcg_policy_free(&p);
}

Test(finalize, raw_system_calls_become_raw_pins_pie)
{
	check_raw_pins("-fPIE -pie", false);
}

Test(finalize, raw_system_calls_become_raw_pins_static)
{
	check_raw_pins("-static", true);
}

Test(finalize, refinalising_replaces_raw_pins_entry_and_static)
{
	struct lcg_policy p;
	const char *bin;

	fixture_pda(&p);
	write_policy(&p);
	lcg_policy_free(&p);
	bin = build("raw", "-static", TWO_OPENS_READ_PRE RAW_GETPID);
	cr_assert_eq(lcg_finalize(policy_path, bin, err, sizeof(err)), 0, "%s", err);
	read_policy(&p);
	cr_assert(p.n_raw_pins == 1 && p.is_static);
	lcg_policy_free(&p);
	bin = build("plain", "-fPIE -pie", TWO_OPENS_READ_PRE);
	cr_assert_eq(lcg_finalize(policy_path, bin, err, sizeof(err)), 0, "%s", err);
	read_policy(&p);
	cr_assert_eq(p.n_raw_pins, 0);
	cr_assert_not(p.is_static);
	cr_assert_eq(p.entry, entry_offset(bin));
	lcg_policy_free(&p);
}
