/*
 * A callback kept in a global through a setter: the call reaches what was
 * passed to the setter, not on_other, an address-taken function of the same
 * type kept elsewhere.
 */
#include <unistd.h>

typedef void (*handler_t)(int);

static handler_t current;

__attribute__((noinline)) static void on_a(int x) { (void)write(1, "a", 1 + 0 * x); }
__attribute__((noinline)) static void on_b(int x) { (void)close(x + 100); }
__attribute__((noinline)) static void on_other(int x) { (void)getppid(); (void)x; }

handler_t volatile spare = on_other;

__attribute__((noinline)) void set_handler(handler_t h)
{
	current = h;
}

int main(int argc, char **argv)
{
	set_handler(argc > 1 ? on_a : on_b);
	current(argc);
	return 0;
}
