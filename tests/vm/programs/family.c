// SPDX-License-Identifier: GPL-2.0
/*
 * family - fork, threads, signal handlers and exec, all issuing events, for
 * the no-false-alarm tests.  A 2 ms interval timer keeps interrupting
 * everything with a handler that issues an event of its own, so handlers
 * start at arbitrary points of every task's monitor.  Its policy is
 * family.spec; at the end it execs "seq ok", which has a profile of its own.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pda/abi.h"

enum {
	EV_SIGACTION = 1, EV_FORK = 2, EV_CHILD_GETPID = 3, EV_WAITPID = 4,
	EV_PTHREAD_CREATE = 5, EV_WORKER_WRITE = 6, EV_PTHREAD_JOIN = 7,
	EV_HANDLER_WRITE = 8, EV_EXECV = 9,
};

#define THREADS 4
#define ROUNDS 200

static volatile sig_atomic_t handled;

static void on_signal(int sig)
{
	LCG_EVENT(EV_HANDLER_WRITE);
	handled++;
}

static void *worker(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		LCG_EVENT(EV_WORKER_WRITE);
		if (i % 50 == 0)
			pthread_kill(pthread_self(), SIGUSR1);
	}
	return arg;
}

static void child(void)
{
	LCG_EVENT(EV_CHILD_GETPID);
	getpid();
	raise(SIGUSR1);
	_exit(0);
}

int main(int argc, char **argv)
{
	struct itimerval every2ms = { { 0, 2000 }, { 0, 2000 } };
	struct sigaction sa = { .sa_handler = on_signal };
	pthread_t t[THREADS];
	int status, i;
	pid_t pid;

	LCG_EVENT(EV_SIGACTION);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &every2ms, NULL);
	raise(SIGUSR1);

	LCG_EVENT(EV_FORK);
	pid = fork();
	if (pid == 0)
		child();
	LCG_EVENT(EV_WAITPID);
	while (waitpid(pid, &status, 0) < 0)
		;
	raise(SIGUSR1);

	for (i = 0; i < THREADS; i++) {
		LCG_EVENT(EV_PTHREAD_CREATE);
		pthread_create(&t[i], NULL, worker, NULL);
	}
	for (i = 0; i < THREADS; i++) {
		LCG_EVENT(EV_PTHREAD_JOIN);
		pthread_join(t[i], NULL);
	}
	printf("family: child status %d, %d signals handled\n", status, (int)handled);
	fflush(stdout);
	if (argc > 1) {
		setitimer(ITIMER_REAL, &(struct itimerval){ 0 }, NULL);
		LCG_EVENT(EV_EXECV);
		execv(argv[1], (char *[]){ argv[1], "ok", NULL });
		perror("family: execv");
		return 1;
	}
	return status;
}
