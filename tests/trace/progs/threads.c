// SPDX-License-Identifier: GPL-2.0
/*
 * threads - every thread has its own monitor state, starting at its entry.
 * usage: threads good|bad-thread|many N ROUNDS
 * Workers issue event 10 then 11 (ROUNDS times with "many"); main issues
 * create (1), join (2), puts (3).  "bad-thread" makes a worker issue main's
 * event 3: a violation.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pda/abi.h"

static int rounds = 1;
static int bad;

static void *worker(void *arg)
{
	for (int i = 0; i < rounds; i++) {
		LCG_EVENT(10);
		if (bad) {
			LCG_EVENT(3);
		}
		LCG_EVENT(11);
	}
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t t[64];
	int n = 1;

	if (argc < 2)
		return 2;
	bad = !strcmp(argv[1], "bad-thread");
	if (!strcmp(argv[1], "many") && argc == 4) {
		n = atoi(argv[2]);
		rounds = atoi(argv[3]);
		if (n < 1 || n > 64)
			return 2;
	}
	for (int i = 0; i < n; i++) {
		LCG_EVENT(1);
		if (pthread_create(&t[i], NULL, worker, NULL) != 0)
			return 1;
	}
	for (int i = 0; i < n; i++) {
		LCG_EVENT(2);
		pthread_join(t[i], NULL);
	}
	LCG_EVENT(3);
	printf("threads: %d threads, %d rounds\n", n, rounds);
	return 0;
}
