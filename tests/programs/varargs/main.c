/* Variadic functions of the program forwarding to libc's v* functions. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline, format(printf, 2, 3))) static int logf_to(int fd, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return (int)write(fd, buf, (size_t)n);
}

__attribute__((noinline)) static long sum(int count, ...)
{
	va_list ap;
	long s = 0;

	va_start(ap, count);
	while (count--)
		s += va_arg(ap, int);
	va_end(ap);
	return s;
}

int main(int argc, char **argv)
{
	logf_to(1, "%s %d %s\n", "sum of 1..4 is", (int)sum(4, 1, 2, 3, 4), "(varargs)");
	logf_to(1, "%d args\n", argc);
	fflush(stdout);
	return 0;
}
