// SPDX-License-Identifier: GPL-2.0
/* syscalls.c - classify and name a trapped system call. */
#include "syscalls.h"

#include <stdio.h>
#include <string.h>

#include "pda/sensitive.h"

/* "sys_unlink", "compat_sys_execve" -> "unlink", "execve" */
static const char *bare_entry(const char *entry)
{
	static const char *const prefixes[] = { "compat_sys_", "sys_" };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(entry, prefixes[i], strlen(prefixes[i])))
			return entry + strlen(prefixes[i]);
	return entry;
}

/* The name of another ABI's call @nr: its kernel entry, or the x86_64 one x32 shares. */
static const char *compat_name(enum lcg_abi abi, u32 nr)
{
	const struct lcg_compat_syscall *t = abi == LCG_ABI_X32 ? lcg_syscalls_x32
								: lcg_syscalls_i386;
	u32 n = abi == LCG_ABI_X32 ? lcg_n_syscalls_x32 : lcg_n_syscalls_i386;
	const struct lcg_syscall *sc;

	for (u32 i = 0; i < n; i++)
		if (t[i].nr == nr)
			return bare_entry(t[i].entry);
	sc = abi == LCG_ABI_X32 ? lcg_syscall_find(nr) : NULL;
	return sc ? sc->name : "?";
}

static bool classify_compat(struct trace_syscall *sc, enum lcg_abi abi, u32 nr)
{
	sc->native = false;
	sc->abi = abi == LCG_ABI_X32 ? "x32" : "i386";
	sc->cls = lcg_compat_syscall_class(abi, nr);
	if (!sc->cls)
		return false;
	snprintf(sc->name, sizeof(sc->name), "%s:%s", sc->abi, compat_name(abi, nr));
	return true;
}

bool syscall_classify(struct trace_syscall *sc, enum trace_stop stop, u32 nr,
		      const u64 args[6], pid_t tgid, pid_t tid)
{
	const struct lcg_syscall *row;

	if (stop == TRACE_STOP_X32)
		return classify_compat(sc, LCG_ABI_X32, nr & ~LCG_X32_SYSCALL_BIT);
	if (stop == TRACE_STOP_I386)
		return classify_compat(sc, LCG_ABI_I386, nr);
	row = lcg_syscall_find(nr);
	if (!row)
		return false;
	sc->native = true;
	sc->abi = "x86_64";
	sc->cls = lcg_syscall_class(row, args, (u32)tgid, (u32)tid);
	snprintf(sc->name, sizeof(sc->name), "%s", row->name);
	return sc->cls != 0;
}
