/*
 * Callbacks libc runs during the call, each making library calls of its
 * own: pasted where they run (tsearch, twalk, lfind, scandir, nftw), then a
 * hot loop through a function that only sometimes writes (pasted, no
 * brackets), and an exit handler that runs at exit().
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <ftw.h>
#include <search.h>
#include <stdlib.h>
#include "say.h"

static int calls;

static int by_int(const void *a, const void *b)
{
	if (calls++ == 0)
		say_num("first comparison, pid positive:", getpid() > 0);
	return *(const int *)a - *(const int *)b;
}

static void visit(const void *node, VISIT which, int depth)
{
	if (which == leaf || which == postorder)
		say_num("node", **(int *const *)node + 0 * depth);
}

static int only_self(const struct dirent *d)
{
	return !access(d->d_name, F_OK) && d->d_name[0] == 'p';
}

static int count_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)path;
	(void)sb;
	(void)ftw;
	return type == FTW_F && getppid() < 0;
}

__attribute__((noinline)) static void maybe_say(int i)
{
	if (i % 4096 == 4095)
		say_num("tick", i);
}

static void at_exit(void)
{
	say("exit handler\n");
}

int main(int argc, char **argv)
{
	int keys[] = { 4, 2, 6, 1 }, key = 6;
	size_t n = 4;
	void *root = NULL;
	struct dirent **names;
	int found;

	for (size_t i = 0; i < 4; i++)
		tsearch(&keys[i], &root, by_int);
	twalk(root, visit);
	say_num("lfind:", lfind(&key, keys, &n, sizeof(int), by_int) != NULL);
	found = scandir(".", &names, only_self, alphasort);
	say_num("scandir found:", found > 0);
	say_num("nftw:", nftw(".", count_entry, 4, FTW_PHYS));
	for (int i = 0; i < 20000; i++)
		maybe_say(i);
	atexit(at_exit);
	if (argc > 1)
		exit(2);
	return 0;
}
