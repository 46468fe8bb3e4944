// SPDX-License-Identifier: GPL-2.0
/*
 * seq - open, read, close, with the events an instrumented program would
 * issue (pda/abi.h).  Its policy (seq.spec) allows (open read close)*.
 *
 *   seq ok          one legal round
 *   seq attack      a hijacked run: after open it goes for unlink, which the
 *                   policy never allows there; if the kernel lets the event
 *                   pass, it really creates /tmp/lcg-pwned, so a test can see
 *                   whether the forbidden call ran
 *   seq forge       issues the read event from code the policy did not pin
 *   seq loop N MS   N legal rounds, MS milliseconds apart
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pda/abi.h"

enum { EV_OPEN = 1, EV_READ = 2, EV_CLOSE = 3, EV_UNLINK_ATTACK = 4 };

static void one_round(void)
{
	char buf[16];
	int fd;

	LCG_EVENT(EV_OPEN);
	fd = open("/proc/self/stat", O_RDONLY);
	LCG_EVENT(EV_READ);
	if (read(fd, buf, sizeof(buf)) < 0)
		perror("seq: read");
	LCG_EVENT(EV_CLOSE);
	close(fd);
}

/* the same dummy system call as LCG_EVENT, but without a .lcg_sites entry */
static void forged_read_event(void)
{
	__asm__ volatile("movl $" LCG_STR(LCG_SYSCALL_NR) ", %%eax\n\t"
			 "movl $2, %%edi\n\t"
			 "syscall"
			 : : : "rax", "rdi", "rcx", "r11", "memory");
}

static void attack(void)
{
	int fd;

	LCG_EVENT(EV_OPEN);
	fd = open("/proc/self/stat", O_RDONLY);
	/* control flow hijacked: straight to a call the program never makes here */
	LCG_EVENT(EV_UNLINK_ATTACK);
	fd = open("/tmp/lcg-pwned", O_WRONLY | O_CREAT, 0600);
	if (fd >= 0)
		close(fd);
	printf("seq: the forbidden call ran\n");
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "ok";

	if (!strcmp(what, "ok")) {
		one_round();
	} else if (!strcmp(what, "attack")) {
		attack();
	} else if (!strcmp(what, "forge")) {
		LCG_EVENT(EV_OPEN);
		forged_read_event();
		printf("seq: the forged event passed\n");
	} else if (!strcmp(what, "loop") && argc == 4) {
		struct timespec ts = { 0, atol(argv[3]) * 1000000L };
		long n = atol(argv[2]);

		for (long i = 0; i < n; i++) {
			one_round();
			nanosleep(&ts, NULL);
		}
	} else {
		fprintf(stderr, "usage: seq ok|attack|forge|loop N MS\n");
		return 2;
	}
	printf("seq %s: done\n", what);
	return 0;
}
