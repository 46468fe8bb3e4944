// SPDX-License-Identifier: GPL-2.0
/*
 * bench - what lcg.ko costs per system call, in TSC cycles (under emulation
 * only ratios between runs of the same boot mean something):
 *
 *   getppid   the cheapest system call (raw syscall instruction): no probe
 *   kill-0    kill(self, 0), about as cheap: probed, never sensitive (signal
 *             0 to itself), so it shows what a probe hit itself costs
 *   openat-r  openat(O_RDONLY) + close: probed, never sensitive for its flags
 *   openat-w  openat(O_WRONLY) + close after open's event (write armed): a
 *             sensitive call, checked when the program is monitored
 *   event     the dummy system call (LCG_EVENT(1))
 *
 * The opens go through libc, as a program's would: from the program's own
 * text a sensitive call would be refused (origin).  Prints the median over
 * RUNS interleaved runs of N calls, after one warm-up run: for getppid in
 * cycles, for the others in getppid calls (the median of each run's ratio to
 * the getppid calls of that run).  lcg.ko never touches getppid, so this unit
 * cancels the emulator's drift in speed between runs.
 *
 *   bench N    N calls of each per run
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

#include "pda/abi.h"

#define RUNS 11
#define FILE_PATH "/tmp/lcg-bench"

enum { EV_WRITE = 1, EV_OPEN = 2 };

static void raw_getppid(void)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(SYS_getppid) : "rcx", "r11", "memory");
}

static pid_t self;

static void kill0(void)
{
	kill(self, 0);
}

static void open_read(void)
{
	int fd = openat(AT_FDCWD, FILE_PATH, O_RDONLY);

	if (fd < 0) {
		perror("bench: openat");
		exit(1);
	}
	close(fd);
}

static void open_write(void)
{
	int fd = openat(AT_FDCWD, FILE_PATH, O_WRONLY);

	if (fd < 0) {
		perror("bench: openat");
		exit(1);
	}
	close(fd);
}

static void event(void)
{
	LCG_EVENT(EV_WRITE);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return v[n / 2];
}

static double cycles(void (*op)(void), long n)
{
	unsigned long long start = __rdtsc();

	for (long i = 0; i < n; i++)
		op();
	return (double)(__rdtsc() - start) / n;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	double ppid[RUNS], k0[RUNS], rd[RUNS], wr[RUNS], ev[RUNS];
	int fd;

	if (n <= 0) {
		fprintf(stderr, "usage: bench N (calls per run)\n");
		return 2;
	}
	LCG_EVENT(EV_OPEN);
	fd = open(FILE_PATH, O_WRONLY | O_CREAT, 0600);
	if (fd < 0) {
		perror("bench: " FILE_PATH);
		return 1;
	}
	close(fd);
	self = getpid();
	/* run -1 warms caches and the emulator's translation blocks up */
	for (int r = -1; r < RUNS; r++) {
		double p = cycles(raw_getppid, n), k = cycles(kill0, n), o = cycles(open_read, n);
		double e = cycles(event, n), w;

		LCG_EVENT(EV_OPEN);	/* arms write for the opens below */
		w = cycles(open_write, n);
		if (r < 0)
			continue;
		ppid[r] = p;
		k0[r] = k / p;
		rd[r] = o / p;
		ev[r] = e / p;
		wr[r] = w / p;
	}
	printf("getppid %.1f kill-0 %.3f openat-r %.3f openat-w %.3f event %.3f\n",
	       median(ppid, RUNS), median(k0, RUNS), median(rd, RUNS), median(wr, RUNS),
	       median(ev, RUNS));
	return 0;
}
