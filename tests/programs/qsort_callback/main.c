/* A callback from libc: qsort calls the comparator, which calls libc itself. */
#include <stdlib.h>
#include "say.h"

static int compared;

static int by_value(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	if (compared++ == 0)
		say_num("first comparison, parent alive:", getppid() > 0);
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int v[] = { 5, 3, 9, 1, 7, 2, 8 };
	size_t n = sizeof(v) / sizeof(v[0]);
	int key = 7, *hit;

	qsort(v, n, sizeof(v[0]), by_value);
	for (size_t i = 0; i < n; i++)
		say_num("v", v[i]);
	hit = bsearch(&key, v, n, sizeof(v[0]), by_value);
	say_num("found 7 at", hit ? (long)(hit - v) : -1L);
	return 0;
}
