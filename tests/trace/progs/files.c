// SPDX-License-Identifier: GPL-2.0
/*
 * files - the course's open.(read)*.close, then a marker file is created.
 * usage: files once|loop|skip-read|signal DIR   (DIR holds "input")
 * Exits 7 so that tests see the program's own status come through.
 * "skip-read" goes straight from open to creat: a policy violation, and the
 * marker must not exist afterwards (killed before the call).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pda/abi.h"

int main(int argc, char **argv)
{
	char path[4096], buf[64];
	int fd, reads = 1;

	if (argc != 3)
		return 2;
	snprintf(path, sizeof(path), "%s/input", argv[2]);
	LCG_EVENT(1);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	if (!strcmp(argv[1], "loop"))
		reads = 3;
	if (!strcmp(argv[1], "skip-read"))
		reads = -1;
	for (int i = 0; i < reads; i++) {
		LCG_EVENT(2);
		if (read(fd, buf, sizeof(buf)) < 0)
			return 1;
	}
	if (reads >= 0) {
		LCG_EVENT(3);
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/marker", argv[2]);
	LCG_EVENT(4);
	fd = creat(path, 0644);
	LCG_EVENT(5);
	close(fd);
	if (!strcmp(argv[1], "signal"))
		raise(SIGUSR1);
	puts("files: done");
	return 7;
}
