/*
 * get() has two calls: both keep their brackets, and the stack keeps their
 * returns apart; put() has one: it is pasted.
 */
#include <unistd.h>

__attribute__((noinline)) static long get(int fd)
{
	char c;

	return read(fd, &c, 1);
}

__attribute__((noinline)) static void put(long v)
{
	(void)write(1, "", (size_t)(v & 0));
}

int main(int argc, char **argv)
{
	long a = get(0);

	(void)getpid();
	a += get(argc);
	(void)getppid();
	put(a);
	return 0;
}
