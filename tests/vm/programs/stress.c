// SPDX-License-Identifier: GPL-2.0
/*
 * stress - a storm of monitored processes for tests/vm/hardening-tests.sh:
 * WORKERS processes that, until SECONDS have passed, fork children that
 * exit, fork children that exec this program again, start threads and issue
 * events, every one of them legitimate under stress.spec.  Hand-instrumented
 * (pda/abi.h): each sensitive call (fork, clone, exec) is announced by
 * an event that arms its class.
 *
 *   stress WORKERS SECONDS SELF   the storm; SELF is this program's path
 *   stress leaf                   what the exec'ed children run
 *
 * The workers start together: each waits until all are forked and have
 * lived a second side by side (WORKERS monitored processes at once, plus the
 * parent), then the storm lasts SECONDS.  It prints "stress: EVENTS events
 * issued ..." and exits 0 when every worker, child and thread ended
 * normally; a monitored task killed by lcg.ko (a false alarm) makes it exit 1.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pda/abi.h"

enum { EV_WORK = 1, EV_FORK = 2, EV_EXEC = 3, EV_THREAD = 4, EV_IN_THREAD = 5, EV_WAIT = 6 };

#define LEAF_EVENTS 4

struct shared {
	long events, forks, execs, threads, failures;
};

static struct shared *sh;

static void count(long *what, long n)
{
	__atomic_fetch_add(what, n, __ATOMIC_RELAXED);
}

static void *thread_main(void *unused)
{
	for (int i = 0; i < 3; i++)
		LCG_EVENT(EV_IN_THREAD);
	count(&sh->events, 3);
	return NULL;
}

static int reap(pid_t pid)
{
	int st;

	LCG_EVENT(EV_WAIT);
	count(&sh->events, 1);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		count(&sh->failures, 1);
		fprintf(stderr, "stress: child %d ended with status 0x%x\n", pid, st);
		return -1;
	}
	return 0;
}

static void one_round(const char *self, unsigned int *seed)
{
	pthread_t t[2];
	pid_t pid;

	switch (rand_r(seed) % 4) {
	case 0:	/* a child that issues events and exits */
		LCG_EVENT(EV_FORK);
		count(&sh->events, 1);
		pid = fork();
		if (pid == 0) {
			LCG_EVENT(EV_WORK);
			LCG_EVENT(EV_WORK);
			count(&sh->events, 2);
			_exit(0);
		}
		if (pid > 0 && !reap(pid))
			count(&sh->forks, 1);
		break;
	case 1:	/* a child that execs this program */
		LCG_EVENT(EV_FORK);
		count(&sh->events, 1);
		pid = fork();
		if (pid == 0) {
			LCG_EVENT(EV_EXEC);
			count(&sh->events, 1);
			execl(self, self, "leaf", (char *)NULL);
			_exit(127);
		}
		if (pid > 0 && !reap(pid)) {
			count(&sh->execs, 1);
			count(&sh->events, LEAF_EVENTS);
		}
		break;
	case 2:	/* two threads */
		for (int i = 0; i < 2; i++) {
			LCG_EVENT(EV_THREAD);
			count(&sh->events, 1);
			if (pthread_create(&t[i], NULL, thread_main, NULL)) {
				count(&sh->failures, 1);
				return;
			}
		}
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		count(&sh->threads, 2);
		break;
	default: {	/* events, and a short sleep */
		struct timespec ts = { 0, (1 + rand_r(seed) % 4) * 1000000L };

		for (int i = 0; i < 5; i++)
			LCG_EVENT(EV_WORK);
		count(&sh->events, 5);
		nanosleep(&ts, NULL);
	}
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int workers, failed = 0, start[2];
	double seconds;
	pid_t *pids;
	char c;

	if (argc == 2 && !strcmp(argv[1], "leaf")) {
		for (int i = 0; i < LEAF_EVENTS; i++)
			LCG_EVENT(EV_WORK);
		return 0;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: stress WORKERS SECONDS SELF | stress leaf\n");
		return 2;
	}
	workers = atoi(argv[1]);
	seconds = atof(argv[2]);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pids = calloc(workers, sizeof(*pids));
	if (sh == MAP_FAILED || !pids || pipe(start)) {
		perror("stress");
		return 2;
	}
	for (int w = 0; w < workers; w++) {
		LCG_EVENT(EV_FORK);
		count(&sh->events, 1);
		pids[w] = fork();
		if (pids[w] == 0) {
			unsigned int seed = (unsigned int)getpid();
			double end;

			/* all together: read() returns when the parent closes its end */
			close(start[1]);
			if (read(start[0], &c, 1) < 0)
				_exit(1);
			end = now() + seconds;
			/* every worker runs at least one round, whatever the clock says */
			do
				one_round(argv[3], &seed);
			while (now() < end);
			_exit(0);
		}
		if (pids[w] < 0) {
			perror("stress: fork");
			failed = 1;
			workers = w;
			break;
		}
	}
	sleep(1);
	close(start[1]);
	for (int w = 0; w < workers; w++)
		failed |= reap(pids[w]) != 0;
	printf("stress: %ld events issued, %d workers, %ld forks, %ld execs, %ld threads, %ld failures\n",
	       sh->events, workers, sh->forks, sh->execs, sh->threads, sh->failures);
	return failed || sh->failures ? 1 : 0;
}
