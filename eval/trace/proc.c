// SPDX-License-Identifier: GPL-2.0
/* proc.c - read a traced task's /proc files. */
#define _GNU_SOURCE
#include "proc.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *proc_exe(pid_t pid)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return NULL;
	path[n] = '\0';
	return strdup(path);
}

/* The value of field @key ("Tgid:") in /proc/TID/status, as text in @val. */
static bool status_field(pid_t tid, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen)) {
			snprintf(val, len, "%s", line + klen);
			found = true;
		}
	fclose(f);
	return found;
}

pid_t proc_tgid(pid_t tid)
{
	char val[64];

	return status_field(tid, "Tgid:", val, sizeof(val)) ? (pid_t)strtol(val, NULL, 10) : 0;
}

bool proc_signal_caught(pid_t tid, int sig)
{
	char val[64];
	uint64_t caught;

	if (sig < 1 || sig > 64 || !status_field(tid, "SigCgt:", val, sizeof(val)))
		return false;
	caught = strtoull(val, NULL, 16);
	return caught & (1ull << (sig - 1));
}

int proc_entry_point(pid_t pid, uint64_t *entry)
{
	char path[64];
	Elf64_auxv_t av;
	ssize_t n;
	int fd, err = ENOENT;

	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = read(fd, &av, sizeof(av))) == (ssize_t)sizeof(av) && av.a_type != AT_NULL) {
		if (av.a_type == AT_ENTRY) {
			*entry = av.a_un.a_val;
			err = 0;
			break;
		}
	}
	if (n < 0)
		err = errno;
	close(fd);
	errno = err;
	return err ? -1 : 0;
}
