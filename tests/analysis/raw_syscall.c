/*
 * Raw system calls in inline asm, next to the program's own numeric labels:
 * instrumented, each syscall instruction gets a pin and the program still
 * runs (exit 0 when the raw getpids agree with libc's).
 */
#include <sys/syscall.h>
#include <unistd.h>

__attribute__((noinline)) static long raw_getpid(void)
{
	long r = SYS_getpid;

	__asm__ volatile("1: syscall\n\tjmp 1f\n1:" : "+a"(r) : : "rcx", "r11", "memory");
	return r;
}

/* two syscall instructions in one statement: getpid, then getppid */
__attribute__((noinline)) static long raw_twice(long *first)
{
	long r;

	__asm__ volatile("syscall\n\tmovq %%rax, (%1)\n\tmovl $110, %%eax\n\tsyscall"
			 : "=a"(r) : "r"(first), "0"((long)SYS_getpid) : "rcx", "r11", "memory");
	return r;
}

int main(void)
{
	long first = 0, parent = raw_twice(&first);

	return !(raw_getpid() == getpid() && first == getpid() && parent == getppid());
}
