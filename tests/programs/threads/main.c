/* Threads: each runs its own library calls; output is printed after joining. */
#include <pthread.h>
#include <stdlib.h>
#include "say.h"

struct job {
	int n;
	long result;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	char *buf = malloc(64);

	j->result = getpid() > 0 ? j->n * 10L : -1;
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[3];
	struct job jobs[3];

	for (int i = 0; i < 3; i++) {
		jobs[i].n = i + 1;
		if (pthread_create(&t[i], NULL, worker, &jobs[i]))
			return 1;
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		say_num("result", jobs[i].result);
	}
	return 0;
}
