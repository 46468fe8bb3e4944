/*
 * What each event arms (docs/binding.md): composite functions, every
 * argument refinement with a constant and with a run-time value, a pure
 * function that may load code, a library the model does not know, a libc
 * function reached through a pointer, and raw system calls in inline asm.
 * One call per function, so a test finds each event by its function.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEEP __attribute__((noinline))

extern int opaque_helper(int);	/* another library: the model does not know it */

int (*volatile open_ptr)(const char *, int, ...) = open;

KEEP int open_ro(const char *p) { return open(p, O_RDONLY); }
KEEP int open_create(const char *p) { return open(p, O_WRONLY | O_CREAT, 0600); }
KEEP int open_var(const char *p, int flags) { return open(p, flags); }
KEEP int openat_ro(const char *p) { return openat(AT_FDCWD, p, O_RDONLY | O_CLOEXEC); }
KEEP int open_through_pointer(const char *p) { return open_ptr(p, O_RDONLY); }

KEEP FILE *fopen_r(const char *p) { return fopen(p, "rb"); }
KEEP FILE *fopen_a(const char *p) { return fopen(p, "a"); }
KEEP FILE *fopen_rplus(const char *p) { return fopen(p, "r+"); }
KEEP FILE *fopen_ccs(const char *p) { return fopen(p, "r,ccs=ISO-8859-1"); }
KEEP FILE *fopen_var(const char *p, const char *mode) { return fopen(p, mode); }

KEEP void *map_rw(size_t n) { return mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }
KEEP void *map_x(size_t n) { return mmap(0, n, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }
KEEP void *map_var(size_t n, int prot) { return mmap(0, n, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }
KEEP int protect_x(void *p, size_t n) { return mprotect(p, n, PROT_READ | PROT_EXEC); }

KEEP long sys_getpid(void) { return syscall(SYS_getpid); }
KEEP long sys_unlink(const char *p) { return syscall(SYS_unlink, p); }
KEEP long sys_var(long nr) { return syscall(nr); }

KEEP int run_system(const char *cmd) { return system(cmd); }
KEEP FILE *run_popen(const char *cmd) { return popen(cmd, "r"); }
KEEP FILE *make_tmpfile(void) { return tmpfile(); }
KEEP int remove_it(const char *p) { return remove(p); }
KEEP int measure(const char *s) { return mblen(s, 4); }
KEEP int call_opaque(int x) { return opaque_helper(x); }

KEEP long raw_getpid(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"((long)SYS_getpid) : "rcx", "r11", "memory");
	return r;
}

KEEP long raw_unlink(const char *p)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"((long)SYS_unlink), "D"(p) : "rcx", "r11", "memory");
	return r;
}

KEEP long raw_var(long nr)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr) : "rcx", "r11", "memory");
	return r;
}

/* rax is a constant going in, but the text changes it before its syscall */
KEEP long raw_rewritten(void)
{
	long r;

	__asm__ volatile("movl $87, %%eax\n\tsyscall" : "=a"(r) : "a"((long)SYS_getpid)
			 : "rcx", "r11", "memory");
	return r;
}

int main(int argc, char **argv)
{
	const char *p = argv[0];
	long n = 0;

	n += open_ro(p) + open_create(p) + open_var(p, argc) + openat_ro(p);
	n += open_through_pointer(p);
	n += !!fopen_r(p) + !!fopen_a(p) + !!fopen_rplus(p) + !!fopen_ccs(p) +
	     !!fopen_var(p, argv[1]);
	n += !!map_rw(4096) + !!map_x(4096) + !!map_var(4096, argc) + protect_x(0, 0);
	n += sys_getpid() + sys_unlink(p) + sys_var(argc);
	n += run_system(p) + !!run_popen(p) + !!make_tmpfile() + remove_it(p) + measure(p);
	n += call_opaque(argc);
	n += raw_getpid() + raw_unlink(p) + raw_var(argc) + raw_rewritten();
	return (int)n;
}
