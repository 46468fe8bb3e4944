// SPDX-License-Identifier: GPL-2.0
/*
 * finalize.c - pin a policy's events to the syscall instructions of its
 * binary (.lcg_sites, read with libelf) and record the binary's identity.
 *
 * The binary is read into memory once: the SHA-256 and the sites come from
 * the same bytes, so a binary replaced while we read it cannot give a policy
 * whose hash and pins disagree.
 */
#define _GNU_SOURCE	/* program_invocation_short_name */
#include "analysis/finalize.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/abi.h"
#include "formats/policy.h"

struct file_bytes {
	unsigned char *data;
	size_t len;
};

struct site {
	u32 id;
	u64 offset;	/* file offset of the syscall instruction */
};

struct site_list {
	struct site *v;
	size_t n;
};

static int read_whole_file(const char *path, struct file_bytes *out, char *err, size_t errlen)
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

static int sha256(const struct file_bytes *f, u8 out[32], const char *path, char *err, size_t errlen)
{
	unsigned int len = 0;

	if (!EVP_Digest(f->data, f->len, out, &len, EVP_sha256(), NULL) || len != 32) {
		snprintf(err, errlen, "%s: SHA-256 computation failed (libcrypto)", path);
		return -1;
	}
	return 0;
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

static int read_sites(const struct file_bytes *f, bool needs_sites, struct site_list *out,
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
	const struct site *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->offset > y->offset) - (x->offset < y->offset);
}

static bool is_event(const struct lcg_policy *p, u32 id)
{
	return id && id < p->n_events && p->events[id].kind != LCG_EV_UNUSED;
}

static bool has_events(const struct lcg_policy *p)
{
	for (u32 id = 1; id < p->n_events; id++)
		if (is_event(p, id))
			return true;
	return false;
}

/* Replace every event's pins with the (sorted, distinct) offsets of its sites. */
static int pin_events(struct lcg_policy *p, struct site_list *sites,
		      const char *policy_path, const char *binary, char *err, size_t errlen)
{
	qsort(sites->v, sites->n, sizeof(*sites->v), cmp_site);
	for (size_t i = 0; i < sites->n; i++) {
		if (!is_event(p, sites->v[i].id)) {
			snprintf(err, errlen, "%s has a site for event %u, which %s does not define: "
				 "policy and binary come from different builds; relink with lcg-cc",
				 binary, sites->v[i].id, policy_path);
			return -1;
		}
	}
	for (u32 id = 0; id < p->n_events; id++) {
		free(p->events[id].pins);
		p->events[id].pins = NULL;
		p->events[id].n_pins = 0;
	}
	for (size_t i = 0, j; i < sites->n; i = j) {
		struct lcg_event_info *ev = &p->events[sites->v[i].id];

		for (j = i; j < sites->n && sites->v[j].id == sites->v[i].id; j++)
			;
		ev->pins = malloc((j - i) * sizeof(*ev->pins));
		if (!ev->pins) {
			snprintf(err, errlen, "out of memory pinning %zu sites", sites->n);
			return -1;
		}
		for (size_t k = i; k < j; k++)
			if (!ev->n_pins || ev->pins[ev->n_pins - 1] != sites->v[k].offset)
				ev->pins[ev->n_pins++] = sites->v[k].offset;
	}
	return 0;
}

static void warn_unpinned(const struct lcg_policy *p, const char *binary)
{
	char list[160] = "";
	size_t used = 0;
	u32 n = 0;

	for (u32 id = 1; id < p->n_events; id++) {
		const struct lcg_event_info *ev = &p->events[id];

		if (ev->kind == LCG_EV_UNUSED || ev->n_pins)
			continue;
		if (n++ < 4 && used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%u (%s in %s)",
						 n > 1 ? ", " : "", id,
						 ev->callee ? ev->callee : "?",
						 ev->function ? ev->function : "?");
	}
	if (n)
		fprintf(stderr, "%s: warning: %u event(s) have no site in %s and will always be "
			"refused: %s%s\n", program_invocation_short_name, n, binary, list,
			n > 4 ? ", ..." : "");
}

static int record_identity(struct lcg_policy *p, const struct file_bytes *f,
			   const char *binary, char *err, size_t errlen)
{
	char *abs = realpath(binary, NULL);

	if (!abs) {
		snprintf(err, errlen, "%s: cannot resolve its absolute path: %s", binary,
			 strerror(errno));
		return -1;
	}
	if (sha256(f, p->sha256, binary, err, errlen)) {
		free(abs);
		return -1;
	}
	free(p->program);
	p->program = abs;
	p->has_sha256 = true;
	return 0;
}

int lcg_finalize(const char *policy_path, const char *binary, char *err, size_t errlen)
{
	struct lcg_policy p;
	struct file_bytes f = { 0 };
	struct site_list sites = { 0 };
	int ret = -1;

	lcg_policy_init(&p);
	if (lcg_policy_read(&p, policy_path, err, errlen))
		goto out;
	if (read_whole_file(binary, &f, err, errlen))
		goto out;
	if (read_sites(&f, has_events(&p), &sites, binary, err, errlen))
		goto out;
	if (pin_events(&p, &sites, policy_path, binary, err, errlen))
		goto out;
	if (record_identity(&p, &f, binary, err, errlen))
		goto out;
	if (lcg_policy_write(&p, policy_path, err, errlen))
		goto out;
	warn_unpinned(&p, binary);
	ret = 0;
out:
	free(sites.v);
	free(f.data);
	lcg_policy_free(&p);
	return ret;
}
