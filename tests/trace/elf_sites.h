/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elf_sites.h - read the .lcg_sites pins of a linked executable: for each
 * entry, the event id and the file offset of its syscall instruction (what
 * lcg-analyze finalize records in a policy and lcg-trace and lcg.ko check).
 */
#ifndef LCG_TEST_ELF_SITES_H
#define LCG_TEST_ELF_SITES_H

#include <stddef.h>
#include <stdint.h>

struct elf_site {
	uint32_t id;
	uint64_t offset;	/* file offset of the syscall instruction */
};

/*
 * elf_sites_read() - *@out is malloc'ed (may be NULL when there are no
 * sites).  Return 0, or -1 with a message in @err naming the file.
 */
int elf_sites_read(const char *path, struct elf_site **out, size_t *n, char *err, size_t errlen);

#endif /* LCG_TEST_ELF_SITES_H */
