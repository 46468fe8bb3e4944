/* SPDX-License-Identifier: GPL-2.0 */
/*
 * syscalls.h - which sensitive system call a trapped call is: the class
 * pda/sensitive.h gives it from its number and arguments, and its name.
 */
#ifndef LCG_TRACE_SYSCALLS_H
#define LCG_TRACE_SYSCALLS_H

#include <stdbool.h>

#include "event.h"
#include "filter.h"

/*
 * syscall_classify() - fill @sc's abi, name and class for a stop of kind
 * @stop (TRACE_STOP_SENSITIVE, _X32 or _I386) on system call @nr with
 * @args, made by thread @tid of process @tgid (signals to itself are
 * harmless).  Return false when the call is not sensitive.
 */
bool syscall_classify(struct trace_syscall *sc, enum trace_stop stop, u32 nr,
		      const u64 args[6], pid_t tgid, pid_t tid);

#endif /* LCG_TRACE_SYSCALLS_H */
