/* SPDX-License-Identifier: GPL-2.0 */
/*
 * binary.h - what user-space tools need to know about an instrumented
 * executable: its bytes, their SHA-256 (libcrypto), and its .lcg_sites pins
 * (libelf): the event id and file offset of every syscall instruction.
 */
#ifndef LCG_BINARY_H
#define LCG_BINARY_H

#include <stdbool.h>
#include <stddef.h>
#include "../pda/shim.h"

struct lcg_bytes {
	unsigned char *data;
	size_t len;
};

/* The whole of a regular file.  Return 0, or -1 with @err naming the file. */
int lcg_bytes_read(const char *path, struct lcg_bytes *out, char *err, size_t errlen);
void lcg_bytes_free(struct lcg_bytes *b);

int lcg_sha256(const void *data, size_t len, u8 out[32]);
/* Return 0, or -1 with @err naming the file. */
int lcg_sha256_file(const char *path, u8 out[32], char *err, size_t errlen);

struct lcg_pin {
	u32 id;
	u64 offset;	/* file offset of the syscall instruction */
};

/*
 * lcg_elf_pins() - the .lcg_sites entries of the ELF file in @f, sorted by
 * (id, offset): entries of id LCG_RAW_SITE_ID (raw system calls the analysis
 * saw) come first.  *@out is malloc'ed.  Without the section: an error when
 * @needs_sites, else no pins.  Return 0, or -1 with @err naming @path.
 */
int lcg_elf_pins(const struct lcg_bytes *f, const char *path, bool needs_sites,
		 struct lcg_pin **out, size_t *n, char *err, size_t errlen);

/* What binding needs to know of an executable's layout. */
struct lcg_elf_layout {
	u64 entry;		/* file offset of the entry point */
	bool is_static;		/* no program interpreter: libc is in the program's text */
};

/*
 * lcg_elf_layout() - the entry point's file offset (e_entry, through the
 * PT_LOAD that maps it) and whether the ELF file in @f is statically linked.
 * Return 0, or -1 with @err naming @path (not ELF, entry outside every
 * loaded segment).
 */
int lcg_elf_layout(const struct lcg_bytes *f, const char *path, struct lcg_elf_layout *out,
		   char *err, size_t errlen);

#endif /* LCG_BINARY_H */
