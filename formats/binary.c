// SPDX-License-Identifier: GPL-2.0
/*
 * binary.c - an instrumented executable's bytes, SHA-256 and pins.
 */
#include "formats/binary.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pda/abi.h"

struct site_list {
	struct lcg_pin *v;
	size_t n;
};

int lcg_bytes_read(const char *path, struct lcg_bytes *out, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	out->len = (size_t)st.st_size;
	out->data = malloc(out->len ? out->len : 1);
	if (!out->data) {
		snprintf(err, errlen, "%s: out of memory reading %zu bytes", path, out->len);
		close(fd);
		return -1;
	}
	for (size_t done = 0; done < out->len;) {
		ssize_t r = read(fd, out->data + done, out->len - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errlen, "%s: read failed: %s", path,
				 r ? strerror(errno) : "file shrank while being read");
			free(out->data);
			close(fd);
			return -1;
		}
		done += (size_t)r;
	}
	close(fd);
	return 0;
}

void lcg_bytes_free(struct lcg_bytes *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

int lcg_sha256(const void *data, size_t len, u8 out[32])
{
	unsigned int n = 0;

	return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) && n == 32 ? 0 : -1;
}

int lcg_sha256_file(const char *path, u8 out[32], char *err, size_t errlen)
{
	struct lcg_bytes f;
	int rc;

	if (lcg_bytes_read(path, &f, err, errlen))
		return -1;
	rc = lcg_sha256(f.data, f.len, out);
	if (rc)
		snprintf(err, errlen, "%s: SHA-256 computation failed (libcrypto)", path);
	lcg_bytes_free(&f);
	return rc;
}

/* The file offset of virtual address @addr, from the PT_LOAD that maps it. */
static int vaddr_to_offset(Elf *elf, u64 addr, u64 *offset)
{
	size_t n;

	if (elf_getphdrnum(elf, &n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr - ph.p_vaddr < ph.p_filesz) {
			*offset = ph.p_offset + (addr - ph.p_vaddr);
			return 0;
		}
	}
	return -1;
}

static Elf_Scn *find_section(Elf *elf, const char *name)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *s;

		if (!gelf_getshdr(scn, &sh))
			continue;
		s = elf_strptr(elf, shstrndx, sh.sh_name);
		if (s && !strcmp(s, name))
			return scn;
	}
	return NULL;
}

static int decode_sites(Elf *elf, Elf_Scn *scn, struct site_list *out,
			const char *path, char *err, size_t errlen)
{
	const size_t entsz = sizeof(struct lcg_site_entry);
	GElf_Shdr sh;
	Elf_Data *d;

	if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS || sh.sh_size % entsz) {
		snprintf(err, errlen, "%s: section %s is malformed (type %u, %" PRIu64
			 " bytes, not a multiple of %zu): the binary was not linked by lcg-cc",
			 path, LCG_SITES_SECTION, (unsigned)sh.sh_type, (u64)sh.sh_size, entsz);
		return -1;
	}
	d = elf_getdata(scn, NULL);
	if (!d || d->d_size != sh.sh_size) {
		snprintf(err, errlen, "%s: cannot read section %s: %s", path,
			 LCG_SITES_SECTION, elf_errmsg(-1));
		return -1;
	}
	out->n = sh.sh_size / entsz;
	out->v = calloc(out->n ? out->n : 1, sizeof(*out->v));
	if (!out->v) {
		snprintf(err, errlen, "%s: out of memory for %zu sites", path, out->n);
		return -1;
	}
	for (size_t i = 0; i < out->n; i++) {
		struct lcg_site_entry e;
		u64 rel_field = sh.sh_addr + i * entsz + offsetof(struct lcg_site_entry, rel);

		memcpy(&e, (const char *)d->d_buf + i * entsz, entsz);
		out->v[i].id = e.id;
		if (vaddr_to_offset(elf, rel_field + (u64)(int64_t)e.rel, &out->v[i].offset)) {
			snprintf(err, errlen, "%s: site %zu of %s (event %u) points at address 0x%"
				 PRIx64 ", outside every loaded segment: the section is corrupt",
				 path, i, LCG_SITES_SECTION, e.id, rel_field + (u64)(int64_t)e.rel);
			free(out->v);
			out->v = NULL;
			return -1;
		}
	}
	return 0;
}

static int read_sites(const struct lcg_bytes *f, bool needs_sites, struct site_list *out,
		      const char *path, char *err, size_t errlen)
{
	Elf *elf;
	Elf_Scn *scn;
	int ret = -1;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf is unusable: %s", elf_errmsg(-1));
		return -1;
	}
	elf = elf_memory((char *)f->data, f->len);
	if (!elf || elf_kind(elf) != ELF_K_ELF || gelf_getclass(elf) != ELFCLASS64) {
		snprintf(err, errlen, "%s: not a 64-bit ELF file", path);
		goto out;
	}
	scn = find_section(elf, LCG_SITES_SECTION);
	if (!scn) {
		/* a program that makes no monitored call has no sites, and needs none */
		if (!needs_sites) {
			ret = 0;
			goto out;
		}
		snprintf(err, errlen, "%s: no %s section: the binary was not linked by lcg-cc "
			 "(or its instrumentation was stripped)", path, LCG_SITES_SECTION);
		goto out;
	}
	ret = decode_sites(elf, scn, out, path, err, errlen);
out:
	elf_end(elf);
	return ret;
}

static int cmp_site(const void *a, const void *b)
{
	const struct lcg_pin *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->offset > y->offset) - (x->offset < y->offset);
}

int lcg_elf_pins(const struct lcg_bytes *f, const char *path, bool needs_sites,
		 struct lcg_pin **out, size_t *n, char *err, size_t errlen)
{
	struct site_list sites = { NULL, 0 };

	if (read_sites(f, needs_sites, &sites, path, err, errlen))
		return -1;
	if (sites.n)
		qsort(sites.v, sites.n, sizeof(*sites.v), cmp_site);
	*out = sites.v;
	*n = sites.n;
	return 0;
}

int lcg_elf_layout(const struct lcg_bytes *f, const char *path, struct lcg_elf_layout *out,
		   char *err, size_t errlen)
{
	GElf_Ehdr eh;
	size_t n;
	Elf *elf;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf is unusable: %s", elf_errmsg(-1));
		return -1;
	}
	elf = elf_memory((char *)f->data, f->len);
	if (!elf || elf_kind(elf) != ELF_K_ELF || gelf_getclass(elf) != ELFCLASS64 ||
	    !gelf_getehdr(elf, &eh) || elf_getphdrnum(elf, &n)) {
		snprintf(err, errlen, "%s: not a 64-bit ELF file", path);
		goto out;
	}
	if (vaddr_to_offset(elf, eh.e_entry, &out->entry)) {
		snprintf(err, errlen, "%s: its entry point 0x%" PRIx64 " lies outside every loaded "
			 "segment: not an executable lcg can monitor", path, (u64)eh.e_entry);
		goto out;
	}
	out->is_static = true;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_INTERP)
			out->is_static = false;
	}
	ret = 0;
out:
	elf_end(elf);
	return ret;
}
