/* Indirect calls resolve to the address-taken functions of the call's type. */
#include <fcntl.h>
#include <unistd.h>

__attribute__((noinline)) int op_open(const char *p) { return open(p, O_RDONLY); }
__attribute__((noinline)) int op_unlink(const char *p) { (void)p; return unlink("/nonexistent/lcg"); }
__attribute__((noinline)) int op_len(const char *p) { int n = 0; while (p[n]) n++; return n; }
__attribute__((noinline)) long other_type(long x) { return write(1, "", (size_t)x); }

int (*volatile table[])(const char *) = { op_open, op_unlink, op_len };
long (*volatile other)(long) = other_type;

int main(int argc, char **argv)
{
	return table[argc % 3](argv[0]) + (int)other(0);
}
