/*
 * Two fields of one C type in two structs: a call through one reaches only
 * what was stored into that field (the second layer of multi-layer type
 * analysis).  By type alone, mod_a, mod_b and tick would all be targets of
 * both calls, and the modular reduction would be bracketed because tick
 * writes.
 */
#include <unistd.h>

struct group {
	int id;
	int (*modp)(int *);
};

struct timer {
	int (*cb)(int *);
	int when;
};

__attribute__((noinline)) static int mod_a(int *x) { return *x % 7; }
__attribute__((noinline)) static int mod_b(int *x) { return *x % 11; }
__attribute__((noinline)) static int tick(int *x) { return (int)write(1, "", 0) + *x; }

__attribute__((noinline)) void load_group(struct group *g, int id)
{
	g->modp = id ? mod_a : mod_b;
}

__attribute__((noinline)) void set_timer(struct timer *t)
{
	t->cb = tick;
}

static struct group G;
static struct timer T;
struct group *volatile gp = &G;
struct timer *volatile tp = &T;

int main(int argc, char **argv)
{
	int v = argc, r;

	load_group(gp, argc > 1);
	set_timer(tp);
	r = gp->modp(&v);
	if (argc > 2)
		r += tp->cb(&v);
	return r;
}
