// SPDX-License-Identifier: GPL-2.0
/*
 * binding - sensitive system calls against the classes events armed
 * (docs/binding.md): hijacks that announce nothing, and legitimate runs that
 * must not be refused.
 *
 * usage: binding MODE [ARG]...
 *   attacks (each must be stopped before its call runs):
 *     fnptr-unlink FILE       a function pointer overwritten with libc's unlink
 *     fnptr-system CMD        ... with system
 *     fnptr-execv PROG [ARG]  ... with execv
 *     ret2libc FILE           a return address replaced by unlink's
 *     gadget FILE             unlink through a syscall instruction of the
 *                             program that the policy does not pin (delete armed)
 *     hide FILE               a seccomp filter that fails lcg's event call,
 *                             then an unannounced unlink
 *     clone-thread FILE       a raw clone(CLONE_THREAD) whose thread unlinks
 *     ldso PROG [ARG]         PROG run through the dynamic loader, no exec event
 *     int80 FILE              an i386 unlink (int 0x80), delete armed
 *     x32 FILE                an x32 unlink, delete armed
 *     signal-unarmed FILE     a signal handler that unlinks without an event
 *   legitimate runs:
 *     armed-unlink FILE       unlink after its event
 *     raw-pinned FILE         unlink through a pinned raw syscall after its event
 *     signal FILE MARKER      a handler creating MARKER runs between unlink's
 *                             event and unlink
 *     threads                 a thread that creates a thread
 *     fork-exec FILE          fork, the child execs "binding armed-unlink FILE"
 *     int80-works             exit 0 when this kernel runs i386 system calls
 * Every run that ends normally prints "binding: done".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pda/abi.h"

typedef int (*handler_fn)(const char *arg, char *const argv[]);

/* A request whose name overflows into the handler: the classic heap bug. */
struct request {
	char name[16];
	handler_fn handler;
};

static int show(const char *arg, char *const argv[])
{
	LCG_EVENT(11);
	return puts(arg);
}

/* No bounds check: @len bytes of attacker data land over the whole request. */
static __attribute__((noinline)) void fill_request(struct request *r, const void *data,
						   size_t len)
{
	memcpy(r, data, len);
}

/* Call the handler the request names; an overflow made it @target. */
static int hijacked_call(void *target, const char *arg, char *const argv[])
{
	struct request req = { .handler = show };
	unsigned char data[sizeof(req)];

	memset(data, 'A', sizeof(data));
	memcpy(data + offsetof(struct request, handler), &target, sizeof(target));
	fill_request(&req, data, sizeof(data));
	LCG_EVENT(10);
	printf("binding: calling the handler\n");
	fflush(stdout);
	return req.handler(arg, argv);
}

/*
 * A return into libc: push where @target returns to, then the overwritten
 * return address, and return into it.  128 bytes first step over the red
 * zone the compiler may keep below the stack pointer.
 */
static __attribute__((noinline)) void return_into(void *target, const char *arg)
{
	__asm__ volatile("sub $128, %%rsp\n\t"
			 "lea 1f(%%rip), %%rax\n\t"
			 "push %%rax\n\t"
			 "push %[target]\n\t"
			 "ret\n"
			 "1:\tadd $128, %%rsp"
			 : "+D"(arg)
			 : [target] "r"(target)
			 : "rax", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "memory", "cc");
}

/* unlink through a syscall instruction of the program that no .lcg_sites entry pins */
static __attribute__((noinline)) long gadget_unlink(const char *path)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "0"((long)SYS_unlink), "D"(path)
			 : "rcx", "r11", "memory");
	return ret;
}

/* the same, seen by the analysis: its syscall instruction is pinned (id 0) */
static __attribute__((noinline)) long pinned_unlink(const char *path)
{
	long ret;

	__asm__ volatile("1: syscall\n\t"
			 ".pushsection " LCG_SITES_SECTION ", \"aR\", @progbits\n\t"
			 ".long %c3\n\t"
			 ".long 1b - .\n\t"
			 ".popsection"
			 : "=a"(ret) : "0"((long)SYS_unlink), "D"(path), "i"(LCG_RAW_SITE_ID)
			 : "rcx", "r11", "memory");
	return ret;
}

/* i386 unlink: its pointer argument must fit 32 bits */
static long int80_unlink(const char *path)
{
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	long ret;

	if (low == MAP_FAILED)
		return -errno;
	snprintf(low, 4096, "%s", path);
	__asm__ volatile("int $0x80" : "=a"(ret) : "0"(10L), "b"(low)
			 : "r8", "r9", "r10", "r11", "memory");
	return ret;
}

static int int80_works(void)
{
	long pid;

	__asm__ volatile("int $0x80" : "=a"(pid) : "0"(20L) : "r8", "r9", "r10", "r11", "memory");
	return pid == getpid() ? 0 : 1;
}

/* Fail lcg's event call with ENOSYS, as on a kernel without lcg. */
static int hide_events(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LCG_SYSCALL_NR, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static volatile int thread_done;

static int raw_thread(void *path)
{
	unlink(path);
	thread_done = 1;
	syscall(SYS_exit, 0);
	return 0;
}

static int clone_thread(const char *path)
{
	const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			  CLONE_SYSVSEM;
	size_t size = 1 << 16;
	char *stack = malloc(size);

	if (!stack || clone(raw_thread, stack + size, flags, (void *)path) < 0)
		return 1;
	while (!thread_done)
		usleep(1000);
	return 0;
}

static const char *victim, *marker;
static int handler_unarmed;

static void on_usr1(int sig)
{
	int fd;

	if (handler_unarmed) {
		unlink(victim);
		return;
	}
	LCG_EVENT(21);
	fd = creat(marker, 0644);
	LCG_EVENT(22);
	close(fd);
}

/* The signal arrives between unlink's event and unlink itself. */
static int signal_between(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	sigemptyset(&sa.sa_mask);
	LCG_EVENT(13);
	if (sigaction(SIGUSR1, &sa, NULL) != 0)
		return 1;
	LCG_EVENT(7);
	kill(getpid(), SIGUSR1);
	return unlink(victim) ? 1 : 0;
}

static void *inner(void *arg)
{
	LCG_EVENT(33);
	puts("binding: inner thread");
	return arg;
}

static void *outer(void *arg)
{
	pthread_t t;

	LCG_EVENT(31);
	if (pthread_create(&t, NULL, inner, NULL) != 0)
		return NULL;
	LCG_EVENT(32);
	pthread_join(t, NULL);
	return arg;
}

static int threads(void)
{
	pthread_t t;

	LCG_EVENT(30);
	if (pthread_create(&t, NULL, outer, NULL) != 0)
		return 1;
	LCG_EVENT(34);
	pthread_join(t, NULL);
	return 0;
}

static int fork_exec(const char *path)
{
	char *argv[] = { "binding", "armed-unlink", (char *)path, NULL };
	int status;
	pid_t pid;

	LCG_EVENT(40);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		LCG_EVENT(41);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	LCG_EVENT(42);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int ldso(char **argv)
{
	char *args[64] = { "ld.so" };
	int n = 1;

	while (*argv && n < 63)
		args[n++] = *argv++;
	args[n] = NULL;
	LCG_EVENT(17);
	printf("binding: running it through the loader\n");
	fflush(stdout);
	execv("/lib64/ld-linux-x86-64.so.2", args);
	return 1;
}

/* The modes that work on a FILE argument. */
static int on_file(const char *mode, const char *path)
{
	if (!strcmp(mode, "armed-unlink")) {
		LCG_EVENT(1);
		return unlink(path) ? 1 : 0;
	}
	if (!strcmp(mode, "fnptr-unlink"))
		return hijacked_call((void *)unlink, path, NULL) ? 1 : 0;
	if (!strcmp(mode, "ret2libc")) {
		LCG_EVENT(14);
		printf("binding: returning\n");
		fflush(stdout);
		return_into((void *)unlink, path);
		return 0;
	}
	if (!strcmp(mode, "gadget")) {
		LCG_EVENT(3);
		return gadget_unlink(path) ? 1 : 0;
	}
	if (!strcmp(mode, "raw-pinned")) {
		LCG_EVENT(12);
		return pinned_unlink(path) ? 1 : 0;
	}
	if (!strcmp(mode, "hide")) {
		LCG_EVENT(15);
		printf("binding: hiding\n");
		fflush(stdout);
		if (hide_events() != 0)
			return 1;
		LCG_EVENT(4);	/* fails with ENOSYS: lcg never sees it */
		return unlink(path) ? 1 : 0;
	}
	if (!strcmp(mode, "clone-thread")) {
		LCG_EVENT(16);
		printf("binding: cloning\n");
		fflush(stdout);
		return clone_thread(path);
	}
	if (!strcmp(mode, "int80")) {
		LCG_EVENT(5);
		return int80_unlink(path) ? 1 : 0;
	}
	if (!strcmp(mode, "x32")) {
		LCG_EVENT(6);
		return syscall(__X32_SYSCALL_BIT | SYS_unlink, path) ? 1 : 0;
	}
	if (!strcmp(mode, "fork-exec"))
		return fork_exec(path);
	return 2;
}

static int run(int argc, char **argv)
{
	const char *mode = argv[1];

	if (!strcmp(mode, "threads"))
		return threads();
	if (!strcmp(mode, "int80-works"))
		return int80_works();
	if (argc < 3)
		return 2;
	if (!strcmp(mode, "fnptr-system"))
		return hijacked_call((void *)system, argv[2], NULL) ? 1 : 0;
	if (!strcmp(mode, "fnptr-execv"))
		return hijacked_call((void *)execv, argv[2], argv + 2);
	if (!strcmp(mode, "ldso"))
		return ldso(argv + 2);
	victim = argv[2];
	if (!strcmp(mode, "signal") && argc == 4) {
		marker = argv[3];
		return signal_between();
	}
	if (!strcmp(mode, "signal-unarmed")) {
		handler_unarmed = 1;
		return signal_between();
	}
	return on_file(mode, argv[2]);
}

int main(int argc, char **argv)
{
	int status;

	if (argc < 2)
		return 2;
	status = run(argc, argv);
	if (status)
		return status;
	LCG_EVENT(2);
	puts("binding: done");
	return 0;
}
