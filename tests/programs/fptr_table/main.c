/* A table of function pointers, chosen at run time; each makes other libc calls. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include "say.h"

static int op_pid(const char *arg) { return getpid() > 0; }
static int op_time(const char *arg) { return time(NULL) > 0; }
static int op_stat(const char *arg) { struct stat st; return stat(arg, &st) == 0; }
static int op_open(const char *arg)
{
	int fd = open(arg, O_RDONLY);

	return fd >= 0 && close(fd) == 0;
}

static const struct op {
	const char *name;
	int (*run)(const char *arg);
} ops[] = {
	{ "pid", op_pid }, { "time", op_time }, { "stat", op_stat }, { "open", op_open },
};

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const struct op *op = &ops[atoi(argv[i]) % (sizeof(ops) / sizeof(ops[0]))];
		char line[64];

		snprintf(line, sizeof(line), "%s: %d\n", op->name, op->run(argv[0]));
		say(line);
	}
	return 0;
}
