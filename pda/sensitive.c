// SPDX-License-Identifier: GPL-2.0
/*
 * sensitive.c - the table of sensitive system calls and the rule that
 * classifies one call (pda/sensitive.h).  lcg(7) prints the same table.
 *
 * Flag values are the kernel's x86_64 ABI, spelled here because this file
 * includes no system header.
 */
#include "sensitive.h"

#define O_WRITE_BITS (01u | 02u | 0100u | 01000u)	/* O_WRONLY O_RDWR O_CREAT O_TRUNC */
#define PROT_EXEC_BIT 0x4u
#define SHM_EXEC_BIT 0100000u
#define PR_SET_SECCOMP_OPT 22u
#define PR_SET_MM_OPT 35u
#define PR_SET_SYSCALL_USER_DISPATCH_OPT 59u
#define READ_IMPLIES_EXEC_BIT 0x0400000u
#define PERSONALITY_QUERY 0xffffffffu

#define SC(n, nr_, c) { .name = #n, .nr = nr_, .cls = LCG_SC_##c, .rule = LCG_RULE_ALWAYS }
#define SCR(n, nr_, c, r, a, b) \
	{ .name = #n, .nr = nr_, .cls = LCG_SC_##c, .rule = LCG_RULE_##r, .arg = a, .arg2 = b }

/* Sorted by number (lcg_syscall_find() searches it). */
const struct lcg_syscall lcg_syscalls[] = {
	SCR(open, 2, WRITE, OPEN_FLAGS, 1, 0),
	SCR(mmap, 9, EXEC_MEM, PROT_EXEC, 2, 0),
	SCR(mprotect, 10, EXEC_MEM, PROT_EXEC, 2, 0),
	SCR(shmat, 30, EXEC_MEM, SHM_EXEC, 2, 0),
	SC(socket, 41, NET),
	SC(connect, 42, NET),
	SC(accept, 43, NET),
	SC(bind, 49, NET),
	SC(listen, 50, NET),
	SC(clone, 56, SPAWN),
	SC(fork, 57, SPAWN),
	SC(vfork, 58, SPAWN),
	SC(execve, 59, EXEC),
	SCR(kill, 62, PROC, SIGNAL_OTHER, 0, 1),
	SC(truncate, 76, WRITE),
	SC(rename, 82, RENAME),
	SC(mkdir, 83, WRITE),
	SC(rmdir, 84, DELETE),
	SC(creat, 85, WRITE),
	SC(link, 86, RENAME),
	SC(unlink, 87, DELETE),
	SC(symlink, 88, RENAME),
	SC(chmod, 90, ATTR),
	SC(fchmod, 91, ATTR),
	SC(chown, 92, ATTR),
	SC(fchown, 93, ATTR),
	SC(lchown, 94, ATTR),
	SC(ptrace, 101, PROC),
	SC(setuid, 105, ID),
	SC(setgid, 106, ID),
	SC(setreuid, 113, ID),
	SC(setregid, 114, ID),
	SC(setgroups, 116, ID),
	SC(setresuid, 117, ID),
	SC(setresgid, 119, ID),
	SC(setfsuid, 122, ID),
	SC(setfsgid, 123, ID),
	SC(capset, 126, ID),
	SCR(rt_sigqueueinfo, 129, PROC, SIGNAL_OTHER, 0, 1),
	SC(mknod, 133, WRITE),
	SCR(personality, 135, EXEC_MEM, PERSONALITY, 0, 0),
	SC(pivot_root, 155, ADMIN),
	SCR(prctl, 157, HIDE, PRCTL, 0, 0),
	SC(chroot, 161, ADMIN),
	SC(mount, 165, ADMIN),
	SC(umount2, 166, ADMIN),
	SC(init_module, 175, ADMIN),
	SC(delete_module, 176, ADMIN),
	SCR(tkill, 200, PROC, SIGNAL_OTHER, 0, 1),
	SCR(tgkill, 234, PROC, SIGNAL_OTHER, 0, 2),
	SC(kexec_load, 246, ADMIN),
	SCR(openat, 257, WRITE, OPEN_FLAGS, 2, 0),
	SC(mkdirat, 258, WRITE),
	SC(mknodat, 259, WRITE),
	SC(fchownat, 260, ATTR),
	SC(unlinkat, 263, DELETE),
	SC(renameat, 264, RENAME),
	SC(linkat, 265, RENAME),
	SC(symlinkat, 266, RENAME),
	SC(fchmodat, 268, ATTR),
	SC(accept4, 288, NET),
	SCR(rt_tgsigqueueinfo, 297, PROC, SIGNAL_OTHER, 0, 2),
	SCR(open_by_handle_at, 304, WRITE, OPEN_FLAGS, 2, 0),
	SC(process_vm_readv, 310, PROC),
	SC(process_vm_writev, 311, PROC),
	SC(finit_module, 313, ADMIN),
	SC(renameat2, 316, RENAME),
	SC(seccomp, 317, HIDE),
	SC(kexec_file_load, 320, ADMIN),
	SC(bpf, 321, ADMIN),
	SC(execveat, 322, EXEC),
	SCR(pkey_mprotect, 329, EXEC_MEM, PROT_EXEC, 2, 0),
	SCR(pidfd_send_signal, 424, PROC, SIGNAL, 0, 1),
	SC(io_uring_setup, 425, HIDE),
	SC(io_uring_enter, 426, HIDE),
	SC(io_uring_register, 427, HIDE),
	SC(open_tree, 428, ADMIN),
	SC(move_mount, 429, ADMIN),
	SC(fsopen, 430, ADMIN),
	SC(fsconfig, 431, ADMIN),
	SC(fsmount, 432, ADMIN),
	SC(fspick, 433, ADMIN),
	SC(clone3, 435, SPAWN),
	SC(openat2, 437, WRITE),
	SC(pidfd_getfd, 438, PROC),
	SC(process_madvise, 440, PROC),
	SC(mount_setattr, 442, ADMIN),
	SC(fchmodat2, 452, ATTR),
};
const u32 lcg_n_syscalls = sizeof(lcg_syscalls) / sizeof(lcg_syscalls[0]);

#define CS(e, nr_, c) { .entry = #e, .nr = nr_, .cls = LCG_SC_##c }

/* i386, sorted by number; entries as in the kernel's syscall_32.tbl (compat column first). */
const struct lcg_compat_syscall lcg_syscalls_i386[] = {
	CS(sys_fork, 2, SPAWN),
	CS(compat_sys_open, 5, WRITE),
	CS(sys_creat, 8, WRITE),
	CS(sys_link, 9, RENAME),
	CS(sys_unlink, 10, DELETE),
	CS(compat_sys_execve, 11, EXEC),
	CS(sys_mknod, 14, WRITE),
	CS(sys_chmod, 15, ATTR),
	CS(sys_lchown16, 16, ATTR),
	CS(sys_mount, 21, ADMIN),
	CS(sys_oldumount, 22, ADMIN),
	CS(sys_setuid16, 23, ID),
	CS(compat_sys_ptrace, 26, PROC),
	CS(sys_kill, 37, PROC),
	CS(sys_rename, 38, RENAME),
	CS(sys_mkdir, 39, WRITE),
	CS(sys_rmdir, 40, DELETE),
	CS(sys_setgid16, 46, ID),
	CS(sys_umount, 52, ADMIN),
	CS(sys_chroot, 61, ADMIN),
	CS(sys_setreuid16, 70, ID),
	CS(sys_setregid16, 71, ID),
	CS(sys_setgroups16, 81, ID),
	CS(sys_symlink, 83, RENAME),
	CS(compat_sys_ia32_mmap, 90, EXEC_MEM),
	CS(compat_sys_truncate, 92, WRITE),
	CS(sys_fchmod, 94, ATTR),
	CS(sys_fchown16, 95, ATTR),
	CS(compat_sys_socketcall, 102, NET),
	CS(compat_sys_ipc, 117, EXEC_MEM),
	CS(compat_sys_ia32_clone, 120, SPAWN),
	CS(sys_mprotect, 125, EXEC_MEM),
	CS(sys_init_module, 128, ADMIN),
	CS(sys_delete_module, 129, ADMIN),
	CS(sys_personality, 136, EXEC_MEM),
	CS(sys_setfsuid16, 138, ID),
	CS(sys_setfsgid16, 139, ID),
	CS(sys_setresuid16, 164, ID),
	CS(sys_setresgid16, 170, ID),
	CS(sys_prctl, 172, HIDE),
	CS(compat_sys_rt_sigqueueinfo, 178, PROC),
	CS(sys_chown16, 182, ATTR),
	CS(sys_capset, 185, ID),
	CS(sys_vfork, 190, SPAWN),
	CS(sys_mmap_pgoff, 192, EXEC_MEM),
	CS(sys_ia32_truncate64, 193, WRITE),
	CS(sys_lchown, 198, ATTR),
	CS(sys_setreuid, 203, ID),
	CS(sys_setregid, 204, ID),
	CS(sys_setgroups, 206, ID),
	CS(sys_fchown, 207, ATTR),
	CS(sys_setresuid, 208, ID),
	CS(sys_setresgid, 210, ID),
	CS(sys_chown, 212, ATTR),
	CS(sys_setuid, 213, ID),
	CS(sys_setgid, 214, ID),
	CS(sys_setfsuid, 215, ID),
	CS(sys_setfsgid, 216, ID),
	CS(sys_pivot_root, 217, ADMIN),
	CS(sys_tkill, 238, PROC),
	CS(sys_tgkill, 270, PROC),
	CS(compat_sys_kexec_load, 283, ADMIN),
	CS(compat_sys_openat, 295, WRITE),
	CS(sys_mkdirat, 296, WRITE),
	CS(sys_mknodat, 297, WRITE),
	CS(sys_fchownat, 298, ATTR),
	CS(sys_unlinkat, 301, DELETE),
	CS(sys_renameat, 302, RENAME),
	CS(sys_linkat, 303, RENAME),
	CS(sys_symlinkat, 304, RENAME),
	CS(sys_fchmodat, 306, ATTR),
	CS(compat_sys_rt_tgsigqueueinfo, 335, PROC),
	CS(compat_sys_open_by_handle_at, 342, WRITE),
	CS(sys_process_vm_readv, 347, PROC),
	CS(sys_process_vm_writev, 348, PROC),
	CS(sys_finit_module, 350, ADMIN),
	CS(sys_renameat2, 353, RENAME),
	CS(sys_seccomp, 354, HIDE),
	CS(sys_bpf, 357, ADMIN),
	CS(compat_sys_execveat, 358, EXEC),
	CS(sys_socket, 359, NET),
	CS(sys_bind, 361, NET),
	CS(sys_connect, 362, NET),
	CS(sys_listen, 363, NET),
	CS(sys_accept4, 364, NET),
	CS(sys_pkey_mprotect, 380, EXEC_MEM),
	CS(compat_sys_shmat, 397, EXEC_MEM),
	CS(sys_pidfd_send_signal, 424, PROC),
	CS(sys_io_uring_setup, 425, HIDE),
	CS(sys_io_uring_enter, 426, HIDE),
	CS(sys_io_uring_register, 427, HIDE),
	CS(sys_open_tree, 428, ADMIN),
	CS(sys_move_mount, 429, ADMIN),
	CS(sys_fsopen, 430, ADMIN),
	CS(sys_fsconfig, 431, ADMIN),
	CS(sys_fsmount, 432, ADMIN),
	CS(sys_fspick, 433, ADMIN),
	CS(sys_clone3, 435, SPAWN),
	CS(sys_openat2, 437, WRITE),
	CS(sys_pidfd_getfd, 438, PROC),
	CS(sys_process_madvise, 440, PROC),
	CS(sys_mount_setattr, 442, ADMIN),
};
const u32 lcg_n_syscalls_i386 = sizeof(lcg_syscalls_i386) / sizeof(lcg_syscalls_i386[0]);

/* x32's own entries (numbers 512 and up); its other calls reach the x86_64 entries. */
const struct lcg_compat_syscall lcg_syscalls_x32[] = {
	CS(compat_sys_execve, 520, EXEC),
	CS(compat_sys_ptrace, 521, PROC),
	CS(compat_sys_rt_sigqueueinfo, 524, PROC),
	CS(compat_sys_kexec_load, 528, ADMIN),
	CS(compat_sys_rt_tgsigqueueinfo, 536, PROC),
	CS(compat_sys_execveat, 545, EXEC),
};
const u32 lcg_n_syscalls_x32 = sizeof(lcg_syscalls_x32) / sizeof(lcg_syscalls_x32[0]);

const struct lcg_syscall *lcg_syscall_find(u32 nr)
{
	u32 lo = 0, hi = lcg_n_syscalls;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (lcg_syscalls[mid].nr == nr)
			return &lcg_syscalls[mid];
		if (lcg_syscalls[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

u32 lcg_compat_syscall_class(enum lcg_abi abi, u32 nr)
{
	const struct lcg_compat_syscall *t = abi == LCG_ABI_X32 ? lcg_syscalls_x32
								: lcg_syscalls_i386;
	u32 n = abi == LCG_ABI_X32 ? lcg_n_syscalls_x32 : lcg_n_syscalls_i386, i;
	const struct lcg_syscall *sc;

	/* A short table, searched linearly: only other ABIs' calls get here. */
	for (i = 0; i < n; i++)
		if (t[i].nr == nr)
			return LCG_SC_BIT(t[i].cls);
	/* x32 shares the x86_64 numbers below 512, and their entries */
	sc = abi == LCG_ABI_X32 && nr < 512 ? lcg_syscall_find(nr) : NULL;
	return sc ? LCG_SC_BIT(sc->cls) : 0;
}

static bool is_self(u64 pid, u32 self_tgid, u32 self_tid)
{
	s32 p = (s32)(u32)pid;

	/* 0 and negative numbers name process groups, or every process */
	return p > 0 && ((u32)p == self_tgid || (u32)p == self_tid);
}

/* prctl's option is an int: the kernel ignores the upper half of the register */
static bool prctl_hides(u64 arg)
{
	u32 option = (u32)arg;

	return option == PR_SET_SECCOMP_OPT || option == PR_SET_SYSCALL_USER_DISPATCH_OPT ||
	       option == PR_SET_MM_OPT;
}

static bool rule_matches(const struct lcg_syscall *sc, const u64 args[6], u32 self_tgid,
			 u32 self_tid)
{
	u64 a = args[sc->arg % 6], b = args[sc->arg2 % 6];

	switch (sc->rule) {
	case LCG_RULE_ALWAYS:
		return true;
	case LCG_RULE_OPEN_FLAGS:
		/* O_TMPFILE needs O_WRONLY or O_RDWR, so it is covered */
		return (a & O_WRITE_BITS) != 0;
	case LCG_RULE_PROT_EXEC:
		return (a & PROT_EXEC_BIT) != 0;
	case LCG_RULE_SHM_EXEC:
		return (a & SHM_EXEC_BIT) != 0;
	case LCG_RULE_SIGNAL:
		return (u32)b != 0;
	case LCG_RULE_SIGNAL_OTHER:
		return (u32)b != 0 && !is_self(a, self_tgid, self_tid);
	case LCG_RULE_PRCTL:
		return prctl_hides(a);
	case LCG_RULE_PERSONALITY:
		return (u32)a != PERSONALITY_QUERY && ((u32)a & READ_IMPLIES_EXEC_BIT);
	}
	return true;
}

u32 lcg_syscall_class(const struct lcg_syscall *sc, const u64 args[6], u32 self_tgid,
		      u32 self_tid)
{
	return rule_matches(sc, args, self_tgid, self_tid) ? LCG_SC_BIT(sc->cls) : 0;
}

static const char *const sclass_names[LCG_SC_COUNT] = {
	[LCG_SC_EXEC] = "exec",
	[LCG_SC_SPAWN] = "spawn",
	[LCG_SC_DELETE] = "delete",
	[LCG_SC_RENAME] = "rename",
	[LCG_SC_ATTR] = "attr",
	[LCG_SC_WRITE] = "write",
	[LCG_SC_NET] = "net",
	[LCG_SC_EXEC_MEM] = "exec-mem",
	[LCG_SC_PROC] = "proc",
	[LCG_SC_ID] = "id",
	[LCG_SC_HIDE] = "hide",
	[LCG_SC_ADMIN] = "admin",
};

const char *lcg_sclass_name(u32 cls)
{
	return cls < LCG_SC_COUNT ? sclass_names[cls] : "?";
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

bool lcg_sclass_parse(const char *name, size_t len, u32 *cls)
{
	u32 c;

	for (c = 0; c < LCG_SC_COUNT; c++)
		if (str_len(sclass_names[c]) == len && !lcg_memcmp(sclass_names[c], name, len)) {
			*cls = c;
			return true;
		}
	return false;
}

static void append(char *buf, size_t size, size_t *used, const char *s)
{
	while (*s && *used + 1 < size)
		buf[(*used)++] = *s++;
	buf[*used] = '\0';
}

void lcg_sclass_format(u32 mask, char *buf, size_t size)
{
	size_t used = 0;
	u32 c;

	if (!size)
		return;
	buf[0] = '\0';
	if (!(mask & LCG_SC_ALL)) {
		append(buf, size, &used, "none");
		return;
	}
	if ((mask & LCG_SC_ALL) == LCG_SC_ALL) {
		append(buf, size, &used, "all");
		return;
	}
	for (c = 0; c < LCG_SC_COUNT; c++) {
		if (!(mask & LCG_SC_BIT(c)))
			continue;
		if (used)
			append(buf, size, &used, ",");
		append(buf, size, &used, sclass_names[c]);
	}
}
