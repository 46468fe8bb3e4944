/* Issues a system call itself, bypassing libc's wrappers: outside the policy. */
#include <sys/syscall.h>
#include "say.h"

int main(int argc, char **argv)
{
	long pid = syscall(SYS_getpid);

	say_num("raw getpid matches:", pid == getpid());
	return 0;
}
