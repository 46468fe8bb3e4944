/*
 * Variadic function pointers resolved by C type: const char * and char *
 * are one LLVM type (ptr) but two C types, so a call through
 * int (*)(const char *, ...) reaches log_const only.  The pointers reach
 * the calls as parameters of address-taken functions: only the type can say.
 */
#include <unistd.h>

__attribute__((noinline)) static int log_const(const char *fmt, ...)
{
	return (int)write(2, fmt, 1);
}

__attribute__((noinline)) static int log_mutable(char *buf, ...)
{
	return close(buf[0]);
}

__attribute__((noinline)) static int call_const(int (*f)(const char *, ...), const char *s)
{
	return f(s, 1, 2);
}

__attribute__((noinline)) static int call_mutable(int (*f)(char *, ...), char *s)
{
	return f(s, 3);
}

int (*volatile cc)(int (*)(const char *, ...), const char *) = call_const;
int (*volatile cm)(int (*)(char *, ...), char *) = call_mutable;

int main(int argc, char **argv)
{
	return cc(log_const, argv[0]) + (argc > 3 ? cm(log_mutable, argv[0]) : 0);
}
