// SPDX-License-Identifier: GPL-2.0
/*
 * binding - hijacks that announce nothing, and legitimate sensitive calls,
 * for lcg.ko's binding tests (docs/binding.md).  Hand-instrumented with
 * pda/abi.h's LCG_EVENT; binding.spec is its policy (every main event
 * allowed anywhere: what these tests check is arming, origin and start-up,
 * not the order of events).
 *
 * Attacks (each should be killed before its effect):
 *   early FILE        no event yet: a hijacked pointer calls unlink(FILE)
 *   fnptr-unlink FILE after a puts event, an overflow turns a handler
 *                     pointer into libc's unlink, called on FILE
 *   fnptr-system CMD  ... into system(CMD)
 *   fnptr-execv FILE  ... into execv("/bin/touch", {touch, FILE})
 *   ret2libc FILE     a return address overwritten with unlink's
 *   gadget FILE       after remove's event (delete armed), a syscall
 *                     instruction of the program's own text, not pinned
 *   seccomp FILE      a seccomp filter making the dummy system call fail
 *                     (events would vanish), then unlink(FILE)
 *   clone-thread FILE a raw clone(CLONE_THREAD) whose thread creates FILE
 *   ldso SELF FILE    exec of ld.so running SELF touch FILE
 *   int80 FILE        unlink(FILE) through int $0x80 (i386), delete armed
 *   x32 FILE          unlink(FILE) through the x32 ABI, delete armed
 * Legitimate (no violation):
 *   ok                one event, nothing sensitive
 *   unlink FILE       unlink's event, then unlink(FILE)
 *   raw FILE          a raw syscall the policy pins (.lcg_sites id 0)
 *   fork-exec         fork, the child execs /bin/true
 *   threads           a thread that creates a thread
 *   signal FILE TMP   unlink's event; a signal arrives before the call, its
 *                     handler makes calls (unlinks TMP); then unlink(FILE)
 *   dlopen LIB        dlopen(LIB)
 *   sockets           a local socket, bound, listening, connected, accepted
 * Helper:
 *   touch FILE        creates FILE (no events: run only unmonitored)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pda/abi.h"

enum {
	EV_PUTS = 1, EV_UNLINK = 2, EV_FORK = 3, EV_EXECV = 4, EV_WAITPID = 5,
	EV_PTHREAD_CREATE = 6, EV_OUTER_CREATE = 7, EV_OUTER_JOIN = 8, EV_INNER_PUTS = 9,
	EV_PTHREAD_JOIN = 10, EV_SIGACTION = 11, EV_HANDLER_WRITE = 12,
	EV_HANDLER_UNLINK = 13, EV_DLOPEN = 14, EV_SOCKET = 15, EV_BIND = 16,
	EV_LISTEN = 17, EV_CONNECT = 18, EV_ACCEPT = 19, EV_REMOVE = 20, EV_RAW = 21,
};

#define X32_BIT 0x40000000L
#define NR32_UNLINK 10L

static int die(const char *what)
{
	perror(what);
	exit(1);
}

/* ---- the victim of the overflows: a request with a handler pointer ---- */

typedef int (*handler_t)(const char *arg, char *const *argv);

struct request {
	char name[16];
	handler_t handler;
};

static int show(const char *arg, char *const *argv)
{
	return puts(arg);
}

/*
 * The overflow: a name of 16 bytes and 8 more, the attacker's pointer.
 * The empty asm stands for code the compiler cannot see through.
 */
static struct request *overflowed(uintptr_t target)
{
	unsigned char payload[sizeof(((struct request *)0)->name) + sizeof(uintptr_t)];
	struct request *req = malloc(sizeof(*req));

	if (!req)
		die("malloc");
	req->handler = show;
	memset(payload, 'A', sizeof(req->name));
	memcpy(payload + sizeof(req->name), &target, sizeof(target));
	memcpy(req->name, payload, sizeof(payload));
	__asm__ volatile("" : : "r"(req) : "memory");
	return req;
}

/* The program announces the puts its handler makes, then calls the handler. */
static int hijacked_call(uintptr_t target, const char *arg, char *const *argv)
{
	struct request *req = overflowed(target);

	LCG_EVENT(EV_PUTS);
	return req->handler(arg, argv);
}

/* ---- system calls from the program's own text ---- */

/* a syscall instruction the analysis never saw: a gadget */
static __attribute__((noinline)) long text_syscall1(long nr, long a0)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a0) : "rcx", "r11", "memory");
	return ret;
}

/* a raw system call the analysis saw: pinned by an .lcg_sites entry of id 0 */
static __attribute__((noinline)) long pinned_syscall1(long nr, long a0)
{
	long ret;

	__asm__ volatile("1: syscall\n\t"
			 ".pushsection " LCG_SITES_SECTION ", \"aR\", @progbits\n\t"
			 ".long 0\n\t"
			 ".long 1b - .\n\t"
			 ".popsection"
			 : "=a"(ret) : "a"(nr), "D"(a0) : "rcx", "r11", "memory");
	return ret;
}

static __attribute__((noinline)) long int80_syscall1(long nr, long a0)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a0)
			 : "r8", "r9", "r10", "r11", "memory");
	return ret;
}

/* ---- return into libc ---- */

static __attribute__((noreturn)) void landed(void)
{
	printf("binding: unlink returned into landed()\n");
	exit(0);
}

/*
 * A return address overwritten with unlink's: the ret enters unlink with
 * FILE in rdi, as a ROP chain would set it, and unlink returns to landed().
 */
static __attribute__((noinline, noreturn)) void ret2libc(const char *file)
{
	__asm__ volatile("and $-16, %%rsp\n\t"
			 "push %[land]\n\t"
			 "push %[target]\n\t"
			 "mov %[file], %%rdi\n\t"
			 "ret"
			 : : [land] "r"(landed), [target] "r"(unlink), [file] "r"(file)
			 : "memory");
	__builtin_unreachable();
}

/* ---- seccomp: make the dummy system call fail, so no event reaches lcg ---- */

static void hide_events(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LCG_SYSCALL_NR, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("prctl");
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		die("seccomp");
	printf("binding: seccomp filter installed\n");
}

/* ---- a raw clone(CLONE_THREAD): a thread no event announced ---- */

static int touch(const char *file)
{
	int fd = open(file, O_WRONLY | O_CREAT, 0600);

	if (fd < 0)
		return 1;
	close(fd);
	return 0;
}

static int raw_thread(void *file)
{
	touch(file);
	syscall(SYS_exit, 0);
	return 0;
}

static void clone_thread(const char *file)
{
	size_t size = 64 * 1024;
	char *stack = malloc(size);

	if (!stack)
		die("malloc");
	if (clone(raw_thread, stack + size,
		  CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM,
		  (void *)file) < 0)
		die("clone");
	sleep(1);
	printf("binding: the raw thread was created\n");
}

/* ---- threads creating threads ---- */

static void *inner(void *arg)
{
	LCG_EVENT(EV_INNER_PUTS);
	puts("binding: inner thread");
	return arg;
}

static void *outer(void *arg)
{
	pthread_t t;

	LCG_EVENT(EV_OUTER_CREATE);
	if (pthread_create(&t, NULL, inner, NULL))
		return (void *)1;
	LCG_EVENT(EV_OUTER_JOIN);
	pthread_join(t, NULL);
	return arg;
}

static int threads(void)
{
	pthread_t t;
	void *ret;

	LCG_EVENT(EV_PTHREAD_CREATE);
	if (pthread_create(&t, NULL, outer, NULL))
		return 1;
	LCG_EVENT(EV_PTHREAD_JOIN);
	pthread_join(t, &ret);
	return ret != NULL;
}

static int fork_exec(void)
{
	int status;
	pid_t pid;

	LCG_EVENT(EV_FORK);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		LCG_EVENT(EV_EXECV);
		execv("/bin/true", (char *[]){ "true", NULL });
		_exit(127);
	}
	LCG_EVENT(EV_WAITPID);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* ---- a signal between an event and its call ---- */

static const char *handler_file;

static void on_usr1(int sig)
{
	static const char msg[] = "binding: handler ran\n";

	LCG_EVENT(EV_HANDLER_WRITE);
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	LCG_EVENT(EV_HANDLER_UNLINK);
	unlink(handler_file);
}

static int signal_between(const char *file, const char *tmp)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	handler_file = tmp;
	LCG_EVENT(EV_SIGACTION);
	sigaction(SIGUSR1, &sa, NULL);
	LCG_EVENT(EV_UNLINK);
	/* the signal arrives after unlink's event, before its system call */
	raise(SIGUSR1);
	return unlink(file) != 0;
}

static int sockets(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + 1 + 11;
	int s, c, t;

	memcpy(a.sun_path + 1, "lcg-binding", 11);	/* abstract: no file */
	LCG_EVENT(EV_SOCKET);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	LCG_EVENT(EV_BIND);
	if (s < 0 || bind(s, (struct sockaddr *)&a, len))
		die("socket/bind");
	LCG_EVENT(EV_LISTEN);
	if (listen(s, 1))
		die("listen");
	LCG_EVENT(EV_SOCKET);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	LCG_EVENT(EV_CONNECT);
	if (c < 0 || connect(c, (struct sockaddr *)&a, len))
		die("socket/connect");
	LCG_EVENT(EV_ACCEPT);
	t = accept(s, NULL, NULL);
	if (t < 0)
		die("accept");
	printf("binding: sockets connected\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "ok";
	const char *arg = argc > 2 ? argv[2] : "/tmp/lcg-victim";
	int ret = 0;

	if (!strcmp(what, "ok")) {
		LCG_EVENT(EV_PUTS);
		puts("binding: ok");
	} else if (!strcmp(what, "early")) {
		ret = overflowed((uintptr_t)unlink)->handler(arg, NULL);
	} else if (!strcmp(what, "fnptr-unlink")) {
		ret = hijacked_call((uintptr_t)unlink, arg, NULL);
	} else if (!strcmp(what, "fnptr-system")) {
		ret = hijacked_call((uintptr_t)system, arg, NULL);
	} else if (!strcmp(what, "fnptr-execv")) {
		ret = hijacked_call((uintptr_t)execv, "/bin/touch",
				    (char *[]){ "touch", (char *)arg, NULL });
	} else if (!strcmp(what, "ret2libc")) {
		LCG_EVENT(EV_PUTS);
		puts("binding: about to return");
		ret2libc(arg);
	} else if (!strcmp(what, "gadget")) {
		LCG_EVENT(EV_REMOVE);
		ret = (int)text_syscall1(SYS_unlink, (long)arg);
	} else if (!strcmp(what, "seccomp")) {
		LCG_EVENT(EV_PUTS);
		puts("binding: hijacked into seccomp");
		hide_events();
		LCG_EVENT(EV_UNLINK);	/* refused by the filter: lcg never sees it */
		ret = unlink(arg);
	} else if (!strcmp(what, "clone-thread")) {
		LCG_EVENT(EV_PUTS);
		puts("binding: hijacked into clone");
		clone_thread(arg);
	} else if (!strcmp(what, "ldso") && argc == 4) {
		LCG_EVENT(EV_PUTS);
		puts("binding: hijacked into ld.so");
		execv("/lib64/ld-linux-x86-64.so.2",
		      (char *[]){ "ld.so", argv[2], "touch", argv[3], NULL });
		die("execv ld.so");
	} else if (!strcmp(what, "int80")) {
		char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

		if (low == MAP_FAILED)
			die("mmap");
		snprintf(low, 4096, "%s", arg);
		LCG_EVENT(EV_UNLINK);
		ret = (int)int80_syscall1(NR32_UNLINK, (long)low);
	} else if (!strcmp(what, "x32")) {
		LCG_EVENT(EV_UNLINK);
		ret = (int)text_syscall1(SYS_unlink | X32_BIT, (long)arg);
	} else if (!strcmp(what, "unlink")) {
		LCG_EVENT(EV_UNLINK);
		ret = unlink(arg);
	} else if (!strcmp(what, "raw")) {
		LCG_EVENT(EV_RAW);
		ret = (int)pinned_syscall1(SYS_unlink, (long)arg);
	} else if (!strcmp(what, "fork-exec")) {
		ret = fork_exec();
	} else if (!strcmp(what, "threads")) {
		ret = threads();
	} else if (!strcmp(what, "signal") && argc == 4) {
		ret = signal_between(argv[2], argv[3]);
	} else if (!strcmp(what, "dlopen")) {
		LCG_EVENT(EV_DLOPEN);
		if (!dlopen(arg, RTLD_NOW)) {
			fprintf(stderr, "binding: %s\n", dlerror());
			return 1;
		}
		printf("binding: %s loaded\n", arg);
	} else if (!strcmp(what, "sockets")) {
		ret = sockets();
	} else if (!strcmp(what, "touch")) {
		return touch(arg);
	} else {
		fprintf(stderr, "usage: binding MODE [ARG...] (see the source)\n");
		return 2;
	}
	printf("binding %s: done (%d)\n", what, ret);
	return ret != 0;
}
