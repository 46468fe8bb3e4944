/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sensitive.h - the system calls through which a hijacked process does harm,
 * grouped in classes: the one table shared by the analysis (which classes a
 * libc function may issue), lcg-trace and lcg.ko (which class a system call
 * falls in, from its number and arguments).
 *
 * Binding (docs/design-core.md, lcg(7)): an accepted event arms the classes
 * its library call may issue; a sensitive system call whose class is not
 * armed, or that comes from the program's own text where the analysis
 * pinned no raw system call, is a violation.  Numbers are the x86_64 ABI's.
 * Programs are x86_64: a sensitive system call through another ABI (i386's
 * int 0x80, x32) is always a violation, whatever is armed.
 *
 * Freestanding: compiled into lcg.ko and the user-space tools.
 */
#ifndef LCG_SENSITIVE_H
#define LCG_SENSITIVE_H

#include "shim.h"

/* Sensitive classes; a set of classes is a mask of LCG_SC_BIT(class). */
enum lcg_sclass {
	LCG_SC_EXEC,		/* execve, execveat */
	LCG_SC_SPAWN,		/* new processes and threads: fork, vfork, clone, clone3 */
	LCG_SC_DELETE,		/* unlink, unlinkat, rmdir */
	LCG_SC_RENAME,		/* rename and link: rename*, link*, symlink* */
	LCG_SC_ATTR,		/* file modes and owners: chmod*, chown* */
	LCG_SC_WRITE,		/* open for writing or creating; creat, truncate, mkdir, mknod */
	LCG_SC_NET,		/* socket, connect, bind, listen, accept */
	LCG_SC_EXEC_MEM,	/* executable memory: mmap, mprotect with PROT_EXEC, ... */
	LCG_SC_PROC,		/* other processes: ptrace, process_vm_*, signals to others */
	LCG_SC_ID,		/* identity: set*id, setgroups, capset */
	LCG_SC_HIDE,		/* what can hide system calls or events: seccomp, io_uring, ... */
	LCG_SC_ADMIN,		/* mount, chroot, pivot_root, modules, bpf, kexec */
	LCG_SC_COUNT
};

#define LCG_SC_BIT(c) (1u << (c))
#define LCG_SC_ALL ((1u << LCG_SC_COUNT) - 1)

/* How a row's arguments decide whether a call is sensitive. */
enum lcg_sc_rule {
	LCG_RULE_ALWAYS,
	LCG_RULE_OPEN_FLAGS,	/* args[arg] asks for writing, creating or truncating */
	LCG_RULE_PROT_EXEC,	/* args[arg] has PROT_EXEC */
	LCG_RULE_SHM_EXEC,	/* args[arg] has SHM_EXEC */
	LCG_RULE_SIGNAL,	/* args[arg2] is a signal (not 0, the existence probe) */
	LCG_RULE_SIGNAL_OTHER,	/* a signal (args[arg2]) to another process (args[arg]) */
	LCG_RULE_PRCTL,		/* args[arg] installs seccomp, syscall user dispatch, or sets mm */
	LCG_RULE_PERSONALITY,	/* args[arg] sets READ_IMPLIES_EXEC */
};

/* One sensitive x86_64 system call. */
struct lcg_syscall {
	const char *name;	/* as the kernel names it (entry __x64_sys_<name>) */
	u16 nr;			/* x86_64 number */
	u8 cls;			/* enum lcg_sclass */
	u8 rule;		/* enum lcg_sc_rule */
	u8 arg, arg2;		/* the arguments the rule reads */
};

/*
 * A sensitive system call of another ABI: i386 (int 0x80; the kernel entry
 * is __ia32_<entry>) or x32 (__x32_<entry>; x32 otherwise reaches the x86_64
 * entries).  Always a violation from a monitored program.
 */
struct lcg_compat_syscall {
	const char *entry;	/* kernel entry without its ABI prefix */
	u16 nr;			/* number in that ABI (x32: without __X32_SYSCALL_BIT) */
	u8 cls;
};

enum lcg_abi { LCG_ABI_I386, LCG_ABI_X32 };

#define LCG_X32_SYSCALL_BIT 0x40000000u
/* x86_64 rt_sigreturn: a signal handler returns (lcg_monitor_signal_return) */
#define LCG_NR_RT_SIGRETURN 15u
#define LCG_NR32_SIGRETURN 119u
#define LCG_NR32_RT_SIGRETURN 173u
#define LCG_NRX32_RT_SIGRETURN 513u

extern const struct lcg_syscall lcg_syscalls[];
extern const u32 lcg_n_syscalls;
extern const struct lcg_compat_syscall lcg_syscalls_i386[];
extern const u32 lcg_n_syscalls_i386;
extern const struct lcg_compat_syscall lcg_syscalls_x32[];
extern const u32 lcg_n_syscalls_x32;

/**
 * lcg_syscall_find() - the row of an x86_64 system call in lcg_syscalls
 * @nr: the number the program passed
 *
 * Return: the row, or NULL when the call is never sensitive.
 */
const struct lcg_syscall *lcg_syscall_find(u32 nr);

/**
 * lcg_compat_syscall_class() - the class of a system call of another ABI
 * @abi: i386 or x32
 * @nr:  the number the program passed (x32: without LCG_X32_SYSCALL_BIT)
 *
 * Arguments do not matter: from an x86_64 program, any sensitive call
 * through another ABI is a violation.
 *
 * Return: LCG_SC_BIT(class), or 0 when the call is not sensitive.
 */
u32 lcg_compat_syscall_class(enum lcg_abi abi, u32 nr);

/**
 * lcg_syscall_class() - the class a call of @sc with @args falls in.
 * @sc:        a row of lcg_syscalls
 * @args:      the six argument registers, as the program passed them
 * @self_tgid: the caller's process id (signals to itself are not sensitive)
 * @self_tid:  its thread id
 *
 * Return: LCG_SC_BIT(class), or 0 when these arguments make it harmless.
 * Arguments behind pointers (openat2's open_how, clone3's clone_args) are
 * never read: the call is taken as sensitive.
 */
u32 lcg_syscall_class(const struct lcg_syscall *sc, const u64 args[6], u32 self_tgid,
		      u32 self_tid);

/**
 * lcg_sclass_name() - the short name of a class
 * @cls: an enum lcg_sclass
 *
 * Return: a static string ("delete", "exec-mem"), "?" when @cls is out of
 * range.
 */
const char *lcg_sclass_name(u32 cls);

/**
 * lcg_sclass_parse() - the class a name stands for
 * @name: the name, not NUL-terminated
 * @len:  its length
 * @cls:  set to the class when there is one
 *
 * Return: false when no class has that name.
 */
bool lcg_sclass_parse(const char *name, size_t len, u32 *cls);

/**
 * lcg_sclass_format() - a set of classes as text
 * @mask: a mask of LCG_SC_BIT()
 * @buf:  set to "delete,write" ("none" when empty, "all" when every class),
 *        NUL-terminated unless @size is 0
 * @size: its size: the text is truncated to fit
 */
void lcg_sclass_format(u32 mask, char *buf, size_t size);

#endif /* LCG_SENSITIVE_H */
