/*
 * Function pointers cast to another type.  One cast into a struct's
 * initializer and called through the struct's field; one stored into a
 * global and called from there (the global's key says which, whatever the
 * type); one of unknown origin, called through a type no function has.
 * None may end at "no target": that would make a legitimate call a
 * violation.
 */
#include <stdlib.h>
#include <unistd.h>

typedef void (*thunk)(void);

struct ops {
	thunk run;
};

__attribute__((noinline)) static int do_write(int fd)
{
	return (int)write(fd, "", 0);
}

__attribute__((noinline)) static int do_close(int fd)
{
	return close(fd);
}

static struct ops cast_ops = { (thunk)do_write };
struct ops *volatile ops_ptr = &cast_ops;
thunk volatile slot;

int main(int argc, char **argv)
{
	ops_ptr->run();
	slot = (thunk)do_close;
	slot();
	if (argc > 5)
		((thunk)(unsigned long)strtoul(argv[1], NULL, 0))();
	return 0;
}
