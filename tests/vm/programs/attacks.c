// SPDX-License-Identifier: GPL-2.0
/*
 * attacks - what an unprivileged user may try against lcg.ko itself, for
 * tests/vm/hardening-tests.sh.  Hand-instrumented (pda/abi.h);
 * attacks.spec is its policy: every event allowed anywhere, so that only
 * the pin check, the origin check and the module's limits decide.
 *
 * Event 1 has a single pin: the syscall instruction of pinned_event(), an
 * assembly function alone on its page of text.  The forgeries issue event 1
 * from everywhere else:
 *   ok N            N events from the pin (legitimate)
 *   forge-text      from the program's text, at an offset not pinned
 *   forge-libc      through libc's syscall() (a library's text)
 *   forge-anon      from anonymous executable memory
 *   forge-copy COPY from a copy of this binary mapped executable (another inode)
 *   forge-stale     after mapping anonymous memory over the page of the pin
 *                   and writing the event's instructions at the pinned offset
 *                   (a snapshot of the mappings taken at exec would accept it)
 *   moved-event     after moving that page elsewhere (mremap): the event from
 *                   the pin's code at its new address is legitimate
 *   moved-gadget F  with delete armed, after moving the page, unlink(F)
 *                   through a syscall instruction of the moved text that no
 *                   raw pin names (origin: an exec snapshot would see a library)
 * The forgeries and the gadget end with exit status 42 if lcg lets them
 * through (43: the setup failed); lcg.ko in enforce mode kills them first.
 *
 *   flood N         N forged events from the text (complain mode: N log lines)
 *   contend N       N events from the pin while two threads map and unmap
 *                   memory as fast as they can (the mmap lock is contended)
 *   sleep SECONDS   one event, then sleep (a monitored task that lingers)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pda/abi.h"

enum { EV_PINNED = 1, EV_MMAP = 2, EV_UNLINK = 3, EV_PTHREAD = 4, EV_SLEEP = 5 };

/*
 * The pinned event and a raw unlink gadget, alone on a page of text.  The
 * .lcg_sites entry pins event 1 to attacks_pinned_site only.
 */
__asm__(".pushsection .text.attacks_pinned, \"ax\", @progbits\n"
	".balign 4096\n"
	".globl pinned_event\n"
	".type pinned_event, @function\n"
	"pinned_event:\n\t"
	"movl $" LCG_STR(LCG_SYSCALL_NR) ", %eax\n\t"
	"movl $1, %edi\n"
	".globl attacks_pinned_site\n"
	"attacks_pinned_site:\n\t"
	"syscall\n\t"
	"ret\n"
	".size pinned_event, .-pinned_event\n"
	".globl gadget_unlink\n"
	".type gadget_unlink, @function\n"
	"gadget_unlink:\n\t"
	"movl $87, %eax\n\t"
	"syscall\n\t"
	"ret\n"
	".size gadget_unlink, .-gadget_unlink\n"
	".balign 4096\n"
	".popsection\n"
	".pushsection " LCG_SITES_SECTION ", \"aR\", @progbits\n"
	".long 1\n"
	".long attacks_pinned_site - .\n"
	".popsection\n");

void pinned_event(void);
void gadget_unlink(const char *path);
extern const char attacks_pinned_site[];

/*
 * Position-independent stubs, copied to anonymous executable memory and run
 * from there (they change the program's own text, so they cannot run in
 * it).  They end the process with exit_group: 42 when the attack got
 * through, 43 when its setup failed.
 *
 * stub_moved(old, size, new, delta, arg): mremap the text at old to new,
 *   then call new + delta with arg in rdi.
 * stub_stale(page, site): map anonymous RWX memory over page, write the
 *   event's instructions so that its syscall lies at site, call them.
 * stub_forge(): the event, from wherever the stub is.
 */
__asm__(".pushsection .rodata.attacks_stubs, \"a\"\n"
	".globl stub_moved, stub_moved_end\n"
	"stub_moved:\n\t"
	"movq %rdi, %r12\n\t"
	"movq %rsi, %r13\n\t"
	"movq %rdx, %r14\n\t"
	"movq %rcx, %r15\n\t"
	"movq %r8, %rbx\n\t"
	"movl $25, %eax\n\t"		/* mremap(old, size, size, MAYMOVE|FIXED, new) */
	"movq %r12, %rdi\n\t"
	"movq %r13, %rsi\n\t"
	"movq %r13, %rdx\n\t"
	"movl $3, %r10d\n\t"
	"movq %r14, %r8\n\t"
	"syscall\n\t"
	"cmpq %r14, %rax\n\t"
	"jne 1f\n\t"
	"leaq (%r14,%r15), %r11\n\t"
	"movq %rbx, %rdi\n\t"
	"call *%r11\n\t"
	"movl $42, %edi\n\t"
	"jmp 2f\n"
	"1:\tmovl $43, %edi\n"
	"2:\tmovl $231, %eax\n\t"
	"syscall\n"
	"stub_moved_end:\n"
	".globl stub_stale, stub_stale_end\n"
	"stub_stale:\n\t"
	"movq %rdi, %r12\n\t"
	"movq %rsi, %r13\n\t"
	"movl $9, %eax\n\t"		/* mmap(page, 4096, RWX, PRIVATE|ANON|FIXED, -1, 0) */
	"movl $4096, %esi\n\t"
	"movl $7, %edx\n\t"
	"movl $0x32, %r10d\n\t"
	"movq $-1, %r8\n\t"
	"xorl %r9d, %r9d\n\t"
	"syscall\n\t"
	"cmpq %r12, %rax\n\t"
	"jne 1f\n\t"
	"leaq -10(%r13), %r11\n\t"	/* movl $360, %eax; movl $1, %edi; syscall; ret */
	"movb $0xb8, (%r11)\n\t"
	"movl $" LCG_STR(LCG_SYSCALL_NR) ", 1(%r11)\n\t"
	"movb $0xbf, 5(%r11)\n\t"
	"movl $1, 6(%r11)\n\t"
	"movw $0x050f, 10(%r11)\n\t"
	"movb $0xc3, 12(%r11)\n\t"
	"call *%r11\n\t"
	"movl $42, %edi\n\t"
	"jmp 2f\n"
	"1:\tmovl $43, %edi\n"
	"2:\tmovl $231, %eax\n\t"
	"syscall\n"
	"stub_stale_end:\n"
	".globl stub_forge, stub_forge_end\n"
	"stub_forge:\n\t"
	"movl $" LCG_STR(LCG_SYSCALL_NR) ", %eax\n\t"
	"movl $1, %edi\n\t"
	"syscall\n\t"
	"movl $231, %eax\n\t"
	"movl $42, %edi\n\t"
	"syscall\n"
	"stub_forge_end:\n"
	".popsection\n");

extern const char stub_moved[], stub_moved_end[], stub_stale[], stub_stale_end[];
extern const char stub_forge[], stub_forge_end[];

static void die(const char *what)
{
	perror(what);
	exit(43);
}

/* the same instructions as the pinned event, from a place no pin names */
static void forged_event(void)
{
	__asm__ volatile("movl $" LCG_STR(LCG_SYSCALL_NR) ", %%eax\n\t"
			 "movl $1, %%edi\n\t"
			 "syscall"
			 : : : "rax", "rdi", "rcx", "r11", "memory");
}

/* anonymous executable memory holding [code, end); arms exec-mem first */
static void *anon_exec(const char *code, const char *end)
{
	void *p;

	LCG_EVENT(EV_MMAP);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	memcpy(p, code, end - code);
	return p;
}

static uintptr_t pin_page(void)
{
	return (uintptr_t)pinned_event & ~(uintptr_t)4095;
}

/* the file offset of the pin's page, from /proc/self/maps */
static off_t pin_page_offset(void)
{
	uintptr_t page = pin_page(), start, end;
	unsigned long long off;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		die("/proc/self/maps");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %*s %llx", &start, &end, &off) == 3 && page >= start &&
		    page < end) {
			fclose(f);
			return (off_t)(off + (page - start));
		}
	}
	fclose(f);
	fprintf(stderr, "attacks: the pin's page is not in /proc/self/maps\n");
	exit(43);
}

static void moved(uintptr_t target, const char *arg)
{
	void (*stub)(uintptr_t, size_t, uintptr_t, uintptr_t, const char *);
	void *dest;

	stub = anon_exec(stub_moved, stub_moved_end);
	dest = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dest == MAP_FAILED)
		die("mmap");
	if (arg)
		LCG_EVENT(EV_UNLINK);	/* delete armed for the gadget */
	stub(pin_page(), 4096, (uintptr_t)dest, target - pin_page(), arg);
}

static volatile int stop;

static void *churn(void *unused)
{
	while (!stop) {
		void *p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p != MAP_FAILED) {
			mprotect(p, 4096, PROT_READ);
			munmap(p, 65536);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "ok";
	long n = argc > 2 ? atol(argv[2]) : 1;

	if (!strcmp(what, "ok")) {
		for (long i = 0; i < n; i++)
			pinned_event();
	} else if (!strcmp(what, "forge-text")) {
		forged_event();
		return 42;
	} else if (!strcmp(what, "forge-libc")) {
		syscall(LCG_SYSCALL_NR, 1);
		return 42;
	} else if (!strcmp(what, "forge-anon")) {
		((void (*)(void))anon_exec(stub_forge, stub_forge_end))();
	} else if (!strcmp(what, "forge-copy") && argc == 3) {
		off_t off = pin_page_offset();
		char *copy;
		int fd = open(argv[2], O_RDONLY);

		if (fd < 0)
			die(argv[2]);
		LCG_EVENT(EV_MMAP);
		copy = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, off);
		if (copy == MAP_FAILED)
			die("mmap");
		((void (*)(void))(copy + ((uintptr_t)pinned_event - pin_page())))();
		return 42;
	} else if (!strcmp(what, "forge-stale")) {
		void (*stub)(uintptr_t, uintptr_t) = anon_exec(stub_stale, stub_stale_end);

		stub(pin_page(), (uintptr_t)attacks_pinned_site);
	} else if (!strcmp(what, "moved-event")) {
		moved((uintptr_t)pinned_event, NULL);
	} else if (!strcmp(what, "moved-gadget") && argc == 3) {
		moved((uintptr_t)gadget_unlink, argv[2]);
	} else if (!strcmp(what, "flood")) {
		for (long i = 0; i < n; i++)
			forged_event();
	} else if (!strcmp(what, "contend")) {
		pthread_t t[2];

		for (int i = 0; i < 2; i++) {
			LCG_EVENT(EV_PTHREAD);
			if (pthread_create(&t[i], NULL, churn, NULL))
				die("pthread_create");
		}
		for (long i = 0; i < n; i++)
			pinned_event();
		stop = 1;
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
	} else if (!strcmp(what, "sleep")) {
		LCG_EVENT(EV_SLEEP);
		sleep((unsigned int)n);
	} else {
		fprintf(stderr, "usage: attacks ok N | forge-text | forge-libc | forge-anon | "
				"forge-copy COPY | forge-stale | moved-event | moved-gadget FILE | "
				"flood N | contend N | sleep SECONDS\n");
		return 2;
	}
	printf("attacks %s: done\n", what);
	return 0;
}
