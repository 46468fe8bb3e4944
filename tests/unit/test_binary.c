// SPDX-License-Identifier: GPL-2.0
/*
 * test_binary.c - an executable's identity as every tool computes it
 * (formats/binary.c): SHA-256 vectors, files, the .lcg_sites pins of a
 * program built with pda/abi.h's LCG_EVENT, and its layout (entry point,
 * static or not) for binding.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "formats/binary.h"

static void hex(const u8 d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void expect(const void *data, size_t len, const char *want)
{
	u8 d[32];
	char got[65];

	cr_assert_eq(lcg_sha256(data, len, d), 0);
	hex(d, got);
	cr_assert_str_eq(got, want, "length %zu", len);
}

Test(binary, sha256_empty)
{
	expect("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(binary, sha256_abc)
{
	expect("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(binary, sha256_two_blocks)
{
	expect("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(binary, sha256_file_matches_memory)
{
	char path[] = "/tmp/lcg-sha256-XXXXXX", err[256], got[65];
	int fd = mkstemp(path);
	u8 d[32];

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "abc", 3), 3);
	close(fd);
	cr_assert_eq(lcg_sha256_file(path, d, err, sizeof(err)), 0, "%s", err);
	unlink(path);
	hex(d, got);
	cr_assert_str_eq(got, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(binary, missing_file_names_the_file)
{
	char err[256];
	u8 d[32];

	cr_assert_eq(lcg_sha256_file("/nonexistent/lcg", d, err, sizeof(err)), -1);
	cr_assert(strstr(err, "/nonexistent/lcg"), "%s", err);
}

/* a program with two sites of event 7 and one of event 3 */
static const char *build_pinned(char *dir)
{
	static char bin[300];
	char src[300], cmd[1024];
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s/p.c", dir);
	snprintf(bin, sizeof(bin), "%s/p", dir);
	f = fopen(src, "w");
	cr_assert_not_null(f);
	fputs("#include \"pda/abi.h\"\n"
	      "__attribute__((noinline)) static void a(void) { LCG_EVENT(7); }\n"
	      "__attribute__((noinline)) static void b(void) { LCG_EVENT(7); }\n"
	      "int main(int c, char **v) { if (c > 5) a(); else b(); LCG_EVENT(3); return 0; }\n",
	      f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "clang-19 -O1 -I. -o %s %s", bin, src);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	return bin;
}

Test(binary, elf_pins_sorted_with_file_offsets)
{
	char dir[] = "/tmp/lcg-pins-XXXXXX", err[256];
	const char *bin = build_pinned(dir);
	struct lcg_bytes b;
	struct lcg_pin *pins;
	size_t n;

	cr_assert_eq(lcg_bytes_read(bin, &b, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(lcg_elf_pins(&b, bin, true, &pins, &n, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(n, 3);
	cr_assert_eq(pins[0].id, 3);
	cr_assert_eq(pins[1].id, 7);
	cr_assert_eq(pins[2].id, 7);
	cr_assert_lt(pins[1].offset, pins[2].offset);
	for (size_t i = 0; i < n; i++) {
		cr_assert_lt(pins[i].offset + 1, b.len);
		cr_assert_eq(b.data[pins[i].offset], 0x0f, "a syscall instruction (0f 05)");
		cr_assert_eq(b.data[pins[i].offset + 1], 0x05);
	}
	free(pins);
	lcg_bytes_free(&b);
}

Test(binary, elf_pins_missing_section)
{
	char err[256];
	struct lcg_bytes b;
	struct lcg_pin *pins = NULL;
	size_t n = 99;

	cr_assert_eq(lcg_bytes_read("/bin/true", &b, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(lcg_elf_pins(&b, "/bin/true", false, &pins, &n, err, sizeof(err)), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(lcg_elf_pins(&b, "/bin/true", true, &pins, &n, err, sizeof(err)), -1);
	cr_assert(strstr(err, ".lcg_sites"), "%s", err);
	lcg_bytes_free(&b);
}

Test(binary, not_elf_refused)
{
	char err[256];
	struct lcg_bytes b = { (unsigned char *)"not an elf file", 15 };
	struct lcg_pin *pins;
	size_t n;

	cr_assert_eq(lcg_elf_pins(&b, "x", true, &pins, &n, err, sizeof(err)), -1);
	cr_assert(strstr(err, "not a 64-bit ELF"), "%s", err);
}

/* e_entry's file offset, computed from the headers by hand (not through libelf). */
static u64 entry_offset(const struct lcg_bytes *b)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b->data;

	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(b->data + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD && eh->e_entry >= ph->p_vaddr &&
		    eh->e_entry < ph->p_vaddr + ph->p_filesz)
			return eh->e_entry - ph->p_vaddr + ph->p_offset;
	}
	cr_assert_fail("no PT_LOAD maps the entry point");
	return 0;
}

/* Build a trivial program with @flags; its layout must be @is_static and e_entry's offset. */
static void check_layout(const char *flags, bool is_static)
{
	char dir[] = "/tmp/lcg-layout-XXXXXX", src[64], bin[64], cmd[256], err[256];
	struct lcg_elf_layout l;
	struct lcg_bytes b;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s/p.c", dir);
	snprintf(bin, sizeof(bin), "%s/p", dir);
	f = fopen(src, "w");
	cr_assert_not_null(f);
	fputs("int main(void) { return 0; }\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "clang-19 -O1 %s -o %s %s", flags, bin, src);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	cr_assert_eq(lcg_bytes_read(bin, &b, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(lcg_elf_layout(&b, bin, &l, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(l.is_static, is_static, "%s", flags);
	cr_expect_eq(l.entry, entry_offset(&b), "%s: entry at %llx", flags,
		     (unsigned long long)l.entry);
	cr_expect_neq(l.entry, 0, "offset 0 is the ELF header");
	lcg_bytes_free(&b);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(binary, layout_pie)
{
	check_layout("-fPIE -pie", false);
}

Test(binary, layout_no_pie)
{
	check_layout("-fno-pie -no-pie", false);
}

Test(binary, layout_static)
{
	check_layout("-static", true);
}

Test(binary, layout_static_pie)
{
	check_layout("-static-pie", true);
}

Test(binary, layout_of_what_is_not_elf)
{
	char err[256];
	struct lcg_bytes b = { (unsigned char *)"not an elf file", 15 };
	struct lcg_elf_layout l;

	cr_assert_eq(lcg_elf_layout(&b, "x", &l, err, sizeof(err)), -1);
	cr_assert(strstr(err, "x: not a 64-bit ELF"), "%s", err);
}
