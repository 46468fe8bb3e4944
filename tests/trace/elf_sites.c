// SPDX-License-Identifier: GPL-2.0
/* elf_sites.c - .lcg_sites entries to file offsets, with libelf. */
#include "elf_sites.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/abi.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* File offset of virtual address @vaddr: the PT_LOAD segment holding it. */
static int vaddr_to_offset(Elf *elf, uint64_t vaddr, uint64_t *off)
{
	size_t n;

	if (elf_getphdrnum(elf, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_filesz) {
			*off = vaddr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -1;
}

static Elf_Scn *find_section(Elf *elf, const char *name, GElf_Shdr *sh)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *s;

		if (!gelf_getshdr(scn, sh))
			continue;
		s = elf_strptr(elf, shstrndx, sh->sh_name);
		if (s && strcmp(s, name) == 0)
			return scn;
	}
	return NULL;
}

static int decode(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, const char *path,
		  struct elf_site **out, size_t *n, char *err, size_t errlen)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t count;

	if (!d || d->d_size % sizeof(struct lcg_site_entry))
		return fail(err, errlen, "%s: %s is not a whole number of 8-byte entries", path,
			    LCG_SITES_SECTION);
	count = d->d_size / sizeof(struct lcg_site_entry);
	*out = calloc(count ? count : 1, sizeof(**out));
	if (!*out)
		return fail(err, errlen, "%s: out of memory", path);
	for (size_t i = 0; i < count; i++) {
		struct lcg_site_entry e;
		uint64_t field = sh->sh_addr + i * sizeof(e) + offsetof(struct lcg_site_entry, rel);

		memcpy(&e, (const char *)d->d_buf + i * sizeof(e), sizeof(e));
		(*out)[i].id = e.id;
		if (vaddr_to_offset(elf, field + (int64_t)e.rel, &(*out)[i].offset) != 0)
			return fail(err, errlen, "%s: %s entry %zu (event %u) points outside "
				    "every loaded segment", path, LCG_SITES_SECTION, i, e.id);
	}
	*n = count;
	return 0;
}

int elf_sites_read(const char *path, struct elf_site **out, size_t *n, char *err, size_t errlen)
{
	int fd, rc = -1;
	Elf *elf = NULL;
	Elf_Scn *scn;
	GElf_Shdr sh;

	*out = NULL;
	*n = 0;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(err, errlen, "libelf: %s", elf_errmsg(-1));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		fail(err, errlen, "%s: not an ELF file", path);
	} else if (!(scn = find_section(elf, LCG_SITES_SECTION, &sh))) {
		rc = 0;	/* no instrumentation: no pins */
	} else {
		rc = decode(elf, scn, &sh, path, out, n, err, errlen);
	}
	if (rc != 0) {
		free(*out);
		*out = NULL;
	}
	elf_end(elf);
	close(fd);
	return rc;
}
