// SPDX-License-Identifier: GPL-2.0
/*
 * bench - the cost of one event: the dummy system call (monitored or not)
 * against getppid(), the cheapest real system call, both issued with a raw
 * `syscall` instruction so that no libc wrapper is timed.  Prints the median
 * of interleaved runs, in TSC cycles per call, and the median of the runs'
 * ratios: only ratios mean something under emulation.
 *
 *   bench N    N calls of each per run
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <x86intrin.h>

#include "formats/abi.h"

#define RUNS 11

static void raw_getppid(void)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(SYS_getppid) : "rcx", "r11", "memory");
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

static void event(void)
{
	LCG_EVENT(1);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;

	if (n <= 0) {
		fprintf(stderr, "usage: bench N (calls per run)\n");
		return 2;
	}
	double base[RUNS], ev[RUNS], ratio[RUNS];

	/* interleaved, so that drift in the emulator's speed hits both alike */
	for (int r = 0; r < RUNS; r++) {
		base[r] = cycles(raw_getppid, n);
		ev[r] = cycles(event, n);
		ratio[r] = ev[r] / base[r];
	}
	printf("getppid %.1f event %.1f ratio %.3f\n", median(base, RUNS), median(ev, RUNS),
	       median(ratio, RUNS));
	return 0;
}
